"""What a diagram *means* as a sequence: messages, returns, activations, notes and fragments.

The sequence view reads the edges of a diagram as a conversation between its lanes.  Working
that out (which message answers which request, who is busy when, which rows a ``loop`` wraps,
which requests break the FlowZap sequence rule) needs no geometry, so it lives here, apart from
the layout and the drawing, and is tested on its own.

Rules, in the words a writer would use:

* every edge is one message, in the order the edges are written (``e1``, ``e2``, ...);
* an edge inside one lane is a *self* message on that lane's lifeline;
* an edge from lane B to lane A while a request from A to B is still open *answers* it (a
  dashed return); everything else between two lanes is a *request*;
* the answered lane is busy (an activation bar) from the request to its answer;
* nodes no edge touches become notes, placed where they are written among the edges;
* a ``loop`` wraps every row (message or note) that involves one of its nodes, first to last;
* the FlowZap sequence rule: a request must be answered before the next request starts.  A
  request made by the lane that is busy answering an open request is a nested call, not a
  break of the rule (``A->B, B->C, C->B, B->A`` is the textbook call stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...diagnostics import Diagnostic
from ...model import Diagram, Edge, Loop, Node

MessageKind = Literal["request", "return", "self"]

#: The warning code of the FlowZap sequence rule (stable: documented, tests rely on it).
SEQUENCE_RULE_CODE = "FZ250"


@dataclass(frozen=True)
class Message:
    """One edge read as a message.  ``row`` is its position among all rows (messages and notes);
    ``answers`` is the row of the request a return answers."""

    row: int
    edge: Edge
    source_lane: str
    target_lane: str
    kind: MessageKind
    text: str
    answers: int | None = None


@dataclass(frozen=True)
class Note:
    """A node that no edge touches, shown as a note on its lane's lifeline."""

    row: int
    node: Node
    text: str


@dataclass(frozen=True)
class Activation:
    """A lane busy from row ``start`` (the request) to row ``end`` (its answer).  ``depth`` is
    how many activations of the same lane it sits inside (drawn shifted to the right)."""

    lane: str
    start: int
    end: int
    depth: int


@dataclass(frozen=True)
class Fragment:
    """A ``loop [condition]`` fragment around rows ``first``..``last`` (inclusive).  ``level``
    is how many other fragments enclose it (inner fragments are drawn inset)."""

    index: int
    loop: Loop
    first: int
    last: int
    level: int


@dataclass(frozen=True)
class Conversation:
    """The whole diagram as a sequence: rows top to bottom, plus bars, fragments and findings."""

    lanes: tuple[str, ...]
    rows: tuple[Message | Note, ...]
    activations: tuple[Activation, ...]
    fragments: tuple[Fragment, ...]
    warnings: tuple[Diagnostic, ...]

    @property
    def messages(self) -> tuple[Message, ...]:
        return tuple(r for r in self.rows if isinstance(r, Message))

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(r for r in self.rows if isinstance(r, Note))


def node_text(node: Node) -> str:
    """What a node is called in a message or a note: its label (a taskbox: its title)."""
    return node.title or node.label or ""


def message_text(diagram: Diagram, edge: Edge) -> str:
    """The edge's label, else the target node's label (the FlowZap app does the same)."""
    if edge.label and edge.label.strip():
        return edge.label.strip()
    return node_text(diagram.node(edge.target)).strip()


def _ordered_rows(diagram: Diagram) -> list[Edge | Node]:
    """Edges in source order, with untouched nodes slotted in where they are written."""
    touched = {e.source for e in diagram.edges} | {e.target for e in diagram.edges}
    lonely = [n for n in diagram.nodes if n.id not in touched]
    rows: list[Edge | Node] = []
    pending = sorted(lonely, key=lambda n: (n.line, n.column))
    for edge in diagram.edges:
        while pending and (pending[0].line, pending[0].column) < (edge.line, edge.column):
            rows.append(pending.pop(0))
        rows.append(edge)
    rows.extend(pending)
    return rows


def _rule_warning(message: Message, next_request: Message, diagram: Diagram) -> Diagnostic:
    src = diagram.lane(message.source_lane).display_name
    dst = diagram.lane(message.target_lane).display_name
    return Diagnostic(
        SEQUENCE_RULE_CODE,
        "warning",
        f"sequence rule: the request from {src!r} to {dst!r} ({message.edge.source} -> {message.edge.target}) "
        f"is not answered before the next request ({next_request.edge.source} -> {next_request.edge.target}) starts",
        message.edge.line,
        message.edge.column,
        hint=f"answer it with an edge from a node of {dst!r} back to a node of {src!r} before the next request, "
        "or accept the warning (only the sequence view reads edges as requests and answers)",
    )


def read_conversation(diagram: Diagram) -> Conversation:
    """Read ``diagram`` as a sequence (see the module docstring for the rules)."""
    lane_of = {n.id: n.lane for n in diagram.nodes}
    rows: list[Message | Note] = []
    open_requests: list[Message] = []  # a call stack: the innermost open request last
    answered: dict[int, int] = {}  # request row -> answer row
    warnings: list[Diagnostic] = []
    for row, item in enumerate(_ordered_rows(diagram)):
        if isinstance(item, Node):
            rows.append(Note(row, item, node_text(item)))
            continue
        src, dst = lane_of[item.source], lane_of[item.target]
        text = message_text(diagram, item)
        if src == dst:
            rows.append(Message(row, item, src, dst, "self", text))
            continue
        match = next((i for i in range(len(open_requests) - 1, -1, -1)
                      if open_requests[i].source_lane == dst and open_requests[i].target_lane == src), None)
        if match is not None:
            request = open_requests[match]
            answered[request.row] = row
            # Only this request closes: one made inside it may still be answered later (edges are
            # written lane by lane, so answers often come after their caller's own answer).
            del open_requests[match]
            rows.append(Message(row, item, src, dst, "return", text, answers=request.row))
            continue
        message = Message(row, item, src, dst, "request", text)
        # Requests still open that this one does not nest inside break the sequence rule.
        while open_requests and open_requests[-1].target_lane != src:
            warnings.append(_rule_warning(open_requests.pop(), message, diagram))
        open_requests.append(message)
        rows.append(message)
    activations = _activations(rows, answered)
    fragments = _fragments(diagram, rows)
    return Conversation(tuple(ln.id for ln in diagram.lanes), tuple(rows), activations, fragments,
                        tuple(sorted(warnings, key=lambda d: (d.line, d.column))))


def _activations(rows: list[Message | Note], answered: dict[int, int]) -> tuple[Activation, ...]:
    """One bar per answered request, on the lane that answers it, nested bars deeper."""
    bars: list[Activation] = []
    for start in sorted(answered):
        request = rows[start]
        assert isinstance(request, Message)
        end = answered[start]
        depth = sum(1 for b in bars if b.lane == request.target_lane and b.start < start <= b.end)
        bars.append(Activation(request.target_lane, start, end, depth))
    return tuple(bars)


def _involves(row: Message | Note, nodes: set[str]) -> bool:
    if isinstance(row, Note):
        return row.node.id in nodes
    return row.edge.source in nodes or row.edge.target in nodes


def _fragments(diagram: Diagram, rows: list[Message | Note]) -> tuple[Fragment, ...]:
    """Each loop spans the rows that involve its nodes; loops involving no row are dropped."""
    spans: list[tuple[int, Loop, int, int]] = []
    for index, loop in enumerate(diagram.loops):
        nodes = set(loop.nodes)
        hits = [r.row for r in rows if _involves(r, nodes)]
        if hits:
            spans.append((index, loop, min(hits), max(hits)))
    # Inset a fragment once for every fragment that starts before it (or with it, but is longer
    # or written earlier) and is still open: nested loops nest, overlapping ones stay apart.
    spans.sort(key=lambda s: (s[2], -s[3], s[0]))
    fragments = []
    for k, (index, loop, first, last) in enumerate(spans):
        level = sum(1 for _, _, _, l2 in spans[:k] if l2 >= first)
        fragments.append(Fragment(index, loop, first, last, level))
    fragments.sort(key=lambda f: f.index)
    return tuple(fragments)


def sequence_warnings(diagram: Diagram) -> list[Diagnostic]:
    """The FlowZap sequence rule (``FZ250``): requests between two lanes that are not answered
    before the next request starts, each at its edge's line and column.  The parser's style
    warnings do not include these: they only matter to readers of the sequence view.
    """
    return list(read_conversation(diagram).warnings)
