"""A compact workflow layout: width is spent only where it buys clarity.

Columns are as wide as their own nodes, gaps as wide as what crosses them, long box labels wrap
to balanced lines (never cutting a word), lanes as tall as their content.  The wide example of
the docs' home page must stay at least 30 % narrower than the grid of 56 px gaps and 150 px
lines it replaced (2,484 px), with no hard defect on any example or corpus diagram.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_layout import clean, make, node_box

from flowzap_docs.model import Node
from flowzap_docs.parser import parse
from flowzap_docs.text.wrap import two_lines, wrap_balanced
from flowzap_docs.views.workflow.layout.labels import ARROW_ROOM, CLEARANCE, LABEL_PAD_Y
from flowzap_docs.views.workflow.layout.placement import COLUMN_GAP, EDGE_GAP, LANE_PADDING, Grid, base_gaps
from flowzap_docs.views.workflow.layout.sizing import (
    LANE_FONT,
    LANE_TEXT_WIDTH,
    NODE_FONT,
    RECT_MIN,
    RECT_PAD_X,
    RECT_TEXT_WIDTH,
    WRAP_SAVING,
    box_label,
    fill_columns,
    lane_title,
    size_node,
    text_block,
)

DATA = Path(__file__).parent / "data"
EVENT_DRIVEN = DATA / "examples" / "event-driven.fz"
#: 70 % of event-driven's width before this layout (2,484 px at today's font size).
EVENT_DRIVEN_MAX_WIDTH = 1740.0


def _words(lines: tuple[str, ...]) -> list[str]:
    return " ".join(lines).split()


def test_event_driven_is_at_least_30_percent_narrower() -> None:
    layout = clean(parse(EVENT_DRIVEN.read_text(encoding="utf-8")))
    assert layout.width <= EVENT_DRIVEN_MAX_WIDTH


# --- sizing: box labels ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Handle payment received", "Validate message schema", "Receive event message",
                                  "Publish to message broker", "Fagaki Vehafasaruk HI", "Deserialize event"])
def test_a_long_box_label_wraps_narrower_than_the_widest_lines(text: str) -> None:
    block = box_label(text)
    wide = text_block(text, RECT_TEXT_WIDTH, NODE_FONT, role="label")
    assert len(block.lines) <= 2
    assert _words(block.lines) == text.split()  # whole words only
    assert block.width <= wide.width
    if len(wide.lines) == 1:  # what fits one wide line is wrapped narrower, into two
        assert block.width < wide.width and len(block.lines) == 2


@pytest.mark.parametrize("text", ["Commit", "Reserve items", "Commit offset", "Deserialize event", "Pay",
                                  "Send to dead letter queue", "Authorize payment", "Check stock"])
def test_an_extra_line_must_pay_for_itself(text: str) -> None:
    """A narrower wrapping is kept only when it makes the box WRAP_SAVING px narrower."""
    block, wide = box_label(text), text_block(text, RECT_TEXT_WIDTH, NODE_FONT, role="label")
    box = max(RECT_MIN[0], block.width + 2 * RECT_PAD_X)
    wide_box = max(RECT_MIN[0], wide.width + 2 * RECT_PAD_X)
    if len(block.lines) > len(wide.lines):
        assert box <= wide_box - WRAP_SAVING + 1
    else:
        assert block == wide
    if wide_box - WRAP_SAVING < RECT_MIN[0]:
        assert block == wide  # nothing to gain: "Reserve items" stays on one line


@pytest.mark.parametrize("text", ["Internationalization", "Superextraordinarily long", "Characterization tests",
                                  "Gizagemu 6-hagin HOF"])
def test_a_box_label_never_cuts_a_word_to_be_narrower(text: str) -> None:
    block = box_label(text)
    assert _words(block.lines) == text.split()


def test_a_label_too_long_for_two_lines_keeps_the_widest_lines() -> None:
    text = "Reconcile the quarterly ledger entries against the bank statements and flag mismatches"
    assert box_label(text) == box_label(text)  # deterministic
    assert box_label(text).lines == wrap_balanced(text, RECT_TEXT_WIDTH, NODE_FONT).lines


def test_cjk_box_labels_still_wrap_between_characters() -> None:
    block = box_label("プルリクエストを作成してレビューを依頼する")
    assert len(block.lines) >= 2 and "".join(block.lines) == "プルリクエストを作成してレビューを依頼する"


@pytest.mark.parametrize("text", ["Validate message schema", "Handle payment received", "Send to dead letter queue",
                                  "a bb ccc dddd eeeee", "Publish to message broker", "Réapprovisionner le stock"])
def test_two_lines_are_the_balanced_wrapping_found_in_one_pass(text: str) -> None:
    two = two_lines(text, NODE_FONT)
    assert two is not None and len(two.lines) == 2 and _words(two.lines) == text.split()
    one_line = wrap_balanced(text, 10_000, NODE_FONT).width
    searched = wrap_balanced(text, one_line - 1, NODE_FONT)  # just under one line: two lines, balanced
    assert len(searched.lines) == 2
    assert two.width <= searched.width + 0.01  # never wider than the search finds
    assert two_lines("Alone", NODE_FONT) is None and two_lines("two\nlines", NODE_FONT) is None


def test_a_lane_title_wraps_narrow_but_keeps_its_words() -> None:
    short = lane_title("Event Producer")
    assert short.width <= LANE_TEXT_WIDTH + 2 and len(short.lines) == 2
    long_word = lane_title("Vehafasaruk Zemamafamud")
    assert _words(long_word.lines) == ["Vehafasaruk", "Zemamafamud"]
    assert lane_title("Db").lines == ("Db",) and lane_title("Db").font_size == LANE_FONT


def _node(node_id: str, label: str, shape: str = "rectangle") -> Node:
    return Node(node_id, "A", shape, label, 1, 1)  # type: ignore[arg-type]


def test_a_wrapped_label_fills_the_width_its_column_has_anyway() -> None:
    nodes = [_node("a", "Handle payment received"), _node("b", "Ledger", "taskbox")]
    sizes = [size_node(node, {}) for node in nodes]
    filled = fill_columns(nodes, sizes, [0, 0], [{}, {}])
    column = max(size.footprint_width for size in sizes)
    assert len(sizes[0].texts[0][0].lines) == 2
    assert len(filled[0].texts[0][0].lines) == 1  # one line now fits the column
    assert filled[0].width <= column and filled[0].height < sizes[0].height
    assert filled[1] == sizes[1]  # the widest node sets the column and stays as it was
    alone = fill_columns(nodes, sizes, [0, 1], [{}, {}])  # in its own column: nothing to fill
    assert alone[0] == sizes[0]


# --- gaps and columns -----------------------------------------------------------------------

def test_base_gaps_are_a_short_arrow_between_columns_and_a_margin_outside() -> None:
    grid = Grid.build([0, 1, 2], [0, 0, 0], [0, 0, 0], [size_node(_node(i, i), {}) for i in "abc"], 1)
    columns, rows = base_gaps(grid)
    assert columns == [EDGE_GAP, COLUMN_GAP, COLUMN_GAP, EDGE_GAP]
    assert rows == [[LANE_PADDING, LANE_PADDING]]


def test_a_column_is_as_wide_as_its_own_nodes_and_a_plain_gap_is_narrow() -> None:
    d = make([("A", [("a", "rectangle", "Go"), ("b", "rectangle", "Reconcile every ledger entry now please"),
                     ("c", "rectangle", "Stop")])],
             [("a", "right", "b", "left"), ("b", "right", "c", "left")])
    layout = clean(d)
    a, b, c = (node_box(layout, i) for i in "abc")
    assert a.width == RECT_MIN[0] and c.width == RECT_MIN[0] and b.width > a.width
    # columns are their own node's width: the gaps between boxes are the plain gap, no more
    assert b.x - a.right == pytest.approx(COLUMN_GAP)
    assert c.x - b.right == pytest.approx(COLUMN_GAP)
    assert layout.width - c.right == pytest.approx(EDGE_GAP)


def test_a_gap_with_a_label_grows_to_hold_it() -> None:
    label = "a rather long label"
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b"), ("c", "rectangle", "c")])],
             [("a", "right", "b", "left", label), ("b", "right", "c", "left")])
    layout = clean(d)
    a, b, c = (node_box(layout, i) for i in "abc")
    box = layout.edges[0].label_box
    assert box is not None and a.right < box.x and box.right < b.x - ARROW_ROOM
    assert b.x - a.right >= box.width + ARROW_ROOM + CLEARANCE
    assert c.x - b.right == pytest.approx(COLUMN_GAP)  # the unlabelled gap stays plain


# --- lanes ----------------------------------------------------------------------------------

def test_a_lane_is_as_tall_as_its_content() -> None:
    d = make([("A", [("a", "rectangle", "a")]),
              ("B", [("b", "rectangle", "b"), ("c", "rectangle", "c"), ("d", "rectangle", "d")])],
             [("b", "right", "c", "left"), ("b", "bottom", "d", "top")])
    layout = clean(d)
    one, two = layout.lanes
    a = node_box(layout, "a")
    title = one.title.height + 24
    assert one.box.height == pytest.approx(max(a.height + 2 * LANE_PADDING, title))
    assert two.box.height > one.box.height  # a second row makes the lane taller, and only that
    rows = {node_box(layout, i).y for i in "bcd"}
    assert len(rows) == 2


def test_a_labelled_drop_between_lanes_gets_just_the_room_of_its_label() -> None:
    d = make([("A", [("a", "rectangle", "a")]), ("B", [("b", "rectangle", "b")])],
             [("a", "bottom", "b", "top", "Publish")])
    layout = clean(d)
    a, b = node_box(layout, "a"), node_box(layout, "b")
    box = layout.edges[0].label_box
    assert box is not None and a.bottom < box.y and box.bottom + ARROW_ROOM <= b.y
    need = box.height + 2 * (CLEARANCE + ARROW_ROOM)
    assert need <= b.y - a.bottom <= need + 2 * LABEL_PAD_Y + 4


def test_an_unlabelled_drop_between_lanes_keeps_the_plain_padding() -> None:
    d = make([("A", [("a", "rectangle", "a")]), ("B", [("b", "rectangle", "b")])], [("a", "bottom", "b", "top")])
    layout = clean(d)
    assert node_box(layout, "b").y - node_box(layout, "a").bottom == pytest.approx(2 * LANE_PADDING)
