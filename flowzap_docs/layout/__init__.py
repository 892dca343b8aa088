"""The workflow layout engine: layered phases, one module each (see ``../shared/LAYOUT.md``)."""
