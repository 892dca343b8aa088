"""Gettext catalogs read with Babel: .po and .mo, fallbacks, fingerprints, reloading."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flowzap_docs.catalogs import (
    Translator,
    catalog_files,
    catalog_fingerprint,
    clear_catalog_cache,
    language_chain,
    load_translator,
    normalize_lang,
)

DATA = Path(__file__).parent / "data" / "i18n"


@pytest.fixture()
def locales(tmp_path: Path) -> Path:
    clear_catalog_cache()
    target = tmp_path / "locales"
    shutil.copytree(DATA / "locales", target)
    return target


def compile_mo(po: Path, mo: Path | None = None) -> Path:
    mo = mo or po.with_suffix(".mo")
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    with open(mo, "wb") as fh:
        write_mo(fh, catalog)
    return mo


def touch_later(path: Path, seconds: int = 5) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_language_chain() -> None:
    assert language_chain("fr_CA") == ["fr_CA", "fr"]
    assert language_chain("fr-ca") == ["fr-ca", "fr_CA", "fr"]
    assert language_chain("zh-Hant-TW") == ["zh-Hant-TW", "zh_Hant_TW", "zh_Hant", "zh"]
    assert language_chain("sr_RS@latin") == ["sr_RS@latin", "sr@latin", "sr_RS", "sr"]
    assert language_chain("") == [] and language_chain(None) == []
    assert normalize_lang("PT-br") == "pt_BR"


def test_po_catalog_skips_fuzzy_empty_and_context_entries(locales: Path) -> None:
    t = load_translator([locales], "fr")
    assert isinstance(t, Translator)
    assert t("Start") == "Début"  # not the msgctxt "menu" entry
    assert t("No") == "No"  # fuzzy: ignored
    assert t("Delivered") == "Delivered"  # empty msgstr: untranslated
    assert t.get("Delivered") is None and t.get("Yes") == "Oui"
    assert t("never heard of") == "never heard of"
    assert t.files == (locales / "fr" / "LC_MESSAGES" / "flowzap.po",)
    assert "" not in t.messages  # the header is not an entry


def test_mo_catalog_gives_the_same_entries(locales: Path) -> None:
    po = locales / "fr" / "LC_MESSAGES" / "flowzap.po"
    from_po = dict(load_translator([locales], "fr").messages)
    mo = compile_mo(po)
    po.unlink()
    t = load_translator([locales], "fr")
    assert t.files == (mo,)
    assert dict(t.messages) == from_po
    assert t.fingerprint == catalog_fingerprint(from_po, "fr")


def test_fallback_chain_region_then_language(locales: Path) -> None:
    t = load_translator([locales], "fr_CA")
    assert t("Fill in the cart") == "Remplir le panier d’achat"  # fr_CA entry
    assert t("Yes") == "Oui"  # from fr
    assert [p.parent.parent.name for p in t.files] == ["fr_CA", "fr"]
    assert load_translator([locales], "fr-CA")("Fill in the cart") == "Remplir le panier d’achat"
    assert load_translator([locales], "fr_BE")("Fill in the cart") == "Remplir le panier avec les articles choisis"


def test_no_catalog_means_none(locales: Path, tmp_path: Path) -> None:
    assert load_translator([locales], "ja") is None
    assert load_translator([locales], None) is None
    assert load_translator([tmp_path / "missing"], "fr") is None
    assert load_translator(None, "fr") is None
    assert catalog_fingerprint(None) == ""


def test_several_directories_and_order(locales: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (other / "fr" / "LC_MESSAGES" / "flowzap.po").write_text(
        'msgid "Yes"\nmsgstr "Ouais"\n\nmsgid "Extra"\nmsgstr "En plus"\n', encoding="utf-8")
    t = load_translator([locales, other], "fr")
    assert t("Yes") == "Oui" and t("Extra") == "En plus"
    t = load_translator([other, locales], "fr")
    assert t("Yes") == "Ouais" and t("Start") == "Début"
    # language first (default) vs gettext's directory first
    (other / "fr_CA" / "LC_MESSAGES").mkdir(parents=True)
    (other / "fr_CA" / "LC_MESSAGES" / "flowzap.po").write_text('msgid "Yes"\nmsgstr "Oui (CA)"\n', encoding="utf-8")
    assert load_translator([locales, other], "fr_CA")("Yes") == "Oui (CA)"
    assert load_translator([locales, other], "fr_CA", dirs_first=True)("Yes") == "Oui"
    assert catalog_files([locales, other], "fr_CA", dirs_first=True)[0].parent.parent.name == "fr_CA"


def test_domain(locales: Path) -> None:
    po = locales / "fr" / "LC_MESSAGES" / "flowzap.po"
    shutil.copy(po, po.with_name("site.po"))
    assert load_translator([locales], "fr", domain="site")("Yes") == "Oui"
    assert load_translator([locales], "fr", domain="nothing") is None
    shutil.copy(po, po.with_name("api.v2.po"))  # Sphinx domains may hold dots (docnames do)
    assert load_translator([locales], "fr", domain="api.v2")("Yes") == "Oui"


def test_newer_of_po_and_mo_wins(locales: Path) -> None:
    po = locales / "fr" / "LC_MESSAGES" / "flowzap.po"
    mo = compile_mo(po)
    touch_later(mo)
    assert load_translator([locales], "fr").files == (mo,)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Oui"', 'msgstr "Oui !"'), encoding="utf-8")
    touch_later(po, 10)
    t = load_translator([locales], "fr")
    assert t.files == (po,) and t("Yes") == "Oui !"


def test_fingerprint_is_stable_and_changes_with_entries(locales: Path, tmp_path: Path) -> None:
    po = locales / "fr" / "LC_MESSAGES" / "flowzap.po"
    first = load_translator([locales], "fr").fingerprint
    assert first and first == load_translator([locales], "fr").fingerprint
    # same entries elsewhere: same fingerprint
    copy = tmp_path / "copy"
    shutil.copytree(locales, copy)
    assert load_translator([copy], "fr").fingerprint == first
    # another language with the same entries is another catalog
    shutil.copytree(locales / "fr", copy / "be")
    assert load_translator([copy], "be").fingerprint != first
    # comments and fuzzy entries are not in effect: no change
    text = po.read_text(encoding="utf-8")
    po.write_text("# a new translator comment\n" + text.replace('msgstr "Nan"', 'msgstr "Nenni"'), encoding="utf-8")
    touch_later(po)
    assert load_translator([locales], "fr").fingerprint == first
    # a changed entry in effect: new fingerprint (and it is re-read without any restart)
    po.write_text(text.replace('msgstr "Oui"', 'msgstr "Oui, bien sûr"'), encoding="utf-8")
    touch_later(po, 10)
    t = load_translator([locales], "fr")
    assert t("Yes") == "Oui, bien sûr"
    assert t.fingerprint != first


def test_reload_when_only_the_size_changes(locales: Path) -> None:
    po = locales / "fr" / "LC_MESSAGES" / "flowzap.po"
    assert load_translator([locales], "fr")("Yes") == "Oui"
    st = po.stat()
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Oui"', 'msgstr "Oui!!"'), encoding="utf-8")
    os.utime(po, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, different size
    assert load_translator([locales], "fr")("Yes") == "Oui!!"


def test_broken_catalog_is_a_warning_not_a_crash(locales: Path) -> None:
    bad = locales / "fr_CA" / "LC_MESSAGES" / "flowzap.po"
    bad.write_text('msgid "Fill in the cart"\nmsgstr "Remplir"\nthis is not gettext\n', encoding="utf-8")
    t = load_translator([locales], "fr_CA")
    assert t is not None and t("Yes") == "Oui"  # the good fr catalog still works
    assert [p.code for p in t.problems] == ["FZ901"] and "flowzap.po" in t.problems[0].message
    mo = locales / "fr" / "LC_MESSAGES" / "flowzap.mo"
    mo.write_bytes(b"not a mo file at all")
    touch_later(mo, 20)
    t = load_translator([locales], "fr")
    assert t is not None and t.messages == {} and t.problems[0].code == "FZ901"
