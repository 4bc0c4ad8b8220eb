"""Fixtures of the TUI tests: snapshots kept in tests/tui/snapshots/<module>/, Textual on asyncio."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot  # type: ignore[import-untyped]

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def _dirname(cls: type, *, test_location: object) -> str:
    return str(SNAPSHOTS / str(getattr(test_location, "basename")))  # noqa: B009


# Keep the SVGs in tests/tui/snapshots/<module>/ instead of syrupy's __snapshots__.
setattr(pytest_textual_snapshot.SVGImageExtension, "dirname", classmethod(_dirname))  # noqa: B010


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"
