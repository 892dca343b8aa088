"""Themes in a real browser: the page's dark mode, print, explicit themes, several diagrams.

Each case loads the diagram inline in a page shaped like the documentation theme in question
(MkDocs Material, Furo, PyData / Sphinx Book) and reads the colours Chromium computed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser.chromium import chromium, page, show_svgs  # noqa: F401  (pytest fixtures)

from flowzap_docs.render import render_svg
from flowzap_docs.svg.theme import DARK, LIGHT, MONO

pytestmark = pytest.mark.browser

SOURCE = 'Team { # Team\nn1: circle label:"Start"\nn2: rectangle label:"Work"\nn1.handle(right) -> n2.handle(left)\n}\n'


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def lane_fill(pg: Any, index: int = 0) -> str:
    return pg.evaluate(f"getComputedStyle(document.querySelectorAll('.fz-lane-box')[{index}]).fill")


CASES = [
    # (page setup, OS colour scheme, expected palette)
    ({}, "light", LIGHT),
    ({}, "dark", DARK),
    ({"body_attrs": 'data-md-color-scheme="slate"'}, "light", DARK),      # Material, slate
    ({"body_attrs": 'data-md-color-scheme="default"'}, "dark", LIGHT),    # Material, light chosen
    ({"body_attrs": 'data-theme="dark"'}, "light", DARK),                 # Furo, dark
    ({"body_attrs": 'data-theme="light"'}, "dark", LIGHT),                # Furo, light chosen
    ({"body_attrs": 'data-theme="auto"'}, "dark", DARK),                  # Furo, auto follows the system
    ({"body_attrs": 'data-theme="auto"'}, "light", LIGHT),
    ({"html_attrs": 'data-theme="dark"'}, "light", DARK),                 # PyData / Sphinx Book, dark
    ({"html_attrs": 'data-theme="light"'}, "dark", LIGHT),                # PyData, light chosen
]


@pytest.mark.parametrize(("setup", "scheme", "palette"), CASES)
def test_default_theme_follows_the_page(page: Any, setup: dict[str, str], scheme: str,  # noqa: F811
                                        palette: dict[str, str]) -> None:
    page.emulate_media(color_scheme=scheme)
    show_svgs(page, {"d": render_svg(SOURCE)}, **setup)
    assert lane_fill(page) == rgb(palette["lane"])


def test_print_is_monochrome_even_on_a_dark_page(page: Any) -> None:  # noqa: F811
    page.emulate_media(media="print", color_scheme="dark")
    show_svgs(page, {"d": render_svg(SOURCE)}, html_attrs='data-theme="dark"')
    assert lane_fill(page) == rgb(MONO["lane"])
    stroke = page.evaluate("getComputedStyle(document.querySelector('.fz-edge-path')).stroke")
    assert stroke == rgb(MONO["edge"])


def test_explicit_themes_ignore_the_page_and_do_not_leak(page: Any) -> None:  # noqa: F811
    page.emulate_media(color_scheme="light")
    show_svgs(page, {"dark": render_svg(SOURCE, theme="dark"), "mono": render_svg(SOURCE, theme="mono"),
                     "default": render_svg(SOURCE)}, body_attrs='data-md-color-scheme="default"')
    assert [lane_fill(page, i) for i in range(3)] == [rgb(DARK["lane"]), rgb(MONO["lane"]), rgb(LIGHT["lane"])]


def test_text_uses_the_measured_font_and_arrowheads_resolve(page: Any) -> None:  # noqa: F811
    show_svgs(page, {"d": render_svg(SOURCE)})
    family = page.evaluate("getComputedStyle(document.querySelector('.fz-node text')).fontFamily")
    assert family.startswith('"Liberation Sans"')
    marker = page.evaluate("getComputedStyle(document.querySelector('.fz-edge-path')).markerEnd")
    assert re.search(r'url\("?#fz-[0-9a-f]{8}-a"?\)', marker)


def test_accessible_name_comes_from_title_and_desc(page: Any) -> None:  # noqa: F811
    show_svgs(page, {"d": render_svg(SOURCE)})
    img = page.get_by_role("img", name=re.compile(r"^Workflow diagram: Team Swimlane diagram with 1 lane"))
    assert img.count() == 1


def test_standalone_svg_file_loads_as_an_image(page: Any, tmp_path: Any) -> None:  # noqa: F811
    """Written to a file and used as ``<img src>``, the SVG is a valid standalone document."""
    import base64

    svg = render_svg(SOURCE)
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    data = base64.b64encode(svg.encode("utf-8")).decode()
    page.set_content(f"<img id='i' src='data:image/svg+xml;base64,{data}'>")
    page.wait_for_function("document.getElementById('i').complete")
    assert abs(page.evaluate("document.getElementById('i').naturalWidth") - width) <= 1


def test_a_site_restyles_diagrams_with_custom_properties(page: Any) -> None:  # noqa: F811
    """``.flowzap{--fz-lane:...}`` in a site's CSS wins over the built-in palettes, light or dark."""
    page.emulate_media(color_scheme="dark")
    show_svgs(page, {"d": render_svg(SOURCE)}, css=".flowzap{--fz-lane:#123456}", body_attrs='data-theme="dark"')
    assert lane_fill(page) == "rgb(18, 52, 86)"


def test_page_rules_for_svg_elements_do_not_repaint_the_diagram(page: Any) -> None:  # noqa: F811
    show_svgs(page, {"d": render_svg(SOURCE)}, css="svg text{fill:red;font-family:serif} svg rect{fill:red}")
    text_fill = page.evaluate("getComputedStyle(document.querySelector('.fz-node text')).fill")
    assert text_fill == rgb(LIGHT["text"])
    assert lane_fill(page) == rgb(LIGHT["lane"])
