"""Content-addressed cache of drawn diagrams: memory first, then a directory on disk.

Docs sites are rebuilt constantly (``mkdocs serve``, ``sphinx-autobuild``, CI on every push)
and an unchanged diagram must never be drawn twice.  This module is the storage half of that;
:class:`flowzap_docs.pipeline.Renderer` decides *what* the key of a diagram is and calls it.

Keys
    A key is the SHA-256 of everything that changes the output (see :func:`base_key` and
    :func:`full_key`) and nothing machine-specific, so a cache directory restored by CI on
    another machine hits.  The package version and a fingerprint of the package's own files
    (:func:`code_fingerprint`) are part of every key, so an upgrade (or a local edit of the
    drawing code) never serves stale drawings.

Layers
    *Memory*: a dict kept on the :class:`DiagramCache` (hence on the Renderer) across
    ``mkdocs serve`` rebuilds and across the documents of one Sphinx process.  An entry not
    used in the current or the previous build is dropped at :meth:`DiagramCache.finish_build`.
    *Disk*: ``<dir>/entries/ab/<key>.entry`` (the SVG, alt text and warnings),
    ``<dir>/sources/ab/<base>.msgids`` (which texts a diagram asked its translator for) and
    ``<dir>/pages/<hash of page>.page`` (the manifest of one page: the keys it uses).

Safety
    Every file is written to a temporary file in the same directory and renamed over the
    target (``os.replace``), so readers see the old file or the new one, never a mix.  Every
    file starts with a line holding the SHA-256 of its body, verified on every read: a
    truncated, bit-flipped or foreign file is a miss (and is rewritten), never served.
    Entries are content-addressed, so two processes writing the same key write the same
    bytes and the last rename wins harmlessly; manifests are one file per page.  No locks.
    A directory that cannot be written costs speed only: exactly one warning per
    :class:`DiagramCache`, sent to ``on_warning`` when given, else logged on the
    ``flowzap_docs.cache`` logger (:data:`LOGGER_NAME`), and kept in :attr:`DiagramCache.warnings`.

Pruning
    :meth:`DiagramCache.finish_build` with ``used_pages`` (the set of *every* page of the site
    as it is now, not only the pages rebuilt) deletes the manifests of pages not in the set,
    then every entry no remaining manifest names.  Files younger than the build (written by
    a concurrent build) are kept.  ``used_pages=None`` prunes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic

#: Logger name for the cache's one "not writable" warning and its debug/info messages.
#: Adapters may attach a handler to it, or pass ``on_warning`` to route the warning themselves.
LOGGER_NAME = "flowzap_docs.cache"
log = logging.getLogger(LOGGER_NAME)

#: Bumped when the layout of keys or files changes (part of every key).
SCHEMA = 2

#: First bytes of every cache file; the rest of the first line is the SHA-256 of the body.
_MAGIC = b"flowzap-cache 2 "
_HEADER_LEN = len(_MAGIC) + 64 + 1

#: Files changed less than this many seconds before the build started are never pruned, to
#: allow for coarse file-system timestamps.  Files written *during* the build are always kept.
_PRUNE_GRACE = 2.0
#: Temporary files older than this are leftovers of a killed process.
_STALE_TMP = 3600.0

_CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by flowzap-docs (diagram cache).\n"
    b"# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclass(frozen=True)
class Entry:
    """One drawn diagram as stored: ``svg`` and ``alt`` with the placeholder id prefix (when
    the Renderer used one) and the diagram's warnings with lines *in the diagram's own text*
    (the Renderer shifts them by the request's ``line_offset`` on the way out)."""

    svg: str
    alt: str
    warnings: tuple[Diagnostic, ...] = ()


# --------------------------------------------------------------------------- keys


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=repr)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


#: Parts of the installed package that never change a drawing: the host adapters (installed
#: inside the package by a wheel, beside it in a checkout) and the command line.
_NOT_DRAWING = frozenset({"__pycache__", "sphinx_ext", "mkdocs_plugin", "commands"})


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the package's own code and data files (relative names and contents).

    The version alone misses a drawing change made without a release (an editable install,
    a patched wheel); the file *contents* are the same on every machine with the same
    release, so this never costs a CI hit.  The adapters and the CLI are left out (they do
    not draw), so a wheel and a checkout of one release agree.  Computed once per process.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    suffixes = {".py", ".lark", ".json", ".css", ".html"}
    files = sorted(
        p for p in root.rglob("*")
        if p.suffix in suffixes and p.is_file() and not _NOT_DRAWING.intersection(p.relative_to(root).parts)
    )
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        digest.update(rel.encode("utf-8") + b"\x00" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def base_key(fields: Mapping[str, object]) -> str:
    """The key of a diagram *before* translation: ``fields`` (the source, view, theme, lang and
    every other option, all JSON-serializable) plus schema, output format, package version and
    code fingerprint.  Machine-independent: no paths, no times.  No third-party version is in
    it: the drawing code uses none (Babel only reads catalogs, whose answers are in
    :func:`full_key`; lark only parses, and the parsed diagram is fixed by the source)."""
    from . import __version__

    payload = {
        "schema": SCHEMA,
        "format": "svg",
        "version": __version__,
        "code": code_fingerprint(),
        "fields": dict(fields),
    }
    return _sha(_json(payload))


def full_key(base: str, answers: Mapping[str, object] | None) -> str:
    """The key of the drawn diagram: ``base`` plus what the translator answered for every text
    the drawing asked it about (``None``: no translator was used)."""
    tail = "-" if answers is None else _json(answers)
    return _sha(base + "\x00" + tail)


# --------------------------------------------------------------------------- blob files


def _pack(body: dict[str, object], payload: str = "") -> bytes:
    """``magic + sha256(rest) + \\n``, then the body as one JSON line, then ``payload`` as is (the
    SVG: kept out of the JSON so reading it back costs a decode, not a JSON unescape)."""
    data = _json(body).encode("utf-8", "surrogatepass") + b"\n" + payload.encode("utf-8", "surrogatepass")
    return _MAGIC + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data


def _unpack(raw: bytes | None, kind: str) -> tuple[dict[str, object], bytes] | None:
    """The body and payload of a cache file, or ``None`` if it is absent, truncated, corrupt or
    of another kind."""
    if raw is None or len(raw) < _HEADER_LEN or not raw.startswith(_MAGIC) \
            or raw[_HEADER_LEN - 1:_HEADER_LEN] != b"\n":
        return None
    data = raw[_HEADER_LEN:]
    if hashlib.sha256(data).hexdigest().encode("ascii") != raw[len(_MAGIC):_HEADER_LEN - 1]:
        return None
    end = data.find(b"\n")
    if end < 0:
        return None
    try:
        body = json.loads(data[:end].decode("utf-8", "surrogatepass"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict) or body.get("kind") != kind:
        return None
    return body, data[end + 1:]


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory + rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _read(path: str | Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _diag_to_json(d: Diagnostic) -> list[object]:
    return [d.code, d.severity, d.message, d.line, d.column, d.hint, d.length]


def _diag_from_json(item: object) -> Diagnostic:
    code, severity, message, line, column, hint, length = item  # type: ignore[misc]
    if severity not in ("error", "warning") or not isinstance(line, int) or not isinstance(column, int):
        raise ValueError("bad diagnostic")
    return Diagnostic(str(code), severity, str(message), line, column, hint if hint is None else str(hint), int(length))


def page_file_name(page: str) -> str:
    """The manifest file of a page (a hash: page ids may hold slashes or odd characters)."""
    return _sha("page\x00" + page)[:40] + ".page"


# --------------------------------------------------------------------------- the cache


@dataclass
class _Slot:
    value: object
    generation: int


@dataclass
class _Page:
    """Book-keeping for one page: what this build used, and what its manifest on disk says."""

    generation: int
    keys: set[str] = field(default_factory=set)
    bases: set[str] = field(default_factory=set)
    disk: tuple[frozenset[str], frozenset[str]] | None = None  # None: not read yet


@dataclass
class PruneReport:
    """What :meth:`DiagramCache.finish_build` removed from disk."""

    pages: int = 0
    entries: int = 0
    sources: int = 0
    temporary: int = 0
    kept: int = 0


class DiagramCache:
    """Memory and disk layers, page manifests and pruning (see the module docstring).

    ``directory``: the disk layer's directory (created when needed), or ``None``/``False``
    for memory only.  ``on_warning``: called with the one "cache not writable" message
    (else it is logged on :data:`LOGGER_NAME`).  ``memory=False`` turns the memory layer off
    (benchmarks of the disk layer).
    """

    def __init__(self, directory: str | os.PathLike[str] | bool | None, *,
                 on_warning: Callable[[str], None] | None = None, memory: bool = True) -> None:
        self.directory: Path | None = None if directory in (None, False, "") else Path(directory)  # type: ignore[arg-type]
        self._root = os.fspath(self.directory) if self.directory is not None else ""
        self.on_warning = on_warning
        self.memory = memory
        #: The warnings this cache emitted (at most one: the directory is not writable).
        self.warnings: list[str] = []
        self.writable = self.directory is not None
        self.generation = 0
        self.build_started = time.time()
        self._entries: dict[str, _Slot] = {}
        self._msgids: dict[str, _Slot] = {}
        self._pages: dict[str, _Page] = {}
        self._current_page: str | None = None
        self._made_dirs: set[Path] = set()
        if self.directory is not None:
            self._open()

    # ----------------------------------------------------------------- directory

    def _open(self) -> None:
        """Create the directory and check it is writable now (in the main process, before any
        ``sphinx-build -j`` worker forks), so the one warning is given once, not per worker."""
        assert self.directory is not None
        try:
            for sub in ("entries", "sources", "pages"):
                (self.directory / sub).mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if tag.exists():
                probe = self.directory / f".probe.{os.getpid()}.{secrets.token_hex(4)}.tmp"
                probe.write_bytes(b"")
                probe.unlink()
            else:
                _write_atomic(tag, _CACHEDIR_TAG)
        except OSError as err:
            self._disable(err)

    def _disable(self, err: OSError) -> None:
        """Stop writing (reads still work, e.g. a read-only cache restored by CI) and warn once."""
        if not self.writable:
            return
        self.writable = False
        message = (f"flowzap: the diagram cache directory {self.directory} cannot be written "
                   f"({err.strerror or err}); the build goes on without it, drawing what is not in memory")
        self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            log.warning("%s", message)

    def _write(self, path: Path, body: dict[str, object], payload: str = "") -> None:
        if not self.writable:
            return
        data = _pack(body, payload)
        try:
            if path.parent not in self._made_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made_dirs.add(path.parent)
            _write_atomic(path, data)
        except OSError as err:
            if path.exists() and os.access(path.parent, os.W_OK):
                return  # a concurrent writer holds the file (Windows): theirs is as good as ours
            self._disable(err)

    def _entry_path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / "entries" / key[:2] / f"{key}.entry"

    def _entry_file(self, key: str) -> str:
        """The same as :meth:`_entry_path`, as a string (a hit must stay cheap: no pathlib)."""
        return os.path.join(self._root, "entries", key[:2], key + ".entry")

    def _msgids_path(self, base: str) -> Path:
        assert self.directory is not None
        return self.directory / "sources" / base[:2] / f"{base}.msgids"

    def _page_path(self, page: str) -> Path:
        assert self.directory is not None
        return self.directory / "pages" / page_file_name(page)

    # ----------------------------------------------------------------- entries

    def lookup(self, key: str) -> Entry | None:
        """The entry for ``key`` from memory, else from disk (verified), else ``None``."""
        slot = self._entries.get(key)
        if slot is not None:
            slot.generation = self.generation
            return slot.value  # type: ignore[return-value]
        if self.directory is None:
            return None
        raw = _read(self._entry_file(key))
        if raw is None:
            return None
        entry = self._decode_entry(raw, key)
        if entry is None:
            log.info("flowzap: corrupt cache entry %s ignored (it will be redrawn)", key)
            return None
        if self.memory:
            self._entries[key] = _Slot(entry, self.generation)
        return entry

    @staticmethod
    def _decode_entry(raw: bytes, key: str) -> Entry | None:
        unpacked = _unpack(raw, "entry")
        if unpacked is None or unpacked[0].get("key") != key:
            return None
        body, payload = unpacked
        try:
            alt, warnings = body["alt"], body["warnings"]
            if not isinstance(alt, str) or not isinstance(warnings, list):
                return None
            return Entry(payload.decode("utf-8", "surrogatepass"), alt, tuple(_diag_from_json(w) for w in warnings))
        except (KeyError, TypeError, ValueError, UnicodeDecodeError):
            return None

    def store(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` in memory and write it to disk (atomically)."""
        if self.memory:
            self._entries[key] = _Slot(entry, self.generation)
        if self.directory is not None:
            body = {"kind": "entry", "key": key, "alt": entry.alt,
                    "warnings": [_diag_to_json(d) for d in entry.warnings]}
            self._write(self._entry_path(key), body, entry.svg)

    # ----------------------------------------------------------------- translated texts

    def msgids(self, base: str) -> tuple[str, ...] | None:
        """The texts the diagram with this base key asked its translator about, if known."""
        slot = self._msgids.get(base)
        if slot is not None:
            slot.generation = self.generation
            return slot.value  # type: ignore[return-value]
        if self.directory is None:
            return None
        unpacked = _unpack(_read(self._msgids_path(base)), "msgids")
        body = unpacked[0] if unpacked is not None else None
        if body is None or body.get("base") != base:
            return None
        values = body.get("msgids")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        result = tuple(values)
        if self.memory:
            self._msgids[base] = _Slot(result, self.generation)
        return result

    def store_msgids(self, base: str, msgids: Iterable[str]) -> None:
        values = tuple(sorted(set(msgids)))
        if self.memory:
            self._msgids[base] = _Slot(values, self.generation)
        if self.directory is not None:
            self._write(self._msgids_path(base), {"kind": "msgids", "base": base, "msgids": list(values)})

    # ----------------------------------------------------------------- page manifests

    def _page(self, page: str) -> _Page:
        state = self._pages.get(page)
        if state is None:
            state = self._pages[page] = _Page(self.generation)
        elif state.generation != self.generation:  # first use in this build: start afresh
            state.generation = self.generation
            state.keys = set()
            state.bases = set()
        return state

    def _disk_manifest(self, page: str, state: _Page) -> tuple[frozenset[str], frozenset[str]]:
        if state.disk is None:
            state.disk = self.read_manifest(page) or (frozenset(), frozenset())
        return state.disk

    def read_manifest(self, page: str) -> tuple[frozenset[str], frozenset[str]] | None:
        """``(keys, bases)`` of the page's manifest on disk, or ``None`` (absent or corrupt)."""
        if self.directory is None:
            return None
        unpacked = _unpack(_read(self._page_path(page)), "page")
        return self._manifest_sets(unpacked[0] if unpacked is not None else None, page)

    @staticmethod
    def _manifest_sets(body: dict[str, object] | None, page: str | None) -> tuple[frozenset[str], frozenset[str]] | None:
        if body is None or (page is not None and body.get("page") != page):
            return None
        keys, bases = body.get("keys"), body.get("bases")
        if not isinstance(keys, list) or not isinstance(bases, list):
            return None
        return frozenset(k for k in keys if isinstance(k, str)), frozenset(b for b in bases if isinstance(b, str))

    def _write_manifest(self, page: str, state: _Page, keys: frozenset[str], bases: frozenset[str]) -> None:
        state.disk = (keys, bases)
        if self.directory is None or not self.writable:
            return
        path = self._page_path(page)
        if not keys:
            with suppress(OSError):
                path.unlink()
            return
        self._write(path, {"kind": "page", "page": page, "keys": sorted(keys), "bases": sorted(bases)})

    def begin_page(self, page: str) -> None:
        """Optional: the adapter is (re)reading ``page`` now.  Without it a page whose last
        diagram was removed keeps its old manifest until the page itself is deleted."""
        self._switch_page(page)
        self._page(page)

    def _switch_page(self, page: str) -> None:
        if self._current_page is not None and self._current_page != page:
            self._flush(self._current_page)
        self._current_page = page

    def record(self, page: str, key: str, base: str) -> None:
        """``page`` uses entry ``key`` (drawn from ``base``).  The manifest on disk only ever
        grows while a page is being read (so it always covers what the page uses, even in a
        ``sphinx-build -j`` worker that never reaches the end of the build); it shrinks to
        exactly this build's keys when the adapter moves on to another page or ends the build."""
        if self._current_page != page:
            self._switch_page(page)
        state = self._page(page)
        state.keys.add(key)
        state.bases.add(base)
        if self.directory is None:
            return
        disk_keys, disk_bases = self._disk_manifest(page, state)
        if key not in disk_keys or base not in disk_bases:
            self._write_manifest(page, state, disk_keys | state.keys, disk_bases | state.bases)

    def _flush(self, page: str) -> None:
        state = self._pages.get(page)
        if state is None or state.generation != self.generation or self.directory is None:
            return
        wanted = (frozenset(state.keys), frozenset(state.bases))
        if self._disk_manifest(page, state) != wanted:
            self._write_manifest(page, state, *wanted)

    # ----------------------------------------------------------------- builds

    def begin_build(self) -> None:
        """Optional: a build starts (sets the time before which unused files may be pruned)."""
        self.generation += 1
        self.build_started = time.time()
        self._current_page = None

    def finish_build(self, used_pages: Iterable[str] | None = None) -> PruneReport | None:
        """Write the manifests of the pages read in this build, prune (only when ``used_pages``
        is given: the set of every page of the site), forget memory entries unused for two
        builds, and start the next build."""
        for page in list(self._pages):
            self._flush(page)
        report = None
        if used_pages is not None and self.directory is not None and self.writable:
            try:
                report = self._prune(set(used_pages))
            except OSError as err:  # a vanished directory: pruning is best effort
                log.info("flowzap: cache pruning stopped: %s", err)
        oldest = self.generation - 1
        for table in (self._entries, self._msgids):
            for key in [k for k, slot in table.items() if slot.generation < oldest]:
                del table[key]
        if used_pages is not None:
            live = set(used_pages)
            for page in [p for p in self._pages if p not in live]:
                del self._pages[page]
        self.generation += 1
        self.build_started = time.time()
        self._current_page = None
        return report

    def _prune(self, used_pages: set[str]) -> PruneReport:
        assert self.directory is not None
        report = PruneReport()
        cutoff = self.build_started - _PRUNE_GRACE
        now = time.time()
        live_keys: set[str] = set()
        live_bases: set[str] = set()
        pages_dir = self.directory / "pages"
        for item in _scan(pages_dir):
            if self._remove_tmp(item, now, report):
                continue
            unpacked = _unpack(_read(Path(item.path)), "page")
            body = unpacked[0] if unpacked is not None else None
            sets = self._manifest_sets(body, None)
            page = body.get("page") if body is not None else None
            young = _mtime(item) >= cutoff
            if sets is not None and isinstance(page, str) and item.name == page_file_name(page) \
                    and (page in used_pages or young):
                live_keys |= sets[0]
                live_bases |= sets[1]
                continue
            if young:  # unreadable but just written: a concurrent build's; leave it
                continue
            with suppress(OSError):
                os.unlink(item.path)
                report.pages += 1
            if isinstance(page, str):
                self._pages.pop(page, None)
        report.entries, kept_entries = self._prune_tree(self.directory / "entries", ".entry", live_keys, cutoff, now, report)
        report.sources, _ = self._prune_tree(self.directory / "sources", ".msgids", live_bases, cutoff, now, report)
        report.kept = kept_entries
        for key in [k for k in self._entries if k not in live_keys]:
            del self._entries[key]
        if report.pages or report.entries or report.sources:
            log.info("flowzap: cache pruned %d pages, %d entries, %d translation indexes (%d entries kept)",
                     report.pages, report.entries, report.sources, report.kept)
        return report

    def _prune_tree(self, root: Path, suffix: str, live: set[str], cutoff: float, now: float,
                    report: PruneReport) -> tuple[int, int]:
        removed = kept = 0
        for sub in _scan(root):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for item in _scan(Path(sub.path)):
                if self._remove_tmp(item, now, report):
                    continue
                name = item.name
                if name.endswith(suffix) and name[: -len(suffix)] in live:
                    kept += 1
                    continue
                if _mtime(item) >= cutoff:
                    continue
                with suppress(OSError):
                    os.unlink(item.path)
                    removed += 1
        return removed, kept

    @staticmethod
    def _remove_tmp(item: os.DirEntry[str], now: float, report: PruneReport) -> bool:
        if not item.name.endswith(".tmp"):
            return False
        if now - _mtime(item) > _STALE_TMP:
            with suppress(OSError):
                os.unlink(item.path)
                report.temporary += 1
        return True

    # ----------------------------------------------------------------- introspection

    def memory_size(self) -> int:
        """How many drawn diagrams the memory layer holds."""
        return len(self._entries)

    def pages(self) -> Iterator[str]:
        """Pages known to this process (read in a build it saw)."""
        return iter(self._pages)


def _scan(path: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as it:
            return list(it)
    except OSError:
        return []


def _mtime(item: os.DirEntry[str]) -> float:
    try:
        return item.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0
