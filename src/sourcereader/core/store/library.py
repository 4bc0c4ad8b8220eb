"""Library-side tables: the segmentation cache."""

from __future__ import annotations

import json

from sqlite_utils import Database

from sourcereader.core.store.migrations import MIGRATIONS


@MIGRATIONS(name="0001_segmentations")
def _segmentations(db: Database) -> None:
    db["segmentations"].create(  # type: ignore[union-attr]
        {"key": str, "rows": str, "created": str}, pk="key"
    )


class SegmentationMixin:
    """Segmentations cached by text hash, language and segmenter version (see documents.py)."""

    db: Database

    def get_segmentation(self, key: str) -> list[list[object]] | None:
        """The cached element rows for ``key``, or None."""
        row = self.db.execute("SELECT rows FROM segmentations WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        rows: list[list[object]] = json.loads(row[0])
        return rows

    def put_segmentation(self, key: str, rows: list[list[object]]) -> None:
        """Remember the element rows for ``key`` (cache writes never fail a read-only user)."""
        import sqlite3

        try:
            with self.db.conn:
                self.db.execute(
                    "INSERT OR REPLACE INTO segmentations(key, rows, created) VALUES (?, ?, datetime('now'))",
                    [key, json.dumps(rows, separators=(",", ":"))],
                )
        except sqlite3.OperationalError:
            # A read-only or full disk must not stop anyone from reading: the cache is optional.
            pass
