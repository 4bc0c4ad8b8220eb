"""``sourcereader align``: formats, paragraph marks and one-line errors for bad input."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sourcereader import cli
from sourcereader.cli import align as cli_align
from sourcereader.cli.common import UserError

RU = "Молотов прибыл в Берлин.\nЕго встретил Риббентроп.\n\nПереговоры шли два дня.\n"
EN = "Molotov arrived in Berlin.\nHe was met by Ribbentrop.\n\nThe talks lasted two days.\n"


def _args(
    src: Path, tgt: Path, fmt: str = "vecalign", one: bool = True, sl: str = "ru"
) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli_align.register(parser.add_subparsers())
    argv = ["align", str(src), str(tgt), "--src-lang", sl, "--tgt-lang", "en", "--format", fmt]
    return parser.parse_args([*argv, "--one-per-line"] if one else argv)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "a.ru", tmp_path / "a.en"
    src.write_text(RU, encoding="utf-8")
    tgt.write_text(EN, encoding="utf-8")
    return src, tgt


def test_vecalign(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_align.run(_args(*files)) == 0
    assert capsys.readouterr().out == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_json_has_sentences_and_confidence(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cli_align.run(_args(*files, fmt="json"))
    rows = json.loads(capsys.readouterr().out)
    assert rows[2]["src_text"] == ["Переговоры шли два дня."]
    assert all(0 <= r["confidence"] <= 1 for r in rows)


def test_text_format_segments_paragraphs(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cli_align.run(_args(*files, fmt="text", one=False))
    out = capsys.readouterr().out
    assert "confidence" in out and "> The talks lasted two days." in out


def test_one_per_line_breaks() -> None:
    sents, breaks = cli_align.sentences_one_per_line("a\nb\n\n\nc\n")
    assert sents == ["a", "b", "c"] and breaks == {2}


@pytest.mark.parametrize("case", ["missing", "directory", "binary", "empty", "lang"])
def test_bad_input_is_a_user_error(files: tuple[Path, Path], tmp_path: Path, case: str) -> None:
    src, tgt = files
    sl = "ru"
    if case == "missing":
        src = tmp_path / "nope.txt"
    elif case == "directory":
        src = tmp_path
    elif case == "binary":
        src.write_bytes(b"\xff\xfe\x00bad")
    elif case == "empty":
        src.write_text("  \n", encoding="utf-8")
    else:
        sl = "xx"
    with pytest.raises(UserError) as err:
        cli_align.run(_args(src, tgt, sl=sl))
    assert "\n" not in str(err.value)


def test_subprocess_exit_status(tmp_path: Path, files: tuple[Path, Path]) -> None:
    code = "from sourcereader.cli import align, common; import sys, argparse\n" \
           "p = argparse.ArgumentParser(); align.register(p.add_subparsers())\n" \
           "a = p.parse_args(sys.argv[1:])\n" \
           "try:\n    sys.exit(a.func(a))\nexcept common.UserError as e:\n" \
           "    print(e, file=sys.stderr); sys.exit(2)\n"  # fmt: skip
    argv = [sys.executable, "-c", code, "align", str(tmp_path / "missing"), str(files[1]),
            "--src-lang", "ru", "--tgt-lang", "en"]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("no such file")
    assert "textual" not in proc.stdout


CONTROL = "Molotov \x1b[2J\x1b]0;pwned\x07asked\r a question \x9b31m here.\nHitler answered.\n"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_control_characters_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    src, tgt = tmp_path / "a.en", tmp_path / "b.en"
    src.write_text(CONTROL, encoding="utf-8")
    tgt.write_text("Molotov asked a question here.\nHitler answered.\n", encoding="utf-8")
    assert cli_align.run(_args(src, tgt, fmt=fmt, sl="en")) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\r\x9b")
    if fmt == "json":
        assert json.loads(out)[0]["src_text"][0].startswith("Molotov \x1b[2J")  # kept, escaped


def test_bom_dropped_and_nul_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, tgt = tmp_path / "a.en", tmp_path / "b.en"
    src.write_bytes("\ufeffOne.\nTwo.\n".encode())
    tgt.write_text("One.\nTwo.\n", encoding="utf-8")
    cli_align.run(_args(src, tgt, fmt="json", sl="en"))
    assert json.loads(capsys.readouterr().out)[0]["src_text"] == ["One."]
    src.write_bytes(b"One.\x00\nTwo.\n")
    with pytest.raises(UserError, match="NUL") as err:
        cli_align.run(_args(src, tgt, sl="en"))
    assert "\n" not in str(err.value)


def _registered(module_name: str) -> list[str]:
    """The command names a subcommand module adds to a parser."""
    import importlib

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module_name).register(sub)
    return list(sub.choices)


def test_command_table_matches_what_the_modules_register() -> None:
    registered = {name: module for module in cli.COMMAND_MODULES for name in _registered(module)}
    assert registered == cli.COMMANDS
    assert list(registered) == list(cli.COMMANDS)  # the --help order


def test_a_command_line_builds_only_its_own_command() -> None:
    assert cli._commands(cli.build_parser("align")) == {"align"}
    assert cli._commands(cli.build_parser("notes")) == {"annotate", "notes", "reanchor"}
    assert cli._commands(cli.build_parser("--version")) == set(cli.COMMANDS)


def test_an_unknown_command_still_lists_them_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["algin"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'algin'" in err and "'align'" in err and "'export'" in err
    assert err.count("\n") == 1 and err.startswith("sourcereader: ")


def test_align_starts_without_the_store_or_other_commands(tmp_path: Path) -> None:
    # Scripts and evaluations start `sourcereader align` once per file: what it imports is its start-up.
    # Thirty sentences, so that the aligner re-estimates its parameters (the medians) from a first pass.
    src, tgt = tmp_path / "a.ru", tmp_path / "a.en"
    src.write_text("".join(f"Предложение {i}, и {'ещё ' * (i % 7)}слова.\n" for i in range(30)), "utf-8")
    tgt.write_text("".join(f"Sentence {i}, and {'more ' * (i % 7)}words.\n" for i in range(30)), "utf-8")
    code = (
        "import json, sys\nfrom sourcereader.cli import run\nstatus = run(sys.argv[1:])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    argv = [sys.executable, "-c", code, "align", str(src), str(tgt),
            "--src-lang", "ru", "--tgt-lang", "en", "--one-per-line", "--format", "vecalign"]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True)
    beads, loaded = proc.stdout.rstrip("\n").rsplit("\n", 1)
    assert beads.endswith("[29]:[29]")
    modules = set(json.loads(loaded))
    assert "sourcereader.core.alignment" in modules  # the check sees what was imported
    unwanted = {"sqlite3", "numpy.ma", "sourcereader.core.store", "sourcereader.core.documents"}
    unwanted |= set(cli.COMMAND_MODULES) - {"sourcereader.cli.align"}
    assert not modules & unwanted


@pytest.mark.parametrize(("fmt", "priced"), [("vecalign", False), ("json", True), ("text", True)])
def test_confidences_are_computed_only_for_formats_that_show_them(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fmt: str, priced: bool
) -> None:
    import sourcereader.core.alignment.aligner as al
    from sourcereader.core.alignment.beads import Bead

    asked: list[bool] = []
    real = al.align

    def recording(*args: Any, **kwargs: Any) -> list[Bead]:
        asked.append(kwargs["confidence"])
        return real(*args, **kwargs)

    monkeypatch.setattr(al, "align", recording)
    assert cli_align.run(_args(*files, fmt=fmt)) == 0
    assert asked == [priced]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads through /proc")
def test_align_starts_no_blas_threads(files: tuple[Path, Path]) -> None:
    code = (
        "import os, sys\nfrom sourcereader.cli import run\nstatus = run(sys.argv[1:])\n"
        "print(len(os.listdir('/proc/self/task')))\n"
    )
    argv = [sys.executable, "-c", code, "align", str(files[0]), str(files[1]),
            "--src-lang", "ru", "--tgt-lang", "en", "--one-per-line", "--format", "vecalign"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True, env=env)
    assert proc.stdout.split()[-1] == "1"
