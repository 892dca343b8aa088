"""What the layout engine hands to the drawing code: every box, band, line and label placed.

This is the contract between ``flowzap_docs.layout`` (which decides *where*) and
``flowzap_docs.svg`` (which decides *how it looks*).  Coordinates are SVG user units (px),
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


@dataclass(frozen=True)
class LaneBand:
    """A lane's full-width band and its header cell on the left."""

    lane_id: str
    box: Rect
    header: Rect
    title: TextBlock


@dataclass(frozen=True)
class PlacedNode:
    """A node's outline box and its text blocks (label; taskbox: title, items, fields)."""

    node_id: str
    lane_id: str
    shape: str
    box: Rect
    texts: tuple[TextBlock, ...]


@dataclass(frozen=True)
class RoutedEdge:
    """An orthogonal connector: ``points`` from the source handle to the target handle
    (first and last points lie on the named sides; corners are rounded when drawn)."""

    edge_id: str
    source: str
    target: str
    source_side: str
    target_side: str
    points: tuple[Point, ...]
    label: TextBlock | None = None
    label_box: Rect | None = None


@dataclass(frozen=True)
class LoopFrame:
    """A dashed frame round a loop's nodes, with its ``loop [condition]`` caption."""

    index: int
    box: Rect
    caption: TextBlock
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class WorkflowLayout:
    """The whole placed workflow picture; ``width``/``height`` give the SVG viewBox."""

    width: float
    height: float
    lanes: tuple[LaneBand, ...]
    nodes: tuple[PlacedNode, ...]
    edges: tuple[RoutedEdge, ...]
    loops: tuple[LoopFrame, ...] = ()
