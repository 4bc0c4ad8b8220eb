"""A scroll view with a row cursor and the reading keys (the bindings table's "text" scope).

The parallel text, the version diff and the claims list each kept their own copy of the cursor, its
clamping and the eight actions that move it. Here once: a subclass says how many rows it has
(:meth:`row_count`) and how a page moves (:meth:`_page`), and overrides a key that does more (the
parallel text scrolls a tall row by line before the cursor moves on).
"""

from __future__ import annotations

from textual.reactive import var
from textual.scroll_view import ScrollView


class CursorView(ScrollView, can_focus=True):
    """A scroll view whose ``cursor`` is one of :meth:`row_count` rows, moved by the reading keys."""

    cursor: var[int] = var(0)
    """Index of the current row (always a row, or 0 when there is none)."""

    def row_count(self) -> int:
        """How many rows the cursor can be on."""
        raise NotImplementedError

    def _page(self, fraction: float, direction: int) -> None:
        """Move by ``fraction`` of a screen, down (1) or up (-1)."""
        raise NotImplementedError

    def validate_cursor(self, cursor: int) -> int:
        count = self.row_count()
        return max(0, min(cursor, count - 1)) if count else 0

    def action_cursor_down(self) -> None:
        """Next row."""
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.cursor -= 1

    def action_first(self) -> None:
        """First row."""
        self.cursor = 0

    def action_last(self) -> None:
        """Last row."""
        self.cursor = self.row_count() - 1

    def action_page_down(self) -> None:
        """One screen down."""
        self._page(1.0, 1)

    def action_page_up(self) -> None:
        """One screen up."""
        self._page(1.0, -1)

    def action_half_down(self) -> None:
        """Half a screen down."""
        self._page(0.5, 1)

    def action_half_up(self) -> None:
        """Half a screen up."""
        self._page(0.5, -1)
