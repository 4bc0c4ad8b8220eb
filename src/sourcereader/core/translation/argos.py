"""The Argos Translate machine translator: installed Argos packages, run through CTranslate2.

The fast path
    Argos' ``translate()`` re-splits and re-tokenises on every call. We use Argos as the package
    manager (:mod:`.argos_packages`) and translate with the installed package's own files: its
    ``model/`` directory through ``ctranslate2.Translator.translate_batch`` (loaded once per
    package and process, reused) and its ``sentencepiece.model``. Decoding options follow
    Argos' ``apply_packaged_translation`` (``replace_unknowns``, ``length_penalty=0.2``, target
    prefix). With no direct package (``de → ru``) we pivot through English (``de → en → ru``)
    and say so in the provenance.

Synthetic packages
    A package whose ``metadata.json`` has ``"synthetic": true`` (or whose README says it has
    random weights) is a test fixture: its every sentence is marked (:data:`.machine.SYNTHETIC_LABEL`).

``ctranslate2`` and ``sentencepiece`` are imported when a model is first loaded, not before.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sourcereader.core.hashing import sentence_hash
from sourcereader.core.translation.argos_packages import (
    PackageInfo,
    installed_packages,
    model_hash,
    newest_packages,
    on_package_changed,
)
from sourcereader.core.translation.errors import PIVOT_LANGUAGE, ModelMissing
from sourcereader.core.translation.machine import (
    SYNTHETIC_LABEL,
    MachineSentence,
    ProgressCallback,
    Provenance,
)

ENGINE = "argos"
"""``Provenance.engine`` of everything this translator makes."""


@dataclass(frozen=True)
class _Engine:
    """A loaded package: the CTranslate2 translator and the SentencePiece processor, reused across calls."""

    info: PackageInfo
    translator: Any
    tokenizer: Any
    hash: str


@functools.cache
def _load_engine(info: PackageInfo, device: str, compute_type: str, intra_threads: int) -> _Engine:
    """Load a package's model, once per process and settings: every ``ArgosTranslator`` shares it."""
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(
        str(info.path / "model"), device=device, compute_type=compute_type, intra_threads=intra_threads
    )
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(info.path / "sentencepiece.model"))
    return _Engine(info=info, translator=translator, tokenizer=tokenizer, hash=model_hash(info.path))


# A replaced or removed package must not be served from memory; installing is rare, so every
# loaded model is dropped rather than only that package's.
on_package_changed(lambda _path: _load_engine.cache_clear())


@dataclass
class ArgosTranslator:
    """A :class:`~.machine.MachineTranslator` over the installed Argos packages, batching through CTranslate2.

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
    """Packages to use; ``None`` reads the installed ones on first use (and again after :meth:`refresh`)."""
    _clock: Callable[[], _dt.datetime] = field(default=lambda: _dt.datetime.now(_dt.UTC), repr=False)

    @functools.cached_property
    def _by_pair(self) -> dict[tuple[str, str], PackageInfo]:
        """The newest package for each language pair."""
        packages = installed_packages() if self.packages is None else self.packages
        return {(p.source, p.target): p for p in newest_packages(packages)}

    def available_packages(self) -> list[PackageInfo]:
        """The packages this translator routes over (newest version per pair)."""
        return list(self._by_pair.values())

    def refresh(self) -> None:
        """Forget the installed packages read so far, so that packages installed or removed since are seen."""
        self.__dict__.pop("_by_pair", None)

    def language_pairs(self) -> set[tuple[str, str]]:
        """Direct pairs plus every pair reachable through English."""
        direct = set(self._by_pair)
        pairs = set(direct)
        for s, mid in direct:
            if mid != PIVOT_LANGUAGE:
                continue
            pairs |= {(s, t) for m, t in direct if m == PIVOT_LANGUAGE and t != s}
        return pairs

    def route(self, source: str, target: str) -> list[PackageInfo]:
        """The packages to apply in order: one (direct) or two (through English)."""
        by_pair = self._by_pair
        if (source, target) in by_pair:
            return [by_pair[(source, target)]]
        first, second = by_pair.get((source, PIVOT_LANGUAGE)), by_pair.get((PIVOT_LANGUAGE, target))
        if first is not None and second is not None:
            return [first, second]
        raise ModelMissing(source, target)

    def _engine(self, info: PackageInfo) -> _Engine:
        return _load_engine(info, self.device, self.compute_type, self.intra_threads)

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
        """Translate each sentence on its own (see :class:`~.machine.MachineTranslator`).

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
                source_hash=sentence_hash(original),
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
