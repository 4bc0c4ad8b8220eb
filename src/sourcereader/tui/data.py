"""Loading what the reader shows, off the UI thread: alignments, machine translations, the search index.

Everything here runs inside thread workers, each with its own :class:`Store` connection
(:func:`worker_store`): a SQLite connection belongs to the thread that opened it. Nothing here
touches Textual; the screens call these from their workers and post the results.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sourcereader.core.alignment import Bead
from sourcereader.core.documents import Document, Library, Translation

if TYPE_CHECKING:
    from sourcereader.core.annotations import Annotation
    from sourcereader.core.store import Store
    from sourcereader.core.translation.machine import StoredMachineSentence


@contextmanager
def worker_store(store: Store) -> Iterator[Store]:
    """A connection of the worker's own to ``store``'s database (closed afterwards).

    The connection is of the same class as ``store`` (a store extended with more mixins stays so).
    An in-memory store has no file another connection could open; it is used as it is, which
    only works when its connection allows other threads (tests use database files instead).
    """
    if store.path is None:
        yield store
        return
    own = type(store).open(store.path)
    try:
        yield own
    finally:
        own.close()


def document_annotations(
    store: Store, library: Library, document_id: str, *, reanchor: bool
) -> tuple[tuple[Annotation, ...], str]:
    """A document's live annotations, re-anchored first when ``reanchor`` (on opening the document:
    its text or a translation may have changed since they were made). The second value is the
    re-anchoring summary when it moved annotations, else empty (orphans stay listed under N)."""
    from sourcereader.core.annotations import ensure_anchored

    summary = ""
    if reanchor:
        report = ensure_anchored(store, library, document_id)
        if report.moved:
            summary = report.summary()
    return tuple(store.annotations(document_id=document_id)), summary


def mt_target(document: Document, translations: Sequence[Translation]) -> str:
    """The language the machine translation goes into: the human translations' language, else English
    (Russian for an English document)."""
    for t in translations:
        if t.language != document.language:
            return t.language
    return "en" if document.language != "en" else "ru"


def machine_translations(store: Store, document: Document, target: str) -> dict[str, StoredMachineSentence]:
    """The cached machine translation of ``document`` into ``target``, by sentence id."""
    return store.machine_translations(document.id, target)


def load_alignment(store: Store, document: Document, translation: Translation) -> list[Bead]:
    """The alignment of ``document`` with ``translation`` (cached in the store, corrections kept)."""
    from sourcereader.core.alignment import document_alignment

    return list(document_alignment(store, document, translation).beads)


def save_alignment(store: Store, document: Document, translation: Translation, beads: Sequence[Bead]) -> None:
    """Keep a corrected alignment: its verified beads become constraints for re-alignment."""
    from sourcereader.core import alignment

    alignment.save_alignment(store, document, translation, list(beads))


@dataclass(frozen=True)
class IndexReport:
    """What an index refresh did."""

    texts: int
    """Texts in the library."""
    reindexed: int
    """Texts (re)indexed because they were new or changed."""


def refresh_search_index(store: Store, library: Library) -> IndexReport:
    """Bring the library-wide search index up to date (only changed texts are re-indexed)."""
    from sourcereader.core.store.search import SOURCE_TEXT

    keep: list[tuple[str, str]] = []
    changed = 0
    for entry in library:
        doc = entry.document
        texts: list[tuple[str, Document | Translation]] = [(SOURCE_TEXT, doc)]
        texts += [(t.id, t) for t in entry.translations]
        for text_id, text in texts:
            keep.append((doc.id, text_id))
            sentences = [(s.id, s.text) for s in text.sentences]
            changed += store.index_text(doc.id, text_id, text.version, sentences)
    store.forget_indexed_except(keep)
    return IndexReport(len(keep), changed)


def translation_labels(library: Library) -> Mapping[tuple[str, str], str]:
    """Column titles of every translation, by (document id, translation id)."""
    return {(e.document.id, t.id): t.meta.label for e in library for t in e.translations}
