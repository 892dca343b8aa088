"""Layout speed: event-driven.fz and generated diagrams of growing size.

    .venv/bin/python bench/layout.py [--repeat N]

Prints the median (and best) layout time of ``event-driven.fz`` and of generated diagrams
with 100, 400 and 1,600 nodes, and t(1600)/t(400) (goal: under 2 s and <= 5.5).  The generator
mixes what real diagrams do: chains in each lane, hops to the next lane, decisions with a
``bottom`` branch, backward ``left`` edges and labels.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flowzap_docs.parser import parse  # noqa: E402
from flowzap_docs.views.workflow.layout import layout_workflow  # noqa: E402


def generate(nodes: int, per_lane: int = 40) -> str:
    """FlowZap Code with ``nodes`` nodes in lanes of ``per_lane`` nodes."""
    lanes = max(1, nodes // per_lane)
    out: list[str] = []
    k = 0
    for lane in range(lanes):
        out.append(f"L{lane} {{ # Lane number {lane}")
        first = k + 1
        for j in range(per_lane):
            k += 1
            shape = "diamond" if j % 7 == 3 else ("circle" if j in (0, per_lane - 1) else "rectangle")
            out.append(f'n{k}: {shape} label:"Step {k} of the generated process"')
        for j in range(first, k):
            if (j - first) % 7 == 3:
                out.append(f'n{j}.handle(right) -> n{j + 1}.handle(left) [label="yes"]')
                if j + 2 <= k:
                    out.append(f'n{j}.handle(bottom) -> n{j + 2}.handle(top) [label="no"]')
            else:
                out.append(f"n{j}.handle(right) -> n{j + 1}.handle(left)")
            if (j - first) % 11 == 5 and lane + 1 < lanes:
                out.append(f"n{j}.handle(bottom) -> L{lane + 1}.n{j + per_lane + 1}.handle(top)")
            if (j - first) % 13 == 9 and j - 4 >= first:
                out.append(f'n{j}.handle(left) -> n{j - 4}.handle(right) [label="retry"]')
        out.append("}")
    return "\n".join(out) + "\n"


def timed(diagram: object, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (the latter is robust to a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        layout_workflow(diagram)  # type: ignore[arg-type]
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = (ROOT / "tests" / "data" / "examples" / "event-driven.fz").read_text(encoding="utf-8")
    diagram = parse(source)
    layout_workflow(diagram)
    median, cpu = timed(diagram, max(args.repeat, 50))
    print(f"event-driven.fz: median {median * 1000:.2f} ms (CPU {cpu * 1000:.2f} ms)")
    wall: dict[int, float] = {}
    cpus: dict[int, float] = {}
    for size in (100, 400, 1600):
        generated = parse(generate(size))
        wall[size], cpus[size] = timed(generated, args.repeat)
        print(f"{size:5d} nodes: median {wall[size] * 1000:.1f} ms (CPU {cpus[size] * 1000:.1f} ms)")
    print(f"t(1600)/t(400) = {wall[1600] / wall[400]:.2f} (CPU {cpus[1600] / cpus[400]:.2f}); goal <= 5.5, t(1600) < 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
