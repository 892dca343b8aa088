"""Layout helpers shared by the three views: plain geometry and fitting text into boxes.

Each view has its own layout next to its drawing (``flowzap_docs.views.<view>.layout``); what
they all place is described here: :mod:`.geometry` (``Point``, ``Rect``, ``TextBlock``) and
:mod:`.textfit` (wrapping and measuring text for a box).
"""
