"""The segmentation cache: each text's sentences and gaps, kept so a document opens without pySBD."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database


@MIGRATIONS(name="0001_segmentations")
def _segmentations(db: Database) -> None:
    db["segmentations"].create(  # type: ignore[union-attr]
        {"key": str, "rows": str, "created": str}, pk="key"
    )


@MIGRATIONS(name="0008_segmentation_counts")
def _segmentation_counts(db: Database) -> None:
    # Counts let the library list long documents without loading their segmentation.
    db.execute("ALTER TABLE segmentations ADD COLUMN n_sentences INTEGER")
    db.execute("ALTER TABLE segmentations ADD COLUMN n_gaps INTEGER")
    db.execute(
        """UPDATE segmentations SET
            n_sentences = (SELECT count(*) FROM json_each(rows) WHERE json_extract(value, '$[0]') = 's'),
            n_gaps = (SELECT count(*) FROM json_each(rows) WHERE json_extract(value, '$[0]') = 'g')"""
    )


class SegmentationMixin:
    """Segmentations cached by ``documents.segmentation_key``: segmenter version, language and the
    body's SHA-256."""

    conn: sqlite3.Connection

    def get_segmentation(self, key: str) -> list[list[object]] | None:
        """The cached element rows for ``key``, or None."""
        row = self.conn.execute("SELECT rows FROM segmentations WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        rows: list[list[object]] = json.loads(row[0])
        return rows

    def get_segmentation_counts(self, key: str) -> tuple[int, int] | None:
        """(sentences, gaps) of the cached segmentation for ``key``, or None."""
        row = self.conn.execute(
            "SELECT n_sentences, n_gaps FROM segmentations WHERE key = ? AND n_sentences IS NOT NULL", [key]
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def put_segmentation(self, key: str, rows: list[list[object]]) -> None:
        """Remember the element rows for ``key`` (cache writes never fail a read-only user)."""
        import sqlite3

        try:
            with self.conn:
                n_sentences = sum(1 for row in rows if row[0] == "s")
                self.conn.execute(
                    "INSERT OR REPLACE INTO segmentations(key, rows, created, n_sentences, n_gaps)"
                    " VALUES (?, ?, datetime('now'), ?, ?)",
                    [key, json.dumps(rows, separators=(",", ":")), n_sentences, len(rows) - n_sentences],
                )
        except sqlite3.OperationalError:
            # A read-only or full disk must not stop anyone from reading: the cache is optional.
            pass
