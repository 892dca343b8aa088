"""The workflow layout engine: layered phases, one module each (see ``../shared/LAYOUT.md``).

``layout_workflow(diagram)`` runs them in order::

    sizing     node boxes from wrapped, measured text (labels as narrow as reads well)
    cycles     column constraints from the handles, cycles broken in text order
    columns    columns shared by all lanes (longest path); box labels then fill their column
    ordering   rows inside lanes
    ports      where each edge end sits on its side
    placement  coordinates (re-run when gaps grow)
    routing    orthogonal routes along the node-free corridors; tracks per corridor
    labels     edge labels on free stretches of their connectors
    loops      dashed frames

Everything is deterministic: indexes follow text order and no phase iterates a hash-ordered set.
"""

from __future__ import annotations

import gc
from itertools import starmap

from ....layout.geometry import Point, Rect
from ....model import Diagram, Loop
from ..geometry import LaneBand, PlacedNode, RoutedEdge, WorkflowLayout
from .columns import assign_columns, clear_drops
from .cycles import acyclic_arcs
from .graph import LayoutGraph, build_graph
from .labels import ARROW_ROOM, CLEARANCE, LABEL_PAD_X, LABEL_PAD_Y, place_labels
from .loops import LOOP_BOTTOM_ROOM, caption_room, frame_loops
from .metrics import count_crossings
from .obstacles import Box, ObstacleIndex, footprint
from .ordering import assign_rows
from .placement import HEADER_PADDING, Grid, Placement, base_gaps, header_width, place
from .ports import Port, assign_ports, reorder_ports, snap_ports
from .routing import Corridors, Planner, Route, realise
from .sizing import (
    EDGE_FONT,
    EDGE_TEXT_WIDTH,
    WrappedText,
    fill_columns,
    lane_title,
    moved,
    size_node,
    text_block,
)
from .tracks import TRACK_SPACING, assign_tracks

__all__ = ["layout_workflow"]

LABEL_ROUNDS = 5


def _side_counts(graph: LayoutGraph) -> list[dict[str, int]]:
    counts: list[dict[str, int]] = [{} for _ in range(graph.n)]
    for edge in graph.edges:
        for node, side in ((edge.source, edge.source_side), (edge.target, edge.target_side)):
            counts[node][side] = counts[node].get(side, 0) + 1
    return counts


def _global_rows(grid: Grid) -> list[int]:
    offset = [0] * grid.n_lanes
    total = 0
    for lane in range(grid.n_lanes):
        offset[lane] = total
        total += grid.rows_per_lane[lane]
    return [offset[grid.lane[i]] + grid.row[i] for i in range(len(grid.row))]


def layout_workflow(diagram: Diagram) -> WorkflowLayout:
    """Place every lane, node, edge, label and loop of ``diagram``.

    The cyclic garbage collector is paused meanwhile: layout allocates many small objects and
    no reference cycles, and full collections over a large heap made big diagrams grow faster
    than linearly.  It is switched back on even if something goes wrong.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _layout(diagram)
    finally:
        if enabled:
            gc.enable()


def _layout(diagram: Diagram) -> WorkflowLayout:
    graph = build_graph(diagram)
    n_lanes = len(graph.lane_ids)
    if n_lanes == 0:
        return WorkflowLayout(width=120.0, height=40.0, lanes=(), nodes=(), edges=())
    counts = _side_counts(graph)
    sizes = [size_node(node, counts[i]) for i, node in enumerate(diagram.nodes)]
    arcs = acyclic_arcs(graph)
    column = assign_columns(graph.n, arcs, graph.node_lane)
    extra = clear_drops(graph.n, arcs, graph.node_lane, column)
    if extra:  # move nodes out of straight drops between lanes, then solve again
        arcs = arcs + extra
        column = assign_columns(graph.n, arcs, graph.node_lane)
    sizes = fill_columns(diagram.nodes, sizes, column, counts)
    row = assign_rows(graph, column)
    grid = Grid.build(column, graph.node_lane, row, sizes, n_lanes)
    ports = assign_ports(graph, column, _global_rows(grid), [size.width for size in sizes])

    titles = []
    for lane_id in graph.lane_ids:
        try:
            titles.append(diagram.lane(lane_id).display_name)
        except KeyError:
            titles.append(lane_id)
    title_blocks = [lane_title(t) for t in titles]
    header = header_width(title_blocks)
    lane_min = [block.height + 2 * HEADER_PADDING for block in title_blocks]

    column_gaps, row_gaps = base_gaps(grid)
    index_of = {node_id: i for i, node_id in enumerate(graph.node_ids)}
    loop_members: list[list[int]] = []
    for loop in diagram.loops:
        members = [index_of[m] for m in loop.nodes if m in index_of]
        loop_members.append(members)
        if members:
            top = min(members, key=lambda i: (graph.node_lane[i], row[i]))
            lane, r = graph.node_lane[top], row[top]
            row_gaps[lane][r] = max(row_gaps[lane][r], caption_room(loop))
            bottom = max(members, key=lambda i: (graph.node_lane[i], row[i]))
            lane, r = graph.node_lane[bottom], row[bottom]
            row_gaps[lane][r + 1] = max(row_gaps[lane][r + 1], LOOP_BOTTOM_ROOM)

    first = place(grid, column_gaps, row_gaps, header, lane_min)
    planner = Planner(grid, first, ports, column_gaps, row_gaps)
    routes = [planner.plan(edge) for edge in graph.edges]
    # second pass: order the ends along each side by where the routes turn, then re-plan;
    # third: put an end straight across from its partner when that makes the connector straight
    first_points = [planner.realised(route) for route in routes]
    score = (count_crossings(first_points), sum(len(route.refs) for route in routes))
    for step in ("reorder", "snap boxes", "snap round shapes"):
        if step == "reorder":
            candidate = reorder_ports(ports, first_points)
        else:
            candidate = snap_ports(ports, graph, grid, round_shapes=step == "snap round shapes")
        if candidate != ports:
            trial = _retry_ports(graph, grid, first, ports, candidate, routes, first_points, column_gaps, row_gaps,
                                 planner.index)
            if trial[-1] < score:
                ports, planner, routes, first_points, score = trial
    track_count = assign_tracks(routes, ports, first.boxes, planner.corridors)
    for key, count in track_count.items():
        need = (count + 1) * TRACK_SPACING
        if key[0] == "v":
            column_gaps[key[1]] = max(column_gaps[key[1]], need)
        else:
            row_gaps[key[1]][key[2]] = max(row_gaps[key[1]][key[2]], need)

    # Edge labels repeat ("Yes", "No", ...): each text is wrapped once (blocks are immutable).
    wrapped: dict[str, WrappedText] = {}
    label_blocks: dict[int, WrappedText] = {}
    for edge in graph.edges:
        if edge.label:
            block = wrapped.get(edge.label)
            if block is None:
                block = wrapped[edge.label] = text_block(edge.label, EDGE_TEXT_WIDTH, EDGE_FONT, max_lines=3,
                                                         role="edge")
            label_blocks[edge.index] = block
    _reserve_label_room(routes, label_blocks, grid, column_gaps, row_gaps)
    for _round in range(LABEL_ROUNDS):
        placement = place(grid, column_gaps, row_gaps, header, lane_min)
        corridors = Corridors(placement, column_gaps, row_gaps, track_count)
        points = [realise(route, ports, placement.boxes, corridors) for route in routes]
        node_boxes = [footprint(grid, placement, i) for i in range(graph.n)]
        labelled = [(e, block, points[e]) for e, block in label_blocks.items()]
        last_round = _round == LABEL_ROUNDS - 1
        labels, misses = place_labels(labelled, node_boxes, points, header, force=last_round,
                                      strict_lines=_round == 0)
        if not misses or _round == LABEL_ROUNDS - 1:
            break
        for miss in misses:
            _make_room(miss.center, miss.width, miss.height, placement, grid, column_gaps, row_gaps)

    return _assemble(diagram, graph, grid, placement, routes, points, labels, title_blocks, loop_members)


def _retry_ports(graph: LayoutGraph, grid: Grid, first: Placement, old: list[Port], candidate: list[Port],
                 routes: list[Route], points: list[list[tuple[float, float]]], column_gaps: list[float],
                 row_gaps: list[list[float]], index: ObstacleIndex) -> tuple:
    """Re-plan the edges whose handles moved.  Returns (ports, planner, routes, points,
    score); the caller keeps them only if the score (crossings, then bends) is lower."""
    planner = Planner(grid, first, candidate, column_gaps, row_gaps, index)
    moved = {key // 2 for key in range(len(candidate)) if candidate[key] != old[key]}
    new_routes = [planner.plan(edge) if edge.index in moved else routes[edge.index] for edge in graph.edges]
    new_points = [planner.realised(route) if route.edge.index in moved
                  else points[route.edge.index] for route in new_routes]
    # bends by route shape (one per reference), not by the simplified first-placement points:
    # those can merge corners that the final tracks pull apart again
    score = (count_crossings(new_points), sum(len(route.refs) for route in new_routes))
    return candidate, planner, new_routes, new_points, score


def _reserve_label_room(routes: list[Route], blocks: dict[int, WrappedText], grid: Grid, column_gaps: list[float],
                        row_gaps: list[list[float]]) -> None:
    """Make the gaps where labels will most likely go big enough before the first placement
    (saves a second label round in most diagrams): a straight connector between neighbouring
    columns carries its label in that column gap; one running along a corridor, in that
    corridor."""
    pad = 2 * (CLEARANCE + ARROW_ROOM) + 2
    for route in routes:
        block = blocks.get(route.edge.index)
        if block is None:
            continue
        width, height = block.width + 2 * LABEL_PAD_X, block.height + 2 * LABEL_PAD_Y
        corridor = next((ref for ref in route.refs if ref[0] == "h"), None)
        corridor = corridor or next((ref for ref in route.refs if ref[0] == "v"), None)
        if corridor is None:
            s, t = route.edge.source, route.edge.target
            if route.first_axis == "h" and abs(grid.column[s] - grid.column[t]) == 1:
                g = max(grid.column[s], grid.column[t])
                column_gaps[g] = max(column_gaps[g], width + pad)
            elif route.first_axis == "v":
                gaps = _gaps_between_rows(grid, s, t)
                for lane, g in gaps:  # the label straddles them: each takes its share
                    row_gaps[lane][g] = max(row_gaps[lane][g], (height + pad) / len(gaps))
        elif corridor[0] == "h":
            row_gaps[corridor[1]][corridor[2]] = max(row_gaps[corridor[1]][corridor[2]], height + pad)


def _gaps_between_rows(grid: Grid, s: int, t: int) -> list[tuple[int, int]]:
    """The row gaps a straight vertical connector between ``s`` and ``t`` crosses, as (lane,
    gap), when its rows are next to each other (in one lane, or the last row of one lane and
    the first of the next); else none (it then spans whole lanes, room enough)."""
    (lane_a, row_a), (lane_b, row_b) = sorted(((grid.lane[s], grid.row[s]), (grid.lane[t], grid.row[t])))
    if lane_a == lane_b:
        return [(lane_a, row_b)] if row_b == row_a + 1 else []
    if lane_b == lane_a + 1 and row_a == grid.rows_per_lane[lane_a] - 1 and row_b == 0:
        return [(lane_a, row_a + 1), (lane_b, 0)]
    return []


def _make_room(center: tuple[float, float], width: float, height: float, placement: Placement, grid: Grid,
               column_gaps: list[float], row_gaps: list[list[float]]) -> None:
    """Grow the gap a label's best spot lies in, so the label fits there next round (each
    round grows it again: what blocks the spot is not always known in advance)."""
    cx, cy = center
    need_x = width + 2 * (CLEARANCE + ARROW_ROOM) + 8
    need_y = height + 2 * (CLEARANCE + ARROW_ROOM) + 8
    for g, left in enumerate(placement.gap_x):
        if left <= cx <= left + column_gaps[g]:
            column_gaps[g] = max(column_gaps[g] + width + 2 * CLEARANCE + 8, need_x)
            return
    for lane in range(grid.n_lanes):
        for g, top in enumerate(placement.gap_y[lane]):
            if top <= cy <= top + row_gaps[lane][g]:
                row_gaps[lane][g] = max(row_gaps[lane][g] + height + 2 * CLEARANCE + 8, need_y)
                return
    # Inside a cell (a short stub): widen the column gap nearest the spot.
    nearest = min(range(len(placement.gap_x)), key=lambda g: abs(placement.gap_x[g] + column_gaps[g] / 2 - cx))
    column_gaps[nearest] = max(column_gaps[nearest] + width + 2 * CLEARANCE + 8, need_x)


def _loop_contents(diagram: Diagram, graph: LayoutGraph, grid: Grid, placement: Placement,
                   points: list[list[tuple[float, float]]], labels: dict,
                   loop_members: list[list[int]]) -> list[tuple[int, Loop, list[Box]]]:
    """What each loop frame must enclose: its nodes, plus the connectors (and their labels)
    running between two of its nodes, such as the ``Retry`` edge back to the loop's start."""
    result = []
    for k, loop in enumerate(diagram.loops):
        members = loop_members[k]
        inside = set(members)
        boxes = [footprint(grid, placement, i) for i in members]
        for edge in graph.edges:
            if edge.source in inside and edge.target in inside:
                route = points[edge.index]
                boxes.append((min(p[0] for p in route), min(p[1] for p in route),
                              max(p[0] for p in route), max(p[1] for p in route)))
                if edge.index in labels:
                    rect = labels[edge.index][1]
                    boxes.append((rect.x, rect.y, rect.right, rect.bottom))
        result.append((k, loop, boxes))
    return result


def _assemble(diagram: Diagram, graph: LayoutGraph, grid: Grid, placement: Placement, routes: list[Route],
              points: list[list[tuple[float, float]]], labels: dict, title_blocks: list[WrappedText],
              loop_members: list[list[int]]) -> WorkflowLayout:
    width = round(placement.width, 2)
    # Whole routes are rounded together at the very end: equal coordinates stay equal.
    points = [[(round(px, 2), round(py, 2)) for px, py in route] for route in points]
    lanes = []
    for k, lane_id in enumerate(graph.lane_ids):
        y, h = placement.lane_y[k], placement.lane_height[k]
        block = moved(title_blocks[k], placement.header_width / 2, y + h / 2)
        lanes.append(LaneBand(lane_id, Rect(0.0, round(y, 2), width, round(h, 2)),
                              Rect(0.0, round(y, 2), round(placement.header_width, 2), round(h, 2)), block))
    nodes = []
    for i, node in enumerate(diagram.nodes):
        x, y, w, h = placement.boxes[i]
        texts = tuple(moved(t, x + tx, y + ty) for t, tx, ty in grid.sizes[i].texts)
        nodes.append(PlacedNode(node.id, node.lane, node.shape, Rect(round(x, 2), round(y, 2), w, h), texts))
    edges = []
    for route in routes:
        edge = route.edge
        label, box = labels.get(edge.index, (None, None))
        edges.append(RoutedEdge(
            edge.id, graph.node_ids[edge.source], graph.node_ids[edge.target], edge.source_side,
            edge.target_side, tuple(starmap(Point, points[edge.index])), label, box,
        ))
    frames: list = []
    if diagram.loops:
        blockers = [footprint(grid, placement, i) for i in range(graph.n)]
        blockers += [(rect.x, rect.y, rect.right, rect.bottom) for _block, rect in labels.values()]
        frames = frame_loops(_loop_contents(diagram, graph, grid, placement, points, labels, loop_members), points,
                             blockers)
    return WorkflowLayout(width, round(placement.height, 2), tuple(lanes), tuple(nodes), tuple(edges), tuple(frames))
