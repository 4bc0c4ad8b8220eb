"""Two records of the same event side by side, each scrolling on its own, with links between passages.

Links are the user's: Enter joins the current row of the left record with the current row of
the right one; both rows get a ⇄ mark; ``o`` shows, in the other record, the passage linked to
the current one. Links live in the store (``witness_links``), so they outlast the session; they
are written (and read back) in a thread worker with its own store connection, which posts
:class:`WitnessesScreen.LinksWritten`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker

from sourcereader.core.documents import Document
from sourcereader.core.parallel_rows import Row, build_rows
from sourcereader.core.sanitize import one_line
from sourcereader.core.store import Store
from sourcereader.core.store.links import Passage, WitnessLink
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.data import worker_store
from sourcereader.tui.view import EMPTY, Cell, ColumnSpec, ParallelView
from sourcereader.tui.widgets.parallel_text import ColumnHeader, ParallelText, display_text

LINK_MARK = "⇄"


def witness_view(document: Document, links: list[WitnessLink]) -> ParallelView:
    """A one-column view of a document, rows marked where a link starts."""
    rows = build_rows(len(document.sentences), document.gaps, [])
    sentences = document.sentences
    index = {s.id: s.index for s in sentences}
    marks: dict[int, str] = {}
    for link in links:
        first = index.get(link.a.first)
        last = index.get(link.a.last, first)
        if first is None or last is None:
            continue
        for i in range(first, last + 1):
            marks[rows.row_of_source(i)] = LINK_MARK

    def cells(row: Row) -> tuple[Cell, ...]:
        return (Cell(" ".join(sentences[i].text for i in row.src)) if row.src else EMPTY,)

    meta = document.meta
    spec = ColumnSpec("source", f"{meta.language} · {meta.title}", "source", meta.language)
    return ParallelView(rows, (spec,), cells, marks)


def links_between(store: Store, a: str, b: str) -> dict[str, list[WitnessLink]]:
    """Links between documents ``a`` and ``b``, oriented from each side (by document id)."""
    return {a: store.witness_links(a, b), b: store.witness_links(b, a)}


class WitnessPane(Vertical):
    """One witness: its header and its text."""

    view: var[ParallelView | None] = var(None, always_update=True)
    """The witness as a one-column view."""

    def __init__(self, document: Document, *, id: str) -> None:
        super().__init__(id=id, classes="witness")
        self.document = document

    def compose(self) -> ComposeResult:
        yield ColumnHeader().data_bind(view=WitnessPane.view)
        yield ParallelText().data_bind(view=WitnessPane.view)

    @property
    def text(self) -> ParallelText:
        """The pane's parallel text."""
        return self.query_one(ParallelText)

    def current_passage(self) -> Passage | None:
        """The current row as a passage (None on a gap)."""
        if self.view is None or not len(self.view):
            return None
        row = self.view.rows[self.text.cursor]
        if not row.src:
            return None
        sentences = self.document.sentences
        first, last = sentences[row.src.start], sentences[row.src.stop - 1]
        from sourcereader.core.documents import sentence_hash

        body = " ".join(sentences[i].text for i in row.src)
        return Passage(self.document.id, first.id, last.id, sentence_hash(body))

    def go_to_passage(self, passage: Passage) -> None:
        """Show a passage of this witness."""
        self.go_to_sentence(passage.first)

    def go_to_sentence(self, sentence_id: str) -> None:
        """Put the cursor on the row holding a sentence of this witness."""
        if self.view is None:
            return
        try:
            index = self.document.sentence(sentence_id).index
        except KeyError:
            self.notify(
                f"Sentence {one_line(sentence_id)} is no longer in {one_line(self.document.id)}.",
                severity="warning",
                markup=False,
            )
            return
        self.text.go_to(self.view.rows.row_of_source(index))


class WitnessesScreen(Screen[None]):
    """Two witnesses of one event, side by side."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("witnesses"))
    SCOPES = ("app", "witnesses", "text")

    @dataclass
    class LinksWritten(Message):
        """A link was added or removed (posted by the worker that wrote it)."""

        links: Mapping[str, list[WitnessLink]]
        """The links between the two records as they now are, oriented from each side."""
        message: str
        """What was done, for the notification."""

    def __init__(self, store: Store, left: Document, right: Document, *, start_at: str | None = None) -> None:
        """``left`` and ``right``: the two records; ``start_at``: a sentence of ``left`` to open at (the
        reader's current passage), the right record then showing the passage linked to it, if any."""
        super().__init__()
        self.store = store
        self.left_document = left
        self.right_document = right
        self.start_at = start_at

    def compose(self) -> ComposeResult:
        event = self.left_document.meta.event or "the same event"
        yield Static(f"Witnesses of {display_text(event)}", id="witnesses-title", markup=False)
        with Horizontal(id="witnesses-body"):
            yield WitnessPane(self.left_document, id="left")
            yield WitnessPane(self.right_document, id="right")
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_links()
        left = self.query_one("#left", WitnessPane)
        left.text.focus()
        left.add_class("-active")
        if self.start_at is not None:
            # Once the views are in the texts (they are bound, and reach them on the next refresh).
            self.call_after_refresh(self._open_at, self.start_at)

    def _open_at(self, sentence_id: str) -> None:
        here, there = self.query_one("#left", WitnessPane), self.query_one("#right", WitnessPane)
        here.go_to_sentence(sentence_id)
        found = self._links_here()
        if found:
            there.go_to_passage(found[0].b)

    def on_descendant_focus(self) -> None:
        """The pane being read is marked (a bar on its left and its header lit), not only by colour."""
        for pane in self.query(WitnessPane):
            pane.set_class(pane.text.has_focus, "-active")

    @staticmethod
    def describe(passage: Passage) -> str:
        """A passage as the notifications name it: its document and sentences (``doc s2–s3``)."""
        ids = passage.first if passage.last == passage.first else f"{passage.first}–{passage.last}"
        return one_line(f"{passage.document_id} {ids}")

    @property
    def panes(self) -> tuple[WitnessPane, WitnessPane]:
        """The focused pane first."""
        left, right = self.query_one("#left", WitnessPane), self.query_one("#right", WitnessPane)
        return (right, left) if right.text.has_focus else (left, right)

    def links(self) -> Mapping[str, list[WitnessLink]]:
        """Links between the two, oriented from each side."""
        return links_between(self.store, self.left_document.id, self.right_document.id)

    def _refresh_links(self) -> None:
        self._show_links(self.links())

    def _show_links(self, links: Mapping[str, list[WitnessLink]]) -> None:
        for pane in self.query(WitnessPane):
            pane.view = witness_view(pane.document, links[pane.document.id])

    @work(thread=True, exit_on_error=False, group="links", description="Saving the link")
    def write_links(self, change: Callable[[Store], object], message: str) -> None:
        """Apply ``change`` to the store in a thread with its own connection, then read the links back."""
        with worker_store(self.store) as store:
            change(store)
            links = links_between(store, self.left_document.id, self.right_document.id)
        self.post_message(self.LinksWritten(links, message))

    @on(LinksWritten)
    def _links_written(self, message: LinksWritten) -> None:
        self._show_links(message.links)
        self.notify(message.message, title="Link", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A write that failed is reported, never a crash of the screen."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}",
                title=f"{event.worker.description} failed",
                severity="error",
                markup=False,
            )

    def action_switch_pane(self) -> None:
        """Focus the other record."""
        self.panes[1].text.focus()

    def action_link(self) -> None:
        """Link the current passages of both records."""
        here, there = self.panes
        a, b = here.current_passage(), there.current_passage()
        if a is None or b is None:
            self.notify("Put both cursors on a passage (not a gap) first.", title="Link")
            return
        link = WitnessLink(a, b)
        self.write_links(
            lambda store: store.add_witness_link(link), f"Linked {self.describe(a)} ↔ {self.describe(b)}."
        )

    def _links_here(self) -> list[WitnessLink]:
        here, _there = self.panes
        passage = here.current_passage()
        if passage is None:
            return []
        index = {s.id: s.index for s in here.document.sentences}
        now = index[passage.first]
        found = []
        for link in self.links()[here.document.id]:
            first, last = index.get(link.a.first), index.get(link.a.last)
            if first is not None and last is not None and first <= now <= last:
                found.append(link)
        return found

    def action_follow_link(self) -> None:
        """Show in the other record the passage linked to the current one."""
        found = self._links_here()
        if not found:
            self.notify("No link here (Enter links the two current passages).", title="Link")
            return
        self.panes[1].go_to_passage(found[0].b)

    def action_unlink(self) -> None:
        """Remove the links of the current passage."""
        found = self._links_here()
        ids = [link.id for link in found if link.id is not None]
        if not ids:
            self.notify("No link here to remove.", title="Link")
            return

        def unlink(store: Store) -> None:
            for link_id in ids:
                store.delete_witness_link(link_id)

        others = ", ".join(self.describe(link.b) for link in found)
        self.write_links(unlink, f"Unlinked {self.describe(found[0].a)} from {others}.")

    def action_back(self) -> None:
        """Close the witnesses view."""
        self.app.pop_screen()

    @on(ParallelText.CursorMoved)
    def _moved(self) -> None:
        """Nothing to sync: each record scrolls on its own."""
