"""Bad input never crashes extraction: arbitrary pages and diagrams give messages or diagnostics."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from flowzap_docs.blocks import find_markdown_blocks, find_rst_blocks
from flowzap_docs.extract import babel_extract, text_messages

PIECES = st.sampled_from([
    "```flowzap", "```", "~~~flowzap", "~~~", "````markdown", "```{flowzap} x.fz", ":::{flowzap}", ":::",
    ".. flowzap::", ".. flowzap:: /a.fz", "   :caption: Hi", "   ", "", "text::", ".. code-block:: rst",
    "A { # Lane", "}", '  n1: circle label:"Start"', '  n2: rectangle label:"Go" label@fr:"Va"',
    "  n1.handle(right) -> n2.handle(left) [label=\"ok\"]", "  loop [again] n1 n2", "\t```flowzap", "---",
    ":lang: fr", 'n3: taskbox label:"a|b|c"', "é\u0301", "\u202e", "\x00",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40))
def test_block_finders_and_extraction_never_crash(lines: list[str]) -> None:
    text = "\n".join(lines)
    for block in find_markdown_blocks(text) + find_rst_blocks(text):
        assert block.first_line >= 1 and block.line >= 1
    for name in ("page.md", "page.rst", "d.fz"):
        found, diags, _ = text_messages(text, name)
        n_lines = max(len(text.splitlines()), 1)
        assert all(1 <= f.line <= n_lines for f in found), (name, found)
        assert all(d.line >= 1 for d in diags)
    list(babel_extract(io.BytesIO(text.encode("utf-8", "surrogatepass")), [], [], {"format": "md"}))
