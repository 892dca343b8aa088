"""The Pygments lexer colours FlowZap Code and is found under its registered name."""

from __future__ import annotations

from pathlib import Path

from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Operator, String

from flowzap_docs.lexer import FlowZapLexer

DATA = Path(__file__).parent / "data"


def tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in FlowZapLexer().get_tokens(text) if v.strip()]


def test_lexer_is_registered_as_flowzap() -> None:
    assert isinstance(get_lexer_by_name("flowzap"), FlowZapLexer)
    assert isinstance(get_lexer_for_filename("order.fz"), FlowZapLexer)


def test_shapes_handles_and_labels_get_their_own_tokens() -> None:
    toks = tokens('n1: circle label:"Start"\nn1.handle(right) -> Lane.n2.handle(left) [label="Yes"]\n')
    assert (Keyword.Type, "circle") in toks
    assert (Keyword.Constant, "right") in toks
    assert (Operator, "->") in toks
    assert (Name.Function, "n1") in toks
    assert (String.Double, "Start") in toks and (String.Double, "Yes") in toks


def test_lane_header_and_comment() -> None:
    toks = tokens("// note\nSales { # Sales team\n}\n")
    assert toks[0][1] == "// note"
    assert (Name.Class, "Sales") in toks
    assert (Name.Label, " Sales team") in toks


def test_every_example_lexes_without_error_tokens() -> None:
    for path in sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz")):
        text = path.read_text(encoding="utf-8")
        assert not [v for t, v in FlowZapLexer().get_tokens(text) if t is Error], path.name
        assert "".join(v for _, v in FlowZapLexer().get_tokens(text)).rstrip("\n") == text.rstrip("\n").replace("\r\n", "\n").lstrip("\ufeff")
