"""The store: the one place with SQL. A class over a sqlite-utils Database that returns dataclasses.

One database file (``locations.database_path()``) holds the segmentation cache, alignment
caches and corrections, machine translations, annotations and witness links. Opening it:

* WAL journal and a busy timeout, so two app instances and a CLI script can share it;
* a backup copy (``<db>.bak-<migration>``) is written before any pending migration runs;
* a database written by a newer sourcereader (migrations we don't know) is refused, not touched;
* a corrupt file is detected (``PRAGMA quick_check``) and reported with the backups found.

Domain modules (``library``, ``alignments``, ``translations``, ``annotations``) each hold their
tables' migration steps and a mixin with their queries; :class:`Store` combines the mixins.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from sourcereader.core.store import links, search  # the reader's search index and witness links
from sourcereader.core.store.annotations import AnnotationMixin
from sourcereader.core.store.library import SegmentationMixin
from sourcereader.core.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class Store(SegmentationMixin, search.SearchIndexMixin, links.WitnessLinksMixin, AnnotationMixin):
    """Typed access to the database. Use :meth:`open` or :meth:`memory`."""

    def __init__(self, db: Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory store (tests)."""
        db = Database(memory=True)
        MIGRATIONS.apply(db)
        return cls(db)

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (creating or upgrading) the database at ``path`` (default: the user data dir)."""
        if path is None:
            from sourcereader import locations

            path = locations.database_path()
        existed = path.exists() and path.stat().st_size > 0
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        db = Database(conn)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if existed:
                _check_integrity(db, path)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            _refuse_newer(db, path)
            pending = MIGRATIONS.pending(db)
            if pending and existed and _has_user_tables(db):
                _backup(db, path, pending[0].name)
            MIGRATIONS.apply(db)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(_describe(path, exc)) from None
        return cls(db, path)

    def close(self) -> None:
        """Close the connection."""
        self.db.conn.close()


def _check_integrity(db: Database, path: Path) -> None:
    try:
        result = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(_describe(path, exc)) from None
    if result is None or result[0] != "ok":
        raise StoreError(_describe(path, sqlite3.DatabaseError(str(result[0] if result else "no answer"))))


def _describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    backups = sorted(path.parent.glob(path.name + ".bak-*"))
    hint = f"; the latest backup is {backups[-1]}" if backups else "; no backup was found next to it"
    message = str(exc)
    if "locked" in message:
        waited = BUSY_TIMEOUT_MS // 1000
        return f"the database {path} is locked by another process (waited {waited} s); try again"
    if "readonly" in message or "read-only" in message:
        return f"the database {path} is read-only; check the permissions of {path.parent}"
    if "disk" in message and "full" in message:
        return f"the disk holding {path} is full; free some space and try again"
    return f"the database {path} is damaged ({message}){hint}"


def _refuse_newer(db: Database, path: Path) -> None:
    if not db[MIGRATIONS.migrations_table].exists():
        return
    known = {m.name for m in MIGRATIONS._migrations}
    applied = {m.name for m in MIGRATIONS.applied(db)}
    unknown = sorted(applied - known)
    if unknown:
        raise StoreError(
            f"the database {path} was written by a newer sourcereader (it has migration {unknown[0]}); "
            "upgrade sourcereader to use it — it was not changed"
        )


def _has_user_tables(db: Database) -> bool:
    return any(not name.startswith("_") and not name.startswith("sqlite_") for name in db.table_names())


def _backup(db: Database, path: Path, before: str) -> None:
    target = path.with_name(f"{path.name}.bak-{before}")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
