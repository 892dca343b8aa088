"""Colours and the one ``<style>`` element every diagram carries.

Why CSS custom properties: a documentation page switches between light and dark without
rebuilding, so the SVG must carry both palettes and let the *page* pick.  Every rule is scoped
under the diagram's own id (``#fz-1a2b3c4d``) because inline SVG is styled by the page's
selectors: two diagrams with different themes on one page must not restyle each other.

The dark palette applies under ``prefers-color-scheme: dark`` (unless the page explicitly chose
its light mode) and under the dark modes of the common documentation themes:

* MkDocs Material: ``[data-md-color-scheme="slate"]`` (light is ``"default"``);
* Furo: ``body[data-theme="dark"]`` (``"auto"`` follows the system, handled by the media query);
* PyData Sphinx Theme and Sphinx Book Theme: ``html[data-theme="dark"]``.

Printing always uses the monochrome palette (paper is white, toner is black).

CairoSVG (PNG/PDF export) understands neither ``var()`` nor media queries, so
:func:`static_css` produces the same rules with the colours written out.

A site restyles every diagram with the custom properties, e.g. in its extra CSS::

    .flowzap { --fz-edge: #b42318; --fz-decision: #fef0c7; }

``--fz-bg`` (page-coloured backgrounds: sequence and architecture labels), ``--fz-text``, ``--fz-muted`` (edge labels, card lines),
``--fz-lane`` and ``--fz-head`` (lane band and header), ``--fz-border`` (lane lines),
``--fz-node`` and ``--fz-stroke`` (step fill and outline), ``--fz-start`` (circles),
``--fz-decision`` (diamonds), ``--fz-task`` (task cards), ``--fz-edge`` (connectors and
arrowheads), ``--fz-loop`` (loop frames).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..diagnostics import Diagnostic, FlowZapError
from ..suggest import closest

#: The font stack the layout measures with (Liberation Sans is metric-compatible with Arial
#: and Helvetica, so widths hold wherever one of them is installed).
FONT_FAMILY = '"Liberation Sans",Arial,Helvetica,sans-serif'
FONT_FAMILY_ATTR = "Liberation Sans, Arial, Helvetica, sans-serif"

#: Palette keys, in the order they are written (``--fz-<key>``).
KEYS: tuple[str, ...] = (
    "bg", "text", "muted", "lane", "head", "border", "node", "stroke",
    "start", "decision", "task", "edge", "loop",
)

LIGHT = {
    "bg": "#fff", "text": "#1f2937", "muted": "#4b5563", "lane": "#f8fafc", "head": "#eef2f7",
    "border": "#cbd5e1", "node": "#fff", "stroke": "#475569", "start": "#e3f4e8",
    "decision": "#fff4d6", "task": "#eaf1fd", "edge": "#475569", "loop": "#7c3aed",
}
DARK = {
    "bg": "#1b1f27", "text": "#e5e7eb", "muted": "#aab2bf", "lane": "#21262f", "head": "#2a303b",
    "border": "#434c5b", "node": "#2b313d", "stroke": "#9aa5b5", "start": "#1e3a2b",
    "decision": "#3b3220", "task": "#1f2c45", "edge": "#a3adbd", "loop": "#b794f4",
}
MONO = {
    "bg": "#fff", "text": "#000", "muted": "#333", "lane": "#fff", "head": "#f2f2f2",
    "border": "#999", "node": "#fff", "stroke": "#000", "start": "#fff",
    "decision": "#fff", "task": "#fff", "edge": "#000", "loop": "#000",
}
NEUTRAL = {
    "bg": "#fff", "text": "#262626", "muted": "#525252", "lane": "#fafafa", "head": "#f0f0f0",
    "border": "#d4d4d4", "node": "#fff", "stroke": "#737373", "start": "#f5f5f5",
    "decision": "#f5f5f5", "task": "#f5f5f5", "edge": "#525252", "loop": "#737373",
}


class Theme:
    """A named theme: its base palette and whether it follows the page into dark mode."""

    def __init__(self, name: str, base: dict[str, str], dark: dict[str, str] | None):
        self.name = name
        self.base = base
        self.dark = dark  # None: the theme never switches (it *is* dark, or monochrome)


THEMES: dict[str, Theme] = {
    "default": Theme("default", LIGHT, DARK),
    "dark": Theme("dark", DARK, None),
    "mono": Theme("mono", MONO, None),
    "neutral": Theme("neutral", NEUTRAL, DARK),
}

#: Host selectors that mean "the page is dark" / "the page chose light explicitly".
DARK_HOSTS = ("[data-md-color-scheme=slate]", "body[data-theme=dark]", "html[data-theme=dark]")
LIGHT_HOSTS = ("[data-md-color-scheme=default]", "[data-theme=light]")

#: Shrink with a narrow page, keeping the aspect ratio (the natural size is the maximum).
RESPONSIVE = "max-width:100%;height:auto"
#: Rules common to every view; ``{p}`` is replaced by ``#<prefix>``.  Views add their own.
BASE_RULES = (
    "{p}{{font-family:" + FONT_FAMILY + ";font-size:{fs}px;" + RESPONSIVE + "}}",
    "{p} text{{fill:var(--fz-text);text-anchor:middle}}",
    "{p} .fz-s{{text-anchor:start}}",
    "{p} .fz-m{{fill:var(--fz-muted)}}",
    "{p} .fz-arrow{{fill:var(--fz-edge)}}",
)


def get_theme(name: str) -> Theme:
    """The theme called ``name``; an unknown name is a :class:`FlowZapError` (FZ302) with a hint."""
    theme = THEMES.get(name) if isinstance(name, str) else None
    if theme is None:
        hint = did_you_mean(str(name), THEMES)
        raise FlowZapError([Diagnostic("FZ302", "error", f"unknown theme {name!r}", 1, 1, hint)])
    return theme


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``did you mean 'dark'? (one of: ...)`` when a choice is close, else the valid choices."""
    names = sorted(choices)
    match = closest(str(name), names)
    listing = "one of: " + ", ".join(names)
    return f"did you mean {match!r}? ({listing})" if match else listing


def _vars(palette: dict[str, str]) -> str:
    return ";".join(f"--fz-{k}:{palette[k]}" for k in KEYS)


@lru_cache(maxsize=64)
def css(theme: Theme, prefix: str, rules: tuple[str, ...] = (), font_size: float = 14) -> str:
    """The whole stylesheet of one diagram, every selector scoped under ``#prefix``.

    The palettes are declared inside ``:where()``, which weighs nothing, so a site can restyle
    every diagram with plain ``.flowzap{--fz-edge:#c00}`` in its own CSS; the drawing rules keep
    the id's weight, so a page's ``svg text{...}`` cannot repaint a diagram by accident.  Among
    the palettes, order decides: base, system dark mode, host dark modes, then print.

    Remembered (a pure function of its arguments; themes are constants): a documentation
    build draws with one placeholder prefix (see :mod:`flowzap_docs.pipeline`) and a handful of
    themes and rule sets, so nearly every diagram's stylesheet is one already written.
    """
    p = "#" + prefix
    fs = _num(font_size)
    out = [f":where({p}){{{_vars(theme.base)}}}"]
    out.extend(r.format(p=p, fs=fs) for r in BASE_RULES + rules)
    if theme.dark is not None:
        dark = _vars(theme.dark)
        # The system's dark mode, unless the page explicitly chose its light mode.
        not_light = ",".join(f"{h} *" for h in LIGHT_HOSTS)
        darks = ",".join(f"{h} {p}" for h in DARK_HOSTS)
        out.append(f"@media (prefers-color-scheme:dark){{:where({p}:not({not_light})){{{dark}}}}}")
        out.append(f":where({darks}){{{dark}}}")
    if theme.base is not MONO:
        out.append(f"@media print{{:where({p}){{{_vars(MONO)}}}}}")  # last: paper is always monochrome
    return "".join(out)


def static_css(style: str) -> str:
    """``style`` (as written by :func:`css`) with colours written out and no media queries or
    host selectors: what CairoSVG, which knows neither ``var()`` nor ``@media``, can use."""
    head, _, rest = style.partition("}")
    values = dict(re.findall(r"--fz-([a-z]+):([^;}]+)", head))
    cut = rest.find("@media")  # the adaptive palettes all come after the first media query
    rules = rest[:cut] if cut >= 0 else rest
    rules = rules.replace(";" + RESPONSIVE, "")  # CairoSVG draws nothing with ``height:auto``
    return re.sub(r"var\(--fz-([a-z]+)\)", lambda m: values.get(m.group(1), "#000"), rules)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
