"""Hostile input for ``claims``, ``diff`` and ``export --claims``: every bad argument and every hostile
file ends in exit 0 or exit 2 with one line on stderr, never a traceback, never a raw control
sequence on the terminal, and never a half-written claim."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from sourcereader.cli import run

INPUTS = sorted((Path(__file__).parent / "inputs").iterdir())
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ARTICLE = "wikipedia-german-soviet-axis-talks-003"
LEAD = "wikipedia-german-soviet-axis-talks-001"
#: A secondary source with no other version: showing its claims needs no version diff (quicker).
ANSWER = "history-se-soviet-union-join-axis"
SOVIET = "1940-11-12-soviet-record-hitler-molotov"


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    status = run(argv)
    out, err = capsys.readouterr()
    assert status in (0, 2), (argv, status, err)
    assert "Traceback" not in err and "Traceback" not in out
    assert not RAW_CONTROL.search(out), f"raw control character on stdout for {argv}"
    assert not RAW_CONTROL.search(err), f"raw control character on stderr for {argv}"
    if status == 2:
        assert err.startswith("sourcereader: ") and err.count("\n") == 1, err
    return status, out, err


def _claims(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    status, out, _ = _run(capsys, ["claims", "list", "--json", "--deleted"])
    assert status == 0
    found: list[dict[str, Any]] = json.loads(out)
    return found


def _one_claim(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = _run(capsys, ["claims", "add", ANSWER, "s9", "--label", "fourth partner"])
    assert status == 0


BAD_ARGUMENTS = [
    ["claims", "add", ANSWER, "s2"],
    ["claims", "add", ANSWER, "s2", "--label", ""],
    ["claims", "add", ANSWER, "s2", "--label", "x" * 5000],
    ["claims", "add", ANSWER, "s2", "--label", "red \x1b[31m label"],
    ["claims", "add", ANSWER, "s0", "--label", "x"],
    ["claims", "add", ANSWER, "s99999", "--label", "x"],
    ["claims", "add", ANSWER, "\x1b]0;title\x07", "--label", "x"],
    ["claims", "add", ANSWER, "s3", "--to", "s2", "--label", "x"],
    ["claims", "add", ANSWER, "s2", "--span", "9:2", "--label", "x"],
    ["claims", "add", ANSWER, "s2", "--span", "0:999999", "--label", "x"],
    ["claims", "add", ANSWER, "s2", "--span", "a:b", "--label", "x"],
    ["claims", "add", ANSWER, "s2", "--span", "1:2", "--to", "s3", "--label", "x"],
    ["claims", "add", SOVIET, "s21", "--label", "a primary document is no secondary source"],
    ["claims", "add", ANSWER, "s9", "--quote", "\x1b[31m", "--label", "x"],
    ["claims", "add", ANSWER, "s9", "--quote", "", "--label", "x"],
    ["claims", "add", ANSWER, "s9", "--quote", "x", "--to", "s10", "--label", "x"],
    ["claims", "add", "../../etc/passwd", "s1", "--label", "x"],
    ["claims", "add", "\x1b[2J", "s1", "--label", "x"],
    ["claims", "link", "1", SOVIET, "s21"],
    ["claims", "link", "1", SOVIET, "s21", "--stance", "SUPPORTS!"],
    ["claims", "link", "1", SOVIET, "s21", "--stance", "\x1b[31msupports"],
    ["claims", "link", "1", ANSWER, "s3", "--stance", "supports"],
    ["claims", "link", "1", SOVIET, "s999", "--stance", "supports"],
    ["claims", "link", "2", SOVIET, "s21", "--stance", "supports"],
    ["claims", "link", "0", SOVIET, "s21", "--stance", "supports"],
    ["claims", "link", "-1", SOVIET, "s21", "--stance", "supports"],
    ["claims", "link", "１", SOVIET, "s21", "--stance", "supports"],
    ["claims", "link", "1e3", SOVIET, "s21", "--stance", "supports"],
    ["claims", "link", "99999999999999999999999", SOVIET, "s21", "--stance", "supports"],
    ["claims", "show", "abc"],
    ["claims", "show", "7"],
    ["claims", "show", "1", "--translations", "robots"],
    ["claims", "list", "--doc", "nope"],
    ["claims", "edit", "1"],
    ["claims", "edit", "1", "--label", "\x00"],
    ["claims", "edit-link", "1", "--stance", "context"],
    ["claims", "edit-link", "x", "--stance", "context"],
    ["claims", "unlink", "5"],
    ["claims", "restore-link", "5"],
    ["claims", "delete", "5"],
    ["claims", "restore", "1"],
    ["claims", "reattach", "1", "s99999"],
    ["claims", "reattach-link", "1", "s1"],
    ["claims", "purge"],
    ["diff", LEAD, "\x1b]0;x\x07"],
    ["diff", "../secret", LEAD],
    ["diff", LEAD, SOVIET],
    ["export", "--claims", "x"],
    ["export", "--claims", "7"],
    ["export", "--claims", "--doc", SOVIET],
]


@pytest.mark.parametrize("argv", BAD_ARGUMENTS, ids=[f"{n}-{a[1]}" for n, a in enumerate(BAD_ARGUMENTS)])
def test_bad_arguments(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    _one_claim(capsys)
    before = _claims(capsys)
    status, _, _ = _run(capsys, argv)
    assert status == 2
    assert _claims(capsys) == before  # nothing was written


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_hostile_files_as_labels_notes_and_imports(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    label = data[:150].decode("utf-8", errors="replace") or "empty"
    status, out, _ = _run(capsys, ["claims", "add", ANSWER, "s5", "--label", label, "--note", "-"])
    if status == 0:
        claim = out.strip()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        _run(capsys, ["claims", "link", claim, SOVIET, "s21", "--stance", "supports", "--note", "-"])
        for argv in (["claims", "list"], ["claims", "show", claim], ["export", "--claims"]):
            assert _run(capsys, argv)[0] == 0
        assert _run(capsys, ["export", "--claims", "--format", "w3c"])[0] == 0
    status, _, _ = _run(capsys, ["import-annotations", str(path)])
    assert status == 2  # none of these is a W3C annotation collection


def _claim_file(tmp_path: Path, items: list[Any]) -> Path:
    path = tmp_path / "claims.jsonld"
    path.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    return path


HOSTILE_ITEMS: list[list[Any]] = [
    [{"type": "Annotation", "sr:kind": "claim"}],
    [{"type": "Annotation", "sr:kind": "claim", "id": "urn:uuid:a", "body": "label", "target": "x"}],
    [{"type": "Annotation", "sr:kind": "claim", "id": "urn:uuid:a",
      "body": [{"type": "TextualBody", "value": 5}]}],
    [{"type": "Note", "sr:kind": "evidence"}],
    [{"type": "Annotation", "sr:kind": "evidence", "id": "urn:uuid:b", "sr:stance": ["supports"]}],
    [{"type": "Annotation", "sr:kind": "evidence", "id": "urn:uuid:b", "sr:stance": "supports",
      "body": [{"type": "SpecificResource", "source": "urn:uuid:nowhere", "purpose": "linking"}],
      "target": {"source": f"urn:sourcereader:doc:{SOVIET}",
                 "selector": {"type": "TextQuoteSelector", "exact": "x"}}}],
    [{"type": "Annotation", "sr:kind": "claim", "id": "urn:uuid:c",
      "body": [{"type": "TextualBody", "value": "\x1b[31m" * 300, "purpose": "describing"}],
      "target": {"source": f"urn:sourcereader:doc:{ARTICLE}",
                 "selector": [{"type": "TextQuoteSelector", "exact": "fourth"},
                              {"type": "TextPositionSelector", "start": -5, "end": 2}]}}],
]  # fmt: skip


@pytest.mark.parametrize("items", HOSTILE_ITEMS, ids=[str(n) for n in range(len(HOSTILE_ITEMS))])
def test_hostile_claim_items(capsys: pytest.CaptureFixture[str], tmp_path: Path, items: list[Any]) -> None:
    status, _, _ = _run(capsys, ["import-annotations", str(_claim_file(tmp_path, items))])
    assert status == 2
    assert _claims(capsys) == []
    assert _run(capsys, ["notes", "--json"])[1].strip() == "[]"
