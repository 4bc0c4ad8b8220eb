"""The export dialog: the CLI's filters, a live preview, and where the file is written.

Standalone: the reader pushes it with the store and the library and gets the written path back
(or None). The work is ``sourcereader.core.export``; this screen only gathers the choices.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea

from sourcereader.core.annotations import KINDS, AnnotationError
from sourcereader.core.export import ExportFilter, ExportOptions, export_annotations
from sourcereader.core.files import check_output, write_output
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

TRANSLATION_CHOICES = (
    ("human and machine", "human,machine"),
    ("human", "human"),
    ("machine", "machine"),
    ("none", "none"),
)
PREVIEW_CHARS = 6000


class ExportDialog(ModalScreen[Path | None]):
    """Choose what to export and where; Ctrl+S writes, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("export"))

    def __init__(
        self,
        store: Store,
        library: Library,
        *,
        default_path: Path | None = None,
        document_id: str | None = None,
        today: str | None = None,
    ) -> None:
        """``default_path``: suggested file; ``document_id``: preselected document filter;
        ``today``: the date written under the title (tests fix it)."""
        super().__init__()
        self.store = store
        self.library = library
        self.today = today or dt.date.today().isoformat()
        self.default_path = default_path or Path.home() / f"sourcereader-excerpts-{self.today}.md"
        self.document_id = document_id

    def compose(self) -> ComposeResult:
        """The filters, the options, the preview and the path."""
        documents = [(e.document.meta.title[:50], e.document.id) for e in self.library]
        with Vertical(id="dialog"):
            yield Label(Text("Export annotations", style="bold"))
            with Grid(id="form"):
                yield Label("Document")
                yield Select(documents, prompt="all", id="doc", value=self.document_id or Select.NULL)
                yield Label("Tags (any of)")
                yield Input(placeholder="comma-separated", id="tags")
                yield Label("Kind")
                yield Select([(k, k) for k in KINDS], prompt="any", id="kind")
                yield Label("Since (YYYY-MM-DD)")
                yield Input(placeholder="any date", id="since")
                yield Label("Context sentences")
                yield Input("0", id="context", type="integer")
                yield Label("Translations")
                yield Select(
                    list(TRANSLATION_CHOICES), value="human,machine", allow_blank=False, id="translations"
                )
                yield Label("Tags as")
                yield Select(
                    [("list", "list"), ("#hashtags", "hashtags")],
                    value="list",
                    allow_blank=False,
                    id="tags-as",
                )
                yield Label("Format")
                yield Select(
                    [("Markdown", "markdown"), ("W3C JSON-LD", "w3c")],
                    value="markdown",
                    allow_blank=False,
                    id="format",
                )
            yield TextArea("", id="preview", read_only=True, soft_wrap=True)
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
        """Show the first preview."""
        self.update_preview()

    def choices(self) -> tuple[ExportFilter, ExportOptions, str]:
        """The filter, options and format the form says (ValueError with a message if not valid)."""
        doc = self.query_one("#doc", Select).value
        kind = self.query_one("#kind", Select).value
        since = self.query_one("#since", Input).value.strip() or None
        if since is not None:
            try:
                dt.date.fromisoformat(since)
            except ValueError:
                raise ValueError("Since: a date like 2026-01-31") from None
        try:
            context = int(self.query_one("#context", Input).value or "0")
        except ValueError:
            raise ValueError("Context: a whole number") from None
        if context < 0:
            raise ValueError("Context: 0 or more")
        translations = str(self.query_one("#translations", Select).value)
        where = ExportFilter(
            documents=() if doc is Select.NULL else (str(doc),),
            tags=tuple(t.strip() for t in self.query_one("#tags", Input).value.split(",") if t.strip()),
            kind=None if kind is Select.NULL else str(kind),
            since=since,
        )
        options = ExportOptions(
            context=context,
            translations=() if translations == "none" else tuple(translations.split(",")),
            tags_as=str(self.query_one("#tags-as", Select).value),
            generated=self.today,
        )
        return where, options, str(self.query_one("#format", Select).value)

    def export_text(self) -> str:
        """The export as it would be written now."""
        return export_annotations(self.store, self.library, *self.choices()).text

    @on(Input.Changed)
    @on(Select.Changed)
    def update_preview(self) -> None:
        """Recompute the preview (the first few thousand characters)."""
        if not self.is_mounted:
            return
        try:
            text = self.export_text()
        except (ValueError, AnnotationError) as exc:
            self._error(str(exc))
            return
        self._error("")
        more = f"\n… ({len(text) - PREVIEW_CHARS} more characters)" if len(text) > PREVIEW_CHARS else ""
        self.query_one("#preview", TextArea).load_text(text[:PREVIEW_CHARS] + more)
        fmt = str(self.query_one("#format", Select).value)
        path_input = self.query_one("#path", Input)
        wanted = ".jsonld" if fmt == "w3c" else ".md"
        current = Path(path_input.value)
        if current.suffix in (".md", ".jsonld") and current.suffix != wanted:
            path_input.value = str(current.with_suffix(wanted))

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message))

    @on(Button.Pressed, "#write")
    def action_write(self) -> None:
        """Write the file (atomically) and return its path; problems are shown, not raised."""
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._error("Give a file name")
            return
        path = Path(raw).expanduser()
        overwrite = self.query_one("#overwrite", Checkbox).value
        try:
            check_output(path, overwrite=overwrite)
            write_output(path, self.export_text(), overwrite=overwrite)
        except FileExistsError:
            self._error(f"{path} exists: tick overwrite to replace it")
            return
        except IsADirectoryError:
            self._error(f"{path} is a directory: give a file name")
            return
        except FileNotFoundError:
            self._error(f"{path.parent if not path.parent.is_dir() else path} does not exist")
            return
        except (ValueError, AnnotationError) as exc:
            self._error(str(exc))
            return
        except OSError as exc:
            self._error(f"Cannot write {path}: {exc.strerror or exc}")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
