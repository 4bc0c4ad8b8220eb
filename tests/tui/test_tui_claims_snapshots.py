"""Snapshots of the claims and versions screens at 160x45 and 80x24 (SVGs in
tests/tui/snapshots/test_tui_claims_snapshots/). Update with ``--snapshot-update`` after an intended
change, and look at the pictures.

The alignments are pinned (the reader's and the claim view's): the pictures must not move when the
aligner is tuned.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from sourcereader.core.alignment.document import DocumentAlignment
from sourcereader.core.claims import ClaimDraft, claim_anchor
from sourcereader.core.documents import Document, Translation
from sourcereader.core.parallel_rows import one_to_one
from sourcereader.tui.app import SourceReaderApp
from sourcereader.tui.screens.reader import ReaderScreen
from tests.support.tui import (
    SOVIET,
    app_for,
    fixed_alignments,
    reference_alignment,
    steady_cursors,
    write_user_document,
)
from tests.tui.test_tui_claims import (
    HOSTILE_LABEL,
    HOSTILE_NOTE,
    WIKI,
    WIKI_LEAD,
    cache_machine_translation,
    demonstration,
)

Snap = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [(160, 45), (80, 24)], ids=["160x45", "80x24"])


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcereader.core.alignment import document

    fixed_alignments(monkeypatch)

    def align(store: object, doc: Document, translation: Translation) -> DocumentAlignment:
        n, m = len(doc.sentences), len(translation.sentences)
        beads = reference_alignment(n, m) if doc.id == SOVIET and m == 4 else one_to_one(n, m)
        return DocumentAlignment(tuple(beads), dropped_corrections=0, cached=True)

    # The claim view aligns each passage's translations through the alignment module itself.
    monkeypatch.setattr(document, "document_alignment", align)


def settle(
    *keys: str, then: Callable[[Pilot[None]], object] | None = None
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Wait for the workers, press ``keys`` (waiting after each), run ``then``, let the screen redraw."""

    async def run(pilot: Pilot[None]) -> None:
        for _ in range(2):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            for _ in range(2):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
        if then is not None:
            then(pilot)
            await pilot.pause()
        for screen in pilot.app.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.flush_provenance()
        await steady_cursors(pilot)

    return run


def shot(
    snap_compare: Snap,
    tmp_path: Path,
    size: tuple[int, int],
    *,
    document_id: str | None = None,
    keys: Iterable[str] = (),
    prepare: Callable[[SourceReaderApp], object] | None = None,
    then: Callable[[Pilot[None]], object] | None = None,
) -> bool:
    app = app_for(tmp_path, document_id=document_id)
    if prepare is not None:
        prepare(app)
    return snap_compare(app, terminal_size=size, run_before=settle(*keys, then=then))


def with_claims(app: SourceReaderApp) -> None:
    demonstration(app.store, app.library)
    cache_machine_translation(app.store, app.library, ("s21",))
    article = app.library.document(WIKI)
    app.store.add_claim(
        ClaimDraft(claim_anchor(article, "s8"), "A written draft for an Axis pact was presented")
    )


def go_to_sentence(sentence_id: str) -> Callable[[Pilot[None]], object]:
    def run(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.go_to_sentence("source", sentence_id)

    return run


@SIZES
def test_claims_screen(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, keys=["C"], prepare=with_claims)


@SIZES
def test_claim_screen(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, keys=["C", "enter"], prepare=with_claims)


@SIZES
def test_claim_screen_on_a_passage(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, keys=["C", "enter", "j", "j"], prepare=with_claims)


@SIZES
def test_claim_dialog(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    def fill(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#claim-label", Input).value = "USSR invited as a fourth Axis power"
        pilot.app.screen.query_one("#claim-words", Input).value = "fourth Axis power"

    async def run(pilot: Pilot[None]) -> None:
        await settle()(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.go_to_sentence("source", "s2")
        # The side panel behind the dialog scrolls as its text comes in: hidden, so that the picture
        # of the dialog does not race it.
        screen.show_provenance = False
        await pilot.press("K")
        await pilot.pause()
        fill(pilot)
        await steady_cursors(pilot)

    app = app_for(tmp_path, document_id=WIKI)
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_link_dialog(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    async def run(pilot: Pilot[None]) -> None:
        await settle()(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.go_to_sentence("source", "s21")
        # The side panel behind the dialog scrolls as its text comes in: hidden, so that the picture
        # of the dialog does not race it.
        screen.show_provenance = False
        await pilot.press("ctrl+k")
        await pilot.pause()
        await pilot.press(*"axis")
        await pilot.pause()
        dialog = pilot.app.screen
        dialog.query_one("#link-stance", Select).value = "supports"
        dialog.query_one("#link-note", TextArea).load_text("Hitler invites the USSR as the fourth partner.")
        await steady_cursors(pilot)

    app = app_for(tmp_path, document_id=SOVIET)
    with_claims(app)
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_versions_screen(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, document_id=WIKI, keys=["j", "V"], prepare=with_claims)


@SIZES
def test_versions_screen_changes_only(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, document_id=WIKI, keys=["V", "a", "g"], prepare=with_claims)


@SIZES
def test_version_picker(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    path = write_user_document(
        "wikipedia-copy-of-my-own", "German–Soviet Axis talks occurred in 1940.", title="x"
    )
    text = path.read_text(encoding="utf-8").replace(
        'kind = "test document"',
        'kind = "secondary"\nauthor = "me"\nurl = ""\nrevision = "3"\nretrieved = ""\n'
        'work = "wikipedia:German–Soviet Axis talks"',
    )
    path.write_text(text, encoding="utf-8")
    assert shot(snap_compare, tmp_path, size, document_id=WIKI_LEAD, keys=["V"])


@SIZES
def test_reader_marks_claims(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(snap_compare, tmp_path, size, document_id=WIKI, keys=["j"], prepare=with_claims)


@SIZES
def test_reader_marks_evidence(snap_compare: Snap, tmp_path: Path, size: tuple[int, int]) -> None:
    assert shot(
        snap_compare, tmp_path, size, document_id=SOVIET, prepare=with_claims, then=go_to_sentence("s21")
    )


def test_hostile_claim_text(snap_compare: Snap, tmp_path: Path) -> None:
    def hostile(app: SourceReaderApp) -> None:
        claim = demonstration(app.store, app.library)
        app.store.update_claim(claim.id, label=HOSTILE_LABEL, note=HOSTILE_NOTE)
        app.store.update_evidence(1, note="\x1b]0;title\x07 [b]bold?[/b] \x1b[7mreverse?")

    assert shot(snap_compare, tmp_path, (160, 45), keys=["C", "enter"], prepare=hostile)


def test_hostile_claims_list(snap_compare: Snap, tmp_path: Path) -> None:
    def hostile(app: SourceReaderApp) -> None:
        claim = demonstration(app.store, app.library)
        app.store.update_claim(claim.id, label=HOSTILE_LABEL, note=HOSTILE_NOTE)

    assert shot(snap_compare, tmp_path, (80, 24), keys=["C"], prepare=hostile)
