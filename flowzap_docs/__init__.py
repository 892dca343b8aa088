"""flowzap-docs: FlowZap Code diagrams for Sphinx and MkDocs sites.

The core turns FlowZap Code text into a model (:func:`parse`), lays it out and draws it as
SVG (:func:`render_svg`).  The host adapters live in :mod:`flowzap_docs.sphinx_ext` and
:mod:`flowzap_docs.mkdocs_plugin`.

``parse`` and ``render_svg`` are imported on first use: a docs build whose diagrams all come
from the cache never pays for loading the parser (lark) or the layout engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import checkout
from .diagnostics import Diagnostic, FlowZapError
from .model import Diagram, Edge, Lane, Loop, Node

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .parser import parse
    from .render import render_svg

__version__ = "0.1.0"

checkout.enable(Path(__file__).parent)  # `python -m sphinx` from a checkout's root finds the adapters

__all__ = [
    "Diagnostic", "Diagram", "Edge", "FlowZapError", "Lane", "Loop", "Node",
    "__version__", "parse", "render_svg",
]


def __getattr__(name: str) -> Any:
    if name == "parse":
        from .parser import parse

        return parse
    if name == "render_svg":
        from .render import render_svg

        return render_svg
    raise AttributeError(f"module 'flowzap_docs' has no attribute {name!r}")
