"""Gettext catalogs for diagram labels, read with Babel.

Translators already work with gettext (``.po`` files, Poedit, Weblate, sphinx-intl), so a
diagram's labels are translated the same way: ``msgid`` = the label as written, ``msgstr`` =
the label in the page's language.  This module finds the catalog files for a language (with the
usual fallback ``fr_CA`` -> ``fr``), reads them with Babel (never a hand-written parser), and
hands back a :class:`Translator`: a plain ``str -> str`` callable that also knows which files
it came from and a stable fingerprint of the entries in effect (for the cache key).

Catalogs are re-read when a file changes (mtime, size): ``mkdocs serve`` and Sphinx rebuilds in
one process must see a translator's fresh edit without a restart.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostic

#: Default gettext domain of the MkDocs plugin and ``load_translator``.
DEFAULT_DOMAIN = "flowzap"

PathLike = str | os.PathLike[str]


def normalize_lang(lang: str) -> str:
    """``fr-CA``, ``fr_ca`` and ``fr_CA`` all name the same language: ``fr_CA`` (gettext form).

    The script subtag stays title-case (``zh_Hant_TW``); a ``@modifier`` is kept as written.
    """
    lang = lang.strip()
    base, at, modifier = lang.partition("@")
    parts = [p for p in base.replace("-", "_").split("_") if p]
    if not parts:
        return ""
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3):
            out.append(part.upper())
        else:
            out.append(part)
    return "_".join(out) + (at + modifier if at else "")


#: A language code as pages write it (``fr``, ``pt_BR``, ``zh-Hant-TW``, ``sr@latin``).
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]+)?$")


def is_language_code(value: str) -> bool:
    """True for a language code; False for anything else, a path such as ``../../x`` included."""
    return bool(_LANGUAGE_CODE.match(value.strip()))


def language_chain(lang: str | None) -> list[str]:
    """The languages to look up, most specific first: ``fr_CA`` -> ``["fr_CA", "fr"]``.

    Written forms are tried too when they differ from the normal one (a catalog directory named
    ``pt-BR`` still works), so the chain is what a writer would expect from gettext.  A value
    that is no language code gives none: it becomes a folder name in catalog paths, and a
    page's ``:lang: ../../x`` must not make a build read catalogs from anywhere.
    """
    if not lang or not lang.strip() or not is_language_code(lang):
        return []
    written = lang.strip()
    norm = normalize_lang(written)
    chain: list[str] = []

    def add(item: str) -> None:
        if item and item not in chain:
            chain.append(item)

    add(written)
    base, at, modifier = norm.partition("@")
    parts = base.split("_")
    stems = ["_".join(parts[:end]) for end in range(len(parts), 0, -1)]
    if at:  # gettext's order: every form with the modifier before the plain ones
        for stem in stems:
            add(stem + at + modifier)
    for stem in stems:
        add(stem)
    return chain


@dataclass(frozen=True, eq=False)
class Translator:
    """A loaded catalog: call it with a label as written to get the label in the language.

    ``messages`` are the entries in effect (most specific language and first directory win),
    ``files`` the catalog files actually read, in priority order (adapters declare them as
    dependencies), ``problems`` the catalog files that could not be read (warnings, never an
    exception: a broken catalog must not break the site build).
    """

    lang: str
    messages: Mapping[str, str]
    files: tuple[Path, ...] = ()
    problems: tuple[Diagnostic, ...] = ()

    def __call__(self, text: str) -> str:
        """gettext semantics: the translation, else the text itself."""
        return self.messages.get(text) or text

    def get(self, text: str) -> str | None:
        """The translation, or ``None`` when the catalog has no entry (or an empty one)."""
        return self.messages.get(text) or None

    @cached_property
    def fingerprint(self) -> str:
        """A short stable hash of the entries in effect (and the language).

        Two translators with the same entries have the same fingerprint wherever the files
        are; any change of an entry that is in effect changes it.  It goes into the cache
        key (``DiagramRequest.catalog_id``) so one language's SVG is never served to another.
        """
        return messages_fingerprint(self.messages, self.lang)


def messages_fingerprint(messages: Mapping[str, str], lang: str = "") -> str:
    """Hash of ``messages`` (order-independent) and ``lang``; ``""`` when there are none."""
    if not messages:
        return ""
    digest = hashlib.sha256()
    digest.update(lang.encode("utf-8") + b"\x00")
    for msgid in sorted(messages):
        digest.update(msgid.encode("utf-8") + b"\x00" + messages[msgid].encode("utf-8") + b"\x01")
    return digest.hexdigest()[:16]


def catalog_fingerprint(translator: Translator | Mapping[str, str] | None, lang: str = "") -> str:
    """The value for ``DiagramRequest.catalog_id``: ``""`` without a catalog, else a stable hash
    of the catalog entries actually in effect."""
    if translator is None:
        return ""
    if isinstance(translator, Translator):
        return translator.fingerprint
    return messages_fingerprint(translator, lang)


# --------------------------------------------------------------------------- reading files


def _entries(catalog: Iterable[object]) -> dict[str, str]:
    """msgid -> msgstr for the usable entries of a Babel catalog.

    Skipped: the header, fuzzy entries (a guess is not a translation), empty msgstr and
    entries with a msgctxt (our labels carry none; a context means the entry is for something
    else).  Plural entries give their singular form.
    """
    out: dict[str, str] = {}
    for message in catalog:
        msgid = getattr(message, "id", "")
        msgstr = getattr(message, "string", "")
        if getattr(message, "context", None) or getattr(message, "fuzzy", False):
            continue
        if isinstance(msgid, (tuple, list)):
            msgid = msgid[0] if msgid else ""
        if isinstance(msgstr, (tuple, list)):
            msgstr = msgstr[0] if msgstr else ""
        if not msgid or not msgstr:
            continue
        out[str(msgid)] = str(msgstr)
    return out


def read_catalog_file(path: PathLike) -> dict[str, str]:
    """Entries of one ``.po`` or ``.mo`` file (Babel).  Raises ``OSError``/``ValueError`` on a
    file Babel cannot read; :func:`load_catalog_files` turns those into warnings."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    path = Path(path)
    with open(path, "rb") as fh:
        if path.suffix == ".mo":
            catalog = read_mo(fh)
        else:
            catalog = read_po(fh, abort_invalid=True)
    return _entries(catalog)


def _catalog_problem(path: Path, err: Exception) -> Diagnostic:
    return Diagnostic(
        "FZ901", "warning", f"cannot read translation catalog {path}: {err}", 1, 1,
        hint="check the file with `msgfmt --check`; its entries are ignored until it reads",
    )


def pick_catalog_file(stem: PathLike) -> Path | None:
    """``<stem>.mo`` or ``<stem>.po`` (``stem`` is the path without suffix; a domain may contain
    dots), whichever exists; when both do, the newer one.

    Translators edit the ``.po``; the ``.mo`` is compiled from it.  Preferring the newer file
    means a fresh ``.po`` edit shows at once under ``mkdocs serve`` even before anyone
    recompiles, while a compiled ``.mo`` (e.g. by Sphinx) is used when it is up to date.
    """
    base = os.fspath(stem)
    mo, po = Path(base + ".mo"), Path(base + ".po")
    try:
        mo_stat = mo.stat()
    except OSError:
        mo_stat = None
    try:
        po_stat = po.stat()
    except OSError:
        po_stat = None
    if mo_stat and po_stat:
        return po if po_stat.st_mtime_ns > mo_stat.st_mtime_ns else mo
    if mo_stat:
        return mo
    if po_stat:
        return po
    return None


def _signature(paths: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    sig = []
    for p in paths:
        try:
            st = p.stat()
            sig.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append((str(p), -1, -1))
    return tuple(sig)


class CatalogCache:
    """Keeps loaded catalogs per set of files; reloads when a file's mtime or size changes.

    One module-level instance serves every build of a process (``mkdocs serve`` rebuilds,
    Sphinx incremental builds).  Thread-safe: parallel Sphinx readers may share it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[tuple[str, int, int], tuple[dict[str, str] | None, Diagnostic | None]] = {}
        self._merged: dict[tuple[object, ...], Translator] = {}

    def clear(self) -> None:
        with self._lock:
            self._files.clear()
            self._merged.clear()

    def merged(self, key: tuple[object, ...]) -> Translator | None:
        with self._lock:
            return self._merged.get(key)

    def remember(self, key: tuple[object, ...], translator: Translator) -> None:
        """Keep the merged translator of a set of file versions (its fingerprint is computed
        once); older versions of the same set are dropped."""
        with self._lock:
            names = key[1:]
            for old in [k for k in self._merged if tuple(n[0] for n in k[1:]) == tuple(n[0] for n in names)]:  # type: ignore[index]
                del self._merged[old]
            self._merged[key] = translator

    def read(self, path: Path) -> tuple[dict[str, str] | None, Diagnostic | None]:
        """Entries of ``path`` (cached while its mtime and size are unchanged)."""
        key = _signature([path])[0]
        with self._lock:
            hit = self._files.get(key)
        if hit is not None:
            return hit
        try:
            result: tuple[dict[str, str] | None, Diagnostic | None] = (read_catalog_file(path), None)
        except Exception as err:  # noqa: BLE001 - Babel raises many kinds; a bad catalog is a warning
            result = (None, _catalog_problem(path, err))
        with self._lock:
            # forget older versions of the same file
            for old in [k for k in self._files if k[0] == key[0]]:
                del self._files[old]
            self._files[key] = result
        return result


_CACHE = CatalogCache()


def load_catalog_files(paths: Sequence[PathLike], lang: str = "", cache: CatalogCache | None = None) -> Translator:
    """Merge catalog files given in priority order (the first file that has an entry wins)."""
    cache = cache or _CACHE
    key: tuple[object, ...] = (lang, *_signature([Path(p) for p in paths]))
    hit = cache.merged(key)
    if hit is not None:
        return hit
    merged: dict[str, str] = {}
    used: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        entries, problem = cache.read(path)
        if problem is not None:
            problems.append(problem)
            continue
        used.append(path)
        for msgid, msgstr in (entries or {}).items():
            merged.setdefault(msgid, msgstr)
    translator = Translator(lang=lang, messages=merged, files=tuple(used), problems=tuple(problems))
    cache.remember(key, translator)
    return translator


def catalog_files(locale_dirs: Sequence[PathLike], lang: str | None, domain: str = DEFAULT_DOMAIN,
                  *, dirs_first: bool = False) -> list[Path]:
    """The existing catalog files for ``lang``, most important first.

    Looks for ``<dir>/<lang>/LC_MESSAGES/<domain>.mo`` (or ``.po``, see :func:`pick_catalog_file`)
    for every language of :func:`language_chain`.  Default order: language first (``fr_CA`` in
    any directory beats ``fr``); ``dirs_first=True`` gives gettext's order (each directory's
    ``fr_CA`` then ``fr``, then the next directory), which is what Sphinx does for page catalogs.
    """
    chain = language_chain(lang)
    pairs = ([(d, lg) for d in locale_dirs for lg in chain] if dirs_first
             else [(d, lg) for lg in chain for d in locale_dirs])
    found: list[Path] = []
    for directory, lg in pairs:
        stem = os.path.join(os.fspath(directory), lg, "LC_MESSAGES", domain)
        if not (os.path.exists(stem + ".mo") or os.path.exists(stem + ".po")):
            continue  # the common case (no catalog for this language): no Path objects made
        picked = pick_catalog_file(stem)
        if picked is not None and picked not in found:
            found.append(picked)
    return found


def load_translator(locale_dirs: Sequence[PathLike] | PathLike | None, lang: str | None,
                    domain: str = DEFAULT_DOMAIN, *, dirs_first: bool = False) -> Translator | None:
    """The translator for ``lang`` from ``<dir>/<lang>/LC_MESSAGES/<domain>.mo|.po``, or ``None``
    when no catalog exists (then nothing is translated from catalogs; inline forms still are).

    Cheap to call for every diagram: it only stats the candidate files and re-reads those whose
    mtime or size changed.
    """
    if not lang or locale_dirs is None:
        return None
    if isinstance(locale_dirs, (str, os.PathLike)):
        locale_dirs = [locale_dirs]
    files = catalog_files(locale_dirs, lang, domain, dirs_first=dirs_first)
    if not files:
        return None
    return load_catalog_files(files, normalize_lang(lang))


def clear_catalog_cache() -> None:
    """Forget every loaded catalog (tests; a host that wants a cold start)."""
    _CACHE.clear()
