"""Crossings and bends per diagram, recorded so that a regression shows.

``tests/data/layout_quality.json`` holds the numbers of the current engine.  A change that
adds a crossing or a bend to any example or corpus diagram fails here; a change that removes
some should record the better numbers::

    .venv/bin/python tests/test_layout_quality.py --update [--force]

(``--force`` also records numbers that got worse, for a deliberate trade-off.)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from flowzap_docs.parser import parse
from flowzap_docs.views.workflow.layout import layout_workflow
from flowzap_docs.views.workflow.layout.metrics import quality

DATA = Path(__file__).parent / "data"
BASELINE = DATA / "layout_quality.json"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))


def _key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def measure(path: Path) -> dict[str, int]:
    q = quality(layout_workflow(parse(path.read_text(encoding="utf-8"))))
    return {"crossings": q.crossings, "bends": q.bends}


def _baseline() -> dict[str, dict[str, int]]:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_more_crossings_or_bends_than_recorded(path: Path) -> None:
    recorded = _baseline()[_key(path)]
    now = measure(path)
    assert now["crossings"] <= recorded["crossings"], f"{path.name}: crossings {recorded} -> {now}"
    assert now["bends"] <= recorded["bends"], f"{path.name}: bends {recorded} -> {now}"


def test_every_diagram_has_a_recorded_baseline() -> None:
    assert sorted(_baseline()) == sorted(_key(p) for p in FILES)


def test_corpus_crossings_in_total_stay_within_the_recorded_total() -> None:
    """However the layout trades one diagram against another, the corpus as a whole may not
    get more crossings than the recorded numbers add up to."""
    corpus = [p for p in FILES if p.parent.name == "corpus"]
    recorded = _baseline()
    assert sum(measure(p)["crossings"] for p in corpus) <= sum(recorded[_key(p)]["crossings"] for p in corpus)


def test_the_examples_stay_nearly_crossing_free() -> None:
    examples = [p for p in FILES if p.parent.name == "examples"]
    assert sum(measure(p)["crossings"] for p in examples) <= 4


def update(force: bool = False) -> None:
    """Record the current numbers.  Without ``force`` a diagram that got worse keeps its old
    numbers (and is listed), so an update can never hide a regression by accident."""
    old = _baseline() if BASELINE.exists() else {}
    table = {}
    for path in FILES:
        key, now = _key(path), measure(path)
        before = old.get(key)
        if before and not force and (now["crossings"] > before["crossings"] or now["bends"] > before["bends"]):
            print(f"worse, not recorded: {key} {before} -> {now}")
            now = before
        table[key] = now
    fd, tmp = tempfile.mkstemp(dir=BASELINE.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(table, handle, indent=1, sort_keys=True)
        handle.write("\n")
    os.replace(tmp, BASELINE)
    total = {k: sum(v[k] for v in table.values()) for k in ("crossings", "bends")}
    print(f"recorded {len(table)} diagrams: {total}")


if __name__ == "__main__":
    if "--update" in sys.argv:
        update(force="--force" in sys.argv)
