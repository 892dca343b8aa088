"""Drawing speed and size, against Graphviz on the same graph (run on demand, not a test).

    .venv/bin/python bench/render.py [--runs 50] [--profile]

Reports, in one run:
* the median CPU time of drawing the corpus diagram of median size (``t132.fz``, what each page
  of ``bench/sphinx_build.py`` draws) the way the pipeline draws it: parse, draw in the page's
  language, describe; each run with one label made unique, as each page has;
* the median in-process ``render_svg`` time (parse + layout + SVG) for ``event-driven.fz``,
  against the median wall time of ``dot -Tsvg`` on ``bench/event-driven.dot`` (same clusters,
  nodes and labels); goal: ours <= 1/4 of dot's;
* the SVG sizes of both; goal: ours smaller;
* a generated 400- and 1,600-node diagram: goal t(1600) < 2 s and t(1600)/t(400) <= 5.5;
* with ``--profile``, where the time of one event-driven render goes (parse, layout, SVG).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dot_export import to_dot  # noqa: E402

from flowzap_docs.parser import parse  # noqa: E402
from flowzap_docs.render import render_svg  # noqa: E402
from flowzap_docs.views.workflow.draw import draw_workflow  # noqa: E402
from flowzap_docs.views.workflow.layout import layout_workflow  # noqa: E402

EXAMPLE = ROOT / "tests" / "data" / "examples" / "event-driven.fz"
TYPICAL = ROOT / "tests" / "data" / "corpus" / "t132.fz"
FIRST_LABEL = re.compile(r'(label\s*[:=]\s*")((?:[^"\\]|\\.)*)(")')
DOT_FILE = Path(__file__).resolve().parent / "event-driven.dot"


def generated(nodes: int, lanes: int = 8) -> str:
    """A process of ``nodes`` steps over ``lanes`` lanes: chains with decisions and hops."""
    per_lane = nodes // lanes
    out = []
    for li in range(lanes):
        out.append(f"L{li} {{ # Lane {li}")
        for k in range(per_lane):
            i = li * per_lane + k + 1
            shape = "diamond" if k % 7 == 3 else "circle" if k == 0 else "rectangle"
            out.append(f'n{i}: {shape} label:"Step {i} of the generated process"')
        for k in range(per_lane - 1):
            i = li * per_lane + k + 1
            label = ' [label="Yes"]' if k % 7 == 3 else ""
            out.append(f"n{i}.handle(right) -> n{i + 1}.handle(left){label}")
            if k % 7 == 3 and li + 1 < lanes:
                j = (li + 1) * per_lane + k + 2
                out.append(f'n{i}.handle(bottom) -> L{li + 1}.n{j}.handle(top) [label="No"]')
        out.append("}")
    return "\n".join(out) + "\n"


def median_time(func, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_cpu(func, runs: int) -> float:  # noqa: ANN001
    """Median CPU seconds (this process and its children): steadier than wall time on a busy
    machine, where other processes steal the cores."""
    times = []
    for _ in range(runs):
        before = _cpu()
        func()
        times.append(_cpu() - before)
    return statistics.median(times)


def _cpu() -> float:
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def typical_draw_cpu(runs: int) -> float:
    """Median CPU seconds to draw ``t132.fz`` as :meth:`flowzap_docs.pipeline.Renderer._draw` does
    (no cache): parse, ``draw_svg`` in English with a fixed id prefix, describe."""
    from flowzap_docs.render import draw_svg, gc_paused
    from flowzap_docs.svg.describe import describe

    source = TYPICAL.read_text("utf-8")
    pages = itertools.cycle([FIRST_LABEL.sub(lambda m, k=k: f"{m.group(1)}{m.group(2)} (page {k}){m.group(3)}",
                                             source, count=1) for k in range(200)])

    def draw() -> None:
        with gc_paused():
            diagram = parse(next(pages), filename="t132.fz")
            _svg, shown = draw_svg(diagram, lang="en", id_prefix="fzQcacheQprefix")
            describe(shown)

    for _ in range(20):
        draw()
    return median_cpu(draw, runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    typical = typical_draw_cpu(max(args.runs * 4, 100))
    print(f"flowzap pipeline-style draw of t132.fz (median corpus diagram): median CPU {typical * 1000:.2f} ms")

    source = EXAMPLE.read_text("utf-8")
    DOT_FILE.write_text(to_dot(parse(source)), "utf-8")
    render_svg(source)  # warm imports and caches
    ours = median_time(lambda: render_svg(source), args.runs)
    svg = render_svg(source)
    print(f"flowzap render_svg(event-driven.fz): median {ours * 1000:.2f} ms, {len(svg.encode())} bytes")
    for view in ("sequence", "architecture"):  # the other views, same diagram (bench/views.py: details)
        render_svg(source, view=view)
        t_view = median_time(lambda view=view: render_svg(source, view=view), args.runs)
        print(f"flowzap render_svg(event-driven.fz, view={view!r}): median {t_view * 1000:.2f} ms")

    dot = shutil.which("dot")
    if dot:
        dot_svg = subprocess.run([dot, "-Tsvg", str(DOT_FILE)], capture_output=True, check=True).stdout

        def run_dot() -> None:
            subprocess.run([dot, "-Tsvg", str(DOT_FILE)], capture_output=True, check=True)

        theirs = median_time(run_dot, max(args.runs // 2, 5))
        print(f"graphviz dot -Tsvg (same graph): median {theirs * 1000:.2f} ms, {len(dot_svg)} bytes")
        print(f"ratio ours/dot: time {ours / theirs:.3f} (goal <= 0.25), size {len(svg.encode()) / len(dot_svg):.3f} "
              "(goal < 1)")
        ours_cpu = median_cpu(lambda: render_svg(source), args.runs)
        theirs_cpu = median_cpu(run_dot, max(args.runs // 2, 5))
        print(f"CPU time (robust to a busy machine): ours {ours_cpu * 1000:.2f} ms, dot {theirs_cpu * 1000:.2f} ms, "
              f"ratio {ours_cpu / theirs_cpu:.3f}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    else:
        print("graphviz dot not installed: no comparison")

    if args.profile:
        diagram = parse(source)
        lay = layout_workflow(diagram)
        t_parse = median_time(lambda: parse(source), args.runs)
        t_layout = median_time(lambda: layout_workflow(diagram), args.runs)
        t_svg = median_time(lambda: draw_workflow(diagram, lay, id_prefix="fz-bench"), args.runs)
        print(f"  parse {t_parse * 1000:.2f} ms, layout {t_layout * 1000:.2f} ms, svg {t_svg * 1000:.2f} ms")

    sizes = {}
    for n in (400, 1600):
        text = generated(n)
        diagram = parse(text)
        runs = 5
        sizes[n] = median_time(lambda text=text: render_svg(text), runs)
        lay = layout_workflow(diagram)
        t_svg = median_time(lambda d=diagram, lay=lay: draw_workflow(d, lay, id_prefix="fz-bench"), runs)
        print(f"generated {n} nodes: render_svg {sizes[n]:.3f} s (svg writing {t_svg:.3f} s)")
    print(f"scale t(1600)/t(400): {sizes[1600] / sizes[400]:.2f} (goal <= 5.5), t(1600) {sizes[1600]:.2f} s (goal < 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
