"""FlowZap Code text -> :class:`~flowzap_docs.model.Diagram` (+ style warnings), or every error.

How it works, and why:

* The grammar (``grammar/flowzap.lark``, LALR, contextual lexer) describes one statement per
  line.  A valid diagram is parsed in ONE call (start rule ``file``) with the transformer run
  inside the parser, so no parse tree is ever built: that is the fast path.
* If that call fails, the text is parsed again line by line (start rule ``line``): every
  broken line gets its own diagnostic, on its own line, and the good lines still yield
  statements so that the semantic checks can run too.  Parsing stays linear and cannot hang.
* Lane blocks ``{ ... }`` are paired here by a small state machine instead of in the grammar,
  so a missing ``}`` costs one diagnostic at the lane's opening line, not a cascade.
* Names are then resolved and the style rules checked in :mod:`flowzap_docs.validate`.
* Speed: the Lark instance is built once per process; the grammar keeps tokens and
  reductions few (``.handle(side)`` and ``key:`` are single tokens, repetitions are
  left-recursive rules, ``keep_all_tokens`` so lark calls the transformer directly), and a
  leaner loop drives lark's own contextual lexer (see :class:`_LeanContextualLexer`).
  ``bench/parse.py`` measures it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import ContextualLexer, LexerState

from . import validate
from .diagnostics import Diagnostic, FlowZapError
from .diagnostics_codes import diag
from .model import Diagram, Edge, Lane, Loop, Node
from .syntax import (
    RawAttr,
    RawClose,
    RawEdge,
    RawEnd,
    RawLaneOpen,
    RawLoop,
    RawNode,
    RawRef,
    RawTitle,
    RecoveredNode,
    Statement,
)

GRAMMAR_PATH = Path(__file__).with_name("grammar") / "flowzap.lark"

#: Stop collecting after this many errors (a 100,000-line file of noise must stay fast to reject).
MAX_ERRORS = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BLANK = " \t\u00a0\u3000\ufeff"


class _ToStatements(Transformer):  # type: ignore[type-arg]
    """Runs inside the LALR parser (no tree is built): grammar rules -> raw statements.

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
        node_id = _new_token("NAME", head[:-1].rstrip(_BLANK), None, head.line, head.column)
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


#: ``Token(type, value, start_pos, line, column)`` without ``Token.__new__``'s keyword checks.
_new_token = getattr(Token, "_future_new", Token)


def _ref(tok: Token) -> RawRef:
    """`n3` or `Lane.n3` (one REF token) -> a RawRef with a token (and column) for each part."""
    prefix, dot, name = tok.rpartition(".")
    if not dot:
        return RawRef(None, tok)
    return RawRef(Token("NAME", prefix, line=tok.line, column=tok.column),
                  Token("NAME", name, line=tok.line, column=tok.column + len(prefix) + 1))


class _LeanContextualLexer(ContextualLexer):
    """lark's contextual lexer, same terminals per parser state and same errors, in a tighter
    loop: one compiled regex match per token and no per-token bookkeeping objects.

    Lexing was more than half of a parse.  Anything unusual (no match here, a terminal with
    a callback, a scanner split in several regexes) is handed to lark's own code for that
    token, so errors and their expected sets are exactly lark's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[int, tuple[Any, frozenset[str], frozenset[str]] | None] = {}

    def _plan(self, state: int) -> tuple[Any, frozenset[str], frozenset[str]] | None:
        lexer = self.lexers[state]
        scanner = lexer.scanner  # type: ignore[attr-defined]
        mres = getattr(scanner, "_mres", None)
        plan = None
        if mres is not None and len(mres) == 1 and not lexer.callback:  # type: ignore[attr-defined]
            plan = (mres[0].match, lexer.ignore_types, lexer.newline_types)  # type: ignore[attr-defined]
        self._plans[state] = plan
        return plan

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text_slice = lexer_state.text
        if not hasattr(text_slice, "end"):  # lark < 1.2 hands a plain str: use lark's own loop
            yield from super().lex(lexer_state, parser_state)
            return
        text, end = text_slice.text, text_slice.end
        ctr = lexer_state.line_ctr
        pos, line, line_start = ctr.char_pos, ctr.line, ctr.line_start_pos
        plans = self._plans
        # `parser_state.position` is a property over the state stack: read the stack directly
        stack = getattr(parser_state, "state_stack", None)
        # Token.__new__ only forwards to _future_new (after a deprecation check): call it directly
        new_token = getattr(Token, "_future_new", Token)
        while pos < end:
            state = stack[-1] if stack is not None else parser_state.position
            plan = plans[state] if state in plans else self._plan(state)
            m = plan[0](text, pos, end) if plan is not None else None
            if m is None:
                ctr.char_pos, ctr.line, ctr.line_start_pos = pos, line, line_start
                ctr.column = pos - line_start + 1
                try:
                    tok = self._slow_token(state, lexer_state, parser_state)
                except EOFError:
                    return
                yield tok
                pos, line, line_start = ctr.char_pos, ctr.line, ctr.line_start_pos
                continue
            type_ = m.lastgroup
            after = m.end()
            end_line, end_start = line, line_start
            if type_ in plan[2]:  # type: ignore[index]
                value = m.group()
                newlines = value.count("\n")
                if newlines:
                    end_line, end_start = line + newlines, pos + value.rindex("\n") + 1
            if type_ not in plan[1]:  # type: ignore[index]
                tok = new_token(type_, m.group(), pos, line, pos - line_start + 1, end_line, after - end_start + 1, after)
                lexer_state.last_token = tok
                yield tok
            pos, line, line_start = after, end_line, end_start
        ctr.char_pos, ctr.line, ctr.line_start_pos = pos, line, line_start
        ctr.column = pos - line_start + 1

    def _slow_token(self, state: int, lexer_state: LexerState, parser_state: Any) -> Token:
        """One token the way lark's ContextualLexer.lex would produce it (errors included)."""
        try:
            return self.lexers[state].next_token(lexer_state, parser_state)
        except UnexpectedCharacters as e:
            try:
                last_token = lexer_state.last_token
                token = self.root_lexer.next_token(lexer_state, parser_state)
                raise UnexpectedToken(token, e.allowed, state=parser_state, token_history=[last_token],
                                      terminals_by_name=self.root_lexer.terminals_by_name) from None
            except UnexpectedCharacters:
                raise e from None


#: The slots of lark's Token, in the order ``Token._future_new`` fills them.
_TOKEN_SLOTS = ("type", "start_pos", "value", "line", "column", "end_line", "end_column", "end_pos")

#: One reduction, digested once: (how many values it pops, the transformer callback, the
#: nonterminal it produces).
_Reduce = tuple[int, Any, str]


class _FileDriver:
    """The fast path for a whole *valid* diagram: lark's own LALR table, transformer callbacks
    and contextual-lexer terminals, driven by one loop that lexes a token and feeds it at once.

    lark lexes in a generator and feeds each token through ``ParserState.feed_token``, which
    looks up its tables through several objects per token; over a typical diagram's ~200
    tokens that bookkeeping was most of the parse.  Here the table is digested once per
    process (a reduction carries its size, callback and result name; shifts and gotos are
    plain state numbers) and the loop keeps everything in locals.

    It only ever *accepts* text: at the first thing it does not handle (no terminal matches,
    the table has no action, a terminal lark would post-process) it returns ``None`` and
    :func:`scan` parses the text with lark's own parser, so every error, its position and its
    expected set stay exactly lark's.
    """

    def __init__(self, lark: Lark) -> None:
        parser = lark.parser.parser.parser  # type: ignore[attr-defined]  # the LALR _Parser
        table = parser.parse_table
        self.lexer: _LeanContextualLexer = lark.parser.lexer  # type: ignore[attr-defined]
        self.start: int = table.start_states["file"]
        self.end: int = table.end_states["file"]
        callbacks = parser.callbacks
        # terminal callbacks (none today) would run on shift: leave such grammars to lark
        self.usable = not any(isinstance(key, str) for key in callbacks)
        # Tokens are built in the loop exactly as Token._future_new builds them, without its
        # classmethod call and super() lookup (a third of the lexing time); only when lark's
        # Token has the slots this knows, else through lark's constructor.
        self.direct_tokens = getattr(Token, "__slots__", None) == _TOKEN_SLOTS
        self.actions: dict[int, dict[str, tuple[int, _Reduce | None]]] = {}
        for state, actions in table.states.items():
            digested: dict[str, tuple[int, _Reduce | None]] = {}
            for symbol, (action, arg) in actions.items():
                if action.name == "Shift":  # a shift (terminal) or a goto (rule name)
                    digested[symbol] = (arg, None)
                else:
                    digested[symbol] = (-1, (len(arg.expansion), callbacks[arg], str(arg.origin.name)))
            self.actions[state] = digested

    def parse(self, text: str) -> list[Statement] | None:
        """The statements of ``text`` (which ends with a newline), or ``None`` to let lark try."""
        if not self.usable:
            return None
        actions, lexer, end_state = self.actions, self.lexer, self.end
        plans = lexer._plans
        new_token = getattr(Token, "_future_new", Token)
        direct_tokens, str_new = self.direct_tokens, str.__new__
        state_stack = [self.start]
        value_stack: list[Any] = []
        pos, line, line_start, end = 0, 1, 0, len(text)
        state = self.start  # always the top of the state stack
        while pos < end:
            plan = plans.get(state) or lexer._plan(state)
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
            if type_ not in ignore_types:
                if direct_tokens:
                    token = str_new(Token, value)
                    token.type, token.start_pos, token.value = type_, pos, value
                    token.line, token.column = line, pos - line_start + 1
                    token.end_line, token.end_column, token.end_pos = end_line, after - end_start + 1, after
                else:
                    token = new_token(type_, value, pos, line, pos - line_start + 1, end_line, after - end_start + 1,
                                      after)
                while True:  # reduce as long as the table says so, then shift the token
                    action = actions[state].get(type_)  # type: ignore[arg-type]
                    if action is None:
                        return None
                    state, reduce = action
                    if reduce is None:
                        state_stack.append(state)
                        value_stack.append(token)
                        break
                    size, callback, origin = reduce  # (the same steps as _reduce, inline: the hot path)
                    if size:
                        children = value_stack[-size:]
                        del state_stack[-size:]
                        del value_stack[-size:]
                    else:
                        children = []
                    value_stack.append(callback(children))
                    state = actions[state_stack[-1]][origin][0]
                    state_stack.append(state)
            pos, line, line_start = after, end_line, end_start
        while True:  # end of input: reduce until the start rule is complete
            action = actions[state_stack[-1]].get("$END")
            if action is None or action[1] is None:
                return None
            self._reduce(action[1], state_stack, value_stack)
            if state_stack[-1] == end_state:
                return value_stack[-1]  # type: ignore[no-any-return]

    def _reduce(self, reduce: _Reduce, state_stack: list[int], value_stack: list[Any]) -> int:
        """Pop one rule's values, run its callback, push the result and the goto state."""
        size, callback, origin = reduce
        if size:
            children = value_stack[-size:]
            del state_stack[-size:]
            del value_stack[-size:]
        else:
            children = []
        value_stack.append(callback(children))
        state = self.actions[state_stack[-1]][origin][0]
        state_stack.append(state)
        return state


_LARK: Lark | None = None
_DRIVER: _FileDriver | None = None

#: Options the grammar is analysed with (part of the compiled grammar's file name).
_LARK_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "start": ["file", "line"],
    "maybe_placeholders": False,
    "propagate_positions": False,
    "keep_all_tokens": True,
}
_COMPILED_MAGIC = b"flowzap-grammar 1 "


def get_lark() -> Lark:
    """The parser, built once per process (building it costs far more than a parse).

    The grammar analysis (~30-50 ms, most of a docs build's fixed cost after imports) is kept
    on disk like bytecode: see :func:`_compiled_path`.  Loading it takes ~3 ms.
    """
    global _LARK
    if _LARK is None:
        grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
        path = _compiled_path(grammar)
        lark = _load_compiled(path) if path is not None else None
        if lark is None:
            lark = Lark(grammar, transformer=_ToStatements(), _plugins={"ContextualLexer": _LeanContextualLexer},
                        **_LARK_OPTIONS)
            if path is not None and not sys.dont_write_bytecode:
                _save_compiled(path, lark)
        _plain_rule_names(lark)
        _LARK = lark
    return _LARK


def _compiled_path(grammar: str) -> Path | None:
    """Where the analysed grammar is kept: beside the grammar in ``__pycache__`` (or under
    ``sys.pycache_prefix``), as Python keeps bytecode.  Never a shared temporary directory:
    the file is a pickle, so it must live where only whoever may change the code can write.

    The name holds a hash of everything the analysis depends on (grammar text, options, lark
    and Python versions), so a changed grammar or an upgrade never loads a stale table."""
    import hashlib

    import lark as lark_module

    fingerprint = hashlib.sha256(
        "\0".join((grammar, repr(sorted(_LARK_OPTIONS.items())), lark_module.__version__,
                   f"{sys.version_info[0]}.{sys.version_info[1]}")).encode("utf-8")
    ).hexdigest()[:32]
    folder = GRAMMAR_PATH.parent.resolve()
    if sys.pycache_prefix:
        base = Path(sys.pycache_prefix) / folder.relative_to(folder.anchor)
    else:
        base = folder / "__pycache__"
    return base / f"{GRAMMAR_PATH.stem}.{fingerprint}.lark-cache"


def _load_compiled(path: Path) -> Lark | None:
    """The analysed grammar from ``path``, or ``None`` (absent, truncated, corrupt, foreign):
    the file's checksum is verified before anything is unpickled."""
    import hashlib
    import pickle

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, sep, body = raw.partition(b"\n")
    if not sep or head != _COMPILED_MAGIC + hashlib.sha256(body).hexdigest().encode("ascii"):
        return None
    try:
        data = pickle.loads(body)
        lark = Lark.__new__(Lark)
        lark._load(data, transformer=_ToStatements(), _plugins={"ContextualLexer": _LeanContextualLexer})
        if not isinstance(lark.parser.lexer, _LeanContextualLexer):  # type: ignore[attr-defined]
            return None
    except Exception:  # noqa: BLE001 - whatever is wrong with the file, building the parser is the answer
        return None
    return lark


def _save_compiled(path: Path, lark: Lark) -> None:
    """Write the analysed grammar atomically (concurrent builds, e.g. ``sphinx-build -j``
    workers, see the old file or the new one).  Best effort: an unwritable directory only
    means the next process analyses it again."""
    import hashlib
    import io

    from .files import write_atomic

    try:
        buffer = io.BytesIO()
        lark.save(buffer, exclude_options={"transformer", "_plugins"})
        body = buffer.getvalue()
        write_atomic(path, _COMPILED_MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
    except Exception:  # noqa: BLE001 - a cache, never a reason to fail a parse
        pass


def _plain_rule_names(lark: Lark) -> None:
    """Make every rule name in the LALR table a plain ``str``.

    Some names come out of lark's grammar loader as ``Token`` objects, whose Python-level
    ``__eq__`` then runs on every reduction's goto lookup (a third of the parser's time on a
    typical diagram).  Same text, same hash: only the comparison gets cheaper.  Skipped
    silently if a future lark lays its tables out differently."""
    try:
        table = lark.parser.parser.parser.parse_table  # type: ignore[attr-defined]
        for actions in table.states.values():
            for _action, arg in actions.values():
                origin = getattr(arg, "origin", None)
                if origin is not None and type(origin.name) is not str:
                    origin.name = str(origin.name)
    except AttributeError:  # pragma: no cover - other lark internals
        pass


def split_lines(text: str) -> list[str]:
    """Lines as the diagnostics count them: ``\\n``, ``\\r\\n`` or ``\\r`` end a line (nothing else)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalize(text: str) -> str:
    """Drop a leading BOM and make every line end ``\\n`` (columns are unchanged)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --------------------------------------------------------------------------- syntax errors

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


# ------------------------------------------------------------------------------ scanning


@dataclass
class Scan:
    """What the grammar found: statements (line order) and the syntax errors."""

    statements: list[Statement]
    errors: list[Diagnostic] = field(default_factory=list)


def scan(text: str) -> Scan:
    """Parse every statement line; whole-text fast path, line-by-line on any failure."""
    text = normalize(text)
    lark = get_lark()
    whole = text if text.endswith("\n") else text + "\n"
    global _DRIVER
    if _DRIVER is None:
        _DRIVER = _FileDriver(lark)
    statements = _DRIVER.parse(whole)
    if statements is not None:
        return Scan(statements)
    try:
        statements = lark.parse(whole, start="file")
        return Scan(statements)
    except UnexpectedInput:
        pass
    return _scan_lines(text.split("\n"), lark)


def _scan_lines(lines: list[str], lark: Lark) -> Scan:
    result = Scan([], [])
    for number, text in enumerate(lines, start=1):
        if len(result.errors) >= MAX_ERRORS:
            result.errors.append(diag("FZ118", f"too many errors (more than {MAX_ERRORS}); "
                                      "the rest of the diagram was not checked", number, 1))
            break
        stripped = text.strip(_BLANK)
        if not stripped or stripped.startswith("//"):
            continue
        bad = _CONTROL.search(text)
        if bad:
            result.errors.append(diag("FZ116", f"control character U+{ord(bad.group()):04X} is not allowed",
                                      number, bad.start() + 1, "remove it (is this a binary file?)"))
            continue
        try:
            stmt = lark.parse(text, start="line")
        except UnexpectedInput as exc:
            result.errors.append(syntax_diagnostic(number, text, exc))
            recovered = _recover(number, text)
            if recovered is not None:
                result.statements.append(recovered)
            continue
        stmt.line = number
        result.statements.append(stmt)
    return result


_RECOVER_LANE = re.compile(r"^[ \t]*(\w(?:\w|-(?!>))*)[ \t]*\{")
_RECOVER_NODE = re.compile(r"^[ \t]*(\w(?:\w|-(?!>))*)[ \t]*:(?![:=])")


def _recover(number: int, text: str) -> Statement | None:
    """What a broken line still tells us, so one error does not cascade: a broken
    ``Lane {`` line still opens its lane (or its nodes would all be "outside every lane"
    and its ``}`` "closing no lane"), a broken node line still declares its id (or every
    edge to it would name an "unknown node").  Only errors are reported for such a diagram,
    and the one error is on the broken line."""
    lane = _RECOVER_LANE.match(text)
    if lane:
        name = Token("NAME", lane.group(1), line=number, column=lane.start(1) + 1)
        return RawLaneOpen(number, name, None, text.rstrip(_BLANK).endswith("}"))
    node = _RECOVER_NODE.match(text)
    if node and "->" not in text:
        node_id = Token("NAME", node.group(1), line=number, column=node.start(1) + 1)
        return RecoveredNode(number, node_id, Token("NAME", "rectangle", line=number, column=node.end() + 1), [])
    return None


# ----------------------------------------------------------------------------- assembly


@dataclass
class Parsed:
    """Everything :func:`parse` learns, positions included (fmt and tests use it)."""

    diagram: Diagram | None
    diagnostics: list[Diagnostic]
    statements: list[Statement]
    raw_nodes: list[RawNode]
    raw_edges: list[RawEdge]
    raw_loops: list[RawLoop]


def analyse(text: str) -> Parsed:
    """Scan, pair lane blocks, build the model and run every check; never raises for bad input."""
    found = scan(text)
    diags = list(found.errors)
    lanes: dict[str, Lane] = {}
    lane_open_at: dict[str, RawLaneOpen] = {}
    lane_seen_stmt: dict[str, bool] = {}
    nodes: dict[str, Node] = {}
    raw_nodes: list[RawNode] = []
    edges: list[Edge] = []
    raw_edges: list[RawEdge] = []
    loops: list[Loop] = []
    raw_loops: list[RawLoop] = []
    stack: list[str] = []
    node_line: dict[str, int] = {}

    for stmt in found.statements:
        current = stack[-1] if stack else None
        if isinstance(stmt, RawLaneOpen):
            name = str(stmt.name)
            if stack:
                diags.append(diag("FZ114", f"lane '{name}' is opened inside lane '{current}' (lanes do not nest)",
                                  stmt.line, stmt.name.column,
                                  f"close lane '{current}' with `}}` before opening '{name}'", len(name)))
            if name in lanes:
                first = lane_open_at[name].line
                diags.append(diag("FZ110", f"lane '{name}' is declared twice (first on line {first})",
                                  stmt.line, stmt.name.column, "give each lane its own id", len(name)))
            else:
                lanes[name] = Lane(name, stmt.title_text, stmt.line, stmt.name.column)
                lane_open_at[name] = stmt
                lane_seen_stmt[name] = False
            if not stmt.one_line:
                stack.append(name)
            continue
        if isinstance(stmt, RawClose):
            if not stack:
                diags.append(diag("FZ107", "`}` closes no lane", stmt.line, stmt.brace.column,
                                  "remove it, or open the lane with `Id { # Display name` above"))
            else:
                stack.pop()
            continue
        if isinstance(stmt, RawTitle):
            if current is not None and not lane_seen_stmt.get(current, True) and lanes[current].title is None \
                    and lane_open_at[current] is not None:
                lanes[current] = Lane(current, stmt.text or None, lanes[current].line, lanes[current].column)
                lane_seen_stmt[current] = True
            else:
                diags.append(diag("FZ212", "a `# ...` line is only a lane's display name (as the first line of its "
                                  "block, when the `{` line has none); this one is ignored",
                                  stmt.line, stmt.title.column, "write comments as `// ...`", len(stmt.title.rstrip())))
            continue
        if current is not None:
            lane_seen_stmt[current] = True
        if isinstance(stmt, RawNode):
            node_id = str(stmt.id)
            node, node_diags = validate.build_node(stmt, current or "")
            diags.extend(node_diags)
            if current is None:
                diags.append(diag("FZ115", f"node '{node_id}' is declared outside every lane", stmt.line,
                                  stmt.id.column, "move it inside a lane block `Lane { ... }`", len(node_id)))
            if node_id in nodes:
                if isinstance(stmt, RecoveredNode):
                    continue  # its line already has its error
                diags.append(diag("FZ109", f"node id '{node_id}' is declared twice (first on line "
                                  f"{node_line[node_id]})", stmt.line, stmt.id.column,
                                  "node ids are unique across the whole diagram; rename one", len(node_id)))
                continue
            nodes[node_id] = node
            node_line[node_id] = stmt.line
            raw_nodes.append(stmt)
        elif isinstance(stmt, RawEdge):
            edge, edge_diags = validate.build_edge(stmt, f"e{len(edges) + 1}", current)
            diags.extend(edge_diags)
            edges.append(edge)
            raw_edges.append(stmt)
        elif isinstance(stmt, RawLoop):
            loops.append(Loop(stmt.condition_text, tuple(str(r.name) for r in stmt.refs), stmt.line,
                              stmt.keyword.column, current))
            raw_loops.append(stmt)

    for name in stack:
        opening = lane_open_at.get(name)
        if opening is not None:
            diags.append(diag("FZ108", f"lane '{name}' is never closed", opening.line, opening.name.column,
                              f"add `}}` at the end of lane '{name}'", len(name)))

    diags.extend(validate.check_references(lanes, nodes, raw_edges, edges, raw_loops, loops))
    diagram = Diagram(tuple(lanes.values()), tuple(nodes.values()), tuple(edges), tuple(loops))
    if not any(d.severity == "error" for d in diags):
        diags.extend(validate.style_warnings(diagram, raw_nodes, raw_edges, raw_loops))
    diags = _capped(diags)
    return Parsed(diagram, diags, found.statements, raw_nodes, raw_edges, raw_loops)


def _capped(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted by position; at most MAX_ERRORS errors and MAX_ERRORS warnings (a file with
    100,000 stray `}` must still be rejected in well under a second)."""
    diags.sort(key=lambda d: (d.line, d.column, d.code))
    errors = [d for d in diags if d.severity == "error"]
    warnings = [d for d in diags if d.severity == "warning"]
    if len(errors) <= MAX_ERRORS and len(warnings) <= MAX_ERRORS:
        return diags
    kept = errors[:MAX_ERRORS] + warnings[:MAX_ERRORS]
    if len(errors) > MAX_ERRORS and not any(d.code == "FZ118" for d in kept):
        last = errors[MAX_ERRORS]
        kept.append(diag("FZ118", f"too many errors ({len(errors)}); only the first {MAX_ERRORS} are shown",
                         last.line, last.column))
    kept.sort(key=lambda d: (d.line, d.column, d.code))
    return kept


def parse(text: str, *, filename: str = "<diagram>") -> Diagram:
    """Parse FlowZap Code.  Raises :class:`FlowZapError` carrying every error (and the
    warnings); on success the style warnings are on :attr:`Diagram.warnings`."""
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the diagram text as str, not {type(text).__name__}")
    result = analyse(text)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise FlowZapError(result.diagnostics, source=text, filename=filename)
    diagram = result.diagram
    assert diagram is not None
    return Diagram(diagram.lanes, diagram.nodes, diagram.edges, diagram.loops, tuple(result.diagnostics))
