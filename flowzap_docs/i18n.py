"""Diagrams in the page's language.

One diagram source serves every language of a site: texts are looked up in gettext catalogs
(msgid = the text as written) and in the inline ``label@fr:"..."`` forms; a catalog entry wins
over an inline one; what has no translation stays as written.

Translatable texts: node ``label`` / ``owner`` / ``description`` / ``system``, edge labels,
lane display names (the lane id when a lane has none, since that is what a reader sees) and
loop conditions.

Taskbox labels with ``|`` (``"Review|Check docs|Verify data"``): the whole label is one
message (that is what :func:`diagram_messages` extracts, so a translator sees the card as a
whole and keeps the ``|``).  When the catalog has no entry for the whole label, each part is
looked up on its own too (so a catalog that already translates ``"Verify data"`` elsewhere
is reused); parts without a catalog entry then take the matching part of an inline
``label@fr:"..."`` with the same number of parts, else stay as written.

Languages fall back gettext-style: ``fr_CA`` uses ``fr_CA`` entries, then ``fr`` ones
(``fr-CA`` is the same language as ``fr_CA``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .catalogs import language_chain, normalize_lang
from .model import Diagram, Node, Translation

Translate = Callable[[str], str]

#: Inline translation field names accepted for a lane's display name.
LANE_FIELDS: tuple[str, ...] = ("title", "name", "label")


@dataclass(frozen=True)
class Message:
    """One translatable text of a diagram, where it is written.

    ``line``/``column`` are 1-based in the diagram's own text (add the host offset for a
    diagram embedded in a page).  ``context`` is a note for translators (``#.`` comment in a
    ``.pot``); ``field`` the kind of text; ``element`` the id of what carries it.
    """

    text: str
    line: int
    column: int
    context: str
    field: str = "label"
    element: str = ""

    def shifted(self, lines: int, columns: int = 0) -> Message:
        """The same message moved into a host file (``lines`` added, ``columns`` for indent)."""
        return replace(self, line=self.line + lines, column=self.column + columns)


# --------------------------------------------------------------------------- lookups


def _catalog(text: str, translate: Translate | None) -> str | None:
    """The catalog's translation of ``text``, or ``None`` (gettext: a missing entry gives
    the text itself back; an empty result means untranslated too)."""
    if translate is None or not text:
        return None
    try:
        result = translate(text)
    except Exception:  # noqa: BLE001 - a host callback must never break drawing
        return None
    if not isinstance(result, str) or not result or result == text:
        return None
    return result


def _inline(fields: tuple[str, ...], translations: tuple[Translation, ...], lang: str | None) -> str | None:
    """The inline translation for ``lang`` (most specific language of the chain first)."""
    if not lang or not translations:
        return None
    for wanted in language_chain(lang):
        key = normalize_lang(wanted)
        for field_name in fields:
            for t in translations:
                if t.field == field_name and normalize_lang(t.lang) == key:
                    return t.text
    return None


def translate_text(text: str | None, field: str | tuple[str, ...], translations: tuple[Translation, ...],
                   lang: str | None, translate: Translate | None) -> str | None:
    """One text in ``lang``: catalog entry, else inline form, else the text as written."""
    if text is None or text == "":
        return text
    fields = (field,) if isinstance(field, str) else field
    return _catalog(text, translate) or _inline(fields, translations, lang) or text


def _taskbox_label(node: Node, lang: str | None, translate: Translate | None) -> str:
    label = node.label
    if not label:
        return label
    whole = _catalog(label, translate)
    if whole:
        return whole
    inline = _inline(("label",), node.translations, lang)
    if "|" not in label:
        return inline or label
    parts = [p.strip() for p in label.split("|")]
    from_catalog = [_catalog(p, translate) if p else None for p in parts]
    if not any(from_catalog):
        return inline or label
    inline_parts = ([p.strip() for p in inline.split("|")]
                    if inline is not None and inline.count("|") == label.count("|") else None)
    out = []
    for i, part in enumerate(parts):
        if from_catalog[i]:
            out.append(from_catalog[i])
        elif inline_parts is not None:
            out.append(inline_parts[i])
        else:
            out.append(part)
    return "|".join(out)


def _node(node: Node, lang: str | None, translate: Translate | None) -> Node:
    if node.shape == "taskbox":
        label = _taskbox_label(node, lang, translate)
    else:
        label = translate_text(node.label, "label", node.translations, lang, translate) or ""
    return replace(
        node,
        label=label,
        owner=translate_text(node.owner, "owner", node.translations, lang, translate),
        description=translate_text(node.description, "description", node.translations, lang, translate),
        system=translate_text(node.system, "system", node.translations, lang, translate),
    )


def translate_diagram(diagram: Diagram, *, lang: str | None = None, translate: Translate | None = None) -> Diagram:
    """A copy of ``diagram`` with every text in ``lang`` (catalog first, then inline forms).

    ``translate`` is any gettext-style callable (a :class:`flowzap_docs.catalogs.Translator`,
    ``gettext.GNUTranslations.gettext``, a dict's ``get`` wrapped...).  Without ``lang`` and
    ``translate`` the diagram is returned unchanged (same object).
    """
    if not lang and translate is None:
        return diagram
    lanes = []
    for ln in diagram.lanes:
        shown = ln.display_name
        new = translate_text(shown, LANE_FIELDS, ln.translations, lang, translate)
        lanes.append(ln if new == shown else replace(ln, title=new))
    nodes = tuple(_node(n, lang, translate) for n in diagram.nodes)
    edges = tuple(replace(e, label=translate_text(e.label, "label", e.translations, lang, translate))
                  for e in diagram.edges)
    loops = tuple(
        replace(lp, condition=translate_text(lp.condition, "condition", lp.translations, lang, translate) or "")
        for lp in diagram.loops
    )
    return diagram.with_changes(lanes=tuple(lanes), nodes=nodes, edges=edges, loops=loops)


# --------------------------------------------------------------------------- extraction


def diagram_messages(diagram: Diagram) -> list[Message]:
    """Every translatable text of ``diagram`` with where it is written, in source order.

    This one list feeds ``flowzap extract``, the Babel extractor and the Sphinx gettext
    builder, so a ``.pot`` made any of these ways has the same msgids the renderer looks up.
    A taskbox label with ``|`` is one message (see the module docstring).  Repeated texts are
    kept (one message per place); catalogs merge them into one entry with several locations.
    """
    found: list[tuple[int, int, int, Message]] = []

    def add(text: str | None, line: int, column: int, context: str, field_name: str, element: str) -> None:
        if text is None or not text.strip():
            return
        found.append((line, column, len(found), Message(text, line, column, context, field_name, element)))

    for ln in diagram.lanes:
        if ln.title:
            add(ln.title, ln.line, ln.column, f"lane {ln.id}: display name", "title", ln.id)
        else:
            add(ln.id, ln.line, ln.column, f"lane {ln.id}: display name (the lane id, no name written)", "title", ln.id)
    for n in diagram.nodes:
        if n.shape == "taskbox" and "|" in n.label:
            what = f"taskbox {n.id}: title|sub-items (keep the | separators)"
        else:
            what = f"{n.shape} {n.id}: label"
        add(n.label, n.line, n.column, what, "label", n.id)
        add(n.owner, n.line, n.column, f"{n.shape} {n.id}: owner", "owner", n.id)
        add(n.description, n.line, n.column, f"{n.shape} {n.id}: description", "description", n.id)
        add(n.system, n.line, n.column, f"{n.shape} {n.id}: system", "system", n.id)
    for e in diagram.edges:
        add(e.label, e.line, e.column, f"edge {e.source} -> {e.target}: label", "label", e.id)
    for lp in diagram.loops:
        add(lp.condition, lp.line, lp.column, f"loop over {' '.join(lp.nodes)}: condition", "condition",
            f"loop@{lp.line}")
    found.sort(key=lambda item: item[:3])
    return [m for *_, m in found]
