"""The application and its one factory, :func:`make_app`, used by the CLI and the tests alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import ModalScreen, Screen

from sourcereader.core import search_index
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.tui import data
from sourcereader.tui.bindings import KeymapResult, bindings_for, keys_file, load_keymap
from sourcereader.tui.commands import BindingCommands
from sourcereader.tui.messages import (
    AnnotationsChanged,
    LibraryFilesChanged,
    LibraryReloaded,
    OpenDocument,
    OpenVersions,
    OpenWitnesses,
    SearchIndexRefreshed,
    ShowLibrary,
)

if TYPE_CHECKING:
    from sourcereader.core.store.search import SearchHit
    from sourcereader.core.translation.machine import MachineTranslator


class SourceReaderApp(App[None]):
    """Read primary documents side by side with their translations.

    The app owns the library, the store and the translator and hands them down to the screens it
    makes; the screens ask it for navigation with messages (:class:`OpenDocument`,
    :class:`OpenWitnesses`, :class:`ShowLibrary`) and tell it when annotations changed.
    """

    CSS_PATH = "sourcereader.tcss"
    TITLE = "sourcereader"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("app"))
    COMMANDS = App.COMMANDS | {BindingCommands}

    def __init__(
        self,
        library: Library,
        store: Store,
        translator: MachineTranslator | None = None,
        *,
        document_id: str | None = None,
        keymap: KeymapResult | None = None,
        keys_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.translator = translator
        self.start_document = document_id
        self.keymap_result = keymap or KeymapResult({})
        self.keys_path = keys_path
        self.search_query = ""

    @property
    def user_keymap(self) -> Mapping[str, str]:
        """The user's remapped keys by binding id."""
        return self.keymap_result.keymap

    def on_mount(self) -> None:
        from sourcereader.tui.screens.library import LibraryScreen

        self.set_keymap(dict(self.keymap_result.keymap))
        self.push_screen(LibraryScreen(self.library, self.store.annotation_counts))
        if self.start_document is not None:
            self._open(self.start_document)
        for problem in [*self.keymap_result.problems, *self.library.problems]:
            self.notify(problem, title="sourcereader", severity="warning", markup=False, timeout=8)
        # After the first frame: indexing a new long document (and segmenting what is not cached yet)
        # holds the interpreter for a while, and made a 50 MB document's first frame twice as late.
        self.call_after_refresh(self.refresh_search_index)

    def get_translator(self) -> MachineTranslator:
        """The machine translator (the Argos one unless one was injected). Called from workers."""
        if self.translator is None:
            from sourcereader.core.translation.argos import ArgosTranslator

            self.translator = ArgosTranslator()
        return self.translator

    # ------------------------------------------------------------------ what the screens ask for
    @on(OpenDocument)
    def _open_document(self, message: OpenDocument) -> None:
        self._open(message.document_id, message.start_at)

    @on(OpenWitnesses)
    def _open_witnesses(self, message: OpenWitnesses) -> None:
        from sourcereader.tui.screens.witnesses import WitnessesScreen

        others = self.library.witnesses(message.document_id)
        if not others:
            self.notify("No other record of this document's event is in the library.", title="Witnesses")
            return
        document = self.library.document(message.document_id)
        self.push_screen(WitnessesScreen(self.store, document, others[0], start_at=message.start_at))

    @on(OpenVersions)
    def _open_versions(self, message: OpenVersions) -> None:
        from sourcereader.tui.screens.versions import VersionPicker, VersionsScreen, other_versions

        others = other_versions(self.library, message.document_id)
        if message.other_id is not None:
            others = tuple(d for d in others if d.id == message.other_id)
        if not others:
            self.notify("No other version of this source is in the library.", title="Versions")
            return
        document = self.library.document(message.document_id)

        def compare(other_id: str | None) -> None:
            if other_id is not None:
                other = self.library.document(other_id)
                self.push_screen(VersionsScreen(self.store, document, other, start_at=message.start_at))

        if len(others) == 1:
            compare(others[0].id)
        else:
            self.push_screen(VersionPicker(document, others), compare)

    @on(ShowLibrary)
    def _show_library(self) -> None:
        from sourcereader.tui.screens.library import LibraryScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, LibraryScreen):
            self.pop_screen()
        if isinstance(self.screen, LibraryScreen):
            self.screen.refresh_counts()

    @on(AnnotationsChanged)
    def _annotations_changed(self) -> None:
        """The library's annotation counts are redrawn."""
        from sourcereader.tui.screens.library import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.refresh_counts()

    @on(LibraryFilesChanged)
    def _library_files_changed(self) -> None:
        self.reload_library()

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="library", description="Reading the library"
    )
    def reload_library(self) -> None:
        """Read the library's files again (another process imported a document), in a thread."""
        self.post_message(LibraryReloaded(Library(self.library.roots, cache=self.library.cache)))

    @on(LibraryReloaded)
    def _library_reloaded(self, message: LibraryReloaded) -> None:
        """Show the library as it now is, and index what is new."""
        from sourcereader.tui.screens.library import LibraryScreen

        self.library = message.library
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.show_library(message.library)
        self.refresh_search_index()

    def _open(self, document_id: str, start_at: tuple[str, str] | None = None) -> None:
        """Open a document in the reader (replacing an open one), optionally at a sentence."""
        from sourcereader.tui.screens.reader import ReaderScreen

        entry = self.library.entry(document_id)
        if isinstance(self.screen, ReaderScreen):
            self.pop_screen()
        self.push_screen(
            ReaderScreen(
                entry,
                store=self.store,
                library=self.library,
                get_translator=self.get_translator,
                start_at=start_at,
            )
        )

    # ------------------------------------------------------------------ actions
    def action_help(self) -> None:
        """Show every key."""
        from sourcereader.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.user_keymap, self.keys_path))

    def action_claims(self) -> None:
        """Every claim with its status; a passage chosen there opens in the reader."""
        from sourcereader.core.store.search import SOURCE_TEXT
        from sourcereader.tui.screens.claims import ClaimScreen, ClaimsScreen
        from sourcereader.tui.screens.reader import ReaderScreen

        if isinstance(self.screen, (ModalScreen, ClaimsScreen, ClaimScreen)):
            return

        def closed(target: tuple[str, str] | None) -> None:
            # Claims may have been edited or deleted there: the readers' claim marks are read again.
            for screen in self.screen_stack:
                if isinstance(screen, ReaderScreen):
                    screen.claimer.load()
            if target is not None:
                self._open(target[0], (SOURCE_TEXT, target[1]))

        self.push_screen(ClaimsScreen(self.store, self.library), closed)

    def action_search_library(self) -> None:
        """Search every document and translation."""
        from sourcereader.tui.screens.search import SearchScreen

        titles = {e.document.id: e.document.meta.title for e in self.library}
        labels = data.translation_labels(self.library)

        def chosen(hit: SearchHit | None) -> None:
            if hit is not None:
                self._open(hit.document_id, (hit.text_id, hit.sentence_id))

        self.push_screen(SearchScreen(self.store, titles, labels, query=self.search_query), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="index", description="Indexing the library")
    def refresh_search_index(self) -> None:
        """Bring the search index up to date with the library, in a thread with its own store."""
        with data.worker_store(self.store) as store:
            report = search_index.refresh_search_index(store, self.library)
        self.post_message(SearchIndexRefreshed(report.reindexed))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, keys, quit…); ours come from :class:`BindingCommands`."""
        yield from super().get_system_commands(screen)


def make_app(
    library: Library,
    store: Store,
    translator: MachineTranslator | None = None,
    *,
    document_id: str | None = None,
) -> SourceReaderApp:
    """The app over ``library`` and ``store``, with the user's key remapping from the config directory."""
    from sourcereader import locations

    path = keys_file(locations.config_dir())
    return SourceReaderApp(
        library, store, translator, document_id=document_id, keymap=load_keymap(path), keys_path=path
    )
