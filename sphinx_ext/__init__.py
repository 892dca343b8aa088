"""Draw FlowZap Code diagrams in Sphinx pages: the ``.. flowzap::`` directive.

Add ``"flowzap_docs.sphinx_ext"`` to ``extensions`` in ``conf.py``; then, in reStructuredText::

    .. flowzap::
       :caption: Order approval

       Sales { # Sales
       n1: circle label:"Start"
       }

or ``.. flowzap:: diagrams/order.fz`` for a file (relative to the page; ``/path`` from the source
directory; read only inside the source folder and ``flowzap_base_paths``), or ```` ```{flowzap} ````
in MyST Markdown.

This package only translates between Sphinx and the core (:mod:`flowzap_docs.pipeline`): parsing,
drawing, translating and caching all live there.  Its modules: :mod:`.directive` (the directive
and its node), :mod:`.i18n` (gettext messages, the page's catalog, language copies of ``.fz``
files), :mod:`.builders` (how each builder writes a diagram), :mod:`.state` (the Renderer and
the per-page records); this one registers them.  Diagrams are drawn while a page is *read*, not
written, so every problem is reported as a warning at the exact line of the page (or ``.fz``
file), the result travels in the pickled doctree, and parallel reads and writes need no shared
state beyond the small per-page record kept in the environment.

Every warning has the type ``flowzap`` and a subtype, for ``suppress_warnings``: ``error`` (the
diagram cannot be drawn; an error box stands in its place and the page is read again on the
next build), ``style`` (a FlowZap style rule), ``directive`` (a bad option value or a missing
file), ``config``, ``pdf`` (LaTeX output without CairoSVG), ``cache``, ``i18n`` (a translation catalog
that cannot be read) and ``internal``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from sphinx.locale import __
from sphinx.util import logging

from flowzap_docs import __version__
from flowzap_docs.assets import ALL_ASSETS, page_assets
from flowzap_docs.html import DEFAULT_FIT, FITS
from flowzap_docs.svg.theme import THEMES

from .builders import (
    SKIPPED_EVERYWHERE,
    html_visit_flowzap,
    latex_visit_flowzap,
    man_visit_flowzap,
    texinfo_visit_flowzap,
    text_visit_flowzap,
    viewer_on,
)
from .directive import FORMATS, VIEWS, FlowZap, flowzap, numfig_title
from .i18n import flowzap_message, note_builder, resolve_messages
from .state import (
    WARNING_TYPE,
    begin_page,
    create_renderer,
    finish_build,
    merge_pages,
    note_folders,
    purge_page,
    reread_broken_pages,
)

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["WARNING_TYPE", "FlowZap", "flowzap", "flowzap_message", "setup"]

logger = logging.getLogger(__name__)


def check_config(app: Sphinx, config: Config) -> None:
    """A bad setting warns and falls back (like a bad option); our page assets go to ``_static``."""
    for name, allowed, default in (("flowzap_default_view", VIEWS, "workflow"), ("flowzap_format", FORMATS, "inline"),
                                   ("flowzap_theme", tuple(THEMES), "default"), ("flowzap_fit", FITS, DEFAULT_FIT)):
        if config[name] not in allowed:
            logger.warning(__("%s must be one of %s, not %r; using %r"), name, ", ".join(allowed), config[name],
                           default, type=WARNING_TYPE, subtype="config")
            config[name] = default
    config.html_static_path.extend(os.fspath(asset.path) for asset in ALL_ASSETS)


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None) -> None:
    """Link our stylesheet (and scripts) from the pages that show a diagram, and from no other;
    the viewer's only where one of those diagrams has it on (and not in an e-book).

    Called from ``html-page-context``, ``add_css_file``/``add_js_file`` add to this page only.
    """
    if doctree is None:
        return
    drawn = [node for node in doctree.findall(flowzap) if "svg" in node]
    if not drawn:
        return
    # e-books get no script: EPUB readers need none, and a scripted page must be declared as such
    viewer = not app.builder.name.startswith("epub") and any(viewer_on(node, app.config) for node in drawn)
    for asset in page_assets(viewer=viewer):
        if asset.kind == "css":
            app.add_css_file(asset.name)
        else:
            app.add_js_file(asset.name, loading_method="defer")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_enumerable_node(
        flowzap,
        "figure",
        numfig_title,
        html=(html_visit_flowzap, None),
        latex=(latex_visit_flowzap, None),
        text=(text_visit_flowzap, None),
        man=(man_visit_flowzap, None),
        texinfo=(texinfo_visit_flowzap, None),
    )
    app.add_node(flowzap_message, **SKIPPED_EVERYWHERE)
    app.add_directive("flowzap", FlowZap)
    app.add_config_value("flowzap_default_view", "workflow", "env", types=frozenset({str}))
    app.add_config_value("flowzap_theme", "default", "env", types=frozenset({str}))
    app.add_config_value("flowzap_format", "inline", "env", types=frozenset({str}))
    app.add_config_value("flowzap_fit", DEFAULT_FIT, "env", types=frozenset({str}))
    app.add_config_value("flowzap_cache_dir", None, "", types=frozenset({str, bool, type(None)}))
    app.add_config_value("flowzap_zoom", True, "html", types=frozenset({bool}))
    app.add_config_value("flowzap_base_paths", None, "env", types=frozenset({list, tuple, type(None)}))
    app.connect("config-inited", check_config)
    app.connect("html-page-context", add_page_assets)
    app.connect("builder-inited", create_renderer)
    app.connect("builder-inited", note_builder)
    app.connect("builder-inited", note_folders)
    app.connect("env-get-outdated", reread_broken_pages)
    app.connect("env-purge-doc", purge_page)
    app.connect("source-read", begin_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("doctree-resolved", resolve_messages)
    app.connect("build-finished", finish_build)
    return {
        "version": __version__,
        "env_version": 3,  # 2: gettext message nodes in doctrees, nodes moved to .directive; 3: fit
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
