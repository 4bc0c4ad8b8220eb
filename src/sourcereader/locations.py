"""Where sourcereader keeps the user's things, resolved lazily and overridable.

``SOURCEREADER_HOME`` (if set) holds everything: ``data/``, ``config/`` and ``cache/``
beneath it — Argos Translate's folders too (:func:`argos_base_dirs`). Otherwise the
platform's directories (platformdirs) are used, and Argos keeps its own shared ones. Nothing
here touches the disk at import time; each function creates its directory when called.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "sourcereader"


def _home() -> Path | None:
    value = os.environ.get("SOURCEREADER_HOME", "").strip()
    return Path(value).expanduser() if value else None


def _ensure(path: Path) -> Path:
    # Check first: mkdir on an existing directory inside a read-only one fails with EACCES.
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """The user data directory: the database and the user's own library live here."""
    home = _home()
    if home is not None:
        return _ensure(home / "data")
    import platformdirs

    return _ensure(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    """The configuration directory (key bindings, preferences)."""
    home = _home()
    if home is not None:
        return _ensure(home / "config")
    import platformdirs

    return _ensure(Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def cache_dir() -> Path:
    """The cache directory: things that can be rebuilt at any time."""
    home = _home()
    if home is not None:
        return _ensure(home / "cache")
    import platformdirs

    return _ensure(Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)))


def argos_base_dirs() -> dict[str, Path]:
    """The XDG base directories Argos Translate is to use, as ``{"XDG_DATA_HOME": ..., ...}``.

    With ``SOURCEREADER_HOME`` set, they are its ``data/``, ``config/`` and ``cache/``: Argos
    then keeps its packages in ``data/argos-translate/packages`` (unless ``ARGOS_PACKAGES_DIR``
    says otherwise), its ``settings.json`` in ``config/argos-translate`` and its downloads in
    ``cache/argos-translate``, and creates nothing under ``$HOME``. Without it the mapping is
    empty: Argos' own shared locations (``~/.local/share/argos-translate``, …), which
    ``argospm`` uses too.
    """
    if _home() is None:
        return {}
    return {"XDG_DATA_HOME": data_dir(), "XDG_CONFIG_HOME": config_dir(), "XDG_CACHE_HOME": cache_dir()}


def database_path() -> Path:
    """The SQLite database holding annotations, corrections, caches and machine translations."""
    return data_dir() / "sourcereader.db"


def user_library_dir() -> Path:
    """The user's own library: ``sources/`` and ``translations/`` like the bundled one."""
    return _ensure(data_dir() / "library")


def bundled_library_dir() -> Path:
    """The library shipped with sourcereader.

    Inside an installed wheel it sits in the package (``sourcereader/_library``); in a
    checkout (editable install or PYTHONPATH=src) it is the repository root.
    """
    package = Path(__file__).resolve().parent
    installed = package / "_library"
    if (installed / "sources").is_dir():
        return installed
    return package.parent.parent
