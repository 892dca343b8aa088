"""The ``flowzap`` command (also ``python -m flowzap_docs``): one subcommand per module.

Each module in :mod:`flowzap_docs.commands` exposes ``add_parser(subparsers)`` (which sets
``func``) and ``run(args) -> int``.  A command whose module is not there (yet) is skipped,
so the command works while the package grows; any other import error is a real bug and is
raised.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from . import __version__

#: The subcommands, in the order ``flowzap --help`` lists them.
COMMANDS: list[str] = ["check", "export", "fmt", "render", "extract"]


def _load(name: str) -> ModuleType | None:
    module = f"{__package__}.commands.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowzap", description="Check, format, export and draw FlowZap Code diagrams.")
    parser.add_argument("--version", action="version", version=f"flowzap-docs {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _load(name)
        if module is not None:
            module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 diagram errors, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
