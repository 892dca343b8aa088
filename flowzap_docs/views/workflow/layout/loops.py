"""Phase 7: loop frames, dashed boxes round their nodes captioned ``loop [condition]``.

The caption sits inside the frame's top edge, above the topmost member, so the row gap above
that node must be tall enough (:func:`caption_room`); the driver reserves it before placing.
Where a connector, node or edge label would cover it there, it moves along the edge, to the
bottom edge, or the frame grows round a free spot (:func:`frame_loops`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ....layout.geometry import Rect
from ....model import Loop
from ..geometry import LoopFrame
from .obstacles import Box
from .sizing import CAPTION_FONT, WrappedText, moved, text_block

FRAME_MARGIN = 10.0
CAPTION_PAD = 4.0
#: Row gap under a loop's lowest row: room for a connector running back underneath, its
#: label and the frame's bottom edge, all inside the lane.
LOOP_BOTTOM_ROOM = 56.0
#: Caption spots tried along one edge of the frame (both ends and the points between).
CAPTION_STEPS = 8
#: Space kept free round the caption text, so a line passing by does not touch it.
CAPTION_CLEARANCE = 2.0
#: How far the frame may widen past the caption's own width to find it a free spot, in steps.
CAPTION_GROW_LIMIT = 120.0
CAPTION_GROW_STEP = 8.0


def caption_block(loop: Loop) -> WrappedText:
    return text_block(f"loop [{loop.condition}]", 220.0, CAPTION_FONT, max_lines=2, role="caption")


def caption_room(loop: Loop) -> float:
    """Height the gap above the loop's top row needs for the frame edge and caption."""
    return FRAME_MARGIN + caption_block(loop).height + 2 * CAPTION_PAD + 10.0


def frame_loops(loops: list[tuple[int, Loop, list[Box]]], routes: list[list[tuple[float, float]]],
                blockers: Sequence[Box] = ()) -> list[LoopFrame]:
    """One frame per loop with at least one placed node (``boxes``: what it must enclose).

    The caption must stay legible: no connector segment may run through it and no node or
    edge label (``blockers``) may cover it.  It goes inside the top edge, trying the left end,
    the right end and then points between; then inside the bottom edge the same way; then the
    frame grows to make a free band for it (below, above, then wider to the left or right).
    If nothing is free the caption keeps the top-left spot, and ``metrics.hard_defects``
    reports it."""
    frames: list[LoopFrame] = []
    for index, loop, boxes in loops:
        if not boxes:
            continue
        caption = caption_block(loop)
        x0 = min(b[0] for b in boxes) - FRAME_MARGIN
        y0 = min(b[1] for b in boxes) - FRAME_MARGIN - caption.height - 2 * CAPTION_PAD
        x1 = max(b[2] for b in boxes) + FRAME_MARGIN
        y1 = max(b[3] for b in boxes) + FRAME_MARGIN
        x1 = max(x1, x0 + caption.width + 2 * CAPTION_PAD)
        frame, (cx, cy) = _place_caption((x0, y0, x1, y1), caption.width, caption.height, routes, blockers)
        fx0, fy0, fx1, fy1 = frame
        box = Rect(round(fx0, 2), round(fy0, 2), round(fx1 - fx0, 2), round(fy1 - fy0, 2))
        frames.append(LoopFrame(index, box, moved(caption, cx, cy), tuple(loop.nodes)))
    return frames


def _positions(low: float, high: float) -> list[float]:
    """Caption centres along an edge: both ends first, then evenly between (left to right)."""
    if high - low < 1.0:
        return [low]
    between = [low + (high - low) * k / CAPTION_STEPS for k in range(1, CAPTION_STEPS)]
    return [low, high, *between]


def _candidates(frame: Box, width: float, height: float) -> Iterator[tuple[Box, tuple[float, float]]]:
    """(frame, caption centre) pairs in order of preference."""
    x0, y0, x1, y1 = frame
    band = height + 2 * CAPTION_PAD
    xs = _positions(x0 + CAPTION_PAD + width / 2, x1 - CAPTION_PAD - width / 2)
    top, bottom = y0 + CAPTION_PAD + height / 2, y1 - CAPTION_PAD - height / 2
    for cy in (top, bottom):
        for cx in xs:
            yield frame, (cx, cy)
    grown_down = (x0, y0, x1, y1 + band)
    for cx in xs:
        yield grown_down, (cx, y1 + CAPTION_PAD + height / 2)
    grown_up = (x0, y0 - band, x1, y1)
    for cx in xs:
        yield grown_up, (cx, y0 - band + CAPTION_PAD + height / 2)
    shift = CAPTION_GROW_STEP
    while shift <= width + 2 * CAPTION_PAD + CAPTION_GROW_LIMIT:
        cx = x0 + CAPTION_PAD + width / 2 - shift
        yield (cx - width / 2 - CAPTION_PAD, y0, x1, y1), (cx, top)
        cx = x1 - CAPTION_PAD - width / 2 + shift
        yield (x0, y0, cx + width / 2 + CAPTION_PAD, y1), (cx, top)
        shift += CAPTION_GROW_STEP


def _place_caption(frame: Box, width: float, height: float, routes: list[list[tuple[float, float]]],
                   blockers: Sequence[Box]) -> tuple[Box, tuple[float, float]]:
    # Only what lies near the frame can matter: filter once, then test each candidate.
    reach = width + height + 2 * CAPTION_PAD + CAPTION_GROW_LIMIT
    area = (frame[0] - reach, frame[1] - reach, frame[2] + reach, frame[3] + reach)
    segments = [(a, b) for points in routes for a, b in zip(points, points[1:], strict=False)
                if _touches(_segment_box(a, b), area)]
    near = [b for b in blockers if _touches(b, area)]
    for candidate, (cx, cy) in _candidates(frame, width, height):
        rect = (cx - width / 2 - CAPTION_CLEARANCE, cy - height / 2 - CAPTION_CLEARANCE,
                cx + width / 2 + CAPTION_CLEARANCE, cy + height / 2 + CAPTION_CLEARANCE)
        if any(_touches(_segment_box(a, b), rect) for a, b in segments):
            continue
        if any(_touches(b, rect) for b in near):
            continue
        return candidate, (cx, cy)
    x0, y0 = frame[0], frame[1]
    return frame, (x0 + CAPTION_PAD + width / 2, y0 + CAPTION_PAD + height / 2)


def _segment_box(a: tuple[float, float], b: tuple[float, float]) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def _touches(box: Box, other: Box) -> bool:
    return box[0] <= other[2] and box[2] >= other[0] and box[1] <= other[3] and box[3] >= other[1]
