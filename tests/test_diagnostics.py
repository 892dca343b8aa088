"""One test per diagnostic code: the code, its line and column, and (for a few) the full
compiler-style rendering with caret and help."""

from __future__ import annotations

import pytest

from flowzap_docs.commands.sources import decode
from flowzap_docs.diagnostics import Diagnostic, FlowZapError
from flowzap_docs.diagnostics_codes import CODES
from flowzap_docs.parser import MAX_ERRORS, analyse, parse

LANE = 'Sales { # Sales team\n'
AB = 'n1: circle label:"A"\nn2: circle label:"B"\n'

#: code -> (source, line, column, length, words the message must contain)
CASES: dict[str, tuple[str, int, int, int, str]] = {
    "FZ101": (LANE + 'n1: circle label:"A" )\n}\n', 2, 22, 1, "unexpected ')'"),
    "FZ102": (LANE + 'n1: hexagon label:"A"\n}\n', 2, 5, 7, "unknown shape 'hexagon'"),
    "FZ103": (LANE + AB + "n1.handle(rigth) -> n2.handle(left)\n}\n", 4, 11, 5, "unknown side 'rigth'"),
    "FZ104": (LANE + AB + "  n1 -> n2\n}\n", 4, 3, 2, "expected `.handle(side)`"),
    "FZ105": (LANE + "n1: circle label:Start\n}\n", 2, 18, 5, "must be in double quotes"),
    "FZ106": (LANE + 'n1: circle label:"Start\n}\n', 2, 18, 6, "unterminated string"),
    "FZ107": (LANE + "}\n\n  }\n", 4, 3, 1, "closes no lane"),
    "FZ108": ('Ops { # Ops\n}\n' + LANE + 'n1: circle label:"A"\n', 3, 1, 5, "lane 'Sales' is never closed"),
    "FZ109": (LANE + AB + 'n1: rectangle label:"C"\n}\n', 4, 1, 2, "'n1' is declared twice (first on line 2)"),
    "FZ111": (LANE + AB + "n1.handle(right) -> n3.handle(left)\n}\n", 4, 21, 2, "node 'n3'"),
    "FZ112": (LANE + AB + "n1.handle(right) -> Sails.n2.handle(left)\n}\n", 4, 21, 5, "no lane named 'Sails'"),
    "FZ113": (LANE + 'n1: circle lable:"A"\n}\n', 2, 12, 5, "unknown node attribute 'lable'"),
    "FZ114": (LANE + "  Inner { # Inner\n  }\n}\n", 2, 3, 5, "opened inside lane 'Sales'"),
    "FZ115": ('n1: circle label:"A"\n', 1, 1, 2, "outside every lane"),
    "FZ116": (LANE + 'n1: circle\x00 label:"A"\n}\n', 2, 11, 1, "U+0000"),
    "FZ201": (LANE + 'n1: circle label:"A"\nn4: circle label:"B"\nn1.handle(right) -> n4.handle(left)\n}\n',
              3, 1, 2, "skip n2, n3"),
    "FZ202": (LANE + 'n2: circle label:"A"\nn1: circle label:"B"\nn2.handle(right) -> n1.handle(left)\n}\n',
              3, 1, 2, "'n1' is declared after n2"),
    "FZ203": (LANE + AB + "n1.handle(right) -> n1.handle(left)\n}\n", 3, 1, 2, "no edge touches node 'n2'"),
    "FZ204": (LANE + 'n1: rectangle label:"' + "y" * 60 + '"\nn1.handle(right) -> n1.handle(left)\n}\n',
              2, 21, 62, "60 characters"),
    "FZ205": (LANE + 'n1: circle label:"A"\nn1.handle(right) -> n2.handle(left)\n}\nOps { # Ops\nn2: circle label:"B"\n}\n',
              3, 21, 2, "'n2' is in lane 'Ops'"),
    "FZ206": (LANE + 'n1: circle label:"A"\nOps.n1.handle(right) -> n1.handle(left)\n}\nOps { # Ops\n}\n',
              3, 1, 3, "'n1' is in lane 'Sales', not 'Ops'"),
    "FZ207": ('Sales {\nn1: circle label:"A"\nn1.handle(right) -> n1.handle(left)\n}\n', 1, 1, 5, "no display name"),
    "FZ208": (LANE + AB + "}\nn1.handle(right) -> n2.handle(left)\n", 5, 1, 1, "outside every lane"),
    "FZ209": (LANE + 'n1: circle label:"A"\nn1.handle(right) -> n1.handle(left)\n  loop [again] n1\n}\n',
              4, 3, 4, "at least two nodes"),
    "FZ210": (LANE + 'n1: circle label="A"\nn1.handle(right) -> n1.handle(left)\n}\n', 2, 17, 1, "not `key=\"...\"`"),
    "FZ211": (LANE + 'n1: circle label:"A"\nn1.handle(right) -> n1.handle(left) [label:"x"]\n}\n', 3, 43, 1,
              "not `[label:\"...\"]`"),
    "FZ212": (LANE + 'n1: circle label:"A"\n# note\nn1.handle(right) -> n1.handle(left)\n}\n', 3, 1, 6,
              "is ignored"),
    "FZ213": (LANE + 'n1: circle label:"A" label:"B"\nn1.handle(right) -> n1.handle(left)\n}\n', 2, 22, 5,
              "given twice"),
    "FZ214": (LANE + AB + "}\n  Sales { # Again\n  n1.handle(right) -> n2.handle(left)\n}\n", 5, 3, 5,
              "lane 'Sales' is declared again (first on line 1)"),
}


def _find(code: str, source: str) -> Diagnostic:
    found = [d for d in analyse(source).diagnostics if d.code == code]
    assert found, f"{code} not reported; got {[d.code for d in analyse(source).diagnostics]}"
    return found[0]


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_position_and_message(code: str) -> None:
    source, line, column, length, words = CASES[code]
    d = _find(code, source)
    assert (d.line, d.column, d.length) == (line, column, length)
    assert words in d.message
    assert d.severity == CODES[code].severity
    assert "Expected one of" not in d.message and "DOT" not in d.message and "__ANON" not in d.message


def test_every_code_is_tested_and_every_example_triggers_its_code() -> None:
    untested = set(CODES) - set(CASES) - {"FZ117", "FZ118"}
    assert not untested
    for code, info in CODES.items():
        assert info.severity == ("error" if code.startswith("FZ1") else "warning")
        if info.example:
            assert code in [d.code for d in analyse(info.example).diagnostics], code


def test_errors_raise_with_every_error_and_warnings_do_not() -> None:
    source = LANE + 'n1: hexagon label:"A"\nn2: circle lable:"B"\nn1 -> n2\n}\n}\n'
    with pytest.raises(FlowZapError) as info:
        parse(source, filename="x.fz")
    assert [(d.code, d.line) for d in info.value.errors] == [("FZ102", 2), ("FZ113", 3), ("FZ104", 4), ("FZ107", 6)]
    diagram = parse(CASES["FZ203"][0])
    assert [d.code for d in diagram.warnings] == ["FZ203"]


def test_fz117_invalid_utf8_points_at_the_byte() -> None:
    source = decode(b'A { # a\nn1: circle label:"caf' + b'\xe9"\n}\n', "bad.fz")
    assert source.text is None and source.problem is not None
    d = source.problem
    assert (d.code, d.severity, d.line, d.column) == ("FZ117", "error", 2, 22)
    assert "0xe9" in d.message


def test_fz118_too_many_errors_is_capped() -> None:
    with pytest.raises(FlowZapError) as info:
        parse("}\n" * (MAX_ERRORS * 3))
    codes = [d.code for d in info.value.diagnostics]
    assert codes.count("FZ107") == MAX_ERRORS
    assert codes[-1] == "FZ118"


def test_rendered_unknown_shape() -> None:
    source = 'Order { # Order\n  n1: circle label:"Start"\n  n2: diamnd label:"Paid?"\n}\n'
    with pytest.raises(FlowZapError) as info:
        parse(source, filename="order.fz")
    assert str(info.value) == (
        "order.fz:3:7: error[FZ102]: unknown shape 'diamnd'\n"
        '3 |   n2: diamnd label:"Paid?"\n'
        "          ^^^^^^\n"
        "help: did you mean 'diamond'?"
    )


def test_rendered_missing_handle() -> None:
    source = 'A { # a\nn1: circle label:"x"\nn2: circle label:"y"\nn1 -> n2\n}\n'
    with pytest.raises(FlowZapError) as info:
        parse(source, filename="a.fz")
    assert info.value.format() == (
        "a.fz:4:1: error[FZ104]: expected `.handle(side)` after the node id 'n1'\n"
        "4 | n1 -> n2\n"
        "    ^^\n"
        "help: write both ends with a side: n1.handle(right) -> n2.handle(left)"
    )


def test_rendered_unknown_target_suggests_node_id() -> None:
    source = 'A { # a\nn10: circle label:"x"\nn11: circle label:"y"\nn10.handle(right) -> n12.handle(left)\n}\n'
    with pytest.raises(FlowZapError) as info:
        parse(source, filename="a.fz")
    text = info.value.format()
    assert text.startswith("a.fz:4:22: error[FZ111]: the edge names node 'n12', which is not declared\n")
    assert "\n                         ^^^\n" in text
    assert text.endswith("help: did you mean 'n11'?") or text.endswith("help: did you mean 'n10'?")


def test_missing_bracket_is_reported_on_its_own_line_not_at_the_brace() -> None:
    source = LANE + AB + 'n1.handle(right) -> n2.handle(left) [label="x"\n}\n'
    with pytest.raises(FlowZapError) as info:
        parse(source)
    (d,) = info.value.errors
    assert (d.code, d.line) == ("FZ101", 4)
    assert "`]`" in d.message


def test_unterminated_lane_reports_the_opening_line_even_with_later_lanes() -> None:
    source = 'A { # a\nn1: circle label:"x"\nB { # b\nn2: circle label:"y"\n}\n'
    codes = {(d.code, d.line) for d in analyse(source).diagnostics if d.severity == "error"}
    assert ("FZ114", 3) in codes and ("FZ108", 1) in codes


@pytest.mark.parametrize(("word", "code", "line", "meant"), [
    ("hexagon", "FZ102", 'n1: hexagon label:"A"', "diamond"),
    ("rect", "FZ102", 'n1: rect label:"A"', "rectangle"),
    ("up", "FZ103", 'n1.handle(up) -> n1.handle(left)', "top"),
    ("text", "FZ113", 'n1: circle text:"A"', "label"),
])
def test_suggestions_know_other_tools_words(word: str, code: str, line: str, meant: str) -> None:
    source = LANE + ('n1: circle label:"A"\n' if not line.startswith("n1:") else "") + line + "\n}\n"
    assert _find(code, source).hint == f"did you mean '{meant}'?"


def test_suggestions_for_sides_keys_and_lanes() -> None:
    assert _find("FZ103", LANE + AB + "n1.handle(botom) -> n2.handle(left)\n}\n").hint == "did you mean 'bottom'?"
    assert _find("FZ113", LANE + 'n1: circle label:"A" ownr:"me"\n}\n').hint == "did you mean 'owner'?"
    assert _find("FZ113", LANE + AB + 'n1.handle(right) -> n2.handle(left) [lable="x"]\n}\n').hint == \
        "did you mean 'label'?"
    assert _find("FZ112", LANE + AB + "n1.handle(right) -> sales.n2.handle(left)\n}\n").hint == \
        "did you mean 'Sales'?"


@pytest.mark.parametrize(("line", "words"), [
    ('n1: circle label:"A" extra', "expected an attribute"),
    ("n1.handle(right -> n2.handle(left)", "a side, then `)`"),
    ("n1.hndle(right) -> n2.handle(left)", "found `.hndle(`"),
    ("n1.handle() -> n2.handle(left)", "missing side"),
    ("n1.handle(right) => n2.handle(left)", "expected `->`"),
    ("loop retry n1 n2", "`[condition]`"),
    ("loop [retry n1 n2", "`]` to close the loop condition"),
    ("@@@", "a line holds one statement"),
    ('n1: circle label:\u201cStart\u201d', "straight double quotes"),
    ("n1 circle", "expected `:` (a node)"),
])
def test_syntax_messages_speak_flowzap(line: str, words: str) -> None:
    source = LANE + AB + line + "\n}\n"
    errors = [d for d in analyse(source).diagnostics if d.severity == "error"]
    assert len(errors) == 1 and errors[0].line == 4
    assert words in errors[0].message
    for internal in ("Expected one of", "Token(", "$END", "_NL", "NAME", "ATTR_KEY", "CONDITION"):
        assert internal not in errors[0].message


@pytest.mark.parametrize("broken", [
    "Sales { Sales team",          # lane header without `#`
    "Sales {{ # Sales team",       # stray brace
])
def test_a_broken_lane_header_does_not_cascade(broken: str) -> None:
    source = broken + '\n  n1: circle label:"A"\n  n1.handle(right) -> n1.handle(left)\n}\n'
    errors = [d for d in analyse(source).diagnostics if d.severity == "error"]
    assert [(d.code, d.line) for d in errors] == [("FZ101", 1)]


def test_a_broken_node_line_does_not_cascade() -> None:
    source = LANE + 'n1: circle label:"A" )\nn2: circle label:"B"\nn1.handle(right) -> n2.handle(left)\n' \
        'n2.handle(right) -> n1.handle(left)\n}\n'
    errors = [d for d in analyse(source).diagnostics if d.severity == "error"]
    assert [(d.code, d.line) for d in errors] == [("FZ101", 2)]


def test_caret_is_aligned_under_wide_characters() -> None:
    source = 'A { # a\n  n1: rectangle label:"プルリクエスト" lable:"x"\n}\n'
    with pytest.raises(FlowZapError) as info:
        parse(source, filename="ja.fz")
    lines = info.value.format().split("\n")
    assert lines[1] == '2 |   n1: rectangle label:"プルリクエスト" lable:"x"'
    # 7 wide characters take 14 terminal columns: the caret moves 7 further than the column count
    assert lines[2] == " " * (len("2 | ") + 32 + 7) + "^^^^^"
