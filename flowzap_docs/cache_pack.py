"""The cache's pack file format: one file, many drawn diagrams, an index to find them.

The disk layer (:mod:`flowzap_docs.cache_disk`) decides when packs are written, read and
pruned; this module only turns entries into bytes and back, and checks them on the way in.

File format (``<dir>/packs/<time>-<pid>-<random>.pack``; names sort by writing time)::

    flowzap-pack 3 <sha256 of the index, hex> <length of the index>\\n
    <index: one JSON object>\\n
    <records>

The index is ``{"kind": "pack", "entries": {key: [offset, length, sha256]}, "msgids":
{base: [text, ...]}, "pages": {page: [stamp, [keys], [bases]]}}``; offsets count from the
first record.  A record is ``{"key", "alt", "warnings"}`` as one JSON line, then the SVG.

Nothing read here is trusted: an index that fails its checksum makes the pack unreadable
(``None``), a record that fails its own checksum or names another key is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from .diagnostics import Diagnostic

#: First bytes of every pack (the format's version is in it).
MAGIC = b"flowzap-pack 3 "

#: (keys, bases) a page uses.
Manifest = tuple[frozenset[str], frozenset[str]]


@dataclass(frozen=True)
class Entry:
    """One drawn diagram as stored: ``svg`` and ``alt`` with the placeholder id prefix (when
    the Renderer used one) and the diagram's warnings with lines *in the diagram's own text*
    (the Renderer shifts them by the request's ``line_offset`` on the way out)."""

    svg: str
    alt: str
    warnings: tuple[Diagnostic, ...] = ()


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8", "surrogatepass")


def _diag_to_json(d: Diagnostic) -> list[object]:
    return [d.code, d.severity, d.message, d.line, d.column, d.hint, d.length]


def _diag_from_json(item: object) -> Diagnostic:
    code, severity, message, line, column, hint, length = item  # type: ignore[misc]
    if severity not in ("error", "warning") or not isinstance(line, int) or not isinstance(column, int):
        raise ValueError("bad diagnostic")
    return Diagnostic(str(code), severity, str(message), line, column, hint if hint is None else str(hint), int(length))


def encode_record(key: str, entry: Entry) -> bytes:
    head = {"key": key, "alt": entry.alt, "warnings": [_diag_to_json(d) for d in entry.warnings]}
    return _json(head) + b"\n" + entry.svg.encode("utf-8", "surrogatepass")


def decode_record(raw: bytes, key: str) -> Entry | None:
    """The entry in ``raw`` if it is well formed and is the entry of ``key``."""
    end = raw.find(b"\n")
    if end < 0:
        return None
    try:
        head = json.loads(raw[:end].decode("utf-8", "surrogatepass"))
        if not isinstance(head, dict) or head.get("key") != key:
            return None
        alt, warnings = head["alt"], head["warnings"]
        if not isinstance(alt, str) or not isinstance(warnings, list):
            return None
        svg = raw[end + 1:].decode("utf-8", "surrogatepass")
        return Entry(svg, alt, tuple(_diag_from_json(w) for w in warnings))
    except (KeyError, TypeError, ValueError, UnicodeDecodeError):
        return None


def build_pack(records: dict[str, bytes], msgids: dict[str, tuple[str, ...]],
               pages: dict[str, tuple[float, Manifest]]) -> bytes:
    """The bytes of one pack holding these records (already encoded), indexes and manifests."""
    index_entries: dict[str, list[object]] = {}
    offset = 0
    for key in sorted(records):
        data = records[key]
        index_entries[key] = [offset, len(data), hashlib.sha256(data).hexdigest()]
        offset += len(data)
    index = _json({
        "kind": "pack",
        "entries": index_entries,
        "msgids": {base: list(values) for base, values in msgids.items()},
        "pages": {page: [stamp, sorted(keys), sorted(bases)] for page, (stamp, (keys, bases)) in pages.items()},
    })
    header = MAGIC + hashlib.sha256(index).hexdigest().encode("ascii") + b" " + str(len(index)).encode("ascii") + b"\n"
    return b"".join([header, index, b"\n", *(records[key] for key in sorted(records))])


@dataclass
class Pack:
    """The index of one pack file, as read back (offsets made absolute)."""

    path: str
    name: str
    mtime: float
    size: int
    entries: dict[str, tuple[int, int, str]]
    msgids: dict[str, tuple[str, ...]]
    pages: dict[str, tuple[float, Manifest]]


def read_pack_index(path: str) -> Pack | None:
    """The index of the pack at ``path``, or ``None`` if it is missing, truncated or corrupt."""
    try:
        with open(path, "rb") as handle:
            header = handle.readline(200)
            stat = os.fstat(handle.fileno())
            if not header.startswith(MAGIC) or not header.endswith(b"\n"):
                return None
            digest, _, length_text = header[len(MAGIC):-1].partition(b" ")
            length = int(length_text)
            index = handle.read(length + 1)
    except (OSError, ValueError):
        return None
    if len(index) != length + 1 or index[-1:] != b"\n" or hashlib.sha256(index[:-1]).hexdigest().encode() != digest:
        return None
    try:
        body = json.loads(index[:-1].decode("utf-8", "surrogatepass"))
        if not isinstance(body, dict) or body.get("kind") != "pack":
            return None
        start = len(header) + length + 1
        entries = {str(k): (start + int(o), int(n), str(s)) for k, (o, n, s) in body["entries"].items()}
        msgids = {str(b): tuple(str(t) for t in v) for b, v in body["msgids"].items()}
        pages = {str(p): (float(stamp), (frozenset(map(str, keys)), frozenset(map(str, bases))))
                 for p, (stamp, keys, bases) in body["pages"].items()}
    except (KeyError, TypeError, ValueError, UnicodeDecodeError, AttributeError):
        return None
    return Pack(path, os.path.basename(path), stat.st_mtime, stat.st_size, entries, msgids, pages)


def read_record(path: str, offset: int, length: int, sha: str, fd: int | None = None) -> bytes | None:
    """The record's bytes if they are all there and match their checksum (read through ``fd``,
    an open descriptor of ``path``, when given and the platform has ``pread``)."""
    try:
        if fd is not None and hasattr(os, "pread"):
            raw = os.pread(fd, length, offset)
        else:
            with open(path, "rb") as handle:
                handle.seek(offset)
                raw = handle.read(length)
    except OSError:
        return None
    if len(raw) != length or hashlib.sha256(raw).hexdigest() != sha:
        return None
    return raw
