"""Phase 4: coordinates.  Columns, lanes and rows become x and y.

Every column is as wide as its widest node footprint and every row as tall as its tallest;
nodes are centred in their cell, so a node's position relative to its column and row never
changes when a gap grows.  That is what lets routing plan on a first placement and then widen
the gaps its tracks and labels need (``column_gaps``, ``row_gaps``) without re-planning.

Gaps therefore start at the least that reads well (:func:`base_gaps`: a short arrow between
columns and rows, a margin at the outer edges) and only the gaps something runs along or sits
in grow: width goes where a connector track, a bend or a label needs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .sizing import NodeSize, WrappedText

#: Gap between two columns before anything asks for more: room for a straight arrow.
COLUMN_GAP = 28.0
#: Gap before the first column and after the last: a margin, unless a connector runs there.
EDGE_GAP = 20.0
ROW_GAP = 28.0
LANE_PADDING = 20.0
EMPTY_ROW = 44.0
HEADER_PADDING = 12.0


@dataclass
class Grid:
    """The abstract grid: which column/lane/row each node is in, and the sizes of cells."""

    column: list[int]
    lane: list[int]
    row: list[int]
    sizes: list[NodeSize]
    n_columns: int
    n_lanes: int
    rows_per_lane: list[int]
    column_width: list[float] = field(default_factory=list)
    row_height: list[list[float]] = field(default_factory=list)
    #: distance from a row's top to its axis, the line every box centre in the row sits on
    row_axis: list[list[float]] = field(default_factory=list)
    cells: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (lane, row, column) -> node

    @classmethod
    def build(cls, column: list[int], lane: list[int], row: list[int], sizes: list[NodeSize], n_lanes: int) -> Grid:
        n_columns = max(column, default=-1) + 1
        rows_per_lane = [1] * n_lanes
        for i in range(len(column)):
            rows_per_lane[lane[i]] = max(rows_per_lane[lane[i]], row[i] + 1)
        grid = cls(column, lane, row, sizes, n_columns, n_lanes, rows_per_lane)
        grid.column_width = [0.0] * n_columns
        ascent = [[0.0] * rows_per_lane[k] for k in range(n_lanes)]
        descent = [[0.0] * rows_per_lane[k] for k in range(n_lanes)]
        for i in range(len(column)):
            size = sizes[i]
            grid.column_width[column[i]] = max(grid.column_width[column[i]], size.footprint_width)
            k, r = lane[i], row[i]
            # Boxes share the row's axis (so connectors between them run straight); an outside
            # circle label hangs above or below its circle and the row makes room for it.
            ascent[k][r] = max(ascent[k][r], size.height / 2 + size.above)
            descent[k][r] = max(descent[k][r], size.height / 2 + size.below)
            grid.cells[(k, r, column[i])] = i
        grid.row_height = [[a + d if a + d else EMPTY_ROW for a, d in zip(ascents, descents, strict=True)]
                           for ascents, descents in zip(ascent, descent, strict=True)]
        grid.row_axis = [[a if a else EMPTY_ROW / 2 for a in ascents] for ascents in ascent]
        return grid


@dataclass
class Placement:
    """Coordinates for one choice of gaps.  ``column_gaps[c]`` is the gap before column ``c``
    (``column_gaps[n_columns]`` after the last); ``row_gaps[lane][r]`` the gap above row ``r``
    of that lane (``row_gaps[lane][rows]`` below the last row, the lane's bottom padding)."""

    header_width: float
    column_x: list[float]
    gap_x: list[float]  # left edge of each column gap
    lane_y: list[float]
    lane_height: list[float]
    row_y: list[list[float]]
    gap_y: list[list[float]]  # top edge of each row gap
    width: float
    height: float
    boxes: list[tuple[float, float, float, float]]  # x, y, width, height of each node's box
    column_gaps: list[float] = field(default_factory=list)  # the gap widths used (whole px)
    row_gaps: list[list[float]] = field(default_factory=list)


def base_gaps(grid: Grid) -> tuple[list[float], list[list[float]]]:
    """The least gaps, before routing and labels widen the ones something runs along or sits
    in: a straight arrow between columns and rows, a margin at the outer edges."""
    column_gaps = [EDGE_GAP] + [COLUMN_GAP] * (grid.n_columns - 1) + [EDGE_GAP]
    row_gaps = [[LANE_PADDING] + [ROW_GAP] * (rows - 1) + [LANE_PADDING] for rows in grid.rows_per_lane]
    return column_gaps, row_gaps


def header_width(titles: list[WrappedText]) -> float:
    """The header column is as wide as the widest wrapped lane title, plus padding."""
    widest = max((block.width for block in titles), default=0.0)
    return max(56.0, widest + 2 * HEADER_PADDING)


def place(grid: Grid, column_gaps: list[float], row_gaps: list[list[float]], header: float,
          lane_min_height: list[float]) -> Placement:
    """Coordinates of every column, row, lane and node box for these gaps."""
    column_x: list[float] = []
    gap_x: list[float] = []
    column_gaps = [float(math.ceil(g)) for g in column_gaps]
    row_gaps = [[float(math.ceil(g)) for g in gaps] for gaps in row_gaps]
    x = float(math.ceil(header))
    for c in range(grid.n_columns):
        gap_x.append(x)
        x += column_gaps[c]
        column_x.append(x)
        x += grid.column_width[c]
    gap_x.append(x)
    width = x + column_gaps[grid.n_columns]
    lane_y: list[float] = []
    lane_height: list[float] = []
    row_y: list[list[float]] = []
    gap_y: list[list[float]] = []
    y = 0.0
    for k in range(grid.n_lanes):
        lane_y.append(y)
        rows: list[float] = []
        gaps: list[float] = []
        inner = y
        for r, height in enumerate(grid.row_height[k]):
            gaps.append(inner)
            inner += row_gaps[k][r]
            rows.append(inner)
            inner += height
        gaps.append(inner)
        inner += row_gaps[k][len(grid.row_height[k])]
        height = max(inner - y, float(math.ceil(lane_min_height[k])))
        row_y.append(rows)
        gap_y.append(gaps)
        lane_height.append(height)
        y += height
    boxes: list[tuple[float, float, float, float]] = []
    for i, size in enumerate(grid.sizes):
        c, k, r = grid.column[i], grid.lane[i], grid.row[i]
        cx = column_x[c] + grid.column_width[c] / 2
        top = row_y[k][r] + grid.row_axis[k][r] - size.height / 2
        boxes.append((cx - size.width / 2, top, size.width, size.height))
    return Placement(header, column_x, gap_x, lane_y, lane_height, row_y, gap_y, width, y, boxes, column_gaps,
                     row_gaps)
