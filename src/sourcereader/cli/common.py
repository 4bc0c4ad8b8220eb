"""Shared CLI plumbing: the user-error type, output helpers and the subcommand protocol.

Every subcommand module under ``sourcereader.cli`` exposes ``register(subparsers)``, which
adds its parser(s) with ``set_defaults(func=run)``; ``run(args) -> int`` returns the exit
status. Anything the user did wrong is raised as :class:`UserError`: ``main`` prints its
message as one line on stderr and exits with status 2. No traceback reaches a user.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from sourcereader.core.documents import Document, Library
    from sourcereader.core.store import Store

    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


class UserError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (exit status 2), like every other
    refusal of the command line: the usage is one ``--help`` away, and it names the command."""

    def error(self, message: str) -> NoReturn:
        """Print ``message`` as one line and exit with status 2."""
        import sys

        from sourcereader.core.sanitize import one_line

        print(f"sourcereader: {one_line(message)} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (ids, beam sizes, counts), so a
    number of twenty digits is refused here instead of overflowing SQLite or the engine."""

    def parse(text: str) -> int:
        if not text.strip().lstrip("+-").isdigit() or len(text.strip()) > 20:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}–{high}")
        return value

    parse.__name__ = "number"  # what argparse calls the type in its message
    return parse


ANNOTATION_ID = bounded_int(1, 2**63 - 1)
"""An annotation (or claim) id: a positive SQLite integer."""


def open_store() -> Store:
    """The user's store, or a UserError saying why it can't be opened."""
    from sourcereader.core.store import Store, StoreError

    try:
        return Store.open()
    except StoreError as exc:
        raise UserError(str(exc)) from None


def open_library(store: Store | None = None) -> Library:
    """The bundled + user library (segmentations cached in the store), problems on stderr."""
    import sys

    from sourcereader.core.documents import Library
    from sourcereader.core.sanitize import one_line

    library = Library.default(cache=store)
    for problem in library.problems:
        print(f"sourcereader: warning: {one_line(problem)}", file=sys.stderr)
    return library


def open_store_and_library() -> tuple[Store, Library]:
    """:func:`open_store`, then :func:`open_library` with its segmentation cache."""
    store = open_store()
    return store, open_library(store)


def check_language(code: str) -> str:
    """A ``--lang``/``--to`` value checked by the core's one language check, or its message as a UserError."""
    from sourcereader.core.choices import UnknownLanguage
    from sourcereader.core.choices import check_language as core_check

    try:
        return core_check(code)
    except UnknownLanguage as exc:
        raise UserError(str(exc)) from None


def get_document(library: Library, document_id: str) -> Document:
    """The document, or a UserError with suggestions."""
    try:
        return library.document(document_id)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None


def print_json(value: object) -> None:
    """Print ``value`` as the JSON every ``--json`` prints (``core.documents.dumps``)."""
    from sourcereader.core.documents import dumps

    print(dumps(value))


def read_input_text(path: str | None) -> str:
    """Text from a file path, or from stdin when ``path`` is None or ``-``."""
    import sys

    from sourcereader.core.errors import DocumentError
    from sourcereader.core.files import decode_text, read_text_file

    if path is None or path == "-":
        try:
            return decode_text(sys.stdin.buffer.read(), "standard input")
        except DocumentError as exc:
            raise UserError(str(exc)) from None
    from pathlib import Path

    try:
        return read_text_file(Path(path))
    except DocumentError as exc:
        raise UserError(str(exc)) from None


def read_note(value: str | None) -> str | None:
    """A ``--note`` value, or the note from standard input for ``-`` (empty input is an error)."""
    if value != "-":
        return value
    text = read_input_text("-")
    if not text.strip():
        raise UserError("the note read from standard input is empty")
    return text
