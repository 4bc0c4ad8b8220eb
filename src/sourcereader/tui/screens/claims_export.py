"""The claims export dialog: the evidence brief (or W3C JSON-LD) of some claims, with a live preview.

What ``sourcereader export --claims [CLAIM…] [--format …] [--translations …] -o FILE`` writes, from
the Claims screen (every claim its filter shows, or the highlighted one) and from a claim's own
screen (that claim). The work is :func:`sourcereader.core.claims_export.export_claims`, the very
function the command line calls; this screen gathers the choices, previews the result and writes
the file. Both run in thread workers with their own store connection, as the claims screens read.
The dialog is dismissed with :class:`ClaimsExported` (or None when cancelled); every failure is a
message in the dialog, which stays open with the user's choices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea
from textual.worker import Worker, get_current_worker

from sourcereader.core.claims import ClaimError
from sourcereader.core.claims_export import BriefOptions, export_claims
from sourcereader.core.files import OutputRefused, check_output, write_output
from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import one_line
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.data import store_failure, worker_store
from sourcereader.tui.screens.export import PREVIEW_CHARS, TRANSLATION_CHOICES
from sourcereader.tui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

FORMAT_CHOICES = (("Markdown evidence brief", "markdown"), ("W3C JSON-LD", "w3c"))
NARROW = 100
"""Terminals narrower than this get the dialog's one-choice-a-line layout."""
SUFFIXES = {"markdown": ".md", "w3c": ".jsonld"}
"""The file name's ending for each format (the default path follows the format)."""


@dataclass(frozen=True)
class ClaimsExported:
    """What the dialog wrote: the file and how many claims it holds."""

    path: Path
    count: int


@dataclass(frozen=True)
class Choices:
    """What the form says: which claims, how, in which format."""

    claim_ids: tuple[int, ...]
    options: BriefOptions
    fmt: str


def write_problem(path: Path, exc: OSError | ValueError) -> str:
    """What went wrong writing ``path``, in one line that says what to do (the CLI's wording, with the
    dialog's own remedy for an existing file)."""
    if isinstance(exc, FileExistsError):
        return f"{path} exists: tick overwrite to replace it"
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a directory: give a file name"
    if isinstance(exc, FileNotFoundError):
        return f"{path if path.parent.is_dir() else path.parent} does not exist"
    if isinstance(exc, OutputRefused):
        return str(exc)
    if isinstance(exc, OSError):
        return f"Cannot write {path}: {exc.strerror or exc}"
    return one_line(str(exc))


class ClaimsExportDialog(ModalScreen[ClaimsExported | None]):
    """Export claims as an evidence brief or W3C JSON-LD; Ctrl+S writes, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("claims_export"))

    @dataclass
    class Previewed(Message):
        """A preview worker finished (``error``: why there is no preview)."""

        generation: int
        text: str
        count: int
        error: str = ""

    @dataclass
    class Written(Message):
        """The write worker finished: the file written, or why not (``error``)."""

        written: ClaimsExported | None
        error: str = ""

    def __init__(
        self,
        store: Store,
        library: Library,
        *,
        shown: Sequence[int],
        highlighted: int | None = None,
        default_path: Path | None = None,
        today: str | None = None,
    ) -> None:
        """``shown``: the claims the calling screen shows, in its order; ``highlighted``: the one under
        its cursor; ``default_path``: the suggested file; ``today``: the date under the title (tests
        fix it)."""
        super().__init__()
        self.store = store
        self.library = library
        self.shown = tuple(shown)
        self.highlighted = highlighted
        self.today = today or dt.date.today().isoformat()
        # Written as the user would type it; expanded when the file is written.
        self.default_path = default_path or Path(f"~/sourcereader-claims-{self.today}.md")
        self.generation = 0
        """Counts the previews asked for: a worker's late answer to an older choice is dropped."""
        self.writing = False
        """True while the write worker runs (a second Ctrl+S or Escape waits for it)."""

    def _which_choices(self) -> list[tuple[str, str]]:
        choices: list[tuple[str, str]] = []
        if self.highlighted is None or self.shown != (self.highlighted,):
            choices.append((f"every claim shown ({len(self.shown)})", "shown"))
        if self.highlighted is not None:
            alone = self.shown == (self.highlighted,)
            choices.append((f"claim {self.highlighted}" + ("" if alone else " (highlighted)"), "highlighted"))
        return choices

    def compose(self) -> ComposeResult:
        """The choices, the preview and the path."""
        which = self._which_choices()
        with Vertical(id="dialog"):
            yield Label(Text("Export claims: the evidence brief", style="bold"))
            with Grid(id="form"):
                yield Label("Claims")
                yield Select(which, value=which[0][1], allow_blank=False, id="which")
                yield Label("Format")
                yield Select(list(FORMAT_CHOICES), value="markdown", allow_blank=False, id="format")
                yield Label("Translations")
                yield Select(
                    list(TRANSLATION_CHOICES), value="human,machine", allow_blank=False, id="translations"
                )
            yield TextArea("Making the preview…", id="preview", read_only=True, soft_wrap=True)
            with Horizontal(id="path-row"):
                yield Input(str(self.default_path), id="path")
                yield TickBox("overwrite", id="overwrite")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Write", variant="primary", id="write")
                yield Button("Cancel", id="cancel")
        # On a small terminal the dialog scrolls and its buttons go out of sight: ctrl+s / esc stay shown.
        yield Footer()

    def on_mount(self) -> None:
        """Fit the terminal, show the first preview."""
        self._fit(self.app.size.width)
        self.update_preview()

    def on_resize(self, event: events.Resize) -> None:
        """Narrow terminals get the narrow layout."""
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        # Below NARROW columns two choices side by side would cut their values short: one choice a
        # line instead, and compact selects (one line each) so that the preview and the buttons
        # still fit on 24 lines.
        narrow = width < NARROW
        self.query_one("#dialog").set_class(narrow, "-narrow")
        for select in self.query(Select):
            select.compact = narrow

    def choices(self) -> Choices:
        """What the form says now."""
        which = str(self.query_one("#which", Select).value)
        ids = (self.highlighted,) if which == "highlighted" and self.highlighted is not None else self.shown
        translations = str(self.query_one("#translations", Select).value)
        options = BriefOptions(
            translations=() if translations == "none" else tuple(translations.split(",")),
            generated=self.today,
        )
        return Choices(ids, options, str(self.query_one("#format", Select).value))

    # ------------------------------------------------------------------ the preview
    @on(Select.Changed)
    def update_preview(self) -> None:
        """Make the preview again for the current choices (in a worker); the path follows the format."""
        if not self.is_mounted:
            return
        choices = self.choices()
        path_input = self.query_one("#path", Input)
        current = Path(path_input.value)
        wanted = SUFFIXES[choices.fmt]
        if current.suffix in SUFFIXES.values() and current.suffix != wanted:
            path_input.value = str(current.with_suffix(wanted))
        self.generation += 1
        self.make_preview(self.generation, choices)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="claims-export-preview",
        description="Making the preview",
    )
    def make_preview(self, generation: int, choices: Choices) -> None:
        """The export for ``choices``, made in a thread with its own store."""
        worker = get_current_worker()
        try:
            with worker_store(self.store) as store:
                exported = export_claims(store, self.library, choices.claim_ids, choices.options, choices.fmt)
        except ClaimError as exc:
            message = self.Previewed(generation, "", 0, str(exc))
        else:
            message = self.Previewed(generation, exported.text, exported.count)
        if not worker.is_cancelled:
            self.post_message(message)

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if message.generation != self.generation:
            return  # made for choices the user has changed since
        preview = self.query_one("#preview", TextArea)
        if message.error:
            preview.load_text("")
            self._error(message.error)
            return
        if not self.writing:
            self._error("")
        text = message.text
        more = f"\n… ({len(text) - PREVIEW_CHARS} more characters)" if len(text) > PREVIEW_CHARS else ""
        preview.load_text(text[:PREVIEW_CHARS] + more)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(one_line(message)))

    # ------------------------------------------------------------------ writing
    @on(Button.Pressed, "#write")
    def action_write(self) -> None:
        """Write the file (atomically, in a worker); the dialog closes once it is written."""
        if self.writing:
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._error("Give a file name")
            return
        self.writing = True
        self._error("Writing…")
        self.write_file(Path(raw).expanduser(), self.query_one("#overwrite", Checkbox).value, self.choices())

    @work(thread=True, exit_on_error=False, group="claims-export-write", description="Writing the file")
    def write_file(self, path: Path, overwrite: bool, choices: Choices) -> None:
        """Check the target, make the export and write it, in a thread with its own store."""
        try:
            check_output(path, overwrite=overwrite)  # an existing file is refused before any work
            with worker_store(self.store) as store:
                exported = export_claims(store, self.library, choices.claim_ids, choices.options, choices.fmt)
            write_output(path, exported.text, overwrite=overwrite)
        except ClaimError as exc:
            self.post_message(self.Written(None, str(exc)))
            return
        except (OSError, ValueError) as exc:
            self.post_message(self.Written(None, write_problem(path, exc)))
            return
        self.post_message(self.Written(ClaimsExported(path, exported.count)))

    @on(Written)
    def _written(self, message: Written) -> None:
        self.writing = False
        if message.written is None:
            self._error(message.error)
            return
        self.dismiss(message.written)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure (the database gone, locked…) is a message here, never a crash."""
        if event.state.name != "ERROR" or event.worker.error is None:
            return
        if event.worker.group == "claims-export-write":
            self.writing = False
        error = event.worker.error
        reason = store_failure(self.store, error) if isinstance(error, Exception) else str(error)
        self._error(f"{event.worker.description} failed: {reason}")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without writing (once a write has started, it is finished first)."""
        if self.writing:
            return
        self.dismiss(None)


def exported_toast(written: ClaimsExported) -> str:
    """The notification that names the file written."""
    return f"Wrote {counted(written.count, 'claim')} to {written.path}"
