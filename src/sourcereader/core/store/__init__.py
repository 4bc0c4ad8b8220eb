"""The store: the one place with SQL. A class over a sqlite-utils Database that returns dataclasses.

One database file (``locations.database_path()``) holds the segmentation cache, alignment
caches and corrections, machine translations, annotations, witness links, claims and evidence. Opening it:

* WAL journal and a busy timeout, so two app instances and a CLI script can share it;
* a backup copy (``<db>.bak-<migration>``) is written before any pending migration runs;
* a database written by a newer sourcereader (migrations we don't know) is refused, not touched;
* a corrupt file is detected (``PRAGMA quick_check``) and reported with the backups found.

Domain modules (``library``, ``alignments``, ``translations``, ``annotations``, ``search``,
``links``, ``claims``) each hold their tables' migration steps and a mixin with their queries;
:class:`Store` combines the mixins. Every domain module must be imported here: a migration
that is registered only when some other module happens to be imported would make a database
look "newer" to a process that did not import it.
"""

from __future__ import annotations

import os
import sqlite3
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sourcereader.core.errors import StoreError
from sourcereader.core.store import links, search  # the reader's search index and witness links
from sourcereader.core.store.alignments import AlignmentMixin
from sourcereader.core.store.annotations import AnnotationMixin
from sourcereader.core.store.claims import ClaimsMixin
from sourcereader.core.store.library import SegmentationMixin
from sourcereader.core.store.migrations import MIGRATIONS
from sourcereader.core.store.translations import MachineTranslationMixin

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["BUSY_TIMEOUT_MS", "Store", "StoreError", "busy_timeout_ms", "describe_error"]

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another one before giving up (``SOURCEREADER_BUSY_TIMEOUT_MS`` overrides)."""


def busy_timeout_ms() -> int:
    """The busy timeout in force."""
    value = os.environ.get("SOURCEREADER_BUSY_TIMEOUT_MS", "")
    return int(value) if value.isdigit() else BUSY_TIMEOUT_MS


class Store(
    SegmentationMixin,
    AlignmentMixin,
    MachineTranslationMixin,
    AnnotationMixin,
    search.SearchIndexMixin,
    links.WitnessLinksMixin,
    ClaimsMixin,
):
    """Typed access to the database. Use :meth:`open` or :meth:`memory`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        """The connection every query goes through (one per thread: workers open their own store)."""
        self.path = path

    @cached_property
    def db(self) -> Database:
        """The same connection as a sqlite-utils Database (for migrations, browsing, scripts).

        Built on first use: importing sqlite-utils costs ~0.15 s that most runs never need.
        """
        from sqlite_utils import Database

        return Database(self.conn)

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory store (tests)."""
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        MIGRATIONS.apply(conn)
        return cls(conn)

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (creating or upgrading) the database at ``path`` (default: the user data dir).

        A database in a directory the user cannot write to is opened read-only: reading
        works, and a write fails with a message saying the database is read-only.
        """
        if path is None:
            from sourcereader import locations

            path = locations.database_path()
        existed = path.exists() and path.stat().st_size > 0
        if existed and not os.access(path.parent, os.W_OK):
            return cls._open_read_only(path)
        try:
            conn = sqlite3.connect(str(path), timeout=busy_timeout_ms() / 1000, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(_describe(path, exc)) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            if existed:
                _check_integrity(conn, path)
                _refuse_newer(conn, path)  # before anything that could write to the file
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            pending = MIGRATIONS.pending(conn)
            if pending and existed and _has_user_tables(conn):
                _backup(conn, path, pending[0].name)
            MIGRATIONS.apply(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(_describe(path, exc)) from None
        except StoreError:
            conn.close()
            raise
        return cls(conn, path)

    @classmethod
    def _open_read_only(cls, path: Path) -> Store:
        # immutable=1: no -wal/-shm files are needed (none can be created in a read-only
        # directory), and nobody can be writing to it either.
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            _check_integrity(conn, path)
            _refuse_newer(conn, path)
            if MIGRATIONS.pending(conn):
                raise StoreError(
                    f"the database {path} needs an upgrade but its directory is read-only; "
                    f"check the permissions of {path.parent}"
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(path, exc)) from None
        return cls(conn, path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(_describe(path, exc)) from None
    if result is None or result[0] != "ok":
        raise StoreError(_describe(path, sqlite3.DatabaseError(str(result[0] if result else "no answer"))))


def describe_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """A one-line, actionable description of a database error (used by the CLI too)."""
    return _describe(path, exc)


def _describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    backups = sorted(path.parent.glob(path.name + ".bak-*"))
    hint = f"; the latest backup is {backups[-1]}" if backups else "; no backup was found next to it"
    message = str(exc)
    if "locked" in message:
        waited = busy_timeout_ms() / 1000
        return f"the database {path} is locked by another process (waited {waited:g} s); try again"
    if "readonly" in message or "read-only" in message:
        return f"the database {path} is read-only; check the permissions of {path.parent}"
    if "full" in message or "too large" in message:
        return f"the disk holding {path} is full; free some space and try again"
    return f"the database {path} is damaged ({message}){hint}"


def _refuse_newer(conn: sqlite3.Connection, path: Path) -> None:
    unknown = sorted(set(MIGRATIONS.applied_names(conn)) - MIGRATIONS.names)
    if unknown:
        raise StoreError(
            f"the database {path} was written by a newer sourcereader (it has migration {unknown[0]}); "
            "upgrade sourcereader to use it — it was not changed"
        )


def _has_user_tables(conn: sqlite3.Connection) -> bool:
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return any(not name.startswith("_") and not name.startswith("sqlite_") for name in names)


def _backup(conn: sqlite3.Connection, path: Path, before: str) -> None:
    target = path.with_name(f"{path.name}.bak-{before}")
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
