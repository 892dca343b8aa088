"""The HTML around a drawn diagram, the same in every host: how wide it is drawn, and its scroll box.

A wide diagram squeezed into a documentation column turns its labels into specks.  So the
page may scale a drawing down only as far as its text stays legible (:data:`MIN_TEXT_PX`
CSS pixels for the smallest text it draws); past that it keeps that scale and scrolls
sideways inside its own box, as Material and Furo show wide code blocks.  The ``fit`` option
chooses: ``legible`` (that, the default), ``column`` (always scale to the column, as before)
or ``none`` (natural size, scrolling).

Everything layout needs is inline (``style`` on the ``<svg>``/``<img>`` and on the box), so a
diagram is right even where our stylesheet is not linked; the stylesheet
(:mod:`flowzap_docs.assets`) adds what inline styles cannot say: print rules (paper scales
every diagram to the page) and the focus ring of the box.  Inline styles also outrank the
``#id`` rules of the SVG's own ``<style>`` (its ``max-width:100%``).

The adapters pass options and the drawing to :func:`drawing_box`; the MkDocs plugin puts that
in a :func:`figure`, Sphinx in the element its own nodes make (they also make the caption).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

#: Values of the ``fit`` option (fence attribute, directive option, site setting).
FITS = ("column", "legible", "none")
DEFAULT_FIT = "legible"
#: The smallest text, in CSS pixels on screen, that a diagram is scaled down to.
MIN_TEXT_PX = 10.0
#: The fits that may leave a drawing wider than the column: their box is a keyboard stop.
SCROLLING_FITS = ("legible", "none")

_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_CSS_SIZE = re.compile(r"font-size:(\d+(?:\.\d+)?)px")
_TEXT_SIZE = re.compile(r'<text\b[^>]*\sfont-size="(\d+(?:\.\d+)?)"')
_WIDTH = re.compile(r'\swidth="(\d+(?:\.\d+)?)"')
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)


@dataclass(frozen=True)
class Drawing:
    """What the page needs to know of a drawn SVG: its natural width, its smallest text, its title."""

    width: float
    smallest_text: float
    title: str

    @property
    def min_scale(self) -> float:
        """The smallest scale at which every text is still :data:`MIN_TEXT_PX` tall (at most 1)."""
        return min(1.0, MIN_TEXT_PX / self.smallest_text) if self.smallest_text > 0 else 1.0

    @property
    def legible_width(self) -> int:
        """The narrowest the drawing may be shown, in CSS pixels (rounded up: never below legible)."""
        return math.ceil(self.width * self.min_scale - 1e-9)


def measure(svg: str) -> Drawing:
    """Read a drawing's natural width, smallest font size and title from the SVG we wrote.

    The sizes come from where the views write them: the ``font-size`` rules of the SVG's own
    ``<style>`` (the base size, lane titles, edge labels) and ``font-size`` attributes of
    ``<text>`` elements (the exceptions).  Label text cannot fake either: it is escaped, so no
    ``<`` of a label starts a tag, and no label is written inside ``<style>``.
    """
    root = _SVG_OPEN.search(svg)
    width = _WIDTH.search(root.group(0)) if root else None
    style = _STYLE.search(svg)
    sizes = [float(s) for s in _CSS_SIZE.findall(style.group(1))] if style else []
    sizes += [float(s) for s in _TEXT_SIZE.findall(svg)]
    title = _TITLE.search(svg)
    return Drawing(width=float(width.group(1)) if width else 0.0,
                   smallest_text=min(sizes) if sizes else 0.0,
                   title=html.unescape(title.group(1)).strip() if title else "")


def check_fit(value: str) -> str | None:
    """None if ``value`` is a ``fit``, else the reason it is not (for the host's error message)."""
    return None if value in FITS else f"expected one of {', '.join(FITS)}"


def size_style(drawing: Drawing, fit: str, width: str | None) -> str:
    """The inline CSS that sizes the ``<svg>`` or ``<img>`` for ``fit`` (``width``: the writer's CSS length).

    ``column``: as wide as the column at most (or ``width``); ``legible``: the same, but never
    narrower than :attr:`Drawing.legible_width` (``min-width`` wins over ``width`` and
    ``max-width``, so the box scrolls instead); ``none``: the natural size (or ``width``).
    """
    parts = [f"width:{width}"] if width else []
    parts.append("max-width:none" if fit == "none" else "max-width:100%")
    if fit == "legible" and drawing.width > 0:
        parts.append(f"min-width:{drawing.legible_width}px")
    parts.append("height:auto")
    return ";".join(parts)


def inline_svg(svg: str, drawing: Drawing, *, alt: str | None, width: str | None, fit: str) -> str:
    """The SVG as drawn, sized for ``fit``, with the writer's ``alt`` as its accessible name.

    Only the root tag is touched (its ``aria-label`` and ``style``); the drawing is the core's.
    """
    m = _SVG_OPEN.search(svg)
    if m is None:
        return svg
    tag = m.group(0)
    if alt:
        label = f'aria-label="{_attr(alt)}"'
        # aria-labelledby (the SVG's own <title>/<desc>) would win over aria-label: drop it
        tag = re.sub(r'\saria-label(?:ledby)?="[^"]*"', "", tag)
        tag = tag[:4] + " " + label + tag[4:]
    tag = re.sub(r'\sstyle="[^"]*"', "", tag)
    tag = tag[:4] + f' style="{size_style(drawing, fit, width)}"' + tag[4:]
    return svg[: m.start()] + tag + svg[m.end():]


def img_tag(url: str, drawing: Drawing, *, alt: str, width: str | None, fit: str, cls: str) -> str:
    """An ``<img>`` of the diagram (``format: img``), sized like the inline SVG would be.

    Cacheable, but outside the page's light/dark toggle.  ``drawing``: what the file holds.
    """
    style = size_style(drawing, fit, width)
    return f'<img class="{_attr(cls)}" src="{_attr(url)}" alt="{_attr(alt)}" loading="lazy" style="{style}">'


def scroll_box(body: str, *, fit: str, align: str | None, label: str) -> str:
    """The box the drawing scrolls in when it is wider than the column.

    For the fits that can scroll it is a keyboard stop (``tabindex="0"``: arrow keys scroll it)
    and a named region, so a screen reader says what the stop is; ``column`` never needs one.
    """
    style = "overflow-x:auto" + (f";text-align:{align}" if align else "")
    attrs = f'class="flowzap-scroll" style="{style}"'
    if fit in SCROLLING_FITS:
        attrs += f' tabindex="0" role="region" aria-label="{_attr(label)}"'
    return f"<div {attrs}>{body}</div>"


def drawing_box(svg: str, *, fit: str, align: str | None, width: str | None, alt: str | None = None,
                caption: str | None = None, img_url: str | None = None, img_class: str = "flowzap") -> str:
    """The drawing (inline, or the ``<img>`` of ``img_url``) sized for ``fit``, in its scroll box.

    ``alt``: the writer's text (inline: the SVG's accessible name instead of its own title and
    description; ``<img>``: its ``alt``, the title when none).  The box is named by ``caption``,
    else by the drawing's title.
    """
    drawing = measure(svg)
    if img_url is None:
        body = inline_svg(svg, drawing, alt=alt, width=width, fit=fit)
    else:
        body = img_tag(img_url, drawing, alt=alt or drawing.title, width=width, fit=fit, cls=img_class)
    return scroll_box(body, fit=fit, align=align, label=caption or drawing.title or "Diagram")


def figure(box: str, *, caption: str | None, align: str | None, element_id: str, classes: list[str],
           view: str, fit: str) -> str:
    """``<figure>`` when there is a caption, else a ``<div>``, around a :func:`drawing_box`."""
    names = ["flowzap-figure", f"flowzap-{view}", f"flowzap-fit-{fit}"]
    names += ([f"flowzap-align-{align}"] if align else []) + classes
    ident = f' id="{_attr(element_id)}"' if element_id else ""
    tag = "figure" if caption else "div"
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<{tag}{ident} class="{_attr(" ".join(names))}">{box}{cap}</{tag}>'


def _attr(value: str) -> str:
    return html.escape(value, quote=True)
