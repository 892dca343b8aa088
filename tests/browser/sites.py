"""Small real sites for the viewer's browser tests: an MkDocs Material site (instant navigation
on) and a Sphinx Furo site, each with the event-driven example, built with the real commands and
served over HTTP (Material's instant navigation is off for ``file:`` pages).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
EVENTS = (EXAMPLES / "event-driven.fz").read_text(encoding="utf-8")
ORDERS = (EXAMPLES / "order-approval.fz").read_text(encoding="utf-8")  # 1434 px wide
SMALL = 'Team { # Team\nn1: circle label:"Start"\nn2: rectangle label:"Work"\nn1.handle(right) -> n2.handle(left)\n}\n'

MKDOCS_CONFIG = """\
site_name: Viewer test
site_url: {site_url}
theme:
  name: material
  features: [navigation.instant]
  font: false  # no Google Fonts: the tests run offline
markdown_extensions:
  - pymdownx.superfences
plugins:
  - search
  - flowzap:
      cache_dir: false
nav:
  - Home: index.md
  - Events: events.md
  - More: more.md
  - "Off": off.md
"""


def build_mkdocs_site(root: Path, site_url: str) -> Path:
    """index (no diagram), events (the example), more (a wide diagram and one with zoom off), off (only that).

    ``site_url`` must be where the site is served: Material's instant navigation only follows
    links listed in the sitemap, whose URLs keep the port and path of ``site_url``.
    """
    fence = "```flowzap{header}\n{body}```\n"
    pages = {
        "index.md": "# Home\n\nNo diagram on this page.\n",
        "events.md": "# Events\n\nThe flow of events.\n\n" + fence.format(header=' caption="Event-driven"', body=EVENTS),
        "more.md": "# More\n\n" + fence.format(header="", body=ORDERS) + "\nAnd one without the viewer:\n\n"
                   + fence.format(header=' zoom="false"', body=SMALL.replace("Work", "Rest")),
        "off.md": "# Off\n\n" + fence.format(header=' zoom="off"', body=SMALL),
    }
    (root / "mkdocs.yml").write_text(MKDOCS_CONFIG.format(site_url=site_url), encoding="utf-8")
    for name, text in pages.items():
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    proc = subprocess.run([mkdocs, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return root / "site"


def build_sphinx_site(root: Path) -> Path:
    """index (the example), more (a wide diagram and one with ``:zoom: off``), plain (none), off (only that)."""
    src = root / "src"
    src.mkdir(parents=True)

    def directive(body: str, *options: str) -> str:
        return ".. flowzap::\n" + "".join(f"   {o}\n" for o in options) + "\n" + textwrap.indent(body, "   ") + "\n"

    (src / "conf.py").write_text('project = "Viewer test"\nextensions = ["flowzap_docs.sphinx_ext"]\n'
                                 'html_theme = "furo"\nflowzap_cache_dir = False\nsuppress_warnings = ["flowzap.style"]\n', encoding="utf-8")
    pages = {
        "index": "Events\n======\n\n.. toctree::\n\n   more\n   plain\n   off\n\nThe flow of events.\n\n"
                 + directive(EVENTS, ":caption: Event-driven"),
        "more": "More\n====\n\n" + directive(ORDERS) + "\nAnd one without the viewer:\n\n"
                + directive(SMALL.replace("Work", "Rest"), ":zoom: off"),
        "plain": "Plain\n=====\n\nNo diagram on this page.\n",
        "off": "Off\n===\n\n" + directive(SMALL, ":zoom: false"),
    }
    for name, text in pages.items():
        (src / f"{name}.rst").write_text(text, encoding="utf-8")
    out = root / "html"
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-b", "html", "-d", str(root / "doctrees"),
                           str(src), str(out)], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` (which may be filled later) over HTTP on a free local port, for as long as the
    block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
