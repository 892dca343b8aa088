"""The workflow layout engine: hard rules on every real diagram, each phase alone, and the
awkward inputs (self-edges, U shapes, 200 lanes, a 1 MB label, 50 edges on one side).

Hard rules are checked on the engine's own geometry with ``layout.metrics.hard_defects``;
the first test proves that checker does catch each kind of defect.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowzap_docs.layout.geometry import Point, Rect, TextBlock
from flowzap_docs.model import Diagram, Edge, Lane, Loop, Node
from flowzap_docs.parser import parse
from flowzap_docs.views.workflow.geometry import LaneBand, LoopFrame, PlacedNode, RoutedEdge, WorkflowLayout
from flowzap_docs.views.workflow.layout import layout_workflow
from flowzap_docs.views.workflow.layout.columns import assign_columns
from flowzap_docs.views.workflow.layout.cycles import acyclic_arcs, break_cycles
from flowzap_docs.views.workflow.layout.graph import build_graph
from flowzap_docs.views.workflow.layout.loops import caption_block, frame_loops
from flowzap_docs.views.workflow.layout.metrics import hard_defects, quality
from flowzap_docs.views.workflow.layout.ordering import assign_rows

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))
SIDES = ("left", "right", "top", "bottom")


def make(lanes: list[tuple[str, list[tuple[str, str, str]]]], edges: list[tuple] = (),
         loops: list[tuple[str, tuple[str, ...]]] = ()) -> Diagram:
    """A diagram straight from the model: lanes of ``(id, shape, label)`` nodes, edges as
    ``(source, side, target, side[, label])``, loops as ``(condition, node ids)``."""
    lane_objs = tuple(Lane(lane_id, f"Lane {lane_id}", k + 1, 1) for k, (lane_id, _n) in enumerate(lanes))
    nodes = [Node(node_id, lane_id, shape, label, 2, 1)  # type: ignore[arg-type]
             for lane_id, specs in lanes for node_id, shape, label in specs]
    edge_objs = tuple(
        Edge(f"e{k + 1}", spec[0], spec[1], spec[2], spec[3], 100 + k, 1, spec[4] if len(spec) > 4 else None)
        for k, spec in enumerate(edges)
    )
    loop_objs = tuple(Loop(cond, members, 200 + k, 1) for k, (cond, members) in enumerate(loops))
    return Diagram(lane_objs, tuple(nodes), edge_objs, loop_objs)


def clean(diagram: Diagram) -> WorkflowLayout:
    layout = layout_workflow(diagram)
    assert hard_defects(layout) == []
    return layout


def node_box(layout: WorkflowLayout, node_id: str) -> Rect:
    return next(n.box for n in layout.nodes if n.node_id == node_id)


# --- the checker itself -------------------------------------------------------------------

def _broken_layout() -> WorkflowLayout:
    text = TextBlock(("way too long a label",), 50, 30, 300, 16, 16, 13)
    lane = LaneBand("A", Rect(0, 0, 500, 100), Rect(0, 0, 40, 100), TextBlock(("A",), 20, 50, 10, 16, 16, 14))
    nodes = (
        PlacedNode("a", "A", "rectangle", Rect(50, 20, 100, 40), (text,)),
        PlacedNode("b", "A", "rectangle", Rect(120, 30, 100, 40), ()),
        PlacedNode("c", "A", "rectangle", Rect(300, 80, 100, 40), ()),
    )
    edges = (
        RoutedEdge("e1", "a", "c", "right", "left", (Point(150, 40), Point(300, 100))),
        RoutedEdge("e2", "a", "c", "bottom", "top", (Point(100, 60), Point(100, 65), Point(350, 65),
                                                      Point(350, 80)), None, Rect(110, 30, 30, 10)),
        RoutedEdge("e3", "a", "c", "top", "left", (Point(100, 60), Point(100, 10), Point(250, 10), Point(250, 100),
                                                   Point(300, 100))),
    )
    return WorkflowLayout(500, 100, (lane,), nodes, edges)


@pytest.mark.parametrize("defect", [
    "nodes overlap: a and b", "node c outside its lane A", "text of a outside its shape",
    "edge e1 has a diagonal segment", "edge e2 passes through b", "label e2 overlaps node a",
    "edge e3 does not start on a.top", "edge e3 passes through a",
])
def test_the_checker_finds_each_kind_of_defect(defect: str) -> None:
    found = hard_defects(_broken_layout())
    assert any(defect in problem for problem in found), found


def _captioned_layout(caption_x: float) -> WorkflowLayout:
    """Two nodes in a loop frame and a connector dropping through x = 100 from above."""
    lane = LaneBand("A", Rect(0, 0, 400, 200), Rect(0, 0, 40, 200), TextBlock(("A",), 20, 100, 10, 16, 16, 14))
    nodes = (
        PlacedNode("a", "A", "rectangle", Rect(60, 60, 100, 40), ()),
        PlacedNode("b", "A", "rectangle", Rect(200, 60, 100, 40), ()),
    )
    edges = (RoutedEdge("e1", "a", "b", "top", "top", (Point(100, 60), Point(100, 10), Point(250, 10),
                                                      Point(250, 60))),)
    caption = TextBlock(("loop [again]",), caption_x, 40, 70, 14, 14, 11, role="caption")
    frame = LoopFrame(0, Rect(50, 30, 260, 80), caption, ("a", "b"))
    return WorkflowLayout(400, 200, (lane,), nodes, edges, (frame,))


def test_the_checker_finds_a_connector_through_a_loop_caption() -> None:
    found = hard_defects(_captioned_layout(caption_x=95))  # caption spans x 60..130, the line is at 100
    assert any("connector through a loop caption: edge e1" in problem for problem in found), found
    assert hard_defects(_captioned_layout(caption_x=170)) == []  # between the two drops: clean


def test_a_loop_caption_moves_off_the_connectors_that_would_strike_it_out() -> None:
    # the frame is just wide enough for its caption, and a connector drops through its middle:
    # no spot on the top edge is free, so the caption goes to the bottom edge
    assert frame_loops([], []) == []  # nothing to frame: nothing drawn
    loop = Loop("again and again", ("a",), 1, 1)
    boxes = [(100.0, 100.0, 160.0, 140.0)]
    width = caption_block(loop).width
    middle = 100.0 - 10 + (width + 8) / 2
    route = [(middle, 0.0), (middle, 100.0)]
    frames = frame_loops([(0, loop, boxes)], [route], blockers=boxes)
    frame = frames[0]
    cap = frame.caption
    assert not (cap.x - cap.width / 2 <= middle <= cap.x + cap.width / 2 and cap.y - cap.height / 2 <= 100.0)
    assert cap.y > 140.0  # below the node, inside the frame's bottom edge
    assert frame.box.y <= cap.y - cap.height / 2 and cap.y + cap.height / 2 <= frame.box.bottom
    # the same with the bottom blocked too: the frame grows round a free spot
    blocked = [*boxes, (0.0, 140.0, 400.0, 400.0)]
    frame = frame_loops([(0, loop, boxes)], [route], blockers=blocked)[0]
    cap = frame.caption
    left, right = cap.x - cap.width / 2, cap.x + cap.width / 2
    assert not left <= middle <= right
    assert frame.box.x <= left and right <= frame.box.right


def _closest_ends(layout: WorkflowLayout) -> dict[tuple[str, str], float]:
    """Least distance between two connector ends on each (node, side) carrying several."""
    along: dict[tuple[str, str], list[float]] = {}
    for edge in layout.edges:
        for node, side, point in ((edge.source, edge.source_side, edge.points[0]),
                                  (edge.target, edge.target_side, edge.points[-1])):
            along.setdefault((node, side), []).append(point.y if side in ("left", "right") else point.x)
    return {key: min(b - a for a, b in itertools.pairwise(sorted(values)))
            for key, values in along.items() if len(values) > 1}


def test_many_ends_on_a_small_circle_keep_apart_and_its_label_stays_inside() -> None:
    # eleven arrows into the bottom of "Kam": the circle grows until they are 10 px apart
    sources = [(f"s{k}", "rectangle", f"Step {k}") for k in range(11)]
    d = make([("A", [("kam", "circle", "Kam")]), ("B", sources)],
             [(f"s{k}", "top", "kam", "bottom") for k in range(11)])
    layout = clean(d)
    assert _closest_ends(layout)[("kam", "bottom")] >= 10.0 - 0.01
    kam = next(n for n in layout.nodes if n.node_id == "kam")
    text = kam.texts[0]
    assert kam.box.y <= text.y - text.height / 2 and text.y + text.height / 2 <= kam.box.bottom  # inside


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_connector_ends_on_one_side_stay_apart(path: Path) -> None:
    """Arrowheads 3 px apart merge into one blot: ends on one side of a box or circle keep
    10 px apart (a diamond's ends gather at its vertex, a little closer)."""
    layout = layout_workflow(parse(path.read_text(encoding="utf-8")))
    shapes = {node.node_id: node.shape for node in layout.nodes}
    crowded = {key: gap for key, gap in _closest_ends(layout).items()
               if gap < 10.0 - 0.01 and shapes[key[0]] != "diamond"}
    assert crowded == {}


# --- every real diagram --------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_hard_rules_hold_on_every_example_and_corpus_diagram(path: Path) -> None:
    layout = layout_workflow(parse(path.read_text(encoding="utf-8")))
    assert hard_defects(layout) == []
    assert layout.width > 0 and layout.height > 0


@pytest.mark.parametrize("path", FILES[:6], ids=[p.name for p in FILES[:6]])
def test_same_input_same_layout(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert layout_workflow(parse(source)) == layout_workflow(parse(source))


def test_layout_does_not_depend_on_string_hashing() -> None:
    script = (
        "import sys, hashlib; from flowzap_docs.parser import parse; "
        "from flowzap_docs.views.workflow.layout import layout_workflow; "
        "print(hashlib.sha256(repr(layout_workflow(parse(open(sys.argv[1], encoding='utf-8').read()))).encode())"
        ".hexdigest())"
    )
    target = str(DATA / "examples" / "event-driven.fz")
    digests = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", script, target], env=env, capture_output=True, text=True,
                                check=True)
        digests.add(result.stdout.strip())
    assert len(digests) == 1


# --- phases ------------------------------------------------------------------------------

def test_cycles_are_broken_in_text_order() -> None:
    d = make([("A", [("n1", "circle", "Start"), ("n2", "rectangle", "x"), ("n3", "rectangle", "y")])],
             [("n1", "right", "n2", "left"), ("n2", "right", "n3", "left"), ("n3", "right", "n2", "left")])
    arcs = acyclic_arcs(build_graph(d))
    # the edge written last closes the cycle, so it is the one drawn backwards
    assert arcs == [(0, 1, 1), (1, 2, 1), (1, 2, 1)]


def test_break_cycles_leaves_a_dag() -> None:
    arcs = [(i, (i + 1) % 6, 1) for i in range(6)] + [(3, 0, 0), (5, 2, 1)]
    result = break_cycles(6, arcs)
    columns = assign_columns(6, result, [0] * 6)
    for u, v, m in result:
        assert columns[v] >= columns[u] + m


def _columns(d: Diagram) -> dict[str, int]:
    g = build_graph(d)
    cols = assign_columns(g.n, acyclic_arcs(g), g.node_lane)
    return dict(zip(g.node_ids, cols, strict=True))


def test_right_to_left_puts_the_target_in_a_later_column() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b")])], [("a", "right", "b", "left")])
    cols = _columns(d)
    assert cols["b"] == cols["a"] + 1


def test_left_source_into_right_handle_puts_the_target_to_the_left() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b")])], [("a", "left", "b", "right")])
    cols = _columns(d)
    assert cols["b"] < cols["a"]


def test_a_hop_down_to_another_lane_shares_the_column() -> None:
    d = make([("A", [("a", "rectangle", "a")]), ("B", [("b", "rectangle", "b")])], [("a", "bottom", "b", "top")])
    cols = _columns(d)
    assert cols["a"] == cols["b"]
    layout = clean(d)
    edge = layout.edges[0]
    assert len(edge.points) == 2  # the straight drop between lanes


def test_nodes_in_between_step_out_of_a_straight_drop() -> None:
    d = make([("A", [("a", "rectangle", "a")]), ("B", [("x", "rectangle", "x"), ("y", "rectangle", "y")]),
              ("C", [("c", "rectangle", "c")])],
             [("x", "right", "y", "left"), ("a", "bottom", "c", "top")])
    layout = clean(d)
    drop = layout.edges[1]
    assert len(drop.points) == 2  # straight through lane B
    x = node_box(layout, "x")
    assert not x.x <= drop.points[0].x <= x.right


def test_same_lane_bottom_to_top_puts_the_target_below_in_the_same_column() -> None:
    d = make([("A", [("a", "diamond", "ok?"), ("b", "rectangle", "b"), ("c", "rectangle", "c")])],
             [("a", "right", "c", "left"), ("a", "bottom", "b", "top")])
    g = build_graph(d)
    cols = assign_columns(g.n, acyclic_arcs(g), g.node_lane)
    rows = assign_rows(g, cols)
    assert cols[0] == cols[1] and rows[1] > rows[0]
    assert rows[2] == rows[0]  # the main path stays on the first row
    layout = clean(d)
    assert node_box(layout, "b").y > node_box(layout, "a").bottom


def test_targets_fanned_out_in_one_lane_step_right_instead_of_piling_up() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b"), ("c", "rectangle", "c")])],
             [("a", "right", "b", "left"), ("a", "right", "c", "left")])
    layout = clean(d)
    assert node_box(layout, "b").y == node_box(layout, "c").y
    assert node_box(layout, "b").right < node_box(layout, "c").x


def test_a_chain_of_drops_stacks_in_one_column() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b"), ("c", "rectangle", "c")])],
             [("a", "bottom", "b", "top"), ("b", "bottom", "c", "top")])
    layout = clean(d)
    a, b, c = (node_box(layout, i) for i in "abc")
    assert a.x == b.x == c.x
    assert a.bottom < b.y and b.bottom < c.y
    assert all(len(e.points) == 2 for e in layout.edges)


def test_a_second_drop_from_one_source_steps_right() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b"), ("c", "rectangle", "c")])],
             [("a", "bottom", "b", "top"), ("a", "bottom", "c", "top")])
    layout = clean(d)
    a, b, c = (node_box(layout, i) for i in "abc")
    assert a.bottom < b.y and a.bottom < c.y
    assert b.x == a.x and c.x > b.right  # below, and below-right: neither connector detours


def test_flow_reads_left_to_right_along_a_chain() -> None:
    ids = [f"n{i}" for i in range(1, 8)]
    d = make([("A", [(i, "rectangle", i) for i in ids])],
             [(a, "right", b, "left") for a, b in itertools.pairwise(ids)])
    layout = clean(d)
    xs = [node_box(layout, i).x for i in ids]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(len(e.points) == 2 for e in layout.edges)  # straight connectors, no bends
    assert quality(layout).bends == 0


def test_lanes_are_full_width_bands_in_declaration_order() -> None:
    d = make([("A", [("a", "rectangle", "a")]), ("B", []), ("C", [("c", "rectangle", "c")])])
    layout = clean(d)
    assert [lane.lane_id for lane in layout.lanes] == ["A", "B", "C"]
    for upper, lower in itertools.pairwise(layout.lanes):
        assert upper.box.bottom == pytest.approx(lower.box.y)
    for lane in layout.lanes:
        assert lane.box.x == 0 and lane.box.width == layout.width
        assert lane.header.width < lane.box.width
        assert lane.box.height > 0
    assert layout.lanes[-1].box.bottom == pytest.approx(layout.height)


def test_several_ends_on_one_side_spread_along_it() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b"), ("c", "rectangle", "c"),
                     ("d", "rectangle", "d")])],
             [("a", "right", "b", "left"), ("a", "right", "c", "left"), ("a", "right", "d", "left")])
    layout = clean(d)
    starts = sorted(e.points[0].y for e in layout.edges)
    assert len(set(starts)) == 3
    box = node_box(layout, "a")
    assert all(box.y < y < box.bottom for y in starts)


def test_an_end_straight_across_from_its_partner_gives_a_straight_connector() -> None:
    # request-response: n5.top carries an incoming drop from n3 and an outgoing hop to n4
    d = make([("A", [("n3", "rectangle", "Validate credentials"), ("n4", "rectangle", "Issue token")]),
              ("B", [("n5", "rectangle", "Look up user row")])],
             [("n3", "bottom", "n5", "top", "SELECT user"), ("n5", "top", "n4", "bottom", "user row")])
    layout = clean(d)
    assert len(layout.edges[0].points) == 2
    n5 = node_box(layout, "n5")
    assert layout.edges[0].points[-1].x == n5.x + n5.width / 2


def test_edge_labels_sit_on_their_connector() -> None:
    d = make([("A", [("a", "diamond", "Valid?"), ("b", "rectangle", "b"), ("c", "rectangle", "c")])],
             [("a", "right", "b", "left", "Yes"), ("a", "bottom", "c", "top", "No")])
    layout = clean(d)
    for edge in layout.edges:
        assert edge.label is not None and edge.label_box is not None
        assert edge.label.lines == (edge.label.lines[0],)
        box = edge.label_box
        on_line = False
        for a, b in itertools.pairwise(edge.points):
            x0, x1 = sorted((a.x, b.x))
            y0, y1 = sorted((a.y, b.y))
            if box.x <= x1 and box.right >= x0 and box.y <= y1 and box.bottom >= y0:
                on_line = True
        assert on_line
        assert box.x <= edge.label.x <= box.right and box.y <= edge.label.y <= box.bottom


def test_loop_frame_surrounds_its_nodes_with_room_for_the_caption() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b")]), ("B", [("c", "rectangle", "c")])],
             [("a", "right", "b", "left"), ("b", "bottom", "c", "top"), ("c", "left", "a", "bottom")],
             [("retry until valid", ("a", "b", "c"))])
    layout = clean(d)
    (frame,) = layout.loops
    assert frame.caption.lines == ("loop [retry until valid]",)
    for node_id in ("a", "b", "c"):
        box = node_box(layout, node_id)
        assert frame.box.x < box.x and frame.box.right > box.right
        assert frame.box.y < box.y and frame.box.bottom > box.bottom
    caption_bottom = frame.caption.y + frame.caption.height / 2
    assert frame.box.y < frame.caption.y - frame.caption.height / 2
    assert caption_bottom < min(node_box(layout, i).y for i in ("a", "b", "c"))
    assert all(lane.box.y <= frame.box.y or lane.box.bottom >= frame.box.y for lane in layout.lanes)
    assert frame.box.y >= 0


def test_rtl_labels_are_marked() -> None:
    d = make([("A", [("a", "rectangle", "مراجعة الطلب"), ("b", "rectangle", "Review")])])
    layout = clean(d)
    assert [n.texts[0].rtl for n in layout.nodes] == [True, False]


# --- shapes ------------------------------------------------------------------------------

def test_circle_label_inside_when_short_beneath_when_long() -> None:
    d = make([("A", [("s", "circle", "Start"),
                     ("e", "circle", "The whole process ends here after the final approval step")])],
             [("s", "right", "e", "left")])
    layout = clean(d)
    start = next(n for n in layout.nodes if n.node_id == "s")
    end = next(n for n in layout.nodes if n.node_id == "e")
    assert start.box.x < start.texts[0].x < start.box.right
    assert start.box.width == start.box.height
    label = end.texts[0]
    assert label.y - label.height / 2 >= end.box.bottom  # beneath the circle
    lane = layout.lanes[0].box
    assert label.y + label.height / 2 <= lane.bottom


def test_diamond_text_fits_the_inscribed_area() -> None:
    d = make([("A", [("d", "diamond", "Is the customer's credit limit sufficient for this order?")])])
    layout = clean(d)  # hard_defects checks the inscribed area
    assert layout.nodes[0].box.width > layout.nodes[0].box.height


def test_taskbox_card_holds_title_items_and_fields() -> None:
    node = Node("t", "A", "taskbox", "Review|Check docs|Verify data", 2, 1, owner="Alice", description="Check it",
                system="CRM")
    d = Diagram((Lane("A", "A", 1, 1),), (node,), ())
    layout = clean(d)
    texts = layout.nodes[0].texts
    assert [t.role for t in texts] == ["title", "item", "item", "owner", "system", "description"]
    assert texts[0].bold and texts[0].lines == ("Review",)
    ys = [t.y for t in texts]
    assert ys == sorted(ys)


# --- awkward inputs ----------------------------------------------------------------------

@pytest.mark.parametrize(("source_side", "target_side"), list(itertools.product(SIDES, SIDES)))
@pytest.mark.parametrize("where", ["same lane", "lane below", "lane above", "two lanes down", "self"])
def test_every_side_combination_lays_out_cleanly(source_side: str, target_side: str, where: str) -> None:
    lanes = [("A", [("a", "rectangle", "Source step")]), ("M", [("m", "rectangle", "Middle")]),
             ("B", [("b", "rectangle", "Target step")])]
    target = {"same lane": "a2", "lane below": "m", "lane above": "a", "two lanes down": "b", "self": "a"}[where]
    source = "m" if where == "lane above" else "a"
    if where == "same lane":
        lanes[0][1].append(("a2", "rectangle", "Other step"))
    edges = [(source, source_side, target, target_side, "label")]
    layout = clean(make(lanes, edges))
    assert len(layout.edges) == 1


@pytest.mark.parametrize("shape", ["circle", "diamond", "taskbox"])
def test_every_side_combination_on_other_shapes(shape: str) -> None:
    lanes = [("A", [(f"s{k}", shape, "Step") for k in range(4)] + [(f"t{k}", shape, "Next") for k in range(4)]),
             ("B", [(f"u{k}", shape, "Other") for k in range(4)])]
    edges = []
    for k, (ss, ts) in enumerate(itertools.product(SIDES, SIDES)):
        edges.append((f"s{k % 4}", ss, f"t{(k // 4) % 4}", ts))
        edges.append((f"t{k % 4}", ss, f"u{(k // 4) % 4}", ts, "x"))
    clean(make(lanes, edges))


def test_self_edges_on_one_side_make_a_u() -> None:
    d = make([("A", [("n3", "rectangle", "")])], [("n3", "bottom", "n3", "bottom")])
    edge = clean(d).edges[0]
    assert len(edge.points) == 4
    assert edge.points[1].y > edge.points[0].y and edge.points[2].y == edge.points[1].y


def test_left_source_going_right_turns_round_its_node() -> None:
    d = make([("A", [("a", "rectangle", "a"), ("b", "rectangle", "b")])],
             [("a", "right", "b", "left"), ("a", "left", "b", "left")])
    layout = clean(d)
    turn = layout.edges[1]
    assert turn.points[1].x < turn.points[0].x  # leaves leftwards first
    assert len(turn.points) >= 4


def test_edges_jumping_several_lanes_avoid_the_nodes_between() -> None:
    lanes = [(f"L{k}", [(f"n{k}", "rectangle", f"Step {k}")]) for k in range(5)]
    edges = [("n0", "bottom", "n4", "top"), ("n0", "right", "n3", "left"), ("n4", "top", "n1", "bottom")]
    clean(make(lanes, edges))


def test_orphans_empty_lanes_and_a_lane_with_one_node() -> None:
    d = make([("A", [("a", "rectangle", "lonely")]), ("B", []), ("C", [("c", "circle", "x"), ("d", "rectangle", "y")])],
             [("c", "right", "d", "left")])
    layout = clean(d)
    assert len(layout.lanes) == 3 and len(layout.nodes) == 3


def test_two_hundred_lanes() -> None:
    lanes = [(f"L{k}", [(f"n{k}", "rectangle", f"Step {k}")]) for k in range(200)]
    edges = [(f"n{k}", "bottom", f"n{k + 1}", "top") for k in range(199)]
    layout = clean(make(lanes, edges))
    assert len(layout.lanes) == 200


def test_a_one_megabyte_label_is_cut_and_fast() -> None:
    import time

    d = make([("A", [("a", "rectangle", "x" * 1_000_000), ("b", "rectangle", "word " * 200_000)])],
             [("a", "right", "b", "left", "z " * 500_000)])
    start = time.perf_counter()
    layout = clean(d)
    assert time.perf_counter() - start < 1.0
    for node in layout.nodes:
        assert len(node.texts[0].lines) <= 6
        assert node.texts[0].lines[-1].endswith("\u2026")
    assert len(layout.edges[0].label.lines) <= 3


def test_fifty_edges_on_one_side_spread_and_grow_the_node() -> None:
    targets = [(f"t{k}", "rectangle", f"T{k}") for k in range(50)]
    d = make([("A", [("hub", "rectangle", "Hub")]), ("B", targets)],
             [("hub", "right", f"t{k}", "left") for k in range(50)])
    layout = clean(d)
    hub = node_box(layout, "hub")
    ys = sorted(e.points[0].y for e in layout.edges)
    assert len(set(ys)) == 50
    assert min(b - a for a, b in itertools.pairwise(ys)) >= 10
    assert hub.height >= 50 * 10


def test_fifty_edges_into_one_diamond_vertex() -> None:
    sources = [(f"s{k}", "rectangle", f"S{k}") for k in range(50)]
    d = make([("A", sources), ("B", [("d", "diamond", "Merge?")])],
             [(f"s{k}", "bottom", "d", "top") for k in range(50)])
    clean(d)


def test_generated_400_node_diagram_is_clean() -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from layout import generate  # bench/layout.py

    layout = clean(parse(generate(400)))
    assert len(layout.nodes) == 400


# --- random diagrams ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LABELS = st.sampled_from(["", "Go", "Check the order", "A rather long label that has to wrap over lines",
                           "開発チームの承認", "مراجعة الطلب", "x" * 300, "Yes", "No"])


@st.composite
def random_diagrams(draw: st.DrawFn) -> Diagram:
    n_lanes = draw(st.integers(1, 5))
    n_nodes = draw(st.integers(0, 14))
    lanes: list[tuple[str, list[tuple[str, str, str]]]] = [(f"L{k}", []) for k in range(n_lanes)]
    for i in range(n_nodes):
        lane = draw(st.integers(0, n_lanes - 1))
        shape = draw(st.sampled_from(["circle", "rectangle", "diamond", "taskbox"]))
        lanes[lane][1].append((f"n{i}", shape, draw(_LABELS)))
    edges = []
    if n_nodes:
        for _ in range(draw(st.integers(0, 2 * n_nodes))):
            edges.append((f"n{draw(st.integers(0, n_nodes - 1))}", draw(st.sampled_from(SIDES)),
                          f"n{draw(st.integers(0, n_nodes - 1))}", draw(st.sampled_from(SIDES)),
                          draw(st.one_of(st.none(), _LABELS))))
    loops = []
    if n_nodes >= 2 and draw(st.booleans()):
        members = draw(st.lists(st.integers(0, n_nodes - 1), min_size=2, max_size=4, unique=True))
        loops.append(("retry", tuple(f"n{m}" for m in members)))
    return make(lanes, edges, loops)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_diagrams())
def test_random_diagrams_lay_out_cleanly(diagram: Diagram) -> None:
    layout = layout_workflow(diagram)
    compact = ([(n.id, n.lane, n.shape, n.label[:12]) for n in diagram.nodes],
               [(e.source, e.source_side, e.target, e.target_side, e.label and e.label[:12]) for e in diagram.edges],
               [loop.nodes for loop in diagram.loops])
    assert hard_defects(layout) == [], compact
    assert layout_workflow(diagram) == layout
