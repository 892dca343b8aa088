"""The workflow (swimlane) view: a placed :class:`WorkflowLayout` drawn as SVG.

The layout engine decides where everything goes; this module only decides how it looks, and
keeps the SVG contract the docs and tests rely on::

    .fz-lane[data-lane]            > .fz-lane-box, .fz-lane-head, title text
    .fz-loop[data-loop]            > dashed rect, caption "loop [condition]"
    .fz-node[data-node][data-shape][data-lane] > .fz-shape, label text
    .fz-edge[data-from][data-to][data-from-handle][data-to-handle]
                                   > .fz-edge-path, optional .fz-edge-label (rect + text)

Paint order is lanes, loop frames, nodes, then connectors (unlabelled before labelled), so
arrowheads sit on top of node outlines and a label's background is painted after every line
it could otherwise be struck through by.
"""

from __future__ import annotations

import math

from svgwrite.base import BaseElement

from ...layout.geometry import Point, Rect, TextBlock
from ...model import Diagram
from ...svg.describe import describe, title
from ...svg.document import arrow_marker, svg_document
from ...svg.paths import rounded_path
from ...svg.text import draw_text
from ...svg.writer import Writer, add, num
from .geometry import LaneBand, LoopFrame, PlacedNode, RoutedEdge, WorkflowLayout
from .layout import layout_workflow

#: The workflow view's CSS (``{p}`` is the scoped root selector ``#prefix``).
RULES: tuple[str, ...] = (
    "{p} .fz-lane-box{{fill:var(--fz-lane);stroke:var(--fz-border)}}",
    "{p} .fz-lane-head{{fill:var(--fz-head);stroke:var(--fz-border)}}",
    "{p} .fz-shape{{fill:var(--fz-node);stroke:var(--fz-stroke);stroke-width:1.5}}",
    "{p} [data-shape=circle] .fz-shape{{fill:var(--fz-start)}}",
    "{p} [data-shape=diamond] .fz-shape{{fill:var(--fz-decision)}}",
    "{p} [data-shape=taskbox] .fz-shape{{fill:var(--fz-task)}}",
    "{p} .fz-rule{{fill:none;stroke:var(--fz-stroke);stroke-width:1}}",
    "{p} .fz-edge-path{{fill:none;stroke:var(--fz-edge);stroke-width:1.5;marker-end:url({p}-a)}}",
    "{p} .fz-edge-path.fz-tight{{marker-end:url({p}-s)}}",
    # The label's background is the lane colour: the connector looks interrupted, not boxed.
    "{p} .fz-edge-label rect{{fill:var(--fz-lane)}}",
    "{p} .fz-edge-label text{{fill:var(--fz-muted)}}",
    "{p} .fz-loop rect{{fill:none;stroke:var(--fz-loop);stroke-width:1.2;stroke-dasharray:6 4}}",
    # A halo in the background colour keeps the caption readable where a connector passes.
    "{p} .fz-loop text{{fill:var(--fz-loop);stroke:var(--fz-lane);stroke-width:3px;paint-order:stroke}}",
)

#: Corner radius of rectangles and taskbox cards.
RECT_RADIUS = 6
CARD_RADIUS = 4


class Bases:
    """What texts inherit from the stylesheet, per role: the most common size (and weight), so
    only exceptions carry their own attributes."""

    def __init__(self, layout: WorkflowLayout):
        self.node = _most_common([round(b.font_size, 1) for n in layout.nodes for b in n.texts], 14.0)
        self.edge = _most_common([round(e.label.font_size, 1) for e in layout.edges if e.label is not None],
                                 self.node)
        self.lane = _most_common([round(band.title.font_size, 1) for band in layout.lanes], self.node)
        self.lane_bold = _most_common([band.title.bold for band in layout.lanes], True)

    def rules(self) -> tuple[str, ...]:
        weight = "700" if self.lane_bold else "400"
        return (
            f"{{p}} .fz-lane{{{{font-size:{num(self.lane)}px;font-weight:{weight}}}}}",
            f"{{p}} .fz-edge-label{{{{font-size:{num(self.edge)}px}}}}",
        )


def _most_common(values: list, default: object):  # noqa: ANN001, ANN202
    """The most frequent value, the first seen among equals (as ``Counter.most_common``)."""
    if not values:
        return default
    counts: dict[object, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.__getitem__)


def _lane(w: Writer, band: LaneBand, bases: Bases) -> BaseElement:
    b, h = band.box, band.header
    return add(
        w.g("fz-lane", data_lane=band.lane_id),
        w.rect(b.x, b.y, b.width, b.height, "fz-lane-box"),
        w.rect(h.x, h.y, h.width, h.height, "fz-lane-head"),
        draw_text(w, band.title, cls="fz-lane-title", base_size=bases.lane, base_bold=bases.lane_bold),
    )


def _loop(w: Writer, frame: LoopFrame, fs: float) -> BaseElement:
    b = frame.box
    return add(
        w.g("fz-loop", data_loop=str(frame.index)),
        w.rect(b.x, b.y, b.width, b.height, rx=RECT_RADIUS),
        draw_text(w, frame.caption, align="start", base_size=fs),
    )


def _shape(w: Writer, node: PlacedNode) -> BaseElement:
    b = node.box
    if node.shape == "circle":
        c = b.center
        return w.circle(c.x, c.y, min(b.width, b.height) / 2, "fz-shape")
    if node.shape == "diamond":
        c = b.center
        cx, cy = num(c.x), num(c.y)
        return w.path(f"M{cx} {num(b.y)}L{num(b.right)} {cy}L{cx} {num(b.bottom)}L{num(b.x)} {cy}z", "fz-shape")
    radius = CARD_RADIUS if node.shape == "taskbox" else RECT_RADIUS
    return w.rect(b.x, b.y, b.width, b.height, "fz-shape", radius)


def _card_rule(w: Writer, node: PlacedNode) -> BaseElement | None:
    """The line under a taskbox's title, between the title block and the card's other lines."""
    if node.shape != "taskbox" or len(node.texts) < 2:
        return None
    title_block, below = node.texts[0], node.texts[1]
    y = (title_block.y + title_block.height / 2 + below.y - below.height / 2) / 2
    inset = 8
    b = node.box
    return w.path(f"M{num(b.x + inset)} {num(y)}H{num(b.right - inset)}", "fz-rule")


def _node(w: Writer, node: PlacedNode, fs: float) -> BaseElement:
    group = add(
        w.g("fz-node", data_node=node.node_id, data_shape=node.shape, data_lane=node.lane_id),
        _shape(w, node),
        _card_rule(w, node),
    )
    for i, block in enumerate(node.texts):
        secondary = node.shape == "taskbox" and i > 0
        add(group, draw_text(w, block, cls="fz-m" if secondary else "", base_size=fs))
    return group


def _edge_label(w: Writer, label: TextBlock, box: Rect | None, fs: float) -> BaseElement:
    if box is None:
        pad = 3
        x, y = label.x - label.width / 2 - pad, label.y - label.height / 2 - 1
        width, height = label.width + 2 * pad, label.height + 2
    else:
        x, y, width, height = box.x, box.y, box.width, box.height
    return add(w.g("fz-edge-label"), w.rect(x, y, width, height), draw_text(w, label, base_size=fs))


def _touch(node: PlacedNode, side: str, end: Point, toward: Point) -> Point:
    """Move a connector end from the node's box side onto its real outline.

    The layout spreads several ends along a side of the node's *box*; for a circle or a
    diamond that point can float off the shape (a gap before the arrowhead).  Sliding it
    along the side's normal onto the outline keeps the connector perpendicular to the side.
    """
    if node.shape not in ("circle", "diamond"):
        return end
    horizontal = side in ("left", "right")
    if (abs(toward.y - end.y) if horizontal else abs(toward.x - end.x)) > 0.05:
        return end  # the connector does not leave along the side's normal: leave it as routed
    b = node.box
    cx, cy, hw, hh = b.x + b.width / 2, b.y + b.height / 2, b.width / 2, b.height / 2
    if hw <= 0 or hh <= 0:
        return end
    off = abs(end.y - cy) if horizontal else abs(end.x - cx)
    half_across = hh if horizontal else hw
    half_along = hw if horizontal else hh
    if node.shape == "circle":
        r = min(hw, hh)
        if off >= r:
            return end
        reach = math.sqrt(r * r - off * off)
    else:
        if off >= half_across:
            return end
        reach = half_along * (1 - off / half_across)
    if side == "left":
        return Point(cx - reach, end.y)
    if side == "right":
        return Point(cx + reach, end.y)
    if side == "top":
        return Point(end.x, cy - reach)
    return Point(end.x, cy + reach)


def _on_outline(edge: RoutedEdge, nodes: dict[str, PlacedNode]) -> tuple[Point, ...]:
    points = edge.points
    if len(points) < 2:
        return points
    first, last = points[0], points[-1]
    src, dst = nodes.get(edge.source), nodes.get(edge.target)
    if src is not None:
        first = _touch(src, edge.source_side, first, points[1])
    if dst is not None:
        last = _touch(dst, edge.target_side, last, points[-2])
    if first is points[0] and last is points[-1]:
        return points
    return (first, *points[1:-1], last)


#: Arrow ends closer than this along one side get the small arrowhead, so they stay apart.
TIGHT_GAP = 9.0


def _crowded_ends(layout: WorkflowLayout) -> set[str]:
    """Edges whose arrowhead would touch a neighbour's: several ends close together on one side."""
    ends: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for edge in layout.edges:
        if len(edge.points) < 2:
            continue
        end = edge.points[-1]
        along = end.x if edge.target_side in ("top", "bottom") else end.y
        ends.setdefault((edge.target, edge.target_side), []).append((along, edge.edge_id))
    crowded: set[str] = set()
    for items in ends.values():
        items.sort()
        for (a, ea), (b, eb) in zip(items, items[1:], strict=False):
            if 0.05 < b - a < TIGHT_GAP:
                crowded.update((ea, eb))
    return crowded


def _edge(w: Writer, edge: RoutedEdge, fs: float, nodes: dict[str, PlacedNode], tight: bool = False) -> BaseElement:
    group = add(
        w.g("fz-edge", data_from=edge.source, data_to=edge.target, data_from_handle=edge.source_side,
            data_to_handle=edge.target_side),
        w.path(rounded_path(_on_outline(edge, nodes)), "fz-edge-path fz-tight" if tight else "fz-edge-path"),
    )
    if edge.label is not None and edge.label.lines:
        group.add(_edge_label(w, edge.label, edge.label_box, fs))
    return group


def draw_workflow(diagram: Diagram, layout: WorkflowLayout, *, theme: str = "default", id_prefix: str) -> str:
    """The SVG text of a laid-out workflow (no layout work happens here)."""
    w = Writer()
    bases = Bases(layout)
    fs = bases.node
    body = [_lane(w, band, bases) for band in layout.lanes]
    body.extend(_loop(w, frame, fs) for frame in layout.loops)
    body.extend(_node(w, node, fs) for node in layout.nodes)
    plain = [e for e in layout.edges if e.label is None or not e.label.lines]
    labelled = [e for e in layout.edges if e.label is not None and e.label.lines]
    by_id = {node.node_id: node for node in layout.nodes}
    tight = _crowded_ends(layout)
    body.extend(_edge(w, edge, bases.edge, by_id, edge.edge_id in tight) for edge in plain)
    body.extend(_edge(w, edge, bases.edge, by_id, edge.edge_id in tight) for edge in labelled)
    return svg_document(
        w, view="workflow", prefix=id_prefix, width=layout.width, height=layout.height,
        title=title(diagram, "workflow"), desc=describe(diagram, "workflow"),
        body=body, theme=theme, rules=RULES + bases.rules(), font_size=fs,
        defs=[arrow_marker(w, id_prefix, "s", 6)] if tight else (),
    )


def render_workflow(diagram: Diagram, *, theme: str = "default", id_prefix: str) -> str:
    """Lay out and draw ``diagram`` in the workflow view (the view registry calls this)."""
    return draw_workflow(diagram, layout_workflow(diagram), theme=theme, id_prefix=id_prefix)
