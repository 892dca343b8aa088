"""One headless Chromium per test session, shared by every test module that needs a browser.

Use it from any test module (``tests/`` is on ``sys.path`` when pytest runs)::

    from browser.chromium import chromium, page  # noqa: F401  (pytest fixtures)

    def test_something(page):
        show_svgs(page, {"a": svg_text})
        ...

Tests that use these fixtures are skipped, not failed, only when ``/usr/bin/chromium`` is
absent.  The browser is started once (the first test that asks for it) and closed when the
interpreter exits, so many test modules and many pages share one process; each test gets a
fresh page.
"""

from __future__ import annotations

import atexit
import html
import os
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

_state: dict[str, Any] = {}


def available() -> bool:
    return os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def get_browser() -> Any:
    """The shared browser (started on first use)."""
    if "browser" not in _state:
        from playwright.sync_api import sync_playwright

        manager = sync_playwright()
        playwright = manager.start()
        _state["playwright"] = playwright
        _state["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        atexit.register(_shutdown)
    return _state["browser"]


def _shutdown() -> None:
    browser = _state.pop("browser", None)
    playwright = _state.pop("playwright", None)
    try:
        if browser is not None:
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()


@pytest.fixture(scope="session")
def chromium() -> Any:
    """The shared headless Chromium (skips the test when it is not installed)."""
    if not available():
        pytest.skip(f"{CHROMIUM} is not installed")
    return get_browser()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page (own context) in the shared browser, closed after the test."""
    context = chromium.new_context(device_scale_factor=1)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def html_page(svgs: Mapping[str, str], *, body_attrs: str = "", html_attrs: str = "", css: str = "") -> str:
    """An HTML page holding each SVG inline in a ``<figure data-name=...>``."""
    figures = "".join(f'<figure data-name="{html.escape(name)}">{svg}</figure>' for name, svg in svgs.items())
    return (
        f"<!doctype html><html {html_attrs}><head><meta charset='utf-8'>"
        f"<style>body{{margin:0;background:#fff}}figure{{margin:8px}}{css}</style></head>"
        f"<body {body_attrs}>{figures}</body></html>"
    )


def show_svgs(pg: Any, svgs: Mapping[str, str], **page_options: str) -> None:
    """Load the SVGs inline into ``pg`` and wait until fonts are ready (measurements need them)."""
    pg.set_content(html_page(svgs, **page_options), wait_until="load")
    pg.evaluate("document.fonts.ready.then(() => true)")
