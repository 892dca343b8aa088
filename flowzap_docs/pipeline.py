"""The one entry point the host adapters call: a diagram block in, SVG or an error box out.

Sphinx and MkDocs both need the same thing: take the text of a diagram found in a page (or a
``.fz`` file), parse it, translate it to the page's language, draw it (from the cache when
possible) and hand back either the SVG or diagnostics already placed at the right line of the
*host* file.  Keeping that here is what keeps the adapters thin.  ``render`` never raises for
bad diagrams: bad input must never crash a build.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic, FlowZapError

#: Turns a label as written into the page's language (gettext-style); identity when ``None``.
Translate = Callable[[str], str]


@dataclass(frozen=True)
class DiagramRequest:
    """One diagram to draw, with every option that changes the output.

    ``line_offset`` is added to diagnostic lines so they point into the host file: a fence
    whose first diagram line is line 8 of ``page.md`` has ``line_offset=7``.
    ``catalog_id`` names the translation catalog in use (part of the cache key; ``""`` if none).
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
    and the diagnostics (host-file lines) to report as warnings."""

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


@dataclass
class Renderer:
    """Draws diagram blocks for one host process (kept across rebuilds, e.g. ``mkdocs serve``).

    The cache layers (memory and disk) live behind this object; adapters create one Renderer
    per build or per process and call :meth:`render` for every block and :meth:`finish_build`
    at the end.
    """

    cache_dir: str | None = None
    stats: BuildStats = field(default_factory=BuildStats)

    def render(self, request: DiagramRequest, translate: Translate | None = None, page: str | None = None) -> DiagramResult:
        """Draw one diagram; bad input gives a result with errors, never an exception."""
        from .parser import parse
        from .render import render_svg
        from .svg.describe import describe

        started = time.perf_counter()
        try:
            diagram = parse(request.source, filename=request.filename)
            svg = render_svg(
                diagram, view=request.view, lang=request.lang, theme=request.theme,
                id_prefix=request.id_prefix, translate=translate,
            )
        except FlowZapError as err:
            self.stats.failed += 1
            self.stats.seconds += time.perf_counter() - started
            diags = tuple(d.shifted(request.line_offset) for d in err.diagnostics)
            return DiagramResult(request, None, "", diags)
        self.stats.drawn += 1
        self.stats.seconds += time.perf_counter() - started
        warnings = tuple(d.shifted(request.line_offset) for d in diagram.warnings)
        return DiagramResult(request, svg, describe(diagram, view=request.view), warnings)

    def finish_build(self, *, used_pages: set[str] | None = None) -> str:
        """End of a build: prune what no page uses (cache) and return the summary line."""
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
