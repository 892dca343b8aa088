"""The lane dependency graph behind the architecture view, and its layered structure.

Lanes become components; edges between lanes become dependencies (several edges between the
same ordered pair merge into one); edges inside a lane are not dependencies.  The graph is then
made ready for a left-to-right layered drawing, phase by phase as in ELK Layered, each phase a
small function tested on its own:

1. :func:`break_cycles`: depth-first in text order; an edge that closes a cycle is reversed
   (drawn backwards), so ``A -> B`` then ``B -> A`` puts A left of B, as written;
2. :func:`assign_layers`: longest path from the sources;
3. :func:`split_long_edges`: a dependency spanning several layers gets a dummy per layer it
   crosses, which later reserves the gap its line runs through;
4. :func:`order_layers`: barycentre sweeps to reduce crossings, ties broken by text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Diagram, Edge
from ..sequence.model import message_text

LABEL_ITEMS = 2  # a merged label lists this many edge texts, then "+N more"


@dataclass(frozen=True)
class Dependency:
    """All edges from one lane to another, in source order, as one arrow."""

    source: str
    target: str
    edges: tuple[Edge, ...]
    texts: tuple[str, ...]

    @property
    def label(self) -> str:
        """The merged label: the distinct texts one per line, the first few then ``+N more``."""
        shown = list(self.texts[:LABEL_ITEMS])
        extra = len(self.texts) - len(shown)
        if extra > 0:
            shown.append(f"+{extra} more")
        return "\n".join(shown)


def dependencies(diagram: Diagram) -> tuple[Dependency, ...]:
    """Cross-lane edges grouped by ordered lane pair, in the order the pairs first appear."""
    lane_of = {n.id: n.lane for n in diagram.nodes}
    groups: dict[tuple[str, str], list[Edge]] = {}
    for edge in diagram.edges:
        pair = (lane_of[edge.source], lane_of[edge.target])
        if pair[0] != pair[1]:
            groups.setdefault(pair, []).append(edge)
    out = []
    for (a, b), edges in groups.items():
        texts: list[str] = []
        for e in edges:
            t = " ".join(message_text(diagram, e).split())
            if t and t not in texts:
                texts.append(t)
        out.append(Dependency(a, b, tuple(edges), tuple(texts)))
    return tuple(out)


def break_cycles(lanes: list[str], deps: list[tuple[str, str]]) -> set[int]:
    """Indices of the dependencies to reverse so the graph has no cycle.

    Depth-first from every lane in declaration order (lanes nothing points at first), following
    dependencies in the order they are written: an edge into a lane still on the stack closes a
    cycle.
    """
    out: dict[str, list[int]] = {lane: [] for lane in lanes}
    has_in: set[str] = set()
    for i, (a, b) in enumerate(deps):
        out[a].append(i)
        has_in.add(b)
    reversed_: set[int] = set()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    roots = [ln for ln in lanes if ln not in has_in] + [ln for ln in lanes if ln in has_in]
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            lane, k = stack[-1]
            if k < len(out[lane]):
                stack[-1] = (lane, k + 1)
                i = out[lane][k]
                nxt = deps[i][1]
                if state.get(nxt) == 1:
                    reversed_.add(i)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[lane] = 2
                stack.pop()
    return reversed_


def assign_layers(lanes: list[str], arcs: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources of an acyclic graph: every arc goes at least one layer right."""
    layer = {lane: 0 for lane in lanes}
    succ: dict[str, list[str]] = {lane: [] for lane in lanes}
    indeg = {lane: 0 for lane in lanes}
    for a, b in arcs:
        succ[a].append(b)
        indeg[b] += 1
    ready = [ln for ln in lanes if indeg[ln] == 0]
    while ready:
        lane = ready.pop(0)
        for nxt in succ[lane]:
            layer[nxt] = max(layer[nxt], layer[lane] + 1)
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                ready.append(nxt)
    return layer


@dataclass(frozen=True)
class Chain:
    """One dependency as drawn: its elements left to right (the left lane, dummies, the right
    lane) and whether the arrow points left (``reversed``: the dependency was a cycle edge)."""

    index: int
    dependency: Dependency
    elements: tuple[str, ...]
    reversed: bool


def dummy_id(chain: int, layer: int) -> str:
    return f"\x00{chain}:{layer}"  # cannot clash with a lane id


def split_long_edges(deps: tuple[Dependency, ...], reversed_: set[int], layer: dict[str, int]) -> list[Chain]:
    """Each dependency left to right, with a dummy in every layer it crosses."""
    chains = []
    for i, dep in enumerate(deps):
        left, right = (dep.target, dep.source) if i in reversed_ else (dep.source, dep.target)
        elements = [left]
        elements.extend(dummy_id(i, lay) for lay in range(layer[left] + 1, layer[right]))
        elements.append(right)
        chains.append(Chain(i, dep, tuple(elements), i in reversed_))
    return chains


def order_layers(lanes: list[str], layer: dict[str, int], chains: list[Chain], sweeps: int = 4) -> list[list[str]]:
    """Elements of each layer top to bottom: text order first, then barycentre sweeps."""
    for chain in chains:
        for k, el in enumerate(chain.elements[1:-1], start=1):
            layer[el] = layer[chain.elements[0]] + k
    count = max(layer.values(), default=-1) + 1
    rank = {ln: i for i, ln in enumerate(lanes)}
    for chain in chains:
        for el in chain.elements[1:-1]:
            rank[el] = rank[chain.elements[0]] + 0.5 + chain.index / 1000
    layers: list[list[str]] = [[] for _ in range(count)]
    for el in sorted(layer, key=lambda e: rank[e]):
        layers[layer[el]].append(el)
    left_of: dict[str, list[str]] = {}
    right_of: dict[str, list[str]] = {}
    for chain in chains:
        for a, b in zip(chain.elements, chain.elements[1:], strict=False):
            right_of.setdefault(a, []).append(b)
            left_of.setdefault(b, []).append(a)

    def sweep(order: range, neighbours: dict[str, list[str]], ref: int) -> None:
        for li in order:
            pos = {el: i for i, el in enumerate(layers[li + ref])}
            current = {el: i for i, el in enumerate(layers[li])}

            def key(el: str, pos: dict[str, int] = pos, current: dict[str, int] = current) -> tuple[float, int]:
                ns = [pos[n] for n in neighbours.get(el, []) if n in pos]
                return (sum(ns) / len(ns) if ns else float(current[el]), current[el])

            layers[li].sort(key=key)

    best = [list(lay) for lay in layers]
    best_cross = crossings(layers, right_of)
    for _ in range(sweeps):
        sweep(range(1, count), left_of, -1)
        sweep(range(count - 2, -1, -1), right_of, +1)
        c = crossings(layers, right_of)
        if c < best_cross:
            best, best_cross = [list(lay) for lay in layers], c
    return best


def crossings(layers: list[list[str]], right_of: dict[str, list[str]]) -> int:
    """Crossings between neighbouring layers (small graphs: the quadratic count is fine)."""
    total = 0
    for li in range(len(layers) - 1):
        pos = {el: i for i, el in enumerate(layers[li + 1])}
        arcs = [(i, pos[b]) for i, a in enumerate(layers[li]) for b in right_of.get(a, []) if b in pos]
        for x in range(len(arcs)):
            for y in range(x + 1, len(arcs)):
                (a1, b1), (a2, b2) = arcs[x], arcs[y]
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


# --- stereotypes from lane names ------------------------------------------------------------

STEREOTYPES: tuple[tuple[str, frozenset[str]], ...] = (
    ("actor", frozenset({"user", "users", "customer", "customers", "client", "clients", "actor", "person"})),
    ("database", frozenset({"db", "database", "databases", "store", "datastore", "storage", "repository"})),
    ("queue", frozenset({"queue", "queues", "broker", "bus", "kafka", "topic", "stream", "mq"})),
    ("gateway", frozenset({"api", "gateway", "apigateway"})),
    ("service", frozenset({"service", "services", "server", "backend", "microservice"})),
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def stereotype(lane_id: str, display_name: str) -> str | None:
    """«actor», «database», «queue», «gateway» or «service» from the lane's words, else None.

    The head noun decides (the last word that names a kind): ``UserService`` is a service,
    ``Customer`` an actor, ``Message Broker`` a queue.
    """
    for source in (_WORD.findall(display_name), _WORD.findall(lane_id)):
        for word in reversed(source):
            for kind, names in STEREOTYPES:
                if word.lower() in names:
                    return kind
    return None
