"""The immutable model of a FlowZap Code diagram.

Every stage after parsing (translation, layout, drawing, export) reads these frozen
dataclasses and returns new values; nothing mutates a diagram.  Every element keeps the
1-based line and column of the statement that declared it, so later stages (and the host
adapters) can point a writer at the exact source line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from .diagnostics import Diagnostic

Side = Literal["left", "right", "top", "bottom"]
Shape = Literal["circle", "rectangle", "diamond", "taskbox"]

SIDES: tuple[str, ...] = ("left", "right", "top", "bottom")
SHAPES: tuple[str, ...] = ("circle", "rectangle", "diamond", "taskbox")
#: Translatable text fields of a node, in drawing order.
NODE_TEXT_FIELDS: tuple[str, ...] = ("label", "owner", "description", "system")


@dataclass(frozen=True)
class Translation:
    """An inline per-language text: ``label@fr:"Début"`` -> ``Translation("label", "fr", "Début")``."""

    field: str
    lang: str
    text: str


@dataclass(frozen=True)
class Lane:
    """A swimlane. ``title`` is the display name as written (``None`` when absent)."""

    id: str
    title: str | None
    line: int
    column: int
    translations: tuple[Translation, ...] = ()

    @property
    def display_name(self) -> str:
        """What a reader sees: the display name, else the id (the app does the same)."""
        return self.title if self.title else self.id


@dataclass(frozen=True)
class Node:
    """A step inside a lane.  ``label`` is ``""`` when absent (taskbox titles fall back to
    ``description``, see :attr:`title`)."""

    id: str
    lane: str
    shape: Shape
    label: str
    line: int
    column: int
    owner: str | None = None
    description: str | None = None
    system: str | None = None
    translations: tuple[Translation, ...] = ()

    @property
    def title(self) -> str:
        """The main text: for a taskbox the part of the label before the first ``|``
        (or the description when there is no label)."""
        if self.shape != "taskbox":
            return self.label
        return (self.label or self.description or "").split("|")[0].strip()

    @property
    def sub_items(self) -> tuple[str, ...]:
        """Taskbox sub-items: the ``|``-separated parts of the label after the title."""
        if self.shape != "taskbox" or "|" not in self.label:
            return ()
        return tuple(part.strip() for part in self.label.split("|")[1:] if part.strip())


@dataclass(frozen=True)
class Edge:
    """An arrow.  ``id`` is ``e1``, ``e2``, ... in source order (the order matters: the
    sequence view draws messages in it and layout breaks ties with it)."""

    id: str
    source: str
    source_side: Side
    target: str
    target_side: Side
    line: int
    column: int
    label: str | None = None
    lane: str | None = None  # the lane block it was written in; None outside every lane
    source_prefix: str | None = None
    target_prefix: str | None = None
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class Loop:
    """``loop [condition] n1 n2 ...``: a frame (workflow) or fragment (sequence)."""

    condition: str
    nodes: tuple[str, ...]
    line: int
    column: int
    lane: str | None = None
    translations: tuple[Translation, ...] = ()


@dataclass(frozen=True)
class Diagram:
    """A parsed diagram: lanes in declaration order, nodes in declaration order, edges and
    loops in source order, and the style warnings found (errors raise instead)."""

    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    loops: tuple[Loop, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    _node_index: dict[str, Node] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_node_index", {n.id: n for n in self.nodes})

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if none: a parsed diagram has no dangling ids)."""
        return self._node_index[node_id]

    def lane(self, lane_id: str) -> Lane:
        for lane in self.lanes:
            if lane.id == lane_id:
                return lane
        raise KeyError(lane_id)

    def nodes_in(self, lane_id: str) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.lane == lane_id)

    def with_changes(self, **changes: object) -> Diagram:
        """A copy with some fields replaced (``dataclasses.replace`` keeping the index right)."""
        return replace(self, **changes)  # type: ignore[arg-type]
