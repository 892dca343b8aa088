"""``flowzap`` fences for plain Python-Markdown: ``markdown.markdown(text, extensions=["flowzap"])``.

One preprocessor does two jobs.  It first tells the contexts where the page's fences are (so errors
name lines), and then either lets SuperFences format our fences (when SuperFences is loaded: it reaches
fences in lists, admonitions and tabs; we register our fence with it if nobody did), or formats
the left-margin fences itself, skipping the inside of every other fence, like Python-Markdown's
own ``fenced_code``.  Either way the HTML comes from :func:`fence.fence_format`, and is stashed
as a small stand-in that :class:`.drawings.DrawingPostprocessor` replaces with it at the end.
"""

from __future__ import annotations

import os
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from flowzap_docs.fences import scan_fences
from flowzap_docs.html import DEFAULT_FIT, check_fit
from flowzap_docs.pipeline import Renderer
from flowzap_docs.sources import AllowedFolders

from .context import STANDALONE_HOW_TO_ALLOW, FlowZapContext, Settings, contexts_of
from .drawings import DRAWINGS, DrawingPostprocessor
from .fence import LANGUAGE, fence_format, fence_validator, stashed_fence_format
from .options import parse_fence_header

#: Above ``fenced_code_block`` (25, both Python-Markdown's and SuperFences'), below whitespace
#: normalisation (30), so we see tabs expanded and line ends normalised, before anyone else's fences.
PRIORITY = 26
#: Right after Python-Markdown restores stashed HTML (``raw_html``, 30), before anyone else's.
HTML_PRIORITY = 29.9


class FlowZapExtension(Extension):
    """The Python-Markdown extension; configs are the site-wide defaults of every fence."""

    def __init__(self, *args: Any, context: FlowZapContext | None = None, **kwargs: Any):
        self.config = {
            "view": ["workflow", "Default view: workflow, sequence or architecture"],
            "theme": ["default", "Default theme"],
            "format": ["inline", "inline (SVG in the page) or img (<img> with a data: URI when standalone)"],
            "fit": [DEFAULT_FIT, "How wide diagrams are drawn: legible (scale to the column, but never below "
                                 "legible text; scroll past that), column (always scale to the column) or none "
                                 "(natural size)"],
            "zoom": [True, "The diagram viewer's Enlarge button (false: every diagram gets the flowzap-nozoom class; "
                           "link flowzap-viewer.js and .css from your pages yourself)"],
            "lang": ["", "Language of the labels (empty: as written)"],
            "cache_dir": ["", "Folder for the on-disk diagram cache (empty: memory only)"],
            "base_path": [[], "Folders src= files may also be read from (the current folder always is)"],
        }
        super().__init__(*args, **kwargs)
        if context is None:
            cfg = self.getConfigs()
            reason = check_fit(cfg["fit"])
            if reason:
                raise ValueError(f"flowzap: bad config fit={cfg['fit']!r}: {reason}")
            folders = cfg["base_path"]
            allowed = AllowedFolders.of([os.getcwd(), *([folders] if isinstance(folders, str) else folders)],
                                        how_to_allow=STANDALONE_HOW_TO_ALLOW) if folders else None
            context = FlowZapContext(
                settings=Settings(view=cfg["view"], theme=cfg["theme"], format=cfg["format"], fit=cfg["fit"],
                                  lang=cfg["lang"] or None, zoom=bool(cfg["zoom"]), allowed=allowed),
                renderer=Renderer(cache_dir=cfg["cache_dir"] or None),
            )
        self.context = context

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.registerExtension(self)
        drawings = DrawingPostprocessor(md)
        md.preprocessors.register(FlowZapPreprocessor(md, self, drawings), "flowzap_fence", PRIORITY)
        md.postprocessors.register(drawings, DRAWINGS, HTML_PRIORITY)


class FlowZapPreprocessor(Preprocessor):
    """Locate our fences; format them unless SuperFences will."""

    def __init__(self, md: Markdown, extension: FlowZapExtension, drawings: DrawingPostprocessor | None = None):
        super().__init__(md)
        self.extension = extension
        self.drawings = drawings

    def run(self, lines: list[str]) -> list[str]:
        contexts = {id(c): c for c in contexts_of(self.md)}  # "flowzap" listed twice: both see the page
        if self.drawings is not None:
            self.drawings.clear()
        superfences = _hand_to_superfences(self.md)
        # one scan of the page serves both our formatting and the contexts' locating; a page
        # that never says "flowzap" has no fence of ours to format
        fences = None if superfences or LANGUAGE not in "\n".join(lines) else scan_fences(lines)
        for context in contexts.values() or [self.extension.context]:
            context.begin_conversion(lines, fences)
        if fences is None:
            return lines
        out: list[str] = []
        position = 0
        for fence in fences:
            if fence.prefix or not fence.is_a(LANGUAGE):
                continue
            language, inputs, element_id, classes = parse_fence_header(fence.info)
            options: dict[str, Any] = {}
            fence_validator(language, inputs, options, {}, self.md)
            html = fence_format("\n".join(fence.body), language, LANGUAGE, options, self.md,
                                classes=classes, id_value=element_id, attrs={})
            out.extend(lines[position:fence.start])
            out.extend(["", self.md.htmlStash.store(self.drawings.hold(html) if self.drawings else html), ""])
            position = fence.end + 1
        out.extend(lines[position:])
        return out


def _hand_to_superfences(md: Markdown) -> bool:
    """True when SuperFences is loaded: make sure it knows our fence, and let it do the work."""
    for ext in md.registeredExtensions:
        if type(ext).__name__ == "SuperFencesCodeExtension" and hasattr(ext, "superfences"):
            if not any(entry.get("name") == LANGUAGE for entry in ext.superfences):
                ext.extend_super_fences(LANGUAGE, _sf_formatter, fence_validator, None)
            return True
    return False


def _sf_formatter(src: str = "", language: str = "", options: dict[str, Any] | None = None, md: Any = None,
                  **kwargs: Any) -> str:
    """SuperFences' internal formatter call shape, adapted to :func:`fence.stashed_fence_format`."""
    return stashed_fence_format(src, language, LANGUAGE, options or {}, md, **kwargs)


def makeExtension(**kwargs: Any) -> FlowZapExtension:  # noqa: N802 - Python-Markdown's name
    return FlowZapExtension(**kwargs)
