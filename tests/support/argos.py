"""Build synthetic Argos Translate packages: the real layout with random weights.

No real translation model can be downloaded where this project is developed and tested (see
``../shared/MT.md``), so the tests and the benchmark build their own package: a SentencePiece
model trained on the bundled corpus, a CTranslate2 Transformer whose weights are random numbers
(built through CTranslate2's own spec API, no torch), ``metadata.json`` carrying
``"synthetic": true`` and a README saying it is random weights, zipped to ``.argosmodel``.

Its output is noise. What it lets us test is the plumbing: installing, listing, batching,
one output sentence per input, caching, provenance, the synthetic mark.

Also used by ``benchmarks/bench_translate.py`` (which builds a realistic-size model outside the
repo). Never commit what this module writes.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: The marker written into metadata.json, and the README text that says what the package is.
SYNTHETIC_README = (
    "# Synthetic test package — random weights, NOT a translation model\n\n"
    "Built by sourcereader's test suite from random numbers. Its output is noise.\n"
)

_REPO = Path(__file__).resolve().parents[2]
_CORPUS_DIRS = (_REPO / "sources", _REPO.parent / "shared" / "corpus", _REPO.parent / "shared" / "seeds")

LANGUAGE_NAMES = {"ru": "Russian", "en": "English", "de": "German", "fr": "French"}


@dataclass(frozen=True)
class ModelShape:
    """The size of a synthetic Transformer."""

    layers: int = 1
    """Encoder and decoder layers (each)."""
    d_model: int = 32
    heads: int = 2
    ffn: int = 64
    vocab_size: int | None = None
    """CTranslate2 vocabulary size; ``None`` means exactly the SentencePiece pieces. A larger
    value pads the vocabulary with filler tokens so the output projection has realistic cost."""
    quantization: str = "int8"
    eos_bias: float = 2.0
    """Added to the ``</s>`` logit. A random model rarely ends a sentence; +2 gives outputs of varied,
    finite length (tests). A large negative value makes every output run to ``max_decoding_length``,
    so that a benchmark does the same decoding work on every path."""


def corpus_lines(limit: int | None = None) -> list[str]:
    """Non-empty text lines from the bundled sources, the shared corpus and the seeds."""
    lines: list[str] = []
    for directory in _CORPUS_DIRS:
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if len(line) > 20:
                    lines.append(line)
    if not lines:  # pragma: no cover - only if the corpus is missing entirely
        lines = [f"Sentence number {i} about the talks of November 1940." for i in range(300)]
    return lines[:limit] if limit else lines


def train_sentencepiece(out_dir: Path, *, vocab_size: int = 300, lines: Iterable[str] | None = None) -> Path:
    """Train a small SentencePiece model on corpus text; return the ``.model`` path."""
    import sentencepiece as spm

    out_dir.mkdir(parents=True, exist_ok=True)
    text = out_dir / "sp_train.txt"
    text.write_text("\n".join(lines if lines is not None else corpus_lines()) + "\n", encoding="utf-8")
    prefix = out_dir / "sp"
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        # The corpus is small; let SentencePiece stop below vocab_size rather than fail.
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        num_threads=1,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def sentencepiece_pieces(sp_model: Path) -> list[str]:
    """All pieces of a SentencePiece model, in id order."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(sp_model))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _fill_transformer(spec: Any, shape: ModelShape, vocab: int, rng: np.random.Generator) -> None:
    """Give every weight of a ``TransformerSpec`` a random value of the right shape."""
    d, f = shape.d_model, shape.ffn
    scale = 1.0 / np.sqrt(d)

    def w(*dims: int) -> np.ndarray[Any, np.dtype[np.float32]]:
        values: np.ndarray[Any, np.dtype[np.float32]] = (rng.standard_normal(dims) * scale).astype(np.float32)
        return values

    def norm(layer_norm: Any) -> None:
        layer_norm.gamma = np.ones(d, dtype=np.float32)
        layer_norm.beta = np.zeros(d, dtype=np.float32)

    def linear(spec_linear: Any, out: int, inp: int) -> None:
        spec_linear.weight = w(out, inp)
        spec_linear.bias = np.zeros(out, dtype=np.float32)

    def ffn(spec_ffn: Any) -> None:
        norm(spec_ffn.layer_norm)
        linear(spec_ffn.linear_0, f, d)
        linear(spec_ffn.linear_1, d, f)

    spec.encoder.embeddings[0].weight = w(vocab, d)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)  # fused Q, K, V
        linear(layer.self_attention.linear[1], d, d)
        ffn(layer.ffn)

    spec.decoder.embeddings.weight = w(vocab, d)
    norm(spec.decoder.layer_norm)
    linear(spec.decoder.projection, vocab, d)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)  # Q from the decoder
        linear(layer.attention.linear[1], 2 * d, d)  # fused K, V from the encoder
        linear(layer.attention.linear[2], d, d)
        ffn(layer.ffn)


def build_ct2_model(model_dir: Path, sp_model: Path, shape: ModelShape, *, seed: int = 0) -> None:
    """Write a CTranslate2 model with random weights whose vocabulary is the SentencePiece pieces."""
    from ctranslate2.specs import transformer_spec

    pieces = sentencepiece_pieces(sp_model)
    vocab = list(pieces)
    if shape.vocab_size is not None and shape.vocab_size > len(vocab):
        vocab += [f"<filler{i}>" for i in range(shape.vocab_size - len(vocab))]
    spec = transformer_spec.TransformerSpec.from_config(num_layers=shape.layers, num_heads=shape.heads)
    # Like the OPUS-MT conversions Argos ships: the source ends with </s> (Argos only SentencePiece-encodes).
    spec.config.add_source_eos = True
    rng = np.random.default_rng(seed)
    _fill_transformer(spec, shape, len(vocab), rng)
    spec.decoder.projection.bias[vocab.index("</s>")] = shape.eos_bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=shape.quantization)
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def build_package(
    out_dir: Path,
    from_code: str,
    to_code: str,
    *,
    sp_model: Path,
    shape: ModelShape = ModelShape(),
    version: str = "0.1",
    seed: int = 0,
    synthetic: bool = True,
    spacy_blank: bool = False,
) -> Path:
    """Build ``translate-{from}_{to}`` and return the path of its ``.argosmodel`` zip.

    ``synthetic=False`` leaves the marker out: only for testing that the mark is *detected*
    from metadata, never for anything a user sees. ``spacy_blank`` adds an empty spaCy
    pipeline so that Argos' own ``translate()`` can split sentences offline
    (``ARGOS_CHUNK_TYPE=SPACY``), which the benchmark needs.
    """
    import shutil

    root_name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    root = out_dir / root_name
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    build_ct2_model(root / "model", sp_model, shape, seed=seed)
    shutil.copy(sp_model, root / "sentencepiece.model")
    metadata: dict[str, Any] = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
    }
    if synthetic:
        metadata["synthetic"] = True
        metadata["description"] = "synthetic test model with random weights — not a translation"
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (root / "README.md").write_text(SYNTHETIC_README if synthetic else "# Test package\n", encoding="utf-8")
    if spacy_blank:
        import spacy

        spacy.blank(from_code if from_code in ("ru", "en", "de") else "xx").to_disk(root / "spacy")
    archive = out_dir / f"{root_name}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(_walk(root)):
            zf.write(path, path.relative_to(out_dir).as_posix())
    shutil.rmtree(root)
    return archive


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            yield Path(dirpath) / name


def point_argos_at(monkeypatch: Any, home: Path) -> Path:
    """Make Argos Translate use ``home`` for packages, index and caches; return the packages dir.

    ``argostranslate.settings`` reads its environment once, when first imported, so setting
    ``ARGOS_PACKAGES_DIR`` is not enough for the second test of a session: its module
    attributes are patched too (``monkeypatch`` undoes both after the test).
    """
    packages = home / "packages"
    for sub in ("data", "config", "cache", "cache/downloads"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    packages.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    from argostranslate import settings

    monkeypatch.setattr(settings, "data_dir", home / "data" / "argos-translate")
    monkeypatch.setattr(settings, "cache_dir", home / "cache")
    monkeypatch.setattr(settings, "downloads_dir", home / "cache" / "downloads")
    monkeypatch.setattr(settings, "package_data_dir", packages)
    monkeypatch.setattr(settings, "package_dirs", [packages])
    monkeypatch.setattr(settings, "local_package_index", home / "data" / "index.json")
    return packages


@dataclass(frozen=True)
class BuiltPackages:
    """The session's synthetic packages: ``ru → en`` and ``en → de`` (so ``ru → de`` pivots)."""

    ru_en: Path
    en_de: Path
    ru_en_v2: Path
    """A newer ``ru → en`` with other weights, for replace-on-install."""


def build_test_packages(out_dir: Path) -> BuiltPackages:
    """Build (once per directory) the small packages the tests install; a second call reuses them."""
    marker = out_dir / "done.json"
    if marker.exists():
        data = json.loads(marker.read_text(encoding="utf-8"))
        return BuiltPackages(**{k: Path(v) for k, v in data.items()})
    sp = train_sentencepiece(out_dir / "sp", vocab_size=300)
    built = BuiltPackages(
        ru_en=build_package(out_dir, "ru", "en", sp_model=sp, seed=1),
        en_de=build_package(out_dir, "en", "de", sp_model=sp, seed=2),
        ru_en_v2=build_package(out_dir / "v2", "ru", "en", sp_model=sp, seed=3, version="0.2"),
    )
    marker.write_text(json.dumps({k: str(v) for k, v in built.__dict__.items()}), encoding="utf-8")
    return built
