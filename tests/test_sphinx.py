"""The ``.. flowzap::`` directive in real ``sphinx-build`` runs, one builder at a time.

Every test builds (a copy of) ``tests/sites/sphinx_basic`` with the real command line and looks
at the files it wrote: what a user of the extension would see.  Builds are module fixtures so
each builder runs once.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from flowzap_docs.assets import PAGE_ASSETS
from flowzap_docs.cache import code_fingerprint
from flowzap_docs.pipeline import DiagramRequest, Renderer

SITE = Path(__file__).parent / "sites" / "sphinx_basic"
DIAGRAMS = 16  # drawn or failed: index 3, broken 4, options 2, lang 2, myst 3, sub/nested 2
BROKEN = 6  # broken.rst 4 (one from included.txt), myst.md 2


@dataclass
class Build:
    src: Path
    out: Path
    returncode: int
    stdout: str
    stderr: str

    def text(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")


def sphinx_build(src: Path, out: Path, builder: str = "html", *args: str) -> Build:
    """Run the real ``sphinx-build`` (fresh interpreter, like a user's build).

    Doctrees go beside the output, as ``sphinx-build -M`` (``make html``) puts them.
    """
    doctrees = out.with_name(out.name + "-doctrees")
    cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(doctrees), *args, str(src), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env={**os.environ, "NO_COLOR": "1"})
    return Build(src, out, proc.returncode, proc.stdout, proc.stderr)


def copy_site(tmp: Path) -> Path:
    dest = tmp / "src"
    shutil.copytree(SITE, dest)
    return dest


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(tmp_path_factory.mktemp("site"))


def _build(src: Path, builder: str, *args: str) -> Build:
    build = sphinx_build(src, src.parent / f"out-{builder}{''.join(args)}", builder, *args)
    assert build.returncode == 0, build.stderr
    return build


@pytest.fixture(scope="module")
def html_build(src: Path) -> Build:
    return _build(src, "html")


def svg_blocks(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


def expected_alt(fz: Path, view: str = "workflow") -> str:
    """The generated description the core gives for a file: the default alt text."""
    return Renderer().render(DiagramRequest(fz.read_text(encoding="utf-8"), view=view, lang="en")).alt


# -- HTML -----------------------------------------------------------------------------------------


def test_html_inlines_the_svg_in_a_captioned_numbered_figure(html_build: Build) -> None:
    page = html_build.text("index.html")
    figure = re.search(r'<figure class="align-center" id="fig-writing">(.*?)</figure>', page, flags=re.S)
    assert figure, page
    assert re.search(r'<div [^>]*class="flowzap flowzap-fit-legible"[^>]*role="figure"', figure.group(1))
    box = re.search(r'<div class="flowzap-scroll" [^>]*>', figure.group(1)).group(0)
    assert 'tabindex="0" role="region" aria-label="Writing a page"' in box  # named by the caption
    assert "<svg" in figure.group(1) and "Polish" in figure.group(1)
    assert '<span class="caption-number">Fig. 1 </span><span class="caption-text">Writing a page</span>' in figure.group(1)


def test_numref_numbers_captioned_and_named_uncaptioned_diagrams(html_build: Build) -> None:
    page = html_build.text("index.html")
    assert '<a class="reference internal" href="#fig-writing"><span class="std std-numref">Fig. 1</span></a>' in page
    assert '<a class="reference internal" href="#fig-uncaptioned"><span class="std std-numref">Fig. 2</span></a>' in page
    assert re.search(r'<div [^>]*id="fig-uncaptioned"', page)


def test_html_options_alt_width_class_align(html_build: Build) -> None:
    page = html_build.text("index.html")
    div = re.search(r'<div [^>]*id="fig-uncaptioned"[^>]*>', page).group(0)
    assert 'aria-label="Custom alt text for the file diagram"' in div
    after = page[page.index(div):]
    assert re.match(r'<div [^>]*>\s*<div class="flowzap-scroll" style="overflow-x:auto;text-align:left"', after)
    assert re.search(r'<svg [^>]*style="width:50%;max-width:100%;min-width:\d+px;height:auto"', after)
    for cls in ("flowzap", "align-left", "flowzap-sized", "extra-class"):
        assert cls in div.split('class="')[1].split('"')[0].split()


def test_default_alt_is_the_generated_description(html_build: Build) -> None:
    page = html_build.text("sub/nested.html")
    labels = [html.unescape(a) for a in re.findall(r'<div aria-label="([^"]*)" class="flowzap', page)]
    alts = [html.unescape(a) for a in re.findall(r'<img [^>]*alt="([^"]*)"', page)]
    expected = expected_alt(SITE / "diagrams" / "ok.fz")
    assert expected and labels == [expected] and alts == [expected]


def test_img_format_links_an_svg_file_in_images(html_build: Build) -> None:
    page = html_build.text("index.html")
    img = re.search(r'<div class="image-class flowzap flowzap-fit-legible align-center" id="fig-image">\n'
                    r'<div class="flowzap-scroll" [^>]*><img class="flowzap-img" '
                    r'src="(_images/flowzap-[0-9a-f]+\.svg)" alt="The image form" loading="lazy" style="[^"]+">', page)
    assert img, page
    svg = (html_build.out / img.group(1)).read_text(encoding="utf-8")
    assert "<svg" in svg and "Check the image" in svg
    assert "Check the image" not in page  # the drawing is in the file, not inlined
    nested = html_build.text("sub/nested.html")
    src = re.search(r'<img [^>]*src="([^"]+)"', nested).group(1)
    assert src.startswith("../_images/flowzap-") and (html_build.out / "sub" / src).resolve().is_file()


def test_text_around_diagrams_is_unchanged(html_build: Build) -> None:
    page = html_build.text("index.html")
    assert "<p>Text before the first diagram.</p>" in page
    assert "<p>Text after the last diagram.</p>" in page
    assert len(svg_blocks(page)) == 2


def test_several_diagrams_have_unique_ids(html_build: Build) -> None:
    for rel in ("index.html", "sub/nested.html", "options.html"):
        ids = re.findall(r'\bid="([^"]+)"', html_build.text(rel))
        assert len(ids) == len(set(ids)), rel
    nested = svg_blocks(html_build.text("sub/nested.html"))
    index = svg_blocks(html_build.text("index.html"))
    assert len(nested) == 1 and len(index) == 2
    roots = [re.search(r'\bid="([^"]+)"', svg).group(1) for svg in index + nested]
    assert len(set(roots)) == 3


def test_page_assets_are_shipped_and_linked_from_diagram_pages_only(html_build: Build) -> None:
    for asset in PAGE_ASSETS:
        assert (html_build.out / "_static" / asset.name).read_bytes() == asset.data
        link = f'_static/{asset.name}?v='
        assert f'"{link}' in html_build.text("index.html")
        assert f'"../{link}' in html_build.text("sub/nested.html")
        for page in ("genindex.html", "search.html", "broken.html"):  # no diagram drawn there
            assert asset.name not in html_build.text(page), page


def test_summary_line_counts_every_diagram(html_build: Build) -> None:
    match = re.search(r"^flowzap: (\d+) diagrams \((\d+) cached, (\d+) drawn, (\d+) failed\)", html_build.stdout, re.M)
    assert match, html_build.stdout
    assert int(match.group(1)) == DIAGRAMS and int(match.group(4)) == BROKEN
    assert len(re.findall(r"^flowzap: \d+ diagrams", html_build.stdout, re.M)) == 1


# -- errors ---------------------------------------------------------------------------------------


def warning_lines(build: Build) -> list[str]:
    return [line for line in build.stderr.splitlines() if "WARNING" in line]


def test_broken_diagram_in_rst_content_warns_at_its_exact_line(html_build: Build, src: Path) -> None:
    lines = [w for w in warning_lines(html_build) if "hexagon" in w and "broken.rst" in w]
    assert len(lines) == 2, html_build.stderr
    assert lines[0].startswith(f"{src / 'broken.rst'}:11: WARNING: FlowZap error[")
    assert "help:" in lines[0] and lines[0].endswith("[flowzap.error]")
    assert lines[1].startswith(f"{src / 'broken.rst'}:29: WARNING: FlowZap error[")  # nested, after an include


def test_broken_diagram_in_an_included_file_warns_at_that_file(html_build: Build, src: Path) -> None:
    lines = [w for w in warning_lines(html_build) if "included.txt" in w]
    assert len(lines) == 1, html_build.stderr
    assert lines[0].startswith(f"{src / 'included.txt'}:7: WARNING: FlowZap error[") and "hexagon" in lines[0]
    assert "included.txt:7:" in html_build.text("broken.html")  # the error box names it too


def test_broken_fz_file_warns_at_the_line_of_the_file(html_build: Build, src: Path) -> None:
    lines = [w for w in warning_lines(html_build) if w.startswith(str(src / "diagrams" / "broken.fz"))]
    assert len(lines) == 2, html_build.stderr  # used from broken.rst and from myst.md
    for line in lines:
        assert line.startswith(f"{src / 'diagrams' / 'broken.fz'}:3: WARNING: FlowZap error[") and "hexagon" in line


def test_broken_myst_fence_warns_at_its_exact_line(html_build: Build, src: Path) -> None:
    lines = [w for w in warning_lines(html_build) if "myst.md:" in w]
    assert len(lines) == 1, html_build.stderr
    assert lines[0].startswith(f"{src / 'myst.md'}:19: WARNING: FlowZap error[") and "rigth" in lines[0]


def test_page_with_broken_diagrams_still_builds_with_error_boxes(html_build: Build) -> None:
    page = html_build.text("broken.html")
    assert page.count('class="flowzap-error') == 4
    for text in ("Text before the broken diagram.", "Text between the broken diagrams.", "Text after the broken diagrams.",
                 "Text from the included file."):
        assert f"<p>{text}</p>" in page
    assert "hexagon" in page and "<svg" not in page
    myst = html_build.text("myst.html")
    assert myst.count('class="flowzap-error') == 2 and len(svg_blocks(myst)) == 1
    assert "<p>Text after the MyST diagrams.</p>" in myst


def test_bad_option_values_warn_at_the_directive_and_fall_back(html_build: Build, src: Path) -> None:
    where = f"{src / 'options.rst'}:4: WARNING: "
    lines = [w for w in warning_lines(html_build) if w.startswith(where)]
    for option, value in (("view", "sideways"), ("align", "middle"), ("format", "png"), ("width", "very wide"),
                          ("theme", "neon")):
        assert any(f":{option}:" in w and repr(value) in w and w.endswith("[flowzap.directive]") for w in lines), option
    page = html_build.text("options.html")
    assert len(svg_blocks(page)) == 2  # both drawn: the first with the defaults
    assert page.count('class="flowzap-error') == 1  # only the missing file's box


def test_directive_misuse_warns_at_the_directive(html_build: Build, src: Path) -> None:
    lines = warning_lines(html_build)
    assert any(w.startswith(f"{src / 'options.rst'}:15: WARNING: FlowZap error[FZ902]: cannot read "
                            "'diagrams/missing.fz': diagrams/missing.fz: no such file") for w in lines), html_build.stderr
    assert any(w.startswith(f"{src / 'options.rst'}:17: WARNING: the flowzap directive takes a file argument or "
                            "content, not both") for w in lines), html_build.stderr


def test_lang_option_and_language_config_choose_the_labels(html_build: Build) -> None:
    french, english = svg_blocks(html_build.text("lang.html"))
    assert "Publier" in french and "Publish" not in french
    assert "Publish" in english and "Publier" not in english


def test_warnings_fail_the_build_with_W(src: Path, tmp_path: Path) -> None:
    build = sphinx_build(src, tmp_path / "out", "html", "-W")
    assert build.returncode != 0
    assert "FlowZap error[" in build.stderr


# -- parallel -------------------------------------------------------------------------------------


def test_parallel_build_is_identical_to_serial(src: Path) -> None:
    code_fingerprint.cache_clear()
    before = code_fingerprint()
    html_build = _build(src, "html", "-j", "1")  # built here, back to back with the parallel one
    parallel = _build(src, "html", "-j", "2")
    code_fingerprint.cache_clear()
    if code_fingerprint() != before:
        pytest.skip("the package's files changed between the two builds")
    assert re.search(rf"^flowzap: {DIAGRAMS} diagrams .*{BROKEN} failed", parallel.stdout, re.M), parallel.stdout
    serial_files = sorted(p.relative_to(html_build.out) for p in html_build.out.rglob("*") if p.suffix in {".html", ".svg"})
    parallel_files = sorted(p.relative_to(parallel.out) for p in parallel.out.rglob("*") if p.suffix in {".html", ".svg"})
    assert serial_files == parallel_files
    for rel in serial_files:
        assert (html_build.out / rel).read_bytes() == (parallel.out / rel).read_bytes(), rel
    assert sorted(warning_lines(parallel)) == sorted(warning_lines(html_build))


# -- other builders -------------------------------------------------------------------------------


def test_dirhtml_links_images_relative_to_each_page(src: Path) -> None:
    build = _build(src, "dirhtml")
    page = build.text("sub/nested/index.html")
    src_attr = re.search(r'<img [^>]*src="([^"]+)"', page).group(1)
    assert src_attr.startswith("../../_images/flowzap-")
    assert (build.out / "sub" / "nested" / src_attr).resolve().is_file()
    assert len(svg_blocks(build.text("index.html"))) == 2


def test_singlehtml_has_every_diagram_with_ids_unique_across_the_site(src: Path) -> None:
    build = _build(src, "singlehtml")
    page = build.text("index.html")
    assert len(svg_blocks(page)) == 8  # inline: index 2, options 2, lang 2, myst 1, nested 1
    assert page.count('class="flowzap-error') == BROKEN + 1  # + the missing file of options.rst
    ids = [i for svg in svg_blocks(page) for i in re.findall(r'\bid="([^"]+)"', svg)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert len(ids) >= 8 and not duplicates
    for img in re.findall(r'<img [^>]*src="([^"]+)"', page):
        assert (build.out / img).is_file()


def test_epub_uses_image_files_listed_in_the_package(src: Path) -> None:
    build = _build(src, "epub")
    page = build.text("index.xhtml")
    assert "<svg" not in page
    images = re.findall(r'<img [^>]*src="(_images/flowzap-[0-9a-f]+\.svg)"', page)
    assert len(images) == 3
    opf = build.text("content.opf")
    for image in images:
        assert (build.out / image).is_file() and f'href="{image}"' in opf


def test_latex_includes_a_pdf_made_from_the_svg_with_its_caption(src: Path) -> None:
    build = _build(src, "latex")
    tex = next(build.out.glob("*.tex")).read_text(encoding="utf-8")
    pdfs = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{(flowzap-[0-9a-f]+)\}\.pdf\}", tex)
    assert len(pdfs) == DIAGRAMS - BROKEN
    for name in pdfs:
        pdf = (build.out / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and b"/Font" in pdf  # the labels were drawn, not a blank page
    assert r"\caption{Writing a page}" in tex
    assert "FlowZap diagram error" in tex


def test_latex_output_compiles_to_a_pdf_with_the_diagrams_and_captions(src: Path) -> None:
    """The ``.tex`` is only half of it: run ``latexmk`` (TeX Live, installed by ``.ci/run``) as
    ``make latexpdf`` does, and read the PDF back as text."""
    build = _build(src, "latex")
    work = build.out.with_name("latexpdf")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(build.out, work)
    tex = next(work.glob("*.tex"))
    proc = subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=work,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "LATEXOPTS": ""})
    assert proc.returncode == 0, proc.stdout[-3000:]
    text = subprocess.run(["pdftotext", "-layout", tex.with_suffix(".pdf").name, "-"], cwd=work,
                          capture_output=True, text=True, check=True).stdout
    words = _words(text)
    assert "Fig. 1: Writing a page" in words and "See Fig. 1" in words  # caption and :numref:
    assert "Review the draft" in words  # a label drawn inside a diagram's PDF
    assert "FlowZap diagram error" in words  # the error box of a broken diagram


def test_latex_without_cairosvg_warns_with_the_extra_and_uses_alt_text(tmp_path: Path) -> None:
    src = copy_site(tmp_path)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nimport sys\nsys.modules['cairosvg'] = None  # as if the pdf extra were not installed\n")
    build = _build(src, "latex")
    assert "pip install flowzap-docs[pdf]" in build.stderr
    assert len([w for w in warning_lines(build) if w.endswith("[flowzap.pdf]")]) == 1
    tex = next(build.out.glob("*.tex")).read_text(encoding="utf-8")
    assert "sphinxincludegraphics" not in tex
    assert "Custom alt text for the file diagram" in tex


def _words(text: str) -> str:
    return " ".join(text.split())


def test_text_builder_shows_alt_text_and_errors(src: Path) -> None:
    build = _build(src, "text")
    index = _words(build.text("index.txt"))
    assert "Custom alt text for the file diagram" in index and "The image form" in index
    assert _words(expected_alt(SITE / "diagrams" / "ok.fz")) in _words(build.text("sub/nested.txt"))
    broken = build.text("broken.txt")
    assert "FlowZap diagram error" in broken and "hexagon" in broken
    assert "Text before the broken diagram." in broken and "Text after the broken diagrams." in broken


def test_man_builder_shows_alt_text(src: Path) -> None:
    build = _build(src, "man")
    page = _words((build.out / "flowzaptest.1").read_text(encoding="utf-8"))
    assert "Custom alt text for the file diagram" in page
    assert "The image form" in page


def test_texinfo_builder_shows_alt_text(src: Path) -> None:
    build = _build(src, "texinfo")
    page = _words(next(build.out.glob("*.texi")).read_text(encoding="utf-8"))
    assert "Custom alt text for the file diagram" in page


def test_gettext_builder_does_not_crash(src: Path) -> None:
    build = _build(src, "gettext")
    assert (build.out / "index.pot").is_file()
    assert "Text before the first diagram." in build.text("index.pot")
