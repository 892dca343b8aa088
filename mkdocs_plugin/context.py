"""The state one Markdown host keeps while drawing fences: settings, the Renderer, the current page.

The SuperFences contract hands a formatter nothing but the fence and the ``Markdown`` instance,
so everything else a fence needs (site defaults, which page it is on, where that page's fences
start, where to write ``img`` files, which logger counts warnings) lives here.  The MkDocs plugin
fills in :class:`PageInfo` for each page; the standalone extension runs with ``page=None``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flowzap_docs import html as diagram_html
from flowzap_docs.diagnostics import Diagnostic
from flowzap_docs.fences import FoundFence
from flowzap_docs.files import write_once
from flowzap_docs.pipeline import DiagramRequest, DiagramResult, Renderer, Translate, error_box_html
from flowzap_docs.sources import OUTSIDE, AllowedFolders, read_page_file, resolve_reference, shown_path
from flowzap_docs.viewer import NO_ZOOM_CLASS

from .locate import FenceLocator, FenceSpot
from .options import BAD_ATTRIBUTE, FenceOptions, parse_fence_options

#: What a refusal suggests when no site configured the folders (plain Python-Markdown).
STANDALONE_HOW_TO_ALLOW = "src= files are read only inside the current folder and the extension's base_path folders"

#: Where the i18n support plugs in: language -> (translate function, catalog id for the cache key).
TranslationLookup = Callable[[str | None], tuple[Translate | None, str]]


@dataclass
class Settings:
    """Site-wide defaults (plugin options, or the standalone extension's configs)."""

    view: str = "workflow"
    theme: str = "default"
    format: str = "inline"
    fit: str = diagram_html.DEFAULT_FIT
    lang: str | None = None
    zoom: bool = True  # the diagram viewer, unless a fence says zoom="false"
    #: Message file names are relative to this folder (the folder of mkdocs.yml); cwd if None.
    base_dir: str | None = None
    #: ``src="/x.fz"`` starts here (MkDocs' docs_dir); cwd if None.
    docs_dir: str | None = None
    #: The folders ``src=`` files may be read from; None: the cwd only (standalone Markdown).
    allowed: AllowedFolders | None = None


@dataclass
class PageInfo:
    """The page being converted, as the MkDocs plugin knows it."""

    filename: str  # how messages name the page, e.g. "docs/broken.md"
    uri: str  # stable identity of the page (ids of its diagrams derive from it)
    src_path: str | None = None  # absolute path of the page source: src= is relative to its folder
    url: str | None = None  # the page's URL in the site (img format links are relative to it)
    site_dir: str | None = None
    lang: str | None = None
    raw_text: str | None = None  # the file as the writer sees it, front matter included
    markdown_shift: int = 0  # lines of the file that precede the converted markdown (front matter)
    page_id: str | None = None  # the page as the cache's manifests know it (default: ``uri``)
    #: gives ``(raw_text, markdown_shift)`` when a fence first needs them, so a page without a
    #: diagram never reads its file again; None: the two fields are as given
    read_source: Callable[[], tuple[str | None, int]] | None = field(default=None, repr=False)
    #: how many diagrams were drawn on the page (a page with none links none of our assets)
    diagrams: int = 0
    #: how many of them have the viewer on (a page with none does not link the viewer)
    zoomable: int = 0

    def load_source(self) -> None:
        """Fill in ``raw_text`` and ``markdown_shift`` (once) if they are to be read."""
        if self.read_source is not None:
            self.raw_text, self.markdown_shift = self.read_source()
            self.read_source = None


@dataclass
class FlowZapContext:
    """One per host (plugin instance, or extension instance); kept across pages and rebuilds."""

    settings: Settings = field(default_factory=Settings)
    renderer: Renderer = field(default_factory=Renderer)
    logger: logging.Logger = field(default_factory=lambda: logging.getLogger("flowzap_docs.markdown"))
    translations: TranslationLookup | None = None
    page: PageInfo | None = None
    #: page filename -> absolute paths of the .fz files its fences read (for watching and rebuilds)
    dependencies: dict[str, set[str]] = field(default_factory=dict)
    _file_locator: FenceLocator | None = None
    _text_locator: FenceLocator | None = None
    #: the conversion's page, its text (lines joined) and that text's fences if already scanned:
    #: the locators are built from them on the first fence that asks
    _conversion_page: PageInfo | None = None
    _lines_text: str = ""
    _lines: list[str] | None = None
    _fences: list[FoundFence] | None = None
    _seen: dict[str, int] = field(default_factory=dict)
    _logged: set[str] = field(default_factory=set)

    def begin_build(self) -> None:
        """A new build: messages already given in the previous one are given again."""
        self._logged = set()

    # -- per conversion ----------------------------------------------------------------------

    def begin_conversion(self, lines: list[str], fences: list[FoundFence] | None = None) -> None:
        """Called before any fence of a conversion is formatted.  ``fences``: those of
        ``lines`` (:func:`flowzap_docs.fences.scan_fences`), when the caller has scanned them already.

        Nothing is scanned here: a page without a ``flowzap`` fence never needs its fences
        located, and the converted text only when the page file does not have the fence."""
        page = self._conversion_page = self.page
        self._lines_text = "\n".join(lines)
        # the scan of ``lines`` is the scan of their joined text unless a "line" holds a line break
        self._fences = fences if fences is not None and self._lines_text.count("\n") == len(lines) - 1 else None
        self._lines = lines if self._fences is not None else None
        self._file_locator = None
        self._text_locator = None
        self._seen = {}
        if page is not None:
            self.dependencies[page.filename] = set()
        else:  # standalone: one conversion is the unit in which repeats are dropped
            self._logged = set()

    def _locate(self, source: str) -> tuple[FenceSpot | None, str]:
        """The fence's position and the text its line numbers refer to (for the caret display):
        the page file as written, else the converted text (a fence some preprocessor wrote)."""
        page = self._conversion_page
        if page is not None:
            page.load_source()
        if page is not None and page.raw_text is not None and self.page is not None:
            if self._file_locator is None:
                if self._file_has_the_lines(page.raw_text, page.markdown_shift):
                    self._file_locator = FenceLocator(page.raw_text, line_shift=page.markdown_shift,
                                                      fences=self._fences)
                else:
                    self._file_locator = FenceLocator(page.raw_text)
            spot = self._file_locator.take(source)
            if spot is not None:
                return spot, self.page.raw_text or ""
        shift = page.markdown_shift if page is not None else 0
        if self._text_locator is None:
            self._text_locator = FenceLocator(self._lines_text, line_shift=shift, fences=self._fences)
        spot = self._text_locator.take(source)
        if spot is not None:
            return spot, "\n" * shift + self._lines_text
        return None, source

    def _file_has_the_lines(self, raw: str, shift: int) -> bool:
        """True when the scan of the converted lines is, ``shift`` lines down, the scan of the
        page file: the file has those lines after its front matter (Python-Markdown only added
        empty lines at the end), and no fence marker in the front matter could open a fence."""
        lines = self._lines
        if lines is None or self._fences is None:
            return False
        raw_lines = raw.split("\n")
        count = len(raw_lines) - shift
        if count < 0 or count > len(lines) or any(lines[count:]):
            return False
        if any("```" in line or "~~~" in line for line in raw_lines[:shift]):
            return False
        return raw_lines[shift:] == lines[:count]

    def _id_prefix(self, source: str, src: str | None) -> str:
        """Unique and stable: page + fence (+ a counter for repeats), so inserting a diagram does
        not rename the others (their ids, and so their cached drawings, stay as they were)."""
        uri = self.page.uri if self.page else ""
        digest = hashlib.sha1(f"{uri}\0{src or ''}\0{source}".encode()).hexdigest()[:8]
        seen = self._seen.get(digest, 0) + 1
        self._seen[digest] = seen
        return f"fz-{digest}" + (f"-{seen}" if seen > 1 else "")

    # -- one fence ---------------------------------------------------------------------------

    def render_fence(self, source: str, inputs: dict[str, object], *, element_id: str = "",
                     classes: list[str] | None = None) -> str:
        """The HTML standing for one fence: the diagram, or an error box (never an exception)."""
        spot, host_text = self._locate(source)
        options = parse_fence_options(inputs)
        id_prefix = self._id_prefix(source, options.src)
        page_name = self.page.filename if self.page else "<markdown>"
        page_id = (self.page.page_id or self.page.uri) if self.page else None
        line_offset = spot.line if spot else 0
        indent = spot.indent if spot else 0
        lang = options.lang or (self.page.lang if self.page else None) or self.settings.lang
        translate, catalog_id = self.translations(lang) if self.translations else (None, "")
        options = _translated_texts(options, translate)
        base = DiagramRequest(
            source=source, view=options.view or self.settings.view, theme=options.theme or self.settings.theme,
            lang=lang, id_prefix=id_prefix, filename=page_name, line_offset=line_offset, catalog_id=catalog_id,
        )
        fence_problems = tuple(_at_fence(d, line_offset) for d in options.problems)
        if options.errors:
            result = DiagramResult(base, None, "", ())
            return self._finish(result, options, host_text, indent, element_id, classes, fence_problems, host_text)

        request = base
        if options.src:
            loaded = self._load_src(options.src, base)
            if isinstance(loaded, DiagramResult):
                return self._finish(loaded, options, host_text, indent, element_id, classes, fence_problems, host_text)
            text, filename = loaded
            if source.strip():
                fence_problems += (_at_fence(Diagnostic(
                    BAD_ATTRIBUTE, "warning", "the fence has both src= and a body; the body is ignored", 0, 1,
                    "empty the fence, or drop src=",
                ), line_offset),)
            request = replace(base, source=text, filename=filename, line_offset=0)
            result = self.renderer.render(request, translate=translate, page=page_id)
            return self._finish(result, options, text, 0, element_id, classes, fence_problems, host_text)
        result = self.renderer.render(request, translate=translate, page=page_id)
        return self._finish(result, options, host_text, indent, element_id, classes, fence_problems, host_text)

    def internal_error(self, source: str, err: Exception) -> str:
        """A bug in the adapter: say so at the page, show a box, keep building."""
        page_name = self.page.filename if self.page else "<markdown>"
        diag = Diagnostic("FZ399", "error", f"internal error in the flowzap fence: {type(err).__name__}: {err}"[:500],
                          1, 1, "please report this diagram at the flowzap-docs issue tracker")
        result = DiagramResult(DiagramRequest(source, filename=page_name), None, "", (diag,))
        self.logger.warning(result.messages()[0])
        return error_box_html(result)

    def _load_src(self, src: str, request: DiagramRequest) -> tuple[str, str] | DiagramResult:
        """Read a ``src=`` file (relative to the page, ``/x.fz`` from docs_dir) if the site's
        folder rule (:mod:`flowzap_docs.sources`) allows it; record it as a dependency of the page."""
        settings = self.settings
        cwd = os.getcwd()
        base = os.path.dirname(self.page.src_path) if self.page and self.page.src_path else settings.docs_dir or cwd
        path = resolve_reference(src, base, settings.docs_dir or cwd)
        allowed = settings.allowed or AllowedFolders.of([cwd], how_to_allow=STANDALONE_HOW_TO_ALLOW)
        loaded = read_page_file(path, allowed, named_as=f'src="{src}"', shown_from=settings.base_dir or cwd)
        if self.page is not None and (loaded.problem is None or loaded.problem.code != OUTSIDE):
            self.dependencies.setdefault(self.page.filename, set()).add(path)
        if loaded.text is not None:
            return loaded.text, self._display(path)
        diag = loaded.problem
        assert diag is not None
        return DiagramResult(request, None, "", (replace(diag, line=max(request.line_offset, 1)),))

    def _display(self, path: str) -> str:
        """``docs/diagrams/order.fz``: relative to the project folder, with forward slashes."""
        return shown_path(path, self.settings.base_dir or os.getcwd())

    def _finish(self, result: DiagramResult, options: FenceOptions, diagram_text: str, indent: int,
                element_id: str, classes: list[str] | None, fence_problems: tuple[Diagnostic, ...],
                page_text: str) -> str:
        """Report, then build the HTML.  ``fence_problems`` are about the fence itself (its page
        line); the result's diagnostics point into ``diagram_text`` (the page, or the src file)."""
        page_name = self.page.filename if self.page else "<markdown>"
        for diag in fence_problems:
            self._log(diag, page_text, page_name, always_warn=True)
        diagnostics = tuple(_indented(d, indent) for d in result.diagnostics) if indent else result.diagnostics
        for diag in diagnostics:
            self._log(diag, diagram_text, result.request.filename)
        if fence_problems or diagnostics is not result.diagnostics:
            result = replace(result, diagnostics=fence_problems + diagnostics)
        if not result.ok:
            if not result.errors:
                result = _unknown_failure(result)
                self._log(result.diagnostics[-1], None, result.request.filename)
            return error_box_html(result)
        fmt = options.format or self.settings.format
        fit = options.fit or self.settings.fit
        svg = result.svg or ""
        zoom = self.settings.zoom if options.zoom is None else options.zoom
        if self.page is not None:
            self.page.diagrams += 1
            self.page.zoomable += zoom
        classes = (classes or []) + ([] if zoom else [NO_ZOOM_CLASS])
        url = None
        if fmt == "img":
            try:
                url = self._asset_url(svg)
            except OSError as err:  # an unwritable site folder: the page still gets its diagram
                self.logger.warning("%s: cannot write the diagram file (%s); embedding it in the page instead",
                                    page_name, err)
                url = _data_uri(svg)
        alt = (options.alt or result.alt) if url else options.alt
        box = diagram_html.drawing_box(svg, fit=fit, align=options.align, width=options.width, alt=alt,
                                       caption=options.caption, img_url=url)
        return diagram_html.figure(box, caption=options.caption, align=options.align, element_id=element_id,
                                   classes=classes, view=result.request.view, fit=fit)

    def _log(self, diag: Diagnostic, source: str | None, filename: str, *, always_warn: bool = False) -> None:
        """Errors (and fence attribute problems) as WARNING, which MkDocs counts for --strict;
        diagram style hints as INFO, so real-world diagrams with id gaps do not fail strict builds.

        Formatted only when the logger will emit it (``mkdocs build -q`` drops the INFO hints)."""
        level = logging.WARNING if diag.severity == "error" or always_warn else logging.INFO
        if not self.logger.isEnabledFor(level):
            return
        text = diag.format(source, filename)
        if text in self._logged:  # a src= file used by several fences: say it once per build
            return
        self._logged.add(text)
        self.logger.log(level, text)

    # -- img format --------------------------------------------------------------------------

    def _asset_url(self, svg: str) -> str:
        """Write ``assets/flowzap/<hash>.svg`` into the site and link it relative to the page;
        without a site (standalone Markdown) the SVG travels as a data: URI."""
        data = svg.encode("utf-8")
        page = self.page
        if page is None or not page.site_dir or page.url is None:
            return _data_uri(svg)
        name = hashlib.sha256(data).hexdigest()[:16] + ".svg"
        write_once(os.path.join(page.site_dir, "assets", "flowzap", name), data)
        return relative_url(f"assets/flowzap/{name}", page.url)


def contexts_of(md: object) -> list[FlowZapContext]:
    """The contexts of the FlowZap extensions loaded into the Markdown instance ``md``, in
    loading order (an extension that carries a FlowZapContext is ours; looked up this way so
    that the fence formatter need not import the extension, which imports the formatter)."""
    return [ctx for ext in getattr(md, "registeredExtensions", ())
            if isinstance(ctx := getattr(ext, "context", None), FlowZapContext)]


def _translated_texts(options: FenceOptions, translate: Translate | None) -> FenceOptions:
    """The fence's own ``caption=`` and ``alt=`` in the page's language: they are messages of
    the same catalog as the labels (``flowzap extract`` collects them), msgid = as written."""
    if translate is None or not (options.alt or options.caption):
        return options
    return replace(options, alt=(translate(options.alt) or options.alt) if options.alt else options.alt,
                   caption=(translate(options.caption) or options.caption) if options.caption else options.caption)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _unknown_failure(result: DiagramResult) -> DiagramResult:
    """A failed result without diagnostics should not happen; still show a box that says so."""
    diag = Diagnostic("FZ399", "error", "the diagram could not be drawn", result.request.line_offset or 1, 1)
    return replace(result, diagnostics=result.diagnostics + (diag,))


def _at_fence(diag: Diagnostic, line_offset: int) -> Diagnostic:
    """Attribute problems are reported on the fence's opening line."""
    return replace(diag, line=max(line_offset, 1))


def _indented(diag: Diagnostic, indent: int) -> Diagnostic:
    """Columns of a fence nested in a list or admonition count from the left margin of the file."""
    return replace(diag, column=diag.column + indent) if indent else diag


def relative_url(target: str, page_url: str) -> str:
    """``assets/x.svg`` seen from ``guide/page/`` is ``../../assets/x.svg`` (MkDocs' URL rules)."""
    folder = (page_url if page_url.endswith("/") else posixpath.dirname(page_url)).strip("/")
    if not folder:
        return target
    return posixpath.relpath("/" + target, "/" + folder)
