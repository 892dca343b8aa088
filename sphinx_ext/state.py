"""What the Sphinx adapter keeps between pages and builds: the Renderer and one record per page.

Diagrams are drawn while a page is *read*; the results travel in the pickled doctree, so the
only shared state is a small plain-data record per page in the environment (it pickles and
merges after ``-j`` reads) and one :class:`~flowzap_docs.pipeline.Renderer` per environment
(its caches outlive a single page; never pickled).
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.locale import __
from sphinx.util import logging

from flowzap_docs.pipeline import BuildStats, DiagramRequest, DiagramResult, Renderer, Translate
from flowzap_docs.sources import AllowedFolders, site_folders

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

WARNING_TYPE = "flowzap"  # suppress_warnings = ["flowzap"] (or "flowzap.style", "flowzap.error", ...)

#: One Renderer per build environment (its caches outlive a single page); never pickled.
_RENDERERS: weakref.WeakKeyDictionary[BuildEnvironment, Renderer] = weakref.WeakKeyDictionary()


def render(env: BuildEnvironment, request: DiagramRequest, translate: Translate | None, docname: str,
           location: tuple[str, int]) -> DiagramResult | None:
    """Call the core; it never raises for bad diagrams, but a core bug must not kill the build."""
    renderer = get_renderer(env)
    record = page_record(env, docname)
    before = (renderer.stats.drawn, renderer.stats.cached, renderer.stats.failed, renderer.stats.seconds)
    try:
        result = renderer.render(request, translate=translate, page=docname)
    except Exception as err:  # noqa: BLE001 (reported as a located warning instead of a crash)
        logger.warning(__("FlowZap could not draw this diagram (internal error: %r)") % err,
                       location=location, type=WARNING_TYPE, subtype="internal")
        return None
    after = (renderer.stats.drawn, renderer.stats.cached, renderer.stats.failed, renderer.stats.seconds)
    record["stats"] = [a + (b - c) for a, b, c in zip(record["stats"], after, before, strict=True)]
    return result


# -- environment bookkeeping ---------------------------------------------------------------------
# env.flowzap_pages: {docname: {"images": [(digest, format)], "broken": bool, "stats": [...],
#                               "said": [catalog problems already reported for the page]}}
# Plain data so it pickles with the environment and merges after parallel reads.


def pages(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    if not hasattr(env, "flowzap_pages"):
        env.flowzap_pages = {}
    return env.flowzap_pages


def page_record(env: BuildEnvironment, docname: str) -> dict[str, Any]:
    return pages(env).setdefault(docname, {"images": [], "broken": False, "stats": [0, 0, 0, 0.0], "said": []})


#: Where a page's ``.. flowzap:: path`` may read from (flowzap_docs.sources), one per environment.
_FOLDERS: weakref.WeakKeyDictionary[BuildEnvironment, AllowedFolders] = weakref.WeakKeyDictionary()

#: What a refused path suggests.
HOW_TO_ALLOW = ("diagram files are read only inside the source folder and flowzap_base_paths (default: the "
                "source folder and the project's root folder); to allow another folder, add it to "
                "flowzap_base_paths in conf.py")


def note_folders(app: Sphinx) -> None:
    """``builder-inited``: the folders of this build (``flowzap_base_paths`` from conf.py's folder)."""
    _FOLDERS[app.env] = site_folders([app.srcdir], app.config.flowzap_base_paths, relative_to=app.confdir,
                                     how_to_allow=HOW_TO_ALLOW)


def allowed_folders(env: BuildEnvironment) -> AllowedFolders:
    folders = _FOLDERS.get(env)
    if folders is None:  # builder-inited normally found them
        folders = _FOLDERS[env] = site_folders([env.srcdir], env.config.flowzap_base_paths, relative_to=env.srcdir,
                                               how_to_allow=HOW_TO_ALLOW)
    return folders


def get_renderer(env: BuildEnvironment) -> Renderer:
    renderer = _RENDERERS.get(env)
    if renderer is None:  # builder-inited normally made it; an env without one still draws
        renderer = _RENDERERS[env] = _new_renderer(env.config, env.doctreedir, env.srcdir)
    return renderer


def _new_renderer(config: Config, doctreedir: str | os.PathLike[str], confdir: str | os.PathLike[str]) -> Renderer:
    def cache_warning(message: str) -> None:
        logger.warning(message, type=WARNING_TYPE, subtype="cache")

    return Renderer(cache_dir=_cache_dir(config, doctreedir, confdir), on_warning=cache_warning)


def _cache_dir(config: Config, doctreedir: str | os.PathLike[str], confdir: str | os.PathLike[str]) -> str | None:
    """``None`` (default): inside the doctree dir; ``False``: no disk cache; else a path from confdir."""
    setting = config.flowzap_cache_dir
    if setting is False:
        return None
    if setting is None:
        return os.fspath(Path(doctreedir) / "flowzap-cache")
    return os.fspath(Path(confdir, os.fspath(setting)))


# -- events ----------------------------------------------------------------------------------------


def create_renderer(app: Sphinx) -> None:
    """A fresh Renderer for this build, made before ``-j`` forks (the cache checks its directory once)."""
    _RENDERERS[app.env] = _new_renderer(app.config, app.doctreedir, app.confdir)


def purge_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    pages(env).pop(docname, None)


def merge_pages(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """After a parallel read: take the readers' records, and their counts for the summary line."""
    stats = get_renderer(env).stats
    theirs = pages(other)
    for docname in docnames:
        if docname in theirs:
            record = pages(env)[docname] = theirs[docname]
            stats.merge(BuildStats(*record["stats"]))


def begin_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """Tell the cache a page is being (re)read, in the process that reads it (a ``-j`` worker
    writes the page's cache manifest itself; the main process must not reset it)."""
    get_renderer(app.env).begin_page(docname)


def reread_broken_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                        removed: set[str]) -> list[str]:
    """A page with a broken diagram is read (and reported) again on every build until fixed."""
    return sorted(d for d, record in pages(env).items() if record["broken"] and d not in removed)


def finish_build(app: Sphinx, exception: Exception | None) -> None:
    """Remove diagram images no page uses any more, prune the cache, log the one summary line.

    Every page that holds a diagram has a record in the environment (pages not re-read in
    this build too), so the records' names are the complete ``used_pages`` the cache needs.
    """
    renderer = get_renderer(app.env)
    if exception is not None:
        renderer.finish_build(used_pages=None)  # keep the manifests, prune nothing
        return
    _remove_stale_images(app.builder, app.env)
    logger.info(renderer.finish_build(used_pages=set(pages(app.env))))


def _remove_stale_images(builder: Builder, env: BuildEnvironment) -> None:
    if builder.format == "html":
        suffix, every = ".svg", builder.name.startswith("epub")
    elif builder.format == "latex":
        suffix, every = ".pdf", True
    else:
        return
    live = {
        f"flowzap-{digest}{suffix}"
        for record in pages(env).values()
        for digest, fmt in record["images"]
        if every or fmt == "img"
    }
    folder = Path(builder.outdir, builder.imagedir)
    if folder.is_dir():
        for path in folder.glob(f"flowzap-*{suffix}"):
            if path.name not in live:
                path.unlink(missing_ok=True)
