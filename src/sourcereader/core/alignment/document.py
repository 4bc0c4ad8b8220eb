"""The alignment of a library document with one of its translations: cached, with the user's corrections.

It is computed on demand and cached in the store under a key of everything it depends on (see
:func:`cache_key`), so it is recomputed only when a text, a correction, the machine translation, the
segmenter or the aligner changed. The user's corrections are re-mapped onto the current texts and
handed to the aligner as fixed beads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sourcereader.core.alignment.beads import Bead, check_cover
from sourcereader.core.alignment.corrections import Correction, corrections_from, remap_corrections

if TYPE_CHECKING:
    from sourcereader.core.documents import Document, Text, Translation

__all__ = ["AlignmentStore", "DocumentAlignment", "cache_key", "document_alignment", "save_alignment"]


@dataclass(frozen=True)
class DocumentAlignment:
    """The alignment of a library document with one of its translations."""

    beads: tuple[Bead, ...]
    """Every sentence of both texts once, in order; the fixed beads among them verified."""
    dropped_corrections: int
    """Stored corrections that no longer apply because a sentence of theirs changed."""
    cached: bool
    """True when it came from the cache (nothing was recomputed)."""


class AlignmentStore(Protocol):
    """What this module needs of the store (:class:`sourcereader.core.store.Store` has it)."""

    def alignment_corrections(self, document_id: str, translation_id: str) -> list[dict[str, Any]]:
        """The stored corrections of the pair, as JSON dicts."""
        ...

    def save_alignment_corrections(
        self, document_id: str, translation_id: str, corrections: list[dict[str, Any]]
    ) -> None:
        """Replace the stored corrections of the pair."""
        ...

    def cached_alignment(self, document_id: str, translation_id: str, key: str) -> list[list[Any]] | None:
        """The cached beads of the pair if they were computed for ``key``."""
        ...

    def put_cached_alignment(
        self, document_id: str, translation_id: str, key: str, beads: list[list[Any]]
    ) -> None:
        """Cache the beads computed for ``key``."""
        ...


def _texts(document: Text, translation: Text) -> tuple[list[str], list[str]]:
    return [s.text for s in document.sentences], [s.text for s in translation.sentences]


def cache_key(
    document: Document, translation: Translation, fixed: Sequence[Bead], mt: Sequence[str] | None
) -> str:
    """The key of an alignment in the cache: what it was computed from."""
    # The aligner (and numpy with it) is imported when an alignment is looked up, not when the
    # reader that shows alignments is: its first frame comes before any alignment is needed.
    from sourcereader.core.alignment.aligner import ALIGNER_VERSION
    from sourcereader.core.segmenting import SEGMENTER_VERSION

    digest = hashlib.sha256()
    # The texts' versions (hashes of their bodies) and the segmenter version stand for every
    # sentence and paragraph break; hashing 100,000 sentences one by one took half a second.
    for part in (
        ALIGNER_VERSION,
        SEGMENTER_VERSION,
        document.language,
        translation.language,
        document.version,
        translation.version,
        "|",
        *(f"{b.src}:{b.tgt}" for b in fixed),
        "|",
        *(mt or ()),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def document_alignment(
    store: AlignmentStore, document: Document, translation: Translation, mt: Sequence[str] | None = None
) -> DocumentAlignment:
    """The alignment of ``document`` with ``translation``: computed on demand, cached in the store,
    recomputed only when a text, a correction or the machine translation changed; the user's
    corrections are kept as fixed beads."""
    src, tgt = _texts(document, translation)
    corrections = [Correction.from_json(d) for d in store.alignment_corrections(document.id, translation.id)]
    fixed, dropped = remap_corrections(corrections, src, tgt) if corrections else ([], [])
    key = cache_key(document, translation, fixed, mt)
    cached = store.cached_alignment(document.id, translation.id, key)
    if cached is not None:
        beads = tuple(Bead(tuple(s), tuple(t), float(c), bool(v)) for s, t, c, v in cached)
        return DocumentAlignment(beads, len(dropped), cached=True)
    from sourcereader.core.alignment.aligner import align

    beads = tuple(
        align(
            src,
            tgt,
            src_lang=document.language,
            tgt_lang=translation.language,
            src_breaks=document.paragraph_breaks(),
            tgt_breaks=translation.paragraph_breaks(),
            fixed=fixed,
            mt=mt,
        )
    )
    store.put_cached_alignment(
        document.id,
        translation.id,
        key,
        [[list(b.src), list(b.tgt), b.confidence, b.verified] for b in beads],
    )
    return DocumentAlignment(beads, len(dropped), cached=False)


def save_alignment(
    store: AlignmentStore, document: Document, translation: Translation, beads: Sequence[Bead]
) -> None:
    """Store the corrections of an edited alignment: its verified beads (one transaction).

    The beads must cover both texts exactly once, in order; unverified beads are not stored
    (they are the aligner's to redo).
    """
    src, tgt = _texts(document, translation)
    check_cover(beads, len(src), len(tgt))
    corrections = [c.to_json() for c in corrections_from(beads, src, tgt)]
    store.save_alignment_corrections(document.id, translation.id, corrections)
