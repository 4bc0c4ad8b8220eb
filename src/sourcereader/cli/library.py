"""Library commands: ``list``, ``show``, ``segment``, ``import``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sourcereader.cli.common import (
    UserError,
    check_language,
    get_document,
    open_library,
    open_store,
    read_input_text,
)
from sourcereader.core.plurals import counted

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers
    from sourcereader.core.documents import Document, Library, LibraryEntry
    from sourcereader.core.store import Store


def register(sub: SubParsers) -> None:
    """Add the library commands."""
    p = sub.add_parser(
        "list",
        help="list the documents in the library",
        description="List every document (bundled and your own) with its translations and witnesses.",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run_list)

    p = sub.add_parser(
        "show",
        help="print a document's metadata and numbered sentences",
        description="Print a document's metadata and its text as numbered sentences and gaps; "
        "with --translation, the aligned beads with their confidence.",
    )
    p.add_argument("id", help="document id (see `sourcereader list`)")
    p.add_argument("--translation", metavar="TID", help="show the alignment with this translation")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_show)

    p = sub.add_parser(
        "segment",
        help="split text into sentences",
        description="Split text into sentences (pySBD with sourcereader's corrections). "
        "text: one sentence a line, a blank line between paragraphs; "
        "jsonl: one JSON array of sentences for each input line.",
    )
    p.add_argument("file", nargs="?", help="input file (default: standard input)")
    p.add_argument("--lang", required=True, help="ISO 639-1 language code, e.g. ru, en, de")
    p.add_argument(
        "--format", choices=("text", "jsonl"), default="text", help="output format (default: text)"
    )
    p.set_defaults(func=run_segment)

    p = sub.add_parser(
        "import",
        help="copy a text file into your library",
        description="Copy a plain-text or Markdown file into your library (in the data "
        "directory). A file that already has a +++ TOML header keeps it (options given "
        "on the command line override its fields). With --translation-of, the file is "
        "imported as a translation of that document. A document with the id of a bundled "
        "one replaces it for you (how you bring in the full text of a fragment); use "
        "--replace to confirm.",
    )
    p.add_argument("file", help="the text or Markdown file to import")
    p.add_argument("--lang", help="ISO 639-1 language of the text (required unless the file has a header)")
    p.add_argument("--title", help="title (required for a document unless the file has a header)")
    p.add_argument("--id", help="document id (default: made from the title)")
    p.add_argument("--date", help="date of the document: YYYY, YYYY-MM or YYYY-MM-DD (default: undated)")
    p.add_argument(
        "--kind", help="kind: record of conversation, telegram, draft treaty, … (default: document)"
    )
    p.add_argument(
        "--status", choices=("complete", "partial"), help="complete or partial (default: complete)"
    )
    p.add_argument("--original-publication", help="where the document was first published")
    p.add_argument("--archival-reference", help="archive, fond, opis, delo, list…")
    p.add_argument("--copy-source", help="where this copy of the text came from (default: the file name)")
    p.add_argument("--license", help="licence of the text (default: 'unknown: the user's own copy')")
    p.add_argument("--notes", help="free notes")
    p.add_argument("--event", help="event this document records (documents sharing it are witnesses)")
    p.add_argument("--participant", action="append", default=[], help="a participant (repeatable)")
    p.add_argument("--author", help="for a secondary source (--kind secondary): its author(s)")
    p.add_argument("--url", help="for a secondary source: its address")
    p.add_argument("--revision", help="for a secondary source: the version or revision id")
    p.add_argument("--retrieved", help="for a secondary source: when this copy was retrieved")
    p.add_argument("--work", help="for a secondary source: a key shared by versions of the same source")
    p.add_argument("--translation-of", metavar="DOC_ID", help="import as a translation of this document")
    p.add_argument("--translator", help="for a translation: who translated it (human)")
    p.add_argument("--engine", help="for a translation: which engine made it (machine)")
    p.add_argument("--covers", help="for a translation: which part of the document it covers (default: all)")
    p.add_argument(
        "--replace", action="store_true", help="replace a document or translation with the same id"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="with --translation-of: import a translation in the document's own language (refused "
        "without it: usually a wrong --lang)",
    )
    p.set_defaults(func=run_import)


# --------------------------------------------------------------------------- list
def _entry_json(library: Library, entry: LibraryEntry) -> dict[str, object]:
    meta = entry.document.meta
    return {
        "id": meta.id,
        "title": meta.title,
        "language": meta.language,
        "date": meta.date,
        "kind": meta.kind,
        "status": meta.status,
        "origin": entry.document.origin,
        "sentences": entry.document.counts[0],
        "gaps": entry.document.counts[1],
        "translations": [
            {"id": t.id, "language": t.language, "kind": t.meta.kind, "label": t.meta.label}
            for t in entry.translations
        ],
        "event": meta.event,
        "witnesses": [w.id for w in library.witnesses(meta.id)],
        "versions": [v.id for v in library.versions(meta.id)],
    }


def run_list(args: argparse.Namespace) -> int:
    """``sourcereader list``."""
    from sourcereader.core.documents import dumps
    from sourcereader.core.sanitize import one_line

    library = open_library(open_store())
    entries = list(library)
    rows = [_entry_json(library, e) for e in entries]
    if args.json:
        print(dumps(rows))
        return 0
    if not rows:
        print("The library is empty.")
        return 0
    for entry, row in zip(entries, rows, strict=True):
        sentences, gaps = entry.document.counts
        translations = row["translations"]
        assert isinstance(translations, list)
        tr = ", ".join(f"{t['id']} ({t['language']}, {t['kind']})" for t in translations) or "none"
        status = "PARTIAL" if row["status"] == "partial" else "complete"
        origin = "" if row["origin"] == "bundled" else f"  [{row['origin']}]"
        print(f"{row['id']}{origin}")
        print(f"    {one_line(str(row['title']))}")
        print(
            f"    {row['language']} · {row['date']} · {one_line(str(row['kind']))} · {status} · "
            f"{counted(sentences, 'sentence')}, {counted(gaps, 'gap')}"
        )
        print(f"    translations: {one_line(tr)}")
        witnesses = row["witnesses"]
        assert isinstance(witnesses, list)
        if witnesses:
            print(f"    witnesses of the same event: {', '.join(witnesses)}")
        versions = row["versions"]
        assert isinstance(versions, list)
        if versions:
            print(f"    other versions of this source: {', '.join(versions)}")
    return 0


# --------------------------------------------------------------------------- show
def run_show(args: argparse.Namespace) -> int:
    """``sourcereader show``."""
    store = open_store()
    library = open_library(store)
    document = get_document(library, args.id)
    if args.translation:
        return _show_alignment(store, library, document, args.translation, as_json=args.json)
    from sourcereader.core.documents import dumps, to_json

    if args.json:
        print(dumps(to_json(document)))
        return 0
    _print_meta(document)
    _print_elements(document)
    return 0


def _print_meta(document: Document) -> None:
    from sourcereader.core.sanitize import one_line

    meta = document.meta
    print(one_line(meta.title))
    width = max(len(k) for k in meta.to_header())
    for key, value in meta.to_header().items():
        if key == "title":
            continue
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        print(f"  {key.replace('_', ' '):<{width}}  {one_line(text) or '—'}")
    print()


def _print_elements(document: Document) -> None:
    from sourcereader.core.documents import Gap
    from sourcereader.core.sanitize import one_line

    width = len(f"s{len(document.sentences)}")
    paragraph = -1
    for element in document.elements:
        if element.paragraph != paragraph and paragraph != -1:
            print()
        paragraph = element.paragraph
        if isinstance(element, Gap):
            print(f"{'':>{width}}  [{element.kind.upper()}: {one_line(element.explanation)}]")
        else:
            print(f"{element.id:>{width}}  {one_line(element.text)}")


def _show_alignment(
    store: Store, library: Library, document: Document, translation_id: str, *, as_json: bool
) -> int:
    import sourcereader.core.alignment.document as alignment
    from sourcereader.core.alignment.beads import UNSURE_BELOW
    from sourcereader.core.documents import dumps
    from sourcereader.core.sanitize import one_line

    try:
        translation = library.translation(document.id, translation_id)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    result = alignment.document_alignment(store, document, translation)
    src, tgt = document.sentences, translation.sentences
    if as_json:
        print(
            dumps(
                {
                    "document": document.id,
                    "translation": translation.id,
                    "beads": [
                        {
                            "source": [src[i].id for i in bead.src],
                            "target": [tgt[j].id for j in bead.tgt],
                            "source_text": " ".join(src[i].text for i in bead.src),
                            "target_text": " ".join(tgt[j].text for j in bead.tgt),
                            "confidence": round(bead.confidence, 3),
                            "verified": bead.verified,
                        }
                        for bead in result.beads
                    ],
                }
            )
        )
        return 0
    print(f"{one_line(document.meta.title)}\n  ↔ {one_line(translation.meta.label)} ({translation.id})")
    unsure = sum(1 for bead in result.beads if bead.unsure)
    print(
        f"  ? unsure: confidence under {UNSURE_BELOW:.2f}, right about half the time "
        f"({unsure} of {len(result.beads)} beads); ✓ verified\n"
    )
    for n, bead in enumerate(result.beads, 1):
        ids = ",".join(src[i].id for i in bead.src) or "—"
        tids = ",".join(tgt[j].id for j in bead.tgt) or "—"
        mark = "✓" if bead.verified else ("?" if bead.unsure else " ")
        print(f"bead {n}  {ids} ↔ {tids}  confidence {bead.confidence:.2f} {mark}")
        print(f"   {one_line(' '.join(src[i].text for i in bead.src)) or '(not in the source)'}")
        print(f"   {one_line(' '.join(tgt[j].text for j in bead.tgt)) or '(not translated)'}")
    return 0


# --------------------------------------------------------------------------- segment
def run_segment(args: argparse.Namespace) -> int:
    """``sourcereader segment``."""
    from sourcereader.core import segmenting
    from sourcereader.core.documents import segment_body
    from sourcereader.core.sanitize import json_safe

    check_language(args.lang)
    text = read_input_text(args.file)
    out = sys.stdout
    if args.format == "jsonl":
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for line in lines:
            sentences = [line[s:e] for s, e in segmenting.split(line, args.lang)]
            out.write(json_safe(json.dumps(sentences, ensure_ascii=False)) + "\n")
        return 0
    if not text.strip():
        raise UserError("the input is empty")
    from sourcereader.core.documents import Gap
    from sourcereader.core.sanitize import for_terminal

    paragraph = -1
    for element in segment_body(text, args.lang):
        if paragraph != -1 and element.paragraph != paragraph:
            out.write("\n")
        paragraph = element.paragraph
        if isinstance(element, Gap):
            out.write(for_terminal(text[element.start : element.end].replace("\n", " ")) + "\n")
        else:
            out.write(for_terminal(" ".join(element.text.split())) + "\n")
    return 0


# --------------------------------------------------------------------------- import
def run_import(args: argparse.Namespace) -> int:
    """``sourcereader import``."""
    from sourcereader import locations
    from sourcereader.core.importing import (
        AlreadyInLibrary,
        ImportRequest,
        MissingField,
        SameLanguage,
        import_text,
    )
    from sourcereader.core.sanitize import one_line

    path = Path(args.file)
    text = read_input_text(args.file)
    request = ImportRequest(
        language=args.lang,
        title=args.title,
        id=args.id,
        date=args.date,
        kind=args.kind,
        status=args.status,
        original_publication=args.original_publication,
        archival_reference=args.archival_reference,
        copy_source=args.copy_source,
        license=args.license,
        notes=args.notes,
        event=args.event,
        participants=tuple(args.participant),
        translation_of=args.translation_of,
        translator=args.translator,
        engine=args.engine,
        covers=args.covers,
        author=args.author,
        url=args.url,
        revision=args.revision,
        retrieved=args.retrieved,
        work=args.work,
        replace=args.replace,
        force=args.force,
    )
    store = open_store()
    library = open_library(store)
    try:
        imported = import_text(
            text, path, request, library=library, root=locations.user_library_dir(), cache=store
        )
    except MissingField as exc:
        option = {"language": "--lang"}.get(exc.name, f"--{exc.name}")
        raise UserError(f"{option} is required ({exc})") from None
    except SameLanguage as exc:
        raise UserError(
            f"{one_line(str(exc))}: a translation is usually in another language; check --lang "
            "(or the file's header), or use --force to import it anyway"
        ) from None
    except AlreadyInLibrary as exc:
        if exc.translation_id is not None:
            raise UserError(
                f"document {exc.document_id!r} already has a translation {exc.translation_id!r}; "
                "use --replace or --id"
            ) from None
        where = "bundled with sourcereader" if exc.bundled else "in your library"
        raise UserError(
            f"a document with id {exc.document_id!r} is already {where}; "
            "use --replace to replace it, or --id to choose another id"
        ) from None
    sentences = counted(imported.sentences, "sentence")
    for warning in imported.warnings:
        print(f"sourcereader: warning: {one_line(warning)} (imported because of --force)", file=sys.stderr)
    if imported.kind == "translation":
        print(
            f"imported translation {imported.id} of {imported.document_id} ({sentences}) -> {imported.path}"
        )
    else:
        print(f"imported {imported.id} ({sentences}, {counted(imported.gaps, 'gap')}) -> {imported.path}")
    return 0
