"""No import cycles in the package, and every module imports on its own in a fresh interpreter.

A cycle works until someone moves an import to the top of a module or imports the modules in
another order (a host loading our extension first, a test importing one module alone); then it
fails with a half-initialised module.  So the graph of imports between our own modules is read
from the source (every ``import``, also those inside functions, except the ``TYPE_CHECKING``
ones, which never run) and must have no cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Source folder -> the package it is installed as (see pyproject.toml's package-dir).
PACKAGES = {"flowzap_docs": "flowzap_docs", "sphinx_ext": "flowzap_docs.sphinx_ext",
            "mkdocs_plugin": "flowzap_docs.mkdocs_plugin"}


def modules() -> dict[str, Path]:
    """Every module of ours: dotted name -> file."""
    found: dict[str, Path] = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Our modules that module ``name`` imports (submodules named in ``from x import y`` too).

    The packages that hold an imported module are not counted: Python imports them first, but
    a package's ``__init__`` importing its own modules is not a cycle anyone can trip over."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            for child in node.orelse:  # type: ignore[attr-defined]
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = ".".join(p for p in (base if node.level else "", node.module or "") if p)
            submodules = {f"{target}.{alias.name}" for alias in node.names}
            found.update(submodules)
            if not submodules <= known:  # a name defined by the module itself, not a submodule
                found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_is_read_from_the_source() -> None:
    """The reader sees top-level, relative and function-local imports (a cycle through a
    function-local import is still a cycle)."""
    found = modules()
    graph = {name: imports_of(name, path, set(found)) for name, path in found.items()}
    assert "flowzap_docs.mkdocs_plugin.fence" in graph["flowzap_docs.mkdocs_plugin.extension"]
    assert "flowzap_docs.pipeline" in graph["flowzap_docs.sphinx_ext.state"]
    assert "flowzap_docs.files" in graph["flowzap_docs.parser"]  # imported inside _save_compiled


def test_no_import_cycle() -> None:
    found = modules()
    graph = {name: imports_of(name, path, set(found)) for name, path in found.items()}
    assert len(graph) > 40
    assert cycles(graph) == []


def test_each_adapter_module_imports_alone() -> None:
    """Each adapter module first, in a fresh interpreter (the order a host may load them in)."""
    names = sorted(n for n in modules() if n.startswith(("flowzap_docs.sphinx_ext", "flowzap_docs.mkdocs_plugin")))
    script = "import importlib, sys\nimportlib.import_module(sys.argv[1])\n"
    for name in names:
        proc = subprocess.run([sys.executable, "-c", script, name], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"{name}: {proc.stderr}"
