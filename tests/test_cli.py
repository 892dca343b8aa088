"""The `flowzap` command, run as a real process on real files: output and exit statuses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "data" / "examples"
FLOWZAP = [sys.executable, "-m", "flowzap_docs"]

BROKEN = 'Order { # Order\n  n1: circle label:"Start"\n  n2: diamnd label:"Paid?"\n  n1 -> n2\n}\n'
WARNS = 'Order {\n  n1: circle label:"Start"\n}\n'


def flowzap(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run([*FLOWZAP, *args], input=data, capture_output=True, cwd=cwd or ROOT, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_check_valid_files_exits_0() -> None:
    files = [str(p) for p in sorted(EXAMPLES.glob("*.fz"))]
    result = flowzap("check", "--quiet", *files)
    assert result.returncode == 0, result.stderr
    assert "error[" not in result.stderr


def test_check_reports_every_error_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path / "order.fz", BROKEN)
    result = flowzap("check", str(path))
    assert result.returncode == 1
    assert f"{path}:3:7: error[FZ102]: unknown shape 'diamnd'" in result.stderr
    assert "help: did you mean 'diamond'?" in result.stderr
    assert f"{path}:4:3: error[FZ104]" in result.stderr
    assert "2 errors, 0 warnings in 1 file" in result.stderr
    assert result.stdout == ""


def test_check_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = write(tmp_path / "warn.fz", WARNS)
    lenient = flowzap("check", str(path))
    assert lenient.returncode == 0
    assert "warning[FZ207]" in lenient.stderr and "warning[FZ203]" in lenient.stderr
    assert flowzap("check", "--strict", str(path)).returncode == 1


def test_check_stdin() -> None:
    assert flowzap("check", "-", stdin=WARNS).returncode == 0
    result = flowzap("check", "-", stdin=BROKEN)
    assert result.returncode == 1 and "<stdin>:3:7: error[FZ102]" in result.stderr


def test_check_invalid_utf8_is_a_diagnostic(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.fz", b'A { # a\n  n1: circle label:"caf' + b'\xe9"\n}\n')
    result = flowzap("check", str(path))
    assert result.returncode == 1
    assert f"{path}:2:24: error[FZ117]: the file is not valid UTF-8 (byte 0xe9)" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_binary_garbage_never_crashes(tmp_path: Path) -> None:
    path = write(tmp_path / "noise.fz", bytes(range(256)) * 4)
    result = flowzap("check", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    nul = write(tmp_path / "nul.fz", b'A { # a\n  n1: circle\x00\n}\n')
    result = flowzap("check", str(nul))
    assert result.returncode == 1 and "FZ116" in result.stderr and "\x00" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert flowzap().returncode == 2
    assert flowzap("check").returncode == 2
    assert flowzap("nonsense").returncode == 2
    assert flowzap("check", "--no-such-option", "x.fz").returncode == 2
    missing = flowzap("check", str(tmp_path / "missing.fz"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_version_and_help_list_commands() -> None:
    result = flowzap("--help")
    assert result.returncode == 0
    for name in ("check", "export", "fmt"):
        assert name in result.stdout
    assert flowzap("--version").stdout.startswith("flowzap-docs ")


def test_console_script_is_installed() -> None:
    script = shutil.which("flowzap", path=str(Path(sys.executable).parent))
    assert script is not None
    proc = subprocess.run([script, "check", str(EXAMPLES / "event-driven.fz")], capture_output=True, timeout=120)
    assert proc.returncode == 0


def test_export_json_shape() -> None:
    result = flowzap("export", str(EXAMPLES / "order-approval.fz"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"lanes", "nodes", "edges", "loops", "stats"}
    assert data["lanes"][1] == {"id": "Shop", "label": "Web shop", "type": "swimlane"}
    n6 = next(n for n in data["nodes"] if n["id"] == "n6")
    assert n6 == {"id": "n6", "laneId": "Shop", "label": "Approve order", "kind": "task", "shape": "taskbox",
                  "properties": {"owner": "Sales manager", "description": "Check credit limit", "system": "ERP",
                                 "title": "Approve order", "subItems": []}}
    assert next(n for n in data["nodes"] if n["id"] == "n1")["kind"] == "start"
    assert next(n for n in data["nodes"] if n["id"] == "n11")["kind"] == "end"
    e3 = data["edges"][2]
    assert e3 == {"id": "e3", "from": "n3", "to": "n4", "fromLane": "Customer", "toLane": "Shop", "label": "Checkout",
                  "sourceHandle": "bottom", "targetHandle": "top"}
    assert data["loops"] == [{"condition": "retry up to 3 times", "nodes": ["n8", "n9"], "laneId": "Payments"}]
    assert data["stats"]["nodes"] == 11 and data["stats"]["edges"] == 13 and data["stats"]["lanes"] == 3


def test_export_keeps_unicode_and_translations() -> None:
    source = 'A { # Entrepôt\n  n1: circle label:"Début" label@ja:"開始"\n  n1.handle(right) -> n1.handle(left)\n}\n'
    result = flowzap("export", "-", stdin=source)
    assert result.returncode == 0
    assert "Entrepôt" in result.stdout and "\\u" not in result.stdout
    data = json.loads(result.stdout)
    assert data["nodes"][0]["properties"]["translations"] == {"label": {"ja": "開始"}}


def test_export_errors_exit_1_with_nothing_on_stdout() -> None:
    result = flowzap("export", "-", stdin=BROKEN)
    assert result.returncode == 1 and result.stdout == "" and "FZ102" in result.stderr


def test_fmt_check_then_rewrite(tmp_path: Path) -> None:
    messy = write(tmp_path / "messy.fz", 'A {# a\r\nn1: circle label="x"\r\n\r\n\r\nn1.handle(right) -> n1.handle(left)\r\n}')
    clean = write(tmp_path / "clean.fz", 'A { # a\n  n1: circle label:"x"\n  n1.handle(right) -> n1.handle(left)\n}\n')
    before = messy.read_bytes()
    check = flowzap("fmt", "--check", str(messy), str(clean))
    assert check.returncode == 1
    assert f"would reformat {messy}" in check.stderr and str(clean) not in check.stderr
    assert messy.read_bytes() == before
    rewrite = flowzap("fmt", str(messy), str(clean))
    assert rewrite.returncode == 0
    assert messy.read_bytes() == clean.read_bytes()
    assert flowzap("fmt", "--check", str(messy), str(clean)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.fz", "messy.fz"]  # no temporary files left


def test_fmt_leaves_broken_files_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.fz", BROKEN)
    result = flowzap("fmt", str(path))
    assert result.returncode == 1 and "FZ102" in result.stderr
    assert path.read_text(encoding="utf-8") == BROKEN


def test_fmt_stdin_to_stdout() -> None:
    result = flowzap("fmt", "-", stdin='A {\n# Name\nn1: circle   label:"x"\n}\n')
    assert result.returncode == 0
    assert result.stdout == 'A { # Name\n  n1: circle label:"x"\n}\n'
    assert flowzap("fmt", "--check", "-", stdin=result.stdout).returncode == 0
    assert flowzap("fmt", "--check", "-", stdin='A {\n}\n').returncode == 0
    assert flowzap("fmt", "--check", "-", stdin='A {}\n').returncode == 1


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.fz")))
def test_fmt_output_checks_clean(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    shutil.copy(EXAMPLES / name, path)
    assert flowzap("fmt", str(path)).returncode == 0
    assert flowzap("check", "--quiet", str(path)).returncode == 0
    assert flowzap("fmt", "--check", str(path)).returncode == 0


def test_directories_stand_for_their_fz_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "a.fz", 'A { # a\n  n1: circle label:"x"\n  n1.handle(right) -> n1.handle(left)\n}\n')
    write(tmp_path / "sub" / "b.fz", BROKEN)
    write(tmp_path / "notes.txt", "not a diagram")
    result = flowzap("check", str(tmp_path))
    assert result.returncode == 1
    assert "sub/b.fz:3:7: error[FZ102]" in result.stderr and "in 2 files" in result.stderr
    assert flowzap("fmt", "--check", str(tmp_path)).returncode == 1  # b.fz has errors
