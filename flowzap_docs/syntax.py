"""The raw statements the grammar produces, before lanes are paired and names resolved.

They keep the lark tokens (text + column) of every part, so the semantic checks can put a
caret under the exact culprit: the misspelt shape, the unknown target, the bad side.  Every
statement sits on one line, so one ``line`` per statement plus each token's column is a
complete position.  Nothing outside the parser and :mod:`flowzap_docs.validate` uses these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Token


def unescape(quoted: str) -> str:
    """The text of a ``"..."`` token: quotes removed, ``\\"`` and ``\\\\`` resolved (any other
    backslash is kept as written, as FlowZap does)."""
    body = quoted[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n and body[i + 1] in '"\\':
            out.append(body[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def escape(text: str) -> str:
    """The inverse of :func:`unescape`: a ``"..."`` literal for ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tok_len(tok: Token) -> int:
    return max(1, len(tok))


_ATTR_KEY = re.compile(r"([^@\s:=]+)(?:@([^\s:=]*))?\s*([:=])")
_SIDE = re.compile(r"\(\s*([^()\s]*)")


@dataclass(slots=True)
class RawAttr:
    """``key@lang:"value"``: the grammar keeps ``key@lang:`` as one token (``head``)."""

    head: Token
    value: Token  # the quoted literal
    key: str
    lang: str | None

    @classmethod
    def of(cls, head: Token, value: Token) -> RawAttr:
        m = _ATTR_KEY.match(head)
        assert m is not None  # the grammar's ATTR_KEY guarantees the shape
        return cls(head, value, m.group(1), m.group(2))

    @property
    def key_column(self) -> int:
        return self.head.column

    @property
    def sep(self) -> str:
        return self.head[-1]

    @property
    def sep_column(self) -> int:
        return self.head.column + len(self.head) - 1

    @property
    def text(self) -> str:
        return unescape(self.value)


@dataclass(slots=True)
class RawLaneOpen:
    line: int
    name: Token
    title: Token | None  # the `# ...` token, `}` included if the one-line form closes it
    closes: bool  # `Id { }`: the lane closes on its own line

    @property
    def title_text(self) -> str | None:
        if self.title is None:
            return None
        text = self.title[1:].strip()
        if text.endswith("}"):
            text = text[:-1].rstrip()
        return text or None

    @property
    def one_line(self) -> bool:
        return self.closes or (self.title is not None and self.title.rstrip().endswith("}"))


@dataclass(slots=True)
class RawClose:
    line: int
    brace: Token


@dataclass(slots=True)
class RawTitle:
    line: int
    title: Token

    @property
    def text(self) -> str:
        return self.title[1:].strip()


@dataclass(slots=True)
class RawNode:
    line: int
    id: Token
    shape: Token
    attrs: list[RawAttr]


@dataclass(slots=True)
class RecoveredNode(RawNode):
    """The id of a node line that failed to parse: declared so edges to it raise no second error."""


@dataclass(slots=True)
class RawRef:
    prefix: Token | None
    name: Token

    @property
    def column(self) -> int:
        return (self.prefix or self.name).column

    @property
    def written(self) -> str:
        return f"{self.prefix}.{self.name}" if self.prefix is not None else str(self.name)


@dataclass(slots=True)
class RawEnd:
    ref: RawRef
    handle: Token  # `.handle(side)` as written
    side: str
    side_column: int

    @classmethod
    def of(cls, ref: RawRef, handle: Token) -> RawEnd:
        m = _SIDE.search(handle)
        if m is None:  # pragma: no cover - the grammar's HANDLE always has `(`
            return cls(ref, handle, "", handle.column)
        return cls(ref, handle, m.group(1), handle.column + m.start(1))


@dataclass(slots=True)
class RawEdge:
    line: int
    source: RawEnd
    target: RawEnd
    attrs: list[RawAttr]

    @property
    def column(self) -> int:
        return self.source.ref.column


@dataclass(slots=True)
class RawLoop:
    line: int
    keyword: Token
    condition: Token | None
    refs: list[RawRef]

    @property
    def condition_text(self) -> str:
        return self.condition.strip() if self.condition is not None else ""


Statement = RawLaneOpen | RawClose | RawTitle | RawNode | RawEdge | RawLoop
