"""The architecture view: lanes as components, cross-lane edges as dependencies, drawn as SVG.

:mod:`.graph` builds and layers the lane dependency graph,
:mod:`.layout` places boxes and routes arrows; this module only decides how it
looks, inside the shared envelope of :mod:`flowzap_docs.svg.document`.  The SVG contract::

    .fz-component[data-lane][data-stereotype]  > .fz-box, «stereotype», title, .fz-items list
    .fz-dependency[data-from-lane][data-to-lane][data-edges]  > path, optional .fz-dep-label

Paint order: components, then dependencies (a label's background is painted after every
line), so arrowheads sit on the box outlines.
"""

from __future__ import annotations

from svgwrite.base import BaseElement

from ...model import Diagram
from ...svg.describe import describe, title
from ...svg.document import svg_document
from ...svg.paths import rounded_path
from ...svg.text import draw_text
from ...svg.writer import Writer, add, num
from .layout import ITEM_FONT, ArchitectureLayout, Component, PlacedDependency, layout_architecture

__all__ = ["describe_architecture", "draw_architecture", "render_architecture"]

BASE_FONT = ITEM_FONT

#: The architecture view's CSS (``{p}`` is the scoped root selector ``#prefix``).
RULES: tuple[str, ...] = (
    "{p} .fz-box{{fill:var(--fz-lane);stroke:var(--fz-stroke);stroke-width:1.3}}",
    "{p} .fz-box-head{{fill:var(--fz-head)}}",
    "{p} .fz-rule{{fill:none;stroke:var(--fz-border);stroke-width:1}}",
    "{p} .fz-stereo{{fill:var(--fz-muted);font-style:italic}}",
    "{p} .fz-kind{{fill:none;stroke:var(--fz-muted);stroke-width:1.2}}",
    "{p} .fz-icon{{fill:var(--fz-node);stroke:var(--fz-stroke);stroke-width:1}}",
    "{p} .fz-icon-circle{{fill:var(--fz-start)}}",
    "{p} .fz-icon-diamond{{fill:var(--fz-decision)}}",
    "{p} .fz-icon-taskbox{{fill:var(--fz-task)}}",
    "{p} .fz-dependency path{{fill:none;stroke:var(--fz-edge);stroke-width:1.5;marker-end:url({p}-a)}}",
    "{p} .fz-dep-label rect{{fill:var(--fz-bg);fill-opacity:.92}}",
    "{p} .fz-dep-label text{{fill:var(--fz-muted)}}",
)


def _icon(w: Writer, shape: str, x: float, y: float) -> BaseElement:
    """A 8 px sketch of the node's shape before its list entry."""
    cls = f"fz-icon fz-icon-{shape}"
    if shape == "circle":
        return w.circle(x, y, 4, cls)
    if shape == "diamond":
        return w.path(f"M{num(x)} {num(y - 5)}L{num(x + 5)} {num(y)}L{num(x)} {num(y + 5)}L{num(x - 5)} {num(y)}z", cls)
    return w.rect(x - 4, y - 4, 8, 8, cls, 1.5)


def _kind_icon(w: Writer, kind: str, x: float, y: float) -> list[BaseElement]:
    """A 14 px pictogram of the stereotype, centred on (x, y): actor, cylinder, queue, gateway, service."""
    if kind == "actor":
        d = (f"M{num(x)} {num(y - 2)}V{num(y + 3)}M{num(x - 4)} {num(y)}H{num(x + 4)}"
             f"M{num(x - 3.5)} {num(y + 7)}L{num(x)} {num(y + 3)}L{num(x + 3.5)} {num(y + 7)}")
        return [add(w.g("fz-kind"), w.circle(x, y - 4.5, 2.5), w.path(d))]
    if kind == "database":
        top, bottom = y - 5, y + 5
        d = (f"M{num(x - 6)} {num(top)}V{num(bottom)}A6 2 0 0 0 {num(x + 6)} {num(bottom)}V{num(top)}"
             f"A6 2 0 0 0 {num(x - 6)} {num(top)}A6 2 0 0 0 {num(x + 6)} {num(top)}")
        return [w.path(d, "fz-kind")]
    if kind == "queue":
        return [w.rect(x - 7 + 5 * i, y - 4, 4, 8, "fz-kind", 1) for i in range(3)]
    if kind == "gateway":
        return [w.path(f"M{num(x - 7)} {num(y)}H{num(x + 6)}M{num(x + 3)} {num(y - 3)}"
                       f"L{num(x + 6)} {num(y)}L{num(x + 3)} {num(y + 3)}M{num(x - 7)} {num(y - 6)}V{num(y + 6)}",
                       "fz-kind")]
    return [w.rect(x - 7, y - 5, 14, 10, "fz-kind", 2),
            w.path(f"M{num(x - 4)} {num(y - 1.5)}H{num(x + 4)}M{num(x - 4)} {num(y + 1.5)}H{num(x + 2)}", "fz-kind")]


def _component(w: Writer, c: Component) -> BaseElement:
    b = c.box
    group = w.g("fz-component", data_lane=c.lane_id, data_stereotype=c.stereotype) if c.stereotype else \
        w.g("fz-component", data_lane=c.lane_id)
    group.add(w.rect(b.x, b.y, b.width, b.height, "fz-box", 8))
    if c.stereotype_text is not None and c.stereotype:
        add(group, draw_text(w, c.stereotype_text, cls="fz-stereo", base_size=BASE_FONT),
            *_kind_icon(w, c.stereotype, b.right - 16, c.stereotype_text.y + 2))
    add(group, draw_text(w, c.title, base_size=BASE_FONT))
    if c.divider is not None:
        group.add(w.path(f"M{num(b.x + 10)} {num(c.divider)}H{num(b.right - 10)}", "fz-rule"))
    if c.items:
        items = group.add(w.g("fz-items"))
        for item in c.items:
            add(items, _icon(w, item.shape, item.icon.x, item.icon.y),
                draw_text(w, item.text, align="start", base_size=BASE_FONT))
    return group


def _dependency(w: Writer, d: PlacedDependency) -> BaseElement:
    group = add(w.g("fz-dependency", data_from_lane=d.source, data_to_lane=d.target, data_edges=" ".join(d.edge_ids)),
                w.path(rounded_path(d.points)))
    if d.label is not None and d.label_box is not None and d.label.lines:
        bx = d.label_box
        group.add(add(w.g("fz-dep-label"), w.rect(bx.x - 3, bx.y - 1, bx.width + 6, bx.height + 2, rx=3),
                      draw_text(w, d.label, base_size=BASE_FONT)))
    return group


def draw_architecture(diagram: Diagram, layout: ArchitectureLayout, *, theme: str = "default", id_prefix: str) -> str:
    """The SVG text of a laid-out architecture view (no layout work happens here)."""
    w = Writer()
    body = [_component(w, c) for c in layout.components]
    body.extend(_dependency(w, d) for d in layout.dependencies)
    return svg_document(
        w, view="architecture", prefix=id_prefix, width=layout.width, height=layout.height,
        title=title(diagram, "architecture"), desc=describe_architecture(diagram),
        body=body, theme=theme, rules=RULES, font_size=BASE_FONT,
    )


def render_architecture(diagram: Diagram, *, theme: str = "default", id_prefix: str,
                        titles_only: bool = False) -> str:
    """Lay out and draw ``diagram`` in the architecture view (the view registry calls this).
    ``titles_only`` draws each component with its title only, without the list of steps."""
    layout = layout_architecture(diagram, titles_only=titles_only)
    return draw_architecture(diagram, layout, theme=theme, id_prefix=id_prefix)


def describe_architecture(diagram: Diagram) -> str:
    """The generated description (``<desc>`` and alt text) of the architecture view."""
    return describe(diagram, "architecture")
