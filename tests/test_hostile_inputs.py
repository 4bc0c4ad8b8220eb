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

INPUTS = sorted((Path(__file__).parent / "hostile" / "inputs").iterdir())
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
