"""Finding diagrams inside documentation sources (Markdown, MyST, reStructuredText).

``flowzap extract`` and the Babel extractor must see the same diagrams the Sphinx directive and
the MkDocs fence see, and report each label at its real line in the page.  This module only
*finds* blocks (text, first line, indent, argument, options); parsing is the parser's job.

Recognised:

* Markdown / MyST fences: ```` ```flowzap ````, ```` ~~~flowzap ````, ```` ```{flowzap} [path] ````,
  ```` ```{.flowzap key="v"} ````, ```` :::{flowzap} ```` (MyST colon fence), with attributes
  ``key="value"`` on the fence line (``src=``, ``lang=``, ``caption=``...) and MyST options
  (``:key: value`` lines or a ``---`` YAML block) at the start of the content.  Fences of other
  languages are skipped whole (a ```` ````markdown ```` example that shows a flowzap fence is
  not a diagram).
* reStructuredText: ``.. flowzap:: [path]`` with ``:option: value`` lines and indented content.
  Literal blocks (``::`` paragraphs, ``code-block``/``code``/``sourcecode`` directives) are
  skipped whole for the same reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fences import scan_fences

_ATTR = re.compile(r"""([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))""")
_RST_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+(?P<name>[\w:-]+)::(?P<arg>.*)$")
_RST_OPTION = re.compile(r"^[ \t]+:(?P<key>[\w-]+):(?P<value>.*)$")
_MYST_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?P<value>.*)$")
_LITERAL_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "literalinclude", "highlight", "parsed-literal"})

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
RST_SUFFIXES = (".rst", ".rest")
FZ_SUFFIXES = (".fz",)


@dataclass(frozen=True)
class Block:
    """One diagram in a host file.

    ``text`` is the diagram source (indent removed); its line 1 is line ``first_line`` of the
    host file and its column 1 is column ``indent + 1``.  ``argument`` is the path argument
    (``.. flowzap:: diagram.fz``, ```` ```{flowzap} diagram.fz ````), ``options`` the fence
    attributes or directive options (``src``, ``lang``, ``caption``...), ``line`` the line of
    the fence or directive itself.
    """

    text: str
    first_line: int
    indent: int
    line: int
    kind: str
    argument: str = ""
    options: dict[str, str] = field(default_factory=dict)
    option_lines: dict[str, int] = field(default_factory=dict)

    @property
    def line_offset(self) -> int:
        """What to add to a diagram line to get the host line."""
        return self.first_line - 1

    @property
    def path(self) -> str:
        """The diagram file this block names (argument or ``src=``), ``""`` if none."""
        return (self.argument or self.options.get("src", "")).strip()


def _expand_tabs(line: str) -> str:
    return line.expandtabs(4) if "\t" in line[: len(line) - len(line.lstrip())] else line


def _leading(line: str, margin: str = " ") -> int:
    return len(line) - len(line.lstrip(margin))


def _dedent(lines: list[str], indent: int, margin: str = " ") -> list[str]:
    """Up to ``indent`` characters of ``margin`` (spaces; in a block quote also ``>``) off each line."""
    return [line[min(indent, _leading(line, margin)):] for line in lines]


def parse_fence_info(info: str) -> tuple[str, str, dict[str, str]] | None:
    """``(kind, argument, attributes)`` when a fence's info string opens a flowzap block.

    ``kind`` is ``"fence"`` (```` ```flowzap ````), ``"myst"`` (```` ```{flowzap} ````) or
    ``"attr"`` (```` ```{.flowzap} ````).  ``None`` for any other fence.
    """
    info = info.strip()
    if not info:
        return None
    m = re.match(r"^\{\s*flowzap\s*\}(?P<rest>.*)$", info)
    if m:
        return "myst", m.group("rest").strip(), {}
    if info.startswith("{"):
        inner = info[1:].rstrip()
        inner = inner[:-1] if inner.endswith("}") else inner
        words = inner.split()
        if ".flowzap" in words or (words and words[0] == "flowzap"):
            return "attr", "", _attributes(inner)
        return None
    m = re.match(r"^flowzap(?=$|[\s{])(?P<rest>.*)$", info)
    if m:
        return "fence", "", _attributes(m.group("rest"))
    return None


def _attributes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out[m.group(1)] = value
    return out


def find_markdown_blocks(text: str) -> list[Block]:
    """Every flowzap fence of a Markdown or MyST page, in page order (fences found by the
    scanner the MkDocs adapter uses, :mod:`flowzap_docs.fences`, with MyST's ``:::`` fences)."""
    lines = text.lstrip("\ufeff").splitlines()
    blocks: list[Block] = []
    for fence in scan_fences(lines, colons=True):
        found = parse_fence_info(fence.info)
        if found is None or (fence.fence[0] == ":" and found[0] != "myst"):
            continue
        kind, argument, options = found
        start, indent = fence.start, fence.indent
        margin = " >" if ">" in fence.prefix else " "  # a fence in a block quote: its body's ">" too
        body = _dedent([_expand_tabs(x) for x in fence.body], indent, margin)
        option_lines = {k: start + 1 for k in options}
        skip = 0
        if kind == "myst":
            skip = _myst_options(body, options, option_lines, start + 2)
        blocks.append(Block(
            text="\n".join(body[skip:]) + ("\n" if body[skip:] else ""),
            first_line=start + 2 + skip, indent=indent, line=start + 1, kind=kind,
            argument=argument, options=options, option_lines=option_lines,
        ))
    return blocks


def _myst_options(body: list[str], options: dict[str, str], option_lines: dict[str, int], first: int) -> int:
    """Read MyST directive options at the start of ``body``; return how many lines they use."""
    if body and body[0].strip() == "---":
        for k in range(1, len(body)):
            if body[k].strip() == "---":
                for n in range(1, k):
                    key, sep, value = body[n].partition(":")
                    if sep and key.strip():
                        options[key.strip()] = value.strip().strip("\"'")
                        option_lines[key.strip()] = first + n
                return k + 1
        return 0
    n = 0
    while n < len(body):
        m = _MYST_OPTION.match(body[n])
        if not m:
            break
        options[m.group("key")] = m.group("value").strip()
        option_lines[m.group("key")] = first + n
        n += 1
    if n and n < len(body) and not body[n].strip():
        n += 1
    return n


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """Index after the indented block that follows line ``start`` (blank lines included
    only when more indented text follows)."""
    j = start + 1
    last = start
    while j < len(lines):
        line = _expand_tabs(lines[j])
        if not line.strip():
            j += 1
            continue
        if _leading(line) <= indent:
            break
        last = j
        j += 1
    return last + 1


def find_rst_blocks(text: str) -> list[Block]:
    """Every ``.. flowzap::`` directive of a reStructuredText page, in page order."""
    lines = text.lstrip("\ufeff").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = _expand_tabs(lines[i])
        m = _RST_DIRECTIVE.match(line)
        if m is None:
            stripped = line.rstrip()
            if stripped.endswith("::") and not stripped.lstrip().startswith(".."):
                i = _block_end(lines, i, _leading(line))  # literal block: an example, not a diagram
            else:
                i += 1
            continue
        indent = len(m.group("indent"))
        end = _block_end(lines, i, indent)
        name = m.group("name")
        if name in _LITERAL_DIRECTIVES or name != "flowzap":
            if name in _LITERAL_DIRECTIVES:
                i = end
            else:
                i += 1  # other directives (note, figure...) may hold a flowzap directive inside
            continue
        options: dict[str, str] = {}
        option_lines: dict[str, int] = {}
        j = i + 1
        while j < end:
            om = _RST_OPTION.match(_expand_tabs(lines[j]))
            if not om:
                break
            options[om.group("key")] = om.group("value").strip()
            option_lines[om.group("key")] = j + 1
            j += 1
        while j < end and not lines[j].strip():
            j += 1
        body = [_expand_tabs(x) for x in lines[j:end]]
        content_indent = min((_leading(x) for x in body if x.strip()), default=indent + 3)
        body = _dedent(body, content_indent)
        blocks.append(Block(
            text="\n".join(body) + ("\n" if body else ""),
            first_line=j + 1, indent=content_indent, line=i + 1, kind="rst",
            argument=m.group("arg").strip(), options=options, option_lines=option_lines,
        ))
        i = end
    return blocks


def find_blocks(text: str, filename: str) -> list[Block]:
    """The diagrams of a host file, by its suffix: a ``.fz`` file is one block."""
    lower = filename.lower()
    if lower.endswith(FZ_SUFFIXES):
        return [Block(text=text, first_line=1, indent=0, line=1, kind="fz")]
    if lower.endswith(RST_SUFFIXES):
        return find_rst_blocks(text)
    if lower.endswith(MARKDOWN_SUFFIXES):
        return find_markdown_blocks(text)
    return []
