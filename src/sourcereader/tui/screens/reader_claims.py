"""The reader's claim actions, the claim marks on its rows, and the workers behind them.

In a *secondary source* ``K`` marks the cursor row (one of its sentences, or words of one) as a claim;
in a *primary document* ``ctrl+k`` links the cursor row to a claim as evidence, through a picker that
filters the claims as the user types; ``V`` shows a secondary source side by side with another
version of it. Rows holding a claim carry :data:`CLAIM_MARK` in the gutter, rows linked as
evidence :data:`EVIDENCE_MARK`.

:class:`Claimer` does that work for a :class:`~sourcereader.tui.screens.reader.ReaderScreen`, which
owns the rows and the cursor, binds the keys and hands it the messages its workers post:

- :class:`ClaimsLoaded` once the document's claims and evidence links are read (re-anchored first
  when a text changed since they were checked);
- :class:`ClaimWritten` after a claim is marked or a passage linked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from sourcereader.core.claims import (
    Claim,
    ClaimDraft,
    ClaimError,
    EvidenceDraft,
    EvidenceLink,
    ensure_claims_anchored,
    evidence_anchor,
    is_secondary,
)
from sourcereader.tui import data
from sourcereader.tui.messages import ClaimsLoaded, ClaimWritten, OpenVersions
from sourcereader.tui.screens.versions import CLAIM_MARK
from sourcereader.tui.view import ParallelView

if TYPE_CHECKING:
    from sourcereader.core.documents import Document
    from sourcereader.core.parallel_rows import Rows
    from sourcereader.core.store import Store
    from sourcereader.tui.screens.claim_dialogs import LinkChoice
    from sourcereader.tui.screens.reader import ReaderScreen

__all__ = ["CLAIM_MARK", "EVIDENCE_MARK", "Claimer", "claim_marks"]

EVIDENCE_MARK = "§"
"""Gutter mark of a row linked to a claim as evidence."""


def claim_marks(
    document: Document, rows: Rows, claims: tuple[Claim, ...], evidence: tuple[EvidenceLink, ...]
) -> dict[int, str]:
    """Gutter marks by row index: rows holding a live, anchored claim or evidence passage."""
    by_id = document.sentences_by_id
    marks: dict[int, str] = {}
    for mark, items in ((EVIDENCE_MARK, evidence), (CLAIM_MARK, claims)):
        for item in items:
            if item.is_orphan or item.is_deleted:
                continue
            for sid in item.anchor.sentence_ids:
                sentence = by_id.get(sid)
                if sentence is None:
                    continue
                try:
                    marks[rows.row_of_source(sentence.index)] = mark
                except IndexError:
                    continue
    return marks


class Claimer:
    """The claim actions of one reader screen, and their workers (which run on the screen)."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        """The reader whose rows the actions read and whose workers they start."""
        self.claims: tuple[Claim, ...] = ()
        """The live claims marked in the document."""
        self.evidence: tuple[EvidenceLink, ...] = ()
        """The live evidence links whose passage is in the document."""

    # ------------------------------------------------------------------ marks
    def marked(self, view: ParallelView) -> ParallelView:
        """``view`` with the claim and evidence marks added (over an annotation's on the same row)."""
        if not self.claims and not self.evidence:
            return view
        marks = claim_marks(self.screen.document, view.rows, self.claims, self.evidence)
        if not marks:
            return view
        return ParallelView(view.rows, view.columns, view.cells, {**view.marks, **marks}, view.low_threshold)

    # ------------------------------------------------------------------ workers
    def load(self) -> None:
        """Read the document's claims and evidence links in a thread (re-anchoring them first if a text
        changed since they were checked); the screen hands :class:`ClaimsLoaded` to :meth:`loaded`."""
        self.screen.run_worker(
            self._load,
            name="load_claims",
            group="claims",
            description="Reading claims",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _load(self) -> None:
        screen = self.screen
        document_id = screen.document.id
        with data.worker_store(screen.store) as store:
            ensure_claims_anchored(store, screen.library)
            claims = tuple(store.claims(document_id=document_id))
            evidence = tuple(store.evidence_on(document_id))
        screen.post_message(ClaimsLoaded(document_id, claims, evidence))

    def loaded(self, message: ClaimsLoaded) -> None:
        """Keep what was read (the screen then makes a new view: :meth:`marked` adds the marks)."""
        self.claims, self.evidence = message.claims, message.evidence

    def write(self, change: Callable[[Store], object], describe: Callable[[object], str]) -> None:
        """Apply ``change`` to the store in a thread with its own connection (one durable transaction);
        ``describe`` says what was done, from what ``change`` returned."""
        self.screen.run_worker(
            partial(self._write, change, describe),
            name="write_claim",
            group="claim-write",
            description="Saving the claim",
            thread=True,
            exit_on_error=False,
        )

    def _write(self, change: Callable[[Store], object], describe: Callable[[object], str]) -> None:
        screen = self.screen
        with data.worker_store(screen.store) as store:
            try:
                result = change(store)
            except ClaimError as exc:
                screen.post_message(ClaimWritten(screen.document.id, f"Not saved: {exc}", saved=False))
                return
        screen.post_message(ClaimWritten(screen.document.id, describe(result)))

    def written(self, message: ClaimWritten) -> None:
        """Say what was saved and read the marks again."""
        self.screen.notify(
            message.message,
            title="Claims",
            severity="information" if message.saved else "warning",
            markup=False,
        )
        if message.saved:
            self.load()

    # ------------------------------------------------------------------ the cursor row
    def _row_sentences(self, what: str) -> list[str] | None:
        """The sentence ids of the cursor row, or None (with a notice) on a gap or a translation-only row."""
        screen = self.screen
        if not len(screen.rows) or screen.rows[screen.cursor].gap is not None:
            screen.notify(f"A gap has no text to {what}.", title="Claims")
            return None
        row = screen.rows[screen.cursor]
        if not row.src:
            screen.notify(f"This row has no sentence of the document to {what}.", title="Claims")
            return None
        return [screen.sentences[i].id for i in row.src]

    # ------------------------------------------------------------------ K: mark a claim
    def mark_claim(self) -> None:
        """Mark the cursor row of a secondary source (or words of it) as a claim."""
        from sourcereader.tui.screens.claim_dialogs import ClaimDialog, row_passages

        screen = self.screen
        document = screen.document
        if not is_secondary(document):
            screen.notify(
                "Claims are marked in secondary sources (articles, answers); this is a "
                f"{document.meta.kind}. ctrl+k links this row to a claim as evidence.",
                title="Claims",
                markup=False,
            )
            return
        ids = self._row_sentences("claim")
        if ids is None:
            return

        def chosen(draft: ClaimDraft | None) -> None:
            if draft is None:
                return

            def describe(claim: object) -> str:
                assert isinstance(claim, Claim)
                where = claim.anchor.describe()
                return f"Claim {claim.id} marked on {where}: {claim.label} (C lists the claims)"

            self.write(lambda store: store.add_claim(draft), describe)

        screen.app.push_screen(ClaimDialog(row_passages(document, ids)), chosen)

    # ------------------------------------------------------------------ ctrl+k: link to a claim
    def link_claim(self) -> None:
        """Link the cursor row of a primary document to a claim, through the picker."""
        from sourcereader.tui.screens.claim_dialogs import LinkDialog, row_passages

        screen = self.screen
        document = screen.document
        if is_secondary(document):
            screen.notify(
                "This is a secondary source: evidence is a passage of a primary document. "
                "K marks a claim here.",
                title="Claims",
            )
            return
        ids = self._row_sentences("link")
        if ids is None:
            return
        # One quick query (the claims list is what the Claims screen opens with, well under 300 ms).
        summaries = screen.store.claim_summaries()

        def chosen(choice: LinkChoice | None) -> None:
            if choice is None:
                return

            def link(store: Store) -> object:
                first, last = choice.sentence_ids[0], choice.sentence_ids[-1]
                anchor = evidence_anchor(document, first, last if last != first else None)
                return store.add_evidence(EvidenceDraft(choice.claim_id, anchor, choice.stance, choice.note))

            def describe(added: object) -> str:
                assert isinstance(added, EvidenceLink)
                return (
                    f"{added.anchor.describe()} linked to claim {added.claim_id} ({added.stance}); "
                    "C lists the claims"
                )

            self.write(link, describe)

        screen.app.push_screen(LinkDialog(row_passages(document, ids), summaries), chosen)

    # ------------------------------------------------------------------ V: versions
    def versions(self) -> None:
        """This secondary source side by side with another version of it, at the cursor row."""
        screen = self.screen
        ids = [] if not len(screen.rows) else [screen.sentences[i].id for i in screen.rows[screen.cursor].src]
        screen.post_message(OpenVersions(screen.document.id, start_at=ids[0] if ids else None))
