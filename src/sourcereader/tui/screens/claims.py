"""The Claims screen (every claim with its status) and the claim screen (one claim with its evidence).

:class:`ClaimsScreen` lists the claims in document order with a verdict and how many passages
support (+), contradict (−) or qualify (~) each or give context (·); typing filters, a selector shows
the orphans or the bin, ``d`` puts a claim in the bin and ``u`` takes it out. Enter opens
:class:`ClaimScreen`: the claim in its source (the claimed words marked), its note and status, its
wording in the other versions of the source (word changes marked), then each evidence passage,
grouped by stance, in its original language with its human and machine translations and the link's
note. Enter on a passage jumps to it in the reader; on another version, compares the versions side
by side. ``E`` edits the claim or a link, ``d`` unlinks a passage, ``u`` links it again. On both,
``e`` exports the evidence brief (of the claims shown, the highlighted one, or the claim on screen)
through :class:`~sourcereader.tui.screens.claims_export.ClaimsExportDialog`.

Both screens read in thread workers with their own store (re-anchoring first when a text changed,
:func:`~sourcereader.core.claims.ensure_claims_anchored`) and write there too; they are dismissed with
``(document_id, sentence_id)`` for the passage to open in the reader, or None. User text is shown
literally (rich ``Text``, control characters made visible): a label or a note is never markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from sourcereader.core.claims import (
    STANCE_HEADINGS,
    Claim,
    ClaimDraft,
    ClaimError,
    ClaimSummary,
    ClaimView,
    EvidenceLink,
    EvidenceView,
    PassageView,
    VersionCounterpart,
)
from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import for_terminal, one_line
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.data import worker_store
from sourcereader.tui.messages import OpenVersions
from sourcereader.tui.screens.claim_dialogs import claim_matches
from sourcereader.tui.widgets.claim_list import ClaimEntries, ClaimList

if TYPE_CHECKING:
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store
    from sourcereader.tui.screens.claim_dialogs import LinkChoice

_SPACES = re.compile(r"\s+")

Jump = tuple[str, str]
"""``(document_id, sentence_id)``: a passage to open in the reader."""

SHOW_CHOICES = (("Live claims", "live"), ("Orphans", "orphans"), ("In the bin", "bin"))
"""What the Claims screen's selector shows."""


def _clip(text: str, width: int) -> str:
    flat = one_line(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def shown_claims(summaries: Iterable[ClaimSummary], show: str, query: str) -> list[ClaimSummary]:
    """The claims the list shows: live ones, orphans (a claim or one of its links), or the bin;
    then those matching every word of ``query``."""
    out = []
    for s in summaries:
        deleted = s.claim.is_deleted
        if show == "bin":
            keep = deleted
        elif show == "orphans":
            keep = not deleted and (s.claim.is_orphan or s.status.orphans > 0)
        else:
            keep = not deleted
        if keep and (not query.strip() or claim_matches(s, query)):
            out.append(s)
    return out


# --------------------------------------------------------------------------- the list
class ClaimsScreen(Screen[Jump | None]):
    """Every claim with its status. Enter opens one; d deletes, u restores; Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("claims"))
    SCOPES = ("app", "claims")

    @dataclass
    class Listed(Message):
        """The worker read the claims with their status (and re-anchored them if a text changed)."""

        summaries: tuple[ClaimSummary, ...]
        reanchored: str = ""

    @dataclass
    class Written(Message):
        """A delete or a restore reached the store (or failed: ``error``)."""

        claim: Claim | None
        restored: bool
        error: str = ""

    def __init__(self, store: Store, library: Library) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.summaries: tuple[ClaimSummary, ...] = ()
        """Every claim, the bin's included (filtered for display)."""
        self.shown: list[ClaimSummary] = []
        self.deleted: list[int] = []
        """Ids deleted here, most recent last (``u`` restores them in turn)."""
        self.loaded = False
        """True once the first listing is shown."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Claims", style="bold"), id="claims-title")
        with Horizontal(id="claims-filters"):
            yield Input(placeholder="filter: label, note, quote, source, verdict", id="claims-filter")
            yield Select(SHOW_CHOICES, value="live", allow_blank=False, id="claims-show")
        yield ClaimList(id="claims-list")
        yield Label("Reading the claims…", id="claims-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ClaimList).focus()
        # The first listing is read here, before the first frame: one quick query (about 30 ms for
        # 1,000 claims and 10,000 links), where a worker would wait for the GIL behind the screen's
        # own first layout. Re-anchoring, which is slow when a text changed, runs in a worker that
        # lists the claims again if anything was checked.
        self._listed(self.Listed(tuple(self.store.claim_summaries(include_deleted=True))))
        self.load(reanchor=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="claims", description="Reading the claims")
    def load(self, *, reanchor: bool = False) -> None:
        """Read every claim with its status in a thread with its own store; with ``reanchor``, find the
        claims and links again first where a text changed (and read them only if one did)."""
        from sourcereader.core.claims import ensure_claims_anchored

        with worker_store(self.store) as store:
            reports = ensure_claims_anchored(store, self.library) if reanchor else []
            if reanchor and not reports:
                return
            summaries = tuple(store.claim_summaries(include_deleted=True))
        moved = "; ".join(r.summary() for r in reports if r.checked)
        self.post_message(self.Listed(summaries, moved))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self.summaries = message.summaries
        self.loaded = True
        self.refresh_rows()
        if message.reanchored:
            self.notify(message.reanchored, title="Texts changed; claims re-anchored", markup=False)

    def refresh_rows(self) -> None:
        """Show the claims the filter and the selector keep."""
        query = self.query_one("#claims-filter", Input).value
        show = str(self.query_one("#claims-show", Select).value)
        self.shown = shown_claims(self.summaries, show, query)
        listing = self.query_one(ClaimList)
        previous = listing.current()
        listing.entries = ClaimEntries(tuple(self.shown))
        ids = [s.claim.id for s in self.shown]
        listing.cursor = (
            ids.index(previous.claim.id) if previous is not None and previous.claim.id in ids else 0
        )
        live = sum(1 for s in self.summaries if not s.claim.is_deleted)
        title = Text("Claims", style="bold")
        title.append(
            f" — {counted(live, 'claim')}" + (f", {len(self.shown)} shown" if len(self.shown) != live else "")
        )
        title.append(" · Enter opens one · verdict: what the linked passages say, not a judgement of truth")
        self.query_one("#claims-title", Static).update(title)
        if not self.summaries:
            self._status(
                "No claims yet: open a secondary source (an article, an answer) and press K on a sentence."
            )
        elif not self.shown:
            self._status("No claim matches." if show == "live" else f"No claims here ({show}).")
        else:
            self._status("+ supports  − contradicts  ~ qualifies  · context")

    @on(Input.Changed, "#claims-filter")
    @on(Select.Changed, "#claims-show")
    def _filters_changed(self) -> None:
        if self.loaded:
            self.refresh_rows()

    @on(Input.Submitted, "#claims-filter")
    def _filter_done(self) -> None:
        self.query_one(ClaimList).focus()

    def _status(self, message: str) -> None:
        self.query_one("#claims-status", Label).update(Text(message))

    def current(self) -> ClaimSummary | None:
        """The claim under the cursor."""
        return self.query_one(ClaimList).current()

    def action_open(self) -> None:
        """Show the highlighted claim with its evidence."""
        summary = self.current()
        if summary is None:
            return

        def closed(target: Jump | None) -> None:
            if target is not None:
                self.dismiss(target)
            else:
                self.load()  # the claim or its links may have been edited there

        self.app.push_screen(ClaimScreen(self.store, self.library, summary.claim.id), closed)

    def action_focus_filter(self) -> None:
        """Move to the filter."""
        self.query_one("#claims-filter", Input).focus()

    def action_delete(self) -> None:
        """Put the highlighted claim (with its links) in the bin."""
        summary = self.current()
        if summary is None:
            return
        if summary.claim.is_deleted:
            self._status(f"Claim {summary.claim.id} is already in the bin; u restores it.")
            return
        self.write(summary.claim.id, restore=False)

    def action_restore(self) -> None:
        """Take the highlighted claim out of the bin (in the bin's view), else the last deleted here."""
        summary = self.current()
        if summary is not None and summary.claim.is_deleted:
            if summary.claim.id in self.deleted:
                self.deleted.remove(summary.claim.id)
            self.write(summary.claim.id, restore=True)
        elif self.deleted:
            self.write(self.deleted.pop(), restore=True)
        else:
            self._status("Nothing to restore.")

    def action_export(self) -> None:
        """Export the evidence brief of the claims shown (or of the highlighted one) to a file."""
        if str(self.query_one("#claims-show", Select).value) == "bin":
            self._status("Claims in the bin are not exported: restore one first (u).")
            return
        if not self.shown:
            self._status("No claim is shown: nothing to export.")
            return
        current = self.current()
        shown = tuple(s.claim.id for s in self.shown)
        export_dialog(self, shown, current.claim.id if current is not None else None)

    @work(thread=True, exit_on_error=False, group="claims-write", description="Saving the change")
    def write(self, claim_id: int, *, restore: bool) -> None:
        """Delete or restore a claim in a thread with its own store."""
        with worker_store(self.store) as store:
            try:
                claim = store.restore_claim(claim_id) if restore else store.delete_claim(claim_id)
            except ClaimError as exc:
                self.post_message(self.Written(None, restore, str(exc)))
                return
        self.post_message(self.Written(claim, restore))

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.claim is None:
            self._status(one_line(message.error))
            return
        claim = message.claim
        self.load()
        if message.restored:
            self.notify(f"Claim {claim.id} restored.", title="Claims")
        else:
            self.deleted.append(claim.id)
            self.notify(f"Claim {claim.id} put in the bin; u restores it.", title="Claims")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure is shown on the status line, never a crash of the screen."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            self._status(f"{event.worker.description} failed: {one_line(str(event.worker.error))}")

    def action_close(self) -> None:
        """Back without opening a passage (Escape in the filter goes back to the list first)."""
        if self.focused is self.query_one("#claims-filter", Input):
            self.query_one(ClaimList).focus()
            return
        self.dismiss(None)


def export_dialog(
    screen: ClaimsScreen | ClaimScreen, shown: tuple[int, ...], highlighted: int | None
) -> None:
    """Open the claims export dialog over ``screen``; a toast names the file written."""
    from sourcereader.tui.screens.claims_export import ClaimsExportDialog, ClaimsExported, exported_toast

    def written(result: ClaimsExported | None) -> None:
        if result is not None:
            screen.notify(exported_toast(result), title="Export", markup=False)

    screen.app.push_screen(
        ClaimsExportDialog(screen.store, screen.library, shown=shown, highlighted=highlighted), written
    )


# --------------------------------------------------------------------------- one claim
@dataclass(frozen=True)
class Palette:
    """The styles a claim is drawn with (the screen takes them from the stylesheet)."""

    label: Style = Style(bold=True)
    muted: Style = Style(dim=True)
    claimed: Style = Style(reverse=True)
    delete: Style = Style(strike=True)
    insert: Style = Style(underline=True)
    flag: Style = Style(bold=True, reverse=True)
    heading: Style = Style(bold=True, underline=True)


def _safe(text: str) -> str:
    return " ".join(for_terminal(text).split())


def _flat(text: str) -> str:
    """Whitespace runs made single spaces, the edges kept (pieces of one sentence are joined again)."""
    return _SPACES.sub(" ", for_terminal(text))


@dataclass(frozen=True)
class Block:
    """One item of the claim screen: a heading line, then labelled rows (the passage in each language,
    the note…), drawn as a grid so that a long row wraps under its own column."""

    heading: Text
    rows: tuple[tuple[str, Text], ...] = ()

    @property
    def plain(self) -> str:
        """The block as plain text (tests, and what a screen reader would say)."""
        lines = [self.heading.plain]
        lines += [f"  {label}  {text.plain}".rstrip() for label, text in self.rows]
        return "\n".join(lines)

    def renderable(self, label_style: Style | None = None) -> RenderableType:
        """The heading above a two-column grid of the rows."""
        if not self.rows:
            return self.heading
        grid = Table.grid(padding=(0, 2, 0, 0))
        grid.add_column(no_wrap=True, style=label_style)
        grid.add_column(ratio=1)
        for label, text in self.rows:
            grid.add_row(Text(f"  {label}"), text)
        return Group(self.heading, grid)


def _passage_rows(
    passage: PassageView, palette: Palette, *, span: tuple[int, int] | None = None
) -> list[tuple[str, Text]]:
    """The passage in its language, the claimed words marked, then each translation with its label."""
    rows: list[tuple[str, Text]] = []
    language = passage.document.language if passage.document is not None else "??"
    if passage.document is None:
        rows.append(("", Text("not in the library; the quote as recorded:", style=palette.flag)))
    elif not passage.sentences:
        rows.append(
            ("", Text("ORPHAN: not found in the current text; the quote as recorded:", style=palette.flag))
        )
    if span is not None and len(passage.sentences) == 1:
        lo, hi = span
        sentence = passage.sentences[0].text
        body = Text(_flat(sentence[:lo]).lstrip())
        body.append(_flat(sentence[lo:hi]), style=palette.claimed)
        body.append(_flat(sentence[hi:]).rstrip())
    else:
        body = Text(_safe(passage.text))
    rows.append((language, body))
    for quote in passage.translations:
        text = Text(_safe(quote.text), style=palette.muted if quote.synthetic else Style())
        text.append(f"\n— {_safe(quote.label)}", style=palette.muted)
        for flag, on_ in (
            ("alignment uncertain", quote.uncertain),
            ("stale", quote.stale),
            ("synthetic test model, not a translation", quote.synthetic),
        ):
            if on_:
                text.append(f" [{flag}]", style=palette.flag)
        rows.append((quote.language, text))
    return rows


def claim_block(view: ClaimView, palette: Palette = Palette()) -> Block:
    """The claim itself: where it is (with the source's citation), its words, note and status."""
    claim, status = view.claim, view.status
    heading = Text(f"Claim {claim.id}: ", style=palette.label)
    heading.append(_safe(claim.label), style=palette.label)
    if claim.is_deleted:
        heading.append("  IN THE BIN", style=palette.flag)
    where = f"{claim.document_id} {claim.anchor.describe()}"
    document = view.source.document
    if document is not None and document.meta.secondary is not None:
        info = document.meta.secondary
        revision = f"revision: {info.revision}" if info.revision else "revision not recorded"
        where += f" — {info.author}, “{document.meta.title}”; {revision}"
    rows = [("in", Text(_safe(where), style=palette.muted))]
    rows += _passage_rows(view.source, palette, span=claim.anchor.span if not claim.is_orphan else None)
    if claim.note:
        rows.append(("note", Text(_safe(claim.note))))
    rows.append(("evidence", Text(f"{status.verdict} — {status.counts_text()}")))
    return Block(heading, tuple(rows))


def version_block(other: VersionCounterpart, palette: Palette = Palette()) -> Block:
    """The claim's sentences in another version of its source, word changes marked."""
    ids = ", ".join(other.sentence_ids)
    heading = Text(f"In {other.document_id}" + (f" {ids}" if ids else ""), style=palette.label)
    if not other.rows or not other.sentence_ids:
        return Block(heading, (("", Text("The passage is not in that version.", style=palette.muted)),))
    if other.same:
        return Block(heading, (("", Text("The same wording.", style=palette.muted)),))
    heading.append("  (struck: only in this version; underlined: only in that one)", style=palette.muted)
    text = Text()
    previous = "equal"
    for row in other.rows:
        for piece in row.pieces:
            flat = _flat(piece.text)
            if piece.op == "insert" and previous == "delete" and not text.plain.endswith(" "):
                text.append(" ")  # a replaced word and its replacement do not run together
            style = (
                palette.delete
                if piece.op == "delete"
                else palette.insert
                if piece.op == "insert"
                else Style()
            )
            text.append(flat, style=style)
            previous = piece.op
        text.append(" ")
    text.rstrip()
    return Block(heading, (("", text),))


def evidence_block(item: EvidenceView, titles: Callable[[str], str], palette: Palette = Palette()) -> Block:
    """One evidence passage: the link, the passage in the original and in translation, the note."""
    link = item.link
    heading = Text(f"[link {link.id}] {link.document_id} {link.anchor.describe()}", style=palette.label)
    if link.is_orphan:
        heading.append("  ORPHAN", style=palette.flag)
    heading.append(f"  {_safe(titles(link.document_id))}", style=palette.muted)
    rows = _passage_rows(item.passage, palette)
    if link.note:
        rows.append(("note", Text(_safe(link.note))))
    return Block(heading, tuple(rows))


class ClaimScreen(Screen[Jump | None]):
    """One claim with its evidence. Enter jumps to a passage; E edits, d unlinks, u restores."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("claim"))
    SCOPES = ("app", "claim")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "claim--label",
        "claim--muted",
        "claim--claimed",
        "claim--delete",
        "claim--insert",
        "claim--flag",
        "claim--heading",
    }

    @dataclass
    class Loaded(Message):
        """The worker gathered the claim's view (or could not: ``error``)."""

        view: ClaimView | None
        error: str = ""

    @dataclass
    class Written(Message):
        """An edit, an unlink or a restore reached the store (or failed: ``error``)."""

        message: str
        unlinked: int | None = None
        error: str = ""

    def __init__(self, store: Store, library: Library, claim_id: int) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.claim_id = claim_id
        self.view: ClaimView | None = None
        self.unlinked: list[int] = []
        """Links unlinked here, most recent last (``u`` links them again)."""

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Claim {self.claim_id}", style="bold"), id="claim-title")
        yield OptionList(Option(Text("Reading the claim…"), disabled=True), id="claim-items")
        yield Label("", id="claim-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="claim", description="Reading the claim")
    def load(self) -> None:
        """Gather the claim, its evidence with translations, and its other versions, in a thread."""
        from sourcereader.core.claims import claim_view, ensure_claims_anchored

        with worker_store(self.store) as store:
            ensure_claims_anchored(store, self.library)
            try:
                view = claim_view(store, self.library, self.claim_id, include_deleted=True, versions=True)
            except ClaimError as exc:
                self.post_message(self.Loaded(None, str(exc)))
                return
        self.post_message(self.Loaded(view))

    def palette(self) -> Palette:
        """The styles from the stylesheet."""
        get = self.get_component_rich_style
        return Palette(
            label=get("claim--label"),
            muted=get("claim--muted"),
            claimed=get("claim--claimed"),
            delete=get("claim--delete"),
            insert=get("claim--insert"),
            flag=get("claim--flag"),
            heading=get("claim--heading"),
        )

    def _title(self, name: str) -> str:
        return self.library.document(name).meta.title if name in self.library else name

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        listing = self.query_one(OptionList)
        if message.view is None:
            listing.clear_options()
            listing.add_option(Option(Text(one_line(message.error)), disabled=True))
            return
        view = self.view = message.view
        palette = self.palette()
        previous = listing.highlighted_option.id if listing.highlighted_option is not None else None
        title = Text(f"Claim {view.claim.id} — {view.status.verdict} ({view.status.glance()})", style="bold")
        title.append("  · Enter: go to the passage in the reader · V: versions side by side")
        self.query_one("#claim-title", Static).update(title)
        self.query_one("#claim-status", Label).update(
            Text("+ supports  − contradicts  ~ qualifies  · context")
        )
        listing.clear_options()
        listing.add_options(self._options(view, palette))
        ids = [listing.get_option_at_index(k).id for k in range(listing.option_count)]
        listing.highlighted = ids.index(previous) if previous is not None and previous in ids else 0

    def _options(self, view: ClaimView, palette: Palette) -> list[Option | None]:
        """The claim, its other versions, then its evidence under a heading per stance (None: a rule)."""
        label = palette.label
        options: list[Option | None] = [Option(claim_block(view, palette).renderable(label), id="claim")]
        for other in view.versions:
            block = version_block(other, palette)
            options += [None, Option(block.renderable(label), id=f"version:{other.document_id}")]
        for stance, items in view.by_stance():
            heading = Text(f"{STANCE_HEADINGS[stance]} ({len(items)})", style=palette.heading)
            options += [None, Option(heading, disabled=True)]
            for k, item in enumerate(items):
                block = evidence_block(item, self._title, palette)
                options += ([None] if k else []) + [
                    Option(block.renderable(label), id=f"link:{item.link.id}")
                ]
        if not view.evidence:
            hint = "No evidence linked yet: open a primary document, go to a passage and press ctrl+k."
            options += [None, Option(Text(hint, style=palette.muted), disabled=True)]
        return options

    # ------------------------------------------------------------------ what is highlighted
    def _current(self) -> str:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option is not None and option.id else ""

    def current_link(self) -> EvidenceView | None:
        """The highlighted evidence passage, if one is."""
        current = self._current()
        if self.view is None or not current.startswith("link:"):
            return None
        link_id = int(current.removeprefix("link:"))
        return next((e for e in self.view.evidence if e.link.id == link_id), None)

    def _status(self, message: str) -> None:
        self.query_one("#claim-status", Label).update(Text(message))

    # ------------------------------------------------------------------ actions
    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Jump to the highlighted passage in the reader; on another version, compare side by side."""
        view = self.view
        current = self._current()
        if view is None or not current:
            return
        if current.startswith("version:"):
            self._versions(current.removeprefix("version:"))
            return
        if current == "claim":
            anchor, orphan = view.claim.anchor, view.claim.is_orphan
        else:
            item = self.current_link()
            if item is None:
                return
            anchor, orphan = item.link.anchor, item.link.is_orphan
        if orphan or not anchor.sentence_ids:
            self._status("This passage is an orphan (its text changed): there is nowhere to jump to.")
            return
        if anchor.document_id not in self.library:
            self._status(f"{anchor.document_id} is not in the library.")
            return
        self.dismiss((anchor.document_id, anchor.sentence_ids[0]))

    def _versions(self, other_id: str | None) -> None:
        view = self.view
        if view is None:
            return
        if not view.versions:
            self._status("No other version of this claim's source is in the library.")
            return
        start = (
            view.claim.anchor.sentence_ids[0]
            if view.claim.anchor.sentence_ids and not view.claim.is_orphan
            else None
        )
        self.post_message(
            OpenVersions(view.claim.document_id, other_id or view.versions[0].document_id, start)
        )

    def action_versions(self) -> None:
        """The claim's source side by side with the highlighted (or the first) other version."""
        current = self._current()
        self._versions(current.removeprefix("version:") if current.startswith("version:") else None)

    def action_move(self, direction: int) -> None:
        """The next or previous item (j and k)."""
        listing = self.query_one(OptionList)
        if direction > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_edit(self) -> None:
        """Edit the claim's label and note, or the highlighted link's stance and note."""
        from sourcereader.tui.screens.claim_dialogs import ClaimDialog, LinkDialog

        view = self.view
        if view is None:
            return
        current = self._current()
        if current == "claim":
            claim = view.claim

            def edited(draft: ClaimDraft | None) -> None:
                if draft is not None:
                    self.write(
                        lambda store: store.update_claim(claim.id, label=draft.label, note=draft.note or ""),
                        f"Claim {claim.id} changed.",
                    )

            self.app.push_screen(ClaimDialog(claim=claim), edited)
            return
        item = self.current_link()
        if item is None:
            self._status("E edits the claim (at the top) or an evidence passage: move to one first.")
            return
        link: EvidenceLink = item.link

        def relinked(choice: LinkChoice | None) -> None:
            if choice is not None:
                self.write(
                    lambda store: store.update_evidence(
                        link.id, stance=choice.stance, note=choice.note or ""
                    ),
                    f"Link {link.id} changed.",
                )

        self.app.push_screen(LinkDialog(link=link, link_text=item.passage.text), relinked)

    def action_unlink(self) -> None:
        """Unlink the highlighted evidence passage (into the bin: u links it again)."""
        item = self.current_link()
        if item is None:
            self._status(
                "d unlinks an evidence passage: move to one first (a claim is deleted from the list)."
            )
            return
        link_id = item.link.id
        self.write(
            lambda store: store.unlink_evidence(link_id),
            f"Link {link_id} unlinked; u links it again.",
            unlinked=link_id,
        )

    def action_restore(self) -> None:
        """Link the last passage unlinked here again."""
        if not self.unlinked:
            self._status("Nothing to restore.")
            return
        link_id = self.unlinked.pop()
        self.write(lambda store: store.restore_evidence(link_id), f"Link {link_id} restored.")

    def action_export(self) -> None:
        """Export this claim's evidence brief to a file."""
        if self.view is None:
            self._status("The claim is still being read (or could not be): nothing to export yet.")
            return
        if self.view.claim.is_deleted:
            self._status("This claim is in the bin: restore it in the claims list (u) to export it.")
            return
        export_dialog(self, (self.claim_id,), self.claim_id)

    def write(self, change: Callable[[Store], object], message: str, *, unlinked: int | None = None) -> None:
        """Apply ``change`` in a thread with its own store; the view is read again afterwards."""
        self.run_worker(
            partial(self._write, change, message, unlinked),
            name="write_claim",
            group="claim-write",
            description="Saving the change",
            thread=True,
            exit_on_error=False,
        )

    def _write(self, change: Callable[[Store], object], message: str, unlinked: int | None) -> None:
        with worker_store(self.store) as store:
            try:
                change(store)
            except ClaimError as exc:
                self.post_message(self.Written("", error=str(exc)))
                return
        self.post_message(self.Written(message, unlinked))

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.error:
            self._status(f"Not saved: {one_line(message.error)}")
            return
        if message.unlinked is not None:
            self.unlinked.append(message.unlinked)
        self._status(message.message)
        self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure is shown on the status line, never a crash of the screen."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            self._status(f"{event.worker.description} failed: {one_line(str(event.worker.error))}")

    def action_close(self) -> None:
        """Back to the list of claims."""
        self.dismiss(None)
