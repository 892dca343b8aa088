"""The sequence view: lanes as participants, edges as messages, drawn as SVG.

:mod:`.model` reads the diagram as a conversation, :mod:`.layout` places it;
this module only decides how it looks, inside the shared envelope of
:mod:`flowzap_docs.svg.document` (themes, dark mode, prefixed ids, title and description).
The SVG contract the docs and tests rely on::

    .fz-participant[data-lane]      > .fz-lifeline, .fz-head (top, and bottom when long), title
    .fz-loop[data-loop]             > frame, tab, "loop" and "[condition]"
    .fz-activation[data-lane]       a bar on a lifeline while the lane answers a request
    .fz-message[data-edge][data-from][data-to][data-from-lane][data-to-lane]
        (+ .fz-return for answers, .fz-self inside one lane) > path, optional .fz-message-label
    .fz-note[data-node][data-lane]  a node no edge touches, on its lifeline

Paint order: participants (lifelines under everything), fragments, activation bars, messages,
notes, so a label's background covers the lifelines it crosses and nothing covers a label.
"""

from __future__ import annotations

from svgwrite.base import BaseElement

from ...model import Diagram
from ...svg.describe import describe, title
from ...svg.document import svg_document
from ...svg.paths import rounded_path
from ...svg.text import draw_text
from ...svg.writer import Writer, add, num
from .layout import (
    TEXT_FONT,
    Participant,
    PlacedActivation,
    PlacedFragment,
    PlacedMessage,
    PlacedNote,
    SequenceLayout,
    layout_sequence,
)
from .model import SEQUENCE_RULE_CODE, sequence_warnings

__all__ = ["SEQUENCE_RULE_CODE", "draw_sequence", "render_sequence", "sequence_warnings", "describe_sequence"]

#: The sequence view's CSS (``{p}`` is the scoped root selector ``#prefix``).
RULES: tuple[str, ...] = (
    "{p} .fz-head{{fill:var(--fz-head);stroke:var(--fz-stroke);stroke-width:1.2}}",
    "{p} .fz-lifeline{{stroke:var(--fz-border);stroke-width:1.5;stroke-dasharray:6 5}}",
    "{p} .fz-activation{{fill:var(--fz-task);stroke:var(--fz-stroke);stroke-width:1}}",
    "{p} .fz-message path{{fill:none;stroke:var(--fz-edge);stroke-width:1.5;marker-end:url({p}-a)}}",
    "{p} .fz-return path{{stroke-dasharray:6 4;marker-end:url({p}-o)}}",
    "{p} .fz-open{{fill:none;stroke:var(--fz-edge);stroke-width:1.5}}",
    "{p} .fz-message-label rect{{fill:var(--fz-bg);fill-opacity:.92}}",
    "{p} .fz-note rect,{p} .fz-note path{{fill:var(--fz-decision);stroke:var(--fz-border)}}",
    "{p} .fz-loop>rect{{fill:none;stroke:var(--fz-loop);stroke-width:1.2}}",
    "{p} .fz-loop>path{{fill:var(--fz-bg);stroke:var(--fz-loop);stroke-width:1.2}}",
    "{p} .fz-loop text{{fill:var(--fz-loop)}}",
)


def _open_arrow(w: Writer, prefix: str) -> BaseElement:
    """An open arrowhead for returns (UML draws answers dashed with an open head)."""
    marker = w.marker({"id": f"{prefix}-o", "viewBox": "0 0 10 10", "refX": "10", "refY": "5", "markerWidth": "10",
                       "markerHeight": "10", "markerUnits": "userSpaceOnUse", "orient": "auto"})
    marker.add(w.path("M1 1L10 5L1 9", "fz-open"))
    return marker


def _participant(w: Writer, p: Participant) -> BaseElement:
    (a, b), h = p.lifeline, p.header
    group = add(
        w.g("fz-participant", data_lane=p.lane_id),
        w.path(f"M{num(a.x)} {num(a.y)}V{num(b.y)}", "fz-lifeline"),
        w.rect(h.x, h.y, h.width, h.height, "fz-head", 6),
        draw_text(w, p.title, base_size=TEXT_FONT),
    )
    if p.footer is not None and p.footer_title is not None:
        f = p.footer
        add(group, w.rect(f.x, f.y, f.width, f.height, "fz-head", 6), draw_text(w, p.footer_title, base_size=TEXT_FONT))
    return group


def _fragment(w: Writer, f: PlacedFragment) -> BaseElement:
    b, t = f.box, f.tab
    notch = 6
    tab = f"M{num(t.x)} {num(t.y)}H{num(t.right)}V{num(t.bottom - notch)}L{num(t.right - notch)} {num(t.bottom)}H{num(t.x)}z"
    group = add(w.g("fz-loop", data_loop=str(f.index)), w.rect(b.x, b.y, b.width, b.height, rx=2), w.path(tab),
                draw_text(w, f.keyword, base_size=TEXT_FONT))
    if f.condition is not None:
        add(group, draw_text(w, f.condition, align="start", base_size=TEXT_FONT))
    return group


def _activation(w: Writer, a: PlacedActivation) -> BaseElement:
    b = a.box
    return w.rect(b.x, b.y, b.width, b.height, "fz-activation", data_lane=a.lane_id)


def _message(w: Writer, m: PlacedMessage) -> BaseElement:
    cls = "fz-message" + {"return": " fz-return", "self": " fz-self"}.get(m.kind, "")
    group = add(
        w.g(cls, data_edge=m.edge_id, data_from=m.source, data_to=m.target, data_from_lane=m.source_lane,
            data_to_lane=m.target_lane),
        w.path(rounded_path(m.points, 6)),
    )
    if m.text is not None and m.text_box is not None and m.text.lines:
        bx = m.text_box
        align = "start" if m.kind == "self" else "middle"
        group.add(add(w.g("fz-message-label"), w.rect(bx.x - 3, bx.y - 1, bx.width + 6, bx.height + 2, rx=3),
                      draw_text(w, m.text, align=align, base_size=TEXT_FONT)))
    return group


def _note(w: Writer, n: PlacedNote) -> BaseElement:
    b = n.box
    fold = 8
    outline = f"M{num(b.x)} {num(b.y)}H{num(b.right - fold)}L{num(b.right)} {num(b.y + fold)}V{num(b.bottom)}H{num(b.x)}z"
    return add(w.g("fz-note", data_node=n.node_id, data_lane=n.lane_id), w.path(outline),
               draw_text(w, n.text, base_size=TEXT_FONT))


def draw_sequence(diagram: Diagram, layout: SequenceLayout, *, theme: str = "default", id_prefix: str) -> str:
    """The SVG text of a laid-out sequence view (no layout work happens here)."""
    w = Writer()
    body = [_participant(w, p) for p in layout.participants]
    body.extend(_fragment(w, f) for f in layout.fragments)
    body.extend(_activation(w, a) for a in layout.activations)
    body.extend(_message(w, m) for m in layout.messages)
    body.extend(_note(w, n) for n in layout.notes)
    return svg_document(
        w, view="sequence", prefix=id_prefix, width=layout.width, height=layout.height,
        title=title(diagram, "sequence"), desc=describe_sequence(diagram),
        body=body, theme=theme, rules=RULES, defs=[_open_arrow(w, id_prefix)], font_size=TEXT_FONT,
    )


def render_sequence(diagram: Diagram, *, theme: str = "default", id_prefix: str) -> str:
    """Lay out and draw ``diagram`` in the sequence view (the view registry calls this)."""
    return draw_sequence(diagram, layout_sequence(diagram), theme=theme, id_prefix=id_prefix)


def describe_sequence(diagram: Diagram) -> str:
    """The generated description (``<desc>`` and alt text) of the sequence view."""
    return describe(diagram, "sequence")
