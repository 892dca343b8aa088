"""The package as users get it: build a wheel, install it in a fresh virtual environment, and
check that the core, both adapters and the grammar come with it, under ``flowzap_docs`` only."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from flowzap_docs.assets import PAGE_ASSETS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "flowzap_docs", "sphinx_ext", "mkdocs_plugin")


def _run(*cmd: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, timeout=240)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.mark.slow
def test_wheel_installs_and_imports(tmp_path: Path) -> None:
    # Build from a copy so the build never writes into the working tree (build/, egg-info).
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, src)
    (wheel,) = dist.glob("flowzap_docs-*.whl")

    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert "flowzap_docs" in tops
    assert not tops & {"sphinx_ext", "mkdocs_plugin", "tests", "bench", "tools"}
    for needed in ("flowzap_docs/grammar/flowzap.lark", "flowzap_docs/py.typed",
                   "flowzap_docs/sphinx_ext/__init__.py", "flowzap_docs/mkdocs_plugin/__init__.py",
                   *(f"flowzap_docs/static/{asset.name}" for asset in PAGE_ASSETS)):
        assert needed in names

    # A fresh environment; its dependencies (lark, sphinx, mkdocs...) come from the project's
    # environment through a .pth line, which is appended after the new site-packages, so the
    # installed wheel (not the editable checkout) is what gets imported.
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    py = env / "bin" / "python"
    site = Path(_run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "-q", wheel)

    probe = (
        "import flowzap_docs, flowzap_docs.sphinx_ext, flowzap_docs.mkdocs_plugin, importlib.util\n"
        "print(flowzap_docs.__file__)\n"
        "print(flowzap_docs.__version__)\n"
        "print(importlib.util.find_spec('sphinx_ext') is None, importlib.util.find_spec('mkdocs_plugin') is None)\n"
        "d = flowzap_docs.parse('A { # a\\n  n1: circle label:\"x\"\\n}\\n')\n"
        "print(d.nodes[0].label)\n"
    )
    out = _run(py, "-c", probe, cwd=tmp_path).stdout.splitlines()
    assert Path(out[0]).resolve().is_relative_to(site.resolve()), out[0]
    assert out[1] == _run(sys.executable, "-c", "import flowzap_docs; print(flowzap_docs.__version__)").stdout.strip()
    assert out[2] == "True True"
    assert out[3] == "x"
    assert not (site / "sphinx_ext").exists() and not (site / "mkdocs_plugin").exists()

    script = env / "bin" / "flowzap"
    assert script.exists()
    check = subprocess.run([script, "check", ROOT / "tests" / "data" / "examples" / "event-driven.fz"],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
