"""Text blocks for the views: the shared text module's metrics and wrapping, in one call.

Both views place many small texts (message labels, headers, list items).  This module turns a
string into a :class:`~flowzap_docs.layout.geometry.TextBlock` with the real font metrics of
``flowzap_docs.text``, so the views measure exactly like the workflow view does.
"""

from __future__ import annotations

from ..text.bidi import is_rtl
from ..text.metrics import text_width
from ..text.wrap import wrap_text
from .geometry import TextBlock

LINE_FACTOR = 1.25  # baseline distance as a multiple of the font size


def measure(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in px at ``size``."""
    return text_width(text, size, bold)


def block(text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 6,
          x: float = 0.0, y: float = 0.0) -> TextBlock:
    """``text`` wrapped to ``width`` px, as a block centred on (x, y); past ``max_lines`` the
    last line ends in "…"."""
    wrapped = wrap_text(text, width, size, bold=bold, max_lines=max_lines) if text else None
    lines = tuple(wrapped.lines) if wrapped and any(wrapped.lines) else ()
    widest = wrapped.width if lines and wrapped else 0.0
    height = len(lines) * size * LINE_FACTOR
    return TextBlock(lines, x, y, widest, height, size * LINE_FACTOR, size, bold, is_rtl(text))


def ellipsize(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` cut to fit ``width`` with a trailing "…" (unchanged when it already fits)."""
    lines = wrap_text(text, width, size, bold=bold, max_lines=1).lines
    return lines[0] if lines else ""


def moved(tb: TextBlock, x: float, y: float) -> TextBlock:
    """The same block centred on (x, y)."""
    return TextBlock(tb.lines, x, y, tb.width, tb.height, tb.line_height, tb.font_size, tb.bold, tb.rtl)


