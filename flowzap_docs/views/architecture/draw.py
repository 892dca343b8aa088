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

from ...model import Diagram
from ...svg.describe import describe, title
from ...svg.document import esc_attr, num, svg_document
from ...svg.paths import rounded_path
from ...svg.text import draw_text
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


def _rect(x: float, y: float, w: float, h: float, cls: str = "", rx: float = 0) -> str:
    c = f' class="{cls}"' if cls else ""
    r = f' rx="{num(rx)}"' if rx else ""
    return f'<rect{c} x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(max(h, 0))}"{r}/>'


def _icon(shape: str, x: float, y: float) -> str:
    """A 8 px sketch of the node's shape before its list entry."""
    cls = f"fz-icon fz-icon-{shape}"
    if shape == "circle":
        return f'<circle class="{cls}" cx="{num(x)}" cy="{num(y)}" r="4"/>'
    if shape == "diamond":
        return f'<path class="{cls}" d="M{num(x)} {num(y - 5)}L{num(x + 5)} {num(y)}L{num(x)} {num(y + 5)}L{num(x - 5)} {num(y)}z"/>'
    return _rect(x - 4, y - 4, 8, 8, cls, 1.5)


def _kind_icon(kind: str, x: float, y: float) -> str:
    """A 14 px pictogram of the stereotype, centred on (x, y): actor, cylinder, queue, gateway, service."""
    if kind == "actor":
        d = (f"M{num(x)} {num(y - 2)}V{num(y + 3)}M{num(x - 4)} {num(y)}H{num(x + 4)}"
             f"M{num(x - 3.5)} {num(y + 7)}L{num(x)} {num(y + 3)}L{num(x + 3.5)} {num(y + 7)}")
        return (f'<g class="fz-kind"><circle cx="{num(x)}" cy="{num(y - 4.5)}" r="2.5"/>'
                f'<path d="{d}"/></g>')
    if kind == "database":
        top, bottom = y - 5, y + 5
        d = (f"M{num(x - 6)} {num(top)}V{num(bottom)}A6 2 0 0 0 {num(x + 6)} {num(bottom)}V{num(top)}"
             f"A6 2 0 0 0 {num(x - 6)} {num(top)}A6 2 0 0 0 {num(x + 6)} {num(top)}")
        return f'<path class="fz-kind" d="{d}"/>'
    if kind == "queue":
        return "".join(_rect(x - 7 + 5 * i, y - 4, 4, 8, "fz-kind", 1) for i in range(3))
    if kind == "gateway":
        return (f'<path class="fz-kind" d="M{num(x - 7)} {num(y)}H{num(x + 6)}M{num(x + 3)} {num(y - 3)}'
                f'L{num(x + 6)} {num(y)}L{num(x + 3)} {num(y + 3)}M{num(x - 7)} {num(y - 6)}V{num(y + 6)}"/>')
    return _rect(x - 7, y - 5, 14, 10, "fz-kind", 2) + (
        f'<path class="fz-kind" d="M{num(x - 4)} {num(y - 1.5)}H{num(x + 4)}M{num(x - 4)} {num(y + 1.5)}H{num(x + 2)}"/>')


def _component(c: Component) -> str:
    b = c.box
    stereo = f' data-stereotype="{esc_attr(c.stereotype)}"' if c.stereotype else ""
    parts = [f'<g class="fz-component" data-lane="{esc_attr(c.lane_id)}"{stereo}>',
             _rect(b.x, b.y, b.width, b.height, "fz-box", 8)]
    if c.stereotype_text is not None and c.stereotype:
        parts.append(draw_text(c.stereotype_text, cls="fz-stereo", base_size=BASE_FONT))
        parts.append(_kind_icon(c.stereotype, b.right - 16, c.stereotype_text.y + 2))
    parts.append(draw_text(c.title, base_size=BASE_FONT))
    if c.divider is not None:
        parts.append(f'<path class="fz-rule" d="M{num(b.x + 10)} {num(c.divider)}H{num(b.right - 10)}"/>')
    if c.items:
        parts.append('<g class="fz-items">')
        for item in c.items:
            parts.append(_icon(item.shape, item.icon.x, item.icon.y))
            parts.append(draw_text(item.text, align="start", base_size=BASE_FONT))
        parts.append("</g>")
    parts.append("</g>")
    return "".join(parts)


def _dependency(d: PlacedDependency) -> str:
    parts = [
        f'<g class="fz-dependency" data-from-lane="{esc_attr(d.source)}" data-to-lane="{esc_attr(d.target)}"'
        f' data-edges="{esc_attr(" ".join(d.edge_ids))}">',
        f'<path d="{rounded_path(d.points)}"/>',
    ]
    if d.label is not None and d.label_box is not None and d.label.lines:
        bx = d.label_box
        parts.append(f'<g class="fz-dep-label">{_rect(bx.x - 3, bx.y - 1, bx.width + 6, bx.height + 2, rx=3)}'
                     f"{draw_text(d.label, base_size=BASE_FONT)}</g>")
    parts.append("</g>")
    return "".join(parts)


def draw_architecture(diagram: Diagram, layout: ArchitectureLayout, *, theme: str = "default", id_prefix: str) -> str:
    """The SVG text of a laid-out architecture view (no layout work happens here)."""
    body = [_component(c) for c in layout.components]
    body.extend(_dependency(d) for d in layout.dependencies)
    return svg_document(
        view="architecture", prefix=id_prefix, width=layout.width, height=layout.height,
        title=title(diagram, "architecture"), desc=describe_architecture(diagram),
        body="".join(body), theme=theme, rules=RULES, font_size=BASE_FONT,
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
