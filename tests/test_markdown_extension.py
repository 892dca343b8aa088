"""The standalone Python-Markdown extension (no MkDocs) and the pieces the plugin builds on:
fence location (page lines for diagnostics) and fence attribute checking."""

from __future__ import annotations

import base64
import logging
import re

import markdown
import pytest
from flowzap_docs.mkdocs_plugin import fence_format, fence_validator
from flowzap_docs.mkdocs_plugin.locate import FenceLocator, body_key
from flowzap_docs.mkdocs_plugin.options import parse_fence_header, parse_fence_options

from flowzap_docs.fences import fence_language, scan_fences, scan_text

GOOD = 'Sales { # Sales\nn1: circle label:"Start"\nn2: rectangle label:"Ship it"\nn1.handle(right) -> n2.handle(left)\n}\n'
BROKEN = 'Sales { # Sales\nn1: circle label:Start\n}\n'


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b[^>]*class=\"flowzap\".*?</svg>", html, flags=re.S)


def fence(body: str, header: str = "flowzap") -> str:
    return f"```{header}\n{body}```\n"


# --------------------------------------------------------------------------- the extension


def test_entry_point_name_works_without_mkdocs():
    html = markdown.markdown("# T\n\n" + fence(GOOD), extensions=["flowzap"])
    (svg,) = svgs(html)
    assert "Ship it" in svg and 'data-view="workflow"' in svg


def test_extension_configs_set_the_defaults():
    html = markdown.markdown(fence(GOOD), extensions=["flowzap"], extension_configs={"flowzap": {"view": "sequence"}})
    assert 'data-view="sequence"' in svgs(html)[0]


def test_img_format_without_a_site_is_a_data_uri():
    html = markdown.markdown(fence(GOOD, 'flowzap format="img" alt="Two steps"'), extensions=["flowzap"])
    m = re.search(r'<img class="flowzap" src="data:image/svg\+xml;base64,([^"]+)" alt="Two steps"', html)
    assert m
    assert base64.b64decode(m.group(1)).decode("utf-8").startswith("<svg")


def test_other_fences_and_nested_fences_are_left_to_others():
    text = "````markdown\n" + fence(GOOD) + "````\n\n" + fence("x = 1\n", "python")
    html = markdown.markdown(text, extensions=["flowzap", "fenced_code"])
    assert not svgs(html)
    assert "```flowzap" in html and "x = 1" in html


def test_errors_name_the_line_of_the_text_and_show_a_box(caplog: pytest.LogCaptureFixture):
    text = "# Title\n\nSome text.\n\n" + fence(BROKEN)  # the bad line is line 7
    with caplog.at_level(logging.WARNING, logger="flowzap_docs.markdown"):
        html = markdown.markdown(text, extensions=["flowzap"])
    assert 'class="flowzap-error admonition error"' in html
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(m.startswith("<markdown>:7:18: error[FZ105]") for m in messages), messages


def test_identical_fences_each_report_their_own_line(caplog: pytest.LogCaptureFixture):
    text = fence(BROKEN) + "\n" + fence(BROKEN)
    with caplog.at_level(logging.WARNING, logger="flowzap_docs.markdown"):
        markdown.markdown(text, extensions=["flowzap"])
    heads = [r.getMessage().split(":")[1] for r in caplog.records if "FZ105" in r.getMessage()]
    assert heads == ["3", "9"]


def test_with_superfences_nested_fences_work_and_ids_are_unique():
    text = "- item\n\n    ```flowzap\n" + "".join("    " + ln + "\n" for ln in GOOD.splitlines()) + "    ```\n\n" + fence(GOOD)
    html = markdown.markdown(text, extensions=["flowzap", "pymdownx.superfences"])
    drawn = svgs(html)
    assert len(drawn) == 2
    assert re.search(r"<li>.*<svg", html, flags=re.S)
    found = re.findall(r'\sid="([^"]+)"', html)
    assert len(found) == len(set(found))


def test_drawings_come_out_whole_beside_toc_html_blocks_and_reuse():
    # our preprocessor stashes a stand-in that a postprocessor swaps for the drawing: no stand-in
    # may be left behind (toc runs postprocessors on headings; HTML blocks are stashed again)
    md = markdown.Markdown(extensions=["flowzap", "toc", "md_in_html"])
    text = "# One\n\n" + fence(GOOD) + "\n<div markdown=\"0\">\n\n" + fence(GOOD) + "\n</div>\n\n## Two\n"
    first = md.convert(text)
    second = md.reset().convert(fence(GOOD.replace("Ship it", "Second page")))
    assert len(svgs(first)) == 2 and len(svgs(second)) == 1
    assert "Second page" in second and "Second page" not in first
    assert "stand-in" not in first + second and "\x02" not in first + second
    assert re.search(r'<div class="flowzap-figure[^"]*"[^>]*><div class="flowzap-scroll"[^>]*><svg', first)


def test_superfences_drawings_come_out_whole_in_admonitions_lists_and_tabs():
    def indented(text: str) -> str:
        return "".join("    " + line + "\n" if line else "\n" for line in text.splitlines())

    text = ("# Title\n\n!!! note\n\n" + indented(fence(GOOD)) + "\n- item\n\n" + indented(fence(GOOD))
            + '\n=== "Tab"\n\n' + indented(fence(GOOD)))
    html = markdown.markdown(text, extensions=["flowzap", "admonition", "pymdownx.superfences", "pymdownx.tabbed",
                                               "toc"])
    assert len(svgs(html)) == 3
    assert "stand-in" not in html and "\x02" not in html
    assert re.search(r'<div class="admonition note">.*<svg', html, flags=re.S)


def test_fence_format_called_by_hand_returns_the_html_beside_our_extension():
    md = markdown.Markdown(extensions=["flowzap", "pymdownx.superfences"])
    assert len(svgs(fence_format(GOOD, "flowzap", "flowzap", {}, md))) == 1


def test_superfences_loaded_first_also_gets_our_fence():
    html = markdown.markdown(fence(GOOD), extensions=["pymdownx.superfences", "flowzap"])
    assert len(svgs(html)) == 1


def test_contract_functions_work_in_a_hand_written_superfences_config():
    config = {"pymdownx.superfences": {"custom_fences": [
        {"name": "flowzap", "class": "flowzap", "format": fence_format, "validator": fence_validator},
    ]}}
    html = markdown.markdown("!!! note\n\n    ```flowzap\n" + "".join("    " + ln + "\n" for ln in GOOD.splitlines())
                             + "    ```\n", extensions=["admonition", "pymdownx.superfences"], extension_configs=config)
    assert len(svgs(html)) == 1 and 'class="admonition note"' in html


def test_brace_style_id_and_caption():
    html = markdown.markdown(fence(GOOD, '{.flowzap #my-diagram caption="Shipping" align="right"}'),
                             extensions=["flowzap"])
    assert re.search(r'<figure id="my-diagram" class="[^"]*flowzap-align-right', html)
    assert "<figcaption>Shipping</figcaption>" in html


def test_validator_accepts_everything_so_format_can_report_it():
    options: dict[str, object] = {}
    assert fence_validator("flowzap", {"view": "sequence", "colour": "red"}, options, {}, None) is True
    assert options == {"view": "sequence", "colour": "red"}


def test_src_file_missing_is_an_error_at_the_fence(tmp_path, monkeypatch, caplog: pytest.LogCaptureFixture):
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="flowzap_docs.markdown"):
        html = markdown.markdown("\n" + fence("", 'flowzap src="nope.fz"'), extensions=["flowzap"])
    assert "flowzap-error" in html
    assert any(r.getMessage().startswith("<markdown>:2:1: error[FZ902]: cannot read src=\"nope.fz\"")
               for r in caplog.records)


def test_caption_and_alt_are_escaped():
    html = markdown.markdown(fence(GOOD, 'flowzap caption="<b>x</b>" alt="a \\"q\\" <b>"'), extensions=["flowzap"])
    assert "<figcaption>&lt;b&gt;x&lt;/b&gt;</figcaption>" in html


# --------------------------------------------------------------------------- locating fences


def test_scan_skips_the_inside_of_other_fences():
    lines = ["````md", "```flowzap", "A", "```", "````", "", "~~~flowzap", "B", "~~~"]
    found = scan_fences(lines)
    assert [(f.start, f.end, f.language) for f in found] == [(0, 4, "md"), (6, 8, "flowzap")]


def test_scan_of_crlf_lines_and_of_lines_holding_a_line_break():
    [found] = scan_fences(["```flowzap\r", "A\r", "```\r", "text\r"])
    assert (found.start, found.end, found.body, found.language) == (0, 2, ("A",), "flowzap")
    # a preprocessor may hand over a "line" with a line break inside: it is still one line
    [found] = scan_fences(["```flowzap", "A\n```", "B", "```"])
    assert (found.start, found.end, found.body) == (0, 3, ("A\n```", "B"))
    text = "x\n> ```flowzap\n> A\n> ```\n~~~\n```flowzap\n~~~\n"
    assert scan_text(text) == scan_fences(text.split("\n"))
    assert [(f.start, f.end, f.indent) for f in scan_text(text)] == [(1, 3, 2), (4, 6, 0)]


def test_fence_language_from_both_header_styles():
    assert fence_language('flowzap view="sequence"') == "flowzap"
    assert fence_language('{.flowzap view="sequence"}') == "flowzap"
    assert fence_language(".flowzap") == "flowzap"
    assert fence_language("") == ""


def test_locator_gives_identical_bodies_their_lines_in_order():
    text = "x\n```flowzap\nA\n```\n\n> ```flowzap\n> A\n> ```\n\n    ```flowzap\n    A\n    ```\n"
    locator = FenceLocator(text, line_shift=3)
    spots = [locator.take("A\n"), locator.take("A"), locator.take("A\n")]
    assert [(s.line, s.indent) for s in spots] == [(5, 0), (9, 2), (13, 4)]
    assert locator.take("B") is None


def test_body_key_ignores_dedent_and_quote_markers():
    assert body_key(["    > a", "  b  ", ""]) == body_key(["a", "b"])


# --------------------------------------------------------------------------- attributes


def test_attribute_values_are_checked():
    opts = parse_fence_options({"view": "sequence", "width": "600", "align": "middle", "theme": "neon"})
    assert opts.view == "sequence" and opts.width == "600px"
    codes = sorted(d.code for d in opts.problems)
    assert codes == ["FZ302", "FZ310"]
    assert all(d.severity == "error" for d in opts.problems)


def test_width_refuses_css_injection():
    opts = parse_fence_options({"width": "100px;background:url(x)"})
    assert opts.width is None and opts.errors


def test_header_parsing_both_styles():
    assert parse_fence_header('flowzap view="sequence" caption=\'Two words\'') == (
        "flowzap", {"view": "sequence", "caption": "Two words"}, "", [])
    assert parse_fence_header('{.flowzap #d .wide lang="fr"}') == ("flowzap", {"lang": "fr"}, "d", ["wide"])


@pytest.mark.parametrize("page_url, expected", [
    ("", "assets/flowzap/a.svg"),
    ("guide/", "../assets/flowzap/a.svg"),
    ("guide/page/", "../../assets/flowzap/a.svg"),
    ("guide/page.html", "../assets/flowzap/a.svg"),
    ("index.html", "assets/flowzap/a.svg"),
])
def test_img_links_are_relative_to_the_page(page_url: str, expected: str):
    from flowzap_docs.mkdocs_plugin.context import relative_url

    assert relative_url("assets/flowzap/a.svg", page_url) == expected


def test_a_nul_in_src_is_an_error_not_a_crash(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="flowzap_docs.markdown"):
        html = markdown.markdown(fence("", 'flowzap src="a\x00b.fz"'), extensions=["flowzap"])
    assert "flowzap-error" in html
    assert any("FZ902" in r.getMessage() for r in caplog.records)


def test_fence_inside_a_pymdownx_block():
    text = "/// admonition | Title\n    type: note\n\n" + fence(GOOD) + "///\n"
    html = markdown.markdown(text, extensions=["flowzap", "pymdownx.superfences", "pymdownx.blocks.admonition"])
    assert re.search(r'<div class="admonition note">.*<svg[^>]*class="flowzap"', html, flags=re.S)
