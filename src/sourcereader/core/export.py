"""Export annotations: Markdown excerpts with citations, and W3C Web Annotation JSON-LD."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sourcereader.core.alignment import Bead
    from sourcereader.core.documents import Document, Translation


def bead_sentences(
    beads: Sequence[Bead], document: Document, translation: Translation, sentence_ids: Sequence[str]
) -> tuple[str, ...]:
    """The translation sentence ids aligned with these source sentences (the beads touching them)."""
    wanted = {s.index for s in document.sentences if s.id in set(sentence_ids)}
    targets = sorted({j for bead in beads if wanted.intersection(bead.src) for j in bead.tgt})
    sentences = translation.sentences
    return tuple(sentences[j].id for j in targets if j < len(sentences))
