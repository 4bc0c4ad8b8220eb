"""The aligner on the bundled library: partial translations of a stretch in the middle, apparatus lines.

Assertions are on sentence text, not ids: ids shift if segmentation changes.
"""

from __future__ import annotations

from sourcereader.core.alignment.beads import Bead
from sourcereader.core.alignment.document import document_alignment
from sourcereader.core.documents import Library
from sourcereader.core.store import Store


def _pairs(store: Store, library: Library, doc: str, tr: str) -> list[tuple[list[str], list[str], Bead]]:
    document, translation = library.document(doc), library.translation(doc, tr)
    beads = document_alignment(store, document, translation).beads
    return [([document.sentences[i].text for i in b.src], [translation.sentences[j].text for j in b.tgt], b)
            for b in beads]  # fmt: skip


def test_excerpt_translated_in_the_middle_finds_its_stretch(store: Store, library: Library) -> None:
    # Four English sentences translate a stretch with untranslated runs before and after it; lengths
    # match almost exactly there, and a wild total length ratio once pulled them onto later sentences.
    pairs = _pairs(store, library, "1940-11-12-soviet-record-hitler-molotov", "hse-answer-en")
    linked = [(s, t) for s, t, _ in pairs if s and t]
    expect = [
        ("... Гитлер отвечает, что тройственный пакт", "Hitler replies that the tripartite pact"),
        ("Советскому Союзу предоставляется указать", "The Soviet Union is allowed to indicate"),
        ("То же в отношении великого", "The same with regard to the great East Asian"),
        ("Он, Гитлер, предлагает Советскому Союзу", "He, Hitler, invites the Soviet Union"),
    ]
    assert len(linked) == 4
    for (src, tgt), (sp, tp) in zip(linked, expect, strict=True):
        assert len(src) == len(tgt) == 1
        assert src[0].startswith(sp) and tgt[0].startswith(tp)


def test_apparatus_lines_are_left_unaligned_or_joined(store: Store, library: Library) -> None:
    pairs = _pairs(store, library, "1940-11-25-schulenburg-telegram", "nsr-1948-en")
    for src, tgt, _ in pairs:
        notes = [t for t in tgt if t.startswith(("*)", "Frames "))]
        # A footnote or an archival reference is never the whole translation of a source sentence.
        assert not (notes and src and len(notes) == len(tgt)), (src, tgt)
    frames = next((s, t) for s, t, _ in pairs if any(x.startswith("Frames ") for x in t))
    assert frames[0] == [] or len(frames[1]) > 1
    telegram = next((s, t) for s, t, _ in pairs if any(x.startswith("Molotow bat mich") for x in s))
    assert telegram[1][0].startswith("Molotov asked me to call on him")
