"""What the folder rule and the safe reader cost per diagram file a page names.

Before: the adapters opened the path and read it (``open(path, "rb").read().decode()``).  Now:
:func:`flowzap_docs.sources.read_page_file` resolves the real path, checks it against the
site's folders, ``stat``s, opens without blocking, ``fstat``s and reads.  Both are timed here on
the same small ``.fz`` file, interleaved (A, B, A, B, ...) so the shared machine's noise hits
both alike; CPU time (``time.process_time``) over many reads, medians of the rounds.

Run: ``.venv/bin/python bench/sources.py [--rounds 15] [--reads 2000]``.  Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flowzap_docs.sources import AllowedFolders, read_page_file

DIAGRAM = 'Team { # Team\nn1: circle label:"Start"\nn2: rectangle label:"Work"\nn1.handle(right) -> n2.handle(left)\n}\n'


def plain(path: Path) -> str:
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = root / "project" / "docs" / "guide"
        docs.mkdir(parents=True)
        path = docs / "flow.fz"
        path.write_text(DIAGRAM * 20, encoding="utf-8")  # ~2.6 KB, a typical diagram
        allowed = AllowedFolders.of([root / "project" / "docs", root / "project"])
        times: dict[str, list[float]] = {"open+read": [], "read_page_file": []}
        for _ in range(args.rounds):
            for name in times:
                start = time.process_time()
                for _ in range(args.reads):
                    if name == "open+read":
                        plain(path)
                    else:
                        read_page_file(path, allowed, named_as='src="flow.fz"', shown_from=root / "project")
                times[name].append((time.process_time() - start) / args.reads * 1e6)
        for name, values in times.items():
            print(f"{name:>15}: median {statistics.median(values):6.1f} us per file "
                  f"(min {min(values):.1f}, max {max(values):.1f}, {args.rounds} rounds x {args.reads})")


if __name__ == "__main__":
    main()
