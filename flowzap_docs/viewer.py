"""The diagram viewer's switch: what both adapters need to turn it on or off, per site and per diagram.

The viewer itself is a script and a stylesheet (``static/flowzap-viewer.js``/``.css``, listed in
:data:`flowzap_docs.assets.VIEWER_ASSETS`) that gives every diagram an "Enlarge diagram" button
when the page loads.  The button is made by the script, not written into the page, so a diagram
costs no markup when the viewer is on, a page without JavaScript shows no dead button, and
inline SVG and ``<img>`` diagrams are handled alike.  A diagram with the viewer off carries
:data:`NO_ZOOM_CLASS`; a page where no diagram has it on does not link the viewer at all.

The switch is named ``zoom`` in both hosts (like sphinxcontrib-mermaid's ``:zoom:``): the site
setting (``flowzap_zoom`` in Sphinx, ``zoom:`` of the MkDocs plugin) is the default, and a
diagram's own ``zoom`` option wins, either way.
"""

from __future__ import annotations

#: The class of a diagram's figure when its viewer is off (the script skips those).
NO_ZOOM_CLASS = "flowzap-nozoom"

_ON = frozenset({"", "true", "on", "yes", "1", "zoom"})
_OFF = frozenset({"false", "off", "no", "0"})

#: What :func:`parse_switch` accepts, for messages.
SWITCH_VALUES = "true or false (also on/off, yes/no)"


def parse_switch(value: str | bool | None) -> bool | None:
    """``zoom``'s value as written (a bare flag is ``""`` or the option's own name) -> on/off; None if unknown."""
    if isinstance(value, bool):
        return value
    text = (value or "").strip().lower()
    if text in _ON:
        return True
    if text in _OFF:
        return False
    return None
