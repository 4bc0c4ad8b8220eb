"""The store: the one place with SQL. A class over a sqlite-utils Database that returns dataclasses.

One database file (``locations.database_path()``) holds the segmentation cache, alignment
caches and corrections, machine translations, annotations, witness links, claims and evidence,
and the reader's column layouts. Opening it:

* WAL journal and a busy timeout, so two app instances and a CLI script can share it;
* a backup copy (``<db>.bak-<migration>``) is written before any pending migration runs;
* a database written by a newer sourcereader (migrations we don't know) is refused, not touched;
* a corrupt file is detected (``PRAGMA quick_check``) and reported with the backups found;
  every other fault (a full disk, a directory in the database's place, a read-only directory
  with changes still in the write-ahead log, a database moved away while the app runs) gets a
  message of its own — only a damaged file is ever called damaged.

Domain modules (``library``, ``alignments``, ``machine_translations``, ``annotations``, ``search``,
``links``, ``claims``, ``layouts``) each hold their tables' migration steps and a mixin with their queries;
:class:`Store` combines the mixins. Every domain module must be imported here: a migration
that is registered only when some other module happens to be imported would make a database
look "newer" to a process that did not import it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sourcereader.core.errors import StoreError
from sourcereader.core.store import links, search  # the reader's search index and witness links
from sourcereader.core.store.alignments import AlignmentMixin
from sourcereader.core.store.annotations import AnnotationMixin
from sourcereader.core.store.claims import ClaimsMixin
from sourcereader.core.store.layouts import ColumnLayoutMixin
from sourcereader.core.store.machine_translations import MachineTranslationMixin
from sourcereader.core.store.migrations import MIGRATIONS
from sourcereader.core.store.segmentations import SegmentationMixin

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
    ColumnLayoutMixin,
):
    """Typed access to the database. Use :meth:`open` or :meth:`memory`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self.conn = conn
        """The connection every query goes through (one per thread: workers open their own store)."""
        self.thread = threading.get_ident()
        """The thread that opened the store, whose connection this is (see ``SegmentationMixin``)."""
        self.path = path
        self.identity = _identity(path) if path is not None else None
        """The database file's (device, inode) when opened: :meth:`reopen` checks it is still there."""

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
    def open(cls, path: Path | None = None, *, check: bool = True) -> Store:
        """Open (creating or upgrading) the database at ``path`` (default: the user data dir).

        A database in a directory the user cannot write to is opened read-only: reading
        works, and a write fails with a message saying the database is read-only. ``check``
        False skips the integrity check (:meth:`reopen`: this process checked the file already).
        """
        if path is None:
            from sourcereader import locations

            path = locations.database_path()
        if path.is_dir():
            raise StoreError(
                f"{path} is a directory, not a database; move it out of the way "
                "(or set SOURCEREADER_HOME to use another place)"
            )
        existed = path.exists() and path.stat().st_size > 0
        if existed and not os.access(path.parent, os.W_OK):
            return cls._open_read_only(path, check=check)
        try:
            conn = sqlite3.connect(str(path), timeout=busy_timeout_ms() / 1000, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(_describe(path, exc)) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            if existed and check:
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

    def reopen(self) -> Store:
        """Another connection to this store's database file (a worker thread's own).

        Refuses, instead of creating a new empty database, when the file was moved, deleted or
        replaced since this store opened it: a save would otherwise land in a file nobody reads.
        """
        if self.path is None:
            return self
        if _identity(self.path) != self.identity:
            raise StoreError(
                f"the database {self.path} was moved, deleted or replaced while sourcereader was "
                "running; nothing was written to it — put it back, or restart sourcereader"
            )
        # Not checked again: quick_check reads the whole file (0.1 s for 100,000 annotations), and
        # every worker reopens the store.
        return type(self).open(self.path, check=False)

    @classmethod
    def _open_read_only(cls, path: Path, *, check: bool = True) -> Store:
        # Nothing can be created in a read-only directory. Without a write-ahead log, immutable=1
        # reads the file alone (and nobody can be writing to it). Committed changes still in a
        # leftover -wal file must be read too: mode=ro reads them through the existing -shm file,
        # and when SQLite cannot, the user is told rather than shown a silently partial view.
        wal = path.with_name(path.name + "-wal")
        pending_log = wal.exists() and wal.stat().st_size > 0
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if pending_log else "&immutable=1")
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            if pending_log:
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.DatabaseError:
                    conn.close()
                    raise StoreError(
                        f"the database {path} has saved changes in {wal.name} that cannot be read because "
                        f"{path.parent} is read-only; open it once with write access to {path.parent} "
                        "(or copy the folder somewhere writable) — nothing was changed"
                    ) from None
            if check:
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
        raise StoreError(_damaged(path, str(result[0] if result else "no answer")))


def describe_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """A one-line, actionable description of a database error (used by the CLI too)."""
    return _describe(path, exc)


LOW_SPACE_BYTES = 1 << 20
"""Below this much free space, an I/O error of the database is reported as a full disk: SQLite needs
room for its write-ahead log and shared-memory index even to read."""


def _describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    """What went wrong, by SQLite's primary result code (and the file system), never guessed from a
    message: only a file SQLite found corrupt or not a database is called damaged."""
    code = getattr(exc, "sqlite_errorcode", sqlite3.SQLITE_ERROR) & 0xFF
    message = str(exc)
    if path.is_dir():
        return f"{path} is a directory, not a database; move it out of the way (or set SOURCEREADER_HOME)"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in message:
        waited = busy_timeout_ms() / 1000
        return f"the database {path} is locked by another process (waited {waited:g} s); try again"
    if code == sqlite3.SQLITE_READONLY or "readonly" in message or "read-only" in message:
        return f"the database {path} is read-only; check the permissions of {path.parent}"
    free = _free_bytes(path)
    if code == sqlite3.SQLITE_FULL or "too large" in message or (free is not None and free < LOW_SPACE_BYTES):
        return (
            f"no space left on the disk holding {path}; free some space and try again (nothing was changed)"
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return _damaged(path, message)
    if code == sqlite3.SQLITE_IOERR:
        return (
            f"the disk holding {path} could not be read or written ({message}); check the disk and try again"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return (
            f"the database {path} cannot be opened ({message}); check that {path.parent} exists and is yours"
        )
    return f"the database {path} could not be used ({message})"


def _damaged(path: Path, message: str) -> str:
    backups = sorted(path.parent.glob(path.name + ".bak-*"))
    hint = f"; the latest backup is {backups[-1]}" if backups else "; no backup was found next to it"
    return f"the database {path} is damaged ({message}){hint}"


def _free_bytes(path: Path) -> int | None:
    """Free space for unprivileged writers on the file system of ``path`` (None when unknown)."""
    for folder in (path.parent, *path.parent.parents):
        try:
            stats = os.statvfs(folder)
        except (OSError, AttributeError):
            continue
        return stats.f_bavail * stats.f_frsize
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


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
