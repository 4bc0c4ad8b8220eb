"""Helpers shared by the TUI tests: a file-backed store, fake translators, a user library."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sourcereader import locations
from sourcereader.core.alignment.beads import Bead
from sourcereader.core.documents import Document, Library, Translation, format_header, sentence_hash
from sourcereader.core.parallel_rows import one_to_one
from sourcereader.core.store import Store
from sourcereader.core.translation.errors import ModelMissing
from sourcereader.core.translation.machine import (
    SYNTHETIC_LABEL,
    MachineSentence,
    MachineTranslator,
    ProgressCallback,
    Provenance,
)
from sourcereader.tui.app import SourceReaderApp, make_app

if TYPE_CHECKING:
    from textual.pilot import Pilot

SOVIET = "1940-11-12-soviet-record-hitler-molotov"
GERMAN = "1940-11-12-german-record-hitler-molotov"
HSE = "hse-answer-en"


def open_store(tmp_path: Path) -> Store:
    """A store in a file: workers open their own connections to it."""
    return Store.open(tmp_path / "test.db")


class FakeTranslator:
    """Translates ru → en by tagging each sentence; ``synthetic`` marks it as a test model's output."""

    def __init__(self, *, synthetic: bool = False, pairs: set[tuple[str, str]] | None = None) -> None:
        self.synthetic = synthetic
        self.pairs = {("ru", "en"), ("de", "en"), ("en", "ru")} if pairs is None else pairs
        self.calls = 0

    def language_pairs(self) -> set[tuple[str, str]]:
        return self.pairs

    def translate(
        self,
        sentences: Sequence[str],
        *,
        source: str,
        target: str,
        on_progress: ProgressCallback | None = None,
    ) -> list[MachineSentence]:
        if (source, target) not in self.pairs:
            raise ModelMissing(source, target)
        self.calls += 1
        out = []
        for s in sentences:
            prov = Provenance(
                engine="argos",
                packages=(f"translate-{source}_{target}",),
                package_versions=("1.0",),
                model_hashes=("0" * 16,),
                source_hash=sentence_hash(s),
                translated_at="2026-01-01T00:00:00+00:00",
                source=source,
                target=target,
                synthetic=self.synthetic,
            )
            text = f"EN({len(s.split())} words)"
            if self.synthetic:
                text = f"{SYNTHETIC_LABEL} {text}"
            out.append(MachineSentence(text, prov))
        if on_progress is not None:
            on_progress(len(sentences), len(sentences))
        return out


INJECTED_BODY = (
    "Markup must show as typed: [bold]x[/bold] and [link=http://e]y[/link].\n\n"
    "An escape sequence must not colour anything: \x1b[31mred\x1b[0m stays plain.\n\n"
    "[[GAP — a [bold]gap[/bold] explanation with \x1b]0;title\x07 in it]]\n\n"
    "Last sentence."
)


def write_user_document(doc_id: str = "injected", body: str = INJECTED_BODY, *, title: str = "") -> Path:
    """A document in the user library (the isolated SOURCEREADER_HOME)."""
    header = {
        "id": doc_id,
        "title": title or "Hostile [bold]title[/bold] \x1b[7m",
        "language": "en",
        "date": "2020-01-01",
        "kind": "test document",
        "status": "complete",
        "original_publication": "",
        "archival_reference": "",
        "copy_source": "tests",
        "license": "CC0",
        "notes": "",
    }
    folder = locations.user_library_dir() / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.txt"
    path.write_text(format_header(header) + body + "\n", encoding="utf-8")
    return path


def app_for(
    tmp_path: Path,
    *,
    document_id: str | None = None,
    translator: MachineTranslator | None = None,
) -> SourceReaderApp:
    """The app over the bundled + user library with a file store."""
    store = open_store(tmp_path)
    library = Library.default(cache=store)
    return make_app(
        library, store, translator if translator is not None else FakeTranslator(), document_id=document_id
    )


def reference_alignment(n_src: int, n_tgt: int, *, start: int = 17) -> list[Bead]:
    """The HSE answer's four sentences on s18–s21 (indices 17–20) of the Soviet record, checked by hand;
    one bead left unsure and one verified, so both marks show (the aligner never verifies, and is sure
    enough of all four beads that none is marked)."""
    beads = [Bead((i,), (), 1.0) for i in range(start)]
    confidences = [0.9, 0.3, 0.8, 1.0]
    for k in range(n_tgt):
        beads.append(Bead((start + k,), (k,), confidences[k % 4], k == 3))
    beads += [Bead((i,), (), 1.0) for i in range(start + n_tgt, n_src)]
    return beads


def fixed_alignments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the reader's aligner by :func:`reference_alignment`, for tests of the unsure and verified
    marks and of corrections: they need beads the real aligner does not produce."""
    from sourcereader.core.alignment.document import DocumentAlignment
    from sourcereader.tui.screens import reader

    def align(store: object, document: Document, translation: Translation) -> DocumentAlignment:
        n, m = len(document.sentences), len(translation.sentences)
        beads = reference_alignment(n, m) if document.id == SOVIET and m == 4 else one_to_one(n, m)
        return DocumentAlignment(tuple(beads), dropped_corrections=0, cached=True)

    monkeypatch.setattr(reader, "document_alignment", align)


async def steady_cursors(pilot: Pilot[Any]) -> None:
    """Show every text cursor steadily instead of blinking, then let the screen redraw.

    A focused Input or TextArea hides its cursor every other half second (Textual ignores
    TEXTUAL_CURSOR_BLINK): on a busy machine a snapshot taken a little late caught it hidden.
    """
    from textual.widgets import Input, TextArea

    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, (Input, TextArea))
            widget.cursor_blink = False
            # The widgets redraw only the cursor's line, which missed a TextArea scrolled in a dialog.
            widget.refresh()
    await pilot.pause()


async def settled(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen handle what they posted (the messages they send may start
    more work: a write reads its list again), then let the screen redraw."""
    app = pilot.app
    await pilot.pause()
    while any(not w.is_finished for w in app.workers):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()
