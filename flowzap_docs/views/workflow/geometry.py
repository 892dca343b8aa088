"""What the workflow layout hands to the workflow drawing: every band, box, line and label placed.

This is the contract between :mod:`flowzap_docs.views.workflow.layout` (which decides *where*)
and :mod:`flowzap_docs.views.workflow.draw` (which decides *how it looks*).  Coordinates are SVG
user units (px), origin top-left, y growing downwards.  Everything is frozen so a layout can be
cached and compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...layout.geometry import Point, Rect, TextBlock

__all__ = ["LaneBand", "LoopFrame", "PlacedNode", "Point", "Rect", "RoutedEdge", "TextBlock", "WorkflowLayout"]


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
