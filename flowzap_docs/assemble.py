"""Raw statements (line order) -> the :class:`~flowzap_docs.model.Diagram` and its diagnostics.

Lane blocks ``{ ... }`` are paired here by a small state machine instead of in the grammar,
so a missing ``}`` costs one diagnostic at the lane's opening line, not a cascade.  Nodes,
edges and loops are built (and their attributes checked) in :mod:`flowzap_docs.validate`,
which also resolves names and checks the style rules once every statement is known.

A lane id declared a second time (real diagrams do it: ``LE { # Display A ... }`` and, further
down, ``LE { # Display B ... }``) re-opens that lane: it is one lane holding the nodes of all
its blocks in text order, named by the first block that gives a display name.  FlowZap's
style is one block per lane id, so the second header gets warning FZ214.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import validate
from .diagnostics import Diagnostic
from .diagnostics_codes import diag
from .model import Diagram, Edge, Lane, Loop, Node
from .syntax import (
    RawClose,
    RawEdge,
    RawLaneOpen,
    RawLoop,
    RawNode,
    RawTitle,
    RecoveredNode,
    Statement,
)


@dataclass
class Assembled:
    """The model built from the statements, the raw statements it came from (with their
    positions, for the style checks and ``flowzap fmt``) and what was found wrong."""

    diagram: Diagram
    diagnostics: list[Diagnostic]
    raw_nodes: list[RawNode]
    raw_edges: list[RawEdge]
    raw_loops: list[RawLoop]


@dataclass
class _Block:
    """One ``Id { ... }`` block while it is open."""

    lane: str
    opening: RawLaneOpen
    title: str | None  # the block's own display name, from its `{` line or its first `# ...` line
    started: bool = False  # a statement other than a `# ...` title line has been seen
    again_of: RawLaneOpen | None = None  # the first block of the lane, when this one re-opens it


def assemble(statements: list[Statement]) -> Assembled:
    """Pair lane blocks, build the model and run every check; never raises for bad input."""
    diags: list[Diagnostic] = []
    lanes: dict[str, Lane] = {}
    first_block: dict[str, RawLaneOpen] = {}
    nodes: dict[str, Node] = {}
    raw_nodes: list[RawNode] = []
    edges: list[Edge] = []
    raw_edges: list[RawEdge] = []
    loops: list[Loop] = []
    raw_loops: list[RawLoop] = []
    stack: list[_Block] = []
    reopened: list[_Block] = []
    node_line: dict[str, int] = {}

    for stmt in statements:
        block = stack[-1] if stack else None
        current = block.lane if block is not None else None
        if isinstance(stmt, RawLaneOpen):
            name = str(stmt.name)
            opened = _Block(name, stmt, stmt.title_text, again_of=first_block.get(name))
            if block is not None:
                diags.append(diag("FZ114", f"lane '{name}' is opened inside lane '{current}' (lanes do not nest)",
                                  stmt.line, stmt.name.column,
                                  f"close lane '{current}' with `}}` before opening '{name}'", len(name)))
            elif opened.again_of is not None:
                reopened.append(opened)
            if name not in lanes:
                lanes[name] = Lane(name, opened.title, stmt.line, stmt.name.column)
                first_block[name] = stmt
            elif lanes[name].title is None and opened.title is not None:
                lanes[name] = Lane(name, opened.title, lanes[name].line, lanes[name].column)
            if not stmt.one_line:
                stack.append(opened)
            continue
        if isinstance(stmt, RawClose):
            if not stack:
                diags.append(diag("FZ107", "`}` closes no lane", stmt.line, stmt.brace.column,
                                  "remove it, or open the lane with `Id { # Display name` above"))
            else:
                stack.pop()
            continue
        if isinstance(stmt, RawTitle):
            if block is not None and not block.started and block.title is None:
                block.title, block.started = stmt.text or None, True
                if lanes[block.lane].title is None and block.title is not None:
                    lane = lanes[block.lane]
                    lanes[block.lane] = Lane(lane.id, block.title, lane.line, lane.column)
            else:
                diags.append(diag("FZ212", "a `# ...` line is only a lane's display name (as the first line of its "
                                  "block, when the `{` line has none); this one is ignored",
                                  stmt.line, stmt.title.column, "write comments as `// ...`", len(stmt.title.rstrip())))
            continue
        if block is not None:
            block.started = True
        if isinstance(stmt, RawNode):
            node_id = str(stmt.id)
            node, node_diags = validate.build_node(stmt, current or "")
            diags.extend(node_diags)
            if current is None:
                diags.append(diag("FZ115", f"node '{node_id}' is declared outside every lane", stmt.line,
                                  stmt.id.column, "move it inside a lane block `Lane { ... }`", len(node_id)))
            if node_id in nodes:
                if isinstance(stmt, RecoveredNode):
                    continue  # its line already has its error
                diags.append(diag("FZ109", f"node id '{node_id}' is declared twice (first on line "
                                  f"{node_line[node_id]})", stmt.line, stmt.id.column,
                                  "node ids are unique across the whole diagram; rename one", len(node_id)))
                continue
            nodes[node_id] = node
            node_line[node_id] = stmt.line
            raw_nodes.append(stmt)
        elif isinstance(stmt, RawEdge):
            edge, edge_diags = validate.build_edge(stmt, f"e{len(edges) + 1}", current)
            diags.extend(edge_diags)
            edges.append(edge)
            raw_edges.append(stmt)
        elif isinstance(stmt, RawLoop):
            loops.append(Loop(stmt.condition_text, tuple(str(r.name) for r in stmt.refs), stmt.line,
                              stmt.keyword.column, current))
            raw_loops.append(stmt)

    for block in stack:
        diags.append(diag("FZ108", f"lane '{block.lane}' is never closed", block.opening.line,
                          block.opening.name.column, f"add `}}` at the end of lane '{block.lane}'", len(block.lane)))
    diags.extend(_lane_declared_again(block, lanes[block.lane]) for block in reopened)
    diags.extend(validate.check_references(lanes, nodes, raw_edges, edges, raw_loops, loops))
    diagram = Diagram(tuple(lanes.values()), tuple(nodes.values()), tuple(edges), tuple(loops))
    return Assembled(diagram, diags, raw_nodes, raw_edges, raw_loops)


def _lane_declared_again(block: _Block, lane: Lane) -> Diagnostic:
    """FZ214 at a block that re-opens a lane; says which display name the lane is drawn with."""
    first = block.again_of
    assert first is not None
    name, at = block.lane, block.opening
    message = f"lane '{name}' is declared again (first on line {first.line}); its nodes join that lane"
    if block.title is not None and block.title != lane.title:
        message += f", drawn as '{lane.display_name}' (this block's display name '{block.title}' is not used)"
    return diag("FZ214", message, at.line, at.name.column,
                f"write all of lane '{name}' in one block, or give this block its own lane id", len(name))
