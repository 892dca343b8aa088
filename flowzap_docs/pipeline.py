"""The one entry point the host adapters call: a diagram block in, SVG or an error box out.

Sphinx and MkDocs both need the same thing: take the text of a diagram found in a page (or a
``.fz`` file), parse it, translate it to the page's language, draw it (from the cache when
possible) and hand back either the SVG or diagnostics already placed at the right line of the
*host* file.  Keeping that here is what keeps the adapters thin.  ``render`` never raises for
bad diagrams: bad input must never crash a build.

Caching (see :mod:`flowzap_docs.cache` for the storage): the key of a diagram is the SHA-256 of
its source, every option of the :class:`DiagramRequest` that changes the drawing, the package
version and code, *and* what the page's translator answers for every text the drawing asked it
about (recorded when the diagram was first drawn).  So a hit needs no parsing at all, a changed
catalog entry misses only for the diagrams that use it, and nothing machine-specific (paths,
file names, line offsets) is in the key.

Id prefixes: adapters give each diagram on a page its own ``id_prefix``, which would make the
same diagram on two pages two entries.  The Renderer draws with a fixed placeholder prefix
(:data:`PLACEHOLDER_PREFIX`) and substitutes the real prefix on the way out, so the prefix is
not in the key.  That is exact: a valid prefix (letters, digits, ``-``, ``_``) is written
verbatim by the drawing code, and when the placeholder could also come from the diagram's own
text (its source or a translation contains it) the diagram is drawn directly instead.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields

from .cache import DiagramCache, Entry, base_key, full_key
from .diagnostics import Diagnostic, FlowZapError

#: Turns a label as written into the page's language (gettext-style); identity when ``None``.
Translate = Callable[[str], str]

#: The id prefix diagrams are drawn with before they are stored; replaced by the request's.
PLACEHOLDER_PREFIX = "fzQcacheQprefix"
_PLACEHOLDER_LOWER = PLACEHOLDER_PREFIX.lower()
#: Prefixes the drawing code writes verbatim (same rule as ``svg.document.check_id_prefix``).
_PREFIX_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
#: Request fields that do not change the drawing (``catalog_id``: the translator's answers are
#: in the key instead, which is finer; it *is* used when no translator is given).
_NOT_IN_KEY = frozenset({"id_prefix", "filename", "line_offset"})


@dataclass(frozen=True)
class DiagramRequest:
    """One diagram to draw, with every option that changes the output.

    ``line_offset`` is added to diagnostic lines so they point into the host file: a fence
    whose first diagram line is line 8 of ``page.md`` has ``line_offset=7``.
    ``catalog_id`` names the translation catalog in use (``""`` if none).  It is part of the
    cache key only when ``render`` gets no ``translate``: with a translator, the answers it
    gives for the diagram's texts are in the key instead.  Any field added here is part of the
    cache key automatically (except ``id_prefix``, ``filename`` and ``line_offset``); it must
    be JSON-serializable and machine-independent (no absolute paths).
    """

    source: str
    view: str = "workflow"
    theme: str = "default"
    lang: str | None = None
    id_prefix: str | None = None
    filename: str = "<diagram>"
    line_offset: int = 0
    catalog_id: str = ""


@dataclass(frozen=True)
class DiagramResult:
    """What an adapter puts in the page: ``svg`` (None on error), the generated ``alt`` text,
    and the diagnostics (host-file lines) to report as warnings.  ``cached``: served from the
    cache; ``key``: the cache key (``""`` when the diagram was not cacheable)."""

    request: DiagramRequest
    svg: str | None
    alt: str
    diagnostics: tuple[Diagnostic, ...]
    cached: bool = False
    key: str = ""

    @property
    def ok(self) -> bool:
        return self.svg is not None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def messages(self) -> list[str]:
        """Each diagnostic formatted like a compiler (``file:line:col: error[FZ..]: ...``)."""
        return [d.format(None, self.request.filename) for d in self.diagnostics]


@dataclass
class BuildStats:
    """Counts for the one summary line per build."""

    drawn: int = 0
    cached: int = 0
    failed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        total = self.drawn + self.cached + self.failed
        failed = f", {self.failed} failed" if self.failed else ""
        return f"flowzap: {total} diagrams ({self.cached} cached, {self.drawn} drawn{failed}) in {self.seconds:.2f} s"

    def merge(self, other: BuildStats) -> None:
        """Add another process's counts (e.g. a ``sphinx-build -j`` worker's)."""
        self.drawn += other.drawn
        self.cached += other.cached
        self.failed += other.failed
        self.seconds += other.seconds


class _Recorder:
    """Wraps the page's translator and remembers every question and answer: those answers are
    all the drawing depends on from the translator, so they go into the cache key."""

    __slots__ = ("translate", "answers")

    def __init__(self, translate: Translate) -> None:
        self.translate = translate
        self.answers: dict[str, object] = {}

    def __call__(self, text: str) -> str:
        answer = self.translate(text)
        self.answers[text] = answer
        return answer


@dataclass
class Renderer:
    """Draws diagram blocks for one host process (kept across rebuilds, e.g. ``mkdocs serve``).

    The cache layers live behind this object; adapters create one Renderer per process (or per
    build: then only the disk layer carries over) and call :meth:`render` for every block and
    :meth:`finish_build` at the end.

    ``cache_dir``: the disk cache directory (created if needed; one directory per site, since
    pruning deletes what *this* site's pages do not use), or ``None``/``False`` for memory only.
    A relative path is relative to the current directory; adapters pass absolute ones.
    Nothing machine-specific goes into the files, so CI may save and restore the directory.

    ``on_warning``: receives the cache's one warning (the directory cannot be written: the
    build goes on, drawing what the memory layer does not hold).  Without it the warning is logged on the
    ``flowzap_docs.cache`` logger (:data:`flowzap_docs.cache.LOGGER_NAME`).  Either way it is
    also in :attr:`cache_warnings`.  The directory is checked when the Renderer is created, so
    create it in the main process (before ``sphinx-build -j`` forks) to warn only once.

    ``memory``: keep drawn diagrams in memory too (default); ``False`` is for measuring the
    disk layer alone.
    """

    cache_dir: str | os.PathLike[str] | bool | None = None
    stats: BuildStats = field(default_factory=BuildStats)
    on_warning: Callable[[str], None] | None = None
    memory: bool = True
    _cache: DiagramCache | None = field(default=None, init=False, repr=False, compare=False)
    _cache_for: object = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._open_cache()

    def _open_cache(self) -> DiagramCache:
        if self._cache is None or self._cache_for != self.cache_dir:
            self._cache = DiagramCache(self.cache_dir, on_warning=self.on_warning, memory=self.memory)
            self._cache_for = self.cache_dir
        return self._cache

    @property
    def cache(self) -> DiagramCache:
        """The cache layers (memory and disk) this Renderer uses."""
        return self._open_cache()

    @property
    def cache_warnings(self) -> list[str]:
        """Warnings the cache gave (at most one); adapters may forward them to the host's log."""
        return self.cache.warnings

    def begin_build(self) -> None:
        """Optional, at the start of every build: resets the counts and marks the time before
        which unused cache files may be pruned by :meth:`finish_build` (without it, the end of
        the previous build, or the creation of the Renderer, is used)."""
        self.stats = BuildStats()
        self.cache.begin_build()

    def begin_page(self, page: str) -> None:
        """Optional, when the adapter starts (re)reading ``page``: then a page whose diagrams
        were all removed drops its manifest at once instead of when the page is deleted."""
        self.cache.begin_page(page)

    def render(self, request: DiagramRequest, translate: Translate | None = None, page: str | None = None) -> DiagramResult:
        """Draw one diagram (or take it from the cache); bad input gives a result with errors,
        never an exception.

        ``translate``: the page's translator (gettext-style; must give the same answer for the
        same text during a build).  ``page``: a stable, machine-independent id of the page the
        diagram is in (Sphinx docname, MkDocs ``src_uri``; add the language when one source page
        is built in several languages).  The page's manifest records the entry, which protects
        it from pruning; an entry only ever rendered with ``page=None`` is in no manifest, so a
        pruning :meth:`finish_build` deletes it unless it was written during that build.
        """
        started = time.perf_counter()
        try:
            return self._render(request, translate, page)
        finally:
            self.stats.seconds += time.perf_counter() - started

    def _render(self, request: DiagramRequest, translate: Translate | None, page: str | None) -> DiagramResult:
        cache = self.cache
        prefix = request.id_prefix
        substitute = (prefix is not None and _PREFIX_OK.match(prefix) is not None
                      and _PLACEHOLDER_LOWER not in request.source.lower())
        base = key = ""
        if prefix is None or substitute:
            base = base_key(self._key_fields(request, translate, substitute))
            if translate is None:
                key = full_key(base, None)
            else:
                msgids = cache.msgids(base)
                if msgids is not None:
                    key = full_key(base, {m: translate(m) for m in msgids})
            if key:
                entry = cache.lookup(key)
                if entry is not None:
                    if page is not None:
                        cache.record(page, key, base)
                    self.stats.cached += 1
                    return self._result(request, entry, substitute, cached=True, key=key)

        drawn = self._draw(request, translate, PLACEHOLDER_PREFIX if substitute else prefix)
        if isinstance(drawn, DiagramResult):
            return drawn
        entry, answers = drawn
        if substitute and answers and any(_PLACEHOLDER_LOWER in str(a).lower() for a in answers.values()):
            # a translation contains the placeholder: substituting would change it too
            drawn = self._draw(request, translate, prefix)
            if isinstance(drawn, DiagramResult):
                return drawn
            self.stats.drawn += 1
            return self._result(request, drawn[0], False, cached=False, key="")
        self.stats.drawn += 1
        if not base:  # an invalid prefix that still drew: do not cache
            return self._result(request, entry, False, cached=False, key="")
        if answers is not None:
            cache.store_msgids(base, answers)
        key = full_key(base, answers)
        cache.store(key, entry)
        if page is not None:
            cache.record(page, key, base)
        return self._result(request, entry, substitute, cached=False, key=key)

    @staticmethod
    def _key_fields(request: DiagramRequest, translate: Translate | None, substitute: bool) -> dict[str, object]:
        values: dict[str, object] = {
            f.name: getattr(request, f.name) for f in fields(request) if f.name not in _NOT_IN_KEY
        }
        if translate is not None:
            del values["catalog_id"]
        values["id_prefix"] = "<placeholder>" if substitute else None
        return values

    def _draw(self, request: DiagramRequest, translate: Translate | None,
              prefix: str | None) -> tuple[Entry, dict[str, object] | None] | DiagramResult:
        from .parser import parse
        from .render import draw_svg, gc_paused
        from .svg.describe import describe
        from .views import view_warnings

        recorder = _Recorder(translate) if translate is not None else None
        try:
            # Parsing, translating and describing allocate many short-lived objects and no
            # cycles: the collector is paused for all of it, not just for the drawing (in a
            # documentation build the heap is large, and every full collection walks it).
            with gc_paused():
                diagram = parse(request.source, filename=request.filename)
                # ``shown``: the diagram as drawn, translated once (same answers from the
                # translator); the alt text speaks the page's language too.
                svg, shown = draw_svg(
                    diagram, view=request.view, lang=request.lang, theme=request.theme,
                    id_prefix=prefix, translate=recorder,
                )
                alt = describe(shown, view=request.view)
        except FlowZapError as err:
            self.stats.failed += 1
            diags = tuple(d.shifted(request.line_offset) for d in err.diagnostics)
            return DiagramResult(request, None, "", diags)
        entry = Entry(svg, alt, tuple(diagram.warnings) + view_warnings(diagram, request.view))
        return entry, (recorder.answers if recorder is not None else None)

    @staticmethod
    def _result(request: DiagramRequest, entry: Entry, substitute: bool, *, cached: bool, key: str) -> DiagramResult:
        svg, alt = entry.svg, entry.alt
        if substitute:
            real = request.id_prefix or ""
            svg = svg.replace(PLACEHOLDER_PREFIX, real)
            if PLACEHOLDER_PREFIX in alt:
                alt = alt.replace(PLACEHOLDER_PREFIX, real)
        offset = request.line_offset
        warnings = tuple(d.shifted(offset) for d in entry.warnings) if offset else entry.warnings
        return DiagramResult(request, svg, alt, warnings, cached=cached, key=key)

    def finish_build(self, *, used_pages: Iterable[str] | None = None) -> str:
        """End of a build: write the page manifests, prune, return the summary line (and reset
        the counts for the next build).

        Pruning happens only when ``used_pages`` is given, and then it must be the id (as given
        to :meth:`render` as ``page``) of *every* page of the site as it is now that may hold a
        diagram, including pages this build did not re-read (Sphinx's unchanged documents:
        their manifests from earlier builds keep their entries alive).  Manifests of pages not
        in the set are deleted, then every entry no remaining manifest names; files written
        since the build began are kept (a concurrent build's).  Pass ``None`` (nothing pruned)
        for a partial build: a build that failed, ``mkdocs serve --dirty``, a Sphinx build of
        named files only, or when not every page id is known.
        """
        self.cache.finish_build(used_pages)
        line = self.stats.summary()
        self.stats = BuildStats()
        return line


def error_box_html(result: DiagramResult) -> str:
    """The visible box that stands where a broken diagram would be (HTML builders)."""
    items = "\n".join(f"<li><code>{html.escape(m)}</code></li>" for m in result.messages())
    return (
        '<div class="flowzap-error admonition error" role="alert">'
        '<p class="admonition-title">FlowZap diagram error</p>'
        f"<ul>{items}</ul></div>"
    )
