"""The claims export dialog (``e`` on the Claims screen and on a claim's screen), driven with Pilot.

What the dialog writes is compared with :func:`sourcereader.core.claims_export.export_claims`, the
function ``sourcereader export --claims`` calls; W3C output is imported back through the core.
Snapshots live in tests/tui/snapshots/test_tui_claims_export/; update with
``pytest tests/tui/test_tui_claims_export.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from sourcereader import tui
from sourcereader.core.claims import Claim, ClaimDraft, EvidenceDraft, claim_anchor, evidence_anchor, span_of
from sourcereader.core.claims_export import (
    BriefOptions,
    claims_from_w3c,
    export_claims,
    import_claims,
    split_w3c,
)
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.tui.app import SourceReaderApp
from sourcereader.tui.screens.claims import ClaimScreen, ClaimsScreen
from sourcereader.tui.screens.claims_export import ClaimsExportDialog
from sourcereader.tui.screens.export import PREVIEW_CHARS
from sourcereader.tui.widgets.claim_list import ClaimList
from tests.support.tui import GERMAN, SOVIET, app_for, open_store, settled, steady_cursors

Snap = Callable[..., bool]

pytestmark = pytest.mark.anyio
SIZE = (160, 45)
WIKI = "wikipedia-german-soviet-axis-talks-003"
TODAY = "2026-01-01"


def two_claims(store: Store, library: Library) -> tuple[Claim, Claim]:
    """The README's claim ("fourth Axis power", with a supporting and a context passage) and a
    second claim with no evidence."""
    article = library.document(WIKI)
    first = store.add_claim(
        ClaimDraft(
            claim_anchor(article, "s2", span=span_of(article, "s2", "fourth Axis power")),
            "USSR invited as a fourth Axis power",
            "The article: the talks concerned a *fourth* Axis power.",
        )
    )
    store.add_evidence(
        EvidenceDraft(
            first.id, evidence_anchor(library.document(SOVIET), "s21"), "supports", "He invites them."
        )
    )
    store.add_evidence(EvidenceDraft(first.id, evidence_anchor(library.document(GERMAN), "s18"), "context"))
    second = store.add_claim(ClaimDraft(claim_anchor(article, "s8"), "A written draft was presented"))
    return first, second


def expected(app: SourceReaderApp, ids: tuple[int, ...], fmt: str = "markdown", **options: Any) -> str:
    """What ``export --claims`` writes for these claims and options (the core function it calls)."""
    dialog = app.screen
    assert isinstance(dialog, ClaimsExportDialog)
    brief = BriefOptions(generated=dialog.today, **options)
    return export_claims(app.store, app.library, ids, brief, fmt).text


async def open_claims(pilot: Pilot[Any]) -> ClaimsScreen:
    await settled(pilot)
    await pilot.press("C")
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClaimsScreen)
    return screen


async def open_dialog(pilot: Pilot[Any]) -> ClaimsExportDialog:
    await pilot.press("e")
    await settled(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ClaimsExportDialog)
    return dialog


def previews(dialog: ClaimsExportDialog, text: str) -> bool:
    """True when the dialog's preview is ``text`` (its first few thousand characters)."""
    preview = dialog.query_one("#preview", TextArea).text
    if len(text) <= PREVIEW_CHARS:
        return preview == text
    return preview.startswith(text[:PREVIEW_CHARS]) and preview.endswith(
        f"({len(text) - PREVIEW_CHARS} more characters)"
    )


def error_text(dialog: Screen[Any]) -> str:
    return str(dialog.query_one("#error", Static).render())


def notes(app: App[Any]) -> list[str]:
    return [n.message for n in app._notifications]


# --------------------------------------------------------------------------- writing
async def test_e_writes_the_brief_of_every_claim_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the default path is ~/sourcereader-claims-<date>.md
    app = app_for(tmp_path)
    first, second = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#path", Input).value == f"~/sourcereader-claims-{dialog.today}.md"
        assert dialog.query_one("#which", Select).value == "shown"
        want = expected(app, (first.id, second.id))
        assert want.startswith("# Evidence brief") and previews(dialog, want)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        target = tmp_path / f"sourcereader-claims-{dialog.today}.md"
        assert target.read_text(encoding="utf-8") == want
        assert any(f"Wrote 2 claims to {target}" in n for n in notes(app))


async def test_the_options_reach_the_brief(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    first, second = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#translations", Select).value = "none"
        await settled(pilot)
        want = expected(app, (first.id, second.id), translations=())
        assert previews(dialog, want)
        target = tmp_path / "brief.md"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert target.read_text(encoding="utf-8") == want


async def test_the_filter_decides_which_claims_are_shown_and_exported(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    _, second = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_claims(pilot)
        screen.query_one("#claims-filter", Input).value = "written draft"
        await settled(pilot)
        screen.query_one(ClaimList).focus()
        dialog = await open_dialog(pilot)
        want = expected(app, (second.id,))
        target = tmp_path / "brief.md"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert target.read_text(encoding="utf-8") == want


async def test_the_highlighted_claim_alone(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    first, second = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_claims(pilot)
        screen.query_one(ClaimList).cursor = 1
        await pilot.pause()
        current = screen.current()
        assert current is not None and current.claim.id == second.id
        dialog = await open_dialog(pilot)
        dialog.query_one("#which", Select).value = "highlighted"
        await settled(pilot)
        want = expected(app, (second.id,))
        assert previews(dialog, want) and f"Claim {first.id}:" not in want
        target = tmp_path / "one.md"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert target.read_text(encoding="utf-8") == want


async def test_e_on_a_claim_exports_that_claim(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    first, _ = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, ClaimScreen)
        dialog = await open_dialog(pilot)
        which = dialog.query_one("#which", Select)
        assert which.value == "highlighted" and len(which._options) == 1
        target = tmp_path / "claim.md"
        dialog.query_one("#path", Input).value = str(target)
        want = expected(app, (first.id,))
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, ClaimScreen)
        assert target.read_text(encoding="utf-8") == want
        assert any(f"Wrote 1 claim to {target}" in n for n in notes(app))


async def test_w3c_round_trips_through_import(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    first, second = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(tmp_path / "claims.md")
        dialog.query_one("#format", Select).value = "w3c"
        await settled(pilot)
        path = dialog.query_one("#path", Input).value
        assert path == str(tmp_path / "claims.jsonld")
        want = expected(app, (first.id, second.id), "w3c")
        assert previews(dialog, want)
        await pilot.press("ctrl+s")
        await settled(pilot)
    text = Path(path).read_text(encoding="utf-8")
    assert text == want
    rest, items = split_w3c(json.loads(text))
    assert rest == []
    elsewhere = Store.memory()
    library = Library.default(cache=elsewhere)
    assert import_claims(elsewhere, library, claims_from_w3c(items)) == (2, 2, 0)
    mine = {c.uuid: (c.label, c.note, c.anchor.sentence_ids, c.anchor.exact) for c in app.store.claims()}
    theirs = {c.uuid: (c.label, c.note, c.anchor.sentence_ids, c.anchor.exact) for c in elsewhere.claims()}
    assert mine == theirs
    # Imported again: everything is already there.
    assert import_claims(elsewhere, library, claims_from_w3c(items)) == (0, 0, 4)


# --------------------------------------------------------------------------- refusing and failing
async def test_an_existing_file_is_refused_then_overwritten(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    first, second = two_claims(app.store, app.library)
    target = tmp_path / "brief.md"
    target.write_text("mine", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is dialog and "tick overwrite" in error_text(dialog)
        assert target.read_text(encoding="utf-8") == "mine"
        dialog.query_one("#overwrite", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert target.read_text(encoding="utf-8") == expected_text(app, first, second)


def expected_text(app: SourceReaderApp, *claims: Claim) -> str:
    """The Markdown brief of these claims with the default options, dated today."""
    import datetime as dt

    options = BriefOptions(generated=dt.date.today().isoformat())
    return export_claims(app.store, app.library, [c.id for c in claims], options, "markdown").text


async def test_escape_cancels_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    app = app_for(tmp_path)
    two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(tmp_path / "never.md")
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert not (tmp_path / "never.md").exists() and not (tmp_path / "home").exists()
    assert not any("Wrote" in n for n in notes(app))


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing-folder/brief.md", "missing-folder does not exist"),
        (".", "is a directory: give a file name"),
        ("", "Give a file name"),
    ],
)
async def test_an_unwritable_path_is_a_message(tmp_path: Path, name: str, says: str) -> None:
    app = app_for(tmp_path)
    two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#path", Input).value = str(tmp_path / name) if name else ""
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is dialog and says in error_text(dialog)
        # Nothing lost: the choices are still there, and a good path then writes.
        dialog.query_one("#path", Input).value = str(tmp_path / "brief.md")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, ClaimsScreen) and (tmp_path / "brief.md").exists()


async def test_a_claim_deleted_meanwhile_is_a_message(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    first, _ = two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        dialog = await open_dialog(pilot)
        app.store.delete_claim(first.id)  # e.g. by the command line, while the dialog is open
        dialog.query_one("#path", Input).value = str(tmp_path / "brief.md")
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.screen is dialog and str(first.id) in error_text(dialog)
        assert not (tmp_path / "brief.md").exists()


async def test_nothing_to_export_is_said_on_the_claims_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    two_claims(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_claims(pilot)
        screen.query_one("#claims-filter", Input).value = "no claim says this"
        await settled(pilot)
        screen.query_one(ClaimList).focus()
        await pilot.press("e")
        await settled(pilot)
        assert app.screen is screen
        assert "nothing to export" in str(screen.query_one("#claims-status").render())


# --------------------------------------------------------------------------- snapshots
STYLESHEET = Path(tui.__file__).with_name("sourcereader.tcss")


class Host(App[None]):
    """Pushes the dialog alone, styled by the app's one stylesheet."""

    CSS_PATH = STYLESHEET

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.store = open_store(folder)
        self.library = Library.default(cache=self.store)
        first, second = two_claims(self.store, self.library)
        self.ids = (first.id, second.id)

    def on_mount(self) -> None:
        self.push_screen(
            ClaimsExportDialog(
                self.store,
                self.library,
                shown=self.ids,
                highlighted=self.ids[0],
                default_path=Path(f"~/sourcereader-claims-{TODAY}.md"),
                today=TODAY,
            )
        )


async def settled_and_steady(pilot: Pilot[Any]) -> None:
    """The preview made (its worker done) and the text cursors steady."""
    await settled(pilot)
    await steady_cursors(pilot)


def test_dialog_snapshot(snap_compare: Snap, tmp_path: Path) -> None:
    assert snap_compare(Host(tmp_path), terminal_size=(160, 45), run_before=settled_and_steady)


def test_dialog_small_terminal_snapshot(snap_compare: Snap, tmp_path: Path) -> None:
    # 80×24: one choice a line, compact selects: the preview, the path and the buttons all fit.
    assert snap_compare(Host(tmp_path), terminal_size=(80, 24), run_before=settled_and_steady)


def test_the_dialog_keys_can_be_remapped(tmp_path: Path) -> None:
    from sourcereader.tui.bindings import KeymapResult, load_keymap

    path = tmp_path / "keys.toml"
    path.write_text('[keys]\nclaims_export_write = "f6"\nclaims_export = "x"\nclaim_export = "x"\n', "utf-8")
    assert load_keymap(path) == KeymapResult(
        {"claims_export_write": "f6", "claims_export": "x", "claim_export": "x"}
    )
