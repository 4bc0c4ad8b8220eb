"""Helpers shared by the test folders: small texts, the TUI test app, synthetic Argos packages."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
"""The checkout: ``sources/`` and ``translations/`` of the bundled library live here."""
