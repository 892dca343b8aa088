"""Translated diagrams in Sphinx: the standard gettext round trip, wired to the core.

* ``sphinx-build -b gettext``: the directive hangs one :class:`flowzap_message` node per
  diagram text (labels, lane names, edge labels, ..., plus ``:alt:``) under the diagram node,
  located at the text's real line (the page, or the ``.fz`` file of a path argument - the
  original file, never its language copy).  The gettext builder collects them into the page's
  ``.pot`` like any paragraph.  Other builds do not make them (see ``_COLLECTS``); should a
  doctree still hold some, they are removed when it is resolved, and every visitor skips them.
* ``language = "fr"``: the page's own catalog (the one Sphinx reads for its paragraphs) is
  handed to the core as the translator; its files are page dependencies, so an edited catalog
  re-reads the page; its fingerprint is in the cache key.
* A path argument ``diagram.fz`` becomes ``diagram.fr.fz`` when that file exists
  (``figure_language_filename``, like images).

The rules (which catalog, which messages at which lines, which file name) live in
:mod:`flowzap_docs.site_i18n`; this module only feeds them Sphinx's values.

Message nodes are made with ``translatable=False`` and switched on only for the gettext
builder: the read-time ``Locale`` transform of a translated build would otherwise parse each
label's translation as reStructuredText (a ``*`` in a French label would warn, failing ``-W``
builds) for nodes that are thrown away anyway.  The gettext builder needs a ``uid`` on each
message (Sphinx gives one only to nodes translatable at read time), so it gets a stable one.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders.gettext import I18nBuilder
from sphinx.util import logging

from flowzap_docs.catalogs import Translator, catalog_files
from flowzap_docs.site_i18n import localized_path, sphinx_doc_translator, sphinx_domain, sphinx_messages

from .state import WARNING_TYPE, page_record

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Whether the build of an environment collects messages.  Sphinx never lets a gettext build
#: and another builder share doctrees (different versioning methods: "incompatible
#: environment"), so pages read for html, latex, ... need no message nodes at all (and do not
#: pay for parsing the diagram a second time).  Unknown environments get them.
_COLLECTS: weakref.WeakKeyDictionary[BuildEnvironment, bool] = weakref.WeakKeyDictionary()


class flowzap_message(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils nodes are lower case)
    """One diagram text for ``sphinx-build -b gettext``; no other builder ever writes it."""


def translate_for(env: BuildEnvironment, lang: str | None) -> Translator | None:
    """The page's catalog as the core's translator (``None``: no language or no catalog).

    Every catalog file of the page is a dependency (also one that cannot be read, so fixing
    it re-reads the page); unreadable ones warn once per page read.
    """
    if not lang:
        return None
    config = env.config
    translator = sphinx_doc_translator(env.srcdir, config.locale_dirs, lang, env.docname, config.gettext_compact)
    if translator is None:
        return None
    wanted = catalog_files([Path(env.srcdir, d) for d in config.locale_dirs], lang,
                           sphinx_domain(env.docname, config.gettext_compact), dirs_first=True)
    for path in {*translator.files, *wanted}:
        env.note_dependency(os.fspath(path))
    said = page_record(env, env.docname)["said"]
    for problem in translator.problems:
        if problem.message not in said:
            said.append(problem.message)
            logger.warning(problem.message, location=env.docname, type=WARNING_TYPE, subtype="i18n")
    return translator


def translated(translator: Translator | None, text: str | None) -> str | None:
    """A user-written ``:alt:`` or ``:caption:`` in the page's language (msgid = as written)."""
    if translator is None or not text:
        return text
    return translator(text) or text


def localized_argument(env: BuildEnvironment, argument: str, lang: str | None) -> str:
    """``diagram.fz`` -> ``diagram.fr.fz`` when that file exists (``figure_language_filename``)."""
    return localized_path(argument, lang, env.config.figure_language_filename,
                          docpath=posixpath.dirname(env.docname),
                          exists=lambda candidate: os.path.isfile(env.relfn2path(candidate)[1]))


def collects_messages(builder: Builder) -> bool:
    """The gettext builder (and any builder made from its base) writes message catalogs."""
    return isinstance(builder, I18nBuilder)


def note_builder(app: Sphinx) -> None:
    """``builder-inited``: remember whether this build's page reads need message nodes."""
    _COLLECTS[app.env] = collects_messages(app.builder)


def message_nodes(env: BuildEnvironment, diagram_text: str, source: str, line_offset: int, alt: str | None,
                  directive_line: int) -> list[flowzap_message]:
    """One node per translatable text, located where a translator will find it."""
    if not _COLLECTS.get(env, True):
        return []
    out = []
    for message in sphinx_messages(diagram_text, source, line_offset, alt=alt, directive_line=directive_line):
        node = flowzap_message(message.text, message.text, translatable=False)
        node.source, node.line = message.source, message.line
        out.append(node)
    return out


def resolve_messages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the gettext builder gets the messages; every other builder loses them."""
    if not collects_messages(app.builder):
        for node in list(doctree.findall(flowzap_message)):
            node.parent.remove(node)
        return
    for node in doctree.findall(flowzap_message):
        node["translatable"] = True
        if not getattr(node, "uid", None):
            where = f"{node.source}\0{node.line}\0{node.astext()}".encode()
            node.uid = hashlib.sha1(where).hexdigest()  # type: ignore[attr-defined]
