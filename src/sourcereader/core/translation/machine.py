"""Machine translation itself, whatever the engine: one machine-translated sentence per source sentence.

One output sentence per input sentence
    We segment with pySBD ourselves (``segmenting.py``) and hand the engine those sentences;
    its own sentence splitting is never used, so sentence ``s12`` of a document always has
    exactly one machine translation, which the aligner and the reader can rely on.

Synthetic packages are marked in the text itself
    Output of a random-weight test package carries ``provenance.synthetic = True`` *and* its
    text starts with :data:`SYNTHETIC_LABEL`. The label is in the text, not only in a flag, so
    that no consumer — the reader, an exported file, a copy-paste — can show that noise as a
    translation by forgetting to check a flag.

The store keeps machine-translated sentences (``store/machine_translations.py``) and imports
this module for their types; this module reaches the store only through
:class:`MachineTranslationCache`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sourcereader.core.plurals import counted
from sourcereader.core.translation.errors import MachineTranslationError, ModelMissing

if TYPE_CHECKING:
    from sourcereader.core.documents import Document, Sentence

#: Prefixed to every sentence produced by a synthetic (random-weight) package.
SYNTHETIC_LABEL = "[synthetic test model — not a translation]"

#: How a written machine translation names its engine (``Provenance.engine`` → header ``engine``).
ENGINE_NAMES = {"argos": "Argos Translate"}

ProgressCallback = Callable[[int, int], None]
"""``on_progress(done, total)``: called after each batch with the number of sentences done."""


@dataclass(frozen=True)
class Provenance:
    """Where one machine-translated sentence came from."""

    engine: str
    """``"argos"``."""
    packages: tuple[str, ...]
    """Package names in the order applied: ``("translate-de_en", "translate-en_ru")`` for a pivot."""
    package_versions: tuple[str, ...]
    model_hashes: tuple[str, ...]
    """sha256 of each package's model files (``argos_packages.model_hash``)."""
    source_hash: str
    """``hashing.sentence_hash`` of the source sentence that was translated (= ``Sentence.hash``)."""
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
    """The machine translation; starts with :data:`SYNTHETIC_LABEL` when ``provenance.synthetic``."""
    provenance: Provenance


@dataclass(frozen=True)
class StoredMachineSentence:
    """A machine-translated sentence as the store keeps it: with the sentence it belongs to."""

    sentence_id: str
    text: str
    """As stored: starts with the synthetic label when ``provenance.synthetic``."""
    source_hash: str
    """The hash of the source sentence it was made from (``hashing.sentence_hash``)."""
    provenance: Provenance

    def is_stale(self, current_hash: str) -> bool:
        """True when the source sentence has changed since this machine translation was made."""
        return self.source_hash != current_hash


class MachineTranslator(Protocol):
    """Anything that turns our sentences into machine-translated sentences, one for one."""

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

        Raises :class:`~.errors.ModelMissing` when ``(source, target)`` is not available.
        """
        ...


class MachineTranslationCache(Protocol):
    """What machine translation needs from the store (``MachineTranslationMixin``)."""

    def machine_translations(self, document_id: str, target: str) -> dict[str, StoredMachineSentence]:
        """Stored machine-translated sentences by sentence id."""
        ...

    def put_machine_translations(
        self, document_id: str, target: str, rows: Sequence[tuple[str, str, MachineSentence]]
    ) -> None:
        """Store one batch in one transaction."""
        ...


# --------------------------------------------------------------------------- a document, batch by batch


@dataclass(frozen=True)
class MachineTranslationPlan:
    """What a :func:`machine_translate` run will do, before it does it."""

    total: int
    """Sentences in the document."""
    cached: int
    """Sentences with an up-to-date stored machine translation (skipped)."""
    stale: int
    """Sentences whose stored machine translation was made from a different source text (redone)."""
    missing: int
    """Sentences never machine-translated (or forced)."""

    @property
    def pending(self) -> int:
        """Sentences to machine-translate in this run."""
        return self.stale + self.missing


@dataclass(frozen=True)
class MachineTranslationRun:
    """The outcome of :func:`machine_translate`."""

    plan: MachineTranslationPlan
    translated: int
    """Sentences machine-translated and stored in this run."""


def plan_machine_translation(
    document: Document, target: str, cache: MachineTranslationCache, *, force: bool = False
) -> tuple[MachineTranslationPlan, list[int]]:
    """Count cached, stale and missing sentences; return the plan and the indices to machine-translate."""
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
    plan = MachineTranslationPlan(total=total, cached=total - len(todo), stale=stale, missing=missing)
    return plan, todo


def machine_translate(
    document: Document,
    target: str,
    translator: MachineTranslator,
    cache: MachineTranslationCache,
    *,
    force: bool = False,
    batch_size: int = 64,
    on_progress: ProgressCallback | None = None,
) -> MachineTranslationRun:
    """Machine-translate the sentences of ``document`` that have no up-to-date stored machine translation.

    Sentences go in batches of ``batch_size`` of similar length (not text order); each batch is
    stored in its own transaction before the next starts: interrupting (Ctrl-C raises
    ``KeyboardInterrupt`` out of this function) keeps every finished batch, and calling again
    resumes with what is left. ``force`` redoes all.
    ``on_progress(done, pending)`` counts sentences of this run.

    Raises :class:`~.errors.ModelMissing` before translating anything when the pair is unavailable.
    """
    source = document.language
    if source == target:
        raise MachineTranslationError(
            f"{document.id} is already in {target}; choose another target language."
        )
    if (source, target) not in translator.language_pairs():
        raise ModelMissing(source, target)
    plan, todo = plan_machine_translation(document, target, cache, force=force)
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
            raise MachineTranslationError(
                f"the translator returned {len(results)} sentences for {len(batch)}"
            )
        cache.put_machine_translations(
            document.id, target, [(s.id, s.hash, mt) for s, mt in zip(batch, results, strict=True)]
        )
        done += len(batch)
        if on_progress is not None:
            on_progress(done, plan.pending)
    return MachineTranslationRun(plan=plan, translated=done)


# --------------------------------------------------------------------------- the reader's column


@dataclass(frozen=True)
class MachineCell:
    """The machine translation shown next to one source sentence (the reader's MT column)."""

    sentence_id: str
    text: str | None
    """``None`` when the sentence has not been machine-translated into this language yet."""
    stale: bool
    """The source sentence changed after this machine translation was made: show it, marked as outdated."""
    synthetic: bool
    """Made by a random-weight test package (the text carries :data:`SYNTHETIC_LABEL` too)."""
    provenance: Provenance | None


def machine_cell(sentence: Sentence, stored: StoredMachineSentence | None) -> MachineCell:
    """What the MT column shows for one sentence: its stored machine translation (stale if the source
    changed since), or nothing."""
    if stored is None:
        return MachineCell(sentence.id, None, False, False, None)
    stale = stored.is_stale(sentence.hash)
    return MachineCell(sentence.id, stored.text, stale, stored.provenance.synthetic, stored.provenance)


def machine_column(document: Document, target: str, cache: MachineTranslationCache) -> list[MachineCell]:
    """One cell per sentence of ``document``, in order: stored machine translation, stale mark, or nothing."""
    rows = cache.machine_translations(document.id, target)
    return [machine_cell(sentence, rows.get(sentence.id)) for sentence in document.sentences]


# --------------------------------------------------------------------------- written out as a translation


def machine_translation_id(target: str, engine: str) -> str:
    """The id of a written machine translation: ``mt-argos-en``."""
    return f"mt-{engine}-{target}"


def write_machine_translation(
    document: Document, target: str, cache: MachineTranslationCache, folder: Path
) -> Path:
    """Write the stored machine translation of ``document`` as ``folder/<doc-id>/mt-argos-<target>.txt``.

    The file is a translation like any other: the same header format (``kind = "machine"``)
    plus a ``[machine]`` table with the full provenance; its body keeps the document's
    paragraphs and gap markers, one machine-translated sentence for each source sentence.
    Sentences without an up-to-date machine translation are left out and ``covers`` says so.
    Synthetic output keeps its label and the header says in ``notes`` that it is not a translation.
    """
    from sourcereader.core.documents import Gap, Sentence, TranslationMeta, write_text_file

    rows = cache.machine_translations(document.id, target)
    current = {
        s.id: rows[s.id] for s in document.sentences if s.id in rows and not rows[s.id].is_stale(s.hash)
    }
    if not current:
        raise MachineTranslationError(
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
        id=machine_translation_id(target, first.engine),
        document=document.id,
        language=target,
        kind="machine",
        source=f"{document.meta.title} ({document.id}), machine-translated by sourcereader",
        license="Machine output; the models' licences are in their Argos package READMEs.",
        covers=covers,
        engine=ENGINE_NAMES.get(first.engine, first.engine),
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
