"""Parallel segments in one corridor get their own tracks (Sander's slot assignment, simplified).

Each corridor reference of a route is a segment running along that corridor.  Segments whose
extents overlap need different tracks; interval colouring gives the fewest tracks.  Extents are
measured on the first placement with every end that sits on another corridor stretched over
that whole corridor, so the result stays valid after gaps grow and tracks move.

Order matters as much as count: two overlapping segments cross when one turns across the
other's track inside its extent.  Each pair's crossings are counted for both orders (the
dependency idea of ELK's orthogonal router), segments are sorted by their net preference, and
tracks are then handed out in that order so every segment sits beyond those it overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass

from .routing import Corridors, Route, raw_points

TRACK_SPACING = 12.0
BUCKET = 160.0


@dataclass
class _Segment:
    """One corridor reference of a route, as track assignment sees it."""

    lo: float  # extent along the corridor, stretched over neighbouring corridors
    hi: float
    ends: tuple[tuple[float, int], tuple[float, int]]  # (position along corridor, turn: -1 low side, +1 high)
    route: int
    ref: int


def assign_tracks(routes: list[Route], ports: list, boxes: list, corridors: Corridors) -> dict[tuple, int]:
    """Fill ``route.tracks`` for every route; return the track count per corridor key."""
    segments: dict[tuple, list[_Segment]] = {}
    for r, route in enumerate(routes):
        route.tracks = [0] * len(route.refs)
        if not route.refs:
            continue
        raw = raw_points(route, ports, boxes, corridors, use_tracks=False)
        for i, ref in enumerate(route.refs):
            if ref[0] == "p":
                continue
            a, b, before, after = raw[i + 1], raw[i + 2], raw[i], raw[i + 3]
            if ref[0] == "v":  # runs along y; turns left (-1) or right (+1) at its ends
                key: tuple = ("v", ref[1])
                along, across = 1, 0
            else:
                key = ("h", ref[1], ref[2])
                along, across = 0, 1
            lo, hi = sorted((a[along], b[along]))
            lo, hi = _stretch(route.refs, i, lo, hi, corridors)
            ends = ((a[along], _sign(before[across] - a[across])), (b[along], _sign(after[across] - b[across])))
            segments.setdefault(key, []).append(_Segment(lo, hi, ends, r, i))
    counts: dict[tuple, int] = {}
    for key, items in segments.items():
        order = _order(items)
        # each segment goes one track beyond every earlier segment it overlaps; earlier
        # segments are found through coarse buckets along the corridor (long corridors in
        # big diagrams hold many segments, few of which overlap any one)
        buckets: dict[int, list[tuple[_Segment, int]]] = {}
        top = 0
        for segment in order:
            level = 0
            first, last = int(segment.lo // BUCKET), int(segment.hi // BUCKET)
            for b in range(first, last + 1):
                for other, other_level in buckets.get(b, ()):
                    if other_level >= level and _overlaps(segment, other):
                        level = other_level + 1
            for b in range(first, last + 1):
                buckets.setdefault(b, []).append((segment, level))
            routes[segment.route].tracks[segment.ref] = level
            top = max(top, level + 1)
        counts[key] = top
    return counts


def _sign(value: float) -> int:
    return (value > 0.01) - (value < -0.01)


def _overlaps(a: _Segment, b: _Segment) -> bool:
    return a.lo < b.hi - 0.5 and b.lo < a.hi - 0.5


def _cost(first: _Segment, second: _Segment) -> int:
    """Crossings between two segments of one corridor if ``first`` takes the lower track
    (left / top): an end of ``first`` turning to the high side inside ``second``'s extent
    crosses it, and so does an end of ``second`` turning to the low side inside ``first``'s."""
    cost = 0
    s_lo, s_hi = sorted((second.ends[0][0], second.ends[1][0]))
    f_lo, f_hi = sorted((first.ends[0][0], first.ends[1][0]))
    for position, turn in first.ends:
        if turn > 0 and s_lo < position < s_hi:
            cost += 1
    for position, turn in second.ends:
        if turn < 0 and f_lo < position < f_hi:
            cost += 1
    return cost


def _order(items: list[_Segment]) -> list[_Segment]:
    """Segments of one corridor from the low side to the high side, fewest crossings first:
    each segment scores how much it prefers to come before the segments it overlaps; sort by it
    (ties: position, then text order)."""
    items = sorted(items, key=lambda s: (s.lo, s.hi, s.route, s.ref))
    if len(items) < 2:
        return items
    score = [0] * len(items)
    by_start = items  # sorted by lo: overlap candidates are found by scanning forward
    for a in range(len(by_start)):
        first = by_start[a]
        for b in range(a + 1, len(by_start)):
            second = by_start[b]
            if second.lo >= first.hi - 0.5:
                break
            if not _overlaps(first, second):
                continue
            ahead, behind = _cost(first, second), _cost(second, first)
            score[a] += ahead - behind
            score[b] += behind - ahead
    ranked = sorted(range(len(items)), key=lambda k: (score[k], k))
    return [items[k] for k in ranked]


def _stretch(refs: list, i: int, lo: float, hi: float, corridors: Corridors) -> tuple[float, float]:
    """Widen a segment's extent over the whole corridor its ends sit on (the neighbouring refs),
    so that overlaps found now stay overlaps whatever track the neighbour gets later."""
    placement = corridors.placement
    for k in (i - 1, i + 1):
        if 0 <= k < len(refs):
            ref = refs[k]
            if ref[0] == "h":
                top = placement.gap_y[ref[1]][ref[2]]
                lo, hi = min(lo, top), max(hi, top + placement.row_gaps[ref[1]][ref[2]])
            elif ref[0] == "v":
                left = placement.gap_x[ref[1]]
                lo, hi = min(lo, left), max(hi, left + placement.column_gaps[ref[1]])
    return lo, hi
