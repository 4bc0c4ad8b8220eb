"""The segmentation cache: each text's sentences and gaps, kept so a document opens without pySBD."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from pathlib import Path

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
    """Segmentations cached by ``documents.segmentation_key``: segmenter version, language and the body's
    SHA-256.

    A library's texts segment themselves on first use, on whichever thread reads them first (a worker
    indexing the library, a screen in the background), and the library holds the app's store as its
    cache. The store's connection belongs to the thread that opened it: a cache call from another
    thread would run inside that thread's open transaction (commit it early, read what it has not
    committed, change its last row id). On another thread the cache opens a connection of its own
    for the call (about 0.2 ms, once per text segmented).
    """

    conn: sqlite3.Connection
    path: Path | None
    thread: int

    @contextmanager
    def _cache_connection(self) -> Iterator[sqlite3.Connection]:
        if self.path is None or threading.get_ident() == self.thread:
            yield self.conn
            return
        from sourcereader.core.store import busy_timeout_ms

        # mode=rw: a database moved or deleted meanwhile is not created anew (the cache is skipped).
        conn = sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=rw", uri=True, timeout=busy_timeout_ms() / 1000
        )
        try:
            yield conn
        finally:
            conn.close()

    def get_segmentation(self, key: str) -> list[list[object]] | None:
        """The cached element rows for ``key``, or None."""
        try:
            with self._cache_connection() as conn:
                row = conn.execute("SELECT rows FROM segmentations WHERE key = ?", [key]).fetchone()
        except sqlite3.OperationalError:
            return None  # a database another thread cannot open: segment again
        if row is None:
            return None
        rows: list[list[object]] = json.loads(row[0])
        return rows

    def get_segmentation_counts(self, key: str) -> tuple[int, int] | None:
        """(sentences, gaps) of the cached segmentation for ``key``, or None."""
        try:
            with self._cache_connection() as conn:
                row = conn.execute(
                    "SELECT n_sentences, n_gaps FROM segmentations WHERE key = ? AND n_sentences IS NOT NULL",
                    [key],
                ).fetchone()
        except sqlite3.OperationalError:
            return None
        return (int(row[0]), int(row[1])) if row else None

    def put_segmentation(self, key: str, rows: list[list[object]]) -> None:
        """Remember the element rows for ``key`` (cache writes never fail a read-only user)."""
        n_sentences = sum(1 for row in rows if row[0] == "s")
        try:
            with self._cache_connection() as conn, conn:
                conn.execute(
                    "INSERT OR REPLACE INTO segmentations(key, rows, created, n_sentences, n_gaps)"
                    " VALUES (?, ?, datetime('now'), ?, ?)",
                    [key, json.dumps(rows, separators=(",", ":")), n_sentences, len(rows) - n_sentences],
                )
        except sqlite3.OperationalError:
            # A read-only or full disk must not stop anyone from reading: the cache is optional.
            pass
