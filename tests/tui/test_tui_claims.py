"""Pilot tests of claims and versions in the TUI: K marks a claim in a secondary source, ctrl+k links a
primary row to a claim through the picker, the Claims screen lists claims with their status, a claim
shows its evidence in the original with its translations, Enter jumps to a passage in the reader,
two versions of a source side by side with word changes marked, and the library groups versions.

Snapshots are in test_tui_claims_snapshots.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, TextArea
from textual.widgets.text_area import Selection

from sourcereader.core.claims import Claim, ClaimDraft, EvidenceDraft, claim_anchor, evidence_anchor, span_of
from sourcereader.core.documents import Library, sentence_hash
from sourcereader.core.store import Store
from sourcereader.core.translation import machine as mt
from sourcereader.tui.app import SourceReaderApp
from sourcereader.tui.bindings import TABLE, Scope
from sourcereader.tui.screens.claim_dialogs import ClaimDialog, LinkDialog
from sourcereader.tui.screens.claims import ClaimScreen, ClaimsScreen, claim_block, evidence_block
from sourcereader.tui.screens.library import LibraryScreen, groups
from sourcereader.tui.screens.reader import ReaderScreen
from sourcereader.tui.screens.reader_claims import CLAIM_MARK, EVIDENCE_MARK, claim_marks
from sourcereader.tui.screens.versions import VersionPicker, VersionsScreen, diff_lines
from sourcereader.tui.widgets.claim_list import ClaimList, entry_lines
from sourcereader.tui.widgets.parallel_text import ParallelText
from sourcereader.tui.widgets.version_diff import DiffText
from tests.support.tui import GERMAN, SOVIET, app_for, write_user_document

pytestmark = pytest.mark.anyio
SIZE = (160, 45)

WIKI = "wikipedia-german-soviet-axis-talks-003"
WIKI_LEAD = "wikipedia-german-soviet-axis-talks-001"
LABEL = "USSR invited as a fourth Axis power"


# --------------------------------------------------------------------------- helpers
def demonstration(store: Store, library: Library) -> Claim:
    """The README's claim: "fourth Axis power" in the article, linked to the Soviet record's s21
    (supports) and to the German record's s18 (context)."""
    article = library.document(WIKI)
    anchor = claim_anchor(article, "s2", span=span_of(article, "s2", "fourth Axis power"))
    claim = store.add_claim(
        ClaimDraft(anchor, LABEL, "The article: the talks concerned a fourth Axis power.")
    )
    soviet, german = library.document(SOVIET), library.document(GERMAN)
    store.add_evidence(
        EvidenceDraft(
            claim.id, evidence_anchor(soviet, "s21"), "supports", "Hitler invites the USSR as fourth partner."
        )
    )
    store.add_evidence(
        EvidenceDraft(claim.id, evidence_anchor(german, "s18"), "context", "What Hitler says of Russia.")
    )
    return claim


def cache_machine_translation(store: Store, library: Library, sentence_ids: tuple[str, ...]) -> None:
    """Machine translations of some sentences of the Soviet record, cached as ``translate`` would."""
    document = library.document(SOVIET)
    rows = []
    for sid in sentence_ids:
        sentence = document.sentence(sid)
        provenance = mt.Provenance(
            engine="argos",
            packages=("translate-ru_en",),
            package_versions=("1.9",),
            model_hashes=("0" * 16,),
            source_hash=sentence_hash(sentence.text),
            translated_at="2026-01-02T00:00:00+00:00",
            source="ru",
            target="en",
        )
        rows.append(
            (sid, sentence.hash, mt.MachineSentence(f"MT: he offers the USSR to join ({sid})", provenance))
        )
    store.put_machine_translations(SOVIET, "en", rows)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers and the messages they post, twice (a write starts a reload)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def reader(app: App[Any]) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def go_to(screen: ReaderScreen, sentence_id: str) -> int:
    """Put the reader's cursor on the row of a source sentence; returns the row."""
    row = screen.rows.row_of_source(screen.document.sentence(sentence_id).index)
    screen.query_one(ParallelText).go_to(row)
    return row


def plain(renderable: object) -> str:
    """What a renderable shows, on one line per line, runs of spaces made one (the grid pads its columns)."""
    console = Console(width=400, record=True, color_system=None)
    console.print(renderable)
    return re.sub(" +", " ", console.export_text())


def highlighted(app: App[Any]) -> str | None:
    """The id of the highlighted option of the screen's option list."""
    option = app.screen.query_one(OptionList).highlighted_option
    return None if option is None else option.id


def entry_text(screen: Screen[Any], k: int) -> tuple[str, str]:
    """The two lines of the ``k``-th claim of a screen's claim list, spaces made single."""
    first, second = entry_lines(screen.query_one(ClaimList).entries.summaries[k])
    return " ".join(first.plain.split()), " ".join(second.plain.split())


def notes(app: App[Any]) -> list[str]:
    return [n.message for n in app._notifications]


# --------------------------------------------------------------------------- K: mark a claim
async def test_k_marks_a_claim_in_a_secondary_source(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=WIKI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        row = go_to(screen, "s2")
        await pilot.press("K")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClaimDialog)
        assert app.focused is dialog.query_one("#claim-label", Input)
        await pilot.press(*"fourth Axis power")
        dialog.query_one("#claim-words", Input).value = "fourth  Axis power"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [claim] = app.store.claims(document_id=WIKI)
        assert claim.label == "fourth Axis power"
        assert claim.anchor.sentence_ids == ("s2",) and claim.anchor.exact == "fourth Axis power"
        assert claim.anchor.span == (145, 162)
        assert any("Claim 1 marked on s2 [145:162]" in n for n in notes(app))
        # The claimed row carries the claim mark.
        assert screen.view is not None and screen.view.marks[row] == CLAIM_MARK


async def test_k_claims_words_selected_with_the_keyboard(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=WIKI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        go_to(reader(app), "s2")
        await pilot.press("K")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClaimDialog)
        area = dialog.query_one("#claim-span", TextArea)
        area.focus()
        # "Talks between" and a space: the space at the edge is not part of the claim.
        area.selection = Selection((0, 0), (0, 14))
        dialog.query_one("#claim-label", Input).value = "who talked"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [claim] = app.store.claims(document_id=WIKI)
        assert claim.anchor.exact == "Talks between" and claim.anchor.span == (0, 13)


async def test_k_dialog_shows_problems_and_cancels(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=WIKI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        go_to(reader(app), "s2")
        await pilot.press("K")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClaimDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a label" in str(dialog.query_one("#claim-error").render())
        dialog.query_one("#claim-label", Input).value = "x"
        dialog.query_one("#claim-words", Input).value = "not in this sentence"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "does not contain" in str(dialog.query_one("#claim-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.store.claims() == []


async def test_k_on_a_primary_document_says_where_claims_go(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        go_to(reader(app), "s21")
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any("Claims are marked in secondary sources" in n and "ctrl+k" in n for n in notes(app))


async def test_a_multi_sentence_row_offers_each_sentence(tmp_path: Path) -> None:
    from sourcereader.tui.screens.claim_dialogs import row_passages

    library = Library.default()
    passages = row_passages(library.document(WIKI), ["s3", "s4"])
    assert [p.sentence_ids for p in passages] == [("s3", "s4"), ("s3",), ("s4",)]
    assert passages[0].label.startswith("s3–s4") and not passages[0].single and passages[1].single


# --------------------------------------------------------------------------- ctrl+k: link to a claim
async def test_ctrl_k_links_a_primary_row_through_the_picker(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    article = app.library.document(WIKI)
    claim = app.store.add_claim(ClaimDraft(claim_anchor(article, "s2"), LABEL))
    other = app.store.add_claim(ClaimDraft(claim_anchor(article, "s8"), "A written draft was presented"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        row = go_to(screen, "s21")
        await pilot.press("ctrl+k")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinkDialog)
        assert [s.claim.id for s in dialog.shown] == [claim.id, other.id]
        assert app.focused is dialog.query_one("#link-filter", Input)
        await pilot.press(*"written draft")
        await pilot.pause()
        assert [s.claim.id for s in dialog.shown] == [other.id]
        await pilot.press("ctrl+u")  # the filter is emptied: every claim again
        await pilot.press(*"fourth")
        await pilot.pause()
        assert [s.claim.id for s in dialog.shown] == [claim.id]
        await pilot.press("enter")  # the highlighted claim is chosen; the stance is next
        await pilot.pause()
        assert dialog.query_one("#link-stance", Select).has_focus
        dialog.query_one("#link-stance", Select).value = "contradicts"
        dialog.query_one("#link-note", TextArea).load_text("Hitler *does* invite them.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [link] = app.store.evidence(claim.id)
        assert (link.document_id, link.anchor.sentence_ids, link.stance, link.note) == (
            SOVIET,
            ("s21",),
            "contradicts",
            "Hitler *does* invite them.",
        )
        assert app.store.evidence(other.id) == []
        assert screen.view is not None and screen.view.marks[row] == EVIDENCE_MARK
        assert any("s21 linked to claim 1 (contradicts)" in n for n in notes(app))


async def test_the_picker_without_claims_says_how_to_make_one(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        go_to(reader(app), "s21")
        await pilot.press("ctrl+k")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinkDialog)
        assert "mark one with K" in str(dialog.query_one("#link-empty").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "choose a claim" in str(dialog.query_one("#link-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)


async def test_ctrl_k_in_a_secondary_source_says_evidence_is_primary(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=WIKI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any("evidence is a passage of a primary document" in n for n in notes(app))


async def test_the_reader_marks_claims_and_evidence_from_the_store(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    demonstration(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        row = screen.rows.row_of_source(screen.document.sentence("s21").index)
        assert screen.view is not None and screen.view.marks == {row: EVIDENCE_MARK}
        marks = claim_marks(screen.document, screen.rows, screen.claimer.claims, screen.claimer.evidence)
        assert marks == {row: EVIDENCE_MARK}


# --------------------------------------------------------------------------- the Claims screen
async def test_the_claims_screen_lists_claims_with_their_status(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    article = app.library.document(WIKI)
    bare = app.store.add_claim(ClaimDraft(claim_anchor(article, "s8"), "A written draft was presented"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        table = screen.query_one(ClaimList)
        assert len(table.entries) == 2 and app.focused is table
        assert entry_text(screen, 0) == (
            f"{claim.id} supported +1 −0 ~0 ·1 {LABEL}",
            f"{WIKI} s2 [145:162] «fourth Axis power»",
        )
        assert entry_text(screen, 1)[0] == f"{bare.id} no evidence +0 −0 ~0 ·0 A written draft was presented"
        # j and k move, as in the reader.
        await pilot.press("j")
        assert table.current() == screen.shown[1]
        await pilot.press("k")
        assert table.cursor == 0
        # Typing filters (label, note, quote, source).
        await pilot.press("slash", *"written")
        await pilot.pause()
        assert [s.claim.id for s in screen.shown] == [bare.id] and len(table.entries) == 1
        screen.query_one("#claims-filter", Input).value = ""
        await pilot.pause()
        assert len(table.entries) == 2
        # Escape leaves the filter first, then the screen.
        await pilot.press("escape")
        assert app.focused is table and app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_the_claims_screen_deletes_to_the_bin_and_restores(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        await pilot.press("d")
        await settle(pilot)
        assert app.store.claim(claim.id, include_deleted=True).is_deleted
        assert len(screen.query_one(ClaimList).entries) == 0
        screen.query_one("#claims-show", Select).value = "bin"
        await pilot.pause()
        assert [s.claim.id for s in screen.shown] == [claim.id]
        assert "IN THE BIN" in entry_text(screen, 0)[0]
        await pilot.press("u")
        await settle(pilot)
        assert not app.store.claim(claim.id).is_deleted
        assert screen.shown == []
        await pilot.press("u")
        await pilot.pause()
        assert "Nothing to restore" in str(screen.query_one("#claims-status").render())


async def test_the_claims_screen_shows_orphans(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    [link, _] = app.store.evidence(claim.id)
    app.store.save_reanchored_claims([], [(link, None, "orphan")], link.anchor.version)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        screen.query_one("#claims-show", Select).value = "orphans"
        await pilot.pause()
        assert [s.claim.id for s in screen.shown] == [claim.id]
        assert "1 ORPHAN LINK" in entry_text(screen, 0)[0]


async def test_an_empty_claims_screen_says_how_to_mark_one(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert "press K on a sentence" in str(app.screen.query_one("#claims-status").render())
        await pilot.press("C")  # already there: nothing new is pushed
        await pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, ClaimsScreen)]) == 1


# --------------------------------------------------------------------------- one claim
async def test_a_claim_shows_its_evidence_in_the_original_and_in_translation(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    cache_machine_translation(app.store, app.library, ("s21",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen) and screen.view is not None
        listing = screen.query_one(OptionList)
        ids = [listing.get_option_at_index(k).id for k in range(listing.option_count)]
        assert ids == ["claim", f"version:{WIKI_LEAD}", None, "link:1", None, "link:2"]
        text = plain(listing.get_option_at_index(0).prompt)
        assert f"Claim {claim.id}: {LABEL}" in text
        assert "Wikipedia contributors, “German–Soviet Axis talks”" in text
        assert "fourth Axis power during World War II" in text
        assert "evidence supported — 1 supports · 0 contradicts · 0 qualifies · 1 context" in text
        version = plain(listing.get_option_at_index(1).prompt)
        assert f"In {WIKI_LEAD} s1" in version and "Soviet Union's" in version
        supports = plain(listing.get_option_at_index(3).prompt)
        assert f"[link 1] {SOVIET} s21" in supports
        assert "ru Он, Гитлер, предлагает Советскому Союзу участвовать как четвертому партнеру" in supports
        assert "en He, Hitler, invites the Soviet Union to participate as the fourth partner" in supports
        assert "— the author of a History Stack Exchange answer" in supports
        assert "MT: he offers the USSR to join (s21)" in supports
        assert "machine translation, Argos Translate" in supports
        assert "note Hitler invites the USSR as fourth partner." in supports
        assert "Supports (1)" in plain(listing.get_option_at_index(2).prompt)
        assert "Context (1)" in plain(listing.get_option_at_index(4).prompt)
        context = plain(listing.get_option_at_index(5).prompt)
        assert f"[link 2] {GERMAN} s18" in context and "re-examined the relations with Russia" in context


async def test_enter_jumps_to_the_evidence_in_the_reader(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    demonstration(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        await pilot.press("j", "j")  # the claim, its other version, the first passage
        assert highlighted(app) == "link:1"
        await pilot.press("enter")
        await settle(pilot)
        screen = reader(app)
        assert screen.document.id == SOVIET
        assert [type(s) for s in app.screen_stack][1:] == [LibraryScreen, ReaderScreen]
        row = screen.rows[screen.cursor]
        assert [screen.sentences[i].id for i in row.src] == ["s21"]


async def test_enter_on_the_claim_opens_its_source_and_v_its_versions(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    demonstration(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        versions = app.screen
        assert isinstance(versions, VersionsScreen)
        assert (versions.a.id, versions.b.id) == (WIKI, WIKI_LEAD)
        diff_text = versions.query_one(DiffText)
        line = diff_text.view.lines[diff_text.cursor]
        assert line.left_ids == "s2" and line.mark == CLAIM_MARK
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClaimScreen)
        await pilot.press("enter")  # on the claim: its sentence in the article
        await settle(pilot)
        screen = reader(app)
        assert screen.document.id == WIKI
        assert [type(s) for s in app.screen_stack][1:] == [LibraryScreen, ReaderScreen]
        assert [screen.sentences[i].id for i in screen.rows[screen.cursor].src] == ["s2"]
        assert screen.view is not None and screen.view.marks[screen.cursor] == CLAIM_MARK


async def test_edit_unlink_and_restore_in_the_claim_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClaimDialog)
        dialog.query_one("#claim-label", Input).value = "A fourth Axis power"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.claim(claim.id).label == "A fourth Axis power"
        await pilot.press("j", "j")
        await pilot.press("E")
        await pilot.pause()
        link_dialog = app.screen
        assert isinstance(link_dialog, LinkDialog)
        link_dialog.query_one("#link-stance", Select).value = "qualifies"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.evidence_link(1).stance == "qualifies"
        assert highlighted(app) == "link:1"
        await pilot.press("d")
        await settle(pilot)
        assert app.store.evidence_link(1, include_deleted=True).is_deleted
        assert screen.view is not None and [e.link.id for e in screen.view.evidence] == [2]
        await pilot.press("u")
        await settle(pilot)
        assert not app.store.evidence_link(1).is_deleted
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert "A fourth Axis power" in entry_text(app.screen, 0)[0]


async def test_an_orphan_passage_has_nowhere_to_jump(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    [link, _] = app.store.evidence(claim.id)
    app.store.save_reanchored_claims([], [(link, None, "orphan")], link.anchor.version)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = ClaimScreen(app.store, app.library, claim.id)
        app.push_screen(screen)
        await settle(pilot)
        listing = screen.query_one(OptionList)
        assert "ORPHAN" in plain(listing.get_option(f"link:{link.id}").prompt)
        listing.highlighted = listing.get_option_index(f"link:{link.id}")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "orphan" in str(screen.query_one("#claim-status").render())


# --------------------------------------------------------------------------- versions
async def test_versions_side_by_side_with_word_changes_marked(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    demonstration(app.store, app.library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        listing = library.query_one("#documents", OptionList)
        listing.highlighted = listing.get_option_index(WIKI_LEAD)
        await pilot.press("V")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        assert (screen.a.id, screen.b.id) == (WIKI_LEAD, WIKI)
        widget = screen.query_one(DiffText)
        lines = widget.view.lines
        assert screen.diff is not None and len(lines) == len(screen.diff.rows)
        # The lead's s1 is the article's s2, reworded: the words of each side are marked.
        changed = next(line for line in lines if line.left_ids == "s1")
        assert changed.change == "changed" and changed.right_ids == "s2" and changed.mark == CLAIM_MARK
        assert ("Soviet Union's", True) in changed.left and ("latter's", True) in changed.right
        assert any(
            text.strip() == "potential adherent as a fourth Axis power during World War II"
            for text, c in changed.right
            if not c
        )
        assert "25 same, 2 changed, 0 removed, 211 added" in str(
            screen.query_one("#versions-summary").render()
        )
        # n and p go from change to change.
        await pilot.press("g")
        await pilot.press("n")
        assert lines[widget.cursor].change != "same"
        first_change = widget.cursor
        await pilot.press("n")
        assert widget.cursor > first_change and lines[widget.cursor].change != "same"
        await pilot.press("p")
        assert widget.cursor == first_change
        # a folds the unchanged rows away.
        await pilot.press("a")
        await pilot.pause()
        folded = widget.view.lines
        assert len(folded) < len(lines) and any(line.folded for line in folded)
        assert all(line.change != "same" or line.folded or line.mark for line in folded)
        await pilot.press("a")
        await pilot.pause()
        assert len(widget.view.lines) == len(lines)
        # s swaps the sides.
        await pilot.press("s")
        await settle(pilot)
        assert (screen.a.id, screen.b.id) == (WIKI, WIKI_LEAD)
        assert "211 removed" in str(screen.query_one("#versions-summary").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_v_in_the_reader_opens_the_versions_at_the_cursor(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=WIKI)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        go_to(reader(app), "s8")
        await pilot.press("V")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        widget = screen.query_one(DiffText)
        assert widget.view.lines[widget.cursor].left_ids == "s8"
        # The moving keys of the reader move here too.
        await pilot.press("j")
        assert widget.view.lines[widget.cursor].left_ids == "s9"
        await pilot.press("G")
        assert widget.cursor == len(widget.view.lines) - 1
        await pilot.press("pageup")
        assert widget.cursor < len(widget.view.lines) - 1


async def test_v_on_a_document_without_versions_says_so(tmp_path: Path) -> None:
    app = app_for(tmp_path, document_id=SOVIET)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any("No other version" in n for n in notes(app))


async def test_several_versions_are_picked_from(tmp_path: Path) -> None:
    third = "wikipedia-german-soviet-axis-talks-user"
    path = write_user_document(
        third, "German–Soviet Axis talks occurred in 1940.\n\nA new sentence.", title="x"
    )
    text = path.read_text(encoding="utf-8").replace(
        'kind = "test document"',
        'kind = "secondary"\nauthor = "me"\nurl = ""\nrevision = "3"\nretrieved = ""\n'
        'work = "wikipedia:German–Soviet Axis talks"',
    )
    path.write_text(text, encoding="utf-8")
    app = app_for(tmp_path)
    assert sorted(d.id for d in app.library.versions(third)) == [WIKI_LEAD, WIKI]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        listing = library.query_one("#documents", OptionList)
        listing.highlighted = listing.get_option_index(third)
        await pilot.press("V")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, VersionPicker)
        choices = picker.query_one(OptionList)
        choices.highlighted = choices.get_option_index(WIKI)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        assert (screen.a.id, screen.b.id) == (third, WIKI)


def test_the_library_groups_the_versions_of_a_source() -> None:
    library = Library.default()
    [group] = [g for g in groups(library) if WIKI in [e.document.id for e in g.entries]]
    assert sorted(e.document.id for e in group.entries) == [WIKI_LEAD, WIKI]
    # Witnesses are still grouped by their event; a source without versions stands alone.
    assert any({SOVIET, GERMAN} <= {e.document.id for e in g.entries} for g in groups(library))
    [alone] = [
        g
        for g in groups(library)
        if "history-se-soviet-union-join-axis" in [e.document.id for e in g.entries]
    ]
    assert len(alone.entries) == 1


async def test_the_library_shows_the_versions_under_one_heading(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#documents", OptionList)
        prompts = [str(listing.get_option_at_index(k).prompt) for k in range(listing.option_count)]
        heading = next(k for k, p in enumerate(prompts) if "2 versions" in p)
        assert "German–Soviet Axis talks" in prompts[heading]
        assert {listing.get_option_at_index(heading + 1).id, listing.get_option_at_index(heading + 2).id} == {
            WIKI,
            WIKI_LEAD,
        }


def test_diff_lines_fold_unchanged_runs_but_not_claims() -> None:
    from sourcereader.core.versions import diff_versions

    library = Library.default()
    diff = diff_versions(library.document(WIKI_LEAD), library.document(WIKI))
    lines = diff_lines(diff, fold=True, claimed_a=["s3"])
    assert [line.left_ids for line in lines if line.mark] == ["s3"]
    runs = [line for line in lines if line.folded]
    assert runs and all(line.folded >= 2 for line in runs)
    assert sum(line.folded or 1 for line in lines) == len(diff.rows)


# --------------------------------------------------------------------------- hostile text
HOSTILE_LABEL = "[bold]x[/bold] [link=http://e]y[/link] \\x"
HOSTILE_NOTE = "note [red]red[/red] \x1b[31mESC\x1b[0m \x9b2J"


async def test_hostile_claim_text_is_shown_literally(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    claim = demonstration(app.store, app.library)
    app.store.update_claim(claim.id, label=HOSTILE_LABEL, note=HOSTILE_NOTE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        assert entry_text(screen, 0)[0].endswith(HOSTILE_LABEL)
        await pilot.press("enter")
        await settle(pilot)
        claim_screen = app.screen
        assert isinstance(claim_screen, ClaimScreen) and claim_screen.view is not None
        text = plain(claim_block(claim_screen.view).renderable())
        assert HOSTILE_LABEL in text
        assert "note [red]red[/red] \\x1b[31mESC\\x1b[0m \\x9b2J" in text
        assert "\x1b" not in text and "\x9b" not in text
        block = claim_block(claim_screen.view)
        assert all("\x1b" not in t.plain and "\x9b" not in t.plain for _, t in block.rows)


def test_evidence_blocks_escape_control_characters(store: Store, library: Library) -> None:
    from sourcereader.core.claims import claim_view

    claim = demonstration(store, library)
    store.update_evidence(1, note="\x1b]0;title\x07 [b]n[/b]")
    view = claim_view(store, library, claim.id)
    block = evidence_block(view.evidence[0], lambda d: f"title of {d} \x1b[7m")
    assert "note  \\x1b]0;title\\x07 [b]n[/b]" in block.plain
    assert "title of" in block.heading.plain and "\x1b" not in block.heading.plain


# --------------------------------------------------------------------------- keys
@pytest.mark.parametrize(
    ("scope", "owner"),
    [
        ("claims", ClaimsScreen),
        ("claim", ClaimScreen),
        ("claim_dialog", ClaimDialog),
        ("link_dialog", LinkDialog),
        ("versions", VersionsScreen),
        ("version_picker", VersionPicker),
        ("reader", ReaderScreen),
        ("library", LibraryScreen),
        ("app", SourceReaderApp),
    ],
)
def test_every_key_has_its_action(scope: Scope, owner: type) -> None:
    for binding in TABLE[scope]:
        action = binding.action.split("(")[0]
        # An action the screen has not is the app's (Textual looks there next).
        targets = (SourceReaderApp,) if action.startswith("app.") else (owner, SourceReaderApp)
        name = f"action_{action.removeprefix('app.')}"
        assert any(hasattr(t, name) for t in targets), (scope, binding.id)


def test_the_moving_keys_move_the_new_lists_too() -> None:
    for widget in (ClaimList, DiffText):
        for binding in TABLE["text"]:
            assert hasattr(widget, f"action_{binding.action}"), (widget.__name__, binding.id)


async def test_the_palette_offers_the_claims_keys(tmp_path: Path) -> None:
    from sourcereader.tui.commands import screen_commands

    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        ids = {b.id for b, _node in screen_commands(app.screen, app)}
        assert {"claims_open", "claims_delete", "claims_restore", "claims_filter", "claims"} <= ids


async def test_hostile_versions_are_shown_literally(tmp_path: Path) -> None:
    for doc_id, body in (
        ("hostile-a", "A [bold]first[/bold] sentence \x1b[31mred\x1b[0m here.\n\nThe same ending."),
        ("hostile-b", "A [bold]second[/bold] sentence \x9b2J there.\n\nThe same ending."),
    ):
        path = write_user_document(doc_id, body, title="Hostile [b]versions[/b]")
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                'kind = "test document"',
                'kind = "secondary"\nauthor = "x"\nurl = ""\nrevision = ""\nretrieved = ""\nwork = "hostile"',
            ),
            encoding="utf-8",
        )
    app = app_for(tmp_path, document_id="hostile-a")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        widget = screen.query_one(DiffText)
        shown = "\n".join(widget.render_line(y).text for y in range(10))
        assert "[bold]first[/bold]" in shown and "\\x1b[31mred\\x1b[0m" in shown and "\\x9b2J" in shown
        assert "\x1b" not in shown and "\x9b" not in shown
