"""Where each ``flowzap`` fence starts in the page, so errors name the right line of the ``.md`` file.

SuperFences calls a custom fence's formatter with the fence body only: no line number, no page.
So before the Markdown is converted we scan the page text ourselves, with the same notion of a
fence (``` or ~~~, any indent, ``>`` quote markers), and record every ``flowzap`` fence's opening
line under a key made from its body.  The formatter then asks for "the next fence with this body":
bodies written twice in one page get their lines in document order, which is the order in which
SuperFences (and our own preprocessor) format them.

The scan skips the inside of every other fence, so a ``flowzap`` fence shown as an example inside
a ```` ````markdown ```` block is neither located here nor drawn anywhere.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
#: A line that may open or close a fence (a superset of both), found in the whole text at once.
_MARKER_LINE = re.compile(r"^[ \t>]*(?:```|~~~)", re.MULTILINE)
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


def scan_fences(lines: Sequence[str]) -> list[FoundFence]:
    """Every top-level-or-nested fence of ``lines`` in document order (inner text of fences is skipped)."""
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:  # a "line" with a line break inside: look at every line
        return _scan(lines, range(len(lines)), "\r" in text)
    return _scan(lines, _marker_lines(text), "\r" in text)


def scan_text(text: str) -> list[FoundFence]:
    """:func:`scan_fences` of ``text.split("\n")``, for a text not yet split into lines."""
    return _scan(text.split("\n"), _marker_lines(text), "\r" in text)


def _marker_lines(text: str) -> list[int]:
    """Indexes of the lines that start (after indent and quote markers) with three backticks
    or tildes: every opening and closing line is one of them, so only they need a Python look
    (a page is mostly prose and code, which the regex engine skips at C speed)."""
    found: list[int] = []
    line = 0
    last = 0
    for m in _MARKER_LINE.finditer(text):
        start = m.start()
        line += text.count("\n", last, start)
        last = start
        found.append(line)
    return found


def _scan(lines: Sequence[str], candidates: Sequence[int], has_cr: bool) -> list[FoundFence]:
    """The fences of ``lines``, whose opening and closing lines are all among ``candidates``
    (ascending line indexes)."""
    found: list[FoundFence] = []
    k = 0
    count = len(candidates)
    while k < count:
        i = candidates[k]
        k += 1
        m = _FENCE_OPEN.match(lines[i].rstrip("\r"))
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


def body_key(lines: Iterable[str]) -> tuple[str, ...]:
    """A key for a fence body that survives dedenting, quote markers and trailing blanks."""
    # rstrip() also takes the "\r" of a CRLF line (the quote/indent set has no "\r" to stop at)
    key = [line.lstrip(" \t>").rstrip() for line in lines]
    while key and not key[-1]:
        key.pop()
    while key and not key[0]:
        key.pop(0)
    return tuple(key)


@dataclass(frozen=True)
class FenceSpot:
    """Where a fence sits in its host file: ``line`` is the 1-based line of the opening marker
    (so ``line`` is also the ``line_offset`` of the diagram's first line) and ``indent`` the
    columns stripped in front of every body line."""

    line: int
    indent: int


class FenceLocator:
    """Finds, fence by fence, the host-file position of the ``flowzap`` fences of one text."""

    def __init__(self, text: str, *, language: str = "flowzap", line_shift: int = 0,
                 fences: Iterable[FoundFence] | None = None):
        """``fences``: the fences of ``text`` when the caller has scanned it already."""
        self._spots: dict[tuple[str, ...], list[FenceSpot]] = defaultdict(list)
        #: a body as the formatter gets it from a fence at the left margin -> its key (spares
        #: take() computing the key in the common case)
        self._keys: dict[str, tuple[str, ...]] = {}
        for fence in scan_text(text) if fences is None else fences:
            if fence.is_a(language):
                key = body_key(fence.body)
                self._spots[key].append(FenceSpot(fence.start + 1 + line_shift, fence.indent))
                joined = "\n".join(fence.body)
                if joined.count("\n") == len(fence.body) - 1:  # split("\n") gives the body back
                    self._keys[joined] = key
        self._taken: dict[tuple[str, ...], int] = defaultdict(int)

    def __len__(self) -> int:
        return sum(len(v) for v in self._spots.values())

    def reset(self) -> None:
        """Start again from the first fence (a new conversion of the same text)."""
        self._taken.clear()

    def take(self, source: str) -> FenceSpot | None:
        """The position of the next not-yet-taken fence whose body is ``source``, or None."""
        key = self._keys.get(source)
        if key is None:
            key = body_key(source.split("\n"))
        spots = self._spots.get(key)
        if not spots:
            return None
        index = self._taken[key]
        self._taken[key] = index + 1
        return spots[min(index, len(spots) - 1)]
