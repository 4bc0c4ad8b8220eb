"""Pilot tests of annotating in the reader: a, E, d, u, o, N, e, y, the marks, the panel and the counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea

from sourcereader.core.annotations import AnnotationDraft, anchor_for
from sourcereader.tui.app import SourceReaderApp
from sourcereader.tui.messages import AnnotationsChanged
from sourcereader.tui.screens.annotate import AnnotationDialog
from sourcereader.tui.screens.annotations import AnnotationsScreen
from sourcereader.tui.screens.export import ExportDialog
from sourcereader.tui.screens.library import LibraryScreen
from sourcereader.tui.screens.reader import ReaderScreen
from sourcereader.tui.widgets.parallel_text import ParallelText
from tests.support.tui import GERMAN, HSE, SOVIET, app_for

SIZE = (120, 36)
pytestmark = pytest.mark.anyio


def reader(app: App[None]) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def settled(app: App[None]) -> None:
    """Wait for every worker, then for the messages they posted."""
    await app.workers.wait_for_complete()
    await app.workers.wait_for_complete()  # a handler may start another worker (reload after a write)


def panel_text(screen: ReaderScreen) -> str:
    screen.flush_provenance()
    return str(screen.query_one("#provenance-text", Static).render())


def annotate(app: SourceReaderApp, document_id: str, sentence_ids: list[str], note: str) -> int:
    """An annotation saved before the app runs (through the app's own store)."""
    document = app.library.document(document_id)
    return app.store.add_annotation(
        AnnotationDraft(anchor_for(document, sentence_ids), kind="note", note=note)
    ).id


async def at_source(pilot: Pilot[None], index: int) -> ReaderScreen:
    """The reader with its cursor on the row of source sentence ``index``, everything loaded."""
    await settled(pilot.app)
    screen = reader(pilot.app)
    screen.query_one(ParallelText).go_to(screen.rows.row_of_source(index))
    await pilot.pause()  # the screen learns of the move from the widget's message
    assert screen.cursor == screen.rows.row_of_source(index)
    return screen


async def test_annotate_a_row_marks_it_and_counts_it(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_source(pilot, 17)
        row = screen.cursor
        assert row not in (screen.view.marks if screen.view else {})
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AnnotationDialog)
        # The row's sentences in the source and in the HSE answer can be chosen.
        labels = [t.label for t in dialog.targets]
        assert labels[0].startswith("source s18") and any(label.startswith("the author") for label in labels)
        await pilot.press(*"Четвёртый партнёр?", "ctrl+s")
        await settled(app)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        [saved] = app.store.annotations(document_id=SOVIET)
        assert saved.sentence_ids == ("s18",) and saved.note == "Четвёртый партнёр?"
        assert screen.view is not None and screen.view.marks[row] == "✎"
        assert "Четвёртый партнёр?" in panel_text(screen)
        await pilot.press("escape")
        library = app.screen
        assert isinstance(library, LibraryScreen)
        listing = library.query_one("#documents", OptionList)
        assert any(str(o.prompt).endswith("· 1 note") for o in listing.options)


async def test_annotate_a_span_chosen_with_the_keyboard(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await at_source(pilot, 17)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AnnotationDialog)
        dialog.query_one("#span", TextArea).focus()
        # "... Гитлер": past the dots and the space, then select the name.
        await pilot.press(*["right"] * 4, *["shift+right"] * 6)
        dialog.query_one("#kind", Select).value = "highlight"
        dialog.query_one("#highlight", Select).value = "yellow"
        await pilot.press("ctrl+s")
        await settled(app)
    [saved] = app.store.annotations(document_id=SOVIET)
    assert saved.anchor.span == (4, 10) and saved.anchor.exact == "Гитлер" and saved.highlight == "yellow"


async def test_annotate_a_translated_sentence(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_source(pilot, 20)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AnnotationDialog)
        choice = next(n for n, t in enumerate(dialog.targets) if t.text.id == HSE)
        dialog.query_one("#target", Select).value = choice
        await pilot.press(*"fourth partner", "ctrl+s")
        await settled(app)
        await pilot.pause()
        [saved] = app.store.annotations(document_id=SOVIET)
        assert saved.translation_id == HSE and saved.sentence_ids == ("s4",)
        assert screen.view is not None and screen.cursor in screen.view.marks


async def test_edit_delete_and_undo(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    first = annotate(app, SOVIET, ["s19"], "first")
    second = annotate(app, SOVIET, ["s19"], "second")
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_source(pilot, 18)
        assert [a.id for a in screen.row_annotations[screen.cursor]] == [first, second]
        await pilot.press("o")  # select the second
        await pilot.press("E")
        dialog = app.screen
        assert isinstance(dialog, AnnotationDialog)
        dialog.query_one("#note", TextArea).load_text("second, edited")
        await pilot.press("ctrl+s")
        await settled(app)
        assert app.store.annotation(second).note == "second, edited"
        await pilot.press("d")  # the edited one is still the selected one
        await settled(app)
        assert app.store.annotation_counts().get(SOVIET) == 1
        assert [a.id for a in screen.row_annotations[screen.cursor]] == [first]
        await pilot.press("d")
        await settled(app)
        await pilot.pause()
        assert SOVIET not in app.store.annotation_counts()
        assert screen.view is not None and screen.cursor not in screen.view.marks
        await pilot.press("u")  # restores the first
        await settled(app)
        await pilot.press("u")  # restores the second
        await settled(app)
        await pilot.press("u")  # takes the edit back
        await settled(app)
        await pilot.pause()
        assert app.store.annotation_counts().get(SOVIET) == 2
        assert app.store.annotation(second).note == "second"
        assert screen.view is not None and screen.view.marks[screen.cursor] == "✎"
        await pilot.press("u")  # nothing left
        assert any("Nothing to undo" in n.message for n in app._notifications)


async def test_annotations_screen_jumps_to_the_sentence(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    annotate(app, SOVIET, ["s21"], "here")
    annotate(app, GERMAN, ["s3"], "there")
    async with app.run_test(size=SIZE) as pilot:
        await settled(app)
        await pilot.press("N")
        assert isinstance(app.screen, AnnotationsScreen)
        await settled(app)  # the list is read in a worker
        await pilot.pause()
        await pilot.press("enter")  # the first row: the German record's (date order, then id)
        await settled(app)
        await pilot.pause()
        screen = reader(app)
        first = screen.document.id
        index = screen.document.sentence("s3" if first == GERMAN else "s21").index
        assert screen.rows[screen.cursor].src.start == index
        await pilot.press("N")
        await settled(app)
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # from the filter box to the list, then its second row
        await settled(app)
        await pilot.pause()
        screen = reader(app)
        assert screen.document.id != first
        index = screen.document.sentence("s3" if screen.document.id == GERMAN else "s21").index
        assert screen.rows[screen.cursor].src.start == index


async def test_deleting_in_the_list_redraws_the_library_counts(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    annotate(app, SOVIET, ["s21"], "here")
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settled(app)
        [library] = [s for s in app.screen_stack if isinstance(s, LibraryScreen)]

        def soviet_prompt() -> str:
            options = library.query_one("#documents", OptionList).options
            return next(str(o.prompt) for o in options if o.id == SOVIET)

        assert soviet_prompt().endswith("· 1 note")
        await pilot.press("N")
        assert isinstance(app.screen, AnnotationsScreen)
        await settled(app)  # the list is read in a worker
        await pilot.pause()
        # d deletes on the list (typed into the filter box, where the list opens, it is a letter); the
        # delete is written in a worker, which tells the app
        await pilot.press("down", "d")
        await settled(app)
        await pilot.pause()
        assert isinstance(app.screen, AnnotationsScreen) and app.store.annotation_counts().get(SOVIET, 0) == 0
        assert soviet_prompt().endswith("· 0 notes")
    assert any(isinstance(m, AnnotationsChanged) and m.document_id == SOVIET for m in messages)


async def test_export_writes_the_file(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    annotate(app, SOVIET, ["s21"], "the offer")
    target = tmp_path / "excerpts.md"
    async with app.run_test(size=SIZE) as pilot:
        await settled(app)
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any(str(target) in n.message for n in app._notifications)
    text = target.read_text(encoding="utf-8")
    assert "the offer" in text and "четвертому партнеру" in text and "He, Hitler, invites" in text


async def test_copy_the_row_as_an_excerpt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await at_source(pilot, 20)
        await pilot.press("y")
        await settled(app)
        await pilot.pause()
        gap_row = 0  # the document opens with a FRAGMENT marker
        reader(app).query_one(ParallelText).go_to(gap_row)
        await pilot.press("y")  # a gap: nothing copied, a notification
        await settled(app)
    [markdown] = copied
    assert markdown.startswith("## ") and "### s21 · excerpt" in markdown
    assert "> Он, Гитлер, предлагает Советскому Союзу" in markdown
    assert "> He, Hitler, invites the Soviet Union" in markdown
    assert "Cite: " in markdown and "sentences s21" in markdown


async def test_the_dialog_save_key_can_be_remapped(tmp_path: Path) -> None:
    # The annotation dialog's keys are in the one table: keys.toml remaps them by id like any other.
    from sourcereader import locations

    (locations.config_dir() / "keys.toml").write_text('[keys]\nannotation_save = "f5"\n', encoding="utf-8")
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await at_source(pilot, 17)
        await pilot.press("a")
        assert isinstance(app.screen, AnnotationDialog)
        await pilot.press(*"remapped", "f5")
        await settled(app)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        [saved] = app.store.annotations(document_id=SOVIET)
        assert saved.note == "remapped"
        assert not [n.message for n in app._notifications if "keys.toml" in n.message]
