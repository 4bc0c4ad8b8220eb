"""Alignment tables: the user's corrections, and cached alignments.

``alignment_corrections``
    One row per (document, translation): its corrections, the verified beads as stored, in the
    JSON list of column ``fixed`` (content hashes of their sentences plus old positions; see
    ``alignment.corrections.Correction``). A re-alignment keeps them exactly, as fixed beads, and
    re-aligns only around them.
``alignments``
    The last computed alignment per (document, translation), with the key it was computed
    for (aligner version, both texts' sentence hashes, the corrections, the machine
    translation used). A different key means recompute; nothing else is ever redone.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database


@MIGRATIONS(name="0002_alignments")
def _alignments(db: Database) -> None:
    db.execute(
        """CREATE TABLE alignment_corrections (
            document_id TEXT NOT NULL,
            translation_id TEXT NOT NULL,
            fixed TEXT NOT NULL,      -- JSON list of verified beads (hashes + positions)
            updated TEXT NOT NULL,
            PRIMARY KEY (document_id, translation_id)
        )"""
    )
    db.execute(
        """CREATE TABLE alignments (
            document_id TEXT NOT NULL,
            translation_id TEXT NOT NULL,
            key TEXT NOT NULL,        -- what the alignment was computed from
            beads TEXT NOT NULL,      -- JSON: [[src...], [tgt...], confidence, verified]
            created TEXT NOT NULL,
            PRIMARY KEY (document_id, translation_id)
        )"""
    )


class AlignmentMixin:
    """Corrections and cached alignments (plain JSON; the alignment package interprets them)."""

    conn: sqlite3.Connection

    def alignment_corrections(self, document_id: str, translation_id: str) -> list[dict[str, Any]]:
        """The stored corrections of this pair (empty when the user corrected nothing)."""
        row = self.conn.execute(
            "SELECT fixed FROM alignment_corrections WHERE document_id = ? AND translation_id = ?",
            [document_id, translation_id],
        ).fetchone()
        corrections: list[dict[str, Any]] = json.loads(row[0]) if row else []
        return corrections

    def save_alignment_corrections(
        self, document_id: str, translation_id: str, corrections: list[dict[str, Any]]
    ) -> None:
        """Replace the stored corrections of this pair (one transaction; none deletes the row)."""
        with self.conn:
            if corrections:
                self.conn.execute(
                    "INSERT OR REPLACE INTO alignment_corrections"
                    " (document_id, translation_id, fixed, updated) VALUES"
                    " (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    [document_id, translation_id, json.dumps(corrections, separators=(",", ":"))],
                )
            else:
                self.conn.execute(
                    "DELETE FROM alignment_corrections WHERE document_id = ? AND translation_id = ?",
                    [document_id, translation_id],
                )

    def cached_alignment(self, document_id: str, translation_id: str, key: str) -> list[list[Any]] | None:
        """The cached beads if they were computed for ``key``, else None."""
        row = self.conn.execute(
            "SELECT beads FROM alignments WHERE document_id = ? AND translation_id = ? AND key = ?",
            [document_id, translation_id, key],
        ).fetchone()
        if row is None:
            return None
        beads: list[list[Any]] = json.loads(row[0])
        return beads

    def put_cached_alignment(
        self, document_id: str, translation_id: str, key: str, beads: list[list[Any]]
    ) -> None:
        """Remember the beads computed for ``key`` (a read-only database just does not cache)."""
        import sqlite3

        try:
            with self.conn:
                self.conn.execute(
                    "INSERT OR REPLACE INTO alignments(document_id, translation_id, key, beads, created) "
                    "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    [document_id, translation_id, key, json.dumps(beads, separators=(",", ":"))],
                )
        except sqlite3.OperationalError:
            pass
