"""The sequence and architecture views of every example and corpus diagram, measured in Chromium.

The layout measures text with Liberation Sans advance widths; this checks what a real browser
draws with the real fonts.  All diagrams go into one page and are measured by one script, so the
whole check takes a couple of seconds.  Defects must be zero:

* sequence: no message label (or note, or loop caption) over another, none across a
  participant header, every header title inside its box;
* architecture: no component over another, no dependency label over a component or another
  label, every title and list entry inside its component.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser.chromium import chromium, page, show_svgs  # noqa: F401  (pytest fixtures)

from flowzap_docs.parser import parse
from flowzap_docs.views.architecture.draw import render_architecture
from flowzap_docs.views.sequence.draw import render_sequence

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "examples").glob("*.fz")) + sorted((DATA / "corpus").glob("*.fz"))

pytestmark = pytest.mark.browser

#: Runs in the page: one list of defects per figure (a defect is a short string).
MEASURE = r"""
() => {
  const box = el => { const b = el.getBBox(); return {x: b.x, y: b.y, r: b.x + b.width, b: b.y + b.height}; };
  const hit = (a, b, s = 0.5) => a.x < b.r - s && b.x < a.r - s && a.y < b.b - s && b.y < a.b - s;
  const inside = (a, b, s = 0.5) => a.x >= b.x - s && a.r <= b.r + s && a.y >= b.y - s && a.b <= b.b + s;
  const out = {};
  for (const fig of document.querySelectorAll('figure')) {
    const svg = fig.querySelector('svg');
    const defects = [];
    if (svg.dataset.view === 'sequence') {
      const heads = [...svg.querySelectorAll('.fz-participant')].map(g => {
        const rects = [...g.querySelectorAll(':scope > rect.fz-head')];
        const texts = [...g.querySelectorAll(':scope > text')];
        rects.forEach((r, i) => { if (texts[i] && !inside(box(texts[i]), box(r)))
          defects.push('header title outside its box: ' + g.dataset.lane); });
        return rects.map(box);
      }).flat();
      const labels = [
        ...[...svg.querySelectorAll('.fz-message-label text')].map(t => ['message ' + t.closest('.fz-message').dataset.edge, box(t)]),
        ...[...svg.querySelectorAll('.fz-note text')].map(t => ['note ' + t.closest('.fz-note').dataset.node, box(t)]),
        ...[...svg.querySelectorAll('.fz-loop text')].map(t => ['loop caption', box(t)]),
      ];
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          if (hit(labels[i][1], labels[j][1])) defects.push(labels[i][0] + ' over ' + labels[j][0]);
        }
        if (heads.some(h => hit(labels[i][1], h))) defects.push(labels[i][0] + ' across a header');
      }
      for (const note of svg.querySelectorAll('.fz-note')) {
        if (!inside(box(note.querySelector('text')), box(note.querySelector('path'))))
          defects.push('note text outside its note ' + note.dataset.node);
      }
    } else {
      const comps = [...svg.querySelectorAll('.fz-component')].map(g => [g.dataset.lane, box(g.querySelector('rect.fz-box')), g]);
      for (let i = 0; i < comps.length; i++) {
        for (let j = i + 1; j < comps.length; j++) {
          if (hit(comps[i][1], comps[j][1], -8)) defects.push('component ' + comps[i][0] + ' over ' + comps[j][0]);
        }
        for (const t of comps[i][2].querySelectorAll('text')) {
          if (!inside(box(t), comps[i][1])) defects.push('text outside component ' + comps[i][0] + ': ' + t.textContent);
        }
      }
      const labels = [...svg.querySelectorAll('.fz-dep-label text')].map(t => [t.closest('.fz-dependency'), box(t)]);
      for (let i = 0; i < labels.length; i++) {
        const name = labels[i][0].dataset.fromLane + '->' + labels[i][0].dataset.toLane;
        for (let j = i + 1; j < labels.length; j++) if (hit(labels[i][1], labels[j][1])) defects.push('label over label ' + name);
        for (const c of comps) if (hit(labels[i][1], c[1])) defects.push('label ' + name + ' over component ' + c[0]);
      }
    }
    out[fig.dataset.name] = defects;
  }
  return out;
}
"""


def _svgs() -> dict[str, str]:
    svgs: dict[str, str] = {}
    for k, path in enumerate(FILES):
        diagram = parse(path.read_text(encoding="utf-8"), filename=str(path))
        name = f"{path.parent.name}/{path.name}"
        svgs[f"sequence {name}"] = render_sequence(diagram, id_prefix=f"fz-s{k}")
        svgs[f"architecture {name}"] = render_architecture(diagram, id_prefix=f"fz-a{k}")
    return svgs


def test_no_view_defects_in_a_real_browser(page: Any) -> None:  # noqa: F811
    svgs = _svgs()
    show_svgs(page, svgs)
    found = page.evaluate(MEASURE)
    assert set(found) == set(svgs)
    defects = {name: d for name, d in found.items() if d}
    assert defects == {}


def test_the_checks_catch_a_planted_overlap(page: Any) -> None:  # noqa: F811
    """The measurement is not vacuous: two components drawn on top of each other are reported."""
    diagram = parse((DATA / "examples" / "event-driven.fz").read_text(encoding="utf-8"))
    svg = render_architecture(diagram, id_prefix="fz-p")
    # Move the second component onto the first.
    start = svg.index('data-lane="MessageBroker"')
    rect_at = svg.index('<rect class="fz-box" x="', start) + len('<rect class="fz-box" x="')
    end = svg.index('"', rect_at)
    planted = svg[:rect_at] + "20" + svg[end:]
    seq = render_sequence(diagram, id_prefix="fz-q")
    label_at = seq.index('<g class="fz-message-label">')
    # Draw one message label a second time right over itself: labels over labels.
    chunk_end = seq.index("</g>", label_at) + 4
    planted_seq = seq[:chunk_end] + seq[label_at:chunk_end] + seq[chunk_end:]
    show_svgs(page, {"arch": planted, "seq": planted_seq})
    found = page.evaluate(MEASURE)
    assert any("over" in d for d in found["arch"])
    assert any("over" in d for d in found["seq"])
