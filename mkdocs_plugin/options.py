"""Fence attributes: what a writer may put on a ``flowzap`` fence, checked before drawing.

Both header styles end up here as a plain ``{name: value}`` dict: SuperFences style
(```` ```flowzap view="sequence" ````) and brace style (```` ```{.flowzap view="sequence"} ````).
A bad value is not an exception: it becomes a diagnostic that the fence reports at its own line,
because a typo in one fence must never stop a documentation build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flowzap_docs.catalogs import is_language_code
from flowzap_docs.diagnostics import Diagnostic
from flowzap_docs.fences import fence_language
from flowzap_docs.html import check_fit
from flowzap_docs.viewer import SWITCH_VALUES, parse_switch

VIEWS = ("workflow", "sequence", "architecture")
FORMATS = ("inline", "img")
ALIGNS = ("left", "center", "right")
#: Every attribute a fence understands.
FENCE_ATTRIBUTES = ("view", "theme", "lang", "alt", "caption", "align", "width", "format", "fit", "src", "zoom")

#: Codes of the problems a fence itself can have, in the core's numbering (FZ301/FZ302 are what
#: the core says of an unknown view/theme; the FZ9xx of src= files come from flowzap_docs.sources).
BAD_VIEW = "FZ301"
BAD_THEME = "FZ302"
BAD_ATTRIBUTE = "FZ310"
UNKNOWN_ATTRIBUTE = "FZ311"

_WIDTH = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>px|%|em|rem|vw|ch)?$")
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def known_themes() -> tuple[str, ...] | None:
    """The theme names the SVG core offers, or None when it does not publish a list."""
    try:
        from flowzap_docs.svg import theme as theme_module
    except ImportError:  # pragma: no cover - the core always ships its themes
        return None
    names = getattr(theme_module, "THEMES", None)
    if names is None:
        return None
    return tuple(names)


def check_theme(value: str) -> str | None:
    """None if ``value`` is an acceptable theme name, else the reason it is not."""
    themes = known_themes()
    if themes is not None:
        return None if value in themes else f"expected one of {', '.join(themes)}"
    return None if _NAME.match(value) else "expected a theme name such as 'default'"


def check_lang(value: str) -> str | None:
    return None if is_language_code(value) else "expected a language code such as 'fr' or 'pt_BR'"


def css_width(value: str) -> str | None:
    """``600`` -> ``600px``; ``80%`` stays; anything else (CSS injection included) -> None."""
    m = _WIDTH.match(value.strip())
    if m is None:
        return None
    return m.group("num") + (m.group("unit") or "px")


@dataclass(frozen=True)
class FenceOptions:
    """The validated attributes of one fence; ``None`` means "use the site default"."""

    view: str | None = None
    theme: str | None = None
    lang: str | None = None
    alt: str | None = None
    caption: str | None = None
    align: str | None = None
    width: str | None = None
    format: str | None = None
    fit: str | None = None
    src: str | None = None
    zoom: bool | None = None  # the viewer (flowzap_docs.viewer): None is the site's setting
    problems: tuple[Diagnostic, ...] = field(default=())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.problems if d.severity == "error")


def _problem(code: str, severity: str, message: str, hint: str | None = None) -> Diagnostic:
    # Line 0 / column 1: the fence's opening line once shifted by the fence's line offset.
    return Diagnostic(code, severity, message, 0, 1, hint)  # type: ignore[arg-type]


def parse_fence_options(inputs: dict[str, object]) -> FenceOptions:
    """Check every attribute; unknown names are warnings, bad values errors (the diagram is not drawn)."""
    values: dict[str, str | bool] = {}
    problems: list[Diagnostic] = []
    for key, raw in inputs.items():
        value = "" if raw is None or raw is True else str(raw)
        if key not in FENCE_ATTRIBUTES:
            problems.append(_problem(
                UNKNOWN_ATTRIBUTE, "warning", f"unknown fence attribute `{key}` (ignored)",
                f"known attributes: {', '.join(FENCE_ATTRIBUTES)}",
            ))
            continue
        reason: str | None = None
        if key == "view" and value not in VIEWS:
            reason = f"expected one of {', '.join(VIEWS)}"
        elif key == "format" and value not in FORMATS:
            reason = f"expected one of {', '.join(FORMATS)}"
        elif key == "align" and value not in ALIGNS:
            reason = f"expected one of {', '.join(ALIGNS)}"
        elif key == "fit":
            reason = check_fit(value)
        elif key == "theme":
            reason = check_theme(value)
        elif key == "lang":
            reason = check_lang(value)
        elif key == "width":
            width = css_width(value)
            reason = None if width else "expected a length such as 600, 600px or 80%"
            value = width or value
        elif key == "src" and not value.strip():
            reason = "expected a path to a .fz file, relative to the page"
        elif key == "zoom":
            switch = parse_switch(value)
            if switch is None:
                reason = f"expected {SWITCH_VALUES}"
            else:
                values[key] = switch
                continue
        if reason is not None:
            code = {"view": BAD_VIEW, "theme": BAD_THEME}.get(key, BAD_ATTRIBUTE)
            problems.append(_problem(code, "error", f"bad fence attribute {key}=\"{value}\"", reason))
            continue
        values[key] = value
    return FenceOptions(**values, problems=tuple(problems))  # type: ignore[arg-type]


_OPTION = re.compile(r"""(?P<key>[A-Za-z][\w-]*)(?:=(?:(?P<quot>["'])(?P<quoted>.*?)(?P=quot)|(?P<bare>[^\s"']+)))?""")


def parse_fence_header(info: str) -> tuple[str, dict[str, object], str, list[str]]:
    """Split a fence's info string into (language, attributes, id, extra classes).

    Used by our own preprocessor when SuperFences is absent; SuperFences does this itself.
    """
    info = info.strip()
    language = fence_language(info)
    inputs: dict[str, object] = {}
    element_id = ""
    classes: list[str] = []
    brace = re.search(r"\{(.*)\}\s*$", info)
    if brace:
        try:
            from markdown.extensions.attr_list import get_attrs_and_remainder

            attrs = get_attrs_and_remainder(brace.group(1))[0]
        except ImportError:  # Python-Markdown < 3.6
            from markdown.extensions.attr_list import get_attrs

            attrs = get_attrs(brace.group(1))
        for key, value in attrs:
            if key == "id":
                element_id = value or ""
            elif key == ".":
                classes.append(value or "")
            else:
                inputs[key] = value
        if classes and classes[0] == language:
            classes.pop(0)
    else:
        rest = re.sub(r"^\.?[\w#.+-]+", "", info, count=1) if language else info
        for m in _OPTION.finditer(rest):
            value = m.group("quoted") if m.group("quot") else m.group("bare")
            inputs[m.group("key")] = m.group("key") if value is None else value
    return language, inputs, element_id, classes
