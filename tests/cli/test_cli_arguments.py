"""Arguments the shell can hand us that are not text, and the crash log's safety."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sourcereader import locations
from sourcereader.cli import run

SOVIET = "1940-11-12-soviet-record-hitler-molotov"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["annotate", SOVIET, "s3", "--note", "caf\udce9"], "--note"),
        (["annotate", SOVIET, "s3", "--tag", "ok", "--tag", "caf\udce9"], "--tag"),
        (["annotate", "caf\udce9", "s3"], "ID"),
        (["notes", "--text", "\udcff"], "--text"),
        (["show", "caf\udce9"], "ID"),
    ],
)
def test_text_arguments_that_are_not_utf8_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    status, out, err = _cli(capsys, *argv)
    assert status == 2 and out == ""
    assert err == f"sourcereader: {named} is not valid UTF-8 text; nothing was done\n"
    assert not locations.database_path().exists()


def test_non_utf8_argument_from_a_real_shell(tmp_path: Path) -> None:
    env = dict(os.environ, SOURCEREADER_HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-m", "sourcereader", "annotate", SOVIET, "s3", "--note", os.fsdecode(b"caf\xe9")],
        env=env,
        capture_output=True,
    )
    assert done.returncode == 2
    assert done.stderr == b"sourcereader: --note is not valid UTF-8 text; nothing was done\n"


def test_the_crash_log_never_follows_a_planted_link(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sourcereader.cli.library as library_cli

    def boom(args: object) -> int:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(library_cli, "run_list", boom)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    log = locations.cache_dir() / "crash.log"
    log.symlink_to(victim)
    status, _, err = _cli(capsys, "list")
    assert status == 1 and "internal error: RuntimeError: unexpected" in err
    assert "details in" not in err
    assert victim.read_text(encoding="utf-8") == "precious\n"
    log.unlink()
    status, _, err = _cli(capsys, "list")
    assert status == 1 and f"details in {log}" in err
    assert "RuntimeError: unexpected" in log.read_text(encoding="utf-8")
    assert log.stat().st_mode & 0o777 == 0o600


def test_a_file_name_that_is_not_utf8_imports_with_the_name_escaped(tmp_path: Path) -> None:
    env = dict(os.environ, SOURCEREADER_HOME=str(tmp_path / "home"))
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("Привет мир. Второе предложение.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sourcereader", "import", name, "--lang", "ru", "--title", "Café"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "sourcereader", "show", "cafe", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    assert "imported from caf\\\\xe9.txt on " in shown.stdout


HUGE = "9" * 25


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["notes", "delete", HUGE], f"argument ANN_ID: '{HUGE}' is not a whole number"),
        (
            ["notes", "edit", "99999999999999999999", "--note", "x"],
            "argument ANN_ID: 99999999999999999999 is outside",
        ),
        (["notes", "reattach", HUGE, "s3"], "is not a whole number"),
        (["notes", "restore", "0"], "argument ANN_ID: 0 is outside 1–"),
        (["annotate", SOVIET, "s3", "--span", f"1:{HUGE}"], "--span must be START:END with two numbers"),
        (["export", "--context", HUGE], "is not a whole number"),
        (["show", SOVIET, "--bogus"], "unrecognized arguments: --bogus (see `sourcereader --help`)"),
    ],
)
def test_numbers_beyond_reason_and_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = _cli(capsys, *argv)
    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("sourcereader: ")
