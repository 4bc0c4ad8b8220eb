"""What the tables of rows on an anchor share: annotations, claims and evidence links.

Each of those tables has the same anchor columns, the same bin (``deleted_at``), the same durable
transaction per user action and the same guarded write of re-anchoring results; the queries that
differ stay in :mod:`~sourcereader.core.store.annotations` and :mod:`~sourcereader.core.store.claims`.
No tables and no migrations here.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid as uuidlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sourcereader.core.annotations import Anchor


def now() -> str:
    """The current time, ISO 8601 UTC with milliseconds (sorts as text)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def anchor_values(anchor: Anchor) -> dict[str, Any]:
    """The anchor columns of a row (without ``translation_id``, which only annotations have)."""
    return {
        "document_id": anchor.document_id,
        "anchor_version": anchor.version,
        "sentence_ids": json.dumps(list(anchor.sentence_ids)),
        "span_start": anchor.span[0] if anchor.span else None,
        "span_end": anchor.span[1] if anchor.span else None,
        "quote_exact": anchor.exact,
        "quote_prefix": anchor.prefix,
        "quote_suffix": anchor.suffix,
        "position_start": anchor.start,
        "position_end": anchor.end,
    }


def new_row_values(
    anchor: Anchor, uuid: str | None, created: str | None, updated: str | None, stamp: str
) -> dict[str, Any]:
    """The columns every new row on an anchor starts with, made at time ``stamp``: anchored, its
    quote the original one. An imported row comes with its ``uuid`` (and keeps its times); a new
    one gets a fresh uuid."""
    return {
        **anchor_values(anchor),
        "uuid": uuid or str(uuidlib.uuid4()),
        "created": created or stamp,
        "updated": updated or created or stamp,
        "status": "anchored",
        "anchor_method": "imported" if uuid else "created",
        "checked_version": anchor.version,
        "original_quote": anchor.exact,
    }


@contextmanager
def user_action(conn: sqlite3.Connection, what: str) -> Iterator[sqlite3.Connection]:
    """One user action on ``conn``: ``BEGIN IMMEDIATE`` (a read-then-write never sees a stale
    snapshot in WAL mode; the busy timeout queues it behind another writer), committed with
    ``synchronous=FULL`` so that what a save returned survives a crash or a power cut (the rest of
    the store runs with NORMAL for its caches). ``what`` names the action in the error raised when
    one is started inside another transaction."""
    if conn.in_transaction:
        raise RuntimeError(f"{what} was started inside another transaction")
    conn.execute("PRAGMA synchronous = FULL")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("PRAGMA synchronous = NORMAL")


def insert(conn: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row of ``values`` (column: value) into ``table``; its id."""
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    cursor = conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", dict(values))
    return int(cursor.lastrowid or 0)


def set_deleted(conn: sqlite3.Connection, table: str, row_id: int, *, deleted: bool) -> None:
    """Put a row in the bin (``deleted``) or take it out."""
    conn.execute(f"UPDATE {table} SET deleted_at = ? WHERE id = ?", [now() if deleted else None, row_id])


def reattach(conn: sqlite3.Connection, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    """Put a row on the anchor whose columns are ``values`` (see :func:`anchor_values`), chosen by
    the user: anchored, method ``manual``, checked against the anchor's own text version."""
    sets = ", ".join(f"{k} = :{k}" for k in values)
    conn.execute(
        f"UPDATE {table} SET {sets}, status = 'anchored', anchor_method = 'manual', "
        "checked_version = :anchor_version, updated = :updated WHERE id = :id",
        {**values, "updated": now(), "id": row_id},
    )


def save_reanchored(
    conn: sqlite3.Connection,
    table: str,
    row_id: int,
    old: Anchor,
    new: Mapping[str, Any] | None,
    method: str,
    checked: str,
) -> int:
    """Write one re-anchoring result: the new anchor's columns ``new`` (None: the row is an orphan)
    found by ``method``, checked against text version ``checked``. Only if the row still has the
    anchor ``old`` it was read with (another process may have re-attached it since); only anchor
    columns are written, so a note edited meanwhile is kept. Returns the rows written (0 or 1)."""
    guard = (
        "id = :id AND anchor_version = :old_version AND position_start = :old_start "
        "AND quote_exact = :old_exact"
    )
    values: dict[str, Any] = {
        "id": row_id,
        "old_version": old.version,
        "old_start": old.start,
        "old_exact": old.exact,
        "checked": checked,
        "method": method,
    }
    if new is None:
        sql = (
            f"UPDATE {table} SET status = 'orphan', anchor_method = 'orphan', "
            f"checked_version = :checked WHERE {guard}"
        )
    else:
        values.update(new)
        sets = ", ".join(f"{k} = :{k}" for k in new)
        sql = (
            f"UPDATE {table} SET {sets}, status = 'anchored', anchor_method = :method, "
            f"checked_version = :checked WHERE {guard}"
        )
    return conn.execute(sql, values).rowcount
