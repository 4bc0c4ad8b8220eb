"""The command line: thin. It parses, calls the core, prints; the TUI and Argos load lazily.

``sourcereader`` with no arguments opens the reader on the library. Every subcommand has
``--help``. A user error prints one line on stderr and exits with status 2; no traceback
ever reaches a user (an unexpected failure is written to a log file and named).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sourcereader import __version__
from sourcereader.cli.common import Parser, UserError

if TYPE_CHECKING:
    import sqlite3

#: Each command and the module that registers it, in the order the commands appear in ``--help``.
#: A command line that names one imports only its module: ``align`` runs once per file in scripts and
#: evaluations, and importing the other five modules added 10-25 ms to each start.
COMMANDS = {
    "list": "sourcereader.cli.library",
    "show": "sourcereader.cli.library",
    "segment": "sourcereader.cli.library",
    "import": "sourcereader.cli.library",
    "align": "sourcereader.cli.align",
    "translate": "sourcereader.cli.translate",
    "models": "sourcereader.cli.translate",
    "annotate": "sourcereader.cli.annotations",
    "notes": "sourcereader.cli.annotations",
    "reanchor": "sourcereader.cli.annotations",
    "claims": "sourcereader.cli.claims",
    "diff": "sourcereader.cli.diff",
    "export": "sourcereader.cli.export",
    "import-annotations": "sourcereader.cli.export",
    "read": "sourcereader.cli.reader",
}
#: Subcommand modules, in the order their commands appear in ``--help``.
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: the full one, or with ``command`` only that command's module registered.

    Arguments after a command name go to that command's own parser, so a parser that knows only that
    command parses them exactly as the full one does (and prints the same usage and errors).
    """
    parser = Parser(
        prog="sourcereader",
        description=(
            "Read primary historical documents sentence-aligned with their translations, "
            "annotate them, and export citable excerpts. With no command, opens the reader."
        ),
    )
    parser.add_argument("--version", action="version", version=f"sourcereader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", help="what to do (default: read)")
    modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command module not present in this build
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line and exit with its status."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (tests call this)."""
    from sourcereader.core.errors import DocumentError, StoreError

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["read"] if "read" in _commands(parser) else ["list"])
    except SystemExit as exc:  # --help, --version, or a usage error already printed in one line
        return exc.code if isinstance(exc.code, int) else 2
    undecodable = _undecodable_text_argument(args)
    if undecodable is not None:
        print(f"sourcereader: {undecodable} is not valid UTF-8 text; nothing was done", file=sys.stderr)
        return 2
    try:
        status: int = args.func(args)
        return status
    except (UserError, DocumentError, StoreError) as exc:
        from sourcereader.core.sanitize import one_line

        print(f"sourcereader: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except _database_error() as exc:
        from sourcereader import locations
        from sourcereader.core.sanitize import one_line
        from sourcereader.core.store import describe_error

        print(f"sourcereader: {one_line(describe_error(locations.database_path(), exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a message.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # A full disk, a read-only directory, a vanished file while writing: the user's to fix.
        from sourcereader.core.sanitize import one_line

        where = f": {exc.filename}" if exc.filename else ""
        print(f"sourcereader: {one_line(exc.strerror or str(exc))}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sourcereader: interrupted", file=sys.stderr)
        return 130
    except ModuleNotFoundError as exc:
        from sourcereader.core.translation.errors import EXTRA_MODULES, missing_extra_message

        if (exc.name or "").split(".")[0] not in EXTRA_MODULES:
            return _internal_error(exc)
        print(f"sourcereader: {missing_extra_message(exc.name or '')}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        return _internal_error(exc)


PATH_ARGUMENTS = frozenset({"file", "src", "tgt", "output", "path", "what"})
"""Arguments that name files: any bytes the file system allows are fine there (Python keeps the
undecodable ones as lone surrogates and gives them back to the file system unchanged)."""


POSITIONAL_NAMES = {"id": "ID", "document": "ID", "sentence": "SENTENCE_ID", "ann": "ANN_ID"}
"""How positional arguments are named in usage lines (their metavars)."""


def _undecodable_text_argument(args: argparse.Namespace) -> str | None:
    """The first text argument (a note, a title, a tag, an id …) holding bytes that are not UTF-8,
    named as the user typed it, or None. Such text could be neither stored nor printed."""
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS or name == "func":
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, str) and _has_surrogates(item):
                return POSITIONAL_NAMES.get(name) or "--" + name.replace("_", "-")
    return None


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _database_error() -> type[sqlite3.DatabaseError]:
    """``sqlite3.DatabaseError``, imported only when an exception is being matched (``align`` never
    opens the store, and importing sqlite3 is a few milliseconds of every start)."""
    import sqlite3

    return sqlite3.DatabaseError


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _internal_error(exc: BaseException) -> int:
    import traceback

    from sourcereader import locations
    from sourcereader.core.sanitize import one_line

    try:
        log = locations.cache_dir() / "crash.log"
        # Never through a symbolic link: a link planted in the cache directory must not make us
        # append to a file it points at. The log is private to its user.
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        with open(fd, "a", encoding="utf-8", errors="backslashreplace") as handle:
            traceback.print_exception(exc, file=handle)
        where = f"; details in {log}"
    except OSError:
        where = ""
    print(f"sourcereader: internal error: {one_line(f'{type(exc).__name__}: {exc}')}{where}", file=sys.stderr)
    return 1
