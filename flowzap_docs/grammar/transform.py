"""Grammar rules -> raw statements (:mod:`flowzap_docs.syntax`): the parser's transformer.

It runs inside the LALR parser (lark's documented ``Lark(..., transformer=...)`` for LALR), so no
parse tree is ever built.  The grammar is analysed with ``keep_all_tokens``: every callback
receives all of its rule's tokens, punctuation included, in order.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from ..syntax import (
    RawAttr,
    RawClose,
    RawEdge,
    RawEnd,
    RawLaneOpen,
    RawLoop,
    RawNode,
    RawRef,
    RawTitle,
    Statement,
)

#: White space the grammar ignores (``WS`` in ``flowzap.lark``).
BLANK = " \t\u00a0\u3000\ufeff"


class ToStatements(Transformer):  # type: ignore[type-arg]
    """One raw statement per grammar rule.

    Statement lines come from the first token; in line-by-line mode the caller overrides them
    (every token of a statement is on the statement's line, so columns stay right)."""

    def file(self, c: list[list[Statement]]) -> list[Statement]:
        return c[0]

    def no_lines(self, c: list[Any]) -> list[Statement]:
        return []

    def first_line(self, c: list[Statement]) -> list[Statement]:
        return [c[0]]

    def lines(self, c: list[Any]) -> list[Statement]:  # `lines _NL`: a blank or comment line
        return c[0]  # type: ignore[no-any-return]

    def more_lines(self, c: list[Any]) -> list[Statement]:
        statements: list[Statement] = c[0]
        statements.append(c[1])
        return statements

    def lane_open(self, c: list[Token]) -> RawLaneOpen:  # NAME { [TITLE | }]
        extra = c[2] if len(c) > 2 else None
        if extra is not None and extra.type == "RBRACE":
            return RawLaneOpen(c[0].line, c[0], None, True)
        return RawLaneOpen(c[0].line, c[0], extra, False)

    def lane_close(self, c: list[Token]) -> RawClose:
        return RawClose(c[0].line, c[0])

    def title(self, c: list[Token]) -> RawTitle:
        return RawTitle(c[0].line, c[0])

    def node(self, c: list[Any]) -> RawNode:
        head = c[0]  # `n1:` (id and colon are one token)
        node_id = Token("NAME", head[:-1].rstrip(BLANK), None, head.line, head.column)  # positional: 40% faster
        return RawNode(head.line, node_id, c[1], c[2] if len(c) > 2 else [])

    def first_attr(self, c: list[Token]) -> list[RawAttr]:
        return [RawAttr.of(c[0], c[1])]

    def more_attrs(self, c: list[Any]) -> list[RawAttr]:  # list [,] KEY STRING
        attrs: list[RawAttr] = c[0]
        attrs.append(RawAttr.of(c[-2], c[-1]))
        return attrs

    def no_attrs(self, c: list[Token]) -> list[RawAttr]:
        return []

    def some_attrs(self, c: list[Any]) -> list[RawAttr]:  # [ list [,] ]
        return c[1]  # type: ignore[no-any-return]

    def edge(self, c: list[Any]) -> RawEdge:
        # [prefix .] name HANDLE -> [prefix .] name HANDLE [attrs]: split the ends at each HANDLE
        if c[1].type == "HANDLE":
            source, i = RawEnd.of(RawRef(None, c[0]), c[1]), 3
        else:
            source, i = RawEnd.of(RawRef(c[0], c[2]), c[3]), 5
        if c[i + 1].type == "HANDLE":
            target, i = RawEnd.of(RawRef(None, c[i]), c[i + 1]), i + 2
        else:
            target, i = RawEnd.of(RawRef(c[i], c[i + 2]), c[i + 3]), i + 4
        return RawEdge(c[0].line, source, target, c[i] if len(c) > i else [])

    def loop(self, c: list[Token]) -> RawLoop:  # `loop [` [CONDITION] ] REF*
        cond = c[1] if c[1].type == "CONDITION" else None
        refs = [_ref(tok) for tok in c[(3 if cond is not None else 2):]]
        return RawLoop(c[0].line, c[0], cond, refs)


def _ref(tok: Token) -> RawRef:
    """`n3` or `Lane.n3` (one REF token) -> a RawRef with a token (and column) for each part."""
    prefix, dot, name = tok.rpartition(".")
    if not dot:
        return RawRef(None, tok)
    return RawRef(Token("NAME", prefix, None, tok.line, tok.column),
                  Token("NAME", name, None, tok.line, tok.column + len(prefix) + 1))
