"""Line wrapping to a width in px, the way a reader expects labels to break.

Latin-script text breaks at spaces (and after a hyphen or slash inside a word), never inside a
word unless that word alone is wider than the line.  CJK text breaks between characters, except
before closing punctuation and after opening brackets (the usual kinsoku rules, simplified).
Huge labels are cut to ``max_lines`` lines ending in an ellipsis, and only the part that can
show is ever measured, so a 1 MB label costs no more than a short one.
"""

from __future__ import annotations

from typing import NamedTuple

from .bidi import is_wide
from .metrics import MAX_ADVANCE, advances, em_width

ELLIPSIS = "\u2026"
#: No line may start with these (closing punctuation, small kana, prolonged sound mark).
NO_BREAK_BEFORE = frozenset(
    "、。，．・：；？！）］｝〕〉》」』】〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳ"
    "ㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～?!)]}.,:;%"
)
#: No line may end with these (opening brackets).
NO_BREAK_AFTER = frozenset("（［｛〔〈《「『【〘〖〝‘“｟«([{")
#: The narrowest printable advance in the table, in 1/1000 em ("i", "." are about 222).
_NARROWEST = 190
#: The advance of a space, regular and bold (every line break decision adds one).
_SPACE = (em_width(" "), em_width(" ", True))


class Wrapped(NamedTuple):
    """Wrapped lines and the width (px) of the widest one (a named tuple: every text of every
    diagram is wrapped, often several ways)."""

    lines: tuple[str, ...]
    width: float
    truncated: bool = False


def _split_word(word: str) -> list[str]:
    """``"me-vuka"`` -> ``["me-", "vuka"]``: a break may follow a hyphen or slash that has
    something before it and a letter after it (``"/login"`` and ``"x-1"`` stay whole)."""
    pieces: list[str] = []
    start = i = 0
    while i < len(word):
        if word[i] in "-/" and i > start:
            j = i
            while j < len(word) and word[j] in "-/":
                j += 1
            if j < len(word) and word[j].isalpha():
                pieces.append(word[start:j])
                start = j
            i = j
            continue
        i += 1
    pieces.append(word[start:])
    return pieces


def _units(paragraph: str) -> list[tuple[str, bool]]:
    """Split a paragraph (single spaces) into unbreakable units: ``(text, space_before)``.

    A break is allowed before every unit; ``space_before`` says whether a space separates it
    from the previous unit on the same line.
    """
    units: list[tuple[str, bool]] = []
    if paragraph.isascii():
        for word in paragraph.split(" "):
            if ("-" in word or "/" in word) and len(word) > 2:
                pieces = _split_word(word)
                units.append((pieces[0], True))
                units.extend((piece, False) for piece in pieces[1:])
            else:
                units.append((word, True))
        return units
    current: list[str] = []
    space = True
    previous = ""
    for ch in paragraph:
        if ch == " ":
            if current:
                units.append(("".join(current), space))
                current = []
            space = True
            previous = ch
            continue
        if current:
            breakable = False
            if is_wide(ch) or is_wide(previous):
                breakable = ch not in NO_BREAK_BEFORE and previous not in NO_BREAK_AFTER
            elif previous in "-/" and ch.isalpha() and len(current) > 1:
                breakable = True
            if breakable:
                units.append(("".join(current), space))
                current = []
                space = False
        current.append(ch)
        previous = ch
    if current:
        units.append(("".join(current), space))
    return units


def _split_long(unit: str, limit: int, bold: bool) -> list[tuple[str, int]]:
    """Break one over-long word between characters into pieces no wider than ``limit``, each
    with its width (advances add up, so every character is measured once)."""
    pieces: list[tuple[str, int]] = []
    current, width = "", 0
    for ch, advance in zip(unit, advances(unit, bold), strict=True):
        if current and width + advance > limit:
            pieces.append((current, width))
            current, width = ch, advance
        else:
            current += ch
            width += advance
    if current:
        pieces.append((current, width))
    return pieces


def _fit_with_ellipsis(line: str, limit: int, bold: bool) -> str:
    """``line`` shortened until ``line + "…"`` fits ``limit`` (1/1000 em)."""
    line = line.rstrip()
    width = em_width(line + ELLIPSIS, bold)
    while line and width > limit:
        shorter = line[:-1].rstrip()
        width -= em_width(line[len(shorter):], bold)  # what was cut (advances add up)
        line = shorter
    return line + ELLIPSIS


Measured = list[list[tuple[str, bool, int]]]  # paragraphs of (unit, space before, width)


def _cap(limit: int, max_lines: int) -> int:
    """How many characters can show at most: a line holds at most limit/_NARROWEST of them."""
    return max_lines * (limit // _NARROWEST + 2)


def _one_line(text: str, limit: int, max_lines: int, font_size: float, bold: bool) -> Wrapped | None:
    """The result when ``text`` (one paragraph, nothing to cut) fits on one line, else ``None``.

    Most labels do: then there is nothing to split into units and nothing to try, and the
    line's width is the whole text's (advances add up), exactly what wrapping would give."""
    if "\n" in text or "\r" in text or len(text) > _cap(limit, max_lines):
        return None
    line = " ".join(text.split())
    width = em_width(line, bold)
    return Wrapped((line,), width * font_size / 1000.0, False) if width <= limit else None


def needs_more_lines(text: str, max_width: float, font_size: float, lines: int, *, bold: bool = False,
                     max_lines: int = 6) -> bool:
    """Whether wrapping ``text`` (as :func:`wrap_text` / :func:`wrap_balanced` with these
    arguments) certainly gives more than ``lines`` lines, told without wrapping it.

    True when the text is one paragraph that nothing cuts and it is wider than ``lines`` full
    lines and the spaces between them: no line is wider than the limit (when no character is),
    and advances add up.  ``False`` only means "maybe": wrap to know.  Lets a caller skip a
    wrap whose result it would reject.
    """
    limit = max(1, int(max_width * 1000 / font_size))
    max_lines = max(1, max_lines)
    if max_lines <= lines or limit < MAX_ADVANCE:
        return False  # a cut result has max_lines lines; a character alone may overflow a line
    if "\n" in text or "\r" in text or len(text) > _cap(limit, max_lines):
        return False
    return em_width(" ".join(text.split()), bold) > lines * limit + (lines - 1) * _SPACE[bold]


def _measure(text: str, limit: int, max_lines: int, bold: bool) -> tuple[Measured, bool]:
    """Cut what cannot show, split into paragraphs of measured units (done once per text)."""
    # Only what can show is measured: a line holds at most limit/_NARROWEST characters.
    cap = _cap(limit, max_lines)
    text = text.replace("\r", "")
    truncated = len(text) > cap
    if truncated:
        text = text[:cap]
    paragraphs: Measured = []
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            paragraphs.append([])
        elif paragraph.isascii() and "-" not in paragraph and "/" not in paragraph:
            # the common case: plain words, each one unit after a space
            paragraphs.append([(word, True, em_width(word, bold)) for word in paragraph.split(" ")])
        else:
            paragraphs.append([(unit, space, em_width(unit, bold)) for unit, space in _units(paragraph)])
    return paragraphs, truncated


def _greedy(paragraphs: Measured, limit: int, max_lines: int, bold: bool) -> tuple[list[str], list[int], bool]:
    """First-fit lines over measured units: (lines, their widths, True if lines had to be
    dropped).  A line's width is the sum of its units' and spaces' (advances add up, there is
    no kerning), so no line is ever measured again."""
    lines: list[str] = []
    widths: list[int] = []
    space = _SPACE[bold]
    for units in paragraphs:
        if not units:
            if lines or len(paragraphs) > 1:
                lines.append("")
                widths.append(0)
            continue
        line: list[str] = []
        line_width = 0
        for unit, space_before, unit_width in units:
            gap = space if space_before else 0
            if line and line_width + gap + unit_width <= limit:
                line.append(" " + unit if space_before else unit)
                line_width += gap + unit_width
                continue
            if line:
                lines.append("".join(line))
                widths.append(line_width)
                line, line_width = [], 0
            if unit_width > limit:
                pieces = _split_long(unit, limit, bold)
                lines.extend(piece for piece, _width in pieces[:-1])
                widths.extend(width for _piece, width in pieces[:-1])
                unit, unit_width = pieces[-1]
            line = [unit]
            line_width = unit_width
            if len(lines) > max_lines:
                break
        if line:
            lines.append("".join(line))
            widths.append(line_width)
        if len(lines) > max_lines:
            break
    while lines and not lines[-1]:
        lines.pop()
        widths.pop()
    dropped = len(lines) > max_lines
    return lines[:max_lines], widths[:max_lines], dropped


def _finish(lines: list[str], widths: list[int], truncated: bool, limit: int, font_size: float,
            bold: bool) -> Wrapped:
    if truncated and lines:
        lines[-1] = _fit_with_ellipsis(lines[-1], limit, bold)
        widths[-1] = em_width(lines[-1], bold)
    if not lines:
        lines, widths = [""], [0]
    width = max(widths) * font_size / 1000.0
    return Wrapped(tuple(lines), width, truncated)


def wrap_text(text: str, max_width: float, font_size: float, *, bold: bool = False, max_lines: int = 6) -> Wrapped:
    """Wrap ``text`` into lines no wider than ``max_width`` px at ``font_size`` px.

    >>> wrap_text("Validate message schema", 120, 13).lines
    ('Validate message', 'schema')
    """
    limit = max(1, int(max_width * 1000 / font_size))
    max_lines = max(1, max_lines)
    single = _one_line(text, limit, max_lines, font_size, bold)
    if single is not None:
        return single
    paragraphs, cut = _measure(text, limit, max_lines, bold)
    lines, widths, dropped = _greedy(paragraphs, limit, max_lines, bold)
    return _finish(lines, widths, cut or dropped, limit, font_size, bold)


def wrap_balanced(text: str, max_width: float, font_size: float, *, bold: bool = False,
                  max_lines: int = 6) -> Wrapped:
    """Like :func:`wrap_text`, but with lines of even length (CSS ``text-wrap: balance``).

    Greedy wrapping can leave one word, or one CJK character, alone on the last line; the
    narrowest width that still gives the same number of lines avoids that and makes boxes
    narrower.  Found by bisection over the already measured words.

    >>> wrap_balanced("プルリクエストを作成する", 150, 13).lines
    ('プルリクエス', 'トを作成する')
    """
    limit = max(1, int(max_width * 1000 / font_size))
    max_lines = max(1, max_lines)
    single = _one_line(text, limit, max_lines, font_size, bold)
    if single is not None:
        return single
    paragraphs, cut = _measure(text, limit, max_lines, bold)
    lines, widths, dropped = _greedy(paragraphs, limit, max_lines, bold)
    if len(lines) < 2 or cut or dropped:
        return _finish(lines, widths, cut or dropped, limit, font_size, bold)
    count = len(lines)
    chars = sum(map(len, lines))
    widest = max(widths)
    # no line can be narrower than the widest unbreakable unit, nor than an even share
    total = sum(widths)
    longest_unit = max((width for units in paragraphs for _u, _s, width in units), default=0)
    low, high = max(total // count, longest_unit) - 1, widest
    best, best_widths = lines, widths
    for _ in range(7):
        if high - low < 250:  # a quarter of an em (3 px at 13 px) is close enough
            break
        middle = (low + high) // 2
        trial, trial_widths, trial_dropped = _greedy(paragraphs, middle, max_lines, bold)
        # accept only the same number of lines, with no word cut in two (same characters)
        if len(trial) == count and not trial_dropped and sum(map(len, trial)) == chars:
            best, best_widths, high = trial, trial_widths, middle
        else:
            low = middle
    return _finish(best, best_widths, False, limit, font_size, bold)


def widest_unit(text: str, max_width: float, font_size: float, *, bold: bool = False, max_lines: int = 6) -> float:
    """Width (px) of the widest part of ``text`` that wrapping to ``max_width`` may not break
    (a word; in CJK text a character): narrower lines would cut that word in two.  Only what
    such a wrap could show is measured.

    >>> round(widest_unit("Validate message schema", 150, 13))
    53
    """
    limit = max(1, int(max_width * 1000 / font_size))
    paragraphs, _cut = _measure(text, limit, max(1, max_lines), bold)
    return max((width for units in paragraphs for _u, _s, width in units), default=0) * font_size / 1000.0


def two_lines(text: str, font_size: float, *, bold: bool = False) -> Wrapped | None:
    """``text`` on two lines broken at one of its spaces, the longer line as short as it can be:
    what :func:`wrap_balanced` gives for two lines, found in one pass over the words (each
    measured once) instead of a search.  ``None`` for text with no space to break at, a line
    break of its own, or too long to be a two-line label.

    >>> two_lines("Validate message schema", 13).lines
    ('Validate', 'message schema')
    """
    if "\n" in text or "\r" in text or len(text) > 400:
        return None
    words = text.split()
    if len(words) < 2:
        return None
    widths = [em_width(word, bold) for word in words]
    space = _SPACE[bold]
    total = sum(widths) + space * (len(words) - 1)
    best_width, best_split, left = total, 1, -space
    for k in range(1, len(words)):
        left += space + widths[k - 1]
        longer = max(left, total - left - space)
        if longer < best_width:
            best_width, best_split = longer, k
    lines = (" ".join(words[:best_split]), " ".join(words[best_split:]))
    return Wrapped(lines, best_width * font_size / 1000.0)
