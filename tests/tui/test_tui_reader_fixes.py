"""Pilot tests of issue 12's reader items: quitting, the current row drawn where actions act, highlight
colours, one definition of an unsure row, column layouts that persist, partial translations, and
the reader's writes when the database was moved away (issue 13)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input

from sourcereader.tui.screens.library import LibraryScreen
from sourcereader.tui.screens.reader import ReaderScreen
from sourcereader.tui.widgets.parallel_text import ParallelText
from tests.support.tui import SOVIET, app_for

SIZE = (120, 36)
pytestmark = pytest.mark.anyio


async def settle(app: Any, pilot: Any) -> None:
    """Wait until no worker runs and the screen is idle: a worker may start only once the messages the
    last wait let through are handled (a document opened from the library starts its own)."""
    from textual.worker import WorkerCancelled

    for _ in range(10):
        # An exclusive worker replaced by a newer one raises here: the loop waits for that one.
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def reader(app: Any) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def drawn_lines(text: ParallelText) -> list[Strip]:
    """The lines the widget has on screen now, as the compositor would get them: rendered through the
    widget's own line cache, so a line whose refresh was missed shows what it showed before."""
    width, height = text.size
    return text.render_lines(Region(0, 0, width, height))


def cursor_lines(text: ParallelText) -> list[int]:
    """Lines of the widget drawn with the cursor's background."""
    cursor = text.get_component_rich_style("parallel-text--cursor").bgcolor
    assert cursor is not None
    out = []
    for y, strip in enumerate(drawn_lines(text)):
        # The gutter's first cell carries the row's background.
        segments = [s for s in strip if s.text]
        style = segments[0].style if segments else None
        if isinstance(style, Style) and style.bgcolor is not None and _close(style.bgcolor, cursor):
            out.append(y)
    return out


def _close(a: Any, b: Any) -> bool:
    return bool(a.triplet is not None and b.triplet is not None and a.triplet == b.triplet)


# ---------------------------------------------------------------------------------------------- 12.1
async def test_q_in_the_library_quits(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


async def test_q_then_q_from_the_reader_leaves_the_program(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_then_q_quits_after_opening_a_document_by_typing_its_name(tmp_path: Path) -> None:
    # As a user does it: type in the library to filter, Enter, read, q, q. The filter box had the
    # focus back when the library returned, so the second q was typed into it ("…q": no match).
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1940-11-12-soviet", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_one("#filter", Input).value == "1940-11-12-soviet"  # the filter is kept
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# ---------------------------------------------------------------------------------------------- 12.2
async def test_the_cursor_stays_on_its_sentence_when_the_rows_change(tmp_path: Path) -> None:
    # The telegram's alignment adds a row (a translated line with no source) and merges s6 and s7:
    # showing the translation moved the rows under the cursor, which stayed at its row number, so an
    # alignment arriving while the user read (or a column shown) put them on another sentence.
    from sourcereader.core.store.search import SOURCE_TEXT
    from sourcereader.tui.screens.reader_view import SOURCE_KEY

    telegram = "1940-11-25-schulenburg-telegram"
    app = app_for(tmp_path, document_id=telegram)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        shown = screen.columns
        screen.choose_columns((SOURCE_KEY,))
        await settle(app, pilot)
        screen.go_to_sentence(SOURCE_TEXT, "s12")
        await pilot.pause()
        before = screen.cursor
        screen.choose_columns(shown)
        await settle(app, pilot)
        assert screen.cursor != before  # the rows did move
        assert screen.rows[screen.cursor].src == range(11, 12)  # s12 is still the current sentence


async def test_the_highlighted_row_is_the_current_row_at_the_end(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        text = screen.query_one(ParallelText)
        await pilot.press("G")
        await pilot.pause()
        assert text.top > 0  # the end of the document: the view is scrolled
        for _ in range(3):
            await pilot.press("k")
            await pilot.pause()
            rows = {k for k, _line in (text._visible_layout()[y] for y in cursor_lines(text))}
            assert rows == {text.cursor} and screen.cursor == text.cursor


async def test_search_hits_move_the_highlight_with_the_cursor(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        text = screen.query_one(ParallelText)
        await pilot.press("G")
        await pilot.press("slash", *"интерес", "enter")
        await pilot.pause()
        assert len(screen._hits) >= 3
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
            rows = {k for k, _line in (text._visible_layout()[y] for y in cursor_lines(text))}
            assert rows == {text.cursor} == {screen.cursor}


async def test_the_current_sentence_id_is_shown_at_80_columns(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        await pilot.press("G", "k", "k", "k")
        await pilot.pause()
        row = screen.rows[screen.cursor]
        shown = screen.query_one("#reader-position").render()
        sid = screen.sentences[row.src.start].id if row.src else row.gap.id  # type: ignore[union-attr]
        assert sid in str(shown)
        assert screen.query_one("#reader-position").region.right <= 80


# ---------------------------------------------------------------------------------------------- 12.4
async def test_l_visits_the_rows_the_panel_calls_unsure(tmp_path: Path) -> None:
    from sourcereader.core.alignment.beads import UNSURE_BELOW
    from sourcereader.tui.widgets.provenance import ProvenancePanel

    app = app_for(tmp_path, document_id=SOVIET)  # the real alignment: its beads are at 0.55–0.58
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        beads = screen.alignments["hse-answer-en"]
        assert any(b.confidence < UNSURE_BELOW and not b.verified for b in beads)
        await pilot.press("l")
        assert screen.cursor != 0 and screen.rows[screen.cursor].is_low()
        screen.flush_provenance()
        panel = str(screen.query_one(ProvenancePanel).query_one("#provenance-text").render())
        assert "unsure" in panel
        assert not [n for n in app._notifications if "No unsure" in n.message]


# ---------------------------------------------------------------------------------------------- 12.3
def _styled_text(text: ParallelText, component: str) -> str:
    """The characters drawn (now, through the widget's line cache) with a component's background."""
    colour = text.get_component_rich_style(component).bgcolor
    assert colour is not None
    found = []
    for strip in drawn_lines(text):
        for segment in strip:
            style = segment.style
            if isinstance(style, Style) and style.bgcolor is not None and _close(style.bgcolor, colour):
                found.append(segment.text)
    return "".join(found)


def _note(tmp_path: Path, sid: str, colour: str, span: tuple[int, int] | None = None) -> str:
    """A highlighted note on the Soviet record's sentence ``sid``, saved before the app starts; its text."""
    from sourcereader.core.annotations import AnnotationDraft, anchor_for
    from sourcereader.core.documents import Library
    from tests.support.tui import open_store

    store = open_store(tmp_path)
    document = Library.default(cache=store).document(SOVIET)
    anchor = anchor_for(document, [sid], span)
    store.add_annotation(AnnotationDraft(anchor, note="see", highlight=colour))
    store.close()
    return anchor.exact


async def test_highlight_colours_are_drawn_on_the_sentence_or_span(tmp_path: Path) -> None:
    whole = _note(tmp_path, "s2", "yellow")
    span = _note(tmp_path, "s3", "pink", (4, 19))
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        text = reader(app).query_one(ParallelText)
        yellow = _styled_text(text, "parallel-text--hl-yellow")
        pink = _styled_text(text, "parallel-text--hl-pink")
        assert yellow.replace(" ", "") == whole.replace(" ", "").replace("\n", "")
        assert pink == span


async def test_a_saved_highlight_shows_at_once_on_the_current_row(tmp_path: Path) -> None:
    from sourcereader.core.annotations import AnnotationDraft, anchor_for

    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        text = screen.query_one(ParallelText)
        await pilot.press("j")  # s1's row
        await pilot.pause()
        draft = AnnotationDraft(anchor_for(screen.document, ["s1"]), kind="highlight", highlight="green")
        # What the annotation dialog's save does: a write in a worker, then the row is redrawn.
        screen.annotator.write(lambda store: store.add_annotation(draft), "saved", None)
        await settle(app, pilot)
        await settle(app, pilot)
        green = _styled_text(text, "parallel-text--hl-green")
        assert green.replace(" ", "") == screen.sentences[0].text.replace(" ", "").replace("\n", "")
        assert screen.cursor == 1
        first = next(y for y, (k, line) in enumerate(text._visible_layout()) if k == 1 and line == 0)
        assert drawn_lines(text)[first].text[1] == "▌"  # the row's mark, drawn with it


# ---------------------------------------------------------------------------------------- 13 (lazy)
def _huge_document(tmp_path: Path, words: int) -> str:
    """A user document whose second paragraph is one sentence of ``words`` words, its segmentation in
    the store's cache (the reader is tested here, not the segmenter)."""
    from sourcereader.core.documents import Library, segmentation_key
    from tests.support.tui import open_store, write_user_document

    huge = " ".join(["слово", "договор", "переговоры"] * (words // 3))
    write_user_document("huge", f"First sentence.\n\n{huge}.\n\nLast sentence.", title="Huge")
    store = open_store(tmp_path)
    document = Library.default().document("huge")
    body = document.body
    rows: list[list[object]] = []
    for n, part in enumerate(("First sentence.", f"{huge}.", "Last sentence.")):
        start = body.index(part)
        rows.append(["s", start, start + len(part), n])
    store.put_segmentation(segmentation_key(body, document.language), rows)
    store.close()
    return huge


async def test_a_huge_sentence_is_wrapped_only_as_far_as_it_is_seen(tmp_path: Path) -> None:
    huge = _huge_document(tmp_path, 60_000)  # 470,000 characters: about 8,000 lines at this width
    app = app_for(tmp_path, document_id="huge")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        text = screen.query_one(ParallelText)
        assert len(screen.sentences) == 3 and screen.sentences[1].text == f"{huge}."
        height = text.scrollable_content_region.height
        (wrap,) = [c.wrap for c in text._row_layout(1).columns if c is not None]
        # Drawn: the first screen of it, and nothing more than the view's geometry asked for.
        assert not wrap.complete and wrap.known <= 2 * height + 2
        assert "слово договор" in "".join(text.render_line(y).text for y in range(height))
        await pilot.press("j", "pagedown", "pagedown")
        assert text.cursor == 1 and text.line_offset == 2 * height
        assert not wrap.complete and wrap.known <= 4 * height + 2
        await pilot.press("G")  # the last row: the huge one is still not wrapped to its end
        await pilot.pause()
        assert not wrap.complete
        await pilot.press("k")  # upward into it: its last screen is shown, so every line is found
        assert text.cursor == 1 and wrap.complete
        assert text.line_offset == wrap.known + 1 - height


# ---------------------------------------------------------------------------------------------- 12.5
async def test_column_choices_are_kept_per_document_and_as_the_default(tmp_path: Path) -> None:
    from sourcereader.tui.screens.columns import ColumnsDialog

    hse = "t:hse-answer-en"
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert reader(app).columns == ("source", hse)
        await pilot.press("c")
        assert isinstance(app.screen, ColumnsDialog)
        await pilot.press("down", "shift+up")  # the translation first
        await pilot.press("tab", "space")  # the box: also the default
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader(app).columns == (hse, "source")
    # A new run: the document opens as it was left, and another one with the default.
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert reader(app).columns == (hse, "source")
        await pilot.press("escape", *"schulenburg telegram", "enter")
        await settle(app, pilot)
        screen = reader(app)
        assert screen.document.id == "1940-11-25-schulenburg-telegram"
        assert screen.columns == ("t:nsr-1948-en", "source")


async def test_a_hidden_column_stays_hidden_after_a_restart(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c", "down", "space", "enter")  # hide the translation
        await settle(app, pilot)
        assert reader(app).columns == ("source",)
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert reader(app).columns == ("source",)


# --------------------------------------------------------------------------------------------- 12.11
async def test_t_without_a_model_leaves_a_hidden_mt_column_hidden(tmp_path: Path) -> None:
    from sourcereader.tui.screens.no_model import NoModelScreen
    from tests.support.tui import FakeTranslator

    app = app_for(tmp_path, document_id=SOVIET, translator=FakeTranslator(pairs=set()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        assert "mt" not in screen.columns
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, NoModelScreen)
        assert "mt" not in screen.columns


async def test_t_shows_the_translation_it_made_and_a_kept_layout_hides_cached_mt(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        await pilot.press("t")
        await settle(app, pilot)
        assert screen.columns[-1] == "mt" and len(screen.machine) == 26
        await pilot.press("c", "end", "space", "enter")  # hide the machine translation again
        await settle(app, pilot)
        assert "mt" not in screen.columns
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        assert len(screen.machine) == 26 and "mt" not in screen.columns


# --------------------------------------------------------------------------------------------- 12.12
async def test_a_partial_translation_says_so_and_t_goes_to_it(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        view = screen.view
        assert view is not None
        assert view.columns[1].warning == "covers s18–s21 only · T goes there"
        header = screen.query_one("#column-header").render_line(0).text
        assert "covers s18–s21 only" in header
        assert screen.cursor == 0
        await pilot.press("T")
        row = screen.rows[screen.cursor]
        assert screen.sentences[row.src.start].id == "s18" and row.tgt[0]


# ---------------------------------------------------------------------------- 13 (moved database)
def _messages(app: Any, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def test_writes_after_the_database_was_moved_are_reported_and_notes_kept(tmp_path: Path) -> None:
    import json

    from sourcereader.core.annotations import AnnotationDraft, anchor_for
    from sourcereader.core.export import from_w3c
    from sourcereader.tui.screens.annotate import AnnotationDialog

    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = reader(app)
        screen.query_one(ParallelText).go_to(screen.rows.row_of_source(17))  # s18, translated
        await pilot.pause()
        database = tmp_path / "test.db"
        database.rename(tmp_path / "moved.db")
        # A note: the dialog returns it, the save fails, the note is kept in a file import-annotations reads.
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AnnotationDialog)
        draft = AnnotationDraft(anchor_for(screen.document, ["s18"]), note="written while it moved")
        dialog.dismiss(draft)
        await settle(app, pilot)
        (failure,) = _messages(app, "Not saved")
        assert "The annotation on s18 was not saved" in failure and "moved" in failure
        kept = Path(failure.split("kept in ")[1].split("; ")[0])
        assert from_w3c(json.loads(kept.read_text(encoding="utf-8")))[0].note == "written while it moved"
        # An alignment correction and the column layout: said so, nothing pretended saved.
        await pilot.press("v")
        await pilot.press("c", "enter")
        await settle(app, pilot)
        failures = _messages(app, "Not saved")
        assert any(m.startswith("The alignment correction") for m in failures)
        assert any(m.startswith("The column layout") for m in failures)
        # A translation run: stopped with the reason.
        await pilot.press("t")
        await settle(app, pilot)
        assert any("not saved" in m and "moved" in m for m in _messages(app, "Machine translation failed"))
        assert not database.exists()  # no new, empty database where the old one was


async def test_the_columns_dialog_shows_hidden_columns_without_colour(tmp_path: Path) -> None:
    # The list drew an X beside hidden columns too (dimmer): the machine translation column, hidden
    # while there is no model, looked shown.
    from textual.widgets import SelectionList

    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        listing = app.screen.query_one("#columns-list", SelectionList)
        lines = [listing.render_line(y).text for y in range(listing.option_count)]
        assert "Source (ru)" in lines[0] and "▐✓▌" in lines[0]
        assert "Machine translation" in lines[-1] and "▐ ▌" in lines[-1]
