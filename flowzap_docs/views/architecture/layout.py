"""Where the architecture view's boxes and arrows go.

Layers run left to right (:mod:`.graph` decides which layer and which order).
Then, in this order:

* **boxes** are sized to their content (stereotype, title, the inner list) and to the arrows
  that meet them: every arrow has its own port on the box side, and ports on the left side
  leave room above them for the arrow's label;
* **placement**: each layer is a column; elements keep their order and are pulled towards the
  height of what they connect to (isotonic regression, so the order and the gaps hold);
* **routing**: every arrow leaves the right side of the left element and enters the left side
  of the right one; a bend between two layers gets its own vertical track in the gap, tracks
  ordered so parallel arrows do not cross; a dependency spanning several layers runs through
  the slot its dummies reserved, so no arrow ever crosses a box;
* **labels** sit above the last stretch into the right-hand box, right of every track of that
  gap, inside the box's height: they cannot touch a line, a box or another label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...layout import textfit
from ...layout.geometry import Point, Rect, TextBlock
from ...model import Diagram
from ..sequence.model import node_text
from .graph import (
    Chain,
    Dependency,
    assign_layers,
    break_cycles,
    dependencies,
    order_layers,
    split_long_edges,
    stereotype,
)

MARGIN = 20.0
PAD = 12.0
TITLE_FONT = 14.0
TITLE_WRAP = 200.0
STEREO_FONT = 11.0
ITEM_FONT = 12.0
ITEM_WIDTH = 196.0  # widest inner-list entry (longer ones end in "…")
ICON = 14.0  # room for the small shape icon before an entry
ITEM_GAP = 3.0
BOX_MIN_WIDTH = 150.0
BOX_GAP = 40.0  # between boxes of one layer
DUMMY_GAP = 18.0  # between a pass-through line and its neighbours
LABEL_FONT = 12.0
LABEL_WRAP = 230.0
LABEL_LINES = 5
PORT_GAP = 14.0  # between ports without labels
TRACK_GAP = 10.0
GAP_MIN = 70.0


@dataclass(frozen=True)
class ListItem:
    node_id: str
    shape: str
    text: TextBlock
    icon: Point  # centre of the small shape icon


@dataclass(frozen=True)
class Component:
    """A lane as a box: stereotype line, title, and (unless titles only) its nodes' labels."""

    lane_id: str
    box: Rect
    stereotype: str | None
    stereotype_text: TextBlock | None
    title: TextBlock
    divider: float | None  # y of the line between the title and the list
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class PlacedDependency:
    """One merged dependency arrow from ``source`` lane to ``target`` lane."""

    source: str
    target: str
    edge_ids: tuple[str, ...]
    points: tuple[Point, ...]
    label: TextBlock | None
    label_box: Rect | None
    reversed: bool


@dataclass(frozen=True)
class ArchitectureLayout:
    width: float
    height: float
    components: tuple[Component, ...]
    dependencies: tuple[PlacedDependency, ...]
    layers: tuple[tuple[str, ...], ...]


@dataclass
class _Box:
    """Mutable working state of one element (a lane box or a dummy) during layout."""

    id: str
    layer: int
    width: float
    height: float
    content: float  # height the content needs
    y: float = 0.0
    left_ports: list[tuple[int, int]] | None = None  # (chain, hop) entering from the left
    right_ports: list[tuple[int, int]] | None = None

    @property
    def dummy(self) -> bool:
        return self.id.startswith("\x00")


def _content(diagram: Diagram, lane_id: str, titles_only: bool) -> tuple[float, float, list, TextBlock, object]:
    lane = diagram.lane(lane_id)
    kind = stereotype(lane.id, lane.display_name)
    stereo = textfit.block(f"\u00ab{kind}\u00bb", 200, STEREO_FONT) if kind else None
    title = textfit.block(lane.display_name, TITLE_WRAP, TITLE_FONT, bold=True, max_lines=3)
    items = []
    if not titles_only:
        for node in diagram.nodes_in(lane_id):
            text = " ".join(node_text(node).split()) or node.id
            items.append((node, textfit.block(text, ITEM_WIDTH, ITEM_FONT, max_lines=1)))
    width = max([title.width, stereo.width if stereo else 0.0] + [ICON + tb.width for _, tb in items])
    width = max(BOX_MIN_WIDTH, width + 2 * PAD)
    height = PAD + (stereo.height + 2 if stereo else 0.0) + title.height + PAD
    if items:
        height += sum(tb.height + ITEM_GAP for _, tb in items) + 4
    return width, height, items, title, stereo


def layout_architecture(diagram: Diagram, *, titles_only: bool = False) -> ArchitectureLayout:
    """Place the architecture view of ``diagram`` (see the module docstring)."""
    lanes = [ln.id for ln in diagram.lanes]
    deps = dependencies(diagram)
    reversed_ = break_cycles(lanes, [(d.source, d.target) for d in deps])
    arcs = [((d.target, d.source) if i in reversed_ else (d.source, d.target)) for i, d in enumerate(deps)]
    layer = assign_layers(lanes, arcs)
    chains = split_long_edges(deps, reversed_, layer)
    order = order_layers(lanes, layer, chains)

    labels: dict[int, TextBlock] = {}
    for ch in chains:
        if ch.dependency.label:
            labels[ch.index] = textfit.block(ch.dependency.label, LABEL_WRAP, LABEL_FONT, max_lines=LABEL_LINES)

    boxes: dict[str, _Box] = {}
    contents: dict[str, tuple] = {}
    for li, column in enumerate(order):
        for el in column:
            if el.startswith("\x00"):
                boxes[el] = _Box(el, li, 0.0, 0.0, 0.0, left_ports=[], right_ports=[])
            else:
                w, h, items, title, stereo = _content(diagram, el, titles_only)
                contents[el] = (items, title, stereo)
                boxes[el] = _Box(el, li, w, h, h, left_ports=[], right_ports=[])
    for ch in chains:
        for k, (a, b) in enumerate(zip(ch.elements, ch.elements[1:], strict=False)):
            boxes[a].right_ports.append((ch.index, k))  # type: ignore[union-attr]
            boxes[b].left_ports.append((ch.index, k))  # type: ignore[union-attr]

    def slot(ch_index: int) -> float:
        tb = labels.get(ch_index)
        return (tb.height if tb else 0.0) + 10.0

    last_hop = {ch.index: len(ch.elements) - 2 for ch in chains}
    for b in boxes.values():
        if b.dummy:
            continue
        need_left = sum(slot(c) if k == last_hop[c] else PORT_GAP for c, k in b.left_ports or []) + 8
        need_right = len(b.right_ports or []) * PORT_GAP + 8
        b.height = max(b.content, need_left, need_right)

    # --- placement: order kept, pulled towards neighbours (isotonic regression) -----------
    def gap_between(a: _Box, b: _Box) -> float:
        return DUMMY_GAP if (a.dummy or b.dummy) else BOX_GAP

    for column in order:
        y = 0.0
        for k, el in enumerate(column):
            if k:
                y += gap_between(boxes[column[k - 1]], boxes[el])
            boxes[el].y = y
            y += boxes[el].height
    neighbours: dict[str, list[str]] = {}
    for ch in chains:
        for a, b in zip(ch.elements, ch.elements[1:], strict=False):
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)

    def centre(el: str) -> float:
        return boxes[el].y + boxes[el].height / 2

    for _ in range(6):
        for column in order + order[::-1]:
            desired = []
            for el in column:
                ns = neighbours.get(el, [])
                want = sum(centre(n) for n in ns) / len(ns) if ns else centre(el)
                desired.append(want - boxes[el].height / 2)
            _pack(column, desired, boxes, gap_between)
    top = min((b.y for b in boxes.values()), default=0.0)
    for b in boxes.values():
        b.y += MARGIN - top

    # --- ports --------------------------------------------------------------------------
    port_y: dict[tuple[int, int, str], float] = {}  # (chain, hop, "L"|"R") -> y

    def other_end_y(ch_index: int, hop: int, side: str) -> float:
        el = chains[ch_index].elements[hop + (1 if side == "R" else 0)]
        return centre(el)

    for b in boxes.values():
        if b.dummy:
            for c, k in b.left_ports or []:
                port_y[(c, k, "L")] = b.y
            for c, k in b.right_ports or []:
                port_y[(c, k, "R")] = b.y
            continue
        lefts = sorted(b.left_ports or [], key=lambda p: (other_end_y(p[0], p[1], "L"), p))
        steps = [slot(c) if k == last_hop[c] else PORT_GAP for c, k in lefts]
        total = sum(steps)
        y = centre(b.id) - total / 2
        for (c, k), step in zip(lefts, steps, strict=False):
            y += step
            port_y[(c, k, "L")] = y - 4  # the port sits at the bottom of its slot, its label above

    # Right-side ports (no labels) line up with the port they lead to when the side has room:
    # a straight arrow reads better than a small jog.
    for b in boxes.values():
        if b.dummy or not b.right_ports:
            continue
        rights = sorted(b.right_ports, key=lambda p: (other_end_y(p[0], p[1], "R"), p))
        wanted = [port_y[(c, k, "L")] for c, k in rights]
        for (c, k), y in zip(rights, _spread(wanted, PORT_GAP, b.y + 8, b.y + b.height - 8), strict=False):
            port_y[(c, k, "R")] = y

    # A jog of a few px reads as a glitch: move the receiving port instead when its side has room.
    for b in boxes.values():
        if b.dummy or not b.left_ports:
            continue
        lefts = sorted(b.left_ports, key=lambda p: port_y[(p[0], p[1], "L")])
        for i, (c, k) in enumerate(lefts):
            y_from, y_to = port_y[(c, k, "R")], port_y[(c, k, "L")]
            if not 0.5 < abs(y_from - y_to) <= 8:
                continue
            below_ok = i + 1 == len(lefts) or port_y[(lefts[i + 1][0], lefts[i + 1][1], "L")] - y_from >= (
                slot(lefts[i + 1][0]) if lefts[i + 1][1] == last_hop[lefts[i + 1][0]] else PORT_GAP)
            own = slot(c) if k == last_hop[c] else PORT_GAP
            above = port_y[(lefts[i - 1][0], lefts[i - 1][1], "L")] if i else b.y
            if below_ok and y_from - above >= own and y_from <= b.y + b.height - 4:
                port_y[(c, k, "L")] = y_from

    # Hops whose ends differ by rounding only are made exactly straight, left to right along
    # each chain (a dummy carries its line through its layer at one height).
    for ch in chains:
        for k in range(len(ch.elements) - 1):
            ya, yb = port_y[(ch.index, k, "R")], port_y[(ch.index, k, "L")]
            if abs(ya - yb) <= 0.5:
                port_y[(ch.index, k, "L")] = ya
                if k + 1 < len(ch.elements) - 1:
                    port_y[(ch.index, k + 1, "R")] = ya

    # --- x: layer columns and gaps -----------------------------------------------------------
    layer_w = [max((boxes[el].width for el in column), default=0.0) for column in order]
    hops_in_gap: list[list[tuple[int, int]]] = [[] for _ in range(max(len(order) - 1, 0))]
    for ch in chains:
        for k in range(len(ch.elements) - 1):
            hops_in_gap[boxes[ch.elements[k]].layer].append((ch.index, k))
    tracks: dict[tuple[int, int], int] = {}
    gap_w = []
    for hops in hops_in_gap:
        bent = [(c, k) for c, k in hops if abs(port_y[(c, k, "R")] - port_y[(c, k, "L")]) > 0.5]
        ups = sorted((h for h in bent if port_y[(h[0], h[1], "L")] < port_y[(h[0], h[1], "R")]),
                     key=lambda h: (-port_y[(h[0], h[1], "R")], h))
        downs = sorted((h for h in bent if port_y[(h[0], h[1], "L")] > port_y[(h[0], h[1], "R")]),
                       key=lambda h: (port_y[(h[0], h[1], "R")], h))
        # Within each group the first gets the rightmost track (see the module docstring).
        for i, h in enumerate(ups[::-1]):
            tracks[h] = i
        for i, h in enumerate(downs[::-1]):
            tracks[h] = len(ups) + i
        label_w = max((labels[c].width for c, k in hops if k == last_hop[c] and c in labels), default=0.0)
        gap_w.append(max(GAP_MIN, 18 + len(bent) * TRACK_GAP + (label_w + 14 if label_w else 0) + 16))
    layer_x = []
    x = MARGIN
    for li, w in enumerate(layer_w):
        layer_x.append(x)
        x += w + (gap_w[li] if li < len(gap_w) else 0)
    width = x + MARGIN

    def left_edge(el: str) -> float:
        b = boxes[el]
        return layer_x[b.layer] + (layer_w[b.layer] - b.width) / 2

    def right_edge(el: str) -> float:
        b = boxes[el]
        return left_edge(el) + b.width if not b.dummy else layer_x[b.layer] + layer_w[b.layer]

    def dummy_left(el: str) -> float:
        return layer_x[boxes[el].layer]

    # --- routing and labels ------------------------------------------------------------------
    placed = []
    for ch in chains:
        pts: list[Point] = []
        for k, (a, b) in enumerate(zip(ch.elements, ch.elements[1:], strict=False)):
            ya, yb = port_y[(ch.index, k, "R")], port_y[(ch.index, k, "L")]
            xa = right_edge(a)
            xb = dummy_left(b) if boxes[b].dummy else left_edge(b)
            pts.append(Point(xa, ya))
            if (ch.index, k) in tracks:
                g = boxes[a].layer
                gx = layer_x[g] + layer_w[g] + 18 + tracks[(ch.index, k)] * TRACK_GAP
                pts.append(Point(gx, ya))
                pts.append(Point(gx, yb))
            pts.append(Point(xb, yb))
        label = box = None
        tb = labels.get(ch.index)
        if tb is not None:
            end = pts[-1]
            lx = end.x - 12 - tb.width / 2
            ly = end.y - 3 - tb.height / 2
            label = textfit.moved(tb, lx, ly)
            box = Rect(lx - tb.width / 2, ly - tb.height / 2, tb.width, tb.height)
        if ch.reversed:
            pts.reverse()
        placed.append(PlacedDependency(ch.dependency.source, ch.dependency.target,
                                       tuple(e.id for e in ch.dependency.edges), tuple(pts), label, box,
                                       ch.reversed))

    components = []
    height = 0.0
    for lane in lanes:
        b = boxes[lane]
        x0 = left_edge(lane)
        rect = Rect(x0, b.y, b.width, b.height)
        height = max(height, rect.bottom)
        items, title, stereo = contents[lane]
        # Content sits at the top of the box; a box taller than its content (ports) centres it.
        y = b.y + PAD + (b.height - b.content) / 2
        stereo_block = None
        if stereo is not None:
            stereo_block = textfit.moved(stereo, rect.center.x, y + stereo.height / 2)
            y += stereo.height + 2
        title_block = textfit.moved(title, rect.center.x, y + title.height / 2)
        y += title.height
        divider = None
        placed_items = []
        if items:
            y += 6
            divider = y - 2
            for node, tb in items:
                tx = x0 + PAD + ICON
                placed_items.append(ListItem(node.id, node.shape, textfit.moved(tb, tx + tb.width / 2, y + tb.height / 2 + 2),
                                             Point(x0 + PAD + 4, y + tb.height / 2 + 2)))
                y += tb.height + ITEM_GAP
        components.append(Component(lane, rect, _kind_of(diagram, lane), stereo_block, title_block, divider,
                                    tuple(placed_items)))
    for b in boxes.values():
        height = max(height, b.y + b.height)
    for dep in placed:
        for p in dep.points:
            height = max(height, p.y)
    return ArchitectureLayout(round(width, 2), round(height + MARGIN, 2), tuple(components), tuple(placed),
                              tuple(tuple(el for el in column if not el.startswith("\x00")) for column in order))


def _kind_of(diagram: Diagram, lane_id: str) -> str | None:
    lane = diagram.lane(lane_id)
    return stereotype(lane.id, lane.display_name)


def _spread(wanted: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Positions as close to ``wanted`` as possible, in order, ``gap`` apart, within [lo, hi]
    (centred when they cannot all fit)."""
    n = len(wanted)
    if n == 0:
        return []
    if (n - 1) * gap > hi - lo:
        start = (lo + hi) / 2 - (n - 1) * gap / 2
        return [start + i * gap for i in range(n)]
    blocks: list[list[float]] = []
    for i, want in enumerate(wanted):
        blocks.append([want - i * gap, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, m = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += m
    z = [b[0] / b[1] for b in blocks for _ in range(int(b[1]))]
    # Clamp the whole run into the side, keeping the gaps.
    first = min(max(z[0], lo), hi - (n - 1) * gap)
    out = []
    prev = None
    for i in range(n):
        y = max(z[i] + i * gap, first + i * gap) if prev is None else max(z[i] + i * gap, prev + gap)
        prev = min(y, hi - (n - 1 - i) * gap)
        out.append(prev)
    return out


def _pack(column: list[str], desired: list[float], boxes: dict[str, _Box],
          gap: Callable[[_Box, _Box], float]) -> None:
    """Move the column's elements as close to ``desired`` tops as their order and gaps allow.

    With ``offset_i`` the least distance from the first top to element i's top, the tops are
    ``z_i + offset_i`` for a non-decreasing ``z``: the least-squares ``z`` is an isotonic
    regression, solved exactly by pooling adjacent violators.
    """
    offsets = []
    off = 0.0
    for k, el in enumerate(column):
        if k:
            off += boxes[column[k - 1]].height + gap(boxes[column[k - 1]], boxes[el])
        offsets.append(off)
    blocks: list[list[float]] = []  # [sum, count]
    for want, off in zip(desired, offsets, strict=False):
        blocks.append([want - off, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
    k = 0
    for s, n in blocks:
        for _ in range(int(n)):
            boxes[column[k]].y = s / n + offsets[k]
            k += 1


__all__ = ["ArchitectureLayout", "Chain", "Component", "Dependency", "PlacedDependency", "layout_architecture"]
