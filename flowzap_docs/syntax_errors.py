"""A lark failure on one statement line -> a FlowZap diagnostic (never lark's words).

The message says what the line was meant to be (judged from its start: a lane, a node, an
edge, a loop) and what it lacks, in FlowZap terms; the caret sits under the culprit and the
hint shows the fix.  Used by :func:`flowzap_docs.parser.scan` on each line that fails.
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .diagnostics import Diagnostic
from .diagnostics_codes import diag
from .grammar.transform import BLANK as _BLANK

#: How each grammar terminal reads in a message (only FlowZap words, never parser internals).
_TERMINAL_WORDS: dict[str, str] = {
    "NAME": "a name", "HANDLE": "`.handle(side)`",
    "ATTR_KEY": "an attribute such as `label:\"...\"`", "STRING": 'a quoted string ("...")',
    "TITLE": "`# display name`", "CONDITION": "a loop condition", "RBRACE": "`}`", "NODE_ID": "`id:`",
    "REF": "a node id", "LOOP": "`loop [`",
    "_LBRACE": "`{`", "_ARROW": "`->`", "_DOT": "`.`", "_LSQB": "`[`", "_RSQB": "`]`", "_COMMA": "`,`",
    "_NL": "the end of the line",
    "$END": "the end of the line",
}

_EDGE_ENDS = re.compile(r"^\s*(?P<src>[^\s\[]+?)\s*->\s*(?P<dst>[^\s\[]+)?")
_HANDLE_OPEN = re.compile(r"\.[ \t]*handle[ \t]*\(")
_HANDLE_FULL = re.compile(r"\.[ \t]*handle[ \t]*\([ \t]*[^()\s]*[ \t]*\)")
_BAD_HANDLE = re.compile(r"(?P<ref>[\w-]+(?:\.[\w-]+)?)\.(?P<word>[\w-]+)\s*\(\s*(?P<side>\w*)")
_REF_TEXT = re.compile(r"\w(?:\w|-(?!>))*(?:\.\w(?:\w|-(?!>))*)?\Z")
_KEY_BEFORE = re.compile(r"(?P<key>[\w@-]+)\s*(?P<sep>[:=])\s*$")


def _expected_words(expected: set[str]) -> str:
    words = sorted({_TERMINAL_WORDS[t] for t in expected if t in _TERMINAL_WORDS})
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


_KIND_LANE = re.compile(r"^\s*[\w-]+\s*\{")
_KIND_NODE = re.compile(r"^\s*[\w-]+\s*:")
_KIND_LOOP = re.compile(r"^\s*loop\s*(\[|$|\s)")


def _statement_kind(text: str) -> str:
    """What the author meant the line to be, judged from its start (for the message wording)."""
    if _KIND_LOOP.match(text):
        return "loop"
    if "->" in text:
        return "edge"
    if _KIND_LANE.match(text):
        return "lane"
    if _KIND_NODE.match(text):
        return "node"
    return "?"


def _culprit(tok: Token, text: str, col: int) -> str:
    """The text the caret should underline: the unexpected token, cut at the first blank
    (after a failure lark may hand back a greedy token that swallowed the rest of the line)."""
    word = str(tok).split()[0] if str(tok).split() else str(tok)
    if tok.type in ("CONDITION", "TITLE", "STRING") and word != str(tok):
        return word
    return str(tok) if str(tok) else text[col - 1: col]


def _quoted(text: str) -> str:
    return f"'{text[:37]}...'" if len(text) > 40 else f"'{text}'"


def _missing_handle(line_no: int, text: str) -> Diagnostic | None:
    """FZ104 (and FZ101 for a `.handle(` left open) when an edge end is not `ref.handle(side)`."""
    for opening in _HANDLE_OPEN.finditer(text):
        if not _HANDLE_FULL.match(text, opening.start()):
            return diag("FZ101", "expected `.handle(side)`: a side, then `)`", line_no, opening.start() + 1,
                        "write .handle(right) (sides: left, right, top, bottom)", opening.end() - opening.start())
    m = _EDGE_ENDS.match(text)
    if not m:
        return None
    src, dst = m.group("src"), m.group("dst") or ""

    def ref_of(end: str) -> str:
        return end.split(".handle", 1)[0]

    def with_handle(end: str, side: str) -> str:
        return end if ".handle(" in end and end.rstrip().endswith(")") else f"{ref_of(end)}.handle({side})"

    for end, start in ((src, m.start("src")), (dst, m.start("dst"))):
        bad = _BAD_HANDLE.match(end)
        if bad and bad.group("word") != "handle":
            word = bad.group("word")
            return diag("FZ104", f"expected `.handle(side)`, found `.{word}(`", line_no, start + bad.start("word") + 1,
                        f"write {bad.group('ref')}.handle({bad.group('side') or 'right'})", len(word))
    if ".handle(" not in src:
        culprit, col = src, m.start("src") + 1
    elif dst and ".handle(" not in dst:
        culprit, col = dst, m.start("dst") + 1
    else:
        return None
    if not _REF_TEXT.match(ref_of(culprit)):
        return None  # not `id` or `Lane.id`: the generic message says what is wrong
    hint = f"write both ends with a side: {with_handle(src, 'right')} -> {with_handle(dst or 'n2', 'left')}"
    return diag("FZ104", f"expected `.handle(side)` after the node id '{ref_of(culprit)}'", line_no, col, hint,
                len(culprit))


_SMART_QUOTES = {"\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "\u2018": "\u2019", "'": "'",
                 "\u201d": "\u201d", "\u2019": "\u2019"}


def _unquoted(line_no: int, text: str, column: int, at_end: bool) -> Diagnostic:
    before = text[: column - 1]
    km = _KEY_BEFORE.search(before)
    key, sep = (km.group("key"), km.group("sep")) if km else ("label", ":")
    rest = text[column - 1:]
    if rest.startswith('"'):
        return diag("FZ106", "unterminated string: no closing `\"` on this line", line_no, column,
                    'close the text with `"` before the end of the line (write \\" for a quote inside it)',
                    len(rest.rstrip()))
    if rest[:1] in _SMART_QUOTES:
        close = _SMART_QUOTES[rest[0]]
        end = rest.find(close, 1)
        value = rest[1:end] if end > 0 else rest[1:].split(" ")[0]
        return diag("FZ105", f"the value of `{key}` must be in straight double quotes", line_no, column,
                    f'write {key}{sep}"{value}"', (end + 1) if end > 0 else 1)
    if at_end or not rest.strip():
        return diag("FZ105", f"`{key}{sep}` needs a quoted value", line_no, column, f'write {key}{sep}"..."')
    match = re.match(r"[^\s\]]*", rest)
    value = match.group(0) if match else ""
    return diag("FZ105", f"the value of `{key}` must be in double quotes", line_no, column,
                f'write {key}{sep}"{value}"', max(1, len(value)))


def _accepted(exc: UnexpectedToken) -> set[str]:
    """The terminals that could really come next.  ``exc.expected`` is the LALR state's merged
    lookahead set (it mixes contexts, e.g. `{` after an attribute key); replaying the parser
    on a copy gives the exact set."""
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except Exception:  # pragma: no cover - defensive: fall back to the merged set
            pass
    return set(exc.expected)


def syntax_diagnostic(line_no: int, text: str, exc: UnexpectedInput) -> Diagnostic:
    """Turn a lark failure on one statement line into a FlowZap diagnostic (never lark's words)."""
    end_col = len(text.rstrip(_BLANK)) + 1
    kind = _statement_kind(text)
    if isinstance(exc, UnexpectedCharacters):
        col, ch = exc.column, exc.char
        allowed = set(exc.allowed)
        if ch == '"' or "STRING" in allowed:
            return _unquoted(line_no, text, col, False)
        if kind == "edge":
            found = _missing_handle(line_no, text)
            if found:
                return found
        return diag("FZ101", _message(f"'{ch}'", allowed, text, col, kind), line_no, col, _hint(ch, allowed, kind))
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        expected = _accepted(exc)
        at_end = tok.type in ("$END", "_NL")
        col = end_col if at_end else tok.column
        if kind == "edge":
            found = _missing_handle(line_no, text)
            if found:
                return found
        if "STRING" in expected:
            return _unquoted(line_no, text, col, at_end)
        if at_end:
            got, length = "the end of the line", 1
        else:
            word = _culprit(tok, text, col)
            got, length = _quoted(word), len(word)
        first = text[col - 1: col] if not at_end else ""
        return diag("FZ101", _message(got, expected, text, col, kind), line_no, col,
                    _hint(first, expected, kind, "" if at_end else str(tok)), length)
    return diag("FZ101", "this line is not a FlowZap Code statement", line_no, 1)  # pragma: no cover


def _message(got: str, expected: set[str], text: str, col: int, kind: str) -> str:
    """``unexpected X; expected Y`` in FlowZap words, sharpened by what the line is meant to be."""
    before = text[: col - 1].rstrip(_BLANK)
    u = "the line ends too early" if got == "the end of the line" else f"unexpected {got}"
    names = {"NAME", "NODE_ID", "LOOP"}
    if kind == "node":
        expected = expected - {"_COMMA", "_RSQB"}
    if not before:
        return (f"{u}; a line holds one statement: a lane `Id {{ # Name`, a node `id: shape "
                "label:\"...\"`, an edge `a.handle(right) -> b.handle(left)`, a loop `loop [condition] a b` or `}`")
    if kind != "loop" and expected >= {"_DOT", "_LBRACE"}:
        return f"{u} after the id; expected `:` (a node), `.handle(side)` (an edge) or `{{` (a lane)"
    if kind == "loop" and "CONDITION" in expected:
        return f"{u}; expected the loop condition, then `]`"
    if kind == "loop" and expected == {"_RSQB"}:
        return f"{u}; expected `]` to close the loop condition"
    if kind == "loop" and expected == {"_LSQB"}:
        return f"{u}; expected `[condition]` after `loop`"
    if kind == "loop":
        return f"{u}; a loop lists node ids (or Lane.id) after its `[condition]`"
    if "HANDLE" in expected and before.endswith("."):
        return f"{u}; expected `handle(side)` after `.`"
    if expected and expected <= {"_DOT", "HANDLE"}:
        return f"{u}; expected `.handle(side)` after the node id"
    if expected == {"NAME"} and before.endswith(":"):
        return f"{u}; expected the shape (circle, rectangle, diamond or taskbox) after `{before.split()[-1]}`"
    if expected == {"NAME"} and before.endswith("."):
        return f"{u}; expected a node id after the lane prefix `{before.split()[-1]}`"
    if expected == {"NAME"} and before.endswith("->"):
        return f"{u}; expected the target node id after `->`"
    if expected == {"_ARROW"}:
        return f"{u}; expected `->` between the two ends of the edge"
    if kind == "edge" and "_RSQB" in expected:
        return f"{u} in the edge attributes; expected `]` or another `label=\"...\"`"
    if kind == "edge" and expected <= {"_LSQB", "$END", "_NL"}:
        return f"{u} after the edge; an edge ends with an optional `[label=\"...\"]`"
    if "TITLE" in expected and "RBRACE" in expected:
        return f"{u} after `{{`; expected `# display name` or the end of the line"
    if kind == "node" and expected <= names | {"$END", "_NL", "ATTR_KEY"}:
        return f"{u}; expected an attribute such as `label:\"...\"` or the end of the line"
    words = _expected_words(expected)
    return f"{u}" + (f"; expected {words}" if words else "")


def _hint(first: str, expected: set[str], kind: str, word: str = "") -> str | None:
    if word in ("label", "owner", "description", "system") and "ATTR_KEY" in expected:
        return f'write {word}:"..." (a colon, then the text in double quotes)' if kind != "edge" \
            else f'write {word}="..."'
    if first in ("\u201c", "\u201d", "\u201e"):
        return 'use straight double quotes ("...")'
    if first == "#":
        return "`#` only starts a lane's display name: `Lane { # Display name`; comments start with `//`"
    if kind == "edge" and "_RSQB" in expected:
        return 'close the attributes with `]` on the same line: [label="..."]'
    if kind == "edge" and expected <= {"_LSQB", "$END", "_NL"}:
        return 'an edge label is written [label="..."]'
    if kind == "loop":
        return "write loops as: loop [condition] n1 n2"
    return None
