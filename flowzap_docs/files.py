"""Writing files atomically: the one writer for everything flowzap-docs puts on disk.

Rendered diagrams (``flowzap render -o``), ``.pot`` catalogs (``flowzap extract -o``),
reformatted sources (``flowzap fmt``), the image files of Sphinx and MkDocs sites, the diagram
cache's packs and the compiled grammar all go through :func:`write_atomic`, so that every one of
them has the same three properties:

* **Never half a file.**  The bytes go to a temporary file in the target's own folder (same file
  system, so the rename cannot become a copy), which then replaces the target with
  ``os.replace``: a reader, a parallel build or an interrupted run sees the old file or the new
  one.  The temporary file is removed when anything fails.
* **The umask's normal mode.**  The temporary file is created with ``os.open(..., 0o666)``, so
  the kernel applies the process umask exactly as for any file a program creates (0644 under
  umask 022, 0664 under 002).  ``tempfile.mkstemp`` is not used: it makes 0600 files, which a
  web server running as another user cannot read.  Reading the umask (``os.umask``) is not
  needed either, and could not be done without briefly changing it for every thread.
* **Durable when it matters.**  ``durable=True`` flushes the file and its folder to disk
  (``fsync``) before returning; used where the file is a person's only copy (``flowzap fmt``
  rewrites sources).  Build outputs and caches can be made again, and an ``fsync`` per image
  would cost a cold build milliseconds a diagram, so they skip it.

Temporary files are named ``.<name>.<pid>.<random>.tmp``: hidden, unique across processes
(``sphinx-build -j`` workers, two builds at once), and recognisable as leftovers of a killed
process (the cache's prune deletes old ``*.tmp`` files).
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path

#: Flags of the temporary file: created here or not at all, binary on Windows, not inherited.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
#: Longest part of the target's name kept in the temporary file's name (names are limited to
#: 255 bytes on most file systems, and the temporary name adds about 25).
_NAME_KEPT = 120


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, keep_mode: bool = False,
                 durable: bool = False) -> None:
    """Replace ``path`` with ``data`` in one step (text is written as UTF-8, line ends as given).

    The folder is created if missing.  The new file gets the umask's normal mode, or with
    ``keep_mode`` the mode of the file it replaces (a source file that someone made private or
    executable stays so).  ``durable``: ``fsync`` the file and its folder before returning.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    mode: int | None = None
    if keep_mode:
        with suppress(FileNotFoundError):
            mode = stat.S_IMODE(os.stat(target).st_mode)
    tmp, fd = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _sync_folder(target.parent)


def write_once(path: str | os.PathLike[str], data: bytes | str) -> None:
    """:func:`write_atomic` for content-addressed files (the name is a hash of the content):
    an existing file is already right, and parallel writers of the same file race harmlessly."""
    if not os.path.exists(path):
        write_atomic(path, data)


def _create_temporary(target: Path) -> tuple[Path, int]:
    """A new, empty temporary file beside ``target`` and its open descriptor (mode 0666 minus
    the umask, applied by the kernel)."""
    stem = target.name[:_NAME_KEPT]
    while True:
        tmp = target.with_name(f".{stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, _CREATE, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits and the pid: next name
            continue


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: the folder's entry is written by ``fsync`` on
    the folder).  Best effort: Windows cannot open a folder, some file systems refuse."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
