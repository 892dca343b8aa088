"""The sequence and architecture views.

Each view is a small pipeline of its own, registered in :data:`flowzap_docs.render.VIEWS`:

* sequence: :mod:`.sequence_model` (what the edges mean as a conversation) ->
  :mod:`.sequence_layout` (where things go) -> :mod:`.sequence` (SVG);
* architecture: :mod:`.architecture_graph` (lane dependency graph, cycles, layers, order) ->
  :mod:`.architecture_layout` (boxes, ports, routing, labels) -> :mod:`.architecture` (SVG).

Both draw inside the shared envelope of :mod:`flowzap_docs.svg.document` and measure text with
:mod:`flowzap_docs.text` (through :mod:`.textfit`).
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import Diagram


def view_warnings(diagram: Diagram, view: str) -> tuple[Diagnostic, ...]:
    """Warnings that only matter in ``view`` (the parser's style warnings are view-independent).

    Today: the FlowZap sequence rule (``FZ250``) in the sequence view.  Callers that report a
    diagram's warnings add these: ``diagram.warnings + view_warnings(diagram, view)``.
    """
    if view == "sequence":
        from .sequence_model import read_conversation

        return read_conversation(diagram).warnings
    return ()
