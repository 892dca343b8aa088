"""The SVG skeleton every view shares: root element, ``<title>``, ``<desc>``, ``<style>``, ids.

Views (workflow, sequence, architecture) only draw their body; this module wraps it so every
diagram has the same accessible, themable, collision-free envelope:

* ``<svg class="flowzap" data-view=... role="img" aria-labelledby="P-t P-d">`` with the natural
  size as ``width``/``height`` and a ``viewBox`` (the page may scale it down, never distort it);
* every ``id`` starts with the per-diagram prefix ``P`` (markers, title, desc), so any number
  of diagrams can share an HTML page;
* one ``<style>`` scoped under ``#P`` (see :mod:`flowzap_docs.svg.theme`).

The elements are svgwrite's, made by the view's :class:`~flowzap_docs.svg.writer.Writer`
(which also writes the text); the root's attributes are one dict in :func:`svg_document`, in
the order they are written: add one there (and, if SVG 1.1 does not know it, to
:data:`flowzap_docs.svg.writer.EXTRA_ATTRIBUTES`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from svgwrite.base import BaseElement

from ..diagnostics import Diagnostic, FlowZapError
from .theme import FONT_FAMILY_ATTR, Theme, css, get_theme, static_css
from .writer import SVG_NS, Writer, esc, esc_attr, num

__all__ = ["SVG_NS", "arrow_marker", "check_id_prefix", "default_id_prefix", "esc", "esc_attr", "for_export",
           "num", "svg_document"]

_PREFIX_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def default_id_prefix(*parts: object) -> str:
    """``fz-`` + 8 hex digits of a hash of the diagram and the options that change its drawing.

    Deterministic (the same input gives the same ids, so output is byte-identical) and
    content-derived (two different diagrams on one page do not clash).  ``repr`` of the frozen
    model is stable across processes: it holds only strings, numbers and tuples.
    """
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return "fz-" + digest[:8]


def check_id_prefix(prefix: str) -> str:
    """A caller-chosen prefix must be usable as an XML id and a CSS selector as is."""
    if not isinstance(prefix, str) or not _PREFIX_OK.match(prefix):
        raise FlowZapError([Diagnostic(
            "FZ304", "error", f"invalid id prefix {prefix!r}", 1, 1,
            "use letters, digits, '-' and '_', starting with a letter (e.g. 'fz-intro')",
        )])
    return prefix


def arrow_marker(writer: Writer, prefix: str, suffix: str = "a", size: float = 9) -> BaseElement:
    """The arrowhead (``url(#P-a)``): tip exactly on the path's end, sized in user units."""
    marker = writer.marker({"id": f"{prefix}-{suffix}", "viewBox": "0 0 10 10", "refX": "10", "refY": "5",
                            "markerWidth": num(size), "markerHeight": num(size),
                            "markerUnits": "userSpaceOnUse", "orient": "auto"})
    marker.add(writer.path("M0 1.5L10 5L0 8.5z", "fz-arrow"))
    return marker


def svg_document(writer: Writer, *, view: str, prefix: str, width: float, height: float, title: str,
                 desc: str, body: Iterable[BaseElement], theme: str | Theme = "default",
                 rules: tuple[str, ...] = (), defs: Iterable[BaseElement] = (), font_size: float = 14) -> str:
    """Wrap a view's drawn ``body`` in the shared envelope and return the SVG text.

    ``rules`` are the view's own CSS rules, written with ``{p}`` for the scoped root selector
    (``"{p} .fz-shape{{fill:var(--fz-node)}}"``); ``defs`` is extra ``<defs>`` content (the
    arrowhead is always there).
    """
    theme_obj = theme if isinstance(theme, Theme) else get_theme(theme)
    w, h = num(max(width, 1)), num(max(height, 1))
    root = writer.svg({
        "xmlns": SVG_NS,
        "id": prefix,
        "class": "flowzap",
        "data-view": view,
        "viewBox": f"0 0 {w} {h}",
        "width": w,
        "height": h,
        "role": "img",
        "aria-labelledby": f"{prefix}-t {prefix}-d",
        "font-family": FONT_FAMILY_ATTR,
    })
    root.add(writer.title(title, id=f"{prefix}-t"))
    root.add(writer.desc(desc, id=f"{prefix}-d"))
    root.add(writer.style(css(theme_obj, prefix, rules, font_size)))
    markers = root.add(writer.defs())
    markers.add(arrow_marker(writer, prefix))
    for element in defs:
        markers.add(element)
    for element in body:
        root.add(element)
    return writer.finish(root)


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def for_export(svg: str) -> str:
    """The SVG with a static stylesheet (base palette, no ``var()``, no media queries), for
    converters such as CairoSVG that ignore custom properties (PNG/PDF output)."""
    return _STYLE.sub(lambda m: "<style>" + static_css(m.group(1)) + "</style>", svg, count=1)
