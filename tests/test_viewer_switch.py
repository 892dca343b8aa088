"""The viewer's ``zoom`` switch in every host: per site, per diagram, and bad values where typed.

What the switch does in a browser (a button or none, the script or none) is checked in
test_viewer_sites.py; here: the markup and links the real ``mkdocs build`` and
``sphinx-build`` write, and the messages.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from test_mkdocs_plugin import PLAIN_CONFIG, TINY, fence, mkdocs_build, write_site
from test_sphinx import sphinx_build, warning_lines

from flowzap_docs.assets import VIEWER_ASSETS
from flowzap_docs.viewer import NO_ZOOM_CLASS, parse_switch

VIEWER_JS = next(asset.name for asset in VIEWER_ASSETS if asset.kind == "js")
FIGURE_CLASSES = re.compile(r'<(?:div|figure)\b[^>]*\sclass="(flowzap-figure [^"]*|flowzap flowzap-fit[^"]*)"')


@pytest.mark.parametrize(("value", "expected"), [
    ("", True), ("zoom", True), ("true", True), ("On", True), (" yes ", True), ("1", True), (True, True),
    ("false", False), ("OFF", False), ("no", False), ("0", False), (False, False),
    ("maybe", None), ("2", None),
])
def test_parse_switch(value: str | bool, expected: bool | None) -> None:
    assert parse_switch(value) is expected


def zoom_marks(html: str) -> list[bool]:
    """For each diagram figure of the page: is its viewer on (no opt-out class)?"""
    return [NO_ZOOM_CLASS not in classes.split() for classes in FIGURE_CLASSES.findall(html)]


def test_mkdocs_site_off_a_fence_on_and_a_bad_value_at_its_line(tmp_path: Path) -> None:
    config = PLAIN_CONFIG.replace("cache_dir: .cache/fz", "cache_dir: false\n          zoom: false")
    on_page = "# On\n\n" + fence(TINY) + "\n" + fence(TINY.replace("Tiny", "Big"), 'flowzap zoom="true"')
    bad_page = "# Bad\n\n" + fence(TINY, 'flowzap zoom="maybe"')
    root = write_site(tmp_path, config, {"index.md": "# Off\n\n" + fence(TINY), "on.md": on_page, "bad.md": bad_page})
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    on = (root / "site" / "on" / "index.html").read_text(encoding="utf-8")
    assert zoom_marks(index) == [False] and VIEWER_JS not in index
    assert zoom_marks(on) == [False, True] and on.count(VIEWER_JS) == 1
    for asset in VIEWER_ASSETS:
        assert (root / "site" / "assets" / "flowzap" / asset.name).read_bytes() == asset.data
    line = bad_page.split("\n").index('```flowzap zoom="maybe"') + 1
    assert f'docs/bad.md:{line}:1: error[FZ310]: bad fence attribute zoom="maybe"' in result.stderr
    assert "expected true or false" in result.stderr
    assert mkdocs_build(root, "--strict").returncode != 0


def test_mkdocs_site_without_any_viewer_writes_no_viewer_files(tmp_path: Path) -> None:
    config = PLAIN_CONFIG.replace("cache_dir: .cache/fz", "cache_dir: false")
    root = write_site(tmp_path, config, {"index.md": "# Off\n\n" + fence(TINY, 'flowzap zoom="off"')})
    assert mkdocs_build(root, "--strict").returncode == 0
    assert zoom_marks((root / "site" / "index.html").read_text(encoding="utf-8")) == [False]
    written = sorted(p.name for p in (root / "site" / "assets" / "flowzap").iterdir())
    assert written == ["flowzap.css"]
    (tmp_path / "bad").mkdir()
    bad = write_site(tmp_path / "bad", PLAIN_CONFIG.replace("cache_dir: .cache/fz", "zoom: sometimes"),
                     {"index.md": "# x\n"})
    refused = mkdocs_build(bad)
    assert refused.returncode != 0 and "zoom" in refused.stderr


def test_sphinx_config_value_directive_flag_and_bad_value(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nflowzap_zoom = False\n', encoding="utf-8")
    body = textwrap.indent(TINY, "   ")
    (src / "index.rst").write_text(f"Off\n===\n\n.. toctree::\n\n   on\n\n.. flowzap::\n\n{body}", encoding="utf-8")
    (src / "on.rst").write_text(
        f"On\n==\n\n.. flowzap::\n   :zoom:\n\n{body}\n.. flowzap::\n\n{body}\n"
        f".. flowzap::\n   :zoom: maybe\n\n{body}", encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out")
    assert build.returncode == 0, build.stderr
    index, on = build.text("index.html"), build.text("on.html")
    assert zoom_marks(index) == [False] and VIEWER_JS not in index
    # the flag wins over the site's setting; a bad value falls back to it
    assert zoom_marks(on) == [True, False, False] and on.count(VIEWER_JS) == 1
    assert (build.out / "_static" / VIEWER_JS).exists()
    bad_line = (src / "on.rst").read_text(encoding="utf-8").split("\n").index("   :zoom: maybe")
    assert any(w.startswith(f"{src / 'on.rst'}:{bad_line}: WARNING: :zoom: must be true or false")
               for w in warning_lines(build)), build.stderr
    assert sphinx_build(src, tmp_path / "strict", "html", "-W").returncode != 0


def test_sphinx_default_is_on(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\n', encoding="utf-8")
    body = textwrap.indent(TINY, "   ")
    (src / "index.rst").write_text(f"On\n==\n\n.. flowzap::\n\n{body}\n.. flowzap::\n   :zoom: off\n\n{body}",
                                   encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out", "html", "-W")
    assert build.returncode == 0, build.stderr
    page = build.text("index.html")
    assert zoom_marks(page) == [True, False] and page.count(VIEWER_JS) == 1


def test_sphinx_epub_gets_no_viewer(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nproject = "e"\n', encoding="utf-8")
    (src / "index.rst").write_text(f"Book\n====\n\n.. flowzap::\n\n{textwrap.indent(TINY, '   ')}", encoding="utf-8")
    build = sphinx_build(src, tmp_path / "epub", "epub")
    assert build.returncode == 0, build.stderr
    page = build.text("index.xhtml")
    assert "flowzap.css" in page and VIEWER_JS not in page and "flowzap-viewer.css" not in page
    html = sphinx_build(src, tmp_path / "html")
    assert html.text("index.html").count(VIEWER_JS) == 1  # the same page in HTML has it
