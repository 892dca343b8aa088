"""Reading diagram files, shared by the ``flowzap`` subcommands.

A file that is not UTF-8 is a diagnostic (FZ117, at the line and column of the first bad
byte), never a traceback; a file that is no text at all (a directory, a FIFO, binary, over
1 MiB) is one FZ904 diagnostic, never a hang; ``-`` means standard input.  Results are written
by :func:`flowzap_docs.files.write_atomic` (never half a file).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from ..sources import UNREADABLE, decode_text, read_text_file

STDIN = "-"


@dataclass(frozen=True)
class Source:
    """One input: its display name, its text (``None`` if unreadable) and what went wrong."""

    name: str
    text: str | None
    problem: Diagnostic | None = None
    io_error: str | None = None


def decode(data: bytes, name: str) -> Source:
    """UTF-8 (a BOM is fine) -> text, or an FZ117 diagnostic pointing at the first bad byte."""
    found = decode_text(data)
    return Source(name, found.text, found.problem)


def expand(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for its ``.fz`` files (recursively, sorted)."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != STDIN and p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*.fz")) if f.is_file())
        else:
            out.append(path)
    return out


def read_source(path: str) -> Source:
    """Read ``path`` (``-`` = standard input).  A directory, FIFO, device, binary or huge file is
    a ``problem`` (FZ904, the core's checks: :func:`flowzap_docs.sources.read_text_file`), never
    a hang; a missing or forbidden file is an ``io_error``."""
    if path == STDIN:
        return decode(sys.stdin.buffer.read(), "<stdin>")
    found = read_text_file(path)
    problem = found.problem
    if problem is None or problem.code != UNREADABLE:  # not UTF-8, not text: a diagnostic of the file
        return Source(path, found.text, problem)
    return Source(path, None, io_error=f"cannot read {path}: {problem.message}")
