"""The SuperFences custom-fence contract for ``flowzap``: one validator, one formatter.

Everything else in this package (the MkDocs plugin, the standalone extension's own preprocessor)
is built on these two functions, and users who configure SuperFences by hand point at them::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: flowzap
              class: flowzap
              validator: !!python/name:flowzap_docs.mkdocs_plugin.fence_validator
              format: !!python/name:flowzap_docs.mkdocs_plugin.fence_format
"""

from __future__ import annotations

import weakref
from typing import Any

from .context import FlowZapContext, contexts_of
from .drawings import drawings_of

LANGUAGE = "flowzap"

#: Contexts for Markdown instances that carry no FlowZapExtension (SuperFences set up by hand,
#: without the plugin or the extension): one per Markdown instance, defaults everywhere.
_fallback: weakref.WeakKeyDictionary[Any, FlowZapContext] = weakref.WeakKeyDictionary()


class _NoMarkdown:
    """Stands for "no Markdown instance" as a weak-referenceable key."""


_NO_MARKDOWN = _NoMarkdown()


def context_for(md: Any) -> FlowZapContext:
    """The context of the FlowZapExtension loaded into ``md``, else a default one."""
    ours = contexts_of(md)
    if ours:  # the plugin's (it knows the page) before a "flowzap" also listed in markdown_extensions
        return next((ctx for ctx in ours if ctx.page is not None), ours[0])
    if md is None:  # called by hand, outside any Markdown conversion
        md = _NO_MARKDOWN
    ctx = _fallback.get(md)
    if ctx is None:
        ctx = FlowZapContext()
        _fallback[md] = ctx
    return ctx


def fence_validator(language: str, inputs: dict[str, Any], options: dict[str, Any], attrs: dict[str, Any],
                    md: Any) -> bool:
    """Accept every ``flowzap`` fence and keep all its attributes as options.

    Attribute values are checked by :func:`fence_format`, not here, on purpose: a validator that
    says no makes SuperFences fall back to a plain code block *silently*, while a typo deserves a
    warning at the fence's line.
    """
    for key, value in inputs.items():
        options[key] = value
    return True


def fence_format(source: str, language: str, css_class: str, options: dict[str, Any], md: Any,
                 **kwargs: Any) -> str:
    """The HTML for one fence: the diagram (inline SVG or ``<img>``) or an error box.

    Never raises for a bad diagram: problems are logged (page and line) and shown in the page.
    ``kwargs`` carries SuperFences' ``classes``, ``id_value`` and ``attrs``.
    """
    ctx = context_for(md)
    classes = [c for c in (kwargs.get("classes") or []) if c and c != css_class and c != language]
    try:
        return ctx.render_fence(source, dict(options or {}), element_id=kwargs.get("id_value") or "",
                                classes=classes)
    except Exception as err:  # a bug of ours must not drop the fence silently (SuperFences would)
        return ctx.internal_error(source, err)


def stashed_fence_format(source: str, language: str, css_class: str, options: dict[str, Any], md: Any,
                         **kwargs: Any) -> str:
    """:func:`fence_format` for the entries the plugin and the extension register themselves.

    SuperFences stashes what a formatter returns, and Python-Markdown later searches all stashed
    HTML again for placeholders, character by character: when our extension is loaded, it gets
    a small stand-in, which the extension's postprocessor then replaces with the HTML
    (:class:`.drawings.DrawingPostprocessor`).  Without our extension, the HTML itself.
    """
    html = fence_format(source, language, css_class, options, md, **kwargs)
    drawings = drawings_of(md)
    return drawings.hold(html) if drawings is not None else html


def custom_fence() -> dict[str, Any]:
    """The ``custom_fences`` entry for SuperFences (what the plugin registers)."""
    return {"name": LANGUAGE, "class": LANGUAGE, "format": stashed_fence_format, "validator": fence_validator}


#: The formatters that are ours (a ``custom_fences`` entry with another one was written by someone else).
OUR_FORMATTERS = (fence_format, stashed_fence_format)
