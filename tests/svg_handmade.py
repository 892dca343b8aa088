"""A small diagram and its layout, placed by hand, so drawing tests do not depend on the engine.

Two lanes: ``Sales`` holds a start circle, a step, a decision and an RTL step; ``Ops`` holds a
taskbox card.  Edges cover a plain connector, a labelled branch with bends and a cross-lane drop.
"""

from __future__ import annotations

from flowzap_docs.layout.geometry import Point, Rect, TextBlock
from flowzap_docs.model import Diagram, Edge, Lane, Loop, Node
from flowzap_docs.views.workflow.geometry import LaneBand, LoopFrame, PlacedNode, RoutedEdge, WorkflowLayout


def text(lines: tuple[str, ...] | str, x: float, y: float, *, size: float = 14, bold: bool = False,
         rtl: bool = False, width: float | None = None) -> TextBlock:
    lines = (lines,) if isinstance(lines, str) else lines
    lh = size * 1.25
    w = width if width is not None else max(len(s) for s in lines) * size * 0.55
    return TextBlock(lines, x, y, w, lh * len(lines), lh, size, bold, rtl)


def diagram() -> Diagram:
    lanes = (Lane("Sales", "Sales team", 1, 1), Lane("Ops", "Operations", 10, 1))
    nodes = (
        Node("n1", "Sales", "circle", "Start", 2, 1),
        Node("n2", "Sales", "rectangle", 'Check "stock" & <price>', 3, 1),
        Node("n3", "Sales", "diamond", "OK?", 4, 1),
        Node("n4", "Sales", "rectangle", "مراجعة الطلب", 5, 1),
        Node("n5", "Ops", "taskbox", "Review|Check docs", 11, 1, owner="Alice", system="CRM"),
    )
    edges = (
        Edge("e1", "n1", "right", "n2", "left", 6, 1),
        Edge("e2", "n2", "right", "n3", "left", 7, 1),
        Edge("e3", "n3", "right", "n4", "left", 8, 1, label="Yes"),
        Edge("e4", "n3", "bottom", "n5", "top", 9, 1, label="No"),
        Edge("e5", "n5", "right", "n4", "bottom", 12, 1),
    )
    loops = (Loop("retry", ("n2", "n3"), 13, 1),)
    return Diagram(lanes, nodes, edges, loops)


def layout() -> WorkflowLayout:
    lanes = (
        LaneBand("Sales", Rect(0, 0, 760, 140), Rect(0, 0, 110, 140), text("Sales team", 55, 70, bold=True)),
        LaneBand("Ops", Rect(0, 140, 760, 160), Rect(0, 140, 110, 160), text("Operations", 55, 220, bold=True)),
    )
    nodes = (
        PlacedNode("n1", "Sales", "circle", Rect(140, 50, 40, 40), (text("Start", 160, 110, size=12),)),
        PlacedNode("n2", "Sales", "rectangle", Rect(220, 45, 150, 50),
                   (text(("Check \"stock\" &", "<price>"), 295, 70, width=130),)),
        PlacedNode("n3", "Sales", "diamond", Rect(410, 40, 80, 60), (text("OK?", 450, 70),)),
        PlacedNode("n4", "Sales", "rectangle", Rect(560, 45, 150, 50), (text("مراجعة الطلب", 635, 70, rtl=True),)),
        PlacedNode("n5", "Ops", "taskbox", Rect(390, 180, 140, 90), (
            text("Review", 460, 196, bold=True),
            text(("• Check docs",), 460, 222, size=12),
            text(("Owner: Alice", "System: CRM"), 460, 250, size=12),
        )),
    )
    edges = (
        RoutedEdge("e1", "n1", "n2", "right", "left", (Point(180, 70), Point(220, 70))),
        RoutedEdge("e2", "n2", "n3", "right", "left", (Point(370, 70), Point(410, 70))),
        RoutedEdge("e3", "n3", "n4", "right", "left", (Point(490, 70), Point(560, 70)),
                   text("Yes", 525, 60, size=12), Rect(512, 52, 26, 16)),
        RoutedEdge("e4", "n3", "n5", "bottom", "top", (Point(450, 100), Point(450, 140), Point(460, 140),
                                                       Point(460, 180)),
                   text("No", 470, 120, size=12), Rect(460, 112, 20, 16)),
        RoutedEdge("e5", "n5", "n4", "right", "bottom", (Point(530, 225), Point(635, 225), Point(635, 95))),
    )
    loops = (LoopFrame(0, Rect(210, 30, 290, 90), text("loop [retry]", 250, 22, size=12), ("n2", "n3")),)
    return WorkflowLayout(760, 300, lanes, nodes, edges, loops)
