"""The one SVG writer: every view builds its drawing from svgwrite elements made here.

svgwrite (https://pypi.org/project/svgwrite/) holds the element tree; a drawing is built once,
element by element, through a :class:`Writer` (svgwrite's "factory": every element takes its
parameters from it) and written out once by :meth:`Writer.finish`.  Two modes, same drawing code:

* fast (the default): svgwrite's ``debug=False``, so no attribute is validated while building,
  and the tree is written by :func:`serialize`, one walk over the elements' attributes and
  children.  svgwrite's own ``tostring()`` builds an ``xml.etree`` tree and serialises that: on
  a 20-node diagram it cost more than drawing the whole diagram, for the same markup.
* validating (``Writer(debug=True)``, or every writer made inside :func:`validating`): svgwrite's
  ``debug=True`` checks each attribute name and value against SVG 1.1 Full and each child
  against its parent as the tree is built; :meth:`Writer.finish` then also has svgwrite write
  the tree itself (validating every element again) and fails unless that is the same document,
  after XML canonicalisation, as the fast writer's.  The test suite draws every example in every
  view this way.

The validator knows SVG 1.1, which predates the attributes the diagrams need for accessibility
and for scripts and tests (``role``, ``aria-labelledby``, ``data-*``; SVG 2 allows all of them):
:data:`EXTRA_ATTRIBUTES` lists exactly those each element may carry, added to a private copy of
svgwrite's tables the way svgwrite's own extensions (``svgwrite.extensions.inkscape``) add
theirs.  An attribute not in SVG 1.1 nor in that list fails validation: add it there.

Attributes are written in the order they were given (the order the drawing code reads best in,
and the order of earlier output); numbers are passed already formatted by :func:`num`, so the
output is byte-identical run to run and independent of svgwrite's number formatting.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar
from xml.etree.ElementTree import canonicalize

from svgwrite.base import BaseElement
from svgwrite.container import SVG, Defs, Group, Marker
from svgwrite.data.types import SVGAttribute
from svgwrite.params import Parameter
from svgwrite.path import Path
from svgwrite.shapes import Circle, Rect
from svgwrite.text import Text, TSpan
from svgwrite.utils import strlist
from svgwrite.validator2 import Full11Validator

__all__ = ["EXTRA_ATTRIBUTES", "SVG_NS", "Writer", "add", "esc", "esc_attr", "num", "serialize", "validating"]

SVG_NS = "http://www.w3.org/2000/svg"

#: Attributes beyond SVG 1.1 that an element may carry (all plain strings).
EXTRA_ATTRIBUTES: Mapping[str, tuple[str, ...]] = {
    "svg": ("role", "aria-labelledby", "data-view"),
    "g": ("data-lane", "data-loop", "data-node", "data-shape", "data-from", "data-to", "data-from-handle",
          "data-to-handle", "data-edge", "data-from-lane", "data-to-lane", "data-stereotype", "data-edges"),
    "rect": ("data-lane",),
}

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even when escaped:
# drop them so a stray control character in a label never makes the SVG unparseable.
_CONTROL: dict[int, str | None] = {c: None for c in (*range(0x00, 0x20), 0xFFFE, 0xFFFF)}
_CONTROL.update({0x09: "&#9;", 0x0A: "&#10;", 0x0D: "&#13;"})  # kept, as character references
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_CONTROL: dict[int, str | None] = {c: None for c in _CONTROL if c not in (0x09, 0x0A, 0x0D)}


def num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing ``.0`` and no ``-0``."""
    if not -1e12 < value < 1e12:
        return f"{value:.1f}"
    tenths = round(value * 10)
    if tenths % 10 == 0:
        return str(tenths // 10)
    return str(tenths / 10)


def esc(text: str) -> str:
    """Escape text content (fast path: plain printable text only needs ``& < >`` replaced)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if not text.isprintable():
        text = _SURROGATE.sub("", text.translate(_CONTROL))
    return text


def esc_attr(text: str) -> str:
    """Escape an attribute value (double-quoted)."""
    if text.isascii() and text.isidentifier():
        return text  # ids, shapes and sides (``n12``, ``diamond``): letters, digits and ``_`` only
    text = esc(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def xml_chars(text: str) -> str:
    """``text`` without the characters XML cannot hold at all (kept: tab, newline, return).

    Applied to character data as it goes into an element, so the tree only holds what any XML
    writer (svgwrite's own included) can write."""
    if text.isprintable():
        return text
    return _SURROGATE.sub("", text.translate(_TEXT_CONTROL))


class _Validator(Full11Validator):
    """svgwrite's SVG 1.1 Full validator, plus :data:`EXTRA_ATTRIBUTES`, on private tables."""

    def __init__(self) -> None:
        super().__init__(debug=True)
        self.attributes = dict(self.attributes)
        self.elements = dict(self.elements)
        for element, names in EXTRA_ATTRIBUTES.items():
            for name in names:
                self.attributes.setdefault(name, SVGAttribute(name, anim=False, types=frozenset(["string"]),
                                                              const=frozenset()))
            extended = copy.copy(self.elements[element])
            extended.valid_attributes = extended.valid_attributes | frozenset(names)
            self.elements[element] = extended


class _FastParameter(Parameter):
    """svgwrite's ``debug=False`` for good, as a plain attribute: svgwrite reads it (through a
    property) at every attribute it sets and every child it adds."""

    debug = False  # type: ignore[assignment]


_E = TypeVar("_E", bound=BaseElement)
_FAST = _FastParameter(debug=False, profile="full")
_VALIDATE = Parameter(debug=True, profile="full")
_VALIDATE.validator = _Validator()
_VALIDATING: ContextVar[bool] = ContextVar("flowzap_svg_validating", default=False)


@contextmanager
def validating() -> Iterator[None]:
    """Every :class:`Writer` made inside (in this thread or task) validates: for tests."""
    token = _VALIDATING.set(True)
    try:
        yield
    finally:
        _VALIDATING.reset(token)


class _Content(BaseElement):
    """An element holding character data only (svgwrite's ``Title``/``Desc`` take no ``id``
    and its ``Style`` adds ``type`` and a CDATA section)."""

    def __init__(self, content: str, **extra: object) -> None:
        super().__init__(**extra)
        self.text = content

    def get_xml(self):  # noqa: ANN201 - svgwrite's hook (an xml.etree element)
        xml = super().get_xml()
        xml.text = self.text
        return xml


class Title(_Content):
    elementname = "title"


class Desc(_Content):
    elementname = "desc"


class Style(_Content):
    """The stylesheet, written as is: ours, and ``>`` in it is a CSS combinator."""

    elementname = "style"


class Writer:
    """Makes the svgwrite elements of one drawing (svgwrite reads ``_parameter`` off its
    factory: debug mode and profile).  ``debug=None``: validating inside :func:`validating`.

    Each element is made by its svgwrite class and then given its attributes, all at once and
    in the order given (:meth:`_set`); keyword names are spelled as svgwrite spells them
    (``class_`` is ``class``, ``data_node`` is ``data-node``).
    """

    __slots__ = ("_parameter", "debug")

    def __init__(self, debug: bool | None = None) -> None:
        self.debug = _VALIDATING.get() if debug is None else debug
        self._parameter = _VALIDATE if self.debug else _FAST

    def _set(self, element: _E, attrs: dict[str, str]) -> _E:
        """Give ``element`` exactly ``attrs``, in that order (replacing its constructor's defaults).

        Validating, each goes through svgwrite's checked ``element[name] = value``; otherwise
        (``debug=False``, where that check is a no-op) straight into svgwrite's ``attribs``:
        per attribute, the call cost more than the rest of the drawing did."""
        if self.debug:
            element.attribs = {}
            for name, value in attrs.items():
                element[name] = value
        else:
            element.attribs = attrs
        return element

    def _element(self, cls: type[_E], attrs: dict[str, str], text: str | None = None) -> _E:
        """An element of svgwrite's class ``cls`` holding ``attrs`` (and ``text``).

        Validating, made by svgwrite's constructor and checked attribute by attribute
        (:meth:`_set`).  Otherwise made with the fields that constructor would leave it with
        (its factory's parameters, attributes, children, character data): with ``debug=False``
        the constructor only fills in defaults that :meth:`_set` replaces at once, and it was
        three quarters of the cost of making an element, the most frequent thing a drawing
        does.  The validating test draws every example both ways and requires the same text.
        """
        if self.debug:
            return self._set(cls(text, factory=self) if text is not None else cls(factory=self), attrs)
        element = object.__new__(cls)
        element._parameter = self._parameter
        element.attribs = attrs
        element.elements = []
        if text is not None:
            element.text = text
        return element

    def svg(self, attrs: dict[str, str]) -> SVG:
        """The root element, attributes as given (in that order), without svgwrite's own
        ``<defs>`` (the envelope adds its ``<defs>`` after ``<title>``, ``<desc>`` and ``<style>``)."""
        root = self._set(SVG(factory=self), attrs)
        root.elements.remove(root.defs)
        return root

    def defs(self) -> Defs:
        return Defs(factory=self)

    def title(self, text: str, **attrs: str) -> Title:
        return self._set(Title(xml_chars(text), factory=self), _spelled(attrs))

    def desc(self, text: str, **attrs: str) -> Desc:
        return self._set(Desc(xml_chars(text), factory=self), _spelled(attrs))

    def style(self, css: str) -> Style:
        return Style(css, factory=self)

    def marker(self, attrs: dict[str, str]) -> Marker:
        return self._set(Marker(factory=self, id=attrs["id"]), attrs)

    def g(self, cls: str | None = None, **attrs: str) -> Group:
        """``<g class=cls ...>``."""
        return self._element(Group, {"class": cls, **_spelled(attrs)} if cls else _spelled(attrs))

    def rect(self, x: float, y: float, width: float, height: float, cls: str = "", rx: float = 0,
             **attrs: str) -> Rect:
        """``<rect>`` (a negative size is drawn as empty, rather than being invalid SVG)."""
        geometry = {"x": num(x), "y": num(y), "width": num(max(width, 0)), "height": num(max(height, 0))}
        if rx:
            geometry["rx"] = num(rx)
        if attrs:
            geometry = {**_spelled(attrs), **geometry}
        return self._element(Rect, {"class": cls, **geometry} if cls else geometry)

    def circle(self, cx: float, cy: float, r: float, cls: str = "") -> Circle:
        geometry = {"cx": num(cx), "cy": num(cy), "r": num(r)}
        return self._element(Circle, {"class": cls, **geometry} if cls else geometry)

    def path(self, d: str, cls: str = "") -> Path:
        if self.debug:
            return self._set(Path(d=d, factory=self), {"class": cls} if cls else {})
        element = self._element(Path, {"class": cls} if cls else {})
        element.commands = [d]  # as Path(d=d) pushes it; written as the ``d`` attribute
        return element

    def text(self, content: str, attrs: dict[str, str]) -> Text:
        """``<text>`` with ``attrs`` (``x``, ``y`` and what differs from the stylesheet).
        (Coordinates are attributes here: svgwrite's ``x=`` takes a list, flattened per call.)"""
        return self._element(Text, attrs, xml_chars(content))

    def tspan(self, content: str, x: str, dy: str) -> TSpan:
        return self._element(TSpan, {"x": x, "dy": dy}, xml_chars(content))

    def finish(self, root: BaseElement) -> str:
        """The SVG text of ``root``; when validating, also checked against svgwrite's own."""
        svg = serialize(root)
        if self.debug:
            theirs = root.tostring()  # svgwrite's get_xml(): every attribute validated again
            if canonicalize(theirs) != canonicalize(svg):
                raise ValueError("the SVG written differs from svgwrite's own serialisation of the same tree")
        return svg


_SPELLING: dict[str, str] = {}


def _spelled(attrs: dict[str, str]) -> dict[str, str]:
    """Keyword names as svgwrite's ``update()`` spells them, remembered (a handful of names)."""
    out = {}
    for key, value in attrs.items():
        name = _SPELLING.get(key)
        if name is None:
            name = _SPELLING[key] = key.rstrip("_").replace("_", "-")
        out[name] = value
    return out


def add(parent: BaseElement, *children: BaseElement | None) -> BaseElement:
    """Add ``children`` to ``parent`` in order, skipping ``None`` (a text block with no line).
    Validating, through svgwrite's ``add()`` (which checks the child is allowed there);
    otherwise that ``add()`` only appends, so they are appended at once."""
    if parent.debug:
        for child in children:
            if child is not None:
                parent.add(child)
    else:
        parent.elements.extend([child for child in children if child is not None])
    return parent


def serialize(element: BaseElement) -> str:
    """The markup of ``element`` and its children: attributes in the order set, values as
    svgwrite writes them (``None`` and ``""`` left out), ``<x/>`` when empty.

    Attribute values are written first without escaping, all collected and checked once at
    the end (ids, classes, numbers and path data: they never need it); if any needs it, the
    whole is written again escaping each.  Text is escaped as it is written."""
    out: list[str] = []
    values: list[str] = []
    _write(element, out, values)
    try:
        plain = "".join(values)
    except TypeError:  # a value that is not a string (None, a number): the careful way
        plain = "&"
    if ("&" not in plain and "<" not in plain and ">" not in plain and '"' not in plain
            and plain.isprintable()):
        return "".join(out)
    out.clear()
    _write(element, out, None)
    return "".join(out)


def _write(element: BaseElement, out: list[str], values: list[str] | None) -> None:
    """Write ``element``: attribute values as they are, collected in ``values`` (to be checked
    once), or with ``values=None`` each escaped.  Text is always escaped (the stylesheet: never)."""
    name = element.elementname
    attribs = element.attribs
    kind = type(element)
    if kind is Path:
        attribs["d"] = strlist(element.commands, " ")  # as svgwrite's Path.get_xml
    if values is not None:
        values.extend(attribs.values())
        markup = "".join([f' {key}="{value}"' for key, value in attribs.items() if value])
    else:
        markup = "".join([f' {key}="{esc_attr(str(value))}"' for key, value in attribs.items()
                          if value is not None and value != ""])
    children = element.elements
    if kind in _WITH_TEXT:
        text = element.text
        out.append(f"<{name}{markup}>{text if kind is Style else esc(text)}")
    elif children:
        out.append(f"<{name}{markup}>")
    else:
        out.append(f"<{name}{markup}/>")
        return
    for child in children:
        _write(child, out, values)
    out.append(f"</{name}>")


#: Elements with character data (``.text``), written before their children.
_WITH_TEXT = frozenset({Text, TSpan, Title, Desc, Style})
