"""Canonical formatting: the exact form, idempotence, meaning kept, comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowzap_docs import FlowZapError, parse
from flowzap_docs.fmt import format_source, semantic

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_round_trip_and_idempotent_on_real_files(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    once = format_source(source)
    assert format_source(once) == once
    assert semantic(parse(once)) == semantic(parse(source))
    from_model = format_source(parse(source))
    assert semantic(parse(from_model)) == semantic(parse(source))
    assert format_source(from_model) == from_model


def test_canonical_form() -> None:
    source = (
        "\ufeffSales {# Sales team }\r\n"
        "Ops {\r\n"
        "    # Operations\r\n"
        "n1.handle(right)->n2.handle(left)   [label:\"Go\" , label@fr:\"Allez\"]\r\n"
        "\r\n"
        "n2: rectangle   owner:\"me\" label=\"Two\"\r\n"
        "n1: circle label:\"One\" label:\"Uno\"\r\n"
        "loop [  retry ]   n1    Ops.n2\r\n"
        "}"
    )
    assert format_source(source) == (
        "Sales { # Sales team\n"
        "}\n"
        "\n"
        "Ops { # Operations\n"
        '  n2: rectangle label="Two"'.replace('="', ':"') + ' owner:"me"\n'
        '  n1: circle label:"Uno"\n'
        '  n1.handle(right) -> n2.handle(left) [label="Go", label@fr="Allez"]\n'
        "  loop [retry] n1 Ops.n2\n"
        "}\n"
    )


def test_edges_stay_in_their_block_and_outside_edges_stay_between_blocks() -> None:
    source = (
        'A { # a\nn1: circle label:"x"\n}\n'
        'n1.handle(right) -> n2.handle(left)\n'
        'B { # b\nB.n2.handle(right) -> A.n1.handle(left)\nn2: circle label:"y"\n}\n'
    )
    out = format_source(source)
    assert out == (
        'A { # a\n  n1: circle label:"x"\n}\n\n'
        'n1.handle(right) -> n2.handle(left)\n\n'
        'B { # b\n  n2: circle label:"y"\n  B.n2.handle(right) -> A.n1.handle(left)\n}\n'
    )
    before, after = parse(source), parse(out)
    assert [(e.id, e.lane) for e in after.edges] == [(e.id, e.lane) for e in before.edges] == [("e1", None), ("e2", "B")]


def test_escapes_are_kept_as_written() -> None:
    source = 'A { # a\nn1: rectangle label:"a \\"b\\" c\\\\d \\n"\nn1.handle(right) -> n1.handle(left)\n}\n'
    out = format_source(source)
    assert 'label:"a \\"b\\" c\\\\d \\n"' in out
    assert parse(out).nodes[0].label == parse(source).nodes[0].label == 'a "b" c\\d \\n'


def test_comments_move_with_their_statement() -> None:
    source = (
        "// file header\n"
        "A { # a\n"
        "  // about the edge\n"
        "  n1.handle(right) -> n2.handle(left) // trailing\n"
        "  // about n1\n"
        '  n1: circle label:"x // not a comment"\n'
        '  n2: circle label:"y"\n'
        "  # stray title line\n"
        "  // last words\n"
        "}\n"
        "// the end\n"
    )
    assert format_source(source) == (
        "// file header\n"
        "A { # a\n"
        "  // about n1\n"
        '  n1: circle label:"x // not a comment"\n'
        '  n2: circle label:"y"\n'
        "  // about the edge\n"
        "  n1.handle(right) -> n2.handle(left) // trailing\n"
        "  // stray title line\n"
        "  // last words\n"
        "}\n"
        "\n"
        "// the end\n"
    )


def test_model_input_uses_the_model() -> None:
    d = parse('A { # a\nn1: circle label:"Start" label@fr:"Début"\nn1.handle(right) -> n1.handle(left) '
              '[label="a\\"b", label@fr="c"]\n}\n')
    assert format_source(d) == (
        'A { # a\n  n1: circle label:"Start" label@fr:"Début"\n'
        '  n1.handle(right) -> n1.handle(left) [label="a\\"b", label@fr="c"]\n}\n'
    )


def test_text_with_errors_is_not_formatted() -> None:
    with pytest.raises(FlowZapError):
        format_source("A {\nn1: hexagon\n}\n")


def test_empty_text() -> None:
    assert format_source("") == ""
    assert format_source("// just this\n") == "// just this\n"


def test_comment_after_a_lane_brace_moves_above_the_lane() -> None:
    source = 'A { // the A team\n  # Team A\n  n1: circle label:"x"\n} // end of A\n'
    out = format_source(source)
    assert out == '// the A team\nA { # Team A\n  n1: circle label:"x"\n  // end of A\n}\n'
    assert parse(out).lanes[0].title == "Team A"
    assert format_source(out) == out
