/* flowzap-docs diagram viewer: an "Enlarge diagram" button on every FlowZap diagram that opens
 * it in a full-window dialog at 1:1, with zoom (wheel, pinch, + and -), pan (drag, arrow keys),
 * 0 for 1:1, F to fit, Esc to close.  Vanilla JS, no dependency, works offline.
 *
 * Progressive enhancement: the buttons are made here, so the page's markup is unchanged and a
 * page without JavaScript shows the diagrams as before.  A diagram opts out with the class
 * `flowzap-nozoom` on its figure.  Safe to run more than once (MkDocs Material's instant
 * navigation re-runs scripts of the page content): buttons are added to new diagrams only, and
 * document-wide listeners are installed once.
 */
(function () {
  "use strict";

  var FIGURES = ".flowzap-figure, div.flowzap";
  var DRAWING = "svg.flowzap, img.flowzap, img.flowzap-img";
  var STEP = 1.25; // one zoom step (+, -, a wheel notch)
  var PAD = 24; // room kept around the diagram, in px

  /* The words of the controls, in the page's language when we have it (else English). */
  var WORDS = {
    en: ["Enlarge diagram", "Zoom out", "Zoom in", "Actual size", "Fit to window", "Close", "zoomable diagram",
      "Drag or use the arrow keys to move; wheel, + and \u2212 to zoom; 0 actual size; F fit; Esc close."],
    fr: ["Agrandir le diagramme", "Zoom arri\u00e8re", "Zoom avant", "Taille r\u00e9elle", "Ajuster \u00e0 la fen\u00eatre",
      "Fermer", "diagramme zoomable", "Glisser ou fl\u00e8ches pour d\u00e9placer\u00a0; molette, + et \u2212 pour " +
      "zoomer\u00a0; 0 taille r\u00e9elle\u00a0; F ajuster\u00a0; \u00c9chap fermer."]
  };
  var W = WORDS[(document.documentElement.lang || "en").slice(0, 2).toLowerCase()] || WORDS.en;

  function drawingOf(fig) {
    return fig.querySelector(DRAWING);
  }

  /** Give every new diagram under ``root`` its button (not those that opted out or are broken). */
  function enhance(root) {
    var figs = (root || document).querySelectorAll(FIGURES);
    for (var i = 0; i < figs.length; i++) {
      var fig = figs[i];
      // a Sphinx diagram with a caption is a div.flowzap inside a figure.flowzap-figure: one button
      if (fig.hasAttribute("data-fzv") || fig.parentElement.closest(FIGURES)) continue;
      if (fig.classList.contains("flowzap-nozoom") || !drawingOf(fig)) continue;
      fig.setAttribute("data-fzv", "");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "flowzap-zoom";
      btn.setAttribute("aria-label", W[0]);
      btn.setAttribute("aria-haspopup", "dialog");
      btn.title = W[0];
      btn.innerHTML = ICON.enlarge;
      fig.insertBefore(btn, fig.firstChild);
    }
  }

  var ICON = (function () {
    function icon(d) {
      return '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' +
        '<path d="' + d + '" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" ' +
        'stroke-linejoin="round"/></svg>';
    }
    return {
      enlarge: icon("M14 4h6v6M20 4l-7 7M10 20H4v-6M4 20l7-7"),
      out: icon("M5 12h14"),
      "in": icon("M12 5v14M5 12h14"),
      fit: icon("M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"),
      close: icon("M6 6l12 12M18 6L6 18")
    };
  })();

  /* ---- the dialog (one per document, made on first use) ---------------------------------- */

  var dlg, stage, item, level, title, opener;
  var view = { s: 1, x: 0, y: 0, w: 1, h: 1 };
  var pointers = {};
  var frame = 0;

  function make() {
    dlg = document.createElement("dialog");
    dlg.className = "fzv";
    dlg.setAttribute("aria-modal", "true"); // showModal() implies it; said for older assistive technology
    dlg.innerHTML =
      '<div class="fzv-bar"><span class="fzv-title"></span>' +
      button("out", W[1], "\u2212", ICON.out) +
      '<output class="fzv-level" aria-live="polite">100%</output>' +
      button("in", W[2], "+", ICON["in"]) +
      button("one", W[3], "0", "1:1") +
      button("fit", W[4], "F", ICON.fit) +
      button("close", W[5], "Esc", ICON.close) +
      '</div><div class="fzv-stage" tabindex="0" role="group" aria-roledescription="' + W[6] + '" ' +
      'aria-describedby="fzv-help"></div>' +
      '<p class="fzv-help" id="fzv-help">' + W[7] + "</p>";
    stage = dlg.querySelector(".fzv-stage");
    level = dlg.querySelector(".fzv-level");
    title = dlg.querySelector(".fzv-title");
    dlg.addEventListener("click", onClick);
    dlg.addEventListener("keydown", onKey);
    dlg.addEventListener("close", onClose);
    dlg.addEventListener("wheel", onWheel, { passive: false });
    stage.addEventListener("pointerdown", onDown);
    stage.addEventListener("pointermove", onMove);
    stage.addEventListener("pointerup", onUp);
    stage.addEventListener("pointercancel", onUp);
    stage.addEventListener("dblclick", function (e) {
      zoomAt(e.shiftKey ? 1 / 2 : 2, e.clientX, e.clientY);
    });
    window.addEventListener("resize", function () {
      if (dlg.open) apply();
    });
    document.body.appendChild(dlg);
  }

  function button(action, label, key, content) {
    return '<button type="button" class="fzv-' + action + '" data-fzv-do="' + action + '" aria-label="' +
      label + '" title="' + label + " (" + key + ')">' + content + "</button>";
  }

  /** A copy of the inline SVG whose ids (and every reference to them) are renamed, so the
   *  page's copy and ours never share an id: url(#marker) and aria-labelledby keep working. */
  function cloneSvg(svg) {
    var copy = svg.cloneNode(true);
    var els = [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("*")));
    var ids = [];
    els.forEach(function (el) { if (el.id) ids.push(el.id); });
    if (!ids.length) return copy;
    ids.sort(function (a, b) { return b.length - a.length; });
    var names = ids.map(function (id) { return id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|");
    var hash = new RegExp("#(" + names + ")(?![\\w-])", "g");
    var token = new RegExp("(^|\\s)(" + names + ")(?![\\w-])", "g");
    els.forEach(function (el) {
      for (var i = 0; i < el.attributes.length; i++) {
        var a = el.attributes[i];
        var idList = a.name === "id" || a.name === "for" || /^aria-(labelledby|describedby|owns|controls)$/.test(a.name);
        var v = idList ? a.value.replace(token, "$1fzv-$2") : a.value.replace(hash, "#fzv-$1");
        if (v !== a.value) a.value = v;
      }
      if (el.localName === "style") el.textContent = el.textContent.replace(hash, "#fzv-$1");
    });
    return copy;
  }

  function nameOf(fig, drawing) {
    var cap = fig.querySelector("figcaption") ||
      (fig.parentElement && fig.parentElement.querySelector(":scope > figcaption"));
    if (cap) { // without Sphinx's permalink mark
      cap = cap.cloneNode(true);
      Array.prototype.forEach.call(cap.querySelectorAll(".headerlink"), function (a) { a.remove(); });
      if (cap.textContent.trim()) return cap.textContent.trim();
    }
    var t = drawing.localName === "img" ? null : drawing.querySelector("title");
    return drawing.getAttribute("aria-label") || drawing.getAttribute("alt") || (t && t.textContent) ||
      fig.getAttribute("aria-label") || "Diagram";
  }

  function open(fig, from) {
    var drawing = drawingOf(fig);
    if (!drawing) return;
    if (!dlg) make();
    opener = from;
    var name = nameOf(fig, drawing);
    dlg.setAttribute("aria-label", name);
    title.textContent = name;
    if (drawing.localName === "img") {
      item = new Image();
      item.alt = drawing.alt;
      item.src = drawing.currentSrc || drawing.src;
      item.draggable = false;
    } else {
      item = cloneSvg(drawing);
    }
    item.removeAttribute("style"); // the page's sizing (width, min-width for legibility) is not ours
    item.classList.add("fzv-item");
    stage.textContent = "";
    stage.appendChild(item);
    dlg.classList.remove("fzv-tabbing");
    dlg.showModal();
    document.documentElement.classList.add("fzv-open");
    var start = function () {
      var size = naturalSize(drawing, item);
      view.w = size[0];
      view.h = size[1];
      reset(1, scrolledFraction(fig, drawing));
      stage.focus();
    };
    if (item.localName === "img" && !item.complete) {
      item.addEventListener("load", start, { once: true });
      stage.focus();
    } else {
      start();
    }
  }

  function naturalSize(drawing, copy) {
    if (copy.localName === "img") return [copy.naturalWidth || 300, copy.naturalHeight || 150];
    var w = parseFloat(drawing.getAttribute("width")), h = parseFloat(drawing.getAttribute("height"));
    var vb = drawing.viewBox && drawing.viewBox.baseVal;
    if (!(w > 0 && h > 0) && vb && vb.width) { w = vb.width; h = vb.height; }
    return [w > 0 ? w : 300, h > 0 ? h : 150];
  }

  /** How far the reader had scrolled the diagram sideways on the page (0 to 1), to start there. */
  function scrolledFraction(fig, drawing) {
    for (var el = drawing.parentElement; el; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1) return el.scrollLeft / el.scrollWidth;
      if (el === fig) break;
    }
    return 0;
  }

  function onClose() {
    document.documentElement.classList.remove("fzv-open");
    stage.textContent = "";
    item = null;
    pointers = {};
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  }

  /* ---- zoom and pan ----------------------------------------------------------------------- */

  function box() {
    return stage.getBoundingClientRect();
  }

  function fitScale() {
    var b = box();
    return Math.min((b.width - 2 * PAD) / view.w, (b.height - 2 * PAD) / view.h);
  }

  function limits() {
    var fit = fitScale();
    return [Math.min(1, fit), Math.max(8, fit)];
  }

  /** Scale ``s``; left edge at ``fraction`` of the width (centred when it fits), top aligned. */
  function reset(s, fraction) {
    view.s = s;
    view.x = PAD - (fraction || 0) * view.w * s;
    view.y = PAD;
    apply();
  }

  /** Keep the diagram in sight: centred along an axis where it fits, else no gap wider than PAD. */
  function clamp() {
    var b = box(), lim = limits();
    view.s = Math.min(lim[1], Math.max(lim[0], view.s));
    var w = view.w * view.s, h = view.h * view.s;
    view.x = w <= b.width - 2 * PAD ? (b.width - w) / 2 : Math.min(PAD, Math.max(b.width - PAD - w, view.x));
    view.y = h <= b.height - 2 * PAD ? (b.height - h) / 2 : Math.min(PAD, Math.max(b.height - PAD - h, view.y));
  }

  function apply() {
    if (!item) return;
    clamp();
    if (frame) return;
    frame = requestAnimationFrame(function () {
      frame = 0;
      if (!item) return;
      var st = item.style;
      st.width = view.w * view.s + "px";
      st.height = view.h * view.s + "px";
      st.transform = "translate(" + view.x + "px," + view.y + "px)";
      level.textContent = Math.round(view.s * 100) + "%";
    });
  }

  /** Zoom by ``factor`` keeping the point (cx, cy) of the window where it is (default: centre). */
  function zoomAt(factor, cx, cy) {
    var b = box();
    var px = cx === undefined ? b.width / 2 : cx - b.left;
    var py = cy === undefined ? b.height / 2 : cy - b.top;
    var lim = limits();
    var s = Math.min(lim[1], Math.max(lim[0], view.s * factor));
    view.x = px - (px - view.x) * s / view.s;
    view.y = py - (py - view.y) * s / view.s;
    view.s = s;
    apply();
  }

  function pan(dx, dy) {
    view.x += dx;
    view.y += dy;
    apply();
  }

  function onWheel(e) {
    e.preventDefault(); // the page under the dialog must not scroll
    if (!item || !stage.contains(e.target)) return;
    var unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    var dy = e.deltaY * unit;
    var dx = (e.deltaX || (e.shiftKey ? e.deltaY : 0)) * unit;
    if (!e.ctrlKey && (e.shiftKey || Math.abs(dx) > Math.abs(dy))) return pan(-dx, 0); // a sideways swipe
    // ctrl+wheel is a trackpad pinch (small, smooth deltas); a mouse notch is ~100 px: one STEP
    var factor = e.ctrlKey ? Math.exp(-dy / 100) : Math.pow(STEP, -dy / 100);
    zoomAt(Math.min(2, Math.max(0.5, factor)), e.clientX, e.clientY);
  }

  function onDown(e) {
    if (e.button !== 0) return;
    try { stage.setPointerCapture(e.pointerId); } catch (err) { /* a pointer already gone */ }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    stage.classList.add("fzv-grabbing");
  }

  function onMove(e) {
    var p = pointers[e.pointerId];
    if (!p) return;
    var ids = Object.keys(pointers);
    if (ids.length === 2) { // pinch: zoom by the change of distance, about the midpoint
      var other = pointers[ids[0] == e.pointerId ? ids[1] : ids[0]];
      var before = Math.hypot(p.x - other.x, p.y - other.y);
      var after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
      if (before > 0) zoomAt(after / before, (e.clientX + other.x) / 2, (e.clientY + other.y) / 2);
    } else {
      pan(e.clientX - p.x, e.clientY - p.y);
    }
    p.x = e.clientX;
    p.y = e.clientY;
  }

  function onUp(e) {
    delete pointers[e.pointerId];
    if (!Object.keys(pointers).length) stage.classList.remove("fzv-grabbing");
  }

  function onClick(e) {
    var btn = e.target.closest("[data-fzv-do]");
    if (!btn || !dlg.contains(btn)) return;
    var action = btn.getAttribute("data-fzv-do");
    if (action === "in") zoomAt(STEP);
    else if (action === "out") zoomAt(1 / STEP);
    else if (action === "one") reset(1, 0);
    else if (action === "fit") reset(fitScale(), 0);
    else if (action === "close") dlg.close();
  }

  function onKey(e) {
    // the page's own shortcuts (Material: n, p, f, s, /) must not act under the dialog
    e.stopPropagation();
    if (e.key === "Tab") {
      dlg.classList.add("fzv-tabbing"); // the diagram's focus ring shows once Tab moves the focus
      return trapFocus(e);
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var b = box(), step = e.shiftKey ? 0.5 : 0.1;
    var dx = Math.max(40, b.width * step), dy = Math.max(40, b.height * step);
    var handled = true;
    switch (e.key) {
      case "+": case "=": zoomAt(STEP); break;
      case "-": case "_": zoomAt(1 / STEP); break;
      case "0": reset(1, 0); break;
      case "f": case "F": reset(fitScale(), 0); break;
      case "ArrowLeft": pan(dx, 0); break;
      case "ArrowRight": pan(-dx, 0); break;
      case "ArrowUp": pan(0, dy); break;
      case "ArrowDown": pan(0, -dy); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }

  /** Tab and Shift+Tab cycle through the dialog's controls and never leave it. */
  function trapFocus(e) {
    var all = dlg.querySelectorAll("button, [tabindex='0']");
    var first = all[0], last = all[all.length - 1];
    var active = document.activeElement;
    if (e.shiftKey && (active === first || !dlg.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !dlg.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  /* ---- wiring --------------------------------------------------------------------------------- */

  function onPageClick(e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var fig = t.closest("[data-fzv]");
    if (!fig) return;
    var btn = t.closest(".flowzap-zoom");
    if (!btn) { // a click on the drawing itself, unless on a link or ending a text selection
      var sel = window.getSelection();
      if (!t.closest("svg.flowzap, img") || t.closest("a") || (sel && !sel.isCollapsed)) return;
      btn = fig.querySelector(".flowzap-zoom");
    }
    e.preventDefault();
    open(fig, btn);
  }

  var api = window.flowzapViewer;
  if (!api) {
    api = window.flowzapViewer = { enhance: enhance, open: function (fig) { open(fig, fig.querySelector(".flowzap-zoom")); } };
    document.addEventListener("click", onPageClick);
    // Material's instant navigation swaps pages without a reload; its document$ tells us when
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { api.enhance(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { api.enhance(); });
  } else {
    api.enhance();
  }
})();
