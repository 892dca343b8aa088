"""`make docs` builds both documentation sites, strictly, and every diagram in them works.

These run the real ``tools/build_docs.py`` (real ``mkdocs build --strict`` and
``sphinx-build -W``) into a temporary folder, then read the HTML as a user's browser would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browser.chromium import chromium, page  # noqa: F401  (pytest fixtures)

ROOT = Path(__file__).resolve().parent.parent
DIAGRAMS = sorted(p.name for p in (ROOT / "docs" / "diagrams").glob("*.fz"))
VARIANTS_PER_DIAGRAM = 6  # three views, light and dark

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_docs.py"), "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out


class Links(HTMLParser):
    """Collects the local links and resources of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (name == "src") or (tag == "link" and name == "href")):
                self.urls.append(value)


SVG = re.compile(r'<svg\b[^>]*\bclass="flowzap"')


def pages(folder: Path) -> list[Path]:
    """Every built page but MkDocs' 404 page, whose links are site-absolute by design."""
    return sorted(p for p in folder.rglob("*.html") if p.name != "404.html")


@pytest.mark.parametrize("name", ["mkdocs", "sphinx", "sphinx-fr"])
def test_every_internal_link_and_resource_resolves(site: Path, name: str) -> None:
    broken = []
    for html_file in pages(site / name):
        parser = Links()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//", "mailto:")) or not parts.path:
                continue
            # site-absolute links (Material's language switcher) assume the site is served at /
            base = site / name if parts.path.startswith("/") else html_file.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(site)} -> {url}")
    assert not broken, broken[:20]


@pytest.mark.parametrize("name", ["mkdocs", "sphinx", "sphinx-fr"])
def test_nothing_is_fetched_from_the_network(site: Path, name: str) -> None:
    remote = re.compile(r"<(?:script|link|img)\b[^>]*(?:src|href)=\"(?:https?:)?//", re.I)
    offenders = [p.name for p in pages(site / name) if remote.search(p.read_text(encoding="utf-8"))]
    assert not offenders


@pytest.mark.parametrize("name", ["mkdocs", "sphinx"])
def test_gallery_shows_every_example_in_every_view_and_theme(site: Path, name: str) -> None:
    gallery = site / name / ("gallery/index.html" if name == "mkdocs" else "gallery.html")
    text = gallery.read_text(encoding="utf-8")
    assert len(SVG.findall(text)) == len(DIAGRAMS) * VARIANTS_PER_DIAGRAM
    for view in ("workflow", "sequence", "architecture"):
        assert text.count(f'data-view="{view}"') >= len(DIAGRAMS) * 2
    # the source is listed beside the pictures, highlighted by our Pygments lexer
    assert "circle" in text and "handle" in text
    assert re.search(r'<span class="kt">circle</span>', text)


@pytest.mark.parametrize("name", ["mkdocs", "sphinx", "sphinx-fr"])
def test_no_page_shows_an_error_box_and_every_diagram_page_has_svg(site: Path, name: str) -> None:
    diagrams = 0
    for html_file in pages(site / name):
        text = html_file.read_text(encoding="utf-8")
        assert "flowzap-error" not in text, html_file
        diagrams += len(SVG.findall(text))
    assert diagrams >= len(DIAGRAMS) * VARIANTS_PER_DIAGRAM + 5


def test_french_pages_show_french_labels(site: Path) -> None:
    fr = (site / "mkdocs" / "fr" / "index.html").read_text(encoding="utf-8")
    en = (site / "mkdocs" / "index.html").read_text(encoding="utf-8")
    assert "Courtier de messages" in fr and "Courtier de messages" not in en
    assert "Message Broker" in en


def test_troubleshooting_shows_real_error_output(site: Path) -> None:
    text = (site / "mkdocs" / "troubleshooting" / "index.html").read_text(encoding="utf-8")
    assert "error[FZ" in text and "help:" in text and "hexagon" in text


GEOMETRY = """() => Array.from(document.querySelectorAll('svg.flowzap')).map(svg => {
  const r = svg.getBoundingClientRect();
  const bad = [];
  for (const node of svg.querySelectorAll('.fz-node')) {
    const box = node.querySelector('.fz-shape').getBBox();
    for (const t of node.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.width === 0) continue;
      if (node.dataset.shape === 'circle') continue;  // a circle's label may sit beneath it
      if (b.x < box.x - 1 || b.x + b.width > box.x + box.width + 1 ||
          b.y < box.y - 1 || b.y + b.height > box.y + box.height + 1) bad.push(node.dataset.node);
    }
  }
  return {width: r.width, height: r.height, bad};
})"""

FILL = "() => getComputedStyle(document.querySelector('svg.flowzap .fz-node .fz-shape')).fill"


@pytest.mark.browser
def test_mkdocs_pages_show_visible_diagrams_whose_text_fits_and_follow_the_dark_toggle(
        site: Path, page: Any) -> None:  # noqa: F811
    page.emulate_media(color_scheme="light")
    page.goto((site / "mkdocs" / "index.html").as_uri())
    page.wait_for_selector("svg.flowzap")
    shown = [d for d in page.evaluate(GEOMETRY) if d["width"] > 0]  # hidden tabs measure zero
    assert shown and all(d["height"] > 0 and not d["bad"] for d in shown), shown
    light = page.evaluate(FILL)
    page.click("label[title='Switch to dark mode']")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.evaluate(FILL) != light


@pytest.mark.browser
def test_sphinx_furo_pages_show_visible_diagrams_and_follow_the_theme_toggle(site: Path, page: Any) -> None:  # noqa: F811
    page.emulate_media(color_scheme="light")
    page.goto((site / "sphinx" / "index.html").as_uri())
    page.wait_for_selector("svg.flowzap")
    shown = page.evaluate(GEOMETRY)
    assert shown and all(d["width"] > 0 and d["height"] > 0 and not d["bad"] for d in shown), shown
    light = page.evaluate(FILL)
    page.evaluate("() => document.body.dataset.theme = 'dark'")  # what Furo's toggle button sets
    assert page.evaluate(FILL) != light
