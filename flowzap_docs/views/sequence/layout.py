"""Where everything of the sequence view goes: participants, lifelines, messages, bars, notes.

The picture is a grid: one column per lane (its lifeline), one row per message or note, top to
bottom in source order.  Columns are spaced so that the widest text between two neighbours fits
(a message label, a self-message label, a note, the headers themselves); rows are as tall as
their wrapped text.  ``loop`` fragments take a caption band above their first row and a little
room below their last, so no text ever overlaps another.  Everything here is plain arithmetic on
the :class:`~.model.Conversation`: deterministic and fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...layout import textfit
from ...layout.geometry import Point, Rect, TextBlock
from ...model import Diagram
from .model import Conversation, Message, MessageKind, Note, read_conversation

MARGIN = 20.0
HEADER_FONT = 14.0
HEADER_WRAP = 150.0  # widest header text before it wraps
HEADER_MIN_WIDTH = 96.0
HEADER_PAD_X = 12.0
HEADER_PAD_Y = 9.0
HEADER_GAP = 28.0  # between neighbouring header boxes
TEXT_FONT = 13.0
TEXT_WRAP = 210.0  # widest message text before it wraps
TEXT_PAD = 14.0  # free room each side of a message label
NOTE_FONT = 12.0
NOTE_WRAP = 150.0
NOTE_PAD = 8.0
CAPTION_FONT = 12.0
CAPTION_WRAP = 260.0  # widest loop condition line before it wraps
BAR_HALF = 5.0  # activation bar half width
BAR_SHIFT = 6.0  # each nested bar moves this far right
SELF_WIDTH = 30.0  # how far a self-message loop reaches right of the lifeline
SELF_HEIGHT = 18.0
ROW_GAP = 14.0  # free room under each row
TEXT_GAP = 5.0  # between a message label and its arrow
FRAME_PAD = 12.0
FRAME_STEP = 8.0  # extra padding per nested fragment
REPEAT_HEADERS_AFTER = 8  # more messages than this: repeat the headers at the bottom


@dataclass(frozen=True)
class Participant:
    """A lane as a participant: header box (and its bottom copy for long diagrams) and lifeline."""

    lane_id: str
    x: float
    header: Rect
    title: TextBlock
    lifeline: tuple[Point, Point]
    footer: Rect | None = None
    footer_title: TextBlock | None = None


@dataclass(frozen=True)
class PlacedMessage:
    """An arrow between lifelines (or a self loop) with its label.  ``points`` run from the
    sender to the receiver; ``text_box`` is the label's free area (None without a label)."""

    row: int
    edge_id: str
    source: str
    target: str
    source_lane: str
    target_lane: str
    kind: MessageKind
    points: tuple[Point, ...]
    text: TextBlock | None
    text_box: Rect | None


@dataclass(frozen=True)
class PlacedActivation:
    lane_id: str
    box: Rect
    depth: int


@dataclass(frozen=True)
class PlacedNote:
    node_id: str
    lane_id: str
    box: Rect
    text: TextBlock


@dataclass(frozen=True)
class PlacedFragment:
    """A ``loop`` frame: the box, its pentagon tab with the keyword, and the condition text."""

    index: int
    box: Rect
    tab: Rect
    keyword: TextBlock
    condition: TextBlock | None
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class SequenceLayout:
    width: float
    height: float
    participants: tuple[Participant, ...]
    messages: tuple[PlacedMessage, ...]
    activations: tuple[PlacedActivation, ...]
    notes: tuple[PlacedNote, ...]
    fragments: tuple[PlacedFragment, ...]
    conversation: Conversation


def _header_block(name: str) -> TextBlock:
    return textfit.block(name, HEADER_WRAP, HEADER_FONT, bold=True)


def _space_columns(n: int, needs: list[tuple[int, int, float]]) -> list[float]:
    """Gaps between neighbouring columns so every ``(a, b, width)`` need fits: the distance from
    column a to column b (a < b) is at least ``width``.  Short spans are settled first, and a
    long span's shortfall is shared evenly by the gaps it crosses."""
    gaps = [0.0] * max(n - 1, 0)
    for a, b, width in sorted(needs, key=lambda t: (t[1] - t[0], t[0], t[1])):
        have = sum(gaps[a:b])
        if have < width:
            extra = (width - have) / (b - a)
            for k in range(a, b):
                gaps[k] += extra
    return gaps


def layout_sequence(diagram: Diagram, conversation: Conversation | None = None) -> SequenceLayout:
    """Place the sequence view of ``diagram`` (see the module docstring)."""
    conv = conversation or read_conversation(diagram)
    lanes = list(conv.lanes)
    col = {lane: k for k, lane in enumerate(lanes)}
    n = len(lanes)

    titles = [_header_block(diagram.lane(lane).display_name) for lane in lanes]
    header_w = [max(HEADER_MIN_WIDTH, t.width + 2 * HEADER_PAD_X) for t in titles]
    header_h = max((t.height for t in titles), default=HEADER_FONT) + 2 * HEADER_PAD_Y

    bars = conv.activations
    # Deepest bar of each lane at each row decides where arrows touch that lifeline.
    depth_at: dict[tuple[str, int], int] = {}
    for bar in bars:
        for r in range(bar.start, bar.end + 1):
            key = (bar.lane, r)
            depth_at[key] = max(depth_at.get(key, -1), bar.depth)

    def reach(lane: str, row: int) -> float:
        """How far right of the lifeline the lane's bars reach at ``row`` (0 without a bar)."""
        d = depth_at.get((lane, row))
        return 0.0 if d is None else d * BAR_SHIFT + BAR_HALF

    texts: dict[int, TextBlock] = {}
    needs: list[tuple[int, int, float]] = []
    for k in range(n - 1):
        needs.append((k, k + 1, (header_w[k] + header_w[k + 1]) / 2 + HEADER_GAP))
    right_need = [header_w[k] / 2 for k in range(n)]  # room right of the last column
    left_need = [header_w[k] / 2 for k in range(n)]
    for row in conv.rows:
        if isinstance(row, Note):
            tb = textfit.block(row.text or row.node.id, NOTE_WRAP, NOTE_FONT)
            texts[row.row] = tb
            half = tb.width / 2 + NOTE_PAD + 10
            k = col[row.node.lane]
            right_need[k] = max(right_need[k], half)
            left_need[k] = max(left_need[k], half)
            if k + 1 < n:
                needs.append((k, k + 1, half + 12))
            if k > 0:
                needs.append((k - 1, k, half + 12))
            continue
        tb = textfit.block(row.text, TEXT_WRAP, TEXT_FONT) if row.text else None
        if tb is not None:
            texts[row.row] = tb
        if row.kind == "self":
            k = col[row.source_lane]
            reach_self = reach(row.source_lane, row.row) + SELF_WIDTH + (tb.width + 8 if tb else 0) + 10
            right_need[k] = max(right_need[k], reach_self)
            if k + 1 < n:
                needs.append((k, k + 1, reach_self + BAR_HALF + 8))
            continue
        a, b = sorted((col[row.source_lane], col[row.target_lane]))
        ends = reach(lanes[a], row.row) + BAR_HALF * 2 + 12
        needs.append((a, b, (tb.width if tb else 0) + 2 * TEXT_PAD + ends))

    gaps = _space_columns(n, needs)
    xs: list[float] = []
    x = MARGIN + (left_need[0] if n else 0)
    for k in range(n):
        xs.append(x)
        if k < n - 1:
            x += gaps[k]
    xcol = dict(zip(lanes, xs, strict=False))

    # Horizontal extent of each row (fragments wrap these).
    extent: dict[int, tuple[float, float]] = {}
    for row in conv.rows:
        if isinstance(row, Note):
            xc, tb = xcol[row.node.lane], texts[row.row]
            extent[row.row] = (xc - tb.width / 2 - NOTE_PAD, xc + tb.width / 2 + NOTE_PAD)
        elif row.kind == "self":
            xc = xcol[row.source_lane]
            tb = texts.get(row.row)
            extent[row.row] = (xc - BAR_HALF, xc + reach(row.source_lane, row.row) + SELF_WIDTH
                               + (tb.width + 8 if tb else 0))
        else:
            x1, x2 = sorted((xcol[row.source_lane], xcol[row.target_lane]))
            extent[row.row] = (x1 - BAR_HALF, x2 + BAR_HALF + BAR_SHIFT)

    # Fragment frames: horizontal extent and caption (needs the frame width to wrap).
    frame_x: dict[int, tuple[float, float]] = {}
    captions: dict[int, tuple[TextBlock, TextBlock | None, float]] = {}
    # Innermost first, so an enclosing frame can keep clear of the frames inside it.
    for f in sorted(conv.fragments, key=lambda f: (-f.level, f.index)):
        lo = min(extent[r][0] for r in range(f.first, f.last + 1)) - FRAME_PAD
        hi = max(extent[r][1] for r in range(f.first, f.last + 1)) + FRAME_PAD
        for g in conv.fragments:
            if g.index in frame_x and g.level > f.level and f.first <= g.first and g.last <= f.last:
                lo = min(lo, frame_x[g.index][0] - FRAME_STEP)
                hi = max(hi, frame_x[g.index][1] + FRAME_STEP)
        keyword = textfit.block("loop", 100, CAPTION_FONT, bold=True)
        tab_w = keyword.width + 18
        cond_text = f"[{f.loop.condition}]" if f.loop.condition else ""
        # Wide enough for the condition on one line, up to a point (then it wraps).
        hi = max(hi, lo + tab_w + 16 + min(textfit.measure(cond_text, CAPTION_FONT), CAPTION_WRAP))
        cond = textfit.block(cond_text, max(hi - lo - tab_w - 16, 60), CAPTION_FONT) if cond_text else None
        frame_x[f.index] = (lo, hi)
        band = max(keyword.height + 8, (cond.height + 8) if cond else 0)
        captions[f.index] = (keyword, cond, band)

    # Shift right when a frame or a note pokes past the left margin.
    min_x = min([lo for lo, _ in frame_x.values()] + [lo for lo, _ in extent.values()] + [MARGIN], default=MARGIN)
    shift = MARGIN - min_x if min_x < MARGIN else 0.0
    if shift:
        xs = [v + shift for v in xs]
        xcol = dict(zip(lanes, xs, strict=False))
        extent = {r: (a + shift, b + shift) for r, (a, b) in extent.items()}
        frame_x = {i: (a + shift, b + shift) for i, (a, b) in frame_x.items()}

    # Vertical: rows top to bottom, with caption bands before fragments and room after them.
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for f in sorted(conv.fragments, key=lambda f: (f.level, f.index)):
        starts.setdefault(f.first, []).append(f.index)
        ends.setdefault(f.last, []).append(f.index)
    frame_top: dict[int, float] = {}
    frame_bottom: dict[int, float] = {}
    y = MARGIN + header_h + 18
    row_top: dict[int, float] = {}
    row_bottom: dict[int, float] = {}
    arrow_y: dict[int, float] = {}
    for row in conv.rows:
        for fi in starts.get(row.row, []):
            frame_top[fi] = y
            y += captions[fi][2] + 6
        row_top[row.row] = y
        tb = texts.get(row.row)
        th = tb.height if tb else 0.0
        if isinstance(row, Note):
            h = th + 2 * NOTE_PAD * 0.75
        elif row.kind == "self":
            h = max(SELF_HEIGHT + 6, th)
        else:
            h = th + TEXT_GAP + 2
            arrow_y[row.row] = y + h
        row_bottom[row.row] = y + h
        y += h + ROW_GAP
        for fi in reversed(ends.get(row.row, [])):
            frame_bottom[fi] = y - ROW_GAP + 10
            y += 10
    content_bottom = y
    messages_count = len(conv.messages)
    repeat = messages_count > REPEAT_HEADERS_AFTER
    footer_y = content_bottom + 8

    # Activation bars.
    placed_bars = []
    for bar in bars:
        xc = xcol[bar.lane] + bar.depth * BAR_SHIFT
        y1 = arrow_y.get(bar.start, row_bottom[bar.start])
        y2 = arrow_y.get(bar.end, row_bottom[bar.end])
        placed_bars.append(PlacedActivation(bar.lane, Rect(xc - BAR_HALF, y1 - 2, 2 * BAR_HALF, y2 - y1 + 6), bar.depth))

    def touch(lane: str, row: int, toward_right: bool) -> float:
        """Where an arrow meets ``lane`` at ``row``: the edge of its deepest bar, facing the other end."""
        d = depth_at.get((lane, row))
        if d is None:
            return xcol[lane]
        centre = xcol[lane] + d * BAR_SHIFT
        return centre + BAR_HALF if toward_right else centre - BAR_HALF

    placed_messages = []
    placed_notes = []
    for row in conv.rows:
        tb = texts.get(row.row)
        if isinstance(row, Note):
            xc = xcol[row.node.lane]
            box = Rect(xc - tb.width / 2 - NOTE_PAD, row_top[row.row], tb.width + 2 * NOTE_PAD,
                       row_bottom[row.row] - row_top[row.row])
            placed_notes.append(PlacedNote(row.node.id, row.node.lane, box,
                                           textfit.moved(tb, box.center.x, box.center.y)))
            continue
        assert isinstance(row, Message)
        if row.kind == "self":
            lane = row.source_lane
            x0 = xcol[lane] + reach(lane, row.row)
            top = row_top[row.row] + max(0.0, (row_bottom[row.row] - row_top[row.row] - SELF_HEIGHT) / 2)
            pts = (Point(x0, top), Point(x0 + SELF_WIDTH, top), Point(x0 + SELF_WIDTH, top + SELF_HEIGHT),
                   Point(x0 + 1, top + SELF_HEIGHT))
            text = text_box = None
            if tb is not None:
                tx = x0 + SELF_WIDTH + 8
                cy = top + SELF_HEIGHT / 2
                text = textfit.moved(tb, tx + tb.width / 2, cy)
                text_box = Rect(tx, cy - tb.height / 2, tb.width, tb.height)
        else:
            ya = arrow_y[row.row]
            xa, xb = xcol[row.source_lane], xcol[row.target_lane]
            rightwards = xb > xa
            x_from = touch(row.source_lane, row.row, rightwards)
            x_to = touch(row.target_lane, row.row, not rightwards)
            pts = (Point(x_from, ya), Point(x_to, ya))
            text = text_box = None
            if tb is not None:
                # Beside the sender when the first gap holds it (clear of every other lifeline),
                # else centred over the whole span (which always holds it).
                step = 1 if rightwards else -1
                x_next = xs[col[row.source_lane] + step]
                cx = (xa + x_next) / 2 if abs(x_next - xa) >= tb.width + 2 * TEXT_PAD + 2 * BAR_HALF else (xa + xb) / 2
                cy = ya - TEXT_GAP - tb.height / 2
                text = textfit.moved(tb, cx, cy)
                text_box = Rect(cx - tb.width / 2, cy - tb.height / 2, tb.width, tb.height)
        placed_messages.append(PlacedMessage(row.row, row.edge.id, row.edge.source, row.edge.target,
                                             row.source_lane, row.target_lane, row.kind, pts, text, text_box))

    placed_fragments = []
    for f in conv.fragments:
        lo, hi = frame_x[f.index]
        keyword, cond, band = captions[f.index]
        top = frame_top[f.index]
        box = Rect(lo, top, hi - lo, frame_bottom[f.index] - top)
        tab = Rect(lo, top, keyword.width + 18, keyword.height + 6)
        kw = textfit.moved(keyword, lo + 8 + keyword.width / 2, top + tab.height / 2)
        cond_block = None
        if cond is not None:
            cond_block = textfit.moved(cond, tab.right + 8 + cond.width / 2, top + 4 + cond.height / 2)
        placed_fragments.append(PlacedFragment(f.index, box, tab, kw, cond_block, f.loop.nodes))

    height = (footer_y + header_h if repeat else content_bottom) + MARGIN
    right = max([xs[k] + right_need[k] for k in range(n)] + [hi for _, hi in frame_x.values()]
                + [hi for _, hi in extent.values()] + [MARGIN], default=MARGIN)
    width = right + MARGIN

    participants = []
    for k, lane in enumerate(lanes):
        xc = xs[k]
        header = Rect(xc - header_w[k] / 2, MARGIN, header_w[k], header_h)
        title = textfit.moved(titles[k], xc, header.center.y)
        footer = footer_title = None
        line_end = content_bottom
        if repeat:
            footer = Rect(header.x, footer_y, header.width, header_h)
            footer_title = textfit.moved(titles[k], xc, footer.center.y)
            line_end = footer_y
        participants.append(Participant(lane, xc, header, title, (Point(xc, header.bottom), Point(xc, line_end)),
                                        footer, footer_title))

    return SequenceLayout(round(width, 2), round(height, 2), tuple(participants), tuple(placed_messages),
                          tuple(placed_bars), tuple(placed_notes), tuple(placed_fragments), conv)
