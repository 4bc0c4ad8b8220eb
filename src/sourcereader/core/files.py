"""Reading user text files with clear errors, and writing files so that a crash, a kill or a full
disk never leaves half of one; an export written into a pipe, a terminal or /dev/stdout as it is.
Light on purpose: commands that only read a text import this."""

from __future__ import annotations

import contextlib
import errno
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


class OutputRefused(ValueError):
    """A target an export must not be written to (a block device), with a one-line reason."""


def _names_open_stream(path: Path) -> bool:
    """True for a name of a stream the process already holds: /dev/stdout, /dev/stderr, /dev/fd/N,
    /proc/self/fd/N. Behind it may sit a regular file the shell opened (``> out.md``, ``>> log``):
    it must be written through, not replaced by a new file."""
    name = os.path.abspath(path)
    if name in ("/dev/stdout", "/dev/stderr"):
        return True
    parent, _, fd = name.rpartition("/")
    return fd.isdigit() and (
        parent in ("/dev/fd", "/proc/self/fd", "/proc/thread-self/fd")
        or (parent.startswith("/proc/") and parent.endswith("/fd") and parent[6:-3].isdigit())
    )


def output_kind(path: Path) -> str:
    """What writing to ``path`` means: ``new`` (a file to create), ``file`` (a regular file to replace),
    ``stream`` (a FIFO, a terminal or another character device, a socket, or an open stream's name:
    written into as it is), ``directory`` or ``block device``."""
    import stat

    try:
        mode = os.stat(path).st_mode  # follows symlinks: /dev/stdout is one
    except FileNotFoundError:
        return "new"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISREG(mode) and not _names_open_stream(path):
        return "file"
    return "stream"


def check_output(path: Path, *, overwrite: bool) -> str:
    """Check that ``path`` can take an export before the export is made; returns :func:`output_kind`.

    IsADirectoryError for a directory, OutputRefused for a block device, FileExistsError for a
    regular file unless ``overwrite`` (a stream has nothing to overwrite), FileNotFoundError when the
    directory of a new file does not exist.
    """
    kind = output_kind(path)
    if kind == "directory":
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if kind == "block device":
        raise OutputRefused(f"{path} is a block device; give a file name")
    if kind == "file" and not overwrite:
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    if kind == "new" and not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such directory", str(path.parent))
    return kind


def write_output(path: Path, text: str, *, overwrite: bool) -> None:
    """Write an export to ``path``: a new or regular file atomically (:func:`write_atomic`, never half
    a file; an existing one only if ``overwrite``), a stream (a FIFO, a terminal, /dev/stdout…)
    directly, appending, as ``cat >> path`` would: renaming a file over it would replace the device
    or pipe by a plain file, or cut off whoever reads it. Raises as :func:`check_output` does, and
    OSError when the write itself fails."""
    kind = check_output(path, overwrite=overwrite)
    if kind == "file":
        # Through a symbolic link, the file it points to is replaced, not the link.
        write_atomic(Path(os.path.realpath(path)), text, overwrite=overwrite)
        return
    if kind == "new":
        write_atomic(path, text, overwrite=overwrite)
        return
    # No O_CREAT: if the stream vanished since the check, fail rather than create a file in its place.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
