"""Parallel segments in one corridor get their own tracks (Sander's slot assignment, simplified).

Each corridor reference of a route is a segment running along that corridor.  Segments whose
extents overlap need different tracks; interval colouring gives the fewest tracks.  Extents are
measured on the first placement with every end that sits on another corridor stretched over
that whole corridor, so the result stays valid after gaps grow and tracks move.  Tracks are
then ordered so a segment that turns towards the left/top takes a track nearer that side,
which removes most crossings between neighbours in a corridor.
"""

from __future__ import annotations

import heapq

from .ports import port_point
from .routing import Corridors, Route

TRACK_SPACING = 12.0


def assign_tracks(routes: list[Route], ports: list, boxes: list, corridors: Corridors) -> dict[tuple, int]:
    """Fill ``route.tracks`` for every route; return the track count per corridor key."""
    segments: dict[tuple, list[tuple[float, float, float, int, int]]] = {}
    for r, route in enumerate(routes):
        route.tracks = [0] * len(route.refs)
        if not route.refs:
            continue
        raw = _raw_points(route, ports, boxes, corridors)
        for i, ref in enumerate(route.refs):
            if ref[0] == "p":
                continue
            a, b = raw[i + 1], raw[i + 2]
            if ref[0] == "v":
                key = ("v", ref[1])
                lo, hi = sorted((a[1], b[1]))
                lo, hi = _stretch(route.refs, i, lo, hi, corridors)
                # which way the segment turns at its ends: used to order tracks
                bias = (raw[i][0] - a[0]) + (raw[i + 3][0] - b[0] if i + 3 < len(raw) else 0.0)
            else:
                key = ("h", ref[1], ref[2])
                lo, hi = sorted((a[0], b[0]))
                lo, hi = _stretch(route.refs, i, lo, hi, corridors)
                bias = (raw[i][1] - a[1]) + (raw[i + 3][1] - b[1] if i + 3 < len(raw) else 0.0)
            segments.setdefault(key, []).append((lo, hi, bias, r, i))
    counts: dict[tuple, int] = {}
    for key, items in segments.items():
        items.sort(key=lambda item: (item[0], item[1], item[3], item[4]))
        free: list[tuple[float, int]] = []  # (end of last segment on track, track)
        fresh = 0
        assigned: list[tuple[int, float, int, int]] = []
        for lo, hi, bias, r, i in items:
            if free and free[0][0] < lo - 0.5:
                _end, track = heapq.heappop(free)
            else:
                track = fresh
                fresh += 1
            heapq.heappush(free, (hi, track))
            assigned.append((track, bias, r, i))
        # order tracks: segments bending towards the low side (left/top) take low tracks
        track_bias: dict[int, float] = {}
        for track, bias, _r, _i in assigned:
            track_bias[track] = track_bias.get(track, 0.0) + bias
        order = sorted(range(fresh), key=lambda t: (track_bias.get(t, 0.0), t))
        rank = {t: k for k, t in enumerate(order)}
        for track, _bias, r, i in assigned:
            routes[r].tracks[i] = rank[track]
        counts[key] = fresh
    return counts


def _raw_points(route: Route, ports: list, boxes: list, corridors: Corridors) -> list[tuple[float, float]]:
    """Unsimplified points (one per ref plus both ends), so index i+1 belongs to ref i."""
    edge = route.edge
    start = port_point(ports[2 * edge.index], boxes[edge.source])
    end = port_point(ports[2 * edge.index + 1], boxes[edge.target])
    points = [start]
    x, y = start
    axis = route.first_axis
    for ref in route.refs:
        if ref[0] == "p":
            value = end[0] if axis == "h" else end[1]
        elif ref[0] == "v":
            value = corridors.x_of(ref[1], 0)
        else:
            value = corridors.y_of(ref[1], ref[2], 0)
        if axis == "h":
            x = value
        else:
            y = value
        points.append((x, y))
        axis = "v" if axis == "h" else "h"
    points.append(end)
    return points


def _stretch(refs: list, i: int, lo: float, hi: float, corridors: Corridors) -> tuple[float, float]:
    """Widen a segment's extent over the whole corridor its ends sit on (the neighbouring refs),
    so that overlaps found now stay overlaps whatever track the neighbour gets later."""
    placement = corridors.placement
    for k in (i - 1, i + 1):
        if 0 <= k < len(refs):
            ref = refs[k]
            if ref[0] == "h":
                top = placement.gap_y[ref[1]][ref[2]]
                lo, hi = min(lo, top), max(hi, top + corridors.row_gaps[ref[1]][ref[2]])
            elif ref[0] == "v":
                left = placement.gap_x[ref[1]]
                lo, hi = min(lo, left), max(hi, left + corridors.column_gaps[ref[1]])
    return lo, hi
