"""The Sphinx gettext round trip through the real adapter (``flowzap_docs.sphinx_ext``).

The acceptance test of the issue: ``sphinx-build -b gettext`` puts the diagram texts in each
page's .pot at their real lines; a filled French catalog gives French SVG labels with
``language = "fr"``; untranslated texts stay as written; a changed catalog rebuilds the page;
``diagram.fr.fz`` replaces ``diagram.fz``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

pytest.importorskip("sphinx")


CONF = """\
project = "i18n"
extensions = ["flowzap_docs.sphinx_ext", "myst_parser"]
flowzap_cache_dir = False
locale_dirs = ["locales"]
gettext_compact = False
exclude_patterns = ["_build", "locales"]
"""

INDEX = """\
Orders
======

Intro paragraph.

.. flowzap::
   :alt: Order process

   Customer { # Customer
     n1: circle label:"Start" label@fr:"Début (inline)"
     n2: taskbox label:"Review|Check stock" owner:"Sales"
     n1.handle(right) -> n2.handle(left) [label="Yes"]
   }

From a file:

.. flowzap:: diagrams/flow.fz

.. toctree::

   guide
"""

GUIDE = """\
# Guide

```{flowzap}
Ops { # Operations
  n1: rectangle label:"Restart the service"
}
```

```{flowzap}
:alt: Night shift

Night { # Night shift team
  n1: rectangle label:"Call the on-call engineer"
}
```
"""

FLOW = 'Team { # Support team\n  n1: circle label:"Ticket received"\n}\n'
FLOW_FR = 'Team { # Équipe support\n  n1: circle label:"Ticket reçu (fichier fr)"\n}\n'


def sphinx(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "sphinx", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=240, env=dict(os.environ, SOURCE_DATE_EPOCH="0"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "diagrams").mkdir(parents=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.rst").write_text(INDEX, encoding="utf-8")
    (src / "guide.md").write_text(GUIDE, encoding="utf-8")
    (src / "diagrams" / "flow.fz").write_text(FLOW, encoding="utf-8")
    return src


def read_catalog(path: Path):  # noqa: ANN201
    with open(path, "rb") as fh:
        return read_po(fh)


def texts_of(html_file: Path) -> list[str]:
    """The drawn text of each FlowZap SVG of the page (wrapped lines joined by a space)."""
    import html
    import re

    page = html_file.read_text(encoding="utf-8")
    out = []
    for svg in re.findall(r"<svg\b[^>]*class=\"flowzap\".*?</svg>", page, flags=re.S):
        texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)
        out.append(" ".join(html.unescape(x) for t in texts for x in re.sub(r"<[^>]+>", "\n", t).split("\n") if x))
    return out


def has(drawing: str, text: str) -> bool:
    return text in drawing or text.replace(" ", "") in drawing.replace(" ", "")


@pytest.mark.slow
def test_gettext_round_trip(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # 1. the .pot of each page holds the diagram texts at their real lines
    sphinx("-b", "gettext", "-q", str(project), str(out / "gettext"), cwd=tmp_path)
    pot = read_catalog(out / "gettext" / "index.pot")
    rel = os.path.relpath(project / "index.rst", out / "gettext").replace(os.sep, "/")
    rel_fz = os.path.relpath(project / "diagrams" / "flow.fz", out / "gettext").replace(os.sep, "/")
    assert pot["Order process"].locations == [(rel, 6)]
    assert pot["Customer"].locations == [(rel, 9)]
    assert pot["Start"].locations == [(rel, 10)]
    assert pot["Review|Check stock"].locations == [(rel, 11)]
    assert pot["Sales"].locations == [(rel, 11)]
    assert pot["Yes"].locations == [(rel, 12)]
    assert pot["Ticket received"].locations == [(rel_fz, 2)]
    assert pot["Support team"].locations == [(rel_fz, 1)]
    assert "Intro paragraph." in pot  # the page's own text is there too, same catalog
    guide = read_catalog(out / "gettext" / "guide.pot")
    rel_md = os.path.relpath(project / "guide.md", out / "gettext").replace(os.sep, "/")
    assert guide["Restart the service"].locations == [(rel_md, 5)]
    assert guide["Operations"].locations == [(rel_md, 4)]
    assert guide["Night shift"].locations == [(rel_md, 9)]  # an option is located at its directive
    assert guide["Night shift team"].locations == [(rel_md, 12)]
    assert guide["Call the on-call engineer"].locations == [(rel_md, 13)]

    # 2. a translator fills in the French catalog (what sphinx-intl update + an editor do)
    po_dir = project / "locales" / "fr" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    pot.locale = "fr"
    pot["Order process"].string = "Processus de commande"
    pot["Customer"].string = "Client"
    pot["Review|Check stock"].string = "Revue|Vérifier le stock"
    pot["Yes"].string = "Oui"
    # "Start" stays untranslated in the catalog: the inline label@fr is used
    with open(po_dir / "index.po", "wb") as fh:
        write_po(fh, pot)
    guide.locale = "fr"
    guide["Restart the service"].string = "Redémarrer le service"
    with open(po_dir / "guide.po", "wb") as fh:
        write_po(fh, guide)
    (project / "diagrams" / "flow.fr.fz").write_text(FLOW_FR, encoding="utf-8")

    # 3. the French build shows French texts; untranslated ones stay as written
    html = out / "html"
    sphinx("-b", "html", "-q", "-D", "language=fr", str(project), str(html), cwd=tmp_path)
    first, from_file = texts_of(html / "index.html")
    for french in ("Client", "Début (inline)", "Revue", "Vérifier le stock", "Oui"):
        assert has(first, french), french
    assert has(first, "Sales") and not has(first, "Customer")  # untranslated stays; translated replaced
    assert "Processus de commande" in (html / "index.html").read_text(encoding="utf-8")  # the alt text
    assert has(from_file, "Ticket reçu (fichier fr)") and has(from_file, "Équipe support")
    guide_svg = texts_of(html / "guide.html")[0]
    assert has(guide_svg, "Redémarrer le service")
    # messages of a path argument come from the original file, even when a language copy is drawn
    sphinx("-b", "gettext", "-q", "-D", "language=fr", str(project), str(out / "gettext-fr"), cwd=tmp_path)
    pot_fr = read_catalog(out / "gettext-fr" / "index.pot")
    assert "Ticket received" in pot_fr and "Ticket reçu (fichier fr)" not in pot_fr

    # 4. a changed catalog rebuilds the page (incremental build, same output directory)
    time.sleep(1.1)
    with open(po_dir / "index.po", "rb") as fh:
        po = read_po(fh)
    po["Yes"].string = "Oui, bien sûr"
    po["Start"].string = "Départ (catalogue)"  # now the catalog beats the inline form
    with open(po_dir / "index.po", "wb") as fh:
        write_po(fh, po)
    sphinx("-b", "html", "-q", "-D", "language=fr", str(project), str(html), cwd=tmp_path)
    first, _ = texts_of(html / "index.html")
    assert has(first, "Départ (catalogue)") and has(first, "Oui, bien sûr")


# -- the project's own French Sphinx site (docs/sphinx, catalogs in docs/sphinx/locales/fr) -------

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ and the generated inputs its pages include, copied: Sphinx compiles the .po
    catalogs into .mo files beside them, which must not land in the working tree."""
    import importlib.util
    import shutil

    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns("*.mo", "_build"))
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "tools" / "build_docs.py")
    assert spec is not None and spec.loader is not None
    build_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_docs)
    build_docs.generate(root / "build" / "_generated")
    return root / "docs" / "sphinx"


@pytest.mark.slow
def test_the_french_docs_site_draws_french_labels(docs_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "fr"
    sphinx("-b", "html", "-W", "--keep-going", "-q", "-D", "language=fr", str(docs_copy), str(out), cwd=tmp_path)
    [review] = texts_of(out / "translating.html")
    for french in ("Rédacteur", "Début", "Rédiger la page", "Approuvée ?", "Publiée", "Oui", "Non"):
        assert has(review, french), french
    for english in ("Writer", "Write the page", "Approved?", "Published"):
        assert not has(review, english), english
    [event_driven] = texts_of(out / "index.html")
    for french in ("Courtier de messages", "Producteur d’événements", "Consommateur d’événements", "Livrer"):
        assert has(event_driven, french), french
    assert not has(event_driven, "Message Broker")
    page = (out / "translating.html").read_text(encoding="utf-8")
    assert "Relecture d’une page" in page and "<h1>Traduire les diagrammes" in page  # caption and title


@pytest.mark.slow
def test_the_french_catalogs_cover_the_translated_pages(docs_copy: Path, tmp_path: Path) -> None:
    """Every message of index and translating (diagram texts included) has a French entry:
    a label changed in English without ``sphinx-intl update`` + a translation fails here."""
    sphinx("-b", "gettext", "-q", str(docs_copy), str(tmp_path / "gettext"), cwd=tmp_path)
    for page in ("index", "translating"):
        pot = read_catalog(tmp_path / "gettext" / f"{page}.pot")
        po = read_catalog(docs_copy / "locales" / "fr" / "LC_MESSAGES" / f"{page}.po")
        missing = [m.id for m in pot if m.id and not (po.get(m.id) is not None and po[m.id].string
                                                       and not po[m.id].fuzzy)]
        assert not missing, f"{page}.po lacks French for {missing}; run sphinx-intl update and translate"


@pytest.mark.slow
def test_an_unreadable_catalog_warns_once_per_page_and_its_fix_rebuilds_the_page(tmp_path: Path) -> None:
    src = tmp_path / "src"
    catalogs = src / "locales" / "fr" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (src / "conf.py").write_text(CONF.replace(', "myst_parser"', ""), encoding="utf-8")
    diagram = ".. flowzap::\n\n   Team { # Support team\n     n1: circle label:\"Ticket received\"\n   }\n\n"
    (src / "index.rst").write_text("Page\n====\n\n" + diagram + diagram, encoding="utf-8")
    (catalogs / "index.mo").write_bytes(b"not a catalog")
    html = tmp_path / "html"
    proc = sphinx("-b", "html", "-D", "language=fr", str(src), str(html), cwd=tmp_path)
    warnings = [line for line in proc.stderr.splitlines() if "[flowzap.i18n]" in line]
    assert len(warnings) == 1 and "index.mo" in warnings[0], proc.stderr
    assert all(has(d, "Ticket received") for d in texts_of(html / "index.html"))

    time.sleep(1.1)
    (catalogs / "index.mo").unlink()
    (catalogs / "index.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                       'msgid "Ticket received"\nmsgstr "Ticket reçu"\n', encoding="utf-8")
    proc = sphinx("-b", "html", "-D", "language=fr", str(src), str(html), cwd=tmp_path)  # no -E: incremental
    assert "[flowzap.i18n]" not in proc.stderr
    assert [has(d, "Ticket reçu") for d in texts_of(html / "index.html")] == [True, True]
