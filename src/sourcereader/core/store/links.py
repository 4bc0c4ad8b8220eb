"""Links between passages of two witnesses of one event (the Soviet and the German record, say).

A link joins a stretch of sentences of one document to a stretch of another, with an optional
note. Links are symmetric: :meth:`WitnessLinksMixin.witness_links` returns them oriented from
whichever document is asked about. Sentences are stored by id and by content hash, so a link
whose text changed can be reported rather than silently pointing elsewhere.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database


@MIGRATIONS(name="0007_witness_links")
def _witness_links(db: Database) -> None:
    db.execute(
        "CREATE TABLE witness_links (id INTEGER PRIMARY KEY, "
        "a_document TEXT NOT NULL, a_first TEXT NOT NULL, a_last TEXT NOT NULL, a_hash TEXT NOT NULL, "
        "b_document TEXT NOT NULL, b_first TEXT NOT NULL, b_last TEXT NOT NULL, b_hash TEXT NOT NULL, "
        "note TEXT NOT NULL DEFAULT '', created TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX witness_links_a ON witness_links(a_document)")
    db.execute("CREATE INDEX witness_links_b ON witness_links(b_document)")


@dataclass(frozen=True)
class Passage:
    """A stretch of consecutive sentences of one document."""

    document_id: str
    first: str
    """Id of the first sentence (``s12``)."""
    last: str
    """Id of the last sentence (the same as ``first`` for one sentence)."""
    hash: str = ""
    """Content hash of the passage's text when the link was made."""


@dataclass(frozen=True)
class WitnessLink:
    """A link between a passage of one witness and a passage of another."""

    a: Passage
    b: Passage
    note: str = ""
    id: int | None = None
    """Set once stored."""
    created: str = ""

    def reversed(self) -> WitnessLink:
        """The same link seen from ``b``."""
        return replace(self, a=self.b, b=self.a)


class WitnessLinksMixin:
    """Queries over ``witness_links``."""

    conn: sqlite3.Connection

    def add_witness_link(self, link: WitnessLink) -> WitnessLink:
        """Store a link; return it with its id."""
        with self.conn:
            cursor = self.conn.execute(
                "INSERT INTO witness_links(a_document, a_first, a_last, a_hash, b_document, b_first, b_last, "
                "b_hash, note, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                [
                    link.a.document_id,
                    link.a.first,
                    link.a.last,
                    link.a.hash,
                    link.b.document_id,
                    link.b.first,
                    link.b.last,
                    link.b.hash,
                    link.note,
                ],
            )
        row = self.conn.execute(
            "SELECT created FROM witness_links WHERE id = ?", [cursor.lastrowid]
        ).fetchone()
        return replace(link, id=cursor.lastrowid, created=str(row[0]))

    def witness_links(self, document_id: str, other_id: str | None = None) -> list[WitnessLink]:
        """Links from ``document_id`` (to ``other_id`` only, if given), oriented with ``a`` in it."""
        rows = self.conn.execute(
            "SELECT id, a_document, a_first, a_last, a_hash, b_document, b_first, b_last, b_hash, note, "
            "created FROM witness_links WHERE a_document = ? OR b_document = ? ORDER BY id",
            [document_id, document_id],
        ).fetchall()
        out: list[WitnessLink] = []
        for r in rows:
            link = WitnessLink(
                Passage(r[1], r[2], r[3], r[4]), Passage(r[5], r[6], r[7], r[8]), r[9], int(r[0]), r[10]
            )
            if link.a.document_id != document_id:
                link = link.reversed()
            if other_id is None or link.b.document_id == other_id:
                out.append(link)
        return out

    def delete_witness_link(self, link_id: int) -> bool:
        """Remove a link; True if it existed."""
        with self.conn:
            cursor = self.conn.execute("DELETE FROM witness_links WHERE id = ?", [link_id])
        return cursor.rowcount > 0
