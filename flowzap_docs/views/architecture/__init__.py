"""The architecture view: lanes become components, cross-lane edges become dependencies.

:mod:`.graph` (lane dependency graph, cycles, layers, order) -> :mod:`.layout` (boxes, ports,
routing, labels) -> :mod:`.draw` (SVG); :func:`.draw.render_architecture` is the entry point.
"""
