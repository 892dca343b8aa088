"""FlowZap Code text -> :class:`~flowzap_docs.model.Diagram` (+ style warnings), or every error.

How it works, and why:

* The grammar (``grammar/flowzap.lark``, LALR, contextual lexer) describes one statement per
  line.  A valid diagram is parsed in ONE pass (start rule ``file``) with the transformer run
  inside the parser, so no parse tree is ever built: that is the fast path
  (:mod:`flowzap_docs.grammar.fastpath`, with lark's public ``Lark.parse`` behind it).
* If that fails, the text is parsed again line by line (start rule ``line``): every broken
  line gets its own diagnostic, on its own line (:mod:`flowzap_docs.syntax_errors` words it),
  and the good lines still yield statements so that the semantic checks can run too.
  Parsing stays linear and cannot hang.
* The statements become the model in :mod:`flowzap_docs.assemble` (lane blocks paired there),
  and names are resolved and the style rules checked in :mod:`flowzap_docs.validate`.
* ``bench/parse.py`` measures it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lark import Lark, Token
from lark.exceptions import UnexpectedInput

from . import validate
from .assemble import assemble
from .diagnostics import Diagnostic, FlowZapError
from .diagnostics_codes import diag
from .grammar.fastpath import FileDriver
from .grammar.loader import get_lark
from .grammar.transform import BLANK
from .model import Diagram
from .syntax import RawEdge, RawLaneOpen, RawLoop, RawNode, RecoveredNode, Statement
from .syntax_errors import syntax_diagnostic

__all__ = ["MAX_ERRORS", "Parsed", "Scan", "analyse", "get_lark", "normalize", "parse", "scan", "split_lines"]

#: Stop collecting after this many errors (a 100,000-line file of noise must stay fast to reject).
MAX_ERRORS = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_DRIVER: FileDriver | None = None


def fast_path() -> FileDriver:
    """The fast path over the process's parser (inactive, not wrong, on an unknown lark)."""
    global _DRIVER
    if _DRIVER is None:
        _DRIVER = FileDriver(get_lark())
    return _DRIVER


def split_lines(text: str) -> list[str]:
    """Lines as the diagnostics count them: ``\\n``, ``\\r\\n`` or ``\\r`` end a line (nothing else)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalize(text: str) -> str:
    """Drop a leading BOM and make every line end ``\\n`` (columns are unchanged)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# ------------------------------------------------------------------------------ scanning


@dataclass
class Scan:
    """What the grammar found: statements (line order) and the syntax errors."""

    statements: list[Statement]
    errors: list[Diagnostic] = field(default_factory=list)


def scan(text: str) -> Scan:
    """Parse every statement line; whole-text fast path, line-by-line on any failure."""
    text = normalize(text)
    whole = text if text.endswith("\n") else text + "\n"
    statements = fast_path().parse(whole)
    if statements is not None:
        return Scan(statements)
    lark = get_lark()
    try:
        return Scan(lark.parse(whole, start="file"))  # type: ignore[arg-type]
    except UnexpectedInput:
        pass
    return _scan_lines(text.split("\n"), lark)


def _scan_lines(lines: list[str], lark: Lark) -> Scan:
    result = Scan([], [])
    for number, text in enumerate(lines, start=1):
        if len(result.errors) >= MAX_ERRORS:
            result.errors.append(diag("FZ118", f"too many errors (more than {MAX_ERRORS}); "
                                      "the rest of the diagram was not checked", number, 1))
            break
        stripped = text.strip(BLANK)
        if not stripped or stripped.startswith("//"):
            continue
        bad = _CONTROL.search(text)
        if bad:
            result.errors.append(diag("FZ116", f"control character U+{ord(bad.group()):04X} is not allowed",
                                      number, bad.start() + 1, "remove it (is this a binary file?)"))
            continue
        try:
            stmt = lark.parse(text, start="line")
        except UnexpectedInput as exc:
            result.errors.append(syntax_diagnostic(number, text, exc))
            recovered = _recover(number, text)
            if recovered is not None:
                result.statements.append(recovered)
            continue
        stmt.line = number  # type: ignore[attr-defined]
        result.statements.append(stmt)  # type: ignore[arg-type]
    return result


_RECOVER_LANE = re.compile(r"^[ \t]*(\w(?:\w|-(?!>))*)[ \t]*\{")
_RECOVER_NODE = re.compile(r"^[ \t]*(\w(?:\w|-(?!>))*)[ \t]*:(?![:=])")


def _recover(number: int, text: str) -> Statement | None:
    """What a broken line still tells us, so one error does not cascade: a broken
    ``Lane {`` line still opens its lane (or its nodes would all be "outside every lane"
    and its ``}`` "closing no lane"), a broken node line still declares its id (or every
    edge to it would name an "unknown node").  Only errors are reported for such a diagram,
    and the one error is on the broken line."""
    lane = _RECOVER_LANE.match(text)
    if lane:
        name = Token("NAME", lane.group(1), line=number, column=lane.start(1) + 1)
        return RawLaneOpen(number, name, None, text.rstrip(BLANK).endswith("}"))
    node = _RECOVER_NODE.match(text)
    if node and "->" not in text:
        node_id = Token("NAME", node.group(1), line=number, column=node.start(1) + 1)
        return RecoveredNode(number, node_id, Token("NAME", "rectangle", line=number, column=node.end() + 1), [])
    return None


# ------------------------------------------------------------------------------ the model


@dataclass
class Parsed:
    """Everything :func:`parse` learns, positions included (fmt and tests use it)."""

    diagram: Diagram | None
    diagnostics: list[Diagnostic]
    statements: list[Statement]
    raw_nodes: list[RawNode]
    raw_edges: list[RawEdge]
    raw_loops: list[RawLoop]


def analyse(text: str) -> Parsed:
    """Scan, build the model and run every check; never raises for bad input."""
    found = scan(text)
    built = assemble(found.statements)
    diags = found.errors + built.diagnostics
    if not any(d.severity == "error" for d in diags):
        diags.extend(validate.style_warnings(built.diagram, built.raw_nodes, built.raw_edges, built.raw_loops))
    return Parsed(built.diagram, _capped(diags), found.statements, built.raw_nodes, built.raw_edges, built.raw_loops)


def _capped(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted by position; at most MAX_ERRORS errors and MAX_ERRORS warnings (a file with
    100,000 stray `}` must still be rejected in well under a second)."""
    diags.sort(key=lambda d: (d.line, d.column, d.code))
    errors = [d for d in diags if d.severity == "error"]
    warnings = [d for d in diags if d.severity == "warning"]
    if len(errors) <= MAX_ERRORS and len(warnings) <= MAX_ERRORS:
        return diags
    kept = errors[:MAX_ERRORS] + warnings[:MAX_ERRORS]
    if len(errors) > MAX_ERRORS and not any(d.code == "FZ118" for d in kept):
        last = errors[MAX_ERRORS]
        kept.append(diag("FZ118", f"too many errors ({len(errors)}); only the first {MAX_ERRORS} are shown",
                         last.line, last.column))
    kept.sort(key=lambda d: (d.line, d.column, d.code))
    return kept


def parse(text: str, *, filename: str = "<diagram>") -> Diagram:
    """Parse FlowZap Code.  Raises :class:`FlowZapError` carrying every error (and the
    warnings); on success the style warnings are on :attr:`Diagram.warnings`."""
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the diagram text as str, not {type(text).__name__}")
    result = analyse(text)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise FlowZapError(result.diagnostics, source=text, filename=filename)
    diagram = result.diagram
    assert diagram is not None
    return Diagram(diagram.lanes, diagram.nodes, diagram.edges, diagram.loops, tuple(result.diagnostics))
