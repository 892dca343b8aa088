"""translate_diagram and diagram_messages on hand-built diagrams (no parser needed)."""

from __future__ import annotations

from flowzap_docs.i18n import diagram_messages, translate_diagram, translate_text
from flowzap_docs.model import Diagram, Edge, Lane, Loop, Node, Translation


def T(field: str, lang: str, text: str) -> Translation:  # noqa: N802 - reads like the source form
    return Translation(field, lang, text)


def sample() -> Diagram:
    return Diagram(
        lanes=(Lane("Customer", "Customer", 1, 1), Lane("Warehouse", None, 9, 1)),
        nodes=(
            Node("n1", "Customer", "circle", "Start", 2, 3, translations=(T("label", "fr", "Début (inline)"),)),
            Node("n2", "Customer", "rectangle", "Fill in the cart", 3, 3),
            Node("n3", "Customer", "taskbox", "Review order|Check address|Check payment", 4, 3,
                 owner="Sales", description="Before shipping", system="ERP",
                 translations=(T("label", "fr", "Revue (inline)|Adresse (inline)|Paiement (inline)"),
                               T("owner", "fr", "Ventes (inline)"))),
            Node("n4", "Warehouse", "rectangle", "Order from supplier", 10, 3,
                 translations=(T("label", "fr-CA", "Commander (CA inline)"), T("label", "de", "Bestellen"))),
            Node("n5", "Warehouse", "taskbox", "", 11, 3, description="Count the stock"),
        ),
        edges=(
            Edge("e1", "n1", "right", "n2", "left", 5, 3),
            Edge("e2", "n2", "bottom", "n4", "top", 6, 3, label="No", translations=(T("label", "fr", "Non"),)),
            Edge("e3", "n4", "top", "n3", "bottom", 12, 3, label="Delivered"),
        ),
        loops=(Loop("until the stock is back", ("n4", "n2"), 13, 3),),
    )


CATALOG = {
    "Customer": "Client",
    "Warehouse": "Entrepôt",
    "Start": "Commencer",
    "Check address": "Contrôler l’adresse",
    "Delivered": "Livré",
    "until the stock is back": "jusqu’au retour du stock",
    "Before shipping": "Avant l’expédition",
}


def catalog(text: str) -> str:
    return CATALOG.get(text, text)


def test_no_language_and_no_catalog_returns_the_same_diagram() -> None:
    d = sample()
    assert translate_diagram(d) is d


def test_catalog_beats_inline_and_untranslated_stays() -> None:
    t = translate_diagram(sample(), lang="fr", translate=catalog)
    labels = {n.id: n.label for n in t.nodes}
    assert labels["n1"] == "Commencer"  # catalog wins over label@fr
    assert labels["n2"] == "Fill in the cart"  # nothing anywhere: as written
    assert [ln.display_name for ln in t.lanes] == ["Client", "Entrepôt"]  # id-only lane translated too
    assert [e.label for e in t.edges] == [None, "Non", "Livré"]  # inline only / none / catalog
    assert t.loops[0].condition == "jusqu’au retour du stock"
    n3 = t.node("n3")
    assert n3.owner == "Ventes (inline)" and n3.description == "Avant l’expédition" and n3.system == "ERP"
    assert t.node("n5").description == "Count the stock" and t.node("n5").title == "Count the stock"


def test_inline_only_when_no_catalog() -> None:
    t = translate_diagram(sample(), lang="fr")
    assert t.node("n1").label == "Début (inline)"
    assert t.node("n3").label == "Revue (inline)|Adresse (inline)|Paiement (inline)"
    assert t.node("n4").label == "Order from supplier"  # only fr-CA and de inline forms
    assert t.edges[1].label == "Non"


def test_language_fallback_chain_for_inline_forms() -> None:
    assert translate_diagram(sample(), lang="fr_CA").node("n4").label == "Commander (CA inline)"
    assert translate_diagram(sample(), lang="fr-ca").node("n4").label == "Commander (CA inline)"
    # fr_CA has no inline label for n1: falls back to fr
    assert translate_diagram(sample(), lang="fr_CA").node("n1").label == "Début (inline)"
    assert translate_diagram(sample(), lang="de_AT").node("n4").label == "Bestellen"
    assert translate_diagram(sample(), lang="ja").node("n1").label == "Start"


def test_taskbox_whole_label_entry_wins() -> None:
    whole = {"Review order|Check address|Check payment": "Vérifier|Adresse|Paiement", "Check address": "X"}
    t = translate_diagram(sample(), lang="fr", translate=lambda s: whole.get(s, s))
    assert t.node("n3").label == "Vérifier|Adresse|Paiement"
    assert t.node("n3").title == "Vérifier" and t.node("n3").sub_items == ("Adresse", "Paiement")


def test_taskbox_parts_from_catalog_then_inline_parts() -> None:
    # the catalog knows only one part: the other parts come from the inline form's parts
    t = translate_diagram(sample(), lang="fr", translate=catalog)
    assert t.node("n3").label == "Revue (inline)|Contrôler l’adresse|Paiement (inline)"
    # without an inline form, untranslated parts stay as written
    t = translate_diagram(sample(), lang="de", translate=catalog)
    assert t.node("n3").label == "Review order|Contrôler l’adresse|Check payment"


def test_pipe_in_a_rectangle_is_plain_text() -> None:
    d = Diagram(lanes=(Lane("A", "A", 1, 1),), nodes=(Node("n1", "A", "rectangle", "a|b", 2, 1),), edges=())
    t = translate_diagram(d, lang="fr", translate=lambda s: {"a": "x"}.get(s, s))
    assert t.node("n1").label == "a|b"


def test_empty_translation_and_broken_callback_mean_untranslated() -> None:
    t = translate_diagram(sample(), lang="fr", translate=lambda s: "")
    assert t.node("n2").label == "Fill in the cart"
    assert t.node("n1").label == "Début (inline)"

    def boom(text: str) -> str:
        raise RuntimeError("host callback failed")

    t = translate_diagram(sample(), lang="fr", translate=boom)
    assert t.node("n2").label == "Fill in the cart"
    t = translate_diagram(sample(), lang="fr", translate=lambda s: None)  # type: ignore[arg-type, return-value]
    assert t.node("n2").label == "Fill in the cart" and t.node("n1").label == "Début (inline)"


def test_translate_text_keeps_none_and_empty() -> None:
    assert translate_text(None, "label", (), "fr", catalog) is None
    assert translate_text("", "label", (), "fr", catalog) == ""


def test_diagram_messages_lists_every_text_in_source_order() -> None:
    msgs = diagram_messages(sample())
    assert [(m.text, m.line, m.field) for m in msgs] == [
        ("Customer", 1, "title"),
        ("Start", 2, "label"),
        ("Fill in the cart", 3, "label"),
        ("Review order|Check address|Check payment", 4, "label"),
        ("Sales", 4, "owner"),
        ("Before shipping", 4, "description"),
        ("ERP", 4, "system"),
        ("No", 6, "label"),
        ("Warehouse", 9, "title"),
        ("Order from supplier", 10, "label"),
        ("Count the stock", 11, "description"),
        ("Delivered", 12, "label"),
        ("until the stock is back", 13, "condition"),
    ]
    assert "keep the | separators" in msgs[3].context
    assert msgs[1].shifted(7, 4).line == 9 and msgs[1].shifted(7, 4).column == 7


def test_every_extracted_message_is_what_the_renderer_looks_up() -> None:
    # a catalog made of the extracted msgids translates every text of the diagram
    d = sample()
    full = {m.text: f"«{m.text}»" for m in diagram_messages(d)}
    t = translate_diagram(d, lang="xx", translate=lambda s: full.get(s, s))
    texts = [ln.display_name for ln in t.lanes] + [n.label for n in t.nodes if n.label]
    texts += [n.owner for n in t.nodes if n.owner] + [e.label for e in t.edges if e.label]
    texts += [lp.condition for lp in t.loops]
    assert texts and all(x.startswith("«") and x.endswith("»") for x in texts)
