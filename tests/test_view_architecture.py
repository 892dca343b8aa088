"""The architecture view: one test per rule, then geometry and SVG over every diagram."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest

from flowzap_docs.layout.geometry import Point, Rect
from flowzap_docs.parser import parse
from flowzap_docs.views.architecture.draw import render_architecture
from flowzap_docs.views.architecture.graph import (
    assign_layers,
    break_cycles,
    dependencies,
    order_layers,
    split_long_edges,
    stereotype,
)
from flowzap_docs.views.architecture.layout import layout_architecture

DATA = Path(__file__).parent / "data"
DIAGRAMS = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))
NS = "{http://www.w3.org/2000/svg}"


def lanes(*blocks: str) -> str:
    return "\n".join(blocks) + "\n"


THREE = lanes(
    'Web { # Web app',
    'n1: rectangle label:"Form"',
    'n2: rectangle label:"Page"',
    'n1.handle(right) -> n2.handle(left)',
    'n1.handle(bottom) -> Api.n3.handle(top) [label="POST /a"]',
    'n1.handle(bottom) -> Api.n4.handle(top) [label="POST /b"]',
    'n2.handle(bottom) -> Api.n4.handle(top) [label="GET /c"]',
    'n2.handle(bottom) -> Api.n3.handle(top) [label="POST /a"]',
    '}',
    'Api { # API gateway',
    'n3: rectangle label:"Handle"',
    'n4: rectangle label:"Handle more"',
    'n3.handle(bottom) -> Db.n5.handle(top) [label="query"]',
    'n4.handle(top) -> Web.n2.handle(bottom) [label="200"]',
    '}',
    'Db { # Orders database',
    'n5: rectangle label:"Rows"',
    'n5.handle(top) -> Api.n4.handle(bottom)',
    'n5.handle(top) -> Web.n1.handle(bottom) [label="push"]',
    '}',
)


# --- the dependency graph -------------------------------------------------------------------

def test_edges_between_the_same_ordered_pair_merge_into_one_dependency():
    deps = dependencies(parse(THREE))
    pairs = [(d.source, d.target) for d in deps]
    assert pairs == [("Web", "Api"), ("Api", "Db"), ("Api", "Web"), ("Db", "Api"), ("Db", "Web")]
    web_api = deps[0]
    assert [e.id for e in web_api.edges] == ["e2", "e3", "e4", "e5"]
    assert web_api.texts == ("POST /a", "POST /b", "GET /c")  # distinct, in order


def test_a_long_merged_label_is_shortened():
    web_api = dependencies(parse(THREE))[0]
    assert web_api.label == "POST /a\nPOST /b\n+1 more"


def test_an_unlabelled_edge_is_named_by_its_target():
    db_api = [d for d in dependencies(parse(THREE)) if (d.source, d.target) == ("Db", "Api")][0]
    assert db_api.label == "Handle more"


def test_edges_inside_one_lane_are_not_dependencies():
    assert all(d.source != d.target for d in dependencies(parse(THREE)))
    layout = layout_architecture(parse(THREE))
    assert not any("e1" in d.edge_ids for d in layout.dependencies)


def test_cycles_are_broken_in_text_order():
    # A->B, B->C, C->A: the edge closing the cycle (C->A) is the one drawn backwards.
    assert break_cycles(["A", "B", "C"], [("A", "B"), ("B", "C"), ("C", "A")]) == {2}
    # Answers between two lanes: the second direction is reversed.
    assert break_cycles(["A", "B"], [("A", "B"), ("B", "A")]) == {1}


def test_layers_are_the_longest_path():
    layer = assign_layers(["A", "B", "C", "D"], [("A", "B"), ("B", "C"), ("A", "C")])
    assert layer == {"A": 0, "B": 1, "C": 2, "D": 0}


def test_a_dependency_spanning_layers_gets_a_dummy_per_crossed_layer():
    diagram = parse(THREE)
    deps = dependencies(diagram)
    lanes_ = [ln.id for ln in diagram.lanes]
    rev = break_cycles(lanes_, [(d.source, d.target) for d in deps])
    layer = assign_layers(lanes_, [((d.target, d.source) if i in rev else (d.source, d.target))
                                   for i, d in enumerate(deps)])
    chains = split_long_edges(deps, rev, layer)
    for chain in chains:
        assert len(chain.elements) == abs(layer[chain.dependency.source] - layer[chain.dependency.target]) + 1
    order = order_layers(lanes_, dict(layer), chains)
    assert sorted(el for col in order for el in col if not el.startswith("\x00")) == sorted(lanes_)


@pytest.mark.parametrize(("lane_id", "name", "kind"), [
    ("Customer", "Customer", "actor"), ("User", "End users", "actor"), ("Db", "Orders", "database"),
    ("Store", "Event store", "database"), ("MessageBroker", "Message Broker", "queue"),
    ("Kafka", "Kafka", "queue"), ("Api", "API gateway", "gateway"), ("UserService", "User Service", "service"),
    ("Producer", "Event Producer", None),
])
def test_stereotypes_come_from_the_lane_name(lane_id, name, kind):
    assert stereotype(lane_id, name) == kind


# --- geometry over every example and corpus diagram -----------------------------------------

def _overlap(a: Rect, b: Rect, slack: float = 0.5) -> bool:
    return a.x < b.right - slack and b.x < a.right - slack and a.y < b.bottom - slack and b.y < a.bottom - slack


def _segments(points: tuple[Point, ...]) -> list[tuple[Point, Point]]:
    return [(a, b) for a, b in zip(points, points[1:], strict=False) if (a.x, a.y) != (b.x, b.y)]


def _crosses(seg: tuple[Point, Point], box: Rect, inset: float = 1.0) -> bool:
    (a, b) = seg
    x1, x2 = sorted((a.x, b.x))
    y1, y2 = sorted((a.y, b.y))
    return x1 < box.right - inset and x2 > box.x + inset and y1 < box.bottom - inset and y2 > box.y + inset


@pytest.fixture(scope="module", params=DIAGRAMS, ids=lambda p: p.name)
def laid_out(request):
    diagram = parse(request.param.read_text(encoding="utf-8"), filename=str(request.param))
    return diagram, layout_architecture(diagram)


def test_one_component_per_lane_and_none_overlap(laid_out):
    diagram, layout = laid_out
    assert [c.lane_id for c in layout.components] == [ln.id for ln in diagram.lanes]
    for a, b in combinations(layout.components, 2):
        assert not _overlap(a.box, b.box, slack=-10), (a.lane_id, b.lane_id)  # and 10 px apart at least


def test_components_list_their_nodes(laid_out):
    diagram, layout = laid_out
    for c in layout.components:
        assert [i.node_id for i in c.items] == [n.id for n in diagram.nodes_in(c.lane_id)]
        for item in c.items:
            t = item.text
            assert c.box.x < t.x - t.width / 2 and t.x + t.width / 2 < c.box.right
            assert c.box.y < t.y < c.box.bottom


def test_arrows_are_orthogonal_and_cross_no_box(laid_out):
    _, layout = laid_out
    boxes = {c.lane_id: c.box for c in layout.components}
    for d in layout.dependencies:
        for seg in _segments(d.points):
            a, b = seg
            assert a.x == b.x or a.y == b.y, "orthogonal"
            for lane, box in boxes.items():
                assert not _crosses(seg, box), (d.source, d.target, lane)
        # Ends on the named boxes' sides: leaving one, entering the other.
        start, end = d.points[0], d.points[-1]
        src, dst = boxes[d.source], boxes[d.target]
        assert start.x in (src.x, src.right) and src.y <= start.y <= src.bottom
        assert end.x in (dst.x, dst.right) and dst.y <= end.y <= dst.bottom


def test_arrows_do_not_run_along_each_other(laid_out):
    _, layout = laid_out
    segs = [(i, s) for i, d in enumerate(layout.dependencies) for s in _segments(d.points)]
    for (i, (a1, b1)), (j, (a2, b2)) in combinations(segs, 2):
        if i == j:
            continue
        if a1.y == b1.y == a2.y == b2.y:
            lo, hi = max(min(a1.x, b1.x), min(a2.x, b2.x)), min(max(a1.x, b1.x), max(a2.x, b2.x))
            assert hi - lo < 1, "two arrows share a horizontal stretch"
        if a1.x == b1.x == a2.x == b2.x:
            lo, hi = max(min(a1.y, b1.y), min(a2.y, b2.y)), min(max(a1.y, b1.y), max(a2.y, b2.y))
            assert hi - lo < 1, "two arrows share a vertical stretch"


def test_labels_touch_no_box_line_or_other_label(laid_out):
    _, layout = laid_out
    labels = [d.label_box for d in layout.dependencies if d.label_box is not None]
    for a, b in combinations(labels, 2):
        assert not _overlap(a, b)
    for label in labels:
        for c in layout.components:
            assert not _overlap(label, c.box)
        for d in layout.dependencies:
            for seg in _segments(d.points):
                assert not _crosses(seg, label, inset=0.5)


def test_layers_read_left_to_right(laid_out):
    _, layout = laid_out
    boxes = {c.lane_id: c.box for c in layout.components}
    for d in layout.dependencies:
        left, right = (d.target, d.source) if d.reversed else (d.source, d.target)
        assert boxes[left].right < boxes[right].x


def test_everything_is_inside_the_picture(laid_out):
    _, layout = laid_out
    for c in layout.components:
        assert c.box.x >= 0 and c.box.y >= 0 and c.box.right <= layout.width and c.box.bottom <= layout.height
    for d in layout.dependencies:
        for p in d.points:
            assert 0 <= p.x <= layout.width and 0 <= p.y <= layout.height


def test_titles_only_drops_the_inner_list():
    full = layout_architecture(parse(THREE))
    bare = layout_architecture(parse(THREE), titles_only=True)
    assert all(c.items for c in full.components)
    assert all(not c.items and c.divider is None for c in bare.components)
    assert sum(c.box.height for c in bare.components) < sum(c.box.height for c in full.components)


# --- the SVG ---------------------------------------------------------------------------------

def _classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_svg_counts_match_the_diagram(path):
    diagram = parse(path.read_text(encoding="utf-8"))
    root = ET.fromstring(render_architecture(diagram, id_prefix="fz-t"))
    assert root.get("data-view") == "architecture" and root.get("role") == "img"
    groups = list(root.iter(f"{NS}g"))
    comps = [g.get("data-lane") for g in groups if "fz-component" in _classes(g)]
    assert comps == [ln.id for ln in diagram.lanes]
    deps = [(g.get("data-from-lane"), g.get("data-to-lane")) for g in groups if "fz-dependency" in _classes(g)]
    assert deps == [(d.source, d.target) for d in dependencies(diagram)]
    assert len(set(deps)) == len(deps)
    assert "<script" not in ET.tostring(root, encoding="unicode")
    for el in root.iter():
        if el.get("id"):
            assert el.get("id").startswith("fz-t")


def test_stereotype_is_written_in_the_component():
    root = ET.fromstring(render_architecture(parse(THREE), id_prefix="fz-t"))
    kinds = {g.get("data-lane"): g.get("data-stereotype") for g in root.iter(f"{NS}g")
             if "fz-component" in _classes(g)}
    assert kinds == {"Web": None, "Api": "gateway", "Db": "database"}
    assert "\u00abdatabase\u00bb" in ET.tostring(root, encoding="unicode")


def test_output_is_byte_identical_and_themable():
    diagram = parse((DATA / "examples" / "event-driven.fz").read_text())
    one = render_architecture(diagram, id_prefix="fz-a")
    assert one == render_architecture(diagram, id_prefix="fz-a")
    assert render_architecture(diagram, id_prefix="fz-a", theme="dark") != one
    assert "prefers-color-scheme:dark" in one and "<desc" in one


def test_speed_is_comparable_to_the_workflow_view():
    """Best of several runs (robust to a busy machine), against the workflow view on the same diagram."""
    from flowzap_docs.views.workflow.draw import render_workflow

    diagram = parse((DATA / "examples" / "event-driven.fz").read_text())

    def best(draw) -> float:
        draw(diagram, id_prefix="fz-w")
        times = []
        for _ in range(15):
            started = time.perf_counter()
            draw(diagram, id_prefix="fz-w")
            times.append(time.perf_counter() - started)
        return min(times)

    ours, workflow = best(render_architecture), best(render_workflow)
    assert ours < 0.01 and ours <= workflow * 1.5


# --- any diagram draws (random shapes straight from the model) ---------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from flowzap_docs.model import Diagram, Edge, Lane, Node  # noqa: E402


@st.composite
def diagrams(draw) -> Diagram:
    n_lanes = draw(st.integers(1, 7))
    lanes_ = tuple(Lane(f"L{i}", draw(st.sampled_from([None, f"Lane {i}", "Order database", "x" * 90])), i + 1, 1)
                   for i in range(n_lanes))
    nodes = tuple(Node(f"n{i}", f"L{i % n_lanes}", "rectangle", f"Step {i}", 10 + i, 1)
                  for i in range(draw(st.integers(0, 12))))
    edges: list[Edge] = []
    if nodes:
        for k in range(draw(st.integers(0, 18))):
            a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            edges.append(Edge(f"e{k + 1}", a.id, "right", b.id, "left", 40 + k, 1,
                              label=draw(st.sampled_from([None, "ok", "a label long enough to wrap twice over"]))))
    return Diagram(lanes_, nodes, tuple(edges))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_any_diagram_draws_without_overlaps_or_arrows_through_boxes(diagram):
    layout = layout_architecture(diagram)
    boxes = [c.box for c in layout.components]
    for a, b in combinations(boxes, 2):
        assert not _overlap(a, b)
    labels = [d.label_box for d in layout.dependencies if d.label_box]
    for a, b in combinations(labels, 2):
        assert not _overlap(a, b)
    for d in layout.dependencies:
        for seg in _segments(d.points):
            assert seg[0].x == seg[1].x or seg[0].y == seg[1].y
            assert not any(_crosses(seg, box) for box in boxes)
            assert not any(_crosses(seg, label, inset=0.5) for label in labels)
    ET.fromstring(render_architecture(diagram, id_prefix="fz-h"))
