"""``sourcereader translate`` and ``sourcereader models``, end to end on synthetic Argos packages.

The conftest gives every test its own SOURCEREADER_HOME; ``point_argos_at`` gives it its own
Argos home. Output of the synthetic packages is noise; what is checked is what a user sees:
exit statuses, messages, progress, caching, resuming, files written.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from sourcereader import locations
from sourcereader.cli import run
from sourcereader.cli.translate import Progress
from sourcereader.core.documents import Library
from sourcereader.core.translation import argos_packages
from sourcereader.core.translation.argos import ArgosTranslator
from sourcereader.core.translation.machine import SYNTHETIC_LABEL
from tests.support import REPO
from tests.support.argos import BuiltPackages, build_test_packages, point_argos_at

DOC_ID = "1940-11-12-molotov-telegram-to-stalin"  # Russian, 8 sentences
N_SENTENCES = 8


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackages:
    """The synthetic packages, built once per session and shared with test_translation.py."""
    return build_test_packages(tmp_path_factory.getbasetemp() / "synthetic-argos")


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Argos home for this test."""
    return point_argos_at(monkeypatch, tmp_path / "argos")


@pytest.fixture
def installed(argos_home: Path, built: BuiltPackages, capsys: pytest.CaptureFixture[str]) -> None:
    """ru → en and en → de installed through the CLI; short greedy outputs keep the tests quick."""
    for archive in (built.ru_en, built.en_de):
        assert run(["models", "install", str(archive)]) == 0
    capsys.readouterr()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI; return (status, stdout, stderr)."""
    status = run(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def translate(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    """``sourcereader translate DOC_ID --beam 1 ...``."""
    return cli(capsys, "translate", DOC_ID, "--beam", "1", *extra)


# --------------------------------------------------------------------------- models


def test_models_list_when_empty(argos_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "models", "list")
    assert status == 0 and "No translation models installed" in out and str(argos_home) in out
    status, out, _ = cli(capsys, "models", "list", "--json")
    assert json.loads(out) == {"packages_dir": str(argos_home), "packages": []}


def test_models_install_file_and_list(
    argos_home: Path, built: BuiltPackages, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = cli(capsys, "models", "install", str(built.ru_en))
    assert status == 0 and "Installed translate-ru_en 0.1 (ru → en)" in out and SYNTHETIC_LABEL in out
    status, out, _ = cli(capsys, "models", "list")
    assert status == 0 and "translate-ru_en" in out and "ru → en" in out and SYNTHETIC_LABEL in out
    listing = json.loads(cli(capsys, "models", "list", "--json")[1])
    (package,) = listing["packages"]
    assert package["name"] == "translate-ru_en" and package["synthetic"] is True and package["size_bytes"] > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["models", "install", "nonexistent.argosmodel"], "No such file"),
        (["models", "install", "ru"], "give two languages"),
        (["models", "install", "ru", "zz"], "unknown language 'zz'"),
        (["models", "install", "a", "b", "c"], "a .argosmodel file or two language codes"),
        (["models", "remove", "ru", "en"], "No installed package translate-ru_en"),
        (["translate", DOC_ID, "--to", "zz"], "unknown language 'zz'"),
        (["translate", "no-such-document"], "no document with id 'no-such-document'"),
        (["translate", DOC_ID, "--to", "ru"], "already in ru"),
        (["translate", DOC_ID, "--beam", "0"], "argument --beam: 0 is outside 1–64"),
        (["translate", DOC_ID, "--beam", "1000"], "argument --beam: 1000 is outside 1–64"),
        (["translate", DOC_ID, "--batch-size", "0"], "argument --batch-size: 0 is outside 1–10000"),
    ],
)
def test_user_errors_are_one_line(
    argos_home: Path, capsys: pytest.CaptureFixture[str], argv: Sequence[str], message: str
) -> None:
    status, _, err = cli(capsys, *argv)
    assert status == 2 and message in err and err.count("\n") == 1


def test_install_a_file_that_is_not_a_package(
    argos_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    status, _, err = cli(capsys, "models", "install", str(bad))
    assert status == 2 and "not an Argos package" in err


def test_install_from_index_without_network(
    argos_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(url: str, timeout: float) -> bytes:
        raise OSError("[Errno 101] Network is unreachable")

    monkeypatch.setattr(argos_packages, "_fetch_index", offline)
    status, _, err = cli(capsys, "models", "install", "ru", "en")
    assert status == 2
    assert "Could not reach the Argos package index" in err and "models install FILE.argosmodel" in err


def test_models_remove(installed: None, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "models", "remove", "ru", "en")
    assert status == 0 and "Removed translate-ru_en 0.1" in out
    status, out, _ = cli(capsys, "models", "remove", "translate-en_de")
    assert status == 0 and [p.name for p in argos_packages.installed_packages()] == []


# --------------------------------------------------------------------------- translate


def test_translate_without_a_model_gives_guidance(
    argos_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = translate(capsys)
    assert status == 2 and out == ""
    assert 'needs the Argos package "translate-ru_en"' in err
    assert "sourcereader models install ru en" in err and "sourcereader models install FILE.argosmodel" in err


def test_translate_caches_and_marks_synthetic_output(
    installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = translate(capsys)
    assert status == 0
    assert f"{N_SENTENCES} sentences into en: 0 already cached, {N_SENTENCES} translated." in out
    assert SYNTHETIC_LABEL in out
    assert "with translate-ru_en 0.1" in err and f"translated {N_SENTENCES}/{N_SENTENCES} sentences" in err

    status, out, err = translate(capsys)
    assert status == 0 and f"{N_SENTENCES} already cached, 0 translated." in out

    status, out, _ = translate(capsys, "--force")
    assert status == 0 and f"0 already cached, {N_SENTENCES} translated." in out


def test_translate_pivots_and_writes_a_file_the_library_reads(
    installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = translate(capsys, "--to", "de", "--write")
    assert status == 0 and "(through English)" in err
    path = locations.user_library_dir() / "translations" / DOC_ID / "mt-argos-de.txt"
    assert f"Wrote {path}" in out
    library = Library([(REPO, "bundled"), (locations.user_library_dir(), "user")])
    mt = library.translation(DOC_ID, "mt-argos-de")
    assert mt.meta.kind == "machine" and SYNTHETIC_LABEL in mt.meta.notes
    assert all(s.text.startswith(SYNTHETIC_LABEL) for s in mt.sentences[:1])


def test_cached_translation_needs_no_model_to_be_written(
    installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert translate(capsys)[0] == 0
    assert cli(capsys, "models", "remove", "ru", "en")[0] == 0
    status, out, err = translate(capsys, "--write")
    assert status == 0 and f"{N_SENTENCES} already cached, 0 translated." in out and "Wrote " in out
    assert "needs the Argos package" not in err
    # Anything left to translate does need the model again.
    assert translate(capsys, "--force")[0] == 2


def test_ctrl_c_keeps_finished_batches_and_a_rerun_resumes(
    installed: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = ArgosTranslator.translate
    calls: list[int] = []

    def interrupt_second_batch(self: ArgosTranslator, sentences: Sequence[str], **kw: object) -> object:
        calls.append(len(sentences))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, sentences, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(ArgosTranslator, "translate", interrupt_second_batch)
    status, _, err = translate(capsys, "--batch-size", "3")
    assert (
        status == 130
        and "Interrupted" in err
        and "(3 of 8 sentences)" in err
        and "run the same command" in err
    )

    monkeypatch.setattr(ArgosTranslator, "translate", real)
    status, out, _ = translate(capsys, "--batch-size", "3")
    assert status == 0 and "3 already cached, 5 translated." in out


def test_an_edited_source_sentence_is_retranslated(
    installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert translate(capsys)[0] == 0
    # The user's copy of a document replaces the bundled one with the same id.
    original = (REPO / "sources" / f"{DOC_ID}.txt").read_text(encoding="utf-8")
    edited = original.replace("двухчасовой", "трехчасовой", 1)
    assert edited != original
    user_sources = locations.user_library_dir() / "sources"
    user_sources.mkdir(parents=True, exist_ok=True)
    (user_sources / f"{DOC_ID}.txt").write_text(edited, encoding="utf-8")
    status, out, _ = translate(capsys)
    assert (
        status == 0 and f"{N_SENTENCES - 1} already cached, 1 translated (1 changed since last time)." in out
    )


# --------------------------------------------------------------------------- Argos' folders


def _run_in(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sourcereader", *argv], env=env, capture_output=True, text=True, check=False
    )


def _env_with_home(home: Path, **extra: str) -> dict[str, str]:
    """This environment with ``HOME`` moved and nothing else saying where Argos or sourcereader keep files."""
    mine = ("XDG_", "ARGOS_", "SOURCEREADER_")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(mine)}, "HOME": str(home), **extra}


def test_argos_creates_nothing_under_home_when_sourcereader_home_is_set(
    tmp_path: Path, built: BuiltPackages
) -> None:
    home, sr_home = tmp_path / "home", tmp_path / "sr"
    home.mkdir()
    env = _env_with_home(home, SOURCEREADER_HOME=str(sr_home))
    for argv in (
        ["models", "install", str(built.ru_en)],
        ["models", "list"],
        ["translate", DOC_ID, "--beam", "1", "--write"],
        ["models", "remove", "ru", "en"],
    ):
        done = _run_in(env, *argv)
        assert done.returncode == 0, done.stderr
    assert sorted(home.rglob("*")) == []
    listing = json.loads(_run_in(env, "models", "list", "--json").stdout)
    assert listing["packages_dir"] == str(sr_home / "data" / "argos-translate" / "packages")
    assert (sr_home / "config" / "argos-translate").is_dir() and (
        sr_home / "cache" / "argos-translate"
    ).is_dir()


def test_argos_folders_are_pointed_only_while_it_is_imported(tmp_path: Path) -> None:
    code = (
        "import os\n"
        "from sourcereader.core.translation import argos_packages\n"
        "print(argos_packages.argos_packages_dir(), os.environ.get('XDG_DATA_HOME'))"
    )
    env = _env_with_home(tmp_path / "home", SOURCEREADER_HOME=str(tmp_path / "sr"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    # Argos keeps the folder it read; the process' environment is as it was (no XDG_DATA_HOME).
    assert done.stdout.split() == [str(tmp_path / "sr" / "data" / "argos-translate" / "packages"), "None"]


def test_without_sourcereader_home_argos_keeps_its_shared_folders(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    done = _run_in(_env_with_home(home), "models", "list", "--json")
    assert done.returncode == 0, done.stderr
    shared = home / ".local" / "share" / "argos-translate" / "packages"
    assert json.loads(done.stdout)["packages_dir"] == str(shared)


def test_argos_packages_dir_still_wins(tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    env = _env_with_home(
        tmp_path / "home", SOURCEREADER_HOME=str(tmp_path / "sr"), ARGOS_PACKAGES_DIR=str(packages)
    )
    done = _run_in(env, "models", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["packages_dir"] == str(packages)


# --------------------------------------------------------------------------- progress display


class FakeTTY(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _screen_lines(text: str) -> list[str]:
    """What a terminal shows of ``text``: escapes dropped, each redraw (``\\r``) replacing the line."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return [line.rsplit("\r", 1)[-1] for line in plain.split("\n")]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal rich draws on the same way wherever the tests run."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "100")


@pytest.mark.usefixtures("terminal")
def test_progress_bar_on_a_terminal() -> None:
    now = [0.0]
    stream = FakeTTY()
    with Progress(stream, 10, clock=lambda: now[0]) as progress:
        now[0] = 2.0
        progress(5, 10)
        assert "5/10 2.5 sent/s ETA" in _screen_lines(stream.getvalue())[-1]
        now[0] = 4.0
        progress(10, 10)
    text = stream.getvalue()
    assert _screen_lines(text)[:-1] == [f"{'━' * 30} 10/10 2.5 sent/s ETA 00:00"]
    assert text.endswith("\n\x1b[?25h")  # the bar's line is ended and the cursor shown again


@pytest.mark.usefixtures("terminal")
def test_progress_bar_ends_when_interrupted() -> None:
    stream = FakeTTY()
    with pytest.raises(KeyboardInterrupt), Progress(stream, 10) as progress:
        progress(3, 10)
        raise KeyboardInterrupt
    assert " 3/10 " in _screen_lines(stream.getvalue())[0] and stream.getvalue().endswith("\x1b[?25h")


def test_progress_lines_when_not_a_terminal() -> None:
    ticks = iter([0.0, 1.0, 2.0])
    stream = io.StringIO()
    progress = Progress(stream, 4, clock=lambda: next(ticks))
    progress(2, 4)
    progress(4, 4)
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "translated 2/4 sentences (2.0/s, about 0:01 left)",
        "translated 4/4 sentences (2.0/s, about 0:00 left)",
    ]
