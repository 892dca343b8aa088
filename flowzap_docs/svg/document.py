"""The SVG skeleton every view shares: root element, ``<title>``, ``<desc>``, ``<style>``, ids.

Views (workflow, sequence, architecture) only draw their body; this module wraps it so every
diagram has the same accessible, themable, collision-free envelope:

* ``<svg class="flowzap" data-view=... role="img" aria-labelledby="P-t P-d">`` with the natural
  size as ``width``/``height`` and a ``viewBox`` (the page may scale it down, never distort it);
* every ``id`` starts with the per-diagram prefix ``P`` (markers, title, desc), so any number
  of diagrams can share an HTML page;
* one ``<style>`` scoped under ``#P`` (see :mod:`flowzap_docs.svg.theme`).

The markup is written as strings rather than through an element tree: measured here, svgwrite
spends ~2.5 ms on a 20-node diagram, the whole time budget of parse + layout + drawing; a string
writer with one escaping table does the same in a tenth of that and keeps the output compact
(no redundant namespace or profile attributes).
"""

from __future__ import annotations

import hashlib
import re

from ..diagnostics import Diagnostic, FlowZapError
from .theme import FONT_FAMILY_ATTR, Theme, css, get_theme, static_css

SVG_NS = "http://www.w3.org/2000/svg"

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even when escaped:
# drop them so a stray control character in a label never makes the SVG unparseable.
_CONTROL: dict[int, str | None] = {c: None for c in (*range(0x00, 0x20), 0xFFFE, 0xFFFF)}
_CONTROL.update({0x09: "&#9;", 0x0A: "&#10;", 0x0D: "&#13;"})  # kept, as character references
_SURROGATE = re.compile("[\ud800-\udfff]")
_PREFIX_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing ``.0`` and no ``-0``."""
    if not -1e12 < value < 1e12:
        return f"{value:.1f}"
    tenths = round(value * 10)
    if tenths % 10 == 0:
        return str(tenths // 10)
    return str(tenths / 10)


def esc(text: str) -> str:
    """Escape text content (fast path: plain printable text only needs ``& < >`` replaced)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if not text.isprintable():
        text = _SURROGATE.sub("", text.translate(_CONTROL))
    return text


def esc_attr(text: str) -> str:
    """Escape an attribute value (double-quoted)."""
    if text.isascii() and text.isidentifier():
        return text  # ids, shapes and sides (``n12``, ``diamond``): letters, digits and ``_`` only
    text = esc(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


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


def arrow_marker(prefix: str, suffix: str = "a", size: float = 9) -> str:
    """The arrowhead (``url(#P-a)``): tip exactly on the path's end, sized in user units."""
    return (
        f'<marker id="{prefix}-{suffix}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="{num(size)}"'
        f' markerHeight="{num(size)}"'
        ' markerUnits="userSpaceOnUse" orient="auto"><path class="fz-arrow" d="M0 1.5L10 5L0 8.5z"/></marker>'
    )


def svg_document(*, view: str, prefix: str, width: float, height: float, title: str, desc: str,
                 body: str, theme: str | Theme = "default", rules: tuple[str, ...] = (),
                 defs: str = "", font_size: float = 14) -> str:
    """Wrap a view's drawn ``body`` in the shared envelope and return the SVG text.

    ``rules`` are the view's own CSS rules, written with ``{p}`` for the scoped root selector
    (``"{p} .fz-shape{{fill:var(--fz-node)}}"``); ``defs`` is extra ``<defs>`` content (the
    arrowhead is always there).
    """
    theme_obj = theme if isinstance(theme, Theme) else get_theme(theme)
    w, h = num(max(width, 1)), num(max(height, 1))
    return (
        f'<svg xmlns="{SVG_NS}" id="{prefix}" class="flowzap" data-view="{esc_attr(view)}"'
        f' viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"'
        f' aria-labelledby="{prefix}-t {prefix}-d" font-family="{FONT_FAMILY_ATTR}">'
        f'<title id="{prefix}-t">{esc(title)}</title><desc id="{prefix}-d">{esc(desc)}</desc>'
        f"<style>{css(theme_obj, prefix, rules, font_size)}</style>"
        f"<defs>{arrow_marker(prefix)}{defs}</defs>{body}</svg>"
    )


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def for_export(svg: str) -> str:
    """The SVG with a static stylesheet (base palette, no ``var()``, no media queries), for
    converters such as CairoSVG that ignore custom properties (PNG/PDF output)."""
    return _STYLE.sub(lambda m: "<style>" + static_css(m.group(1)) + "</style>", svg, count=1)
