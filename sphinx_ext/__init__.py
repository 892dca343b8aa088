"""Sphinx extension: the ``.. flowzap::`` directive (placeholder until the Sphinx issue lands)."""
