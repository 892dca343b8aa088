"""Translated diagrams in real ``mkdocs build`` runs: theme language, plugin ``lang``, fence
``lang=``, and mkdocs-static-i18n (one SVG per language), all with the core's Babel catalogs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
DATA = Path(__file__).parent / "data" / "i18n"
SOURCE = (DATA / "order-en.fz").read_text(encoding="utf-8")
FENCE = "```flowzap\n" + SOURCE + "```\n"


def build(root: Path, config: str, pages: dict[str, str]) -> subprocess.CompletedProcess[str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    if not (root / "locales").exists():
        shutil.copytree(DATA / "locales", root / "locales")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    proc = subprocess.run([MKDOCS, "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                          capture_output=True, text=True, env=env, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def drawn(html_file: Path) -> list[str]:
    """The drawn texts of each FlowZap SVG of a page (wrapped lines joined by a space)."""
    import html

    page = html_file.read_text(encoding="utf-8")
    out = []
    for svg in re.findall(r"<svg\b[^>]*class=\"flowzap\".*?</svg>", page, flags=re.S):
        texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)
        lines = [html.unescape(x) for t in texts for x in re.sub(r"<[^>]+>", "\n", t).split("\n") if x]
        out.append(" ".join(lines))
    return out


def has(drawing: str, text: str) -> bool:
    """``text`` is drawn, possibly wrapped over lines (a line break may fall inside a word)."""
    return text in drawing or text.replace(" ", "") in drawing.replace(" ", "")


@pytest.mark.slow
def test_theme_language_plugin_lang_and_fence_lang(tmp_path: Path) -> None:
    config = """\
        site_name: t
        theme:
          name: mkdocs
          locale: fr
        plugins:
          - flowzap:
              cache_dir: false
    """
    pages = {"index.md": "# Page\n\n" + FENCE + "\n" + FENCE.replace("```flowzap", '```flowzap lang="de"', 1)}
    build(tmp_path / "theme", config, pages)
    french, german = drawn(tmp_path / "theme" / "site" / "index.html")
    assert has(french, "Client") and has(french, "Remplir le panier avec les articles choisis")
    assert not has(french, "Customer") and has(french, "Delivered")  # untranslated stays as written
    assert has(german, "Anfang") and has(german, "Customer")  # de: inline form only, no de catalog


@pytest.mark.slow
def test_plugin_lang_when_the_theme_sets_none(tmp_path: Path) -> None:
    plugin_lang = """\
        site_name: t
        theme:
          name: material
        plugins:
          - flowzap:
              cache_dir: false
              lang: fr_CA
    """
    build(tmp_path / "plugin", plugin_lang, {"index.md": FENCE})
    [canadian] = drawn(tmp_path / "plugin" / "site" / "index.html")
    assert has(canadian, "Remplir le panier d’achat") and has(canadian, "Client")  # fr_CA entry, then fr


@pytest.mark.slow
def test_static_i18n_builds_one_svg_per_language(tmp_path: Path) -> None:
    config = """\
        site_name: t
        theme:
          name: material
        plugins:
          - i18n:
              docs_structure: suffix
              languages:
                - locale: en
                  default: true
                  name: English
                  build: true
                - locale: fr
                  name: Français
                  build: true
          - flowzap:
              cache_dir: .flowzap-cache
    """
    root = tmp_path / "site-i18n"
    build(root, config, {"index.md": "# Orders\n\n" + FENCE, "index.fr.md": "# Commandes\n\n" + FENCE})
    [english] = drawn(root / "site" / "index.html")
    [french] = drawn(root / "site" / "fr" / "index.html")
    assert has(english, "Customer") and not has(english, "Client")
    assert has(french, "Client") and not has(french, "Customer")
    # a page with no French version is copied into the French build: its diagram follows the build
    build(root, config, {"other.md": "# Other\n\n" + FENCE})
    [copied] = drawn(root / "site" / "fr" / "other" / "index.html")
    assert has(copied, "Client")
    # the shared disk cache never hands the English drawing to the French build, or back
    build(root, config, {})
    assert drawn(root / "site" / "index.html") == [english]
    assert drawn(root / "site" / "fr" / "index.html") == [french]


@pytest.mark.slow
def test_fence_caption_and_alt_are_translated(tmp_path: Path) -> None:
    config = """\
        site_name: t
        theme:
          name: mkdocs
          locale: fr
        plugins:
          - flowzap:
              cache_dir: false
    """
    header = '```flowzap caption="How an order is handled" alt="How an order is handled"'
    build(tmp_path / "caption", config, {"index.md": FENCE.replace("```flowzap", header, 1)})
    page = (tmp_path / "caption" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<figcaption>Comment une commande est traitée</figcaption>" in page
    assert 'aria-label="Comment une commande est traitée"' in page
    assert "How an order is handled" not in page
