"""The diagram viewer on built sites, in Chromium at 1400 px: MkDocs Material with instant
navigation, and Sphinx with Furo, each with the event-driven example.

On each: the viewer opens from the keyboard, zooms, pans, keeps the focus, closes with Esc and
gives the focus back (:func:`browser.viewer.exercise_viewer`); a page without a diagram has no
flowzap script; a diagram with ``zoom`` off has no button; no console errors.  On Material the
pages are reached by instant navigation (no reload), from a page that had no viewer at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser.chromium import chromium  # noqa: F401  (pytest fixture)
from browser.sites import build_mkdocs_site, build_sphinx_site, serve
from browser.viewer import BUTTON, exercise_viewer, state, watch_errors

from flowzap_docs.assets import VIEWER_ASSETS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWER_JS = "flowzap-viewer.js"
SCRIPTS = "() => [...document.scripts].map(s => s.src).filter(s => s.includes('flowzap'))"


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("viewer-mkdocs")
    (root / "site").mkdir()
    with serve(root / "site") as url:
        yield url, build_mkdocs_site(root, url)


@pytest.fixture(scope="module")
def sphinx_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    out = build_sphinx_site(tmp_path_factory.mktemp("viewer-sphinx"))
    with serve(out) as url:
        yield url, out


@pytest.fixture
def wide_page(chromium: Any) -> Iterator[Any]:  # noqa: F811
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    pg = context.new_page()
    pg.errors = watch_errors(pg)
    yield pg
    context.close()


def instant_go(pg: Any, page: str) -> None:
    """Follow the navigation link to ``page`` (``events/``) the way a reader does, and check that
    Material did not reload the document (it makes every link absolute, hence ``$=``)."""
    pg.evaluate("window.__sameDocument = true")
    pg.locator(f'a.md-nav__link[href$="/{page}"]').first.click()
    pg.wait_for_function("p => location.pathname.endsWith('/' + p)", arg=page)
    # the new content is in when its heading is (the address changes first)
    heading = page.strip("/").capitalize()
    pg.wait_for_function("h => document.querySelector('article h1')?.textContent.trim() === h", arg=heading)
    pg.wait_for_load_state("networkidle")
    assert pg.evaluate("window.__sameDocument === true"), "Material reloaded the page"


def buttons_per_diagram(pg: Any) -> list[bool]:
    return pg.evaluate("[...document.querySelectorAll('svg.flowzap')].map(s =>"
                       " !!s.closest('.flowzap-figure, div.flowzap').querySelector('button.flowzap-zoom'))")


def test_material_pages_link_the_viewer_only_where_a_diagram_has_it(mkdocs_site: tuple[str, Path]) -> None:
    _, site = mkdocs_site
    for page, linked in (("index.html", False), ("events/index.html", True), ("more/index.html", True),
                         ("off/index.html", False)):
        html = (site / page).read_text(encoding="utf-8")
        assert (VIEWER_JS in html) is linked, page
        assert html.count(VIEWER_JS) <= 1, page
    for asset in VIEWER_ASSETS:
        assert (site / "assets" / "flowzap" / asset.name).read_bytes() == asset.data
    assert "flowzap-nozoom" in (site / "off/index.html").read_text(encoding="utf-8")


def test_material_instant_navigation(mkdocs_site: tuple[str, Path], wide_page: Any) -> None:
    url, _ = mkdocs_site
    pg = wide_page
    pg.goto(url)
    assert pg.evaluate(SCRIPTS) == [] and pg.locator(BUTTON).count() == 0

    instant_go(pg, "events/")  # from a page that never had the viewer
    pg.wait_for_selector(BUTTON, state="attached")
    assert pg.evaluate(SCRIPTS)[0].split("/")[-1].startswith(VIEWER_JS)
    exercise_viewer(pg)
    # Material's own shortcuts (n: next page, f: search) do not act under the open viewer
    pg.locator(BUTTON).click()
    for key in ("n", "f", "/"):
        pg.keyboard.press(key)
    assert state(pg)["open"] and pg.url.endswith("/events/")
    pg.keyboard.press("Escape")

    instant_go(pg, "more/")
    pg.wait_for_function("document.querySelectorAll('button.flowzap-zoom').length === 1")
    assert buttons_per_diagram(pg) == [True, False]
    exercise_viewer(pg)

    instant_go(pg, "events/")  # back again: the script runs once more, the button is not doubled
    pg.wait_for_selector(BUTTON, state="attached")
    assert buttons_per_diagram(pg) == [True]
    exercise_viewer(pg)

    instant_go(pg, "off/")
    assert buttons_per_diagram(pg) == [False]
    assert pg.evaluate(SCRIPTS) == []
    assert pg.errors == []


def test_sphinx_furo_pages(sphinx_site: tuple[str, Path], wide_page: Any) -> None:
    url, out = sphinx_site
    pg = wide_page
    pg.goto(url + "index.html")
    pg.wait_for_selector(BUTTON, state="attached")
    assert buttons_per_diagram(pg) == [True]
    exercise_viewer(pg)
    pg.goto(url + "more.html")
    pg.wait_for_selector(BUTTON, state="attached")
    assert buttons_per_diagram(pg) == [True, False]
    exercise_viewer(pg)
    for page, diagrams in (("plain.html", []), ("off.html", [False])):
        pg.goto(url + page)
        assert buttons_per_diagram(pg) == diagrams
        assert not any(VIEWER_JS in src for src in pg.evaluate(SCRIPTS)), page
        assert VIEWER_JS not in (out / page).read_text(encoding="utf-8")
    assert pg.errors == []
