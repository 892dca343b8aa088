"""``mkdocs serve`` behaviour (builds in one process, watched ``src=`` files) and living beside
other plugins (search, mkdocs-static-i18n, macros).

The serve tests build in-process, exactly as ``mkdocs serve`` does between edits: a fresh
``load_config`` and ``build`` each time, the plugin object kept by MkDocs (it has ``on_startup``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))


def diagram(label: str) -> str:
    return f'Sales {{ # Sales\nn1: circle label:"{label}"\nn2: rectangle label:"Next"\nn1.handle(right) -> n2.handle(left)\n}}\n'


def fence(body: str, header: str = "flowzap") -> str:
    return f"```{header}\n{body}```\n"


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b[^>]*class=\"flowzap\".*?</svg>", html, flags=re.S)


@pytest.fixture
def serve_site(tmp_path: Path) -> Path:
    # labels unique to this test: the plugin (and its memory cache) outlives a single test
    tag = tmp_path.name
    (tmp_path / "docs").mkdir()
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Serve\nplugins:\n  - flowzap:\n      cache_dir: false\n")
    (tmp_path / "diagrams" / "outside.fz").write_text(diagram(f"Outside {tag}"), encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        "# A\n\n" + fence(diagram(f"First {tag}")) + "\n" + fence("", 'flowzap src="../diagrams/outside.fz"'),
        encoding="utf-8")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n" + fence(diagram(f"Second {tag}")), encoding="utf-8")
    return tmp_path


def build_once(root: Path, dirty: bool = False):
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, dirty=dirty)
    return config, config.plugins["flowzap"]


def test_second_build_in_one_process_redraws_nothing(serve_site: Path):
    _, plugin = build_once(serve_site)
    assert re.match(r"flowzap: 3 diagrams \(0 cached, 3 drawn\)", plugin.last_summary), plugin.last_summary
    _, again = build_once(serve_site)
    assert again is plugin  # MkDocs kept the plugin object, and with it the Renderer's memory cache
    assert re.match(r"flowzap: 3 diagrams \(3 cached, 0 drawn\)", plugin.last_summary), plugin.last_summary
    assert len(svgs((serve_site / "site" / "index.html").read_text(encoding="utf-8"))) == 2


def test_an_edit_redraws_only_the_changed_diagram(serve_site: Path):
    build_once(serve_site)
    page = serve_site / "docs" / "b.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Next", "Then"), encoding="utf-8")
    _, plugin = build_once(serve_site)
    assert re.match(r"flowzap: 3 diagrams \(2 cached, 1 drawn\)", plugin.last_summary), plugin.last_summary
    assert "Then" in (serve_site / "site" / "b" / "index.html").read_text(encoding="utf-8")


def test_a_changed_src_file_is_redrawn(serve_site: Path):
    build_once(serve_site)
    src = serve_site / "diagrams" / "outside.fz"
    src.write_text(src.read_text(encoding="utf-8").replace("Next", "Changed in the file"), encoding="utf-8")
    _, plugin = build_once(serve_site)
    assert re.match(r"flowzap: 3 diagrams \(2 cached, 1 drawn\)", plugin.last_summary), plugin.last_summary
    assert "Changed in the file" in (serve_site / "site" / "index.html").read_text(encoding="utf-8")


def test_dirty_rebuild_redraws_the_page_whose_src_file_changed(serve_site: Path):
    build_once(serve_site)
    other = serve_site / "site" / "b" / "index.html"
    other_mtime = other.stat().st_mtime_ns
    src = serve_site / "diagrams" / "outside.fz"
    src.write_text(src.read_text(encoding="utf-8").replace("Next", "Changed for dirty"), encoding="utf-8")
    later = (serve_site / "site" / "index.html").stat().st_mtime + 5
    os.utime(src, (later, later))  # clearly newer than the page's HTML, whatever the clock resolution
    _, plugin = build_once(serve_site, dirty=True)
    assert "Changed for dirty" in (serve_site / "site" / "index.html").read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == other_mtime  # the dirty build left the untouched page alone
    assert re.match(r"flowzap: 2 diagrams \(1 cached, 1 drawn\)", plugin.last_summary), plugin.last_summary


def test_src_files_are_watched_by_serve(serve_site: Path):
    config, plugin = build_once(serve_site)
    outside = str((serve_site / "diagrams" / "outside.fz").resolve())
    assert outside in plugin.watched_files
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(serve_site / "site"))
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert os.path.abspath(outside) in server._watched_paths
    finally:
        server.server_close()


# --------------------------------------------------------------------------- other plugins

I18N_CONFIG = """\
    site_name: Beside others
    theme:
      name: material
    plugins:
      - search
      - i18n:
          docs_structure: suffix
          fallback_to_default: true
          languages:
            - locale: en
              default: true
              name: English
              build: true
            - locale: fr
              name: Français
              build: true
      - macros
      - flowzap:
          cache_dir: false
    markdown_extensions:
      - admonition
      - pymdownx.superfences
"""

BILINGUAL = ('Shop { # Shop\nn1: circle label:"Start" label@fr:"Début"\n'
             'n2: rectangle label:"Take the order"\nn1.handle(right) -> n2.handle(left)\n}\n')
PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Take the order"\nmsgstr "Prendre la commande"\n'


@pytest.fixture(scope="module")
def i18n_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("i18n")
    (root / "mkdocs.yml").write_text(textwrap.dedent(I18N_CONFIG), encoding="utf-8")
    docs = root / "docs"
    docs.mkdir()
    macro_lines = "{% for i in range(3) %}\nMacro line {{ i }}\n{% endfor %}\n"
    (docs / "index.md").write_text("# Home\n\nSite: {{ config.site_name }}\n\n" + fence(BILINGUAL), encoding="utf-8")
    (docs / "index.fr.md").write_text("# Accueil\n\n" + macro_lines + "\n" + fence(BILINGUAL), encoding="utf-8")
    (docs / "other.md").write_text("# Other\n\n!!! note\n\n    ```flowzap\n    " + BILINGUAL.replace("\n", "\n    ")
                                   + "```\n", encoding="utf-8")
    catalog = root / "locales" / "fr" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "flowzap.po").write_text(PO, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    result = subprocess.run([MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
                            capture_output=True, text=True, env=env, timeout=120)
    return root, result


def test_site_with_search_i18n_and_macros_builds_strict(i18n_site):
    root, result = i18n_site
    assert result.returncode == 0, result.stderr
    assert "Site: Beside others" in (root / "site" / "index.html").read_text(encoding="utf-8")  # macros ran
    assert (root / "site" / "search" / "search_index.json").exists()


def test_each_language_build_gets_its_own_svg(i18n_site):
    root, _ = i18n_site
    (en,) = svgs((root / "site" / "index.html").read_text(encoding="utf-8"))
    (fr,) = svgs((root / "site" / "fr" / "index.html").read_text(encoding="utf-8"))
    assert "Start" in en and "Take the order" in en
    assert "Début" in fr and "Prendre la commande" in fr  # inline label@fr, then the catalog
    # a page with no French version falls back to the English text but is drawn in French
    (other_fr,) = svgs((root / "site" / "fr" / "other" / "index.html").read_text(encoding="utf-8"))
    assert "Début" in other_fr
