"""Phase 6: edge labels on a free stretch of their own connector.

A label is centred *on* its line (the drawing puts a background behind it, so the line stops
at the label instead of striking through it).  Candidates go along the longest segments first,
middle first; the first one that touches no node, no other label and, if possible, no other
connector wins.  When none is free of nodes and labels, the caller widens the gap the best
candidate sits in and lays out again (:func:`needed_room`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import Rect, TextBlock
from .obstacles import Box, SpatialHash
from .sizing import moved

LABEL_PAD_X = 4.0
LABEL_PAD_Y = 2.0
CLEARANCE = 3.0
FRACTIONS = (0.5, 0.35, 0.65, 0.2, 0.8)


@dataclass(frozen=True)
class LabelMiss:
    """A label that found no free place: where its best candidate sits, and its size."""

    edge: int
    center: tuple[float, float]
    width: float
    height: float
    vertical: bool


def _candidates(points: list[tuple[float, float]]) -> list[tuple[float, float, bool]]:
    segments = []
    for k, (a, b) in enumerate(zip(points, points[1:], strict=False)):
        length = abs(b[0] - a[0]) + abs(b[1] - a[1])
        segments.append((-length, k, a, b))
    segments.sort()
    result: list[tuple[float, float, bool]] = []
    for _length, _k, a, b in segments:
        for f in FRACTIONS:
            result.append((a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[0] == b[0]))
    return result


def place_labels(
    labelled: list[tuple[int, TextBlock, list[tuple[float, float]]]],
    node_boxes: list[Box],
    all_routes: list[list[tuple[float, float]]],
    left_limit: float,
) -> tuple[dict[int, tuple[TextBlock, Rect]], list[LabelMiss]]:
    """Place each ``(edge index, block, points)``; return placements and misses."""
    nodes = SpatialHash()
    for i, box in enumerate(node_boxes):
        nodes.insert(box, i)
    lines = SpatialHash()
    for r, points in enumerate(all_routes):
        for a, b in zip(points, points[1:], strict=False):
            lines.insert((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])), r)
    placed = SpatialHash()
    result: dict[int, tuple[TextBlock, Rect]] = {}
    misses: list[LabelMiss] = []
    for edge, block, points in labelled:
        width = block.width + 2 * LABEL_PAD_X
        height = block.height + 2 * LABEL_PAD_Y
        best: tuple[int, float, float] | None = None
        first: tuple[float, float, bool] | None = None
        for cx, cy, vertical in _candidates(points):
            if first is None:
                first = (cx, cy, vertical)
            box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            if box[0] < left_limit:
                continue
            probe = (box[0] - CLEARANCE, box[1] - CLEARANCE, box[2] + CLEARANCE, box[3] + CLEARANCE)
            if any(_overlap(probe, other) for other, _ in nodes.query(probe)):
                continue
            if any(_overlap(probe, other) for other, _ in placed.query(probe)):
                continue
            crossings = sum(1 for other, r in lines.query(box) if r != edge and _overlap(box, other))
            if best is None or crossings < best[0]:
                best = (crossings, cx, cy)
                if crossings == 0:
                    break
        if best is None:
            if first is not None:
                misses.append(LabelMiss(edge, (first[0], first[1]), width, height, first[2]))
            continue
        _c, cx, cy = best
        rect = Rect(round(cx - width / 2, 2), round(cy - height / 2, 2), round(width, 2), round(height, 2))
        placed.insert((rect.x, rect.y, rect.right, rect.bottom), edge)
        result[edge] = (moved(block, cx, cy), rect)
    return result, misses


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]
