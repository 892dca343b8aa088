"""What diagrams cost a Sphinx build: ``.. flowzap::`` against ``sphinx.ext.graphviz`` (run on demand).

    .venv/bin/python bench/sphinx_build.py [--pages 200] [--runs 5] [--keep DIR] [--against SRC]

Generates one 200-page site three ways, one diagram a page, each page's diagram the corpus
diagram of median size (``tests/data/corpus``) with one label made unique to the page (so
neither tool can reuse a drawing from another page):

* ``flowzap``: the ``.. flowzap::`` directive with the FlowZap source;
* ``graphviz``: ``.. graphviz::`` with the same graph in DOT (one cluster per lane, same nodes,
  shapes and labels; SVG output, like ours);
* ``baseline``: the FlowZap source in a plain ``.. code-block::``.

Each is built with ``sphinx-build -b html -j 1`` into a fresh output directory (cold caches),
``--runs`` times, interleaved.  The diagram overhead of a tool is its build time minus the
baseline's in the same round (median over rounds), in wall time and in CPU time (the build and
its children, ``dot`` included: much steadier than wall time on a busy machine).
Goal: ours <= 1/4 of Graphviz's.

``--against SRC`` (a source tree of another revision, e.g. ``git archive main | tar -x -C SRC``)
adds a fourth site, ``flowzap`` again but built with ``PYTHONPATH=SRC``, in the same rounds: a
change's cost measured against the code before it, on the same machine at the same moments.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dot_export import to_dot  # noqa: E402  (the same DOT as bench/render.py compares against)

from flowzap_docs.parser import parse  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
SPHINX = [sys.executable, "-m", "sphinx"]
VARIANTS = ("baseline", "graphviz", "flowzap")
EXTENSIONS = {"baseline": [], "graphviz": ["sphinx.ext.graphviz"], "flowzap": ["flowzap_docs.sphinx_ext"],
              "reference": ["flowzap_docs.sphinx_ext"]}
FIRST_LABEL = re.compile(r'(label\s*[:=]\s*")((?:[^"\\]|\\.)*)(")')


def median_diagram() -> tuple[Path, str]:
    """The corpus file whose (nodes, edges) is the median: the size of a typical diagram."""
    sized = []
    for path in sorted(CORPUS.glob("*.fz")):
        source = path.read_text(encoding="utf-8")
        diagram = parse(source, filename=path.name)
        sized.append((len(diagram.nodes), len(diagram.edges), path.name, path, source))
    sized.sort()
    _, _, _, path, source = sized[len(sized) // 2]
    return path, source


def for_page(source: str, page: int) -> str:
    """The diagram with its first label made unique to ``page``."""
    return FIRST_LABEL.sub(lambda m: f"{m.group(1)}{m.group(2)} (page {page}){m.group(3)}", source, count=1)


def _indent(text: str) -> str:
    return "\n".join(f"   {line}" if line.strip() else "" for line in text.splitlines())


def page_text(variant: str, page: int, source: str) -> str:
    title = f"Page {page}"
    head = f"{title}\n{'=' * len(title)}\n\nSome text before the diagram of page {page}.\n\n"
    if variant in ("flowzap", "reference"):
        block = ".. flowzap::\n\n" + _indent(source)
    elif variant == "graphviz":
        block = ".. graphviz::\n\n" + _indent(to_dot(parse(source)))
    else:
        block = ".. code-block:: text\n\n" + _indent(source)
    return head + block + "\n\nSome text after it.\n"


def write_site(root: Path, variant: str, pages: int, source: str) -> Path:
    src = root / variant / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        f"project = 'bench'\nextensions = {EXTENSIONS[variant]!r}\nhtml_theme = 'basic'\n"
        "graphviz_output_format = 'svg'\n",
        encoding="utf-8",
    )
    toc = "\n".join(f"   p{i:03d}" for i in range(pages))
    (src / "index.rst").write_text(f"Bench\n=====\n\n.. toctree::\n\n{toc}\n", encoding="utf-8")
    for i in range(pages):
        (src / f"p{i:03d}.rst").write_text(page_text(variant, i, for_page(source, i)), encoding="utf-8")
    return src


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(src: Path, env: dict[str, str] | None = None) -> tuple[float, float, float | None]:
    """Wall and CPU seconds of one cold build (fresh output and doctree directories), and the
    seconds the flowzap summary line says were spent drawing (None for the other variants)."""
    out = src.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*SPHINX, "-b", "html", "-j", "1", "-d", str(out / "doctrees"), str(src), str(out / "html")]
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"build of {src} failed:\n{proc.stderr}")
    drawing = re.search(r"^flowzap: .* in ([0-9.]+) s$", proc.stdout, re.M)
    return elapsed, cpu, float(drawing.group(1)) if drawing else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build here and keep the sites (default: a temp dir)")
    parser.add_argument("--against", type=Path, help="source tree of a revision to measure in the same rounds")
    args = parser.parse_args()
    variants = (*VARIANTS, "reference") if args.against else VARIANTS
    envs = {"reference": {**os.environ, "PYTHONPATH": str(args.against.resolve())}} if args.against else {}

    path, source = median_diagram()
    diagram = parse(source)
    print(f"{args.pages} pages, one diagram each: {path.name} ({len(diagram.nodes)} nodes, "
          f"{len(diagram.edges)} edges, {len(diagram.lanes)} lanes), {args.runs} runs, -j 1")
    root = args.keep or Path(tempfile.mkdtemp(prefix="flowzap-bench-"))
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
    sites = {variant: write_site(root, variant, args.pages, source) for variant in variants}
    wall: dict[str, list[float]] = {variant: [] for variant in variants}
    cpu: dict[str, list[float]] = {variant: [] for variant in variants}
    drawing: dict[str, list[float]] = {"flowzap": [], "reference": []}
    for run in range(args.runs):
        for variant in variants:
            elapsed, used, drawn = build_once(sites[variant], envs.get(variant))
            wall[variant].append(elapsed)
            cpu[variant].append(used)
            if drawn is not None:
                drawing[variant].append(drawn)
        print(f"  run {run + 1}: " + ", ".join(f"{v} {wall[v][-1]:.2f} s ({cpu[v][-1]:.2f} s CPU)" for v in variants),
              flush=True)
    ratios = {}
    for label, times in (("wall", wall), ("CPU", cpu)):
        print(f"{label} time, baseline (code blocks): median {statistics.median(times['baseline']):.2f} s")
        overheads = {}
        for variant in ("graphviz", "flowzap", "reference")[:len(variants) - 1]:
            paired = [t - b for t, b in zip(times[variant], times["baseline"], strict=True)]
            overheads[variant] = statistics.median(paired)
            print(f"  {variant:9s}: median {statistics.median(times[variant]):.2f} s, diagram overhead "
                  f"{overheads[variant]:.2f} s ({overheads[variant] / args.pages * 1000:.1f} ms a diagram)")
        for variant in overheads:
            if variant != "graphviz":
                ratios[(label, variant)] = (overheads[variant] / overheads["graphviz"] if overheads["graphviz"] > 0
                                            else float("inf"))
    for variant, times in drawing.items():
        if times:
            print(f"{variant} Renderer.render (parse, layout, SVG, cache), per its summary line: median "
                  f"{statistics.median(times):.2f} s ({statistics.median(times) / args.pages * 1000:.1f} ms a diagram)")
    for (label, variant), ratio in ratios.items():
        print(f"{variant} / graphviz overhead ({label}): {ratio:.2f} "
              f"(goal <= 0.25: {'met' if ratio <= 0.25 else 'NOT met'})")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
