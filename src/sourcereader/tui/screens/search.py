"""Library-wide search: every document and translation, through the store's FTS5 index."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import for_terminal
from sourcereader.core.store import Store
from sourcereader.core.store.search import SOURCE_TEXT, SearchHit
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.data import worker_store
from sourcereader.tui.widgets.parallel_text import display_text

#: Characters of context shown around the first match of a long sentence.
CONTEXT = 60


def hit_text(hit: SearchHit, titles: Mapping[str, str], labels: Mapping[tuple[str, str], str]) -> Text:
    """A hit as two literal lines: where, then the sentence around its first match, matches highlighted."""
    where = Text()
    where.append(display_text(titles.get(hit.document_id, hit.document_id))[:70], style="bold")
    label = (
        "source" if hit.text_id == SOURCE_TEXT else labels.get((hit.document_id, hit.text_id), hit.text_id)
    )
    where.append(f"  {display_text(label)} · {for_terminal(hit.sentence_id)}", style="dim")
    raw = hit.text
    start = max(0, (hit.spans[0][0] if hit.spans else 0) - CONTEXT)
    end = min(len(raw), start + 3 * CONTEXT)
    body = Text("…" if start else "")
    pos = start
    # Piece by piece, so that each piece is made safe on its own and highlights stay where they belong.
    for s, e in hit.spans:
        if s < pos or e > end:
            continue
        body.append(_piece(raw[pos:s]))
        body.append(_piece(raw[s:e]), style="reverse")
        pos = e
    body.append(_piece(raw[pos:end]))
    if end < len(raw):
        body.append("…")
    return Text.assemble(where, "\n", body)


def _piece(text: str) -> str:
    """Part of a sentence made safe, whitespace runs collapsed but kept at its edges."""
    return re.sub(r"\s+", " ", for_terminal(text))


class SearchScreen(ModalScreen[SearchHit | None]):
    """Type to search; Enter opens the highlighted hit."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("search"))
    SCOPES = ("search",)

    @dataclass
    class HitsFound(Message):
        """The search worker has the hits of a query."""

        query: str
        hits: list[SearchHit]

    def __init__(
        self,
        store: Store,
        titles: Mapping[str, str],
        labels: Mapping[tuple[str, str], str],
        *,
        query: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.titles = titles
        self.labels = labels
        self.initial = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search", classes="dialog"):
            yield Label("Search all documents and translations", classes="dialog-title")
            yield Input(self.initial, placeholder="words… (every word must occur; the last may be a prefix)")
            yield OptionList(id="search-hits")
            yield Label("", id="search-status", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="Searching")
    def run_search(self, query: str) -> None:
        """Query the index in a thread (its own connection)."""
        with worker_store(self.store) as store:
            hits = store.search_library(query)
        if not get_current_worker().is_cancelled:
            self.post_message(self.HitsFound(query, hits))

    @on(HitsFound)
    def _hits_found(self, message: HitsFound) -> None:
        self._show(message.query, message.hits)

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        # A search for an earlier prefix can finish after the newest one (a thread cannot be stopped
        # midway): only the results for what is in the box now are shown.
        if query != self.query_one(Input).value:
            return
        self.hits = hits
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options([Option(hit_text(h, self.titles, self.labels)) for h in hits])
        if hits:
            listing.highlighted = 0
        status = counted(len(hits), "sentence") if query.strip() else "Type to search."
        if len(hits) >= 200:
            status = "the first 200 sentences; type more words to narrow"
        self.query_one("#search-status", Label).update(status)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None and self.hits:
            self.dismiss(self.hits[listing.highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[event.option_index])

    def action_hit_down(self) -> None:
        """Next hit."""
        self.query_one(OptionList).action_cursor_down()

    def action_hit_up(self) -> None:
        """Previous hit."""
        self.query_one(OptionList).action_cursor_up()

    def action_dismiss_search(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
