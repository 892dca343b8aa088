"""Did-you-mean: the near match for a misspelt shape, side, key, lane or node id.

A hint is only useful when it is very likely right, so the match must be close (difflib
ratio >= 0.6, or equal ignoring case), or a word another diagram tool uses for the same thing
(``hexagon``, ``up``, ``text``: :data:`SYNONYMS`).  Large candidate sets (10,000 node ids) stay cheap
because difflib's quick ratios reject most candidates before the full comparison.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: Words longer than this are not compared (a 1 MB token must not cost seconds).
_MAX_LEN = 100


#: Words writers bring from other diagram tools, mapped to the FlowZap word they mean
#: (``hexagon`` is a decision in Mermaid; ``up`` is a side).  Spelling is handled by difflib.
SYNONYMS: dict[str, str] = {
    # shapes
    "rhombus": "diamond", "decision": "diamond", "hexagon": "diamond", "condition": "diamond",
    "choice": "diamond", "gateway": "diamond", "if": "diamond",
    "rect": "rectangle", "box": "rectangle", "square": "rectangle", "process": "rectangle",
    "step": "rectangle", "action": "rectangle", "activity": "rectangle",
    "task": "taskbox", "card": "taskbox", "user-task": "taskbox",
    "oval": "circle", "ellipse": "circle", "round": "circle", "start": "circle", "end": "circle",
    "event": "circle", "terminator": "circle", "stop": "circle",
    # sides
    "up": "top", "north": "top", "down": "bottom", "south": "bottom", "east": "right", "west": "left",
    "l": "left", "r": "right", "t": "top", "b": "bottom",
    # attribute keys
    "text": "label", "title": "label", "name": "label", "caption": "label",
    "desc": "description", "details": "description", "assignee": "owner", "role": "owner",
    "actor": "owner", "tool": "system", "app": "system",
}


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word``, or ``None`` when nothing is close enough."""
    if not word or len(word) > _MAX_LEN:
        return None
    pool = [c for c in dict.fromkeys(candidates) if c != word and len(c) <= _MAX_LEN]
    meant = SYNONYMS.get(word.casefold())
    if meant is not None and meant in pool:
        return meant
    lowered = word.casefold()
    for cand in pool:
        if cand.casefold() == lowered:
            return cand
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """``"did you mean 'diamond'?"`` or ``None``."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else None
