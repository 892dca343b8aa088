"""SVG output: shared theme, text drawing and the workflow picture."""
