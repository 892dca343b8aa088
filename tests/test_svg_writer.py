"""svgwrite writes the SVG: every drawing passes svgwrite's validator, and the fast writer's
text is the document svgwrite itself would write.

The validating runs go through :func:`flowzap_docs.render.render_svg`, the drawing code every
host uses; :func:`flowzap_docs.svg.writer.validating` only switches the writers it makes to
svgwrite's ``debug=True`` (each attribute and child checked against SVG 1.1 as it is set, and the
whole tree written by svgwrite and compared after canonicalisation).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowzap_docs.render import VIEWS, render_svg
from flowzap_docs.svg.theme import THEMES
from flowzap_docs.svg.writer import EXTRA_ATTRIBUTES, Writer, add, serialize, validating

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = sorted((DATA / "examples").glob("*.fz"))
CORPUS = sorted((DATA / "corpus").glob("*.fz"))


def _both_ways(text: str, **options: str) -> tuple[str, str]:
    fast = render_svg(text, **options)
    with validating():
        checked = render_svg(text, **options)
    return fast, checked


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("path", EXAMPLES + CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_drawing_is_valid_svg_and_the_same_in_both_modes(path: Path, view: str) -> None:
    fast, checked = _both_ways(path.read_text("utf-8"), view=view, filename=path.name)
    assert checked == fast


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_theme_is_valid_svg(theme: str, view: str) -> None:
    for path in EXAMPLES:
        fast, checked = _both_ways(path.read_text("utf-8"), view=view, theme=theme)
        assert checked == fast, path


def test_text_that_needs_escaping_is_written_as_svgwrite_writes_it() -> None:
    """Labels with markup characters, quotes and right-to-left text: the validating run fails
    unless the fast writer's text canonicalises to svgwrite's own."""
    source = ('Ops { # Ops & <Support> "team"\n'
              'n1: circle label:"Start & \\"go\\" <now>"\n'
              'n2: rectangle label:"שלום עולם, a long label that wraps over two lines or more"\n'
              'n1.handle(right) -> n2.handle(left) [label="a > b & c < d"]\n}\n')
    for view in VIEWS:
        fast, checked = _both_ways(source, view=view)
        assert checked == fast
        texts = "".join(ET.fromstring(fast).itertext())
        assert "Ops & <Support>" in texts
        if view == "workflow":
            assert 'Start & "go" <now>' in texts and "a > b & c < d" in texts


def test_validating_mode_rejects_what_svg_does_not_allow() -> None:
    w = Writer(debug=True)
    with pytest.raises(ValueError, match="data-bogus"):
        w.g("fz-x", data_bogus="1")
    with pytest.raises(ValueError, match="aria-label"):
        w.svg({"aria-label": "a name"})
    with pytest.raises(TypeError, match="fill"):
        w.path("M0 0H1", "fz-x")["fill"] = "no-such-colour"
    with pytest.raises(ValueError, match="rect"):
        w.text("label", {"x": "0", "y": "0"}).add(w.rect(0, 0, 1, 1))


def test_the_fast_mode_does_not_validate_and_writes_the_same_markup() -> None:
    fast, checked = Writer(debug=False), Writer(debug=True)
    assert serialize(fast.g("fz-x", data_bogus="1")) == '<g class="fz-x" data-bogus="1"/>'
    trees = [add(w.g("fz-node", data_node="n1"), w.rect(1.25, 2, 3, -4, "fz-shape", 6), w.text("a & b", {"x": "1", "y": "2"}))
             for w in (fast, checked)]
    assert serialize(trees[0]) == serialize(trees[1]) == (
        '<g class="fz-node" data-node="n1"><rect class="fz-shape" x="1.2" y="2" width="3" height="0" rx="6"/>'
        '<text x="1" y="2">a &amp; b</text></g>')


def test_the_attributes_beyond_svg_11_are_allowed_exactly_where_listed() -> None:
    w = Writer(debug=True)
    for element, names in EXTRA_ATTRIBUTES.items():
        for name in names:
            made = w.svg({}) if element == "svg" else w.g() if element == "g" else w.rect(0, 0, 1, 1)
            made[name] = "x"
    with pytest.raises(ValueError):
        w.circle(0, 0, 1)["data-lane"] = "x"


def test_validating_is_scoped_to_its_block() -> None:
    with validating():
        assert Writer().debug
    assert not Writer().debug



def test_attribute_values_that_need_escaping_are_escaped_like_svgwrite_does() -> None:
    """Drawn ids are plain, so the escaping path of the fast writer is checked on its own."""
    w = Writer(debug=False)
    group = add(w.g("fz-node", data_node='a"b&c<d>\x01'), w.text("x\ty", {"x": "1", "y": "2"}))
    ours = serialize(group)
    assert ours == ('<g class="fz-node" data-node="a&quot;b&amp;c&lt;d&gt;"><text x="1" y="2">x&#9;y</text></g>')
    plain_xml = add(w.g("fz-node", data_node='a"b&c<d>'), w.text("x < y", {"x": "1", "y": "2"}))
    assert ET.canonicalize(serialize(plain_xml)) == ET.canonicalize(plain_xml.tostring())  # svgwrite's own
