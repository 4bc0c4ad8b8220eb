"""``sourcereader diff``: two versions of a text aligned sentence by sentence, word changes marked.

Thin: the alignment and the word comparison are ``sourcereader.core.versions``; this prints them.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sourcereader.cli.common import UserError, get_document, open_store_and_library, print_json

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers
    from sourcereader.core.versions import DiffRow, VersionDiff


def register(sub: SubParsers) -> None:
    """Add ``diff``."""
    p = sub.add_parser(
        "diff",
        help="compare two versions of a text (e.g. of an article), sentence by sentence",
        description=(
            "Align two versions of a document in the same language sentence by sentence and mark what "
            "changed word by word: [-only in the first-]{+only in the second+}. Rows the versions share "
            "unchanged are summarised unless --all is given."
        ),
    )
    p.add_argument("a", metavar="ID_A", help="the first version's document id")
    p.add_argument("b", metavar="ID_B", help="the second version's document id")
    p.add_argument("--all", action="store_true", help="print unchanged rows too")
    p.add_argument("--json", action="store_true", help="print JSON (every row, with its pieces)")
    p.set_defaults(func=run_diff)


def _ids(ids: tuple[str, ...]) -> str:
    if not ids:
        return "—"
    return ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"


def diff_lines(diff: VersionDiff, *, everything: bool = False) -> list[str]:
    """What ``sourcereader diff`` prints: a heading per run of rows of one kind (unchanged runs as
    one line unless ``everything``), then each row's text with its changes marked."""
    from sourcereader.core.plurals import counted
    from sourcereader.core.sanitize import one_line

    a = f"{diff.a_id} ({counted(diff.a_sentences, 'sentence')})"
    b = f"{diff.b_id} ({counted(diff.b_sentences, 'sentence')})"
    lines = [f"{a} → {b}", diff.summary()]
    run: list[DiffRow] = []

    def flush() -> None:
        if not run:
            return
        a_ids = tuple(i for r in run for i in r.a)
        b_ids = tuple(i for r in run for i in r.b)
        change = run[0].change
        count = counted(max(len(a_ids), len(b_ids)), "sentence")
        lines.append(f"{_ids(a_ids)} → {_ids(b_ids)}  {change}" + (f" ({count})" if len(run) > 1 else ""))
        if change != "same" or everything:
            lines.extend(f"    {one_line(r.marked())}" for r in run)
        run.clear()

    for row in diff.rows:
        # Added, removed and unchanged rows run together; each changed row stands alone.
        if run and (row.change != run[0].change or row.change == "changed"):
            flush()
        run.append(row)
    flush()
    return lines


def run_diff(args: argparse.Namespace) -> int:
    """``sourcereader diff``."""
    from sourcereader.core.versions import diff_to_json, diff_versions

    store, library = open_store_and_library()
    a = get_document(library, args.a)
    b = get_document(library, args.b)
    if a.language != b.language:
        raise UserError(
            f"{a.id} is in {a.language} and {b.id} in {b.language}: diff compares versions in one language "
            "(to read a translation side by side, use `sourcereader read`)"
        )
    diff = diff_versions(a, b, cache=store)
    if args.json:
        print_json(diff_to_json(diff))
    else:
        print("\n".join(diff_lines(diff, everything=args.all)))
    return 0
