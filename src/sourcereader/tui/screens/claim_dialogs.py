"""The claim dialogs: mark a claim in a secondary source (``K``), link a primary passage to a claim.

:class:`ClaimDialog` returns a :class:`~sourcereader.core.claims.ClaimDraft`: the sentences of the
reader's row (or one of them, or words of one: selected with shift+arrows or typed), a label and a
note. Given an existing claim it edits the label and the note only (a claim keeps its anchor).

:class:`LinkDialog` is the picker: the claims with their status, filtered as the user types, a
stance and a note; it returns a :class:`LinkChoice`. Given an existing link it edits the stance and
the note only.

Both are typed dialogs (``ModalScreen[T]``): the caller saves what they return, in a worker. User
text is always shown literally (rich ``Text``, control characters made visible).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea
from textual.widgets.text_area import Selection

from sourcereader.core.annotations import Anchor, anchor_for
from sourcereader.core.claims import (
    STANCES,
    Claim,
    ClaimDraft,
    ClaimError,
    ClaimSummary,
    EvidenceLink,
    Stance,
    check_label,
    check_note,
    check_stance,
    claim_anchor,
    span_of,
)
from sourcereader.core.documents import Document, id_range
from sourcereader.core.sanitize import one_line
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.screens.annotate import selection_span, shown_quote
from sourcereader.tui.widgets.claim_list import ClaimEntries, ClaimList

STANCE_LABELS = {
    "supports": "supports the claim",
    "contradicts": "contradicts the claim",
    "qualifies": "qualifies the claim",
    "context": "gives context",
}
"""How each stance is offered in the picker."""


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences of a document that a claim or a link may be made on."""

    label: str
    """How the choice is listed (``s2``, ``s2–s3 (whole row)``, ``s3: Talks between…``)."""
    document: Document
    sentence_ids: tuple[str, ...]

    @property
    def single(self) -> bool:
        """True for one sentence: only then can words inside it be chosen."""
        return len(self.sentence_ids) == 1

    @property
    def where(self) -> str:
        """``s3`` or ``s3–s5``."""
        return id_range(self.sentence_ids)

    def quote(self) -> str:
        """The sentences' text as it stands in the body (a span's offsets count in it)."""
        return anchor_for(self.document, self.sentence_ids).exact


def row_passages(document: Document, sentence_ids: Sequence[str]) -> list[Passage]:
    """What a reader row offers: its sentences together, then each one alone (when there are several)."""
    ids = tuple(sentence_ids)
    if len(ids) == 1:
        return [Passage(ids[0], document, ids)]
    out = [Passage(f"{id_range(ids)} (the whole row)", document, ids)]
    for sid in ids:
        text = one_line(document.sentence(sid).text)
        out.append(Passage(f"{sid}: {text if len(text) <= 56 else text[:55] + '…'}", document, (sid,)))
    return out


def _trimmed(quote: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A keyboard selection without the spaces at its edges (they are not what was meant)."""
    if span is None:
        return None
    lo, hi = span
    while lo < hi and quote[lo].isspace():
        lo += 1
    while hi > lo and quote[hi - 1].isspace():
        hi -= 1
    return (lo, hi) if hi > lo else None


# --------------------------------------------------------------------------- K: mark a claim
class ClaimDialog(ModalScreen[ClaimDraft | None]):
    """Mark a claim (or edit one's label and note). Ctrl+S saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("claim_dialog"))

    def __init__(self, passages: Sequence[Passage] = (), *, claim: Claim | None = None) -> None:
        """``passages``: what the claim may be made on (the first is preselected); ``claim``: the claim
        being edited (its passage stays)."""
        super().__init__()
        if claim is None and not passages:
            raise ValueError("a new claim needs a passage")
        self.passages = tuple(passages) if claim is None else ()
        self.claim = claim

    def compose(self) -> ComposeResult:
        """The form."""
        claim = self.claim
        with Vertical(id="dialog"):
            yield Label(Text("", style="bold"), id="claim-title")
            if claim is None:
                if len(self.passages) > 1:
                    yield Select(
                        [(Text(one_line(p.label)), n) for n, p in enumerate(self.passages)],
                        value=0,
                        allow_blank=False,
                        id="claim-passage",
                    )
                yield TextArea("", id="claim-span", read_only=True, soft_wrap=True)
            else:
                quote = claim.anchor.exact
                yield Static(
                    Text(one_line(quote if len(quote) <= 300 else quote[:299] + "…")), id="claim-quote"
                )
            # Field names are the boxes' border titles: the form fits an 80x24 terminal.
            label = Input(claim.label if claim is not None else "", id="claim-label", placeholder="label")
            label.border_title = "Label: a few words saying what is claimed"
            yield label
            if claim is None:
                words = Input(id="claim-words", placeholder="e.g. fourth Axis power")
                words.border_title = "Claimed words (optional: typed here, or selected above)"
                yield words
            note = TextArea(
                (claim.note or "") if claim is not None else "", id="claim-note", tab_behavior="focus"
            )
            note.border_title = "Note (Markdown, optional)"
            yield note
            yield Static("", id="claim-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="claim-save")
                yield Button("Cancel", id="claim-cancel")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first passage; the label is typed first."""
        if self.claim is None:
            self._passage_changed()
        else:
            self._set_title(f"Edit claim {self.claim.id} ({self.claim.anchor.describe()})")
        self.query_one("#claim-label", Input).focus()

    def _set_title(self, text: str) -> None:
        self.query_one("#claim-title", Label).update(Text(one_line(text), style="bold"))

    def chosen_passage(self) -> Passage | None:
        """The passage chosen (None when editing)."""
        if not self.passages:
            return None
        if len(self.passages) == 1:
            return self.passages[0]
        value = self.query_one("#claim-passage", Select).value
        return self.passages[value if isinstance(value, int) else 0]

    @on(Select.Changed, "#claim-passage")
    def _passage_changed(self) -> None:
        passage = self.chosen_passage()
        if passage is None:
            return
        area = self.query_one("#claim-span", TextArea)
        area.load_text(shown_quote(passage.quote()))
        area.selection = Selection.cursor((0, 0))
        self._set_title(f"Mark a claim in {passage.document.id} {passage.where}")
        area.border_title = (
            "Select the claimed words with shift+arrows (none selected: the whole sentence)"
            if passage.single
            else "Whole sentences (choose one sentence to claim words of it)"
        )

    def chosen_anchor(self) -> Anchor:
        """The anchor the form says: the passage, narrowed to the typed or selected words if any.
        ClaimError when the words are not in the sentence."""
        passage = self.chosen_passage()
        if passage is None:
            assert self.claim is not None
            return self.claim.anchor
        words = self.query_one("#claim-words", Input).value.strip()
        span: tuple[int, int] | None = None
        if words:
            if not passage.single:
                raise ClaimError("words can be claimed inside one sentence: choose one sentence first")
            span = span_of(passage.document, passage.sentence_ids[0], words)
        elif passage.single:
            span = _trimmed(passage.quote(), selection_span(self.query_one("#claim-span", TextArea)))
        first, last = passage.sentence_ids[0], passage.sentence_ids[-1]
        return claim_anchor(passage.document, first, last if last != first else None, span)

    def draft(self) -> ClaimDraft:
        """The claim the form describes, checked (ClaimError if it cannot be made)."""
        label = check_label(self.query_one("#claim-label", Input).value)
        note = check_note(self.query_one("#claim-note", TextArea).text)
        return ClaimDraft(self.chosen_anchor(), label, note)

    @on(Input.Submitted, "#claim-label")
    @on(Button.Pressed, "#claim-save")
    def action_save(self) -> None:
        """Check the form and return the claim; a problem is shown, not raised."""
        try:
            draft = self.draft()
        except ClaimError as exc:
            self.query_one("#claim-error", Static).update(Text(one_line(str(exc))))
            return
        self.dismiss(draft)

    @on(Button.Pressed, "#claim-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


# --------------------------------------------------------------------------- ctrl+k: link to a claim
@dataclass(frozen=True)
class LinkChoice:
    """What the link dialog returns: the claim, the passage's sentences, the stance and the note."""

    claim_id: int
    sentence_ids: tuple[str, ...]
    stance: Stance
    note: str | None


def claim_matches(summary: ClaimSummary, query: str) -> bool:
    """True when every word of ``query`` occurs in the claim's label, note, quote, source or verdict."""
    claim = summary.claim
    hay = " ".join(
        (
            str(claim.id),
            claim.label,
            claim.note or "",
            claim.anchor.exact,
            claim.document_id,
            summary.status.verdict,
        )
    ).casefold()
    return all(word in hay for word in query.casefold().split())


class LinkDialog(ModalScreen[LinkChoice | None]):
    """Link a passage to a claim: pick the claim (type to filter), a stance, a note. Ctrl+S links.

    Given ``link``, edits that link's stance and note instead (no claim to pick)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("link_dialog"))

    def __init__(
        self,
        passages: Sequence[Passage] = (),
        claims: Sequence[ClaimSummary] = (),
        *,
        link: EvidenceLink | None = None,
        link_text: str = "",
    ) -> None:
        """``passages``: what may be linked (the first is preselected); ``claims``: the claims to pick
        from; ``link`` and ``link_text``: an existing link and its passage's text, to edit."""
        super().__init__()
        if link is None and not passages:
            raise ValueError("a new link needs a passage")
        self.passages = tuple(passages) if link is None else ()
        self.claims = tuple(claims)
        self.link = link
        self.link_text = link_text
        self.shown: list[ClaimSummary] = []

    def compose(self) -> ComposeResult:
        """The form."""
        link = self.link
        with Vertical(id="dialog"):
            yield Label(Text("", style="bold"), id="link-title")
            if len(self.passages) > 1:
                yield Select(
                    [(Text(one_line(p.label)), n) for n, p in enumerate(self.passages)],
                    value=0,
                    allow_blank=False,
                    id="link-passage",
                )
            yield Static("", id="link-quote")
            if link is None:
                yield Input(
                    placeholder="Type to filter the claims (label, note, quote, source)", id="link-filter"
                )
                yield ClaimList(id="link-claims")
                yield Static("", id="link-empty")
            with Horizontal(id="link-fields"):
                yield Select(
                    [(STANCE_LABELS[s], s) for s in STANCES],
                    value=link.stance if link is not None else "supports",
                    allow_blank=False,
                    id="link-stance",
                )
                yield TextArea(
                    (link.note or "") if link is not None else "", id="link-note", tab_behavior="focus"
                )
            yield Static("", id="link-error")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the claims; the filter has the focus (the stance when editing)."""
        self.query_one("#link-note", TextArea).border_title = "Note (optional)"
        if self.link is not None:
            self.add_class("-edit")
            self.query_one("#link-title", Label).update(
                Text(
                    one_line(f"Edit link {self.link.id} (claim {self.link.claim_id}): "
                             f"{self.link.document_id} {self.link.anchor.describe()}"),
                    style="bold",
                )
            )  # fmt: skip
            self._show_quote(self.link_text)
            self.query_one("#link-stance", Select).focus()
            return
        self._passage_changed()
        self._fill("")
        self.query_one("#link-filter", Input).focus()

    def _show_quote(self, text: str) -> None:
        flat = one_line(text)
        self.query_one("#link-quote", Static).update(Text(flat if len(flat) <= 240 else flat[:239] + "…"))

    def chosen_passage(self) -> Passage | None:
        """The passage chosen (None when editing)."""
        if not self.passages:
            return None
        if len(self.passages) == 1:
            return self.passages[0]
        value = self.query_one("#link-passage", Select).value
        return self.passages[value if isinstance(value, int) else 0]

    @on(Select.Changed, "#link-passage")
    def _passage_changed(self) -> None:
        passage = self.chosen_passage()
        if passage is None:
            return
        self.query_one("#link-title", Label).update(
            Text(one_line(f"Link {passage.document.id} {passage.where} to a claim"), style="bold")
        )
        self._show_quote(passage.quote())

    def _fill(self, query: str) -> None:
        self.shown = [s for s in self.claims if claim_matches(s, query)]
        self.query_one(ClaimList).entries = ClaimEntries(tuple(self.shown))
        self.query_one(ClaimList).cursor = 0
        empty = self.query_one("#link-empty", Static)
        if not self.claims:
            empty.update(
                Text("No claims yet: mark one with K in a secondary source (an article, an answer).")
            )
        elif not self.shown:
            empty.update(Text("No claim matches the filter."))
        empty.display = not self.shown

    @on(Input.Changed, "#link-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#link-filter")
    def action_choose(self) -> None:
        """Take the highlighted claim and go on to the stance."""
        if self.chosen_claim() is not None:
            self.query_one("#link-stance", Select).focus()

    def on_key(self, event: Key) -> None:
        # Down from the filter goes to the list, as in the library.
        if event.key == "down" and self.focused is self.query_one("#link-filter", Input):
            self.query_one(ClaimList).focus()
            event.stop()
            event.prevent_default()

    def chosen_claim(self) -> ClaimSummary | None:
        """The highlighted claim (None when editing or when nothing matches)."""
        if self.link is not None:
            return None
        return self.query_one(ClaimList).current()

    def choice(self) -> LinkChoice:
        """What the form says, checked (ClaimError when no claim is chosen)."""
        stance = check_stance(str(self.query_one("#link-stance", Select).value))
        note = check_note(self.query_one("#link-note", TextArea).text)
        if self.link is not None:
            return LinkChoice(self.link.claim_id, self.link.anchor.sentence_ids, stance, note)
        summary = self.chosen_claim()
        passage = self.chosen_passage()
        if summary is None or passage is None:
            raise ClaimError("choose a claim to link to (type to filter, arrows to pick)")
        return LinkChoice(summary.claim.id, passage.sentence_ids, stance, note)

    def action_save(self) -> None:
        """Check the form and return the choice; a problem is shown, not raised."""
        try:
            choice = self.choice()
        except ClaimError as exc:
            self.query_one("#link-error", Static).update(Text(one_line(str(exc))))
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        """Close without linking."""
        self.dismiss(None)
