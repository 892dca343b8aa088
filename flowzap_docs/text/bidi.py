"""Paragraph direction, the way the Unicode bidi algorithm picks it (rule P2/P3).

A label whose first strong character is Hebrew or Arabic is a right-to-left paragraph: the SVG
draws it with ``direction="rtl"`` so the browser orders the runs correctly and aligns the lines.
"""

from __future__ import annotations

import unicodedata


def is_rtl(text: str) -> bool:
    """True when the first strong character of ``text`` is right-to-left.

    >>> is_rtl("مراجعة الطلب"), is_rtl("Order 42"), is_rtl("42 שלום")
    (True, False, True)
    """
    if text.isascii():
        return False  # no ASCII character is strong right-to-left (R or AL)
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def is_wide(ch: str) -> bool:
    """East Asian wide or full-width: a line may break before or after it (CJK)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")
