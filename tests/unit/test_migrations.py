"""Migration steps run in the order of their numbers, not of the imports that register them."""

from __future__ import annotations

import sqlite3

import pytest

from sourcereader.core.store import Store
from sourcereader.core.store.migrations import MIGRATIONS, MigrationSet


def test_steps_run_in_name_order_whatever_the_registration_order() -> None:
    ran: list[str] = []
    steps = MigrationSet("test")
    for name in ("0007_links", "0003_translations", "0010_late", "0001_first"):

        def step(db: object, name: str = name) -> None:
            ran.append(name)

        steps(name=name)(step)
    conn = sqlite3.connect(":memory:")
    steps.apply(conn)
    assert ran == ["0001_first", "0003_translations", "0007_links", "0010_late"]
    assert steps.applied_names(conn) == ran


def test_a_fresh_database_records_every_step_in_name_order() -> None:
    store = Store.memory()
    applied = MIGRATIONS.applied_names(store.conn)
    assert applied == sorted(MIGRATIONS.names)
    assert applied[0].startswith("0001_")
    store.close()


@pytest.mark.parametrize("name", ["alignments", "12_short", "0002-dash", "0002_alignments"])
def test_badly_named_or_renumbered_steps_are_refused(name: str) -> None:
    steps = MigrationSet("test")
    steps(name="0002_alignments")(lambda db: None)
    with pytest.raises(ValueError):
        steps(name=name)(lambda db: None)
