"""Property-based tests: generated valid diagrams parse to what was generated, formatting
round-trips, and mangled input of any kind gives a FlowZapError or a Diagram, nothing else."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowzap_docs import Diagram, FlowZapError, parse
from flowzap_docs.commands.sources import decode
from flowzap_docs.fmt import format_source, semantic
from flowzap_docs.model import SHAPES, SIDES
from flowzap_docs.parser import split_lines
from flowzap_docs.syntax import escape

SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

IDENT = st.builds(lambda head, tail, dash: head + tail + dash,
                  st.sampled_from(["n", "N", "_", "lane", "loop", "\u00e9", "Ab", "x"]),
                  st.sampled_from(["", "1", "2", "10", "_b", "42"]), st.sampled_from(["", "", "-c", "-9"]))
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=24)
TITLE = TEXT.map(str.strip).filter(lambda t: not t.endswith("}"))
LANG = st.sampled_from(["fr", "de", "ja", "pt-BR", "ar"])


@dataclass
class Generated:
    text: str
    lanes: list[tuple[str, str]]
    nodes: list[tuple[str, str, str, str]]  # id, lane, shape, label
    edges: list[tuple[str, str, str, str, str | None, str | None]]  # src, side, dst, side, label, lane


@st.composite
def diagrams(draw: st.DrawFn) -> Generated:
    lane_ids = draw(st.lists(IDENT, min_size=1, max_size=4, unique=True))
    node_ids = draw(st.lists(IDENT, min_size=1, max_size=10, unique=True))
    lanes = [(lid, draw(TITLE)) for lid in lane_ids]
    nodes = [(nid, draw(st.sampled_from(lane_ids)), draw(st.sampled_from(SHAPES)), draw(TEXT)) for nid in node_ids]
    lane_of = {n[0]: n[1] for n in nodes}
    edges = []
    for _ in range(draw(st.integers(0, 12))):
        src, dst = draw(st.sampled_from(node_ids)), draw(st.sampled_from(node_ids))
        label = draw(st.none() | TEXT)
        block = draw(st.sampled_from([*lane_ids, None]))
        edges.append((src, draw(st.sampled_from(SIDES)), dst, draw(st.sampled_from(SIDES)), label, block))
    indent = draw(st.sampled_from(["", "  ", "\t", "    "]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    out: list[str] = [draw(st.sampled_from(["", "\ufeff"])) + "// generated"]

    def ref(node: str, block: str | None) -> str:
        prefix = draw(st.booleans()) or (block is not None and lane_of[node] != block)
        return f"{lane_of[node]}.{node}" if prefix else node

    def edge_line(e: tuple[str, str, str, str, str | None, str | None]) -> str:
        src, s_side, dst, d_side, label, block = e
        text = f"{ref(src, block)}.handle({s_side}) -> {ref(dst, block)}.handle({d_side})"
        if label is not None:
            sep = draw(st.sampled_from(["=", ":"]))
            extra = f", label@{draw(LANG)}{sep}{escape(draw(TEXT))}" if draw(st.booleans()) else ""
            text += f" [label{sep}{escape(label)}{extra}]"
        return text

    # edges are emitted in generation order: inside their block while the block is open
    pending = list(edges)
    for lid, title in lanes:
        form = draw(st.integers(0, 2))
        note = " // lane note" if form == 2 and draw(st.booleans()) else ""
        out.append([f"{lid} {{ # {title}", f"{lid} {{# {title}", f"{lid} {{{note}"][form])
        if form == 2 and title:
            out.append(f"{indent}# {title}")
        for nid, lane, shape, label in nodes:
            if lane != lid:
                continue
            sep = draw(st.sampled_from([":", "="]))
            attrs = f" label{sep}{escape(label)}" if label or draw(st.booleans()) else ""
            if draw(st.booleans()):
                attrs += f" owner:{escape(draw(TEXT))} label@{draw(LANG)}:{escape(draw(TEXT))}"
            out.append(f"{indent}{nid}: {shape}{attrs}" + (" // node note" if draw(st.booleans()) else ""))
            if draw(st.booleans()):
                out.append(f"{indent}// about the next line")
            if draw(st.booleans()):
                out.append("")
        while pending and pending[0][5] == lid:
            out.append(indent + edge_line(pending.pop(0)))
        if draw(st.booleans()) and len(node_ids) >= 2:
            out.append(f"{indent}loop [{draw(TITLE).replace(']', '')}] {node_ids[0]} {ref(node_ids[1], lid)}")
        out.append("}")
        while pending and pending[0][5] is None:
            out.append(edge_line(pending.pop(0)))
    # edges whose block came earlier than their turn go outside every lane (still in order)
    edges = [e if e not in pending else (*e[:5], None) for e in edges]
    for e in pending:
        out.append(edge_line(e))
    return Generated(eol.join(out) + eol, lanes, nodes, edges)


@given(diagrams())
@SETTINGS
def test_generated_diagrams_parse_to_what_was_generated(g: Generated) -> None:
    d = parse(g.text)
    assert [(ln.id, ln.title or "") for ln in d.lanes] == [(lid, title) for lid, title in g.lanes]
    by_lane = {lid: [n for n in g.nodes if n[1] == lid] for lid, _ in g.lanes}
    expected_nodes = [n for lid, _ in g.lanes for n in by_lane[lid]]
    assert [(n.id, n.lane, n.shape, n.label) for n in d.nodes] == expected_nodes
    assert [(e.source, e.source_side, e.target, e.target_side, e.label) for e in d.edges] == \
        [e[:5] for e in g.edges]
    assert [e.id for e in d.edges] == [f"e{i}" for i in range(1, len(g.edges) + 1)]
    assert all(w.severity == "warning" for w in d.warnings)


@given(diagrams())
@SETTINGS
def test_fmt_round_trips_and_is_idempotent(g: Generated) -> None:
    original = parse(g.text)
    formatted = format_source(g.text)
    assert format_source(formatted) == formatted
    assert semantic(parse(formatted)) == semantic(original)
    from_model = format_source(original)
    assert semantic(parse(from_model)) == semantic(original)


def _clean_outcome(text: str) -> None:
    """parse() may succeed or raise FlowZapError with well-formed diagnostics; nothing else."""
    try:
        result = parse(text)
    except FlowZapError as err:
        assert err.errors
        n_lines = len(split_lines(text.removeprefix("\ufeff")))
        for d in err.diagnostics:
            assert 1 <= d.line <= n_lines + 1 and d.column >= 1 and d.length >= 1
            assert d.code.startswith("FZ")
        assert isinstance(err.format(), str)
    else:
        assert isinstance(result, Diagram)


NOISE = st.lists(st.sampled_from(list('{}[]()":=.#/\\@,-> \t\n\r\x00abcn1') + [
    "->", "loop", ".handle(", "\ufeff", "\u00e9", "\u2028", "\u201c", "label:", "}\n", "//"]), max_size=5).map("".join)


@given(diagrams(), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 6), NOISE), min_size=1, max_size=6))
@SETTINGS
def test_mutated_diagrams_give_only_clean_errors(g: Generated, edits: list[tuple[int, int, str]]) -> None:
    text = g.text
    for position, delete, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + delete:]
    _clean_outcome(text)


@given(st.text(max_size=300))
@SETTINGS
def test_arbitrary_text_gives_only_clean_errors(text: str) -> None:
    _clean_outcome(text)


@given(st.binary(max_size=300))
@SETTINGS
def test_arbitrary_bytes_give_a_diagnostic_or_a_clean_outcome(data: bytes) -> None:
    source = decode(data, "random.bin")
    if source.text is None:
        assert source.problem is not None and source.problem.code == "FZ117"
    else:
        _clean_outcome(source.text)


PATHOLOGICAL = {
    "1 MB label": 'A { # a\n  n1: circle label:"' + "x" * 1_000_000 + '"\n}\n',
    "1 MB unterminated label": 'A { # a\n  n1: circle label:"' + "x" * 1_000_000 + "\n}\n",
    "1 MB line of brackets": "A { # a\n" + "([" * 500_000 + "\n}\n",
    "100k lines of noise": "((\n" * 100_000,
    "100k closing braces": "}\n" * 100_000,
    "100k opening braces": "A {\n" * 20_000,
    "NUL bytes": "A {\x00 # a\n\x00\n}\n",
    "only a BOM and CRs": "\ufeff\r\r\r",
    "unbalanced everything": "A { # a\n{{{{\n]]]]\n))))\n}}}}\n" * 1000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_inputs_end_cleanly(name: str) -> None:
    text = PATHOLOGICAL[name]
    started = time.process_time()
    _clean_outcome(text)
    assert time.process_time() - started < 30  # linear work; generous for a loaded machine


def test_huge_label_is_kept_whole() -> None:
    d = parse(PATHOLOGICAL["1 MB label"])
    assert len(d.nodes[0].label) == 1_000_000
    assert [w.code for w in d.warnings] == ["FZ203", "FZ204"]
