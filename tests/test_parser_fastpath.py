"""The fast path (grammar/fastpath.py) is active with the installed lark and yields exactly
what lark's public parser yields; where it cannot run, parsing still works through lark.

CI runs this file against the newest lark release too (``make test-newest-lark``): a lark that
lays out its internals differently shows up here as an inactive fast path, not as slow builds
nobody notices."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import lark
import pytest
from lark import Lark, Token

from flowzap_docs.grammar.fastpath import FileDriver
from flowzap_docs.grammar.loader import GRAMMAR_PATH, LARK_OPTIONS, get_lark
from flowzap_docs.grammar.transform import ToStatements
from flowzap_docs.parser import analyse, fast_path, normalize

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))


def positions(value: Any) -> Any:
    """Statements as plain data, every token with its type, text, line and columns (a Token
    compares equal to any Token of the same text, which would hide a wrong position)."""
    if isinstance(value, Token):
        return (value.type, str(value), value.line, value.column, value.end_line, value.end_column)
    if isinstance(value, list):
        return [positions(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, {f.name: positions(getattr(value, f.name)) for f in dataclasses.fields(value)})
    return value


def whole(text: str) -> str:
    text = normalize(text)
    return text if text.endswith("\n") else text + "\n"


def test_the_fast_path_is_active_with_the_installed_lark() -> None:
    driver = fast_path()
    assert driver.active, f"lark {lark.__version__}: {driver.why_inactive}"
    assert driver.direct_tokens, f"lark {lark.__version__}: Token's slots changed to {Token.__slots__}"
    assert driver.parse(whole((DATA / "examples" / "event-driven.fz").read_text(encoding="utf-8"))) is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_fast_path_yields_what_lark_yields(path: Path) -> None:
    text = whole(path.read_text(encoding="utf-8"))
    fast = fast_path().parse(text)
    assert fast is not None, "a valid diagram must not leave the fast path"
    assert positions(fast) == positions(get_lark().parse(text, start="file"))


@pytest.mark.parametrize("text", [
    'Sales { # Sales\n  n1: circle label:"A" )\n}\n',  # a syntax error
    'Sales { # Sales\n  n1: circle label:"A\n}\n',  # an unterminated string
    "Sales { # Sales\n  n1 -> n2\n}\n",  # no handles
    "Sales { # Sales\n  loop retry n1 n2\n}\n",  # a loop without brackets
])
def test_the_fast_path_leaves_broken_text_to_lark(text: str) -> None:
    assert fast_path().parse(text) is None
    assert [d.severity for d in analyse(text).diagnostics if d.severity == "error"]


def test_a_parser_it_cannot_read_leaves_it_inactive_and_parsing_still_works() -> None:
    """A parser whose internals are not what the fast path reads (here: a basic lexer, where
    the fast path expects the contextual lexer's per-state scanners) turns it off, quietly."""
    options = {**LARK_OPTIONS, "lexer": "basic"}
    try:
        basic = Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), transformer=ToStatements(), **options)
    except lark.exceptions.LarkError:  # the grammar needs the contextual lexer: use no parser at all
        basic = None
    driver = FileDriver(basic)
    assert not driver.active and driver.why_inactive
    assert driver.parse('Sales { # Sales\n  n1: circle label:"A"\n}\n') is None
