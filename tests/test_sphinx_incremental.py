"""Incremental ``sphinx-build`` runs: what happens on the *next* build.

A broken diagram is reported again until fixed, an edited ``.fz`` file rebuilds the page that
uses it (and its old image file goes), the cache in the doctree directory serves a full
re-read, and ``-W`` passes once everything is fixed.  Each test writes its own tiny site.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flowzap_docs.cache import code_fingerprint

FLOW = """Team { # Writers
  n1: circle label:"Draft ready"
  n2: rectangle label:"LABEL"
  n1.handle(right) -> n2.handle(left)
}
"""

BROKEN_PAGE = """Broken
======

Text before.

.. flowzap::

   Team { # Writers
     n1: circle label:"Draft ready"
     n2: rectangle label:"Review"
     n1.handle(right) -> n2.handle(SIDE)
   }

Text after.
"""
BROKEN_LINE = 11


def write_site(root: Path, *, broken: bool = True, label: str = "Alpha") -> Path:
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nhtml_theme = "basic"\n', encoding="utf-8")
    (src / "index.rst").write_text(
        "Home\n====\n\n.. flowzap:: flow.fz\n   :format: img\n\n.. toctree::\n\n   broken\n", encoding="utf-8"
    )
    (src / "flow.fz").write_text(FLOW.replace("LABEL", label), encoding="utf-8")
    (src / "broken.rst").write_text(BROKEN_PAGE.replace("SIDE", "lef" if broken else "left"), encoding="utf-8")
    return src


def build(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    out = src.parent / "out"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(src.parent / "doctrees"), *args, str(src), str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})


def updated(proc: subprocess.CompletedProcess[str]) -> str:
    """``"0 added, 1 changed, 0 removed"`` from Sphinx's "updating environment" line."""
    match = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+ added, \d+ changed, \d+ removed)", proc.stdout)
    assert match, proc.stdout
    return match.group(1)


def flowzap_warnings(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stderr.splitlines() if "[flowzap." in line]


def summary(proc: subprocess.CompletedProcess[str]) -> str:
    match = re.search(r"^flowzap: .*$", proc.stdout, re.M)
    assert match, proc.stdout
    return match.group(0)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_page_is_reread_and_reported_until_fixed(tmp_path: Path, jobs: str) -> None:
    src = write_site(tmp_path)
    where = f"{src / 'broken.rst'}:{BROKEN_LINE}: WARNING: FlowZap error["

    first = build(src, "-j", jobs)
    assert first.returncode == 0, first.stderr
    assert [w for w in flowzap_warnings(first) if w.startswith(where)], first.stderr
    assert summary(first).startswith("flowzap: 2 diagrams") and "1 failed" in summary(first)

    again = build(src, "-j", jobs)  # nothing edited: only the broken page is read again
    assert updated(again) == "0 added, 1 changed, 0 removed"
    assert flowzap_warnings(again) == flowzap_warnings(first)
    assert summary(again).startswith("flowzap: 1 diagrams") and "1 failed" in summary(again)

    write_site(tmp_path, broken=False)
    fixed = build(src, "-j", jobs, "-W")
    assert fixed.returncode == 0, fixed.stderr
    assert flowzap_warnings(fixed) == []
    assert "flowzap-error" not in (tmp_path / "out" / "broken.html").read_text(encoding="utf-8")

    quiet = build(src, "-j", jobs)
    assert updated(quiet) == "0 added, 0 changed, 0 removed"


def test_editing_a_fz_file_rebuilds_its_page_and_removes_the_stale_image(tmp_path: Path) -> None:
    src = write_site(tmp_path, broken=False, label="Alpha")
    images = tmp_path / "out" / "_images"
    assert build(src).returncode == 0
    [old] = images.glob("flowzap-*.svg")
    assert "Alpha" in old.read_text(encoding="utf-8")

    (src / "flow.fz").write_text(FLOW.replace("LABEL", "Omega"), encoding="utf-8")
    second = build(src)
    assert second.returncode == 0, second.stderr
    assert updated(second) == "0 added, 1 changed, 0 removed"
    [new] = images.glob("flowzap-*.svg")
    assert new.name != old.name and not old.exists()
    assert "Omega" in new.read_text(encoding="utf-8")
    assert f'src="_images/{new.name}"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_cache_in_the_doctree_dir_serves_a_full_reread(tmp_path: Path) -> None:
    src = write_site(tmp_path, broken=False)
    code_fingerprint.cache_clear()
    before = code_fingerprint()
    first = build(src)
    assert "0 cached, 2 drawn" in summary(first), summary(first)
    assert (tmp_path / "doctrees" / "flowzap-cache").is_dir()
    reread = build(src, "-E")
    code_fingerprint.cache_clear()
    if code_fingerprint() != before:  # keys hold the package's code: an edit in between is a right miss
        pytest.skip("the package's files changed during the test")
    assert "2 cached, 0 drawn" in summary(reread), summary(reread)


def test_cache_dir_false_turns_the_disk_cache_off(tmp_path: Path) -> None:
    src = write_site(tmp_path, broken=False)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("flowzap_cache_dir = False\n")
    assert build(src).returncode == 0
    assert not (tmp_path / "doctrees" / "flowzap-cache").exists()
    reread = build(src, "-E")
    assert "0 cached, 2 drawn" in summary(reread), summary(reread)


def test_an_unwritable_cache_dir_warns_once_and_still_draws(tmp_path: Path) -> None:
    src = write_site(tmp_path, broken=False)
    (src / "not-a-dir").write_text("a file where the cache directory should be\n", encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('flowzap_cache_dir = "not-a-dir"\n')
    proc = build(src)
    assert proc.returncode == 0, proc.stderr
    assert len([w for w in flowzap_warnings(proc) if w.endswith("[flowzap.cache]")]) == 1, proc.stderr
    assert "0 cached, 2 drawn" in summary(proc)


def test_bad_config_values_warn_and_fall_back(tmp_path: Path) -> None:
    src = write_site(tmp_path, broken=False)
    proc = build(src, "-D", "flowzap_format=png", "-D", "flowzap_default_view=sideways", "-D", "flowzap_theme=neon")
    assert proc.returncode == 0, proc.stderr
    warnings = flowzap_warnings(proc)
    for name, value in (("flowzap_format", "png"), ("flowzap_default_view", "sideways"), ("flowzap_theme", "neon")):
        assert any(w.startswith(f"WARNING: {name} must be one of") and repr(value) in w for w in warnings), warnings
    assert "0 failed" not in summary(proc) and "2 drawn" in summary(proc)
