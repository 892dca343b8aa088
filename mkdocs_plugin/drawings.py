"""The drawings' HTML, held out of Python-Markdown's stash until the end of a conversion.

Both the extension's own preprocessor and SuperFences (through
:func:`.fence.stashed_fence_format`) stash a small stand-in for each drawing; the
:class:`DrawingPostprocessor` registered by the extension puts the drawings back.  A module of
its own because both :mod:`.extension` (which registers it) and :mod:`.fence` (which finds it
in a Markdown instance) need it, and neither may import the other.
"""

from __future__ import annotations

import itertools
import re
import secrets
from typing import Any

from markdown import Markdown
from markdown.postprocessors import Postprocessor

#: The name of our postprocessor in ``md.postprocessors`` (where the formatter finds it).
DRAWINGS = "flowzap_drawings"


class DrawingPostprocessor(Postprocessor):
    """Puts each fence's HTML where its stand-in is.

    Python-Markdown puts stashed HTML back and then searches it again for placeholders, a regex
    tried at every character: over a drawing of tens of kilobytes, about as much work as the
    disk cache spends on it.  So a small stand-in is stashed instead (by our preprocessor, or by
    SuperFences through :func:`.fence.stashed_fence_format`), and the drawing takes its place
    here, next.  The stand-in starts with the drawing's own tag, so
    Python-Markdown judges it block-level exactly as it would the drawing; HTML with a control
    character in it (a placeholder could hide there) is stashed as it is.
    """

    def __init__(self, md: Markdown):
        super().__init__(md)
        self._held: dict[str, str] = {}
        self._attribute = f'{_STAND_IN_ATTRIBUTE}{next(_instances)}-'  # one Markdown's own stand-ins

    def clear(self) -> None:
        """A new conversion: forget the drawings of the previous one."""
        self._held = {}

    def hold(self, html: str) -> str:
        """The stand-in to stash for ``html`` (or ``html`` itself when it cannot have one)."""
        m = _FIRST_TAG.match(html)
        if m is None or "\x02" in html or "\x03" in html:
            return html
        tag = m.group(1)
        stand_in = f'<{tag} {self._attribute}{len(self._held)}"></{tag}>'
        self._held[stand_in] = html
        return stand_in

    def run(self, text: str) -> str:
        # Kept until the next conversion: postprocessors also run on bits of a page (the toc
        # extension runs them on every heading) before they run on the page itself.
        if not self._held or self._attribute not in text:
            return text
        held = self._held
        return _STAND_IN.sub(lambda m: held.get(m.group(0), m.group(0)), text)


#: The tag name Python-Markdown's block-level test reads (``<div class=...>`` -> ``div``).
_FIRST_TAG = re.compile(r"<([a-z][a-z0-9]*)[ >]")
#: Random per process, so that no page can hold a stand-in by chance; made once (compiling a
#: pattern per page, for each page's Markdown instance, cost more than it saved).
_STAND_IN_ATTRIBUTE = f'data-flowzap-stand-in="{secrets.token_hex(8)}-'
_STAND_IN = re.compile(r"<[a-z][a-z0-9]* " + re.escape(_STAND_IN_ATTRIBUTE) + r'\d+-\d+"></[a-z][a-z0-9]*>')
_instances = itertools.count()


def drawings_of(md: Any) -> DrawingPostprocessor | None:
    """The DrawingPostprocessor of ``md`` (registered by our extension), or None."""
    registry = getattr(md, "postprocessors", None)
    if registry is None or DRAWINGS not in registry:
        return None
    drawings = registry[DRAWINGS]
    return drawings if isinstance(drawings, DrawingPostprocessor) else None
