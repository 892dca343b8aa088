"""The workflow SVG writer on a hand-placed layout: the contract, ids, text, paths, themes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from svg_handmade import diagram, layout, text

from flowzap_docs.diagnostics import FlowZapError
from flowzap_docs.layout.geometry import Point
from flowzap_docs.svg.document import esc, for_export, num
from flowzap_docs.svg.paths import rounded_path
from flowzap_docs.svg.theme import THEMES, css, get_theme, static_css
from flowzap_docs.views.workflow.draw import draw_workflow

NS = "{http://www.w3.org/2000/svg}"


def draw(**kwargs: object) -> str:
    return draw_workflow(diagram(), layout(), id_prefix=kwargs.pop("id_prefix", "fz-t"), **kwargs)  # type: ignore[arg-type]


def tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_root_element_carries_the_contract_attributes() -> None:
    root = tree(draw())
    assert root.tag == NS + "svg"
    assert root.get("class") == "flowzap"
    assert root.get("data-view") == "workflow"
    assert root.get("viewBox") == "0 0 760 300"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "fz-t-t fz-t-d"
    assert "Liberation Sans, Arial, Helvetica, sans-serif" == root.get("font-family")


def test_title_and_desc_are_referenced_by_aria_labelledby() -> None:
    root = tree(draw())
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    for ref in root.get("aria-labelledby", "").split():
        assert ref in ids
    assert ids["fz-t-t"].tag == NS + "title" and ids["fz-t-t"].text
    assert ids["fz-t-d"].tag == NS + "desc" and "Decision 'OK?'" in ids["fz-t-d"].text


def test_every_id_starts_with_the_prefix() -> None:
    root = tree(draw(id_prefix="fz-abc"))
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert ids and all(i.startswith("fz-abc") for i in ids)
    assert len(ids) == len(set(ids))


def test_lanes_nodes_edges_and_loops_have_their_groups() -> None:
    root = tree(draw())
    groups = list(root.iter(NS + "g"))
    lanes = [g for g in groups if g.get("class") == "fz-lane"]
    assert [g.get("data-lane") for g in lanes] == ["Sales", "Ops"]
    assert all(any(c.get("class") == "fz-lane-box" for c in g) for g in lanes)
    nodes = [g for g in groups if g.get("class") == "fz-node"]
    assert {(g.get("data-node"), g.get("data-shape"), g.get("data-lane")) for g in nodes} == {
        ("n1", "circle", "Sales"), ("n2", "rectangle", "Sales"), ("n3", "diamond", "Sales"),
        ("n4", "rectangle", "Sales"), ("n5", "taskbox", "Ops"),
    }
    for g in nodes:
        assert sum(1 for c in g if c.get("class") == "fz-shape") == 1
        assert g.find(NS + "text") is not None
    edges = [g for g in groups if g.get("class") == "fz-edge"]
    assert len(edges) == 5
    for g in edges:
        assert g.get("data-from") and g.get("data-to")
        assert g.get("data-from-handle") in ("left", "right", "top", "bottom")
        assert g.get("data-to-handle") in ("left", "right", "top", "bottom")
        assert sum(1 for c in g if c.get("class") == "fz-edge-path") == 1
    labelled = [g for g in edges if any(c.get("class") == "fz-edge-label" for c in g)]
    assert {g.get("data-to") for g in labelled} == {"n4", "n5"}
    for g in labelled:
        label = next(c for c in g if c.get("class") == "fz-edge-label")
        assert [c.tag for c in label] == [NS + "rect", NS + "text"]  # background first, text on top
    loops = [g for g in groups if g.get("class") == "fz-loop"]
    assert len(loops) == 1 and "".join(loops[0].itertext()) == "loop [retry]"


def test_labelled_connectors_are_painted_last() -> None:
    root = tree(draw())
    order = [(g.get("data-from"), g.get("data-to")) for g in root.iter(NS + "g") if g.get("class") == "fz-edge"]
    assert order == [("n1", "n2"), ("n2", "n3"), ("n5", "n4"), ("n3", "n4"), ("n3", "n5")]


def test_text_is_escaped_and_multiline_uses_tspans() -> None:
    svg = draw()
    assert "Check &quot;stock&quot; &amp;" in svg or 'Check "stock" &amp;' in svg
    node = next(g for g in tree(svg).iter(NS + "g") if g.get("data-node") == "n2")
    label = node.find(NS + "text")
    assert label is not None
    assert "".join(label.itertext()) == 'Check "stock" &<price>'
    spans = label.findall(NS + "tspan")
    assert len(spans) == 1 and spans[0].get("x") == label.get("x") and spans[0].get("dy")


def test_rtl_text_gets_direction_rtl() -> None:
    node = next(g for g in tree(draw()).iter(NS + "g") if g.get("data-node") == "n4")
    assert node.find(NS + "text").get("direction") == "rtl"  # type: ignore[union-attr]


def test_control_characters_and_lone_surrogates_never_break_the_xml() -> None:
    d = diagram()
    lay = layout()
    bad = replace(lay.nodes[1], texts=(text("a\x00b\x1f\ud800c", 295, 70),))
    svg = draw_workflow(d, replace(lay, nodes=(lay.nodes[0], bad, *lay.nodes[2:])), id_prefix="fz-x")
    tree(svg)
    assert ">abc<" in svg


def test_coordinates_have_at_most_one_decimal() -> None:
    lay = layout()
    shifted = replace(lay, nodes=tuple(replace(n, box=replace(n.box, x=n.box.x + 0.123456)) for n in lay.nodes))
    svg = draw_workflow(diagram(), shifted, id_prefix="fz-x")
    assert not re.search(r"\d\.\d{2,}", svg.split("</style>")[1])


@pytest.mark.parametrize(("value", "expected"), [(1.0, "1"), (1.25, "1.2"), (-0.04, "0"), (12.96, "13"), (-3.5, "-3.5")])
def test_numbers_are_short(value: float, expected: str) -> None:
    assert num(value) == expected


def test_bends_are_rounded_and_radius_is_clipped() -> None:
    d = rounded_path((Point(0, 0), Point(100, 0), Point(100, 100)))
    assert d == "M0 0H92Q100 0 100 8V100"
    short = rounded_path((Point(0, 0), Point(6, 0), Point(6, 100)))
    assert short == "M0 0H3Q6 0 6 3V100"  # radius = half the 6 px segment


def test_straight_runs_and_repeated_points_collapse() -> None:
    assert rounded_path((Point(0, 0), Point(50, 0), Point(50, 0), Point(100, 0))) == "M0 0H100"


def test_no_scripts_or_external_references() -> None:
    svg = draw()
    assert "<script" not in svg and "href" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "@import" not in svg


def test_css_is_scoped_under_the_diagram_id() -> None:
    style = re.search(r"<style>(.*)</style>", draw(id_prefix="fz-scope")).group(1)  # type: ignore[union-attr]
    body = re.sub(r"@media[^{]*\{", "", style)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", body) for s in re.split(r",(?![^()]*\))", block)]
    assert selectors
    for sel in selectors:
        assert "#fz-scope" in sel, sel


def test_default_theme_follows_host_dark_modes_and_prints_in_mono() -> None:
    style = css(get_theme("default"), "fz-p")
    assert "@media (prefers-color-scheme:dark)" in style
    for host in ("[data-md-color-scheme=slate] #fz-p", "body[data-theme=dark] #fz-p", "html[data-theme=dark] #fz-p"):
        assert host in style
    assert "@media print{:where(#fz-p){" in style
    assert style.count("--fz-bg:") == 4  # light, system dark, host dark, print


def test_dark_and_mono_themes_do_not_switch_with_the_page() -> None:
    assert "prefers-color-scheme" not in css(get_theme("dark"), "p")
    mono = css(get_theme("mono"), "p")
    assert "prefers-color-scheme" not in mono and "--fz-edge:#000" in mono


def test_unknown_theme_is_a_flowzap_error_with_a_hint() -> None:
    with pytest.raises(FlowZapError) as info:
        get_theme("drak")
    diag = info.value.diagnostics[0]
    assert diag.code == "FZ302" and (diag.line, diag.column) == (1, 1)
    assert "dark" in (diag.hint or "")


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_theme_draws(name: str) -> None:
    tree(draw(theme=name))


def test_export_stylesheet_has_no_custom_properties_or_media() -> None:
    svg = for_export(draw())
    style = re.search(r"<style>(.*)</style>", svg).group(1)  # type: ignore[union-attr]
    assert "var(" not in style and "@media" not in style and "--fz-" not in style and "height:auto" not in style
    assert "#fz-t .fz-edge-path{fill:none;stroke:#475569" in style
    assert static_css("") == ""


def test_esc_keeps_plain_text() -> None:
    assert esc("plain") == "plain"
    assert esc("a<b&c>") == "a&lt;b&amp;c&gt;"


def test_same_input_gives_identical_output() -> None:
    assert draw() == draw()


def test_connector_ends_spread_along_a_diamond_side_touch_its_outline() -> None:
    lay = layout()
    e2 = replace(lay.edges[1], points=(Point(370, 60), Point(410, 60)))  # 10 px above the diamond's left vertex
    svg = draw_workflow(diagram(), replace(lay, edges=(lay.edges[0], e2, *lay.edges[2:])), id_prefix="fz-x")
    assert 'd="M370 60H423.3"' in svg  # x = 450 - 40 * (1 - 10/30)


def test_connector_ends_on_a_circle_touch_its_outline() -> None:
    lay = layout()
    e1 = replace(lay.edges[0], points=(Point(180, 82), Point(220, 82)))  # 12 px below the circle's right point
    svg = draw_workflow(diagram(), replace(lay, edges=(e1, *lay.edges[1:])), id_prefix="fz-x")
    assert 'd="M176 82H220"' in svg  # x = 160 + sqrt(20² - 12²)


def test_crowded_arrow_ends_get_the_small_arrowhead() -> None:
    lay = layout()
    e1 = replace(lay.edges[0], points=(Point(180, 66), Point(220, 66)))
    e2 = replace(lay.edges[1], target="n2", points=(Point(370, 90), Point(380, 90), Point(380, 74),
                                                    Point(220, 74)))  # 8 px below e1's end, same side
    svg = draw_workflow(diagram(), replace(lay, edges=(e1, e2, *lay.edges[2:])), id_prefix="fz-x")
    assert svg.count('class="fz-edge-path fz-tight"') == 2
    assert '<marker id="fz-x-s"' in svg and ".fz-edge-path.fz-tight{marker-end:url(#fz-x-s)}" in svg
    assert '<marker id="fz-x-s"' not in draw()
