"""The reader's column layouts: which columns a document shows, in which order, kept across runs.

A layout is a list of column keys, as the reader names them: ``source``, ``t:<translation id>``
and ``mt``. A document's own layout is kept under its id; the *default* layout, for documents
the user has not arranged, is kept in portable form (:func:`portable_layout`): ``source``,
``translation`` (a translation of whatever document it is applied to, in the library's order,
human ones first) and ``mt``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_LAYOUT = ""
"""The document id the default layout is kept under (no document has an empty id)."""
TRANSLATION_SLOT = "translation"
"""In the default layout: the next translation of the document it is applied to."""


@MIGRATIONS(name="0011_column_layouts")
def _column_layouts(db: Database) -> None:
    db.execute(
        "CREATE TABLE column_layouts (document_id TEXT PRIMARY KEY, columns TEXT NOT NULL, "
        "updated TEXT NOT NULL)"
    )


def portable_layout(columns: Sequence[str]) -> tuple[str, ...]:
    """A document's layout in the default's form: each translation column becomes a translation slot."""
    return tuple(TRANSLATION_SLOT if key.startswith("t:") else key for key in columns)


def apply_layout(layout: Sequence[str], translations: Sequence[str], *, portable: bool) -> tuple[str, ...]:
    """The columns ``layout`` gives a document with ``translations`` (ids, in the order slots take
    them). Keys the document cannot show (a translation removed since) are dropped; what is left
    may be empty."""
    known = {f"t:{tid}" for tid in translations}
    free = [f"t:{tid}" for tid in translations]
    out: list[str] = []
    for key in layout:
        if portable and key == TRANSLATION_SLOT:
            taken = next((k for k in free if k not in out), None)
            if taken is not None:
                out.append(taken)
        elif key in ("source", "mt") or key in known:
            out.append(key)
    return tuple(dict.fromkeys(out))


class ColumnLayoutMixin:
    """Column layouts by document id (:data:`DEFAULT_LAYOUT` for the default)."""

    conn: sqlite3.Connection

    def column_layout(self, document_id: str) -> tuple[str, ...] | None:
        """The layout kept for ``document_id`` (or the default), None when there is none."""
        row = self.conn.execute(
            "SELECT columns FROM column_layouts WHERE document_id = ?", [document_id]
        ).fetchone()
        if row is None:
            return None
        try:
            keys = json.loads(row[0])
        except ValueError:
            return None
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            return None
        return tuple(keys)

    def set_column_layout(self, document_id: str, columns: Sequence[str]) -> None:
        """Keep ``columns`` as the layout of ``document_id`` (or as the default)."""
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO column_layouts(document_id, columns, updated) "
                "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                [document_id, json.dumps(list(columns))],
            )

    def forget_column_layout(self, document_id: str) -> None:
        """Drop the layout of ``document_id`` (it then opens with the default)."""
        with self.conn:
            self.conn.execute("DELETE FROM column_layouts WHERE document_id = ?", [document_id])
