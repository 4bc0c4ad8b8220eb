"""The library commands, run in-process (and once as a real subprocess)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sourcereader.cli import build_parser, run

SOVIET = "1940-11-12-soviet-record-hitler-molotov"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _check_help(parser: argparse.ArgumentParser, name: str) -> int:
    """Assert every option and subcommand of ``parser`` has help; return how many commands were seen."""
    seen = 1
    for action in parser._actions:
        assert action.help, f"{name}: option {action.option_strings or action.dest} has no help"
        if isinstance(action, argparse._SubParsersAction):
            lines = {a.dest: a.help for a in action._choices_actions}
            for sub_name, command in action.choices.items():
                assert lines.get(sub_name), f"{name} {sub_name} has no help line"
                assert command.description, f"{name} {sub_name} has no description"
                seen += _check_help(command, f"{name} {sub_name}")
    return seen


def test_commands_have_help() -> None:
    """Every command and subcommand, at every depth (models install, notes edit, …)."""
    assert _check_help(build_parser(), "sourcereader") > 20


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "list", "--json")
    assert status == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows[SOVIET]["status"] == "partial"
    assert rows[SOVIET]["translations"][0]["id"] == "hse-answer-en"
    assert rows[SOVIET]["witnesses"] == ["1940-11-12-german-record-hitler-molotov"]
    assert rows["1940-11-25-schulenburg-telegram"]["translations"][0]["language"] == "en"


def test_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "list")
    assert status == 0
    assert SOVIET in out and "PARTIAL" in out and "witnesses of the same event" in out


def test_show_numbers_sentences_and_gaps(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "show", SOVIET)
    assert status == 0
    assert " s1  Гитлер заявляет" in out
    assert "[GAP: unknown amount of text" in out
    status, out, _ = cli(capsys, "show", SOVIET, "--json")
    data = json.loads(out)
    assert data["meta"]["id"] == SOVIET
    assert {e["type"] for e in data["elements"]} >= {"sentence", "gap", "truncated", "fragment"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "no-such-doc"], "no document with id 'no-such-doc'"),
        (["segment", "--lang", "xx"], "unknown language 'xx'"),
        (["segment", "/no/such/file", "--lang", "en"], "no such file"),
        (["import", "/no/such/file", "--lang", "en", "--title", "x"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = cli(capsys, *argv)
    assert status == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_every_command_words_an_unknown_language_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from sourcereader.core.choices import UnknownLanguage, check_language

    with pytest.raises(UnknownLanguage) as caught:
        check_language("xx")
    expected = f"sourcereader: {caught.value}\n"
    assert str(caught.value).startswith("unknown language 'xx' (known: am, ar, bg,")
    text = tmp_path / "t.txt"
    text.write_text("One. Two.\n", encoding="utf-8")
    for argv in (
        ["segment", str(text), "--lang", "xx"],
        ["align", str(text), str(text), "--src-lang", "en", "--tgt-lang", "xx"],
        ["translate", SOVIET, "--to", "xx"],
    ):
        status, _, err = cli(capsys, *argv)
        assert (status, err) == (2, expected), argv
    # A file header's language says which file it is in, then the same words.
    status, _, err = cli(capsys, "import", str(text), "--lang", "xx", "--title", "T")
    assert status == 2 and err.endswith(f": {caught.value}\n")


def test_segment_jsonl_one_line_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Hello there. How are you?\nOne line.\n", encoding="utf-8")
    status, out, _ = cli(capsys, "segment", str(src), "--lang", "en", "--format", "jsonl")
    assert status == 0
    assert [json.loads(x) for x in out.splitlines()] == [["Hello there.", "How are you?"], ["One line."]]


def test_segment_text_escapes_control_sequences(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Evil \x1b]0;pwned\x07 title. [bold]Not bold[/bold].\n", encoding="utf-8")
    status, out, _ = cli(capsys, "segment", str(src), "--lang", "en")
    assert status == 0
    assert "\x1b" not in out and "\\x1b]0;pwned" in out
    assert "[bold]Not bold[/bold]" in out


def test_import_then_list_and_refuse_duplicates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "notes.md"
    src.write_text("Первая фраза. Вторая фраза.\n\nНовый абзац.\n", encoding="utf-8")
    status, out, err = cli(
        capsys, "import", str(src), "--lang", "ru", "--title", "Моя запись", "--date", "1940-11-14"
    )
    assert status == 0, err
    assert "imported moya-zapis (3 sentences" in out
    status, out, _ = cli(capsys, "show", "moya-zapis", "--json")
    assert json.loads(out)["origin"] == "user"
    status, _, err = cli(capsys, "import", str(src), "--lang", "ru", "--title", "Моя запись")
    assert status == 2 and "already in your library" in err
    status, _, err = cli(capsys, "import", str(src), "--lang", "ru", "--title", "x", "--id", SOVIET)
    assert status == 2 and "bundled with sourcereader" in err
    status, out, err = cli(
        capsys, "import", str(src), "--lang", "ru", "--title", "Full", "--id", SOVIET, "--replace"
    )
    assert status == 0, err
    status, out, _ = cli(capsys, "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows[SOVIET]["origin"] == "user" and rows[SOVIET]["sentences"] == 3


def test_import_keeps_an_existing_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from sourcereader.core.documents import format_header

    header = {
        "id": "mine",
        "title": "T",
        "language": "en",
        "date": "1941",
        "kind": "letter",
        "status": "complete",
        "original_publication": "",
        "archival_reference": "Box 3",
        "copy_source": "scan",
        "license": "CC0",
        "notes": "",
    }
    src = tmp_path / "mine.txt"
    src.write_text(format_header(header) + "Dear sir. Regards.", encoding="utf-8")
    status, _, err = cli(capsys, "import", str(src))
    assert status == 0, err
    status, out, _ = cli(capsys, "show", "mine", "--json")
    assert json.loads(out)["meta"]["archival_reference"] == "Box 3"


def test_import_translation_of_a_bundled_document(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "tr.txt"
    src.write_text("Hitler declares that mutual recognition would serve both peoples.\n", encoding="utf-8")
    status, out, err = cli(
        capsys, "import", str(src), "--translation-of", SOVIET, "--lang", "en", "--translator", "Me Myself"
    )
    assert status == 0, err
    status, out, _ = cli(capsys, "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert {t["id"] for t in rows[SOVIET]["translations"]} == {"hse-answer-en", "en-me-myself"}
    status, out, err = cli(
        capsys, "import", str(src), "--translation-of", SOVIET, "--lang", "en", "--translator", "Me Myself"
    )
    assert status == 2 and err == (
        f"sourcereader: document {SOVIET!r} already has a translation 'en-me-myself'; use --replace or --id\n"
    )
    status, out, err = cli(capsys, "import", str(src), "--translation-of", SOVIET, "--translator", "Me")
    assert status == 2 and "--lang is required (the file has no header naming its language)" in err


def test_import_refuses_bad_files_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from sourcereader import locations

    bad = tmp_path / "bad.txt"
    bad.write_bytes("Молотов".encode("cp1251"))
    assert cli(capsys, "import", str(bad), "--lang", "ru", "--title", "x")[0] == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert cli(capsys, "import", str(empty), "--lang", "ru", "--title", "x")[0] == 2
    ok = tmp_path / "ok.txt"
    ok.write_text("Text.", encoding="utf-8")
    assert cli(capsys, "import", str(ok), "--lang", "xx", "--title", "x")[0] == 2
    status, _, err = cli(capsys, "import", str(ok), "--lang", "en")
    assert (
        status == 2 and err == "sourcereader: --title is required (the file has no header naming its title)\n"
    )
    status, _, err = cli(capsys, "import", str(ok), "--title", "x")
    assert (
        status == 2
        and err == "sourcereader: --lang is required (the file has no header naming its language)\n"
    )
    assert not list((locations.user_library_dir()).rglob("*.txt"))


def test_python_dash_m_runs_as_a_subprocess() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sourcereader", "show", "nope"], capture_output=True, text=True, env=os.environ
    )
    assert out.returncode == 2
    assert out.stderr.startswith("sourcereader: no document with id 'nope'")


def test_a_translation_in_the_documents_own_language_needs_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The Soviet record is Russian: a "translation" of it in Russian is most likely a wrong --lang.
    src = tmp_path / "tr.txt"
    src.write_text("Гитлер заявляет, что обоюдное признание послужит обоим народам.\n", encoding="utf-8")
    argv = ["import", str(src), "--translation-of", SOVIET, "--lang", "ru", "--translator", "Me"]
    status, out, err = cli(capsys, *argv)
    assert status == 2 and out == ""
    assert err == (
        f"sourcereader: the translation is in 'ru', the language of {SOVIET!r} itself: a translation is "
        "usually in another language; check --lang (or the file's header), or use --force to import it "
        "anyway\n"
    )
    status, out, _ = cli(capsys, "list", "--json")
    assert {t["id"] for t in {r["id"]: r for r in json.loads(out)}[SOVIET]["translations"]} == {
        "hse-answer-en"
    }
    status, out, err = cli(capsys, *argv, "--force")
    assert status == 0 and out.startswith("imported translation ru-me of")
    assert err == (
        f"sourcereader: warning: translation ru-me is in 'ru', the language of {SOVIET} itself "
        "(imported because of --force)\n"
    )


def test_show_translation_marks_unsure_beads_as_the_reader_does(capsys: pytest.CaptureFixture[str]) -> None:
    from sourcereader.core.alignment.beads import UNSURE_BELOW

    status, out, _err = cli(capsys, "show", SOVIET, "--translation", "hse-answer-en")
    assert status == 0
    assert f"? unsure: confidence under {UNSURE_BELOW:.2f}" in out
    for line in out.splitlines():
        if line.startswith("bead "):
            confidence = float(line.split("confidence ")[1].split()[0])
            assert line.rstrip().endswith("?") == (confidence < UNSURE_BELOW), line
