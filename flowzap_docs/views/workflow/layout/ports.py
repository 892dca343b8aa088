"""Handles: where on its named side each edge end attaches.

Several ends on one side spread evenly along it, ordered by where their other end lies (the
end going highest takes the top slot of a ``right`` side, the one going furthest left the left
slot of a ``bottom`` side), which is what keeps fans of edges from crossing each other right at
the node.  Circles and diamonds attach at the middle of a side (the vertex of a diamond, the
tangent point of a circle); several ends there are spread only slightly round that point.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from .graph import LayoutGraph

#: Spread of several ends round the middle of a circle's or diamond's side (also the least
#: distance between two ends on a circle's side: sizing grows a crowded circle to keep it).
POINT_SPREAD = 10.0
#: Share of a circle's diameter its ends may spread over (the outline stays near the box side).
CIRCLE_SIDE_SHARE = 0.4
#: Closest two handles on one side may come when one is moved straight across its partner.
MIN_GAP = 10.0
#: Spread between ends sharing a diamond's vertex (kept small: off the vertex is off the shape).
DIAMOND_SPREAD = 7.0


class Port(NamedTuple):
    """Edge end ``key`` (2 * edge index, +1 for the target end) on ``side`` of ``node``.

    ``fraction`` is the relative position along the side (0 = top/left end); ``offset`` is added
    in px (used for circles and diamonds).  A named tuple rather than a frozen dataclass: the
    layout creates and compares ports by the dozen (each re-ordering trial is a new list), and
    tuples do both in C."""

    key: int
    node: int
    side: str
    fraction: float
    offset: float = 0.0


def assign_ports(graph: LayoutGraph, column: list[int], global_row: list[int], sizes: list[float]) -> list[Port]:
    """One :class:`Port` per edge end, indexed by key (``2*i`` source, ``2*i+1`` target).

    ``sizes`` is each node's box width (circles: the diameter)."""
    groups: dict[tuple[int, str], list[tuple[tuple[int, int, int], int]]] = {}
    for edge in graph.edges:
        for is_target in (0, 1):
            node = edge.target if is_target else edge.source
            side = edge.target_side if is_target else edge.source_side
            other = edge.source if is_target else edge.target
            if side in ("left", "right"):
                sort_key = (global_row[other], column[other] if side == "right" else -column[other], edge.index)
            else:
                sort_key = (column[other], global_row[other] if side == "top" else -global_row[other], edge.index)
            groups.setdefault((node, side), []).append((sort_key, 2 * edge.index + is_target))
    ports: list[Port | None] = [None] * (2 * len(graph.edges))
    shapes = [node.shape for node in graph.diagram.nodes]
    for (node, side), ends in groups.items():
        ends.sort()
        count = len(ends)
        for slot, (_key, key) in enumerate(ends):
            if shapes[node] in ("circle", "diamond"):
                # a circle's outline stays close to its box side over the middle ~40% of it; a
                # diamond's leaves it at once (its vertex), so ends crowd round the vertex
                if shapes[node] == "circle":
                    spread = min(POINT_SPREAD * (count - 1), max(24.0, CIRCLE_SIDE_SHARE * sizes[node]))
                else:
                    spread = min(DIAMOND_SPREAD * (count - 1), 24.0)
                offset = -spread / 2 + (spread * slot / (count - 1) if count > 1 else 0.0)
                ports[key] = Port(key, node, side, 0.5, offset)
            else:
                ports[key] = Port(key, node, side, (slot + 1) / (count + 1))
    return [port for port in ports if port is not None]


def port_point(port: Port, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """The handle's coordinates on a node box ``(x, y, width, height)``."""
    x, y, w, h = box
    if port.side == "left":
        return (x, y + h * port.fraction + port.offset)
    if port.side == "right":
        return (x + w, y + h * port.fraction + port.offset)
    if port.side == "top":
        return (x + w * port.fraction + port.offset, y)
    return (x + w * port.fraction + port.offset, y + h)


def reorder_ports(ports: list[Port], routes: list[list[tuple[float, float]]]) -> list[Port]:
    """Ports re-ordered along each side to untangle the connectors' first two segments.

    The first order guessed from the other end's position; once routes exist each end is
    known by its stub (how far it runs out of the side) and where its next segment runs along
    the side.  Two ends cross right at the node when one's along-segment passes the other's
    slot while the other's stub reaches further out.  Small groups try every order of their
    slots; larger ones sort by turn direction and stub length (the end turning towards the top
    or left goes nearest that end, the longest stub outermost).
    """
    groups: dict[tuple[int, str], list[Port]] = {}
    for port in ports:
        groups.setdefault((port.node, port.side), []).append(port)
    result = list(ports)
    for (node, side), members in groups.items():
        if len(members) < 2:
            continue  # a lone end has nothing to untangle
        ends = [_end(port, routes) for port in members]
        slots = sorted(((result[key].fraction, result[key].offset) for key, _s, _r, _z in ends))
        positions = sorted(end[3] for end in ends)  # the slots' coordinates along the side
        current = sorted(ends, key=lambda end: (result[end[0]].fraction, result[end[0]].offset, end[0]))
        if len(ends) <= 5:
            best, best_cost = current, _tangles(current, positions)
            for order in itertools.permutations(current):
                cost = _tangles(order, positions)
                if cost < best_cost:
                    best, best_cost = list(order), cost
        else:
            best = sorted(current, key=lambda end: (_turn_key(end), current.index(end)))
        for (fraction, offset), (key, _stub, _reach, _z) in zip(slots, best, strict=True):
            result[key] = Port(key, node, side, fraction, offset)
    return result


def _end(port: Port, routes: list[list[tuple[float, float]]]) -> tuple[int, float, float, float]:
    """``(key, stub, reach, slot position along the side)`` of one end, read off its route
    (from its first point for a source end, from its last for a target end)."""
    points = routes[port.key // 2]
    along = 1 if port.side in ("left", "right") else 0
    across = 1 - along
    first = -1 if port.key % 2 else 0
    step = -1 if port.key % 2 else 1
    p0 = points[first]
    if len(points) < 3:
        return (port.key, float("inf"), 0.0, p0[along])
    p1, p2 = points[first + step], points[first + 2 * step]
    stub = abs(p1[across] - p0[across])
    reach = p2[along] - p0[along]  # where the along-segment ends, relative to the slot
    return (port.key, stub, reach, p0[along])


def _turn_key(end: tuple[int, float, float, int]) -> tuple[int, float]:
    _key, stub, reach, _z = end
    if reach < -0.01:
        return (0, stub if stub != float("inf") else 1e9)
    if reach > 0.01:
        return (2, -stub if stub != float("inf") else -1e9)
    return (1, 0.0)


def _tangles(order: Sequence[tuple[int, float, float, float]], positions: list[float]) -> int:
    """Crossings between the first two segments of the ends placed at ``positions``."""
    count = 0
    for i, (_ki, stub_i, reach_i, _zi) in enumerate(order):
        pi = positions[i]
        low, high = sorted((pi, pi + reach_i))  # the span of its along-segment
        for j, (_kj, stub_j, _rj, _zj) in enumerate(order):
            if i != j and low < positions[j] < high and stub_j > stub_i:
                count += 1
    return count


def snap_ports(ports: list[Port], graph: LayoutGraph, grid: object, round_shapes: bool = False) -> list[Port]:
    """Ports moved so that a connector to a node straight across can be one straight line.

    When a rectangle side carries several ends and one of them goes to the facing side of a
    node straight across (same column above/below, or same row left/right) that has only that
    one end (so it sits in the middle), the end moves to the middle of its side too; the other
    ends spread over the two halves in their order.  Skipped when handles would get closer
    than :data:`MIN_GAP`.  ``round_shapes`` selects circles and diamonds instead of the
    boxy shapes (the caller tries the two kinds separately and keeps what pays).
    """
    column, lane, row = grid.column, grid.lane, grid.row  # type: ignore[attr-defined]
    sizes = grid.sizes  # type: ignore[attr-defined]
    shapes = [node.shape for node in graph.diagram.nodes]
    groups: dict[tuple[int, str], list[int]] = {}
    for port in ports:
        groups.setdefault((port.node, port.side), []).append(port.key)
    facing = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}
    result = list(ports)
    for (node, side), keys in groups.items():
        if len(keys) < 2 or (shapes[node] in ("circle", "diamond")) != round_shapes:
            continue
        keys.sort(key=lambda k: (ports[k].fraction, ports[k].offset, k))
        chosen = -1
        for position, key in enumerate(keys):
            other_key = key ^ 1
            partner = ports[other_key]
            if partner.side != facing[side] or len(groups[(partner.node, partner.side)]) != 1:
                continue
            if side in ("top", "bottom"):
                across = column[partner.node] == column[node]
                above = (lane[partner.node], row[partner.node]) < (lane[node], row[node])
                across = across and above == (side == "top")
            else:
                across = lane[partner.node] == lane[node] and row[partner.node] == row[node]
                across = across and (column[partner.node] < column[node]) == (side == "left")
            if across and partner.node != node:
                chosen = position
                break
        if chosen < 0:
            continue
        before, after = chosen, len(keys) - chosen - 1
        if shapes[node] in ("circle", "diamond"):
            # the snapped end takes the point itself; the others step away from it in order
            step = POINT_SPREAD if shapes[node] == "circle" else DIAMOND_SPREAD
            offsets = [-step * (before - i) for i in range(before)] + [0.0]
            offsets += [step * (i + 1) for i in range(after)]
            reach = max(12.0, 0.2 * sizes[node].width) if shapes[node] == "circle" else 12.0
            if max(abs(offset) for offset in offsets) > reach:
                continue  # too far from the vertex / tangent point: keep the spread
            for key, offset in zip(keys, offsets, strict=True):
                result[key] = Port(key, node, side, 0.5, offset)
            continue
        length = sizes[node].width if side in ("top", "bottom") else sizes[node].height
        fractions = [0.5 * (i + 1) / (before + 1) for i in range(before)] + [0.5]
        fractions += [0.5 + 0.5 * (i + 1) / (after + 1) for i in range(after)]
        if min(b - a for a, b in itertools.pairwise(fractions)) * length < MIN_GAP:
            continue
        for key, fraction in zip(keys, fractions, strict=True):
            result[key] = Port(key, node, side, fraction)
    return result
