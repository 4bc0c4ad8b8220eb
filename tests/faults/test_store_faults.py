"""Database faults: corruption, read-only directories, a full disk, a newer schema, locks, kills.

Each fault must end in a clear one-line message and exit status 2 (or in correct handling),
never in a traceback, and must never damage the user's data.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcereader import locations
from sourcereader.cli import run
from sourcereader.core.store import Store, StoreError
from sourcereader.core.store.migrations import MIGRATIONS

SOVIET = "1940-11-12-soviet-record-hitler-molotov"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def _annotate(capsys: pytest.CaptureFixture[str], note: str) -> int:
    status, out, err = cli(capsys, "annotate", SOVIET, "s21", "--note", note, "--tag", "fault")
    assert status == 0, err
    return int(out.split()[-1])


def _subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def test_corrupt_database_is_detected_and_points_to_the_backup(capsys: pytest.CaptureFixture[str]) -> None:
    _annotate(capsys, "before the damage")
    db = locations.database_path()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # move everything out of the WAL into the main file
    conn.close()
    backup = db.with_name(db.name + ".bak-0099_test")
    backup.write_bytes(db.read_bytes())
    with db.open("r+b") as handle:
        handle.seek(0)
        handle.write(b"this is not a database" * 50)
    status, _, err = cli(capsys, "notes")
    assert status == 2
    assert "is damaged" in err and str(backup) in err
    assert err.count("\n") == 1


def test_garbage_file_without_backup(capsys: pytest.CaptureFixture[str]) -> None:
    locations.database_path().write_bytes(b"\x00garbage" * 1000)
    status, _, err = cli(capsys, "list")
    assert status == 2 and "no backup was found" in err


def test_newer_database_is_refused_and_not_changed(capsys: pytest.CaptureFixture[str]) -> None:
    _annotate(capsys, "kept")
    db_path = locations.database_path()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
            "VALUES ('sourcereader', '9999_future', 'x')"
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db_path.read_bytes()
    status, _, err = cli(capsys, "notes")
    assert status == 2 and "newer sourcereader" in err
    assert db_path.read_bytes() == before


def test_backup_is_made_before_a_migration(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    Store.open(path).close()

    @MIGRATIONS(name="9000_test_only")
    def _extra(db: object) -> None:
        pass

    try:
        Store.open(path).close()
    finally:
        MIGRATIONS._migrations.pop()
    backup = path.with_name("db.sqlite.bak-9000_test_only")
    assert backup.exists()
    with sqlite3.connect(backup) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert "9000_test_only" not in names and names


@pytest.fixture
def as_nobody() -> list[str]:
    """A command prefix that drops root (root ignores file permissions)."""
    if os.geteuid() == 0:
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return []


def test_read_only_data_directory(as_nobody: list[str]) -> None:
    # Not under pytest's tmp_path: its parents are private to root, and the test runs as nobody.
    tmp_path = Path(tempfile.mkdtemp(prefix="sourcereader-ro-"))
    home = tmp_path / "home"
    env = _subprocess_env(SOURCEREADER_HOME=str(home))
    base = [sys.executable, "-m", "sourcereader"]
    made = subprocess.run(
        [*base, "annotate", SOVIET, "s21", "--note", "x"], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    # Everything readable by all, the data directory writable by nobody.
    for p in [tmp_path, home, *home.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    (home / "data").chmod(0o555)
    (home / "data" / "sourcereader.db").chmod(0o444)
    try:
        listed = subprocess.run(
            [*as_nobody, *base, "notes", "--json"], env=env, capture_output=True, text=True
        )
        assert listed.returncode == 0, listed.stderr
        assert '"note": "x"' in listed.stdout
        wrote = subprocess.run(
            [*as_nobody, *base, "annotate", SOVIET, "s21", "--note", "y"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert wrote.returncode == 2
        assert "read-only" in wrote.stderr and "Traceback" not in wrote.stderr
    finally:
        (home / "data").chmod(0o755)
        shutil.rmtree(tmp_path)


def test_full_disk_is_a_clear_message_and_loses_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _subprocess_env(SOURCEREADER_HOME=str(home))
    base = [sys.executable, "-m", "sourcereader"]
    first = subprocess.run(
        [*base, "annotate", SOVIET, "s21", "--note", "saved"], env=env, capture_output=True
    )
    assert first.returncode == 0
    size = (home / "data" / "sourcereader.db").stat().st_size
    # A file-size limit just above the current database: the next big write hits "disk full".
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({size + 8192}, {size + 8192}))
        from sourcereader.cli import main
        sys.argv = ["sourcereader", "annotate", "{SOVIET}", "s21", "--note", "-"]
        main()
        """
    )
    full = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, input="x" * 200_000
    )
    assert full.returncode == 2, full.stderr
    assert "full" in full.stderr and "Traceback" not in full.stderr
    after = subprocess.run([*base, "notes", "--json"], env=env, capture_output=True, text=True)
    assert after.returncode == 0 and '"note": "saved"' in after.stdout
    with sqlite3.connect(home / "data" / "sourcereader.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def locked_database() -> Iterator[Path]:
    """The database with a write lock held by another process."""
    Store.open().close()
    path = locations.database_path()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sqlite3, sys, time
            conn = sqlite3.connect({str(path)!r}, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        yield path
    finally:
        holder.kill()
        holder.wait()


def test_locked_beyond_the_busy_timeout(
    locked_database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCEREADER_BUSY_TIMEOUT_MS", "300")
    status, _, err = cli(capsys, "annotate", SOVIET, "s21", "--note", "x")
    assert status == 2
    assert "locked by another process" in err and "0.3 s" in err


def test_sigkill_during_a_migration_leaves_it_pending(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    Store.open(path).close()
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from sourcereader.core.store import Store
        from sourcereader.core.store.migrations import MIGRATIONS

        @MIGRATIONS(name="9001_slow")
        def _slow(db):
            db["half_done"].insert({{"x": 1}})
            print("inside", flush=True)
            time.sleep(60)

        Store.open(Path({str(path)!r}))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "inside"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store.open(path)
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert "half_done" not in store.db.table_names()
        assert "9001_slow" not in {m.name for m in MIGRATIONS.applied(store.db)}
    finally:
        store.close()


def test_sigkill_during_imports_never_leaves_a_broken_library(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Molotov asked. Hitler answered.\n\n" * 40_000, encoding="utf-8")
    env = _subprocess_env(SOURCEREADER_HOME=str(tmp_path / "home"))
    for delay in (0.2, 0.5, 0.9, 1.4):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sourcereader",
                "import",
                str(big),
                "--lang",
                "en",
                "--title",
                "Big",
                "--replace",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        listed = subprocess.run(
            [sys.executable, "-m", "sourcereader", "list", "--json"], env=env, capture_output=True, text=True
        )
        assert listed.returncode == 0, listed.stderr
        assert "warning" not in listed.stderr
        target = tmp_path / "home" / "data" / "library" / "sources" / "big.txt"
        if target.exists():
            assert target.read_text(encoding="utf-8").count("Molotov asked.") == 40_000
    with sqlite3.connect(tmp_path / "home" / "data" / "sourcereader.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_error_from_open_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"nonsense" * 100)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(bad)


def test_a_directory_in_the_databases_place_is_not_called_damaged(capsys: pytest.CaptureFixture[str]) -> None:
    locations.database_path().mkdir(parents=True)
    status, _, err = cli(capsys, "notes")
    assert status == 2 and err.count("\n") == 1
    assert "is a directory, not a database" in err and "damaged" not in err


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own (tmpfs; needs root, as CI and this machine have)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(disk: Path) -> None:
    with (disk / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def test_a_full_disk_is_named_as_such_for_reading_and_writing(small_disk: Path) -> None:
    env = _subprocess_env(SOURCEREADER_HOME=str(small_disk / "home"))
    base = [sys.executable, "-m", "sourcereader"]
    made = subprocess.run([*base, "annotate", SOVIET, "s21", "--note", "kept"], env=env, capture_output=True)
    assert made.returncode == 0, made.stderr
    _fill(small_disk)
    for command in (["notes"], ["list"], ["annotate", SOVIET, "s21", "--note", "more"]):
        run_ = subprocess.run([*base, *command], env=env, capture_output=True, text=True)
        assert run_.returncode == 2, (command, run_.stderr)
        assert "no space left on the disk holding" in run_.stderr, run_.stderr
        assert "damaged" not in run_.stderr and "backup" not in run_.stderr
        assert run_.stderr.count("\n") == 1 and "Traceback" not in run_.stderr
    (small_disk / "filler").unlink()
    after = subprocess.run([*base, "notes", "--json"], env=env, capture_output=True, text=True)
    assert after.returncode == 0 and '"note": "kept"' in after.stdout


LEAVE_WAL = textwrap.dedent(
    f"""
    import os
    from sourcereader.core.annotations import AnnotationDraft, anchor_for
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

    store = Store.open()
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    document = Library.default(cache=store).document({SOVIET!r})
    for i in range(3):
        store.add_annotation(AnnotationDraft(anchor=anchor_for(document, ["s21"]), note=f"late {{i}}"))
    os._exit(0)  # no checkpoint, no close: the three stay in the write-ahead log
    """
)


@pytest.mark.parametrize("shm_left", [True, False])
def test_a_read_only_folder_with_a_leftover_log_shows_everything_or_says_why(
    as_nobody: list[str], shm_left: bool
) -> None:
    tmp_path = Path(tempfile.mkdtemp(prefix="sourcereader-ro-wal-"))
    home = tmp_path / "home"
    env = _subprocess_env(SOURCEREADER_HOME=str(home))
    base = [sys.executable, "-m", "sourcereader"]
    try:
        for i in range(7):
            made = subprocess.run([*base, "annotate", SOVIET, "s21", "--note", f"early {i}"], env=env)
            assert made.returncode == 0
        subprocess.run([sys.executable, "-c", LEAVE_WAL], env=env, check=True)
        data = home / "data"
        assert (data / "sourcereader.db-wal").stat().st_size > 0
        if not shm_left:
            (data / "sourcereader.db-shm").unlink()
        for p in [tmp_path, home, *home.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        data.chmod(0o555)
        listed = subprocess.run(
            [*as_nobody, *base, "notes", "--json"], env=env, capture_output=True, text=True
        )
        assert "Traceback" not in listed.stderr
        if listed.returncode == 0:
            assert listed.stdout.count('"note": ') == 10, listed.stdout
        else:
            assert listed.returncode == 2 and listed.stderr.count("\n") == 1
            assert "sourcereader.db-wal" in listed.stderr and "read-only" in listed.stderr
        exported = subprocess.run([*as_nobody, *base, "export"], env=env, capture_output=True, text=True)
        assert exported.returncode == listed.returncode
        if exported.returncode == 0:
            assert exported.stdout.count("late ") == 3 and exported.stdout.count("early ") == 7
    finally:
        (home / "data").chmod(0o755)
        shutil.rmtree(tmp_path)


def test_a_database_moved_away_while_running_is_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = Store.open(path)
    own = store.reopen()
    own.close()
    path.rename(tmp_path / "moved.sqlite")
    with pytest.raises(StoreError, match="moved, deleted or replaced"):
        store.reopen()
    assert not path.exists()
    store.close()
