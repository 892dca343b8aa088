"""flowzap-docs: FlowZap Code diagrams for Sphinx and MkDocs sites.

The core turns FlowZap Code text into a model (:func:`parse`), lays it out and draws it as
SVG (:func:`render_svg`).  The host adapters live in :mod:`flowzap_docs.sphinx_ext` and
:mod:`flowzap_docs.mkdocs_plugin`.
"""

from __future__ import annotations

from .diagnostics import Diagnostic, FlowZapError
from .model import Diagram, Edge, Lane, Loop, Node
from .parser import parse

__version__ = "0.1.0"

__all__ = [
    "Diagnostic", "Diagram", "Edge", "FlowZapError", "Lane", "Loop", "Node",
    "__version__", "parse", "render_svg",
]


def render_svg(source_or_diagram, **options):  # noqa: ANN001, ANN003, ANN201
    """Draw a diagram (text or :class:`Diagram`) as an SVG string; see :mod:`flowzap_docs.render`."""
    from .render import render_svg as _render

    return _render(source_or_diagram, **options)
