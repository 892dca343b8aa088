"""The same graph as a FlowZap diagram, in Graphviz DOT: one cluster per lane, the same nodes,
shapes, labels and edge labels.  The yardstick for size and speed.

Kept plain on purpose (no ``style=rounded``, no ``:port`` sides): those make Graphviz's SVG
bigger and slower, and the comparison should be against its leanest output (~15 KB for
``event-driven.fz``).
"""

from __future__ import annotations

from flowzap_docs.model import Diagram

_SHAPES = {"circle": "circle", "rectangle": "box", "diamond": "diamond", "taskbox": "box"}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(diagram: Diagram) -> str:
    lines = ["digraph G {", "  rankdir=LR;", '  node [fontname="Liberation Sans", fontsize=14];',
             '  edge [fontname="Liberation Sans", fontsize=12];']
    for i, lane in enumerate(diagram.lanes):
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f"    label={_q(lane.display_name)};")
        for node in diagram.nodes_in(lane.id):
            lines.append(f"    {node.id} [shape={_SHAPES[node.shape]}, label={_q(node.title)}];")
        lines.append("  }")
    for edge in diagram.edges:
        label = f" [label={_q(edge.label)}]" if edge.label else ""
        lines.append(f"  {edge.source} -> {edge.target}{label};")
    lines.append("}")
    return "\n".join(lines) + "\n"
