"""The parser fills the model faithfully, for the whole language and every lenient form."""

from __future__ import annotations

from pathlib import Path

import pytest

import flowzap_docs
from flowzap_docs import FlowZapError, parse
from flowzap_docs.model import Diagram, Translation

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))


def codes(diagram: Diagram) -> list[str]:
    return [d.code for d in diagram.warnings]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_and_corpus_file_parses(path: Path) -> None:
    diagram = parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert diagram.lanes and diagram.nodes
    assert all(d.severity == "warning" for d in diagram.warnings)
    ids = {n.id for n in diagram.nodes}
    for edge in diagram.edges:
        assert edge.source in ids and edge.target in ids
    for loop in diagram.loops:
        assert set(loop.nodes) <= ids


def test_sample_counts() -> None:
    assert len(FILES) >= 50


def test_event_driven_model() -> None:
    d = parse((DATA / "examples" / "event-driven.fz").read_text(encoding="utf-8"))
    assert [(ln.id, ln.title, ln.line) for ln in d.lanes] == [
        ("Producer", "Event Producer", 1), ("MessageBroker", "Message Broker", 12), ("Consumer", "Event Consumer", 28)]
    assert (len(d.nodes), len(d.edges), len(d.loops)) == (19, 22, 0)
    n8 = d.node("n8")
    assert (n8.lane, n8.shape, n8.label, n8.line, n8.column) == ("MessageBroker", "diamond", "Valid schema?", 15, 1)
    e3 = d.edges[2]
    assert (e3.id, e3.source, e3.source_side, e3.target, e3.target_side, e3.label, e3.lane, e3.target_prefix,
            e3.line, e3.column) == ("e3", "n3", "bottom", "n6", "top", "Publish", "Producer", "MessageBroker", 9, 1)
    assert [e.id for e in d.edges] == [f"e{i}" for i in range(1, 23)]
    assert d.warnings == ()


def test_parse_is_exported_at_top_level() -> None:
    assert flowzap_docs.parse is parse


def test_lane_header_forms() -> None:
    d = parse(
        "A {# Compact\n}\n"
        "B {\n  # Older form\n}\n"
        "C {\n}\n"
        "D { # One line }\n"
        "my-lane { # Dashes }\n"
        "E {}\n"
    )
    assert [(ln.id, ln.title) for ln in d.lanes] == [
        ("A", "Compact"), ("B", "Older form"), ("C", None), ("D", "One line"), ("my-lane", "Dashes"), ("E", None)]
    assert d.lane("C").display_name == "C"
    assert [w.code for w in d.warnings] == ["FZ207", "FZ207"]


def test_nodes_all_attributes_and_shapes() -> None:
    d = parse(
        'L { # l\n'
        'n1: taskbox label:"Review|Check docs|Verify" owner:"Alice" description:"Check" system:"CRM"\n'
        'n2: rectangle label:"Step" system:"ERP"\n'
        'n3: taskbox description:"Only a description"\n'
        'n4: circle label:""\n'
        'n5: diamond\n'
        '}\n'
    )
    n1, n2, n3, n4, n5 = d.nodes
    assert (n1.owner, n1.description, n1.system, n1.title, n1.sub_items) == (
        "Alice", "Check", "CRM", "Review", ("Check docs", "Verify"))
    assert n2.system == "ERP"
    assert n3.title == "Only a description" and n3.label == ""
    assert n4.label == "" and n5.label == "" and n5.shape == "diamond"


def test_any_identifier_is_a_node_id_and_loop_is_not_reserved() -> None:
    d = parse(
        'Lane_1 { # x\n'
        'start: circle label:"s"\n'
        'loop: rectangle label:"l"\n'
        'é-2: rectangle label:"u"\n'
        '42: circle label:"n"\n'
        'start.handle(right) -> loop.handle(left)\n'
        'loop.handle(right) -> é-2.handle(left)\n'
        'é-2.handle(right) -> 42.handle(left)\n'
        'loop [again] loop é-2\n'
        '}\n'
    )
    assert [n.id for n in d.nodes] == ["start", "loop", "é-2", "42"]
    assert d.loops[0].nodes == ("loop", "é-2")


def test_escapes_unicode_and_special_characters() -> None:
    d = parse('L { # Ünïcødé → 東京 & <x>\nn1: rectangle label:"Say \\"hi\\" \\\\ path\\n # & < → مرحبا"\n}\n')
    assert d.lanes[0].title == "Ünïcødé → 东京 & <x>".replace("东", "東")
    assert d.nodes[0].label == 'Say "hi" \\ path\\n # & < → مرحبا'


def test_bom_crlf_tabs_blank_lines_and_comments() -> None:
    text = '\ufeff// a comment\r\nL {\t# Tabbed\r\n\r\n\tn1:\tcircle\tlabel:"a"\r\n  // inside\r\n\tn1.handle(right) -> n1.handle(left)\r\n}'
    d = parse(text)
    assert d.lanes[0].title == "Tabbed"
    assert (d.nodes[0].line, d.nodes[0].column) == (4, 2)
    assert d.edges[0].line == 6


def test_lone_cr_line_ends() -> None:
    d = parse('L { # l\rn1: circle label:"a"\rn1.handle(right) -> n1.handle(left)\r}\r')
    assert d.nodes[0].line == 2 and d.edges[0].line == 3


def test_forward_references_prefixes_and_edge_lanes() -> None:
    d = parse(
        'A { # a\n'
        'n1.handle(right) -> B.n2.handle(left)\n'
        'n1: circle label:"x"\n'
        '}\n'
        'B { # b\n'
        'A.n1.handle(bottom) -> n2.handle(top) [label="back"]\n'
        'n2: circle label:"y"\n'
        '}\n'
    )
    e1, e2 = d.edges
    assert (e1.lane, e1.source_prefix, e1.target_prefix) == ("A", None, "B")
    assert (e2.lane, e2.source_prefix, e2.target_prefix, e2.label) == ("B", "A", None, "back")
    assert d.warnings == ()


def test_edges_and_loops_after_the_last_lane_warn() -> None:
    d = parse(
        'A { # a\nn1: circle label:"x"\nn2: circle label:"y"\n}\n'
        'n1.handle(right) -> n2.handle(left)\n'
        'loop [again] n1 A.n2\n'
    )
    assert d.edges[0].lane is None and d.loops[0].lane is None
    assert codes(d) == ["FZ208", "FZ208"]


def test_lenient_attribute_separators_warn_once() -> None:
    d = parse(
        'A { # a\nn1: circle label="x"\nn2: circle label="y"\n'
        'n1.handle(right) -> n2.handle(left) [label:"go"]\n}\n'
    )
    assert [n.label for n in d.nodes] == ["x", "y"]
    assert d.edges[0].label == "go"
    assert codes(d) == ["FZ210", "FZ211"]
    assert "(2 nodes)" in d.warnings[0].message


def test_inline_translations() -> None:
    d = parse(
        'A { # a\n'
        'n1: circle label:"Start" label@fr:"Début" owner:"Ann" owner@fr:"Anne" description@de="Beschreibung"\n'
        'n2: circle label:"End" system:"CRM" system@pt-BR:"CRM BR"\n'
        'n1.handle(right) -> n2.handle(left) [label="Yes", label@fr="Oui" label@ja:"はい"]\n'
        '}\n'
    )
    n1, n2 = d.nodes
    assert n1.translations == (Translation("label", "fr", "Début"), Translation("owner", "fr", "Anne"),
                               Translation("description", "de", "Beschreibung"))
    assert n2.translations == (Translation("system", "pt-BR", "CRM BR"),)
    assert d.edges[0].label == "Yes"
    assert d.edges[0].translations == (Translation("label", "fr", "Oui"), Translation("label", "ja", "はい"))


def test_translations_reach_i18n() -> None:
    from flowzap_docs.i18n import translate_diagram

    d = parse('A { # a\nn1: circle label:"Start" label@fr:"Début"\nn1.handle(right) -> n1.handle(left)\n}\n')
    assert translate_diagram(d, lang="fr_CA").nodes[0].label == "Début"


def test_loops_conditions_and_prefixes() -> None:
    d = parse(
        'A { # a\nn1: circle label:"x"\nn1.handle(right) -> B.n2.handle(left)\n'
        'loop [ retry until valid ] n1 B.n2\n}\n'
        'B { # b\nn2: circle label:"y"\n}\n'
    )
    (lp,) = d.loops
    assert (lp.condition, lp.nodes, lp.lane, lp.line, lp.column) == ("retry until valid", ("n1", "n2"), "A", 4, 1)


def test_node_order_and_ids_across_lanes() -> None:
    d = parse(
        'A { # a\nn3: circle label:"x"\n}\nB { # b\nn1: circle label:"y"\nn2: circle label:"z"\n}\n'
        'n3.handle(right) -> B.n1.handle(left)\n'
    )
    assert [n.id for n in d.nodes] == ["n3", "n1", "n2"]
    assert d.nodes_in("B") == (d.node("n1"), d.node("n2"))
    assert "FZ202" in codes(d) and "FZ203" in codes(d)


def test_empty_and_comment_only_text() -> None:
    for text in ("", "\n\n", "// only a comment\n", "\ufeff"):
        d = parse(text)
        assert d.lanes == () and d.nodes == () and d.edges == ()


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse(b"A {\n}\n")  # type: ignore[arg-type]


def test_diagram_is_immutable() -> None:
    d = parse('A { # a\nn1: circle label:"x"\n}\n')
    with pytest.raises(AttributeError):
        d.nodes[0].label = "changed"  # type: ignore[misc]


def test_errors_keep_filename_and_source() -> None:
    with pytest.raises(FlowZapError) as info:
        parse("}\n", filename="pages/x.fz")
    assert info.value.filename == "pages/x.fz"
    assert str(info.value).startswith("pages/x.fz:1:1: error[FZ107]")
