"""``flowzap check FILE...``: report every error and warning, like a compiler.

Diagnostics go to standard error (``file:line:col: error[FZ...]: ...``, the line, a caret,
``help:``).  Exit status: 0 without errors, 1 with errors (or with warnings under
``--strict``), 2 on usage errors or unreadable files.
"""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import Diagnostic, FlowZapError
from ..parser import parse
from .sources import expand, read_source

NAME = "check"
HELP = "check diagrams and print their errors and warnings"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``check`` on the ``flowzap`` command's subparsers."""
    parser = subparsers.add_parser(NAME, help=HELP, description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help=".fz files or directories of them (- for standard input)")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit status 1)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")
    parser.set_defaults(func=run)
    return parser


def diagnose(text: str, filename: str) -> tuple[Diagnostic, ...]:
    """Every diagnostic for one diagram (errors first); never raises for bad input."""
    try:
        return parse(text, filename=filename).warnings
    except FlowZapError as err:
        return err.diagnostics


def run(args: argparse.Namespace) -> int:
    errors = warnings = 0
    status = 0
    files = expand(args.files)
    if not files:
        print("flowzap check: no .fz files found in " + ", ".join(args.files), file=sys.stderr)
        return 2
    for path in files:
        source = read_source(path)
        if source.io_error:
            print(f"flowzap check: {source.io_error}", file=sys.stderr)
            status = 2
            continue
        if source.text is None:
            found: tuple[Diagnostic, ...] = (source.problem,) if source.problem else ()
            text = None
        else:
            text = source.text
            found = diagnose(text, source.name)
        for d in found:
            if d.severity == "warning" and args.quiet:
                continue
            print(d.format(text, source.name), file=sys.stderr)
        errors += sum(d.severity == "error" for d in found)
        warnings += sum(d.severity == "warning" for d in found)
    if errors or warnings:
        print(f"flowzap check: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
              f"in {len(files)} file{'s' * (len(files) != 1)}", file=sys.stderr)
    if status:
        return status
    if errors or (args.strict and warnings):
        return 1
    return 0
