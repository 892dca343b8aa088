"""What the diagram cache buys on real builds: 200-page Sphinx and MkDocs sites, in one run.

For each host, the same generated site is built (each build with a fresh output directory and,
for Sphinx, a fresh doctree directory, so the host itself re-reads every page):

* baseline: the diagrams replaced by plain code blocks (same text, same pages);
* cold: the diagrams, with an empty cache directory;
* warm: the diagrams again, with the cache directory the cold build left.

The diagram overhead of a build is its time minus the baseline's.  Goal: the warm overhead is
at most 5% of the cold overhead.  The Renderer's own summary line gives the time spent in the
core; divided by the number of diagrams it is the cost of a cache hit (goal <= 0.1 ms).
Then, in this process, a memory hit and a disk hit are timed per diagram directly.

Run: ``.venv/bin/python bench/cache.py [--pages 200] [--repeat 3] [--keep DIR]``.  Not collected
by pytest (it takes about a minute).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = ROOT / "tests" / "data"
SUMMARY = re.compile(r"flowzap: (\d+) diagrams \((\d+) cached, (\d+) drawn(?:, (\d+) failed)?\) in ([\d.]+) s")


def diagram_sources() -> list[str]:
    """The test diagrams that draw without errors in the workflow view."""
    from flowzap_docs.pipeline import DiagramRequest, Renderer

    renderer = Renderer(cache_dir=None, memory=False)
    out = []
    for path in sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz")):
        text = path.read_text(encoding="utf-8")
        if renderer.render(DiagramRequest(text, id_prefix="fz-b")).ok and 'label:"' in text:
            out.append(text)
    if not out:
        sys.exit("no test diagram draws: is the workflow view installed?")
    return out


def page_diagrams(sources: list[str], n: int) -> list[str]:
    """Two diagrams per page: one of its own (a label names the page) and one shared by pages."""
    own = sources[n % len(sources)].replace('label:"', f'label:"Page {n}: ', 1)
    shared = sources[(n * 7 + 3) % len(sources)]
    return [own, shared]


def write_sphinx(site: Path, sources: list[str], pages: int, diagrams: bool, cache_dir: Path) -> None:
    src = site / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        "project = 'bench'\n"
        "extensions = ['flowzap_docs.sphinx_ext']\n"
        f"flowzap_cache_dir = {str(cache_dir)!r}\n"
        # no navigation sidebar: alabaster's global toctree is quadratic in the page count and
        # its noise would swamp the diagrams' cost, which is what is measured here
        "html_theme = 'basic'\nhtml_sidebars = {'**': []}\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(
        "Bench\n=====\n\n.. toctree::\n   :glob:\n   :maxdepth: 1\n\n   page*\n", encoding="utf-8")
    for n in range(pages):
        parts = [f"Page {n}\n{'=' * (5 + len(str(n)))}\n\nSome text before the diagrams.\n"]
        for text in page_diagrams(sources, n):
            head = ".. flowzap::" if diagrams else ".. code-block:: text"
            body = "\n".join(("   " + line) if line.strip() else "" for line in text.splitlines())
            parts.append(f"{head}\n\n{body}\n\nA paragraph after it.\n")
        (src / f"page{n:03d}.rst").write_text("\n".join(parts), encoding="utf-8")


def write_mkdocs(site: Path, sources: list[str], pages: int, diagrams: bool, cache_dir: Path) -> None:
    docs = site / "docs"
    docs.mkdir(parents=True)
    (site / "mkdocs.yml").write_text(
        "site_name: bench\n"
        "docs_dir: docs\n"
        "theme:\n  name: mkdocs\n"
        f"plugins:\n  - flowzap:\n      cache_dir: {json.dumps(str(cache_dir))}\n",
        encoding="utf-8",
    )
    (docs / "index.md").write_text("# Bench\n\nPages below.\n", encoding="utf-8")
    for n in range(pages):
        parts = [f"# Page {n}\n\nSome text before the diagrams.\n"]
        for text in page_diagrams(sources, n):
            fence = "flowzap" if diagrams else "text"
            parts.append(f"```{fence}\n{text.rstrip()}\n```\n\nA paragraph after it.\n")
        (docs / f"page{n:03d}.md").write_text("\n".join(parts), encoding="utf-8")


def build(host: str, site: Path, out: Path) -> tuple[float, str]:
    """One build in a subprocess (a fresh process, like CI); its wall time and its output."""
    shutil.rmtree(out, ignore_errors=True)
    if host == "sphinx":
        cmd = [str(BIN / "sphinx-build"), "-b", "html", "-E", "-d", str(out / "doctrees"), str(site / "src"),
               str(out / "html")]
    else:
        cmd = [str(BIN / "mkdocs"), "build", "-f", str(site / "mkdocs.yml"), "-d", str(out / "site")]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=site)
    elapsed = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"{host} build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def summary(output: str) -> tuple[int, int, int, float]:
    match = SUMMARY.search(output)
    if not match:
        return (0, 0, 0, 0.0)
    total, cached, drawn, _failed, seconds = match.groups()
    return int(total), int(cached), int(drawn), float(seconds)


def bench_host(host: str, work: Path, sources: list[str], pages: int, repeat: int) -> dict[str, object]:
    write = write_sphinx if host == "sphinx" else write_mkdocs
    cache = work / host / "cache"
    base_site, fz_site = work / host / "baseline", work / host / "diagrams"
    write(base_site, sources, pages, False, work / host / "unused-cache")
    write(fz_site, sources, pages, True, cache)
    out = work / host / "out"
    build(host, base_site, out)  # untimed: byte-compiles, fills the OS file cache
    baselines, colds, warms, cold_lines, warm_lines = [], [], [], [], []
    for _ in range(repeat):  # interleaved, so a change in machine load hits all three alike
        baselines.append(build(host, base_site, out)[0])
        shutil.rmtree(cache, ignore_errors=True)
        elapsed, output = build(host, fz_site, out)
        colds.append(elapsed)
        cold_lines.append(summary(output))
        elapsed, output = build(host, fz_site, out)
        warms.append(elapsed)
        warm_lines.append(summary(output))
    baseline = min(baselines)
    cold, warm = min(colds), min(warms)
    cold_over, warm_over = cold - baseline, warm - baseline
    warm_core = min(line[3] for line in warm_lines)
    total = warm_lines[0][0]
    return {
        "host": host, "pages": pages, "diagrams": total,
        "baseline_s": baseline, "cold_s": cold, "warm_s": warm,
        "cold_overhead_s": cold_over, "warm_overhead_s": warm_over,
        "warm_over_cold": warm_over / cold_over if cold_over > 0 else float("nan"),
        "cold_summary": cold_lines[0], "warm_summary": warm_lines[0],
        "warm_core_ms_per_diagram": 1000 * warm_core / total if total else float("nan"),
        "cold_core_s": statistics.median(line[3] for line in cold_lines),
        "warm_core_s": warm_core,
        "cache_bytes": sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()),
    }


def bench_in_process(sources: list[str], work: Path) -> dict[str, float]:
    """Per-diagram cost of a memory hit and of a disk hit (new Renderer, memory layer off)."""
    from flowzap_docs.pipeline import DiagramRequest, Renderer

    requests = [DiagramRequest(s, id_prefix=f"fz-{i}", line_offset=i) for i, s in enumerate(sources)]
    cache = work / "inproc"
    shutil.rmtree(cache, ignore_errors=True)
    renderer = Renderer(cache_dir=cache)
    started = time.perf_counter()
    for r in requests:
        renderer.render(r, page="p")
    draw = (time.perf_counter() - started) / len(requests)
    renderer.cache.flush()  # what the end of a build does: write the pack

    def per_hit(r: Renderer, rounds: int) -> float:
        best = float("inf")
        for _ in range(rounds):
            started = time.perf_counter()
            for request in requests:
                assert r.render(request, page="p").cached
            best = min(best, (time.perf_counter() - started) / len(requests))
        return best

    memory = per_hit(renderer, 20)
    disk = per_hit(Renderer(cache_dir=cache, memory=False), 5)
    return {"draw_ms": draw * 1000, "memory_hit_ms": memory * 1000, "disk_hit_ms": disk * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hosts", default="sphinx,mkdocs")
    parser.add_argument("--keep", help="build in this directory and keep it")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="flowzap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sources = diagram_sources()
        print(f"{len(sources)} distinct test diagrams; {args.pages} pages x 2 diagrams per site\n")
        inproc = bench_in_process(sources, work)
        print(f"in process: draw {inproc['draw_ms']:.2f} ms, memory hit {inproc['memory_hit_ms']:.4f} ms, "
              f"disk hit {inproc['disk_hit_ms']:.4f} ms per diagram\n")
        for host in args.hosts.split(","):
            r = bench_host(host, work, sources, args.pages, args.repeat)
            verdict = "ok" if r["warm_over_cold"] <= 0.05 else "OVER GOAL"
            print(f"{host}: {r['diagrams']} diagrams on {r['pages']} pages (best of {args.repeat})")
            print(f"  baseline (code blocks) {r['baseline_s']:.2f} s, cold {r['cold_s']:.2f} s, warm {r['warm_s']:.2f} s")
            print(f"  diagram overhead: cold {r['cold_overhead_s']:.2f} s, warm {r['warm_overhead_s']:.3f} s "
                  f"= {100 * r['warm_over_cold']:.1f}% of cold ({verdict}; goal <= 5%)")
            print(f"  core time (summary line): cold {r['cold_core_s']:.2f} s, warm {r['warm_core_s']:.3f} s "
                  f"= {100 * r['warm_core_s'] / r['cold_core_s']:.1f}% of cold; "
                  f"{r['warm_core_ms_per_diagram']:.3f} ms per cached diagram in a fresh process (disk hits; "
                  f"goal <= 0.1 ms); cache {r['cache_bytes'] / 1024:.0f} KiB")
            print(f"  summary lines: cold {r['cold_summary']}, warm {r['warm_summary']}\n")
            if r["warm_summary"][2]:
                print("  NOTE: the warm build drew diagrams: did the package's files change during the run?\n")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
