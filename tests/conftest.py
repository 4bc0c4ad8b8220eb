"""Fixtures shared by every test: keep the developer's own data and Argos models out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcereader.core.documents import Library
from sourcereader.core.store import Store


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SOURCEREADER_HOME and Argos home: the real ones are never touched."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SOURCEREADER_HOME", str(home / "sourcereader"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))
    monkeypatch.setenv("TEXTUAL_CURSOR_BLINK", "0")
    return home


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    s = Store.memory()
    yield s
    s.close()


@pytest.fixture
def library(store: Store) -> Library:
    """The bundled library plus the (empty) user library of the isolated home."""
    return Library.default(cache=store)
