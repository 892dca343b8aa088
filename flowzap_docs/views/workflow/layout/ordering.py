"""Phase 3: rows inside lanes.

A lane is a stack of rows that run across every column.  The main path of a lane is row 0;
a ``bottom -> top`` edge inside one lane puts its target in a row below its source (and
``top -> bottom`` above), as do handles that enter from above or below (``right -> top``: the
target is lower).  Two nodes of one lane in one column take different rows.  A node with no
row constraint follows the row of the node that flows into it from the left, so a branch that
dropped a row carries on along that row instead of jumping back to the top.

When several nodes compete for a cell, the one whose ``bottom`` handle leads to a lower lane
goes lowest and the one whose ``top`` handle leads to a higher lane goes highest (ELK's
north/south port idea), so hops between lanes do not cut through their own lane.
"""

from __future__ import annotations

import heapq

from .cycles import Arc, break_cycles
from .graph import HORIZONTAL, LayoutGraph


def row_arcs(graph: LayoutGraph, column: list[int]) -> list[Arc]:
    """Same-lane constraints ``row(v) >= row(u) + 1`` from the handles."""
    arcs: list[Arc] = []
    for edge in graph.edges:
        s, t = edge.source, edge.target
        if s == t or graph.node_lane[s] != graph.node_lane[t]:
            continue
        ss, ts = edge.source_side, edge.target_side
        if ss in HORIZONTAL and ts in HORIZONTAL:
            continue
        if ss in HORIZONTAL:  # enters from above (top) or below (bottom)
            if (ss == "right") == (column[t] > column[s]) or column[t] == column[s]:
                arcs.append((s, t, 1) if ts == "top" else (t, s, 1))
            continue
        if ts in HORIZONTAL:  # leaves downwards (bottom) or upwards (top)
            arcs.append((s, t, 1) if ss == "bottom" else (t, s, 1))
            continue
        if ss == ts:
            continue  # U shape: side by side
        arcs.append((s, t, 1) if ss == "bottom" else (t, s, 1))
    return arcs


def assign_rows(graph: LayoutGraph, column: list[int]) -> list[int]:
    """Row of every node inside its lane (0 = top row of the lane)."""
    n = graph.n
    arcs = break_cycles(n, row_arcs(graph, column))
    incoming: list[list[int]] = [[] for _ in range(n)]
    outgoing: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for u, v, _m in arcs:
        incoming[v].append(u)
        outgoing[u].append(v)
        indegree[v] += 1
    # Soft predecessor: the first same-lane node flowing into this one horizontally.
    follows = [-1] * n
    vertical_bias = [0] * n  # +1: has a hop to a lower lane (sink low), -1: to a higher lane
    for edge in graph.edges:
        s, t = edge.source, edge.target
        if s == t:
            continue
        lane_s, lane_t = graph.node_lane[s], graph.node_lane[t]
        if lane_s == lane_t:
            if edge.source_side == "right" and edge.target_side == "left" and follows[t] < 0 and column[t] > column[s]:
                follows[t] = s
            continue
        if edge.source_side == "bottom" and lane_t > lane_s or edge.target_side == "bottom" and lane_s > lane_t:
            vertical_bias[s if edge.source_side == "bottom" and lane_t > lane_s else t] += 1
        if edge.source_side == "top" and lane_t < lane_s or edge.target_side == "top" and lane_s < lane_t:
            vertical_bias[s if edge.source_side == "top" and lane_t < lane_s else t] -= 1
    row = [0] * n
    occupied: set[tuple[int, int, int]] = set()
    ready = [(column[i], vertical_bias[i], i) for i in range(n) if indegree[i] == 0]
    heapq.heapify(ready)
    while ready:
        _c, _b, node = heapq.heappop(ready)
        wanted = max((row[p] + 1 for p in incoming[node]), default=0)
        if follows[node] >= 0 and not incoming[node]:
            wanted = max(wanted, row[follows[node]])
        lane = graph.node_lane[node]
        while (lane, column[node], wanted) in occupied:
            wanted += 1
        row[node] = wanted
        occupied.add((lane, column[node], wanted))
        for target in outgoing[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, (column[target], vertical_bias[target], target))
    return row
