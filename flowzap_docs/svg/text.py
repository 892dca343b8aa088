"""Drawing wrapped text blocks: one ``<text>``, one line per ``<tspan x= dy=>``.

The layout has already wrapped and measured the text (with Liberation Sans metrics); this only
places baselines.  A block is centred on its ``x``/``y``: the baselines are spread around ``y``
and shifted down by 0.35 em, which puts the middle of the glyphs' ascent-descent box (Liberation
Sans: ascent 0.905, descent 0.212) on the line's centre.
"""

from __future__ import annotations

from svgwrite.text import Text

from ..layout.geometry import TextBlock
from .writer import Writer, num

#: From a line's vertical centre to its baseline, in em.
BASELINE_SHIFT = 0.35


def draw_text(writer: Writer, block: TextBlock, *, cls: str = "", align: str = "middle", base_size: float = 14,
              base_bold: bool = False) -> Text | None:
    """``<text>`` for ``block`` (``None`` when it has no line); ``align="start"`` left-aligns it
    (right-aligns a RTL block).

    Right-to-left paragraphs get ``direction="rtl"`` so the bidi algorithm lays them out from
    the right; with ``align="start"`` the anchor is then the block's right edge.
    """
    lines = block.lines
    if not lines:
        return None
    size = block.font_size
    first = block.y - (len(lines) - 1) * block.line_height / 2 + BASELINE_SHIFT * size
    classes = cls
    if align == "start":
        x = block.x + block.width / 2 if block.rtl else block.x - block.width / 2
        classes = f"{cls} fz-s" if cls else "fz-s"
    else:
        x = block.x
    sx = num(x)
    attrs = {"x": sx, "y": num(first)}
    if classes:
        attrs["class"] = classes
    if abs(size - base_size) > 0.05:
        attrs["font-size"] = num(size)
    if block.bold != base_bold:
        attrs["font-weight"] = "bold" if block.bold else "normal"
    if block.rtl:
        attrs["direction"] = "rtl"
    text = writer.text(lines[0], attrs)
    if len(lines) > 1:
        dy = num(block.line_height)
        for line in lines[1:]:
            text.add(writer.tspan(line, sx, dy))
    return text
