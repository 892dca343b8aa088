"""Drawing speed of the three views on the same diagrams (run on demand, not a test).

    .venv/bin/python bench/views.py [--runs 50]

Reports the median in-process ``render_svg`` time (parse + layout + SVG) of ``event-driven.fz``
in every view, with the split layout / SVG writing for the sequence and architecture views,
and the time of a generated 400- and 1,600-node diagram per view.  Goal: the sequence and
architecture views are no slower than the workflow view.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flowzap_docs.parser import parse  # noqa: E402
from flowzap_docs.render import render_svg  # noqa: E402
from flowzap_docs.views.architecture.draw import draw_architecture  # noqa: E402
from flowzap_docs.views.architecture.layout import layout_architecture  # noqa: E402
from flowzap_docs.views.sequence.draw import draw_sequence  # noqa: E402
from flowzap_docs.views.sequence.layout import layout_sequence  # noqa: E402

EXAMPLE = ROOT / "tests" / "data" / "examples" / "event-driven.fz"
VIEWS = ("workflow", "sequence", "architecture")


def generated(nodes: int, lanes: int = 8) -> str:
    """``nodes`` steps over ``lanes`` lanes: chains, decisions, hops to the next lane and answers."""
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
            out.append(f"n{i}.handle(right) -> n{i + 1}.handle(left)")
            if k % 7 == 3 and li + 1 < lanes:
                j = (li + 1) * per_lane + k + 2
                out.append(f'n{i}.handle(bottom) -> L{li + 1}.n{j}.handle(top) [label="No"]')
                out.append(f'L{li + 1}.n{j}.handle(top) -> n{i + 1}.handle(bottom) [label="Done"]')
        out.append("}")
    return "\n".join(out) + "\n"


def median_time(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    source = EXAMPLE.read_text("utf-8")
    diagram = parse(source)
    for view in VIEWS:
        render_svg(source, view=view)  # warm imports
        t = median_time(lambda view=view: render_svg(source, view=view), args.runs)
        size = len(render_svg(source, view=view).encode())
        drawn = median_time(lambda view=view: render_svg(diagram, view=view), args.runs)
        print(f"event-driven.fz {view:>12}: median {t * 1000:.2f} ms (parse + layout + SVG), "
              f"{drawn * 1000:.2f} ms from a parsed diagram, {size} bytes")
    seq = layout_sequence(diagram)
    arch = layout_architecture(diagram)
    parts = {
        "sequence layout": lambda: layout_sequence(diagram),
        "sequence svg": lambda: draw_sequence(diagram, seq, id_prefix="fz-bench"),
        "architecture layout": lambda: layout_architecture(diagram),
        "architecture svg": lambda: draw_architecture(diagram, arch, id_prefix="fz-bench"),
    }
    print("  " + ", ".join(f"{name} {median_time(f, args.runs) * 1000:.2f} ms" for name, f in parts.items()))
    for n in (400, 1600):
        text = generated(n)
        times = {view: median_time(lambda text=text, view=view: render_svg(text, view=view), 3) for view in VIEWS}
        print(f"generated {n} nodes: " + ", ".join(f"{v} {t:.3f} s" for v, t in times.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
