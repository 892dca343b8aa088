"""Build the project's documentation sites into ``build/`` (what ``make docs`` runs).

Both sites draw their diagrams with this package: an MkDocs site (Material, English and
French) and a Sphinx site (Furo, reStructuredText and MyST, English and French through the
gettext round trip).  Both are built in strict mode, so a broken diagram or a dead link fails
``make docs``.  Pages that show generated material (the gallery, real error output, the
diagnostic codes, benchmark numbers) get it from ``build/_generated``, written here first.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DIAGRAMS = DOCS / "diagrams"
BIN = Path(sys.executable).parent
VIEWS = ("workflow", "sequence", "architecture")

BROKEN = """Shop { # Web shop
  n1: circle label:"Order placed"
  n2: hexagon label:"Check stock"
  n1.handle(right) -> n2.handle(lft)
  n2.handle(right) -> Shipping.n9.handle(left)
}
"""


def write(path: Path, text: str) -> None:
    """Atomic write: a reader (or a watching ``mkdocs serve``) never sees half a file."""
    from flowzap_docs.files import write_atomic

    write_atomic(path, text)


def flowzap(*args: str, stdin: str | None = None) -> str:
    """Run the real ``flowzap`` command and return what it printed (stdout + stderr)."""
    proc = subprocess.run(
        [str(BIN / "python"), "-m", "flowzap_docs", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, check=False,
    )
    return (proc.stdout + proc.stderr).rstrip() + "\n"


def diagnostic_codes_table() -> str:
    from flowzap_docs.diagnostics_codes import CODES, OTHER_CODES

    rows = ["| Code | Severity | Meaning |", "| --- | --- | --- |"]
    for code, info in sorted({**CODES, **OTHER_CODES}.items()):
        summary = info.summary.replace("|", "\\|")  # a pipe would end the table cell
        rows.append(f"| `{code}` | {info.severity} | {summary} |")
    return "\n".join(rows) + "\n"


#: How to look at a gallery drawing (the same words in both sites: the fit and the viewer are on by default).
VIEWING = ("Wide drawings keep a legible size and scroll sideways inside their box (`fit`); every drawing has an "
           "**Enlarge** button (hover over it, or Tab to it) that opens it full-window, to zoom and pan (`zoom`).")


def gallery_markdown(names: list[str]) -> str:
    parts = ["# Gallery\n", "Every example in every view, in the light and the dark theme, with its source.\n", VIEWING + "\n"]
    for name in names:
        src = (DIAGRAMS / name).read_text(encoding="utf-8")
        parts.append(f"## {name}\n")
        parts.append('<div class="grid" markdown>\n')
        parts.append("```fz\n" + src.rstrip("\n") + "\n```\n")
        parts.append('<div markdown>\n')
        for view in VIEWS:
            parts.append(f"=== \"{view.capitalize()}\"\n")
            parts.append(f'    ```flowzap src="../diagrams/{name}" view="{view}"\n    ```\n')
            parts.append(f"=== \"{view.capitalize()}, dark\"\n")
            parts.append(f'    ```flowzap src="../diagrams/{name}" view="{view}" theme="dark"\n    ```\n')
        parts.append("</div>\n</div>\n")
    return "\n".join(parts)


def gallery_rst(names: list[str]) -> str:
    parts = ["Gallery", "=======", "", "Every example in every view, in the light and the dark theme, with its source.", "",
             VIEWING.replace("`", "``"), ""]
    for name in names:
        parts += [name, "-" * len(name), "", f".. literalinclude:: ../diagrams/{name}", "   :language: flowzap", ""]
        for view in VIEWS:
            for theme in ("default", "dark"):
                parts += [
                    f".. flowzap:: ../diagrams/{name}",
                    f"   :view: {view}",
                    f"   :theme: {theme}",
                    f"   :caption: {name}, {view} view, {theme} theme",
                    "",
                ]
    return "\n".join(parts)


def compared_markdown() -> str:
    results = ROOT / "bench" / "results"
    rows = []
    for path in sorted(results.glob("*.json")) if results.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("rows", []):
            rows.append(f"| {data.get('benchmark', path.stem)} | {item['what']} | {item['ours']} | "
                        f"{item.get('other', '')} | {item.get('note', '')} |")
    if not rows:
        return "No benchmark results are recorded yet: run the scripts in `bench/`.\n"
    head = ["| Benchmark | Measure | flowzap-docs | Compared with | Note |", "| --- | --- | --- | --- | --- |"]
    return "\n".join(head + rows) + "\n"


def generate(out: Path) -> None:
    names = sorted(p.name for p in DIAGRAMS.glob("*.fz"))
    write(out / "broken.fz", BROKEN)
    write(out / "broken-check.txt", flowzap("check", "-", stdin=BROKEN).replace("<stdin>", "broken.fz"))
    write(out / "check-example.txt", flowzap("check", "docs/diagrams/edge-cases.fz"))
    write(out / "diagnostic-codes.md", diagnostic_codes_table())
    write(out / "gallery-mkdocs.md", gallery_markdown(names))
    write(out / "gallery-sphinx.rst", gallery_rst(names))
    write(out / "compared-table.md", compared_markdown())


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build"), help="where the sites go")
    parser.add_argument("--only", choices=["mkdocs", "sphinx"], help="build one site")
    args = parser.parse_args(argv)
    out = Path(args.out)
    # Generated inputs always go to build/_generated: both sites' sources point there.
    generate(ROOT / "build" / "_generated")
    if args.only in (None, "mkdocs"):
        run([str(BIN / "mkdocs"), "build", "--strict", "-f", str(DOCS / "mkdocs.yml"), "-d", str(out / "mkdocs")])
    if args.only in (None, "sphinx"):
        for lang in ("en", "fr"):
            dest = out / ("sphinx" if lang == "en" else "sphinx-fr")
            run([str(BIN / "sphinx-build"), "-W", "--keep-going", "-q", "-b", "html", "-D", f"language={lang}",
                 "-d", str(out / f".doctrees-{lang}"), str(DOCS / "sphinx"), str(dest)])
    print(f"built into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
