"""The language of a page and its catalogs, as Sphinx and MkDocs decide them (host-agnostic).

The adapters pass plain values (paths, strings, config values) and get back a language, a
path or a :class:`~flowzap_docs.catalogs.Translator`; nothing here imports Sphinx or MkDocs,
so the rules are tested once, in the core, and both adapters stay one-liners.

Sphinx: a page's translations live in ``<locale_dir>/<language>/LC_MESSAGES/<domain>.mo``
where ``<domain>`` comes from the docname and ``gettext_compact`` (the same catalog the
``Locale`` transform uses for the page's paragraphs).  The diagram's texts are added to that
catalog by ``sphinx-build -b gettext`` through the adapter's message nodes (see
:func:`sphinx_messages`), so the standard sphinx-intl workflow covers diagrams with no extra
step.

MkDocs: one catalog for all diagrams, ``<locale_dir>/<lang>/LC_MESSAGES/flowzap.po`` (or
``.mo``), ``locale_dir`` defaulting to ``locales/`` beside ``mkdocs.yml``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogs import DEFAULT_DOMAIN, Translator, load_translator, normalize_lang
from .i18n import Message, diagram_messages
from .model import Diagram

PathLike = str | os.PathLike[str]

#: Sphinx's default ``figure_language_filename``.
DEFAULT_LANGUAGE_FILENAME = "{root}.{language}{ext}"


def _clean(value: object) -> str | None:
    """A language value as a string (``babel.core.Locale`` objects included), ``None`` if unset."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# --------------------------------------------------------------------------- MkDocs


def page_language(*, fence_lang: object = None, i18n_language: object = None, theme_language: object = None,
                  theme_locale: object = None, plugin_lang: object = None) -> str | None:
    """The language a diagram is drawn in, MkDocs rules, first set value wins:

    1. the fence's own ``lang="..."``;
    2. the language being built by mkdocs-static-i18n (each language build gets its SVGs);
    3. the theme's ``language`` (Material) or ``locale`` (MkDocs' own themes);
    4. the plugin's ``lang`` option.

    ``None`` means "as written".  Values may be strings or Locale objects.
    """
    for value in (fence_lang, i18n_language, theme_language, theme_locale, plugin_lang):
        text = _clean(value)
        if text:
            return text
    return None


def user_theme_language(user_theme: object) -> tuple[str | None, str | None]:
    """``(language, locale)`` the *user* wrote under ``theme:`` in ``mkdocs.yml``.

    Themes fill in defaults (``language: en`` for Material, ``locale: en`` for MkDocs' themes),
    which would always hide the plugin's ``lang`` option; pass the raw user mapping here
    (``config.user_configs[-1].get("theme")`` style) to know what was really chosen.
    """
    if not isinstance(user_theme, Mapping):
        return None, None
    return _clean(user_theme.get("language")), _clean(user_theme.get("locale"))


def mkdocs_locale_dir(config_file_path: PathLike | None, locale_dir: PathLike | None = None) -> Path:
    """The catalog directory: ``locale_dir`` (relative to ``mkdocs.yml``'s folder), default
    ``locales/`` beside ``mkdocs.yml``."""
    root = Path(config_file_path).parent if config_file_path else Path.cwd()
    if locale_dir:
        p = Path(locale_dir)
        return p if p.is_absolute() else root / p
    return root / "locales"


def mkdocs_translator(config_file_path: PathLike | None, lang: str | None, locale_dir: PathLike | None = None,
                      domain: str = DEFAULT_DOMAIN) -> Translator | None:
    """The translator for a MkDocs page in ``lang`` (``None``: no catalog for it).

    Re-stats the catalog files at each call and re-reads changed ones, so ``mkdocs serve``
    picks up an edited ``.po`` on the next rebuild.
    """
    return load_translator([mkdocs_locale_dir(config_file_path, locale_dir)], lang, domain)


# --------------------------------------------------------------------------- Sphinx


def sphinx_domain(docname: str, gettext_compact: bool | str = True) -> str:
    """The gettext domain (catalog name) of a page, as Sphinx computes it
    (``docname_to_domain``): a string ``gettext_compact`` is the one catalog for every page;
    ``True`` gives the docname's first path part; ``False`` the docname itself."""
    if isinstance(gettext_compact, str):
        return gettext_compact
    if gettext_compact:
        return docname.partition("/")[0]
    return docname


def sphinx_doc_translator(srcdir: PathLike, locale_dirs: Sequence[PathLike], language: str | None, docname: str,
                          gettext_compact: bool | str = True) -> Translator | None:
    """The translator of one Sphinx page: the same catalog the ``Locale`` transform reads for
    the page's paragraphs (``<srcdir>/<locale_dir>/<language>/LC_MESSAGES/<domain>.mo``, or the
    ``.po`` when it is newer), with gettext's fallback order (each directory's ``fr_CA`` then
    ``fr``).  ``None`` when the page has no catalog or no language is set.

    ``Translator.files`` lists what was read: declare them with ``env.note_dependency`` so an
    edited catalog re-reads the page (Sphinx itself only tracks the exact ``.mo``).
    """
    if not language:
        return None
    dirs = [Path(srcdir) / d for d in locale_dirs]
    return load_translator(dirs, language, sphinx_domain(docname, gettext_compact), dirs_first=True)


def localized_path(path: PathLike, lang: str | None, pattern: str = DEFAULT_LANGUAGE_FILENAME,
                   docpath: str = "", exists_in: PathLike | None = None,
                   exists: Callable[[str], bool] | None = None) -> str:
    """``diagram.fz`` -> ``diagram.fr.fz`` when that file exists (Sphinx's
    ``figure_language_filename``; same tokens: ``{root} {ext} {path} {basename} {docpath}
    {language}``); else ``path`` unchanged.

    ``exists_in`` is the directory a relative path is resolved against for the existence
    check (Sphinx: the page's directory, or the source directory for a ``/``-path, which is
    then also tried as a real absolute path).  ``exists`` replaces that check with the host's
    own resolver (Sphinx: ``lambda p: os.path.isfile(env.relfn2path(p)[1])``).  Tries the
    language chain (``fr_CA`` then ``fr``).  A bad pattern leaves the path unchanged.
    """
    text = os.fspath(path)
    if not lang:
        return text
    root, ext = os.path.splitext(text)
    dirname = os.path.dirname(root)
    from .catalogs import language_chain

    for lg in language_chain(lang):
        try:
            candidate = pattern.format(
                root=root, ext=ext, path=dirname and dirname + "/", basename=os.path.basename(root),
                docpath=docpath and docpath.rstrip("/") + "/", language=lg,
            )
        except (KeyError, IndexError, ValueError):
            return text
        if exists is not None:
            try:
                if exists(candidate):
                    return candidate
            except (OSError, ValueError):
                pass
            continue
        places = [Path(candidate)] if Path(candidate).is_absolute() or exists_in is None else []
        if exists_in is not None:  # Sphinx: "/x.fz" is relative to the source directory
            places.append(Path(exists_in) / candidate.lstrip("/"))
        if any(place.is_file() for place in places):
            return candidate
    return text


@dataclass(frozen=True)
class SphinxMessage:
    """What the Sphinx adapter turns into one message node: the text, the file it is written
    in (the page, or the ``.fz`` file of a path argument) and the 1-based line there."""

    text: str
    source: str
    line: int
    context: str


def sphinx_messages(diagram: Diagram | str, source: str, line_offset: int = 0,
                    caption: str | None = None, alt: str | None = None, directive_line: int = 0
                    ) -> list[SphinxMessage]:
    """The gettext messages of a diagram for Sphinx's gettext builder, at host lines.

    ``source``: the file the diagram text is in; ``line_offset``: what to add to a diagram
    line (the directive content's first line - 1; 0 for a ``.fz`` file).  ``caption`` and
    ``alt`` given as directive options are added at ``directive_line`` (leave them out when
    the adapter makes them standard translatable nodes already, e.g. a figure caption).
    ``diagram`` may be the source text: it is parsed here, and a diagram that does not parse
    gives only the caption/alt messages (its errors are reported when it is drawn).
    """
    out: list[SphinxMessage] = []
    if isinstance(diagram, str):
        from .diagnostics import FlowZapError
        from .parser import parse

        try:
            diagram = parse(diagram, filename=source)
        except FlowZapError:
            diagram = Diagram(lanes=(), nodes=(), edges=())
    for value, what in ((caption, "caption"), (alt, "alt text")):
        if value and value.strip():
            out.append(SphinxMessage(value.strip(), source, max(directive_line, 1), f"diagram {what}"))
    for msg in diagram_messages(diagram):
        moved: Message = msg.shifted(line_offset)
        out.append(SphinxMessage(moved.text, source, moved.line, moved.context))
    return out


def cache_language(lang: str | None) -> str:
    """The language as it goes into a cache key (``fr-CA`` and ``fr_CA`` are the same)."""
    return normalize_lang(lang) if lang else ""
