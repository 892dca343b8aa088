"""Reading diagram files, shared by the ``flowzap`` subcommands.

A file that is not UTF-8 is a diagnostic (FZ117, at the line and column of the first bad
byte), never a traceback; ``-`` means standard input.  Results are written by
:func:`flowzap_docs.files.write_atomic` (never half a file).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from ..diagnostics_codes import diag

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
    try:
        return Source(name, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        line_start = head.rfind(b"\n") + 1
        column = len(head[line_start:].decode("utf-8", errors="replace")) + 1
        problem = diag("FZ117", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column,
                       "save the file as UTF-8")
        return Source(name, None, problem)


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
    """Read ``path`` (``-`` = standard input)."""
    if path == STDIN:
        return decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Source(path, None, io_error=f"cannot read {path}: {exc.strerror or exc}")
    return decode(data, path)
