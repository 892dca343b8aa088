"""Quality of a placed workflow: the hard defects (must be zero) and the polish numbers.

``hard_defects`` lists every broken rule of LAYOUT.md in words (an empty list is a clean
drawing); ``quality`` counts crossings, bends and connector length, which tests record per
diagram so that a regression shows.  Both read only the :class:`WorkflowLayout`, so the SVG
helper's browser tests can compare them with what Chromium measures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ....layout.geometry import Rect, TextBlock
from ..geometry import RoutedEdge, WorkflowLayout

EPS = 0.01


@dataclass(frozen=True)
class Quality:
    """What :func:`quality` measures of a layout (lower is better for each)."""

    crossings: int
    bends: int
    length: float
    area: float


def _segments(edge: RoutedEdge) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    pts = [(p.x, p.y) for p in edge.points]
    return list(zip(pts, pts[1:], strict=False))


def _interior_hit(a: tuple[float, float], b: tuple[float, float], box: Rect) -> bool:
    """Does the axis-parallel segment a-b enter the open interior of ``box``?"""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < box.right - EPS and x1 > box.x + EPS and y0 < box.bottom - EPS and y1 > box.y + EPS


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right - EPS and a.right > b.x + EPS and a.y < b.bottom - EPS and a.bottom > b.y + EPS


def _text_rect(text: TextBlock) -> Rect:
    return Rect(text.x - text.width / 2, text.y - text.height / 2, text.width, text.height)


def _inside(inner: Rect, outer: Rect, tolerance: float = 0.5) -> bool:
    return (inner.x >= outer.x - tolerance and inner.y >= outer.y - tolerance
            and inner.right <= outer.right + tolerance and inner.bottom <= outer.bottom + tolerance)


def _on_side(point: tuple[float, float], box: Rect, side: str) -> bool:
    x, y = point
    if side in ("left", "right"):
        edge_x = box.x if side == "left" else box.right
        return abs(x - edge_x) <= EPS and box.y - EPS <= y <= box.bottom + EPS
    edge_y = box.y if side == "top" else box.bottom
    return abs(y - edge_y) <= EPS and box.x - EPS <= x <= box.right + EPS


_OUT = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}


def _pairs_overlapping(rects: list[tuple[Rect, str]]) -> list[tuple[str, str]]:
    """Overlapping pairs by a sweep over x (n log n + overlaps), names in sweep order."""
    order = sorted(range(len(rects)), key=lambda i: (rects[i][0].x, i))
    active: list[int] = []
    found: list[tuple[str, str]] = []
    for i in order:
        rect = rects[i][0]
        active = [j for j in active if rects[j][0].right > rect.x + EPS]
        for j in active:
            if _overlap(rects[j][0], rect):
                found.append((rects[j][1], rects[i][1]))
        active.append(i)
    return found


def node_text_area(node_shape: str, box: Rect, text: TextBlock) -> bool:
    """Whether a node text lies where it belongs: inside the box (inside the inscribed area of a
    diamond), or, for a circle, inside or wholly beneath/above it."""
    rect = _text_rect(text)
    if node_shape == "diamond":
        if not rect.width and not rect.height:
            return True
        cx, cy = box.x + box.width / 2, box.y + box.height / 2
        return (abs(rect.x - cx) * 2 / box.width + abs(rect.y - cy) * 2 / box.height <= 1.0 + 0.02
                and abs(rect.right - cx) * 2 / box.width + abs(rect.bottom - cy) * 2 / box.height <= 1.02)
    if node_shape == "circle":
        if _inside(rect, box):  # inside: every corner of the text within the circle
            cx, cy, r = box.x + box.width / 2, box.y + box.height / 2, box.width / 2
            return all(math.hypot(x - cx, y - cy) <= r + 0.5
                       for x in (rect.x, rect.right) for y in (rect.y, rect.bottom))
        return rect.y >= box.bottom - EPS or rect.bottom <= box.y + EPS
    return _inside(rect, box)


def hard_defects(layout: WorkflowLayout) -> list[str]:
    """Every violation of the hard rules, as readable strings (empty when the layout is clean)."""
    problems: list[str] = []
    boxes = {node.node_id: node.box for node in layout.nodes}
    lanes = {lane.lane_id: lane for lane in layout.lanes}
    obstacles: list[tuple[Rect, str]] = []
    for node in layout.nodes:
        obstacles.append((node.box, node.node_id))
        if node.shape == "circle":
            for text in node.texts:
                rect = _text_rect(text)
                if not _inside(rect, node.box) and rect.width:
                    obstacles.append((rect, node.node_id + ":label"))
    for a, b in _pairs_overlapping(obstacles):
        if a.split(":")[0] != b.split(":")[0]:
            problems.append(f"nodes overlap: {a} and {b}")
    for node in layout.nodes:
        lane = lanes.get(node.lane_id)
        if lane is None or not _inside(node.box, lane.box, 0.0) or node.box.x < lane.header.right:
            problems.append(f"node {node.node_id} outside its lane {node.lane_id}")
        for text in node.texts:
            if not node_text_area(node.shape, node.box, text):
                problems.append(f"text of {node.node_id} outside its shape")
            if lane is not None and not _inside(_text_rect(text), lane.box):
                problems.append(f"text of {node.node_id} outside its lane")
    # connectors: index obstacles by coarse x buckets
    bucket = 200.0
    index: dict[int, list[tuple[Rect, str]]] = {}
    for rect, name in obstacles:
        for k in range(int(rect.x // bucket), int(rect.right // bucket) + 1):
            index.setdefault(k, []).append((rect, name))
    labels: list[tuple[Rect, str]] = []
    for edge in layout.edges:
        pts = [(p.x, p.y) for p in edge.points]
        if len(pts) < 2 or not all(math.isfinite(v) for p in pts for v in p):
            problems.append(f"edge {edge.edge_id} has no drawable route")
            continue
        for a, b in zip(pts, pts[1:], strict=False):
            if abs(a[0] - b[0]) > EPS and abs(a[1] - b[1]) > EPS:
                problems.append(f"edge {edge.edge_id} has a diagonal segment")
            seen: set[str] = set()
            for k in range(int(min(a[0], b[0]) // bucket), int(max(a[0], b[0]) // bucket) + 1):
                for rect, name in index.get(k, ()):
                    if name not in seen and _interior_hit(a, b, rect):
                        seen.add(name)
                        problems.append(f"edge {edge.edge_id} passes through {name}")
        source, target = boxes.get(edge.source), boxes.get(edge.target)
        if source is None or target is None:
            problems.append(f"edge {edge.edge_id} names a missing node")
            continue
        if not _on_side(pts[0], source, edge.source_side):
            problems.append(f"edge {edge.edge_id} does not start on {edge.source}.{edge.source_side}")
        if not _on_side(pts[-1], target, edge.target_side):
            problems.append(f"edge {edge.edge_id} does not end on {edge.target}.{edge.target_side}")
        dx, dy = _OUT[edge.source_side]
        (x0, y0), (x1, y1) = pts[0], pts[1]
        if not ((x1 - x0) * dx > EPS and abs(y1 - y0) <= EPS if dx else (y1 - y0) * dy > EPS and abs(x1 - x0) <= EPS):
            problems.append(f"edge {edge.edge_id} does not leave {edge.source} outwards from its {edge.source_side}")
        dx, dy = _OUT[edge.target_side]
        (xa, ya), (xb, yb) = pts[-2], pts[-1]
        if not ((xa - xb) * dx > EPS and abs(ya - yb) <= EPS if dx else (ya - yb) * dy > EPS and abs(xa - xb) <= EPS):
            problems.append(f"edge {edge.edge_id} does not enter {edge.target} through its {edge.target_side}")
        if edge.label_box is not None:
            labels.append((edge.label_box, "label " + edge.edge_id))
        elif edge.label is not None:
            problems.append(f"edge {edge.edge_id} label has no box")
    for label_box, name in labels:
        for k in range(int(label_box.x // bucket), int(label_box.right // bucket) + 1):
            for rect, node_name in index.get(k, ()):
                if _overlap(label_box, rect):
                    problems.append(f"{name} overlaps node {node_name}")
    for a, b in _pairs_overlapping(labels):
        problems.append(f"{a} overlaps {b}")
    problems.extend(caption_defects(layout))
    return sorted(set(problems))


def caption_defects(layout: WorkflowLayout) -> list[str]:
    """Loop captions something is drawn across: a connector segment through the caption text
    (the line strikes it out), or a node or an edge label on top of it."""
    problems: list[str] = []
    for frame in layout.loops:
        if not frame.caption.width:
            continue
        caption = _text_rect(frame.caption)
        for edge in layout.edges:
            pts = [(p.x, p.y) for p in edge.points]
            if any(_interior_hit(a, b, caption) for a, b in zip(pts, pts[1:], strict=False)):
                problems.append(f"connector through a loop caption: edge {edge.edge_id} crosses loop {frame.index}")
            if edge.label_box is not None and _overlap(edge.label_box, caption):
                problems.append(f"label {edge.edge_id} overlaps the caption of loop {frame.index}")
        for node in layout.nodes:
            if _overlap(node.box, caption) or any(
                    _overlap(_text_rect(text), caption) for text in node.texts if text.width):
                problems.append(f"node {node.node_id} overlaps the caption of loop {frame.index}")
    return problems


def count_crossings(routes: list[list[tuple[float, float]]]) -> int:
    """Proper crossings between horizontal and vertical segments of different routes.

    Vertical segments are bucketed on a coarse 2-D grid, so a horizontal segment only meets
    the vertical ones near it: linear in practice, however many lanes the picture has.  When
    there are few pairs to test at all (a typical diagram: the layout counts three times), every
    pair is tested directly instead; a pair crossing at (x, y) shares exactly one bucket, so both
    ways count the same.
    """
    horizontal: list[tuple[float, float, float, int]] = []
    vertical: list[tuple[float, float, float, int]] = []
    for k, points in enumerate(routes):
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            if abs(ay - by) <= EPS:
                horizontal.append((ay, min(ax, bx), max(ax, bx), k))
            else:
                vertical.append((ax, min(ay, by), max(ay, by), k))
    if len(horizontal) * len(vertical) <= _DIRECT_PAIRS:
        inside = [(x, vy0 + EPS, vy1 - EPS, m) for x, vy0, vy1, m in vertical]  # open spans
        crossings = 0
        for y, hx0, hx1, k in horizontal:
            low, high = hx0 + EPS, hx1 - EPS
            for x, above, below, m in inside:
                if low < x < high and above < y < below and m != k:
                    crossings += 1
        return crossings
    cell = 256.0
    buckets: dict[tuple[int, int], list[tuple[float, float, float, int]]] = {}
    for segment in vertical:
        x, y0, y1, _k = segment
        column = int(x // cell)
        for row in range(int(y0 // cell), int(y1 // cell) + 1):
            buckets.setdefault((column, row), []).append(segment)
    crossings = 0
    for y, hx0, hx1, k in horizontal:
        row = int(y // cell)
        for column in range(int(hx0 // cell), int(hx1 // cell) + 1):
            for x, vy0, vy1, m in buckets.get((column, row), ()):
                if m != k and hx0 + EPS < x < hx1 - EPS and vy0 + EPS < y < vy1 - EPS:
                    crossings += 1
    return crossings


#: Below this many (horizontal, vertical) segment pairs, :func:`count_crossings` tests them all.
_DIRECT_PAIRS = 1024


def quality(layout: WorkflowLayout) -> Quality:
    """Crossings between connectors, bends, total connector length and drawing area."""
    routes = [[(p.x, p.y) for p in edge.points] for edge in layout.edges]
    bends = sum(max(0, len(points) - 2) for points in routes)
    length = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for points in routes
                 for a, b in zip(points, points[1:], strict=False))
    return Quality(count_crossings(routes), bends, round(length, 1), round(layout.width * layout.height, 1))
