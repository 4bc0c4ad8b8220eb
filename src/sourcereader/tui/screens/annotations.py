"""All annotations across documents: filter, jump to one, delete with undo; orphans in their own tab.

Standalone: the reader pushes it with the store and gets ``(document_id, text_id, sentence_id)`` back
for the annotation chosen with Enter (or None); ``text_id`` is the search index's name for the source
(``SOURCE_TEXT``) or the translation the annotation is on. Only Store methods are called, never SQL.
Deletes and restores run in a thread worker with its own store connection; each one announces
itself with :class:`~sourcereader.tui.messages.AnnotationsChanged` (the app redraws the counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, TabbedContent, TabPane
from textual.worker import Worker

from sourcereader.core.annotations import KINDS, Annotation, AnnotationError
from sourcereader.core.sanitize import one_line
from sourcereader.core.store.search import SOURCE_TEXT
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.data import worker_store
from sourcereader.tui.messages import AnnotationsChanged

if TYPE_CHECKING:
    from sourcereader.core.store import Store

_COLUMNS = ("id", "document", "where", "kind", "tags", "text")


def _cell(text: str, width: int) -> Text:
    flat = one_line(text)
    return Text(flat if len(flat) <= width else flat[: width - 1] + "…")


def annotation_row(a: Annotation, title: str) -> tuple[Text, ...]:
    """The table cells for one annotation (all literal text)."""
    body = a.note or a.anchor.exact
    return (
        Text(str(a.id)),
        _cell(title, 28),
        Text(a.anchor.describe()),
        Text(a.kind + (f" ({a.highlight})" if a.highlight else "")),
        _cell(", ".join(a.tags), 24),
        _cell(body, 60),
    )


class AnnotationsScreen(Screen[tuple[str, str, str] | None]):
    """Every annotation: type to filter, Enter jumps, d deletes, u undoes, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("annotations"))

    @dataclass
    class Written(Message):
        """A delete or a restore reached the store (posted by the worker that made it)."""

        annotation: Annotation
        """The annotation as it now is (in the bin after a delete)."""
        restored: bool

    def __init__(self, store: Store, *, titles: Mapping[str, str] | None = None) -> None:
        """``store`` to read and delete through; ``titles``: document titles by id, for display."""
        super().__init__()
        self.store = store
        self.titles = dict(titles or {})
        self.deleted: list[int] = []
        """Ids deleted here, most recent last (``u`` restores them in turn)."""
        self.changed = False
        """True once something was deleted or restored here (the caller refreshes its marks and counts)."""
        self.shown: dict[str, list[Annotation]] = {"live": [], "orphans": []}

    def compose(self) -> ComposeResult:
        """Filters, two tabs of tables, the footer."""
        documents = sorted({a.document_id for a in self.store.annotations()})
        with Horizontal(id="filters"):
            yield Input(placeholder="filter: note, quote or tag text", id="text")
            yield Select([(t, t) for t in self.store.tags()], prompt="any tag", id="tag")
            yield Select(
                [(self.titles.get(d, d)[:40], d) for d in documents], prompt="any document", id="doc"
            )
            yield Select([(k, k) for k in KINDS], prompt="any kind", id="kind")
        with TabbedContent(id="tabs"):
            with TabPane("Annotations", id="live"):
                yield DataTable(id="live-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Orphans", id="orphans"):
                yield DataTable(id="orphans-table", cursor_type="row", zebra_stripes=True)
        yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the tables."""
        for table in self.query(DataTable):
            table.add_columns(*_COLUMNS)
        self.refresh_rows()
        self.query_one("#live-table", DataTable).focus()

    def _value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else str(value)

    def refresh_rows(self) -> None:
        """Re-read the annotations with the current filters."""
        text = self.query_one("#text", Input).value.strip() or None
        try:
            found = self.store.annotations(
                document_id=self._value("#doc"), tag=self._value("#tag"), kind=self._value("#kind"), text=text
            )
        except AnnotationError as exc:
            self._status(str(exc))
            return
        self.shown = {
            "live": [a for a in found if not a.is_orphan],
            "orphans": [a for a in found if a.is_orphan],
        }
        for key, rows in self.shown.items():
            table = self.query_one(f"#{key}-table", DataTable)
            table.clear()
            for a in rows:
                table.add_row(
                    *annotation_row(a, self.titles.get(a.document_id, a.document_id)), key=str(a.id)
                )
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("orphans").label = Text(f"Orphans ({len(self.shown['orphans'])})")
        tabs.get_tab("live").label = Text(f"Annotations ({len(self.shown['live'])})")

    @on(Input.Changed, "#text")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.refresh_rows()

    def _status(self, message: str) -> None:
        self.query_one("#status", Label).update(Text(message))

    def current(self) -> Annotation | None:
        """The annotation under the cursor in the visible tab."""
        key = self.query_one(TabbedContent).active or "live"
        table = self.query_one(f"#{key}-table", DataTable)
        rows = self.shown.get(key, [])
        if not rows or not 0 <= table.cursor_row < len(rows):
            return None
        return rows[table.cursor_row]

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        key = "orphans" if event.data_table.id == "orphans-table" else "live"
        rows = self.shown[key]
        if 0 <= event.cursor_row < len(rows):
            a = rows[event.cursor_row]
            sentence = a.anchor.sentence_ids[0] if a.anchor.sentence_ids else "s1"
            self.dismiss((a.document_id, a.translation_id or SOURCE_TEXT, sentence))

    def action_delete(self) -> None:
        """Put the current annotation in the bin (in a worker)."""
        a = self.current()
        if a is None:
            return
        self.write(a.id, restore=False)

    def action_undo(self) -> None:
        """Restore the last annotation deleted here (in a worker)."""
        if not self.deleted:
            self._status("Nothing to undo")
            return
        self.write(self.deleted.pop(), restore=True)

    @work(thread=True, exit_on_error=False, group="annotation-write", description="Saving the change")
    def write(self, annotation_id: int, *, restore: bool) -> None:
        """Delete or restore an annotation in a thread with its own store connection."""
        with worker_store(self.store) as store:
            if restore:
                changed = store.restore_annotation(annotation_id)
            else:
                changed = store.delete_annotation(annotation_id)
        self.post_message(self.Written(changed, restore))

    @on(Written)
    def _written(self, message: Written) -> None:
        a = message.annotation
        if message.restored:
            self._status(f"Restored annotation {a.id}")
        else:
            self.deleted.append(a.id)
            self._status(f"Deleted annotation {a.id}; u undoes")
        self.changed = True
        self.refresh_rows()
        self.post_message(AnnotationsChanged(a.document_id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A write that failed is reported on the status line, never a crash of the screen."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            self._status(f"{event.worker.description} failed: {event.worker.error}")

    def action_focus_filter(self) -> None:
        """Move to the text filter."""
        self.query_one("#text", Input).focus()

    def action_close(self) -> None:
        """Back without choosing."""
        self.dismiss(None)
