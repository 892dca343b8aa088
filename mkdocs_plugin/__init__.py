"""MkDocs plugin and Python-Markdown extension for ```` ```flowzap ```` fences.

- ``plugins: [flowzap]`` in mkdocs.yml (:mod:`.plugin`) is all an MkDocs site needs;
- ``markdown.markdown(text, extensions=["flowzap"])`` (:mod:`.extension`) without MkDocs;
- :func:`fence_format` and :func:`fence_validator` follow SuperFences' custom-fence contract, for
  those who list ``custom_fences`` themselves.

A thin adapter: parsing, drawing, caching and translation all happen in :mod:`flowzap_docs.pipeline`.
"""

from .fence import custom_fence, fence_format, fence_validator

__all__ = ["custom_fence", "fence_format", "fence_validator"]
