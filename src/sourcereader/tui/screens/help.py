"""The help screen: every key of every screen, as remapped by the user, and how to remap them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from sourcereader.core.sanitize import for_terminal
from sourcereader.tui.bindings import SCOPE_TITLES, TABLE, bindings_for, key_display

EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+q", "Quit"),
    ("mouse", "Click a row to make it current; the wheel scrolls"),
)


def help_text(keymap: Mapping[str, str], keys_path: Path | None) -> Text:
    """Every binding by scope, with its id (for remapping)."""
    text = Text()
    width = 16
    for scope, title in SCOPE_TITLES.items():
        text.append(f"{title}\n", style="bold underline")
        for binding in TABLE[scope]:
            # The keys come from the user's keys.toml: shown as text, control characters made visible.
            text.append(f"  {for_terminal(key_display(binding, keymap)):<{width}}", style="bold")
            text.append(f"{binding.tooltip or binding.description}")
            text.append(f"  ({binding.id})\n", style="dim")
        if scope == "app":
            for key, what in EXTRA_KEYS:
                text.append(f"  {key:<{width}}", style="bold")
                text.append(f"{what}\n")
        text.append("\n")
    text.append("Remapping keys\n", style="bold underline")
    where = (
        for_terminal(str(keys_path)) if keys_path is not None else "keys.toml in the configuration directory"
    )
    text.append(f"  Put the ids above in {where}:\n")
    text.append('    [keys]\n    next_low_confidence = "n"\n    merge_next = "+,m"\n')
    return text


class HelpScreen(ModalScreen[None]):
    """Every key."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("help"))

    def __init__(self, keymap: Mapping[str, str], keys_path: Path | None) -> None:
        super().__init__()
        self.keymap = keymap
        self.keys_path = keys_path

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text(self.keymap, self.keys_path), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
