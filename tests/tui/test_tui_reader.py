"""Pilot tests: every key of the reader, driven headless, asserting on state, screens and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input

from sourcereader.core.documents import Library
from sourcereader.tui.app import make_app
from sourcereader.tui.messages import OpenDocument, OpenWitnesses, ShowLibrary
from sourcereader.tui.screens.columns import ColumnsDialog
from sourcereader.tui.screens.help import HelpScreen
from sourcereader.tui.screens.library import LibraryScreen
from sourcereader.tui.screens.no_model import NoModelScreen
from sourcereader.tui.screens.reader import MT_KEY, ReaderScreen
from sourcereader.tui.screens.search import SearchScreen
from sourcereader.tui.screens.witnesses import WitnessesScreen
from sourcereader.tui.widgets.parallel_text import ParallelText
from tests.support.tui import (
    GERMAN,
    HSE,
    SOVIET,
    FakeTranslator,
    app_for,
    fixed_alignments,
    open_store,
    write_user_document,
)

SIZE = (120, 36)
pytestmark = pytest.mark.anyio


@pytest.fixture
def hand_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand alignment with an unsure and a verified bead (the other tests use the real aligner)."""
    fixed_alignments(monkeypatch)


def reader(app: object) -> ReaderScreen:
    from textual.app import App

    assert isinstance(app, App)
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def test_navigation_keys(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        text = screen.query_one(ParallelText)
        assert app.focused is text
        assert screen.rows[0].gap is not None  # the document opens with a FRAGMENT marker
        await pilot.press("j", "j", "down")
        assert text.cursor == 3 and screen.cursor == 3
        await pilot.press("k", "up")
        assert text.cursor == 1
        await pilot.press("G")
        assert text.cursor == len(screen.rows) - 1
        await pilot.press("g")
        assert text.cursor == 0
        await pilot.press("ctrl+d")
        half = text.cursor
        assert half > 0
        await pilot.press("ctrl+u")
        assert text.cursor == 0
        await pilot.press("pagedown")
        assert text.cursor > half
        await pilot.press("pageup")
        assert text.cursor == 0
        await pilot.press("end")
        assert text.cursor == len(screen.rows) - 1
        await pilot.press("home")
        assert text.cursor == 0
        moved = [m for m in messages if isinstance(m, ParallelText.CursorMoved)]
        assert moved and moved[-1].row == 0


async def test_click_and_wheel(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = reader(app).query_one(ParallelText)
        row = text.row_at(5)
        assert row is not None and row > 0
        await pilot.click(ParallelText, offset=(10, 5))
        assert text.cursor == row
        from textual.events import MouseScrollDown

        for _ in range(3):
            text.post_message(MouseScrollDown(text, 10, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert text.top > 0


async def test_the_real_alignment_pairs_the_translated_fragment(tmp_path: Path) -> None:
    # The HSE answer renders s18–s21 one sentence each; the reader shows them as four rows, and
    # every other source sentence has a row with an empty translation cell.
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        assert len(screen.sentences) == 26
        translated = [(list(r.src), list(r.tgt[0])) for r in screen.rows.rows if r.tgt and r.tgt[0]]
        assert translated == [([17], [0]), ([18], [1]), ([19], [2]), ([20], [3])]
        assert [screen.sentences[i].id for i in range(17, 21)] == ["s18", "s19", "s20", "s21"]


@pytest.mark.usefixtures("hand_aligned")
async def test_low_confidence_jump_and_marks(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        await pilot.press("l")
        row = screen.rows[screen.cursor]
        assert row.is_low() and list(row.src) == [18]
        await pilot.press("l")  # the only unsure row: wraps around to itself
        assert list(screen.rows[screen.cursor].src) == [18]
        await pilot.press("L")
        assert list(screen.rows[screen.cursor].src) == [18]


@pytest.mark.usefixtures("hand_aligned")
async def test_alignment_corrections_and_undo(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        text = screen.query_one(ParallelText)
        text.go_to(screen.rows.row_of_source(17))
        await pilot.pause()
        before = list(screen.alignments[HSE])
        await pilot.press("m")  # source 17 ↔ target 0 plus 18 ↔ 1 → one verified bead
        beads = screen.alignments[HSE]
        assert len(beads) == len(before) - 1
        merged = screen.rows[screen.cursor]
        assert list(merged.src) == [17, 18] and list(merged.tgt[0]) == [0, 1] and merged.verified
        await pilot.press("s")  # split it again: first source with first target
        assert [list(r.src) for r in screen.rows.rows[screen.cursor : screen.cursor + 2]] == [[17], [18]]
        await pilot.press("right_square_bracket")  # last translated sentence of 17 → next bead
        assert list(screen.rows[screen.rows.row_of_source(18)].tgt[0]) == [0, 1]
        await pilot.press("left_square_bracket")
        await pilot.press("right_curly_bracket")
        await pilot.press("left_curly_bracket")
        await pilot.press("v")
        for _ in range(7):
            await pilot.press("u")
        assert screen.alignments[HSE] == before
        await pilot.press("u")  # nothing left: a notification, no change
        assert screen.alignments[HSE] == before


async def test_correction_that_cannot_apply_is_refused(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        await pilot.press("m")  # the first row is a gap
        assert screen.alignments[HSE] == screen.alignments[HSE]
        assert any("no bead" in n.message for n in app._notifications)


async def test_columns_dialog_next_translation_and_provenance(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        assert screen.columns == ("source", f"t:{HSE}")
        await pilot.press("c")
        assert isinstance(app.screen, ColumnsDialog)
        await pilot.press("space")  # untick the source (highlighted first)
        await pilot.press("down", "shift+up")  # move the translation first
        await pilot.press("enter")
        assert app.screen_stack[-1] is screen
        assert list(screen.columns) == [f"t:{HSE}"]
        await pilot.press("c", "escape")
        assert list(screen.columns) == [f"t:{HSE}"]
        await pilot.press("w")  # one translation only: stays
        assert list(screen.columns) == [f"t:{HSE}"]
        assert not screen.has_class("-hide-provenance")
        await pilot.press("i")
        assert screen.has_class("-hide-provenance")
        await pilot.press("i")
        assert not screen.has_class("-hide-provenance")


async def test_find_in_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcereader.tui.screens import reader as reader_module

    # A pause no test reaches: the search runs only when Enter asks for it.
    monkeypatch.setattr(reader_module, "FIND_DELAY", 600.0)
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        await pilot.press("slash")
        find = screen.query_one("#find", Input)
        assert app.focused is find
        await pilot.press(*"гитлер")
        # Debounced: nothing is searched while typing goes on; Enter searches at once.
        assert screen._hits == [] and screen.find_query == "гитлер"
        await pilot.press("enter")
        hits = list(screen._hits)
        assert len(hits) >= 3
        assert screen.cursor == hits[0]
        assert screen.query_one(ParallelText).highlight == "гитлер"
        assert isinstance(app.focused, ParallelText) and not find.display
        await pilot.press("n")
        assert screen.cursor == hits[1]
        await pilot.press("p", "p")
        assert screen.cursor == hits[-1]
        await pilot.press("slash", "escape")
        assert not find.display and isinstance(app.screen, ReaderScreen)


async def test_machine_translation_fills_rows(tmp_path: Path) -> None:
    translator = FakeTranslator()
    app = app_for(tmp_path, document_id=SOVIET, translator=translator)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        await pilot.press("t")
        assert MT_KEY in screen.columns
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.translating
        assert len(screen.machine) == len(screen.sentences) == 26
        view = screen.view
        assert view is not None
        row = screen.rows[screen.rows.row_of_source(0)]
        assert view.cells(row)[-1].text.startswith("EN(")
        spec = view.columns[-1]
        assert "translate-ru_en" in spec.title and not spec.warning
        await pilot.press("t")  # everything cached: nothing more to translate
        await app.workers.wait_for_complete()
        assert translator.calls == 1


async def test_synthetic_model_is_flagged(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET, translator=FakeTranslator(synthetic=True))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = reader(app).view
        assert view is not None
        assert "NOT A TRANSLATION" in view.columns[-1].warning
        row = view.rows[view.rows.row_of_source(0)]
        assert view.cells(row)[-1].state == "synthetic"


async def test_no_model_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET, translator=FakeTranslator(pairs=set()))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoModelScreen)
        assert "translate-ru_en" in app.screen.message
        assert "sourcereader models install ru en" in app.screen.message
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        assert not reader(app).translating


async def test_cancel_translation_keeps_what_is_done(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        screen = reader(app)
        await pilot.press("x")  # not translating: nothing happens
        assert not screen.translating
        await pilot.press("t", "x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.translating


async def test_help_and_palette(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        from sourcereader.tui.commands import screen_commands

        ids = {b.id for b, _node in screen_commands(app.screen, app)}
        assert {"merge_next", "translate", "down", "help", "next_low_confidence"} <= ids
        await pilot.press("ctrl+p")
        await pilot.press(*"merge")
        await pilot.pause(0.3)
        await pilot.press("escape", "escape")


async def test_back_to_library_and_open_another(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press(*"german record")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert reader(app).document.id == GERMAN
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)


async def test_screens_ask_the_app_with_messages(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await pilot.press(*"german record", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reader(app).document.id == GERMAN
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, WitnessesScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    # A message is seen once by each node it bubbles through: keep the first sighting.
    asked = {id(m): m for m in messages if isinstance(m, (OpenDocument, OpenWitnesses, ShowLibrary))}
    assert list(asked.values()) == [OpenDocument(GERMAN), OpenWitnesses(GERMAN), ShowLibrary()]


async def test_library_search_jumps_to_the_sentence(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"четвертому партнеру")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.hits and app.screen.hits[0].document_id == SOVIET
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        assert list(screen.rows[screen.cursor].src) == [20]  # s21
        assert screen.sentences[20].id == "s21"


async def test_library_search_shows_only_the_newest_query(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f", *"партнеру")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.hits
        shown = list(screen.hits)
        # The results of an earlier prefix arriving last (its thread finished later) are dropped.
        screen._show("па", [])
        assert screen.hits == shown


async def test_library_search_in_a_translation(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f", *"fourth partner")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.hits[0].text_id == HSE
        await pilot.press("down", "up", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = reader(app)
        assert list(screen.rows[screen.cursor].tgt[0]) == [3]


async def test_witnesses_links(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("W")
        screen = app.screen
        assert isinstance(screen, WitnessesScreen)
        left, right = screen.panes
        assert left.document.id == SOVIET and right.document.id == GERMAN
        await pilot.press("j", "j")  # row 2 of the Soviet record (a sentence)
        await pilot.press("tab", "j")
        assert screen.panes[0].document.id == GERMAN
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the link is written in a worker, which posts the links
        await pilot.pause()
        assert len(app.store.witness_links(SOVIET)) == 1
        assert screen.query_one("#left").view.marks  # type: ignore[attr-defined]
        await pilot.press("g", "tab")  # Soviet pane again, cursor still on the linked row
        await pilot.press("o")
        assert screen.query_one("#right").text.cursor == 1  # type: ignore[attr-defined]
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store.witness_links(SOVIET) == []
        assert not screen.query_one("#left").view.marks  # type: ignore[attr-defined]
        await pilot.press("o")  # no link: a notification
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_witnesses_from_the_library(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"hitler-molotov")
        await pilot.press("down")
        await pilot.press("W")
        assert isinstance(app.screen, (WitnessesScreen, LibraryScreen))


async def test_library_filter_and_open(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert len([e for e in screen.shown if e is not None]) == 11
        await pilot.press(*"telegram")
        assert {e.document.meta.kind for e in screen.shown if e is not None} == {"telegram"}
        await pilot.press("escape")  # clears the filter, back to the list
        assert len([e for e in screen.shown if e is not None]) == 11
        await pilot.press("slash")
        assert app.focused is screen.query_one("#filter")
        await pilot.press(*"xyzzy")
        assert all(e is None for e in screen.shown)
        await pilot.press("enter")  # nothing to open
        assert app.screen is screen


async def test_user_document_renders_literally(tmp_path: Path) -> None:
    write_user_document()
    app = app_for(tmp_path, document_id="injected")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = reader(app).query_one(ParallelText)
        lines = "\n".join(text.render_line(y).text for y in range(20))
        assert "[bold]x[/bold]" in lines
        assert "[link=http://e]y[/link]" in lines
        assert "\\x1b[31mred\\x1b[0m" in lines
        assert "\x1b" not in lines


async def test_keymap_remaps_by_id(tmp_path: Path) -> None:
    from sourcereader import locations

    (locations.config_dir() / "keys.toml").write_text(
        '[keys]\nprovenance = "z"\nno_such_binding = "q"\n', encoding="utf-8"
    )
    store = open_store(tmp_path)
    app = make_app(Library.default(cache=store), store, FakeTranslator(), document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        screen = reader(app)
        await pilot.press("z")
        assert screen.has_class("-hide-provenance")
        assert any("no_such_binding" in n.message for n in app._notifications)


async def test_filter_takes_every_printable_key(tmp_path: Path) -> None:
    # q, W, f and ? are bound on the library and the app; in the filter box they are text.
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("slash", "q", "W", "f", "question_mark", "space", "slash")
        assert isinstance(app.screen, LibraryScreen)
        assert screen.query_one("#filter", Input).value == "qWf? /"


async def test_typing_on_the_list_keeps_spaces_and_punctuation(tmp_path: Path) -> None:
    # Typed straight onto the list (no "/" first): every key after the first arrives while the
    # focus is still moving to the box, and none may be lost.
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press(*"Гитлером в Берлине, 12")
        assert screen.query_one("#filter", Input).value == "Гитлером в Берлине, 12"
        assert [e.document.id for e in screen.shown if e is not None] == [SOVIET]


async def test_a_row_taller_than_the_view_scrolls_by_line(tmp_path: Path) -> None:
    long = " ".join(["Это очень длинное предложение без точки"] * 40)
    write_user_document("tall", f"First sentence.\n\n{long}.\n\nLast sentence.", title="Tall")
    app = app_for(tmp_path, document_id="tall")
    async with app.run_test(size=(60, 14)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = reader(app).query_one(ParallelText)
        height = text.scrollable_content_region.height
        await pilot.press("j")
        assert text.cursor == 1 and text.top == 1
        tall = text._row_height(1)
        assert tall > height
        await pilot.press("j", "j")  # inside the row: the view moves by line, the cursor stays
        assert text.cursor == 1 and text.line_offset == 2
        assert [k for k, _ in text._visible_layout()][:1] == [1]
        await pilot.press("pagedown")  # a screen further, never past the row's last line
        assert text.cursor == 1 and text.line_offset == min(2 + height, tall - height)
        await pilot.press("end", "home")
        assert text.line_offset == 0
        text.go_to(1)
        await pilot.pause()
        for _ in range(tall):
            await pilot.press("j")
        assert text.cursor == 2  # every line of the tall row was shown, then the next row
        await pilot.press("k")  # back up into it: its last screen, then line by line
        assert text.cursor == 1 and text.line_offset == tall - height
        await pilot.press("k")
        assert text.cursor == 1 and text.line_offset == tall - height - 1
        await pilot.press("g")
        assert text.cursor == 0 and text.line_offset == 0
