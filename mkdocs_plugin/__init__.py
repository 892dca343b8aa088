"""MkDocs plugin and Markdown fence for ``flowzap`` (placeholder until the MkDocs issue lands)."""
