"""Headless Chromium for tests that must measure what a real browser draws (see chromium.py)."""
