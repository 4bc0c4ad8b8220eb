"""Argos Translate as a package manager: what is installed, installing, removing, the model hash.

Where Argos packages live
    Wherever Argos Translate itself looks (``argostranslate.settings``, read when it is first
    imported): ``$ARGOS_PACKAGES_DIR`` if set, else ``"ARGOS_PACKAGES_DIR"`` in
    ``$XDG_CONFIG_HOME/argos-translate/settings.json``, else
    ``$XDG_DATA_HOME/argos-translate/packages``. With ``SOURCEREADER_HOME`` set, the XDG
    folders are its ``data/``, ``config/`` and ``cache/`` (``locations.argos_base_dirs``), so
    Argos creates nothing under ``$HOME``; without it they are Argos' shared defaults
    (``~/.local/share/argos-translate/packages``, …), and ``argospm`` and sourcereader share
    one set of packages. ``sourcereader models install`` installs there too.

Argos is imported in one place, :func:`_argos`, so that the folders are set before it is.
Its ``translate`` module (which pulls in torch through stanza) is never imported here.

Packages are only *managed* here; :mod:`.argos` loads and runs them. It subscribes with
:func:`on_package_changed` to drop a loaded model when its package is replaced or removed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Argos' own version parser (argostranslate.package imports it): PEP 440, so "1.10" sorts after "1.9".
from packaging.version import InvalidVersion, Version

from sourcereader.core.translation.errors import PIVOT_LANGUAGE, PackageError, package_name

#: How long ``models install FROM TO`` waits for the Argos package index before giving up.
INDEX_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class PackageInfo:
    """An installed Argos translation package, as far as sourcereader cares."""

    name: str
    """The ``argospm`` name, ``translate-ru_en``."""
    source: str
    target: str
    version: str
    path: Path
    """The installed package directory."""
    size_bytes: int
    synthetic: bool
    """A random-weight test package: its output must never be shown as a translation."""
    target_prefix: str = ""
    """A token Argos prepends to the target (multilingual packages); stripped from the output."""

    @property
    def label(self) -> str:
        """``translate-ru_en 1.9`` — how provenance and listings name the package."""
        return f"{self.name} {self.version}"


# --------------------------------------------------------------------------- Argos itself

_import_lock = threading.Lock()


def _argos() -> tuple[Any, Any]:
    """Argos' ``package`` and ``settings`` modules — the one place argostranslate is imported.

    ``argostranslate.settings`` reads its folders from the environment once, when it is first
    imported, and creates them there and then. So the first import runs with the XDG
    variables of :func:`sourcereader.locations.argos_base_dirs` (none without
    ``SOURCEREADER_HOME``), which are put back afterwards: Argos keeps what it read, and no
    other library or child process sees them.
    """
    if "argostranslate.settings" not in sys.modules:
        from sourcereader import locations

        with _import_lock, _environment(locations.argos_base_dirs()):
            from argostranslate import package, settings
    from argostranslate import package, settings

    return package, settings


@contextlib.contextmanager
def _environment(values: Mapping[str, Path]) -> Iterator[None]:
    """Set environment variables for the duration of the block; restore only those afterwards.

    (``unittest.mock.patch.dict`` would restore the whole environment, and with it undo what
    Argos sets for itself on import, ``KMP_DUPLICATE_LIB_OK``.)
    """
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update({name: str(path) for name, path in values.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def argos_packages_dir() -> Path:
    """The directory Argos installs packages into (see the module docstring for how it is chosen)."""
    _, settings = _argos()
    return Path(settings.package_data_dir)


# --------------------------------------------------------------------------- the installed packages


def _is_synthetic(metadata: dict[str, Any], readme: str | None) -> bool:
    marker = metadata.get("synthetic")
    if marker is True or (isinstance(marker, str) and marker.lower() in ("1", "true", "yes")):
        return True
    # A README that says "random weights" is the second, human-readable marker (see tests/support/argos.py).
    return readme is not None and "random weights" in readme.lower()


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _package_info(pkg: Any) -> PackageInfo | None:
    """Our view of an ``argostranslate.package.Package``; ``None`` if it is not a usable translate package."""
    path = Path(pkg.package_path)
    if getattr(pkg, "type", "translate") != "translate" or not pkg.from_code or not pkg.to_code:
        return None
    if not (path / "model").is_dir() or not (path / "sentencepiece.model").is_file():
        # BPE (bpe.model) packages are old and need sacremoses; we only drive SentencePiece ones.
        return None
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        metadata = {}
    readme = pkg.get_readme() if hasattr(pkg, "get_readme") else None
    return PackageInfo(
        name=package_name(pkg.from_code, pkg.to_code),
        source=pkg.from_code,
        target=pkg.to_code,
        version=str(pkg.package_version or "?"),
        path=path,
        size_bytes=_dir_size(path),
        synthetic=_is_synthetic(metadata, readme),
        target_prefix=getattr(pkg, "target_prefix", "") or "",
    )


def installed_packages() -> list[PackageInfo]:
    """The installed Argos translation packages, sorted by name.

    Uses ``argostranslate.package.get_installed_packages()``. That call fails as a whole if one
    directory lacks ``metadata.json`` (a half-copied package); then each directory is tried on its
    own so one broken package does not hide the others.
    """
    package, settings = _argos()
    try:
        raw = package.get_installed_packages()
    except (OSError, ValueError):
        raw = []
        for directory in settings.package_dirs:
            for path in Path(directory).iterdir():
                if path.is_dir():
                    try:
                        raw.append(package.Package(path))
                    except (OSError, ValueError):
                        continue
    infos = [info for info in (_package_info(p) for p in raw) if info is not None]
    return sorted(infos, key=lambda i: (i.name, i.version))


def version_key(version: str) -> tuple[bool, Version, str]:
    """A sort key for package versions: PEP 440 order, so "1.10" comes after "1.9" and "2.0rc1" before "2.0".

    ``_`` is read as ``.`` ("1_9", as in package folder names) when the text is not PEP 440
    as it is. A version that is not PEP 440 either way ("?" when a package names none, "beta")
    sorts before every one that is, and among such versions by its text.
    """
    for candidate in (version, version.replace("_", ".")):
        with contextlib.suppress(InvalidVersion):
            return (True, Version(candidate), "")
    return (False, _NO_VERSION, version)


_NO_VERSION = Version("0")


def newest_packages(packages: Iterable[PackageInfo]) -> list[PackageInfo]:
    """The newest version (:func:`version_key`) of each language pair among ``packages``."""
    best: dict[tuple[str, str], PackageInfo] = {}
    for info in packages:
        pair = (info.source, info.target)
        if pair not in best or version_key(info.version) > version_key(best[pair].version):
            best[pair] = info
    return list(best.values())


# --------------------------------------------------------------------------- installing and removing

_listeners: list[Callable[[Path], None]] = []


def on_package_changed(listener: Callable[[Path], None]) -> None:
    """Call ``listener(package_dir)`` whenever an installed package is replaced or removed."""
    _listeners.append(listener)


def _changed(path: Path) -> None:
    for listener in _listeners:
        listener(path)


def _read_archive_metadata(path: Path) -> dict[str, Any]:
    """Check that ``path`` is an ``.argosmodel`` zip with one root folder, metadata and a model."""
    if not path.is_file():
        raise PackageError(f"No such file: {path}")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path} is not an Argos package (.argosmodel files are zip archives).")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        roots = {n.split("/", 1)[0] for n in names if n.strip("/")}
        if len(roots) != 1:
            raise PackageError(
                f"{path} is not an Argos package: expected one top-level folder, found {len(roots)}."
            )
        root = roots.pop()
        if f"{root}/metadata.json" not in names:
            raise PackageError(f"{path} is not an Argos package: {root}/metadata.json is missing.")
        if f"{root}/model/model.bin" not in names or f"{root}/sentencepiece.model" not in names:
            raise PackageError(
                f"{path} has no CTranslate2 model with a SentencePiece tokenizer ({root}/model/model.bin, "
                f"{root}/sentencepiece.model); sourcereader cannot use it."
            )
        try:
            metadata = json.loads(zf.read(f"{root}/metadata.json"))
        except ValueError as err:
            raise PackageError(f"{path}: metadata.json is not valid JSON ({err}).") from err
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise PackageError(f"{path}: metadata.json does not name from_code and to_code.")
    metadata["_root"] = root
    return metadata


def _argos_install(path: Path) -> None:
    """Install an archive into Argos' package directory.

    ``argostranslate.package.install_from_path`` does exactly this, then imports
    ``argostranslate.translate`` (and with it stanza and torch, ~2-3 s) only to clear that
    module's language cache. When that module is not loaded there is no cache to clear, so we
    extract under Argos' own lock ourselves and keep ``models install`` fast.
    """
    package, settings = _argos()
    if "argostranslate.translate" in sys.modules:
        package.install_from_path(path)
        return
    with package.package_lock, zipfile.ZipFile(path) as zf:
        zf.extractall(path=settings.package_data_dir)


def _argos_uninstall(info: PackageInfo) -> None:
    """Remove an installed package (``argostranslate.package.uninstall`` without the torch import)."""
    package, _ = _argos()
    if "argostranslate.translate" in sys.modules:
        package.uninstall(package.Package(info.path))
        return
    with package.package_lock:
        shutil.rmtree(info.path)


def install_package_file(path: Path) -> PackageInfo:
    """Install an ``.argosmodel`` file; an installed package for the same pair is replaced."""
    metadata = _read_archive_metadata(path)
    source, target = str(metadata["from_code"]), str(metadata["to_code"])
    destination = argos_packages_dir() / str(metadata["_root"])
    _argos_install(path)
    installed = installed_packages()
    new = next((info for info in installed if info.path == destination), None)
    if new is None:
        raise PackageError(f"{path} was extracted to {destination} but Argos does not list it as a package.")
    # Only now that the new package works is the old one for the same pair removed.
    for old in installed:
        if (old.source, old.target) == (source, target) and old.path != destination:
            _changed(old.path)
            _argos_uninstall(old)
    _changed(destination)
    return new


def _fetch_index(url: str, timeout: float) -> bytes:
    """Fetch the Argos package index (Argos' ``update_package_index`` has no timeout and hides errors)."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as response:
        data: bytes = response.read()
        return data


def install_from_index(source: str, target: str, *, timeout: float = INDEX_TIMEOUT_SECONDS) -> PackageInfo:
    """Download and install ``translate-{source}_{target}`` from the Argos package index.

    Fails fast (``timeout``) with guidance when the index cannot be reached.
    """
    package, settings = _argos()
    try:
        data = _fetch_index(settings.remote_package_index, timeout)
        index = json.loads(data)
    except (OSError, ValueError) as err:
        raise PackageError(
            f"Could not reach the Argos package index ({settings.remote_package_index}): {err}. "
            f"Without a network, get {package_name(source, target)}.argosmodel elsewhere and run "
            "`sourcereader models install FILE.argosmodel`."
        ) from err
    # Argos' own copy of the index, so that argospm sees the same list; we do not need it ourselves.
    with contextlib.suppress(OSError):
        Path(settings.local_package_index).write_bytes(data)
    candidates = [
        package.AvailablePackage(meta)
        for meta in index
        if isinstance(meta, dict) and meta.get("from_code") == source and meta.get("to_code") == target
    ]
    if not candidates:
        pairs = sorted({f"{m.get('from_code')}→{m.get('to_code')}" for m in index if isinstance(m, dict)})
        hint = ""
        if PIVOT_LANGUAGE not in (source, target):
            hint = (
                f" Try {source} {PIVOT_LANGUAGE} and {PIVOT_LANGUAGE} {target}: "
                "sourcereader pivots through English."
            )
        raise PackageError(
            f"The Argos index has no {package_name(source, target)} package "
            f"({len(pairs)} pairs available).{hint}"
        )
    try:
        download = Path(candidates[0].download())
    except Exception as err:  # Argos raises a bare Exception when every mirror fails
        raise PackageError(f"Downloading {package_name(source, target)} failed: {err}") from err
    try:
        return install_package_file(download)
    finally:
        download.unlink(missing_ok=True)


def remove_package(name_or_source: str, target: str | None = None) -> list[PackageInfo]:
    """Remove installed packages by name (``translate-ru_en``) or by pair; return what was removed."""
    wanted = package_name(name_or_source, target) if target else name_or_source
    removed = [info for info in installed_packages() if info.name == wanted or info.path.name == wanted]
    if not removed:
        raise PackageError(
            f"No installed package {wanted}. `sourcereader models list` shows what is installed."
        )
    for info in removed:
        _changed(info.path)
        _argos_uninstall(info)
    return removed


# --------------------------------------------------------------------------- model hashes


def _model_files(path: Path) -> list[Path]:
    files = [p for p in sorted((path / "model").rglob("*")) if p.is_file()]
    return [*files, path / "sentencepiece.model"]


def model_hash(path: Path) -> str:
    """sha256 over the package's model directory and tokenizer, in file-name order.

    Hashing a real model (~100 MB) takes a fraction of a second; it is done once per package
    and process and redone only when a file's size or mtime changes (they are part of the
    memo's key).
    """
    signature = tuple(
        (f.relative_to(path).as_posix(), f.stat().st_size, f.stat().st_mtime_ns) for f in _model_files(path)
    )
    return _digest(path, signature)


@functools.lru_cache(maxsize=64)
def _digest(path: Path, signature: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _size, _mtime in signature:
        digest.update(name.encode("utf-8") + b"\0")
        with (path / name).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
