"""The one Markdown fence scanner (:mod:`flowzap_docs.fences`): ``flowzap extract`` and the MkDocs
adapter see the same fences, so every diagram a site draws has its messages in the catalog, at
the lines the site's error messages name."""

from __future__ import annotations

from pathlib import Path

import markdown
from flowzap_docs.mkdocs_plugin.locate import FenceLocator

from flowzap_docs.blocks import find_markdown_blocks
from flowzap_docs.extract import text_messages
from flowzap_docs.fences import scan_text

#: Fences at the margin, in a block quote, in a list, inside a ````markdown example, with tildes.
PAGE = (Path(__file__).parent / "data" / "fences" / "page.md").read_text(encoding="utf-8")
LABELS = ("One", "Two", "Three", "Four", "Five")


def line_of(text: str) -> int:
    """The 1-based line of the page that holds ``text``."""
    return next(n for n, line in enumerate(PAGE.split("\n"), 1) if text in line)


def test_extract_and_mkdocs_agree_on_the_fences_and_their_lines() -> None:
    html = markdown.markdown(PAGE, extensions=["flowzap", "pymdownx.superfences"])
    drawn = [label for label in LABELS if f">{label}<" in html]
    assert drawn == ["One", "Two", "Three", "Five"]  # "Four" is an example inside another fence

    found, problems, blocks = text_messages(PAGE, "page.md")
    assert problems == []
    assert [(m.text, m.line) for m in found if m.text in LABELS] == [(label, line_of(f'"{label}"')) for label in drawn]

    scanned = [f.start + 1 for f in scan_text(PAGE) if f.is_a("flowzap")]
    assert [b.line for b in blocks] == scanned
    locator = FenceLocator(PAGE)
    assert [locator.take(b.text.rstrip("\n")).line for b in blocks] == scanned  # type: ignore[union-attr]


def test_a_fence_in_a_block_quote_is_extracted_without_its_quote_markers() -> None:
    [quoted] = [b for b in find_markdown_blocks(PAGE) if "Beta" in b.text]
    assert quoted.text == 'B { # Beta\nn1: circle label:"Two"\n}\n'
    assert quoted.indent == 2 and quoted.first_line == line_of("# Beta")


def test_colon_fences_are_myst_only() -> None:
    text = ":::{note}\n```flowzap\nA { # A\n}\n```\n:::\n"
    assert [f.fence for f in scan_text(text)] == ["```"]  # Python-Markdown: ::: is text
    assert [f.fence for f in scan_text(text, colons=True)] == [":::"]  # MyST: a fence, inside skipped
