"""Phase 6: edge labels on a free stretch of their own connector.

A label is centred *on* its line (the drawing puts a background behind it, so the line stops
at the label instead of striking through it).  Candidates go along the longest segments first,
middle first; the first one that touches no node, no other label and, if possible, no other
connector wins.  When none is free of nodes and labels, the caller widens the gap the best
candidate sits in and lays out again (:func:`needed_room`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ....layout.geometry import Rect, TextBlock
from .obstacles import Box, SpatialHash
from .sizing import WrappedText, moved

LABEL_PAD_X = 4.0
LABEL_PAD_Y = 2.0
CLEARANCE = 3.0
#: Distance kept between a label and its connector's arrowhead tip.
ARROW_ROOM = 12.0


class LabelMiss(NamedTuple):
    """A label that found no free place: where its best candidate sits, and its size."""

    edge: int
    center: tuple[float, float]
    width: float
    height: float
    vertical: bool


def _candidates(points: list[tuple[float, float]], step: float, width: float) -> Iterator[tuple[float, float, bool]]:
    """Label centres to try, lazily (most labels take the first): the middle of each segment,
    longest segment first, then points stepping out from the middle by ``step`` px towards
    both ends; then, for vertical segments, the same spots just beside the line."""
    segments = []
    for k in range(len(points) - 1):
        a, b = points[k], points[k + 1]
        length = abs(b[0] - a[0]) + abs(b[1] - a[1])
        # horizontal stretches read best: they win against a vertical up to 1.5 times as long
        segments.append((-(length * 1.5 if a[1] == b[1] else length), k, a, b, length))
    segments.sort()
    beside: list[tuple[float, float, bool]] = []
    for _weight, _k, a, b, length in segments:
        vertical = a[0] == b[0]
        offsets = [0.0]
        distance = step
        while distance < length / 2 and len(offsets) < 24:
            offsets.extend((distance, -distance))
            distance += step
        for offset in offsets:
            f = 0.5 + (offset / length if length else 0.0)
            x, y = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
            yield (x, y, vertical)
            if vertical:
                beside.append((x + width / 2 + 2, y, True))
                beside.append((x - width / 2 - 2, y, True))
    yield from beside


def place_labels(
    labelled: list[tuple[int, WrappedText, list[tuple[float, float]]]],
    node_boxes: list[Box],
    all_routes: list[list[tuple[float, float]]],
    left_limit: float,
    force: bool = False,
    strict_lines: bool = False,
) -> tuple[dict[int, tuple[TextBlock, Rect]], list[LabelMiss]]:
    """Place each ``(edge index, block, points)``; return placements and misses.

    With ``force`` a label that found no free spot still goes on its first candidate (the
    last resort after the gaps have grown; the hard-rule check then reports it).  With
    ``strict_lines`` a label that could only be placed over another connector counts as a
    miss too (so the first round can make room for it)."""
    nodes = SpatialHash()
    for i, box in enumerate(node_boxes):
        nodes.insert(box, i)
    lines = LineIndex(all_routes)
    placed = SpatialHash()
    result: dict[int, tuple[TextBlock, Rect]] = {}
    misses: list[LabelMiss] = []
    # Short connectors have the fewest places for a label: they choose first.
    order = sorted(labelled, key=lambda item: (sum(abs(a[0] - b[0]) + abs(a[1] - b[1])
                                                   for a, b in zip(item[2], item[2][1:], strict=False)), item[0]))
    for edge, block, points in order:
        width = block.width + 2 * LABEL_PAD_X
        height = block.height + 2 * LABEL_PAD_Y
        best: tuple[int, float, float] | None = None
        first: tuple[float, float, bool] | None = None
        head = points[-1]
        for cx, cy, vertical in _candidates(points, max(16.0, min(width, height * 3) / 2), width):
            if first is None:
                first = (cx, cy, vertical)
            box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            if box[0] < left_limit:
                continue
            if (box[0] - ARROW_ROOM < head[0] < box[2] + ARROW_ROOM
                    and box[1] - ARROW_ROOM < head[1] < box[3] + ARROW_ROOM):
                continue  # never hide the arrowhead
            probe = (box[0] - CLEARANCE, box[1] - CLEARANCE, box[2] + CLEARANCE, box[3] + CLEARANCE)
            if nodes.hits(probe) or placed.hits(probe):
                continue
            crossings = lines.count(box, edge)
            if best is None or crossings < best[0]:
                best = (crossings, cx, cy)
                if crossings == 0:
                    break
        if best is None:
            if first is None:
                continue
            misses.append(LabelMiss(edge, (first[0], first[1]), width, height, first[2]))
            if not force:
                continue
            best = (0, first[0], first[1])
        elif best[0] and strict_lines and first is not None:
            # placed, but another connector runs under it: ask for room (the label stays here
            # if the caller does not lay out again)
            misses.append(LabelMiss(edge, (best[1], best[2]), width, height, first[2]))
        _c, cx, cy = best
        rect = Rect(round(cx - width / 2, 2), round(cy - height / 2, 2), round(width, 2), round(height, 2))
        placed.insert((rect.x, rect.y, rect.right, rect.bottom), edge)
        result[edge] = (moved(block, cx, cy), rect)
    return result, misses


class LineIndex:
    """Connector segments on a coarse 2-D grid: a query meets only the segments near it, so
    placing every label stays linear however tall or wide the picture is.  Up to
    :attr:`SMALL` segments (a typical diagram) the grid costs more than it saves: each query
    then looks at them all."""

    CELL = 128.0
    SMALL = 48

    def __init__(self, routes: list[list[tuple[float, float]]]) -> None:
        self.segments: list[tuple[float, float, float, float, int]] = []
        for r, points in enumerate(routes):
            for a, b in zip(points, points[1:], strict=False):
                self.segments.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]), r))
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float, int]]] | None = None
        if len(self.segments) > self.SMALL:
            self.cells = {}
            c = self.CELL
            for segment in self.segments:
                x0, y0, x1, y1, _r = segment
                for i in range(int(x0 // c), int(x1 // c) + 1):
                    for j in range(int(y0 // c), int(y1 // c) + 1):
                        self.cells.setdefault((i, j), []).append(segment)

    def _near(self, box: Box) -> list[tuple[float, float, float, float, int]]:
        if self.cells is None:
            return self.segments
        c = self.CELL
        near: list[tuple[float, float, float, float, int]] = []
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                near.extend(self.cells.get((i, j), ()))
        return near

    def count(self, box: Box, skip: int) -> int:
        """How many segments of other routes pass through ``box``."""
        bx0, by0, bx1, by1 = box
        found: list[tuple[float, float, float, float, int]] = []
        for segment in self._near(box):
            x0, y0, x1, y1, r = segment
            if r != skip and x0 < bx1 and x1 > bx0 and y0 < by1 and y1 > by0 and segment not in found:
                found.append(segment)
        return len(found)
