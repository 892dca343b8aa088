"""The Lark parser for ``flowzap.lark``, built once per process, its analysis kept on disk.

The parser is lark's standard LALR parser with its contextual lexer and the transformer run
inside the parser (all documented ``Lark`` options).  Analysing the grammar costs ~30-50 ms,
most of a docs build's fixed cost after imports, so the analysed grammar is kept on disk like
bytecode (:func:`compiled_path`) and loaded in ~3 ms.  lark's own ``cache=`` option is not used:
it writes the file in place (a concurrent ``sphinx-build -j`` worker can read half of it) and
its default place is the shared temporary directory, while the file is a pickle.  Loading a
saved parser *with a transformer* has no public lark call: :func:`_load_compiled` uses
``Lark._load`` and, whatever goes wrong, the answer is to analyse the grammar again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from lark import Lark

from .transform import ToStatements

GRAMMAR_PATH = Path(__file__).with_name("flowzap.lark")

#: Options the grammar is analysed with (part of the compiled grammar's file name).
LARK_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "start": ["file", "line"],
    "maybe_placeholders": False,
    "propagate_positions": False,
    "keep_all_tokens": True,
}
_COMPILED_MAGIC = b"flowzap-grammar 2 "

_LARK: Lark | None = None


def get_lark() -> Lark:
    """The parser, built once per process (building it costs far more than a parse)."""
    global _LARK
    if _LARK is None:
        grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
        path = compiled_path(grammar)
        lark = _load_compiled(path)
        if lark is None:
            lark = Lark(grammar, transformer=ToStatements(), **LARK_OPTIONS)
            if not sys.dont_write_bytecode:
                _save_compiled(path, lark)
        _LARK = lark
    return _LARK


def compiled_path(grammar: str) -> Path:
    """Where the analysed grammar is kept: beside the grammar in ``__pycache__`` (or under
    ``sys.pycache_prefix``), as Python keeps bytecode.  Never a shared temporary directory:
    the file is a pickle, so it must live where only whoever may change the code can write.

    The name holds a hash of everything the analysis depends on (grammar text, options, lark
    and Python versions), so a changed grammar or an upgrade never loads a stale table."""
    import hashlib

    import lark as lark_module

    fingerprint = hashlib.sha256(
        "\0".join((grammar, repr(sorted(LARK_OPTIONS.items())), lark_module.__version__,
                   f"{sys.version_info[0]}.{sys.version_info[1]}")).encode("utf-8")
    ).hexdigest()[:32]
    folder = GRAMMAR_PATH.parent.resolve()
    if sys.pycache_prefix:
        base = Path(sys.pycache_prefix) / folder.relative_to(folder.anchor)
    else:
        base = folder / "__pycache__"
    return base / f"{GRAMMAR_PATH.stem}.{fingerprint}.lark-cache"


def _load_compiled(path: Path) -> Lark | None:
    """The analysed grammar from ``path``, or ``None`` (absent, truncated, corrupt, foreign,
    or a lark that loads differently): the file's checksum is verified before anything is
    unpickled."""
    import hashlib
    import pickle

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, sep, body = raw.partition(b"\n")
    if not sep or head != _COMPILED_MAGIC + hashlib.sha256(body).hexdigest().encode("ascii"):
        return None
    try:
        data = pickle.loads(body)
        lark = Lark.__new__(Lark)
        lark._load(data, transformer=ToStatements())
    except Exception:  # noqa: BLE001 - whatever is wrong with the file, building the parser is the answer
        return None
    return lark


def _save_compiled(path: Path, lark: Lark) -> None:
    """Write the analysed grammar atomically (concurrent builds, e.g. ``sphinx-build -j``
    workers, see the old file or the new one).  Best effort: an unwritable directory only
    means the next process analyses it again."""
    import hashlib
    import io

    from ..files import write_atomic

    try:
        buffer = io.BytesIO()
        lark.save(buffer, exclude_options={"transformer"})
        body = buffer.getvalue()
        write_atomic(path, _COMPILED_MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
    except Exception:  # noqa: BLE001 - a cache, never a reason to fail a parse
        pass
