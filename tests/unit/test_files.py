"""Writing files: atomically, with the permissions the user's umask gives, never leaving a temporary file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcereader.core.files import write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask whatever a test sets."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_users_umask(tmp_path: Path, mask: int, expected: int) -> None:
    os.umask(mask)
    target = tmp_path / "new.md"
    write_atomic(target, "text\n")
    assert mode(target) == expected and target.read_text(encoding="utf-8") == "text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.md"]


@pytest.mark.usefixtures("umask")
def test_a_replaced_file_keeps_its_own_mode(tmp_path: Path) -> None:
    os.umask(0o022)
    target = tmp_path / "private.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert mode(target) == 0o600 and target.read_text(encoding="utf-8") == "new"


def test_no_overwrite_without_asking(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_atomic(target, "new", overwrite=False)
    assert target.read_text(encoding="utf-8") == "mine"


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_atomic(tmp_path / "x.md", "\udcff")  # a lone surrogate cannot be written as UTF-8
    assert list(tmp_path.iterdir()) == []


def test_output_kinds(tmp_path: Path) -> None:
    from sourcereader.core.files import output_kind

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    existing = tmp_path / "x.md"
    existing.write_text("x", encoding="utf-8")
    assert output_kind(tmp_path / "new.md") == "new"
    assert output_kind(existing) == "file"
    assert output_kind(tmp_path) == "directory"
    assert output_kind(fifo) == "stream"
    assert output_kind(Path("/dev/null")) == "stream"
    # Names of streams the process holds are streams even when a regular file sits behind them.
    for name in ("/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/2", f"/proc/{os.getpid()}/fd/1"):
        assert output_kind(Path(name)) == "stream", name


def test_a_stream_that_vanished_is_not_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcereader.core import files

    gone = tmp_path / "pipe"
    monkeypatch.setattr(files, "output_kind", lambda path: "stream")
    with pytest.raises(FileNotFoundError):
        files.write_output(gone, "text", overwrite=False)
    assert not gone.exists()
