"""The HTML around a drawn diagram: a figure with an optional caption, alignment and width.

Kept free of any stylesheet: the plugin adds no CSS file, so the little layout it needs (scroll
instead of overflow, alignment, width) is inline, and colours stay with the SVG's own ``<style>``
(which follows Material's slate palette when the SVG is inline).
"""

from __future__ import annotations

import html
import re

_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def inline_svg(svg: str, alt: str | None, width: str | None) -> str:
    """The SVG as is, with the writer's ``alt`` as its accessible name and a width when asked.

    Only the root tag is touched (its ``aria-label`` and ``style``); the drawing is the core's.
    """
    if not alt and not width:  # nothing to change: no search, no copy of the drawing
        return svg
    m = _SVG_OPEN.search(svg)
    if m is None:
        return svg
    tag = m.group(0)
    if alt:
        label = f'aria-label="{_attr(alt)}"'
        # aria-labelledby (the SVG's own <title>/<desc>) would win over aria-label: drop it
        tag = re.sub(r'\saria-label(?:ledby)?="[^"]*"', "", tag)
        tag = tag[:4] + " " + label + tag[4:]
    if width:
        style = f"width:{width};max-width:100%;height:auto"
        tag = re.sub(r'\sstyle="[^"]*"', "", tag)
        tag = tag[:4] + f' style="{style}"' + tag[4:]
    return svg[: m.start()] + tag + svg[m.end():]


def img_tag(url: str, alt: str, width: str | None) -> str:
    """An ``<img>`` of the diagram (format: img): cacheable, but outside the page's palette toggle."""
    style = f' style="width:{width};max-width:100%;height:auto"' if width else ' style="max-width:100%;height:auto"'
    return f'<img class="flowzap" src="{_attr(url)}" alt="{_attr(alt)}" loading="lazy"{style}>'


def figure(body: str, *, caption: str | None, align: str | None, element_id: str, classes: list[str],
           view: str) -> str:
    """``<figure>`` when there is a caption, else a ``<div>``; both scroll sideways rather than overflow."""
    names = ["flowzap-figure", f"flowzap-{view}"] + ([f"flowzap-align-{align}"] if align else []) + classes
    style = "overflow-x:auto" + (f";text-align:{align}" if align else "")
    ident = f' id="{_attr(element_id)}"' if element_id else ""
    tag = "figure" if caption else "div"
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<{tag}{ident} class="{_attr(" ".join(names))}" style="{style}">{body}{cap}</{tag}>'
