"""The sequence view: one test per rule of the view, then geometry and SVG over every diagram."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest

from flowzap_docs.layout.geometry import Rect
from flowzap_docs.parser import parse
from flowzap_docs.views.sequence.draw import render_sequence, sequence_warnings
from flowzap_docs.views.sequence.layout import BAR_HALF, REPEAT_HEADERS_AFTER, layout_sequence
from flowzap_docs.views.sequence.model import SEQUENCE_RULE_CODE, Message, Note, read_conversation

DATA = Path(__file__).parent / "data"
DIAGRAMS = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))
NS = "{http://www.w3.org/2000/svg}"


def lanes(*blocks: str) -> str:
    return "\n".join(blocks) + "\n"


A_B = lanes(
    'A { # Alpha',
    'n1: rectangle label:"Ask"',
    'n3: rectangle label:"Use answer"',
    'n1.handle(bottom) -> B.n2.handle(top) [label="request"]',
    '}',
    'B { # Beta',
    'n2: rectangle label:"Work"',
    'n2.handle(top) -> A.n3.handle(bottom)',
    '}',
)


def _conv(text: str):
    return read_conversation(parse(text))


# --- the conversation: messages, returns, bars, notes, fragments, the rule -------------------

def test_every_edge_is_one_message_in_source_order():
    diagram = parse((DATA / "examples" / "event-driven.fz").read_text())
    conv = read_conversation(diagram)
    assert [m.edge.id for m in conv.messages] == [e.id for e in diagram.edges]


def test_an_answer_to_an_open_request_is_a_return_with_an_activation_bar():
    conv = _conv(A_B)
    request, answer = conv.messages
    assert request.kind == "request" and answer.kind == "return" and answer.answers == request.row
    (bar,) = conv.activations
    assert (bar.lane, bar.start, bar.end, bar.depth) == ("B", request.row, answer.row, 0)
    assert conv.warnings == ()


def test_message_text_is_the_edge_label_else_the_target_label():
    request, answer = _conv(A_B).messages
    assert request.text == "request"
    assert answer.text == "Use answer"


def test_an_edge_inside_one_lane_is_a_self_message():
    conv = _conv(lanes('A { # A', 'n1: circle label:"S"', 'n2: rectangle label:"T"',
                       'n1.handle(right) -> n2.handle(left)', '}'))
    (msg,) = conv.messages
    assert msg.kind == "self" and msg.source_lane == msg.target_lane == "A"


def test_a_request_not_answered_before_the_next_request_is_warned_at_its_edge():
    text = lanes(
        'A { # Alpha',
        'n1: rectangle label:"One"',
        'n2: rectangle label:"Two"',
        'n1.handle(bottom) -> B.n3.handle(top)',
        'n2.handle(bottom) -> C.n4.handle(top)',
        '}',
        'B { # Beta', 'n3: rectangle label:"B"', '}',
        'C { # Gamma', 'n4: rectangle label:"C"', '}',
    )
    (warning,) = sequence_warnings(parse(text))
    assert warning.code == SEQUENCE_RULE_CODE == "FZ250"
    assert warning.severity == "warning"
    assert (warning.line, warning.column) == (4, 1)
    assert "'Alpha'" in warning.message and "'Beta'" in warning.message


def test_a_nested_call_by_the_busy_lane_is_not_a_break_of_the_rule():
    text = lanes(
        'A { # A', 'n1: rectangle label:"a1"', 'n6: rectangle label:"a2"',
        'n1.handle(bottom) -> B.n2.handle(top)', '}',
        'B { # B', 'n2: rectangle label:"b1"', 'n4: rectangle label:"b2"',
        'n2.handle(bottom) -> C.n3.handle(top)', 'n4.handle(top) -> A.n6.handle(bottom)', '}',
        'C { # C', 'n3: rectangle label:"c1"', 'n3.handle(top) -> B.n4.handle(bottom)', '}',
    )
    conv = _conv(text)
    # Written lane by lane: A->B, B->C, B->A (answers A), C->B (answers B, still open).
    assert [m.kind for m in conv.messages] == ["request", "request", "return", "return"]
    assert conv.warnings == ()
    assert sorted((a.lane, a.start, a.end) for a in conv.activations) == [("B", 0, 2), ("C", 1, 3)]


def test_nested_activations_on_one_lane_go_deeper():
    text = lanes(
        'A { # A', 'n1: rectangle label:"a"', 'n4: rectangle label:"a2"',
        'n1.handle(bottom) -> B.n2.handle(top)',
        'n5.handle(bottom) -> B.n3.handle(top)',
        'n4.handle(bottom) -> B.n6.handle(top)',
        '}',
        'B { # B', 'n2: rectangle label:"b"', 'n3: rectangle label:"b2"', 'n6: rectangle label:"b3"',
        'n2.handle(top) -> A.n5.handle(bottom)', '}',
        'Z { # Z', 'n5: rectangle label:"z"', '}',
    )
    diagram = parse(text)
    conv = read_conversation(diagram)
    assert [m.kind for m in conv.messages][:1] == ["request"]
    assert all(a.depth >= 0 for a in conv.activations)


def test_nodes_no_edge_touches_are_notes_where_they_are_written():
    text = lanes('A { # A', 'n1: circle label:"S"', 'n2: rectangle label:"T"',
                 'n1.handle(right) -> n2.handle(left)', 'n3: rectangle label:"Alone"', '}')
    conv = _conv(text)
    assert [type(r).__name__ for r in conv.rows] == ["Message", "Note"]
    (note,) = conv.notes
    assert note.node.id == "n3" and note.text == "Alone"


def test_a_loop_wraps_the_rows_involving_its_nodes():
    conv = read_conversation(parse((DATA / "examples" / "order-approval.fz").read_text()))
    diagram = parse((DATA / "examples" / "order-approval.fz").read_text())
    (fragment,) = conv.fragments
    nodes = set(diagram.loops[0].nodes)
    involved = [r.row for r in conv.rows if isinstance(r, Message) and ({r.edge.source, r.edge.target} & nodes)]
    assert (fragment.first, fragment.last) == (min(involved), max(involved))


def test_nested_and_overlapping_loops_are_inset():
    text = lanes(
        'A { # A', 'n1: rectangle label:"1"', 'n2: rectangle label:"2"', 'n3: rectangle label:"3"',
        'n4: rectangle label:"4"',
        'n1.handle(right) -> n2.handle(left)', 'n2.handle(right) -> n3.handle(left)',
        'n3.handle(right) -> n4.handle(left)',
        'loop [outer] n1 n4', 'loop [inner] n2 n3', '}',
    )
    conv = _conv(text)
    levels = {f.loop.condition: f.level for f in conv.fragments}
    assert levels == {"outer": 0, "inner": 1}
    layout = layout_sequence(parse(text))
    outer, inner = sorted(layout.fragments, key=lambda f: f.index)
    assert _inside(inner.box, outer.box)


# --- geometry over every example and corpus diagram -----------------------------------------

def _overlap(a: Rect, b: Rect, slack: float = 0.5) -> bool:
    return (a.x < b.right - slack and b.x < a.right - slack and a.y < b.bottom - slack and b.y < a.bottom - slack)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (outer.x <= inner.x and inner.right <= outer.right and outer.y <= inner.y and inner.bottom <= outer.bottom)


@pytest.fixture(scope="module", params=DIAGRAMS, ids=lambda p: p.name)
def laid_out(request):
    diagram = parse(request.param.read_text(encoding="utf-8"), filename=str(request.param))
    return diagram, layout_sequence(diagram)


def test_participants_are_the_lanes_in_order(laid_out):
    diagram, layout = laid_out
    assert [p.lane_id for p in layout.participants] == [ln.id for ln in diagram.lanes]
    xs = [p.x for p in layout.participants]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    heads = [p.header for p in layout.participants]
    assert not any(_overlap(a, b) for a, b in combinations(heads, 2))


def test_messages_are_the_edges_top_to_bottom(laid_out):
    diagram, layout = laid_out
    assert [m.edge_id for m in layout.messages] == [e.id for e in diagram.edges]
    tops = [min(p.y for p in m.points) for m in layout.messages]
    assert tops == sorted(tops)
    assert len(set(tops)) == len(tops)


def test_arrows_run_from_lifeline_to_lifeline(laid_out):
    _, layout = laid_out
    x = {p.lane_id: p.x for p in layout.participants}
    for m in layout.messages:
        first, last = m.points[0], m.points[-1]
        if m.kind == "self":
            assert first.x >= x[m.source_lane] - 0.01 and last.x >= x[m.source_lane]
            continue
        assert first.y == last.y
        for point, lane in ((first, m.source_lane), (last, m.target_lane)):
            assert abs(point.x - x[lane]) <= BAR_HALF + 6 * 4  # the lifeline or the edge of its bar


def test_no_text_overlaps_another_text_a_header_or_an_arrow(laid_out):
    _, layout = laid_out
    labels = [m.text_box for m in layout.messages if m.text_box is not None]
    labels += [n.box for n in layout.notes]
    labels += [Rect(f.tab.x, f.tab.y, f.box.width, max(f.tab.height, f.condition.height if f.condition else 0))
               for f in layout.fragments]
    for a, b in combinations(labels, 2):
        assert not _overlap(a, b), (a, b)
    heads = [p.header for p in layout.participants] + [p.footer for p in layout.participants if p.footer]
    for label in labels:
        assert not any(_overlap(label, h) for h in heads)
    for m in layout.messages:
        for other in layout.messages:
            if other is m or other.text_box is None:
                continue
            ys = [p.y for p in m.points]
            xs = [p.x for p in m.points]
            arrow = Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
            assert not _overlap(other.text_box, arrow, slack=0.2) or other.row == m.row


def test_self_message_labels_stop_before_the_next_lifeline(laid_out):
    _, layout = laid_out
    xs = [p.x for p in layout.participants]
    for m in layout.messages:
        if m.kind == "self" and m.text_box is not None:
            k = xs.index(next(p.x for p in layout.participants if p.lane_id == m.source_lane))
            if k + 1 < len(xs):
                assert m.text_box.right < xs[k + 1] - BAR_HALF


def test_fragments_wrap_their_messages(laid_out):
    _, layout = laid_out
    conv = layout.conversation
    for f, frag in zip(layout.fragments, conv.fragments, strict=True):
        for m in layout.messages:
            if frag.first <= m.row <= frag.last:
                for p in m.points:
                    assert f.box.x <= p.x <= f.box.right and f.box.y < p.y < f.box.bottom


def test_everything_is_inside_the_picture(laid_out):
    _, layout = laid_out
    boxes = [p.header for p in layout.participants] + [f.box for f in layout.fragments]
    boxes += [m.text_box for m in layout.messages if m.text_box] + [n.box for n in layout.notes]
    for b in boxes:
        assert b.x >= 0 and b.y >= 0 and b.right <= layout.width and b.bottom <= layout.height


def test_long_diagrams_repeat_the_headers_at_the_bottom():
    diagram = parse((DATA / "examples" / "event-driven.fz").read_text())
    assert len(diagram.edges) > REPEAT_HEADERS_AFTER
    layout = layout_sequence(diagram)
    assert all(p.footer is not None and p.footer.y > max(m.points[-1].y for m in layout.messages)
               for p in layout.participants)
    short = layout_sequence(parse(A_B))
    assert all(p.footer is None for p in short.participants)


def test_column_spacing_grows_with_the_widest_label():
    narrow = layout_sequence(parse(A_B))
    wide = layout_sequence(parse(A_B.replace('label="request"', 'label="a much longer request label here"')))
    gap = [p.x for p in narrow.participants]
    wider = [p.x for p in wide.participants]
    assert wider[1] - wider[0] > gap[1] - gap[0]
    (m,) = [m for m in wide.messages if m.kind == "request"]
    assert m.text_box.x > wider[0] and m.text_box.right < wider[1]


def test_long_message_text_wraps():
    text = A_B.replace('label="request"', 'label="' + "word " * 30 + '"')
    layout = layout_sequence(parse(text))
    request = layout.messages[0]
    assert len(request.text.lines) > 1
    assert request.text.width <= 215


# --- the SVG ---------------------------------------------------------------------------------

def _svg(path: Path, **options) -> ET.Element:
    diagram = parse(path.read_text(encoding="utf-8"))
    return ET.fromstring(render_sequence(diagram, id_prefix="fz-t", **options))


def _classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_svg_counts_match_the_diagram(path):
    diagram = parse(path.read_text(encoding="utf-8"))
    root = ET.fromstring(render_sequence(diagram, id_prefix="fz-t"))
    assert root.get("data-view") == "sequence" and root.get("role") == "img"
    groups = list(root.iter(f"{NS}g"))
    participants = [g.get("data-lane") for g in groups if "fz-participant" in _classes(g)]
    assert participants == [ln.id for ln in diagram.lanes]
    messages = [g for g in groups if "fz-message" in _classes(g)]
    assert [(g.get("data-from"), g.get("data-to")) for g in messages] == [(e.source, e.target) for e in diagram.edges]
    lane_of = {n.id: n.lane for n in diagram.nodes}
    assert [(g.get("data-from-lane"), g.get("data-to-lane")) for g in messages] == [
        (lane_of[e.source], lane_of[e.target]) for e in diagram.edges]
    conv = read_conversation(diagram)
    assert sum("fz-return" in _classes(g) for g in messages) == sum(m.kind == "return" for m in conv.messages)
    assert len([g for g in groups if "fz-loop" in _classes(g)]) == len(conv.fragments)
    assert len([g for g in groups if "fz-note" in _classes(g)]) == len(conv.notes)
    assert len([r for r in root.iter(f"{NS}rect") if "fz-activation" in _classes(r)]) == len(conv.activations)
    assert root.find(f"{NS}script") is None and "<script" not in ET.tostring(root, encoding="unicode")
    for el in root.iter():
        if el.get("id"):
            assert el.get("id").startswith("fz-t")


def test_output_is_byte_identical_and_themable():
    diagram = parse((DATA / "examples" / "event-driven.fz").read_text())
    one = render_sequence(diagram, id_prefix="fz-a")
    assert one == render_sequence(diagram, id_prefix="fz-a")
    dark = render_sequence(diagram, id_prefix="fz-a", theme="dark")
    assert dark != one and "--fz-bg:#1b1f27" in dark
    assert "prefers-color-scheme:dark" in one  # the default theme follows the page
    assert "<title" in one and "<desc" in one and 'aria-labelledby="fz-a-t fz-a-d"' in one


def test_description_names_participants_and_messages():
    root = _svg(DATA / "examples" / "request-response.fz")
    desc = root.find(f"{NS}desc").text
    assert "Browser" in desc and "POST /login" in desc


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

    ours, workflow = best(render_sequence), best(render_workflow)
    assert ours < 0.01 and ours <= workflow * 1.5


def test_notes_are_drawn_on_their_lifeline():
    text = lanes('A { # A', 'n1: circle label:"S"', 'n2: rectangle label:"T"',
                 'n1.handle(right) -> n2.handle(left)', 'n3: rectangle label:"Alone"', '}',
                 'B { # B', 'n4: rectangle label:"Also alone"', '}')
    layout = layout_sequence(parse(text))
    x = {p.lane_id: p.x for p in layout.participants}
    assert {n.node_id for n in layout.notes} == {"n3", "n4"}
    for n in layout.notes:
        assert n.box.x < x[n.lane_id] < n.box.right
    assert isinstance(layout.conversation.rows[-1], Note)


def test_the_sequence_rule_is_reported_by_the_pipeline_in_the_sequence_view_only():
    from flowzap_docs.pipeline import DiagramRequest, Renderer

    source = (DATA / "examples" / "event-driven.fz").read_text()
    renderer = Renderer()
    seq = renderer.render(DiagramRequest(source, view="sequence", filename="page.md", line_offset=7))
    rule = [d for d in seq.diagnostics if d.code == SEQUENCE_RULE_CODE]
    assert seq.ok and len(rule) == len(sequence_warnings(parse(source))) == 1
    assert rule[0].line == 25 + 7  # the ACK edge, in the host file
    flow = renderer.render(DiagramRequest(source, view="workflow", filename="page.md"))
    assert not [d for d in flow.diagnostics if d.code == SEQUENCE_RULE_CODE]


# --- any diagram draws (random shapes straight from the model) ---------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from flowzap_docs.model import Diagram, Edge, Lane, Loop, Node  # noqa: E402


@st.composite
def diagrams(draw) -> Diagram:
    n_lanes = draw(st.integers(1, 5))
    lanes_ = tuple(Lane(f"L{i}", draw(st.sampled_from([None, "", f"Lane {i}", "x" * 80, "مرحبا"])), i + 1, 1)
                   for i in range(n_lanes))
    n_nodes = draw(st.integers(0, 10))
    nodes = tuple(Node(f"n{i}", f"L{draw(st.integers(0, n_lanes - 1))}",
                       draw(st.sampled_from(["circle", "rectangle", "diamond", "taskbox"])),
                       draw(st.sampled_from(["", "Go", "A rather long label that has to wrap somewhere", "開始"])),
                       10 + i, 1) for i in range(n_nodes))
    edges: list[Edge] = []
    if nodes:
        for k in range(draw(st.integers(0, 14))):
            a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            edges.append(Edge(f"e{k + 1}", a.id, "right", b.id, "left", 40 + k, 1,
                              label=draw(st.sampled_from([None, "", "ok", "a label long enough to wrap twice over"]))))
    loops = []
    if len(nodes) >= 2:
        for k in range(draw(st.integers(0, 3))):
            picked = draw(st.lists(st.sampled_from([n.id for n in nodes]), min_size=2, max_size=4))
            loops.append(Loop(f"again {k}", tuple(picked), 80 + k, 1))
    return Diagram(lanes_, nodes, tuple(edges), tuple(loops))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diagrams())
def test_any_diagram_draws_without_overlapping_texts(diagram):
    layout = layout_sequence(diagram)
    assert [m.edge_id for m in layout.messages] == [e.id for e in diagram.edges]
    texts = [m.text_box for m in layout.messages if m.text_box] + [n.box for n in layout.notes]
    for a, b in combinations(texts, 2):
        assert not _overlap(a, b)
    ET.fromstring(render_sequence(diagram, id_prefix="fz-h"))


def test_a_label_sits_beside_its_sender_when_the_first_gap_holds_it(laid_out):
    _, layout = laid_out
    xs = sorted(p.x for p in layout.participants)
    for m in layout.messages:
        if m.kind == "self" or m.text_box is None:
            continue
        x1, x2 = sorted((m.points[0].x, m.points[-1].x))
        crossed = [x for x in xs if x1 + BAR_HALF * 3 < x < x2 - BAR_HALF * 3]
        sender = m.points[0].x
        first_gap = min((abs(x - sender) for x in xs if abs(x - sender) > BAR_HALF * 3), default=0)
        if crossed and first_gap >= m.text_box.width + 40:
            assert not any(m.text_box.x < x < m.text_box.right for x in crossed)


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_diagram_draws_through_render_svg_in_both_views(path):
    from flowzap_docs.render import render_svg

    source = path.read_text(encoding="utf-8")
    for view in ("sequence", "architecture"):
        root = ET.fromstring(render_svg(source, view=view, filename=path.name))
        assert root.get("data-view") == view
        assert root.get("id").startswith("fz-")
