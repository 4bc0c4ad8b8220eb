"""Hostile W3C Web Annotation files for `sourcereader import-annotations`: each is refused in one
line with exit status 2 (nothing imported), or imported with every id safe to print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sourcereader.cli import run

SOVIET = "1940-11-12-soviet-record-hitler-molotov"
URN = "urn:sourcereader:doc:"


def annotation(**target_changes: Any) -> dict[str, Any]:
    target: dict[str, Any] = {
        "source": URN + SOVIET,
        "selector": [
            {"type": "TextQuoteSelector", "exact": "Наша задача", "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": 0, "end": 11},
        ],
        "sr:sentenceIds": ["s3"],
    }
    target.update(target_changes)
    note = {"type": "TextualBody", "value": "a note", "purpose": "commenting"}
    return {"type": "Annotation", "motivation": "commenting", "body": [note], "target": target}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.jsonld"
    path.write_text(text, encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
TITLE = "\x1b]0;owned\x07"

REFUSED: dict[str, str] = {
    "span empty": json.dumps(annotation(**{"sr:span": []})),
    "span of one": json.dumps(annotation(**{"sr:span": [3]})),
    "span of three": json.dumps(annotation(**{"sr:span": [1, 2, 3]})),
    "span of strings": json.dumps(annotation(**{"sr:span": ["a", "b"]})),
    "span reversed": json.dumps(annotation(**{"sr:span": [5, 2]})),
    "start beyond sqlite": json.dumps(
        annotation(
            selector=[
                {"type": "TextQuoteSelector", "exact": "x"},
                {"type": "TextPositionSelector", "start": 2**70, "end": 2**71},
            ]
        )
    ),
    "span beyond sqlite": json.dumps(annotation(**{"sr:span": [0, 2**63]})),
    "5001 digits": json.dumps(annotation()).replace('"start": 0', '"start": ' + "9" * 5001),
    "deep nesting": '{"type": "Annotation", "target": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "document id with OSC 52": json.dumps(annotation(source=URN + "x" + OSC52)),
    "translation id with a title escape": json.dumps(
        annotation(source=URN + SOVIET + ":translation:t" + TITLE)
    ),
    "sentence id with OSC 52": json.dumps(annotation(**{"sr:sentenceIds": ["s1" + OSC52]})),
    "sentence id not sN": json.dumps(annotation(**{"sr:sentenceIds": ["../etc"]})),
    "sentence ids not a list": json.dumps(annotation(**{"sr:sentenceIds": "s3"})),
    "body value a number": json.dumps({**annotation(), "body": [{"type": "TextualBody", "value": 5}]}),
    "tag with escape": json.dumps(
        {**annotation(), "body": [{"type": "TextualBody", "value": "t" + OSC52, "purpose": "tagging"}]}
    ),
    "created a number": json.dumps({**annotation(), "created": 5}),
    "compared a string": json.dumps({**annotation(), "sr:compared": "hse-answer-en"}),
    "compared id with escape": json.dumps({**annotation(), "sr:compared": [{"translation": "t" + OSC52}]}),
    "uuid with escape": json.dumps({**annotation(), "id": "urn:uuid:" + OSC52}),
    "kind unknown": json.dumps({**annotation(), "sr:kind": "evil" + TITLE}),
    "highlight with escape": json.dumps(annotation(styleClass="yellow" + TITLE)),
    "target a string": json.dumps({**annotation(), "target": "urn:x"}),
    "selector a number": json.dumps(annotation(selector=5)),
    "exact a list": json.dumps(annotation(selector=[{"type": "TextQuoteSelector", "exact": ["a"]}])),
    "items not a list": json.dumps({"type": "AnnotationPage", "items": {"a": 1}}),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_w3c_is_refused_in_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "import-annotations", str(_write(tmp_path, REFUSED[name])))
    assert status == 2, (name, err)
    assert err.count("\n") == 1 and err.startswith("sourcereader: ")
    assert "Traceback" not in err and "internal error" not in err
    assert "\x1b" not in err + out and "\x07" not in err + out
    status, out, _ = _run(capsys, "notes", "--json")
    assert status == 0 and json.loads(out) == []


def _claims_file(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """A real claims export (one claim, one evidence link), emptied from the store afterwards."""
    assert (
        run(["claims", "add", "wikipedia-german-soviet-axis-talks-003", "s2", "--label", "fourth power"]) == 0
    )
    assert run(["claims", "link", "1", SOVIET, "s21", "--stance", "supports", "--note", "n"]) == 0
    capsys.readouterr()
    assert run(["export", "--claims", "--format", "w3c"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert run(["claims", "delete", "1"]) == 0 and run(["claims", "purge", "--yes"]) == 0
    capsys.readouterr()
    return data


CLAIM_CHANGES: dict[str, Any] = {
    "stance unknown": lambda items: items[1].update({"sr:stance": "evil\x1b]0;x\x07"}),
    "claim start beyond sqlite": lambda items: items[0]["target"]["selector"][1].update({"start": 2**70}),
    "claim document id with OSC 52": lambda items: items[0]["target"].update({"source": URN + "x" + OSC52}),
    "evidence sentence id with OSC 52": lambda items: items[1]["target"].update(
        {"sr:sentenceIds": ["s21" + OSC52]}
    ),
    "claim span of one": lambda items: items[0]["target"].update({"sr:span": [1]}),
    "claim uuid with escape": lambda items: items[0].update({"id": "urn:uuid:" + OSC52}),
}


@pytest.mark.parametrize("name", sorted(CLAIM_CHANGES))
def test_hostile_claims_in_w3c_are_refused_in_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _claims_file(capsys)
    CLAIM_CHANGES[name](data["first"]["items"])
    status, out, err = _run(capsys, "import-annotations", str(_write(tmp_path, json.dumps(data))))
    assert status == 2, (name, err)
    assert err.count("\n") == 1 and err.startswith("sourcereader: ")
    assert "Traceback" not in err and "internal error" not in err
    assert "\x1b" not in err + out and "\x07" not in err + out
    status, out, _ = _run(capsys, "claims", "list", "--json")
    assert status == 0 and json.loads(out) == []


def test_ids_already_in_a_database_are_printed_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    """A database is a file anyone could have written: what it holds is escaped on every output path."""
    import sqlite3

    from sourcereader import locations

    assert run(["annotate", SOVIET, "s3", "--note", "n", "--tag", "t"]) == 0
    capsys.readouterr()
    with sqlite3.connect(locations.database_path()) as conn:
        conn.execute(
            "UPDATE annotations SET document_id = ?, sentence_ids = ?",
            ["x" + OSC52, json.dumps(["s3" + TITLE])],
        )
    for argv in (["notes"], ["notes", "--json"], ["reanchor"], ["export"], ["export", "--format", "w3c"]):
        status, out, err = _run(capsys, *argv)
        assert "Traceback" not in err
        assert "\x1b" not in out + err and "\x07" not in out + err, argv
