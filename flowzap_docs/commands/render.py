"""``flowzap render FILE... [-o OUT] [--view V] [--theme T] [--format svg|png|pdf]``: draw diagrams.

One file and no ``-o``: the drawing goes to standard output.  Several files or a folder
(``.fz`` files found recursively, in sorted order): ``-o`` names a directory (created), with one
output per input, keeping the folder's sub-directories.  PNG and PDF go through CairoSVG (the
``pdf`` extra).  Diagrams with errors are reported like ``flowzap check`` does and skipped; the
exit status is then 1.  Usage problems (unknown view or theme, missing ``-o``) exit with 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..diagnostics import FlowZapError
from ..files import write_atomic
from ..render import VIEWS, render_svg, view_renderer
from ..sources import UNREADABLE, decode_text, read_text_file
from ..svg.document import for_export
from ..svg.theme import THEMES, get_theme

NAME = "render"
HELP = "draw diagrams as SVG (or PNG/PDF)"
FORMATS = ("svg", "png", "pdf")
#: ``-`` on the command line: read the diagram from standard input.
STDIN = Path("<stdin>")
DESCRIPTION = (
    "Draw FlowZap diagrams as SVG, PNG or PDF. One file and no -o: the drawing goes to standard output. "
    "Several files or a folder: -o names a directory, one output per input."
)


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("paths", nargs="+", metavar="FILE",
                        help=".fz files or directories holding them ('-': standard input)")
    parser.add_argument("-o", "--output", default=None,
                        help="output file (one input) or directory (several inputs or a folder)")
    parser.add_argument("--view", default="workflow", help=f"one of: {', '.join(VIEWS)} (default: workflow)")
    parser.add_argument("--theme", default="default", help=f"one of: {', '.join(THEMES)} (default: default)")
    parser.add_argument("--format", default=None, choices=FORMATS,
                        help="svg, png or pdf (default: from the -o file name, else svg)")
    parser.add_argument("--lang", default=None, help="draw the inline translations for this language (e.g. fr)")
    parser.add_argument("--scale", type=float, default=2.0, help="PNG pixels per SVG unit (default: 2)")
    return parser


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``render`` on the ``flowzap`` command's subparsers."""
    parser = subparsers.add_parser(NAME, help=HELP, description=DESCRIPTION)
    configure(parser)
    parser.set_defaults(func=run)
    return parser


def _usage(message: str) -> int:
    print(f"flowzap render: {message}", file=sys.stderr)
    return 2


def collect(paths: Sequence[str]) -> tuple[list[tuple[Path, Path]], list[str]]:
    """``(input, output path relative to the output directory)`` pairs, and unreadable paths."""
    found: list[tuple[Path, Path]] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            found.append((STDIN, Path("stdin")))
        elif path.is_dir():
            for file in sorted(p for p in path.rglob("*.fz") if p.is_file()):
                found.append((file, file.relative_to(path)))
        elif path.exists():  # a FIFO or a device too: reading says what it is (never opened)
            found.append((path, Path(path.name)))
        else:
            missing.append(raw)
    return found, missing


def converter(fmt: str, scale: float) -> Callable[[str], bytes] | None:
    """SVG text -> output bytes for ``fmt``; ``None`` when CairoSVG is missing."""
    if fmt == "svg":
        return lambda svg: svg.encode("utf-8")
    try:
        import cairosvg
    except (ImportError, OSError):  # OSError: the cairo C library itself is missing
        return None
    if fmt == "png":
        return lambda svg: cairosvg.svg2png(bytestring=for_export(svg).encode("utf-8"), scale=scale,
                                            background_color=background(svg))
    return lambda svg: cairosvg.svg2pdf(bytestring=for_export(svg).encode("utf-8"), background_color=background(svg))


def background(svg: str) -> str:
    """The theme's page colour (the first ``--fz-bg``): a PNG or PDF has no page behind it, and a
    dark theme's light text would be unreadable on a viewer's white or checkered backdrop."""
    found = re.search(r"--fz-bg:([^;}]+)", svg)
    return found.group(1) if found else "#fff"


class Progress:
    """``[#####.....] 12/57 name`` on stderr, redrawn in place; only on a terminal."""

    def __init__(self, total: int):
        self.total = total
        self.enabled = total > 1 and sys.stderr.isatty()

    def show(self, done: int, name: str) -> None:
        if not self.enabled:
            return
        width = 24
        filled = width * done // self.total
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {name}"
        sys.stderr.write("\r" + line[:100].ljust(100))
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 100 + "\r")
            sys.stderr.flush()


def _read(path: Path) -> tuple[str | None, str | None]:
    """The text (BOM dropped), or the formatted problem (not UTF-8, a FIFO, a folder, too big...)."""
    found = decode_text(sys.stdin.buffer.read()) if path is STDIN else read_text_file(path)
    if found.problem is None:
        return (found.text or "").removeprefix("\ufeff"), None
    if found.problem.code == UNREADABLE:
        return None, f"{path}: error: cannot read: {found.problem.message}"
    return None, found.problem.format(None, str(path))  # not UTF-8, or not text (FZ117, FZ904)


def render_file(path: Path, args: argparse.Namespace) -> tuple[str | None, list[str]]:
    """The SVG of one file, or ``None`` and the formatted diagnostics."""
    source, problem = _read(path)
    if source is None:
        return None, [problem or f"{path}: error"]
    try:
        svg = render_svg(source, view=args.view, theme=args.theme, lang=args.lang, filename=str(path))
    except FlowZapError as err:
        return None, [d.format(source, str(path)) for d in err.diagnostics]
    return svg, []


def run(args: argparse.Namespace) -> int:
    fmt = args.format
    try:
        view_renderer(args.view)
        get_theme(args.theme)
    except FlowZapError as err:
        return _usage("; ".join(f"{d.message} ({d.hint})" if d.hint else d.message for d in err.diagnostics))
    inputs, missing = collect(args.paths)
    single = len(args.paths) == 1 and len(inputs) == 1 and (args.paths[0] == "-" or not Path(args.paths[0]).is_dir())
    out = Path(args.output) if args.output else None
    to_dir = not single or (out is not None and (out.is_dir() or args.output.endswith(("/", os.sep))))
    if fmt is None:
        suffix = out.suffix[1:].lower() if out is not None and not to_dir else ""
        fmt = suffix if suffix in FORMATS else "svg"
    if to_dir and out is None and (inputs or not missing):
        return _usage("a folder or several inputs need -o DIRECTORY")
    convert = converter(fmt, args.scale)
    if convert is None:
        return _usage(f"{fmt.upper()} output needs CairoSVG: pip install 'flowzap-docs[pdf]'")
    if single and out is None and fmt != "svg" and sys.stdout.isatty():
        return _usage(f"not writing {fmt.upper()} to a terminal: use -o FILE")
    failed = 0
    for raw in missing:
        print(f"{raw}: error: no such file or directory", file=sys.stderr)
        failed += 1
    targets: dict[Path, Path] = {}
    if to_dir:
        for src, rel in inputs:
            target = (out or Path(".")) / rel.with_suffix("." + fmt)
            if target in targets:
                return _usage(f"{src} and {targets[target]} would both write {target}")
            targets[target] = src
    drawn = 0
    progress = Progress(len(inputs))
    for done, (src, rel) in enumerate(inputs, 1):
        progress.show(done, str(rel))
        svg, messages = render_file(src, args)
        if svg is None:
            progress.close()
            for message in messages:
                print(message, file=sys.stderr)
            failed += 1
            continue
        try:
            data = convert(svg)
        except Exception as err:  # noqa: BLE001 - a converter failure is reported per file
            progress.close()
            print(f"{src}: error: cannot convert to {fmt.upper()}: {err}", file=sys.stderr)
            failed += 1
            continue
        try:
            if out is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            else:
                write_atomic(out / rel.with_suffix("." + fmt) if to_dir else out, data)
        except OSError as err:
            progress.close()
            print(f"flowzap render: cannot write: {err}", file=sys.stderr)
            return 2
        drawn += 1
    progress.close()
    if to_dir and inputs:
        print(f"flowzap render: {drawn} of {len(inputs)} drawn -> {out}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m flowzap_docs.commands.render`` (same as ``flowzap render``)."""
    parser = configure(argparse.ArgumentParser(prog="flowzap render", description=DESCRIPTION))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
