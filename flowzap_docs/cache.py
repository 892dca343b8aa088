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
    *Disk*: pack files under ``<dir>/packs/`` (see :mod:`flowzap_docs.cache_disk`), each
    holding drawn entries (the SVG, alt text and warnings), translation indexes (which texts
    a diagram asked its translator for) and page manifests (the keys a page uses).  What a
    build draws is written as one pack when the build ends (:meth:`DiagramCache.finish_build`
    or :meth:`DiagramCache.flush`), when a ``sphinx-build -j`` worker exits, or when the
    cache object is dropped: creating files, not writing bytes, was most of a cold build's
    cache cost.

Safety
    Packs are written to a temporary file and renamed into place (``os.replace``), so readers
    never see half of one.  Every index and every entry carries its SHA-256, verified on every
    read: a truncated, bit-flipped or foreign pack or entry is a miss (and is redrawn), never
    served.  Each process writes packs of its own, so no locks are needed.  A directory that
    cannot be written costs speed only: exactly one warning per :class:`DiagramCache`, sent to
    ``on_warning`` when given, else logged on the ``flowzap_docs.cache`` logger
    (:data:`LOGGER_NAME`), and kept in :attr:`DiagramCache.warnings`.

Pruning
    :meth:`DiagramCache.finish_build` with ``used_pages`` (the set of *every* page of the site
    as it is now, not only the pages rebuilt) drops the manifests of pages not in the set, then
    every entry no remaining manifest names, rewriting the packs that held them.  Packs younger
    than the build (written by a concurrent build) are kept whole.  ``used_pages=None`` prunes
    nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .cache_disk import DiskStore, PruneReport
from .cache_pack import Entry, Manifest

__all__ = ["LOGGER_NAME", "SCHEMA", "DiagramCache", "Entry", "PruneReport", "base_key", "code_fingerprint", "full_key"]

#: Logger name for the cache's one "not writable" warning and its debug/info messages.
#: Adapters may attach a handler to it, or pass ``on_warning`` to route the warning themselves.
LOGGER_NAME = "flowzap_docs.cache"
log = logging.getLogger(LOGGER_NAME)

#: Bumped when the layout of keys or files changes (part of every key).
SCHEMA = 3

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


# --------------------------------------------------------------------------- the cache


@dataclass
class _Slot:
    value: object
    generation: int


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
        self.on_warning = on_warning
        self.memory = memory
        #: The warnings this cache emitted (at most one: the directory is not writable).
        self.warnings: list[str] = []
        self.generation = 0
        self.build_started = time.time()
        self._entries: dict[str, _Slot] = {}
        self._msgids: dict[str, _Slot] = {}
        self._pages: set[str] = set()
        self._disk: DiskStore | None = None
        if self.directory is not None:
            self._disk = DiskStore(self.directory, self._warn, owner=self)
            self._disk.open()

    # ----------------------------------------------------------------- directory

    @property
    def writable(self) -> bool:
        """Whether the disk layer still writes (``False`` after the one warning)."""
        return self._disk is not None and self._disk.writable

    @writable.setter
    def writable(self, value: bool) -> None:
        if self._disk is not None:
            self._disk.writable = value

    def _warn(self, err: OSError) -> None:
        """Stop writing (reads still work, e.g. a read-only cache restored by CI) and warn once."""
        message = (f"flowzap: the diagram cache directory {self.directory} cannot be written "
                   f"({err.strerror or err}); the build goes on without it, drawing what is not in memory")
        self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            log.warning("%s", message)

    # ----------------------------------------------------------------- entries

    def lookup(self, key: str) -> Entry | None:
        """The entry for ``key`` from memory, else from disk (verified), else ``None``."""
        slot = self._entries.get(key)
        if slot is not None:
            slot.generation = self.generation
            return slot.value  # type: ignore[return-value]
        if self._disk is None:
            return None
        entry = self._disk.lookup(key)
        if entry is not None and self.memory:
            self._entries[key] = _Slot(entry, self.generation)
        return entry

    def store(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` in memory, and on disk from the next flush."""
        if self.memory:
            self._entries[key] = _Slot(entry, self.generation)
        if self._disk is not None:
            self._disk.add(key, entry)

    # ----------------------------------------------------------------- translated texts

    def msgids(self, base: str) -> tuple[str, ...] | None:
        """The texts the diagram with this base key asked its translator about, if known."""
        slot = self._msgids.get(base)
        if slot is not None:
            slot.generation = self.generation
            return slot.value  # type: ignore[return-value]
        if self._disk is None:
            return None
        result = self._disk.msgids(base)
        if result is not None and self.memory:
            self._msgids[base] = _Slot(result, self.generation)
        return result

    def store_msgids(self, base: str, msgids: Iterable[str]) -> None:
        values = tuple(sorted(set(msgids)))
        if self.memory:
            self._msgids[base] = _Slot(values, self.generation)
        if self._disk is not None:
            self._disk.add_msgids(base, values)

    # ----------------------------------------------------------------- page manifests

    def _open_page(self, page: str) -> tuple[set[str], set[str]]:
        self._pages.add(page)
        if self._disk is None:
            return set(), set()
        self._disk.touch()
        used = self._disk.open_pages.get(page)
        if used is None:
            used = self._disk.open_pages[page] = (set(), set())
        return used

    def read_manifest(self, page: str) -> Manifest | None:
        """``(keys, bases)`` of the page's latest manifest (written or pending), or ``None``
        (absent, or the page uses nothing)."""
        if self._disk is None:
            return None
        manifest = self._disk.manifest(page)
        return manifest if manifest is not None and manifest[0] else None

    def begin_page(self, page: str) -> None:
        """Optional: the adapter is (re)reading ``page`` now.  Without it a page whose last
        diagram was removed keeps its old manifest until the page itself is deleted."""
        self._open_page(page)

    def record(self, page: str, key: str, base: str) -> None:
        """``page`` uses entry ``key`` (drawn from ``base``).  The page's manifest becomes
        exactly what this build recorded for it, at the next flush."""
        keys, bases = self._open_page(page)
        keys.add(key)
        bases.add(base)

    # ----------------------------------------------------------------- builds

    def flush(self) -> None:
        """Write the manifests of the pages read so far, and every pending entry, to disk (one
        pack).  :meth:`finish_build` does it; so does dropping the cache or leaving the process."""
        if self._disk is not None:
            self._disk.flush()

    def begin_build(self) -> None:
        """Optional: a build starts (sets the time before which unused files may be pruned)."""
        self.generation += 1
        self.build_started = time.time()
        if self._disk is not None:
            self._disk.flush()
            self._disk.open_pages = {}
            self._disk.refresh()

    def finish_build(self, used_pages: Iterable[str] | None = None) -> PruneReport | None:
        """Write what this build drew and the manifests of the pages it read, prune (only when
        ``used_pages`` is given: the set of every page of the site), forget memory entries
        unused for two builds, and start the next build."""
        report = None
        if self._disk is not None:
            self._disk.flush()
            self._disk.open_pages = {}
            self._disk.close_files()
            if used_pages is not None and self._disk.writable:
                try:
                    report = self._disk.prune(set(used_pages), self.build_started)
                except OSError as err:  # a vanished directory: pruning is best effort
                    log.info("flowzap: cache pruning stopped: %s", err)
                live = self._disk.keys()
                for key in [k for k in self._entries if k not in live]:
                    del self._entries[key]
        oldest = self.generation - 1
        for table in (self._entries, self._msgids):
            for key in [k for k, slot in table.items() if slot.generation < oldest]:
                del table[key]
        if used_pages is not None:
            self._pages &= set(used_pages)
        self.generation += 1
        self.build_started = time.time()
        return report

    # ----------------------------------------------------------------- introspection

    def memory_size(self) -> int:
        """How many drawn diagrams the memory layer holds."""
        return len(self._entries)

    def pages(self) -> Iterator[str]:
        """Pages known to this process (read in a build it saw)."""
        return iter(self._pages)

    def disk_keys(self) -> set[str]:
        """The keys of every entry on disk (written ones, not pending)."""
        return self._disk.keys() if self._disk is not None else set()

    def disk_pages(self) -> set[str]:
        """The pages with a manifest on disk that uses something."""
        return self._disk.pages() if self._disk is not None else set()
