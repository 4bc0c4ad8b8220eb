"""``sourcereader claims``: mark claims in secondary sources and link them to primary evidence.

Thin: anchors, drafts, re-anchoring and the claim view are made by ``sourcereader.core.claims``;
the store saves them, one transaction per command. Anything wrong with the input is a UserError
(one line, exit 2) raised before anything is written. Ids and stances are checked here rather than
by argparse, whose errors take two lines.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sourcereader.cli.common import (
    UserError,
    get_document,
    open_store,
    open_store_and_library,
    print_json,
    read_note,
)

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers
    from sourcereader.core.claims import ClaimSummary, ClaimView, EvidenceLink, PassageView
    from sourcereader.core.claims_export import ImportedClaims
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

_SPAN_RE = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*$")
_STANCE_HELP = "supports, contradicts, qualifies or context"


def register(sub: SubParsers) -> None:
    """Add ``claims`` and its actions."""
    p = sub.add_parser(
        "claims",
        help="claims in secondary sources and the primary evidence for or against them",
        description=(
            "Mark a sentence or span of a secondary source (an article, an answer) as a claim, link it "
            "to passages of primary documents that support, contradict or qualify it or give context, "
            "and see each claim's status. Links survive edits of either text (they are re-anchored; "
            "those that cannot be found are kept as orphans). Deleting puts a claim or link in a bin."
        ),
    )
    p.set_defaults(func=_no_action)
    csub = p.add_subparsers(dest="claims_command", metavar="ACTION", help="what to do")

    q = csub.add_parser(
        "add",
        help="mark a claim in a secondary source",
        description="Mark sentences (or a span of one) of a secondary source as a claim; prints its id.",
    )
    q.add_argument("document", metavar="DOC", help="the secondary source's id (see `sourcereader list`)")
    q.add_argument("sentence", metavar="SID", help="first sentence, e.g. s2 (see `sourcereader show DOC`)")
    q.add_argument("--to", metavar="SID", help="last sentence of a run (inclusive)")
    q.add_argument("--span", metavar="A:B", help="only characters A to B (0-based) of the sentence")
    q.add_argument("--quote", metavar="TEXT", help="only these words of the sentence (instead of --span)")
    q.add_argument("--label", metavar="TEXT", help="a short label saying what is claimed (required)")
    q.add_argument("--note", metavar="TEXT", help="a note (Markdown); - reads it from standard input")
    q.add_argument("--json", action="store_true", help="print the new claim as JSON")
    q.set_defaults(func=run_add)

    q = csub.add_parser(
        "link",
        help="link a claim to a passage of a primary document",
        description="Link a claim to sentences of a primary document with a stance; prints the link's id.",
    )
    q.add_argument("claim", metavar="CLAIM", help="the claim's id (see `sourcereader claims list`)")
    q.add_argument("document", metavar="DOC", help="the primary document's id")
    q.add_argument("sentence", metavar="SID", help="first sentence of the passage")
    q.add_argument("--to", metavar="SID", help="last sentence of the passage (inclusive)")
    q.add_argument("--stance", metavar="STANCE", help=f"{_STANCE_HELP} (required)")
    q.add_argument("--note", metavar="TEXT", help="a note (Markdown); - reads it from standard input")
    q.add_argument("--json", action="store_true", help="print the new link as JSON")
    q.set_defaults(func=run_link)

    q = csub.add_parser(
        "list",
        help="list claims with their status",
        description=(
            "List claims in document order with their status: a verdict and how many passages support "
            "(+), contradict (−) or qualify (~) each, or give context (·)."
        ),
    )
    q.add_argument("--doc", metavar="ID", help="only claims in this secondary source")
    q.add_argument("--orphans", action="store_true", help="only claims that are orphans or have orphan links")
    q.add_argument("--deleted", action="store_true", help="include claims in the bin")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=run_list)

    q = csub.add_parser(
        "show",
        help="show a claim with its evidence, in the original and in translation",
        description=(
            "Show a claim, its wording in the other versions of its source, and its evidence grouped by "
            "stance: each passage in the original with its human and machine translations."
        ),
    )
    q.add_argument("claim", metavar="CLAIM", help="the claim's id")
    q.add_argument(
        "--translations",
        default="human,machine",
        metavar="KINDS",
        help="which translations to show: human, machine, human,machine (default) or none",
    )
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=run_show)

    q = csub.add_parser("edit", help="change a claim's label or note", description="Change a claim.")
    q.add_argument("claim", metavar="CLAIM", help="the claim's id")
    q.add_argument("--label", metavar="TEXT", help="the new label")
    q.add_argument(
        "--note", metavar="TEXT", help="the new note; - reads it from standard input; '' clears it"
    )
    q.set_defaults(func=run_edit)

    q = csub.add_parser(
        "edit-link", help="change a link's stance or note", description="Change an evidence link."
    )
    q.add_argument("link", metavar="LINK", help="the link's id (see `sourcereader claims show CLAIM`)")
    q.add_argument("--stance", metavar="STANCE", help=f"the new stance: {_STANCE_HELP}")
    q.add_argument(
        "--note", metavar="TEXT", help="the new note; - reads it from standard input; '' clears it"
    )
    q.set_defaults(func=run_edit_link)

    q = csub.add_parser(
        "unlink",
        help="put an evidence link in the bin",
        description="Remove an evidence link from its claim (undo: restore-link).",
    )
    q.add_argument("link", metavar="LINK", help="the link's id")
    q.set_defaults(func=run_unlink)

    q = csub.add_parser(
        "restore-link", help="take an evidence link out of the bin", description="Undo unlink."
    )
    q.add_argument("link", metavar="LINK", help="the link's id")
    q.set_defaults(func=run_restore_link)

    q = csub.add_parser(
        "delete",
        help="put a claim (with its links) in the bin",
        description="Delete a claim; its links go with it (undo: restore).",
    )
    q.add_argument("claim", metavar="CLAIM", help="the claim's id")
    q.set_defaults(func=run_delete)

    q = csub.add_parser("restore", help="take a claim out of the bin", description="Undo delete.")
    q.add_argument("claim", metavar="CLAIM", help="the claim's id")
    q.set_defaults(func=run_restore)

    q = csub.add_parser(
        "reattach",
        help="put a claim (an orphan) on other sentences of its source",
        description="Re-attach a claim to sentences (or a span) of the same secondary source.",
    )
    q.add_argument("claim", metavar="CLAIM", help="the claim's id")
    q.add_argument("sentence", metavar="SID", help="first sentence")
    q.add_argument("--to", metavar="SID", help="last sentence of a run (inclusive)")
    q.add_argument("--span", metavar="A:B", help="only characters A to B of the sentence")
    q.set_defaults(func=run_reattach)

    q = csub.add_parser(
        "reattach-link",
        help="put an evidence link (an orphan) on other sentences of its document",
        description="Re-attach an evidence link to other sentences of the same primary document.",
    )
    q.add_argument("link", metavar="LINK", help="the link's id")
    q.add_argument("sentence", metavar="SID", help="first sentence")
    q.add_argument("--to", metavar="SID", help="last sentence (inclusive)")
    q.set_defaults(func=run_reattach_link)

    q = csub.add_parser(
        "reanchor",
        help="find claims and links again after texts changed",
        description="Re-check where claims and evidence sit after texts changed; prints what moved.",
    )
    q.add_argument("--force", action="store_true", help="search again for orphans already checked")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=run_reanchor)

    q = csub.add_parser(
        "purge",
        help="empty the bin (deleted claims and unlinked links are gone for good)",
        description="Permanently remove deleted claims (with their links) and unlinked links.",
    )
    q.add_argument("--yes", action="store_true", help="really do it (required)")
    q.set_defaults(func=run_purge)


# --------------------------------------------------------------------------- helpers
def _no_action(args: argparse.Namespace) -> int:
    """``sourcereader claims`` alone: the list."""
    args.doc, args.orphans, args.deleted, args.json = None, False, False, False
    return run_list(args)


@contextmanager
def claim_errors() -> Iterator[None]:
    """Turn the core's ClaimError into a UserError (one line, exit 2)."""
    from sourcereader.core.claims import ClaimError

    try:
        yield
    except ClaimError as exc:
        raise UserError(str(exc)) from None


def number(value: str, what: str) -> int:
    """A claim or link id as typed; UserError (one line) for anything but a positive number."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or int(text) == 0 or len(text) > 18:
        raise UserError(f"{what} must be a number like 3 (got {value!r})")
    return int(text)


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = _SPAN_RE.match(value)
    if m is None:
        raise UserError(f"--span must be START:END with two numbers, e.g. 4:17 (got {value!r})")
    return int(m.group(1)), int(m.group(2))


def _settled(store: Store, library: Library) -> None:
    """Texts may have changed since claims were made: find them again before showing them."""
    from sourcereader.core.claims import ensure_claims_anchored

    ensure_claims_anchored(store, library)


def _clip(text: str, width: int) -> str:
    from sourcereader.core.sanitize import one_line

    flat = one_line(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _kinds(value: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    if kinds == ("none",):
        return ()
    if not kinds or any(k not in ("human", "machine") for k in kinds):
        raise UserError(f"--translations takes human, machine, human,machine or none (got {value!r})")
    return kinds


# --------------------------------------------------------------------------- add, link
def run_add(args: argparse.Namespace) -> int:
    """``sourcereader claims add``."""
    from sourcereader.core.claims import ClaimDraft, check_label, claim_anchor, claim_to_json, span_of

    if args.label is None:
        raise UserError("give the claim a label with --label (a few words saying what it claims)")
    note = read_note(args.note)
    span = _span(args.span)
    with claim_errors():
        label = check_label(args.label)
    if args.quote is not None and (span is not None or args.to is not None):
        raise UserError("--quote picks words inside one sentence: it cannot be combined with --span or --to")
    store, library = open_store_and_library()
    document = get_document(library, args.document)
    with claim_errors():
        if args.quote is not None:
            span = span_of(document, args.sentence, args.quote)
        anchor = claim_anchor(document, args.sentence, args.to, span)
        claim = store.add_claim(ClaimDraft(anchor, label, note))
    if args.json:
        print_json(claim_to_json(claim))
    else:
        print(claim.id)
    return 0


def run_link(args: argparse.Namespace) -> int:
    """``sourcereader claims link``."""
    from sourcereader.core.claims import EvidenceDraft, check_stance, evidence_anchor, link_to_json

    claim_id = number(args.claim, "CLAIM")
    if args.stance is None:
        raise UserError(f"give the link a stance with --stance ({_STANCE_HELP})")
    with claim_errors():
        stance = check_stance(args.stance)
    note = read_note(args.note)
    store, library = open_store_and_library()
    with claim_errors():
        store.claim(claim_id)
    document = get_document(library, args.document)
    with claim_errors():
        anchor = evidence_anchor(document, args.sentence, args.to)
        link = store.add_evidence(EvidenceDraft(claim_id, anchor, stance, note))
    if args.json:
        print_json(link_to_json(link))
    else:
        print(link.id)
    return 0


# --------------------------------------------------------------------------- list, show
def _summary_lines(summary: ClaimSummary) -> list[str]:
    claim, status = summary.claim, summary.status
    flags = (" ORPHAN" if claim.is_orphan else "") + (" DELETED" if claim.is_deleted else "")
    if status.orphans:
        flags += f" ({status.orphans} orphan link{'s' if status.orphans != 1 else ''})"
    head = f"{claim.id:>5}  {status.verdict:<13} {status.glance():<14} {_clip(claim.label, 70)}{flags}"
    where = f"{claim.document_id} {claim.anchor.describe()}"
    return [head, f"       {_clip(where, 60)}  «{_clip(claim.anchor.exact, 70)}»"]


def run_list(args: argparse.Namespace) -> int:
    """``sourcereader claims list``."""
    from sourcereader.core.claims import claim_to_json

    store, library = open_store_and_library()
    if args.doc is not None:
        get_document(library, args.doc)
    _settled(store, library)
    found = store.claim_summaries(
        document_id=args.doc, orphans=True if args.orphans else None, include_deleted=args.deleted
    )
    if args.json:
        print_json([claim_to_json(s.claim, s.status) for s in found])
        return 0
    if not found:
        print("No claims.")
        return 0
    for summary in found:
        print("\n".join(_summary_lines(summary)))
    return 0


def _passage_lines(passage: PassageView, indent: str) -> list[str]:
    from sourcereader.core.sanitize import one_line

    lines = []
    if passage.document is None:
        lines.append(f"{indent}(the document is not in the library; the quote as recorded:)")
    elif not passage.sentences:
        lines.append(f"{indent}(not found in the current text; the quote as recorded:)")
    language = passage.document.language if passage.document is not None else "??"
    lines.append(f"{indent}{language}  {one_line(passage.text)}")
    for quote in passage.translations:
        marks = "".join(
            f" [{m}]"
            for m, on in (
                ("alignment uncertain", quote.uncertain),
                ("stale", quote.stale),
                ("synthetic test model, not a translation", quote.synthetic),
            )
            if on
        )
        lines.append(f"{indent}{quote.language}  {one_line(quote.text)}")
        lines.append(f"{indent}    — {one_line(quote.label)}{marks}")
    return lines


def _link_lines(link: EvidenceLink, passage: PassageView) -> list[str]:
    from sourcereader.core.sanitize import one_line

    flag = " ORPHAN" if link.is_orphan else ""
    lines = [f"  [link {link.id}] {link.document_id} {link.anchor.describe()}{flag}"]
    lines += _passage_lines(passage, "      ")
    if link.note:
        lines.append(f"      note: {one_line(link.note)}")
    return lines


def show_lines(view: ClaimView) -> list[str]:
    """What ``claims show`` prints (plain text, each line made safe for a terminal)."""
    from sourcereader.core.claims import STANCE_HEADINGS
    from sourcereader.core.sanitize import one_line

    claim, status = view.claim, view.status
    flags = (" (ORPHAN)" if claim.is_orphan else "") + (" (DELETED)" if claim.is_deleted else "")
    lines = [f"Claim {claim.id}: {one_line(claim.label)}{flags}"]
    where = f"{claim.document_id} {claim.anchor.describe()}"
    document = view.source.document
    if document is not None and document.meta.secondary is not None:
        info = document.meta.secondary
        revision = f"revision: {info.revision}" if info.revision else "revision not recorded"
        where += f" — {info.author}, “{document.meta.title}”; {revision}"
    lines.append(f"  in        {one_line(where)}")
    lines += _passage_lines(view.source, "  ")
    if claim.anchor.span is not None:
        lines.append(f"  claimed   «{one_line(claim.anchor.exact)}»")
    if claim.note:
        lines.append(f"  note      {one_line(claim.note)}")
    lines.append(f"  evidence  {status.verdict} — {status.counts_text()}")
    if view.versions:
        lines.append("  in other versions of the source ([-only here-]{+only there+}):")
        for other in view.versions:
            ids = ", ".join(other.sentence_ids) or "no counterpart"
            marked = " ".join(r.marked() for r in other.rows if r.b)
            text = "the same wording" if other.same else marked or "(the passage is not in that version)"
            lines.append(f"    {other.document_id} {ids}: {one_line(text)}")
    for stance, items in view.by_stance():
        lines += ["", STANCE_HEADINGS[stance]]
        for item in items:
            lines += _link_lines(item.link, item.passage)
    if not view.evidence:
        lines += ["", "No evidence linked yet: `sourcereader claims link CLAIM DOC SID --stance …`."]
    return lines


def run_show(args: argparse.Namespace) -> int:
    """``sourcereader claims show``."""
    from sourcereader.core.claims import claim_view, view_to_json

    claim_id = number(args.claim, "CLAIM")
    kinds = _kinds(args.translations)
    store, library = open_store_and_library()
    _settled(store, library)
    with claim_errors():
        view = claim_view(store, library, claim_id, kinds=kinds, include_deleted=True, versions=True)
    if args.json:
        print_json(view_to_json(view))
    else:
        print("\n".join(show_lines(view)))
    return 0


# --------------------------------------------------------------------------- changes
def run_edit(args: argparse.Namespace) -> int:
    """``sourcereader claims edit``."""
    claim_id = number(args.claim, "CLAIM")
    note = read_note(args.note)
    if args.label is None and note is None:
        raise UserError("nothing to change: give --label and/or --note")
    store = open_store()
    with claim_errors():
        claim = store.update_claim(claim_id, label=args.label, note=note)
    print(f"updated claim {claim.id}")
    return 0


def run_edit_link(args: argparse.Namespace) -> int:
    """``sourcereader claims edit-link``."""
    link_id = number(args.link, "LINK")
    note = read_note(args.note)
    if args.stance is None and note is None:
        raise UserError("nothing to change: give --stance and/or --note")
    store = open_store()
    with claim_errors():
        link = store.update_evidence(link_id, stance=args.stance, note=note)
    print(f"updated link {link.id} ({link.stance})")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    """``sourcereader claims unlink``."""
    link_id = number(args.link, "LINK")
    store = open_store()
    with claim_errors():
        store.unlink_evidence(link_id)
    print(f"unlinked {link_id} (undo: sourcereader claims restore-link {link_id})")
    return 0


def run_restore_link(args: argparse.Namespace) -> int:
    """``sourcereader claims restore-link``."""
    link_id = number(args.link, "LINK")
    store = open_store()
    with claim_errors():
        store.restore_evidence(link_id)
    print(f"restored link {link_id}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """``sourcereader claims delete``."""
    claim_id = number(args.claim, "CLAIM")
    store = open_store()
    with claim_errors():
        store.delete_claim(claim_id)
    print(f"deleted claim {claim_id} (undo: sourcereader claims restore {claim_id})")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """``sourcereader claims restore``."""
    claim_id = number(args.claim, "CLAIM")
    store = open_store()
    with claim_errors():
        store.restore_claim(claim_id)
    print(f"restored claim {claim_id}")
    return 0


def run_reattach(args: argparse.Namespace) -> int:
    """``sourcereader claims reattach``."""
    from sourcereader.core.claims import claim_anchor

    claim_id = number(args.claim, "CLAIM")
    span = _span(args.span)
    store, library = open_store_and_library()
    with claim_errors():
        current = store.claim(claim_id, include_deleted=True)
    document = get_document(library, current.document_id)
    with claim_errors():
        claim = store.reattach_claim(claim_id, claim_anchor(document, args.sentence, args.to, span))
    print(f"re-attached claim {claim.id} to {claim.anchor.describe()}")
    return 0


def run_reattach_link(args: argparse.Namespace) -> int:
    """``sourcereader claims reattach-link``."""
    from sourcereader.core.claims import evidence_anchor

    link_id = number(args.link, "LINK")
    store, library = open_store_and_library()
    with claim_errors():
        current = store.evidence_link(link_id, include_deleted=True)
    document = get_document(library, current.document_id)
    with claim_errors():
        link = store.reattach_evidence(link_id, evidence_anchor(document, args.sentence, args.to))
    print(f"re-attached link {link.id} to {link.anchor.describe()}")
    return 0


def run_reanchor(args: argparse.Namespace) -> int:
    """``sourcereader claims reanchor``."""
    import sys

    from sourcereader.core.claims import reanchor_claims

    store, library = open_store_and_library()
    for document_id in sorted(store.claim_anchor_versions()):
        if document_id not in library:
            print(
                f"sourcereader: warning: {document_id} is not in the library; "
                "its claims and links were left as they are",
                file=sys.stderr,
            )
    reports = reanchor_claims(store, library, force=args.force)
    if args.json:
        print_json(
            [
                {
                    "document": r.document_id,
                    "counts": dict(r.counts),
                    "orphan_claims": list(r.orphan_claims),
                    "orphan_links": list(r.orphan_links),
                }
                for r in reports
            ]
        )
        return 0
    if not reports:
        print("No claims or links to re-anchor.")
    for report in reports:
        print(report.summary())
    return 0


def run_purge(args: argparse.Namespace) -> int:
    """``sourcereader claims purge``."""
    from sourcereader.core.plurals import counted

    if not args.yes:
        raise UserError("purging deletes claims and links for good; add --yes to confirm")
    store = open_store()
    claims, links = store.purge_deleted_claims()
    print(f"purged {counted(claims, 'claim')} and {counted(links, 'evidence link')}")
    return 0


# --------------------------------------------------------------------------- export and import hooks
def export_claims(
    values: list[str], fmt: str, generated: str, translations: tuple[str, ...]
) -> tuple[str, int]:
    """The text of ``export --claims [CLAIM…]`` and how many claims it holds (every live claim when
    ``values`` is empty)."""
    from sourcereader.core import claims_export

    ids = [number(v, "CLAIM") for v in values] or None
    store, library = open_store_and_library()
    options = claims_export.BriefOptions(translations=translations, generated=generated)
    with claim_errors():
        exported = claims_export.export_claims(store, library, ids, options, fmt)
    return exported.text, exported.count


def read_claim_items(items: list[object], name: str) -> ImportedClaims:
    """Check the claims and links taken out of a W3C file by ``import-annotations`` before anything
    is saved: every item well formed, every link naming a claim in the file or already here."""
    from sourcereader.core import claims_export
    from sourcereader.core.claims import ClaimError

    try:
        imported = claims_export.claims_from_w3c(items)
    except ClaimError as exc:
        raise UserError(f"{name}: {exc}") from None
    known = {c.uuid for c in imported.claims}
    store = open_store()
    for claim_uuid, draft in imported.links:
        if claim_uuid not in known and store.claim_by_uuid(claim_uuid) is None:
            raise UserError(f"{name}: evidence link {draft.uuid} names claim {claim_uuid}, which is not here")
    return imported


def save_claim_items(imported: ImportedClaims, name: str) -> str:
    """Save what :func:`read_claim_items` read (one transaction); the summary line."""
    import sys

    from sourcereader.core import claims_export
    from sourcereader.core.claims import ClaimError
    from sourcereader.core.plurals import counted
    from sourcereader.core.sanitize import one_line

    store, library = open_store_and_library()
    for document_id in claims_export.documents_missing(library, imported):
        print(
            f"sourcereader: warning: {one_line(document_id)} is not in the library; its claims and links are "
            "kept and will be placed when it is imported",
            file=sys.stderr,
        )
    try:
        claims, links, present = claims_export.import_claims(store, library, imported)
    except ClaimError as exc:
        raise UserError(f"{name}: {exc}") from None
    already = f" ({present} already present)" if present else ""
    return f"imported {counted(claims, 'claim')} and {counted(links, 'evidence link')}{already}"
