"""The page language and catalog rules of the Sphinx and MkDocs adapters (host-agnostic core)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.core import Locale

from flowzap_docs.catalogs import clear_catalog_cache
from flowzap_docs.model import Diagram, Edge, Lane, Node
from flowzap_docs.site_i18n import (
    cache_language,
    localized_path,
    mkdocs_locale_dir,
    mkdocs_translator,
    page_language,
    sphinx_doc_translator,
    sphinx_domain,
    sphinx_messages,
    user_theme_language,
)

DATA = Path(__file__).parent / "data" / "i18n"


def test_page_language_precedence() -> None:
    everything = dict(fence_lang="de", i18n_language="fr", theme_language="es", theme_locale="it", plugin_lang="pt")
    assert page_language(**everything) == "de"
    everything["fence_lang"] = None
    assert page_language(**everything) == "fr"
    everything["i18n_language"] = ""
    assert page_language(**everything) == "es"
    everything["theme_language"] = None
    assert page_language(**everything) == "it"
    everything["theme_locale"] = None
    assert page_language(**everything) == "pt"
    assert page_language() is None
    assert page_language(theme_locale=Locale.parse("fr_CA")) == "fr_CA"  # MkDocs parses theme.locale


def test_user_theme_language_ignores_theme_defaults() -> None:
    assert user_theme_language("material") == (None, None)
    assert user_theme_language({"name": "material"}) == (None, None)
    assert user_theme_language({"name": "material", "language": "fr"}) == ("fr", None)
    assert user_theme_language({"name": "mkdocs", "locale": "de"}) == (None, "de")


def test_mkdocs_catalogs_beside_mkdocs_yml(tmp_path: Path) -> None:
    clear_catalog_cache()
    shutil.copytree(DATA / "locales", tmp_path / "locales")
    yml = tmp_path / "mkdocs.yml"
    yml.write_text("site_name: t\n", encoding="utf-8")
    assert mkdocs_locale_dir(yml) == tmp_path / "locales"
    assert mkdocs_locale_dir(yml, "i18n/po") == tmp_path / "i18n" / "po"
    assert mkdocs_locale_dir(yml, tmp_path / "abs") == tmp_path / "abs"
    assert mkdocs_translator(yml, "fr")("Start") == "Début"
    assert mkdocs_translator(yml, "fr_CA")("Fill in the cart") == "Remplir le panier d’achat"
    assert mkdocs_translator(yml, "ja") is None
    assert mkdocs_translator(yml, None) is None
    shutil.move(tmp_path / "locales", tmp_path / "po")
    assert mkdocs_translator(yml, "fr", locale_dir="po")("Yes") == "Oui"


def test_sphinx_domain_matches_docname_to_domain() -> None:
    sphinx_i18n = pytest.importorskip("sphinx.util.i18n")
    for docname in ("index", "guide/install", "a/b/c"):
        for compact in (True, False, "everything"):
            assert sphinx_domain(docname, compact) == sphinx_i18n.docname_to_domain(docname, compact)


def test_sphinx_doc_translator_reads_the_page_catalog(tmp_path: Path) -> None:
    clear_catalog_cache()
    src = tmp_path / "src"
    page_po = src / "locales" / "fr" / "LC_MESSAGES" / "guide" / "install.po"
    page_po.parent.mkdir(parents=True)
    page_po.write_text('msgid "Start"\nmsgstr "Démarrage"\n', encoding="utf-8")
    compact_po = src / "locales" / "fr" / "LC_MESSAGES" / "guide.po"
    compact_po.write_text('msgid "Start"\nmsgstr "Départ"\n', encoding="utf-8")
    t = sphinx_doc_translator(src, ["locales"], "fr", "guide/install", gettext_compact=False)
    assert t("Start") == "Démarrage" and t.files == (page_po,)
    assert sphinx_doc_translator(src, ["locales"], "fr", "guide/install")("Start") == "Départ"
    assert sphinx_doc_translator(src, ["locales"], "fr", "index") is None
    assert sphinx_doc_translator(src, ["locales"], None, "guide/install") is None
    # fr_CA page falls back to the fr catalog of the page
    assert sphinx_doc_translator(src, ["locales"], "fr_CA", "guide/install")("Start") == "Départ"


def test_localized_path(tmp_path: Path) -> None:
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "diagrams" / "flow.fz").write_text("", encoding="utf-8")
    (tmp_path / "diagrams" / "flow.fr.fz").write_text("", encoding="utf-8")
    assert localized_path("diagrams/flow.fz", "fr", exists_in=tmp_path) == "diagrams/flow.fr.fz"
    assert localized_path("diagrams/flow.fz", "fr_CA", exists_in=tmp_path) == "diagrams/flow.fr.fz"
    assert localized_path("diagrams/flow.fz", "de", exists_in=tmp_path) == "diagrams/flow.fz"
    assert localized_path("diagrams/flow.fz", None, exists_in=tmp_path) == "diagrams/flow.fz"
    absolute = tmp_path / "diagrams" / "flow.fz"
    assert localized_path(absolute, "fr") == str(tmp_path / "diagrams" / "flow.fr.fz")
    pattern = "{path}{language}/{basename}{ext}"
    (tmp_path / "diagrams" / "de").mkdir()
    (tmp_path / "diagrams" / "de" / "flow.fz").write_text("", encoding="utf-8")
    assert localized_path("diagrams/flow.fz", "de", pattern, exists_in=tmp_path) == "diagrams/de/flow.fz"
    assert localized_path("diagrams/flow.fz", "de", "{nonsense}", exists_in=tmp_path) == "diagrams/flow.fz"
    assert localized_path("/diagrams/flow.fz", "fr", exists_in=tmp_path) == "/diagrams/flow.fr.fz"


def test_sphinx_messages_are_at_host_lines() -> None:
    d = Diagram(
        lanes=(Lane("A", "Team", 1, 1),),
        nodes=(Node("n1", "A", "circle", "Start", 2, 3), Node("n2", "A", "rectangle", "Go", 3, 3)),
        edges=(Edge("e1", "n1", "right", "n2", "left", 4, 3, label="next"),),
    )
    msgs = sphinx_messages(d, "/src/page.rst", line_offset=11, caption="Our process", directive_line=8)
    assert [(m.text, m.source, m.line) for m in msgs] == [
        ("Our process", "/src/page.rst", 8), ("Team", "/src/page.rst", 12), ("Start", "/src/page.rst", 13),
        ("Go", "/src/page.rst", 14), ("next", "/src/page.rst", 15),
    ]


def test_cache_language() -> None:
    assert cache_language("fr-ca") == cache_language("fr_CA") == "fr_CA"
    assert cache_language(None) == ""
