"""Collecting translatable diagram texts into a gettext template (``.pot``).

Two front doors, one engine: ``flowzap extract PATH... -o messages.pot`` and the Babel
extractor (``pybabel extract -F mapping.cfg`` with ``[flowzap: **.fz]``, registered as the
``babel.extractors`` entry point ``flowzap``).  Both find the diagrams of ``.fz`` files,
Markdown/MyST fences and reStructuredText directives (:mod:`flowzap_docs.blocks`), parse them
and list :func:`flowzap_docs.i18n.diagram_messages`, each at its real line in the host file,
so a translator's tool jumps to the right place.

The ``.pot`` is written with Babel and is deterministic: files are walked in sorted order,
the header has no year or clock time of its own (``POT-Creation-Date`` comes from
``SOURCE_DATE_EPOCH`` when set, else from the newest input file), and the write is atomic.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from .blocks import FZ_SUFFIXES, MARKDOWN_SUFFIXES, RST_SUFFIXES, Block, find_blocks
from .catalogs import normalize_lang
from .diagnostics import Diagnostic, FlowZapError
from .i18n import diagram_messages
from .sources import NOT_UTF8, AllowedFolders, TextFile, read_page_file, read_text_file, resolve_reference

#: What a followed src= / directive path that cannot be read suggests.
FOLLOW_HINT = ("paths are relative to the page; '/x.fz' is relative to --root; files are followed only "
               "inside --base, --root and the paths given")

#: Options of a block whose value is shown to readers and so is translatable too.
TEXT_OPTIONS: tuple[str, ...] = ("caption", "alt", "title")

HEADER_COMMENT = (
    "# Translations template for {project}: the texts of FlowZap diagrams.\n"
    "# Made by `flowzap extract`; msgid = the text as written in the diagram.\n"
    "#"
)


@dataclass(frozen=True)
class Found:
    """One translatable text at one place: ``path`` (as given or relative to the base),
    1-based ``line`` in that file, and a note for translators."""

    text: str
    path: str
    line: int
    comment: str = ""


@dataclass
class ExtractResult:
    """Everything found, plus what went wrong (bad diagrams are reported and skipped)."""

    messages: list[Found] = field(default_factory=list)
    diagnostics: list[tuple[str, Diagnostic]] = field(default_factory=list)  # (filename, diagnostic)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[str, Diagnostic]]:
        return [(f, d) for f, d in self.diagnostics if d.severity == "error"]

    def formatted_diagnostics(self) -> list[str]:
        return [d.format(None, f) for f, d in self.diagnostics]


def _parse(text: str, filename: str):  # noqa: ANN202 - the parser's Diagram
    from .parser import parse

    return parse(text, filename=filename)


def block_messages(block: Block, filename: str) -> tuple[list[Found], list[Diagnostic]]:
    """The messages of one block's own text, at host-file lines; diagnostics at host lines."""
    found: list[Found] = []
    for key in TEXT_OPTIONS:
        value = block.options.get(key, "").strip()
        if value:
            found.append(Found(value, filename, block.option_lines.get(key, block.line), f"diagram {key}"))
    if not block.text.strip() or block.path:  # with a file named, the hosts ignore the body: so do we
        return found, []
    try:
        diagram = _parse(block.text, filename)
    except FlowZapError as err:
        return found, [replace(d, line=d.line + block.line_offset, column=d.column + block.indent)
                       for d in err.diagnostics]
    except Exception as err:  # noqa: BLE001 - a parser bug must not stop extraction of other files
        return found, [Diagnostic("FZ900", "error", f"cannot read diagram: {err}", block.first_line, 1)]
    for msg in diagram_messages(diagram):
        found.append(Found(msg.text, filename, msg.line + block.line_offset, msg.context))
    return found, []


def text_messages(text: str, filename: str) -> tuple[list[Found], list[Diagnostic], list[Block]]:
    """Messages of a host text (kind chosen by ``filename``'s suffix)."""
    out: list[Found] = []
    diags: list[Diagnostic] = []
    blocks = find_blocks(text, filename)
    for block in blocks:
        found, problems = block_messages(block, filename)
        out.extend(found)
        diags.extend(problems)
    return out, diags, blocks


# --------------------------------------------------------------------------- walking files

_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*)$")
SUFFIXES = FZ_SUFFIXES + MARKDOWN_SUFFIXES + RST_SUFFIXES


def is_language_copy(path: Path) -> bool:
    """``diagram.fr.fz`` beside ``diagram.fz`` is the French copy: its texts are already
    translations, never msgids."""
    m = _LANG_SUFFIX.match(path.stem)
    if not m or not (path.parent / (m.group("stem") + path.suffix)).exists():
        return False
    from babel import Locale, UnknownLocaleError

    try:  # "notes.old.fz" beside "notes.fz" is not a language copy: "old" names no language
        Locale.parse(normalize_lang(m.group("lang")))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def walk(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files to read: each given file, and every known file under each given directory
    (recursive, sorted, hidden directories and ``_build``/``site``/``node_modules`` skipped)."""
    out: list[Path] = []
    skip_dirs = {"_build", "site", "node_modules", "__pycache__"}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in skip_dirs)
                for name in sorted(files):
                    f = Path(root) / name
                    if f.suffix.lower() in SUFFIXES and not (f.suffix.lower() == ".fz" and is_language_copy(f)):
                        out.append(f)
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for f in out:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique


def _shown(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _read_text(path: Path) -> TextFile:
    """The file's text (BOM dropped), or its problem: FZ117 at the first bad byte, FZ902/FZ904
    (missing, a folder, a FIFO, binary, too big: :func:`flowzap_docs.sources.read_text_file`)."""
    found = read_text_file(path)
    problem = found.problem
    if problem is None:
        return TextFile((found.text or "").removeprefix("\ufeff"))
    if problem.code == NOT_UTF8:
        return found
    return TextFile(None, replace(problem, message=f"cannot read {path}: {problem.message}"))


def extract_paths(paths: Sequence[str | os.PathLike[str]], *, base: str | os.PathLike[str] | None = None,
                  follow_src: bool = True, root: str | os.PathLike[str] | None = None) -> ExtractResult:
    """Messages of every diagram under ``paths``.

    Locations are relative to ``base`` (default: the current directory) when the file is
    under it.  ``follow_src``: a block naming a diagram file (``src="x.fz"``,
    ``.. flowzap:: x.fz``) contributes that file's texts at that file's lines; paths starting
    with ``/`` are relative to ``root`` (Sphinx's source directory; default: ``base``).
    """
    base_path = Path(base) if base is not None else Path.cwd()
    root_path = Path(root) if root is not None else base_path
    # a page names files only inside the folders the user chose (the paths, --base, --root)
    allowed = AllowedFolders.of([base_path, root_path, *(p if p.is_dir() else p.parent for p in map(Path, paths))],
                                how_to_allow=FOLLOW_HINT)
    result = ExtractResult()
    done_refs: set[Path] = set()
    for path in walk(paths):
        shown = _shown(path, base_path)
        read = _read_text(path)
        if read.text is None:
            assert read.problem is not None
            result.diagnostics.append((shown, read.problem))
            continue
        text = read.text
        result.files.append(path)
        found, diags, blocks = text_messages(text, path.name)
        result.messages.extend(Found(f.text, shown, f.line, f.comment) for f in found)
        result.diagnostics.extend((shown, d) for d in diags)
        if not follow_src or path.suffix.lower() == ".fz":
            continue
        for block in blocks:
            if not block.path:
                continue
            ref = Path(resolve_reference(block.path, path.parent, root_path))
            if ref.resolve() in done_refs:
                continue
            loaded = read_page_file(ref, allowed, named_as=repr(block.path), shown_from=base_path)
            if loaded.text is None:
                assert loaded.problem is not None
                result.diagnostics.append((shown, replace(loaded.problem, line=block.line,
                                                          hint=loaded.problem.hint or FOLLOW_HINT)))
                continue
            done_refs.add(ref.resolve())
            ref_shown = _shown(ref, base_path)
            ref_text = loaded.text.removeprefix("\ufeff")
            result.files.append(ref)
            ref_found, ref_diags, _ = text_messages(ref_text, ref.name if ref.suffix == ".fz" else ref.name + ".fz")
            result.messages.extend(Found(f.text, ref_shown, f.line, f.comment) for f in ref_found)
            result.diagnostics.extend((ref_shown, d) for d in ref_diags)
    # a file reached both directly and through src= is listed once per place
    unique: dict[tuple[str, str, int], Found] = {}
    for f in result.messages:
        unique.setdefault((f.text, f.path, f.line), f)
    result.messages = list(unique.values())
    return result


# --------------------------------------------------------------------------- writing the .pot


def creation_date(files: Iterable[Path] = ()) -> _dt.datetime:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) if set, else the newest input's mtime
    (so two runs over the same files write the same bytes), else the Unix epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    newest = 0.0
    for f in files:
        try:
            newest = max(newest, f.stat().st_mtime)
        except OSError:
            pass
    return _dt.datetime.fromtimestamp(int(newest), tz=_dt.timezone.utc)


def build_pot(messages: Iterable[Found], *, project: str = "flowzap", version: str | None = None,
              date: _dt.datetime | None = None, width: int = 76, comments: bool = True) -> bytes:
    """The ``.pot`` bytes for ``messages`` (Babel catalog; entries in first-seen order)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(
        project=project, version=version, header_comment=HEADER_COMMENT.format(project=project),
        creation_date=date or _dt.datetime.fromtimestamp(0, tz=_dt.timezone.utc), fuzzy=False, charset="utf-8",
    )
    for m in messages:
        catalog.add(m.text, locations=[(m.path, m.line)], auto_comments=[m.comment] if (comments and m.comment) else [])
    buf = io.BytesIO()
    write_po(buf, catalog, width=width)
    return buf.getvalue()


# --------------------------------------------------------------------------- Babel extractor


def babel_extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
                  ) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method (``[flowzap: **.fz]`` in a ``pybabel`` mapping file).

    Yields ``(lineno, funcname, message, comments)``.  The kind of file comes from its name
    (``.fz``, Markdown, reStructuredText) or the mapping option ``format = fz|md|rst``;
    ``encoding`` (default utf-8) is honoured.  Diagrams named by ``src=`` or a directive path
    are not followed here (Babel locates every message in the file being read): map the
    ``.fz`` files too.  A diagram that does not parse yields nothing (Babel has no warning
    channel; ``flowzap extract`` reports it).
    """
    raw = fileobj.read()
    encoding = str(options.get("encoding") or "utf-8") if options else "utf-8"
    text = raw.decode(encoding, errors="replace") if isinstance(raw, bytes) else str(raw)
    text = text.lstrip("\ufeff")
    name = str(getattr(fileobj, "name", "") or "")
    fmt = str((options or {}).get("format") or "").strip().lower()
    if fmt:
        name = "diagram." + {"markdown": "md", "myst": "md", "restructuredtext": "rst"}.get(fmt, fmt)
    elif not name.lower().endswith(SUFFIXES):
        name = "diagram.fz"
    found, _diags, _blocks = text_messages(text, name)
    for f in found:
        yield f.line, None, f.text, [f.comment] if f.comment else []
