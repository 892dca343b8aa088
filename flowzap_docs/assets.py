"""The files a page showing a diagram links to (our stylesheet, and any script), one list for every host.

Most of a diagram's layout is inline (see :mod:`flowzap_docs.html`), so a page works without
these files; they hold what inline styles cannot say: print rules and the focus ring of the
scroll box.  Both adapters add :data:`PAGE_ASSETS` only to the pages that show a diagram:

* Sphinx copies each file into ``_static`` (``html_static_path``) and, in ``html-page-context``,
  calls ``app.add_css_file`` / ``app.add_js_file`` for a page whose doctree holds a diagram
  (called from that event, they add to that page only).
* MkDocs: the plugin appends :func:`page_tags` to the HTML content of a page that drew a
  diagram and writes the files to ``assets/flowzap/`` of the site (:func:`write_assets`).
  The tags travel *with the content*, not in ``<head>``: Material's instant navigation swaps the
  content container and re-runs the scripts found in it, while a script in ``<head>`` of the
  new page is never run (its newer versions do merge ``<head>`` links, its older ones do not).

Add a file by putting it in ``flowzap_docs/static/`` and naming it in :data:`PAGE_ASSETS`.  A
script must be safe to run more than once in one document (instant navigation runs it again on
every visit to a page with a diagram) and must find its diagrams when it runs, not on
``DOMContentLoaded`` alone (which has already fired on such a visit).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .files import write_atomic

#: Where the files live in the package.
STATIC_DIR = Path(__file__).with_name("static")
#: Where the MkDocs plugin puts them in the site (next to the ``format: img`` drawings).
SITE_FOLDER = "assets/flowzap"


@dataclass(frozen=True)
class Asset:
    """One file of ``flowzap_docs/static``, linked from every page that shows a diagram."""

    name: str  # file name, the same in the package, in Sphinx's _static and in the site folder

    @property
    def kind(self) -> str:
        """``css`` or ``js``, from the file name."""
        return "css" if self.name.endswith(".css") else "js"

    @property
    def path(self) -> Path:
        return STATIC_DIR / self.name

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def version(self) -> str:
        """A short hash of the content, for the URL (a browser must not keep last release's file)."""
        return hashlib.sha256(self.data).hexdigest()[:8]


#: The files every page with a diagram links to, in order.
PAGE_ASSETS: tuple[Asset, ...] = (Asset("flowzap.css"),)
#: The diagram viewer (see :mod:`flowzap_docs.viewer`), linked from pages where a diagram has it on.
VIEWER_ASSETS: tuple[Asset, ...] = (Asset("flowzap-viewer.css"), Asset("flowzap-viewer.js"))
#: Every file a site may need (what a host copies or writes once).
ALL_ASSETS: tuple[Asset, ...] = PAGE_ASSETS + VIEWER_ASSETS


def page_assets(viewer: bool) -> tuple[Asset, ...]:
    """The files one page links to: :data:`PAGE_ASSETS`, and the viewer's when one of its diagrams has it on."""
    return ALL_ASSETS if viewer else PAGE_ASSETS


def page_tags(assets: tuple[Asset, ...], folder_url: str) -> str:
    """``<link>``/``<script>`` tags for ``assets`` found under ``folder_url`` (relative to the page)."""
    tags = []
    for asset in assets:
        url = html.escape(f"{folder_url.rstrip('/')}/{asset.name}?v={asset.version}", quote=True)
        if asset.kind == "css":
            tags.append(f'<link rel="stylesheet" href="{url}">')
        else:
            tags.append(f'<script src="{url}" defer></script>')
    return "\n".join(tags)


def write_assets(assets: tuple[Asset, ...], folder: str | Path) -> None:
    """Write the files into ``folder`` (created if needed), each atomically, unless already there."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for asset in assets:
        path = target / asset.name
        try:
            if path.read_bytes() == asset.data:
                continue
        except OSError:
            pass
        write_atomic(path, asset.data)
