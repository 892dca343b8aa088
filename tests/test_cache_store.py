"""The storage layer of the diagram cache (flowzap_docs.cache) on real files: no drawing needed.

Each test names the rule it checks: one pack file a build, atomic and checksummed; corrupt packs
and entries are misses; an unwritable directory warns once; manifests and pruning; concurrent
writers and forked workers; nothing machine-specific on disk.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from flowzap_docs import cache_disk
from flowzap_docs.cache import LOGGER_NAME, DiagramCache, Entry, base_key, full_key
from flowzap_docs.cache_pack import build_pack, encode_record
from flowzap_docs.diagnostics import Diagnostic

WARN = Diagnostic("FZ203", "warning", "a node that no edge touches", 3, 1, "connect it", 2)


def entry(n: int = 0) -> Entry:
    return Entry(f'<svg id="fzQcacheQprefix">{n} é ✓</svg>', f"alt {n}", (WARN,))


def key(n: int) -> str:
    """A key like the Renderer's (64 hex digits), independent of the package's code fingerprint."""
    return hashlib.sha256(f"diagram {n}".encode()).hexdigest()


def pack_files(root: Path) -> list[Path]:
    return sorted((root / "packs").glob("*.pack"))


def stored(root: Path, n: int) -> Path:
    """A cache directory holding entry ``n``, written by a cache that flushed it."""
    cache = DiagramCache(root)
    cache.store(key(n), entry(n))
    cache.flush()
    return root


def age(root: Path, seconds: float = 3600) -> None:
    """Make every file look written long before the current build (prune only touches those)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


# -------------------------------------------------------------------------------- keys


def test_keys_change_with_every_field_and_are_stable():
    fields = {"source": "Lane {\n}\n", "view": "workflow", "theme": "default", "lang": None}
    base = base_key(fields)
    assert base == base_key(dict(reversed(list(fields.items()))))
    for name, value in (("source", "Lane {\n}\n\n"), ("view", "sequence"), ("theme", "dark"), ("lang", "fr")):
        assert base_key({**fields, name: value}) != base
    assert full_key(base, None) != full_key(base, {})
    assert full_key(base, {"Go": "Aller"}) != full_key(base, {"Go": "Partir"})
    assert full_key(base, {"a": "1", "b": "2"}) == full_key(base, {"b": "2", "a": "1"})


def test_package_version_is_part_of_the_key(monkeypatch):
    import flowzap_docs

    before = base_key({"source": "x"})
    monkeypatch.setattr(flowzap_docs, "__version__", "999.0")
    assert base_key({"source": "x"}) != before


# -------------------------------------------------------------------------------- entries


def test_entry_round_trips_through_disk(tmp_path):
    stored(tmp_path, 1)
    fresh = DiagramCache(tmp_path)
    assert fresh.lookup(key(1)) == entry(1)
    assert fresh.lookup(key(2)) is None


def test_a_build_writes_one_pack_at_its_end(tmp_path):
    cache = DiagramCache(tmp_path)
    for n in range(50):
        cache.store(key(n), entry(n))
        cache.store_msgids(f"b{n}", ["Go"])
        cache.record(f"page{n % 10}", key(n), f"b{n}")
    assert pack_files(tmp_path) == []  # nothing written while the build runs
    assert cache.lookup(key(7)) == entry(7)
    cache.finish_build()
    assert len(pack_files(tmp_path)) == 1
    fresh = DiagramCache(tmp_path, memory=False)
    assert all(fresh.lookup(key(n)) == entry(n) for n in range(50))
    assert fresh.read_manifest("page3") == (frozenset(key(n) for n in (3, 13, 23, 33, 43)),
                                            frozenset(f"b{n}" for n in (3, 13, 23, 33, 43)))
    assert fresh.disk_keys() == {key(n) for n in range(50)}
    fresh.finish_build()  # a warm build that drew nothing writes nothing
    assert len(pack_files(tmp_path)) == 1


def test_dropping_the_cache_writes_what_it_held(tmp_path):
    DiagramCache(tmp_path).store(key(1), entry(1))  # never flushed: written when collected
    assert DiagramCache(tmp_path).lookup(key(1)) == entry(1)


def test_a_big_build_spills_early(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_disk, "SPILL_BYTES", 1000)
    cache = DiagramCache(tmp_path)
    for n in range(30):
        cache.store(key(n), entry(n))
    assert 1 < len(pack_files(tmp_path)) < 30
    cache.finish_build()
    assert DiagramCache(tmp_path).disk_keys() == {key(n) for n in range(30)}


def test_memory_layer_serves_without_disk(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.store(key(1), entry(1))
    cache.flush()
    shutil.rmtree(tmp_path / "packs")
    assert cache.lookup(key(1)) == entry(1)


def test_no_disk_when_directory_is_none_or_false(tmp_path):
    for setting in (None, False):
        cache = DiagramCache(setting)
        cache.store(key(1), entry(1))
        assert cache.lookup(key(1)) == entry(1)
        assert DiagramCache(setting).lookup(key(1)) is None


def test_writes_leave_no_temporary_files(tmp_path):
    cache = DiagramCache(tmp_path)
    for n in range(20):
        cache.store(key(n), entry(n))
    cache.record("index", key(1), "b")
    cache.finish_build(used_pages={"index"})
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert (tmp_path / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.parametrize("damage", ["truncate", "truncate-header", "flip-body", "flip-digest", "empty", "garbage"])
def test_corrupt_entry_is_a_miss_and_is_rewritten(tmp_path, damage):
    (path,) = pack_files(stored(tmp_path, 1))
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) - 7]
    elif damage == "truncate-header":
        raw = raw[:30]
    elif damage == "flip-body":
        raw[-12] ^= 0x20
    elif damage == "flip-digest":
        raw[20] = ord("0") if raw[20] != ord("0") else ord("1")
    elif damage == "empty":
        raw = bytearray()
    else:
        raw = bytearray(os.urandom(400))
    path.write_bytes(bytes(raw))
    cache = DiagramCache(tmp_path)
    assert cache.lookup(key(1)) is None
    cache.store(key(1), entry(1))
    cache.finish_build()
    assert DiagramCache(tmp_path).lookup(key(1)) == entry(1)
    age(tmp_path)
    cache.begin_build()
    cache.record("index", key(1), "b1")
    cache.finish_build(used_pages={"index"})  # a pruning build deletes the damaged pack
    assert path not in pack_files(tmp_path)
    assert DiagramCache(tmp_path).lookup(key(1)) == entry(1)


def test_entry_under_the_wrong_name_is_not_served(tmp_path):
    DiagramCache(tmp_path)  # creates the folders
    wrong = build_pack({key(2): encode_record(key(1), entry(1))}, {}, {})  # index says 2, record says 1
    (tmp_path / "packs" / "00000000000000000001-1-abcd.pack").write_bytes(wrong)
    cache = DiagramCache(tmp_path)
    assert cache.disk_keys() == {key(2)}
    assert cache.lookup(key(2)) is None and cache.lookup(key(1)) is None


# -------------------------------------------------------------------------------- unwritable


def test_unwritable_directory_warns_once_and_still_works(tmp_path, caplog):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a regular file: nothing can be created under it")
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    cache = DiagramCache(blocker / "sub")
    for n in range(5):
        cache.store(key(n), entry(n))
        cache.store_msgids(f"b{n}", ["Go"])
        cache.record(f"page{n}", key(n), f"b{n}")
        assert cache.lookup(key(n)) == entry(n)
    cache.finish_build(used_pages={"page1"})
    records = [r for r in caplog.records if r.name == LOGGER_NAME and r.levelno >= logging.WARNING]
    assert len(records) == 1
    assert "cannot be written" in records[0].getMessage()
    assert cache.warnings == [records[0].getMessage()]
    assert not cache.writable


def test_unwritable_warning_can_be_routed_by_the_adapter(tmp_path, caplog):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    seen: list[str] = []
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    cache = DiagramCache(blocker / "sub", on_warning=seen.append)
    cache.store(key(1), entry(1))
    assert len(seen) == 1 and str(blocker / "sub") in seen[0]
    assert [r for r in caplog.records if r.name == LOGGER_NAME] == []


def test_write_failure_after_opening_warns_once(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    cache = DiagramCache(tmp_path / "c")
    shutil.rmtree(tmp_path / "c")
    (tmp_path / "c").write_text("the directory was replaced by a file")
    for n in range(3):
        cache.store(key(n), entry(n))
        cache.flush()
    assert len([r for r in caplog.records if r.name == LOGGER_NAME]) == 1
    assert cache.lookup(key(2)) == entry(2)


def test_read_only_cache_still_serves_hits(tmp_path):
    stored(tmp_path / "c", 1)
    cache = DiagramCache(tmp_path / "c")
    cache.writable = False  # as after a failed write (e.g. a cache restored read-only)
    assert cache.lookup(key(1)) == entry(1)
    cache.store(key(2), entry(2))
    cache.flush()
    assert DiagramCache(tmp_path / "c").lookup(key(2)) is None


# -------------------------------------------------------------------------------- manifests and pruning


def test_manifest_records_the_keys_of_a_page(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.store(key(1), entry(1))
    cache.store(key(2), entry(2))
    cache.record("guide/intro", key(1), "b1")
    cache.record("guide/intro", key(2), "b2")
    cache.flush()
    assert DiagramCache(tmp_path).read_manifest("guide/intro") == (frozenset({key(1), key(2)}), frozenset({"b1", "b2"}))


def test_manifest_shrinks_to_what_the_page_uses_now(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.record("a", key(1), "b1")
    cache.record("a", key(2), "b2")
    cache.finish_build()
    cache.record("a", key(2), "b2")  # next build: the page lost its first diagram
    cache.record("b", key(3), "b3")
    cache.finish_build()
    assert DiagramCache(tmp_path).read_manifest("a") == (frozenset({key(2)}), frozenset({"b2"}))


def test_page_reread_without_diagrams_drops_its_manifest(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.record("a", key(1), "b1")
    cache.finish_build()
    assert cache.read_manifest("a") is not None
    cache.begin_build()
    cache.begin_page("a")  # the page is read again and has no diagram any more
    cache.begin_page("b")
    cache.finish_build()
    assert cache.read_manifest("a") is None


def test_unchanged_page_does_not_rewrite_its_manifest(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.record("a", key(1), "b1")
    cache.finish_build()
    before = [(p, p.stat().st_mtime_ns) for p in pack_files(tmp_path)]
    fresh = DiagramCache(tmp_path)
    fresh.record("a", key(1), "b1")
    fresh.finish_build()
    assert [(p, p.stat().st_mtime_ns) for p in pack_files(tmp_path)] == before


def test_prune_removes_entries_of_deleted_pages_only(tmp_path):
    cache = DiagramCache(tmp_path)
    for n, page in ((1, "a"), (2, "b"), (3, "b"), (4, "c")):
        cache.store(key(n), entry(n))
        cache.store_msgids(f"base{n}", ["Go"])
        cache.record(page, key(n), f"base{n}")
    cache.record("c", key(1), "base1")  # shared by a and c
    cache.finish_build()
    age(tmp_path)
    cache.begin_build()
    report = cache.finish_build(used_pages={"a", "c"})  # page b was deleted; a and c not re-read
    assert report is not None and report.pages == 1 and report.entries == 2 and report.sources == 2
    fresh = DiagramCache(tmp_path)
    assert [fresh.lookup(key(n)) is not None for n in (1, 2, 3, 4)] == [True, False, False, True]
    assert fresh.msgids("base1") == ("Go",) and fresh.msgids("base2") is None
    assert fresh.read_manifest("b") is None


def test_prune_drops_entries_no_page_uses_any_more(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.store(key(1), entry(1))
    cache.record("a", key(1), "b1")
    cache.finish_build(used_pages={"a"})
    age(tmp_path)
    cache.begin_build()
    cache.store(key(2), entry(2))  # the page's diagram was edited
    cache.record("a", key(2), "b2")
    cache.finish_build(used_pages={"a"})
    fresh = DiagramCache(tmp_path)
    assert fresh.lookup(key(1)) is None and fresh.lookup(key(2)) == entry(2)


def test_no_pruning_without_the_set_of_pages(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.store(key(1), entry(1))
    cache.finish_build()
    age(tmp_path)
    cache.begin_build()
    assert cache.finish_build(None) is None
    assert DiagramCache(tmp_path).lookup(key(1)) == entry(1)


def test_prune_keeps_files_written_during_the_build(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.begin_build()
    stored(tmp_path, 1)  # a concurrent build, no manifest yet
    cache.finish_build(used_pages=set())
    assert DiagramCache(tmp_path).lookup(key(1)) == entry(1)


def test_prune_removes_stale_temporary_files(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.store(key(1), entry(1))
    cache.flush()
    stale = pack_files(tmp_path)[0].with_name(".x.pack.123.abcd.tmp")
    stale.write_bytes(b"half")
    age(tmp_path, 7200)
    cache.begin_build()
    cache.finish_build(used_pages=set())
    assert not stale.exists()


def test_memory_forgets_entries_unused_for_two_builds(tmp_path):
    cache = DiagramCache(None)
    cache.store(key(1), entry(1))
    cache.store(key(2), entry(2))
    cache.finish_build()
    assert cache.lookup(key(2)) is not None
    cache.finish_build()
    cache.finish_build()
    assert cache.memory_size() == 1 and cache.lookup(key(2)) is not None and cache.lookup(key(1)) is None


# -------------------------------------------------------------------------------- portability


def test_no_absolute_paths_on_disk_and_a_moved_cache_hits(tmp_path):
    first = tmp_path / "machine-a" / "cache"
    cache = DiagramCache(first)
    cache.store(key(1), entry(1))
    cache.store_msgids("base1", ["Go"])
    cache.record("index", key(1), "base1")
    cache.finish_build()
    for path in first.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert str(tmp_path).encode() not in data and b"machine-a" not in data, path
    moved = tmp_path / "machine-b" / "restored"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    other = DiagramCache(moved)
    assert other.lookup(key(1)) == entry(1)
    assert other.msgids("base1") == ("Go",)
    assert other.read_manifest("index") == (frozenset({key(1)}), frozenset({"base1"}))


# -------------------------------------------------------------------------------- concurrency


def _writer(root: str, worker: int, rounds: int) -> None:
    cache = DiagramCache(root, memory=False)
    for r in range(rounds):
        for n in range(10):  # the same ten keys in every process
            cache.store(key(n), entry(n))
            assert cache.lookup(key(n)) in (None, entry(n))
        own = 1000 + worker * 100 + r  # and keys of its own
        cache.store(key(own), entry(own))
        cache.record(f"page-{worker}", key(own), f"b{own}")
        cache.record("shared", key(r % 10), f"b{r % 10}")
    cache.finish_build()


def test_concurrent_processes_share_one_directory(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 15)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    cache = DiagramCache(tmp_path, memory=False)
    for n in range(10):
        assert cache.lookup(key(n)) == entry(n)
    for w in range(4):
        for r in range(15):
            assert cache.lookup(key(1000 + w * 100 + r)) == entry(1000 + w * 100 + r)
        keys, _ = cache.read_manifest(f"page-{w}")
        assert key(1000 + w * 100 + 14) in keys
    assert cache.read_manifest("shared") is not None
    assert [p for p in tmp_path.rglob("*.tmp")] == []


def _forked_worker(cache: DiagramCache) -> None:
    """A ``sphinx-build -j`` reader: draws and records, and never calls flush itself."""
    cache.begin_page("worker-page")
    cache.store(key(2), entry(2))
    cache.record("worker-page", key(2), "b2")


def test_forked_worker_writes_its_own_work_when_it_exits(tmp_path):
    cache = DiagramCache(tmp_path)
    cache.store(key(1), entry(1))  # the parent's pending work: the parent writes it, not the child
    cache.record("parent-page", key(1), "b1")
    child = multiprocessing.get_context("fork").Process(target=_forked_worker, args=(cache,))
    child.start()
    child.join(60)
    assert child.exitcode == 0
    (written,) = pack_files(tmp_path)
    fresh = DiagramCache(tmp_path)
    assert fresh.disk_keys() == {key(2)}
    assert fresh.read_manifest("worker-page") == (frozenset({key(2)}), frozenset({"b2"}))
    assert fresh.read_manifest("parent-page") is None
    cache.finish_build()
    assert len(pack_files(tmp_path)) == 2 and written in pack_files(tmp_path)
    assert DiagramCache(tmp_path).disk_keys() == {key(1), key(2)}


def test_many_small_packs_are_merged_by_a_pruning_build(tmp_path):
    for n in range(cache_disk.MAX_PACKS + 4):  # one small build each, every page kept
        cache = DiagramCache(tmp_path)
        cache.store(key(n), entry(n))
        cache.record(f"page{n}", key(n), f"b{n}")
        cache.finish_build()
    assert len(pack_files(tmp_path)) == cache_disk.MAX_PACKS + 4
    age(tmp_path)
    cache = DiagramCache(tmp_path)
    report = cache.finish_build(used_pages={f"page{n}" for n in range(cache_disk.MAX_PACKS + 4)})
    assert report is not None and report.entries == 0 and report.kept == cache_disk.MAX_PACKS + 4
    assert len(pack_files(tmp_path)) == 1
    fresh = DiagramCache(tmp_path, memory=False)
    assert all(fresh.lookup(key(n)) == entry(n) for n in range(cache_disk.MAX_PACKS + 4))
    assert fresh.read_manifest("page3") == (frozenset({key(3)}), frozenset({"b3"}))


def test_opening_the_cache_removes_the_old_cache_layout(tmp_path):
    legacy = tmp_path / "entries" / "ab"
    legacy.mkdir(parents=True)
    (legacy / "ab12.entry").write_bytes(b"flowzap-cache 2 ...")
    (tmp_path / "elsewhere.txt").write_text("not ours to remove")
    DiagramCache(tmp_path)
    assert not (tmp_path / "entries").exists() and (tmp_path / "packs").is_dir()
    assert (tmp_path / "elsewhere.txt").is_file()
