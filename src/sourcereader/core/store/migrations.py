"""The one migration set of the database.

Each domain module of the store registers its own steps on :data:`MIGRATIONS` with the
decorator (``@MIGRATIONS(name="0002_alignments")``); they are applied in registration
order, which is the (isort-sorted) import order in ``store/__init__.py``. Domains have
independent tables, so that order only has to be stable. A step, once released, is never
edited: schema changes are new steps.
"""

from __future__ import annotations

from sqlite_utils import Migrations

MIGRATIONS = Migrations("sourcereader")
