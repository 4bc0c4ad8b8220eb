"""Pilot tests of the screens around the reader: the library (typing, refreshing when another process
imports), the command palette, the witnesses, and ids from the database shown escaped (issues 12.8,
12.10 and 13).

Snapshots live in tests/tui/snapshots/test_tui_screens/.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from sourcereader.core.documents import sentence_hash
from sourcereader.core.store.links import Passage, WitnessLink
from sourcereader.core.store.search import SOURCE_TEXT
from sourcereader.tui.screens.library import LibraryScreen
from sourcereader.tui.screens.reader import ReaderScreen
from sourcereader.tui.screens.witnesses import WitnessesScreen, WitnessPane
from tests.support.tui import GERMAN, SOVIET, app_for, settled, write_user_document

SIZE = (120, 36)
pytestmark = pytest.mark.anyio
Snap = Callable[..., bool]


def library(app: object) -> LibraryScreen:
    from textual.app import App

    assert isinstance(app, App) and isinstance(app.screen, LibraryScreen)
    return app.screen


# --------------------------------------------------------------------------- library
async def test_keys_typed_fast_on_the_library_all_go_to_the_filter(tmp_path: Path) -> None:
    # A fast typist's keys reach the list before the focus has moved to the box: q and W, bound on
    # the list, were lost (or quit, or opened the witnesses) in the middle of a word.
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = library(app)
        for key in "zqW":
            app.post_message(events.Key(key, key))
        await settled(pilot)
        assert app.screen is screen
        assert screen.query_one("#filter", Input).value == "zqW"
        await pilot.press("down")  # back on the list: its keys act again
        await pilot.pause()
        assert app.focused is screen.query_one("#documents") and not screen._typing


async def test_the_library_shows_what_another_process_imported(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = library(app)
        screen.query_one("#filter", Input).value = "late"
        await settled(pilot)
        assert [e for e in screen.shown if e is not None] == []
        # Another process imports a document into the user library...
        write_user_document("late-arrival", "One sentence.\n\nAnother one.", title="Arrived late")
        screen.check_library_files()  # ...which the screen's timer notices (every WATCH_SECONDS)
        await settled(pilot)
        assert [e.document.id for e in screen.shown if e is not None] == ["late-arrival"]
        assert "late-arrival" in app.library
        assert "1 document" not in str(screen.query_one("#library-title").render())
        screen.check_library_files()  # nothing changed since: nothing is read again
        assert not [w for w in app.workers if w.group == "library" and not w.is_finished]


async def test_the_library_sees_a_document_edited_in_place(tmp_path: Path) -> None:
    # An editor that writes into the file (not a new file renamed into place) leaves the folder's
    # modification time alone: the watch looked only at the folders, and missed it.
    path = write_user_document("edited", "One sentence.", title="Before the edit")
    app = app_for(tmp_path)
    folder_times = path.parent.stat()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = library(app)
        assert app.library.document("edited").meta.title == "Before the edit"
        write_user_document("edited", "One sentence. And a second, added.", title="After the edit")
        os.utime(path.parent, ns=(folder_times.st_atime_ns, folder_times.st_mtime_ns))
        screen.check_library_files()
        await settled(pilot)
        assert app.library.document("edited").meta.title == "After the edit"


async def test_the_library_watch_runs_on_a_timer(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = library(app)
        assert screen._signature  # read when the list was first filled
        assert any(t._callback == screen.check_library_files for t in screen._timers)


# --------------------------------------------------------------------------- command palette
async def palette_hits(pilot: Any, query: str) -> list[str]:
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await settled(pilot)
    results = app.screen.query_one(CommandList)
    hits = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return hits


async def test_the_palette_finds_commands_by_id_and_description(tmp_path: Path) -> None:
    # "verify" found nothing: v's tooltip says "Mark this row's alignment as checked (or unmark it)".
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert any("Mark this row's alignment as checked" in h for h in await palette_hits(pilot, "verify"))
        # By the footer's name too ("Notes" is N's description), and by an id with its underscores.
        assert any("Every annotation" in h for h in await palette_hits(pilot, "notes"))
        assert any("previous bead" in h for h in await palette_hits(pilot, "move_target_up"))


async def test_the_palette_runs_the_notes_lists_keys_on_its_list(tmp_path: Path) -> None:
    from sourcereader.tui.commands import screen_commands
    from sourcereader.tui.screens.annotations import AnnotationsScreen
    from sourcereader.tui.widgets.virtual_table import VirtualTable

    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("N")
        await settled(pilot)
        assert isinstance(app.screen, AnnotationsScreen)
        nodes = {b.id: node for b, node in screen_commands(app.screen, app)}
        assert isinstance(nodes["annotations_delete"], VirtualTable)
        assert isinstance(nodes["table_down"], VirtualTable)
        assert nodes["annotations_list"] is app.screen.query_one("#text")
        assert nodes["annotations_close"] is app.screen


# --------------------------------------------------------------------------- witnesses
async def open_witnesses_at(pilot: Any, sentence_id: str) -> WitnessesScreen:
    app = pilot.app
    await settled(pilot)
    reader = app.screen
    assert isinstance(reader, ReaderScreen)
    reader.go_to_sentence(SOURCE_TEXT, sentence_id)
    await pilot.pause()
    await pilot.press("W")
    await settled(pilot)
    screen = app.screen
    assert isinstance(screen, WitnessesScreen)
    return screen


def current_sentences(pane: WitnessPane) -> list[str]:
    assert pane.view is not None
    row = pane.view.rows[pane.text.cursor]
    return [pane.document.sentences[i].id for i in row.src]


async def test_witnesses_open_at_the_readers_passage(tmp_path: Path) -> None:
    # W opened the witnesses at their first rows whatever the reader showed.
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_witnesses_at(pilot, "s21")
        left, _right = screen.panes
        assert left.document.id == SOVIET and current_sentences(left) == ["s21"]
        assert pilot.app.focused is left.text


async def test_witnesses_open_at_the_linked_passage_in_the_other_record(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        soviet, german = app.library.document(SOVIET), app.library.document(GERMAN)
        a = Passage(SOVIET, "s21", "s21", sentence_hash(soviet.sentence("s21").text))
        b = Passage(GERMAN, "s9", "s9", sentence_hash(german.sentence("s9").text))
        app.store.add_witness_link(WitnessLink(a, b))
        screen = await open_witnesses_at(pilot, "s21")
        left, right = screen.query_one("#left", WitnessPane), screen.query_one("#right", WitnessPane)
        assert current_sentences(left) == ["s21"] and current_sentences(right) == ["s9"]


async def test_the_pane_being_read_is_marked_after_tab(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_witnesses_at(pilot, "s2")
        left, right = screen.query_one("#left", WitnessPane), screen.query_one("#right", WitnessPane)
        assert left.has_class("-active") and not right.has_class("-active")
        await pilot.press("tab")
        await pilot.pause()
        assert right.has_class("-active") and not left.has_class("-active")
        # A bar on the pane's left, not only a colour: the border glyph is drawn in the active pane only.
        assert right.styles.border_left[0] == "thick" and left.styles.border_left[0] == "blank"
        await pilot.press("tab")
        await pilot.pause()
        assert left.has_class("-active") and not right.has_class("-active")


async def test_link_notifications_name_both_documents(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_witnesses_at(pilot, "s2")
        await pilot.press("tab", "j", "j", "enter")
        await settled(pilot)
        [(german_ids, soviet_ids)] = [
            (link.a.first, link.b.first) for link in app.store.witness_links(GERMAN)
        ]
        messages = [n.message for n in app._notifications]
        assert f"Linked {GERMAN} {german_ids} ↔ {SOVIET} {soviet_ids}." in messages
        await pilot.press("d")
        await settled(pilot)
        messages = [n.message for n in app._notifications]
        assert f"Unlinked {GERMAN} {german_ids} from {SOVIET} {soviet_ids}." in messages
        await pilot.press("d")  # nothing left to unlink: said so, nothing written
        await pilot.pause()
        assert "No link here to remove." in [n.message for n in app._notifications]
        assert screen.is_current


def test_witnesses_after_tab_snapshot(snap_compare: Snap, tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)

    async def run(pilot: Any) -> None:
        await open_witnesses_at(pilot, "s5")
        await pilot.press("tab", "j")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(160, 45), run_before=run)


def test_witnesses_after_tab_small_terminal_snapshot(snap_compare: Snap, tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)

    async def run(pilot: Any) -> None:
        await open_witnesses_at(pilot, "s5")
        await pilot.press("tab", "j")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)
