"""Subcommands of the ``flowzap`` command, one module each (``add_parser`` + ``run``)."""
