"""Drawing wrapped text blocks: one ``<text>``, one line per ``<tspan x= dy=>``.

The layout has already wrapped and measured the text (with Liberation Sans metrics); this only
places baselines.  A block is centred on its ``x``/``y``: the baselines are spread around ``y``
and shifted down by 0.35 em, which puts the middle of the glyphs' ascent-descent box (Liberation
Sans: ascent 0.905, descent 0.212) on the line's centre.
"""

from __future__ import annotations

from ..layout.geometry import TextBlock
from .document import esc, num

#: From a line's vertical centre to its baseline, in em.
BASELINE_SHIFT = 0.35


def draw_text(block: TextBlock, *, cls: str = "", align: str = "middle", base_size: float = 14,
              base_bold: bool = False) -> str:
    """``<text>`` for ``block``; ``align="start"`` left-aligns it (right-aligns a RTL block).

    Right-to-left paragraphs get ``direction="rtl"`` so the bidi algorithm lays them out from
    the right; with ``align="start"`` the anchor is then the block's right edge.
    """
    lines = block.lines
    if not lines:
        return ""
    size = block.font_size
    first = block.y - (len(lines) - 1) * block.line_height / 2 + BASELINE_SHIFT * size
    classes = cls
    if align == "start":
        x = block.x + block.width / 2 if block.rtl else block.x - block.width / 2
        classes = f"{cls} fz-s" if cls else "fz-s"
    else:
        x = block.x
    sx = num(x)
    head = f'<text x="{sx}" y="{num(first)}"'
    if classes:
        head += f' class="{classes}"'
    if abs(size - base_size) > 0.05:
        head += f' font-size="{num(size)}"'
    if block.bold != base_bold:
        head += ' font-weight="bold"' if block.bold else ' font-weight="normal"'
    if block.rtl:
        head += ' direction="rtl"'
    if len(lines) == 1:
        return f"{head}>{esc(lines[0])}</text>"
    dy = num(block.line_height)
    rest = "".join(f'<tspan x="{sx}" dy="{dy}">{esc(line)}</tspan>' for line in lines[1:])
    return f"{head}>{esc(lines[0])}{rest}</text>"
