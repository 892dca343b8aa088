"""A small site that uses every feature of the flowzap directive (see tests/test_sphinx.py)."""

project = "flowzap-test"
extensions = ["myst_parser", "flowzap_docs.sphinx_ext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "basic"
numfig = True
language = "en"
man_pages = [("index", "flowzaptest", "flowzap test site", [], 1)]
