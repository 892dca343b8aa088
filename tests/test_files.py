"""The one atomic writer (:mod:`flowzap_docs.files`) and the files every host writes with it.

Modes are checked under a real umask: each writing process (a small script, ``flowzap``, a real
``sphinx-build``, a real ``mkdocs build``) is started with ``subprocess``'s ``umask=``, so the
test process's own umask (shared with nothing else, but still) is never changed.  Under umask
022 a file for people must be 0644 and under 002 0664: what any program makes, and what a web
server running as another user can read.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flowzap_docs.files import write_atomic, write_once

UMASKS = (0o022, 0o002)
DIAGRAM = 'Sales { # Sales\nn1: circle label:"Start"\nn2: rectangle label:"Take the order"\n' \
          'n1.handle(right) -> n2.handle(left)\n}\n'
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def normal_mode(umask: int) -> int:
    return 0o666 & ~umask


def run(args: list[str], umask: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1", NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(args, cwd=cwd, umask=umask, capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


# --------------------------------------------------------------------------- the writer itself


def test_writes_bytes_and_text_and_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "out.svg"  # missing folders are made
    write_atomic(target, b"<svg/>")
    assert target.read_bytes() == b"<svg/>"
    write_atomic(target, "caf\u00e9\r\nline\n")  # text: UTF-8, line ends exactly as given
    assert target.read_bytes() == "caf\u00e9\r\nline\n".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.svg"]


def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomic(target, b"data")  # os.replace cannot put a file over a folder
    assert (target / "inside").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_keep_mode_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    for wanted in (0o600, 0o755, 0o640):
        target = tmp_path / f"source-{wanted:o}.fz"
        target.write_text("old", encoding="utf-8")
        target.chmod(wanted)
        write_atomic(target, "new", keep_mode=True, durable=True)
        assert (target.read_text(encoding="utf-8"), mode(target)) == ("new", wanted)


def test_write_once_leaves_an_existing_content_addressed_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "abc.svg"
    write_once(target, b"first")
    write_once(target, b"second")
    assert target.read_bytes() == b"first"


@pytest.mark.parametrize("umask", UMASKS)
def test_new_and_replaced_files_get_the_umask_mode(tmp_path: Path, umask: int) -> None:
    script = textwrap.dedent("""\
        import sys
        from flowzap_docs.files import write_atomic
        for name in sys.argv[1:]:
            write_atomic(name, b"one")
            write_atomic(name, "two")
    """)
    private = tmp_path / "was-private.txt"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)  # replaced, not kept: the new file is ours
    run([sys.executable, "-c", script, "fresh.txt", "was-private.txt"], umask, tmp_path)
    for name in ("fresh.txt", "was-private.txt"):
        assert (tmp_path / name).read_text(encoding="utf-8") == "two"
        assert mode(tmp_path / name) == normal_mode(umask), name
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- the flowzap command


@pytest.mark.parametrize("umask", UMASKS)
def test_cli_outputs_get_the_umask_mode(tmp_path: Path, umask: int) -> None:
    (tmp_path / "x.fz").write_text(DIAGRAM, encoding="utf-8")
    (tmp_path / "page.md").write_text("# Page\n\n```flowzap\n" + DIAGRAM + "```\n", encoding="utf-8")
    flowzap = [sys.executable, "-m", "flowzap_docs"]
    run([*flowzap, "render", "x.fz", "-o", "x.svg"], umask, tmp_path)
    run([*flowzap, "render", "x.fz", "-o", "x.png"], umask, tmp_path)
    run([*flowzap, "render", "x.fz", "-o", "pdfs/", "--format", "pdf"], umask, tmp_path)
    run([*flowzap, "extract", "page.md", "x.fz", "-o", "po/messages.pot"], umask, tmp_path)
    run([*flowzap, "export", "x.fz", "-o", "x.json"], umask, tmp_path)
    written = [tmp_path / n for n in ("x.svg", "x.png", "pdfs/x.pdf", "po/messages.pot", "x.json")]
    assert (tmp_path / "x.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "x.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "pdfs" / "x.pdf").read_bytes().startswith(b"%PDF")
    assert 'msgid "Take the order"' in (tmp_path / "po" / "messages.pot").read_text(encoding="utf-8")
    assert {p.name: oct(mode(p)) for p in written} == {p.name: oct(normal_mode(umask)) for p in written}
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("umask", UMASKS)
def test_fmt_keeps_the_mode_of_the_source_it_rewrites(tmp_path: Path, umask: int) -> None:
    source = tmp_path / "x.fz"
    source.write_text(DIAGRAM.replace("\n", "  \n", 1), encoding="utf-8")  # a trailing blank to remove
    source.chmod(0o640)
    run([sys.executable, "-m", "flowzap_docs", "fmt", "x.fz"], umask, tmp_path)
    assert source.read_text(encoding="utf-8") != DIAGRAM.replace("\n", "  \n", 1)  # it was rewritten
    assert mode(source) == 0o640
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- the hosts


@pytest.mark.parametrize("umask", UMASKS)
def test_sphinx_image_files_and_cache_get_the_umask_mode(tmp_path: Path, umask: int) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('project = "modes"\nextensions = ["flowzap_docs.sphinx_ext"]\n'
                                 'html_theme = "basic"\n', encoding="utf-8")
    body = textwrap.indent(DIAGRAM, "   ")
    (src / "index.rst").write_text(f"Modes\n=====\n\n.. flowzap::\n   :format: img\n\n{body}\n", encoding="utf-8")
    for builder in ("html", "latex"):
        run([sys.executable, "-m", "sphinx", "-q", "-b", builder, "-d", str(tmp_path / "doctrees"), str(src),
             str(tmp_path / builder)], umask, tmp_path)
    svgs = list((tmp_path / "html").rglob("flowzap-*.svg"))
    pdfs = list((tmp_path / "latex").rglob("flowzap-*.pdf"))
    packs = list((tmp_path / "doctrees" / "flowzap-cache").rglob("*.pack"))
    assert len(svgs) == 1 and len(pdfs) == 1 and packs
    assert svgs[0].read_text(encoding="utf-8").startswith("<svg") and pdfs[0].read_bytes().startswith(b"%PDF")
    # Sphinx's own files, for comparison: ours are written the same way
    assert mode(tmp_path / "html" / "index.html") == normal_mode(umask)
    for path in [*svgs, *pdfs, *packs]:
        assert mode(path) == normal_mode(umask), path
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("umask", UMASKS)
def test_mkdocs_image_files_and_cache_get_the_umask_mode(tmp_path: Path, umask: int) -> None:
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Modes
        plugins:
          - flowzap:
              format: img
              cache_dir: .cache/flowzap
    """), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Modes\n\n```flowzap\n" + DIAGRAM + "```\n", encoding="utf-8")
    run([MKDOCS, "build", "-q", "-f", "mkdocs.yml", "-d", "site"], umask, tmp_path)
    assets = sorted((tmp_path / "site" / "assets" / "flowzap").iterdir())
    packs = list((tmp_path / ".cache" / "flowzap").rglob("*.pack"))
    drawings = [path for path in assets if path.suffix == ".svg"]
    assert len(drawings) == 1 and packs
    assert any(path.name == "flowzap.css" for path in assets)  # the page's stylesheet, also ours
    assert drawings[0].read_text(encoding="utf-8").startswith("<svg")
    assert mode(tmp_path / "site" / "index.html") == normal_mode(umask)  # MkDocs' own page, for comparison
    for path in [*assets, *packs]:
        assert mode(path) == normal_mode(umask), path
    assert leftovers(tmp_path) == []


def test_no_module_writes_files_by_itself() -> None:
    """Every file we write goes through :mod:`flowzap_docs.files` (a second writer is how the
    0600 files came about: ``tempfile.mkstemp`` in three places)."""
    root = Path(__file__).resolve().parent.parent
    writing = re.compile(r"os\.replace\(|os\.rename\(|mkstemp|NamedTemporaryFile|\.write_bytes\(|\.write_text\("
                         r"""|\bopen\([^)]*["'][rwxab+]*[wxa][rwxab+]*["']|os\.O_CREAT""")
    found = [f"{path.relative_to(root)}:{n}: {line.strip()}"
             for folder in ("flowzap_docs", "sphinx_ext", "mkdocs_plugin", "tools")
             for path in sorted((root / folder).rglob("*.py")) if path.name != "files.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if writing.search(line)]
    assert found == []
    assert writing.search('with open(tmp, "xb") as f:') and writing.search("fd, tmp = tempfile.mkstemp()")
