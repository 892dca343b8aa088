"""What the diagram viewer adds to a page: bytes of its files and tags, and of each diagram's markup.

Run on demand (not collected by pytest)::

    .venv/bin/python bench/viewer_cost.py [--diagrams 3] [--browser] [--repeat 15]

Bytes, measured on real ``mkdocs build`` and ``sphinx-build`` output (the same page built with
the viewer on and off, so nothing is estimated):

- the two files the viewer ships (``flowzap-viewer.js``/``.css``), raw and gzip -9 (what a
  server sends compressed); they are fetched once and cached for every page of the site;
- the tags that link them from a page with diagrams (``<link>``/``<script>``);
- a page of ``--diagrams`` copies of the event-driven example: its HTML with the viewer on,
  with it off site-wide, and the difference per diagram (on: the button is made by the
  script, so the markup has nothing; off: the ``flowzap-nozoom`` class of a diagram that opts out).

``--browser``: also the time Chromium spends in the script (median of ``--repeat``): giving
the buttons to a page of 20 event-driven diagrams, and opening the viewer on one of them
(copying the SVG, renaming its ids, laying out the modal dialog: the first time also makes the
dialog), against an empty baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENTS = (ROOT / "tests" / "data" / "examples" / "event-driven.fz").read_text(encoding="utf-8")
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))

sys.path.insert(0, str(ROOT))
from flowzap_docs.assets import VIEWER_ASSETS  # noqa: E402
from flowzap_docs.viewer import NO_ZOOM_CLASS  # noqa: E402


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def mkdocs_page(folder: Path, diagrams: int, zoom: bool) -> str:
    fences = "".join(f"```flowzap caption=\"Events {i}\"\n{EVENTS}```\n\n" for i in range(diagrams))
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Page\n\n" + fences, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Bench
        theme: {{name: material, font: false}}
        markdown_extensions: [pymdownx.superfences]
        plugins: [{{flowzap: {{cache_dir: false, zoom: {str(zoom).lower()}}}}}]
    """), encoding="utf-8")
    subprocess.run([MKDOCS, "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(folder / "site")], check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return (folder / "site" / "index.html").read_text(encoding="utf-8")


def sphinx_page(folder: Path, diagrams: int, zoom: bool) -> str:
    src = folder / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(f'extensions = ["flowzap_docs.sphinx_ext"]\nhtml_theme = "furo"\n'
                                 f"flowzap_cache_dir = False\nflowzap_zoom = {zoom}\n"
                                 'suppress_warnings = ["flowzap.style"]\n', encoding="utf-8")
    body = textwrap.indent(EVENTS, "   ")
    directives = "".join(f".. flowzap::\n   :caption: Events {i}\n\n{body}\n" for i in range(diagrams))
    (src / "index.rst").write_text("Page\n====\n\n" + directives, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(folder / "out")], check=True)
    return (folder / "out" / "index.html").read_text(encoding="utf-8")


def viewer_tags(page: str) -> list[str]:
    names = "|".join(re.escape(asset.name) for asset in VIEWER_ASSETS)
    return re.findall(rf'<(?:link|script)\b[^>]*(?:{names})[^>]*>(?:</script>)?', page)


def report_bytes(diagrams: int) -> None:
    print("viewer files (fetched once per site, then cached):")
    total_raw = total_gz = 0
    for asset in VIEWER_ASSETS:
        raw, packed = len(asset.data), gz(asset.data)
        total_raw += raw
        total_gz += packed
        print(f"  {asset.name:22} {raw:6d} B raw  {packed:6d} B gzip")
    print(f"  {'together':22} {total_raw:6d} B raw  {total_gz:6d} B gzip")
    with tempfile.TemporaryDirectory() as tmp:
        for host, build in (("mkdocs", mkdocs_page), ("sphinx", sphinx_page)):
            on = build(Path(tmp, host, "on"), diagrams, True)
            off = build(Path(tmp, host, "off"), diagrams, False)
            tags = viewer_tags(on)
            opted_out = off.count(" " + NO_ZOOM_CLASS) * (len(NO_ZOOM_CLASS) + 1)
            tag_bytes = len(on.encode()) - len(off.encode()) + opted_out  # the tags with their line breaks
            print(f"{host}: page of {diagrams} diagrams {len(on.encode())} B with the viewer, {len(off.encode())} B "
                  f"with it off site-wide")
            print(f"  tags linking the viewer: {tag_bytes} B ({len(tags)} tags, e.g. {tags[-1] if tags else None})")
            print(f"  markup per diagram: viewer on 0 B (the button is made by the script); "
                  f"off {opted_out / diagrams:.0f} B (' {NO_ZOOM_CLASS}')")


def report_browser(repeat: int) -> None:
    """Milliseconds of script work in Chromium, median of ``repeat`` fresh pages, with a baseline."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from browser.chromium import ARGS, CHROMIUM

    from flowzap_docs import html as diagram_html
    from flowzap_docs.render import render_svg

    svg = render_svg(EVENTS)
    box = diagram_html.drawing_box(svg, fit="legible", align=None, width=None)
    figure = diagram_html.figure(box, caption=None, align=None, element_id="", classes=[], view="workflow",
                                 fit="legible")
    script = next(a for a in VIEWER_ASSETS if a.kind == "js").data.decode()
    css = next(a for a in VIEWER_ASSETS if a.kind == "css").data.decode()
    page = f"<!doctype html><style>{css}</style><body>{figure * 20}</body>"
    timings: dict[str, list[float]] = {"baseline (empty evaluate)": [], "enhance 20 diagrams": [],
                                       "first open (makes the dialog)": [], "open again": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for _ in range(repeat):
            pg = browser.new_page(viewport={"width": 1400, "height": 900})
            pg.set_content(page)
            timings["baseline (empty evaluate)"].append(pg.evaluate("() => { const t = performance.now();"
                                                                    " return performance.now() - t; }"))
            timings["enhance 20 diagrams"].append(pg.evaluate(
                "s => { const t = performance.now(); (0, eval)(s); return performance.now() - t; }", script))
            for name in ("first open (makes the dialog)", "open again"):
                timings[name].append(pg.evaluate(
                    "() => { const t = performance.now(); flowzapViewer.open(document.querySelector('[data-fzv]'));"
                    " const ms = performance.now() - t; document.querySelector('dialog.fzv').close(); return ms; }"))
            pg.close()
        browser.close()
    print(f"Chromium, median of {repeat} fresh pages:")
    for name, values in timings.items():
        print(f"  {name:30} {statistics.median(values):7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--diagrams", type=int, default=3)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    report_bytes(args.diagrams)
    if args.browser:
        report_browser(args.repeat)


if __name__ == "__main__":
    main()
