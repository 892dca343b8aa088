"""``flowzap fmt FILE...``: rewrite diagrams in the canonical FlowZap Code form.

Files are rewritten in place, atomically, and only when something changes.  ``--check``
changes nothing and exits 1 when a file would change (for CI).  ``-`` reads standard input
and writes the result to standard output.  Files with errors are reported and left alone
(exit 1).  See :mod:`flowzap_docs.fmt` for the canonical form.
"""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import FlowZapError
from ..files import write_atomic
from ..fmt import format_source
from .sources import STDIN, expand, read_source

NAME = "fmt"
HELP = "rewrite diagrams in canonical form (--check for CI)"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``fmt`` on the ``flowzap`` command's subparsers."""
    parser = subparsers.add_parser(NAME, help=HELP, description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help=".fz files or directories of them (- for standard input/output)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    status = 0
    files = expand(args.files)
    if not files:
        print("flowzap fmt: no .fz files found in " + ", ".join(args.files), file=sys.stderr)
        return 2
    for path in files:
        source = read_source(path)
        if source.io_error:
            print(f"flowzap fmt: {source.io_error}", file=sys.stderr)
            status = max(status, 2)
            continue
        if source.text is None:
            assert source.problem is not None
            print(source.problem.format(None, source.name), file=sys.stderr)
            status = max(status, 1)
            continue
        try:
            formatted = format_source(source.text)
        except FlowZapError as err:
            err.filename = source.name
            print(err.format(), file=sys.stderr)
            status = max(status, 1)
            continue
        if path == STDIN:
            if args.check:
                if formatted != source.text:
                    print("<stdin> would be reformatted", file=sys.stderr)
                    status = max(status, 1)
            else:
                sys.stdout.write(formatted)
            continue
        if formatted == source.text:
            continue
        if args.check:
            print(f"would reformat {path}", file=sys.stderr)
            status = max(status, 1)
        else:
            write_atomic(path, formatted, keep_mode=True, durable=True)  # the writer's only copy
            print(f"reformatted {path}", file=sys.stderr)
    return status
