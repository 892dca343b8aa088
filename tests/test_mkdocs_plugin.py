"""The MkDocs plugin in real ``mkdocs build`` runs: a plain site and a Material + SuperFences site.

Each site is built once per module (a subprocess, like a user's build) and several tests read
its output.  No mocks: real MkDocs, real Material, real SuperFences, real files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flowzap_docs.assets import PAGE_ASSETS
from flowzap_docs.pipeline import DiagramRequest, Renderer

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
EXAMPLES = Path(__file__).parent / "data" / "examples"

SMALL = textwrap.dedent("""\
    Sales { # Sales
    n1: circle label:"Start"
    n2: rectangle label:"Take the order"
    n1.handle(right) -> n2.handle(left)
    }
""")
TINY = 'Ops { # Ops\nn1: circle label:"Tiny"\nn2: rectangle label:"Twice"\nn1.handle(right) -> n2.handle(left)\n}\n'
BROKEN = 'Sales { # Sales\nn1: circle label:Start\n}\n'


def write_site(root: Path, config: str, pages: dict[str, str]) -> Path:
    (root / "mkdocs.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def mkdocs_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    return subprocess.run(
        [MKDOCS, "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site"), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b[^>]*class=\"flowzap\".*?</svg>", html, flags=re.S)


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def fence(body: str, header: str = "flowzap", indent: str = "") -> str:
    lines = [f"```{header}", *body.rstrip("\n").split("\n"), "```"]
    return "\n".join(indent + line if line else line for line in lines) + "\n"


# --------------------------------------------------------------------------- Material site

MATERIAL_CONFIG = """\
    site_name: Material test
    theme:
      name: material
      palette:
        - scheme: default
          toggle: {icon: material/weather-night, name: Dark}
        - scheme: slate
          toggle: {icon: material/weather-sunny, name: Light}
    plugins:
      - search
      - flowzap:
          cache_dir: false
    markdown_extensions:
      - admonition
      - attr_list
      - pymdownx.details
      - pymdownx.highlight
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: mermaid
              format: !!python/name:pymdownx.superfences.fence_code_format
      - pymdownx.tabbed:
          alternate_style: true
"""

INDEX = (
    "---\ntitle: Home\n---\n\n# Home\n\n"
    + fence(SMALL, 'flowzap view="sequence" caption="Taking an order"')
    + "\n"
    + fence(SMALL, '{.flowzap #order-diagram .wide theme="mono" align="center" width="480" alt="Custom alt"}')
    + "\n"
    + fence('print("hello")', "python")
    + "\n"
    + fence("graph LR; A-->B", "mermaid")
    + "\n````markdown\n" + fence('Lit { # Literal\nn1: circle label:"LITERAL-MARKER"\n}') + "````\n\n"
    + fence(TINY) + "\n" + fence(TINY)
)

NESTED = (
    "# Nested\n\n!!! note \"In an admonition\"\n\n" + fence(SMALL.replace("Start", "InAdmonition"), indent="    ")
    + '\n=== "Tab one"\n\n' + fence(SMALL.replace("Start", "InTab"), indent="    ")
    + '\n=== "Tab two"\n\n    Nothing.\n'
    + "\n- A list item\n\n" + fence(SMALL.replace("Start", "InList"), indent="    ")
    + '\n??? tip "Nested deeper"\n\n    !!! warning\n\n' + fence(SMALL.replace("Start", "Deep"), indent="        ")
)

SRC_PAGE = '# From a file\n\n```flowzap src="diagrams/request.fz" view="sequence"\n```\n'

# Lines matter here: the broken diagram's bad line is line 9 of the file (front matter counted).
BROKEN_PAGE = (
    "---\ntitle: Broken\n---\n\n# Broken\n\n"  # lines 1-6
    + fence(BROKEN)  # lines 7-11: error on line 9, column 18
    + "\n!!! note\n\n"  # lines 12-14
    + fence('Sales { # Sales\nn1: hexagon label:"X"\n}', indent="    ")  # 15-19: line 17, column 9
    + "\n"  # 20
    + fence(BROKEN)  # 21-25: the same broken body again, line 23
    + "\n"  # 26
    + fence(TINY, 'flowzap colour="red"')  # 27: unknown attribute
    + "\n"
    + fence(TINY, 'flowzap view="diagonal"')  # bad value
)


def line_of(text: str, start: str) -> int:
    """1-based number of the first line of ``text`` that starts with ``start``."""
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(start))


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = write_site(tmp_path_factory.mktemp("material"), MATERIAL_CONFIG, {
        "index.md": INDEX, "nested.md": NESTED, "guide/src.md": SRC_PAGE, "broken.md": BROKEN_PAGE,
    })
    (root / "docs" / "guide" / "diagrams").mkdir()
    (root / "docs" / "guide" / "diagrams" / "request.fz").write_text(
        (EXAMPLES / "request-response.fz").read_text(encoding="utf-8"), encoding="utf-8")
    result = mkdocs_build(root)
    return root, result


def page(root: Path, name: str) -> str:
    return (root / "site" / name).read_text(encoding="utf-8")


def test_material_site_builds_despite_a_broken_diagram(material_site):
    root, result = material_site
    assert result.returncode == 0, result.stderr
    assert (root / "site" / "broken" / "index.html").exists()


def test_fences_become_inline_svg_and_other_languages_are_untouched(material_site):
    root, _ = material_site
    html = page(root, "index.html")
    assert len(svgs(html)) == 4  # two diagrams, then the same tiny one twice
    assert 'class="highlight"' in html and "hello" in html  # python: highlighted as usual
    assert '<pre class="mermaid"><code>graph LR; A--&gt;B</code></pre>' in html  # the user's own custom fence


def test_a_flowzap_fence_inside_another_fence_stays_literal(material_site):
    root, _ = material_site
    html = page(root, "index.html")
    assert "LITERAL-MARKER" in html
    assert all("LITERAL-MARKER" not in svg for svg in svgs(html))
    assert "```flowzap" in html


def test_superfences_style_attributes(material_site):
    root, _ = material_site
    html = page(root, "index.html")
    first = svgs(html)[0]
    assert 'data-view="sequence"' in first
    assert "<figcaption>Taking an order</figcaption>" in html


def test_brace_style_attributes(material_site):
    root, _ = material_site
    html = page(root, "index.html")
    m = re.search(r'<div id="order-diagram" class="([^"]*)"[^>]*><div class="flowzap-scroll"[^>]*>(<svg.*?</svg>)',
                  html, flags=re.S)
    assert m, "the brace-style fence keeps its #id on the wrapper"
    assert "flowzap-align-center" in m.group(1) and "wide" in m.group(1)
    svg = m.group(2)
    assert 'aria-label="Custom alt"' in svg and "aria-labelledby" not in svg.split(">", 1)[0]
    assert "width:480px;max-width:100%;min-width:" in svg.split(">", 1)[0]
    # the theme reached the core: the same request drawn directly gives the same SVG (modulo the tag)
    prefix = re.search(r'<svg[^>]*\sid="([^"]+)"', svg).group(1)
    direct = Renderer().render(DiagramRequest(SMALL, theme="mono", id_prefix=prefix)).svg
    mono_body = direct.split(">", 1)[1]
    assert svg.split(">", 1)[1] == mono_body


def test_ids_are_unique_on_a_page_with_identical_diagrams(material_site):
    root, _ = material_site
    html = page(root, "index.html")
    found = ids(html)
    assert len(found) == len(set(found))


def test_fences_in_admonitions_tabs_lists_and_nested_blocks(material_site):
    root, _ = material_site
    html = page(root, "nested/index.html")
    drawn = svgs(html)
    assert len(drawn) == 4
    admonition = re.search(r'<div class="admonition note">.*?</div>\s*<div class="tabbed-set', html, flags=re.S)
    assert admonition and "InAdmonition" in admonition.group(0)
    tabs = re.search(r'<div class="tabbed-set.*?</div>\s*</div>', html, flags=re.S)
    assert tabs and "InTab" in tabs.group(0)
    item = re.search(r"<li>.*?</li>", html, flags=re.S)
    assert item and "InList" in item.group(0)
    details = re.search(r"<details.*?</details>", html, flags=re.S)
    assert details and "Deep" in details.group(0)


def test_src_attribute_reads_a_file_relative_to_the_page(material_site):
    root, _ = material_site
    html = page(root, "guide/src/index.html")
    (svg,) = svgs(html)
    assert "POST /login" in svg and 'data-view="sequence"' in svg


def test_material_dark_palette_rules_are_in_the_inline_svg(material_site):
    root, _ = material_site
    svg = svgs(page(root, "index.html"))[0]
    assert "data-md-color-scheme=slate" in svg.replace('"', "")


def test_broken_diagram_warnings_name_page_line_and_column(material_site):
    _, result = material_site
    log = result.stderr
    assert "WARNING -  docs/broken.md:9:18: error[FZ105]" in log
    assert "WARNING -  docs/broken.md:23:18: error[FZ105]" in log  # the same body again, its own line
    assert "WARNING -  docs/broken.md:17:9: error[FZ102]" in log  # in an admonition: column counts the indent
    assert "help: " in log
    assert "WARNING -  docs/broken.md:27:1: warning[FZ311]: unknown fence attribute `colour`" in log
    assert line_of(BROKEN_PAGE, "n1: circle label:Start") == 9
    assert line_of(BROKEN_PAGE, '```flowzap colour="red"') == 27
    assert f"WARNING -  docs/broken.md:{line_of(BROKEN_PAGE, '```flowzap view=')}:1: error[FZ301]" in log


def test_broken_diagram_page_shows_error_boxes(material_site):
    root, _ = material_site
    html = page(root, "broken/index.html")
    assert html.count('class="flowzap-error admonition error"') == 4
    assert "docs/broken.md:9:18: error[FZ105]" in html
    assert len(svgs(html)) == 1  # the fence with an unknown attribute still draws


def test_summary_line_once_per_build(material_site):
    _, result = material_site
    lines = [ln for ln in result.stderr.splitlines() if "flowzap:" in ln and "diagrams" in ln]
    assert len(lines) == 1
    # 14 fences, one of which (view="diagonal") never reaches the core; the repeated tiny diagram
    # is served from memory the second time
    assert re.search(r"flowzap: 13 diagrams \(\d+ cached, \d+ drawn, 3 failed\)", lines[0]), lines[0]


def test_strict_build_fails_on_a_broken_diagram(material_site):
    root, _ = material_site
    result = mkdocs_build(root, "--strict")
    assert result.returncode != 0
    assert "docs/broken.md:9:18" in result.stderr


# --------------------------------------------------------------------------- plain site

PLAIN_CONFIG = """\
    site_name: Plain test
    theme: mkdocs
    plugins:
      - flowzap:
          cache_dir: .cache/fz
"""

PLAIN_INDEX = (
    "# Plain\n\n" + fence(SMALL, 'flowzap caption="Plain"') + "\n"
    + fence(SMALL.replace("Take the order", "Braced"), '{.flowzap view="sequence"}') + "\n"
    + fence("print(1)", "python") + "\n"
    + "````markdown\n" + fence('Lit { # Literal\nn1: circle label:"LITERAL-MARKER"\n}') + "````\n"
)


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = write_site(tmp_path_factory.mktemp("plain"), PLAIN_CONFIG, {
        "index.md": PLAIN_INDEX, "sub/page.md": "# Sub\n\n" + fence(TINY, 'flowzap format="img" alt="Tiny diagram"'),
    })
    return root, mkdocs_build(root, "--strict")


def test_plain_site_without_superfences_builds_strict(plain_site):
    root, result = plain_site
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_plain_site_fences_and_literal_blocks(plain_site):
    root, _ = plain_site
    html = page(root, "index.html")
    drawn = svgs(html)
    assert len(drawn) == 2
    assert 'data-view="sequence"' in drawn[1] and "Braced" in drawn[1]
    assert "<figcaption>Plain</figcaption>" in html
    assert "LITERAL-MARKER" in html and all("LITERAL-MARKER" not in s for s in drawn)
    assert "print(1)" in html


def test_plain_site_uses_the_disk_cache_dir_beside_mkdocs_yml(plain_site):
    root, _ = plain_site
    assert (root / ".cache" / "fz").is_dir()
    assert any(p.is_file() for p in (root / ".cache" / "fz").rglob("*"))


def test_img_format_writes_assets_and_links_them_relative_to_the_page(plain_site):
    root, _ = plain_site
    html = page(root, "sub/page/index.html")
    m = re.search(r'<img class="flowzap" src="([^"]+)" alt="Tiny diagram"', html)
    assert m, html
    src = m.group(1)
    assert re.fullmatch(r"\.\./\.\./assets/flowzap/[0-9a-f]{16}\.svg", src)
    asset = (root / "site" / "sub" / "page" / src).resolve()
    assert asset.read_text(encoding="utf-8").startswith("<svg")
    assert asset.stat().st_mode & 0o044 == 0o044  # readable by the web server, not only by us
    assert not list((root / "site" / "assets" / "flowzap").glob(".tmp-*"))


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize("option, value, words", [
    ("view", "diagonal", ["view", "diagonal"]),
    ("theme", "neon", ["theme", "neon"]),
    ("format", "png", ["format", "png"]),
    ("cache_dir", "[1, 2]", ["cache_dir"]),
    ("lang", "'not a language!'", ["lang"]),
])
def test_bad_plugin_option_is_a_config_error(tmp_path: Path, option: str, value: str, words: list[str]):
    config = f"site_name: Bad\nplugins:\n  - flowzap:\n      {option}: {value}\n"
    root = write_site(tmp_path, config, {"index.md": "# Hi\n"})
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert "Config value 'plugins': Plugin 'flowzap' option '" + option + "'" in result.stderr
    for word in words:
        assert word in result.stderr


def test_superfences_entry_the_user_wrote_is_not_doubled(tmp_path: Path):
    config = """\
        site_name: Own entry
        plugins: [flowzap]
        markdown_extensions:
          - pymdownx.superfences:
              custom_fences:
                - name: flowzap
                  class: flowzap
                  format: !!python/name:flowzap_docs.mkdocs_plugin.fence.fence_format
                  validator: !!python/name:flowzap_docs.mkdocs_plugin.fence.fence_validator
    """
    root = write_site(tmp_path, config, {"index.md": "# One\n\n- item\n\n" + fence(TINY, indent="    ")})
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    html = page(root, "index.html")
    assert len(svgs(html)) == 1 and "Tiny" in svgs(html)[0]


def test_unusable_cache_dir_warns_and_the_build_goes_on(tmp_path: Path):
    config = "site_name: No cache\nplugins:\n  - flowzap:\n      cache_dir: blocker/cache\n"
    root = write_site(tmp_path, config, {"index.md": "# One\n\n" + fence(TINY)})
    (root / "blocker").write_text("a file where the cache folder's parent should be", encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    assert re.search(r"WARNING -  .*cache", result.stderr), result.stderr
    assert len(svgs(page(root, "index.html"))) == 1


def test_plugin_and_extension_listed_together_still_name_page_lines(tmp_path: Path):
    config = "site_name: Both\nplugins: [flowzap]\nmarkdown_extensions:\n  - flowzap\n"
    root = write_site(tmp_path, config, {"index.md": "# One\n\n" + fence(BROKEN) + "\n" + fence(TINY)})
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    assert "WARNING -  docs/index.md:5:18: error[FZ105]" in result.stderr
    assert len(svgs(page(root, "index.html"))) == 1


# --------------------------------------------------------------------------- rebuilds in one process

I18N = Path(__file__).parent / "data" / "i18n"


def build_in_process(root: Path):
    """What ``mkdocs serve`` does after an edit: a fresh config and build, the plugin object kept."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    return config.plugins["flowzap"]


def test_rebuilds_in_one_process_see_a_new_theme_language_and_an_edited_catalog(tmp_path: Path):
    # the theme language and the catalogs are looked up once per build: never once per process
    config = "site_name: Rebuilds\ntheme:\n  name: mkdocs\n  locale: {}\nplugins:\n  - flowzap:\n      cache_dir: false\n"
    source = (I18N / "order-en.fz").read_text(encoding="utf-8")
    root = write_site(tmp_path, config.format("fr"), {"index.md": "# Order\n\n" + fence(source)})
    shutil.copytree(I18N / "locales", root / "locales")

    plugin = build_in_process(root)
    [french] = svgs(page(root, "index.html"))
    assert ">Client<" in french and ">Customer<" not in french

    (root / "mkdocs.yml").write_text(config.format("en"), encoding="utf-8")  # the theme's own default
    assert build_in_process(root) is plugin
    [english] = svgs(page(root, "index.html"))
    assert ">Customer<" in english and ">Client<" not in english

    (root / "mkdocs.yml").write_text(config.format("fr"), encoding="utf-8")
    catalog = root / "locales" / "fr" / "LC_MESSAGES" / "flowzap.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "Client"', 'msgstr "Acheteur"'),
                       encoding="utf-8")
    assert build_in_process(root) is plugin
    [edited] = svgs(page(root, "index.html"))
    assert ">Acheteur<" in edited and ">Client<" not in edited


# --------------------------------------------------------------------------- page assets


def assert_assets_linked_from_diagram_pages_only(site: Path) -> int:
    """Every page that shows a diagram links each asset (and the link resolves to the file we
    ship); no other page links any.  Returns how many pages link them."""
    linked = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        has_diagram = bool(svgs(html)) or '<img class="flowzap"' in html
        for asset in PAGE_ASSETS:
            urls = re.findall(rf'(?:href|src)="([^"]*{re.escape(asset.name)})\?v={asset.version}"', html)
            if not has_diagram:
                assert asset.name not in html, path
                continue
            assert len(urls) == 1, (path, urls)
            assert (path.parent / urls[0]).resolve().read_bytes() == asset.data, (path, urls[0])
        linked += has_diagram
    return linked


def test_material_pages_with_diagrams_link_the_page_assets(material_site):
    root, _ = material_site
    assert assert_assets_linked_from_diagram_pages_only(root / "site") == 4
    assert (root / "site" / "404.html").exists()  # a page without a diagram was looked at


def test_page_assets_without_directory_urls(tmp_path: Path):
    config = PLAIN_CONFIG.replace("cache_dir: .cache/fz", "cache_dir: false") + "    use_directory_urls: false\n"
    root = write_site(tmp_path, config, {
        "index.md": "# Home\n\nNo diagram here.\n",
        "guide/deep/page.md": "# Deep\n\n" + fence(TINY),
        "guide/img.md": "# Img\n\n" + fence(TINY, 'flowzap format="img"'),
    })
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert assert_assets_linked_from_diagram_pages_only(root / "site") == 2
    assert '"../../assets/flowzap/flowzap.css?v=' in page(root, "guide/deep/page.html")
    for asset in PAGE_ASSETS:
        assert (root / "site" / "assets" / "flowzap" / asset.name).stat().st_mode & 0o044 == 0o044


def test_a_site_without_diagrams_gets_no_page_assets(tmp_path: Path):
    root = write_site(tmp_path, PLAIN_CONFIG.replace("cache_dir: .cache/fz", "cache_dir: false"),
                      {"index.md": "# Home\n\nNo diagram, only " + "`flowzap` in code.\n"})
    assert mkdocs_build(root, "--strict").returncode == 0
    assert not (root / "site" / "assets" / "flowzap").exists()
    assert assert_assets_linked_from_diagram_pages_only(root / "site") == 0
