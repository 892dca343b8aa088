"""Measure drawn workflow diagrams in Chromium: the hard defects of a lane layout.

Everything is measured on what the browser actually drew with the real fonts (``getBBox``,
``getPointAtLength``), for every ``svg.flowzap[data-view=workflow]`` inside a
``figure[data-name]`` of the page (see :func:`browser.chromium.show_svgs`), in one
``evaluate`` call so dozens of diagrams cost one round trip.

Defects (each must be zero): nodes overlapping; a connector through a node (its own source and
target included); a connector end off its named side, or not leaving/entering perpendicular to
it; a node outside its lane band or on the lane header; text outside its shape (a circle's
label may sit beneath it, then it must not touch another node); an edge label on a node or on
another label, or its text outside its background.  Also counted, not failed: edge labels that
some other connector runs through.
"""

from __future__ import annotations

from typing import Any

MEASURE_JS = r"""
() => {
  const bb = (el) => { const r = el.getBBox(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const overlap = (a, b, m) => a.x + m < b.x + b.w && b.x + m < a.x + a.w && a.y + m < b.y + b.h && b.y + m < a.y + a.h;
  const within = (a, b, m) => a.x >= b.x - m && a.y >= b.y - m && a.x + a.w <= b.x + b.w + m && a.y + a.h <= b.y + b.h + m;
  const geom = (n) => ({cx: n.b.x + n.b.w / 2, cy: n.b.y + n.b.h / 2, hw: n.b.w / 2, hh: n.b.h / 2});
  // Is (x, y) inside the node's outline, at least m px from its edge?  (m < 0: allow -m px outside.)
  const inside = (n, x, y, m) => {
    const g = geom(n);
    if (n.shape === 'circle') return Math.hypot(x - g.cx, y - g.cy) < Math.min(g.hw, g.hh) - m;
    if (n.shape === 'diamond') return Math.abs(x - g.cx) / (g.hw - m) + Math.abs(y - g.cy) / (g.hh - m) < 1;
    return x > n.b.x + m && x < n.b.x + n.b.w - m && y > n.b.y + m && y < n.b.y + n.b.h - m;
  };
  // Distance from (x, y) to the outline (for circles and diamonds the point must touch the shape).
  const offOutline = (n, x, y) => {
    const g = geom(n);
    if (n.shape === 'circle') return Math.abs(Math.hypot(x - g.cx, y - g.cy) - Math.min(g.hw, g.hh));
    if (n.shape === 'diamond') {
      const s = Math.abs(x - g.cx) / g.hw + Math.abs(y - g.cy) / g.hh;
      return Math.abs(s - 1) * Math.min(g.hw, g.hh);
    }
    return 0;
  };
  const DIR = {left: [-1, 0], right: [1, 0], top: [0, -1], bottom: [0, 1]};
  const sideProblem = (n, side, p, probe) => {
    const [dx, dy] = DIR[side] || [0, 0];
    const b = n.b, g = geom(n);
    if ((probe.x - p.x) * dx + (probe.y - p.y) * dy < 0.3) return 'not perpendicular to ' + side;
    if (n.shape === 'circle' || n.shape === 'diamond') {
      const ox = p.x - g.cx, oy = p.y - g.cy;
      if (offOutline(n, p.x, p.y) > 1.5) return 'end not on the ' + n.shape + ' outline';
      if (ox * dx + oy * dy < Math.abs(ox * dy - oy * dx) - 1) return 'end not on the ' + side + ' side';
      return null;
    }
    const tol = 1.5;
    const onX = p.x >= b.x - tol && p.x <= b.x + b.w + tol, onY = p.y >= b.y - tol && p.y <= b.y + b.h + tol;
    const ok = side === 'left' ? Math.abs(p.x - b.x) <= tol && onY
      : side === 'right' ? Math.abs(p.x - (b.x + b.w)) <= tol && onY
      : side === 'top' ? Math.abs(p.y - b.y) <= tol && onX
      : Math.abs(p.y - (b.y + b.h)) <= tol && onX;
    return ok ? null : 'end off the ' + side + ' side';
  };
  // The polyline an edge path draws: our paths are M/H/V/L lines and Q corners (sampled).
  const polyline = (d) => {
    const tok = d.match(/[MHVLQZz]|-?\d*\.?\d+(?:e[-+]?\d+)?/g) || [];
    const pts = [];
    let i = 0, cmd = 'M', x = 0, y = 0;
    const n = () => parseFloat(tok[i++]);
    while (i < tok.length) {
      if (/[A-Za-z]/.test(tok[i])) cmd = tok[i++];
      if (cmd === 'M' || cmd === 'L') { x = n(); y = n(); pts.push([x, y]); }
      else if (cmd === 'H') { x = n(); pts.push([x, y]); }
      else if (cmd === 'V') { y = n(); pts.push([x, y]); }
      else if (cmd === 'Q') {
        const cx = n(), cy = n(), ex = n(), ey = n(), sx = x, sy = y;
        for (const t of [0.25, 0.5, 0.75, 1]) {
          const u = 1 - t;
          pts.push([u * u * sx + 2 * u * t * cx + t * t * ex, u * u * sy + 2 * u * t * cy + t * t * ey]);
        }
        x = ex; y = ey;
      } else i++;
    }
    return pts;
  };
  // Points every 2 px along the part of the polyline that comes near the box (cheap prefilter).
  const samplesNear = (pts, box, pad) => {
    const out = [];
    for (let k = 1; k < pts.length; k++) {
      const [ax, ay] = pts[k - 1], [bx, by] = pts[k];
      if (Math.max(ax, bx) < box.x - pad || Math.min(ax, bx) > box.x + box.w + pad
          || Math.max(ay, by) < box.y - pad || Math.min(ay, by) > box.y + box.h + pad) continue;
      const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 2));
      for (let s = 0; s <= steps; s++) out.push([ax + (bx - ax) * s / steps, ay + (by - ay) * s / steps]);
    }
    return out;
  };
  const results = {};
  for (const fig of document.querySelectorAll('figure[data-name]')) {
    const svg = fig.querySelector('svg.flowzap[data-view=workflow]');
    if (!svg) continue;
    const v = [];
    const lanes = {};
    for (const g of svg.querySelectorAll('.fz-lane')) {
      const head = g.querySelector('.fz-lane-head');
      lanes[g.dataset.lane] = {box: bb(g.querySelector('.fz-lane-box')), head: head ? bb(head) : null};
      const title = g.querySelector('text');
      if (title && head && title.textContent && !within(bb(title), bb(head), 1)) v.push(`lane ${g.dataset.lane}: title outside its header`);
    }
    const nodes = [...svg.querySelectorAll('.fz-node')].map((g) => {
      const s = g.querySelector('.fz-shape');
      const texts = [...g.querySelectorAll(':scope > text')].filter((t) => t.textContent.length)
        .map((t) => ({box: bb(t), fs: parseFloat(getComputedStyle(t).fontSize)}));
      return {id: g.dataset.node, lane: g.dataset.lane, shape: g.dataset.shape, b: bb(s), texts};
    });
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
    const outsideTexts = [];
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        if (overlap(nodes[i].b, nodes[j].b, 0.5)) v.push(`nodes ${nodes[i].id} and ${nodes[j].id} overlap`);
      }
    }
    for (const n of nodes) {
      const lane = lanes[n.lane];
      if (!lane) { v.push(`${n.id}: lane ${n.lane} not drawn`); continue; }
      if (!within(n.b, lane.box, 0.5)) v.push(`${n.id} outside its lane ${n.lane}`);
      if (lane.head && overlap(n.b, lane.head, 0.5)) v.push(`${n.id} on the header of lane ${n.lane}`);
      for (const t of n.texts) {
        const b = t.box, cut = 0.15 * t.fs;  // glyph cells carry empty ascent/descent space
        const corners = [[b.x, b.y + cut], [b.x + b.w, b.y + cut], [b.x, b.y + b.h - cut], [b.x + b.w, b.y + b.h - cut]];
        if (n.shape === 'rectangle' || n.shape === 'taskbox') {
          if (!within(b, n.b, 1)) v.push(`${n.id}: text outside its ${n.shape}`);
        } else if (n.shape === 'circle' && !inside(n, b.x + b.w / 2, b.y + b.h / 2, 0)) {
          outsideTexts.push({id: n.id, box: b});  // label beneath the circle
          if (!within(b, lane.box, 1)) v.push(`${n.id}: label outside its lane`);
        } else if (!corners.every(([x, y]) => inside(n, x, y, -1))) {
          v.push(`${n.id}: text outside its ${n.shape}`);
        }
      }
    }
    for (const g of svg.querySelectorAll('.fz-loop')) {
      const cap = g.querySelector('text');
      if (!cap || !cap.textContent) continue;
      const box = bb(cap);
      for (const n of nodes) if (overlap(box, n.b, 0.5)) v.push(`loop caption "${cap.textContent}" on node ${n.id}`);
    }
    for (const t of outsideTexts) {
      for (const n of nodes) if (n.id !== t.id && overlap(t.box, n.b, 0.5)) v.push(`label of ${t.id} on node ${n.id}`);
    }
    const labels = [];
    const paths = [];
    let bends = 0;
    for (const g of svg.querySelectorAll('.fz-edge')) {
      const name = `${g.dataset.edge || ''} ${g.dataset.from}.${g.dataset.fromHandle}->${g.dataset.to}.${g.dataset.toHandle}`;
      const p = g.querySelector('.fz-edge-path');
      const len = p.getTotalLength();
      const src = byId[g.dataset.from], dst = byId[g.dataset.to];
      bends += (p.getAttribute('d').match(/Q/g) || []).length;
      if (!src || !dst) { v.push(`${name}: end node not drawn`); continue; }
      if (len < 1) { v.push(`${name}: empty connector`); continue; }
      const s = p.getPointAtLength(0), e = p.getPointAtLength(len);
      const probe = Math.min(1.5, len / 2);
      const ps = sideProblem(src, g.dataset.fromHandle, s, p.getPointAtLength(probe));
      if (ps) v.push(`${name}: source ${ps}`);
      const pe = sideProblem(dst, g.dataset.toHandle, e, p.getPointAtLength(len - probe));
      if (pe) v.push(`${name}: target ${pe}`);
      const pts = polyline(p.getAttribute('d'));
      for (const n of nodes) {
        if (samplesNear(pts, n.b, 1).some(([x, y]) => inside(n, x, y, 1))) v.push(`${name}: runs through node ${n.id}`);
      }
      paths.push({name, pts});
      const lab = g.querySelector('.fz-edge-label');
      if (lab) {
        const rect = bb(lab.querySelector('rect')), text = bb(lab.querySelector('text'));
        if (!within(text, rect, 1)) v.push(`${name}: label text outside its background`);
        labels.push({name, rect});
      }
    }
    for (const l of labels) {
      for (const n of nodes) if (overlap(l.rect, n.b, 0.5)) v.push(`${l.name}: label on node ${n.id}`);
      for (const t of outsideTexts) if (overlap(l.rect, t.box, 0.5)) v.push(`${l.name}: label on the label of ${t.id}`);
    }
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (overlap(labels[i].rect, labels[j].rect, 0.5)) v.push(`labels of ${labels[i].name} and ${labels[j].name} overlap`);
      }
    }
    let struck = 0;
    for (const l of labels) {
      const r = l.rect;
      for (const p of paths) {
        if (p.name === l.name) continue;
        const near = samplesNear(p.pts, r, 0);
        if (near.some(([x, y]) => x > r.x + 1 && x < r.x + r.w - 1 && y > r.y + 1 && y < r.y + r.h - 1)) { struck++; break; }
      }
    }
    results[fig.dataset.name] = {violations: v, nodes: nodes.length, edges: paths.length, bends, struck_labels: struck};
  }
  return results;
}
"""


def measure(page: Any) -> dict[str, dict[str, Any]]:
    """Defects and counts for every workflow diagram on ``page``, keyed by figure name."""
    return page.evaluate(MEASURE_JS)
