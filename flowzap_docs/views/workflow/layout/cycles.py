"""Phase 1: turn edges into column constraints and break their cycles in text order.

Each edge becomes an *arc* ``(u, v, minlen)`` meaning ``column(v) >= column(u) + minlen``.
Which way an arc points, and whether ``minlen`` is 0 or 1, follows from the handles: a
``right`` source wants its target further right; a ``left`` source going into a ``right``
handle wants it further left; a ``bottom -> top`` hop into a lower lane may stay in the same
column (the straight drop between lanes is the FlowZap idiom).  Cycles are broken by a
depth-first search from the first node, following edges in the order they are written: an arc
that closes a cycle is reversed, exactly as ELK's depth-first cycle breaker does.
"""

from __future__ import annotations

from .graph import GEdge, LayoutGraph

Arc = tuple[int, int, int]


def column_arc(edge: GEdge, source_lane: int, target_lane: int) -> Arc | None:
    """The column constraint an edge asks for (``None`` for a self-edge)."""
    s, t, ss, ts = edge.source, edge.target, edge.source_side, edge.target_side
    if s == t:
        return None
    if ss == "right":
        return (s, t, 1)
    if ss == "left":
        return (t, s, 1)  # backward flow: the target sits to the left
    # vertical source side
    if ts == "left":
        return (s, t, 1)
    if ts == "right":
        return (t, s, 1)
    if ss == ts:
        return (s, t, 1)  # U shape: side by side
    down = ss == "bottom"
    if target_lane == source_lane or (target_lane > source_lane) == down:
        return (s, t, 0)  # straight hop (or a row below / above in the same lane)
    return (s, t, 1)  # hop the wrong way round: step aside one column


def column_arcs(graph: LayoutGraph) -> list[Arc]:
    arcs: list[Arc] = []
    for edge in graph.edges:
        arc = column_arc(edge, graph.node_lane[edge.source], graph.node_lane[edge.target])
        if arc is not None:
            arcs.append(arc)
    return arcs


def break_cycles(n: int, arcs: list[Arc], first: list[int] | None = None) -> list[Arc]:
    """Arcs with every cycle broken: a DFS (iterative; 1,600-node chains must not overflow the
    stack) in ``first`` order, then index order, reverses each arc that closes a cycle."""
    out: list[list[int]] = [[] for _ in range(n)]
    for k, (u, _v, _m) in enumerate(arcs):
        out[u].append(k)
    state = [0] * n  # 0 new, 1 on stack, 2 done
    reversed_arcs = [False] * len(arcs)
    order = list(first or []) + list(range(n))
    for root in order:
        if state[root]:
            continue
        state[root] = 1
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            node, position = stack[-1]
            if position < len(out[node]):
                stack[-1] = (node, position + 1)
                k = out[node][position]
                target = arcs[k][1]
                if state[target] == 1:
                    reversed_arcs[k] = True
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, 0))
            else:
                state[node] = 2
                stack.pop()
    return [((v, u, m) if reversed_arcs[k] else (u, v, m)) for k, (u, v, m) in enumerate(arcs)]


def start_order(graph: LayoutGraph, arcs: list[Arc]) -> list[int]:
    """Where the DFS starts: nodes with no incoming arc, circles (start events) first."""
    has_in = [False] * graph.n
    for _u, v, _m in arcs:
        has_in[v] = True
    nodes = graph.diagram.nodes
    roots = [i for i in range(graph.n) if not has_in[i]]
    return [i for i in roots if nodes[i].shape == "circle"] + [i for i in roots if nodes[i].shape != "circle"]


def acyclic_arcs(graph: LayoutGraph) -> list[Arc]:
    arcs = column_arcs(graph)
    return break_cycles(graph.n, arcs, start_order(graph, arcs))

