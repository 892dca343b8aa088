"""Pages may name diagram files only inside the site's folders; files that are not text are
refused without hanging.  Real ``mkdocs build`` and ``sphinx-build`` runs on one small project.

The project (``project/``, with a ``pyproject.toml`` marking its root) has a docs folder, a
``data/`` folder beside it, and a folder ``outside/`` next to the project holding a "secret"
that looks like ``/etc/passwd``: before the folder rule, its lines were published in the
error box of a page that named it.  Every refused or unreadable file gives one error at the
page's line naming the path and the rule, an error box without the file's content, and a
failed strict build; the site owner's ``base_path`` / ``flowzap_base_paths`` allows a folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
TOKEN = "Topsecret9431"
SECRET = f"root:x:0:0:{TOKEN}:/root:/bin/bash\ndaemon:x:1:1:{TOKEN}-daemon:/usr/sbin\n"
GOOD = 'Far { # Far away\nn1: circle label:"Outside ok"\nn2: rectangle label:"Drawn"\nn1.handle(right) -> n2.handle(left)\n}\n'

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def make_project(root: Path) -> dict[str, tuple[str, str]]:
    """The files, and per page: (the path its diagram names, the code it must report).
    A code of ``""`` means the diagram is drawn."""
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.fz").write_text(SECRET, encoding="utf-8")
    (outside / "good.fz").write_text(GOOD, encoding="utf-8")
    project = root / "project"
    (project / "docs").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    data = project / "data"
    data.mkdir()
    os.mkfifo(data / "pipe.fz")
    (data / "folder.fz").mkdir()
    (data / "binary.fz").write_bytes(b"Team { # T\n\x00\x01\x02" + bytes(range(256)))
    (data / "big.fz").write_bytes(b"# filler line of a very big file\n" * 40000)  # 1.3 MB
    (data / "latin1.fz").write_bytes('Team { # Équipe\nn1: circle label:"Café"\n}\n'.encode("latin-1"))
    (data / "ok.fz").write_text(GOOD.replace("Outside ok", "Inside ok"), encoding="utf-8")
    (project / "docs" / "link.fz").symlink_to(outside / "secret.fz")
    return {
        "escape": ("../../outside/secret.fz", "FZ903"),
        "absolute": (str(outside / "secret.fz"), "FZ902"),  # "/..." starts from the docs folder
        "link": ("link.fz", "FZ903"),
        "fifo": ("../data/pipe.fz", "FZ904"),
        "folder": ("../data/folder.fz", "FZ904"),
        "binary": ("../data/binary.fz", "FZ904"),
        "big": ("../data/big.fz", "FZ904"),
        "latin1": ("../data/latin1.fz", "FZ117"),
        "based": ("../../outside/good.fz", "FZ903"),
        "inside": ("../data/ok.fz", ""),
    }


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def assert_no_secret(site: Path, log: str) -> None:
    for name, text in html_pages(site).items():
        assert TOKEN not in text, name
    assert TOKEN not in log


def failing_pages(pages: dict[str, tuple[str, str]], html: dict[str, str]) -> list[tuple[str, tuple[str, str]]]:
    """The pages whose file must be refused, each checked for its one error box; the page
    whose file is allowed is checked for its drawing."""
    out = []
    for name, (path, code) in pages.items():
        page = html[f"{name}.html"]
        if not code:
            assert "Inside ok" in page and 'class="flowzap-error' not in page
            continue
        assert page.count('class="flowzap-error') == 1 and f"error[{code}]" in page, name
        out.append((name, (path, code)))
    return out


def assert_every_problem_said(log: str) -> None:
    for words in ("a FIFO", "a directory", "binary content", "too big", "not valid UTF-8", "no such file"):
        assert words in log, words
    assert "Traceback" not in log


def assert_strict_failed(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode != 0
    assert "error[FZ903]" in run.stderr and "error[FZ904]" in run.stderr
    assert TOKEN not in run.stderr


def assert_drawn_from_outside(page: str) -> None:
    assert "Outside ok" in page and 'class="flowzap-error' not in page


# --------------------------------------------------------------------------- MkDocs


def write_mkdocs(root: Path, pages: dict[str, tuple[str, str]], extra: str = "") -> Path:
    project = root / "project"
    config = project / f"mkdocs{extra and '-based'}.yml"
    config.write_text(textwrap.dedent("""\
        site_name: Paths
        use_directory_urls: false
        plugins:
          - flowzap:
              cache_dir: false
        """) + extra, encoding="utf-8")
    for name, (path, _code) in pages.items():
        text = f"# {name}\n\n```flowzap src=\"{path}\"\n```\n"
        (project / "docs" / f"{name}.md").write_text(text, encoding="utf-8")
    return config


def mkdocs_build(config: Path, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    return subprocess.run([MKDOCS, "build", "-f", str(config), "-d", str(site), *args],
                          capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture(scope="module")
def mkdocs_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    root = tmp_path_factory.mktemp("mkdocs-paths")
    pages = make_project(root)
    write_mkdocs(root, pages)
    return root, pages


@pytest.fixture(scope="module")
def mkdocs_run(mkdocs_project) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root, _pages = mkdocs_project
    site = root / "site"
    return site, mkdocs_build(root / "project" / "mkdocs.yml", site)


def test_mkdocs_refuses_and_reports_each_file_at_the_fence(mkdocs_project, mkdocs_run) -> None:
    _root, pages = mkdocs_project
    site, run = mkdocs_run
    assert run.returncode == 0, run.stderr
    html = html_pages(site)
    for name, (path, code) in failing_pages(pages, html):
        assert f"docs/{name}.md:3:1: error[{code}]: " in run.stderr, (name, run.stderr)
        said = re.search(rf"docs/{name}\.md:3:1: error\[{code}\]: (.*)", run.stderr).group(1)  # type: ignore[union-attr]
        assert f'src="{path}"' in said, said
    assert "is outside the folders diagram files are read from" in run.stderr
    assert "base_path option" in run.stderr
    assert "which leads to" in run.stderr  # the symlink: its real path is named
    assert_every_problem_said(run.stderr)
    assert_no_secret(site, run.stderr)


def test_mkdocs_strict_build_fails_on_a_refused_file(mkdocs_project) -> None:
    root, _pages = mkdocs_project
    run = mkdocs_build(root / "project" / "mkdocs.yml", root / "site-strict", "--strict")
    assert_strict_failed(run)


def test_mkdocs_base_path_allows_a_folder_outside_the_project(tmp_path: Path) -> None:
    root = tmp_path
    make_project(root)
    config = write_mkdocs(root, {"based": ("../../outside/good.fz", "")}, "      base_path: [../outside]\n")
    site = root / "site-based"
    run = mkdocs_build(config, site)
    assert run.returncode == 0, run.stderr
    page = (site / "based.html").read_text(encoding="utf-8")
    assert_drawn_from_outside(page)
    assert "docs/based.md" not in run.stderr


# --------------------------------------------------------------------------- Sphinx


def write_sphinx(root: Path, pages: dict[str, tuple[str, str]], extra: str = "") -> Path:
    docs = root / "project" / "docs"
    (docs / "conf.py").write_text('extensions = ["flowzap_docs.sphinx_ext"]\nflowzap_cache_dir = False\n' + extra,
                                  encoding="utf-8")
    names = "\n   ".join(pages)
    (docs / "index.rst").write_text(f"Paths\n=====\n\n.. toctree::\n\n   {names}\n", encoding="utf-8")
    for name, (path, _code) in pages.items():
        (docs / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\n.. flowzap:: {path}\n", encoding="utf-8")
    return docs


def sphinx_build(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(out) + "-doctrees", *args, str(src), str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env={**os.environ, "NO_COLOR": "1"})


#: ``:lang:`` names catalog folders (``locales/<lang>/LC_MESSAGES``): a path there must not reach
#: this catalog beside the project.
EVIL_LANG = "../../../outside/evil"
EVIL_PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Hello"\nmsgstr "Stolen9431"\n'


@pytest.fixture(scope="module")
def sphinx_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    root = tmp_path_factory.mktemp("sphinx-paths")
    pages = make_project(root)
    pages["absolute"] = ("/" + str(root / "outside" / "secret.fz").lstrip("/"), "FZ902")  # from the source folder
    docs = write_sphinx(root, pages)
    catalog = root / "outside" / "evil" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "lang.po").write_text(EVIL_PO, encoding="utf-8")
    (docs / "locales").mkdir()  # the site's own catalogs folder: the path goes through it
    (docs / "lang.rst").write_text(f'Lang\n====\n\n.. flowzap::\n   :lang: {EVIL_LANG}\n\n'
                                   '   Team { # Team\n   n1: circle label:"Hello"\n   }\n', encoding="utf-8")
    with open(docs / "index.rst", "a", encoding="utf-8") as fh:
        fh.write("   lang\n")
    return root, pages


def test_sphinx_refuses_and_reports_each_file_at_the_directive(sphinx_project) -> None:
    root, pages = sphinx_project
    docs = root / "project" / "docs"
    out = root / "html"
    run = sphinx_build(docs, out)
    assert run.returncode == 0, run.stderr
    html = html_pages(out)
    for name, (path, code) in failing_pages(pages, html):
        where = f"{docs / name}.rst:4: WARNING: FlowZap error[{code}]: "
        said = next((line for line in run.stderr.splitlines() if line.startswith(where)), None)
        assert said is not None, (name, run.stderr)
        assert f"'{path}'" in said, said
    assert "is outside the folders diagram files are read from" in run.stderr
    assert "flowzap_base_paths" in run.stderr
    assert_every_problem_said(run.stderr)
    assert_no_secret(out, run.stderr)
    lang = html["lang.html"]
    assert "Hello" in lang and "Stolen9431" not in lang
    assert f"{docs / 'lang'}.rst:4: WARNING: :lang: must be a language code" in run.stderr


def test_sphinx_strict_build_fails_on_a_refused_file(sphinx_project) -> None:
    root, _pages = sphinx_project
    run = sphinx_build(root / "project" / "docs", root / "html-strict", "-W", "--keep-going")
    assert_strict_failed(run)


def test_sphinx_base_paths_allow_a_folder_outside_the_project(tmp_path: Path) -> None:
    root = tmp_path
    make_project(root)
    docs = write_sphinx(root, {"based": ("../../outside/good.fz", "")}, 'flowzap_base_paths = ["../../outside"]\n')
    out = root / "html-based"
    run = sphinx_build(docs, out, "-W")
    assert run.returncode == 0, run.stderr
    page = (out / "based.html").read_text(encoding="utf-8")
    assert_drawn_from_outside(page)


# --------------------------------------------------------------------------- Python-Markdown alone


def test_markdown_alone_reads_inside_the_current_folder_and_its_base_path(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    import markdown

    make_project(tmp_path)
    monkeypatch.chdir(tmp_path / "project")
    text = '```flowzap src="../outside/good.fz"\n```\n'
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("flowzap_docs.markdown").addHandler(handler)
    try:
        refused = markdown.markdown(text, extensions=["flowzap"])
        secret = markdown.markdown('```flowzap src="/etc/passwd"\n```\n', extensions=["flowzap"])
        allowed = markdown.markdown(text, extensions=["flowzap"],
                                    extension_configs={"flowzap": {"base_path": ["../outside"]}})
    finally:
        logging.getLogger("flowzap_docs.markdown").removeHandler(handler)
    assert "flowzap-error" in refused and "FZ903" in refused and "Outside ok" not in refused
    assert "FZ902" in secret and "root:" not in secret  # "/x" starts from the current folder
    assert "Outside ok" in allowed and "flowzap-error" not in allowed
    assert any("error[FZ903]" in r and "base_path" in r for r in records)
