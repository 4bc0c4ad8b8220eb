"""Two versions of a secondary source side by side, sentence-aligned, word changes marked.

:class:`VersionsScreen` aligns the versions with :func:`~sourcereader.core.versions.diff_versions`
(identical sentences first, then the library's aligner on what lies between; cached in the store)
in a thread worker with its own store, and shows each row's two sides with what only one version
has marked. Rows holding a claim carry the claim mark, so a reader sees how a claim's wording
changed. ``n``/``p`` go to the next or previous change, ``a`` folds the unchanged rows away, ``s``
swaps the sides.

The library groups the versions of one source (:func:`version_key`, :func:`versions_heading`), and
:class:`VersionPicker` lets the user choose the version to compare with when there are several.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from sourcereader.core.documents import Document, Library, LibraryEntry, id_range
from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import one_line
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.data import worker_store
from sourcereader.tui.widgets.version_diff import DiffHeader, DiffLine, DiffText, DiffView

if TYPE_CHECKING:
    from sourcereader.core.store import Store
    from sourcereader.core.versions import DiffRow, VersionDiff

CLAIM_MARK = "❝"
"""Gutter mark of a row holding a claim (the reader marks claimed rows the same way)."""


# --------------------------------------------------------------------------- the library's groups
def version_key(entry: LibraryEntry) -> str:
    """The key grouping the versions of one secondary source in the library (empty for any other
    document, and for a secondary source that names no ``work``)."""
    meta = entry.document.meta
    if meta.secondary is None or not meta.secondary.work:
        return ""
    return f"work:{meta.secondary.work}"


def group_key(entry: LibraryEntry) -> str:
    """What the library groups a document by: its event (witnesses), else the source it is a version
    of (versions), else nothing."""
    return entry.document.meta.event or version_key(entry)


def versions_heading(entries: Sequence[LibraryEntry]) -> Text:
    """The library's heading over the versions of one source."""
    title = entries[0].document.meta.title if entries else ""
    heading = Text(f"▾ {one_line(title)}", style="bold italic")
    heading.append(f" — {counted(len(entries), 'version')} (V compares two)", style="italic")
    return heading


# --------------------------------------------------------------------------- rows
def diff_lines(
    diff: VersionDiff,
    *,
    fold: bool = False,
    claimed_a: Iterable[str] = (),
    claimed_b: Iterable[str] = (),
) -> tuple[DiffLine, ...]:
    """The lines the diff is drawn as: one per row, rows holding a claim marked; with ``fold``, each
    run of two or more unchanged rows without a claim becomes one folded line."""
    marked_a, marked_b = set(claimed_a), set(claimed_b)

    def mark(row: DiffRow) -> str:
        return CLAIM_MARK if marked_a.intersection(row.a) or marked_b.intersection(row.b) else ""

    out: list[DiffLine] = []
    run: list[tuple[int, DiffRow]] = []

    def flush() -> None:
        if len(run) >= 2:
            first, last = run[0][1], run[-1][1]
            out.append(
                DiffLine(
                    "same",
                    id_range((first.a[0], last.a[-1])),
                    id_range((first.b[0], last.b[-1])),
                    folded=len(run),
                    row=run[0][0],
                )
            )
        else:
            out.extend(_line(k, row, "") for k, row in run)
        run.clear()

    for k, row in enumerate(diff.rows):
        m = mark(row)
        if fold and row.change == "same" and not m:
            run.append((k, row))
            continue
        flush()
        out.append(_line(k, row, m))
    flush()
    return tuple(out)


def _line(k: int, row: DiffRow, mark: str) -> DiffLine:
    return DiffLine(
        row.change,
        id_range(row.a),
        id_range(row.b),
        tuple(row.left()) if row.a else (),
        tuple(row.right()) if row.b else (),
        mark,
        row=k,
    )


def column_title(document: Document) -> str:
    """What a column is: the document's id, its sentences, and its revision when recorded."""
    title = f"{document.id} ({counted(len(document.sentences), 'sentence')})"
    secondary = document.meta.secondary
    if secondary is not None and secondary.revision and "not recorded" not in secondary.revision:
        title += f" · revision {secondary.revision}"
    return title


# --------------------------------------------------------------------------- the screen
class VersionsScreen(Screen[None]):
    """Two versions of a source side by side."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("versions"))
    SCOPES = ("app", "versions")

    fold: var[bool] = var(False)
    """Unchanged rows are folded away (``a``)."""
    diff: var[VersionDiff | None] = var(None, always_update=True)
    """The two versions aligned and compared (read in a worker)."""

    @dataclass
    class Compared(Message):
        """The worker aligned the versions (``error`` when it could not)."""

        diff: VersionDiff | None
        claimed_a: tuple[str, ...] = ()
        claimed_b: tuple[str, ...] = ()
        error: str = ""

    def __init__(self, store: Store, a: Document, b: Document, *, start_at: str | None = None) -> None:
        """``a`` goes left, ``b`` right; ``start_at``: a sentence id of ``a`` to put the cursor on."""
        super().__init__()
        self.store = store
        self.a = a
        self.b = b
        self.start_at = start_at
        self.claimed: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        """Sentence ids of ``a`` and of ``b`` that hold a claim."""

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="versions-title")
        yield Static(Text("Aligning the two versions…"), id="versions-summary")
        with Vertical(id="versions-body"):
            yield DiffHeader(id="versions-header")
            yield DiffText(id="versions-diff")
        yield Footer()

    def _title(self) -> Text:
        title = Text(f"Versions of “{one_line(self.a.meta.title)}”", style="bold")
        title.append(f"  {self.a.id} → {self.b.id}")
        return title

    def on_mount(self) -> None:
        self.query_one(DiffText).focus()
        self.compare()

    @work(thread=True, exclusive=True, exit_on_error=False, group="versions", description="Comparing")
    def compare(self) -> None:
        """Align and compare the versions in a thread with its own store (the alignment is cached)."""
        from sourcereader.core.versions import diff_versions

        a, b = self.a, self.b
        if a.language != b.language:
            self.post_message(
                self.Compared(
                    None,
                    error=f"{a.id} is in {a.language} and {b.id} in {b.language}: "
                    "versions are compared in one language",
                )  # fmt: skip
            )
            return
        with worker_store(self.store) as store:
            diff = diff_versions(a, b, cache=store)
            claimed_a = _claimed(store, a.id)
            claimed_b = _claimed(store, b.id)
        self.post_message(self.Compared(diff, claimed_a, claimed_b))

    @on(Compared)
    def _compared(self, message: Compared) -> None:
        summary = self.query_one("#versions-summary", Static)
        if message.diff is None:
            summary.update(Text(message.error))
            return
        self.claimed = (message.claimed_a, message.claimed_b)
        self.diff = message.diff
        summary.update(self._summary(message.diff))
        if self.start_at is not None:
            start, self.start_at = self.start_at, None
            self.go_to_sentence(start)

    def _summary(self, diff: VersionDiff) -> Text:
        text = Text(one_line(diff.summary()))
        text.append("   ~ changed  − only left  + only right", style="dim")
        if any(self.claimed):
            text.append(f"  {CLAIM_MARK} a claim", style="dim")
        return text

    def watch_diff(self) -> None:
        self._draw()

    def watch_fold(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if not self.is_mounted or self.diff is None:
            return
        widget = self.query_one(DiffText)
        current = widget.view.lines[widget.cursor].row if len(widget.view) else 0
        lines = diff_lines(self.diff, fold=self.fold, claimed_a=self.claimed[0], claimed_b=self.claimed[1])
        view = DiffView(lines, column_title(self.a), column_title(self.b))
        widget.view = view
        self.query_one(DiffHeader).view = view
        widget.go_to(_line_of_row(lines, current))

    def go_to_sentence(self, sentence_id: str) -> None:
        """Put the cursor on the row holding a sentence of the left version."""
        widget = self.query_one(DiffText)
        if self.diff is None:
            return
        for k, row in enumerate(self.diff.rows):
            if sentence_id in row.a:
                widget.go_to(_line_of_row(widget.view.lines, k))
                return

    # ------------------------------------------------------------------ actions
    def action_close(self) -> None:
        """Back to where the versions were opened from."""
        self.dismiss(None)

    def action_next_change(self, direction: int) -> None:
        """Go to the next (``1``) or previous (``-1``) row that differs."""
        widget = self.query_one(DiffText)
        lines = widget.view.lines
        k = widget.cursor + direction
        while 0 <= k < len(lines):
            if lines[k].change != "same":
                widget.go_to(k)
                return
            k += direction
        self.notify("No more changes that way.", title="Versions")

    def action_toggle_unchanged(self) -> None:
        """Fold the unchanged rows away, or show them again."""
        self.fold = not self.fold

    def action_swap(self) -> None:
        """Swap the two versions' sides (compared again: word changes read the other way)."""
        widget = self.query_one(DiffText)
        start: str | None = None
        if self.diff is not None and len(widget.view):
            row = self.diff.rows[widget.view.lines[widget.cursor].row]
            start = row.b[0] if row.b else None
        self.a, self.b = self.b, self.a
        self.start_at = start
        self.query_one("#versions-title", Static).update(self._title())
        self.compare()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure is shown on the summary line, never a crash of the screen."""
        if event.state.name == "ERROR" and event.worker.error is not None:
            self.query_one("#versions-summary", Static).update(
                Text(f"{event.worker.description} failed: {one_line(str(event.worker.error))}")
            )


def _claimed(store: Store, document_id: str) -> tuple[str, ...]:
    """Sentence ids of a document holding a live, anchored claim."""
    return tuple(
        sid
        for claim in store.claims(document_id=document_id, orphans=False)
        for sid in claim.anchor.sentence_ids
    )


def _line_of_row(lines: Sequence[DiffLine], row: int) -> int:
    """The line showing diff row ``row`` (a folded line covers a run)."""
    found = 0
    for k, line in enumerate(lines):
        if line.row > row:
            break
        found = k
    return found


# --------------------------------------------------------------------------- choosing a version
class VersionPicker(ModalScreen[str | None]):
    """Choose the version to compare a document with, when there are several."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("version_picker"))

    def __init__(self, document: Document, others: Sequence[Document]) -> None:
        super().__init__()
        self.document = document
        self.others = tuple(others)

    def compose(self) -> ComposeResult:
        with Vertical(id="version-picker", classes="dialog"):
            yield Label(Text(f"Compare {self.document.id} with which version?"), classes="dialog-title")
            yield OptionList(
                *(Option(Text(f"{d.id} · {counted(d.counts[0], 'sentence')}"), id=d.id) for d in self.others),
                id="version-list",
            )
            yield Label("Enter compares, Escape cancels", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def other_versions(library: Library, document_id: str) -> tuple[Document, ...]:
    """The other versions of a document's source that can be compared with it (same language)."""
    if document_id not in library:
        return ()
    document = library.document(document_id)
    return tuple(d for d in library.versions(document_id) if d.language == document.language)
