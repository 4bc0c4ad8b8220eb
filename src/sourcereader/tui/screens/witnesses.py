"""Two records of the same event side by side, each scrolling on its own, with links between passages.

Links are the user's: Enter joins the current row of the left record with the current row of
the right one; both rows get a ⇄ mark; ``o`` shows, in the other record, the passage linked to
the current one. Links live in the store (``witness_links``), so they outlast the session.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Static

from sourcereader.core.documents import Document
from sourcereader.core.reading import Row, build_rows
from sourcereader.core.store import Store
from sourcereader.core.store.links import Passage, WitnessLink
from sourcereader.tui.bindings import bindings_for
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
        from sourcereader.core.documents import text_hash

        body = " ".join(sentences[i].text for i in row.src)
        return Passage(self.document.id, first.id, last.id, text_hash(body))

    def go_to_passage(self, passage: Passage) -> None:
        """Show a passage of this witness."""
        if self.view is None:
            return
        try:
            index = self.document.sentence(passage.first).index
        except KeyError:
            self.notify(f"Sentence {passage.first} is no longer in {self.document.id}.", severity="warning")
            return
        self.text.go_to(self.view.rows.row_of_source(index))


class WitnessesScreen(Screen[None]):
    """Two witnesses of one event, side by side."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("witnesses"))
    SCOPES = ("app", "witnesses", "text")

    def __init__(self, store: Store, left: Document, right: Document) -> None:
        super().__init__()
        self.store = store
        self.left_document = left
        self.right_document = right

    def compose(self) -> ComposeResult:
        event = self.left_document.meta.event or "the same event"
        yield Static(f"Witnesses of {display_text(event)}", id="witnesses-title", markup=False)
        with Horizontal(id="witnesses-body"):
            yield WitnessPane(self.left_document, id="left")
            yield WitnessPane(self.right_document, id="right")
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_links()
        self.query_one("#left", WitnessPane).text.focus()

    @property
    def panes(self) -> tuple[WitnessPane, WitnessPane]:
        """The focused pane first."""
        left, right = self.query_one("#left", WitnessPane), self.query_one("#right", WitnessPane)
        return (right, left) if right.text.has_focus else (left, right)

    def links(self) -> Mapping[str, list[WitnessLink]]:
        """Links between the two, oriented from each side."""
        a, b = self.left_document.id, self.right_document.id
        return {a: self.store.witness_links(a, b), b: self.store.witness_links(b, a)}

    def _refresh_links(self) -> None:
        links = self.links()
        for pane in self.query(WitnessPane):
            pane.view = witness_view(pane.document, links[pane.document.id])

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
        self.store.add_witness_link(WitnessLink(a, b))
        self._refresh_links()
        self.notify(f"Linked {a.first} ↔ {b.first}.", title="Link")

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
        for link in found:
            if link.id is not None:
                self.store.delete_witness_link(link.id)
        self._refresh_links()
        self.notify(f"Removed {len(found)} link(s).", title="Link")

    def action_back(self) -> None:
        """Close the witnesses view."""
        self.app.pop_screen()

    @on(ParallelText.CursorMoved)
    def _moved(self) -> None:
        """Nothing to sync: each record scrolls on its own."""
