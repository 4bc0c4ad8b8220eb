"""Choosing, ordering and hiding the reader's columns (kept per document, and optionally as the default)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label, SelectionList
from textual.widgets.selection_list import Selection

from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.widgets.tick_box import CheckList, TickBox


@dataclass(frozen=True)
class ColumnChoice:
    """A column the document can show."""

    key: str
    title: str


@dataclass(frozen=True)
class ColumnsChosen:
    """What the dialog returns: the shown columns in order, and whether they become the default."""

    keys: tuple[str, ...]
    as_default: bool = False
    """Documents the user has not arranged open with this layout too."""


class ColumnsDialog(ModalScreen[ColumnsChosen | None]):
    """Tick the columns to show; shift+up/down (or K/J) move the highlighted one; the box below makes the
    layout the default. Returns the shown keys (kept for this document)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("columns"))

    def __init__(self, choices: list[ColumnChoice], shown: tuple[str, ...]) -> None:
        super().__init__()
        known = {c.key: c for c in choices}
        # Shown columns first, in their order, then the others.
        self.order = [known[k] for k in shown if k in known] + [c for c in choices if c.key not in shown]
        self.ticked = {k for k in shown if k in known}

    def compose(self) -> ComposeResult:
        with Vertical(id="columns-dialog", classes="dialog"):
            yield Label("Columns", classes="dialog-title")
            yield CheckList(*self._selections(), id="columns-list")
            yield TickBox("Also for documents I have not arranged", id="columns-default")
            yield Label(
                "space: show/hide · shift+↑/↓: reorder · tab: the box · enter: apply (kept for next time)"
                " · esc: cancel",
                classes="dialog-help",
            )

    def _selections(self) -> list[Selection[str]]:
        return [Selection(c.title, c.key, c.key in self.ticked) for c in self.order]

    def action_move(self, direction: int) -> None:
        """Move the highlighted column left (up) or right (down)."""
        listing = self.query_one(SelectionList)
        k = listing.highlighted
        if k is None or not 0 <= k + direction < len(self.order):
            return
        self.ticked = set(listing.selected)
        self.order[k], self.order[k + direction] = self.order[k + direction], self.order[k]
        listing.clear_options()
        listing.add_options(self._selections())
        listing.highlighted = k + direction

    def action_apply(self) -> None:
        """Return the ticked columns in order (nothing ticked: no change)."""
        selected = set(self.query_one(SelectionList).selected)
        keys = tuple(c.key for c in self.order if c.key in selected)
        as_default = self.query_one("#columns-default", Checkbox).value
        self.dismiss(ColumnsChosen(keys, as_default) if keys else None)

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)
