"""Phase 5: orthogonal routes from handle to handle.

Because every lane's rows run across all columns, the gaps between columns and the gaps
between rows are *corridors* free of nodes from end to end.  A handle always reaches a corridor
straight out of its side (the free part of its own cell), so a route that leaves through the
source's corridor, travels along corridors and arrives through the target's corridor never
touches a node.  Those routes are the fallback; simpler templates (straight, L, Z) are tried
first and kept when they pass the obstacle check.  This is the template-then-fallback scheme
of LAYOUT.md with the visibility grid replaced by the corridor grid, which is always available
and costs nothing to search.

A route is stored *abstractly*: a list of references ("the x of track t of column gap g", "the
y of the target handle").  Gaps can then grow for tracks and labels, and the same route is
realised again at the new coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import HORIZONTAL, GEdge
from .obstacles import ObstacleIndex
from .placement import Grid, Placement
from .ports import Port, port_point

#: ("p", key): a handle's coordinate; ("v", gap): a column-gap track; ("h", lane, gap): a row-gap track.
Ref = tuple
Point2 = tuple[float, float]
MIN_STUB = 8.0


@dataclass
class Route:
    """An abstract route: ``refs`` alternate x and y starting with ``first_axis`` ("h" moves
    horizontally first, so the first ref is an x)."""

    edge: GEdge
    first_axis: str
    refs: list[Ref]
    tracks: list[int] = field(default_factory=list)


@dataclass
class Corridors:
    """Where each corridor is, for one placement: left/top edge and width/height of each gap."""

    placement: Placement
    column_gaps: list[float]
    row_gaps: list[list[float]]
    track_count: dict[tuple, int] = field(default_factory=dict)

    def x_of(self, gap: int, track: int) -> float:
        count = self.track_count.get(("v", gap), 0)
        width = self.placement.column_gaps[gap]
        if count <= 0:
            return self.placement.gap_x[gap] + width / 2
        return self.placement.gap_x[gap] + width * (track + 1) / (count + 1)

    def y_of(self, lane: int, gap: int, track: int) -> float:
        count = self.track_count.get(("h", lane, gap), 0)
        height = self.placement.row_gaps[lane][gap]
        if count <= 0:
            return self.placement.gap_y[lane][gap] + height / 2
        return self.placement.gap_y[lane][gap] + height * (track + 1) / (count + 1)


def raw_points(route: Route, ports: list[Port], boxes: list[tuple[float, float, float, float]],
               corridors: Corridors, *, use_tracks: bool = True) -> list[Point2]:
    """Unsimplified points (one per ref plus both ends), so index i+1 belongs to ref i.

    ``use_tracks=False`` puts every segment on its corridor's first track: track assignment
    itself needs the routes before tracks exist."""
    edge = route.edge
    start = port_point(ports[2 * edge.index], boxes[edge.source])
    end = port_point(ports[2 * edge.index + 1], boxes[edge.target])
    return _through(route.first_axis, route.refs, route.tracks if use_tracks else [], start, end, corridors)


def _through(axis: str, refs: list[Ref], tracks: list[int], start: Point2, end: Point2,
             corridors: Corridors) -> list[Point2]:
    """:func:`raw_points` of a route's parts once both handles' coordinates are known."""
    points = [start]
    x, y = start
    for i, ref in enumerate(refs):
        track = tracks[i] if tracks else 0
        if ref[0] == "p":
            value = end[0] if axis == "h" else end[1]
        elif ref[0] == "v":
            value = corridors.x_of(ref[1], track)
        else:
            value = corridors.y_of(ref[1], ref[2], track)
        if axis == "h":
            x = value
        else:
            y = value
        points.append((x, y))
        axis = "v" if axis == "h" else "h"
    points.append(end)
    return points


def realise(route: Route, ports: list[Port], boxes: list[tuple[float, float, float, float]],
            corridors: Corridors) -> list[Point2]:
    """The route's corner points for this placement (duplicates and straight joints removed)."""
    return simplify(raw_points(route, ports, boxes, corridors))


def simplify(points: list[Point2]) -> list[Point2]:
    """Drop repeated points and the middle of three collinear ones (keeps the ends)."""
    result: list[Point2] = []
    for point in points:
        if result and result[-1] == point:
            continue
        if len(result) >= 2:
            a, b = result[-2], result[-1]
            if (a[0] == b[0] == point[0]) or (a[1] == b[1] == point[1]):
                # b is redundant only if it does not reverse direction
                if (b[0] - a[0]) * (point[0] - b[0]) >= 0 and (b[1] - a[1]) * (point[1] - b[1]) >= 0:
                    result[-1] = point
                    continue
        result.append(point)
    return result


_OUTWARD = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}


def ends_ok(points: list[Point2], source_side: str, target_side: str, min_stub: float) -> bool:
    """First segment leaves the source side outwards, last enters the target side inwards."""
    if len(points) < 2:
        return False
    (x0, y0), (x1, y1) = points[0], points[1]
    dx, dy = _OUTWARD[source_side]
    if dx and not (y1 == y0 and (x1 - x0) * dx >= min_stub):
        return False
    if dy and not (x1 == x0 and (y1 - y0) * dy >= min_stub):
        return False
    (xa, ya), (xb, yb) = points[-2], points[-1]
    dx, dy = _OUTWARD[target_side]  # arriving means moving against the outward direction
    if dx and not (ya == yb and (xa - xb) * dx >= min_stub):
        return False
    if dy and not (xa == xb and (ya - yb) * dy >= min_stub):
        return False
    return True


def _exit(side: str, column: int, lane: int, row: int) -> Ref:
    if side == "right":
        return ("v", column + 1)
    if side == "left":
        return ("v", column)
    if side == "bottom":
        return ("h", lane, row + 1)
    return ("h", lane, row)


def _entry(side: str, column: int, lane: int, row: int) -> Ref:
    if side == "left":
        return ("v", column)
    if side == "right":
        return ("v", column + 1)
    if side == "top":
        return ("h", lane, row)
    return ("h", lane, row + 1)


class Planner:
    """Chooses one abstract route per edge on a first placement."""

    def __init__(self, grid: Grid, placement: Placement, ports: list[Port], column_gaps: list[float],
                 row_gaps: list[list[float]], index: ObstacleIndex | None = None) -> None:
        self.grid = grid
        self.placement = placement
        self.ports = ports
        self.index = index or ObstacleIndex(grid, placement)  # depends on nodes only: shareable
        self.corridors = Corridors(placement, column_gaps, row_gaps)
        # edge index -> (route chosen by plan(), its points): checking a template computed them
        self.checked: dict[int, tuple[Route, list[Point2]]] = {}
        # global numbering of row gaps, top to bottom
        self.h_global: dict[tuple[int, int], int] = {}
        self.h_refs: list[Ref] = []
        for lane in range(grid.n_lanes):
            for gap in range(grid.rows_per_lane[lane] + 1):
                self.h_global[(lane, gap)] = len(self.h_refs)
                self.h_refs.append(("h", lane, gap))

    def _try(self, edge: GEdge, axis: str, refs: list[Ref], start: Point2, end: Point2,
             min_stub: float = MIN_STUB) -> tuple[Route, list[Point2]] | None:
        points = simplify(_through(axis, refs, [], start, end, self.corridors))  # realise(), handles known
        if not ends_ok(points, edge.source_side, edge.target_side, min_stub):
            return None
        ends = (edge.source, edge.target)
        for a, b in zip(points, points[1:], strict=False):
            if self.index.blocked(a, b, ends):
                return None
        return Route(edge, axis, refs), points

    def realised(self, route: Route) -> list[Point2]:
        """:func:`realise` of a route this planner chose, on its placement, ports and corridors
        (the points the template check computed, when :meth:`plan` chose it that way)."""
        checked = self.checked.get(route.edge.index)
        if checked is not None and checked[0] is route and not route.tracks:
            return checked[1]
        return realise(route, self.ports, self.placement.boxes, self.corridors)

    def plan(self, edge: GEdge) -> Route:
        g = self.grid
        s, t = edge.source, edge.target
        ss, ts = edge.source_side, edge.target_side
        cs, ct = g.column[s], g.column[t]
        exit_ref = _exit(ss, cs, g.lane[s], g.row[s])
        entry_ref = _entry(ts, ct, g.lane[t], g.row[t])
        target_ref: Ref = ("p", 2 * edge.index + 1)
        candidates: list[tuple[str, list[Ref]]] = []
        same_row = g.lane[s] == g.lane[t] and g.row[s] == g.row[t]
        if ss in HORIZONTAL and ts in HORIZONTAL:
            if same_row:  # equal y only then survives gaps growing later
                candidates.append(("h", []))
            lo = cs + 1 if ss == "right" else 0
            hi = cs if ss == "left" else g.n_columns
            lo = max(lo, ct + 1) if ts == "right" else lo
            hi = min(hi, ct) if ts == "left" else hi
            for k in _preferred(entry_ref[1], exit_ref[1], lo, hi):
                candidates.append(("h", [("v", k), target_ref]))
            candidates.append(("h", [exit_ref, self._row_gap_between(s, t), entry_ref, target_ref]))
        elif ss not in HORIZONTAL and ts not in HORIZONTAL:
            if cs == ct:  # equal x only then survives gaps growing later
                candidates.append(("v", []))
            src_h = self.h_global[(exit_ref[1], exit_ref[2])]
            dst_h = self.h_global[(entry_ref[1], entry_ref[2])]
            lo = src_h if ss == "bottom" else 0
            hi = src_h if ss == "top" else len(self.h_refs) - 1
            lo = max(lo, dst_h) if ts == "bottom" else lo
            hi = min(hi, dst_h) if ts == "top" else hi
            for q in _preferred(dst_h, src_h, lo, hi):
                candidates.append(("v", [self.h_refs[q], target_ref]))
            k = ct if ct > cs else (ct + 1 if ct < cs else cs + 1)
            candidates.append(("v", [exit_ref, ("v", k), entry_ref, target_ref]))
        elif ss in HORIZONTAL:
            candidates.append(("h", [target_ref]))
            candidates.append(("h", [exit_ref, entry_ref, target_ref]))
        else:
            candidates.append(("v", [target_ref]))
            candidates.append(("v", [exit_ref, entry_ref, target_ref]))
        boxes = self.placement.boxes
        start = port_point(self.ports[2 * edge.index], boxes[s])
        end = port_point(self.ports[2 * edge.index + 1], boxes[t])
        for axis, refs in candidates[:-1]:
            tried = self._try(edge, axis, refs, start, end)
            if tried is not None:
                self.checked[edge.index] = tried
                return tried[0]
        axis, refs = candidates[-1]
        return Route(edge, axis, refs)

    def _row_gap_between(self, s: int, t: int) -> Ref:
        """The row gap a source-and-target-both-sideways detour runs along: next to the target
        row, on the side facing the source (below the row when they share it)."""
        g = self.grid
        source_band = self.h_global[(g.lane[s], g.row[s])]
        target_band = self.h_global[(g.lane[t], g.row[t])]
        if target_band > source_band:
            return ("h", g.lane[t], g.row[t])
        if target_band < source_band:
            return ("h", g.lane[t], g.row[t] + 1)
        return ("h", g.lane[s], g.row[s] + 1)


def _preferred(first: int, second: int, lo: int, hi: int) -> list[int]:
    """Candidate corridor indexes in [lo, hi]: ``first``, ``second``, then one in between."""
    result: list[int] = []
    for k in (first, second, (first + second) // 2):
        if lo <= k <= hi and k not in result:
            result.append(k)
    return result
