"""All annotations across documents: filter, jump to one, delete with undo; orphans in their own tab.

Standalone: the reader pushes it with the store and gets ``(document_id, text_id, sentence_id)`` back
for the annotation chosen with Enter (or None); ``text_id`` is the search index's name for the source
(``SOURCE_TEXT``) or the translation the annotation is on. Only Store methods are called, never SQL.

Long lists stay quick: a thread worker reads the ids the filters find (one query over an index,
:meth:`Store.annotation_listing`), and the tables are virtual (:class:`VirtualTable`): they ask
for the rows on screen, which :class:`AnnotationPages` reads from the store a page at a time.
100,000 annotations open as fast as ten.

Typing filters: the filter box has the focus when the list opens, and a letter typed on the table
goes to the box (as in the library). The keys that change something (``d`` deletes, ``u``
restores) are bound on the tables only, so they act only when a table has the focus, and the
footer shows them as soon as it does. Deletes and restores run in a thread worker with its own
store connection; each one announces itself with
:class:`~sourcereader.tui.messages.AnnotationsChanged` (the app redraws the counts).

Everything shown comes from the database, where ``import-annotations`` may have put anything: every
cell is literal text with control characters made visible (never markup, never raw escapes).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.events import DescendantFocus, Key, Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, TabbedContent, TabPane
from textual.worker import Worker, get_current_worker

from sourcereader.core.annotations import KINDS, Annotation
from sourcereader.core.documents import validate_id
from sourcereader.core.errors import DocumentError
from sourcereader.core.sanitize import one_line
from sourcereader.core.store.search import SOURCE_TEXT
from sourcereader.tui.bindings import Scope, bindings_for
from sourcereader.tui.data import worker_store
from sourcereader.tui.messages import AnnotationsChanged
from sourcereader.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from sourcereader.core.store import Store
    from sourcereader.core.store.annotations import AnnotationListing

#: Below this width the filter box gets a line of its own, above the three choices.
NARROW = 110


def columns(id_width: int) -> tuple[Column, ...]:
    """The list's columns; the id column as wide as the longest id."""
    return (
        Column("id", max(2, id_width), flex=0),
        Column("document", 10, 30, flex=2),
        Column("where", 6, 24),
        Column("kind", 9, 18),
        Column("tags", 6, 24),
        Column("text", 12, None, flex=3),
    )


#: No cell is wider than this; a longer text is cut before it is flattened (a note may be megabytes).
CELL = 400


def _cell(text: str) -> Text:
    return Text(one_line(text[:CELL]))


def annotation_row(a: Annotation, title: str) -> tuple[Text, ...]:
    """The table cells for one annotation: literal text, on one line, control characters made visible."""
    body = a.note or a.anchor.exact
    kind = a.kind + (f" ({a.highlight})" if a.highlight else "")
    return (
        Text(str(a.id)),
        _cell(title),
        _cell(a.anchor.describe()),
        _cell(kind),
        _cell(", ".join(a.tags)),
        _cell(body),
    )


_SENTENCE_ID = re.compile(r"s[1-9][0-9]*")


def openable(document_id: str, translation_id: str | None, sentence_id: str) -> bool:
    """Whether these ids are of the form every document, translation and sentence id has (the list
    hands them to the reader to open; ids from a crafted import file may be anything)."""
    try:
        for value in (document_id, translation_id):
            if value is not None:
                validate_id(value, "annotation")
    except DocumentError:
        return False
    return _SENTENCE_ID.fullmatch(sentence_id) is not None


class AnnotationPages:
    """The annotations of one listing, read from the store a page at a time, as they are drawn."""

    PAGE = 100
    """Annotations read at once."""
    KEPT = 16
    """Pages kept in memory (the least recently drawn go first)."""

    def __init__(self, store: Store, ids: Sequence[int]) -> None:
        """``ids``: the listing's annotation ids, in the order shown; ``store``: the UI thread's store."""
        self.store = store
        self.ids = ids
        self._pages: OrderedDict[int, dict[int, Annotation]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, index: int) -> Annotation | None:
        """The annotation at ``index`` (None when it was purged since the listing was read)."""
        number = index // self.PAGE
        page = self._pages.get(number)
        if page is None:
            chunk = self.ids[number * self.PAGE : (number + 1) * self.PAGE]
            page = {a.id: a for a in self.store.annotations_by_id(chunk)}
            self._pages[number] = page
            while len(self._pages) > self.KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self.ids[index])


@dataclass(frozen=True)
class Filters:
    """What the filter box and the three choices ask for."""

    text: str | None
    tag: str | None
    document_id: str | None
    kind: str | None


class FilterBox(Input):
    """The text filter: ``down`` goes to the list, Enter jumps to its highlighted annotation (both in
    the footer, which shows no letter key while the box has the focus: letters are typed)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("annotations_filter"))


class AnnotationTable(VirtualTable):
    """One tab's list. ``d`` and ``u`` are bound here, not on the screen: they act only on the list."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("annotations_table"))


class AnnotationsScreen(Screen[tuple[str, str, str] | None]):
    """Every annotation: type to filter, Enter jumps, d deletes (in the list), u undoes, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("annotations"))
    SCOPES = ("app", "annotations", "annotations_filter", "annotations_table", "table")

    @dataclass
    class Listed(Message):
        """The listing worker found the annotations for these filters."""

        filters: Filters
        listing: AnnotationListing

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
        self.pages: dict[str, AnnotationPages] = {
            "live": AnnotationPages(store, ()),
            "orphans": AnnotationPages(store, ()),
        }
        """Each tab's annotations, read as they are drawn."""
        self._typing = False
        """True from a key typed on a list (sent on to the filter box) until a list has the focus again."""

    def compose(self) -> ComposeResult:
        """Filters, two tabs of tables, the status line, the footer."""
        with Horizontal(id="filters"):
            yield FilterBox(
                placeholder="type to filter: note, quote or tag", id="text", select_on_focus=False
            )
            with Horizontal(id="filter-choices"):
                yield Select([(Text(one_line(t)), t) for t in self.store.tags()], prompt="any tag", id="tag")
                yield Select(
                    [
                        (Text(one_line(self.titles.get(d, d))[:40]), d)
                        for d in self.store.annotated_documents()
                    ],
                    prompt="any document",
                    id="doc",
                )
                yield Select([(k, k) for k in KINDS], prompt="any kind", id="kind")
        with TabbedContent(id="tabs"):
            with TabPane("Annotations", id="live"):
                yield AnnotationTable(columns(2), id="live-table", empty="Reading the annotations…")
            with TabPane("Orphans", id="orphans"):
                yield AnnotationTable(columns(2), id="orphans-table", empty="Reading the annotations…")
        yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Read the annotations (in a worker); typing filters from the first key."""
        self.refresh_rows()
        self.query_one("#text", Input).focus()

    def on_resize(self, event: Resize) -> None:
        """On a narrow terminal the filter box gets a line of its own."""
        self.set_class(event.size.width < NARROW, "-narrow")

    # ------------------------------------------------------------------ reading
    def filters(self) -> Filters:
        """The filters as they are set now."""

        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, Select).value
            return None if chosen is Select.NULL else str(chosen)

        text = self.query_one("#text", Input).value.strip() or None
        return Filters(text, value("#tag"), value("#doc"), value("#kind"))

    def refresh_rows(self) -> None:
        """Read the annotations again for the current filters (in a worker)."""
        self.list_annotations(self.filters())

    @work(thread=True, exclusive=True, exit_on_error=False, group="annotation-listing", description="Reading")
    def list_annotations(self, filters: Filters) -> None:
        """Find the ids of the annotations the filters ask for, in a thread with its own connection."""
        with worker_store(self.store) as store:
            listing = store.annotation_listing(
                document_id=filters.document_id, tag=filters.tag, kind=filters.kind, text=filters.text
            )
        if not get_current_worker().is_cancelled:
            self.post_message(self.Listed(filters, listing))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        # A listing for filters changed since (a key typed meanwhile) is not shown: the newer one comes.
        if message.filters != self.filters():
            return
        listing = message.listing
        widest = max(max(listing.anchored, default=0), max(listing.orphans, default=0))
        shown = columns(len(str(widest)))
        filtered = message.filters != Filters(None, None, None, None)
        for key, ids in (("live", listing.anchored), ("orphans", listing.orphans)):
            pages = AnnotationPages(self.store, ids)
            self.pages[key] = pages
            if key == "orphans":
                empty = "No orphans: every annotation was found on its text."
            else:
                empty = "No annotation matches the filters." if filtered else "No annotations yet."
            self.query_one(f"#{key}-table", AnnotationTable).show(
                len(pages), partial(self._cells, pages), columns=shown, empty=empty
            )
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("live").label = Text(f"Annotations ({len(listing.anchored)})")
        tabs.get_tab("orphans").label = Text(f"Orphans ({len(listing.orphans)})")

    def _cells(self, pages: AnnotationPages, row: int) -> tuple[Text, ...]:
        a = pages.get(row)
        if a is None:
            return (Text(str(pages.ids[row])), Text("(purged)", style="italic"))
        return annotation_row(a, self.titles.get(a.document_id, a.document_id))

    @on(Input.Changed, "#text")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.refresh_rows()

    def _status(self, message: str) -> None:
        self.query_one("#status", Label).update(Text(one_line(message)))

    def _table(self) -> AnnotationTable:
        key = self.query_one(TabbedContent).active or "live"
        return self.query_one(f"#{key}-table", AnnotationTable)

    def current(self) -> Annotation | None:
        """The annotation under the cursor in the visible tab."""
        table = self._table()
        pages = self.pages["orphans" if table.id == "orphans-table" else "live"]
        if not 0 <= table.cursor < len(pages):
            return None
        return pages.get(table.cursor)

    # ------------------------------------------------------------------ choosing
    @on(VirtualTable.Selected)
    def _chosen(self, event: VirtualTable.Selected) -> None:
        self._jump(event.table)

    def action_jump(self) -> None:
        """Open the annotation highlighted in the visible tab's list."""
        self._jump(self._table())

    def _jump(self, table: VirtualTable) -> None:
        pages = self.pages["orphans" if table.id == "orphans-table" else "live"]
        a = pages.get(table.cursor) if 0 <= table.cursor < len(pages) else None
        if a is None:
            return
        sentence = a.anchor.sentence_ids[0] if a.anchor.sentence_ids else "s1"
        if not openable(a.document_id, a.translation_id, sentence):
            # Only an imported file can hold such ids: no text has them, and the reader would print them.
            self._status(
                f"Annotation {a.id} cannot be opened: its ids are not ones a text of the library has"
            )
            return
        self.dismiss((a.document_id, a.translation_id or SOURCE_TEXT, sentence))

    # ------------------------------------------------------------------ typing
    def on_key(self, event: Key) -> None:
        """Typing filters: a letter typed on the list goes to the filter box (the list's own keys, d and
        u among them, keep working there); escape in a box with text clears it."""
        box = self.query_one("#text", FilterBox)
        if event.key == "escape" and self.focused is box and box.value:
            box.value = ""
            event.stop()
            event.prevent_default()
            return
        # A printable key gets here only when no text box took it. Once a key typed on the list went to
        # the box, the keys typed right after it go there too, d and u included: they were sent to the
        # list before the focus reached the box, and are the rest of a word, not commands.
        if not (event.is_printable and event.character):
            return
        on_list = isinstance(self.focused, VirtualTable)
        if self._typing or (on_list and event.key not in self._bound_keys()):
            self._typing = True
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The user moved to a list: its keys act again."""
        if isinstance(event.widget, VirtualTable):
            self._typing = False

    def _bound_keys(self) -> set[str]:
        keymap = getattr(self.app, "user_keymap", {})
        keys: set[str] = set()
        scopes: tuple[Scope, ...] = ("app", "annotations", "annotations_filter", "annotations_table", "table")
        for scope in scopes:
            for binding in bindings_for(scope):
                keys.update(k.strip() for k in keymap.get(binding.id or "", binding.key).split(","))
        return keys

    # ------------------------------------------------------------------ changing
    def action_delete(self) -> None:
        """Put the current annotation in the bin (in a worker)."""
        a = self.current()
        if a is None or a.is_deleted:
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
        """A read or write that failed is reported on the status line, never a crash of the screen."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            self._status(f"{event.worker.description} failed: {event.worker.error}")

    # ------------------------------------------------------------------ moving
    def action_focus_filter(self) -> None:
        """Move to the text filter."""
        self.query_one("#text", Input).focus()

    def action_focus_list(self) -> None:
        """Move to the list of the visible tab."""
        self._table().focus()

    def action_close(self) -> None:
        """Back without choosing."""
        self.dismiss(None)

    def binding_node(self, scope: Scope) -> DOMNode | None:
        """Where the command palette runs the actions of ``scope``: the filter box, the visible list."""
        if scope in ("table", "annotations_table"):
            return self._table()
        if scope == "annotations_filter":
            return self.query_one("#text", FilterBox)
        return self
