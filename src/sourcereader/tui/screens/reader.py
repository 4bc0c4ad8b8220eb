"""The reader: a document side by side with its translations, one row per bead.

The screen owns the state — the document, the shown columns, each translation's alignment,
the machine translation, the document's annotations and the cursor — as typed reactives and
attributes. Whenever one of them changes it builds a new :class:`ParallelView` from it
(:func:`~sourcereader.tui.screens.reader_view.reader_view`) and data-binds it into the column
header and the parallel text. Alignment and machine translation run in named thread workers with
their own store.

Annotations: the document's live annotations are read (and re-anchored, on opening) in a worker;
annotated rows carry a gutter mark and the side panel lists the current row's annotations. The
annotation keys (``a``, ``o``, ``E``, ``d``, ``N``, ``e``, ``y``) are the
:class:`~sourcereader.tui.screens.reader_annotations.Annotator`'s work; every write runs in a
worker with its own store, and ``u`` undoes annotation changes and alignment corrections alike,
most recent first.

The screen asks the app for navigation with messages (:class:`ShowLibrary`, :class:`OpenDocument`,
:class:`OpenWitnesses`) and tells it when annotations changed (:class:`AnnotationsChanged`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from sourcereader.core import parallel_rows
from sourcereader.core.alignment.beads import (
    UNSURE_BELOW,
    Bead,
    mark_verified,
    merge_next,
    move_src,
    move_tgt,
    split_bead,
)
from sourcereader.core.alignment.document import document_alignment, save_alignment
from sourcereader.core.annotations import Annotation, AnnotationDraft
from sourcereader.core.documents import Document, Library, LibraryEntry, Sentence, Translation, id_range
from sourcereader.core.errors import StoreError
from sourcereader.core.parallel_rows import (
    Row,
    Rows,
    annotation_rows,
    build_rows,
    find_rows,
    low_rows,
    next_index,
)
from sourcereader.core.plurals import counted
from sourcereader.core.store.layouts import DEFAULT_LAYOUT, apply_layout, portable_layout
from sourcereader.tui import data
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.messages import (
    AlignmentsLoaded,
    AnnotationsChanged,
    AnnotationsLoaded,
    AnnotationUndo,
    AnnotationWritten,
    ClaimsLoaded,
    ClaimWritten,
    ExcerptReady,
    MachineTranslationLoaded,
    OpenWitnesses,
    ShowLibrary,
    TranslationFinished,
    TranslationProgressed,
)
from sourcereader.tui.screens.reader_annotations import Annotator
from sourcereader.tui.screens.reader_claims import Claimer
from sourcereader.tui.screens.reader_view import MT_KEY, SOURCE_KEY, TranslationSentences, reader_view
from sourcereader.tui.view import ParallelView
from sourcereader.tui.widgets.parallel_text import ColumnHeader, ParallelText, display_text
from sourcereader.tui.widgets.provenance import ProvenancePanel

if TYPE_CHECKING:
    from sourcereader.core.store import Store
    from sourcereader.core.translation.machine import MachineTranslator, StoredMachineSentence

__all__ = ["MT_KEY", "SOURCE_KEY", "ReaderScreen"]

PROVENANCE_DELAY = 0.12
"""Seconds the cursor must rest on a row before the provenance panel follows it."""


class _Cancelled(Exception):
    """Raised inside the translation worker to stop between batches."""


DIALOG_MODULES = (
    "sourcereader.tui.screens.annotate",
    "sourcereader.tui.screens.export",
    "sourcereader.tui.screens.annotations",
    "sourcereader.tui.screens.columns",
    "sourcereader.core.export",
)
"""What the reader's dialogs import, imported in the background once the document is shown."""

FIND_DELAY = 0.15
"""Seconds of no typing before the in-document search runs (each run scans every row)."""


@dataclass(frozen=True)
class _AlignmentUndo:
    """The alignment of a translation before a correction."""

    tid: str
    beads: list[Bead]


class ReaderScreen(Screen[None]):
    """Read one document with its translations."""

    @dataclass
    class NotSaved(Message):
        """A write of the reader did not reach the database (moved away, full, read-only…)."""

        what: str
        """What was not saved, as a sentence's subject: "The annotation on s3"."""
        reason: str
        kept: Path | None = None
        """Where what the user wrote was kept instead (``import-annotations`` reads it)."""
        keep_error: str = ""
        """Why it could not be kept in a file either."""
        unsaved: tuple[AnnotationDraft, ...] = ()

    @dataclass
    class LayoutLoaded(Message):
        """The document's kept column layout (or the default one) was read; None when there is none."""

        columns: tuple[str, ...] | None
        portable: bool
        """The default layout (translation slots), not the document's own."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("reader"))
    SCOPES = ("app", "reader", "text")
    """Binding scopes offered by the command palette and help on this screen."""

    columns: var[tuple[str, ...]] = var((SOURCE_KEY,))
    """Shown columns in order: ``source``, ``t:<translation id>``, ``mt``."""
    alignments: var[Mapping[str, list[Bead]]] = var(dict, always_update=True)
    """Beads by translation id (loaded in a worker; replaced whole on every correction)."""
    machine: var[Mapping[str, StoredMachineSentence]] = var(dict, always_update=True)
    """Cached machine translations by source sentence id."""
    translating: var[bool] = var(False)
    """A machine translation run is going on."""
    view: var[ParallelView | None] = var(None, always_update=True)
    """What the parallel text and the column header draw (derived from the state above)."""
    cursor: var[int] = var(0)
    """The current row."""
    show_provenance: var[bool] = var(True)
    """The provenance panel is shown."""
    find_query: var[str] = var("")
    """The in-document search."""

    def __init__(
        self,
        entry: LibraryEntry,
        *,
        store: Store,
        library: Library,
        get_translator: Callable[[], MachineTranslator],
        start_at: tuple[str, str] | None = None,
    ) -> None:
        """``entry``: the document and its translations; ``store`` and ``library``: what the workers
        read and write (each worker opens its own connection to ``store``); ``get_translator``: gives
        the machine translator (called in the translation worker, so a model loads off the UI
        thread); ``start_at``: ``(text_id, sentence_id)`` to put the cursor on once the rows are
        final (the source's ``SOURCE_TEXT`` or a translation id, and a sentence id of that text)."""
        super().__init__()
        self.entry = entry
        self.store = store
        self.library = library
        self.get_translator = get_translator
        self.document: Document = entry.document
        self.sentences: tuple[Sentence, ...] = self.document.sentences
        self.translation_sentences: Mapping[str, tuple[Sentence, ...]] = TranslationSentences(
            entry.translations
        )
        """Each translation's sentences, segmented on first use (by the alignment worker)."""
        self.mt_target = data.mt_target(self.document, entry.translations)
        humans = [t for t in entry.translations if t.meta.kind == "human"]
        first = humans[0] if humans else (entry.translations[0] if entry.translations else None)
        self.set_reactive(
            ReaderScreen.columns, (SOURCE_KEY, f"t:{first.id}") if first is not None else (SOURCE_KEY,)
        )
        self.rows: Rows = Rows(())  # built on mount, then whenever an alignment changes
        self.row_translations: list[str] = []
        """The translations the rows were built with (shown and aligned), in the order of ``Row.tgt``."""
        # Alignment corrections and annotation changes share one history: u takes back the latest.
        self.undo_history: list[_AlignmentUndo | AnnotationUndo] = []
        self.annotations: tuple[Annotation, ...] = ()
        """The document's live annotations (read in a worker)."""
        self.row_annotations: dict[int, tuple[Annotation, ...]] = {}
        """Annotations by row index (recomputed when rows or annotations change)."""
        self.selected_annotation = 0
        """Which annotation of the cursor row E and d act on."""
        self.annotator = Annotator(self)
        """The annotation actions (a, o, E, d, N, e, y) and their workers."""
        self.claimer = Claimer(self)
        """The claim actions (K, ctrl+k, V), the claim marks and their workers."""
        self._find_timer: Timer | None = None
        self._hits: list[int] = []
        self._low: list[int] = []
        self._translated: list[int] = []
        self._aligning: set[str] = set()
        """Translations whose alignment a worker is loading."""
        self._coverage: dict[str, tuple[list[Bead], parallel_rows.Coverage]] = {}
        # The jump waits for the alignments: rows are only final once they are loaded.
        self._pending_row: tuple[str, str] | None = start_at
        self.show_provenance_auto = True
        self._provenance_timer: Timer | None = None
        self.layout_kept = False
        """The columns come from a kept layout (the user's choice): cached MT does not add its column."""
        self._columns_touched = False
        """The user changed the columns before the kept layout was read: it is not applied over them."""
        self._mt_column_on_result = False
        """``t`` was pressed: the MT column is shown once a translation arrives (never for a failure)."""

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        meta = self.document.meta
        title = Text(display_text(meta.title), style="bold")
        if meta.status == "partial":
            title.append("  PARTIAL", style="bold reverse")
        with Horizontal(id="reader-titlebar"):
            yield Static(title, id="reader-title")
            # The current row's sentence ids, visible at any width: the row every action acts on.
            yield Static(id="reader-position")
        with Horizontal(id="reader-body"):
            with Vertical(id="reader-main"):
                yield ColumnHeader(id="column-header").data_bind(view=ReaderScreen.view)
                yield ParallelText(id="parallel").data_bind(
                    view=ReaderScreen.view, cursor=ReaderScreen.cursor
                )
            yield ProvenancePanel(id="provenance")
        yield Input(placeholder="Find in this document (Enter: keep, Esc: close)", id="find")
        with Horizontal(id="mt-progress"):
            yield Label("Machine translation", id="mt-progress-label")
            yield ProgressBar(id="mt-progress-bar", show_eta=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#find", Input).display = False
        self.query_one("#mt-progress").display = False
        # A row read from the database in a worker: usually back before the alignments are asked for.
        self.load_layout()
        self._rebuild()
        self.query_one(ParallelText).focus()
        # The workers start once the first frame is out: they hold the GIL for long stretches
        # (reading 100,000 beads, segmenting a translation) and would delay it.
        self.call_after_refresh(self._start_loading)

    def _start_loading(self) -> None:
        shown = self._shown_translation_ids()
        self._align(shown)
        if not shown:
            self._go_to_pending()  # no alignment to wait for: the rows are final already
        self.load_machine_translation()
        self.annotator.load()
        self.claimer.load()
        self.warm_dialogs()

    @work(thread=True, exit_on_error=False, group="warm", description="Preparing the dialogs")
    def warm_dialogs(self) -> None:
        """Import the dialogs' modules while the user reads: the first a or e then costs what the
        next ones do (the imports were ~40 % of the first press)."""
        import importlib

        for name in DIALOG_MODULES:
            importlib.import_module(name)

    # ------------------------------------------------------------------ state → view
    def translation(self, translation_id: str) -> Translation:
        """A translation of the document, by id."""
        for t in self.entry.translations:
            if t.id == translation_id:
                return t
        raise KeyError(translation_id)

    def translation_coverage(self, translation_id: str) -> parallel_rows.Coverage | None:
        """What part of the source a translation covers, by its alignment (None until it is loaded)."""
        beads = self.alignments.get(translation_id)
        if beads is None:
            return None
        kept = self._coverage.get(translation_id)
        if kept is None or kept[0] is not beads:
            # Once per alignment (a correction replaces the list): a scan of every bead.
            kept = (beads, parallel_rows.coverage(beads))
            self._coverage[translation_id] = kept
        return kept[1]

    def _shown_translation_ids(self) -> list[str]:
        return [key[2:] for key in self.columns if key.startswith("t:")]

    def _rebuild(self) -> None:
        """Rows from the shown translations' alignments, then a new view."""
        doc = self.document
        n = len(self.sentences)
        # The reader stays on the sentence it is at: an alignment that arrives while the user reads, a
        # correction, a column shown or hidden all change which row holds it.
        kept = self._cursor_source_sentence()
        shown = [tid for tid in self._shown_translation_ids() if tid in self.alignments]
        self.row_translations = shown
        self.rows = build_rows(n, doc.gaps, [self.alignments[tid] for tid in shown])
        self._low = low_rows(self.rows)
        self._translated = parallel_rows.translated_starts(self.rows)
        self._place_annotations()
        self._make_view()
        if kept is not None and self.rows.row_of_source(kept) != self.cursor:
            self.query_one(ParallelText).go_to(self.rows.row_of_source(kept), center=False)

    def _cursor_source_sentence(self) -> int | None:
        """The first source sentence of the cursor row (None before the first rows, or on a gap row)."""
        if not 0 <= self.cursor < len(self.rows):
            return None
        src = self.rows[self.cursor].src
        return src.start if len(src) else None

    def _place_annotations(self) -> None:
        shown = [self.translation(tid) for tid in self.row_translations]
        self.row_annotations = annotation_rows(self.rows, self.document, shown, self.annotations)

    def _make_view(self) -> None:
        self.view = self.claimer.marked(reader_view(self))

    def watch_columns(self) -> None:
        if not self.is_mounted:
            return
        self._align([tid for tid in self._shown_translation_ids() if tid not in self.alignments])
        self._rebuild()

    def watch_alignments(self) -> None:
        if self.is_mounted:
            self._rebuild()

    def watch_machine(self) -> None:
        if self.is_mounted:
            self._make_view()

    def watch_translating(self, translating: bool) -> None:
        if self.is_mounted:
            self.query_one("#mt-progress").display = translating
            self._make_view()

    def watch_view(self) -> None:
        if self.is_mounted:
            self._update_provenance()
            self._update_position()

    def watch_cursor(self) -> None:
        self.selected_annotation = 0
        if self.is_mounted:
            self._update_position()
            # The panel is re-laid out when its text changes: while a key is held, only the row
            # the cursor stops on is worth that cost (a key must reach the screen within a frame).
            if self._provenance_timer is not None:
                self._provenance_timer.stop()
            self._provenance_timer = self.set_timer(PROVENANCE_DELAY, self._update_provenance)

    def on_resize(self, event: events.Resize) -> None:
        """Below 100 columns the provenance panel would squeeze the text: it hides (i still shows it)."""
        self.set_class(event.size.width < 100 and self.show_provenance_auto, "-narrow")

    def watch_show_provenance(self, show: bool) -> None:
        self.set_class(not show, "-hide-provenance")

    @on(ParallelText.CursorMoved, "#parallel")
    def _cursor_moved(self, message: ParallelText.CursorMoved) -> None:
        self.cursor = message.row

    def position_text(self) -> str:
        """Where the cursor is: the row's sentence ids (of the source, else of the first translation that
        has some, else the gap's id) and its number among the rows."""
        if not len(self.rows):
            return ""
        cursor = min(self.cursor, len(self.rows) - 1)
        row = self.rows[cursor]
        where = ""
        if row.gap is not None:
            where = f"{row.gap.kind} {row.gap.id}"
        elif row.src:
            where = _span_ids(self.sentences, row.src)
        else:
            for tid, span in zip(self.row_translations, row.tgt, strict=False):
                if span:
                    where = f"{tid} {_span_ids(self.translation_sentences[tid], span)}"
                    break
        return f"{where} · {cursor + 1}/{len(self.rows)}"

    def _update_position(self) -> None:
        self.query_one("#reader-position", Static).update(Text(display_text(self.position_text())))

    def flush_provenance(self) -> None:
        """Bring the provenance panel up to date now instead of after the cursor rests (tests, snapshots)."""
        if self._provenance_timer is not None:
            self._provenance_timer.stop()
            self._provenance_timer = None
        self._update_provenance()

    def _update_provenance(self) -> None:
        panel = self.query_one(ProvenancePanel)
        row = self.rows[self.cursor] if len(self.rows) else None
        panel.show(
            self.document,
            self.sentences,
            row,
            self._provenance_translations(),
            self.machine,
            self.mt_target,
            self.row_annotations.get(self.cursor, ()),
            self.selected_annotation,
        )

    def _provenance_translations(
        self,
    ) -> list[tuple[Translation, Sequence[Sentence], int | None, Sequence[Bead]]]:
        out: list[tuple[Translation, Sequence[Sentence], int | None, Sequence[Bead]]] = []
        for tid in self._shown_translation_ids():
            position = self.row_translations.index(tid) if tid in self.row_translations else None
            out.append(
                (
                    self.translation(tid),
                    self.translation_sentences[tid] if position is not None else (),
                    position,
                    self.alignments.get(tid, []),
                )
            )
        return out

    # ------------------------------------------------------------------ workers
    @work(thread=True, exit_on_error=False, group="layout", description="Reading the column layout")
    def load_layout(self) -> None:
        """Read the document's kept column layout, else the default one, in a thread."""
        with data.worker_store(self.store) as store:
            own = store.column_layout(self.document.id)
            layout = own if own is not None else store.column_layout(DEFAULT_LAYOUT)
        self.post_message(self.LayoutLoaded(layout, portable=own is None))

    @on(LayoutLoaded)
    def _layout_loaded(self, message: LayoutLoaded) -> None:
        if message.columns is None or self._columns_touched:
            return
        humans = [t.id for t in self.entry.translations if t.meta.kind == "human"]
        others = [t.id for t in self.entry.translations if t.meta.kind != "human"]
        columns = apply_layout(message.columns, [*humans, *others], portable=message.portable)
        if columns:
            self.layout_kept = True
            self.columns = columns

    def choose_columns(self, columns: tuple[str, ...], *, as_default: bool = False) -> None:
        """Show ``columns`` and keep them as this document's layout (and as the default, if asked)."""
        self._columns_touched = True
        self.layout_kept = True
        self.columns = columns
        self.save_layout(columns, as_default)

    @work(thread=True, exit_on_error=False, group="save-layout", description="Keeping the column layout")
    def save_layout(self, columns: tuple[str, ...], as_default: bool) -> None:
        """Keep the columns for this document (and as the default), in a thread."""
        try:
            with data.worker_store(self.store) as store:
                store.set_column_layout(self.document.id, columns)
                if as_default:
                    store.set_column_layout(DEFAULT_LAYOUT, portable_layout(columns))
        except (StoreError, sqlite3.Error) as exc:
            reason = data.store_failure(self.store, exc)
            self.post_message(self.NotSaved("The column layout (shown, not kept for next time)", reason))

    def _align(self, translation_ids: list[str]) -> None:
        """Load the alignments of these translations, unless a worker is loading them already (the kept
        layout may change the columns while the first alignment is on its way: it is not asked twice,
        and no worker is cancelled for another)."""
        wanted = [tid for tid in translation_ids if tid not in self._aligning]
        if wanted:
            self._aligning.update(wanted)
            self.load_alignments(wanted)

    @work(thread=True, exit_on_error=False, group="align", description="Aligning")
    def load_alignments(self, translation_ids: list[str]) -> None:
        """Align (or read the cached alignment of) the given translations, in a thread."""
        result: dict[str, list[Bead]] = {}
        with data.worker_store(self.store) as store:
            for tid in translation_ids:
                result[tid] = list(document_alignment(store, self.document, self.translation(tid)).beads)
        self.post_message(AlignmentsLoaded(self.document.id, result))

    @on(AlignmentsLoaded)
    def _alignments_loaded(self, message: AlignmentsLoaded) -> None:
        self._aligning.difference_update(message.alignments)
        self.alignments = {**self.alignments, **message.alignments}
        self._go_to_pending()

    def _go_to_pending(self) -> None:
        """Put the cursor on the sentence the reader was opened at (once the rows are final)."""
        if self._pending_row is not None:
            text_id, sentence_id = self._pending_row
            self._pending_row = None
            self.go_to_sentence(text_id, sentence_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mt-load", description="Reading MT")
    def load_machine_translation(self) -> None:
        """Read the cached machine translation, in a thread."""
        with data.worker_store(self.store) as store:
            rows = store.machine_translations(self.document.id, self.mt_target)
        self.post_message(MachineTranslationLoaded(self.document.id, self.mt_target, rows))

    @on(MachineTranslationLoaded)
    def _machine_loaded(self, message: MachineTranslationLoaded) -> None:
        self.machine = dict(message.rows)
        if not message.rows or MT_KEY in self.columns:
            return
        if self._mt_column_on_result:
            # The user asked for a translation (t) and one arrived: show it, and keep it shown.
            self._mt_column_on_result = False
            self.choose_columns((*self.columns, MT_KEY))
        elif not self.layout_kept:
            # Cached MT shows by default, unless the user's kept layout (or a choice made now: that
            # keeps a layout too) hides it.
            self.columns = (*self.columns, MT_KEY)

    @work(thread=True, exclusive=True, exit_on_error=False, group="translate", description="Translating")
    def translate_document(self) -> None:
        """Machine-translate the sentences without an up-to-date translation, batch by batch."""
        from sourcereader.core.translation.errors import MachineTranslationError, ModelMissing
        from sourcereader.core.translation.machine import machine_translate

        worker = get_current_worker()
        document, target = self.document, self.mt_target
        translated = 0
        try:
            translator = self.get_translator()
            with data.worker_store(self.store) as store:

                def progress(done: int, total: int) -> None:
                    nonlocal translated
                    if worker.is_cancelled:
                        raise _Cancelled
                    if done > translated:
                        # A batch was stored: show its rows now.
                        translated = done
                        rows = store.machine_translations(document.id, target)
                        self.post_message(MachineTranslationLoaded(document.id, target, rows))
                    self.post_message(TranslationProgressed(done, total))

                run = machine_translate(document, target, translator, store, on_progress=progress)
                rows = store.machine_translations(document.id, target)
                self.post_message(MachineTranslationLoaded(document.id, target, rows))
            self.post_message(TranslationFinished(document.id, run.translated))
        except _Cancelled:
            self.post_message(TranslationFinished(document.id, translated, cancelled=True))
        except ModelMissing as exc:
            self.post_message(TranslationFinished(document.id, 0, missing_model=str(exc)))
        except ImportError as exc:
            self.post_message(TranslationFinished(document.id, 0, missing_model=_no_extra_message(exc)))
        except MachineTranslationError as exc:
            self.post_message(TranslationFinished(document.id, translated, error=str(exc)))
        except (StoreError, sqlite3.Error) as exc:
            # The database went away (or filled up) during the run: what was stored before stays.
            reason = data.store_failure(self.store, exc)
            kept = f"{counted(translated, 'sentence')} saved before; " if translated else ""
            error = f"{kept}the rest was not saved: {reason}"
            self.post_message(TranslationFinished(document.id, translated, error=error))

    @on(TranslationProgressed)
    def _translation_progressed(self, message: TranslationProgressed) -> None:
        self.query_one("#mt-progress-bar", ProgressBar).update(total=message.total, progress=message.done)

    @on(TranslationFinished)
    def _translation_finished(self, message: TranslationFinished) -> None:
        self.translating = False
        self._mt_column_on_result = False
        if message.missing_model:
            from sourcereader.tui.screens.no_model import NoModelScreen

            self.app.push_screen(NoModelScreen(message.missing_model))
        elif message.error:
            self.notify(message.error, title="Machine translation failed", severity="error", markup=False)
        elif message.cancelled:
            self.notify(
                f"Stopped; {counted(message.translated, 'sentence')} kept.", title="Machine translation"
            )
        else:
            self.notify(f"{counted(message.translated, 'sentence')} translated.", title="Machine translation")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure in a worker is reported, never a crash of the reader."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            if event.worker.group == "translate":
                self.translating = False
            if event.worker.group == "align":
                self._aligning.clear()  # asked again when the columns next change
            error = event.worker.error
            # A database fault says what it is in its own words; anything else is named by its type.
            text = str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
            self.notify(text, title=f"{event.worker.description} failed", severity="error", markup=False)

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        """Back to the library."""
        self.post_message(ShowLibrary())

    def action_toggle_provenance(self) -> None:
        """Show or hide the provenance panel."""
        if self.has_class("-narrow"):
            # On a narrow terminal the first press shows the panel the width had hidden.
            self.show_provenance_auto = False
            self.remove_class("-narrow")
            self.show_provenance = True
            return
        self.show_provenance = not self.show_provenance

    def action_next_translation(self) -> None:
        """Show the next translation in the first translation column (or add one)."""
        ids = [t.id for t in self.entry.translations]
        if not ids:
            self.notify("This document has no translation in the library.", title="Translations")
            return
        shown = self._shown_translation_ids()
        current = shown[0] if shown else None
        nxt = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
        keys = list(self.columns)
        if current is None:
            keys.insert(1 if SOURCE_KEY in keys else 0, f"t:{nxt}")
        else:
            keys[keys.index(f"t:{current}")] = f"t:{nxt}"
            keys = list(dict.fromkeys(keys))
        if tuple(keys) != self.columns:
            self.choose_columns(tuple(keys))

    def action_columns(self) -> None:
        """Choose, order and hide columns."""
        from sourcereader.tui.screens.columns import ColumnChoice, ColumnsChosen, ColumnsDialog

        choices = [ColumnChoice(SOURCE_KEY, f"Source ({self.document.language})")]
        choices += [
            ColumnChoice(f"t:{t.id}", f"{t.meta.label} ({t.language})") for t in self.entry.translations
        ]
        choices.append(ColumnChoice(MT_KEY, f"Machine translation ({self.mt_target})"))

        def chosen(choice: ColumnsChosen | None) -> None:
            if choice is not None:
                self.choose_columns(choice.keys, as_default=choice.as_default)

        self.app.push_screen(ColumnsDialog(choices, self.columns), chosen)

    def action_translate(self) -> None:
        """Machine-translate the document in the background; rows fill in as batches finish."""
        if self.translating:
            self.notify("Already translating; x stops.", title="Machine translation")
            return
        # A hidden MT column is shown once a translation arrives, not now: without a model there is
        # nothing to show, and the user's choice to hide it stands.
        self._mt_column_on_result = MT_KEY not in self.columns
        self.translating = True
        self.query_one("#mt-progress-bar", ProgressBar).update(total=None, progress=0)
        self.translate_document()

    def action_cancel_translation(self) -> None:
        """Stop translating; finished batches are kept."""
        if not self.translating:
            return
        self.workers.cancel_group(self, "translate")

    def action_next_low(self) -> None:
        """Jump to the next unsure row (a bead under the alignment's UNSURE_BELOW, not verified)."""
        self._jump(self._low, forward=True, empty=self._no_unsure())

    def action_previous_low(self) -> None:
        """Jump to the previous unsure row."""
        self._jump(self._low, forward=False, empty=self._no_unsure())

    def _no_unsure(self) -> str:
        if not self.row_translations:
            return "No unsure rows: no translation is shown (w or c shows one)."
        return f"No unsure rows: every bead is at confidence {UNSURE_BELOW:.2f} or more, or verified."

    def action_next_translated(self) -> None:
        """Jump to where the next stretch of translated rows begins (a partial translation's passage)."""
        empty = "No translation is shown (w or c shows one)."
        if self.row_translations:
            empty = "The shown translations have no sentence in this document."
        self._jump(self._translated, forward=True, empty=empty)

    def _jump(self, indices: list[int], *, forward: bool, empty: str) -> None:
        target = next_index(indices, self.cursor, forward=forward)
        if target is None:
            self.notify(empty)
            return
        self.query_one(ParallelText).go_to(target)

    # --- in-document search
    def action_find(self) -> None:
        """Open the find bar."""
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    def _cell_texts(self, row: Row) -> list[str]:
        view = self.view
        if view is None or row.gap is not None:
            return [row.gap.explanation] if row.gap is not None else []
        return [c.text for c in view.cells(row)]

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        # Each search scans every row: while the user types, only the query they pause on runs.
        self.find_query = event.value
        if self._find_timer is not None:
            self._find_timer.stop()
        self._find_timer = self.set_timer(FIND_DELAY, self.run_find)

    def run_find(self) -> None:
        """Search the rows for the find query now (the find bar calls it once typing pauses)."""
        if self._find_timer is not None:
            self._find_timer.stop()
            self._find_timer = None
        query = self.find_query
        self._hits = find_rows(self.rows, self._cell_texts, query)
        parallel = self.query_one(ParallelText)
        parallel.highlight = query.strip()
        if self._hits:
            target = next_index(self._hits, self.cursor - 1)
            if target is not None:
                parallel.go_to(target)
        self.query_one("#find", Input).border_subtitle = (
            counted(len(self._hits), "row") if query.strip() else ""
        )

    def flush_find(self) -> None:
        """Run a search still waiting for typing to pause (Enter, tests, snapshots)."""
        if self._find_timer is not None:
            self.run_find()

    @on(Input.Submitted, "#find")
    def _find_submitted(self) -> None:
        self.flush_find()
        self._close_find()

    def _close_find(self) -> None:
        find = self.query_one("#find", Input)
        find.display = False
        self.query_one(ParallelText).focus()

    def on_key(self, event: object) -> None:
        from textual.events import Key

        if (
            isinstance(event, Key)
            and event.key == "escape"
            and self.focused is self.query_one("#find", Input)
        ):
            event.stop()
            event.prevent_default()
            self._close_find()

    def action_next_hit(self) -> None:
        """Next row matching the search."""
        self._jump(self._hits, forward=True, empty="No matches (/ to search).")

    def action_previous_hit(self) -> None:
        """Previous row matching the search."""
        self._jump(self._hits, forward=False, empty="No matches (/ to search).")

    # --- alignment corrections
    def _correctable(self) -> tuple[str, Translation, list[Bead], int] | None:
        """The translation corrections apply to (the first shown one) and the bead of the cursor row."""
        if not self.row_translations:
            self.notify("Show a translation first (w or c).", title="Alignment")
            return None
        tid = self.row_translations[0]
        row = self.rows[self.cursor]
        span = row.beads[0]
        if row.gap is not None or not span:
            self.notify("This row has no bead to correct.", title="Alignment")
            return None
        return tid, self.translation(tid), list(self.alignments[tid]), span.start

    def _apply(self, name: str, change: str) -> None:
        target = self._correctable()
        if target is None:
            return
        tid, translation, beads, k = target
        import sourcereader.core.alignment.beads as al

        try:
            if change == "merge_next":
                new = merge_next(beads, k)
            elif change == "split":
                b = beads[k]
                src_cut, tgt_cut = parallel_rows.split_cut(len(b.src), len(b.tgt))
                new = split_bead(beads, k, src_cut, tgt_cut)
            elif change == "verify":
                new = mark_verified(beads, k, not beads[k].verified)
            elif change.startswith("src"):
                new = move_src(beads, k, -1 if change.endswith("up") else 1)
            else:
                new = move_tgt(beads, k, -1 if change.endswith("up") else 1)
        except (IndexError, ValueError) as exc:
            self.notify(str(exc), title=f"Cannot {name}", severity="warning", markup=False)
            return
        al.check_cover(new, len(self.sentences), len(self.translation_sentences[tid]))
        self.undo_history.append(_AlignmentUndo(tid, beads))
        self._set_alignment(tid, new)

    def _set_alignment(self, tid: str, beads: list[Bead]) -> None:
        self.alignments = {**self.alignments, tid: beads}  # the rebuild keeps the cursor's sentence
        self.save_corrections(tid, beads)

    @work(thread=True, exit_on_error=False, group="save-alignment", description="Saving the alignment")
    def save_corrections(self, tid: str, beads: list[Bead]) -> None:
        """Persist a corrected alignment through the alignment module (its own store connection)."""
        try:
            with data.worker_store(self.store) as store:
                save_alignment(store, self.document, self.translation(tid), beads)
        except (StoreError, sqlite3.Error) as exc:
            what = f"The alignment correction ({self.translation(tid).meta.label})"
            reason = data.store_failure(self.store, exc)
            self.post_message(self.NotSaved(f"{what}, shown until you leave this document,", reason))

    def action_merge_next(self) -> None:
        """Merge the cursor row's bead with the next bead."""
        self._apply("merge", "merge_next")

    def action_split(self) -> None:
        """Split the cursor row's bead in two."""
        self._apply("split", "split")

    def action_verify(self) -> None:
        """Mark the cursor row's bead verified (or release it)."""
        self._apply("verify", "verify")

    def action_move_source(self, direction: int) -> None:
        """Move a source sentence of the cursor bead to the previous or next bead."""
        self._apply("move", "src-up" if direction < 0 else "src-down")

    def action_move_target(self, direction: int) -> None:
        """Move a translated sentence of the cursor bead to the previous or next bead."""
        self._apply("move", "tgt-up" if direction < 0 else "tgt-down")

    def action_undo(self) -> None:
        """Undo the last alignment correction or annotation change."""
        if not self.undo_history:
            self.notify("Nothing to undo.", title="Undo")
            return
        entry = self.undo_history.pop()
        if isinstance(entry, _AlignmentUndo):
            self._set_alignment(entry.tid, entry.beads)
        else:
            self.annotator.write(entry.revert, entry.description, None)

    # --- annotations (the Annotator does the work; the state and the undo history are here)
    def current_annotation(self) -> Annotation | None:
        """The selected annotation of the cursor row, if it has any."""
        found = self.row_annotations.get(self.cursor, ())
        if not found:
            return None
        return found[self.selected_annotation % len(found)]

    def action_annotate(self) -> None:
        """Annotate the cursor row: its sentences, one of them, or a span of one (chosen in the dialog)."""
        self.annotator.annotate()

    def action_next_annotation(self) -> None:
        """Select the next annotation of the cursor row."""
        self.annotator.select_next()

    def action_edit_annotation(self) -> None:
        """Edit the note, tags or colour of the selected annotation of the cursor row."""
        self.annotator.edit()

    def action_delete_annotation(self) -> None:
        """Delete the selected annotation of the cursor row (into the bin: u restores it)."""
        self.annotator.delete()

    def action_annotations(self) -> None:
        """Every annotation: filter, delete, and jump to one with Enter."""
        self.annotator.show_all()

    def action_export(self) -> None:
        """Export annotations (this document preselected) to a file."""
        self.annotator.export()

    def action_copy_excerpt(self) -> None:
        """Copy the cursor row as a citable Markdown excerpt (with its shown translations)."""
        self.annotator.copy_excerpt()

    @on(AnnotationsLoaded)
    def _annotations_loaded(self, message: AnnotationsLoaded) -> None:
        self.annotations = message.annotations
        self._place_annotations()
        self._make_view()
        self._update_provenance()
        if message.reanchored:
            self.notify(message.reanchored, title="The text changed; annotations re-anchored", markup=False)

    @on(AnnotationWritten)
    def _annotation_written(self, message: AnnotationWritten) -> None:
        # The worker that wrote reads the annotations again on its connection and posts them.
        if message.undo is not None:
            self.undo_history.append(message.undo)
        self.notify(message.message, title="Annotations", markup=False)
        self.post_message(AnnotationsChanged(message.document_id))

    @on(NotSaved)
    def _not_saved(self, message: NotSaved) -> None:
        """Say what was not saved and why, and where what the user wrote is (it is never dropped)."""
        text = f"{message.what} was not saved: {message.reason}."
        if message.kept is not None:
            text += (
                f" What you wrote is kept in {message.kept}; `sourcereader import-annotations "
                f"{message.kept}` adds it once the database is back."
            )
        elif message.unsaved:
            notes = " / ".join(d.note or d.highlight or ", ".join(d.tags) for d in message.unsaved)
            text += f" It could not be kept in a file either ({message.keep_error}). What you wrote: {notes}"
        self.notify(text, title="Not saved", severity="error", markup=False, timeout=60)

    @on(ExcerptReady)
    def _excerpt_ready(self, message: ExcerptReady) -> None:
        self.app.copy_to_clipboard(message.markdown)
        self.notify(
            f"{message.where} copied as a Markdown excerpt ({len(message.markdown.splitlines())} lines).",
            title="Copy",
            markup=False,
        )

    # --- claims (the Claimer does the work)
    def action_mark_claim(self) -> None:
        """Mark the cursor row of a secondary source (or words of it) as a claim."""
        self.claimer.mark_claim()

    def action_link_claim(self) -> None:
        """Link the cursor row of a primary document to a claim as evidence."""
        self.claimer.link_claim()

    def action_versions(self) -> None:
        """This secondary source side by side with another version of it."""
        self.claimer.versions()

    @on(ClaimsLoaded)
    def _claims_loaded(self, message: ClaimsLoaded) -> None:
        self.claimer.loaded(message)
        self._make_view()

    @on(ClaimWritten)
    def _claim_written(self, message: ClaimWritten) -> None:
        self.claimer.written(message)

    # --- other screens
    def action_witnesses(self) -> None:
        """The other records of this event, side by side with this one."""
        src = self.rows[self.cursor].src if len(self.rows) else range(0)
        self.post_message(OpenWitnesses(self.document.id, self.sentences[src.start].id if src else None))

    def go_to_sentence(self, text_id: str, sentence_id: str) -> None:
        """Put the cursor on the row holding a sentence of the source or of a translation."""
        from sourcereader.core.store.search import SOURCE_TEXT

        parallel = self.query_one(ParallelText)
        if text_id == SOURCE_TEXT:
            index = self.document.sentence(sentence_id).index
            parallel.go_to(self.rows.row_of_source(index))
            return
        if text_id not in self.row_translations:
            # Show that translation first; the jump happens when its alignment is loaded.
            self._pending_row = (text_id, sentence_id)
            if f"t:{text_id}" not in self.columns:
                keys = [k for k in self.columns if not k.startswith("t:")]
                keys.insert(1 if SOURCE_KEY in keys else 0, f"t:{text_id}")
                self.columns = tuple(keys)
            return
        index = self.translation(text_id).sentence(sentence_id).index
        parallel.go_to(self.rows.row_of_target(self.row_translations.index(text_id), index))


def _span_ids(sentences: Sequence[Sentence], span: range) -> str:
    """``s3`` or ``s3–s5`` for the sentences of ``span`` (only the two ends are looked at)."""
    return id_range(
        [sentences[span.start].id, sentences[span.stop - 1].id]
        if len(span) > 1
        else [sentences[span.start].id]
    )


def _no_extra_message(exc: ImportError) -> str:
    from sourcereader.core.translation.errors import missing_extra_message

    return missing_extra_message(exc.name or str(exc))
