"""Diagrams in the page's language.

One diagram source serves every language of a site: labels are looked up in gettext catalogs
(msgid = the label as written) and in the inline ``label@fr:"..."`` forms; a catalog entry wins
over an inline one; what has no translation stays as written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .model import Diagram, Translation

Translate = Callable[[str], str]


def _pick(text: str | None, field: str, translations: tuple[Translation, ...], lang: str | None,
          translate: Translate | None) -> str | None:
    if text is None or text == "":
        return text
    if translate is not None:
        translated = translate(text)
        if translated and translated != text:
            return translated
    if lang:
        base = lang.split("_")[0].split("-")[0]
        for wanted in (lang, base):
            for t in translations:
                if t.field == field and t.lang == wanted:
                    return t.text
    return text


def translate_diagram(diagram: Diagram, *, lang: str | None = None, translate: Translate | None = None) -> Diagram:
    """A copy of ``diagram`` with every text in ``lang`` (catalog first, then inline forms)."""
    if not lang and translate is None:
        return diagram
    lanes = tuple(replace(ln, title=_pick(ln.title, "title", ln.translations, lang, translate)) for ln in diagram.lanes)
    nodes = tuple(
        replace(
            n,
            label=_pick(n.label, "label", n.translations, lang, translate) or "",
            owner=_pick(n.owner, "owner", n.translations, lang, translate),
            description=_pick(n.description, "description", n.translations, lang, translate),
            system=_pick(n.system, "system", n.translations, lang, translate),
        )
        for n in diagram.nodes
    )
    edges = tuple(replace(e, label=_pick(e.label, "label", e.translations, lang, translate)) for e in diagram.edges)
    loops = tuple(
        replace(lp, condition=_pick(lp.condition, "condition", lp.translations, lang, translate) or "")
        for lp in diagram.loops
    )
    return diagram.with_changes(lanes=lanes, nodes=nodes, edges=edges, loops=loops)
