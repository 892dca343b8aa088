"""The Sphinx i18n recipe of flowzap-docs, as a minimal extension (test scaffolding only).

It does exactly what the real adapter (flowzap_docs.sphinx_ext) is told to do for translated
diagrams, so the test proves the core functions work with Sphinx's real gettext machinery:
message nodes for ``sphinx-build -b gettext``, the page's catalog for the French build, the
``figure_language_filename`` copy of a diagram file.  Instead of an SVG it writes the
translated texts as a list (the drawing is tested elsewhere).
"""

from __future__ import annotations

import html
import os

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from flowzap_docs.catalogs import catalog_fingerprint
from flowzap_docs.i18n import diagram_messages, translate_diagram
from flowzap_docs.parser import parse
from flowzap_docs.site_i18n import localized_path, sphinx_doc_translator, sphinx_messages


class flowzap_message(nodes.Inline, nodes.TextElement):  # noqa: N801 - docutils naming
    """One diagram text for Sphinx's gettext machinery; removed before any output is written."""


class Recipe(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"alt": directives.unchanged, "lang": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        lang = self.options.get("lang") or self.config.language or None
        if self.arguments:
            arg = localized_path(self.arguments[0], lang, self.config.figure_language_filename,
                                 exists=lambda p: os.path.isfile(self.env.relfn2path(p)[1]))
            rel, path = self.env.relfn2path(arg)
            self.env.note_dependency(rel)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            # gettext messages come from the original file, never from its language copy
            source = self.env.relfn2path(self.arguments[0])[1]
            with open(source, encoding="utf-8") as fh:
                msg_text = fh.read()
            offset = 0
        else:
            text = msg_text = "\n".join(self.content)
            source = self.state.document.current_source or self.env.doc2path(self.env.docname)
            if type(self.state).__module__.startswith("myst_parser"):
                offset = self.lineno + self.content_offset
            else:
                offset = self.content_offset
        translator = sphinx_doc_translator(self.env.srcdir, self.config.locale_dirs, lang, self.env.docname,
                                           self.config.gettext_compact)
        if translator is not None:
            for f in translator.files:
                self.env.note_dependency(os.fspath(f))
        diagram = translate_diagram(parse(text, filename=source), lang=lang, translate=translator)
        texts = [m.text for m in diagram_messages(diagram)]
        alt = self.options.get("alt")
        if alt:
            texts.insert(0, "alt=" + (translator(alt) if translator else alt))
        out = nodes.container(classes=["fz-recipe"])
        items = "".join(f"<li>{html.escape(t)}</li>" for t in texts)
        out += nodes.raw("", f'<ul class="fz-texts" data-catalog="{catalog_fingerprint(translator)}">{items}</ul>',
                         format="html")
        for m in sphinx_messages(msg_text, source, offset, alt=alt, directive_line=self.lineno):
            node = flowzap_message(m.text, m.text, translatable=True)
            node.source, node.line = m.source, m.line
            out += node
        return [out]


def drop_messages(app, doctree, docname) -> None:  # noqa: ANN001
    if app.builder.name == "gettext":
        return
    for node in list(doctree.findall(flowzap_message)):
        node.parent.remove(node)


def setup(app):  # noqa: ANN001, ANN201
    app.add_node(flowzap_message)
    app.add_directive("flowzap", Recipe)
    app.connect("doctree-resolved", drop_messages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
