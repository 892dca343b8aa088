"""Draw FlowZap Code diagrams in Sphinx pages: the ``.. flowzap::`` directive.

Add ``"flowzap_docs.sphinx_ext"`` to ``extensions`` in ``conf.py``; then, in reStructuredText::

    .. flowzap::
       :caption: Order approval

       Sales { # Sales
       n1: circle label:"Start"
       }

or ``.. flowzap:: diagrams/order.fz`` for a file (relative to the page; ``/path`` from the source
directory), or ```` ```{flowzap} ```` in MyST Markdown.

This module only translates between Sphinx and the core (:mod:`flowzap_docs.pipeline`): parsing,
drawing, translating and caching all live there.  Diagrams are drawn while a page is *read*, not
written, so every problem is reported as a warning at the exact line of the page (or ``.fz``
file), the result travels in the pickled doctree, and parallel reads and writes need no shared
state beyond the small per-page record kept in the environment.

Every warning has the type ``flowzap`` and a subtype, for ``suppress_warnings``: ``error`` (the
diagram cannot be drawn; an error box stands in its place and the page is read again on the
next build), ``style`` (a FlowZap style rule), ``directive`` (a bad option value or a missing
file), ``config``, ``pdf`` (LaTeX output without CairoSVG), ``cache`` and ``internal``.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import set_source_info

from flowzap_docs import __version__
from flowzap_docs.pipeline import BuildStats, DiagramRequest, DiagramResult, Renderer, Translate, error_box_html
from flowzap_docs.svg.document import for_export
from flowzap_docs.svg.theme import THEMES

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata, OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.manpage import ManualPageTranslator
    from sphinx.writers.texinfo import TexinfoTranslator
    from sphinx.writers.text import TextTranslator

logger = logging.getLogger(__name__)

VIEWS = ("workflow", "sequence", "architecture")
ALIGNS = ("left", "center", "right")
FORMATS = ("inline", "img")
LATEX_ALIGN = {
    "left": ("{", r"\hspace*{\fill}}"),
    "right": (r"{\hspace*{\fill}", "}"),
    "center": (r"{\hspace*{\fill}", r"\hspace*{\fill}}"),
}
PDF_EXTRA = "pip install flowzap-docs[pdf]"
WARNING_TYPE = "flowzap"  # suppress_warnings = ["flowzap"] (or "flowzap.style", "flowzap.error", ...)

#: One Renderer per build environment (its caches outlive a single page); never pickled.
_RENDERERS: weakref.WeakKeyDictionary[BuildEnvironment, Renderer] = weakref.WeakKeyDictionary()


class flowzap(nodes.General, nodes.Element):  # noqa: N801 (docutils nodes are lower case)
    """A diagram drawn at read time: ``svg``/``alt``/``digest``, or ``error_text``/``error_html``."""


def _numfig_title(node: flowzap) -> str | None:
    """Lets ``:numref:`` number an uncaptioned diagram that has a ``:name:`` (its title is the alt).

    ``None`` for unnamed ones, so they take no figure number (a captioned diagram is numbered
    through its ``nodes.figure`` wrapper instead).
    """
    if not node["names"]:
        return None
    return node.get("alt") or "FlowZap diagram"


def figure_wrapper(directive: SphinxDirective, node: flowzap, caption: str) -> nodes.figure:
    """Put a captioned diagram in a standard figure, so numbering and captions work everywhere."""
    figure_node = nodes.figure("", node)
    if "align" in node:
        figure_node["align"] = node.attributes.pop("align")
    inodes, messages = directive.parse_inline(caption)
    caption_node = nodes.caption(caption, "", *inodes)
    caption_node.extend(messages)
    set_source_info(directive, caption_node)
    figure_node += caption_node
    return figure_node


class FlowZap(SphinxDirective):
    """``.. flowzap:: [path]`` with the diagram as content or in a ``.fz`` file."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    # Choices are checked in run(), not here: a typo must warn and fall back, not drop the diagram.
    option_spec: ClassVar[OptionSpec] = {
        "alt": directives.unchanged,
        "align": directives.unchanged,
        "caption": directives.unchanged,
        "class": directives.class_option,
        "format": directives.unchanged,
        "lang": directives.unchanged,
        "name": directives.unchanged,
        "theme": directives.unchanged,
        "view": directives.unchanged,
        "width": directives.unchanged,
    }

    def run(self) -> list[Node]:
        docname = self.env.docname
        loaded = self._load_source()
        if loaded is None:
            _page_record(self.env, docname)["broken"] = True
            return []
        source, filename, line_offset, where = loaded

        view = self._choice("view", VIEWS, self.config.flowzap_default_view)
        fmt = self._choice("format", FORMATS, self.config.flowzap_format)
        lang = self.options.get("lang") or self.config.language or None
        request = DiagramRequest(
            source=source,
            view=view,
            theme=self._choice("theme", tuple(THEMES), self.config.flowzap_theme),
            lang=lang,
            id_prefix=_id_prefix(docname, self.env.new_serialno("flowzap")),
            filename=filename,
            line_offset=line_offset,
            catalog_id="",
        )
        result = _render(self.env, request, _translate_for(self.env, lang), docname, (docname, self.lineno))
        if result is None:
            _page_record(self.env, docname)["broken"] = True
            return []
        for diag in result.diagnostics:
            message = f"FlowZap {diag.severity}[{diag.code}]: {diag.message} (column {diag.column})"
            if diag.hint:
                message += f"; help: {diag.hint}"
            logger.warning(message, location=where(diag.line), type=WARNING_TYPE,
                           subtype="error" if diag.severity == "error" else "style")

        node = flowzap()
        node["alt"] = self.options.get("alt") or result.alt
        node["format"] = fmt
        record = _page_record(self.env, docname)
        if result.ok:
            node["svg"] = result.svg
            node["digest"] = hashlib.sha256(result.svg.encode("utf-8")).hexdigest()[:20]
            record["images"].append((node["digest"], fmt))
        else:
            node["error_text"] = "FlowZap diagram error:\n" + "\n".join(result.messages())
            node["error_html"] = error_box_html(result)
            record["broken"] = True
        node["align"] = self._choice("align", ALIGNS, "center")
        width = self._width()
        if width:
            node["width"] = width
        node["classes"] += self.options.get("class", [])
        self.set_source_info(node)

        if "caption" not in self.options:
            self.add_name(node)
            return [node]
        figure = figure_wrapper(self, node, self.options["caption"])
        self.add_name(figure)
        return [figure]

    def _load_source(self) -> tuple[str, str, int, Any] | None:
        """(text, name for messages, line offset, diagnostic line -> warning location), or None."""
        docname = self.env.docname
        if self.arguments:
            if self.content:
                self._warn(__('the flowzap directive takes a file argument or content, not both'))
                return None
            rel_filename, filename = self.env.relfn2path(self.arguments[0])
            self.env.note_dependency(rel_filename)
            try:
                source = Path(filename).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                self._warn(__("FlowZap file %r could not be read: %s") % (rel_filename, err))
                return None
            return source, rel_filename, 0, lambda line: f"{filename}:{line}"
        source = "\n".join(self.content)
        if not source.strip():
            self._warn(__("the flowzap directive has no diagram (give content or a .fz file)"))
            return None
        path, offset = self._content_position()
        if path is None or Path(path) == self.env.doc2path(docname):
            page = self.env.doc2path(docname, base=False).as_posix()
            return source, page, offset, lambda line: (docname, line)
        shown = Path(os.path.relpath(path, self.env.srcdir)).as_posix()
        return source, shown, offset, lambda line: f"{path}:{line}"

    def _content_position(self) -> tuple[str | None, int]:
        """The file holding the content and how many of its lines come before the first one.

        In reStructuredText every content line remembers its file and 0-based line (right even
        inside an ``.. include::``d file or a nested block); ``content_offset`` counts lines of
        the page *with* includes expanded, so it is only the fallback.  MyST (5.x) keeps no such
        record and gives ``content_offset`` relative to the fence's opening line (``lineno``).
        """
        if type(self.state).__module__.startswith("myst_parser"):
            return None, self.lineno + self.content_offset
        path, offset = self.content.info(0)
        if path is None or offset is None:
            return None, self.content_offset
        return os.path.abspath(path), offset  # docutils names included files relative to the cwd

    def _choice(self, option: str, allowed: tuple[str, ...], default: str | None) -> str | None:
        value = self.options.get(option)
        if value is None:
            return default
        value = value.strip().lower()
        if value not in allowed:
            fallback = repr(default) if default else "the default"
            self._warn(__(":%s: must be one of %s, not %r; using %s") % (option, ", ".join(allowed), value, fallback))
            return default
        return value

    def _width(self) -> str | None:
        value = self.options.get("width")
        if value is None:
            return None
        try:
            width = directives.length_or_percentage_or_unitless(value.strip(), "px")
        except ValueError:
            self._warn(__(":width: %r is not a length (e.g. 600px, 80%%); ignored") % value)
            return None
        return width or None

    def _warn(self, message: str) -> None:
        logger.warning(message, location=(self.env.docname, self.lineno), type=WARNING_TYPE, subtype="directive")


def _id_prefix(docname: str, serial: int) -> str:
    """Deterministic and unique across a whole site (singlehtml puts every page in one file)."""
    return f"fz{hashlib.sha1(docname.encode('utf-8')).hexdigest()[:8]}-{serial}"


def _translate_for(env: BuildEnvironment, lang: str | None) -> Translate | None:
    """The one place where a page's translation catalog is handed to the core.

    The multilingual-labels issue supplies catalogs here (and a matching ``catalog_id`` in the
    request); until then labels use the diagram's inline ``label@xx`` forms only.
    """
    return None


def _render(env: BuildEnvironment, request: DiagramRequest, translate: Translate | None, docname: str,
            location: tuple[str, int]) -> DiagramResult | None:
    """Call the core; it never raises for bad diagrams, but a core bug must not kill the build."""
    renderer = _renderer(env)
    record = _page_record(env, docname)
    before = (renderer.stats.drawn, renderer.stats.cached, renderer.stats.failed, renderer.stats.seconds)
    try:
        result = renderer.render(request, translate=translate, page=docname)
    except Exception as err:  # noqa: BLE001 (reported as a located warning instead of a crash)
        logger.warning(__("FlowZap could not draw this diagram (internal error: %r)") % err,
                       location=location, type=WARNING_TYPE, subtype="internal")
        return None
    after = (renderer.stats.drawn, renderer.stats.cached, renderer.stats.failed, renderer.stats.seconds)
    record["stats"] = [a + (b - c) for a, b, c in zip(record["stats"], after, before, strict=True)]
    return result


# -- environment bookkeeping ---------------------------------------------------------------------
# env.flowzap_pages: {docname: {"images": [(digest, format)], "broken": bool, "stats": [...]}}
# Plain data so it pickles with the environment and merges after parallel reads.


def _pages(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    if not hasattr(env, "flowzap_pages"):
        env.flowzap_pages = {}
    return env.flowzap_pages


def _page_record(env: BuildEnvironment, docname: str) -> dict[str, Any]:
    return _pages(env).setdefault(docname, {"images": [], "broken": False, "stats": [0, 0, 0, 0.0]})


def _renderer(env: BuildEnvironment) -> Renderer:
    renderer = _RENDERERS.get(env)
    if renderer is None:  # builder-inited normally made it; an env without one still draws
        renderer = _RENDERERS[env] = _new_renderer(env.config, env.doctreedir, env.srcdir)
    return renderer


def _new_renderer(config: Config, doctreedir: str | os.PathLike[str], confdir: str | os.PathLike[str]) -> Renderer:
    def cache_warning(message: str) -> None:
        logger.warning(message, type=WARNING_TYPE, subtype="cache")

    return Renderer(cache_dir=_cache_dir(config, doctreedir, confdir), on_warning=cache_warning)


def _cache_dir(config: Config, doctreedir: str | os.PathLike[str], confdir: str | os.PathLike[str]) -> str | None:
    """``None`` (default): inside the doctree dir; ``False``: no disk cache; else a path from confdir."""
    setting = config.flowzap_cache_dir
    if setting is False:
        return None
    if setting is None:
        return os.fspath(Path(doctreedir) / "flowzap-cache")
    return os.fspath(Path(confdir, os.fspath(setting)))


def purge_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _pages(env).pop(docname, None)


def merge_pages(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """After a parallel read: take the readers' records, and their counts for the summary line."""
    stats = _renderer(env).stats
    theirs = _pages(other)
    for docname in docnames:
        if docname in theirs:
            record = _pages(env)[docname] = theirs[docname]
            stats.merge(BuildStats(*record["stats"]))


def begin_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """Tell the cache a page is being (re)read, in the process that reads it (a ``-j`` worker
    writes the page's cache manifest itself; the main process must not reset it)."""
    _renderer(app.env).begin_page(docname)


def reread_broken_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                        removed: set[str]) -> list[str]:
    """A page with a broken diagram is read (and reported) again on every build until fixed."""
    return sorted(d for d, record in _pages(env).items() if record["broken"] and d not in removed)


def finish_build(app: Sphinx, exception: Exception | None) -> None:
    """Remove diagram images no page uses any more, prune the cache, log the one summary line.

    Every page that holds a diagram has a record in the environment (pages not re-read in
    this build too), so the records' names are the complete ``used_pages`` the cache needs.
    """
    renderer = _renderer(app.env)
    if exception is not None:
        renderer.finish_build(used_pages=None)  # keep the manifests, prune nothing
        return
    _remove_stale_images(app.builder, app.env)
    logger.info(renderer.finish_build(used_pages=set(_pages(app.env))))


def _remove_stale_images(builder: Builder, env: BuildEnvironment) -> None:
    if builder.format == "html":
        suffix, every = ".svg", builder.name.startswith("epub")
    elif builder.format == "latex":
        suffix, every = ".pdf", True
    else:
        return
    live = {
        f"flowzap-{digest}{suffix}"
        for record in _pages(env).values()
        for digest, fmt in record["images"]
        if every or fmt == "img"
    }
    folder = Path(builder.outdir, builder.imagedir)
    if folder.is_dir():
        for path in folder.glob(f"flowzap-*{suffix}"):
            if path.name not in live:
                path.unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes) -> None:
    """Content-addressed files: an existing one is already right; parallel writers race harmlessly."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".flowzap-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- builders ------------------------------------------------------------------------------------


def html_visit_flowzap(self: HTML5Translator, node: flowzap) -> None:
    """Inline SVG (links, sizing and dark mode work), or an ``<img>`` for ``:format: img`` and EPUB."""
    if "error_html" in node:
        self.body.append(self.starttag(node, "div", CLASS="flowzap flowzap-broken"))
        self.body.append(node["error_html"] + "</div>\n")
        raise nodes.SkipNode
    classes = ["flowzap"]
    if "align" in node:
        classes.append(f"align-{node['align']}")
    attrs: dict[str, str] = {}
    if "width" in node:
        classes.append("flowzap-sized")
        attrs["style"] = f"width: {_css_length(node['width'])}"
    if node["format"] == "img" or self.builder.name.startswith("epub"):
        fname = f"flowzap-{node['digest']}.svg"
        _write_atomic(Path(self.builder.outdir, self.builder.imagedir, fname), node["svg"].encode("utf-8"))
        src = posixpath.join(self.builder.imgpath, fname)
        self.body.append(self.starttag(node, "div", CLASS=" ".join(classes), **attrs))
        # Written by hand: starttag() would repeat the node's ids and classes on the <img>.
        self.body.append(f'<img src="{self.attval(src)}" alt="{self.attval(node["alt"])}" class="flowzap-img" />')
        self.body.append("</div>\n")
    else:
        attrs["role"] = "figure"
        attrs["aria-label"] = node["alt"]
        self.body.append(self.starttag(node, "div", CLASS=" ".join(classes), **attrs))
        self.body.append(node["svg"].strip() + "\n</div>\n")
    raise nodes.SkipNode


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
    _write_atomic(path, pdf)
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


# -- setup ---------------------------------------------------------------------------------------


def check_config(app: Sphinx, config: Config) -> None:
    """A bad setting warns and falls back (like a bad option), and the stylesheet is registered."""
    for name, allowed, default in (("flowzap_default_view", VIEWS, "workflow"), ("flowzap_format", FORMATS, "inline"),
                                   ("flowzap_theme", tuple(THEMES), "default")):
        if config[name] not in allowed:
            logger.warning(__("%s must be one of %s, not %r; using %r"), name, ", ".join(allowed), config[name],
                           default, type=WARNING_TYPE, subtype="config")
            config[name] = default
    config.html_static_path.append(os.fspath(Path(__file__).with_name("flowzap.css")))


def create_renderer(app: Sphinx) -> None:
    """A fresh Renderer for this build, made before ``-j`` forks (the cache checks its directory once)."""
    _RENDERERS[app.env] = _new_renderer(app.config, app.doctreedir, app.confdir)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_enumerable_node(
        flowzap,
        "figure",
        _numfig_title,
        html=(html_visit_flowzap, None),
        latex=(latex_visit_flowzap, None),
        text=(text_visit_flowzap, None),
        man=(man_visit_flowzap, None),
        texinfo=(texinfo_visit_flowzap, None),
    )
    app.add_directive("flowzap", FlowZap)
    app.add_config_value("flowzap_default_view", "workflow", "env", types=frozenset({str}))
    app.add_config_value("flowzap_theme", "default", "env", types=frozenset({str}))
    app.add_config_value("flowzap_format", "inline", "env", types=frozenset({str}))
    app.add_config_value("flowzap_cache_dir", None, "", types=frozenset({str, bool, type(None)}))
    app.add_css_file("flowzap.css")
    app.connect("config-inited", check_config)
    app.connect("builder-inited", create_renderer)
    app.connect("env-get-outdated", reread_broken_pages)
    app.connect("env-purge-doc", purge_page)
    app.connect("source-read", begin_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("build-finished", finish_build)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
