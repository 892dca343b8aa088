"""``render_svg``: FlowZap Code (or a parsed diagram) to SVG text, in any view and theme.

The one drawing entry point: parse (when given text), translate (when a language or a
gettext-style function is given), pick the view from :data:`VIEWS` and draw.  Bad options and
bad diagrams raise :class:`FlowZapError` with a diagnostic, never ``KeyError`` or anything
else: an unexpected failure inside a view is reported as ``FZ399`` so a documentation build
shows an error box instead of a traceback.

Diagnostic codes raised here: ``FZ301`` unknown view, ``FZ302`` unknown theme, ``FZ303`` view
not available in this installation, ``FZ304`` invalid id prefix, ``FZ399`` internal error.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager

from .diagnostics import Diagnostic, FlowZapError
from .i18n import Translate, translate_diagram
from .model import Diagram
from .svg.document import check_id_prefix, default_id_prefix
from .svg.theme import THEMES, did_you_mean, get_theme

ViewRenderer = Callable[..., str]

#: View name -> ``"module:function"`` drawing it as ``function(diagram, *, theme, id_prefix) -> str``.
#: Imported on first use, so a view costs nothing until a page asks for it.
VIEWS: dict[str, str] = {
    "workflow": "flowzap_docs.views.workflow.draw:render_workflow",
    "sequence": "flowzap_docs.views.sequence.draw:render_sequence",
    "architecture": "flowzap_docs.views.architecture.draw:render_architecture",
}

_loaded: dict[str, ViewRenderer] = {}


def _error(code: str, message: str, hint: str | None = None) -> FlowZapError:
    return FlowZapError([Diagnostic(code, "error", message, 1, 1, hint)])


def view_renderer(view: str) -> ViewRenderer:
    """The drawing function registered for ``view`` (FZ301 unknown, FZ303 not installed)."""
    if not isinstance(view, str) or view not in VIEWS:
        raise _error("FZ301", f"unknown view {view!r}", did_you_mean(str(view), VIEWS))
    if view not in _loaded:
        module_name, func_name = VIEWS[view].split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            raise _error("FZ303", f"the {view} view is not available in this version",
                         "the workflow view is always available") from exc
        _loaded[view] = getattr(module, func_name)
    return _loaded[view]


class _GcPause:
    """The context manager :func:`gc_paused` returns (a class: entered for every diagram, it
    costs less than a generator-based one)."""

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self.was_enabled:
            gc.enable()


def gc_paused() -> AbstractContextManager[None]:
    """Pause the cyclic garbage collector while drawing.

    Layout and drawing allocate many small objects and create no reference cycles; with the
    collector on, every full collection walks all of them again, which made a 1,600-node
    diagram twice as slow (t(1600)/t(400) far from linear).  Memory is unaffected: plain
    reference counting frees everything, and the collector resumes afterwards.  Nests (only
    the outermost pause resumes it): :class:`flowzap_docs.pipeline.Renderer` pauses it over
    parsing and describing too, where a documentation build's large heap made every
    collection expensive.
    """
    return _GcPause()


def _has_inline_translations(diagram: Diagram) -> bool:
    """Whether any text carries an inline ``label@fr:"..."`` form.

    Without a catalog those forms are all a language can change (texts without a translation
    stay as written, see :mod:`flowzap_docs.i18n`), so a diagram with none is drawn as parsed:
    a site built in one language (Sphinx's ``language`` defaults to ``en``) does not copy every
    node and edge of every diagram for nothing.
    """
    return any(item.translations for group in (diagram.nodes, diagram.edges, diagram.lanes, diagram.loops)
               for item in group)


def render_svg(source_or_diagram: str | Diagram, *, view: str = "workflow", lang: str | None = None,
               theme: str = "default", id_prefix: str | None = None,
               translate: Translate | None = None, filename: str = "<diagram>") -> str:
    """Draw a diagram as a standalone SVG string (also valid inline in HTML).

    >>> svg = render_svg('Lane { # Team\\nn1: circle label:"Go"\\n}\\n')
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    True

    ``id_prefix`` defaults to ``fz-`` + 8 hex digits derived from the diagram and options, so
    the output is deterministic and two different diagrams on one page never share an id.
    """
    return draw_svg(source_or_diagram, view=view, lang=lang, theme=theme, id_prefix=id_prefix,
                    translate=translate, filename=filename)[0]


def draw_svg(source_or_diagram: str | Diagram, *, view: str = "workflow", lang: str | None = None,
             theme: str = "default", id_prefix: str | None = None,
             translate: Translate | None = None, filename: str = "<diagram>") -> tuple[str, Diagram]:
    """:func:`render_svg`, also returning the diagram exactly as drawn (parsed and translated).

    The pipeline needs that diagram for the alt text: translating it a second time would ask
    the translator every question again, and describing the very object the view described
    for the ``<desc>`` is free (:func:`flowzap_docs.svg.describe.describe` remembers it).
    """
    draw = view_renderer(view)
    if theme not in THEMES:
        get_theme(theme)  # raises FZ302 with a did-you-mean hint
    if isinstance(source_or_diagram, Diagram):
        diagram = source_or_diagram
    elif isinstance(source_or_diagram, str):
        from .parser import parse

        diagram = parse(source_or_diagram, filename=filename)
    else:
        raise _error("FZ301", f"cannot draw a {type(source_or_diagram).__name__}",
                     "pass FlowZap Code text or a parsed Diagram")
    if translate is not None or (lang and _has_inline_translations(diagram)):
        diagram = translate_diagram(diagram, lang=lang, translate=translate)
    prefix = check_id_prefix(id_prefix) if id_prefix is not None else default_id_prefix(diagram, view, theme)
    try:
        with gc_paused():
            return draw(diagram, theme=theme, id_prefix=prefix), diagram
    except FlowZapError:
        raise
    except Exception as exc:  # noqa: BLE001 - a drawing bug must not crash a documentation build
        raise _error("FZ399", f"internal error while drawing the {view} view: {type(exc).__name__}: {exc}"[:500],
                     "please report this diagram at the flowzap-docs issue tracker") from exc
