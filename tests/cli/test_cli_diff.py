"""``sourcereader diff``: two versions of the bundled Wikipedia article, in text and in JSON."""

from __future__ import annotations

import json

import pytest

from sourcereader.cli import run

LEAD = "wikipedia-german-soviet-axis-talks-001"
FULL = "wikipedia-german-soviet-axis-talks-003"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, "diff", LEAD, FULL)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == f"{LEAD} (27 sentences) → {FULL} (239 sentences)"
    assert lines[1].startswith("25 same, 2 changed, 0 removed, 211 added (rows)")
    assert lines[2:4] == ["— → s1  added", "    {+= German–Soviet Axis talks =+}"]
    assert lines[4] == "s1 → s2  changed"
    assert "nominally concerning the [-Soviet Union's-]{+latter's+} potential adherent" in lines[5]
    assert "s2–s5 → s3–s6  same (4 sentences)" in lines
    assert '"[-Lebensraum-]{+lebensraum+}"' in out
    assert len(lines) < 230  # unchanged runs are one line each


def test_all_and_reversed(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "diff", FULL, LEAD, "--all")
    assert "s1 → —  removed" in out and "{+Soviet Union's+}" in out
    assert "    The negotiations, which occurred during the era of the Molotov–Ribbentrop Pact" in out


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "diff", LEAD, FULL, "--json")
    data = json.loads(out)
    assert status == 0 and data["a"] == LEAD and data["b"] == FULL
    assert data["summary"]["changed"] == 2 and data["sentences"] == {"a": 27, "b": 239}
    changed = [r for r in data["rows"] if r["change"] == "changed"]
    assert changed[0]["a"] == ["s1"] and changed[0]["b"] == ["s2"]
    assert {"op": "insert", "text": "latter's"} in changed[0]["pieces"]
    # Every sentence of both versions is in exactly one row.
    assert sum(len(r["a"]) for r in data["rows"]) == 27 and sum(len(r["b"]) for r in data["rows"]) == 239


def test_a_document_with_itself(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "diff", LEAD, LEAD)
    assert status == 0 and out.splitlines()[1].startswith("27 same, 0 changed")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["diff", LEAD, "nope"], "no document with id 'nope'"),
        (["diff", LEAD, "1940-11-12-soviet-record-hitler-molotov"], "is in en and"),
    ],
)
def test_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out, err = cli(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err
