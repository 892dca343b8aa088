"""The disk layer of the diagram cache: pack files, many entries to a file, written once a build.

Why packs: a cold build used to write one file per drawn diagram, plus a manifest file per page
and a fan-out folder.  Creating a file costs far more than writing its bytes (on the machines we
measured, 0.07 to 0.9 ms of system time, against microseconds for 13 KB in an open file), and a
cold 200-page Sphinx build spent about a third of its diagram time creating cache files.  So
new entries, translation indexes and page manifests are kept in memory during a build and
written together, as one pack, when the build ends (or when a ``sphinx-build -j`` worker exits,
or when the pending data passes :data:`SPILL_BYTES`).  Reading stays cheap: each pack starts
with a small index (key -> offset, length, checksum), read once per process; a hit reads one
record with one ``open``/``seek``/``read``.

The file format is in :mod:`flowzap_docs.cache_pack`.

Safety: a pack is written to a temporary file and renamed into place, so readers never see
half of one; a pack whose index fails its checksum is ignored (and deleted by the next prune),
a record that fails its own checksum or names another key is a miss, never served.  Several
processes (two builds, ``-j`` workers) write packs of their own, never the same file, so no
locks are needed.  A page's manifest can be in several packs: the one with the latest
``stamp`` (the time it was recorded, kept when a prune copies it) wins.
"""

from __future__ import annotations

import logging
import multiprocessing.util
import os
import secrets
import shutil
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from .cache_pack import (
    Entry,
    Manifest,
    Pack,
    build_pack,
    decode_record,
    encode_record,
    read_pack_index,
    read_record,
)
from .files import write_atomic

log = logging.getLogger("flowzap_docs.cache")

#: A build writes its pending data early once it holds this many bytes of records.
SPILL_BYTES = 8 << 20
#: Prune merges small packs once there are more than this many.
MAX_PACKS = 8
#: Packs smaller than this are merged into one when there are too many.
SMALL_PACK = 4 << 20
#: Files changed less than this many seconds before the build started are never pruned, to
#: allow for coarse file-system timestamps.  Files written *during* the build are always kept.
PRUNE_GRACE = 2.0
#: Temporary files older than this are leftovers of a killed process.
STALE_TMP = 3600.0
#: What the cache directory held before packs (schema 2): removed when the cache is opened.
LEGACY_FOLDERS = ("entries", "sources", "pages")

CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by flowzap-docs (diagram cache).\n"
    b"# For information about cache directory tags see https://bford.info/cachedir/\n"
)


# --------------------------------------------------------------------------- the disk layer


@dataclass
class PruneReport:
    """What a pruning ``finish_build`` removed from disk."""

    pages: int = 0
    entries: int = 0
    sources: int = 0
    temporary: int = 0
    kept: int = 0
    corrupt: int = 0


@dataclass
class _Pending:
    """What this process has to write: records, translation indexes, manifests."""

    records: dict[str, bytes] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    msgids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pages: dict[str, tuple[float, Manifest]] = field(default_factory=dict)
    size: int = 0

    def __bool__(self) -> bool:
        return bool(self.records or self.msgids or self.pages)


class DiskStore:
    """The packs of one cache directory: the index of what is on disk, and what is pending.

    Not thread-safe (one per process, like the Renderer).  After a ``fork`` (``sphinx-build
    -j`` workers) the child drops what its parent had pending (the parent writes it) and
    writes its own data when it exits (a ``multiprocessing`` finalizer) or when
    :meth:`flush` is called.
    """

    def __init__(self, directory: Path, warn: Callable[[OSError], None], owner: object) -> None:
        self.directory = directory
        self.packs_dir = directory / "packs"
        # Weak: the owner (the cache) holds this store, and must be collectable so that
        # dropping it flushes (see _register).
        self._warn = weakref.WeakMethod(warn) if hasattr(warn, "__self__") else (lambda: warn)
        self.writable = True
        self._pending = _Pending()
        #: Pages read in this build: page -> (keys, bases) it used; their manifests are
        #: written by :meth:`flush` (so a ``-j`` worker's last page is written at its exit).
        self.open_pages: dict[str, tuple[set[str], set[str]]] = {}
        self._packs: dict[str, Pack] | None = None  # name -> index; None: not read yet
        self._corrupt: set[str] = set()
        self._locations: dict[str, list[tuple[str, int, int, str]]] = {}
        self._msgids: dict[str, tuple[str, ...]] = {}
        self._manifests: dict[str, tuple[float, str, Manifest]] = {}
        #: Open descriptors of the packs hits were read from (one ``pread`` a hit instead of
        #: open + seek + read + close); closed by :meth:`close_files`.
        self._fds: dict[str, int] = {}
        self._owner = weakref.ref(owner)
        self._pid = os.getpid()
        self._register()

    def _register(self) -> None:
        """Flush when the owning cache is collected, or when this process exits: normally
        (``atexit``) or as a ``multiprocessing`` worker (which skips ``atexit``)."""
        multiprocessing.util.Finalize(self._owner(), DiskStore._at_exit, args=(self,), exitpriority=10)

    # ----------------------------------------------------------------- opening

    def open(self) -> None:
        """Create the directory and check it is writable now (in the main process, before any
        ``sphinx-build -j`` worker forks), so the one warning is given once, not per worker."""
        try:
            self.packs_dir.mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if tag.exists():
                probe = self.packs_dir / f".probe.{os.getpid()}.{secrets.token_hex(4)}.tmp"
                write_atomic(probe, b"")  # can this process create files in packs/?
                probe.unlink()
            else:
                write_atomic(tag, CACHEDIR_TAG)
            for legacy in LEGACY_FOLDERS:  # an older release's files: never read again
                if (self.directory / legacy).is_dir():
                    shutil.rmtree(self.directory / legacy, ignore_errors=True)
        except OSError as err:
            self.fail(err)

    def fail(self, err: OSError) -> None:
        if self.writable:
            self.writable = False
            warn = self._warn()
            if warn is not None:
                warn(err)

    # ----------------------------------------------------------------- the index

    def _index(self) -> dict[str, Pack]:
        if self._packs is None:
            self.refresh()
        assert self._packs is not None
        return self._packs

    def refresh(self) -> None:
        """Read the indexes of packs written since the last look (other processes' too), and
        forget packs that were deleted (a concurrent prune)."""
        known = self._packs or {}
        found: dict[str, Pack] = {}
        corrupt: set[str] = set()
        for item in _scan(self.packs_dir):
            name = item.name
            if not name.endswith(".pack"):
                continue
            pack = known.get(name)
            if pack is None and name not in self._corrupt:
                pack = read_pack_index(item.path)
            if pack is None:
                corrupt.add(name)
            else:
                found[name] = pack
        self._corrupt = corrupt
        if self._packs is not None and found.keys() == self._packs.keys():
            return
        self._packs = found
        self._locations = {}
        self._msgids = {}
        self._manifests = {}
        for name in sorted(found, reverse=True):  # newest first: tried first, wins ties
            pack = found[name]
            for key, (offset, length, sha) in pack.entries.items():
                self._locations.setdefault(key, []).append((pack.path, offset, length, sha))
            for base, values in pack.msgids.items():
                self._msgids.setdefault(base, values)
            for page, (stamp, manifest) in pack.pages.items():
                current = self._manifests.get(page)
                if current is None or stamp > current[0]:
                    self._manifests[page] = (stamp, name, manifest)

    # ----------------------------------------------------------------- reading

    def lookup(self, key: str) -> Entry | None:
        pending = self._pending.entries.get(key)
        if pending is not None:
            return pending
        self._index()
        for path, offset, length, sha in self._locations.get(key, ()):
            raw = read_record(path, offset, length, sha, self._fd(path))
            entry = decode_record(raw, key) if raw is not None else None
            if entry is not None:
                return entry
            log.info("flowzap: corrupt cache entry %s ignored (it will be redrawn)", key)
        return None

    def _fd(self, path: str) -> int | None:
        fd = self._fds.get(path)
        if fd is None and hasattr(os, "pread"):
            with suppress(OSError):
                fd = self._fds[path] = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        return fd

    def close_files(self) -> None:
        """Close the descriptors kept for hits (at the end of a build, and before a prune
        deletes packs: Windows cannot delete an open file)."""
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            with suppress(OSError):
                os.close(fd)

    def msgids(self, base: str) -> tuple[str, ...] | None:
        pending = self._pending.msgids.get(base)
        if pending is not None:
            return pending
        self._index()
        return self._msgids.get(base)

    def manifest(self, page: str) -> Manifest | None:
        """What ``page`` uses, by its latest manifest (pending or on disk); ``None``: unknown."""
        pending = self._pending.pages.get(page)
        if pending is not None:
            return pending[1]
        self._index()
        found = self._manifests.get(page)
        return found[2] if found is not None else None

    def keys(self) -> set[str]:
        """Every key with a record on disk (introspection: tests, ``flowzap`` tools)."""
        self.refresh()
        return set(self._locations)

    def pages(self) -> set[str]:
        """Every page with a manifest on disk that uses something."""
        self.refresh()
        return {page for page, (_, _, (keys, _)) in self._manifests.items() if keys}

    # ----------------------------------------------------------------- writing

    def touch(self) -> _Pending:
        """What this process has pending.  After a fork (a ``sphinx-build -j`` worker) the
        child starts empty (its parent writes its own data) and registers its own exit flush."""
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._pending = _Pending()
            self.open_pages = {}
            self._register()
        return self._pending

    def add(self, key: str, entry: Entry) -> None:
        if not self.writable:
            return
        pending = self.touch()
        if key in pending.records:
            return
        record = encode_record(key, entry)
        pending.records[key] = record
        pending.entries[key] = entry
        pending.size += len(record)
        if pending.size >= SPILL_BYTES:
            self.write_pending()

    def add_msgids(self, base: str, values: tuple[str, ...]) -> None:
        if self.writable and self.msgids(base) != values:
            self.touch().msgids[base] = values

    def add_manifest(self, page: str, manifest: Manifest) -> None:
        """Record what ``page`` uses now, unless that is what the disk already says (an empty
        manifest over a missing one is no change either)."""
        if not self.writable:
            return
        known = self.manifest(page)
        if known == manifest or (known is None and not manifest[0]):
            return
        self.touch().pages[page] = (time.time(), manifest)

    def flush(self) -> None:
        """Write the manifests of the pages read so far and everything else pending."""
        self.touch()
        for page, (keys, bases) in list(self.open_pages.items()):
            self.add_manifest(page, (frozenset(keys), frozenset(bases)))
        self.write_pending()

    def write_pending(self) -> None:
        pending = self.touch()
        self._pending = _Pending()
        if not pending or not self.writable:
            return
        try:
            self._write_pack(build_pack(pending.records, pending.msgids, pending.pages))
        except OSError as err:
            self.fail(err)

    def _write_pack(self, data: bytes) -> None:
        name = f"{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(4)}.pack"
        path = self.packs_dir / name
        write_atomic(path, data)  # makes the folder again if it was removed under us
        if self._packs is not None:
            pack = read_pack_index(os.fspath(path))
            if pack is not None:
                self.refresh_with(pack)

    def refresh_with(self, pack: Pack) -> None:
        """Add a pack this process just wrote to the index (no need to rescan the folder)."""
        assert self._packs is not None
        self._packs[pack.name] = pack
        for key, (offset, length, sha) in pack.entries.items():
            self._locations.setdefault(key, []).insert(0, (pack.path, offset, length, sha))
        for base, values in pack.msgids.items():
            self._msgids[base] = values
        for page, (stamp, manifest) in pack.pages.items():
            current = self._manifests.get(page)
            if current is None or stamp >= current[0]:
                self._manifests[page] = (stamp, pack.name, manifest)

    @staticmethod
    def _at_exit(store: DiskStore) -> None:
        """A worker (or the interpreter) is exiting: write what is pending."""
        if os.getpid() != store._pid:
            return
        try:
            store.flush()
        except Exception as err:  # noqa: BLE001 (never fail an exiting process over a cache)
            log.info("flowzap: cache not written at exit: %s", err)
        store.close_files()

    # ----------------------------------------------------------------- pruning

    def prune(self, used_pages: set[str], started: float) -> PruneReport:
        """Keep what the pages in ``used_pages`` use (and anything written since ``started``);
        rewrite the packs that hold anything else, merging small packs when there are many."""
        report = PruneReport()
        self.close_files()
        cutoff = started - PRUNE_GRACE
        now = time.time()
        for item in _scan(self.packs_dir):
            if item.name.endswith(".tmp") and now - _mtime(item) > STALE_TMP:
                with suppress(OSError):
                    os.unlink(item.path)
                    report.temporary += 1
        self._packs = None
        self._corrupt = set()
        packs = self._index()
        for name in self._corrupt:
            path = self.packs_dir / name
            with suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    report.corrupt += 1

        young = {name for name, pack in packs.items() if pack.mtime >= cutoff}
        latest = self._manifests
        live_pages = {page for page, (_, name, (keys, _)) in latest.items()
                      if keys and (page in used_pages or name in young)}
        live_keys: set[str] = set()
        live_bases: set[str] = set()
        for page in live_pages:
            keys, bases = latest[page][2]
            live_keys |= keys
            live_bases |= bases
        for name in young:
            live_keys |= packs[name].entries.keys()
            live_bases |= packs[name].msgids.keys()

        def stale(pack: Pack) -> bool:
            """Holds something dead: an unused entry, index or manifest, or an entry a newer
            pack holds too (a redrawn corrupt one, or one two processes drew at once)."""
            return (any(k not in live_keys or self._locations[k][0][0] != pack.path for k in pack.entries)
                    or any(b not in live_bases for b in pack.msgids)
                    or any(page not in live_pages or latest[page][1] != pack.name for page in pack.pages))

        old = [pack for name, pack in sorted(packs.items()) if name not in young]
        rewrite = [pack for pack in old if stale(pack)]
        if len(packs) - len(rewrite) + 1 > MAX_PACKS:
            rewrite += [pack for pack in old if pack not in rewrite and pack.size < SMALL_PACK]
        report.pages = len({page for pack in rewrite for page in pack.pages
                            if page not in live_pages and latest[page][1] == pack.name and latest[page][2][0]})
        if rewrite:
            report.entries, report.sources = self._rewrite(rewrite, packs, live_keys, live_bases, live_pages)
        report.kept = len(live_keys & self.keys())
        if report.pages or report.entries or report.sources:
            log.info("flowzap: cache pruned %d pages, %d entries, %d translation indexes (%d entries kept)",
                     report.pages, report.entries, report.sources, report.kept)
        return report

    def _rewrite(self, rewrite: list[Pack], packs: dict[str, Pack], live_keys: set[str], live_bases: set[str],
                 live_pages: set[str]) -> tuple[int, int]:
        """Copy what is live out of ``rewrite`` into new packs, then delete ``rewrite``."""
        names = {pack.name for pack in rewrite}
        others = [pack for name, pack in packs.items() if name not in names]
        present = {key for pack in others for key in pack.entries}
        present_bases = {base for pack in others for base in pack.msgids}
        latest = self._manifests
        batches: list[_Pending] = [_Pending()]
        dead_keys: set[str] = set()
        dead_bases: set[str] = set()
        for pack in sorted(rewrite, key=lambda p: p.name, reverse=True):
            for key, (offset, length, sha) in pack.entries.items():
                if key not in live_keys:
                    dead_keys.add(key)
                elif key not in present:
                    raw = read_record(pack.path, offset, length, sha)
                    if raw is not None:
                        present.add(key)
                        if batches[-1].size >= SPILL_BYTES:
                            batches.append(_Pending())
                        batches[-1].records[key] = raw
                        batches[-1].size += len(raw)
            for base, values in pack.msgids.items():
                if base not in live_bases:
                    dead_bases.add(base)
                elif base not in present_bases:
                    present_bases.add(base)
                    batches[0].msgids[base] = values
            for page in pack.pages:
                stamp, name, manifest = latest[page]
                if page in live_pages and name == pack.name:
                    batches[0].pages[page] = (stamp, manifest)
        for batch in batches:
            if batch:
                self._write_pack(build_pack(batch.records, batch.msgids, batch.pages))
        for pack in rewrite:
            with suppress(OSError):
                os.unlink(pack.path)
        self._packs = None
        self._index()
        return len(dead_keys - present), len(dead_bases - present_bases)


def _scan(path: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(path) as it:
            yield from list(it)
    except OSError:
        return


def _mtime(item: os.DirEntry[str]) -> float:
    try:
        return item.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0

