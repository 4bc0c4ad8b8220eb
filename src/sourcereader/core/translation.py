"""Machine translation: the ``Translator`` protocol and its Argos Translate implementation.

One output sentence per input sentence
    We segment with pySBD ourselves (``segmenting.py``) and hand the translator those
    sentences; Argos' own sentence splitting is never used, so sentence ``s12`` of a document
    always has exactly one machine translation, which the aligner and the reader can rely on.

Where Argos packages live
    Wherever Argos Translate itself looks (``argostranslate.settings``, read when it is first
    imported): ``$ARGOS_PACKAGES_DIR`` if set, else ``"ARGOS_PACKAGES_DIR"`` in
    ``$XDG_CONFIG_HOME/argos-translate/settings.json`` (default ``~/.config/...``), else
    ``$XDG_DATA_HOME/argos-translate/packages`` (default ``~/.local/share/argos-translate/packages``).
    ``sourcereader models install`` installs there too, so ``argospm`` and sourcereader share
    one set of packages.

The fast path
    Argos' ``translate()`` re-splits and re-tokenises on every call. We use Argos as the package
    manager (install, list, remove, metadata) and translate with the installed package's own
    files: its ``model/`` directory through ``ctranslate2.Translator.translate_batch`` (loaded
    once per package, reused) and its ``sentencepiece.model``. Decoding options follow Argos'
    ``apply_packaged_translation`` (``replace_unknowns``, ``length_penalty=0.2``, target prefix).
    With no direct package (``de → ru``) we pivot through English (``de → en → ru``) and say
    so in the provenance.

Synthetic packages are marked in the text itself
    A package whose ``metadata.json`` has ``"synthetic": true`` (or whose README says it has
    random weights) is a test fixture. Every sentence it produces carries
    ``provenance.synthetic = True`` *and* its text starts with :data:`SYNTHETIC_LABEL`. The
    label is in the text, not only in a flag, so that no consumer — the reader, an exported
    file, a copy-paste — can show that noise as a translation by forgetting to check a flag.

No model is a normal state
    :func:`missing_model_message` names the package needed and the two ways to get it.

Nothing heavy is imported at module import time: ``argostranslate``, ``ctranslate2`` and
``sentencepiece`` are imported inside the functions that need them (``argostranslate.translate``,
which pulls in torch, is never imported here at all).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import shutil
import sys
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

# The same sentence hash documents.Sentence.hash uses, so cached rows compare with the library's sentences.
from sourcereader.core.documents import text_hash
from sourcereader.core.wording import counted

if TYPE_CHECKING:
    from sourcereader.core.documents import Document, Sentence
    from sourcereader.core.store.translations import StoredMachineSentence

ENGINE = "argos"
PIVOT_LANGUAGE = "en"

#: Prefixed to every sentence produced by a synthetic (random-weight) package.
SYNTHETIC_LABEL = "[synthetic test model — not a translation]"

#: How long ``models install FROM TO`` waits for the Argos package index before giving up.
INDEX_TIMEOUT_SECONDS = 10.0

ProgressCallback = Callable[[int, int], None]
"""``on_progress(done, total)``: called after each batch with the number of sentences done."""


class TranslationError(Exception):
    """Base class for translation problems a user can act on; ``str()`` is the guidance."""


class ModelMissing(TranslationError):
    """No installed package (direct or through English) translates ``source`` into ``target``."""

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target
        super().__init__(missing_model_message(source, target))


class PackageError(TranslationError):
    """A package file or an installed package is unusable, or the index cannot be reached."""


def package_name(source: str, target: str) -> str:
    """The Argos package name for a language pair, as ``argospm`` spells it: ``translate-ru_en``."""
    return f"translate-{source}_{target}"


#: Modules of the optional ``translate`` extra; importing one of them may fail on a basic install.
EXTRA_MODULES = frozenset({"argostranslate", "ctranslate2", "sentencepiece", "stanza", "torch", "spacy"})


def missing_extra_message(missing: str) -> str:
    """Guidance for when the ``translate`` extra is not installed (``missing``: the module not found)."""
    return (
        f"Machine translation needs sourcereader's optional 'translate' packages (missing: {missing}).\n"
        "Install them (torch pinned, so pip does not fetch the 6 GB CUDA build):\n"
        "  pip install -c constraints.txt -e '.[translate]'      (in a checkout)\n"
        "  pip install torch==2.13.0 'sourcereader[translate]'   (elsewhere)\n"
        "then a model: sourcereader models install ru en"
    )


def missing_model_message(source: str, target: str) -> str:
    """Guidance for when no model translates ``source`` → ``target``: which package, and how to get it."""
    name = package_name(source, target)
    lines = [
        f'No translation model for {source} → {target} is installed; it needs the Argos package "{name}".',
        # Each command on a line of its own, its comment above: it stays copyable when wrapped.
        "Get it in one of two ways:",
        "  from the Argos package index (needs a network):",
        f"    sourcereader models install {source} {target}",
        "  from a package file (.argosmodel) downloaded elsewhere:",
        "    sourcereader models install FILE.argosmodel",
    ]
    if PIVOT_LANGUAGE not in (source, target):
        lines.append(
            f"Alternatively {package_name(source, PIVOT_LANGUAGE)} and "
            f"{package_name(PIVOT_LANGUAGE, target)} together translate through English."
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- packages


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


def _is_synthetic(metadata: dict[str, Any], readme: str | None) -> bool:
    marker = metadata.get("synthetic")
    if marker is True or (isinstance(marker, str) and marker.lower() in ("1", "true", "yes")):
        return True
    # A README that says "random weights" is the second, human-readable marker (see tests/synthetic_argos.py).
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


def argos_packages_dir() -> Path:
    """The directory Argos installs packages into (see the module docstring for how it is chosen)."""
    from argostranslate import settings

    return Path(settings.package_data_dir)


def installed_packages() -> list[PackageInfo]:
    """The installed Argos translation packages, sorted by name.

    Uses ``argostranslate.package.get_installed_packages()``. That call fails as a whole if one
    directory lacks ``metadata.json`` (a half-copied package); then each directory is tried on its
    own so one broken package does not hide the others.
    """
    from argostranslate import package, settings

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
    from argostranslate import package, settings

    if "argostranslate.translate" in sys.modules:
        package.install_from_path(path)
        return
    with package.package_lock, zipfile.ZipFile(path) as zf:
        zf.extractall(path=settings.package_data_dir)


def _argos_uninstall(info: PackageInfo) -> None:
    """Remove an installed package (``argostranslate.package.uninstall`` without the torch import)."""
    from argostranslate import package

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
            _forget_engines(old.path)
            _argos_uninstall(old)
    _forget_engines(destination)
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
    from argostranslate import package, settings

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
        _forget_engines(info.path)
        _argos_uninstall(info)
    return removed


# --------------------------------------------------------------------------- model hashes

_hash_lock = threading.Lock()
_hash_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], str]] = {}


def _model_files(path: Path) -> list[Path]:
    files = [p for p in sorted((path / "model").rglob("*")) if p.is_file()]
    return [*files, path / "sentencepiece.model"]


def model_hash(path: Path) -> str:
    """sha256 over the package's model directory and tokenizer, in file-name order.

    Hashing a real model (~100 MB) takes a fraction of a second; it is done once per package
    and process and redone only when a file's size or mtime changes.
    """
    files = _model_files(path)
    signature = tuple((f.relative_to(path).as_posix(), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    with _hash_lock:
        cached = _hash_cache.get(path)
        if cached is not None and cached[0] == signature:
            return cached[1]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(path).as_posix().encode("utf-8") + b"\0")
        with f.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    value = digest.hexdigest()
    with _hash_lock:
        _hash_cache[path] = (signature, value)
    return value


# --------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Provenance:
    """Where one machine-translated sentence came from."""

    engine: str
    """``"argos"``."""
    packages: tuple[str, ...]
    """Package names in the order applied: ``("translate-de_en", "translate-en_ru")`` for a pivot."""
    package_versions: tuple[str, ...]
    model_hashes: tuple[str, ...]
    """sha256 of each package's model files (:func:`model_hash`)."""
    source_hash: str
    """``documents.text_hash`` of the source sentence that was translated (= ``Sentence.hash``)."""
    translated_at: str
    """UTC date and time, ISO 8601, seconds."""
    source: str
    target: str
    pivot: str | None = None
    """The intermediate language when no direct package existed (``"en"``), else ``None``."""
    synthetic: bool = False
    """Made by a random-weight test package: noise, not a translation."""
    beam_size: int = 4

    def to_json(self) -> str:
        """A compact JSON object, for the store and translation-file headers."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Provenance:
        """The inverse of :meth:`to_json`."""
        data = json.loads(text)
        for key in ("packages", "package_versions", "model_hashes"):
            data[key] = tuple(data.get(key, ()))
        return cls(**data)


@dataclass(frozen=True)
class MachineSentence:
    """One machine-translated sentence: the output for exactly one input sentence."""

    text: str
    """The translation; starts with :data:`SYNTHETIC_LABEL` when ``provenance.synthetic``."""
    provenance: Provenance


class Translator(Protocol):
    """Anything that turns our sentences into machine translations, one for one."""

    def language_pairs(self) -> set[tuple[str, str]]:
        """Every (source, target) pair this translator can do, directly or by pivoting."""
        ...

    def translate(
        self,
        sentences: Sequence[str],
        *,
        source: str,
        target: str,
        on_progress: ProgressCallback | None = None,
    ) -> list[MachineSentence]:
        """Translate each sentence on its own; ``len(result) == len(sentences)``, in order.

        Raises :class:`ModelMissing` when ``(source, target)`` is not available.
        """
        ...


# --------------------------------------------------------------------------- Argos


@dataclass
class _Engine:
    """A loaded package: the CTranslate2 translator and the SentencePiece processor, reused across calls."""

    info: PackageInfo
    translator: Any
    tokenizer: Any
    hash: str


_engine_lock = threading.Lock()
_engines: dict[tuple[Path, str, str, int], _Engine] = {}


def _forget_engines(path: Path) -> None:
    """Drop loaded models of a package that was replaced or removed."""
    with _engine_lock:
        for key in [k for k in _engines if k[0] == path]:
            del _engines[key]


@dataclass
class ArgosTranslator:
    """A :class:`Translator` over the installed Argos packages, batching through CTranslate2.

    Loaded models are shared by every ``ArgosTranslator`` in the process (a model is loaded once).
    """

    beam_size: int = 4
    """Beam width; 1 is greedy (faster, a little worse). Argos' own default is 4."""
    max_batch_size: int = 32
    """Sentences per ``translate_batch`` call; also how often ``on_progress`` fires."""
    max_decoding_length: int = 256
    """Cap on output tokens per sentence (CTranslate2's default)."""
    device: str = "cpu"
    compute_type: str = "auto"
    intra_threads: int = 0
    """CPU threads per translation; 0 lets CTranslate2 choose."""
    packages: Sequence[PackageInfo] | None = None
    """Packages to use; ``None`` reads :func:`installed_packages` on first use."""
    _clock: Callable[[], _dt.datetime] = field(default=lambda: _dt.datetime.now(_dt.UTC), repr=False)

    def available_packages(self) -> list[PackageInfo]:
        """The packages this translator routes over (newest version per pair)."""
        if self.packages is None:
            self.packages = installed_packages()
        best: dict[tuple[str, str], PackageInfo] = {}
        for info in self.packages:
            key = (info.source, info.target)
            if key not in best or _version_key(info.version) > _version_key(best[key].version):
                best[key] = info
        return list(best.values())

    def refresh(self) -> None:
        """Forget the package list, so that packages installed or removed since are seen."""
        self.packages = None

    def language_pairs(self) -> set[tuple[str, str]]:
        """Direct pairs plus every pair reachable through English."""
        direct = {(p.source, p.target) for p in self.available_packages()}
        pairs = set(direct)
        for s, mid in direct:
            if mid != PIVOT_LANGUAGE:
                continue
            pairs |= {(s, t) for m, t in direct if m == PIVOT_LANGUAGE and t != s}
        return pairs

    def route(self, source: str, target: str) -> list[PackageInfo]:
        """The packages to apply in order: one (direct) or two (through English)."""
        by_pair = {(p.source, p.target): p for p in self.available_packages()}
        if (source, target) in by_pair:
            return [by_pair[(source, target)]]
        first, second = by_pair.get((source, PIVOT_LANGUAGE)), by_pair.get((PIVOT_LANGUAGE, target))
        if first is not None and second is not None:
            return [first, second]
        raise ModelMissing(source, target)

    def _engine(self, info: PackageInfo) -> _Engine:
        key = (info.path, self.device, self.compute_type, self.intra_threads)
        with _engine_lock:
            engine = _engines.get(key)
            if engine is not None:
                return engine
        import ctranslate2
        import sentencepiece

        translator = ctranslate2.Translator(
            str(info.path / "model"),
            device=self.device,
            compute_type=self.compute_type,
            intra_threads=self.intra_threads,
        )
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(info.path / "sentencepiece.model"))
        engine = _Engine(info=info, translator=translator, tokenizer=tokenizer, hash=model_hash(info.path))
        with _engine_lock:
            return _engines.setdefault(key, engine)

    def _run(
        self,
        engine: _Engine,
        sentences: Sequence[str],
        on_batch: Callable[[int], None],
    ) -> list[str]:
        """Translate with one package; sentences go in length-sorted batches (less padding)."""
        tokenized = [engine.tokenizer.encode(s, out_type=str) for s in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(tokenized[i]))
        out: list[str] = [""] * len(sentences)
        prefix = engine.info.target_prefix
        for start in range(0, len(order), self.max_batch_size):
            chunk = [i for i in order[start : start + self.max_batch_size] if tokenized[i]]
            if chunk:
                results = engine.translator.translate_batch(
                    [tokenized[i] for i in chunk],
                    target_prefix=[[prefix]] * len(chunk) if prefix else None,
                    beam_size=self.beam_size,
                    max_batch_size=self.max_batch_size,
                    max_decoding_length=self.max_decoding_length,
                    # As Argos' apply_packaged_translation does.
                    replace_unknowns=True,
                    length_penalty=0.2,
                )
                for i, result in zip(chunk, results, strict=True):
                    tokens = result.hypotheses[0]
                    if prefix and tokens and tokens[0] == prefix:
                        tokens = tokens[1:]
                    out[i] = engine.tokenizer.decode(tokens).strip()
            on_batch(len(order[start : start + self.max_batch_size]))
        return out

    def translate(
        self,
        sentences: Sequence[str],
        *,
        source: str,
        target: str,
        on_progress: ProgressCallback | None = None,
    ) -> list[MachineSentence]:
        """Translate each sentence on its own (see :class:`Translator`).

        ``on_progress(done, total)`` counts sentences through the whole route: a pivot
        translation reports each sentence once, when its second leg is done.
        """
        route = self.route(source, target)
        engines = [self._engine(info) for info in route]
        total = len(sentences)
        texts = [s.strip() for s in sentences]
        done = 0

        def count(n: int) -> None:
            nonlocal done
            done += n
            if on_progress is not None:
                on_progress(done, total)

        for leg, engine in enumerate(engines):
            # Only the last leg of a pivot reports: a sentence is done when it reaches the target language.
            texts = self._run(engine, texts, count if leg == len(engines) - 1 else _ignore)
        synthetic = any(e.info.synthetic for e in engines)
        when = self._clock().isoformat(timespec="seconds")
        out: list[MachineSentence] = []
        for original, text in zip(sentences, texts, strict=True):
            provenance = Provenance(
                engine=ENGINE,
                packages=tuple(e.info.name for e in engines),
                package_versions=tuple(e.info.version for e in engines),
                model_hashes=tuple(e.hash for e in engines),
                source_hash=text_hash(original),
                translated_at=when,
                source=source,
                target=target,
                pivot=PIVOT_LANGUAGE if len(engines) > 1 else None,
                synthetic=synthetic,
                beam_size=self.beam_size,
            )
            if synthetic:
                text = f"{SYNTHETIC_LABEL} {text}".rstrip()
            out.append(MachineSentence(text=text, provenance=provenance))
        return out


def _ignore(_n: int) -> None:
    pass


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order "1.10" after "1.9"; non-numeric parts compare as text after numbers."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.replace("_", ".").split("."))


# --------------------------------------------------------------------------- documents and the cache


class MachineTranslationCache(Protocol):
    """What :func:`translate_document` needs from the store (``MachineTranslationMixin``)."""

    def machine_translations(self, document_id: str, target: str) -> dict[str, StoredMachineSentence]:
        """Cached translations by sentence id."""
        ...

    def put_machine_translations(
        self, document_id: str, target: str, rows: Sequence[tuple[str, str, MachineSentence]]
    ) -> None:
        """Store one batch in one transaction."""
        ...


@dataclass(frozen=True)
class TranslationPlan:
    """What a :func:`translate_document` run will do, before it does it."""

    total: int
    """Sentences in the document."""
    cached: int
    """Sentences with an up-to-date cached translation (skipped)."""
    stale: int
    """Sentences whose cached translation was made from a different source text (redone)."""
    missing: int
    """Sentences never translated (or forced)."""

    @property
    def pending(self) -> int:
        """Sentences to translate in this run."""
        return self.stale + self.missing


@dataclass(frozen=True)
class TranslationRun:
    """The outcome of :func:`translate_document`."""

    plan: TranslationPlan
    translated: int
    """Sentences translated and stored in this run."""


def plan_document(
    document: Document, target: str, cache: MachineTranslationCache, *, force: bool = False
) -> tuple[TranslationPlan, list[int]]:
    """Count cached, stale and missing sentences; return the plan and the indices to translate."""
    cached = cache.machine_translations(document.id, target)
    todo: list[int] = []
    stale = missing = 0
    for sentence in document.sentences:
        row = cached.get(sentence.id)
        if row is None or force:
            missing += 1
            todo.append(sentence.index)
        elif row.is_stale(sentence.hash):
            stale += 1
            todo.append(sentence.index)
    total = len(document.sentences)
    plan = TranslationPlan(total=total, cached=total - len(todo), stale=stale, missing=missing)
    return plan, todo


def translate_document(
    document: Document,
    target: str,
    translator: Translator,
    cache: MachineTranslationCache,
    *,
    force: bool = False,
    batch_size: int = 64,
    on_progress: ProgressCallback | None = None,
) -> TranslationRun:
    """Translate the sentences of ``document`` that have no up-to-date cached translation.

    Sentences go in batches of ``batch_size`` of similar length (not text order); each batch is
    stored in its own transaction before the next starts: interrupting (Ctrl-C raises
    ``KeyboardInterrupt`` out of this function) keeps every finished batch, and calling again
    resumes with what is left. ``force`` redoes all.
    ``on_progress(done, pending)`` counts sentences of this run.

    Raises :class:`ModelMissing` before translating anything when the pair is unavailable.
    """
    source = document.language
    if source == target:
        raise TranslationError(f"{document.id} is already in {target}; choose another target language.")
    if (source, target) not in translator.language_pairs():
        raise ModelMissing(source, target)
    plan, todo = plan_document(document, target, cache, force=force)
    sentences = document.sentences
    # Batches of similar length waste less padding in CTranslate2 (~20-30 % faster than text order).
    # Resuming does not depend on the order: any sentence stored is skipped next time.
    todo.sort(key=lambda i: len(sentences[i].text))
    done = 0
    for start in range(0, len(todo), batch_size):
        batch = [sentences[i] for i in todo[start : start + batch_size]]
        base = done

        def inner(n: int, _total: int, base: int = base) -> None:
            if on_progress is not None:
                on_progress(base + n, plan.pending)

        results = translator.translate(
            [s.text for s in batch], source=source, target=target, on_progress=inner
        )
        if len(results) != len(batch):  # the one-for-one contract is what the reader relies on
            raise TranslationError(f"the translator returned {len(results)} sentences for {len(batch)}")
        cache.put_machine_translations(
            document.id, target, [(s.id, s.hash, mt) for s, mt in zip(batch, results, strict=True)]
        )
        done += len(batch)
        if on_progress is not None:
            on_progress(done, plan.pending)
    return TranslationRun(plan=plan, translated=done)


@dataclass(frozen=True)
class MachineCell:
    """The machine translation shown next to one source sentence (the reader's MT column)."""

    sentence_id: str
    text: str | None
    """``None`` when the sentence has not been translated into this language yet."""
    stale: bool
    """The source sentence changed after this translation was made: show it, marked as outdated."""
    synthetic: bool
    """Made by a random-weight test package (the text carries :data:`SYNTHETIC_LABEL` too)."""
    provenance: Provenance | None


def machine_cell(sentence: Sentence, stored: StoredMachineSentence | None) -> MachineCell:
    """What the MT column shows for one sentence: its cached translation (stale if the source changed
    since), or nothing."""
    if stored is None:
        return MachineCell(sentence.id, None, False, False, None)
    stale = stored.is_stale(sentence.hash)
    return MachineCell(sentence.id, stored.text, stale, stored.provenance.synthetic, stored.provenance)


def machine_column(document: Document, target: str, cache: MachineTranslationCache) -> list[MachineCell]:
    """One cell per sentence of ``document``, in order: cached translation, stale mark, or nothing."""
    rows = cache.machine_translations(document.id, target)
    return [machine_cell(sentence, rows.get(sentence.id)) for sentence in document.sentences]


def machine_translation_id(target: str, engine: str = ENGINE) -> str:
    """The id of a written machine translation: ``mt-argos-en``."""
    return f"mt-{engine}-{target}"


def write_machine_translation(
    document: Document, target: str, cache: MachineTranslationCache, folder: Path
) -> Path:
    """Write the cached machine translation of ``document`` as ``folder/<doc-id>/mt-argos-<target>.txt``.

    The file has the same header format as every translation (``kind = "machine"``) plus a
    ``[machine]`` table with the full provenance; its body keeps the document's paragraphs and
    gap markers, one translated sentence for each source sentence. Sentences without an
    up-to-date translation are left out and ``covers`` says so. Synthetic output keeps its label
    and the header says in ``notes`` that it is not a translation.
    """
    from sourcereader.core.documents import Gap, Sentence, TranslationMeta, write_text_file

    rows = cache.machine_translations(document.id, target)
    current = {
        s.id: rows[s.id] for s in document.sentences if s.id in rows and not rows[s.id].is_stale(s.hash)
    }
    if not current:
        raise TranslationError(
            f"{document.id} has no machine translation into {target} yet; run `sourcereader translate "
            f"{document.id} --to {target}` first."
        )
    provenances = [r.provenance for r in current.values()]
    first = provenances[0]
    synthetic = any(p.synthetic for p in provenances)
    total = len(document.sentences)
    covers = (
        f"all {counted(total, 'sentence')}"
        if len(current) == total
        else f"{len(current)} of {counted(total, 'sentence')}"
    )
    notes = "Machine translation, one sentence for each sentence of the source; not checked by a person."
    if synthetic:
        notes = f"{SYNTHETIC_LABEL} Made by a synthetic test package with random weights: NOT a translation."
    packages = sorted(
        {f"{n} {v}" for p in provenances for n, v in zip(p.packages, p.package_versions, strict=True)}
    )
    meta = TranslationMeta(
        id=machine_translation_id(target),
        document=document.id,
        language=target,
        kind="machine",
        source=f"{document.meta.title} ({document.id}), machine-translated by sourcereader",
        license="Machine output; the models' licences are in their Argos package READMEs.",
        covers=covers,
        engine="Argos Translate",
        model=", ".join(packages),
        date=max(p.translated_at for p in provenances)[:10],
        title=f"{document.meta.title} — machine translation ({target})",
        notes=notes,
        extra={
            "machine": {
                "engine": first.engine,
                "packages": list(first.packages),
                "package_versions": list(first.package_versions),
                "model_hashes": list(first.model_hashes),
                "pivot": first.pivot or "",
                "synthetic": synthetic,
                "beam_size": first.beam_size,
                "translated_at": max(p.translated_at for p in provenances),
                "source_language": document.language,
                "document_version": document.version,
                # Lets a reader of the shared file tell which source sentences each line came from.
                "source_hashes": [f"{sid}={row.source_hash}" for sid, row in current.items()],
            }
        },
    )
    paragraphs: list[list[str]] = []
    last_paragraph: int | None = None
    for element in document.elements:
        if isinstance(element, Gap):
            paragraphs.append([document.body[element.start : element.end]])
            last_paragraph = None
        elif isinstance(element, Sentence) and element.id in current:
            if last_paragraph != element.paragraph or not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(current[element.id].text)
            last_paragraph = element.paragraph
    body = "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"
    path = folder / document.id / f"{meta.id}.txt"
    write_text_file(path, meta.to_header(), body)
    return path
