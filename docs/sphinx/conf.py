"""The Sphinx half of the project's own documentation (Furo, reStructuredText and MyST)."""

from __future__ import annotations

project = "flowzap-docs"
author = "the flowzap-docs authors"
copyright = "2026, the flowzap-docs authors"

extensions = ["myst_parser", "flowzap_docs.sphinx_ext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "locales"]

html_theme = "furo"
html_title = "flowzap-docs"
numfig = True

# The French site is built from the same sources with `-D language=fr`: the gettext round trip.
language = "en"
locale_dirs = ["locales"]
gettext_compact = False

flowzap_default_view = "workflow"
flowzap_theme = "default"

# The gallery shows diagrams that break FlowZap's style rules on purpose (edge-cases.fz);
# style warnings have their own subtype, so a strict (-W) build can still let them pass.
suppress_warnings = ["flowzap.style"]
