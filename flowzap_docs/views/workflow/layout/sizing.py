"""How big each node is: wrap its texts, then grow the shape round them.

Sizes come first because every later phase (rows, gaps, routes) needs them.  Text blocks are
positioned relative to the node box's top-left corner here and moved into place later.

A circle's label goes inside when it fits in two lines, else beneath the circle (or above it
when the circle has edges on its bottom side); the *footprint* (circle plus outside label) is
what the rows and obstacle checks use, so the outside label never collides with anything.

Width is what a wide diagram runs out of first (a column is as wide as its widest node, a lane
title's width is paid by every lane), so box labels and lane titles wrap to balanced lines as
narrow as still reads well, and once columns are known a box label takes back the width its
column has anyway (:func:`fill_columns`), for fewer lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from ....layout.geometry import TextBlock
from ....model import Node
from ....text.bidi import is_rtl
from ....text.metrics import text_width
from ....text.wrap import Wrapped, needs_more_lines, two_lines, widest_unit, wrap_balanced
from .ports import CIRCLE_SIDE_SHARE, POINT_SPREAD

NODE_FONT = 13.0
ITEM_FONT = 12.0
FIELD_FONT = 11.0
LANE_FONT = 14.0
EDGE_FONT = 11.0
CAPTION_FONT = 11.0
LINE_HEIGHT = 1.3
#: Distance between neighbouring handles on one side; a side grows to keep it.
HANDLE_SPACING = 14.0

#: A box label's lines are at most this wide.
RECT_TEXT_WIDTH = 150.0
#: Least a second line must save on a box's width to be worth it.
WRAP_SAVING = 16.0
RECT_MIN = (100.0, 44.0)
#: Room between a box's label and its left and right sides.
RECT_PAD_X = 12.0
DIAMOND_TEXT_WIDTH = 110.0
DIAMOND_RATIO = 1.6
TASKBOX_WIDTH = 190.0
CIRCLE_MIN = 44.0
CIRCLE_INSIDE_WIDTH = 60.0
#: Largest circle that still holds its label; longer labels go beneath a small circle.
CIRCLE_MAX_INSIDE = 68.0
CIRCLE_OUTSIDE_WIDTH = 130.0
EDGE_TEXT_WIDTH = 130.0
#: Lane titles wrap to this width, or to their longest word when that is wider (up to the max).
LANE_TEXT_WIDTH = 90.0
LANE_TEXT_MAX = 150.0


class NodeSize(NamedTuple):
    """A node's box size and where its footprint (box + outside label) extends.

    ``texts`` are ``(block, x, y)``: a block as wrapped (centred on (0, 0)) and where its centre
    goes relative to the box's top-left, rounded as :func:`moved` rounds.  The block is moved
    once, when the box's place is known (a text block is the costliest object of a layout).
    ``above``/``below`` are the extra footprint height over/under the box; ``footprint_width``
    is at least ``width``.
    """

    width: float
    height: float
    texts: tuple[tuple[WrappedText, float, float], ...]
    above: float = 0.0
    below: float = 0.0
    footprint_width: float = 0.0

    @property
    def footprint_height(self) -> float:
        return self.above + self.height + self.below


def _even(value: float) -> float:
    """Round a size up to an even number of px: centres then fall on whole or half pixels,
    so equal coordinates stay exactly equal however the layout later shifts them."""
    return float(math.ceil(value / 2) * 2)


class WrappedText(NamedTuple):
    """A text wrapped and measured but not placed yet: a :class:`TextBlock` without its centre
    (:func:`moved` gives it one).  A named tuple, not a block: the layout wraps every text (a
    circle's label several ways) but places only the wrappings it keeps, and tuples are far
    cheaper to make than frozen dataclasses."""

    lines: tuple[str, ...]
    width: float
    height: float
    line_height: float
    font_size: float
    bold: bool
    rtl: bool
    role: str


def text_block(text: str, max_width: float, font_size: float, *, bold: bool = False, max_lines: int = 6,
               role: str = "") -> WrappedText:
    """Wrap ``text``; place the result with :func:`moved`."""
    return _measured(wrap_balanced(text, max_width, font_size, bold=bold, max_lines=max_lines), text, font_size,
                     bold, role)


def _measured(wrapped: Wrapped, text: str, font_size: float, bold: bool, role: str) -> WrappedText:
    """A :class:`WrappedText` of ``text`` wrapped as ``wrapped``."""
    line_height = round(font_size * LINE_HEIGHT, 2)
    # A few px of slack for kerning and hinting differences between fonts.
    width = math.ceil(wrapped.width + 2) if wrapped.width else 0.0
    height = line_height * len(wrapped.lines) if any(wrapped.lines) else 0.0
    return WrappedText(wrapped.lines, float(width), height, line_height, font_size, bold, is_rtl(text[:4096]), role)


def moved(block: WrappedText | TextBlock, x: float, y: float) -> TextBlock:
    """The block with its centre at (x, y)."""
    return TextBlock(block.lines, round(x, 2), round(y, 2), block.width, block.height, block.line_height,
                     block.font_size, block.bold, block.rtl, block.role)


def _at(block: WrappedText, x: float, y: float) -> tuple[WrappedText, float, float]:
    """``block`` to be centred at (x, y) of the node box (see :attr:`NodeSize.texts`)."""
    return block, round(x, 2), round(y, 2)


def box_label(text: str) -> WrappedText:
    """A box's label: balanced lines up to :data:`RECT_TEXT_WIDTH`, and a label that fits one
    such line goes on two balanced lines instead when that makes the box at least
    :data:`WRAP_SAVING` narrower, breaking only between words.

    A column is as wide as its widest box, so px saved here are saved across the drawing; an
    extra line that saves a few px is not worth it.  A label on two lines or more is already
    balanced, as narrow as its number of lines allows."""
    wide = text_block(text, RECT_TEXT_WIDTH, NODE_FONT, role="label")
    if len(wide.lines) != 1 or _box_width(wide) - WRAP_SAVING < RECT_MIN[0]:
        return wide
    if " " in text.strip():  # break at a space: the best of them, found in one pass
        two = two_lines(text, NODE_FONT)
        narrow = _measured(two, text, NODE_FONT, False, "label") if two else wide
    else:  # CJK text breaks between characters; one Latin word is never cut
        limit = wide.width - 3  # under the line's own width (text_block adds 2 px and rounds up)
        if widest_unit(text, RECT_TEXT_WIDTH, NODE_FONT) > limit:
            return wide
        narrow = text_block(text, limit, NODE_FONT, role="label")
    if len(narrow.lines) == 2 and _box_width(narrow) <= _box_width(wide) - WRAP_SAVING:
        return narrow
    return wide


def _box_width(label: WrappedText) -> float:
    """Width of a box round ``label``, before its handles ask for more."""
    return _even(max(RECT_MIN[0], label.width + 2 * RECT_PAD_X))


def _rectangle(node: Node, min_w: float, min_h: float, label: WrappedText | None = None) -> NodeSize:
    label = label or box_label(node.label)
    width = max(_box_width(label), _even(min_w))
    height = _even(max(RECT_MIN[1], label.height + 20, min_h))
    return NodeSize(width, height, (_at(label, width / 2, height / 2),), footprint_width=width)


def _diamond(node: Node, min_w: float, min_h: float) -> NodeSize:
    label = text_block(node.label, DIAMOND_TEXT_WIDTH, NODE_FONT, role="label")
    # The text block must fit the inscribed area: tw/w + th/h <= 1 with w = ratio * h.
    height = max(56.0, label.width / DIAMOND_RATIO + label.height + 14)
    width = _even(max(height * DIAMOND_RATIO, min_w))
    height = _even(max(height, min_h))
    return NodeSize(width, height, (_at(label, width / 2, height / 2),), footprint_width=width)


def _circle(node: Node, min_w: float, min_h: float, label_side: str) -> NodeSize:
    label = node.label
    if label_side == "inside":  # edges above and below: the label has nowhere else to go
        inside = text_block(label, CIRCLE_OUTSIDE_WIDTH * 0.8, NODE_FONT, max_lines=4, role="label")
        return _holding(inside, math.hypot(inside.width, inside.height), min_w, min_h)
    # a circle grown for its many edge ends holds its label when the label fits in it
    grown = max(min_w, min_h)
    if grown > CIRCLE_MAX_INSIDE:
        wide = text_block(label, grown * 0.6, NODE_FONT, max_lines=3, role="label")
        if math.hypot(wide.width, wide.height) + 10 <= grown:
            return _holding(wide, math.hypot(wide.width, wide.height), min_w, min_h)
    # a small circle holds a label of up to two lines (a label far too long is not even wrapped)
    if not needs_more_lines(label, CIRCLE_INSIDE_WIDTH, NODE_FONT, 2, max_lines=3):
        inside = text_block(label, CIRCLE_INSIDE_WIDTH, NODE_FONT, max_lines=3, role="label")
        diagonal = math.hypot(inside.width, inside.height)
        if len(inside.lines) == 1 and inside.width > 36 and " " in label.strip():
            # two short lines make a smaller circle (breaking at a space, never inside a word)
            narrow = text_block(label, inside.width * 0.6, NODE_FONT, max_lines=3, role="label")
            whole_words = "".join(narrow.lines) == "".join(label.split())
            if len(narrow.lines) == 2 and whole_words and math.hypot(narrow.width, narrow.height) < diagonal - 4:
                inside, diagonal = narrow, math.hypot(narrow.width, narrow.height)
        if len(inside.lines) <= 2 and diagonal + 10 <= CIRCLE_MAX_INSIDE:
            return _holding(inside, diagonal, min_w, min_h)
    size = _even(max(40.0, min_w, min_h))
    outside = text_block(label, CIRCLE_OUTSIDE_WIDTH, NODE_FONT, max_lines=4, role="label")
    extra = float(math.ceil(outside.height + 6))
    footprint = _even(max(size, outside.width))
    if label_side == "above":
        block = _at(outside, size / 2, -extra + outside.height / 2)
        return NodeSize(size, size, (block,), above=extra, footprint_width=footprint)
    block = _at(outside, size / 2, size + 6 + outside.height / 2)
    return NodeSize(size, size, (block,), below=extra, footprint_width=footprint)


def _holding(label: WrappedText, diagonal: float, min_w: float, min_h: float) -> NodeSize:
    """A circle with its label inside (``diagonal``: the label block's)."""
    size = _even(max(CIRCLE_MIN, diagonal + 10, min_w, min_h))
    return NodeSize(size, size, (_at(label, size / 2, size / 2),), footprint_width=size)


def _taskbox(node: Node, min_w: float, min_h: float) -> NodeSize:
    width = _even(max(TASKBOX_WIDTH, min_w))
    inner = width - 24
    blocks: list[WrappedText] = [text_block(node.title, inner, NODE_FONT, bold=True, max_lines=3, role="title")]
    for item in node.sub_items[:12]:
        blocks.append(text_block("\u2022 " + item, inner, ITEM_FONT, max_lines=2, role="item"))
    description = node.description if node.label else None  # without a label it is the title
    for role, value in (("owner", node.owner), ("system", node.system), ("description", description)):
        if value:
            blocks.append(text_block(value, inner, FIELD_FONT, max_lines=3, role=role))
    gap = 4.0
    total = sum(block.height for block in blocks) + gap * (len(blocks) - 1)
    height = _even(max(56.0, total + 22, min_h))
    y = (height - total) / 2
    placed: list[tuple[WrappedText, float, float]] = []
    for block in blocks:
        placed.append(_at(block, width / 2, y + block.height / 2))
        y += block.height + gap
    return NodeSize(width, height, tuple(placed), footprint_width=width)


def lane_title(text: str) -> WrappedText:
    """A lane title in the header column: wrapped narrow (the header's width is paid on every
    lane's row), but never so narrow that a word breaks, unless it is longer than the max."""
    block = text_block(text, LANE_TEXT_WIDTH, LANE_FONT, bold=True, role="lane")
    if len(block.lines) == 1 or " ".join(block.lines).split() == text.split():
        return block  # broken at spaces only (the usual case, known without measuring words)
    width = min(max(LANE_TEXT_WIDTH, widest_unit(text, LANE_TEXT_MAX, LANE_FONT, bold=True)), LANE_TEXT_MAX)
    return text_block(text, width, LANE_FONT, bold=True, role="lane")


def circle_diameter_for(ends: int) -> float:
    """Least diameter that keeps ``ends`` handles on one side of a circle
    :data:`~.ports.POINT_SPREAD` apart: they spread over :data:`~.ports.CIRCLE_SIDE_SHARE` of
    the diameter (0 when the smallest circle already has room)."""
    spread = POINT_SPREAD * (ends - 1)
    if spread <= 24.0:  # ports spread at least this far on any circle
        return 0.0
    return _even(spread / CIRCLE_SIDE_SHARE)


def _minimum(side_counts: dict[str, int]) -> tuple[float, float]:
    """Least width and height of a box whose sides carry these edge ends (handles keep
    :data:`HANDLE_SPACING` apart)."""
    along_h = (max(side_counts.get("top", 0), side_counts.get("bottom", 0)) + 1) * HANDLE_SPACING
    along_v = (max(side_counts.get("left", 0), side_counts.get("right", 0)) + 1) * HANDLE_SPACING
    return along_h, along_v


def size_node(node: Node, side_counts: dict[str, int]) -> NodeSize:
    """Size one node; ``side_counts`` is how many edge ends each side carries (sides grow
    so that handles keep :data:`HANDLE_SPACING` apart)."""
    along_h, along_v = _minimum(side_counts)
    if node.shape == "circle":
        label_side = "above" if side_counts.get("bottom", 0) else "below"
        if side_counts.get("bottom", 0) and side_counts.get("top", 0):
            label_side = "inside"
        crowded = max(side_counts.values(), default=0)
        size = circle_diameter_for(crowded)
        return _circle(node, size, size, label_side)
    if node.shape == "diamond":
        return _diamond(node, 0.0, 0.0)
    if node.shape == "taskbox":
        return _taskbox(node, along_h, along_v)
    return _rectangle(node, along_h, along_v)


def fill_columns(nodes: Sequence[Node], sizes: list[NodeSize], column: list[int],
                 side_counts: list[dict[str, int]]) -> list[NodeSize]:
    """Sizes with each wrapped box label using the width its column has anyway.

    A column is as wide as its widest node; a box narrower than that may take fewer, longer
    lines up to the column's width (a shorter box, never a wider column).  Returns a new
    list; ``sizes`` is left as it was."""
    widths: dict[int, float] = {}
    for c, size in zip(column, sizes, strict=True):
        widths[c] = max(widths.get(c, 0.0), size.footprint_width)
    result = list(sizes)
    for i, node in enumerate(nodes):
        size = sizes[i]
        if node.shape in ("circle", "diamond", "taskbox") or len(size.texts[0][0].lines) < 2:
            continue
        room = widths[column[i]] - 2 * RECT_PAD_X - 2  # text_block adds 2 px of slack
        lines = size.texts[0][0].lines
        if room <= size.texts[0][0].width or (len(lines) == 2 and text_width(" ".join(lines), NODE_FONT) > room):
            continue  # (two lines would become one only if one line fits: measured without wrapping)
        label = text_block(node.label, room, NODE_FONT, role="label")
        if len(label.lines) < len(size.texts[0][0].lines):
            result[i] = _rectangle(node, *_minimum(side_counts[i]), label=label)
    return result
