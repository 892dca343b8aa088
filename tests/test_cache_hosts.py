"""The diagram cache in real builds: sphinx-build and mkdocs build run as subprocesses.

Warm rebuilds are byte-identical and draw nothing; ``sphinx-build -j 2`` workers and two builds
at once share one cache directory; a corrupted entry is survived; a deleted page's entries are
pruned while the entries of pages the build did not even re-read stay.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flowzap_docs.cache import DiagramCache, code_fingerprint
from flowzap_docs.cache_pack import read_pack_index

pytestmark = pytest.mark.slow

SUMMARY = re.compile(r"flowzap: (\d+) diagrams \((\d+) cached, (\d+) drawn(?:, (\d+) failed)?\) in [\d.]+ s")
DIAGRAM = ('Sales {{ # Sales team\nn1: circle label:"Start {n}"\nn2: rectangle label:"Check order {n}"\n'
           'n1.handle(right) -> n2.handle(left) [label="go"]\n}}\n')
SHARED = ('Ops { # Operations\nn1: circle label:"Alert"\nn2: rectangle label:"Triage"\n'
          'n1.handle(right) -> n2.handle(left)\n}\n')


def counts(output: str) -> tuple[int, int, int]:
    """(total, cached, drawn) from the build's one summary line."""
    lines = SUMMARY.findall(output)
    assert len(lines) == 1, output[-3000:]
    total, cached, drawn, _failed = lines[0]
    return int(total), int(cached), int(drawn)


def run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def age(root: Path, seconds: float = 3600) -> None:
    """Make the cache files look written long before the next build (pruning spares younger ones)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def entries(root: Path) -> set[str]:
    """The keys of the entries in the cache directory ``root``."""
    return DiagramCache(root).disk_keys()


def manifests(root: Path) -> set[str]:
    """The pages with a manifest in the cache directory ``root``."""
    return DiagramCache(root).disk_pages()


@pytest.fixture
def stable_code():
    """Keys hold a fingerprint of the package's files: skip if they change mid-test (a shared
    working tree being edited), since then a miss between two processes is the right answer."""
    code_fingerprint.cache_clear()
    before = code_fingerprint()

    def check() -> None:
        code_fingerprint.cache_clear()
        if code_fingerprint() != before:
            pytest.skip("the package's files changed during the test")
    return check


# -------------------------------------------------------------------------------- Sphinx


def sphinx_site(root: Path, pages: int, cache: Path | None) -> Path:
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    conf = "project = 'cache'\nextensions = ['flowzap_docs.sphinx_ext']\n"
    if cache is not None:
        conf += f"flowzap_cache_dir = {str(cache)!r}\n"
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n   :glob:\n\n   page*\n", encoding="utf-8")
    for n in range(pages):
        write_rst_page(src, n)
    return src


def write_rst_page(src: Path, n: int, text: str | None = None) -> None:
    def block(source: str) -> str:
        return ".. flowzap::\n\n" + "".join(f"   {line}\n" if line else "\n" for line in source.splitlines())
    own = text if text is not None else DIAGRAM.format(n=n)
    (src / f"page{n:02d}.rst").write_text(f"Page {n}\n=======\n\n{block(own)}\nText.\n\n{block(SHARED)}", encoding="utf-8")


def sphinx(src: Path, out: Path, *extra: str, doctrees: Path | None = None) -> str:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", *extra]
    if doctrees is not None:
        cmd += ["-d", str(doctrees)]
    return run([*cmd, str(src), str(out)], src.parent)


def pages_html(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("page*.html"))}


def test_sphinx_warm_rebuild_is_byte_identical_and_draws_nothing(tmp_path, stable_code):
    cache = tmp_path / "cache"
    src = sphinx_site(tmp_path, 4, cache)
    cold = sphinx(src, tmp_path / "out1", doctrees=tmp_path / "d1")
    assert counts(cold) == (8, 3, 5)  # the shared diagram is drawn once, then served by the cache
    warm = sphinx(src, tmp_path / "out2", doctrees=tmp_path / "d2")  # fresh doctrees: every page re-read
    stable_code()
    assert counts(warm) == (8, 8, 0)
    assert pages_html(tmp_path / "out1") == pages_html(tmp_path / "out2")
    assert "<svg" in pages_html(tmp_path / "out2")["page00.html"].decode()


def test_sphinx_default_cache_lives_in_the_doctree_dir(tmp_path, stable_code):
    src = sphinx_site(tmp_path, 2, None)
    sphinx(src, tmp_path / "out", doctrees=tmp_path / "doctrees")
    assert len(entries(tmp_path / "doctrees" / "flowzap-cache")) == 3
    out = sphinx(src, tmp_path / "out", "-E", doctrees=tmp_path / "doctrees")  # -E: re-read, same cache
    stable_code()
    assert counts(out) == (4, 4, 0)


def test_sphinx_changed_diagram_and_theme_miss(tmp_path, stable_code):
    cache = tmp_path / "cache"
    src = sphinx_site(tmp_path, 3, cache)
    sphinx(src, tmp_path / "out", doctrees=tmp_path / "d")
    write_rst_page(src, 1, DIAGRAM.format(n="edited"))
    out = sphinx(src, tmp_path / "out", doctrees=tmp_path / "d")  # incremental: only page01 re-read
    stable_code()
    assert counts(out) == (2, 1, 1)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("flowzap_theme = 'dark'\n")
    out = sphinx(src, tmp_path / "out", doctrees=tmp_path / "d")
    stable_code()
    assert counts(out) == (6, 2, 4)


def test_sphinx_corrupted_entries_are_redrawn(tmp_path, stable_code):
    cache = tmp_path / "cache"
    src = sphinx_site(tmp_path, 3, cache)
    sphinx(src, tmp_path / "out1", doctrees=tmp_path / "d1")
    (path,) = sorted((cache / "packs").glob("*.pack"))
    index = read_pack_index(str(path))
    assert index is not None and len(index.entries) == 4
    raw = bytearray(path.read_bytes())
    for n, (offset, length, _) in enumerate(sorted(index.entries.values())):
        if n % 2:
            raw[offset + length // 3: offset + length] = bytes(length - length // 3)  # a torn write
        else:
            raw[offset + length - 30] ^= 0x04
    path.write_bytes(bytes(raw))
    out = sphinx(src, tmp_path / "out2", doctrees=tmp_path / "d2")
    stable_code()
    assert counts(out) == (6, 2, 4)  # every entry redrawn once (the shared one then hits)
    assert pages_html(tmp_path / "out1") == pages_html(tmp_path / "out2")
    again = sphinx(src, tmp_path / "out3", doctrees=tmp_path / "d3")
    stable_code()
    assert counts(again) == (6, 6, 0)


def test_sphinx_parallel_workers_share_the_cache(tmp_path, stable_code):
    cache = tmp_path / "cache"
    src = sphinx_site(tmp_path, 12, cache)
    serial_cache = tmp_path / "serial-cache"
    serial = sphinx_site(tmp_path / "serial", 12, serial_cache)
    sphinx(serial, tmp_path / "serial-out", doctrees=tmp_path / "serial-d")
    cold = sphinx(src, tmp_path / "out1", "-j", "2", doctrees=tmp_path / "d1")
    assert counts(cold)[0] == 24
    assert len(entries(cache)) == 13
    assert len(manifests(cache)) == 12
    warm = sphinx(src, tmp_path / "out2", "-j", "2", doctrees=tmp_path / "d2")
    stable_code()
    assert counts(warm) == (24, 24, 0)
    assert pages_html(tmp_path / "out1") == pages_html(tmp_path / "out2") == pages_html(tmp_path / "serial-out")
    assert list(cache.rglob("*.tmp")) == []


def test_two_sphinx_builds_at_once_share_the_cache(tmp_path, stable_code):
    cache = tmp_path / "cache"
    src = sphinx_site(tmp_path, 8, cache)
    procs = [
        subprocess.Popen([sys.executable, "-m", "sphinx", "-b", "html", "-d", str(tmp_path / f"d{i}"), str(src),
                          str(tmp_path / f"out{i}")], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
        for i in range(2)
    ]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert pages_html(tmp_path / "out0") == pages_html(tmp_path / "out1")
    warm = sphinx(src, tmp_path / "out2", doctrees=tmp_path / "d2")
    stable_code()
    assert counts(warm) == (16, 16, 0)
    assert pages_html(tmp_path / "out2") == pages_html(tmp_path / "out0")


def test_sphinx_prunes_a_deleted_pages_entries_only(tmp_path, stable_code):
    cache = tmp_path / "cache"
    src = sphinx_site(tmp_path, 3, cache)
    sphinx(src, tmp_path / "out", doctrees=tmp_path / "d")
    before = entries(cache)
    assert len(before) == 4
    age(cache)
    (src / "page02.rst").unlink()
    out = sphinx(src, tmp_path / "out", doctrees=tmp_path / "d")  # incremental: pages 0 and 1 not re-read
    after = entries(cache)
    assert len(after) == 3 and after < before
    assert manifests(cache) == {"page00", "page01"}
    assert counts(out) == (0, 0, 0)
    fresh = sphinx(src, tmp_path / "out2", doctrees=tmp_path / "d2")
    stable_code()
    assert counts(fresh) == (4, 4, 0)  # pages 0 and 1 still hit


# -------------------------------------------------------------------------------- MkDocs


def mkdocs_site(root: Path, pages: int, options: str = "") -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    plugin = "  - flowzap" + (f":\n{options}" if options else "") + "\n"
    (root / "mkdocs.yml").write_text(f"site_name: cache\ntheme:\n  name: mkdocs\nplugins:\n{plugin}", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for n in range(pages):
        write_md_page(docs, n)
    return root


def write_md_page(docs: Path, n: int, text: str | None = None) -> None:
    own = text if text is not None else DIAGRAM.format(n=n)
    (docs / f"page{n:02d}.md").write_text(
        f"# Page {n}\n\n```flowzap\n{own}```\n\nText.\n\n```flowzap\n{SHARED}```\n", encoding="utf-8")


def mkdocs(site: Path, out: str) -> str:
    return run([sys.executable, "-m", "mkdocs", "build", "-d", str(site / out)], site)


def mkdocs_pages(site: Path, out: str) -> dict[str, bytes]:
    """Every page's HTML, without the theme's build-date comment (the one line that changes)."""
    return {
        p.relative_to(site / out).as_posix(): re.sub(rb"Build Date UTC : [^\n]*", b"", p.read_bytes())
        for p in sorted((site / out).glob("page*/index.html"))
    }


def test_mkdocs_warm_rebuild_is_byte_identical_and_draws_nothing(tmp_path, stable_code):
    site = mkdocs_site(tmp_path, 4)
    cold = mkdocs(site, "site1")
    assert counts(cold) == (8, 3, 5)
    assert len(entries(site / ".cache" / "flowzap")) == 5  # the default: .cache/flowzap beside mkdocs.yml
    warm = mkdocs(site, "site2")
    stable_code()
    assert counts(warm) == (8, 8, 0)
    first, second = mkdocs_pages(site, "site1"), mkdocs_pages(site, "site2")
    assert first == second and len(first) == 4 and b"<svg" in first["page00/index.html"]


def test_mkdocs_changed_diagram_and_option_miss(tmp_path, stable_code):
    site = mkdocs_site(tmp_path, 3)
    mkdocs(site, "site")
    write_md_page(site / "docs", 2, DIAGRAM.format(n="edited"))
    out = mkdocs(site, "site")
    stable_code()
    assert counts(out) == (6, 5, 1)
    mkdocs_site(tmp_path, 0, "      theme: dark")
    out = mkdocs(site, "site")
    stable_code()
    assert counts(out) == (6, 2, 4)


def test_mkdocs_prunes_a_deleted_pages_entries(tmp_path, stable_code):
    site = mkdocs_site(tmp_path, 3)
    cache = site / ".cache" / "flowzap"
    mkdocs(site, "site")
    before = entries(cache)
    age(cache)
    (site / "docs" / "page01.md").unlink()
    out = mkdocs(site, "site")
    stable_code()
    assert counts(out) == (4, 4, 0)
    after = entries(cache)
    assert len(before) == 4 and len(after) == 3 and after < before


def test_mkdocs_cache_can_be_turned_off(tmp_path):
    site = mkdocs_site(tmp_path, 2, "      cache_dir: false")
    out = mkdocs(site, "site")
    assert counts(out) == (4, 1, 3)  # the memory layer still serves the shared diagram
    assert not (site / ".cache").exists()


def test_mkdocs_moved_cache_hits(tmp_path, stable_code):
    first = mkdocs_site(tmp_path / "machine-a", 3)
    mkdocs(first, "site")
    second = mkdocs_site(tmp_path / "machine-b" / "checkout", 3)
    shutil.copytree(first / ".cache", second / ".cache")
    out = mkdocs(second, "site")
    stable_code()
    assert counts(out) == (6, 6, 0)


# -------------------------------------------------------------------------------- unwritable cache


def test_sphinx_unwritable_cache_warns_once_and_builds(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a regular file: no directory can be made under it")
    src = sphinx_site(tmp_path, 12, blocker / "sub")
    out = sphinx(src, tmp_path / "out", "-j", "2", doctrees=tmp_path / "d")
    assert out.count("cannot be written") == 1, out[-3000:]
    assert counts(out)[0] == 24
    assert all(b"<svg" in html for html in pages_html(tmp_path / "out").values())


def test_mkdocs_unwritable_cache_warns_once_and_builds(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a regular file")
    site = mkdocs_site(tmp_path, 3, f"      cache_dir: {blocker / 'sub'}")
    out = mkdocs(site, "site")
    assert out.count("cannot be written") == 1, out[-3000:]
    assert counts(out) == (6, 2, 4)
    assert all(b"<svg" in html for html in mkdocs_pages(site, "site").values())
