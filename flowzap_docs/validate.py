"""Semantic checks: what the grammar cannot know.

The grammar accepts any name as a shape, a side or an attribute key, so that the checks here
can name the unknown one, put the caret under it and suggest the near match.  Errors
(``FZ1xx``) are what stops a faithful drawing; warnings (``FZ2xx``) are the FlowZap style
rules, reported once the diagram has no error (a broken diagram first needs its errors
fixed, and warnings computed on a half-built model would mislead).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .diagnostics import Diagnostic
from .diagnostics_codes import diag
from .model import NODE_TEXT_FIELDS, SHAPES, SIDES, Diagram, Edge, Lane, Loop, Node, Translation
from .suggest import did_you_mean
from .syntax import RawAttr, RawEdge, RawEnd, RawLoop, RawNode, RawRef

#: Labels longer than this break the FlowZap style guide (they wrap badly in the app).
MAX_LABEL = 50
EDGE_TEXT_FIELDS: tuple[str, ...] = ("label",)
_NUMBERED = re.compile(r"n(\d+)\Z")


def _attributes(attrs: Sequence[RawAttr], allowed: tuple[str, ...], line: int, what: str,
                ) -> tuple[dict[str, str], tuple[Translation, ...], list[Diagnostic]]:
    """Known keys -> values (last wins), inline translations, and diagnostics."""
    if not attrs:
        return {}, (), []
    values: dict[str, str] = {}
    translations: dict[tuple[str, str], Translation] = {}
    diags: list[Diagnostic] = []
    for attr in attrs:
        key = attr.key
        if key not in allowed:
            hint = did_you_mean(key, allowed) or f"{what} attributes are: {', '.join(allowed)}"
            diags.append(diag("FZ113", f"unknown {what} attribute '{key}'", line, attr.key_column, hint, len(key)))
            continue
        if attr.lang is None:
            if key in values:
                diags.append(diag("FZ213", f"'{key}' is given twice; the last one is used", line, attr.key_column,
                                  None, len(key)))
            values[key] = attr.text
        else:
            lang = attr.lang
            if (key, lang) in translations:
                diags.append(diag("FZ213", f"'{key}@{lang}' is given twice; the last one is used", line,
                                  attr.key_column, None, len(key) + 1 + len(lang)))
            translations[(key, lang)] = Translation(key, lang, attr.text)
    return values, tuple(translations.values()), diags


def build_node(raw: RawNode, lane: str) -> tuple[Node, list[Diagnostic]]:
    """The :class:`Node` a node statement declares, with its shape and attribute errors."""
    diags: list[Diagnostic] = []
    shape = str(raw.shape)
    if shape not in SHAPES:
        hint = did_you_mean(shape, SHAPES) or f"the shapes are: {', '.join(SHAPES)}"
        diags.append(diag("FZ102", f"unknown shape '{shape}'", raw.line, raw.shape.column, hint, len(shape)))
        shape = "rectangle"
    values, translations, attr_diags = _attributes(raw.attrs, NODE_TEXT_FIELDS, raw.line, "node")
    diags.extend(attr_diags)
    node = Node(
        str(raw.id), lane, shape, values.get("label", ""), raw.line, raw.id.column,  # type: ignore[arg-type]
        owner=values.get("owner"), description=values.get("description"), system=values.get("system"),
        translations=translations,
    )
    return node, diags


def _side(end: RawEnd, line: int, default: str, diags: list[Diagnostic]) -> str:
    side = end.side
    if side in SIDES:
        return side
    if not side:
        diags.append(diag("FZ103", "missing side in `.handle()`", line, end.side_column,
                          f"write .handle({default}); the sides are: {', '.join(SIDES)}"))
        return default
    hint = did_you_mean(side, SIDES) or f"the sides are: {', '.join(SIDES)}"
    diags.append(diag("FZ103", f"unknown side '{side}'", line, end.side_column, hint, len(side)))
    return default


def build_edge(raw: RawEdge, edge_id: str, lane: str | None) -> tuple[Edge, list[Diagnostic]]:
    """The :class:`Edge` an edge statement declares, with its side and attribute errors."""
    diags: list[Diagnostic] = []
    source_side = _side(raw.source, raw.line, "right", diags)
    target_side = _side(raw.target, raw.line, "left", diags)
    values, translations, attr_diags = _attributes(raw.attrs, EDGE_TEXT_FIELDS, raw.line, "edge")
    diags.extend(attr_diags)
    src, dst = raw.source.ref, raw.target.ref
    edge = Edge(
        edge_id, str(src.name), source_side, str(dst.name), target_side,  # type: ignore[arg-type]
        raw.line, raw.column, label=values.get("label"), lane=lane,
        source_prefix=str(src.prefix) if src.prefix is not None else None,
        target_prefix=str(dst.prefix) if dst.prefix is not None else None,
        translations=translations,
    )
    return edge, diags


def _check_ref(ref: RawRef, line: int, lanes: dict[str, Lane], nodes: dict[str, Node], what: str,
               ) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    if ref.prefix is not None and str(ref.prefix) not in lanes:
        prefix = str(ref.prefix)
        owner = nodes.get(str(ref.name))
        hint = did_you_mean(prefix, lanes)
        if hint is None and owner is not None:
            hint = f"'{ref.name}' is in lane '{owner.lane}'"
        diags.append(diag("FZ112", f"no lane named '{prefix}'", line, ref.prefix.column, hint, len(prefix)))
    name = str(ref.name)
    if name not in nodes:
        hint = did_you_mean(name, nodes) or f"declare it in a lane: {name}: rectangle label:\"...\""
        diags.append(diag("FZ111", f"{what} names node '{name}', which is not declared", line, ref.name.column,
                          hint, len(name)))
    return diags


def check_references(lanes: dict[str, Lane], nodes: dict[str, Node], raw_edges: Sequence[RawEdge],
                     edges: Sequence[Edge], raw_loops: Sequence[RawLoop], loops: Sequence[Loop],
                     ) -> list[Diagnostic]:
    """Every node and lane an edge or loop names must exist (forward references are fine)."""
    diags: list[Diagnostic] = []
    for raw in raw_edges:
        diags.extend(_check_ref(raw.source.ref, raw.line, lanes, nodes, "the edge"))
        diags.extend(_check_ref(raw.target.ref, raw.line, lanes, nodes, "the edge"))
    for raw_loop in raw_loops:
        for ref in raw_loop.refs:
            diags.extend(_check_ref(ref, raw_loop.line, lanes, nodes, "the loop"))
    return diags


def _first_attr(attrs: Iterable[RawAttr], key: str) -> RawAttr | None:
    for attr in attrs:
        if attr.key == key and attr.lang is None:
            return attr
    return None


def _id_warnings(raw_nodes: Sequence[RawNode]) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    numbered = [(int(m.group(1)), raw) for raw in raw_nodes if (m := _NUMBERED.match(str(raw.id)))]
    highest = 0
    for number, raw in numbered:
        if number < highest:
            diags.append(diag("FZ202", f"node '{raw.id}' is declared after n{highest}: the style guide numbers "
                              "nodes n1..nN in order", raw.line, raw.id.column, None, len(raw.id)))
            break
        highest = number
    present = {number for number, _ in numbered}
    if present:
        missing = [n for n in range(1, max(present) + 1) if n not in present]
        if missing:
            after = min(n for n in present if n > missing[0])
            raw = next(r for n, r in numbered if n == after)
            shown = ", ".join(f"n{n}" for n in missing[:5]) + (" ..." if len(missing) > 5 else "")
            diags.append(diag("FZ201", f"node ids skip {shown} (the style guide numbers nodes n1..nN without gaps)",
                              raw.line, raw.id.column, None, len(raw.id)))
    return diags


def _label_warning(text: str, line: int, column: int, what: str) -> Diagnostic | None:
    longest = max((len(part.strip()) for part in text.split("|")), default=0) if what == "taskbox" else len(text)
    if longest > MAX_LABEL:
        return diag("FZ204", f"{'label' if what != 'edge' else 'edge label'} is {longest} characters long "
                    f"(the style guide keeps labels to {MAX_LABEL})", line, column,
                    "shorten it, or move details to a taskbox description", min(longest + 2, 80))
    return None


def _prefix_warnings(ref: RawRef, line: int, block: str | None, nodes: Diagram, check_missing: bool,
                     ) -> list[Diagnostic]:
    try:
        node = nodes.node(str(ref.name))
    except KeyError:
        return []
    if ref.prefix is not None:
        if str(ref.prefix) != node.lane:
            return [diag("FZ206", f"'{ref.name}' is in lane '{node.lane}', not '{ref.prefix}'", line, ref.prefix.column,
                         f"write {node.lane}.{ref.name}", len(ref.prefix))]
        return []
    if check_missing and block is not None and node.lane != block:
        return [diag("FZ205", f"'{ref.name}' is in lane '{node.lane}': a cross-lane edge names it with its lane "
                     "prefix", line, ref.name.column, f"write {node.lane}.{ref.name}", len(ref.name))]
    return []


def style_warnings(diagram: Diagram, raw_nodes: Sequence[RawNode], raw_edges: Sequence[RawEdge],
                   raw_loops: Sequence[RawLoop]) -> list[Diagnostic]:
    """The FlowZap style rules (FZ2xx): the diagram draws, but breaks a convention."""
    diags = _id_warnings(raw_nodes)
    touched = {e.source for e in diagram.edges} | {e.target for e in diagram.edges}
    equals_nodes = [raw for raw in raw_nodes if any(a.sep == "=" for a in raw.attrs)]
    if equals_nodes:
        first = equals_nodes[0]
        attr = next(a for a in first.attrs if a.sep == "=")
        count = len(equals_nodes)
        diags.append(diag("FZ210", f"node attributes are written `key:\"...\"` in FlowZap Code, not `key=\"...\"` "
                          f"({count} node{'s' if count != 1 else ''})", first.line, attr.sep_column,
                          f"write {attr.key}{'@' + str(attr.lang) if attr.lang else ''}:{attr.value}"))
    for raw in raw_nodes:
        node = diagram.node(str(raw.id))
        if node.id not in touched:
            diags.append(diag("FZ203", f"no edge touches node '{node.id}'", raw.line, raw.id.column,
                              None, len(raw.id)))
        label_attr = _first_attr(reversed(raw.attrs), "label")
        if label_attr is not None:
            warn = _label_warning(node.label, raw.line, label_attr.value.column,
                                  "taskbox" if node.shape == "taskbox" else "node")
            if warn:
                diags.append(warn)
    colon_edges = [raw for raw in raw_edges if any(a.sep == ":" for a in raw.attrs)]
    if colon_edges:
        first_edge = colon_edges[0]
        attr = next(a for a in first_edge.attrs if a.sep == ":")
        count = len(colon_edges)
        diags.append(diag("FZ211", f"edge labels are written `[label=\"...\"]` in FlowZap Code, not `[label:\"...\"]` "
                          f"({count} edge{'s' if count != 1 else ''})", first_edge.line, attr.sep_column,
                          f"write [{attr.key}{'@' + str(attr.lang) if attr.lang else ''}={attr.value}]"))
    for raw, edge in zip(raw_edges, diagram.edges, strict=True):
        if edge.lane is None:
            diags.append(diag("FZ208", "this edge is outside every lane", raw.line, raw.column,
                              "move it into the block of its source lane", 1))
        diags.extend(_prefix_warnings(raw.source.ref, raw.line, edge.lane, diagram, True))
        diags.extend(_prefix_warnings(raw.target.ref, raw.line, edge.lane, diagram, True))
        label_attr = _first_attr(reversed(raw.attrs), "label")
        if label_attr is not None and edge.label is not None:
            warn = _label_warning(edge.label, raw.line, label_attr.value.column, "edge")
            if warn:
                diags.append(warn)
    for raw_loop, loop in zip(raw_loops, diagram.loops, strict=True):
        if loop.lane is None:
            diags.append(diag("FZ208", "this loop is outside every lane", raw_loop.line, raw_loop.keyword.column,
                              "move it into the block of a lane whose nodes it frames", 4))
        if len(set(loop.nodes)) < 2:
            diags.append(diag("FZ209", f"a loop frames at least two nodes; this one has {len(set(loop.nodes))}",
                              raw_loop.line, raw_loop.keyword.column, None, 4))
        for ref in raw_loop.refs:
            diags.extend(_prefix_warnings(ref, raw_loop.line, loop.lane, diagram, False))
    for lane in diagram.lanes:
        if not lane.title:
            diags.append(diag("FZ207", f"lane '{lane.id}' has no display name; its id is shown",
                              lane.line, lane.column, f"write {lane.id} {{ # Display name", len(lane.id)))
    return diags

