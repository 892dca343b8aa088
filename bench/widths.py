"""Natural size of every workflow drawing, and render time, before and after a layout change.

    .venv/bin/python bench/widths.py [--ref DIR] [--rounds 7] [--record FILE]

``DIR`` is a checkout of the reference (e.g. ``git worktree add --detach /tmp/widthref main``);
both trees draw this tree's ``tests/data`` examples and corpus, each in its own process (the
reference through ``PYTHONPATH``, with this venv's packages).  Reports each example's natural
width x height before and after, the corpus's total and median width, and the median CPU time of
rendering every example and corpus diagram once, measured in rounds that alternate the two trees
(the machine is shared: only a baseline from the same run compares).  Goal: event-driven.fz
at least 30 % narrower, render time not over ~10 % slower.

Without ``--ref`` the "before" sizes come from the most recent ``bench/results/*widths*.json``
(render time then has no baseline).  ``--record`` writes the numbers there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from flowzap_docs.files import write_atomic  # noqa: E402  (the one atomic writer)

#: Run in a child process whose ``PYTHONPATH`` selects the tree: prints {name: [w, h]} or the
#: CPU seconds of ``repeat`` renders of every diagram.
WORKER = r"""
import gc, json, sys, time
from pathlib import Path
from flowzap_docs.parser import parse
from flowzap_docs.render import render_svg
from flowzap_docs.views.workflow.layout import layout_workflow
mode, data, repeat = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
files = sorted((data / "examples").glob("*.fz")) + sorted((data / "corpus").glob("*.fz"))
sources = {f"{p.parent.name}/{p.name}": p.read_text("utf-8") for p in files}
if mode == "sizes":
    out = {}
    for name, text in sources.items():
        lay = layout_workflow(parse(text))
        out[name] = [lay.width, lay.height]
    print(json.dumps(out))
else:
    for text in sources.values():  # warm imports and caches
        render_svg(text)
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        for text in sources.values():
            render_svg(text)
        times.append(time.process_time() - start)
    print(json.dumps(sorted(times)[len(times) // 2]))
"""


def run_worker(tree: Path, mode: str, repeat: int = 1) -> object:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, "-c", WORKER, mode, str(DATA), str(repeat)], env=env, cwd=tree,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def recorded_before() -> tuple[dict[str, list[float]], str]:
    """The "before" sizes of the latest recorded widths file, and its name."""
    files = sorted(RESULTS.glob("*widths*.json"))
    if not files:
        raise SystemExit("no recorded widths in bench/results: pass --ref DIR")
    data = json.loads(files[-1].read_text("utf-8"))
    return {name: sizes["before"] for name, sizes in data["diagrams"].items()}, files[-1].name


def summary(sizes: dict[str, list[float]]) -> tuple[float, float]:
    widths = [w for name, (w, _h) in sizes.items() if name.startswith("corpus/")]
    return sum(widths), statistics.median(widths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", type=Path, help="a checkout of the reference tree (e.g. main)")
    parser.add_argument("--rounds", type=int, default=7, help="alternating timing rounds per tree")
    parser.add_argument("--repeat", type=int, default=5, help="renders of the whole set per round")
    parser.add_argument("--record", type=Path, help="write the numbers to this JSON file")
    args = parser.parse_args()

    after = run_worker(ROOT, "sizes")
    if args.ref:
        before, source = run_worker(args.ref.resolve(), "sizes"), f"measured in {args.ref}"
    else:
        before, source = recorded_before()
    assert isinstance(before, dict) and isinstance(after, dict)
    print(f"natural size, before ({source}) -> after (this tree):")
    for name in sorted(after):
        if name.startswith("examples/"):
            (bw, bh), (aw, ah) = before[name], after[name]
            print(f"  {name:32} {bw:7.0f} x {bh:4.0f}  ->  {aw:7.0f} x {ah:4.0f}   width {aw / bw - 1:+.1%}")
    (bt, bm), (at, am) = summary(before), summary(after)
    print(f"  corpus ({sum(n.startswith('corpus/') for n in after)} diagrams): total width {bt:.0f} -> {at:.0f} "
          f"({at / bt - 1:+.1%}), median {bm:.0f} -> {am:.0f} ({am / bm - 1:+.1%})")

    timing: dict[str, float] = {}
    if args.ref:
        rounds: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(args.rounds):  # interleaved: both trees see the same load
            rounds["before"].append(float(run_worker(args.ref.resolve(), "time", args.repeat)))  # type: ignore[arg-type]
            rounds["after"].append(float(run_worker(ROOT, "time", args.repeat)))  # type: ignore[arg-type]
        timing = {k: statistics.median(v) for k, v in rounds.items()}
        print(f"render every example and corpus diagram once, median CPU: before {timing['before'] * 1000:.1f} ms, "
              f"after {timing['after'] * 1000:.1f} ms ({timing['after'] / timing['before'] - 1:+.1%}; "
              f"goal <= +10 %); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    else:
        print(f"render time: after {float(run_worker(ROOT, 'time', args.repeat)) * 1000:.1f} ms "  # type: ignore[arg-type]
              "(no baseline without --ref)")

    if args.record:
        record(args.record, before, after, timing)
    return 0


def record(path: Path, before: dict, after: dict, timing: dict[str, float]) -> None:
    """Write the per-diagram sizes and a summary in the shape ``tools/build_docs.py`` tabulates."""
    event = "examples/event-driven.fz"
    (bt, bm), (at, am) = summary(before), summary(after)
    rows = [
        {"what": "natural width x height of event-driven.fz", "ours": f"{after[event][0]:.0f} x {after[event][1]:.0f} px",
         "other": f"before: {before[event][0]:.0f} x {before[event][1]:.0f} px",
         "note": f"bench/widths.py; width {after[event][0] / before[event][0] - 1:+.1%} (goal <= -30 %)"},
        {"what": "corpus total / median width", "ours": f"{at:.0f} / {am:.0f} px", "other": f"before: {bt:.0f} / {bm:.0f} px",
         "note": "bench/widths.py"},
    ]
    if timing:
        rows.append({"what": "render every example and corpus diagram, CPU median", "ours": f"{timing['after'] * 1000:.1f} ms",
                     "other": f"before: {timing['before'] * 1000:.1f} ms",
                     "note": f"bench/widths.py; {timing['after'] / timing['before'] - 1:+.1%} (goal <= +10 %)"})
    data = {
        "benchmark": f"{datetime.now(UTC):%Y-%m-%d}, compact workflow layout (widths before/after)",
        "rows": rows,
        "diagrams": {name: {"before": before[name], "after": after[name]} for name in sorted(after)},
    }
    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))
    print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
