"""The reader's annotation actions and the workers behind them.

``a`` annotates the cursor row (the row, one of its sentences, or a span of one), ``o`` selects
the row's next annotation, ``E``/``d`` edit or delete the selected one, ``N`` lists them all,
``e`` exports and ``y`` copies the row as a Markdown excerpt. :class:`Annotator` does that work
for a :class:`~sourcereader.tui.screens.reader.ReaderScreen`, which owns the state it reads
(rows, cursor, the document's annotations) and the one undo history, binds the keys and handles
the messages the workers post:

- :class:`AnnotationsLoaded` once the document's annotations are read (re-anchored, the first time);
- :class:`AnnotationWritten` after every write, with the undo that takes it back;
- :class:`ExcerptReady` when a row's excerpt is rendered.

Every read and write runs in a thread worker of the screen with its own store connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sourcereader.core.annotations import Annotation, AnnotationDraft, AnnotationError
from sourcereader.core.documents import Document, Sentence, Translation, id_range
from sourcereader.core.errors import StoreError
from sourcereader.core.parallel_rows import excerpt_markdown
from sourcereader.tui import data
from sourcereader.tui.messages import (
    AnnotationsLoaded,
    AnnotationUndo,
    AnnotationWritten,
    ExcerptReady,
    OpenDocument,
)
from sourcereader.tui.widgets.parallel_text import display_text

if TYPE_CHECKING:
    from sourcereader.core.alignment.beads import Bead
    from sourcereader.core.store import Store
    from sourcereader.tui.screens.annotate import Target
    from sourcereader.tui.screens.reader import ReaderScreen


class Annotator:
    """The annotation actions of one reader screen, and their workers (which run on the screen)."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        """The reader whose state the actions read and whose workers they start."""
        self._reanchored = False

    # ------------------------------------------------------------------ workers
    def load(self) -> None:
        """Read the document's annotations in a thread; the first time, re-anchor them to the current text."""
        self.screen.run_worker(
            self._load,
            name="load_annotations",
            group="annotations",
            description="Reading notes",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _load(self) -> None:
        screen = self.screen
        reanchor = not self._reanchored
        with data.worker_store(screen.store) as store:
            found, summary = data.document_annotations(
                store, screen.library, screen.document.id, reanchor=reanchor
            )
        self._reanchored = True
        screen.post_message(AnnotationsLoaded(screen.document.id, found, summary))

    def write(
        self,
        change: Callable[[Store], object],
        message: str,
        undo_for: Callable[[object], AnnotationUndo] | None,
        *,
        what: str = "The annotation change",
        unsaved: Sequence[AnnotationDraft] = (),
    ) -> None:
        """Apply ``change`` to the store in a thread with its own connection (one durable transaction),
        then read the document's annotations again on that connection (one round trip, not two).

        ``undo_for`` makes the undo from what ``change`` returned (a new annotation's id is known only
        then); None for a write that is itself an undo. When the database cannot take the write (moved
        away, full, read-only) the reader is told, as ``what`` was not saved, and ``unsaved`` (what the
        user wrote) is kept in a file that ``import-annotations`` reads.
        """
        self.screen.run_worker(
            partial(self._write, change, message, undo_for, what, tuple(unsaved)),
            name="write_annotation",
            group="annotation-write",
            description="Saving the annotation",
            thread=True,
            exit_on_error=False,
        )

    def _write(
        self,
        change: Callable[[Store], object],
        message: str,
        undo_for: Callable[[object], AnnotationUndo] | None,
        what: str,
        unsaved: tuple[AnnotationDraft, ...],
    ) -> None:
        screen = self.screen
        document_id = screen.document.id
        try:
            with data.worker_store(screen.store) as store:
                try:
                    result = change(store)
                except AnnotationError as exc:
                    screen.post_message(AnnotationWritten(document_id, f"Not saved: {exc}"))
                    return
                found = tuple(store.annotations(document_id=document_id))
        except (StoreError, sqlite3.Error) as exc:
            reason = data.store_failure(screen.store, exc)
            kept: Path | None = None
            keep_error = ""
            if unsaved:
                from sourcereader.tui.recovery import keep_unsaved

                try:
                    kept = keep_unsaved(unsaved, reason)
                except OSError as error:
                    keep_error = str(error)
            screen.post_message(screen.NotSaved(what, reason, kept, keep_error, unsaved))
            return
        undo = undo_for(result) if undo_for is not None else None
        screen.post_message(AnnotationWritten(document_id, message, undo))
        screen.post_message(AnnotationsLoaded(document_id, found))

    # ------------------------------------------------------------------ a: annotate
    def row_targets(self) -> list[Target]:
        """What ``a`` may annotate on the cursor row: its sentences together, then one by one, in the
        source and in each shown translation."""
        from sourcereader.tui.screens.annotate import Target

        screen = self.screen
        row = screen.rows[screen.cursor]
        groups: list[tuple[str, Document | Translation, list[Sentence]]] = []
        if row.src:
            groups.append(("source", screen.document, [screen.sentences[i] for i in row.src]))
        for position, tid in enumerate(screen.row_translations):
            ts = screen.translation_sentences[tid]
            if row.tgt[position]:
                groups.append(
                    (
                        screen.translation(tid).meta.label,
                        screen.translation(tid),
                        [ts[j] for j in row.tgt[position]],
                    )
                )
        targets: list[Target] = []
        for label, text, sentences in groups:
            ids = tuple(s.id for s in sentences)
            span = id_range(ids)
            if len(ids) > 1:
                targets.append(Target(f"{label} {span} (whole row)", text, ids))
            for sentence in sentences:
                excerpt = display_text(sentence.text[:200])  # a sentence may be megabytes long
                excerpt = excerpt if len(excerpt) <= 48 else excerpt[:47] + "…"
                targets.append(Target(f"{label} {sentence.id}: {excerpt}", text, (sentence.id,)))
        return targets

    def _translation_choices(self) -> list[tuple[str, str]]:
        return [(t.id, t.meta.label) for t in self.screen.entry.translations]

    def annotate(self) -> None:
        """Annotate the cursor row: its sentences, one of them, or a span of one (chosen in the dialog)."""
        from sourcereader.tui.screens.annotate import AnnotationDialog

        screen = self.screen
        if not len(screen.rows) or screen.rows[screen.cursor].gap is not None:
            screen.notify("A gap has no text to annotate.", title="Annotate")
            return
        targets = self.row_targets()
        row = screen.rows[screen.cursor]

        def chosen(draft: AnnotationDraft | None) -> None:
            if draft is None:
                return
            if draft.kind == "relation":
                # Record the bead's sentences in each compared translation shown here, for the export.
                compared: dict[str, tuple[str, ...]] = {}
                for position, tid in enumerate(screen.row_translations):
                    if tid in draft.compared:
                        ts = screen.translation_sentences[tid]
                        compared[tid] = tuple(ts[j].id for j in row.tgt[position])
                draft = replace(draft, compared_sentences=compared)
            saved = draft

            def undo_add(added: object) -> AnnotationUndo:
                assert isinstance(added, Annotation)
                return AnnotationUndo(
                    f"Annotation {added.id} removed.", lambda store: store.delete_annotation(added.id)
                )

            self.write(
                lambda store: store.add_annotation(saved),
                f"Annotation saved on {draft.anchor.describe()}.",
                undo_add,
                what=f"The annotation on {draft.anchor.describe()}",
                unsaved=(saved,),
            )

        screen.app.push_screen(
            AnnotationDialog(
                targets[0].anchor(),
                existing_tags=screen.store.tags(),
                translations=self._translation_choices(),
                targets=targets,
            ),
            chosen,
        )

    # ------------------------------------------------------------------ o, E, d: the row's annotations
    def select_next(self) -> None:
        """Select the next annotation of the cursor row."""
        screen = self.screen
        found = screen.row_annotations.get(screen.cursor, ())
        if len(found) < 2:
            return
        screen.selected_annotation = (screen.selected_annotation + 1) % len(found)
        screen.flush_provenance()

    def edit(self) -> None:
        """Edit the note, tags or colour of the selected annotation of the cursor row."""
        from sourcereader.tui.screens.annotate import AnnotationDialog

        screen = self.screen
        old = screen.current_annotation()
        if old is None:
            screen.notify("This row has no annotation (a adds one).", title="Annotations")
            return

        def chosen(draft: AnnotationDraft | None) -> None:
            if draft is None:
                return

            def update(store: Store) -> object:
                return store.update_annotation(
                    old.id, note=draft.note or "", tags=draft.tags, highlight=draft.highlight or ""
                )

            def revert(store: Store) -> object:
                return store.update_annotation(
                    old.id, note=old.note or "", tags=old.tags, highlight=old.highlight or ""
                )

            # What is kept if the edit cannot be saved: the annotation as edited (imported, a new one).
            edited = replace(draft, anchor=old.anchor, kind=old.kind)
            self.write(
                update,
                f"Annotation {old.id} changed.",
                lambda _: AnnotationUndo(f"Annotation {old.id} changed back.", revert),
                what=f"The change to annotation {old.id}",
                unsaved=(edited,),
            )

        screen.app.push_screen(
            AnnotationDialog(
                old.anchor,
                annotation=old,
                existing_tags=screen.store.tags(),
                translations=self._translation_choices(),
            ),
            chosen,
        )

    def delete(self) -> None:
        """Delete the selected annotation of the cursor row (into the bin: u restores it)."""
        old = self.screen.current_annotation()
        if old is None:
            self.screen.notify("This row has no annotation.", title="Annotations")
            return
        self.write(
            lambda store: store.delete_annotation(old.id),
            f"Annotation {old.id} deleted; u undoes.",
            lambda _: AnnotationUndo(
                f"Annotation {old.id} restored.", lambda store: store.restore_annotation(old.id)
            ),
            what=f"The deletion of annotation {old.id}",
        )

    # ------------------------------------------------------------------ N, e: every annotation
    def show_all(self) -> None:
        """Every annotation: filter, delete, and jump to one with Enter (in another document too)."""
        from sourcereader.tui.screens.annotations import AnnotationsScreen

        screen = self.screen
        library = screen.library
        titles = {e.document.id: e.document.meta.title for e in library}

        def chosen(target: tuple[str, str, str] | None) -> None:
            # The list announces its own deletes and restores (the counts); the marks are read again.
            self.load()
            if target is None:
                return
            document_id, text_id, sentence_id = target
            if document_id == screen.document.id:
                try:
                    screen.go_to_sentence(text_id, sentence_id)
                except (KeyError, IndexError):
                    screen.notify(f"{sentence_id} is no longer in the text.", title="Annotations")
            elif document_id in library:
                screen.post_message(OpenDocument(document_id, (text_id, sentence_id)))
            else:
                screen.notify(f"{document_id} is not in the library.", title="Annotations", markup=False)

        screen.app.push_screen(AnnotationsScreen(screen.store, titles=titles), chosen)

    def export(self) -> None:
        """Export annotations (this document preselected) to a file."""
        from sourcereader.tui.screens.export import ExportDialog

        screen = self.screen

        def written(path: object) -> None:
            if path is not None:
                screen.notify(f"Wrote {path}", title="Export", markup=False)

        screen.app.push_screen(
            ExportDialog(screen.store, screen.library, document_id=screen.document.id), written
        )

    # ------------------------------------------------------------------ y: copy an excerpt
    def copy_excerpt(self) -> None:
        """Copy the cursor row as a citable Markdown excerpt (with its shown translations)."""
        screen = self.screen
        if not len(screen.rows) or screen.rows[screen.cursor].gap is not None:
            screen.notify("A gap has no text to copy.", title="Copy")
            return
        row = screen.rows[screen.cursor]
        shown = [screen.translation(tid) for tid in screen.row_translations]
        text: Document | Translation = screen.document
        ids = [screen.sentences[i].id for i in row.src]
        if not ids:
            # A row only a translation has: the excerpt is of that translation's sentences.
            position = next(k for k, span in enumerate(row.tgt) if span)
            text = shown[position]
            ids = [screen.translation_sentences[text.id][j].id for j in row.tgt[position]]
        beads = {t.id: screen.alignments[t.id] for t in shown}
        screen.run_worker(
            partial(self._render_excerpt, text, ids, shown, beads),
            name="render_excerpt",
            group="copy",
            description="Copying the excerpt",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _render_excerpt(
        self,
        text: Document | Translation,
        ids: list[str],
        shown: list[Translation],
        beads: Mapping[str, Sequence[Bead]],
    ) -> None:
        """Render the excerpt in a thread (the exporter indexes the whole document)."""
        markdown = excerpt_markdown(text, ids, self.screen.document, shown, beads)
        self.screen.post_message(ExcerptReady(markdown, id_range(ids)))
