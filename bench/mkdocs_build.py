"""What diagrams cost an MkDocs build: 200 pages with one diagram each vs the same pages with plain code blocks.

Run on demand (not collected by pytest)::

    .venv/bin/python bench/mkdocs_build.py [--pages 200] [--repeat 3] [--theme material|mkdocs]

One run builds, in turn and ``--repeat`` times each (fresh ``mkdocs build`` processes, so no
memory cache carries over):

- ``plain``: every page holds the diagram text in a ```` ```text ```` block (the baseline);
- ``cold``: every page holds a ```` ```flowzap ```` fence, disk cache off: everything is drawn;
- ``warm``: the same, with the disk cache filled by the build just before (CI with a restored cache).

Each page's diagram is the median-size diagram of ``tests/data/corpus`` with the page number in
its first label, so no two pages share a drawing (the cache cannot cheat in ``cold``).  Prints
the median wall time of each variant and the overhead per page against ``plain``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))

CONFIGS = {
    "material": """\
        site_name: Bench
        theme:
          name: material
          font: false
        markdown_extensions:
          - admonition
          - pymdownx.superfences
    """,
    "mkdocs": """\
        site_name: Bench
        theme: mkdocs
    """,
}


def median_diagram() -> tuple[str, str]:
    files = sorted(CORPUS.glob("*.fz"), key=lambda p: (p.stat().st_size, p.name))
    chosen = files[len(files) // 2]
    return chosen.name, chosen.read_text(encoding="utf-8")


def page_text(n: int, diagram: str, language: str) -> str:
    unique = re.sub(r'label:"', f'label:"P{n} ', diagram, count=1)
    return f"# Page {n}\n\nSome prose before the diagram.\n\n```{language}\n{unique.rstrip()}\n```\n\nAnd after.\n"


def write_site(root: Path, pages: int, diagram: str, language: str, theme: str, plugin: str | None) -> None:
    config = textwrap.dedent(CONFIGS[theme])
    if plugin is not None:
        config += f"plugins:\n  - flowzap:\n      cache_dir: {plugin}\n"
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (docs / "index.md").write_text("# Bench\n", encoding="utf-8")
    for n in range(1, pages + 1):
        (docs / f"page{n:03d}.md").write_text(page_text(n, diagram, language), encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(root: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds of one ``mkdocs build`` process (CPU time is what a busy machine
    distorts least: other processes stretch the wall time, not our CPU seconds), and the
    seconds the plugin's summary line reports for the diagrams themselves (0 for ``plain``)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run([MKDOCS, "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                            capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stderr}")
    m = re.search(r"flowzap: \d+ diagrams \(.*?\) in ([\d.]+) s", result.stderr)
    return elapsed, _children_cpu() - cpu, float(m.group(1)) if m else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--theme", choices=sorted(CONFIGS), default="material")
    args = parser.parse_args()

    name, diagram = median_diagram()
    work = Path(tempfile.mkdtemp(prefix="flowzap-bench-"))
    try:
        sites = {
            "plain": (work / "plain", "text", None),
            "cold": (work / "cold", "flowzap", "false"),
            "warm": (work / "warm", "flowzap", ".cache/flowzap"),
        }
        for root, language, cache in sites.values():
            write_site(root, args.pages, diagram, language, args.theme, cache)
        wall: dict[str, list[float]] = {key: [] for key in sites}
        cpu: dict[str, list[float]] = {key: [] for key in sites}
        drawing: dict[str, list[float]] = {key: [] for key in sites}
        for _ in range(args.repeat):  # interleaved, so drift in machine load hits every variant alike
            for key, (root, _, _) in sites.items():
                if key == "warm":
                    # fill the disk cache just before: the key includes a fingerprint of the
                    # core's code, so an edit of the core between builds would empty it
                    timed_build(root)
                w, c, d = timed_build(root)
                wall[key].append(w)
                cpu[key].append(c)
                drawing[key].append(d)
        print(f"{args.pages} pages, theme {args.theme}, diagram {name} ({len(diagram)} bytes), "
              f"median of {args.repeat} builds each (wall / CPU seconds of the mkdocs process)")
        for label, times in (("wall", wall), ("CPU", cpu)):
            med = {key: statistics.median(values) for key, values in times.items()}
            for key in sites:
                extra = "" if key == "plain" else \
                    f"  -> +{(med[key] - med['plain']) / args.pages * 1000:.1f} ms per page"
                runs = ", ".join(f"{t:.2f}" for t in times[key])
                print(f"  {label:4s} {key:5s} {med[key]:6.2f} s  ({runs}){extra}")
        for key in ("cold", "warm"):
            d = statistics.median(drawing[key])
            print(f"  core {key:5s} {d:6.2f} s in Renderer.render (summary line) -> {d / args.pages * 1000:.1f} ms per page")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
