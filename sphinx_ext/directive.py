"""The ``.. flowzap::`` directive: a diagram drawn while the page is read.

Drawing at read time means every problem is reported as a warning at the exact line of the
page (or ``.fz`` file) and the result travels in the pickled doctree.  The directive gathers
the page's values (source text and its position, options, language, catalog), hands them to
the core (:mod:`flowzap_docs.pipeline`) and turns the result into a ``flowzap`` node.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import set_source_info

from flowzap_docs.catalogs import catalog_fingerprint, is_language_code
from flowzap_docs.diagnostics import Diagnostic
from flowzap_docs.html import FITS
from flowzap_docs.pipeline import DiagramRequest, DiagramResult, error_box_html
from flowzap_docs.sources import OUTSIDE, TextFile, read_page_file
from flowzap_docs.svg.theme import THEMES
from flowzap_docs.viewer import SWITCH_VALUES, parse_switch

from .i18n import localized_argument, message_nodes, translate_for, translated
from .state import WARNING_TYPE, allowed_folders, page_record, render

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.util.typing import OptionSpec

logger = logging.getLogger(__name__)

VIEWS = ("workflow", "sequence", "architecture")
ALIGNS = ("left", "center", "right")
FORMATS = ("inline", "img")


class flowzap(nodes.General, nodes.Element):  # noqa: N801 (docutils nodes are lower case)
    """A diagram drawn at read time: ``svg``/``alt``/``digest``, or ``error_text``/``error_html``.

    Its only children are gettext message nodes (see :mod:`.i18n`); no builder writes them.
    """


def numfig_title(node: flowzap) -> str | None:
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


@dataclass(frozen=True)
class Loaded:
    """The diagram text and where it comes from (for messages, warnings and gettext)."""

    source: str
    filename: str  # how messages name it
    line_offset: int
    where: Callable[[int], Any]  # diagnostic line -> warning location
    #: (text, file, line offset) the gettext messages are taken from: the original ``.fz``
    #: file for a path argument (never its language copy), else the content in the page.
    messages_from: tuple[str, str, int]


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
        "fit": directives.unchanged,
        "format": directives.unchanged,
        "lang": directives.unchanged,
        "name": directives.unchanged,
        "theme": directives.unchanged,
        "view": directives.unchanged,
        "width": directives.unchanged,
        "zoom": directives.unchanged,
    }

    def run(self) -> list[Node]:
        docname = self.env.docname
        lang = self._language()
        loaded = self._load_source(lang)
        if loaded is None:
            page_record(self.env, docname)["broken"] = True
            return []
        if isinstance(loaded, Diagnostic):
            return [self._file_error(loaded)]

        view = self._choice("view", VIEWS, self.config.flowzap_default_view)
        fmt = self._choice("format", FORMATS, self.config.flowzap_format)
        translator = translate_for(self.env, lang)
        request = DiagramRequest(
            source=loaded.source,
            view=view,
            theme=self._choice("theme", tuple(THEMES), self.config.flowzap_theme),
            lang=lang,
            id_prefix=_id_prefix(docname, self.env.new_serialno("flowzap")),
            filename=loaded.filename,
            line_offset=loaded.line_offset,
            catalog_id=catalog_fingerprint(translator),
        )
        result = render(self.env, request, translator, docname, (docname, self.lineno))
        if result is None:
            page_record(self.env, docname)["broken"] = True
            return []
        for diag in result.diagnostics:
            message = f"FlowZap {diag.severity}[{diag.code}]: {diag.message} (column {diag.column})"
            if diag.hint:
                message += f"; help: {diag.hint}"
            logger.warning(message, location=loaded.where(diag.line), type=WARNING_TYPE,
                           subtype="error" if diag.severity == "error" else "style")

        node = flowzap()
        alt = self.options.get("alt")
        node["alt"] = translated(translator, alt) or result.alt
        node["format"] = fmt
        node["fit"] = self._choice("fit", FITS, self.config.flowzap_fit)
        record = page_record(self.env, docname)
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
        zoom = self._switch("zoom")
        if zoom is not None:  # else the site's flowzap_zoom, read when the page is written
            node["zoom"] = zoom
        node["classes"] += self.options.get("class", [])
        self.set_source_info(node)
        # The caption is a standard figure caption: Sphinx extracts it for gettext itself.
        node.extend(message_nodes(self.env, *loaded.messages_from, alt=alt, directive_line=self.lineno))

        if "caption" not in self.options:
            self.add_name(node)
            return [node]
        figure = figure_wrapper(self, node, translated(translator, self.options["caption"]) or "")
        self.add_name(figure)
        return [figure]

    def _load_source(self, lang: str | None) -> Loaded | Diagnostic | None:
        """The diagram text and its position, None (after a warning), or why the file argument
        cannot be used (it is refused by the folder rule, or unreadable: see :mod:`flowzap_docs.sources`)."""
        docname = self.env.docname
        if self.arguments:
            if self.content:
                self._warn(__('the flowzap directive takes a file argument or content, not both'))
                return None
            original = self.arguments[0]
            wanted = localized_argument(self.env, original, lang)
            rel_filename, filename = self.env.relfn2path(wanted)
            read = self._read_file(filename, wanted)
            if read.problem is not None and read.problem.code == OUTSIDE:
                return read.problem
            self.env.note_dependency(rel_filename)
            if read.text is None:
                return read.problem
            source = read.text
            messages_from = (source, filename, 0)
            if wanted != original:
                original_path = self.env.relfn2path(original)[1]
                original_text = self._read_file(original_path, original).text
                if original_text is not None:
                    self.env.note_dependency(original_path)  # its texts are the msgids
                messages_from = (original_text or "", original_path, 0)
            return Loaded(source, rel_filename, 0, lambda line: f"{filename}:{line}", messages_from)
        source = "\n".join(self.content)
        if not source.strip():
            self._warn(__("the flowzap directive has no diagram (give content or a .fz file)"))
            return None
        path, offset = self._content_position()
        page_path = os.fspath(self.env.doc2path(docname))
        if path is None or Path(path) == Path(page_path):
            page = self.env.doc2path(docname, base=False).as_posix()
            return Loaded(source, page, offset, lambda line: (docname, line), (source, page_path, offset))
        shown = Path(os.path.relpath(path, self.env.srcdir)).as_posix()
        return Loaded(source, shown, offset, lambda line: f"{path}:{line}", (source, path, offset))

    def _read_file(self, filename: str, argument: str) -> TextFile:
        """The file a page names, read only if the site's folders allow it."""
        return read_page_file(filename, allowed_folders(self.env), named_as=f"'{argument}'",
                              shown_from=self.env.srcdir)

    def _file_error(self, diag: Diagnostic) -> flowzap:
        """A file argument that cannot be used: a warning at the directive (that names the
        path and the rule, never the file's content) and an error box in the diagram's place."""
        message = f"FlowZap {diag.severity}[{diag.code}]: {diag.message}"
        if diag.hint:
            message += f"; help: {diag.hint}"
        logger.warning(message, location=(self.env.docname, self.lineno), type=WARNING_TYPE, subtype="error")
        page = self.env.doc2path(self.env.docname, base=False).as_posix()
        result = DiagramResult(DiagramRequest("", filename=page), None, "", (replace(diag, line=self.lineno),))
        node = flowzap()
        node["alt"] = self.options.get("alt") or ""
        node["format"] = "inline"
        node["error_text"] = "FlowZap diagram error:\n" + "\n".join(result.messages())
        node["error_html"] = error_box_html(result)
        self.set_source_info(node)
        page_record(self.env, self.env.docname)["broken"] = True
        return node

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

    def _language(self) -> str | None:
        """``:lang:`` if it is a language code (it names catalog folders: never a path), else ``language``."""
        value = (self.options.get("lang") or "").strip()
        if value and not is_language_code(value):
            self._warn(__(":lang: must be a language code such as fr or pt_BR, not %r; using the page's language")
                       % value)
            value = ""
        return value or self.config.language or None

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

    def _switch(self, option: str) -> bool | None:
        """A flag that may be turned off (``:zoom:``, ``:zoom: false``); None when absent or bad."""
        value = self.options.get(option)
        if value is None:
            return None
        switch = parse_switch(value)
        if switch is None:
            self._warn(__(":%s: must be %s, not %r; using the site's setting") % (option, SWITCH_VALUES, value))
        return switch

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
