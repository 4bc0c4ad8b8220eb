"""Machine translations, one row per sentence, with their provenance.

Keyed by (document id, target language, sentence id). Each row keeps the hash of the source
sentence it was made from: when the document's sentence changes, the row is *stale* — kept
and reported as such, re-translated only on request. Rows are written one batch per
transaction, so an interrupted run keeps every finished batch and a re-run resumes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database
from sourcereader.core.translation import MachineSentence, Provenance


@MIGRATIONS(name="0003_machine_translations")
def _machine_translations(db: Database) -> None:
    db["machine_translations"].create(  # type: ignore[union-attr]
        {
            "document_id": str,
            "target": str,
            "sentence_id": str,
            "source_hash": str,
            "text": str,
            "provenance": str,
            "synthetic": int,
            "created": str,
        },
        pk=("document_id", "target", "sentence_id"),
    )


@dataclass(frozen=True)
class StoredMachineSentence:
    """A cached machine translation of one sentence."""

    sentence_id: str
    text: str
    """As stored: starts with the synthetic label when ``provenance.synthetic``."""
    source_hash: str
    """The hash of the source sentence it was made from (``documents.text_hash``)."""
    provenance: Provenance

    def is_stale(self, current_hash: str) -> bool:
        """True when the source sentence has changed since this translation was made."""
        return self.source_hash != current_hash


class MachineTranslationMixin:
    """Queries over ``machine_translations``."""

    conn: sqlite3.Connection

    def machine_translations(self, document_id: str, target: str) -> dict[str, StoredMachineSentence]:
        """Every cached machine translation of a document into ``target``, by sentence id."""
        rows = self.conn.execute(
            "SELECT sentence_id, text, source_hash, provenance FROM machine_translations "
            "WHERE document_id = ? AND target = ?",
            [document_id, target],
        ).fetchall()
        return {
            row[0]: StoredMachineSentence(row[0], row[1], row[2], Provenance.from_json(row[3]))
            for row in rows
        }

    def machine_translation_targets(self, document_id: str) -> list[str]:
        """The target languages a document has cached machine translations for."""
        rows = self.conn.execute(
            "SELECT DISTINCT target FROM machine_translations WHERE document_id = ? ORDER BY target",
            [document_id],
        ).fetchall()
        return [row[0] for row in rows]

    def put_machine_translations(
        self,
        document_id: str,
        target: str,
        rows: Sequence[tuple[str, str, MachineSentence]],
    ) -> None:
        """Store ``(sentence_id, source_hash, translation)`` rows in one transaction (one batch)."""
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO machine_translations"
                "(document_id, target, sentence_id, source_hash, text, provenance, synthetic, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                [
                    (
                        document_id,
                        target,
                        sentence_id,
                        source_hash,
                        mt.text,
                        mt.provenance.to_json(),
                        int(mt.provenance.synthetic),
                    )
                    for sentence_id, source_hash, mt in rows
                ],
            )

    def delete_machine_translations(self, document_id: str, target: str | None = None) -> int:
        """Forget cached machine translations of a document (one target or all); return the count."""
        where, params = "document_id = ?", [document_id]
        if target is not None:
            where, params = where + " AND target = ?", [*params, target]
        with self.conn:
            cursor = self.conn.execute(f"DELETE FROM machine_translations WHERE {where}", params)
        return cursor.rowcount
