"""Phase 2: columns shared by all lanes, by longest path over the acyclic arcs.

Longest path puts every node as far left as its predecessors allow; a node with no
predecessor (a branch that only flows *into* the graph, like the target of a ``left`` handle)
is then pulled right next to its first successor so it does not drift to column 0.  Nodes no
edge touches sit one column after the node declared before them in their lane, which keeps
the writer's reading order.
"""

from __future__ import annotations

import heapq

from .cycles import Arc


def topological_order(n: int, arcs: list[Arc]) -> list[int]:
    """Kahn's algorithm, lowest index first among the ready nodes (text order breaks ties)."""
    indegree = [0] * n
    out: list[list[int]] = [[] for _ in range(n)]
    for u, v, _m in arcs:
        out[u].append(v)
        indegree[v] += 1
    ready = [i for i in range(n) if indegree[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for target in out[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, target)
    if len(order) < n:  # cannot happen after break_cycles; stay total anyway
        seen = set(order)
        order.extend(i for i in range(n) if i not in seen)
    return order


def assign_columns(n: int, arcs: list[Arc], node_lane: list[int]) -> list[int]:
    """Column of every node (0-based, no empty column left between used ones).

    Two nodes of one lane share a column only when one drops straight below the other (a
    same-lane ``bottom -> top`` edge, which asks for exactly that); any other node that would
    land on an occupied cell moves one column right.  Lanes thus read as a row of steps, and
    fans of hops into one lane spread out instead of piling up into rows.
    """
    order = topological_order(n, arcs)
    incoming: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    outgoing: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for u, v, m in arcs:
        incoming[v].append((u, m))
        outgoing[u].append((v, m))
    column = [0] * n
    occupied: dict[tuple[int, int], int] = {}
    last_in_cell: dict[tuple[int, int], int] = {}
    for node in order:
        shares = False
        for source, minlen in incoming[node]:
            wanted = column[source] + minlen
            if wanted > column[node]:
                column[node], shares = wanted, False
            if wanted == column[node] and minlen == 0 and node_lane[source] == node_lane[node]:
                # drop below the source only if nothing hangs below it yet (a chain of drops
                # stacks; a second drop from one source steps right, clear of the first)
                shares = shares or last_in_cell.get((node_lane[node], column[node])) == source
        if not shares:
            while (node_lane[node], column[node]) in occupied:
                column[node] += 1
        occupied.setdefault((node_lane[node], column[node]), node)
        last_in_cell[(node_lane[node], column[node])] = node
    for node in reversed(order):
        if not incoming[node] and outgoing[node]:
            # Pulled right next to its first successor; sharing a cell then means a row below.
            wanted = max(0, min(column[target] - minlen for target, minlen in outgoing[node]))
            if wanted > column[node]:
                if occupied.get((node_lane[node], column[node])) == node:
                    del occupied[(node_lane[node], column[node])]
                column[node] = wanted
                occupied.setdefault((node_lane[node], wanted), node)
    touched = [bool(incoming[i] or outgoing[i]) for i in range(n)]
    last_in_lane: dict[int, int] = {}
    for node in range(n):
        lane = node_lane[node]
        if not touched[node]:
            column[node] = last_in_lane[lane] + 1 if lane in last_in_lane else 0
            while (lane, column[node]) in occupied:
                column[node] += 1
            occupied[(lane, column[node])] = node
        last_in_lane[lane] = column[node]
    used = sorted(set(column))
    compact = {c: i for i, c in enumerate(used)}
    return [compact[c] for c in column]


def clear_drops(n: int, arcs: list[Arc], node_lane: list[int], column: list[int]) -> list[Arc]:
    """Extra arcs that move nodes out of the way of straight drops between lanes.

    A ``bottom -> top`` hop that shares its column with its target is drawn as one straight
    line, unless a node of a lane in between sits in that column; then the line must detour.
    Each such blocker gets an arc from the hop's source (it moves one column right) when the
    blocker comes after the source in topological order: such an arc can never close a cycle.
    Returns the new arcs.
    """
    position = [0] * n
    for index, node in enumerate(topological_order(n, arcs)):
        position[node] = index
    cells: dict[tuple[int, int], list[int]] = {}
    for node in range(n):
        cells.setdefault((node_lane[node], column[node]), []).append(node)
    extra: list[Arc] = []
    seen: set[tuple[int, int]] = set()
    for u, v, m in arcs:
        if m != 0 or column[u] != column[v]:
            continue
        low, high = sorted((node_lane[u], node_lane[v]))
        for lane in range(low + 1, high):
            for blocker in cells.get((lane, column[u]), ()):
                if position[blocker] > position[u] and (u, blocker) not in seen:
                    seen.add((u, blocker))
                    extra.append((u, blocker, 1))
    return extra
