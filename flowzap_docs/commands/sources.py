"""Reading diagram files and writing results, shared by the ``flowzap`` subcommands.

A file that is not UTF-8 is a diagnostic (FZ117, at the line and column of the first bad
byte), never a traceback; a file that is no text at all (a directory, a FIFO, binary, over
1 MiB) is refused with one message; ``-`` means standard input.  Writes are atomic (a temporary file
in the same directory, then ``os.replace``) so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import os
import sys
import tempfile
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


def write_atomic(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, LF) in one step, keeping the file's mode."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        try:
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
