"""Render every example (and, with ``--corpus``, every corpus diagram) to PNG for looking at.

    .venv/bin/python tools/gallery.py [--corpus] [--theme dark] [--host-dark] [--view workflow] [NAME...]

Screenshots come from headless Chromium, so the pictures are what a reader's browser shows
(real fonts, CSS themes).  Output: ``build/gallery/<name>.png``, the SVGs beside them, and an
``index.html`` showing them all.  Metrics cannot replace looking at the drawings: look.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flowzap_docs.diagnostics import FlowZapError  # noqa: E402
from flowzap_docs.files import write_atomic  # noqa: E402
from flowzap_docs.render import render_svg  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def sources(corpus: bool, names: list[str]) -> list[Path]:
    data = ROOT / "tests" / "data"
    files = sorted((data / "examples").glob("*.fz"))
    if corpus:
        files += sorted((data / "corpus").glob("*.fz"))
    if names:
        files = [f for f in files if f.stem in names or f.name in names]
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only these diagrams (file stems)")
    parser.add_argument("--corpus", action="store_true", help="also the corpus diagrams")
    parser.add_argument("--theme", default="default")
    parser.add_argument("--view", default="workflow")
    parser.add_argument("--host-dark", action="store_true", help="page in dark mode (Furo-style data-theme)")
    parser.add_argument("--scale", type=float, default=1.5, help="device pixels per SVG unit")
    parser.add_argument("--out", default=str(ROOT / "build" / "gallery"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    body_attrs = 'data-theme="dark"' if args.host_dark else ""
    background = "#131416" if args.host_dark else "#fff"
    entries = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(device_scale_factor=args.scale, viewport={"width": 1600, "height": 900})
        for path in sources(args.corpus, args.names):
            name = f"{path.parent.name}-{path.stem}"
            try:
                svg = render_svg(path.read_text("utf-8"), view=args.view, theme=args.theme, filename=str(path))
            except FlowZapError as err:
                print(f"{path}: {err}", file=sys.stderr)
                continue
            write_atomic(out / f"{name}.svg", svg)
            page.set_content(
                f"<!doctype html><html><head><meta charset='utf-8'><style>body{{margin:0;background:{background}}}"
                f"svg{{display:block;max-width:none!important}}</style></head><body {body_attrs}>{svg}</body></html>"
            )
            page.evaluate("document.fonts.ready.then(() => true)")
            page.locator("svg").first.screenshot(path=str(out / f"{name}.png"))
            entries.append(name)
            print(f"{out / name}.png  ({len(svg.encode())} bytes of SVG)")
        browser.close()
    index = "".join(f"<h2>{html.escape(n)}</h2><img src='{html.escape(n)}.png' style='max-width:100%'>" for n in entries)
    write_atomic(out / "index.html", f"<!doctype html><meta charset='utf-8'><title>Gallery</title>{index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
