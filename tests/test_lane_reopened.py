"""A lane id declared twice (real diagrams do it) is one lane holding both blocks' nodes, with
warning FZ214 at the second block: in the model, all three views, export, fmt and extraction."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowzap_docs import parse, render_svg
from flowzap_docs.fmt import format_source, semantic
from flowzap_docs.i18n import diagram_messages
from flowzap_docs.parser import analyse

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PATH = ROOT / "tests" / "data" / "lanes" / "reopened-lane.fz"
SOURCE = SOURCE_PATH.read_text(encoding="utf-8")
LE_NODES = ["n2", "n3", "n5", "n6"]  # first block n2 n3, second block n5 n6
LE_LABELS = ["Check policy", "Within limit?", "Book payment", "Done"]
SVG = "{http://www.w3.org/2000/svg}"


def flowzap(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowzap_docs", *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def groups(svg: str, css_class: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if css_class in (g.get("class") or "").split()]


def test_one_lane_with_both_blocks_nodes_in_text_order_and_the_first_display_name() -> None:
    diagram = parse(SOURCE)
    assert [lane.id for lane in diagram.lanes] == ["Customer", "LE", "Bank"]
    le = diagram.lanes[1]
    assert (le.title, le.line, le.column) == ("Legal entity", 7, 1)
    assert [n.id for n in diagram.nodes if n.lane == "LE"] == LE_NODES
    assert [e.lane for e in diagram.edges] == ["Customer", "LE", "LE", "Bank", "LE"]
    [warning] = diagram.warnings
    assert (warning.code, warning.severity, warning.line, warning.column, warning.length) == ("FZ214", "warning", 19, 1, 2)
    assert "first on line 7" in warning.message and "'Finance team' is not used" in warning.message


@pytest.mark.parametrize("first, second, title", [
    ("LE {", "LE { # Finance team", "Finance team"),  # the first block has no display name: the second's
    ("LE {", "LE {\n  # Finance team", "Finance team"),  # ... also in the older `# Name` first-line form
    ("LE { # Legal entity", "LE {", "Legal entity"),
    ("LE { # Legal entity", "LE {\n  # Finance team", "Legal entity"),
])
def test_the_display_name_is_the_first_one_written(first: str, second: str, title: str) -> None:
    source = SOURCE.replace("LE { # Legal entity", first).replace("LE { # Finance team", second)
    diagram = parse(source)
    assert [lane.title for lane in diagram.lanes if lane.id == "LE"] == [title]
    codes = [d.code for d in diagram.warnings]
    assert codes.count("FZ214") == 1 and "FZ212" not in codes  # a second block's `# Name` line is its name


def test_a_lane_opened_inside_itself_is_still_an_error() -> None:
    source = 'LE { # A\n  LE { # B\n  }\n}\n'
    codes = [(d.code, d.line) for d in analyse(source).diagnostics]
    assert ("FZ114", 2) in codes and not any(code == "FZ214" for code, _ in codes)


def test_workflow_view_draws_the_lane_once_around_both_blocks_nodes() -> None:
    svg = render_svg(SOURCE, view="workflow")
    [lane] = [g for g in groups(svg, "fz-lane") if g.get("data-lane") == "LE"]
    assert "Legal entity" in text_of(lane) and "Finance team" not in svg
    box = next(r for r in lane.iter(f"{SVG}rect") if "fz-lane-box" in (r.get("class") or ""))
    top, bottom = float(box.get("y", 0)), float(box.get("y", 0)) + float(box.get("height", 0))
    nodes = {g.get("data-node"): g for g in groups(svg, "fz-node") if g.get("data-lane") == "LE"}
    assert sorted(nodes) == sorted(LE_NODES)
    for node_id, group in nodes.items():
        ys = [float(t.get("y", "nan")) for t in group.iter(f"{SVG}text") if t.get("y")]
        assert ys and all(top <= y <= bottom for y in ys), (node_id, ys, top, bottom)


def test_sequence_view_has_one_participant_for_both_blocks() -> None:
    svg = render_svg(SOURCE, view="sequence")
    assert [g.get("data-lane") for g in groups(svg, "fz-participant")] == ["Customer", "LE", "Bank"]
    messages = {g.get("data-edge"): (g.get("data-from-lane"), g.get("data-to-lane")) for g in groups(svg, "fz-message")}
    assert messages["e2"] == ("LE", "LE") and messages["e5"] == ("LE", "LE")  # one from each block
    assert "Finance team" not in svg


def test_architecture_view_has_one_component_listing_both_blocks_nodes() -> None:
    svg = render_svg(SOURCE, view="architecture")
    [component] = [g for g in groups(svg, "fz-component") if g.get("data-lane") == "LE"]
    texts = [text_of(t) for t in component.iter(f"{SVG}text")]
    assert texts[0] == "Legal entity"
    assert [t for t in texts if t in LE_LABELS] == LE_LABELS
    assert "Finance team" not in svg


def test_export_lists_the_lane_once_with_all_its_nodes() -> None:
    result = flowzap("export", str(SOURCE_PATH))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(lane["id"], lane["label"]) for lane in data["lanes"]] == [
        ("Customer", "Customer"), ("LE", "Legal entity"), ("Bank", "Bank")]
    assert [n["id"] for n in data["nodes"] if n["laneId"] == "LE"] == LE_NODES
    assert data["stats"]["lanes"] == 3


def test_fmt_keeps_the_two_blocks_and_round_trips() -> None:
    """fmt keeps both blocks where they are: merging would move the second block's nodes and
    edges before the lanes written between the blocks, changing node order and edge ids."""
    result = flowzap("fmt", "-", stdin=SOURCE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("LE { # ") == 2 and "LE { # Finance team" in result.stdout
    assert semantic(parse(result.stdout)) == semantic(parse(SOURCE))
    assert format_source(result.stdout) == result.stdout
    older = SOURCE.replace("LE { # Finance team", "LE {\n  # Finance team")
    assert format_source(older) == result.stdout


def test_translators_see_the_lane_name_once() -> None:
    texts = [m.text for m in diagram_messages(parse(SOURCE))]
    assert texts.count("Legal entity") == 1 and "Finance team" not in texts
