"""Running from a source checkout: make ``flowzap_docs.sphinx_ext`` and ``.mkdocs_plugin`` importable.

The adapters live in top-level folders (``sphinx_ext/``, ``mkdocs_plugin/``) that the package
build installs as ``flowzap_docs.sphinx_ext`` and ``flowzap_docs.mkdocs_plugin``.  Run
``python -m sphinx ...`` or ``python -m mkdocs build`` from the repository root and the current
directory comes first on ``sys.path``: its ``flowzap_docs/`` folder shadows the installed package,
and the adapters, not inside that folder, could not be found ("No module named
flowzap_docs.sphinx_ext").  When (and only when) this package is imported from such a checkout,
a finder maps exactly those two names to the checkout's folders, so the core and the adapters
come from the same source tree.  It is consulted last: an installed or editable package that
provides them still does.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

#: The adapter subpackages and the checkout folder each is installed from (see pyproject.toml).
ADAPTERS: dict[str, str] = {"flowzap_docs.sphinx_ext": "sphinx_ext", "flowzap_docs.mkdocs_plugin": "mkdocs_plugin"}


class CheckoutAdapters(importlib.abc.MetaPathFinder):
    """Finds the two adapter packages in a checkout's top-level folders; nothing else."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        folder = ADAPTERS.get(fullname)
        if folder is None:
            return None
        init = self.root / folder / "__init__.py"
        if not init.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, init, submodule_search_locations=[str(init.parent)])


def enable(package_dir: Path) -> None:
    """Add the finder if ``package_dir`` (this package's folder) is a checkout's ``flowzap_docs/``."""
    if (package_dir / "sphinx_ext").is_dir():  # an installed package: the adapters are inside it
        return
    root = package_dir.parent
    if not ((root / "pyproject.toml").is_file() and all((root / f / "__init__.py").is_file() for f in ADAPTERS.values())):
        return
    if not any(isinstance(finder, CheckoutAdapters) for finder in sys.meta_path):
        sys.meta_path.append(CheckoutAdapters(root))
