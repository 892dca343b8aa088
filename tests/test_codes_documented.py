"""Every diagnostic code the package can report is listed in the documented tables."""

from __future__ import annotations

import re
from pathlib import Path

from flowzap_docs.diagnostics_codes import CODES, OTHER_CODES

ROOT = Path(__file__).resolve().parent.parent


def test_every_code_in_the_source_is_documented() -> None:
    used: set[str] = set()
    for folder in ("flowzap_docs", "sphinx_ext", "mkdocs_plugin"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(re.findall(r"[\"'](FZ\d{3})[\"']", path.read_text(encoding="utf-8")))
    assert used, "no codes found: the pattern is wrong"
    assert used - set(CODES) - set(OTHER_CODES) == set()


def test_the_two_tables_do_not_overlap() -> None:
    assert not set(CODES) & set(OTHER_CODES)
