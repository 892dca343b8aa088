"""The workflow view: lanes of nodes with connectors between fixed-side handles (swimlanes).

The pipeline, one step a module: :mod:`.layout` (the layered engine, one module per phase)
produces a :class:`.geometry.WorkflowLayout`, which :mod:`.draw` turns into SVG.  The entry point
registered in :data:`flowzap_docs.render.VIEWS` is :func:`.draw.render_workflow`.
"""
