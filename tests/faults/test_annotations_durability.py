"""An annotation whose save returned is never lost: SIGKILL mid-loop, two writers at once, upgrades."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sourcereader.core.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from sourcereader.core.annotations import Anchor, AnnotationDraft
    from sourcereader.core.store import Store

    store = Store.open(Path(sys.argv[1]))
    label, count = sys.argv[2], int(sys.argv[3])
    n = 0
    while count < 0 or n < count:
        n += 1
        anchor = Anchor("doc", ("s1",), "quote", "", "", 0, 5, "v1")
        saved = store.add_annotation(AnnotationDraft(anchor, kind="note", note=f"{label} {n}", tags=(label,)))
        print(saved.id, flush=True)
    """
)


def _writer(db: Path, label: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), label, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_loses_no_saved_annotation(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store.open(db).close()
    proc = _writer(db, "killed", -1)
    assert proc.stdout is not None
    printed: list[int] = []
    for line in proc.stdout:
        printed.append(int(line))
        if len(printed) >= 150:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    store = Store.open(db)
    present = {a.id for a in store.annotations()}
    assert set(printed) <= present
    assert all(a.tags == ("killed",) for a in store.annotations())
    store.close()


def test_two_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store.open(db).close()
    procs = [_writer(db, label, 200) for label in ("left", "right")]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    store = Store.open(db)
    for label, (out, _) in zip(("left", "right"), outputs, strict=True):
        ids = {int(x) for x in out.split()}
        assert len(ids) == 200
        assert {a.id for a in store.annotations(tag=label)} == ids
    store.close()


def test_two_open_stores_see_each_others_work(tmp_path: Path) -> None:
    from sourcereader.core.annotations import Anchor, AnnotationDraft

    db = tmp_path / "s.db"
    first, second = Store.open(db), Store.open(db)
    anchor = Anchor("doc", ("s1",), "quote", "", "", 0, 5, "v1")
    a = first.add_annotation(AnnotationDraft(anchor, kind="tag", tags=("one",)))
    b = second.add_annotation(AnnotationDraft(anchor, kind="tag", tags=("ONE",)))
    assert second.annotation(a.id).tags == ("one",) and b.tags == ("one",)
    first.delete_annotation(b.id)
    assert [x.id for x in second.annotations()] == [a.id]
    first.close()
    second.close()


def test_an_upgrade_keeps_annotations_and_backs_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later sourcereader adds a migration: the backup is written first and annotations survive."""
    from sqlite_utils import Database, Migrations

    from sourcereader.core.annotations import Anchor, AnnotationDraft
    from sourcereader.core.store.migrations import MIGRATIONS

    db = tmp_path / "s.db"
    store = Store.open(db)
    anchor = Anchor("doc", ("s1",), "quote", "", "", 0, 5, "v1")
    saved = store.add_annotation(AnnotationDraft(anchor, kind="note", note="keep me", tags=("t",)))
    store.close()

    def later(db: Database) -> None:
        db.execute("ALTER TABLE annotations ADD COLUMN colour_v2 TEXT")

    step = Migrations._Migration("9999_test_upgrade", later, True)
    monkeypatch.setattr(MIGRATIONS, "_migrations", [*MIGRATIONS._migrations, step])
    reopened = Store.open(db)
    assert reopened.annotation(saved.id) == saved
    assert (tmp_path / "s.db.bak-9999_test_upgrade").exists()
    backup = Store.open(tmp_path / "s.db.bak-9999_test_upgrade")
    assert backup.annotation(saved.id).note == "keep me"
    backup.close()
    reopened.close()
