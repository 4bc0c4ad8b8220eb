"""``sourcereader claims`` and ``export --claims``, run in-process against the isolated home."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

from sourcereader.cli import build_parser, run

ARTICLE = "wikipedia-german-soviet-axis-talks-003"
LEAD = "wikipedia-german-soviet-axis-talks-001"
SOVIET = "1940-11-12-soviet-record-hitler-molotov"
GERMAN = "1940-11-12-german-record-hitler-molotov"
SPAN = "145:162"  # "fourth Axis power" in s2 of the full copy


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = cli(capsys, *argv)
    assert status == 0, err
    return out


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = cli(capsys, *argv)
    assert status == 2 and out == "", (argv, out, err)
    assert err.startswith("sourcereader: ") and err.count("\n") == 1, err
    return err


def demo(capsys: pytest.CaptureFixture[str]) -> tuple[int, int, int]:
    """The README's demonstration: the claim, the Soviet record's sentence, the German record."""
    claim = int(ok(capsys, "claims", "add", ARTICLE, "s2", "--span", SPAN, "--label", "fourth Axis power"))
    soviet = int(
        ok(
            capsys,
            "claims",
            "link",
            str(claim),
            SOVIET,
            "s21",
            "--stance",
            "supports",
            "--note",
            "fourth partner",
        )
    )
    german = int(ok(capsys, "claims", "link", str(claim), GERMAN, "s18", "--stance", "context"))
    return claim, soviet, german


def test_add_link_list_show(capsys: pytest.CaptureFixture[str]) -> None:
    claim, soviet, german = demo(capsys)
    assert (claim, soviet, german) == (1, 1, 2)
    out = ok(capsys, "claims", "list")
    assert out.splitlines()[0].split() == [
        "1",
        "supported",
        "+1",
        "−0",
        "~0",
        "·1",
        "fourth",
        "Axis",
        "power",
    ]
    assert f"{ARTICLE} s2 [{SPAN}]  «fourth Axis power»" in out
    assert ok(capsys, "claims") == out  # the list is the default action
    (row,) = json.loads(ok(capsys, "claims", "list", "--json"))
    assert row["evidence"] == {
        "supports": 1,
        "contradicts": 0,
        "qualifies": 0,
        "context": 1,
        "orphans": 0,
        "verdict": "supported",
    }
    assert row["quote"] == "fourth Axis power" and row["document"] == ARTICLE
    shown = ok(capsys, "claims", "show", "1")
    assert "Claim 1: fourth Axis power" in shown
    assert "revision: not recorded in the stored copy" in shown
    assert (
        "ru  Он, Гитлер, предлагает Советскому Союзу участвовать как четвертому партнеру в этом пакте."
        in shown
    )
    assert (
        "en  He, Hitler, invites the Soviet Union to participate as the fourth partner in this pact." in shown
    )
    assert "— the author of a History Stack Exchange answer (translation)" in shown
    assert f"{LEAD} s1: " in shown and "{+Soviet Union's+}" in shown
    assert (
        shown.index("Supports") < shown.index("[link 1]") < shown.index("Context") < shown.index("[link 2]")
    )
    data = json.loads(ok(capsys, "claims", "show", "1", "--json"))
    assert [k["stance"] for k in data["links"]] == ["supports", "context"]
    assert data["links"][0]["passage"]["translations"][0]["id"] == "hse-answer-en"
    assert data["versions"][0]["document"] == LEAD
    assert "hse-answer-en" not in ok(capsys, "claims", "show", "1", "--translations", "none")


def test_a_claim_by_its_words(capsys: pytest.CaptureFixture[str]) -> None:
    claim = ok(
        capsys, "claims", "add", ARTICLE, "s2", "--quote", "fourth Axis power", "--label", "x", "--json"
    )
    assert json.loads(claim)["span"] == [145, 162]
    assert "cannot be combined" in fails(
        capsys, "claims", "add", ARTICLE, "s2", "--quote", "x", "--span", "1:2", "--label", "x"
    )
    assert "does not contain 'fifth'" in fails(
        capsys, "claims", "add", ARTICLE, "s2", "--quote", "fifth", "--label", "x"
    )


def test_edit_unlink_delete_restore_purge(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    claim, soviet, german = demo(capsys)
    assert ok(capsys, "claims", "edit", "1", "--label", "USSR as fourth Axis power") == "updated claim 1\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"From *stdin*\n")))
    ok(capsys, "claims", "edit", "1", "--note", "-")
    row = json.loads(ok(capsys, "claims", "list", "--json"))[0]
    assert (row["label"], row["note"]) == ("USSR as fourth Axis power", "From *stdin*")
    assert "(contradicts)" in ok(capsys, "claims", "edit-link", str(german), "--stance", "contradicts")
    assert "contested" in ok(capsys, "claims", "list")
    assert "restore-link 2" in ok(capsys, "claims", "unlink", str(german))
    assert "supported" in ok(capsys, "claims", "list")
    ok(capsys, "claims", "restore-link", str(german))
    assert "restore 1" in ok(capsys, "claims", "delete", "1")
    assert ok(capsys, "claims", "list") == "No claims.\n"
    assert "DELETED" in ok(capsys, "claims", "list", "--deleted")
    assert "(DELETED)" in ok(capsys, "claims", "show", "1")
    fails(capsys, "claims", "link", "1", SOVIET, "s1", "--stance", "context")
    ok(capsys, "claims", "restore", "1")
    ok(capsys, "claims", "unlink", str(soviet))
    assert "--yes" in fails(capsys, "claims", "purge")
    assert ok(capsys, "claims", "purge", "--yes") == "purged 0 claims and 1 evidence link\n"
    fails(capsys, "claims", "restore-link", str(soviet))


def test_orphans_after_a_text_changes_and_reattach(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    claim, soviet, german = demo(capsys)
    # The user brings in a "full text" of the German record that lacks the linked sentence.
    full = tmp_path / "german.txt"
    full.write_text("The Führer spoke of Russia. Molotov listened.\n", encoding="utf-8")
    ok(capsys, "import", str(full), "--id", GERMAN, "--replace", "--lang", "en", "--title", "German record")
    out = ok(capsys, "claims", "list", "--orphans")
    assert "(1 orphan link)" in out
    assert "(not found in the current text; the quote as recorded:)" in ok(capsys, "claims", "show", "1")
    assert ok(capsys, "claims", "reattach-link", str(german), "s1") == "re-attached link 2 to s1\n"
    assert ok(capsys, "claims", "list", "--orphans") == "No claims.\n"
    assert ok(capsys, "claims", "reattach", "1", "s3") == "re-attached claim 1 to s3\n"
    reports = json.loads(ok(capsys, "claims", "reanchor", "--json"))
    assert {r["document"] for r in reports} == {ARTICLE, SOVIET, GERMAN}
    assert "0 re-anchored" in ok(capsys, "claims", "reanchor")


def test_export_brief_and_w3c_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demo(capsys)
    ok(capsys, "annotate", SOVIET, "s21", "--note", "the key sentence")
    brief = ok(capsys, "export", "--claims")
    assert brief.startswith("# Evidence brief\n") and "## Claim 1: fourth Axis power" in brief
    assert "### Supports" in brief and "### Context" in brief
    assert ok(capsys, "export", "--claims", "1") == brief
    target = tmp_path / "claims.jsonld"
    status, _, err = cli(capsys, "export", "--claims", "--format", "w3c", "-o", str(target))
    assert status == 0 and err == f"wrote 1 claim to {target}\n"
    annotations = tmp_path / "notes.jsonld"
    ok(capsys, "export", "--format", "w3c", "-o", str(annotations))
    # One file holding annotations, claims and links, imported into a fresh home.
    merged = json.loads(annotations.read_text(encoding="utf-8"))
    merged["first"]["items"] += json.loads(target.read_text(encoding="utf-8"))["first"]["items"]
    both = tmp_path / "both.jsonld"
    both.write_text(json.dumps(merged), encoding="utf-8")
    assert ok(capsys, "import-annotations", str(both)) == (
        "imported 0 annotations (1 already present)\n"
        "imported 0 claims and 0 evidence links (3 already present)\n"
    )
    ok(capsys, "claims", "delete", "1")
    ok(capsys, "claims", "purge", "--yes")
    assert ok(capsys, "import-annotations", str(target)) == "imported 1 claim and 2 evidence links\n"
    assert ok(capsys, "export", "--claims", "1") == brief  # the same claims, links and notes came back


def test_export_claims_refuses_annotation_filters(capsys: pytest.CaptureFixture[str]) -> None:
    demo(capsys)
    assert "do not apply" in fails(capsys, "export", "--claims", "--tag", "x")
    assert "CLAIM must be a number" in fails(capsys, "export", "--claims", "one")
    assert "no claim with id 9" in fails(capsys, "export", "--claims", "9")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_claims_action_and_option_has_help() -> None:
    claims = _subparsers(build_parser("claims"))["claims"]
    actions = _subparsers(claims)
    assert set(actions) == {
        "add",
        "link",
        "list",
        "show",
        "edit",
        "edit-link",
        "unlink",
        "restore-link",
        "delete",
        "restore",
        "reattach",
        "reattach-link",
        "reanchor",
        "purge",
    }
    for name, parser in actions.items():
        assert parser.description, name
        for action in parser._actions:
            assert action.help, (name, action.dest)


def test_a_new_version_is_imported_and_compared(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demo(capsys)
    text = tmp_path / "mine.txt"
    text.write_text(
        "Talks between Nazi Germany and the Soviet Union occurred in 1940, concerning a fourth Axis power.\n",
        encoding="utf-8",
    )
    fields = ["--kind", "secondary", "--title", "German–Soviet Axis talks", "--lang", "en", "--id", "mine"]
    assert "missing the required field 'author'" in fails(capsys, "import", str(text), *fields)
    work = "wikipedia:German–Soviet Axis talks"
    ok(capsys, "import", str(text), *fields, "--author", "me", "--revision", "7", "--work", work)
    listed = {row["id"]: row for row in json.loads(ok(capsys, "list", "--json"))}
    assert listed["mine"]["versions"] == [LEAD, ARTICLE]
    assert listed[ARTICLE]["versions"] == ["mine", LEAD]
    shown = ok(capsys, "claims", "show", "1")
    assert (
        "mine s1: Talks between Nazi Germany and the Soviet Union occurred in [-October and November-] 1940"
        in shown
    )
    assert (
        ok(capsys, "diff", "mine", ARTICLE).splitlines()[0]
        == f"mine (1 sentence) → {ARTICLE} (239 sentences)"
    )
