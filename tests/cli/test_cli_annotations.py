"""The annotation commands, run in-process against the isolated home's database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from sourcereader.cli import run
from sourcereader.core.store import Store
from tests.support import REPO

SOVIET = "1940-11-12-soviet-record-hitler-molotov"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def annotate(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    status, out, err = cli(capsys, "annotate", SOVIET, *argv)
    assert status == 0, err
    return int(out)


def notes_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    status, out, err = cli(capsys, "notes", "--json", *argv)
    assert status == 0, err
    data: list[dict[str, object]] = json.loads(out)
    return data


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def count() -> int:
    store = Store.open()
    try:
        return sum(store.annotation_counts().values())
    finally:
        store.close()


def test_annotate_and_list(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a = annotate(
        capsys, "s2", "--note", "Hitler on *both peoples*", "--tag", "Peace", "--highlight", "yellow"
    )
    b = annotate(capsys, "s3", "--to", "s4", "--tag", "PEACE", "--tag", "Asia")
    c = annotate(capsys, "s5", "--span", "0:7", "--highlight", "green")
    stdin(monkeypatch, "From *stdin*\n")
    d = annotate(
        capsys, "s16", "--note", "-", "--relation", "--compare", "hse-answer-en", "--tag", "omission"
    )
    e = annotate(capsys, "s1", "--translation", "hse-answer-en", "--note", "insertion [Germany and Italy]")
    rows = notes_json(capsys)
    assert [r["id"] for r in rows] == [a, b, c, d, e]
    by_id = {r["id"]: r for r in rows}
    assert by_id[a]["kind"] == "note" and by_id[a]["tags"] == ["Peace"]
    assert by_id[b]["kind"] == "tag" and by_id[b]["tags"] == ["Peace", "Asia"]
    assert by_id[b]["sentences"] == ["s3", "s4"]
    assert by_id[c]["kind"] == "highlight" and by_id[c]["span"] == [0, 7]
    assert by_id[d]["kind"] == "relation" and by_id[d]["note"] == "From *stdin*"
    assert by_id[d]["compared"] == ["hse-answer-en"]
    assert by_id[e]["translation"] == "hse-answer-en"
    assert [r["id"] for r in notes_json(capsys, "--tag", "peace")] == [a, b]
    assert [r["id"] for r in notes_json(capsys, "--kind", "highlight")] == [c]
    assert [r["id"] for r in notes_json(capsys, "--text", "STDIN")] == [d]
    status, out, _ = cli(capsys, "notes", "--doc", SOVIET)
    assert status == 0 and "#Peace #Asia" in out and "relation vs hse-answer-en" in out


def test_edit_delete_restore_retag_purge(capsys: pytest.CaptureFixture[str]) -> None:
    a = annotate(capsys, "s2", "--note", "first")
    assert cli(capsys, "notes", "edit", str(a), "--note", "second")[0] == 0
    assert notes_json(capsys)[0]["note"] == "second"
    assert cli(capsys, "notes", "retag", str(a), "--tag", "x", "--tag", "Y")[0] == 0
    assert notes_json(capsys)[0]["tags"] == ["x", "Y"]
    status, out, _ = cli(capsys, "notes", "delete", str(a))
    assert status == 0 and f"notes restore {a}" in out
    assert notes_json(capsys) == []
    assert len(notes_json(capsys, "--deleted")) == 1
    assert cli(capsys, "notes", "restore", str(a))[0] == 0
    assert len(notes_json(capsys)) == 1
    cli(capsys, "notes", "delete", str(a))
    assert cli(capsys, "notes", "purge")[0] == 2
    assert count() == 0 and cli(capsys, "notes", "purge", "--yes")[0] == 0
    assert notes_json(capsys, "--deleted") == []


@pytest.mark.parametrize(
    ("argv", "stdin_text", "message"),
    [
        (["annotate", "nope", "s1", "--note", "x"], None, "no document with id 'nope'"),
        (["annotate", SOVIET, "s999", "--note", "x"], None, "no sentence 's999'"),
        (["annotate", SOVIET, "s3", "--to", "s2", "--note", "x"], None, "comes before"),
        (["annotate", SOVIET, "s2", "--span", "0:9999", "--note", "x"], None, "outside sentence s2"),
        (["annotate", SOVIET, "s2", "--span", "abc", "--note", "x"], None, "--span must be START:END"),
        (
            ["annotate", SOVIET, "s2", "--to", "s3", "--span", "0:2", "--note", "x"],
            None,
            "cannot be combined",
        ),
        (["annotate", SOVIET, "s2", "--highlight", "mauve"], None, "unknown highlight colour 'mauve'"),
        (["annotate", SOVIET, "s2", "--note", "-"], "  \n", "note read from standard input is empty"),
        (["annotate", SOVIET, "s2"], None, "nothing to save"),
        (["annotate", SOVIET, "s2", "--tag", " "], None, "empty tag"),
        (
            ["annotate", SOVIET, "s2", "--compare", "hse-answer-en", "--note", "x"],
            None,
            "goes with --relation",
        ),
        (["annotate", SOVIET, "s2", "--relation", "--note", "x"], None, "must name the translation"),
        (["annotate", SOVIET, "s2", "--relation", "--compare", "zz"], None, "has no translation 'zz'"),
        (["annotate", SOVIET, "s1", "--translation", "zz", "--note", "x"], None, "has no translation 'zz'"),
        (["notes", "edit", "99", "--note", "x"], None, "no annotation with id 99"),
        (["notes", "edit", "99"], None, "nothing to change"),
        (["notes", "delete", "99"], None, "no annotation with id 99"),
        (["notes", "retag", "99"], None, "--tag at least once"),
        (["notes", "--doc", "nope"], None, "no document with id 'nope'"),
        (["reanchor", "nope"], None, "no document with id 'nope'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin_text: str | None,
    message: str,
) -> None:
    if stdin_text is not None:
        stdin(monkeypatch, stdin_text)
    status, out, err = cli(capsys, *argv)
    assert status == 2, (out, err)
    assert message in err and err.count("\n") == 1
    assert count() == 0


def test_restore_of_a_live_annotation_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    a = annotate(capsys, "s2", "--note", "x")
    status, _, err = cli(capsys, "notes", "restore", str(a))
    assert status == 2 and "is not deleted" in err


def _replace_bundled_with(tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: dict[str, str]) -> None:
    original = (REPO / "sources" / f"{SOVIET}.txt").read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in original
        original = original.replace(old, new)
    path = tmp_path / "full.txt"
    path.write_text(original, encoding="utf-8")
    status, _, err = cli(capsys, "import", str(path), "--id", SOVIET, "--replace")
    assert status == 0, err


def test_reanchor_after_importing_the_full_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    moved = annotate(capsys, "s2", "--note", "moved by the new text")
    fuzzy = annotate(capsys, "s5", "--span", "0:40", "--note", "edited words")
    lost = annotate(capsys, "s7", "--note", "its sentence disappears", "--tag", "lost")
    status, out, _ = cli(capsys, "notes", "--json")
    quotes = {r["id"]: r["quote"] for r in json.loads(out)}
    lost_quote = str(quotes[lost])
    fuzzy_quote = str(quotes[fuzzy])
    _replace_bundled_with(
        tmp_path,
        capsys,
        {
            "+++\n\n[[FRAGMENT 1/3": "+++\n\nНачало записи. Присутствовали переводчики.\n\n[[FRAGMENT 1/3",
            fuzzy_quote: fuzzy_quote.replace("в том", "в этом"),
            lost_quote: "",
        },
    )
    status, out, err = cli(capsys, "reanchor", SOVIET)
    assert status == 0, err
    assert f"{SOVIET}: 3 checked, 2 re-anchored (1 quote, 1 fuzzy), 1 orphan" in out
    rows = {r["id"]: r for r in notes_json(capsys)}
    assert rows[moved]["sentences"] == ["s4"] and rows[moved]["anchor_method"] == "quote"
    assert rows[fuzzy]["anchor_method"] == "fuzzy"
    assert rows[lost]["status"] == "orphan" and rows[lost]["quote"] == lost_quote
    assert [r["id"] for r in notes_json(capsys, "--orphans")] == [lost]
    # the user re-attaches the orphan
    assert cli(capsys, "notes", "reattach", str(lost), "s1")[0] == 0
    assert notes_json(capsys, "--orphans") == []
    status, out, _ = cli(capsys, "reanchor", "--json")
    assert json.loads(out)[0]["counts"] == {"unchanged": 3}


def test_every_annotation_command_and_option_has_help() -> None:
    import argparse

    from sourcereader.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    mine = ["annotate", "notes", "reanchor", "export", "import-annotations"]
    parsers = [sub.choices[name] for name in mine]
    notes_actions = next(
        a for a in sub.choices["notes"]._actions if isinstance(a, argparse._SubParsersAction)
    )
    parsers += list(notes_actions.choices.values())
    assert set(notes_actions.choices) == {"edit", "delete", "restore", "retag", "reattach", "purge"}
    for command in parsers:
        assert command.description, command.prog
        for action in command._actions:
            assert action.help, f"{command.prog}: {action.option_strings or action.dest} has no help"
