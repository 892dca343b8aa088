"""A diagram as JSON, in the shape of FlowZap's own graph export (plus ``loops``).

Tools that already read FlowZap's export (``lanes``, ``nodes``, ``edges``, ``stats``) can read
ours; ``loops`` is added because the model has them.  The values we choose:

* ``lanes[].type`` is always ``"swimlane"`` (FlowZap Code has one kind of lane);
  ``lanes[].label`` is the display name (the id when the lane has none).
* ``nodes[].shape`` is the shape as written; ``nodes[].kind`` says what the node *is* in
  the process: ``"start"`` (a circle no edge enters), ``"end"`` (a circle no edge leaves),
  ``"event"`` (any other circle), ``"step"`` (rectangle), ``"decision"`` (diamond),
  ``"task"`` (taskbox).
* ``nodes[].properties`` holds ``owner``, ``description`` and ``system`` when given, a
  taskbox's ``title`` and ``subItems``, and ``translations`` (``{"label": {"fr": "..."}}``)
  when inline translations exist.
* ``edges[].label`` is ``null`` when the edge has none; ``sourceHandle``/``targetHandle`` are
  the sides (``left``, ``right``, ``top``, ``bottom``); ``edges[].translations`` appears only
  when the edge has inline translations.
* ``stats`` counts lanes, nodes, edges, loops and cross-lane edges.

Key order is fixed, so the same diagram always exports to the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Diagram, Node, Translation

EXPORT_FORMAT = 1


def _translations(items: tuple[Translation, ...]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for t in items:
        out.setdefault(t.field, {})[t.lang] = t.text
    return out


def _kind(node: Node, entered: set[str], left: set[str]) -> str:
    if node.shape == "circle":
        if node.id not in entered and node.id in left:
            return "start"
        if node.id not in left and node.id in entered:
            return "end"
        return "event"
    return {"rectangle": "step", "diamond": "decision", "taskbox": "task"}.get(node.shape, "step")


def _properties(node: Node) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key in ("owner", "description", "system"):
        value = getattr(node, key)
        if value is not None:
            props[key] = value
    if node.shape == "taskbox":
        props["title"] = node.title
        props["subItems"] = list(node.sub_items)
    if node.translations:
        props["translations"] = _translations(node.translations)
    return props


def export_json(diagram: Diagram) -> dict[str, Any]:
    """The diagram as a JSON-ready dict (see the module docstring for every field)."""
    entered = {e.target for e in diagram.edges}
    left = {e.source for e in diagram.edges}
    lane_of = {n.id: n.lane for n in diagram.nodes}
    edges = []
    cross = 0
    for e in diagram.edges:
        from_lane, to_lane = lane_of.get(e.source), lane_of.get(e.target)
        cross += from_lane != to_lane
        item: dict[str, Any] = {
            "id": e.id, "from": e.source, "to": e.target, "fromLane": from_lane, "toLane": to_lane,
            "label": e.label, "sourceHandle": e.source_side, "targetHandle": e.target_side,
        }
        if e.translations:
            item["translations"] = _translations(e.translations)
        edges.append(item)
    return {
        "format": EXPORT_FORMAT,
        "lanes": [{"id": ln.id, "label": ln.display_name, "type": "swimlane"} for ln in diagram.lanes],
        "nodes": [
            {"id": n.id, "laneId": n.lane, "label": n.label, "kind": _kind(n, entered, left), "shape": n.shape,
             "properties": _properties(n)}
            for n in diagram.nodes
        ],
        "edges": edges,
        "loops": [{"condition": lp.condition, "nodes": list(lp.nodes), "laneId": lp.lane} for lp in diagram.loops],
        "stats": {
            "lanes": len(diagram.lanes), "nodes": len(diagram.nodes), "edges": len(diagram.edges),
            "loops": len(diagram.loops), "crossLaneEdges": cross,
        },
    }


def export_text(diagram: Diagram, indent: int | None = 2) -> str:
    """:func:`export_json` serialised (UTF-8 text kept as is, not ``\\u`` escaped)."""
    return json.dumps(export_json(diagram), indent=indent, ensure_ascii=False) + "\n"
