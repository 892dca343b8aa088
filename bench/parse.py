"""Parser speed and memory: event-driven.fz and generated diagrams of 2,500 to 10,000 lines.

    .venv/bin/python bench/parse.py [--repeat N] [--compare]

Prints, for each input, the median wall time and median CPU time of :func:`parse` (the
machine may be shared: CPU time is the steadier figure), and the peak memory traced during
one parse.  Goals: event-driven.fz <= 1 ms, 10,000 lines <= 0.5 s, growth linear (each
doubling of the input about doubles the time).  The generator writes what real diagrams
contain: lanes of 40 nodes, chains with labels, decisions, hops to the next lane with a lane
prefix, two-space indentation and a loop per lane.

``--compare`` measures what the fast path (``flowzap_docs/grammar/fastpath.py``, the one place
that reads lark's internals) saves over lark's public ``Lark.parse``: both, interleaved, on
event-driven.fz and 10,000 lines.  It is kept only while it saves more than 0.3 ms on
event-driven.fz; re-run this after a lark upgrade.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flowzap_docs import parser as parser_module  # noqa: E402
from flowzap_docs.grammar.fastpath import FileDriver  # noqa: E402
from flowzap_docs.parser import fast_path, get_lark, parse  # noqa: E402


def generate(lines: int, per_lane: int = 40) -> str:
    """A valid diagram of exactly ``lines`` lines (give or take a closing brace)."""
    out: list[str] = []
    k = 0
    lane = 0
    while len(out) < lines - 2:
        out.append(f"L{lane} {{ # Lane number {lane}")
        first = k + 1
        room = max(4, min(per_lane, (lines - len(out) - 4) // 2))
        for j in range(room):
            k += 1
            shape = "diamond" if j % 7 == 3 else ("circle" if j in (0, room - 1) else "rectangle")
            out.append(f'  n{k}: {shape} label:"Step {k} of the generated process"')
        for j in range(first, k):
            label = ' [label="yes"]' if (j - first) % 7 == 3 else ""
            out.append(f"  n{j}.handle(right) -> n{j + 1}.handle(left){label}")
        if lane:
            out.append(f'  n{first}.handle(top) -> L{lane - 1}.n{first - 1}.handle(bottom) [label="back"]')
        out.append(f"  loop [retry step {first}] n{first + 1} n{first + 2}")
        out.append("}")
        lane += 1
    return "\n".join(out) + "\n"


def measure(text: str, repeat: int) -> tuple[float, float, float, float]:
    """(median wall s, median CPU s, best CPU s, peak traced MiB) for parsing ``text``.

    The best run is printed too: on a shared machine it is the closest figure to the cost of
    the code itself (other processes only ever add time)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        parse(text)
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    tracemalloc.start()
    parse(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(walls), statistics.median(cpus), min(cpus), peak / 2**20


def compare(example: str, repeat: int) -> None:
    """Median CPU time per parse with the fast path and with lark's public parser, interleaved
    (alternating which goes first), so that machine load falls on both alike."""
    fast, public = fast_path(), FileDriver(None)  # an inactive driver: scan() uses Lark.parse
    for name, text, rounds in (("event-driven.fz", example, repeat or 400), ("10,000 lines", generate(10_000), 15)):
        times: dict[str, list[float]] = {"fast path": [], "Lark.parse": []}
        for r in range(rounds):
            for label in (("fast path", "Lark.parse") if r % 2 else ("Lark.parse", "fast path")):
                parser_module._DRIVER = fast if label == "fast path" else public
                c = time.process_time()
                parse(text)
                times[label].append(time.process_time() - c)
        parser_module._DRIVER = fast
        f, p = (statistics.median(times[k]) * 1e3 for k in ("fast path", "Lark.parse"))
        print(f"{name:<18} fast path {f:9.3f} ms   Lark.parse {p:9.3f} ms   saved {p - f:8.3f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=0, help="runs per input (default: 500 small, 7 large)")
    ap.add_argument("--compare", action="store_true", help="fast path against lark's public parser")
    args = ap.parse_args()
    get_lark()  # built once per process; not part of a parse
    example = (ROOT / "tests" / "data" / "examples" / "event-driven.fz").read_text(encoding="utf-8")
    if args.compare:
        compare(example, args.repeat)
        return 0
    rows = [("event-driven.fz", example, args.repeat or 500)]
    for n in (2_500, 5_000, 10_000):
        rows.append((f"generated {n:,} lines", generate(n), args.repeat or 7))
    print(f"{'input':<26}{'lines':>8}{'wall median':>14}{'CPU median':>14}{'CPU best':>14}{'peak memory':>14}")
    cpu: dict[str, float] = {}
    for name, text, repeat in rows:
        wall, c, best, peak = measure(text, repeat)
        cpu[name] = c
        scale, unit = (1e3, "ms")
        print(f"{name:<26}{text.count(chr(10)):>8}{wall * scale:>11.3f} {unit}{c * scale:>11.3f} {unit}"
              f"{best * scale:>11.3f} {unit}{peak:>10.2f} MiB")
    g = [cpu[f"generated {n:,} lines"] for n in (2_500, 5_000, 10_000)]
    print(f"growth: t(5,000)/t(2,500) = {g[1] / g[0]:.2f}, t(10,000)/t(5,000) = {g[2] / g[1]:.2f} (linear: 2.0)")
    ok_small = cpu["event-driven.fz"] <= 1e-3
    ok_large = g[2] <= 0.5
    print(f"goals: event-driven <= 1 ms: {'yes' if ok_small else 'NO'}; 10,000 lines <= 0.5 s: "
          f"{'yes' if ok_large else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
