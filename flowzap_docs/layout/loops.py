"""Phase 7: loop frames, dashed boxes round their nodes captioned ``loop [condition]``.

The caption sits inside the frame's top edge, above the topmost member, so the row gap above
that node must be tall enough (:func:`caption_room`); the driver reserves it before placing.
"""

from __future__ import annotations

from ..model import Loop
from .geometry import LoopFrame, Rect, TextBlock
from .obstacles import Box
from .sizing import CAPTION_FONT, moved, text_block

FRAME_MARGIN = 10.0
CAPTION_PAD = 4.0
#: Row gap under a loop's lowest row: room for a connector running back underneath, its
#: label and the frame's bottom edge, all inside the lane.
LOOP_BOTTOM_ROOM = 56.0


def caption_block(loop: Loop) -> TextBlock:
    return text_block(f"loop [{loop.condition}]", 220.0, CAPTION_FONT, max_lines=2, role="caption")


def caption_room(loop: Loop) -> float:
    """Height the gap above the loop's top row needs for the frame edge and caption."""
    return FRAME_MARGIN + caption_block(loop).height + 2 * CAPTION_PAD + 10.0


def frame_loops(loops: list[tuple[int, Loop, list[Box]]], routes: list[list[tuple[float, float]]]) -> list[LoopFrame]:
    """One frame per loop with at least one placed node (``boxes``: what it must enclose).

    The caption goes at the left of the top edge, or at the right when a connector would run
    through it there."""
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
        box = Rect(round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2))
        cy = y0 + CAPTION_PAD + caption.height / 2
        left = x0 + CAPTION_PAD + caption.width / 2
        right = x1 - CAPTION_PAD - caption.width / 2
        cx = left
        if _crossed((left - caption.width / 2, cy - caption.height / 2, left + caption.width / 2,
                     cy + caption.height / 2), routes):
            if not _crossed((right - caption.width / 2, cy - caption.height / 2, right + caption.width / 2,
                             cy + caption.height / 2), routes):
                cx = right
        block = moved(caption, cx, cy)
        frames.append(LoopFrame(index, box, block, tuple(loop.nodes)))
    return frames


def _crossed(box: Box, routes: list[list[tuple[float, float]]]) -> bool:
    for points in routes:
        for a, b in zip(points, points[1:], strict=False):
            if (min(a[0], b[0]) <= box[2] and max(a[0], b[0]) >= box[0]
                    and min(a[1], b[1]) <= box[3] and max(a[1], b[1]) >= box[1]):
                return True
    return False
