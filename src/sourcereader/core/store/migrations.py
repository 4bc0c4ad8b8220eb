"""The one migration set of the database.

Each domain module of the store registers its own steps on :data:`MIGRATIONS` with the
decorator (``@MIGRATIONS(name="0002_alignments")``). Steps are applied in the order of their
names, which start with a four-digit number, whatever order the modules registering them were
imported in: a fresh database and an upgraded one go through the same sequence. A step, once
released, is never edited: schema changes are new steps with the next free number.

Steps are applied by ``sqlite_utils.Migrations`` (each in a transaction, recorded in
``_sqlite_migrations``). This registry only collects them, so that opening an up-to-date
database, which is what almost every run does, needs neither sqlite-utils nor the numpy and
pandas probes it makes on import (~0.15 s, a third of the reader's first frame).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

MigrationFunction = Callable[["Database"], None]

STEP_NAME = re.compile(r"(\d{4})_[a-z0-9_]+")
"""A step's name: its four-digit number, then what it does (``0002_alignments``)."""


@dataclass
class Step:
    """One registered migration step."""

    name: str
    fn: MigrationFunction
    transactional: bool = True


class MigrationSet:
    """Migration steps by name, applied through ``sqlite_utils.Migrations`` when any is pending."""

    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Step] = []

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[MigrationFunction], MigrationFunction]:
        """Register the decorated function as the next step."""

        def register(fn: MigrationFunction) -> MigrationFunction:
            step_name = name or fn.__name__
            number = STEP_NAME.fullmatch(step_name)
            if number is None:
                raise ValueError(f"migration {step_name!r} must be named NNNN_what_it_does")
            if any(step.name[:4] == number[1] for step in self._migrations):
                raise ValueError(f"migration number {number[1]} is registered twice")
            self._migrations.append(Step(step_name, fn, transactional))
            self._migrations.sort(key=lambda step: step.name)
            return fn

        return register

    @property
    def names(self) -> set[str]:
        """The names of every registered step."""
        return {step.name for step in self._migrations}

    def applied_names(self, conn: sqlite3.Connection) -> list[str]:
        """Names of the steps of this set recorded in the database, in the order applied."""
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [self.migrations_table]
        ).fetchone()
        if exists is None:
            return []
        rows = conn.execute(
            f"SELECT name FROM {self.migrations_table} WHERE migration_set = ? ORDER BY rowid", [self.name]
        ).fetchall()
        return [str(row[0]) for row in rows]

    def applied(self, db: Database | sqlite3.Connection) -> list[Step]:
        """The applied steps (known or not), in order; ``fn`` is a no-op for unknown ones."""
        by_name = {step.name: step for step in self._migrations}
        return [by_name.get(n, Step(n, _unknown)) for n in self.applied_names(_connection(db))]

    def pending(self, db: Database | sqlite3.Connection) -> list[Step]:
        """Registered steps not applied yet, in name order."""
        done = set(self.applied_names(_connection(db)))
        return [step for step in self._migrations if step.name not in done]

    def apply(self, db: Database | sqlite3.Connection) -> None:
        """Apply every pending step (each in its own transaction, through sqlite-utils)."""
        conn = _connection(db)
        if not self.pending(conn):
            return
        from sqlite_utils import Database, Migrations

        migrations = Migrations(self.name)
        for step in self._migrations:
            migrations(name=step.name, transactional=step.transactional)(step.fn)
        migrations.apply(db if isinstance(db, Database) else Database(conn))


def _connection(db: Any) -> sqlite3.Connection:
    conn: sqlite3.Connection = db if isinstance(db, sqlite3.Connection) else db.conn
    return conn


def _unknown(db: Database) -> None:
    raise RuntimeError("a migration this version of sourcereader does not know cannot be run")


MIGRATIONS = MigrationSet("sourcereader")
