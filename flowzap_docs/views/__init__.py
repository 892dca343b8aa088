"""The three views of one diagram, side by side, each a package of the same shape.

``views/<view>/`` holds that view's layout (where things go) and its ``draw`` module (the SVG):

* workflow: :mod:`.workflow.layout` (layered phases) -> :mod:`.workflow.draw`;
* sequence: :mod:`.sequence.model` (the edges as a conversation) -> :mod:`.sequence.layout`
  -> :mod:`.sequence.draw`;
* architecture: :mod:`.architecture.graph` (lane dependency graph) -> :mod:`.architecture.layout`
  -> :mod:`.architecture.draw`.

All draw with svgwrite elements (:class:`flowzap_docs.svg.writer.Writer`) inside the shared envelope
of :mod:`flowzap_docs.svg.document`, place shared geometry
(:mod:`flowzap_docs.layout`) and measure text with :mod:`flowzap_docs.text`.  Each is registered
in :data:`flowzap_docs.render.VIEWS` and imported on first use.
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
        from .sequence.model import read_conversation

        return read_conversation(diagram).warnings
    return ()
