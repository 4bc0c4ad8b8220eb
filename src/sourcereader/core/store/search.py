"""The library-wide search index: SQLite FTS5 over every sentence of every document and translation.

One FTS5 row per sentence, keyed by document, text (``"source"`` for the document itself,
the translation id otherwise) and sentence id. ``search_texts`` remembers the version
(body hash) each text was indexed at: :meth:`SearchIndexMixin.index_text` is a no-op while
the version is unchanged and replaces the text's rows when it changed, so the index follows
the library without ever being rebuilt whole.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The text id under which a document's own sentences are indexed.
SOURCE_TEXT = "source"


@MIGRATIONS(name="0006_search_index")
def _search_index(db: Database) -> None:
    db.execute(
        "CREATE TABLE search_texts (document_id TEXT NOT NULL, text_id TEXT NOT NULL, "
        "version TEXT NOT NULL, PRIMARY KEY (document_id, text_id))"
    )
    # remove_diacritics folds ё/е-style marks in Latin scripts; unicode61 case-folds Cyrillic too.
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "text, document_id UNINDEXED, text_id UNINDEXED, sentence_id UNINDEXED, position UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


@dataclass(frozen=True)
class SearchHit:
    """One sentence matching a library-wide search."""

    document_id: str
    text_id: str
    """:data:`SOURCE_TEXT` for the document itself, else the translation id."""
    sentence_id: str
    position: int
    """0-based index of the sentence in its text."""
    text: str
    """The whole sentence, as indexed."""
    spans: tuple[tuple[int, int], ...]
    """Character spans of ``text`` that matched (for highlighting)."""


_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

INDEX_PIECE = 20_000
"""A sentence longer than this many characters is indexed in pieces of about this size, cut at spaces
(each a row of its own with the sentence's id): SQLite tokenises a row in one go, and one row of 50 MB
took 200 MB and seconds. A hit then shows its piece, not the whole sentence."""


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of about :data:`INDEX_PIECE` characters, cut at a space when there is one."""
    start = 0
    while len(text) - start > INDEX_PIECE:
        cut = text.rfind(" ", start + INDEX_PIECE // 2, start + INDEX_PIECE)
        if cut <= start:
            cut = start + INDEX_PIECE
        yield text[start:cut]
        start = cut
    yield text[start:]


def fts_query(query: str) -> str | None:
    """A safe FTS5 query for what a user typed: every word must occur, the last one as a prefix.

    Words are quoted, so FTS5 operators and punctuation in the input are never interpreted.
    """
    words = _TOKEN_RE.findall(query)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    folded = text.casefold()
    spans: list[tuple[int, int]] = []
    for word in _TOKEN_RE.findall(query.casefold()):
        for m in re.finditer(r"\b" + re.escape(word), folded):
            spans.append((m.start(), m.start() + len(word)))
    return tuple(sorted(set(spans)))


class SearchIndexMixin:
    """Queries over ``search_texts`` and ``search_index``."""

    conn: sqlite3.Connection

    def indexed_version(self, document_id: str, text_id: str) -> str | None:
        """The version a text was indexed at, or None if it is not indexed."""
        row = self.conn.execute(
            "SELECT version FROM search_texts WHERE document_id = ? AND text_id = ?", [document_id, text_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def index_text(
        self, document_id: str, text_id: str, version: str, sentences: Sequence[tuple[str, str]]
    ) -> bool:
        """Index ``(sentence_id, text)`` pairs of one text unless already indexed at ``version``.

        Returns True when the index changed. One transaction: a reader never sees half a text.
        """
        if self.indexed_version(document_id, text_id) == version:
            return False
        with self.conn:
            self.conn.execute(
                "DELETE FROM search_index WHERE document_id = ? AND text_id = ?", [document_id, text_id]
            )
            self.conn.executemany(
                "INSERT INTO search_index(text, document_id, text_id, sentence_id, position) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    (piece, document_id, text_id, sid, k)
                    for k, (sid, text) in enumerate(sentences)
                    for piece in (_pieces(text) if len(text) > INDEX_PIECE else (text,))
                ),
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO search_texts(document_id, text_id, version) VALUES (?, ?, ?)",
                [document_id, text_id, version],
            )
        return True

    def forget_indexed_except(self, keep: Iterable[tuple[str, str]]) -> int:
        """Drop texts no longer in the library from the index; return how many were dropped."""
        wanted = set(keep)
        stale = [
            (str(d), str(t))
            for d, t in self.conn.execute("SELECT document_id, text_id FROM search_texts").fetchall()
            if (d, t) not in wanted
        ]
        with self.conn:
            for d, t in stale:
                self.conn.execute("DELETE FROM search_index WHERE document_id = ? AND text_id = ?", [d, t])
                self.conn.execute("DELETE FROM search_texts WHERE document_id = ? AND text_id = ?", [d, t])
        return len(stale)

    def search_library(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Sentences matching ``query`` in every indexed text, best matches first."""
        match = fts_query(query)
        if match is None:
            return []
        rows = self.conn.execute(
            "SELECT document_id, text_id, sentence_id, position, text FROM search_index "
            "WHERE search_index MATCH ? ORDER BY rank LIMIT ?",
            [match, limit],
        ).fetchall()
        return [
            SearchHit(str(d), str(t), str(s), int(p), str(text), _spans(str(text), query))
            for d, t, s, p, text in rows
        ]
