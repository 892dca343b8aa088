"""The geometry every view's layout hands to its drawing code: points, rectangles, placed text.

Each view's layout decides *where* (``flowzap_docs.views.*.layout``); its drawing and the shared
``flowzap_docs.svg`` helpers decide *how it looks*.  Coordinates are SVG user units (px),
origin top-left, y growing downwards.  Everything is frozen so a layout can be cached and
compared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    """A point (px)."""

    x: float
    y: float


@dataclass(frozen=True)
class Rect:
    """An axis-parallel rectangle: top-left corner and size (px)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> Point:
        return Point(self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True)
class TextBlock:
    """Wrapped text, ready to draw: one string per line, its anchor point and metrics.

    ``x``/``y`` is the centre of the block; ``line_height`` the distance between baselines;
    ``rtl`` marks a right-to-left paragraph (drawn with ``direction="rtl"``).
    ``role`` says what the text is, for styling only (the lines are final, draw them as given):
    ``label``, ``title``, ``item``, ``owner``, ``system``, ``description`` (node texts),
    ``lane`` (lane header), ``edge`` (edge label), ``caption`` (loop caption); ``""`` if unset.
    """

    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float
    line_height: float
    font_size: float
    bold: bool = False
    rtl: bool = False
    role: str = ""
