"""The sequence view: lanes become lifelines, edges become messages in time order.

:mod:`.model` (what the edges mean as a conversation) -> :mod:`.layout` (where things go) ->
:mod:`.draw` (SVG); :func:`.draw.render_sequence` is the entry point.
"""
