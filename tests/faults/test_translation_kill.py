"""SIGKILL in the middle of `sourcereader translate`: the database stays whole, finished batches
stay stored, and the next run translates only what is left.

Runs the real command in a subprocess on a synthetic Argos package (random weights: the output
is noise, which is all this test needs).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.argos import BuiltPackages, build_test_packages

BATCH = 8


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackages:
    return build_test_packages(tmp_path_factory.mktemp("synthetic-argos-kill"))


def _env(home: Path) -> dict[str, str]:
    argos = home / "argos"
    for sub in ("packages", "data", "config", "cache"):
        (argos / sub).mkdir(parents=True, exist_ok=True)
    return dict(
        os.environ,
        SOURCEREADER_HOME=str(home / "sr"),
        ARGOS_PACKAGES_DIR=str(argos / "packages"),
        XDG_DATA_HOME=str(argos / "data"),
        XDG_CONFIG_HOME=str(argos / "config"),
        XDG_CACHE_HOME=str(argos / "cache"),
    )


def _sourcereader(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sourcereader", *argv], env=env, capture_output=True, text=True
    )


def test_sigkill_during_translation_then_resume(tmp_path: Path, built: BuiltPackages) -> None:
    env = _env(tmp_path)
    assert _sourcereader(env, "models", "install", str(built.ru_en)).returncode == 0
    long_text = tmp_path / "long.txt"
    long_text.write_text(
        "\n\n".join(
            f"Молотов задал вопрос номер {n}. Гитлер ответил на вопрос {n} длинно." for n in range(300)
        ),
        encoding="utf-8",
    )
    made = _sourcereader(env, "import", str(long_text), "--lang", "ru", "--title", "Long", "--id", "long")
    assert made.returncode == 0, made.stderr
    total = 600

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sourcereader",
            "translate",
            "long",
            "--beam",
            "1",
            "--batch-size",
            str(BATCH),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    reported = 0
    for line in proc.stderr:
        found = re.match(r"translated (\d+)/(\d+)", line)
        if found:
            reported = int(found.group(1))
            if reported >= 5 * BATCH:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < reported < total, "the run finished before it could be killed"

    db = tmp_path / "sr" / "data" / "sourcereader.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = conn.execute("SELECT count(*) FROM machine_translations").fetchone()[0]
    conn.close()
    # A progress line can come from inside a batch that was not stored yet: at most one batch is lost.
    assert kept >= reported - BATCH
    assert kept % BATCH == 0  # whole batches only: never a partial one

    again = _sourcereader(env, "translate", "long", "--beam", "1", "--batch-size", str(BATCH))
    assert again.returncode == 0, again.stderr
    assert f"{kept} already cached, {total - kept} translated" in again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM machine_translations").fetchone()[0] == total
    conn.close()
