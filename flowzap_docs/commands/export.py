"""``flowzap export FILE``: the diagram as JSON (FlowZap's graph export shape, plus loops).

The JSON goes to standard output; diagnostics to standard error.  Exit status: 0, 1 if the
diagram has errors (nothing is printed on standard output then), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import FlowZapError
from ..export import export_text
from ..parser import parse
from .sources import read_source

NAME = "export"
HELP = "print a diagram as JSON (lanes, nodes, edges, loops, stats)"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``export`` on the ``flowzap`` command's subparsers."""
    parser = subparsers.add_parser(NAME, help=HELP, description=__doc__.split("\n\n")[0])
    parser.add_argument("file", metavar="FILE", help="a .fz file (- for standard input)")
    parser.add_argument("--compact", action="store_true", help="one line, no indentation")
    parser.add_argument("-o", "--output", default=None, help="write the JSON to this file instead")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    source = read_source(args.file)
    if source.io_error:
        print(f"flowzap export: {source.io_error}", file=sys.stderr)
        return 2
    if source.text is None:
        assert source.problem is not None
        print(source.problem.format(None, source.name), file=sys.stderr)
        return 1
    try:
        diagram = parse(source.text, filename=source.name)
    except FlowZapError as err:
        print(err.format(), file=sys.stderr)
        return 1
    text = export_text(diagram, indent=None if args.compact else 2)
    if args.output:
        from ..files import write_atomic

        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
