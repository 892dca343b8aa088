"""Generate ``flowzap_docs/text/liberation_sans.json``: advance widths for text measurement.

The SVG names the font stack "Liberation Sans, Arial, Helvetica, sans-serif"; those three are
metric-compatible, so one table of Liberation Sans advances measures text the way every reader's
browser draws it.  Hebrew and Arabic are not in Liberation Sans: browsers fall back (here to
DejaVu Sans), so their advances come from DejaVu Sans.

Widths are stored in thousandths of an em, as runs ``[first_codepoint, [w, w, ...]]`` over the
code points the font covers, which keeps the committed file small.

Needs fontTools (not a runtime dependency)::

    python -m venv /tmp/ftvenv && /tmp/ftvenv/bin/pip install fonttools
    /tmp/ftvenv/bin/python tools/gen_metrics.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from flowzap_docs.files import write_atomic  # noqa: E402 (no dependency beyond the standard library)

LIBERATION = Path("/usr/share/fonts/truetype/liberation")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
OUT = Path(__file__).resolve().parent.parent / "flowzap_docs" / "text" / "liberation_sans.json"

#: Latin, Latin-1, Latin Extended A/B, IPA, modifiers, combining marks, Greek, Cyrillic,
#: Latin Extended Additional, punctuation, currency, letterlike, number forms, arrows, maths,
#: technical, box drawing, geometric shapes.
LATIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x250, 0x2FF),
    (0x300, 0x36F),
    (0x370, 0x3FF),
    (0x400, 0x52F),
    (0x1E00, 0x1FFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x218F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2300, 0x23FF),
    (0x2500, 0x25FF),
    (0x2600, 0x26FF),
    (0xFB00, 0xFB06),
)
#: Scripts taken from the fallback font.
FALLBACK_RANGES: tuple[tuple[int, int], ...] = ((0x590, 0x5FF), (0x600, 0x6FF), (0x750, 0x77F), (0xFB1D, 0xFB4F))


def advances(font_path: Path, ranges: tuple[tuple[int, int], ...]) -> list[list[object]]:
    """Runs of advance widths (thousandths of an em) for the covered code points in ranges."""
    font = TTFont(str(font_path), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    upem = font["head"].unitsPerEm
    runs: list[list[object]] = []
    for first, last in ranges:
        current: list[int] | None = None
        for cp in range(first, last + 1):
            glyph = cmap.get(cp)
            if glyph is None:
                current = None
                continue
            width = round(hmtx[glyph][0] * 1000 / upem)
            if current is None:
                current = []
                runs.append([cp, current])
            current.append(width)
    return runs


def main() -> int:
    table = {
        "about": "Advance widths in 1/1000 em; runs of [first code point, widths]. tools/gen_metrics.py",
        "regular": advances(LIBERATION / "LiberationSans-Regular.ttf", LATIN_RANGES)
        + advances(DEJAVU / "DejaVuSans.ttf", FALLBACK_RANGES),
        "bold": advances(LIBERATION / "LiberationSans-Bold.ttf", LATIN_RANGES)
        + advances(DEJAVU / "DejaVuSans-Bold.ttf", FALLBACK_RANGES),
    }
    text = json.dumps(table, separators=(",", ":"), sort_keys=True)
    write_atomic(OUT, text + "\n")
    print(f"wrote {OUT} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
