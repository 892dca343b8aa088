"""``flowzap render``: the real command, run as a user runs it, on real files."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "data" / "examples"
EVENT = EXAMPLES / "event-driven.fz"
BROKEN = 'Team { # Team\nn1: hexagon label:"Start"\n}\n'


def flowzap(*args: str, cwd: Path | None = None, pre: str = "") -> subprocess.CompletedProcess[bytes]:
    """Run ``flowzap`` (``pre``: Python run first, in the same interpreter)."""
    code = f"{pre}\nimport sys\nfrom flowzap_docs.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=cwd or ROOT, timeout=120)


def test_one_file_without_output_goes_to_stdout() -> None:
    run = flowzap("render", str(EVENT))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert run.stderr == b""


def test_one_file_to_a_named_file(tmp_path: Path) -> None:
    out = tmp_path / "diagram.svg"
    run = flowzap("render", str(EVENT), "-o", str(out), "--theme", "dark")
    assert run.returncode == 0, run.stderr
    assert out.read_text("utf-8").startswith("<svg") and "--fz-bg:#1b1f27" in out.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["diagram.svg"]  # no temporary file left behind


def test_png_and_pdf_through_cairosvg(tmp_path: Path) -> None:
    png, pdf = tmp_path / "d.png", tmp_path / "d.pdf"
    run = flowzap("render", str(EVENT), "-o", str(png))
    assert run.returncode == 0, run.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    run = flowzap("render", str(EVENT), "--format", "pdf", "-o", str(pdf))
    assert run.returncode == 0, run.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_missing_cairosvg_names_the_pdf_extra(tmp_path: Path) -> None:
    run = flowzap("render", str(EVENT), "-o", str(tmp_path / "d.png"), pre="import sys; sys.modules['cairosvg'] = None")
    assert run.returncode == 2
    assert b"flowzap-docs[pdf]" in run.stderr
    assert not (tmp_path / "d.png").exists()


def test_a_folder_renders_into_a_directory_keeping_sub_folders(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src / "examples")
    (src / "top.fz").write_text(EVENT.read_text("utf-8"), "utf-8")
    out = tmp_path / "out" / "svg"
    run = flowzap("render", str(src), "-o", str(out))
    assert run.returncode == 0, run.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.svg"))
    expected = sorted(["top.svg"] + [f"examples/{p.stem}.svg" for p in EXAMPLES.glob("*.fz")])
    assert written == expected
    assert b"\r" not in run.stderr  # no progress bar when stderr is not a terminal


def test_several_inputs_need_an_output_directory() -> None:
    run = flowzap("render", str(EVENT), str(EXAMPLES / "order-approval.fz"))
    assert run.returncode == 2 and b"-o DIRECTORY" in run.stderr


def test_broken_diagrams_are_reported_and_the_rest_drawn(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "bad.fz").write_text(BROKEN, "utf-8")
    (src / "good.fz").write_text(EVENT.read_text("utf-8"), "utf-8")
    run = flowzap("render", str(src), "-o", str(tmp_path / "out"))
    assert run.returncode == 1
    err = run.stderr.decode()
    assert f"{src / 'bad.fz'}:2:" in err and "error[FZ102]" in err and "^" in err
    assert (tmp_path / "out" / "good.svg").exists() and not (tmp_path / "out" / "bad.svg").exists()


def test_a_missing_file_exits_1() -> None:
    run = subprocess.run([sys.executable, "-m", "flowzap_docs", "render", "no/such.fz"], capture_output=True, cwd=ROOT)
    assert run.returncode == 1 and b"no such file" in run.stderr


def test_dash_reads_standard_input() -> None:
    run = subprocess.run([sys.executable, "-m", "flowzap_docs", "render", "-"], input=EVENT.read_bytes(),
                         capture_output=True, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.startswith(b"<svg")
    bad = subprocess.run([sys.executable, "-m", "flowzap_docs", "render", "-"], input=BROKEN.encode(),
                         capture_output=True, cwd=ROOT)
    assert bad.returncode == 1 and b"<stdin>:2:" in bad.stderr


@pytest.mark.parametrize(("option", "value"), [("--view", "flow"), ("--theme", "drak")])
def test_unknown_view_or_theme_is_a_usage_error(option: str, value: str) -> None:
    run = flowzap("render", str(EVENT), option, value)
    assert run.returncode == 2
    assert b"did you mean" in run.stderr or b"one of" in run.stderr
    assert run.stdout == b""


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    try:
        code = "import sys\nfrom flowzap_docs.cli import main\nsys.exit(main(sys.argv[1:]))"
        proc = subprocess.run([sys.executable, "-c", code, "render", str(EXAMPLES), "-o", str(tmp_path / "o")],
                              stdout=subprocess.PIPE, stderr=slave, cwd=ROOT, timeout=120)
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        if slave != -1:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 0
    shown = b"".join(chunks)
    assert b"\r[" in shown and b"/6 " in shown


def test_png_gets_the_theme_background(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "dark.png"
    run = flowzap("render", str(EXAMPLES / "request-response.fz"), "--view", "sequence", "--theme", "dark", "-o", str(out))
    assert run.returncode == 0, run.stderr
    with Image.open(out) as im:
        assert im.convert("RGB").getpixel((1, 1)) == (0x1B, 0x1F, 0x27)
