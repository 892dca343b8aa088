"""Where each ``flowzap`` fence starts in the page, so errors name the right line of the ``.md`` file.

SuperFences calls a custom fence's formatter with the fence body only: no line number, no page.
So before the Markdown is converted the page text is scanned (by the core's scanner,
:mod:`flowzap_docs.fences`, the one ``flowzap extract`` uses too: ``` or ~~~, any indent, ``>``
quote markers), and every ``flowzap`` fence's opening line is recorded here under a key made
from its body.  The formatter then asks for "the next fence with this body": bodies written
twice in one page get their lines in document order, which is the order in which SuperFences
(and our own preprocessor) format them.

The scan skips the inside of every other fence, so a ``flowzap`` fence shown as an example inside
a ```` ````markdown ```` block is neither located here nor drawn anywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flowzap_docs.fences import FoundFence, scan_text


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
