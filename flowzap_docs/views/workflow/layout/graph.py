"""The diagram as the layout phases see it: nodes and lanes by index, edges as index pairs.

Indexes follow declaration order, so "text order breaks every tie" is simply "lower index
first".  Nothing here iterates a set or a string-keyed dict in hash order: layout must be
byte-identical from one process to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from ....model import Diagram

HORIZONTAL = ("left", "right")
VERTICAL = ("top", "bottom")


@dataclass(frozen=True)
class GEdge:
    """An edge by node index.  ``index`` is its position in the source (e1 = 0)."""

    index: int
    id: str
    source: int
    source_side: str
    target: int
    target_side: str
    label: str | None

    @property
    def is_self(self) -> bool:
        return self.source == self.target


@dataclass
class LayoutGraph:
    """Index-based view of a :class:`Diagram` shared by all phases."""

    diagram: Diagram
    node_ids: list[str]
    node_lane: list[int]
    lane_ids: list[str]
    edges: list[GEdge]

    @property
    def n(self) -> int:
        return len(self.node_ids)

    def out_edges(self) -> list[list[GEdge]]:
        result: list[list[GEdge]] = [[] for _ in range(self.n)]
        for edge in self.edges:
            result[edge.source].append(edge)
        return result


def build_graph(diagram: Diagram) -> LayoutGraph:
    """Index the diagram.  Nodes of unknown lanes go to the last lane (a parsed diagram has
    none; hand-built ones in tests might), edges naming unknown nodes are dropped."""
    lane_ids = [lane.id for lane in diagram.lanes]
    lane_index = {lane_id: i for i, lane_id in enumerate(lane_ids)}
    node_ids = [node.id for node in diagram.nodes]
    node_index = {node_id: i for i, node_id in enumerate(node_ids)}
    node_lane: list[int] = []
    for node in diagram.nodes:
        if node.lane not in lane_index:
            lane_index[node.lane] = len(lane_ids)
            lane_ids.append(node.lane)
        node_lane.append(lane_index[node.lane])
    edges: list[GEdge] = []
    for edge in diagram.edges:
        if edge.source not in node_index or edge.target not in node_index:
            continue
        source_side = edge.source_side if edge.source_side in HORIZONTAL + VERTICAL else "right"
        target_side = edge.target_side if edge.target_side in HORIZONTAL + VERTICAL else "left"
        edges.append(
            GEdge(len(edges), edge.id, node_index[edge.source], source_side, node_index[edge.target], target_side,
                  edge.label or None)
        )
    return LayoutGraph(diagram, node_ids, node_lane, lane_ids, edges)
