"""The Babel extractor, through the real ``pybabel`` command and Babel's own API."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from flowzap_docs.extract import babel_extract

DATA = Path(__file__).parent / "data" / "i18n"
PYBABEL = Path(sys.executable).with_name("pybabel")


def test_babel_finds_the_entry_point() -> None:
    from importlib.metadata import entry_points

    [ep] = [ep for ep in entry_points(group="babel.extractors") if ep.name == "flowzap"]
    assert ep.load() is babel_extract


def test_extract_api_on_a_fz_file() -> None:
    with open(DATA / "order-en.fz", "rb") as fh:
        got = list(extract("flowzap", fh))
    assert got[0] == (2, "Customer", ["lane Customer: display name"], None)
    assert (6, "Review order|Check address|Check payment",
            ["taskbox n4: title|sub-items (keep the | separators)"], None) in got
    assert (17, "until the stock is back", ["loop over n6 n3: condition"], None) in got


def test_formats_by_name_and_option() -> None:
    md = b"# Page\n\n```flowzap\nA { # Alpha\n  n1: circle label:\"Go\"\n}\n```\n"
    assert [(n, m) for n, _, m, _ in babel_extract(io.BytesIO(md), [], [], {"format": "md"})] == [
        (4, "Alpha"), (5, "Go")]
    named = io.BytesIO(md)
    named.name = "page.md"  # type: ignore[attr-defined]
    assert [m for _, _, m, _ in babel_extract(named, [], [], {})] == ["Alpha", "Go"]
    latin1 = 'A { # Équipe\n  n1: circle label:"Été"\n}\n'.encode("latin-1")
    assert [m for _, _, m, _ in babel_extract(io.BytesIO(latin1), [], [], {"encoding": "latin-1"})] == [
        "Équipe", "Été"]
    assert list(babel_extract(io.BytesIO(b"A {\n  n1: hexagon\n"), [], [], {})) == []  # broken: nothing


def test_extract_from_dir_with_a_mapping(tmp_path: Path) -> None:
    shutil.copytree(DATA / "site", tmp_path / "site")
    method_map = [("**.fz", "flowzap"), ("**.rst", "flowzap"), ("**.md", "flowzap")]
    got = {(Path(f).as_posix(), n, m) for f, n, m, _c, _ctx in extract_from_dir(str(tmp_path / "site"), method_map)}
    assert ("guide/index.rst", 9, "Inspect|Check seal|Check contents") in got
    assert ("diagrams/flow.fz", 2, "Ticket received") in got
    assert ("index.md", 33, "Restart the service") in got


@pytest.mark.skipif(not PYBABEL.exists(), reason="pybabel not installed")
def test_real_pybabel_extract(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA / "site", site)
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[flowzap: **.fz]\n[flowzap: **.rst]\n[flowzap: **.md]\n", encoding="utf-8")
    out = tmp_path / "messages.pot"
    proc = subprocess.run([str(PYBABEL), "extract", "-F", str(mapping), "-o", str(out), "."],
                          cwd=site, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with open(out, "rb") as fh:
        catalog = read_po(fh)
    assert catalog["Ticket received"].locations == [("diagrams/flow.fz", 2)]
    assert catalog["Ship it"].locations == [("index.md", 8)]
    assert catalog["Parcel back"].locations == [("guide/index.rst", 8)]
    assert catalog["Send invoice"].locations == [("guide/myst.md", 7)]
    # the French copy of flow.fz is mapped by **.fz too: pybabel reads every file it is told to
    assert "Literal example" not in catalog and "Not a real diagram" not in catalog
    assert catalog["Clerk"].auto_comments == ["taskbox n2: owner"]
