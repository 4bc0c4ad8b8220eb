"""What the reader shows when no machine-translation model is installed: which one, and how to get it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from sourcereader.core.sanitize import for_terminal
from sourcereader.tui.bindings import bindings_for


class NoModelScreen(ModalScreen[None]):
    """A first-class empty state: the machine-translation core's guidance, shown as it is written."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("no_model"))

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="no-model", classes="dialog"):
            yield Label("No machine translation model", classes="dialog-title")
            # Text, not markup: the message holds paths and brackets that must show as written.
            yield Static(Text(for_terminal(self.message)), id="no-model-message")
            yield Static(
                Text(
                    "The reader works without it: human translations and your notes are unaffected. "
                    "Machine translation runs offline once a model is installed."
                ),
                classes="dialog-help",
            )
            yield Button("Close", id="no-model-close", variant="primary")

    def on_button_pressed(self) -> None:
        """Close."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
