"""Text measurement and wrapping with real font metrics (Liberation Sans = Arial widths)."""
