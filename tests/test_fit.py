"""The ``fit`` option: the legible minimum scale the core works out, and the option in every host.

What a reader sees (text height, scrolling, print) is checked in real Chromium by
``test_browser_fit.py``; here: the numbers and the markup the core writes, and that a bad value
is reported where the writer typed it, in real ``mkdocs build`` and ``sphinx-build`` runs.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import markdown
import pytest
from test_mkdocs_plugin import PLAIN_CONFIG, TINY, fence, mkdocs_build, write_site
from test_sphinx import sphinx_build, warning_lines

from flowzap_docs.html import DEFAULT_FIT, FITS, MIN_TEXT_PX, drawing_box, measure, size_style
from flowzap_docs.render import render_svg

EXAMPLES = Path(__file__).parent / "data" / "examples"
WIDE = (EXAMPLES / "event-driven.fz").read_text(encoding="utf-8")


def font_sizes(svg: str) -> list[float]:
    """Every font size the SVG declares, read independently of the core (any CSS rule, any attribute)."""
    return [float(v) for v in re.findall(r'font-size(?::|=")(\d+(?:\.\d+)?)', svg)]


@pytest.mark.parametrize("name", ["event-driven", "order-approval", "request-response"])
@pytest.mark.parametrize("view", ["workflow", "sequence", "architecture"])
def test_measure_reads_the_natural_width_and_smallest_text(name: str, view: str) -> None:
    svg = render_svg((EXAMPLES / f"{name}.fz").read_text(encoding="utf-8"), view=view)
    drawing = measure(svg)
    assert drawing.width == float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
    assert drawing.smallest_text == min(font_sizes(svg))
    assert drawing.min_scale == min(1.0, MIN_TEXT_PX / drawing.smallest_text)
    assert drawing.legible_width * drawing.smallest_text / drawing.width >= MIN_TEXT_PX - 1e-9
    assert drawing.title and drawing.title in svg


def test_a_label_cannot_pose_as_a_font_size() -> None:
    svg = render_svg('A { # A\nn1: rectangle label:"font-size:2px font-size=\\"1\\""\n}\n')
    assert "font-size:2px" in svg.split("<style>")[0]  # in the title and the description, as written
    assert measure(svg).smallest_text == min(font_sizes(svg.split("<style>")[1].split("</style>")[0])) > 2


@pytest.mark.parametrize("fit", FITS)
def test_size_style_per_fit(fit: str) -> None:
    drawing = measure(render_svg(WIDE))
    style = dict(rule.split(":", 1) for rule in size_style(drawing, fit, None).split(";"))
    assert style["height"] == "auto"
    assert style["max-width"] == ("none" if fit == "none" else "100%")
    if fit == "legible":
        assert style["min-width"] == f"{drawing.legible_width}px"
        assert drawing.legible_width < drawing.width  # scaled down, but not below legible
    else:
        assert "min-width" not in style


def test_the_box_is_a_keyboard_stop_only_when_it_may_scroll() -> None:
    svg = render_svg(WIDE)
    for fit in FITS:
        box = re.match(r"<div [^>]*>", drawing_box(svg, fit=fit, align=None, width=None)).group(0)
        assert ('tabindex="0"' in box) == (fit != "column")
        assert ('role="region"' in box and 'aria-label="Workflow diagram: ' in box) == (fit != "column")
    captioned = drawing_box(svg, fit="legible", align="center", width=None, caption="Events & queues")
    assert 'aria-label="Events &amp; queues"' in captioned and "text-align:center" in captioned


def test_img_is_sized_like_the_inline_drawing() -> None:
    svg = render_svg(WIDE)
    img = drawing_box(svg, fit="legible", align=None, width=None, img_url="d.svg")
    assert f'style="{size_style(measure(svg), "legible", None)}"' in img
    assert 'alt="Workflow diagram: ' in img  # no alt given: the title


# --------------------------------------------------------------------------- Markdown and MkDocs


def test_fence_attribute_and_extension_config() -> None:
    html = markdown.markdown(fence(WIDE, 'flowzap fit="column"'), extensions=["flowzap"])
    assert "flowzap-fit-column" in html and "min-width" not in html
    default = markdown.markdown(fence(WIDE), extensions=["flowzap"])
    assert f"flowzap-fit-{DEFAULT_FIT}" in default
    configured = markdown.markdown(fence(WIDE), extensions=["flowzap"], extension_configs={"flowzap": {"fit": "none"}})
    assert "flowzap-fit-none" in configured and "max-width:none" in configured
    with pytest.raises(ValueError, match="fit='tiny'.*column, legible, none"):
        markdown.markdown("", extensions=["flowzap"], extension_configs={"flowzap": {"fit": "tiny"}})


def test_mkdocs_site_setting_fence_override_and_bad_value_at_its_line(tmp_path: Path) -> None:
    config = PLAIN_CONFIG.replace("cache_dir: .cache/fz", "cache_dir: false\n          fit: column")
    page = "# Fit\n\n" + fence(TINY) + "\n" + fence(TINY, 'flowzap fit="none"') + "\n" + fence(TINY, 'flowzap fit="tiny"')
    root = write_site(tmp_path, config, {"index.md": page})
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"flowzap-fit-(\w+)", html) == ["column", "none"]
    line = page.split("\n").index('```flowzap fit="tiny"') + 1
    assert f'docs/index.md:{line}:1: error[FZ310]: bad fence attribute fit="tiny"' in result.stderr
    assert "expected one of column, legible, none" in result.stderr
    (tmp_path / "bad").mkdir()
    bad = write_site(tmp_path / "bad", PLAIN_CONFIG.replace("cache_dir: .cache/fz", "fit: tiny"), {"index.md": page})
    refused = mkdocs_build(bad)
    assert refused.returncode != 0 and "fit" in refused.stderr and "tiny" in refused.stderr


# --------------------------------------------------------------------------- Sphinx


def test_sphinx_directive_option_config_value_and_bad_values(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nflowzap_fit = "none"\n', encoding="utf-8")
    body = textwrap.indent(TINY, "   ")
    (src / "index.rst").write_text(
        f"Fit\n===\n\n.. flowzap::\n\n{body}\n.. flowzap::\n   :fit: column\n\n{body}\n"
        f".. flowzap::\n   :fit: tiny\n\n{body}", encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out")
    assert build.returncode == 0, build.stderr
    page = build.text("index.html")
    # the config value, the option, and the bad option falling back to the config value
    assert re.findall(r'class="flowzap flowzap-fit-(\w+)', page) == ["none", "column", "none"]
    tiny_line = (src / "index.rst").read_text(encoding="utf-8").split("\n").index(".. flowzap::", 12) + 1
    assert any(w.startswith(f"{src / 'index.rst'}:{tiny_line}: WARNING: :fit: must be one of column, legible, none, "
                            "not 'tiny'") for w in warning_lines(build)), build.stderr

    single = sphinx_build(src, tmp_path / "single", "singlehtml")  # one assembled doctree, one page
    assert single.returncode == 0 and '"_static/flowzap.css?v=' in single.text("index.html")

    (src / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nflowzap_fit = "huge"\n', encoding="utf-8")
    build = sphinx_build(src, tmp_path / "out2")
    assert "flowzap_fit must be one of column, legible, none, not 'huge'; using 'legible'" in build.stderr
    assert re.findall(r'class="flowzap flowzap-fit-(\w+)', build.text("index.html"))[0] == "legible"
