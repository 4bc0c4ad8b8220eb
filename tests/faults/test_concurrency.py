"""Three writers at once on one database: two app-like processes and a CLI script.

The two "app instances" write the way the reader does (Store.open + add_annotation, one
transaction per action); the third process runs the real `sourcereader annotate` command
code. Every annotation must be there afterwards, with an intact database.

Sized to prove the property, not to spend a minute: 200 writes each, and halfway every writer
waits until the other two have written their first half too (a barrier through the database), so
the second halves are certain to race whatever the machine's load.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

PER_WRITER = 200
HALF = PER_WRITER // 2

BARRIER = textwrap.dedent(
    f"""
    def barrier(path):
        import sqlite3, time
        conn = sqlite3.connect(path, timeout=30)
        deadline = time.monotonic() + 120
        while conn.execute("SELECT count(*) FROM annotations").fetchone()[0] < 3 * {HALF}:
            if time.monotonic() > deadline:
                raise SystemExit("the other writers never reached the barrier")
            time.sleep(0.005)
        conn.close()
    """
)
SOVIET = "1940-11-12-soviet-record-hitler-molotov"

APP_WRITER = BARRIER + textwrap.dedent(
    f"""
    import sys
    from sourcereader.core.annotations import AnnotationDraft, anchor_for
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

    name = sys.argv[1]
    store = Store.open()
    document = Library.default(cache=store).document({SOVIET!r})
    anchor = anchor_for(document, ["s21"])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range({PER_WRITER}):
        if i == {HALF}:
            barrier(store.path)
        store.add_annotation(AnnotationDraft(anchor=anchor, note=f"{{name}} {{i}}", tags=(name,)))
    print("done", flush=True)
    """
)

CLI_WRITER = BARRIER + textwrap.dedent(
    f"""
    import sys
    from sourcereader.cli import run

    import contextlib, io

    with contextlib.redirect_stdout(io.StringIO()):
        run(["list"])  # warm the caches before the start signal
    print("ready", flush=True)
    sys.stdin.readline()
    with contextlib.redirect_stdout(io.StringIO()):
        for i in range({PER_WRITER}):
            if i == {HALF}:
                from sourcereader import locations
                barrier(locations.database_path())
            status = run(["annotate", {SOVIET!r}, "s21", "--note", f"cli {{i}}", "--tag", "cli"])
            assert status == 0, status
    print("done", flush=True)
    """
)


def test_two_app_instances_and_a_cli_script(tmp_path: Path) -> None:
    env = dict(os.environ, SOURCEREADER_HOME=str(tmp_path / "home"))
    # Create the database first so the writers race on data, not on creating the schema.
    subprocess.run([sys.executable, "-m", "sourcereader", "list"], env=env, check=True, capture_output=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, name],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for script, name in ((APP_WRITER, "app1"), (APP_WRITER, "app2"), (CLI_WRITER, "cli"))
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:  # start all three together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert out.strip().endswith("done")
    with sqlite3.connect(tmp_path / "home" / "data" / "sourcereader.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = [r[0] for r in conn.execute("SELECT note FROM annotations")]
    assert len(notes) == 3 * PER_WRITER
    for name in ("app1", "app2", "cli"):
        assert {n for n in notes if n.startswith(name + " ")} == {f"{name} {i}" for i in range(PER_WRITER)}
