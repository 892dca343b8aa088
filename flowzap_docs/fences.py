"""Finding the fenced blocks of a Markdown text: the one fence scanner of flowzap-docs.

``flowzap extract`` (through :mod:`flowzap_docs.blocks`) and the MkDocs adapter (which needs each
fence's line for its error messages) must agree on what is a fence, or a diagram the site draws
would have no messages in the catalog, or a message would be located on the wrong line.  So both
use this scanner: fences of ``` or ~~~ (three or more), any indent, ``>`` quote markers in front
(a fence in a block quote), closed by a line of at least as many of the same character.  MyST's
``:::`` colon fences are fences too when asked (``colons=True``: MyST pages; Python-Markdown has
no such fence).  The inside of every fence is skipped, so a ``flowzap`` fence shown as an example
inside a ```` ````markdown ```` block is not a diagram.

Speed matters (the MkDocs adapter scans every page that mentions ``flowzap``): one regex finds,
over the whole text at C speed, the lines that may open or close a fence, and only those get a
Python look.  What a fence *means* (its language, its attributes) is the caller's business:
:func:`fence_language` reads SuperFences-style info strings, :mod:`flowzap_docs.blocks` MyST ones.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_OPEN_COLONS = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
#: A line that may open or close a fence (a superset of both), found in the whole text at once.
_MARKER_LINE = re.compile(r"^[ \t>]*(?:```|~~~)", re.MULTILINE)
_MARKER_LINE_COLONS = re.compile(r"^[ \t>]*(?:```|~~~|:::)", re.MULTILINE)
_HEADER = re.compile(r"^[ \t]*\.?(?P<lang>[\w#.+-]+)?[ \t]*(?:\{(?P<attrs>.*)\}[ \t]*)?(?P<rest>.*)$")


@dataclass(frozen=True)
class FoundFence:
    """One fenced block of the page.

    ``start`` and ``end`` are 0-based indexes of the opening and closing lines (``end`` is None
    for a fence never closed).  ``indent`` is the width of what precedes the fence marker (spaces
    and ``>``), i.e. how far SuperFences dedents the body.
    """

    start: int
    end: int | None
    prefix: str
    fence: str
    info: str
    body: tuple[str, ...]

    @property
    def indent(self) -> int:
        return len(self.prefix.expandtabs(4))

    @functools.cached_property
    def language(self) -> str:
        return fence_language(self.info)

    def is_a(self, language: str) -> bool:
        """A closed fence of ``language`` (the language is a part of the info string: the
        substring test spares the header regex for every other fence)."""
        return self.end is not None and language in self.info and self.language == language


def fence_language(info: str) -> str:
    """The language named by a fence's info string: ``flowzap view="x"`` and ``{.flowzap}`` both give ``flowzap``."""
    m = _HEADER.match(info)
    if m is None:  # pragma: no cover - the pattern matches any string
        return ""
    if m.group("lang"):
        return m.group("lang")
    attrs = m.group("attrs") or ""
    first = re.match(r"\s*\.([\w#.+-]+)", attrs)
    return first.group(1) if first else ""


def scan_fences(lines: Sequence[str], *, colons: bool = False) -> list[FoundFence]:
    """Every top-level-or-nested fence of ``lines`` in document order (inner text of fences is
    skipped); ``colons``: MyST's ``:::`` fences count too."""
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:  # a "line" with a line break inside: look at every line
        return _scan(lines, range(len(lines)), "\r" in text, colons)
    return _scan(lines, _marker_lines(text, colons), "\r" in text, colons)


def scan_text(text: str, *, colons: bool = False) -> list[FoundFence]:
    """:func:`scan_fences` of ``text.split("\\n")``, for a text not yet split into lines."""
    return _scan(text.split("\n"), _marker_lines(text, colons), "\r" in text, colons)


def _marker_lines(text: str, colons: bool) -> list[int]:
    """Indexes of the lines that start (after indent and quote markers) with three backticks
    or tildes (or colons): every opening and closing line is one of them, so only they need a
    Python look (a page is mostly prose and code, which the regex engine skips at C speed)."""
    found: list[int] = []
    line = 0
    last = 0
    for m in (_MARKER_LINE_COLONS if colons else _MARKER_LINE).finditer(text):
        start = m.start()
        line += text.count("\n", last, start)
        last = start
        found.append(line)
    return found


def _scan(lines: Sequence[str], candidates: Sequence[int], has_cr: bool, colons: bool) -> list[FoundFence]:
    """The fences of ``lines``, whose opening and closing lines are all among ``candidates``
    (ascending line indexes)."""
    opening = _FENCE_OPEN_COLONS if colons else _FENCE_OPEN
    found: list[FoundFence] = []
    k = 0
    count = len(candidates)
    while k < count:
        i = candidates[k]
        k += 1
        m = opening.match(lines[i].rstrip("\r"))
        if m is None or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            continue
        fence = m.group("fence")
        closing = _closing(fence[0], len(fence))
        end: int | None = None
        while k < count:
            j = candidates[k]
            k += 1
            if closing.match(lines[j].rstrip("\r")):
                end = j
                break
        inner = lines[i + 1: end if end is not None else len(lines)]
        body = tuple(line.rstrip("\r") for line in inner) if has_cr else tuple(inner)
        found.append(FoundFence(i, end, m.group("prefix"), fence, m.group("info").strip(), body))
        if end is None:
            break
    return found


@functools.lru_cache(maxsize=64)
def _closing(char: str, length: int) -> re.Pattern[str]:
    """The closing line of a fence opened by ``length`` times ``char``."""
    return re.compile(r"^[ \t>]*" + re.escape(char) + "{" + str(length) + r",}[ \t]*$")
