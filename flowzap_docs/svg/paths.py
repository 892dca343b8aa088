"""Orthogonal connectors with rounded corners, as compact SVG path data.

Each bend becomes a quadratic curve whose control point is the corner itself, so the line
keeps its direction into and out of the bend (the arrowhead's ``orient="auto"`` then always
follows the last segment).  The radius is clipped to half the shorter adjacent segment, so two
bends close together never overlap and a short stub stays straight where it meets its node.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..layout.geometry import Point
from .document import num

RADIUS = 8.0


def simplify(points: Sequence[Point]) -> list[tuple[float, float]]:
    """Drop repeated points and the middle point of straight runs (they draw nothing)."""
    out: list[tuple[float, float]] = []
    for p in points:
        q = (p.x, p.y)
        if out and abs(out[-1][0] - q[0]) < 0.05 and abs(out[-1][1] - q[1]) < 0.05:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            cross = (bx - ax) * (q[1] - by) - (by - ay) * (q[0] - bx)
            dot = (bx - ax) * (q[0] - bx) + (by - ay) * (q[1] - by)
            if abs(cross) < 0.01 and dot > 0:
                out[-1] = q
                continue
        out.append(q)
    return out


def _line(x0: str, y0: str, x1: str, y1: str) -> str:
    if y0 == y1:
        return "" if x0 == x1 else f"H{x1}"
    if x0 == x1:
        return f"V{y1}"
    return f"L{x1} {y1}"


def rounded_path(points: Sequence[Point], radius: float = RADIUS) -> str:
    """``M..H..Q..V..`` path data through ``points`` with rounded bends."""
    pts = simplify(points)
    if not pts:
        return ""
    if len(pts) == 1:
        x, y = num(pts[0][0]), num(pts[0][1])
        return f"M{x} {y}"
    cx, cy = num(pts[0][0]), num(pts[0][1])
    parts = [f"M{cx} {cy}"]
    for i in range(1, len(pts) - 1):
        (ax, ay), (bx, by), (nx, ny) = pts[i - 1], pts[i], pts[i + 1]
        len_in = math.hypot(bx - ax, by - ay)
        len_out = math.hypot(nx - bx, ny - by)
        r = min(radius, len_in / 2, len_out / 2)
        sx, sy = bx - (bx - ax) / len_in * r, by - (by - ay) / len_in * r
        ex, ey = bx + (nx - bx) / len_out * r, by + (ny - by) / len_out * r
        sxs, sys_ = num(sx), num(sy)
        parts.append(_line(cx, cy, sxs, sys_))
        cx, cy = num(ex), num(ey)
        parts.append(f"Q{num(bx)} {num(by)} {cx} {cy}")
    parts.append(_line(cx, cy, num(pts[-1][0]), num(pts[-1][1])))
    return "".join(parts)
