"""Every example and corpus diagram, drawn and measured in headless Chromium on the real fonts.

All diagrams go into one page and are measured in one call (see ``browser/quality.py``), so the
whole check takes a few seconds.  Hard defects must be zero.  Crossings, bends and edge labels
that another connector runs through are recorded per diagram in
``build/quality/workflow-metrics.json``; ``tests/data/render_metrics.json`` holds the accepted
values, and a diagram that gets more of any of them than that fails (run with
``FLOWZAP_UPDATE_METRICS=1`` to accept new values after looking at the gallery).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from browser.chromium import chromium, show_svgs  # noqa: F401  (pytest fixture)
from browser.quality import measure
from svg_handmade import diagram, layout

from flowzap_docs.layout.geometry import Point, Rect
from flowzap_docs.parser import parse
from flowzap_docs.render import render_svg
from flowzap_docs.views.workflow.draw import draw_workflow
from flowzap_docs.views.workflow.geometry import WorkflowLayout

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))
BASELINE = DATA / "render_metrics.json"
REPORT = ROOT / "build" / "quality" / "workflow-metrics.json"

pytestmark = pytest.mark.browser


def name_of(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def crossings_and_bends(lay: WorkflowLayout) -> tuple[int, int]:
    """Proper crossings between connectors (segment pairs of different edges) and bends."""
    try:
        from flowzap_docs.views.workflow.layout.metrics import quality  # the layout engine's own numbers, when present
    except ImportError:
        pass
    else:
        q = quality(lay)
        return int(q.crossings), int(q.bends)
    segments = []
    bends = 0
    for k, edge in enumerate(lay.edges):
        pts = edge.points
        bends += max(len(pts) - 2, 0)
        segments.extend((k, a, b) for a, b in zip(pts, pts[1:], strict=False))
    crossings = 0
    for i, (ka, a1, a2) in enumerate(segments):
        for kb, b1, b2 in segments[i + 1:]:
            if ka != kb and _cross(a1, a2, b1, b2):
                crossings += 1
    return crossings, bends


def _cross(a1: Point, a2: Point, b1: Point, b2: Point) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)

    d1, d2 = orient(b1, b2, a1), orient(b1, b2, a2)
    d3, d4 = orient(a1, a2, b1), orient(a1, a2, b2)
    return d1 * d2 < 0 and d3 * d4 < 0


@pytest.fixture(scope="module")
def measured(chromium: Any) -> dict[str, dict[str, Any]]:  # noqa: F811
    from flowzap_docs.views.workflow.layout import layout_workflow

    svgs: dict[str, str] = {}
    extra: dict[str, tuple[int, int]] = {}
    for path in FILES:
        d = parse(path.read_text("utf-8"), filename=str(path))
        svgs[name_of(path)] = render_svg(d)
        extra[name_of(path)] = crossings_and_bends(layout_workflow(d))
    context = chromium.new_context()
    try:
        page = context.new_page()
        show_svgs(page, svgs)
        results = measure(page)
    finally:
        context.close()
    for name, (crossings, bends) in extra.items():
        results[name]["crossings"] = crossings
        results[name]["route_bends"] = bends
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    tmp = REPORT.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, REPORT)
    if os.environ.get("FLOWZAP_UPDATE_METRICS"):
        keep = {k: {"crossings": r["crossings"], "bends": r["route_bends"], "struck_labels": r["struck_labels"]}
                for k, r in sorted(results.items())}
        tmp = BASELINE.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(keep, indent=1, sort_keys=True) + "\n", "utf-8")
        os.replace(tmp, BASELINE)
    return results


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_drawing_has_no_hard_defects(measured: dict[str, dict[str, Any]], path: Path) -> None:
    result = measured[name_of(path)]
    assert result["nodes"] > 0
    assert result["violations"] == []


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_crossings_and_bends_do_not_regress(measured: dict[str, dict[str, Any]], path: Path) -> None:
    if not BASELINE.exists():
        pytest.skip("no accepted metrics yet (FLOWZAP_UPDATE_METRICS=1 writes them)")
    accepted = json.loads(BASELINE.read_text("utf-8")).get(name_of(path))
    if accepted is None:
        pytest.skip("diagram not in the accepted metrics")
    result = measured[name_of(path)]
    assert result["crossings"] <= accepted["crossings"], "more crossings than accepted"
    assert result["route_bends"] <= accepted["bends"], "more bends than accepted"
    assert result["struck_labels"] <= accepted.get("struck_labels", 0), "more edge labels crossed by lines than accepted"


def test_the_checker_finds_planted_defects(chromium: Any) -> None:  # noqa: F811
    """The measurements can fail: a layout with every defect planted is caught on each."""
    lay = layout()
    n1, n2, n3, n4, n5 = lay.nodes
    e1, e2, e3, e4, e5 = lay.edges
    bad = WorkflowLayout(
        lay.width, lay.height, lay.lanes,
        (
            n1,
            n2.__class__(n2.node_id, n2.lane_id, n2.shape, Rect(300, 45, 150, 50), n2.texts),  # overlaps n3
            n3,
            n4.__class__(n4.node_id, n4.lane_id, n4.shape, Rect(560, 100, 150, 60), n4.texts),  # leaves its lane
            n5,
        ),
        (
            e1.__class__(e1.edge_id, e1.source, e1.target, "right", "left", (Point(180, 70), Point(300, 70))),
            e2.__class__(e2.edge_id, e2.source, e2.target, "right", "left", (Point(450, 70), Point(410, 70))),
            e3.__class__(e3.edge_id, e3.source, e3.target, "right", "left", (Point(160, 90), Point(160, 260),
                                                                                Point(560, 260))),
            e4.__class__(e4.edge_id, e4.source, e4.target, "bottom", "top", e4.points, e4.label,
                         Rect(440, 185, 30, 16)),  # label on the taskbox
            e5,
        ),
    )
    context = chromium.new_context()
    try:
        page = context.new_page()
        show_svgs(page, {"bad": draw_workflow(diagram(), bad, id_prefix="fz-bad"),
                         "good": draw_workflow(diagram(), lay, id_prefix="fz-good")})
        found = measure(page)
    finally:
        context.close()
    assert found["good"]["violations"] == []
    text = "\n".join(found["bad"]["violations"])
    assert "nodes n2 and n3 overlap" in text
    assert "n4 outside its lane Sales" in text
    assert "runs through node" in text
    assert "source end off the right side" in text or "source not perpendicular" in text
    assert "label on node n5" in text
    assert "text outside" in text
