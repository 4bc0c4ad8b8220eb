"""Every hostile input, fed to every command that reads a file.

Expected of each run: exit 0 (handled) or exit 2 with exactly one line on stderr; never a
traceback; never a raw control sequence from the input on the user's terminal; never a
partial write (a refused import leaves the user library as it was).
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from sourcereader import locations
from sourcereader.cli import run
from sourcereader.core.documents import Library

INPUTS = sorted((Path(__file__).parent / "inputs").iterdir())
GOOD_EN = "Molotov asked a question. Hitler answered it.\n"
# Anything that could drive a terminal: ESC, C1 controls, BEL, BS, CR (overwrites the line), DEL.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_the_corpus_is_big_enough() -> None:
    assert len(INPUTS) >= 100


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


def _library_files() -> dict[str, bytes]:
    root = locations.user_library_dir()
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_segment(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("text", "jsonl"):
        _run(capsys, ["segment", str(path), "--lang", "en", "--format", fmt])


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_import_document(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _library_files()
    status, _, _ = _run(capsys, ["import", str(path), "--lang", "en", "--title", "Hostile test"])
    after = _library_files()
    if status == 2:
        assert after == before
        return
    assert len(after) == len(before) + 1
    library = Library.default()
    assert not library.problems, library.problems
    status, _, _ = _run(capsys, ["list"])
    assert status == 0


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_import_translation(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _library_files()
    status, _, _ = _run(
        capsys,
        [
            "import",
            str(path),
            "--translation-of",
            "1940-11-25-schulenburg-telegram",
            "--lang",
            "en",
            "--translator",
            "Hostile",
        ],
    )
    if status == 2:
        assert _library_files() == before
    else:
        assert not Library.default().problems


def test_segment_from_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for path in INPUTS:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
        _run(capsys, ["segment", "--lang", "ru", "--format", "jsonl"])


def test_ten_megabyte_single_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Molotov asked again and Hitler answered at length " * 200_000 + "\n", encoding="utf-8")
    assert big.stat().st_size > 10_000_000
    status, out, _ = _run(capsys, ["segment", str(big), "--lang", "en", "--format", "jsonl"])
    assert status == 0 and len(out.splitlines()) == 1


def test_duplicate_ids_in_the_user_library(capsys: pytest.CaptureFixture[str]) -> None:
    from sourcereader.core.documents import write_text_file

    header = {
        "id": "dup",
        "title": "T",
        "language": "en",
        "date": "1940",
        "kind": "memo",
        "status": "complete",
        "original_publication": "",
        "archival_reference": "",
        "copy_source": "x",
        "license": "CC0",
        "notes": "",
    }
    root = locations.user_library_dir() / "sources"
    write_text_file(root / "a.txt", header, "One.")
    write_text_file(root / "b.txt", header, "Two.")
    status, out, err = _run(capsys, ["list", "--json"])
    assert status == 0
    assert "duplicate document id 'dup'" in err
    assert out.count('"id": "dup"') == 1


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_align(path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_EN, encoding="utf-8")
    for fmt in ("vecalign", "json", "text"):
        _run(capsys, ["align", str(path), str(good), "--src-lang", "en", "--tgt-lang", "en", "--format", fmt])
        _run(
            capsys,
            [
                "align",
                str(good),
                str(path),
                "--src-lang",
                "en",
                "--tgt-lang",
                "en",
                "--one-per-line",
                "--format",
                fmt,
            ],
        )


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_import_annotations(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = _run(capsys, ["import-annotations", str(path)])
    assert status == 2  # none of these is a W3C annotation collection
    status, out, _ = _run(capsys, ["notes", "--json"])
    assert status == 0 and out.strip() == "[]"


def test_notes_from_stdin_are_kept_literally(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    kept = 0
    for path in INPUTS:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
        status, out, _ = _run(
            capsys,
            [
                "annotate",
                "1940-11-12-soviet-record-hitler-molotov",
                "s21",
                "--note",
                "-",
                "--tag",
                path.stem[:40],
            ],
        )
        kept += status == 0
    status, out, _ = _run(capsys, ["notes", "--json"])
    notes = json.loads(out)
    assert len(notes) == kept > 50
    status, out, _ = _run(capsys, ["notes"])  # the human listing must not pass escapes through either
    assert status == 0
    status, out, _ = _run(capsys, ["export"])
    assert status == 0


def test_huge_tag_lists(capsys: pytest.CaptureFixture[str]) -> None:
    tags = [arg for n in range(2000) for arg in ("--tag", f"tag-{n}-\x1b[31m")]
    status, out, _ = _run(capsys, ["annotate", "1940-11-12-soviet-record-hitler-molotov", "s21", *tags])
    if status == 0:
        status, out, _ = _run(capsys, ["notes", "--tag", "tag-1999-\x1b[31m"])
        assert status == 0 and "tag-1999" in out
