"""How each Sphinx builder writes a diagram node (drawn at read time; here it is only placed).

HTML (and singlehtml, dirhtml, EPUB) inline the SVG or link an image file; LaTeX includes a PDF
made with CairoSVG; text, man and texinfo show the alt text (or the error).  Every visitor
raises ``SkipNode``, so the node's children (the gettext message nodes, when a builder still
has them) are never written by any builder.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import __
from sphinx.util import logging

from flowzap_docs.files import write_once
from flowzap_docs.html import DEFAULT_FIT, drawing_box
from flowzap_docs.svg.document import for_export

from .state import WARNING_TYPE

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.manpage import ManualPageTranslator
    from sphinx.writers.texinfo import TexinfoTranslator
    from sphinx.writers.text import TextTranslator

    from .directive import flowzap

logger = logging.getLogger(__name__)

LATEX_ALIGN = {
    "left": ("{", r"\hspace*{\fill}}"),
    "right": (r"{\hspace*{\fill}", "}"),
    "center": (r"{\hspace*{\fill}", r"\hspace*{\fill}}"),
}
PDF_EXTRA = "pip install flowzap-docs[pdf]"


def html_visit_flowzap(self: HTML5Translator, node: flowzap) -> None:
    """Inline SVG (links, sizing and dark mode work), or an ``<img>`` for ``:format: img`` and EPUB.

    Sized and boxed by the core (:func:`flowzap_docs.html.drawing_box`), as in MkDocs."""
    if "error_html" in node:
        self.body.append(self.starttag(node, "div", CLASS="flowzap flowzap-broken"))
        self.body.append(node["error_html"] + "</div>\n")
        raise nodes.SkipNode
    fit = node.get("fit", DEFAULT_FIT)
    classes = ["flowzap", f"flowzap-fit-{fit}"]
    if "align" in node:
        classes.append(f"align-{node['align']}")
    if "width" in node:
        classes.append("flowzap-sized")
    attrs: dict[str, str] = {}
    url = None
    if node["format"] == "img" or self.builder.name.startswith("epub"):
        fname = f"flowzap-{node['digest']}.svg"
        write_once(Path(self.builder.outdir, self.builder.imagedir, fname), node["svg"])
        url = posixpath.join(self.builder.imgpath, fname)
    else:
        attrs["role"] = "figure"
        attrs["aria-label"] = node["alt"]
    box = drawing_box(node["svg"].strip(), fit=fit, align=node.get("align"),
                      width=_css_length(node["width"]) if "width" in node else None,
                      alt=node["alt"] if url else None, caption=_caption(node), img_url=url, img_class="flowzap-img")
    self.body.append(self.starttag(node, "div", CLASS=" ".join(classes), **attrs))
    self.body.append(box + "\n</div>\n")
    raise nodes.SkipNode


def _caption(node: flowzap) -> str | None:
    """The caption of the figure the diagram is in (it names the scroll box), if any."""
    if isinstance(node.parent, nodes.figure):
        caption = node.parent.next_node(nodes.caption)
        if caption is not None:
            return caption.astext()
    return None


def _css_length(width: str) -> str:
    return f"{width}px" if width.replace(".", "", 1).isdigit() else width


def latex_visit_flowzap(self: LaTeXTranslator, node: flowzap) -> None:
    """A PDF made from the SVG (cairosvg), included like an image; without cairosvg, the alt text."""
    if "error_text" in node:
        self.body.append("\n\n" + self.encode(node["error_text"]).replace("\n", "\\\\\n") + "\n\n")
        raise nodes.SkipNode
    pdf = _svg_to_pdf(self.builder, node)
    if pdf is None:
        self.body.append("\n\n" + self.encode(node["alt"]) + "\n\n")
        raise nodes.SkipNode
    options = ""
    if "width" in node:
        width = self.latex_image_length(node["width"])
        if width:
            options = f"[width={width}]"
    pre, post = "", ""
    if not isinstance(node.parent, nodes.figure):
        pre, post = LATEX_ALIGN.get(node.get("align", ""), ("", ""))
        self.body.append("\n" + self.hypertarget_to(node) + "\\noindent" + pre)
    self.body.append(rf"\sphinxincludegraphics{options}{{{{{pdf.stem}}}.pdf}}")
    if not isinstance(node.parent, nodes.figure):
        self.body.append(post + "\n")
    raise nodes.SkipNode


def _svg_to_pdf(builder: Builder, node: flowzap) -> Path | None:
    path = Path(builder.outdir, builder.imagedir, f"flowzap-{node['digest']}.pdf")
    if path.exists():
        return path
    try:
        import cairosvg
    except ImportError:
        if not getattr(builder, "_flowzap_warned_pdf", False):
            builder._flowzap_warned_pdf = True  # type: ignore[attr-defined]  # warn once per build
            logger.warning(__("FlowZap diagrams need cairosvg for PDF output (%s); using their alt text"),
                           PDF_EXTRA, location=node, type=WARNING_TYPE, subtype="pdf")
        return None
    try:
        pdf = cairosvg.svg2pdf(bytestring=for_export(node["svg"]).encode("utf-8"))  # CairoSVG knows no var()
    except Exception as err:  # noqa: BLE001 (cairosvg raises many kinds; a located warning is enough)
        logger.warning(__("FlowZap diagram could not be converted to PDF: %r"), err,
                       location=node, type=WARNING_TYPE, subtype="pdf")
        return None
    write_once(path, pdf)
    return path


def _plain_text(node: flowzap) -> str:
    return node.get("error_text") or node["alt"]


def text_visit_flowzap(self: TextTranslator, node: flowzap) -> None:
    self.new_state(0)
    self.add_text(_plain_text(node))
    self.end_state(wrap="error_text" not in node)
    raise nodes.SkipNode


def man_visit_flowzap(self: ManualPageTranslator, node: flowzap) -> None:
    self.ensure_eol()
    self.body.append(".sp\n")
    for line in _plain_text(node).splitlines():
        self.visit_Text(nodes.Text(line))
        self.body.append("\n")
    raise nodes.SkipNode


def texinfo_visit_flowzap(self: TexinfoTranslator, node: flowzap) -> None:
    self.body.append("\n" + self.escape(_plain_text(node)) + "\n\n")
    raise nodes.SkipNode


def skip_node(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    """For nodes that only feed another builder (gettext messages): never written."""
    raise nodes.SkipNode


#: ``add_node``/``add_enumerable_node`` keyword arguments for a node no builder writes.
SKIPPED_EVERYWHERE = {name: (skip_node, None) for name in ("html", "latex", "text", "man", "texinfo")}
