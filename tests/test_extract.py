"""``flowzap extract`` and the block finder on a real mixed folder (.fz, Markdown, MyST, rST)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from flowzap_docs.blocks import find_blocks, find_markdown_blocks, find_rst_blocks, parse_fence_info
from flowzap_docs.extract import build_pot, extract_paths, is_language_copy, walk

DATA = Path(__file__).parent / "data" / "i18n"
SITE = DATA / "site"

EXPECTED = [
    ("Web shop", "index.md", 6), ("Order placed", "index.md", 7), ("Ship it", "index.md", 8),
    ("paid", "index.md", 9), ("Support flow", "index.md", 15), ("Operations", "index.md", 32),
    ("Restart the service", "index.md", 33),
    ("Support team", "diagrams/flow.fz", 1), ("Ticket received", "diagrams/flow.fz", 2),
    ("Answer the customer", "diagrams/flow.fz", 3), ("triage", "diagrams/flow.fz", 4),
    ("Returns", "guide/index.rst", 5), ("Returns desk", "guide/index.rst", 7),
    ("Parcel back", "guide/index.rst", 8), ("Inspect|Check seal|Check contents", "guide/index.rst", 9),
    ("Clerk", "guide/index.rst", 9), ("until every item is checked", "guide/index.rst", 11),
    ("Billing process", "guide/myst.md", 4), ("Billing", "guide/myst.md", 6), ("Send invoice", "guide/myst.md", 7),
    ("Paid within 30 days?", "guide/myst.md", 8),
]


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITE, target)
    return target


def test_mixed_folder_exact_messages_and_locations(site: Path) -> None:
    result = extract_paths([site], base=site)
    assert [(m.text, m.path, m.line) for m in result.messages] == EXPECTED
    # every location points at the real line of the host file
    for m in result.messages:
        line = (site / m.path).read_text(encoding="utf-8").splitlines()[m.line - 1]
        assert m.text.split("|")[0] in line, (m, line)


def test_examples_language_copies_and_broken_diagrams(site: Path) -> None:
    result = extract_paths([site], base=site)
    texts = {m.text for m in result.messages}
    assert not {"Not a real diagram", "Literal example", "Code block example", "Not extracted"} & texts
    assert "Ticket reçu" not in texts  # diagrams/flow.fr.fz is the French copy
    assert is_language_copy(site / "diagrams" / "flow.fr.fz") and not is_language_copy(site / "diagrams" / "flow.fz")
    (site / "diagrams" / "flow.old.fz").write_text("", encoding="utf-8")
    (site / "diagrams" / "flow.pt-BR.fz").write_text("", encoding="utf-8")
    assert not is_language_copy(site / "diagrams" / "flow.old.fz")
    assert is_language_copy(site / "diagrams" / "flow.pt-BR.fz")
    # the broken diagram is reported at its host line and column, and skipped
    [(filename, diag)] = result.errors
    assert (filename, diag.code, diag.line, diag.column) == ("guide/index.rst", "FZ102", 37, 10)
    assert "Bad shape" not in texts


def test_src_is_followed_or_not(site: Path) -> None:
    followed = extract_paths([site / "index.md"], base=site)
    assert ("Ticket received", "diagrams/flow.fz", 2) in [(m.text, m.path, m.line) for m in followed.messages]
    alone = extract_paths([site / "index.md"], base=site, follow_src=False)
    assert all(m.path == "index.md" for m in alone.messages)
    assert [m.text for m in alone.messages][:4] == ["Web shop", "Order placed", "Ship it", "paid"]
    both = site / "both.md"
    both.write_text('```flowzap src="diagrams/flow.fz"\nA { # Ignored body\n}\n```\n', encoding="utf-8")
    assert [m.text for m in extract_paths([both], base=site).messages] == [
        "Support team", "Ticket received", "Answer the customer", "triage"]
    missing = site / "missing.md"
    missing.write_text('```flowzap src="nope.fz"\n```\n', encoding="utf-8")
    res = extract_paths([missing], base=site)
    assert [(d.code, d.line) for _, d in res.diagnostics] == [("FZ902", 1)] and not res.messages
    assert res.errors  # a missing diagram file makes `flowzap extract` exit with 1


def test_walk_is_sorted_and_recursive(site: Path) -> None:
    (site / "_build").mkdir()
    (site / "_build" / "x.fz").write_text("", encoding="utf-8")
    (site / ".hidden").mkdir()
    (site / ".hidden" / "y.md").write_text("", encoding="utf-8")
    (site / "notes.txt").write_text("", encoding="utf-8")
    rel = [p.relative_to(site).as_posix() for p in walk([site])]
    assert rel == ["index.md", "diagrams/flow.fz", "guide/index.rst", "guide/myst.md"]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "flowzap_docs.commands.extract", *args], cwd=cwd,
                          capture_output=True, env=full_env, timeout=120)


def test_cli_writes_a_deterministic_pot(site: Path, tmp_path: Path) -> None:
    out1, out2 = tmp_path / "a" / "messages.pot", tmp_path / "b.pot"
    r1 = run_cli(".", "-o", str(out1), cwd=site)
    r2 = run_cli(".", "-o", str(out2), cwd=site)
    assert r1.returncode == 1 and r2.returncode == 1  # the broken diagram
    assert b"guide/index.rst:37:10: error[FZ102]" in r1.stderr
    assert out1.read_bytes() == out2.read_bytes()
    with open(out1, "rb") as fh:
        catalog = read_po(fh)
    got = [(m.id, m.locations) for m in catalog if m.id]
    assert got == [(t, [(p, n)]) for t, p, n in EXPECTED]
    assert catalog["Clerk"].auto_comments == ["taskbox n2: owner"]
    assert b"POT-Creation-Date" in out1.read_bytes() and b"2026 ORGANIZATION" not in out1.read_bytes()
    # with SOURCE_DATE_EPOCH the date is that one
    r3 = run_cli(".", "-o", str(out2), cwd=site, env={"SOURCE_DATE_EPOCH": "0"})
    assert r3.returncode == 1 and b"POT-Creation-Date: 1970-01-01 00:00+0000" in out2.read_bytes()
    # no broken diagram: exit status 0; standard output when no -o
    r4 = run_cli("diagrams", cwd=site)
    assert r4.returncode == 0 and b'msgid "Ticket received"' in r4.stdout and b"flow.fr.fz" not in r4.stdout


def test_flowzap_command_has_extract(site: Path, tmp_path: Path) -> None:
    cli = pytest.importorskip("flowzap_docs.cli")
    out = tmp_path / "m.pot"
    try:
        code = cli.main(["extract", str(site / "diagrams"), "-o", str(out), "--base", str(site)])
    except SystemExit as exc:  # argparse-style mains may exit
        code = exc.code
    assert code == 0 and b"diagrams/flow.fz:2" in out.read_bytes()


def test_build_pot_merges_places_of_one_text() -> None:
    from flowzap_docs.extract import Found

    data = build_pot([Found("Yes", "a.fz", 3, "edge"), Found("Yes", "b.md", 9, "edge"), Found("No", "a.fz", 4)])
    catalog = read_po(io.BytesIO(data))
    assert catalog["Yes"].locations == [("a.fz", 3), ("b.md", 9)]
    assert [m.id for m in catalog if m.id] == ["Yes", "No"]


# --------------------------------------------------------------------------- block finder


def test_fence_info_forms() -> None:
    assert parse_fence_info("flowzap") == ("fence", "", {})
    assert parse_fence_info('flowzap lang="fr" src=x.fz') == ("fence", "", {"lang": "fr", "src": "x.fz"})
    assert parse_fence_info("{flowzap} d.fz") == ("myst", "d.fz", {})
    assert parse_fence_info('{.flowzap src="a.fz"}') == ("attr", "", {"src": "a.fz"})
    assert parse_fence_info("flowzapper") is None and parse_fence_info("python") is None
    assert parse_fence_info("") is None and parse_fence_info("{.python}") is None


def test_markdown_blocks_with_crlf_tabs_and_myst_yaml_options() -> None:
    text = "intro\r\n\r\n```{flowzap}\r\n---\r\ncaption: Hello\r\nlang: fr\r\n---\r\nA { # A\r\n}\r\n```\r\n"
    [b] = find_markdown_blocks(text)
    assert b.options == {"caption": "Hello", "lang": "fr"} and b.option_lines == {"caption": 5, "lang": 6}
    assert b.first_line == 8 and b.text == "A { # A\n}\n"
    [b] = find_markdown_blocks(":::{flowzap}\n:caption: Colon\nA { # A\n}\n:::\n")
    assert b.options == {"caption": "Colon"} and b.first_line == 3
    [b] = find_markdown_blocks("- item\n\n\t```flowzap\n\tA { # A\n\t}\n\t```\n")
    assert b.text == "A { # A\n}\n" and b.indent == 4 and b.first_line == 4
    # an unclosed fence runs to the end of the page (as in CommonMark)
    [b] = find_markdown_blocks("```flowzap\nA { # A\n")
    assert b.text == "A { # A\n"
    assert find_markdown_blocks("``` flowzap ``` inline code\n") == []


def test_rst_blocks() -> None:
    text = ".. flowzap:: path/x.fz\n   :lang: de\n\nafter\n\n.. flowzap::\n\n   A { # A\n\n   }\n\ntext\n"
    a, b = find_rst_blocks(text)
    assert (a.argument, a.options, a.text, a.path) == ("path/x.fz", {"lang": "de"}, "", "path/x.fz")
    assert (b.first_line, b.text, b.indent) == (8, "A { # A\n\n}\n", 3)
    assert find_blocks("x", "page.txt") == []
    assert find_blocks("A {\n}\n", "d.FZ")[0].kind == "fz"


def test_unreadable_files_are_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "latin1.fz").write_bytes('A { # Été\n  n1: circle label:"Début"\n}\n'.encode("latin-1"))
    (tmp_path / "ok.fz").write_text('A { # Summer\n}\n', encoding="utf-8")
    (tmp_path / "bom.md").write_bytes("\ufeff```flowzap\nB { # With BOM\r\n}\r\n```\r\n".encode())
    res = extract_paths([tmp_path], base=tmp_path)
    assert [(f, d.code, d.line, d.column) for f, d in res.diagnostics] == [("latin1.fz", "FZ117", 1, 7)]
    assert [(m.text, m.path, m.line) for m in res.messages] == [("With BOM", "bom.md", 2), ("Summer", "ok.fz", 1)]
