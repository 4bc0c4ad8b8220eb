"""``sourcereader export`` and ``import-annotations`` end to end (in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from sourcereader.cli import run

SOVIET = "1940-11-12-soviet-record-hitler-molotov"
SCHULENBURG = "1940-11-25-schulenburg-telegram"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def annotated(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        [SOVIET, "s2", "--note", "Hitler: *both peoples*", "--tag", "peace"],
        [SOVIET, "s16", "--span", "0:20", "--note", "# not a heading\n---", "--tag", "Finland"],
        [SOVIET, "s20", "--relation", "--compare", "hse-answer-en", "--note", "compare", "--tag", "term"],
        [SCHULENBURG, "s1", "--highlight", "yellow", "--tag", "PEACE"],
    ):
        status, _, err = cli(capsys, "annotate", *argv)
        assert status == 0, err


def headings(text: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [t.tag for t in tokens if t.type == "heading_open"]


@pytest.mark.usefixtures("annotated")
def test_export_markdown_to_stdout_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "export", "--context", "1", "--tags-as", "hashtags")
    assert status == 0
    assert headings(out) == ["h1", "h2", "h3", "h3", "h3", "h2", "h3"]
    assert "#peace" in out and "Cite: " in out
    status, out, _ = cli(capsys, "export", "--tag", "Peace")
    assert headings(out) == ["h1", "h2", "h3", "h2", "h3"]
    status, out, _ = cli(capsys, "export", "--doc", SCHULENBURG, "--kind", "highlight")
    assert headings(out) == ["h1", "h2", "h3"] and "yellow" in out
    status, out, _ = cli(capsys, "export", "--since", "2999-01-01")
    assert headings(out) == ["h1"] and "0 annotations from 0 documents" in out
    status, out, _ = cli(capsys, "export", "--translations", "none", "--doc", SOVIET, "--kind", "note")
    assert "(translation)" not in out


def test_an_excerpt_of_fragment_3_cites_fragment_3(capsys: pytest.CaptureFixture[str]) -> None:
    # The Soviet record's fragments come from different copies: the third from a History Stack
    # Exchange answer (CC BY-SA 4.0), not from the online book the first two were copied from.
    assert cli(capsys, "annotate", SOVIET, "s20", "--note", "the offer")[0] == 0
    status, out, _ = cli(capsys, "export", "--translations", "none")
    assert status == 0
    [cite] = [line for line in out.splitlines() if line.startswith("Cite: ")]
    assert cite.endswith(
        f"document `{SOVIET}`, sentences s20; "
        "licence: CC BY-SA 4.0 (Stack Exchange, attribution: History Stack Exchange answer)."
    )
    provenance = out[out.index("Provenance:") : out.index("### ")]
    assert "- Fragment 3/3 (s20): copied from History Stack Exchange answer to " in provenance
    assert "chitka" not in out and "Fragments 1 and 2" not in out


@pytest.mark.usefixtures("annotated")
def test_export_to_a_file_needs_force_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "excerpts.md"
    status, out, err = cli(capsys, "export", "-o", str(target))
    assert status == 0 and out == "" and "wrote 4 annotations" in err
    first = target.read_text(encoding="utf-8")
    target.write_text("mine", encoding="utf-8")
    status, _, err = cli(capsys, "export", "-o", str(target))
    assert status == 2 and "--force" in err and target.read_text(encoding="utf-8") == "mine"
    assert cli(capsys, "export", "-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["excerpts.md"]  # no temporary file left


@pytest.mark.usefixtures("annotated")
@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600)])
def test_the_exported_file_gets_the_users_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mask: int, expected: int
) -> None:
    import os
    import stat

    old = os.umask(mask)
    try:
        assert cli(capsys, "export", "-o", str(tmp_path / "out.md"))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.md").stat().st_mode) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--since", "yesterday"], "--since must be a date"),
        (["export", "--translations", "robots"], "--translations takes"),
        (["export", "--context", "-1"], "argument --context: -1 is outside 0–1000"),
        (["export", "--context", "9" * 25], "argument --context: '" + "9" * 25 + "' is not a whole number"),
        (["export", "--doc", "nope"], "no document with id 'nope'"),
        (["export", "-o", "/no/such/dir/x.md"], "does not exist"),
        (["import-annotations", "/no/such/file.json"], "no such file"),
    ],
)
def test_bad_export_input(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, _, err = cli(capsys, *argv)
    assert status == 2 and message in err and err.count("\n") == 1


def test_import_refuses_bad_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    status, _, err = cli(capsys, "import-annotations", str(bad))
    assert status == 2 and "not JSON" in err
    bad.write_text('{"type": "Annotation"}', encoding="utf-8")
    status, _, err = cli(capsys, "import-annotations", str(bad))
    assert status == 2 and "annotation 1: no target" in err


@pytest.mark.usefixtures("annotated")
def test_w3c_round_trip_through_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "notes.jsonld"
    assert cli(capsys, "export", "--format", "w3c", "-o", str(exported))[0] == 0
    monkeypatch.setenv("SOURCEREADER_HOME", str(tmp_path / "other-home"))
    status, out, err = cli(capsys, "notes", "--json")
    assert json.loads(out) == []
    status, out, err = cli(capsys, "import-annotations", str(exported))
    assert status == 0 and "imported 4 annotations" in out, err
    status, again, _ = cli(capsys, "export", "--format", "w3c")
    assert json.loads(again) == json.loads(exported.read_text(encoding="utf-8"))
    status, out, _ = cli(capsys, "import-annotations", str(exported))
    assert "imported 0 annotations (4 already present)" in out


# --------------------------------------------------------------------------- where -o writes
@pytest.fixture
def no_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream must be written into, never replaced by a renamed file: fail (rather than replace
    /dev/null or /dev/stdout, as root can) if the atomic file writer is reached."""
    from sourcereader.core import files

    def refuse(path: Path, text: str, *, overwrite: bool = True) -> None:
        raise AssertionError(f"write_atomic called for {path}")

    monkeypatch.setattr(files, "write_atomic", refuse)


@pytest.mark.usefixtures("annotated")
def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, to_stdout, _ = cli(capsys, "export")
    status, out, err = cli(capsys, "export", "-o", "-")
    assert status == 0 and out == to_stdout and err == "" and out.startswith("# Annotated excerpts")


@pytest.mark.usefixtures("annotated", "no_rename")
@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_written_into(tmp_path: Path, capsys: pytest.CaptureFixture[str], force: bool) -> None:
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        status, out, err = cli(capsys, "export", "-o", str(fifo), *(["--force"] if force else []))
    finally:
        if reader.is_alive() and not received:
            # If the export failed before opening the pipe, the reader thread still waits for a writer.
            # O_RDWR (Linux) opens a FIFO at once whether or not a reader is there: never ENXIO, as
            # O_WRONLY | O_NONBLOCK gave when the reader had just finished, nor a block.
            os.close(os.open(fifo, os.O_RDWR))
        reader.join()
    assert status == 0 and out == "" and f"wrote 4 annotations to {fifo}" in err
    assert received[0].decode("utf-8").startswith("# Annotated excerpts")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.usefixtures("annotated", "no_rename")
@pytest.mark.parametrize("force", [False, True])
def test_a_character_device_is_written_into(capsys: pytest.CaptureFixture[str], force: bool) -> None:
    import os
    import stat

    before = os.stat("/dev/null")
    status, _, err = cli(capsys, "export", "-o", "/dev/null", *(["--force"] if force else []))
    assert status == 0 and "wrote 4 annotations to /dev/null" in err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.usefixtures("no_rename")
def test_dev_stdout_is_written_into(capfd: pytest.CaptureFixture[str]) -> None:
    # pytest holds fd 1 open on a file of its own: the export must go into it, and the name must
    # not be replaced by a new file (that would be a rename in /dev).
    assert run(["annotate", SOVIET, "s2", "--note", "both peoples"]) == 0
    capfd.readouterr()
    status = run(["export", "-o", "/dev/stdout", "--force"])
    out, err = capfd.readouterr()
    assert status == 0 and out.startswith("# Annotated excerpts") and "wrote 1 annotation to" in err


def test_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = cli(capsys, "export", "-o", str(tmp_path), "--force")
    assert status == 2 and err == f"sourcereader: {tmp_path} is a directory; give a file name\n"


def test_a_block_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    import stat

    devices = [p for p in sorted(Path("/dev").iterdir()) if stat.S_ISBLK(p.stat().st_mode)]
    if not devices:
        pytest.skip("no block device here")
    status, _, err = cli(capsys, "export", "-o", str(devices[0]), "--force")
    assert status == 2 and err == f"sourcereader: {devices[0]} is a block device; give a file name\n"


@pytest.mark.usefixtures("annotated")
def test_a_symbolic_link_keeps_pointing_at_the_replaced_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert cli(capsys, "export", "-o", str(link))[0] == 2  # an existing file: --force needed
    assert cli(capsys, "export", "-o", str(link), "--force")[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# Annotated excerpts")
