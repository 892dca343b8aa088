"""Drive the diagram viewer (flowzap-viewer.js) in Chromium the way a reader does, and check it.

Shared by the plain-page tests and the built MkDocs and Sphinx sites: :func:`exercise_viewer`
opens the viewer from the keyboard (Tab to the button, Enter), zooms with ``+``/``-`` and the
wheel, pans with the arrow keys and a drag, checks that Tab never leaves the dialog, closes it
with Esc and checks that focus is back on the button.  Positions are read from what Chromium
laid out (``getBoundingClientRect``), never from the script's own state.
"""

from __future__ import annotations

from typing import Any

BUTTON = "button.flowzap-zoom"

#: Everything a check needs about the open viewer, in one round trip.
STATE_JS = r"""
() => {
  const dlg = document.querySelector('dialog.fzv');
  const item = dlg && dlg.querySelector('.fzv-item');
  const r = item ? item.getBoundingClientRect() : null;
  const stage = dlg && dlg.querySelector('.fzv-stage').getBoundingClientRect();
  const a = document.activeElement;
  return {
    open: !!(dlg && dlg.open),
    item: r && {x: r.x, y: r.y, w: r.width, h: r.height},
    stage: stage && {x: stage.x, y: stage.y, w: stage.width, h: stage.height},
    level: dlg ? dlg.querySelector('.fzv-level').textContent : null,
    focusInDialog: !!(dlg && dlg.contains(a)),
    focus: a ? (a.className && a.className.baseVal !== undefined ? a.className.baseVal : a.className) : null,
  };
}
"""


def settle(pg: Any) -> None:
    """Wait two animation frames: the viewer applies zoom and pan in the next frame."""
    pg.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def state(pg: Any) -> dict[str, Any]:
    settle(pg)
    return pg.evaluate(STATE_JS)


def tab_to(pg: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until ``selector`` (its first match) has the focus, as a keyboard user would."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus after {limit} Tab presses")


def exercise_viewer(pg: Any, button: str = BUTTON) -> None:
    """The whole keyboard-and-pointer run described in the module docstring (asserts)."""
    tab_to(pg, button)
    pg.keyboard.press("Enter")
    s0 = state(pg)
    assert s0["open"] and s0["focusInDialog"], s0
    assert s0["level"] == "100%", s0
    natural_w = s0["item"]["w"]

    pg.keyboard.press("+")
    s1 = state(pg)
    assert abs(s1["item"]["w"] / natural_w - 1.25) < 0.01, (s0, s1)
    pg.keyboard.press("-")
    assert abs(state(pg)["item"]["w"] - natural_w) < 0.5

    # the wheel zooms about the pointer: the diagram point under it stays under it
    st = s0["stage"]
    px, py = st["x"] + st["w"] * 0.3, st["y"] + st["h"] * 0.5
    pg.mouse.move(px, py)
    before = state(pg)["item"]
    pg.mouse.wheel(0, -100)
    after = state(pg)["item"]
    assert after["w"] > before["w"] * 1.2, (before, after)
    fx_before = (px - before["x"]) / before["w"]
    fx_after = (px - after["x"]) / after["w"]
    assert abs(fx_before - fx_after) < 0.01, (fx_before, fx_after)

    # arrows pan (the diagram is now much taller and wider than the window)
    for _ in range(3):
        pg.keyboard.press("+")
    b = state(pg)["item"]
    pg.keyboard.press("ArrowRight")
    r = state(pg)["item"]
    assert r["x"] < b["x"] - 30 and r["y"] == b["y"], (b, r)
    pg.keyboard.press("ArrowDown")
    d = state(pg)["item"]
    assert d["y"] < r["y"] - 30 and d["x"] == r["x"], (r, d)
    pg.keyboard.press("ArrowLeft")
    pg.keyboard.press("ArrowUp")
    back = state(pg)["item"]
    assert abs(back["x"] - b["x"]) < 0.5 and abs(back["y"] - b["y"]) < 0.5, (b, back)

    # a drag pans by exactly the distance dragged
    cx, cy = st["x"] + st["w"] / 2, st["y"] + st["h"] / 2
    pg.mouse.move(cx, cy)
    pg.mouse.down()
    pg.mouse.move(cx - 120, cy - 60, steps=4)
    pg.mouse.up()
    dragged = state(pg)["item"]
    assert abs(dragged["x"] - (back["x"] - 120)) < 0.5 and abs(dragged["y"] - (back["y"] - 60)) < 0.5, (back, dragged)

    pg.keyboard.press("0")
    assert state(pg)["level"] == "100%"

    # focus never leaves the dialog, forwards or backwards
    for key in ["Tab"] * 9 + ["Shift+Tab"] * 9:
        pg.keyboard.press(key)
        assert state(pg)["focusInDialog"], key

    pg.keyboard.press("Escape")
    closed = state(pg)
    assert not closed["open"], closed
    assert pg.evaluate("s => document.activeElement === document.querySelector(s)", button), closed


def watch_errors(pg: Any) -> list[str]:
    """Console errors, uncaught exceptions and failed requests of the page, as they happen.

    A failed request is named by its URL (the console only says "Failed to load resource");
    the browser's own ``/favicon.ico`` guess is not the page's.
    """
    errors: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(resp: Any) -> None:
        if resp.status >= 400 and not resp.url.endswith("/favicon.ico"):
            errors.append(f"{resp.status} {resp.url}")

    pg.on("console", console)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("response", response)
    pg.on("requestfailed", lambda r: errors.append(f"{r.failure} {r.url}"))
    return errors
