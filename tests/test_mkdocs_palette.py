"""Material's light/dark toggle recolours inline diagrams at once (no reload), in real Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from browser.chromium import chromium, page  # noqa: F401  (pytest fixtures)

pytestmark = pytest.mark.browser

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))

CONFIG = """\
    site_name: Palette
    theme:
      name: material
      font: false
      palette:
        - scheme: default
          toggle: {icon: material/weather-night, name: Switch to dark mode}
        - scheme: slate
          toggle: {icon: material/weather-sunny, name: Switch to light mode}
    plugins:
      - flowzap:
          cache_dir: false
    markdown_extensions:
      - pymdownx.superfences
"""

DIAGRAM = 'Sales { # Sales\nn1: circle label:"Start"\nn2: rectangle label:"Ship it"\nn1.handle(right) -> n2.handle(left)\n}\n'

COLOURS = """() => {
  const shape = document.querySelector('svg.flowzap .fz-node .fz-shape');
  const text = document.querySelector('svg.flowzap text');
  return [getComputedStyle(shape).fill, getComputedStyle(text).fill,
          document.body.getAttribute('data-md-color-scheme')];
}"""


@pytest.fixture(scope="module")
def palette_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("palette")
    (root / "mkdocs.yml").write_text(textwrap.dedent(CONFIG), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(f"# Palette\n\n```flowzap\n{DIAGRAM}```\n", encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    result = subprocess.run([MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return root


def test_palette_toggle_recolours_the_diagram_without_reload(palette_site: Path, page: Any):  # noqa: F811
    page.emulate_media(color_scheme="light")
    page.goto((palette_site / "site" / "index.html").as_uri())
    page.wait_for_selector("svg.flowzap")
    light = page.evaluate(COLOURS)
    assert light[2] == "default"
    page.evaluate("() => { window.__sameDocument = true; }")
    page.click("label[title='Switch to dark mode']")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = page.evaluate(COLOURS)
    assert page.evaluate("() => window.__sameDocument === true")  # no reload happened
    assert dark[0] != light[0] and dark[1] != light[1]
