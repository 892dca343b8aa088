"""Fast "does this segment hit a node?" on the layout grid, and a spatial hash for the rest.

Nodes sit in cells (lane, row, column), rows and columns are sorted bands, so a horizontal
segment can only hit nodes of the one row band it lies in, and a vertical one only nodes of
its column: a check costs the number of cells spanned, not the number of nodes.  That keeps
routing near-linear on 1,600-node diagrams.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .placement import Grid, Placement

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
MARGIN = 4.0


def footprint(grid: Grid, placement: Placement, node: int) -> Box:
    """The node's box plus its outside label (circles), as x0, y0, x1, y1."""
    x, y, w, h = placement.boxes[node]
    size = grid.sizes[node]
    extra = (size.footprint_width - w) / 2
    return (x - extra, y - size.above, x + w + extra, y + h + size.below)


class ObstacleIndex:
    """Node footprints indexed by column and by global row band."""

    def __init__(self, grid: Grid, placement: Placement) -> None:
        self.grid = grid
        self.boxes = [footprint(grid, placement, i) for i in range(len(grid.sizes))]
        self.shapes: list[Box] = []
        self.labels: list[Box | None] = []
        for i, size in enumerate(grid.sizes):
            x, y, w, h = placement.boxes[i]
            self.shapes.append((x, y, x + w, y + h))
            if size.above or size.below:
                fx0, fy0, fx1, fy1 = self.boxes[i]
                self.labels.append((fx0, fy0, fx1, y) if size.above else (fx0, y + h, fx1, fy1))
            else:
                self.labels.append(None)
        self.column_left = list(placement.column_x)
        self.column_right = [placement.column_x[c] + grid.column_width[c] for c in range(grid.n_columns)]
        self.band_top: list[float] = []
        self.band_bottom: list[float] = []
        self.band_cell: list[tuple[int, int]] = []
        for lane in range(grid.n_lanes):
            for row, top in enumerate(placement.row_y[lane]):
                self.band_top.append(top)
                self.band_bottom.append(top + grid.row_height[lane][row])
                self.band_cell.append((lane, row))
        # column -> nodes in it, in band order (for vertical segments)
        self.by_column: list[list[int]] = [[] for _ in range(grid.n_columns)]
        band_of = {cell: b for b, cell in enumerate(self.band_cell)}
        order = sorted(range(len(grid.sizes)), key=lambda i: (band_of[(grid.lane[i], grid.row[i])], i))
        for i in order:
            self.by_column[grid.column[i]].append(i)
        self.column_band_top: list[list[float]] = [[self.boxes[i][1] for i in nodes] for nodes in self.by_column]

    def _hit(self, node: int, x0: float, y0: float, x1: float, y1: float, ends: tuple[int, int]) -> bool:
        shape = self.shapes[node]
        margin = -0.5 if node in ends else MARGIN
        if x0 < shape[2] + margin and x1 > shape[0] - margin and y0 < shape[3] + margin and y1 > shape[1] - margin:
            return True
        label = self.labels[node]  # a circle's outside label: never touched, not even by its own edges
        return label is not None and (x0 < label[2] + MARGIN and x1 > label[0] - MARGIN
                                      and y0 < label[3] + MARGIN and y1 > label[1] - MARGIN)

    def blocked(self, p: tuple[float, float], q: tuple[float, float], ends: tuple[int, int]) -> bool:
        """True if the axis-parallel segment p-q passes through (or within MARGIN px of) a node
        other than touching the two end nodes' own sides."""
        x0, x1 = (p[0], q[0]) if p[0] <= q[0] else (q[0], p[0])
        y0, y1 = (p[1], q[1]) if p[1] <= q[1] else (q[1], p[1])
        if y0 == y1:
            first = bisect_right(self.band_bottom, y0 - MARGIN)
            last = bisect_left(self.band_top, y0 + MARGIN)
            c0 = bisect_right(self.column_right, x0 - MARGIN)
            c1 = bisect_left(self.column_left, x1 + MARGIN)
            for b in range(first, last):
                lane, row = self.band_cell[b]
                for c in range(c0, c1):
                    node = self.grid.cells.get((lane, row, c))
                    if node is not None and self._hit(node, x0, y0, x1, y1, ends):
                        return True
            return False
        c0 = bisect_right(self.column_right, x0 - MARGIN)
        c1 = bisect_left(self.column_left, x1 + MARGIN)
        for c in range(c0, c1):
            nodes = self.by_column[c]
            tops = self.column_band_top[c]
            # boxes in one column are ordered top to bottom and do not overlap
            start = max(0, bisect_right(tops, y0) - 2)
            for k in range(start, len(nodes)):
                node = nodes[k]
                if self.boxes[node][1] > y1 + MARGIN:
                    break
                if self._hit(node, x0, y0, x1, y1, ends):
                    return True
        return False


class SpatialHash:
    """Rectangles bucketed on a coarse grid; queries return candidates in insertion order.

    Up to :attr:`SMALL` rectangles are not bucketed at all: a typical diagram places a few
    dozen, and scanning them all is cheaper than hashing every query's cells.  Past that (big
    diagrams) the buckets keep each query near-constant."""

    SMALL = 48

    def __init__(self, cell: float = 128.0) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[int]] | None = None
        self.items: list[tuple[Box, object]] = []
        self.boxes: list[Box] = []  # the items' rectangles, for the unbucketed scan

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self.cell
        return [(i, j) for i in range(int(box[0] // c), int(box[2] // c) + 1)
                for j in range(int(box[1] // c), int(box[3] // c) + 1)]

    def _bucket(self, index: int) -> None:
        assert self.buckets is not None
        for key in self._keys(self.items[index][0]):
            self.buckets.setdefault(key, []).append(index)

    def insert(self, box: Box, item: object) -> None:
        self.items.append((box, item))
        self.boxes.append(box)
        if self.buckets is not None:
            self._bucket(len(self.items) - 1)
        elif len(self.items) > self.SMALL:
            self.buckets = {}
            for index in range(len(self.items)):
                self._bucket(index)

    def query(self, box: Box) -> list[tuple[Box, object]]:
        if self.buckets is None:
            return list(self.items)
        found: list[int] = []
        for key in self._keys(box):
            found.extend(self.buckets.get(key, ()))
        return [self.items[i] for i in sorted(set(found))]

    def hits(self, box: Box) -> bool:
        """Whether a stored rectangle overlaps ``box`` (sharing only an edge is not overlapping)."""
        x0, y0, x1, y1 = box
        near = self.boxes if self.buckets is None else [other for other, _item in self.query(box)]
        for a0, b0, a1, b1 in near:
            if x0 < a1 and x1 > a0 and y0 < b1 and y1 > b0:
                return True
        return False
