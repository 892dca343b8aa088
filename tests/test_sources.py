"""The core's folder rule and safe reading (flowzap_docs.sources), on real files: FIFOs,
folders, symlinks, binary, big and non-UTF-8 files; and the ``flowzap`` command and
``flowzap extract`` using them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowzap_docs.extract import extract_paths
from flowzap_docs.sources import (
    MAX_BYTES,
    AllowedFolders,
    project_root,
    read_page_file,
    read_text_file,
    resolve_reference,
    site_folders,
)

GOOD = 'Team { # Team\nn1: circle label:"Hello"\n}\n'
SECRET = "root:x:0:0:Topsecret9431:/root:/bin/bash\n"


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "good.fz").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.fz")
    (tmp_path / "folder.fz").mkdir()
    (tmp_path / "binary.fz").write_bytes(bytes(range(256)) * 3)
    (tmp_path / "utf16.fz").write_bytes(GOOD.encode("utf-16-le"))  # valid UTF-8, full of NULs
    (tmp_path / "stray-nul.fz").write_bytes(b'A { # a\n  n1: circle\x00\n}\n')
    (tmp_path / "big.fz").write_bytes(b"x" * (MAX_BYTES + 1))
    (tmp_path / "limit.fz").write_bytes(b"#" * MAX_BYTES)
    (tmp_path / "latin1.fz").write_bytes('A { # é\n}\n'.encode("latin-1"))
    return tmp_path


@pytest.mark.timeout(30)
def test_each_kind_of_file_gives_one_clear_answer(files: Path) -> None:
    def answer(name: str) -> tuple[str | None, str]:
        found = read_text_file(files / name)
        return (found.problem.code if found.problem else None), (found.problem.message if found.problem else "")

    assert read_text_file(files / "good.fz").text == GOOD
    assert answer("pipe.fz") == ("FZ904", "a FIFO (named pipe), not a text file")
    assert answer("folder.fz") == ("FZ904", "a directory, not a text file")
    assert answer("binary.fz")[0] == "FZ904" and "binary" in answer("binary.fz")[1]
    assert answer("utf16.fz")[0] == "FZ904"
    assert answer("stray-nul.fz") == (None, "")  # text with a mistake: the parser points at it (FZ116)
    assert answer("big.fz")[0] == "FZ904" and "too big" in answer("big.fz")[1]
    assert answer("limit.fz") == (None, "")
    assert answer("latin1.fz") == ("FZ117", "the file is not valid UTF-8 (byte 0xe9)")
    assert read_text_file(files / "latin1.fz").problem.line == 1  # type: ignore[union-attr]
    assert answer("missing.fz") == ("FZ902", "no such file")
    assert answer("/dev/null")[0] == "FZ904"  # a device


def test_references_resolve_from_the_page_and_slash_from_the_root(tmp_path: Path) -> None:
    page_dir, root = tmp_path / "docs" / "guide", tmp_path / "docs"
    assert resolve_reference("a.fz", page_dir, root) == str(page_dir / "a.fz")
    assert resolve_reference("../../x/a.fz", page_dir, root) == str(tmp_path / "x" / "a.fz")
    assert resolve_reference("/etc/passwd", page_dir, root) == str(root / "etc" / "passwd")


def test_the_folder_rule_follows_symlinks_and_never_opens_a_refused_file(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    docs.mkdir()
    outside.mkdir()
    (outside / "secret.fz").write_text(SECRET, encoding="utf-8")
    (docs / "link.fz").symlink_to(outside / "secret.fz")
    (docs / "in.fz").write_text(GOOD, encoding="utf-8")
    (outside / "link-in.fz").symlink_to(docs / "in.fz")
    allowed = AllowedFolders.of([docs], how_to_allow="list it")
    for path in (outside / "secret.fz", docs / "link.fz", docs / ".." / "outside" / "secret.fz"):
        found = read_page_file(path, allowed, named_as='src="x"', shown_from=tmp_path)
        assert found.text is None and found.problem is not None and found.problem.code == "FZ903"
        assert "Topsecret" not in found.problem.message and found.problem.hint == "list it"
        assert "outside/secret.fz" in found.problem.message and "(docs)" in found.problem.message
    # a symlink from outside into the docs is fine: the real path counts
    assert read_page_file(outside / "link-in.fz", allowed, named_as="x").text == GOOD
    # a sibling folder whose name starts like an allowed one is not inside it
    (tmp_path / "docs-other").mkdir()
    (tmp_path / "docs-other" / "a.fz").write_text(GOOD, encoding="utf-8")
    assert read_page_file(tmp_path / "docs-other" / "a.fz", allowed, named_as="x").problem.code == "FZ903"  # type: ignore[union-attr]
    # an unreadable allowed file: the path and the reason, at line 1 (the host puts it at its line)
    bad = read_page_file(docs / "nope.fz", allowed, named_as="'nope.fz'", shown_from=tmp_path)
    assert bad.problem is not None and bad.problem.message == "cannot read 'nope.fz': docs/nope.fz: no such file"


def test_sphinx_default_folders_are_the_source_folder_and_the_project_root(tmp_path: Path) -> None:
    project = tmp_path / "project"
    src = project / "docs" / "source"
    src.mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    project_root.cache_clear()
    assert project_root(str(src)) == str(project.resolve())
    default = site_folders([src], None, relative_to=src)
    assert default.folders == (str(src.resolve()), str(project.resolve()))
    assert site_folders([src], [], relative_to=src).folders == (str(src.resolve()),)
    listed = site_folders([src], ["../../shared"], relative_to=src)
    assert listed.folders == (str(src.resolve()), str((project / "shared").resolve()))
    plain = tmp_path / "plain" / "docs"  # no project marker: the parent of the source folder
    plain.mkdir(parents=True)
    assert project_root(str(plain)) == str((tmp_path / "plain").resolve())


def flowzap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowzap_docs", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60)


@pytest.mark.timeout(120)
def test_the_command_refuses_a_fifo_a_folder_and_binary_without_hanging(files: Path) -> None:
    for command in ("check", "fmt", "export", "render"):
        run = flowzap(command, str(files / "pipe.fz"))
        assert run.returncode == 1, (command, run.stderr)
        assert f"{files / 'pipe.fz'}:1:1: error[FZ904]: a FIFO (named pipe), not a text file" in run.stderr, command
        assert "Traceback" not in run.stderr
    run = flowzap("check", str(files / "big.fz"), str(files / "binary.fz"))
    assert run.returncode == 1 and run.stderr.count("error[FZ904]") == 2


def test_extract_follows_files_only_inside_the_chosen_folders(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    docs.mkdir()
    outside.mkdir()
    (outside / "secret.fz").write_text('Vault { # Topsecret9431\n}\n', encoding="utf-8")
    (docs / "page.md").write_text('```flowzap src="../outside/secret.fz"\n```\n', encoding="utf-8")
    res = extract_paths([docs], base=docs)
    assert [(f, d.code, d.line) for f, d in res.diagnostics] == [("page.md", "FZ903", 1)]
    assert not res.messages and res.errors
    allowed = extract_paths([docs], base=tmp_path)  # the user chose the parent: it is followed
    assert [m.text for m in allowed.messages] == ["Topsecret9431"]
