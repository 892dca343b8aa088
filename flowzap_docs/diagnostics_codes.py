"""Every diagnostic code the parser can report: the one source of truth.

Codes are stable (tests, docs and users rely on them): ``FZ1xx`` are errors (the diagram
cannot be drawn faithfully), ``FZ2xx`` are warnings (a FlowZap style rule is broken but the
diagram draws).  The documentation lists :data:`CODES`; each entry carries a minimal
``example`` that triggers it, which the test-suite checks, so the table cannot drift from
the parser.  A code is never reused for another meaning: FZ110 (a lane id declared twice) was
an error until real diagrams showed it is how authors continue a lane further down; such a
diagram now draws, with warning FZ214, and FZ110 is retired.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Code:
    """One diagnostic kind: its code, severity, a one-line summary and a triggering example."""

    code: str
    severity: Severity
    summary: str
    example: str


_LANE = "Sales { # Sales team\n"

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # --- errors -------------------------------------------------------------------
        Code("FZ101", "error", "syntax error: the statement does not follow the FlowZap Code syntax",
             _LANE + "n1: circle label:\"Start\" )\n}\n"),
        Code("FZ102", "error", "unknown shape (circle, rectangle, diamond, taskbox)",
             _LANE + "n1: hexagon label:\"Start\"\n}\n"),
        Code("FZ103", "error", "unknown side in .handle(...) (left, right, top, bottom)",
             _LANE + "n1: circle label:\"A\"\nn2: circle label:\"B\"\nn1.handle(rigth) -> n2.handle(left)\n}\n"),
        Code("FZ104", "error", "an edge end without .handle(side)",
             _LANE + "n1: circle label:\"A\"\nn2: circle label:\"B\"\nn1 -> n2\n}\n"),
        Code("FZ105", "error", "an attribute value without double quotes",
             _LANE + "n1: circle label:Start\n}\n"),
        Code("FZ106", "error", "a string with no closing double quote on its line",
             _LANE + "n1: circle label:\"Start\n}\n"),
        Code("FZ107", "error", "a `}` that closes no lane", _LANE + "}\n}\n"),
        Code("FZ108", "error", "a lane block that is never closed with `}`",
             _LANE + "n1: circle label:\"Start\"\n"),
        Code("FZ109", "error", "a node id declared twice (ids are unique across the whole diagram)",
             _LANE + "n1: circle label:\"A\"\nn1: circle label:\"B\"\n}\n"),
        Code("FZ111", "error", "an edge or loop naming a node that does not exist",
             _LANE + "n1: circle label:\"A\"\nn1.handle(right) -> n2.handle(left)\n}\n"),
        Code("FZ112", "error", "a lane prefix naming a lane that does not exist",
             _LANE + "n1: circle label:\"A\"\nn2: circle label:\"B\"\nn1.handle(right) -> Sails.n2.handle(left)\n}\n"),
        Code("FZ113", "error", "an unknown attribute key (nodes: label, owner, description, system; edges: label)",
             _LANE + "n1: circle lable:\"Start\"\n}\n"),
        Code("FZ114", "error", "a lane opened inside another lane (lanes do not nest)",
             _LANE + "Inner { # Inner\n}\n}\n"),
        Code("FZ115", "error", "a node declared outside every lane", "n1: circle label:\"Start\"\n"),
        Code("FZ116", "error", "a control character (such as NUL) in the text", _LANE + "n1: circle\x00\n}\n"),
        Code("FZ117", "error", "the file is not valid UTF-8", ""),
        Code("FZ118", "error", "too many errors: the rest of the diagram was not checked", ""),
        # --- warnings -----------------------------------------------------------------
        Code("FZ201", "warning", "node ids n1..nN have gaps",
             _LANE + "n1: circle label:\"A\"\nn3: circle label:\"B\"\nn1.handle(right) -> n3.handle(left)\n}\n"),
        Code("FZ202", "warning", "node ids are declared out of order",
             _LANE + "n2: circle label:\"A\"\nn1: circle label:\"B\"\nn2.handle(right) -> n1.handle(left)\n}\n"),
        Code("FZ203", "warning", "a node that no edge touches", _LANE + "n1: circle label:\"Alone\"\n}\n"),
        Code("FZ204", "warning", "a label longer than 50 characters",
             _LANE + "n1: rectangle label:\"" + "x" * 51 + "\"\nn1.handle(right) -> n1.handle(left)\n}\n"),
        Code("FZ205", "warning", "a cross-lane edge end without its lane prefix",
             _LANE + "n1: circle label:\"A\"\nn1.handle(right) -> n2.handle(left)\n}\n"
             "Ops { # Ops\nn2: circle label:\"B\"\n}\n"),
        Code("FZ206", "warning", "a lane prefix naming the wrong lane",
             _LANE + "n1: circle label:\"A\"\nn1.handle(right) -> Sales.n2.handle(left)\n}\n"
             "Ops { # Ops\nn2: circle label:\"B\"\n}\n"),
        Code("FZ207", "warning", "a lane without a display name",
             "Sales {\nn1: circle label:\"A\"\nn1.handle(right) -> n1.handle(left)\n}\n"),
        Code("FZ208", "warning", "an edge or loop outside every lane",
             _LANE + "n1: circle label:\"A\"\nn2: circle label:\"B\"\n}\nn1.handle(right) -> n2.handle(left)\n"),
        Code("FZ209", "warning", "a loop with fewer than two nodes",
             _LANE + "n1: circle label:\"A\"\nn1.handle(right) -> n1.handle(left)\nloop [again] n1\n}\n"),
        Code("FZ210", "warning", "`label=\"...\"` on a node (FlowZap writes `label:\"...\"`)",
             _LANE + "n1: circle label=\"A\"\nn1.handle(right) -> n1.handle(left)\n}\n"),
        Code("FZ211", "warning", "`[label:\"...\"]` on an edge (FlowZap writes `[label=\"...\"]`)",
             _LANE + "n1: circle label:\"A\"\nn1.handle(right) -> n1.handle(left) [label:\"x\"]\n}\n"),
        Code("FZ212", "warning", "a `# ...` line that is not a lane's display name (ignored)",
             _LANE + "n1: circle label:\"A\"\n# note\nn1.handle(right) -> n1.handle(left)\n}\n"),
        Code("FZ213", "warning", "an attribute given twice on one element (the last one is used)",
             _LANE + "n1: circle label:\"A\" label:\"B\"\nn1.handle(right) -> n1.handle(left)\n}\n"),
        Code("FZ214", "warning", "a lane id declared again: its blocks make one lane (drawn with the first display name)",
             _LANE + "n1: circle label:\"A\"\n}\nSales { # Sales again\nn2: circle label:\"B\"\n"
             "n1.handle(right) -> n2.handle(left)\n}\n"),
    )
}


def diag(code: str, message: str, line: int, column: int, hint: str | None = None, length: int = 1) -> Diagnostic:
    """A :class:`Diagnostic` whose severity comes from :data:`CODES` (so it cannot disagree)."""
    return Diagnostic(code, CODES[code].severity, message, line, column, hint, max(1, length))


@dataclass(frozen=True)
class OtherCode:
    """A code reported outside the parser (views, drawing, host adapters, catalogs)."""

    code: str
    severity: Severity
    summary: str


#: Codes from the drawing stages and the adapters; listed beside :data:`CODES` in the docs.
OTHER_CODES: dict[str, OtherCode] = {
    c.code: c
    for c in (
        OtherCode("FZ250", "warning", "sequence view: a request between two lanes is not answered before the next one"),
        OtherCode("FZ301", "error", "unknown view (workflow, sequence, architecture)"),
        OtherCode("FZ302", "error", "unknown theme (default, dark, mono, neutral)"),
        OtherCode("FZ303", "error", "the view is not available in this version"),
        OtherCode("FZ304", "error", "invalid id prefix (letters, digits, `-`, `_`)"),
        OtherCode("FZ310", "error", "MkDocs fence: a bad attribute value"),
        OtherCode("FZ311", "warning", "MkDocs fence: an unknown attribute"),
        OtherCode("FZ399", "error", "internal error while drawing (please report it)"),
        OtherCode("FZ900", "error", "extract: a diagram could not be read"),
        OtherCode("FZ901", "warning", "a translation catalog could not be read"),
        OtherCode("FZ902", "error", "a diagram file is missing or unreadable"),
        OtherCode("FZ903", "error", "a page names a diagram file outside the folders diagram files are read from "
                  "(docs folder, project folder, `base_path` / `flowzap_base_paths`): refused, not read"),
        OtherCode("FZ904", "error", "a diagram file that is not a text file: a directory, FIFO, device or socket, "
                  "binary content, or larger than 1 MiB"),
    )
}
