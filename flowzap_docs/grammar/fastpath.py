"""The fast path for a whole *valid* diagram: one loop over lark's own LALR table and lexers.

This is the only module that reads lark's private internals (the parse table, the contextual
lexer's per-state scanners and the layout of ``Token``).  Why it exists: measured on
``event-driven.fz`` it halves a parse (0.70 ms against 1.20 ms for lark's public
``Lark.parse``, CPU medians, interleaved; ~0.5 ms of the ~2.8 ms of a ``render_svg``).  lark
lexes in a generator and feeds each token through ``ParserState.feed_token``, which looks up
its tables through several objects per token; over a typical diagram's ~300 tokens that
bookkeeping is most of the parse.  Here the table is digested once per process and the loop
keeps everything in locals.

It is an accelerator, never the parser of record:

* it only ever *accepts* text.  At the first thing it does not handle (no terminal matches,
  the table has no action, a lexer it cannot read) :meth:`FileDriver.parse` returns ``None``
  and the caller parses with lark's public API, so every error, its position and its expected
  set are lark's own;
* if lark lays its internals out differently (a new release), :func:`driver_for` returns a
  driver that always answers ``None``: diagrams still parse, only slower.
  ``tests/test_parser_fastpath.py`` checks that it is active with the installed lark and that
  it yields exactly what lark's parser yields; CI runs it against the newest lark too.
"""

from __future__ import annotations

from typing import Any

from lark import Lark, Token

from ..syntax import Statement

#: The slots of lark's Token, in the order its constructor fills them (checked before use).
_TOKEN_SLOTS = ("type", "start_pos", "value", "line", "column", "end_line", "end_column", "end_pos")

#: One reduction, digested once: (how many values it pops, the transformer callback, the
#: nonterminal it produces).
_Reduce = tuple[int, Any, str]

#: How one lexer state lexes: (the compiled alternation's ``match``, ignored terminal names,
#: terminal names that may hold a newline), or ``None`` when lark's own lexer must do it.
_Plan = tuple[Any, frozenset[str], frozenset[str]]


class FileDriver:
    """Parses a whole valid diagram (start rule ``file``) into statements, or returns ``None``."""

    def __init__(self, lark: Lark | None) -> None:
        self.active = False
        self.why_inactive = "not built"
        self.actions: dict[int, dict[str, tuple[int, _Reduce | None]]] = {}
        self.plans: dict[int, _Plan | None] = {}
        self.lexers: dict[int, Any] = {}
        self.start = self.end = -1
        self.direct_tokens = False
        if lark is None:
            return
        try:
            self._digest(lark)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:  # another lark layout
            self.why_inactive = f"lark's internals are laid out differently ({type(exc).__name__}: {exc})"
            self.actions, self.plans = {}, {}
            return
        self.active, self.why_inactive = True, ""

    def _digest(self, lark: Lark) -> None:
        parser = lark.parser.parser.parser  # type: ignore[attr-defined]  # the LALR _Parser
        table = parser.parse_table
        self.start, self.end = table.start_states["file"], table.end_states["file"]
        callbacks = parser.callbacks
        if any(isinstance(key, str) for key in callbacks):  # terminal callbacks would run on shift
            raise ValueError("the grammar has terminal callbacks")
        for state, actions in table.states.items():
            digested: dict[str, tuple[int, _Reduce | None]] = {}
            for symbol, (action, arg) in actions.items():
                if action.name == "Shift":  # a shift (terminal) or a goto (rule name)
                    digested[str(symbol)] = (arg, None)
                else:
                    digested[str(symbol)] = (-1, (len(arg.expansion), callbacks[arg], str(arg.origin.name)))
            self.actions[state] = digested
        # parser state -> lark's BasicLexer for it; each one's plan is made on first use (building
        # the scanners of every state up front would cost each process a few milliseconds)
        self.lexers = dict(lark.parser.lexer.lexers)  # type: ignore[attr-defined]
        # Tokens are built in the loop exactly as lark's constructor builds them, minus its
        # classmethod call and super() lookup (a third of the lexing time); only when lark's
        # Token has the slots this knows, else through the public constructor.
        self.direct_tokens = getattr(Token, "__slots__", None) == _TOKEN_SLOTS

    def parse(self, text: str) -> list[Statement] | None:
        """The statements of ``text`` (which ends with a newline), or ``None`` to let lark try."""
        if not self.active:
            return None
        actions, plans, end_state = self.actions, self.plans, self.end
        direct_tokens, str_new = self.direct_tokens, str.__new__
        state_stack = [self.start]
        value_stack: list[Any] = []
        pos, line, line_start, end = 0, 1, 0, len(text)
        state = self.start  # always the top of the state stack
        while True:
            if pos < end:
                plan = plans[state] if state in plans else self._plan(state)
                if plan is None:
                    return None
                match, ignore_types, newline_types = plan
                m = match(text, pos, end)
                if m is None:
                    return None
                type_ = m.lastgroup
                value = m.group()
                after = m.end()
                end_line, end_start = line, line_start
                if type_ in newline_types:
                    newlines = value.count("\n")
                    if newlines:
                        end_line, end_start = line + newlines, pos + value.rindex("\n") + 1
                if type_ in ignore_types:
                    pos, line, line_start = after, end_line, end_start
                    continue
                if direct_tokens:
                    token = str_new(Token, value)
                    token.type, token.start_pos, token.value = type_, pos, value
                    token.line, token.column = line, pos - line_start + 1
                    token.end_line, token.end_column, token.end_pos = end_line, after - end_start + 1, after
                else:
                    token = Token(type_, value, pos, line, pos - line_start + 1, end_line, after - end_start + 1, after)
                pos, line, line_start = after, end_line, end_start
            else:  # end of input: reduce until the start rule is complete
                type_, token = "$END", None
            while True:  # reduce as long as the table says so, then shift the token
                action = actions[state].get(type_)  # type: ignore[arg-type]
                if action is None:
                    return None
                state, reduce = action
                if reduce is None:
                    if token is None:  # lark's tables never shift the end: not a table this knows
                        return None
                    state_stack.append(state)
                    value_stack.append(token)
                    break
                size, callback, origin = reduce
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                value_stack.append(callback(children))
                state = actions[state_stack[-1]][origin][0]
                state_stack.append(state)
                if token is None and state == end_state:
                    return value_stack[-1]  # type: ignore[no-any-return]

    def _plan(self, state: int) -> _Plan | None:
        """How to lex in one parser state with a single regex match, as lark's ``BasicLexer``
        does (same compiled alternation, same terminal order), or ``None`` for anything unusual
        (a terminal callback, a scanner split into several regexes): the driver then gives up."""
        plan: _Plan | None = None
        try:
            lexer = self.lexers[state]
            mres = getattr(lexer.scanner, "_mres", None)
            match = getattr(mres[0], "match", None) if isinstance(mres, list) and len(mres) == 1 else None
            if callable(match) and not lexer.callback:  # lark < 1.2 keeps (regex, names) pairs: no match
                plan = match, frozenset(lexer.ignore_types), frozenset(lexer.newline_types)
        except (AttributeError, KeyError, TypeError):
            plan = None
        self.plans[state] = plan
        return plan
