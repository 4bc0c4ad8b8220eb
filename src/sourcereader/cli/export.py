"""``sourcereader export`` (Markdown or W3C JSON-LD) and ``sourcereader import-annotations``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sourcereader.cli.common import UserError, bounded_int, get_document, open_library, open_store
from sourcereader.core.plurals import counted

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers

MAX_CONTEXT = 1000
"""Sentences of context either side of an excerpt: more is a whole document, not an excerpt."""


def register(sub: SubParsers) -> None:
    """Add ``export`` and ``import-annotations``."""
    from sourcereader.core.choices import EXPORT_FORMATS, KINDS, TAGS_AS

    p = sub.add_parser(
        "export",
        help="export annotated excerpts as Markdown (or W3C Web Annotation JSON-LD)",
        description=(
            "Export annotations, grouped by document in document order: the original sentences with "
            "the annotated span emphasised, the aligned translations, the note, the tags and a citation "
            "line. Written to standard output unless -o is given (an existing file needs --force)."
        ),
    )
    p.add_argument("--doc", action="append", default=[], metavar="ID", help="only this document (repeatable)")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="only annotations with this tag (repeatable: any of them)",
    )
    p.add_argument("--kind", choices=KINDS, help="only this kind")
    p.add_argument(
        "--since", metavar="DATE", help="only annotations created or changed since DATE (YYYY-MM-DD)"
    )
    p.add_argument(
        "--context",
        type=bounded_int(0, MAX_CONTEXT),
        default=0,
        metavar="N",
        help=f"N sentences of context around each (0 to {MAX_CONTEXT})",
    )
    p.add_argument(
        "--translations",
        default="human,machine",
        metavar="KINDS",
        help="which translations to quote: human, machine, human,machine (default) or none",
    )
    p.add_argument("--tags-as", choices=TAGS_AS, default="list", help="tags as #hashtags or a list")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="markdown", help="output format")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output (- is standard output; a pipe or a terminal is "
        "written into as it is)",
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it is an existing file")
    p.add_argument(
        "--claims",
        nargs="*",
        metavar="CLAIM",
        help="export claims instead: an evidence brief (or, with --format w3c, claims and evidence links) "
        "of these claims, or of every claim when none is named",
    )
    p.set_defaults(func=run_export)

    p = sub.add_parser(
        "import-annotations",
        help="import annotations from a W3C Web Annotation JSON-LD file",
        description=(
            "Read annotations exported with `sourcereader export --format w3c` (or another tool's "
            "W3C annotations on sourcereader documents). Annotations already present (same id) are "
            "skipped; the rest are saved in one transaction, then re-anchored on the local texts."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the JSON-LD file (- for standard input)")
    p.set_defaults(func=run_import_annotations)


def parse_since(value: str | None) -> str | None:
    """A ``--since`` value checked as an ISO date or date-time."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"--since must be a date like 2026-01-31 (got {value!r})") from None
    return value


def parse_translation_kinds(value: str) -> tuple[str, ...]:
    """``human,machine`` → ``("human", "machine")``; ``none`` → ``()``."""
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    if kinds == ("none",):
        return ()
    bad = [k for k in kinds if k not in ("human", "machine")]
    if bad or not kinds:
        raise UserError(f"--translations takes human, machine, human,machine or none (got {value!r})")
    return kinds


def run_export(args: argparse.Namespace) -> int:
    """``sourcereader export``."""
    from sourcereader.core.export import ExportFilter, ExportOptions, export_annotations
    from sourcereader.core.files import check_output, write_output

    where = ExportFilter(
        documents=tuple(args.doc), tags=tuple(args.tag), kind=args.kind, since=parse_since(args.since)
    )
    options = ExportOptions(
        context=args.context,
        translations=parse_translation_kinds(args.translations),
        tags_as=args.tags_as,
        generated=dt.date.today().isoformat(),
    )
    # "-o -" is standard output, as for any Unix tool.
    target = Path(args.output) if args.output not in (None, "-") else None
    if target is not None:
        with _output_errors(target):
            check_output(target, overwrite=args.force)
    noun = "annotation"
    if args.claims is not None:
        from sourcereader.cli.claims import export_claims

        if args.doc or args.tag or args.kind or args.since or args.context or args.tags_as != "list":
            raise UserError(
                "--claims exports claims: --doc, --tag, --kind, --since, --context, --tags-as do not apply"
            )
        text, count = export_claims(args.claims, args.format, options.generated, options.translations)
        noun = "claim"
    else:
        store = open_store()
        library = open_library(store)
        for document_id in where.documents:
            get_document(library, document_id)
        exported = export_annotations(store, library, where, options, args.format)
        text, count = exported.text, exported.count
    if target is None:
        sys.stdout.write(text)
        return 0
    with _output_errors(target):
        write_output(target, text, overwrite=args.force)
    print(f"wrote {counted(count, noun)} to {target}", file=sys.stderr)
    return 0


@contextmanager
def _output_errors(target: Path) -> Iterator[None]:
    """What can go wrong with ``-o FILE``, as one line each."""
    from sourcereader.core.files import OutputRefused

    try:
        yield
    except IsADirectoryError:
        raise UserError(f"{target} is a directory; give a file name") from None
    except FileExistsError:
        raise UserError(f"{target} exists; use --force to overwrite it") from None
    except FileNotFoundError:
        raise UserError(f"{target if target.parent.is_dir() else target.parent} does not exist") from None
    except OutputRefused as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None


def run_import_annotations(args: argparse.Namespace) -> int:
    """``sourcereader import-annotations``."""
    import json

    from sourcereader.cli.common import read_input_text
    from sourcereader.core.annotations import AnnotationError, reanchor_annotated
    from sourcereader.core.export import from_w3c
    from sourcereader.core.sanitize import one_line

    text = read_input_text(args.file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{args.file}: not JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise UserError(f"{args.file}: not a W3C annotation file (values nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise UserError(f"{args.file}: not a W3C annotation file ({exc})") from None
    from sourcereader.cli.claims import read_claim_items, save_claim_items
    from sourcereader.core.claims_export import split_w3c

    data, claim_items = split_w3c(data)  # claims and evidence links: checked here, saved after
    claims = read_claim_items(claim_items, args.file) if claim_items else None
    try:
        drafts = from_w3c(data) if data or not claim_items else []
    except AnnotationError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    store = open_store()
    library = open_library(store)
    new = [d for d in drafts if d.uuid is None or store.annotation_by_uuid(d.uuid) is None]
    unknown = sorted({d.anchor.document_id for d in new if d.anchor.document_id not in library})
    for document_id in unknown:
        print(
            f"sourcereader: warning: {one_line(document_id)} is not in the library; its annotations are "
            "kept and will be placed when it is imported",
            file=sys.stderr,
        )
    try:
        store.add_annotations(new)
    except AnnotationError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    reanchor_annotated(store, library, sorted({d.anchor.document_id for d in new} - set(unknown)))
    skipped = len(drafts) - len(new)
    if drafts or not claim_items:
        print(
            f"imported {counted(len(new), 'annotation')}"
            + (f" ({skipped} already present)" if skipped else "")
        )
    if claims is not None:
        print(save_claim_items(claims, args.file))
    return 0
