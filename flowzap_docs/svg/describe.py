"""A plain-language description of a diagram: the ``<desc>`` and the default alt text.

A reader who cannot see the picture should still learn the process: which lanes there are, what
each lane does in order, where each decision branches, and what crosses lanes.  So this walks
the flow rather than dumping nodes and edges: inside a lane, steps joined by a single unlabelled
arrow read as ``A, then B, then C``; decisions and nodes with several exits list their branches
(``Decision 'Valid schema?': Yes -> Route to topic partition; No -> ...``); an arrow into
another lane names that lane.  Very long labels are shortened: alt text is read aloud.
"""

from __future__ import annotations

from ..model import Diagram, Edge, Node

MAX_TEXT = 120
#: A description longer than this is cut at a sentence and ends with the totals: alt text is
#: read aloud, and nobody listens to a 1,600-step diagram in full.
MAX_DESCRIPTION = 3000


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def node_name(node: Node) -> str:
    """What to call a step: its label (taskbox: title), else its id."""
    name = _short(node.title if node.shape == "taskbox" else node.label)
    return name or f"step {node.id}"


def _step(node: Node) -> str:
    """A step in a lane's listing: a task card also says who does it."""
    if node.shape == "taskbox" and node.owner:
        return f"{node_name(node)} (owner: {_short(node.owner)})"
    return node_name(node)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _lane_names(diagram: Diagram) -> dict[str, str]:
    return {lane.id: _short(lane.display_name) for lane in diagram.lanes}


def title(diagram: Diagram, view: str = "workflow") -> str:
    """A short accessible name: the view and the lanes."""
    names = [_short(lane.display_name) for lane in diagram.lanes[:6]]
    more = ", …" if len(diagram.lanes) > 6 else ""
    kind = {"sequence": "Sequence diagram", "architecture": "Architecture diagram"}.get(view, "Workflow diagram")
    return f"{kind}: {', '.join(names)}{more}" if names else kind


#: The last description made, with the diagram object and view it was made for.  A render
#: describes its diagram twice: the view writes the ``<desc>``, then the pipeline asks for
#: the alt text of the very same (frozen) object.  Identity, not equality: no hashing of a
#: whole diagram, and an equal copy is simply described again.
_last: tuple[Diagram, str, str] | None = None


def describe(diagram: Diagram, view: str = "workflow") -> str:
    """The description for ``view`` (``workflow``, ``sequence`` or ``architecture``)."""
    global _last
    last = _last  # one read: another thread may replace it meanwhile, never half of it
    if last is not None and last[0] is diagram and last[1] == view:
        return last[2]
    text = _describe(diagram, view)
    _last = (diagram, view, text)
    return text


def _describe(diagram: Diagram, view: str) -> str:
    if view == "sequence":
        text = _describe_sequence(diagram)
    elif view == "architecture":
        text = _describe_architecture(diagram)
    else:
        text = _describe_workflow(diagram)
    return _bounded(text, diagram)


def _bounded(text: str, diagram: Diagram) -> str:
    if len(text) <= MAX_DESCRIPTION:
        return text
    cut = text.rfind(". ", 0, MAX_DESCRIPTION - 200)
    head = text[: cut + 1] if cut > 0 else text[: MAX_DESCRIPTION - 200].rstrip() + "…"
    totals = (f"{_plural(len(diagram.lanes), 'lane')}, {_plural(len(diagram.nodes), 'step')} and "
              f"{_plural(len(diagram.edges), 'connection')}")
    return f"{head} (Description shortened; the diagram has {totals}.)"


def _describe_workflow(diagram: Diagram) -> str:
    lanes = _lane_names(diagram)
    if not diagram.lanes:
        return "Empty swimlane diagram."
    out = [f"Swimlane diagram with {_plural(len(diagram.lanes), 'lane')}: {', '.join(lanes.values())}."]
    outgoing: dict[str, list[Edge]] = {n.id: [] for n in diagram.nodes}
    for edge in diagram.edges:
        outgoing.setdefault(edge.source, []).append(edge)
    index = {n.id: n for n in diagram.nodes}

    def target_text(edge: Edge, from_lane: str) -> str:
        target = index.get(edge.target)
        if target is None:
            return edge.target
        if edge.target == edge.source:
            return "itself"
        where = f" in {lanes.get(target.lane, target.lane)}" if target.lane != from_lane else ""
        return f"{node_name(target)}{where}"

    for lane in diagram.lanes:
        nodes = diagram.nodes_in(lane.id)
        if not nodes:
            out.append(f"{lanes[lane.id]}: no steps.")
            continue
        sentences: list[str] = []
        seen: set[str] = set()
        for start in nodes:
            if start.id in seen:
                continue
            chain = [start]
            seen.add(start.id)
            cur = start
            while True:
                exits = outgoing.get(cur.id, [])
                if cur.shape == "diamond" or len(exits) != 1 or exits[0].label:
                    break
                nxt = index.get(exits[0].target)
                if nxt is None or nxt.lane != lane.id or nxt.id in seen:
                    break
                chain.append(nxt)
                seen.add(nxt.id)
                cur = nxt
            steps = ", then ".join(_step(n) for n in chain)
            last = chain[-1]
            exits = outgoing.get(last.id, [])
            if not exits:
                sentences.append(_sentence(steps))
            elif last.shape == "diamond" or len(exits) > 1:
                kind = "Decision" if last.shape == "diamond" else "From"
                branches = "; ".join(
                    f"{_short(e.label) + ' -> ' if e.label else ''}{target_text(e, lane.id)}" for e in exits
                )
                lead = _sentence(steps) + " " if len(chain) > 1 else ""
                who = f" (owner: {_short(last.owner)})" if last.shape == "taskbox" and last.owner else ""
                sentences.append(f"{lead}{kind} '{node_name(last)}'{who}: {branches}.")
            elif exits[0].target == last.id:
                sentences.append(f"{steps}, which loops back to itself.")
            else:
                e = exits[0]
                label = f" ({_short(e.label)})" if e.label else ""
                sentences.append(f"{steps}, then {target_text(e, lane.id)}{label}.")
        out.append(f"{lanes[lane.id]}: " + " ".join(sentences))
    for loop in diagram.loops:
        names = [node_name(index[n]) for n in loop.nodes if n in index]
        out.append(f"Loop '{_short(loop.condition)}' around {_join(names)}.")
    return " ".join(out)


def _sentence(text: str) -> str:
    """End with a full stop unless the text already ends a sentence (``Valid schema?``)."""
    return text if text.endswith((".", "?", "!", "…", "。", "？", "！", "؟")) else text + "."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _describe_sequence(diagram: Diagram) -> str:
    lanes = _lane_names(diagram)
    index = {n.id: n for n in diagram.nodes}
    out = [f"Sequence diagram with {_plural(len(diagram.lanes), 'participant')}: {', '.join(lanes.values())}."]
    messages = []
    for edge in diagram.edges:
        src, dst = index.get(edge.source), index.get(edge.target)
        if src is None or dst is None:
            continue
        text = _short(edge.label) or node_name(dst)
        a, b = lanes.get(src.lane, src.lane), lanes.get(dst.lane, dst.lane)
        messages.append(f"{a} to itself: {text}" if a == b else f"{a} to {b}: {text}")
    if messages:
        out.append("Messages in order: " + "; ".join(messages) + ".")
    for loop in diagram.loops:
        out.append(f"Loop '{_short(loop.condition)}'.")
    return " ".join(out)


def _describe_architecture(diagram: Diagram) -> str:
    lanes = _lane_names(diagram)
    index = {n.id: n for n in diagram.nodes}
    parts = [f"{lanes[lane.id]} ({_plural(len(diagram.nodes_in(lane.id)), 'step')})" for lane in diagram.lanes]
    out = [f"Architecture diagram with {_plural(len(diagram.lanes), 'component')}: {', '.join(parts)}."]
    deps: dict[tuple[str, str], list[str]] = {}
    for edge in diagram.edges:
        src, dst = index.get(edge.source), index.get(edge.target)
        if src is None or dst is None or src.lane == dst.lane:
            continue
        labels = deps.setdefault((src.lane, dst.lane), [])
        if edge.label and _short(edge.label) not in labels:
            labels.append(_short(edge.label))
    if deps:
        items = [
            f"{lanes.get(a, a)} to {lanes.get(b, b)}" + (f" ({', '.join(labels)})" if labels else "")
            for (a, b), labels in deps.items()
        ]
        out.append("Connections: " + "; ".join(items) + ".")
    return " ".join(out)
