"""Machine-translated sentences, one row per sentence, with their provenance.

Keyed by (document id, target language, sentence id). Each row keeps the hash of the source
sentence it was made from: when the document's sentence changes, the row is *stale* — kept
and reported as such, machine-translated again only on request. Rows are written one batch
per transaction, so an interrupted run keeps every finished batch and a re-run resumes.

The row types (``MachineSentence``, ``StoredMachineSentence``, ``Provenance``) belong to
machine translation (``core/translation/machine.py``), which reaches this mixin only through
its ``MachineTranslationCache`` protocol: the store imports machine translation, never the
other way round.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS
from sourcereader.core.translation.machine import MachineSentence, Provenance, StoredMachineSentence

if TYPE_CHECKING:
    from sqlite_utils import Database


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


class MachineTranslationMixin:
    """Queries over ``machine_translations``: the store as a ``machine.MachineTranslationCache``."""

    conn: sqlite3.Connection

    def machine_translations(self, document_id: str, target: str) -> dict[str, StoredMachineSentence]:
        """Every stored machine-translated sentence of a document in ``target``, by sentence id."""
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
        """Store ``(sentence_id, source_hash, machine sentence)`` rows in one transaction (one batch)."""
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
