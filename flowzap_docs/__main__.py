"""``python -m flowzap_docs`` is the ``flowzap`` command."""

from .cli import main

raise SystemExit(main())
