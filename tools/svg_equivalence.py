"""Is this tree's SVG the same document as another tree's?  Every example, every view, every theme.

    .venv/bin/python tools/svg_equivalence.py --reference /tmp/svgref

``--reference`` is a source tree of another revision (e.g. ``git archive main | tar -x -C
/tmp/svgref``), run with this interpreter and ``PYTHONPATH`` pointing at it.  Each drawing of
``tests/data/examples/*.fz`` and ``tests/data/corpus/*.fz`` in each view and theme is compared
twice: byte for byte, and after XML canonicalisation (``xml.etree.ElementTree.canonicalize``:
attribute order, quoting, ``<x/>`` against ``<x></x>`` and CDATA do not count).  Only hashes
cross between the two processes.  Exit status 1 if any drawing differs after canonicalisation.

Not a test: a change that moves anything (a layout improvement) differs on purpose; this is
for changes that must not, such as a new way of writing the same SVG.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree.ElementTree import canonicalize

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def sources() -> list[Path]:
    return sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))


def hashes() -> dict[str, list[str]]:
    """``"file view theme"`` -> [sha256 of the SVG, of its canonical form] (or of the error)."""
    from flowzap_docs.diagnostics import FlowZapError
    from flowzap_docs.render import VIEWS, render_svg
    from flowzap_docs.svg.theme import THEMES

    out: dict[str, list[str]] = {}
    for path in sources():
        text = path.read_text("utf-8")
        for view in VIEWS:
            for theme in THEMES:
                key = f"{path.parent.name}/{path.name} {view} {theme}"
                try:
                    svg = render_svg(text, view=view, theme=theme, filename=path.name)
                except FlowZapError as exc:
                    error = hashlib.sha256(str(exc).encode()).hexdigest()
                    out[key] = [error, error]
                    continue
                out[key] = [hashlib.sha256(svg.encode()).hexdigest(),
                            hashlib.sha256(canonicalize(svg).encode()).hexdigest()]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, help="source tree of the revision to compare with")
    parser.add_argument("--hashes", action="store_true", help="print this interpreter's hashes as JSON")
    args = parser.parse_args()
    if args.hashes:
        import flowzap_docs

        print(json.dumps({"package": flowzap_docs.__file__, "hashes": hashes()}))
        return 0
    if args.reference is None:
        parser.error("--reference is required")
    reference = args.reference.resolve()
    env = {**os.environ, "PYTHONPATH": str(reference)}
    run = subprocess.run([sys.executable, __file__, "--hashes"], env=env, capture_output=True, text=True,
                         check=True, cwd=reference)
    theirs = json.loads(run.stdout)
    if not Path(theirs["package"]).resolve().is_relative_to(reference):
        print(f"the reference run imported {theirs['package']}, not the reference tree", file=sys.stderr)
        return 2
    ours = hashes()
    same_bytes = sum(ours[k][0] == theirs["hashes"].get(k, [None])[0] for k in ours)
    differ = sorted(k for k in ours if ours[k][1] != theirs["hashes"].get(k, [None, None])[1])
    print(f"{len(ours)} drawings: {same_bytes} byte-identical, {len(ours) - len(differ)} canonically equal")
    for key in differ:
        print(f"  differs: {key}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
