"""What the screens need beyond the core's own functions: a store connection per worker, a document's
annotations settled on its text, the language to machine-translate into, the translations' labels.

Workers run in threads, each with its own :class:`Store` connection (:func:`worker_store`): a SQLite
connection belongs to the thread that opened it. Nothing here touches Textual.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sourcereader.core.documents import Document, Library, Translation

if TYPE_CHECKING:
    from sourcereader.core.annotations import Annotation
    from sourcereader.core.store import Store


@contextmanager
def worker_store(store: Store) -> Iterator[Store]:
    """A connection of the worker's own to ``store``'s database (closed afterwards).

    The connection is of the same class as ``store`` (a store extended with more mixins stays so).
    An in-memory store has no file another connection could open; it is used as it is, which
    only works when its connection allows other threads (tests use database files instead).
    A database moved or deleted while the app runs raises :class:`StoreError` (it is never
    silently created anew, which would put the user's writes where nobody reads them).
    """
    if store.path is None:
        yield store
        return
    own = store.reopen()
    try:
        yield own
    finally:
        own.close()


def store_failure(store: Store, exc: Exception) -> str:
    """What went wrong with the database, in one line (a :class:`StoreError` says it already; an SQLite
    error is worded by the store: locked, read-only, full disk…)."""
    import sqlite3

    from sourcereader.core.store import describe_error

    if isinstance(exc, sqlite3.DatabaseError) and store.path is not None:
        return describe_error(store.path, exc)
    return str(exc)


def document_annotations(
    store: Store, library: Library, document_id: str, *, reanchor: bool
) -> tuple[tuple[Annotation, ...], str]:
    """A document's live annotations, re-anchored first when ``reanchor`` (on opening the document:
    its text or a translation may have changed since they were made). The second value is the
    re-anchoring summary when it moved annotations, else empty (orphans stay listed under N)."""
    from sourcereader.core.annotations import reanchor_annotated

    summary = ""
    if reanchor:
        for report in reanchor_annotated(store, library, [document_id]).reports:
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


def translation_labels(library: Library) -> Mapping[tuple[str, str], str]:
    """Column titles of every translation, by (document id, translation id)."""
    return {(e.document.id, t.id): t.meta.label for e in library for t in e.translations}
