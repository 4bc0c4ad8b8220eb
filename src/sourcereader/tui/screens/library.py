"""The library: every document, bundled and the user's; witnesses of one event grouped together."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.events import DescendantFocus, Key
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from sourcereader.core.documents import Library, LibraryEntry
from sourcereader.core.plurals import counted
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.messages import LibraryFilesChanged, OpenDocument, OpenVersions, OpenWitnesses
from sourcereader.tui.screens.versions import group_key, version_key, versions_heading
from sourcereader.tui.widgets.parallel_text import display_text


@dataclass(frozen=True)
class Group:
    """Documents listed together: the witnesses of one event, or a document on its own."""

    event: str
    entries: tuple[LibraryEntry, ...]


def groups(library: Library) -> list[Group]:
    """Entries in date order, the witnesses of an event gathered where the first of them stands."""
    out: list[Group] = []
    seen: set[str] = set()
    entries = list(library)
    for entry in entries:
        event = group_key(entry)
        if not event:
            out.append(Group("", (entry,)))
        elif event not in seen:
            seen.add(event)
            out.append(Group(event, tuple(e for e in entries if group_key(e) == event)))
    return out


#: How often the library's folders are looked at for documents another process imported (seconds).
WATCH_SECONDS = 1.5


def library_signature(library: Library) -> tuple[tuple[str, int, int], ...]:
    """The user library's folders and files, each with its modification time and size: an import, a
    replacement (a file renamed into place), a removal or a file edited in place changes one of them.
    A ``stat`` a file (about 2 ms for 1,000 documents), cheap enough for a timer."""
    folders: list[Path] = []
    for root, origin in library.roots:
        if origin != "user":
            continue  # the bundled library does not change while the app runs
        folders += [root, root / "sources", root / "translations"]
        with contextlib.suppress(OSError):  # no translations folder yet
            folders += [Path(e.path) for e in os.scandir(root / "translations") if e.is_dir()]
    found: list[tuple[str, int, int]] = []
    for folder in folders:
        try:
            info = folder.stat()
            entries = list(os.scandir(folder))
        except OSError:
            found.append((str(folder), -1, -1))
            continue
        found.append((str(folder), info.st_mtime_ns, 0))
        for entry in entries:
            with contextlib.suppress(OSError):  # removed meanwhile: the folder's time says so
                if entry.is_file():
                    stat = entry.stat()
                    found.append((entry.path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


def matches(entry: LibraryEntry, query: str) -> bool:
    """True when every word of ``query`` occurs in the entry's id, title, kind, language, date or event."""
    meta = entry.document.meta
    hay = " ".join(
        [meta.id, meta.title, meta.kind, meta.language, meta.date, meta.event, meta.status]
        + [t.meta.label for t in entry.translations]
    ).casefold()
    return all(word in hay for word in query.casefold().split())


def entry_text(entry: LibraryEntry, annotations: int) -> Text:
    """Two literal lines for a document: its title and what it is."""
    meta = entry.document.meta
    text = Text(display_text(meta.title), style="bold")
    if meta.status == "partial":
        text.append("  PARTIAL", style="bold reverse")
    if entry.document.origin == "user":
        text.append("  yours", style="italic")
    translations = ", ".join(f"{display_text(t.meta.label)} ({t.language})" for t in entry.translations)
    details = [
        meta.language,
        meta.date,
        display_text(meta.kind),
        # The cached count: listing the library must not segment every document.
        counted(entry.document.counts[0], "sentence"),
        f"translations: {translations}" if translations else "no translation",
        counted(annotations, "note"),
    ]
    text.append("\n" + " · ".join(details), style="dim")
    return text


class LibraryScreen(Screen[None]):
    """Pick a document to read. Typing filters the list; Enter opens (an :class:`OpenDocument` request
    to the app)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("library"))
    SCOPES = ("app", "library")

    def __init__(self, library: Library, annotation_counts: Callable[[], Mapping[str, int]]) -> None:
        super().__init__()
        self.library = library
        self.annotation_counts = annotation_counts
        """Live annotations per document id: asked once per listing, not once per document."""
        self.shown: list[LibraryEntry | None] = []
        self._signature: tuple[tuple[str, int, int], ...] = ()
        """The user library's folders as last read (:func:`library_signature`)."""
        self._typing = False
        """True from a key typed on the list (sent on to the filter box) until the list has the focus
        again: the keys typed right after it belong in the box too."""

    def compose(self) -> ComposeResult:
        yield Label(self._summary(), id="library-title")
        # select_on_focus off: the first key typed on the list is already in the box when it takes
        # the focus, and selecting it would let the second key replace it.
        yield Input(
            placeholder="Type to filter: title, id, language, date, kind, event…",
            id="filter",
            select_on_focus=False,
        )
        yield OptionList(id="documents")
        yield Footer()

    def _summary(self) -> str:
        n = len(self.library)
        return f"sourcereader — {counted(n, 'document')} · Enter opens · ? for keys"

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#documents", OptionList).focus()
        self._signature = library_signature(self.library)
        self.set_interval(WATCH_SECONDS, self.check_library_files)

    def on_screen_resume(self) -> None:
        """Back from a document: the list has the focus, so the library's keys (``q``) act at once; the
        filter keeps what was typed (typing again goes on filtering)."""
        self._typing = False
        self.query_one("#documents", OptionList).focus()

    def check_library_files(self) -> None:
        """Ask the app to read the library again when its folders changed (another process imported a
        document or a translation)."""
        signature = library_signature(self.library)
        if signature != self._signature:
            self._signature = signature
            self.post_message(LibraryFilesChanged())

    def show_library(self, library: Library) -> None:
        """Show ``library`` (read again by the app), keeping the filter and the highlighted document."""
        current = self.current()
        self.library = library
        self._signature = library_signature(library)
        self.query_one("#library-title", Label).update(self._summary())
        self._fill(self.query_one("#filter", Input).value)
        if current is not None:
            ids = [e.document.id if e is not None else None for e in self.shown]
            if current.document.id in ids:
                self.query_one("#documents", OptionList).highlighted = ids.index(current.document.id)

    def _options(self, query: str) -> Iterable[tuple[Option, LibraryEntry | None]]:
        counts = self.annotation_counts()
        for group in groups(self.library):
            entries = [e for e in group.entries if matches(e, query)]
            if not entries:
                continue
            if group.event and len(group.entries) > 1 and group.event == version_key(group.entries[0]):
                yield Option(versions_heading(group.entries), disabled=True), None
            elif group.event and len(group.entries) > 1:
                header = Text(f"▾ {display_text(group.event)}", style="bold italic")
                header.append(f" — {counted(len(group.entries), 'witness', 'witnesses')}", style="italic")
                yield Option(header, disabled=True), None
            for entry in entries:
                prompt = entry_text(entry, counts.get(entry.document.id, 0))
                if group.event and len(group.entries) > 1:
                    prompt = Text.assemble("  ", prompt)
                yield Option(prompt, id=entry.document.id), entry

    def _fill(self, query: str) -> None:
        listing = self.query_one("#documents", OptionList)
        pairs = list(self._options(query))
        listing.clear_options()
        listing.add_options([option for option, _ in pairs])
        self.shown = [entry for _, entry in pairs]
        first = next((k for k, entry in enumerate(self.shown) if entry is not None), None)
        listing.highlighted = first
        if not pairs:
            listing.add_option(Option(Text("No document matches the filter."), disabled=True))

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.action_open_document()

    @on(OptionList.OptionSelected, "#documents")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open(event.option.id)

    def on_key(self, event: Key) -> None:
        # Typing anywhere filters: a printable key on the list goes to the filter box.
        listing = self.query_one("#documents", OptionList)
        box = self.query_one("#filter", Input)
        if self.focused is box and event.key in ("down", "escape"):
            if event.key == "escape":
                box.value = ""
            listing.focus()
            event.stop()
            event.prevent_default()
            return
        # A printable key gets here only when the box did not take it (it stops the keys it types).
        if event.is_printable and event.character:
            if not self._typing and self.focused is listing and event.key in self._bound_keys():
                return  # the screen's and the app's own keys keep working on the list
            # Every printable key goes to the box, spaces and punctuation too: a fast typist's (or a
            # paste's) next keys arrive before the focus has moved, and must not be lost. Those keys
            # were sent to the list, bound ones too (W, q): they are the rest of a word, not commands.
            self._typing = True
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The user moved to the list: its keys act again."""
        if event.widget is self.query_one("#documents", OptionList):
            self._typing = False

    def _bound_keys(self) -> set[str]:
        keymap = getattr(self.app, "user_keymap", {})
        keys: set[str] = set()
        for binding in (*bindings_for("app"), *bindings_for("library")):
            keys.update(k.strip() for k in keymap.get(binding.id or "", binding.key).split(","))
        return keys

    def current(self) -> LibraryEntry | None:
        """The highlighted document."""
        k = self.query_one("#documents", OptionList).highlighted
        if k is None or k >= len(self.shown):
            return None
        return self.shown[k]

    def action_open_document(self) -> None:
        """Open the highlighted document."""
        entry = self.current()
        if entry is not None:
            self._open(entry.document.id)

    def _open(self, document_id: str) -> None:
        self.post_message(OpenDocument(document_id))

    def action_focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.query_one("#filter", Input).focus()

    def action_witnesses(self) -> None:
        """Open the witnesses of the highlighted document's event."""
        entry = self.current()
        if entry is not None:
            self.post_message(OpenWitnesses(entry.document.id))

    def action_versions(self) -> None:
        """Compare the highlighted secondary source with another version of it, side by side."""
        entry = self.current()
        if entry is not None:
            self.post_message(OpenVersions(entry.document.id))

    def refresh_counts(self) -> None:
        """Redraw the list (annotation counts may have changed)."""
        self._fill(self.query_one("#filter", Input).value)
