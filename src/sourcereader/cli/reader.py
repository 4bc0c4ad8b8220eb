"""``sourcereader read [ID]``: the terminal reader (the TUI is imported only when it runs)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sourcereader.cli.common import get_document, open_library, open_store

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers


def register(sub: SubParsers) -> None:
    """Add the ``read`` command."""
    p = sub.add_parser(
        "read",
        help="open the reader (the library, or one document)",
        description="Open the terminal reader. Without an id it shows the library; with one it opens that "
        "document side by side with its translations. Press ? in the reader for every key; keys can be "
        "remapped in keys.toml in the configuration directory.",
    )
    p.add_argument("id", nargs="?", help="document id to open (see `sourcereader list`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the reader until the user quits."""
    store = open_store()
    library = open_library(store)
    if args.id is not None:
        get_document(library, args.id)  # a bad id is a user error before any screen is drawn
    from sourcereader.tui.app import make_app

    make_app(library, store, document_id=args.id).run()
    return 0
