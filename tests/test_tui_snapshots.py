"""A snapshot of every screen and state (pytest-textual-snapshot; SVGs in tests/snapshots/).

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and
look at the SVGs before committing them. The reader aligns with the real aligner (deterministic,
and cached per test store), except where a picture needs an unsure or a verified row: those use
the hand alignment of ``fixed_alignments``, because the aligner is sure of every bead of the
Soviet record and never verifies one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import pytest
import pytest_textual_snapshot  # type: ignore[import-untyped]
from textual.pilot import Pilot

from sourcereader.core.translation import Translator
from sourcereader.tui.screens.reader import ReaderScreen
from tests.test_tui_support import SOVIET, FakeTranslator, app_for, fixed_alignments, write_user_document

Snap = Callable[..., bool]

_SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def _dirname(cls: type, *, test_location: object) -> str:
    return str(_SNAPSHOTS / str(getattr(test_location, "basename")))  # noqa: B009


# Keep the SVGs in tests/snapshots/<module>/ instead of syrupy's __snapshots__.
setattr(pytest_textual_snapshot.SVGImageExtension, "dirname", classmethod(_dirname))  # noqa: B010


@pytest.fixture
def hand_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand alignment with an unsure and a verified bead."""
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
                screen.flush_provenance()
        await pilot.pause()

    return run


def shot(
    snap_compare: Snap,
    tmp_path: Path,
    *,
    document_id: str | None = None,
    keys: Iterable[str] = (),
    size: tuple[int, int] = (120, 36),
    translator: Translator | None = None,
) -> bool:
    app = app_for(tmp_path, document_id=document_id, translator=translator or FakeTranslator())
    return snap_compare(app, terminal_size=size, run_before=settle(*keys))


def test_library(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path)


def test_library_filtered(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, keys=[*"telegram"])


def test_reader_soviet_record_with_translation(snap_compare: Snap, tmp_path: Path) -> None:
    # The cursor on the first translated row (s18 ↔ the HSE answer's first sentence): from the last
    # row (a gap), up past s26…s19.
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["G", *"k" * 9])


@pytest.mark.usefixtures("hand_aligned")
def test_reader_unsure_row(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["l", "i"])


def test_reader_partial_document_with_gaps(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id="1940-11-12-german-record-hitler-molotov")


def test_reader_wide(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, size=(200, 50), keys=["t"])


@pytest.mark.usefixtures("hand_aligned")
def test_reader_narrow(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, size=(80, 24), keys=["l"])


def test_reader_no_model(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(
        snap_compare, tmp_path, document_id=SOVIET, keys=["t"], translator=FakeTranslator(pairs=set())
    )


@pytest.mark.usefixtures("hand_aligned")
def test_reader_synthetic_machine_translation(snap_compare: Snap, tmp_path: Path) -> None:
    translator = FakeTranslator(synthetic=True)
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["t", "l"], translator=translator)


def test_reader_find(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["slash", *"пакт"])


def test_reader_columns_dialog(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["c"])


def test_injected_markup_renders_as_typed(snap_compare: Snap, tmp_path: Path) -> None:
    write_user_document()
    assert shot(snap_compare, tmp_path, document_id="injected")


def test_help(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, keys=["question_mark"])


def test_witnesses(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, document_id=SOVIET, keys=["W", "j", "j", "tab", "j", "enter"])


def test_library_search(snap_compare: Snap, tmp_path: Path) -> None:
    assert shot(snap_compare, tmp_path, keys=["f", *"гитлер"])
