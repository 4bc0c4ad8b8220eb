"""Annotation commands: ``annotate``, ``notes`` (with edit/delete/restore/retag/reattach/purge), ``reanchor``.

Thin: arguments are checked and turned into anchors and drafts by ``sourcereader.core.annotations``;
the store saves them, one transaction per command. Anything wrong with the input is a UserError
(one line, exit 2) raised before anything is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sourcereader.cli.common import (
    ANNOTATION_ID,
    UserError,
    get_document,
    open_store,
    open_store_and_library,
    print_json,
    read_note,
)
from sourcereader.core.sanitize import one_line

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers
    from sourcereader.core.annotations import Anchor, Annotation
    from sourcereader.core.documents import Document, Library, Translation

_SPAN_RE = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*$")


def register(sub: SubParsers) -> None:
    """Add ``annotate``, ``notes`` and ``reanchor``."""
    from sourcereader.core.choices import HIGHLIGHTS, KINDS

    p = sub.add_parser(
        "annotate",
        help="annotate a sentence, a span, a run of sentences or a bead",
        description=(
            "Add a note, tags, a highlight or a relation note to sentences of a document (or of one of "
            "its translations, with --translation). Prints the new annotation's id."
        ),
    )
    p.add_argument("id", metavar="ID", help="document id (see `sourcereader list`)")
    p.add_argument(
        "sentence", metavar="SENTENCE_ID", help="first sentence, e.g. s12 (see `sourcereader show`)"
    )
    p.add_argument("--to", metavar="SENTENCE_ID", help="last sentence of a run (inclusive)")
    p.add_argument(
        "--span", metavar="START:END", help="characters START to END (0-based) inside the sentence"
    )
    p.add_argument("--translation", metavar="TID", help="annotate this translation's sentences instead")
    p.add_argument("--note", metavar="TEXT", help="the note (Markdown); - reads it from standard input")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    p.add_argument("--highlight", metavar="COLOUR", help=f"highlight colour: {', '.join(HIGHLIGHTS)}")
    p.add_argument(
        "--relation",
        action="store_true",
        help="a relation note on the bead: how translations render these sentences (needs --compare)",
    )
    p.add_argument("--compare", metavar="TID,...", help="for --relation: the translations compared")
    p.add_argument("--json", action="store_true", help="print the new annotation as JSON")
    p.set_defaults(func=run_annotate)

    p = sub.add_parser(
        "notes",
        help="list, edit, delete, restore, retag or re-attach annotations",
        description=(
            "List annotations (all documents, in document order) or change one. Deleting puts an "
            "annotation in the bin: `notes restore` brings it back, `notes purge` empties the bin."
        ),
    )
    p.add_argument("--doc", metavar="ID", help="only this document")
    p.add_argument("--tag", metavar="T", help="only annotations with this tag (any case)")
    p.add_argument("--kind", choices=KINDS, help="only this kind")
    p.add_argument("--text", metavar="TEXT", help="only annotations whose note, quote or tags contain TEXT")
    p.add_argument(
        "--orphans", action="store_true", help="only orphans (annotations whose text changed away)"
    )
    p.add_argument("--deleted", action="store_true", help="include annotations in the bin")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_notes)
    nsub = p.add_subparsers(
        dest="notes_command", metavar="ACTION", help="what to do with one annotation (default: list)"
    )

    q = nsub.add_parser("edit", help="change a note or highlight", description="Change an annotation's note.")
    q.add_argument("ann", metavar="ANN_ID", type=ANNOTATION_ID, help="annotation id")
    q.add_argument(
        "--note", metavar="TEXT", help="the new note; - reads it from standard input; '' clears it"
    )
    q.add_argument("--highlight", metavar="COLOUR", help="the new highlight colour; '' clears it")
    q.set_defaults(func=run_edit)

    q = nsub.add_parser("delete", help="put an annotation in the bin", description="Delete (undo: restore).")
    q.add_argument("ann", metavar="ANN_ID", type=ANNOTATION_ID, help="annotation id")
    q.set_defaults(func=run_delete)

    q = nsub.add_parser("restore", help="take an annotation out of the bin", description="Undo a delete.")
    q.add_argument("ann", metavar="ANN_ID", type=ANNOTATION_ID, help="annotation id")
    q.set_defaults(func=run_restore)

    q = nsub.add_parser("retag", help="replace an annotation's tags", description="Replace all tags.")
    q.add_argument("ann", metavar="ANN_ID", type=ANNOTATION_ID, help="annotation id")
    q.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    q.add_argument("--clear", action="store_true", help="remove every tag")
    q.set_defaults(func=run_retag)

    q = nsub.add_parser(
        "reattach",
        help="put an annotation (an orphan) on other sentences",
        description="Re-attach an annotation to sentences of the same document (or translation).",
    )
    q.add_argument("ann", metavar="ANN_ID", type=ANNOTATION_ID, help="annotation id")
    q.add_argument("sentence", metavar="SENTENCE_ID", help="first sentence")
    q.add_argument("--to", metavar="SENTENCE_ID", help="last sentence of a run (inclusive)")
    q.add_argument("--span", metavar="START:END", help="characters START to END inside the sentence")
    q.set_defaults(func=run_reattach)

    q = nsub.add_parser(
        "purge",
        help="empty the bin (deleted annotations are gone for good)",
        description="Permanently remove annotations that were deleted.",
    )
    q.add_argument("--yes", action="store_true", help="really do it (required)")
    q.set_defaults(func=run_purge)

    p = sub.add_parser(
        "reanchor",
        help="find annotations again after texts changed",
        description=(
            "Re-check where annotations sit after a document or translation changed (an edit, or the "
            "full text imported in place of a fragment). Annotations that cannot be found are kept as "
            "orphans (`sourcereader notes --orphans`). Prints how many moved and how."
        ),
    )
    p.add_argument("id", metavar="ID", nargs="?", help="only this document (default: every annotated one)")
    p.add_argument("--force", action="store_true", help="search again for orphans already checked")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_reanchor)


# --------------------------------------------------------------------------- helpers
@contextmanager
def annotation_errors() -> Iterator[None]:
    """Turn the core's AnnotationError into a UserError (one line, exit 2)."""
    from sourcereader.core.annotations import AnnotationError

    try:
        yield
    except AnnotationError as exc:
        raise UserError(str(exc)) from None


def parse_span(value: str | None) -> tuple[int, int] | None:
    """``"4:17"`` → ``(4, 17)``; UserError for anything else."""
    if value is None:
        return None
    m = _SPAN_RE.match(value)
    if m is None or len(m.group(1)) > 9 or len(m.group(2)) > 9:
        raise UserError(f"--span must be START:END with two numbers, e.g. 4:17 (got {value!r})")
    return int(m.group(1)), int(m.group(2))


def get_translation(library: Library, document_id: str, translation_id: str) -> Translation:
    """The translation, or a UserError naming the ones there are."""
    try:
        return library.translation(document_id, translation_id)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None


def _anchor(
    library: Library,
    document: Document,
    translation_id: str | None,
    first: str,
    last: str | None,
    span: str | None,
) -> Anchor:
    from sourcereader.core.annotations import anchor_for, sentence_run

    text = get_translation(library, document.id, translation_id) if translation_id else document
    with annotation_errors():
        ids = sentence_run(text, first, last)
        parsed = parse_span(span)
        if parsed is not None and last is not None and last != first:
            raise UserError("--span and --to cannot be combined: a span lies inside one sentence")
        return anchor_for(text, ids, parsed)


def _line(annotation: Annotation) -> str:
    flag = " ORPHAN" if annotation.is_orphan else ""
    flag += " DELETED" if annotation.is_deleted else ""
    tags = " ".join(f"#{t.replace(' ', '-')}" for t in annotation.tags)
    quote = one_line(annotation.anchor.exact)
    quote = quote if len(quote) <= 60 else quote[:59] + "…"
    note = one_line(annotation.note or "")
    note = note if len(note) <= 80 else note[:79] + "…"
    extra = f" vs {','.join(annotation.compared)}" if annotation.compared else ""
    colour = f" [{annotation.highlight}]" if annotation.highlight else ""
    # Ids and kinds are checked when annotations come in, but a database is a file anyone could
    # have written: everything printed goes through one_line.
    head = one_line(
        f"{annotation.id:>5}  {annotation.document_id}  {annotation.anchor.describe()}  {annotation.kind}"
        f"{extra}{colour}{flag}"
    )
    lines = [head, f"       «{quote}»"]
    if note:
        lines.append(f"       {note}")
    if tags:
        lines.append(f"       {one_line(tags)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- annotate
def run_annotate(args: argparse.Namespace) -> int:
    """``sourcereader annotate``."""
    from sourcereader.core.annotations import AnnotationDraft, check_draft, infer_kind, to_json
    from sourcereader.core.export import bead_sentences, load_beads

    note = read_note(args.note)
    compared = tuple(c.strip() for c in (args.compare or "").split(",") if c.strip())
    if compared and not args.relation:
        raise UserError("--compare goes with --relation")
    store, library = open_store_and_library()
    document = get_document(library, args.id)
    anchor = _anchor(library, document, args.translation, args.sentence, args.to, args.span)
    compared_sentences: dict[str, tuple[str, ...]] = {}
    for tid in compared:
        translation = get_translation(library, document.id, tid)
        beads = load_beads(store, document, translation)
        compared_sentences[tid] = bead_sentences(beads, document, translation, anchor.sentence_ids)
    with annotation_errors():
        kind = infer_kind(note=note, highlight=args.highlight, tags=args.tag, relation=args.relation)
        draft = check_draft(
            AnnotationDraft(
                anchor,
                kind=kind,
                note=note,
                highlight=args.highlight,
                tags=tuple(args.tag),
                compared=compared,
                compared_sentences=compared_sentences,
            )
        )
        saved = store.add_annotation(draft)
    if args.json:
        print_json(to_json(saved))
    else:
        print(saved.id)
    return 0


# --------------------------------------------------------------------------- notes
def run_notes(args: argparse.Namespace) -> int:
    """``sourcereader notes``: list."""
    from sourcereader.core.annotations import reanchor_annotated, to_json

    store, library = open_store_and_library()
    if args.doc is not None:
        get_document(library, args.doc)
    # Texts may have changed since the annotations were made: settle them before listing.
    reanchor_annotated(store, library, None if args.doc is None else [args.doc])
    with annotation_errors():
        found = store.annotations(
            document_id=args.doc,
            tag=args.tag,
            kind=args.kind,
            text=args.text,
            orphans=True if args.orphans else None,
            include_deleted=args.deleted,
        )
    if args.json:
        print_json([to_json(a) for a in found])
        return 0
    if not found:
        print("No annotations.")
        return 0
    for annotation in found:
        print(_line(annotation))
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """``sourcereader notes edit``."""
    note = read_note(args.note)
    if note is None and args.highlight is None:
        raise UserError("nothing to change: give --note and/or --highlight")
    store = open_store()
    with annotation_errors():
        saved = store.update_annotation(args.ann, note=note, highlight=args.highlight)
    print(f"updated {saved.id}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """``sourcereader notes delete``."""
    store = open_store()
    with annotation_errors():
        store.delete_annotation(args.ann)
    print(f"deleted {args.ann} (undo: sourcereader notes restore {args.ann})")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """``sourcereader notes restore``."""
    store = open_store()
    with annotation_errors():
        store.restore_annotation(args.ann)
    print(f"restored {args.ann}")
    return 0


def run_retag(args: argparse.Namespace) -> int:
    """``sourcereader notes retag``."""
    if not args.tag and not args.clear:
        raise UserError("give --tag at least once (or --clear to remove every tag)")
    if args.tag and args.clear:
        raise UserError("--tag and --clear cannot be combined")
    store = open_store()
    with annotation_errors():
        saved = store.update_annotation(args.ann, tags=[] if args.clear else args.tag)
    print(f"tags of {saved.id}: {one_line(', '.join(saved.tags)) or 'none'}")
    return 0


def run_reattach(args: argparse.Namespace) -> int:
    """``sourcereader notes reattach``."""
    store, library = open_store_and_library()
    with annotation_errors():
        current = store.annotation(args.ann, include_deleted=True)
    document = get_document(library, current.document_id)
    anchor = _anchor(library, document, current.translation_id, args.sentence, args.to, args.span)
    with annotation_errors():
        saved = store.reattach_annotation(args.ann, anchor)
    print(f"re-attached {saved.id} to {one_line(saved.anchor.describe())}")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    """``sourcereader notes purge``."""
    if not args.yes:
        raise UserError("purging deletes annotations for good; add --yes to confirm")
    store = open_store()
    print(f"purged {store.purge_deleted()} deleted annotation(s)")
    return 0


# --------------------------------------------------------------------------- reanchor
def run_reanchor(args: argparse.Namespace) -> int:
    """``sourcereader reanchor``."""
    from sourcereader.core.annotations import reanchor_annotated

    store, library = open_store_and_library()
    if args.id is not None:
        get_document(library, args.id)
    run = reanchor_annotated(store, library, None if args.id is None else [args.id], force=args.force)
    for document_id in run.not_in_library:
        print(
            f"sourcereader: warning: {one_line(document_id)} is not in the library; "
            "its annotations were left as they are",
            file=sys.stderr,
        )
    reports = run.reports
    if args.json:
        print_json(
            [
                {
                    "document": r.document_id,
                    "counts": dict(r.counts),
                    "orphans": list(r.orphaned),
                    "missing_translations": list(r.missing_texts),
                }
                for r in reports
            ]
        )
        return 0
    if not reports:
        print("No annotations to re-anchor.")
    for report in reports:
        print(one_line(report.summary()))
        if report.missing_texts:
            print(f"  translations no longer in the library: {one_line(', '.join(report.missing_texts))}")
    return 0
