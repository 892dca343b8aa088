"""Diagram files: where a page may read them from, and reading one without surprises.

A page can name a diagram file (MkDocs ``src="x.fz"``, Sphinx ``.. flowzap:: x.fz``).  Whoever
can write a page must not be able to publish any file the build machine can read: before this
rule, ``src="../../../../etc/passwd"`` put the file's lines in the built page's error box.  So,
like pymdownx.snippets' ``restrict_base_path``, the real path (symlinks followed) must lie inside
one of the site's :class:`AllowedFolders` (the docs folder, the project folder, and what the
site owner lists in ``mkdocs.yml``/``conf.py``); anything else is refused before it is opened.

Reading is safe for files that are not text, whoever named them: a directory, a FIFO (opened
without blocking, after a ``stat``), a device or socket, a file over :data:`MAX_BYTES`, binary
content (NUL bytes) or bytes that are not UTF-8 each give one diagnostic, never a hang or a
traceback.  The ``flowzap`` command reads the files named on its command line through
:func:`read_text_file` (the user chose them: no folder rule there); the adapters call
:func:`read_page_file` with their host's paths.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic

PathLike = str | os.PathLike[str]

#: Larger files are refused: a diagram is a few kilobytes; a page must not make the build
#: read (and keep in memory, and parse) a disk image.
MAX_BYTES = 1 << 20

#: A text file with a stray NUL or two is text with a mistake (the parser points at each, FZ116);
#: more of them, or NULs in bytes that are not UTF-8 (an image, UTF-16 text), is a binary file.
STRAY_NULS = 8

UNREADABLE = "FZ902"
OUTSIDE = "FZ903"
NOT_TEXT = "FZ904"
NOT_UTF8 = "FZ117"

#: What marks the root of a project (the folder a repository or a Python project starts in).
PROJECT_MARKERS = (".git", ".hg", ".svn", "pyproject.toml", "setup.py", "setup.cfg")


@dataclass(frozen=True)
class TextFile:
    """A file's text, or the one problem that kept it from being read.

    ``problem`` is at line 1, column 1 except for :data:`NOT_UTF8`, which points at the first
    bad byte inside the file; its message says what is wrong without naming the file.
    """

    text: str | None
    problem: Diagnostic | None = None


def decode_text(data: bytes) -> TextFile:
    """UTF-8 bytes -> text (a BOM is kept: the parser skips it), or FZ117 at the first bad byte."""
    try:
        return TextFile(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line_start = head.rfind(b"\n") + 1
        column = len(head[line_start:].decode("utf-8", errors="replace")) + 1
        return TextFile(None, Diagnostic(NOT_UTF8, "error", f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                         head.count(b"\n") + 1, column, "save the file as UTF-8"))


def _not_text(reason: str, hint: str | None = None) -> TextFile:
    return TextFile(None, Diagnostic(NOT_TEXT, "error", reason, 1, 1, hint))


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _too_big(size: int, max_bytes: int) -> TextFile:
    return _not_text(f"the file is too big for a diagram ({size} bytes; the limit is {max_bytes} bytes)",
                     "split the diagram, or check that the path names the right file")


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))


def read_text_file(path: PathLike, *, max_bytes: int = MAX_BYTES) -> TextFile:
    """The UTF-8 text of the regular file ``path``, or why it is not a diagram's text.

    ``stat`` first, so a FIFO or a device is never opened; the open itself does not block
    either (``O_NONBLOCK``) and the opened file is checked again, in case it was swapped.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return TextFile(None, Diagnostic(UNREADABLE, "error", "no such file", 1, 1))
    except (OSError, ValueError) as err:  # ValueError: a NUL in the path
        return TextFile(None, Diagnostic(UNREADABLE, "error", _reason(err), 1, 1))
    kind = _kind(info.st_mode)
    if kind is not None:
        return _not_text(f"{kind}, not a text file")
    if info.st_size > max_bytes:
        return _too_big(info.st_size, max_bytes)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as err:
        return TextFile(None, Diagnostic(UNREADABLE, "error", _reason(err), 1, 1))
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            return _not_text(f"{kind}, not a text file")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        return TextFile(None, Diagnostic(UNREADABLE, "error", _reason(err), 1, 1))
    finally:
        os.close(fd)
    if size > max_bytes:
        return _too_big(size, max_bytes)
    data = b"".join(chunks)
    found = decode_text(data)
    nuls = data.count(b"\0")
    if nuls and (found.text is None or nuls > STRAY_NULS):
        return _not_text("binary content (NUL bytes), not a text file", "name a .fz file written as UTF-8 text")
    return found


def _reason(err: BaseException) -> str:
    return (err.strerror if isinstance(err, OSError) else None) or str(err) or type(err).__name__


# --------------------------------------------------------------------------- the folder rule


def _real(path: PathLike) -> str:
    return os.path.realpath(os.path.abspath(os.fspath(path)))


@dataclass(frozen=True)
class AllowedFolders:
    """The folders (real paths, symlinks followed) a page's diagram files may come from, and
    how a refusal tells the site owner to allow one more (``how_to_allow``)."""

    folders: tuple[str, ...]
    how_to_allow: str = ""

    @classmethod
    def of(cls, folders: Iterable[PathLike], *, relative_to: PathLike | None = None,
           how_to_allow: str = "") -> AllowedFolders:
        """``folders`` as real paths (relative ones from ``relative_to``, else the cwd), each once."""
        out: list[str] = []
        for folder in folders:
            text = os.fspath(folder)
            if relative_to is not None and not os.path.isabs(text):
                text = os.path.join(os.fspath(relative_to), text)
            real = _real(text)
            if real not in out:
                out.append(real)
        return cls(tuple(out), how_to_allow)

    def allows(self, path: PathLike) -> bool:
        """True when the real path of ``path`` lies inside one of the folders."""
        return self.holds(_real(path))

    def holds(self, real: str) -> bool:
        """True when ``real`` (a real path already: symlinks followed) lies inside one of the folders."""
        return any(real.startswith(os.path.join(folder, "")) or real == folder for folder in self.folders)


def resolve_reference(ref: str, page_dir: PathLike, root_dir: PathLike) -> str:
    """The absolute path a page means by ``ref``: relative to the page's folder; ``/x.fz``
    from ``root_dir`` (MkDocs' docs_dir, Sphinx's source folder), never the machine's root."""
    text = ref.strip()
    if text.startswith(("/", "\\")):
        return os.path.normpath(os.path.join(os.fspath(root_dir), text.lstrip("/\\")))
    return os.path.normpath(os.path.join(os.fspath(page_dir), text))


def shown_path(path: PathLike, base: PathLike | None) -> str:
    """``docs/diagrams/order.fz``, ``../shared/x.fz``: relative to ``base`` (the project folder),
    forward slashes; so messages, which reach built pages, do not spell out the build machine's
    folders.  Absolute only on another drive (Windows)."""
    text = os.fspath(path)
    if base is not None:
        try:
            text = os.path.relpath(text, os.fspath(base))
        except ValueError:  # another drive
            pass
    return text.replace(os.sep, "/")


def read_page_file(path: PathLike, allowed: AllowedFolders, *, named_as: str,
                   shown_from: PathLike | None = None, max_bytes: int = MAX_BYTES) -> TextFile:
    """Read the diagram file a page names, if the folder rule allows it.

    ``path`` is the host's resolution of the page's reference (absolute); ``named_as`` is how
    the page wrote it (``src="../x.fz"``), for messages; paths in messages are shown relative
    to ``shown_from`` (the project folder).  A refused file is never opened, and no message
    says anything about its content.  Every problem is at line 1, column 1 (a bad byte's
    place is in the message): the adapter puts it at the page's line, which names the file.
    """
    if "\0" in os.fspath(path):  # no file has that name; realpath would raise
        return TextFile(None, Diagnostic(UNREADABLE, "error", f"cannot read {named_as}: a NUL character in the path",
                                         1, 1))
    real = _real(path)
    if not allowed.holds(real):
        where = shown_path(path, shown_from)
        leads = where
        if real != os.path.abspath(os.fspath(path)):
            leads = f"{where} (which leads to {shown_path(real, shown_from)})"
        folders = ", ".join(shown_path(f, shown_from) for f in allowed.folders)
        message = (f"{named_as} is refused: {leads} is outside the folders diagram files are read from "
                   f"({folders})")
        return TextFile(None, Diagnostic(OUTSIDE, "error", message, 1, 1, allowed.how_to_allow or None))
    found = read_text_file(real, max_bytes=max_bytes)
    problem = found.problem
    if problem is None:
        return found
    at = f" (line {problem.line}, column {problem.column})" if problem.code == NOT_UTF8 else ""
    message = f"cannot read {named_as}: {shown_path(path, shown_from)}: {problem.message}{at}"
    return TextFile(None, Diagnostic(problem.code, problem.severity, message, 1, 1, problem.hint))


# --------------------------------------------------------------------------- the default folders


def _too_wide(folder: str) -> bool:
    """The home folder or the file system's root: never a project folder by default (a dotfiles
    repository in the home folder must not open all of it)."""
    return folder == _real(os.path.expanduser("~")) or os.path.dirname(folder) == folder


@lru_cache(maxsize=32)
def project_root(start: str) -> str | None:
    """The folder a source folder's project starts in: the nearest folder at or above ``start``
    holding a repository or a Python project (:data:`PROJECT_MARKERS`); without one, the parent
    of ``start`` (docs usually live in a subfolder).  None when that would be the home folder
    or the root."""
    here = _real(start)
    found = next((os.fspath(folder) for folder in (Path(here), *Path(here).parents)
                  if any((folder / marker).exists() for marker in PROJECT_MARKERS)), None)
    root = found or os.path.dirname(here)
    return None if _too_wide(root) else root


def site_folders(site: Iterable[PathLike], base_paths: Iterable[PathLike] | None, *, relative_to: PathLike,
                 how_to_allow: str = "") -> AllowedFolders:
    """The folders a site's pages may read diagram files from: its own folders (``site``: the
    source folder, and where the host has one, the folder of its config file) plus the folders
    the site owner lists (relative ones from ``relative_to``, the config file's folder).

    ``base_paths=None`` means the owner listed none and gets the default, the project's root
    folder (:func:`project_root` of the first site folder), so a ``docs/`` folder may name
    ``../diagrams/x.fz`` as ``literalinclude`` users expect; ``[]`` keeps to ``site`` alone.
    """
    site = list(site)
    if base_paths is None:
        root = project_root(os.fspath(site[0]))
        extra: list[PathLike] = [root] if root else []
    else:
        extra = list(base_paths)
    return AllowedFolders.of([*site, *extra], relative_to=relative_to, how_to_allow=how_to_allow)
