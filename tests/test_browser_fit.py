"""Wide diagrams a reader can read, in real Chromium, on built MkDocs Material and Sphinx Furo pages.

Each site shows the event-driven example (far wider than the column) three times, in a
1400 px window: ``fit`` left at its default (``legible``), ``fit=column``, and as an ``<img>``.
What is measured is what a reader gets: label text at least 10 CSS px tall, a box that scrolls
(reachable with the keyboard) where the drawing cannot shrink further, the whole drawing in the
column with ``column``, everything scaled to the page in print, and no console errors.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser.chromium import chromium, page  # noqa: F401  (pytest fixtures)

from flowzap_docs.assets import PAGE_ASSETS
from flowzap_docs.html import MIN_TEXT_PX, measure
from flowzap_docs.render import render_svg

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).parent / "data" / "examples" / "event-driven.fz"
WINDOW = {"width": 1400, "height": 900}
BIN = Path(sys.executable).parent

MKDOCS_CONFIG = """\
    site_name: Fit
    theme:
      name: material
      font: false
      features: [navigation.instant]
    plugins:
      - flowzap:
          cache_dir: false
    markdown_extensions:
      - pymdownx.superfences
"""
MKDOCS_PAGE = """\
# Wide

```flowzap src="event-driven.fz" caption="Events through a broker"
```

```flowzap src="event-driven.fz" fit="column"
```

```flowzap src="event-driven.fz" format="img"
```
"""
SPHINX_PAGE = """\
Wide
====

.. flowzap:: event-driven.fz
   :caption: Events through a broker

.. flowzap:: event-driven.fz
   :fit: column

.. flowzap:: event-driven.fz
   :format: img
"""


class Site:
    """A site served over HTTP (Material's instant navigation is off for file: URLs and needs
    ``site_url``, so the server, and its URL, come first; the site is built into ``root``)."""

    def __init__(self, root: Path, wide: str, start: str):
        root.mkdir(parents=True, exist_ok=True)
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.wide = self.base + wide
        self.start = self.base + start


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("material")
    site = Site(root / "site", "guide/wide/", "")
    config = textwrap.dedent(MKDOCS_CONFIG) + f"site_url: {site.base}\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs" / "guide").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nNo diagram here: [the wide one](guide/wide.md).\n",
                                            encoding="utf-8")
    (root / "docs" / "guide" / "wide.md").write_text(MKDOCS_PAGE, encoding="utf-8")
    shutil.copy(EXAMPLE, root / "docs" / "guide" / "event-driven.fz")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-f", str(root / "mkdocs.yml"),
                             "-d", str(root / "site")], capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    yield site
    site.server.shutdown()


@pytest.fixture(scope="module")
def furo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("furo")
    site = Site(root / "out", "index.html", "genindex.html")
    (root / "src").mkdir()
    (root / "src" / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nhtml_theme = "furo"\n',
                                          encoding="utf-8")
    (root / "src" / "index.rst").write_text(SPHINX_PAGE, encoding="utf-8")
    shutil.copy(EXAMPLE, root / "src" / "event-driven.fz")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-b", "html", str(root / "src"), str(root / "out")],
                            capture_output=True, text=True, timeout=180, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    yield site
    site.server.shutdown()


@pytest.fixture(params=["material", "furo"])
def site(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue(request.param)


def watch_errors(pg: Any) -> list[str]:
    """Console errors, script errors and failed requests of ``pg`` (a missing favicon aside: no
    theme here links one, so the browser's own guess is not the page's fault)."""
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text)
          if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.on("response", lambda res: errors.append(f"{res.status} {res.url}")
          if res.status >= 400 and not res.url.endswith("/favicon.ico") else None)
    return errors


def open_page(pg: Any, url: str) -> list[str]:
    """Load ``url`` in a 1400 px window, fonts ready; the returned list collects errors."""
    errors = watch_errors(pg)
    pg.set_viewport_size(WINDOW)
    pg.goto(url)
    pg.wait_for_selector(".flowzap-scroll")
    pg.evaluate("document.fonts.ready.then(() => true)")
    return errors


#: For each scroll box: its sizes, the drawing's rendered width, and the smallest text on screen.
BOXES = """() => [...document.querySelectorAll('.flowzap-scroll')].map(box => {
  const drawing = box.firstElementChild;
  const width = drawing.getBoundingClientRect().width;
  const result = {client: box.clientWidth, scroll: box.scrollWidth, drawing: width, tag: drawing.tagName,
                  column: box.parentElement.getBoundingClientRect().width};
  if (drawing.tagName === 'svg') {
    const scale = width / drawing.viewBox.baseVal.width;
    const sizes = [...drawing.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize));
    result.smallestFont = Math.min(...sizes);
    result.smallestOnScreen = result.smallestFont * scale;
    result.labelHeight = drawing.querySelector('.fz-node text').getBoundingClientRect().height;
  }
  return result;
})"""


def tab_to_scroll_box(pg: Any) -> None:
    """Press Tab until the first diagram's scroll box has the focus (fails if it never does)."""
    for _ in range(80):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.classList.contains('flowzap-scroll')"):
            return
    pytest.fail("Tab never reached the diagram's scroll box")


def test_labels_stay_legible_and_the_figure_scrolls(site: Site, page: Any) -> None:  # noqa: F811
    errors = open_page(page, site.wide)
    legible, column, img = page.evaluate(BOXES)
    drawing = measure(render_svg(EXAMPLE.read_text(encoding="utf-8")))
    assert legible["smallestFont"] == drawing.smallest_text  # the core read the drawing right
    assert legible["smallestOnScreen"] >= MIN_TEXT_PX - 0.01
    assert legible["labelHeight"] >= MIN_TEXT_PX
    assert abs(legible["drawing"] - drawing.legible_width) <= 1  # shrunk, but only as far as legible
    assert legible["scroll"] > legible["client"] and legible["client"] <= legible["column"]
    assert img["tag"] == "IMG" and abs(img["drawing"] - drawing.legible_width) <= 1
    assert img["scroll"] > img["client"]
    # fit=column: the whole drawing in the column, however small its text
    assert column["scroll"] <= column["client"] and column["drawing"] <= column["client"]
    assert column["smallestOnScreen"] < MIN_TEXT_PX and column["labelHeight"] < MIN_TEXT_PX
    assert errors == []


def test_the_scroll_box_is_reached_by_tab_and_scrolled_by_arrow_keys(site: Site, page: Any) -> None:  # noqa: F811
    errors = open_page(page, site.wide)
    tab_to_scroll_box(page)
    focused = page.evaluate("""() => { const box = document.activeElement;
      return {role: box.getAttribute('role'), label: box.getAttribute('aria-label'),
              outline: getComputedStyle(box).outlineStyle, left: box.scrollLeft}; }""")
    assert focused["role"] == "region" and focused["label"] == "Events through a broker"
    assert focused["outline"] != "none"  # our stylesheet's focus ring: it was linked and loaded
    assert focused["left"] == 0  # the drawing starts at its left edge, not centred off-screen
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    assert errors == []


def test_print_scales_every_diagram_to_the_page(site: Site, page: Any) -> None:  # noqa: F811
    errors = open_page(page, site.wide)
    page.emulate_media(media="print")
    for box in page.evaluate(BOXES):
        assert box["scroll"] <= box["client"] + 1, box
        assert box["drawing"] <= box["client"] + 1, box
    assert errors == []


def test_instant_navigation_brings_the_assets_along(material: Site, page: Any) -> None:  # noqa: F811
    """Material's instant navigation replaces the content without loading the new page's
    ``<head>``: the stylesheet must still arrive with a diagram page reached by a link."""
    errors = watch_errors(page)
    page.set_viewport_size(WINDOW)
    page.goto(material.start)
    assert page.locator("link[href*='flowzap.css']").count() == 0  # no diagram, no stylesheet
    page.evaluate("window.__samePage = true")
    page.click("text=the wide one")
    page.wait_for_selector(".flowzap-scroll")
    assert page.evaluate("window.__samePage === true")  # instant navigation, not a page load
    loaded = [asset.name for asset in PAGE_ASSETS if asset.kind == "css"]
    page.wait_for_function("""names => names.every(n => [...document.styleSheets].some(
        s => s.href && s.href.includes(n)))""", arg=loaded)
    tab_to_scroll_box(page)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert errors == []
