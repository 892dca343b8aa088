"""Canonical formatting of FlowZap Code (``flowzap fmt``).

The canonical form, chosen so that diffs stay small and the meaning never changes:

* ``Id { # Display name`` on one line (the older ``# Name`` first line and the one-line
  ``Id { # Name }`` form are rewritten), a closing ``}`` on its own line, one blank line
  between top-level blocks, two-space indentation, LF line ends, no BOM, no trailing blanks.
* Inside a lane: its nodes, then its edges, then its loops, each group in source order.
  Edges and loops stay in the block they were written in (their lane and their order are
  part of the meaning: edge ids ``e1, e2, ...`` follow source order).  Edges and loops written
  outside every lane stay outside, between the same blocks.  A lane written in two blocks
  (warning FZ214) keeps both, each in its place: merging them would move statements past the
  lanes in between and so change the order of nodes and the edge ids.
* Node attributes as ``key:"..."`` in the order label, owner, description, system, then the
  inline translations; edge attributes as ``[label="...", label@fr="..."]``; loops as
  ``loop [condition] ids`` with the lane prefixes as written.  Strings keep their escapes
  exactly as written (from text); a duplicated attribute keeps only the value that counts.
* Comments: ``//`` lines are kept and move with the statement that follows them (a comment
  before an edge moves with the edge); a comment after the last statement of a block stays
  at the end of the block; a trailing ``// ...`` after a statement stays on its line (after a
  ``Lane {`` line it moves to the line above, so it can never become part of a title).
  Stray ``# ...`` lines (warning FZ212) become ``// ...`` comments.

``format_source`` is idempotent, and ``parse(format_source(x))`` equals ``parse(x)`` except
for positions and warnings (see :func:`semantic`).  Text with errors is not formatted:
:class:`~flowzap_docs.diagnostics.FlowZapError` is raised instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import FlowZapError
from .model import NODE_TEXT_FIELDS, Diagram, Edge, Loop, Node
from .parser import analyse, normalize
from .syntax import RawAttr, RawClose, RawEdge, RawLaneOpen, RawLoop, RawNode, RawTitle, Statement, escape

INDENT = "  "
_TRAILING = re.compile(r'"(?:[^"\\\n]|\\.)*"|(//.*)$')


def _trailing_comment(line: str) -> str | None:
    """The ``// ...`` after a statement on its line (``//`` inside a string does not count)."""
    for m in _TRAILING.finditer(line):
        if m.group(1):
            return m.group(1).rstrip()
    return None


def _attr_text(attr: RawAttr, sep: str) -> str:
    key = attr.key + (f"@{attr.lang}" if attr.lang else "")
    return f"{key}{sep}{attr.value}"


def _canonical_attrs(attrs: list[RawAttr], fields: tuple[str, ...]) -> list[RawAttr]:
    """Base fields in canonical order, then translations in source order; last duplicate wins."""
    last: dict[tuple[str, str | None], RawAttr] = {}
    for attr in attrs:
        last[(attr.key, attr.lang)] = attr
    base = [last[(f, None)] for f in fields if (f, None) in last]
    translated = [a for (k, lang), a in last.items() if lang is not None and k in fields]
    return base + translated


def _node_line(raw: RawNode) -> str:
    attrs = " ".join(_attr_text(a, ":") for a in _canonical_attrs(raw.attrs, NODE_TEXT_FIELDS))
    return f"{raw.id}: {raw.shape}" + (f" {attrs}" if attrs else "")


def _end_text(prefix: Any, name: Any, side: str) -> str:
    return (f"{prefix}." if prefix is not None else "") + f"{name}.handle({side})"


def _edge_line(raw: RawEdge) -> str:
    src, dst = raw.source, raw.target
    text = f"{_end_text(src.ref.prefix, src.ref.name, src.side)} -> {_end_text(dst.ref.prefix, dst.ref.name, dst.side)}"
    attrs = _canonical_attrs(raw.attrs, ("label",))
    if attrs:
        text += " [" + ", ".join(_attr_text(a, "=") for a in attrs) + "]"
    return text


def _loop_line(raw: RawLoop) -> str:
    refs = " ".join(r.written for r in raw.refs)
    return f"loop [{raw.condition_text}]" + (f" {refs}" if refs else "")


@dataclass
class _Block:
    header: str
    titled: bool = True
    nodes: list[list[str]] = field(default_factory=list)
    edges: list[list[str]] = field(default_factory=list)
    loops: list[list[str]] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)  # comments before the closing `}`

    def render(self) -> list[str]:
        out = [self.header]
        for group in (self.nodes, self.edges, self.loops):
            for lines in group:
                out.extend(INDENT + ln for ln in lines)
        out.extend(INDENT + c for c in self.tail)
        out.append("}")
        return out


def _format_text(text: str) -> str:
    parsed = analyse(text)
    errors = [d for d in parsed.diagnostics if d.severity == "error"]
    if errors:
        raise FlowZapError(parsed.diagnostics, source=text)
    lines = normalize(text).split("\n")
    comments = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if ln.strip().startswith("//")]
    ci = 0

    def take_comments(before_line: int) -> list[str]:
        nonlocal ci
        taken = []
        while ci < len(comments) and comments[ci][0] < before_line:
            taken.append(comments[ci][1])
            ci += 1
        return taken

    items: list[_Block | list[str]] = []
    block: _Block | None = None
    pending: list[str] = []  # comments waiting for the next real statement

    def with_comments(stmt: Statement, line: str) -> list[str]:
        trailing = _trailing_comment(lines[stmt.line - 1]) if not isinstance(stmt, RawLaneOpen) else None
        return [*pending, line + (f" {trailing}" if trailing else "")]

    for stmt in parsed.statements:
        pending.extend(take_comments(stmt.line))
        if isinstance(stmt, RawTitle):
            if block is not None and not block.titled and not (block.nodes or block.edges or block.loops):
                block.titled = True
                block.header += f" # {stmt.text}" if stmt.text else ""
            else:
                pending.append("// " + stmt.text)
            continue
        if isinstance(stmt, RawLaneOpen):
            title = stmt.title_text
            header = f"{stmt.name} {{" + (f" # {title}" if title else "")
            new = _Block(header, titled=title is not None)
            if stmt.title is None:  # `Lane { // note`: the note moves above the lane (never into a title)
                trailing = _trailing_comment(lines[stmt.line - 1])
                if trailing:
                    pending.append(trailing)
            if pending:
                items.append(pending[:])  # comments above a lane stay above it
            items.append(new)
            pending.clear()
            block = None if stmt.one_line else new
            continue
        if isinstance(stmt, RawClose):
            if block is not None:
                block.tail.extend(pending)
                trailing = _trailing_comment(lines[stmt.line - 1])
                if trailing:
                    block.tail.append(trailing)
            pending.clear()
            block = None
            continue
        if isinstance(stmt, RawNode):
            entry = with_comments(stmt, _node_line(stmt))
            target = block.nodes if block is not None else None
        elif isinstance(stmt, RawEdge):
            entry = with_comments(stmt, _edge_line(stmt))
            target = block.edges if block is not None else None
        else:
            assert isinstance(stmt, RawLoop)
            entry = with_comments(stmt, _loop_line(stmt))
            target = block.loops if block is not None else None
        pending.clear()
        if target is not None:
            target.append(entry)
        elif items and isinstance(items[-1], list) and items[-1] and not isinstance(items[-1], _Block):
            items[-1].extend(entry)
        else:
            items.append(entry)
    pending.extend(take_comments(len(lines) + 1))
    if pending:
        items.append(pending[:])
    return _join(items)


def _join(items: list[Any]) -> str:
    out: list[str] = []
    for i, item in enumerate(items):
        chunk = item.render() if isinstance(item, _Block) else item
        if not chunk:
            continue
        previous = items[i - 1] if i else None
        comment_before_block = isinstance(item, _Block) and isinstance(previous, list) and previous \
            and all(ln.startswith("//") for ln in previous)
        if out and not comment_before_block:
            out.append("")
        out.extend(chunk)
    return "\n".join(out) + "\n" if out else ""


def _quote(text: str) -> str:
    return escape(text)


def _model_node(node: Node) -> str:
    parts = [f"{node.id}: {node.shape}"]
    for key in NODE_TEXT_FIELDS:
        value = node.label or None if key == "label" else getattr(node, key)
        if value is not None:
            parts.append(f"{key}:{_quote(value)}")
    parts.extend(f"{t.field}@{t.lang}:{_quote(t.text)}" for t in node.translations)
    return " ".join(parts)


def _model_edge(edge: Edge) -> str:
    text = f"{_end_text(edge.source_prefix, edge.source, edge.source_side)} -> " \
           f"{_end_text(edge.target_prefix, edge.target, edge.target_side)}"
    attrs = ([f"label={_quote(edge.label)}"] if edge.label is not None else [])
    attrs += [f"{t.field}@{t.lang}={_quote(t.text)}" for t in edge.translations]
    return text + (" [" + ", ".join(attrs) + "]" if attrs else "")


def _model_loop(loop: Loop) -> str:
    return f"loop [{loop.condition}]" + ("".join(f" {n}" for n in loop.nodes))


def _format_model(diagram: Diagram) -> str:
    """Edges and loops outside every lane go back between the blocks they sat between
    (by line), so edge order, and with it the edge ids, survive."""
    outside: list[tuple[int, int, str]] = [(e.line, i, _model_edge(e)) for i, e in enumerate(diagram.edges)
                                           if e.lane is None]
    outside += [(lp.line, len(diagram.edges) + i, _model_loop(lp)) for i, lp in enumerate(diagram.loops)
                if lp.lane is None]
    outside.sort(key=lambda item: (item[0] <= 0, item[0], item[1]))
    items: list[Any] = []

    def flush(before_line: int | None) -> None:
        chunk = []
        while outside and (before_line is None or 0 < outside[0][0] < before_line):
            chunk.append(outside.pop(0)[2])
        if chunk:
            items.append(chunk)

    for lane in diagram.lanes:
        flush(lane.line)
        block = _Block(f"{lane.id} {{" + (f" # {lane.title}" if lane.title else ""))
        block.nodes = [[_model_node(n)] for n in diagram.nodes if n.lane == lane.id]
        block.edges = [[_model_edge(e)] for e in diagram.edges if e.lane == lane.id]
        block.loops = [[_model_loop(lp)] for lp in diagram.loops if lp.lane == lane.id]
        items.append(block)
    flush(None)
    return _join(items)


def format_source(source: str | Diagram) -> str:
    """The canonical text of a diagram given as text (comments and escapes kept) or as a
    :class:`Diagram` (no comments to keep).  Raises FlowZapError if the text has errors."""
    if isinstance(source, Diagram):
        return _format_model(source)
    return _format_text(source)


def semantic(diagram: Diagram) -> dict[str, Any]:
    """What a diagram means, without positions or warnings: ``parse(fmt(x))`` must keep it."""
    return {
        "lanes": [(ln.id, ln.title, ln.translations) for ln in diagram.lanes],
        "nodes": [(n.id, n.lane, n.shape, n.label, n.owner, n.description, n.system, n.translations)
                  for n in diagram.nodes],
        "edges": [(e.id, e.source, e.source_side, e.target, e.target_side, e.label, e.lane, e.source_prefix,
                   e.target_prefix, e.translations) for e in diagram.edges],
        "loops": [(lp.condition, lp.nodes, lp.lane, lp.translations) for lp in diagram.loops],
    }
