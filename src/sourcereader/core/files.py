"""Reading user text files with clear errors, and writing files so that a crash, a kill or a full
disk never leaves half of one. Light on purpose: commands that only read a text import this."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sourcereader.core.errors import DocumentError


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file, with one-line errors for what users get wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise DocumentError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM is dropped), normalise newlines, refuse NUL and other binary data."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{name}: not UTF-8 text (byte {exc.start}); convert it first, e.g. with iconv -t UTF-8"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise DocumentError(f"{name}: contains NUL bytes; this looks like a binary file, not text")
    return text


def write_atomic(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` (UTF-8, ``\\n`` newlines) to ``path`` through a temporary file in the same
    directory, fsync and rename: readers see the old file or the new one, never a mix.

    A new file gets the permissions any program of the user's would give it (``0o666`` less the
    umask); a file replaced keeps its own. FileExistsError if ``path`` exists and ``overwrite`` is False.
    """
    if not overwrite and path.exists():
        raise FileExistsError(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        keep_mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        keep_mode = None
    fd, tmp = _create_temporary(path)
    try:
        if keep_mode is not None:
            os.fchmod(fd, keep_mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file next to ``path``, open for writing. Not ``tempfile.mkstemp``: it makes files
    only the owner can read (0600), and that mode would outlive the rename. ``os.open`` with 0666
    lets the kernel apply the umask, with no need to read it (reading it means setting it, which
    races with other threads)."""
    import secrets  # only when writing: reading commands do not pay for it

    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: cannot create a temporary file next to {path.name}")
