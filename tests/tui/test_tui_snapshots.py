"""A snapshot of every screen and state (pytest-textual-snapshot; SVGs in tests/tui/snapshots/).

Update after an intended change with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` and
look at the SVGs before committing them. The pictures pin the alignment (``fixed_alignments``):
it has the real aligner's beads for the Soviet record (``test_the_real_alignment_pairs_the_
translated_fragment`` in test_tui_reader.py checks the aligner still finds them, and the other
Pilot tests run on the real, cached alignment), but fixed confidences, one bead unsure and one
verified. The aligner's scores move whenever it is tuned; a picture of the reader must not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from sourcereader.core.annotations import AnnotationDraft, anchor_for
from sourcereader.core.translation.machine import MachineTranslator
from sourcereader.tui.app import SourceReaderApp
from sourcereader.tui.screens.reader import ReaderScreen
from tests.support.tui import (
    SOVIET,
    FakeTranslator,
    app_for,
    fixed_alignments,
    steady_cursors,
    write_user_document,
)

Snap = Callable[..., bool]


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    fixed_alignments(monkeypatch)


def settle(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Wait for the workers, press ``keys`` (waiting again after each), and let the screen redraw."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        for screen in pilot.app.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.flush_find()
                screen.flush_provenance()
        await steady_cursors(pilot)

    return run


def shot(
    snap_compare: Snap,
    tmp_path: Path,
    *,
    document_id: str | None = None,
    keys: Iterable[str] = (),
    size: tuple[int, int] = (120, 36),
    translator: MachineTranslator | None = None,
    prepare: Callable[[SourceReaderApp], object] | None = None,
) -> bool:
    app = app_for(tmp_path, document_id=document_id, translator=translator or FakeTranslator())
    if prepare is not None:
        prepare(app)
    return snap_compare(app, terminal_size=size, run_before=settle(*keys))


def test_library(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path)


def test_library_filtered(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, keys=[*"telegram"])


def test_reader_soviet_record_with_translation(snap_compare: Snap, tmp_path: Path) -> None:
    # The cursor on the first translated row (s18 ↔ the HSE answer's first sentence): from the last
    # row (a gap), up past s26…s19.
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=S18)


S18 = ["G", *"k" * 9]
"""Keys from the opening to the row of s18 (the first translated one): the last row, then up."""


def two_annotations_on_s18(app: SourceReaderApp) -> None:
    """A note with tags on s18 and a highlighted span (hostile markup in the note stays literal)."""
    soviet = app.library.document(SOVIET)
    note = "Hitler offers the [bold]four-power[/bold] pact here;\ncompare the German record."
    app.store.add_annotation(
        AnnotationDraft(anchor_for(soviet, ["s18"]), kind="note", note=note, tags=("pact", "offer"))
    )
    app.store.add_annotation(
        AnnotationDraft(anchor_for(soviet, ["s18"], (4, 10)), kind="highlight", highlight="yellow")
    )


def test_reader_annotated_row(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=[*S18, "o"], prepare=two_annotations_on_s18)


def test_reader_annotate_dialog(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=[*S18, "a"])


def test_reader_annotate_dialog_small_terminal(snap_compare: Snap, tmp_path: Path) -> None:
    # 80×24: the form scrolls, the footer keeps "ctrl+s Save" and "esc Cancel" in sight.
    assert shot(snap_compare, tmp_path, document_id=SOVIET, size=(80, 24), keys=[*S18, "a"])


def test_reader_unsure_row(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["l", "i"])


def test_reader_partial_document_with_gaps(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id="1940-11-12-german-record-hitler-molotov")


def test_reader_wide(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, size=(200, 50), keys=["t"])


def test_reader_narrow(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, size=(80, 24), keys=["l"])


def test_reader_no_model(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(
        snap_compare, tmp_path, document_id=SOVIET, keys=["t"], translator=FakeTranslator(pairs=set())
    )


def test_reader_no_model_small_terminal(snap_compare: Snap, tmp_path: Path) -> None:
    # 80×24: the commands stay whole on their own lines, the Close button in sight.
    assert shot(
        snap_compare,
        tmp_path,
        document_id=SOVIET,
        keys=["t"],
        size=(80, 24),
        translator=FakeTranslator(pairs=set()),
    )


def test_reader_synthetic_machine_translation(snap_compare: Snap, tmp_path: Path) -> None:
    translator = FakeTranslator(synthetic=True)
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["t", "l"], translator=translator)


def test_reader_find(snap_compare: Snap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcereader.tui.screens import reader as reader_module

    # A pause no run reaches: on a busy machine the debounced search could otherwise run for "пак"
    # between two keys and move the cursor; flush_find runs it once, for the whole query.
    monkeypatch.setattr(reader_module, "FIND_DELAY", 600.0)
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["slash", *"пакт"])


def test_reader_columns_dialog(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["c"])


def test_injected_markup_renders_as_typed(snap_compare: Snap, tmp_path: Path) -> None:
    write_user_document()
    assert shot(snap_compare, tmp_path, document_id="injected")


def test_help(snap_compare: Snap, tmp_path: Path) -> None:
    # The keys.toml path shown is the test's temporary one, whose length changed from run to run and
    # with it the help's wrapping and scrollbar: pin it. Tall enough to show every key at once.
    def pin_keys_path(app: SourceReaderApp) -> None:
        app.keys_path = Path("~/.config/sourcereader/keys.toml")

    assert shot(snap_compare, tmp_path, keys=["question_mark"], size=(120, 110), prepare=pin_keys_path)


def test_witnesses(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["W", "j", "j", "tab", "j", "enter"])


def test_library_search(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, keys=["f", *"гитлер"])
