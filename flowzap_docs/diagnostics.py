"""Diagnostics: what went wrong (or breaks a style rule), where, and how to fix it.

A :class:`FlowZapError` carries *every* error found, not only the first, so a writer fixes a
diagram in one pass.  Diagnostics render like a compiler's (file:line:col, the source line, a
caret, ``help:``) because that is what writers already know how to read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Severity = Literal["error", "warning"]

#: Line ends as the parser counts them (``str.splitlines`` would also split on U+2028, \f, ...).
_LINE_END = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


@lru_cache(maxsize=8)
def _source_lines(source: str) -> tuple[str, ...]:
    """The source split once, however many diagnostics point into it (a 100,000-line file
    with 200 errors must not be split 200 times)."""
    return tuple(_LINE_END.split(source[1:] if source.startswith("\ufeff") else source))


@dataclass(frozen=True)
class Diagnostic:
    """One finding.  ``line`` and ``column`` are 1-based, in the diagram's own text.

    ``code`` is stable (``FZ101``...): tests, docs and users may rely on it.
    ``length`` is how many characters the caret underlines (at least 1).
    """

    code: str
    severity: Severity
    message: str
    line: int
    column: int
    hint: str | None = None
    length: int = 1

    def format(self, source: str | None = None, filename: str = "<diagram>") -> str:
        """``order.fz:3:5: error[FZ...]: message``, then the line, a caret and ``help:``."""
        head = f"{filename}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        parts = [head]
        if source is not None:
            lines = _source_lines(source)
            if 1 <= self.line <= len(lines):
                # one character per column, so the caret stays aligned: tab -> space,
                # control characters -> U+FFFD (never echo a raw NUL to a terminal)
                text = _CONTROL.sub("\ufffd", lines[self.line - 1].replace("\t", " "))
                if len(text) > 200:  # keep huge lines readable: show a window round the column
                    start = max(0, self.column - 80)
                    text = ("…" if start else "") + text[start : start + 160]
                    col = self.column - start + (1 if start else 0)
                else:
                    col = self.column
                gutter = f"{self.line} | "
                parts.append(gutter + text)
                start = max(col - 1, 0)
                culprit = text[start : start + max(1, min(self.length, len(text) - col + 1))]
                # pad and underline by display width, so the caret sits under CJK text too
                parts.append(" " * (len(gutter) + _width(text[:start])) + "^" * max(1, _width(culprit)))
        if self.hint:
            parts.append(f"help: {self.hint}")
        return "\n".join(parts)

    def shifted(self, lines: int) -> Diagnostic:
        """The same diagnostic with its line moved by ``lines`` (for diagrams embedded in a page)."""
        return Diagnostic(self.code, self.severity, self.message, self.line + lines, self.column, self.hint, self.length)


class FlowZapError(Exception):
    """The diagram has errors.  ``diagnostics`` lists all of them (warnings too, errors first)."""

    def __init__(self, diagnostics: Iterable[Diagnostic], source: str | None = None, filename: str = "<diagram>"):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=lambda d: (d.severity != "error", d.line, d.column))
        )
        self.source = source
        self.filename = filename
        super().__init__(self.format())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def format(self) -> str:
        return "\n".join(d.format(self.source, self.filename) for d in self.diagnostics) or "FlowZap error"
