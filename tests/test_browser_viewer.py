"""The diagram viewer (flowzap-viewer.js/.css) in Chromium, on plain pages of real diagrams.

The pages hold real ``render_svg`` output in the markup both adapters write (a MkDocs
``figure.flowzap-figure``, a Sphinx ``div.flowzap``) and load the packaged script and
stylesheet from the installed package, so what is tested is what ships.  The built-site tests
(MkDocs Material with instant navigation, Sphinx with Furo) are in test_viewer_sites.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser.chromium import chromium  # noqa: F401  (pytest fixture)
from browser.viewer import BUTTON, exercise_viewer, settle, state, watch_errors

from flowzap_docs import html as diagram_html
from flowzap_docs.render import render_svg

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data" / "examples"
STATIC = Path(__file__).resolve().parent.parent / "flowzap_docs" / "static"
WIDE = (DATA / "event-driven.fz").read_text(encoding="utf-8")
SMALL = 'Team { # Team\nn1: circle label:"Start"\nn2: rectangle label:"Work"\nn1.handle(right) -> n2.handle(left)\n}\n'


def write_page(folder: Path, body: str, *, html_attrs: str = 'lang="en"', body_attrs: str = "") -> Path:
    """A page with the packaged viewer script and stylesheet (copied beside it, as a site would)."""
    for name in ("flowzap-viewer.js", "flowzap-viewer.css"):
        (folder / name).write_bytes((STATIC / name).read_bytes())
    page = folder / "index.html"
    page.write_text(
        f'<!doctype html><html {html_attrs}><head><meta charset="utf-8"><title>Viewer</title>'
        '<link rel="stylesheet" href="flowzap-viewer.css"></head>'
        f'<body {body_attrs} style="margin:0 auto;max-width:760px;padding:16px;font-family:sans-serif">'
        f'<p><a href="#top">Top</a></p>{body}<p><a href="#end">End</a></p>'
        '<script src="flowzap-viewer.js"></script></body></html>',
        encoding="utf-8",
    )
    return page


def mkdocs_figure(svg: str, extra_class: str = "", caption: str = "") -> str:
    """The markup the MkDocs plugin writes (the core's figure and scroll box)."""
    box = diagram_html.drawing_box(svg, fit="legible", align=None, width=None, caption=caption or None)
    return diagram_html.figure(box, caption=caption or None, align=None, element_id="",
                               classes=[extra_class] if extra_class else [], view="workflow", fit="legible")


def sphinx_figure(svg: str) -> str:
    """The markup the Sphinx builder writes for an uncaptioned diagram."""
    box = diagram_html.drawing_box(svg, fit="legible", align="center", width=None)
    return f'<div class="flowzap flowzap-fit-legible align-center" role="figure" aria-label="A diagram">{box}</div>'


@pytest.fixture
def viewer_page(chromium: Any) -> Any:  # noqa: F811
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    pg = context.new_page()
    pg.errors = watch_errors(pg)
    yield pg
    context.close()


def load(pg: Any, folder: Path, body: str, **attrs: str) -> None:
    pg.goto(write_page(folder, body, **attrs).as_uri())
    pg.evaluate("document.fonts.ready.then(() => true)")


def test_keyboard_zoom_pan_close_on_a_mkdocs_figure(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(WIDE), caption="Events"))
    exercise_viewer(viewer_page)
    assert viewer_page.errors == []


def test_keyboard_zoom_pan_close_on_a_sphinx_div(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, sphinx_figure(render_svg(WIDE)))
    exercise_viewer(viewer_page)
    assert viewer_page.errors == []


def test_button_has_a_name_and_opt_out_and_broken_diagrams_get_none(viewer_page: Any, tmp_path: Path) -> None:
    body = (mkdocs_figure(render_svg(SMALL)) + mkdocs_figure(render_svg(SMALL), "flowzap-nozoom")
            + '<div class="flowzap flowzap-broken"><pre>error</pre></div>')
    load(viewer_page, tmp_path, body)
    names = viewer_page.evaluate(
        "[...document.querySelectorAll('.flowzap-figure, div.flowzap')].map(f => {"
        " const b = f.querySelector('button.flowzap-zoom'); return b && b.getAttribute('aria-label'); })")
    assert names == ["Enlarge diagram", None, None]
    # Running the script again (Material re-runs page scripts) adds no second button
    viewer_page.add_script_tag(path=str(STATIC / "flowzap-viewer.js"))
    assert viewer_page.locator(BUTTON).count() == 1
    # a diagram a page script adds later gets its button from flowzapViewer.enhance()
    viewer_page.evaluate("html => { document.body.insertAdjacentHTML('beforeend', html); flowzapViewer.enhance(); }",
                         mkdocs_figure(render_svg(SMALL.replace("Work", "Later"))))
    assert viewer_page.locator(BUTTON).count() == 2


def test_button_shows_on_hover_and_focus_only(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(SMALL)))
    opacity = "() => getComputedStyle(document.querySelector('button.flowzap-zoom')).opacity"
    viewer_page.mouse.move(5, 880)
    viewer_page.wait_for_timeout(250)
    assert viewer_page.evaluate(opacity) == "0"
    viewer_page.hover("svg.flowzap")
    viewer_page.wait_for_timeout(250)
    assert viewer_page.evaluate(opacity) == "1"


def test_dialog_is_a_named_modal_and_the_copy_keeps_its_ids_apart(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(WIDE), caption="Events"))
    viewer_page.click("svg.flowzap")  # a click on the drawing opens it too
    assert state(viewer_page)["open"]
    snapshot = viewer_page.locator("dialog.fzv").aria_snapshot()
    assert snapshot.startswith('- dialog "Events"'), snapshot
    assert viewer_page.evaluate("document.querySelector('dialog.fzv').matches(':modal[aria-modal=true]')")
    ids = viewer_page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids while the viewer is open"
    # the copy's arrowheads point at the copy's own marker, which exists
    marker = viewer_page.evaluate("getComputedStyle(document.querySelector('.fzv-item .fz-edge-path')).markerEnd")
    marker_id = marker.split("#", 1)[1].rstrip('")')
    assert marker_id.startswith("fzv-") and viewer_page.locator(f".fzv-item #{marker_id}").count() == 1
    # its accessible name comes from its own (renamed) title
    labelled = viewer_page.evaluate("document.querySelector('.fzv-item').getAttribute('aria-labelledby')")
    assert all(viewer_page.locator(f".fzv-item #{i}").count() == 1 for i in labelled.split())
    # nothing behind the dialog scrolls under the wheel
    viewer_page.mouse.wheel(0, 400)
    assert viewer_page.evaluate("window.scrollY") == 0
    viewer_page.keyboard.press("Escape")
    assert not state(viewer_page)["open"]
    # opened from the drawing, closed with Esc: the focus lands on the diagram's button
    assert viewer_page.evaluate("document.activeElement.className") == "flowzap-zoom"


def test_fit_and_actual_size_buttons(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(WIDE)))
    viewer_page.click(BUTTON)
    natural = state(viewer_page)["item"]
    viewer_page.click("dialog.fzv button[aria-label='Fit to window']")
    fitted = state(viewer_page)
    assert fitted["item"]["w"] <= fitted["stage"]["w"] and fitted["item"]["h"] <= fitted["stage"]["h"]
    assert fitted["item"]["w"] < natural["w"] and fitted["level"] != "100%"
    viewer_page.click("dialog.fzv button[aria-label='Actual size']")
    assert abs(state(viewer_page)["item"]["w"] - natural["w"]) < 0.5
    viewer_page.click("dialog.fzv button[aria-label='Close']")
    assert not state(viewer_page)["open"]
    assert viewer_page.evaluate("document.activeElement.className") == "flowzap-zoom"


def test_ctrl_wheel_pinch_zooms_smoothly_and_a_swipe_pans(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(WIDE)))
    viewer_page.click(BUTTON)
    before = state(viewer_page)["item"]["w"]
    viewer_page.mouse.move(700, 450)
    viewer_page.keyboard.down("Control")
    viewer_page.mouse.wheel(0, -10)  # a trackpad pinch: small deltas with ctrlKey
    viewer_page.keyboard.up("Control")
    ratio = state(viewer_page)["item"]["w"] / before
    assert 1.05 < ratio < 1.15, ratio
    # a sideways swipe (or Shift+wheel) moves the diagram sideways instead
    at = state(viewer_page)["item"]
    viewer_page.mouse.wheel(120, 0)
    swiped = state(viewer_page)["item"]
    assert abs(swiped["x"] - at["x"] + 120) < 0.01 and swiped["w"] == at["w"], (at, swiped)


def test_img_diagrams_open_too(viewer_page: Any, tmp_path: Path) -> None:
    svg = render_svg(WIDE)
    (tmp_path / "d.svg").write_text(svg, encoding="utf-8")
    box = diagram_html.drawing_box(svg, fit="legible", align=None, width=None, alt="Events", img_url="d.svg")
    body = diagram_html.figure(box, caption=None, align=None, element_id="", classes=[], view="workflow",
                               fit="legible")
    load(viewer_page, tmp_path, body)
    exercise_viewer(viewer_page)
    viewer_page.click(BUTTON)
    assert viewer_page.evaluate("document.querySelector('.fzv-item').getAttribute('src')").endswith("d.svg")
    assert state(viewer_page)["item"]["w"] == round(diagram_html.measure(svg).width)  # 1:1, natural size
    assert viewer_page.errors == []


DARK_BG = "rgb(17, 19, 24)"
LIGHT_BG = "rgb(238, 241, 245)"


@pytest.mark.parametrize(("scheme", "attrs", "expected"), [
    ("light", {}, LIGHT_BG),
    ("dark", {}, DARK_BG),
    ("light", {"body_attrs": 'data-md-color-scheme="slate"'}, DARK_BG),
    ("dark", {"body_attrs": 'data-md-color-scheme="default"'}, LIGHT_BG),
    ("light", {"body_attrs": 'data-theme="dark"'}, DARK_BG),
    ("dark", {"body_attrs": 'data-theme="light"'}, LIGHT_BG),
    ("light", {"html_attrs": 'lang="en" data-theme="dark"'}, DARK_BG),
])
def test_overlay_follows_the_page_theme(viewer_page: Any, tmp_path: Path, scheme: str, attrs: dict[str, str],
                                        expected: str) -> None:
    viewer_page.emulate_media(color_scheme=scheme)
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(WIDE)), **attrs)
    viewer_page.click(BUTTON)
    settle(viewer_page)
    colours = viewer_page.evaluate(
        "[getComputedStyle(document.querySelector('dialog.fzv')).backgroundColor,"
        " getComputedStyle(document.querySelector('.fzv-item .fz-lane-box')).fill,"
        " getComputedStyle(document.querySelector('svg.flowzap:not(.fzv-item) .fz-lane-box')).fill]")
    assert colours[0] == expected
    assert colours[1] == colours[2], "the copy is drawn in the page's palette"


def test_touch_pinch_zooms_and_one_finger_pans(chromium: Any, tmp_path: Path) -> None:  # noqa: F811
    """Real touch input (Chromium's, through the DevTools protocol): two fingers, then one."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, has_touch=True)
    pg = context.new_page()
    try:
        load(pg, tmp_path, mkdocs_figure(render_svg(WIDE)))
        pg.click(BUTTON)
        before = state(pg)["item"]
        cdp = context.new_cdp_session(pg)

        def touch(kind: str, points: list[tuple[float, float]]) -> None:
            cdp.send("Input.dispatchTouchEvent", {
                "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

        touch("touchStart", [(600, 450), (800, 450)])
        for k in range(1, 6):  # 200 px apart -> 400 px apart
            touch("touchMove", [(600 - 20 * k, 450), (800 + 20 * k, 450)])
        touch("touchEnd", [])
        pinched = state(pg)["item"]
        assert abs(pinched["w"] / before["w"] - 2) < 0.01, (before, pinched)
        touch("touchStart", [(700, 450)])
        for k in range(1, 6):
            touch("touchMove", [(700 - 20 * k, 450 - 10 * k)])
        touch("touchEnd", [])
        moved = state(pg)["item"]
        assert (moved["x"] - pinched["x"], moved["y"] - pinched["y"]) == (-100, -50)
        assert state(pg)["open"]
    finally:
        context.close()


def test_controls_speak_the_page_language(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(SMALL)), html_attrs='lang="fr-CA"')
    assert viewer_page.get_attribute(BUTTON, "aria-label") == "Agrandir le diagramme"
    viewer_page.click(BUTTON)
    labels = viewer_page.evaluate("[...document.querySelectorAll('dialog.fzv button')].map(b => b.ariaLabel)")
    assert labels == ["Zoom arri\u00e8re", "Zoom avant", "Taille r\u00e9elle", "Ajuster \u00e0 la fen\u00eatre", "Fermer"]
    # a language we have no words for gets English
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(SMALL)), html_attrs='lang="ja"')
    assert viewer_page.get_attribute(BUTTON, "aria-label") == "Enlarge diagram"


def test_opens_where_the_reader_had_scrolled_the_diagram(viewer_page: Any, tmp_path: Path) -> None:
    load(viewer_page, tmp_path, mkdocs_figure(render_svg(WIDE)))
    scrolled = viewer_page.evaluate("(() => { const b = document.querySelector('.flowzap-scroll');"
                                    " b.scrollLeft = b.scrollWidth; return b.scrollLeft > 0; })()")
    assert scrolled, "the legible diagram should scroll in a 760 px column"
    viewer_page.click(BUTTON)
    opened = state(viewer_page)
    # the end of the diagram is in sight (at 1:1), not its start
    assert opened["level"] == "100%"
    assert opened["item"]["x"] < 0 and opened["item"]["x"] + opened["item"]["w"] <= opened["stage"]["w"] + 0.5
