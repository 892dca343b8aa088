"""Handles: where on its named side each edge end attaches.

Several ends on one side spread evenly along it, ordered by where their other end lies (the
end going highest takes the top slot of a ``right`` side, the one going furthest left the left
slot of a ``bottom`` side), which is what keeps fans of edges from crossing each other right at
the node.  Circles and diamonds attach at the middle of a side (the vertex of a diamond, the
tangent point of a circle); several ends there are spread only slightly round that point.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import LayoutGraph

#: Spread of several ends round the middle of a circle's or diamond's side.
POINT_SPREAD = 10.0


@dataclass(frozen=True)
class Port:
    """Edge end ``key`` (2 * edge index, +1 for the target end) on ``side`` of ``node``.

    ``fraction`` is the relative position along the side (0 = top/left end); ``offset`` is added
    in px (used for circles and diamonds)."""

    key: int
    node: int
    side: str
    fraction: float
    offset: float = 0.0


def assign_ports(graph: LayoutGraph, column: list[int], global_row: list[int]) -> list[Port]:
    """One :class:`Port` per edge end, indexed by key (``2*i`` source, ``2*i+1`` target)."""
    groups: dict[tuple[int, str], list[tuple[tuple[int, int, int], int]]] = {}
    for edge in graph.edges:
        for is_target in (0, 1):
            node = edge.target if is_target else edge.source
            side = edge.target_side if is_target else edge.source_side
            other = edge.source if is_target else edge.target
            if side in ("left", "right"):
                sort_key = (global_row[other], column[other] if side == "right" else -column[other], edge.index)
            else:
                sort_key = (column[other], global_row[other] if side == "top" else -global_row[other], edge.index)
            groups.setdefault((node, side), []).append((sort_key, 2 * edge.index + is_target))
    ports: list[Port | None] = [None] * (2 * len(graph.edges))
    shapes = [node.shape for node in graph.diagram.nodes]
    for (node, side), ends in groups.items():
        ends.sort()
        count = len(ends)
        for slot, (_key, key) in enumerate(ends):
            if shapes[node] in ("circle", "diamond"):
                spread = min(POINT_SPREAD * (count - 1), 24.0)
                offset = -spread / 2 + (spread * slot / (count - 1) if count > 1 else 0.0)
                ports[key] = Port(key, node, side, 0.5, offset)
            else:
                ports[key] = Port(key, node, side, (slot + 1) / (count + 1))
    return [port for port in ports if port is not None]


def port_point(port: Port, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """The handle's coordinates on a node box ``(x, y, width, height)``."""
    x, y, w, h = box
    if port.side == "left":
        return (x, round(y + h * port.fraction + port.offset, 2))
    if port.side == "right":
        return (x + w, round(y + h * port.fraction + port.offset, 2))
    if port.side == "top":
        return (round(x + w * port.fraction + port.offset, 2), y)
    return (round(x + w * port.fraction + port.offset, 2), y + h)
