"""Keeping the library-wide search index in step with the library.

The store holds the index (SQLite FTS5, ``sourcereader.core.store.search``) and re-indexes one text
only when its version changed; this module walks the library and tells it which texts there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sourcereader.core.documents import Document, Library, Translation


class IndexStore(Protocol):
    """What the refresh needs of the store."""

    def index_text(
        self, document_id: str, text_id: str, version: str, sentences: Sequence[tuple[str, str]]
    ) -> bool:
        """Index one text's ``(sentence id, text)`` pairs unless already indexed at ``version``."""
        ...

    def forget_indexed_except(self, keep: Iterable[tuple[str, str]]) -> int:
        """Drop every indexed text but these ``(document id, text id)`` pairs."""
        ...


@dataclass(frozen=True)
class IndexReport:
    """What an index refresh did."""

    texts: int
    """Texts in the library."""
    reindexed: int
    """Texts (re)indexed because they were new or changed."""


def refresh_search_index(store: IndexStore, library: Library) -> IndexReport:
    """Bring the search index up to date with every document and translation of ``library``: new and
    changed texts are (re)indexed, texts no longer in the library forgotten, the rest left alone."""
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
