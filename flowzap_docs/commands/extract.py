"""``flowzap extract PATH... -o messages.pot``: the diagram texts of a site, for translators.

Reads ``.fz`` files, Markdown/MyST pages (flowzap fences) and reStructuredText pages
(``.. flowzap::`` directives), directories recursively in sorted order, and writes one gettext
template with every text at its real ``file:line``.  The output is byte-identical from run to
run (see :mod:`flowzap_docs.extract`).  Diagrams with errors are reported (compiler style) and
skipped; the exit status is then 1, but the template of everything else is still written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..extract import build_pot, creation_date, extract_paths
from ..files import write_atomic

NAME = "extract"
HELP = "collect diagram texts into a gettext template (.pot)"
DESCRIPTION = ("Collect every translatable text of the diagrams in .fz files, Markdown/MyST flowzap fences and "
               "reStructuredText flowzap directives (directories are read recursively) into one gettext template, "
               "each text with its file:line.")


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".fz, .md or .rst files, or directories")
    parser.add_argument("-o", "--output", default="-", help="the .pot file to write (default: standard output)")
    parser.add_argument("--project", default="flowzap", help="Project-Id-Version name in the header")
    parser.add_argument("--version", dest="project_version", default=None, help="project version in the header")
    parser.add_argument("--base", default=None, help="locations are relative to this directory (default: .)")
    parser.add_argument("--root", default=None,
                        help="directory that '/path.fz' references start from (default: --base)")
    parser.add_argument("--no-follow", action="store_true",
                        help="do not read the .fz files named by src= or a directive argument")
    parser.add_argument("--no-comments", action="store_true", help="leave out the #. notes for translators")
    parser.add_argument("--width", type=int, default=76, help="line width of the .pot (0: no wrapping)")
    return parser


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``extract`` on the ``flowzap`` command's subparsers."""
    parser = subparsers.add_parser(NAME, help=HELP, description=DESCRIPTION)
    configure(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    result = extract_paths(args.paths, base=args.base, follow_src=not args.no_follow, root=args.root)
    for line in result.formatted_diagnostics():
        print(line, file=sys.stderr)
    data = build_pot(result.messages, project=args.project, version=args.project_version,
                     date=creation_date(result.files), width=args.width, comments=not args.no_comments)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            write_atomic(args.output, data)
        except OSError as err:
            print(f"flowzap extract: cannot write {args.output}: {err}", file=sys.stderr)
            return 2
        texts = len({m.text for m in result.messages})
        print(f"flowzap extract: {texts} messages from {len(result.files)} files -> {args.output}", file=sys.stderr)
    return 1 if result.errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m flowzap_docs.commands.extract`` (same as ``flowzap extract``)."""
    parser = configure(argparse.ArgumentParser(prog="flowzap extract", description=DESCRIPTION))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
