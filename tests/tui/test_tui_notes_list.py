"""The annotations list (``N``): typing filters and never deletes, its keys act only on the list, it fits
80×24, it reads only the pages it shows, and what ``import-annotations`` may have stored is shown
escaped (issues 12.6 and 13).

Snapshots live in tests/tui/snapshots/test_tui_notes_list/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Select
from textual.widgets._footer import FooterKey

from sourcereader import tui
from sourcereader.core.annotations import Anchor, Annotation, AnnotationDraft, anchor_for
from sourcereader.core.store import Store
from sourcereader.tui.screens.annotations import AnnotationsScreen
from sourcereader.tui.widgets.virtual_table import Column, VirtualTable, column_widths
from tests.support.texts import DOC_ID, make_document
from tests.support.tui import SOVIET, app_for, settled, steady_cursors

pytestmark = pytest.mark.anyio
Snap = Callable[..., bool]

DOC = make_document()
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
"""An OSC 52 sequence: printed raw, it writes "evil" to the terminal's clipboard."""
TITLE = "\x1b]0;owned\x07"
"""An OSC 0 sequence: printed raw, it sets the window title."""


class Host(App[None]):
    """Pushes the list and records what it dismisses with."""

    CSS_PATH = Path(tui.__file__).with_name("sourcereader.tcss")

    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.factory = factory
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.factory(), callback=self.results.append)


def notes_store(folder: Path, notes: Sequence[str] = ("allowed by the treaty", "a second note")) -> Store:
    store = Store.open(folder / "notes.db")
    for n, note in enumerate(notes):
        store.add_annotation(AnnotationDraft(anchor_for(DOC, [f"s{n + 1}"]), kind="note", note=note))
    return store


def screen_of(app: App[None]) -> AnnotationsScreen:
    screen = app.screen
    assert isinstance(screen, AnnotationsScreen)
    return screen


def footer_keys(app: App[None]) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


async def test_typing_filters_and_never_deletes(tmp_path: Path) -> None:
    # Typing "allowed" as the list opens used to run a, l, l, o, w, e and d: d deleted annotation 1.
    store = notes_store(tmp_path)
    app = Host(lambda: AnnotationsScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        await pilot.press(*"allowed")
        await settled(pilot)
        screen = screen_of(app)
        assert screen.query_one("#text", Input).value == "allowed"
        assert store.annotation_counts() == {DOC_ID: 2}
        assert screen.query_one("#live-table", VirtualTable).row_count == 1


async def test_keys_typed_fast_on_the_list_all_go_to_the_filter(tmp_path: Path) -> None:
    # Keys typed on the list arrive before the focus has moved to the filter box: the d at the end of
    # "allowed" reached the list, where it is bound, and deleted an annotation or was lost.
    store = notes_store(tmp_path)
    app = Host(lambda: AnnotationsScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        await pilot.press("down")
        assert isinstance(app.focused, VirtualTable)
        for key in "allowed":
            app.post_message(events.Key(key, key))
        await settled(pilot)
        assert screen_of(app).query_one("#text", Input).value == "allowed"
        assert store.annotation_counts() == {DOC_ID: 2}


async def test_delete_acts_only_on_the_list_and_the_footer_says_so(tmp_path: Path) -> None:
    store = notes_store(tmp_path)
    app = Host(lambda: AnnotationsScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        screen = screen_of(app)
        assert app.focused is screen.query_one("#text", Input)
        assert "d" not in screen.active_bindings
        assert {"List", "Jump", "Close"} <= footer_keys(app)
        assert "Delete" not in footer_keys(app)
        await pilot.press("down")  # to the list
        await pilot.pause()
        assert isinstance(app.focused, VirtualTable)
        assert {"Delete", "Undo delete", "Jump"} <= footer_keys(app)
        await pilot.press("d")
        await settled(pilot)
        assert store.annotation_counts() == {DOC_ID: 1}
        await pilot.press("u")
        await settled(pilot)
        assert store.annotation_counts() == {DOC_ID: 2}
        await pilot.press("slash")  # back to the filter: d is a letter again
        await pilot.press("d")
        await settled(pilot)
        assert store.annotation_counts() == {DOC_ID: 2}
        await pilot.press("escape")  # clears the filter
        assert screen.query_one("#text", Input).value == ""
        await pilot.press("escape")  # closes
        await pilot.pause()
    assert app.results == [None]


async def test_usable_at_80_by_24(tmp_path: Path) -> None:
    store = notes_store(tmp_path, ["a note long enough to be cut at the right edge of a small terminal " * 2])
    app = Host(lambda: AnnotationsScreen(store, titles={DOC_ID: "Запись беседы Молотова с Гитлером"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = screen_of(app)
        # The filter box has a line of its own, as wide as the screen.
        assert screen.query_one("#text", Input).size.width >= 70
        table = screen.query_one("#live-table", VirtualTable)
        assert table.size.width >= 78
        header = table.render_line(0).text
        for title in ("id", "document", "where", "kind", "tags", "text"):
            assert f" {title}" in header
        row = table.render_line(1).text
        assert row.rstrip().endswith("…") and len(row) <= table.size.width
        assert table.page_height >= 10


def test_column_widths_fit_and_share() -> None:
    cols = [Column("id", 3, flex=0), Column("a", 5, 10), Column("text", 8, None, flex=3)]
    assert column_widths(cols, 80) == [3, 10, 65]
    assert sum(column_widths(cols, 20)) + 2 == 20
    assert column_widths(cols, 10) == [3, 5, 8]  # never below the minimums


async def test_only_the_rows_on_screen_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 100,000 annotations took 26 s and 745 MB to open: every row was read and put in a table.
    store = Store.open(tmp_path / "many.db")
    ids = [f"s{n}" for n in range(1, 7)]
    drafts = [
        AnnotationDraft(anchor_for(DOC, [ids[i % 6]]), kind="note", note=f"note {i}") for i in range(1000)
    ]
    store.add_annotations(drafts)
    read: list[int] = []
    by_id = store.annotations_by_id

    def counted(wanted: Sequence[int]) -> list[Annotation]:
        read.append(len(wanted))
        return by_id(wanted)

    def everything(**_: object) -> list[Annotation]:
        raise AssertionError("the list must not read every annotation")

    monkeypatch.setattr(store, "annotations_by_id", counted)
    monkeypatch.setattr(store, "annotations", everything)
    app = Host(lambda: AnnotationsScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        table = screen_of(app).query_one("#live-table", VirtualTable)
        assert table.row_count == 1000
        assert sum(read) <= 100
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 999 and table.row_at(table.page_height) == 999
        last = [c.plain for c in table.row_cells(999)]
        assert last[0] == str(store.annotation_listing().anchored[-1])
        assert sum(read) <= 200


def hostile_store(folder: Path) -> Store:
    """An annotation whose ids carry terminal escapes, put straight into the store (as a crafted
    ``import-annotations`` file could, before import checked ids)."""
    store = Store.open(folder / "hostile.db")
    anchor = Anchor(
        document_id=f"doc{TITLE}",
        sentence_ids=(f"s1{OSC52}",),
        exact=f"quote {OSC52}",
        prefix="",
        suffix="",
        start=0,
        end=5,
        version="v1",
        translation_id=f"en{OSC52}",
    )
    store.add_annotation(
        AnnotationDraft(anchor, kind="note", note=f"note [bold]x[/bold] {OSC52}", tags=("t",))
    )
    return store


async def test_ids_from_an_import_are_shown_escaped(tmp_path: Path) -> None:
    store = hostile_store(tmp_path)
    app = Host(lambda: AnnotationsScreen(store))
    async with app.run_test(size=(160, 45)) as pilot:
        await settled(pilot)
        screen = screen_of(app)
        table = screen.query_one("#live-table", VirtualTable)
        cells = [c.plain for c in table.row_cells(0)]
        assert cells[1] == "doc\\x1b]0;owned\\x07"
        assert cells[2] == "en\\x1b]52;c;ZXZpbA==\\x07: s1\\x1b]52;c;ZXZpbA==\\x07"
        assert cells[5] == "note [bold]x[/bold] \\x1b]52;c;ZXZpbA==\\x07"
        drawn = "\n".join(table.render_line(y).text for y in range(3))
        assert "\x1b" not in drawn and "\x07" not in drawn
        documents = screen.query_one("#doc", Select)
        assert all("\x1b" not in str(prompt) for prompt, _ in documents._options)
        # Such ids are in no text: the list does not hand them to the reader (which would print them).
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and app.results == []
        status = str(screen.query_one("#status").render())
        assert "cannot be opened" in status and "\x1b" not in status


async def test_the_readers_notes_list_shows_imported_ids_escaped(tmp_path: Path) -> None:
    from sourcereader.core.annotations import Anchor

    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        anchor = Anchor(SOVIET, (f"s1{OSC52}",), "q", "", "", 0, 1, "v1", f"hse{OSC52}")
        app.store.add_annotation(AnnotationDraft(anchor, kind="note", note=f"n {TITLE}"))
        await pilot.press("N")
        await settled(pilot)
        screen = screen_of(app)
        table = screen.query_one("#live-table", VirtualTable)
        drawn = "\n".join(table.render_line(y).text for y in range(table.row_count + 1))
        assert "\x1b" not in drawn and "\x07" not in drawn
        assert table.row_cells(0)[2].plain == "hse\\x1b]52;c;ZXZpbA==\\x07: s1\\x1b]52;c;ZXZpbA==\\x07"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert not [n for n in app._notifications if "\x1b" in n.message or "\x07" in n.message]


def test_hostile_ids_snapshot(snap_compare: Snap, tmp_path: Path) -> None:
    store = hostile_store(tmp_path)

    async def ready(pilot: Any) -> None:
        await settled(pilot)
        await steady_cursors(pilot)

    assert snap_compare(Host(lambda: AnnotationsScreen(store)), terminal_size=(160, 45), run_before=ready)


def test_small_terminal_snapshot(snap_compare: Snap, tmp_path: Path) -> None:
    store = notes_store(tmp_path, ["allowed by the treaty", "Финляндия " * 12, "a third"])

    async def ready(pilot: Any) -> None:
        await settled(pilot)
        await pilot.press("down")
        await settled(pilot)
        await steady_cursors(pilot)

    assert snap_compare(
        Host(lambda: AnnotationsScreen(store, titles={DOC_ID: "Запись беседы (test)"})),
        terminal_size=(80, 24),
        run_before=ready,
    )
