"""A table that builds only the rows on screen: 100,000 rows cost what one screenful does.

The owner gives the number of rows and a function returning one row's cells
(:meth:`VirtualTable.show`); the table asks for the rows it draws, and nothing else. A caller
reading its rows from the store page by page (the annotations list) thus reads one page per
screen, however long the list. Columns share the width: each gets its minimum, then the spare
width goes to the flexible ones, so at 80 columns every column is still there, its cells cut
short with an ellipsis rather than pushed off screen.

Keys (the ``table`` scope of :mod:`sourcereader.tui.bindings`): arrows, page keys, home/end, and
Enter, which posts :class:`VirtualTable.Selected`. A click makes a row current; a click on the
current row selects it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sourcereader.tui.bindings import bindings_for

SEPARATOR = " "


@dataclass(frozen=True)
class Column:
    """One column: its title and how much of the width it may take."""

    title: str
    min_width: int
    """Never narrower than this (the title is cut if longer)."""
    max_width: int | None = None
    """Never wider than this; None: takes whatever is left once the others have their share."""
    flex: int = 1
    """Its share of the spare width, relative to the other columns' (0: stays at ``min_width``)."""


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """How wide each column is in ``width`` cells (separators included in the count)."""
    available = width - len(SEPARATOR) * max(0, len(columns) - 1)
    widths = [c.min_width for c in columns]
    spare = available - sum(widths)
    # Each flexible column grows by its share of the spare width, up to its maximum; what the capped
    # ones could not take is shared again among those that can still grow.
    growing = [k for k, c in enumerate(columns) if c.flex > 0]
    while spare > 0 and growing:
        total = sum(columns[k].flex for k in growing)
        given = 0
        still: list[int] = []
        for k in growing:
            share = max(1, spare * columns[k].flex // total)
            limit = columns[k].max_width
            room = share if limit is None else min(share, limit - widths[k])
            room = min(room, spare - given)
            widths[k] += room
            given += room
            if limit is None or widths[k] < limit:
                still.append(k)
        spare -= given
        if not given:
            break
        growing = still
    return widths


class VirtualTable(ScrollView, can_focus=True):
    """A one-line-per-row table over rows it asks for only when it draws them."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("table"))
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
    }

    cursor: var[int] = var(0)
    """Index of the current row."""

    @dataclass
    class Highlighted(Message):
        """The current row changed."""

        table: VirtualTable
        row: int

        @property
        def control(self) -> VirtualTable:
            """The table that sent the message."""
            return self.table

    @dataclass
    class Selected(Message):
        """Enter (or a click on the current row) chose a row."""

        table: VirtualTable
        row: int

        @property
        def control(self) -> VirtualTable:
            """The table that sent the message."""
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``columns``: the table's columns; ``empty``: what it says when it has no rows."""
        super().__init__(name=name, id=id, classes=classes)
        self.columns = tuple(columns)
        self.empty = empty
        self.row_count = 0
        self._cells: Callable[[int], Sequence[Text]] = lambda row: ()
        self._styles: dict[str, Style] = {}

    # ------------------------------------------------------------------ what to show
    def show(
        self,
        row_count: int,
        cells: Callable[[int], Sequence[Text]],
        *,
        columns: Sequence[Column] | None = None,
        empty: str | None = None,
    ) -> None:
        """Show ``row_count`` rows whose cells ``cells(row)`` gives (one Text per column, one line each),
        keeping the cursor on the same index where there still is one."""
        self.row_count = row_count
        self._cells = cells
        if columns is not None:
            self.columns = tuple(columns)
        if empty is not None:
            self.empty = empty
        self._update_virtual_size()
        self.set_reactive(VirtualTable.cursor, self.validate_cursor(self.cursor))
        self._scroll_to_cursor()
        self.refresh()

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.row_count - 1)) if self.row_count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if old != new:
            self.post_message(self.Highlighted(self, new))

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._styles.clear()
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._styles.clear()
        super()._on_blur(event)

    # ------------------------------------------------------------------ geometry
    @property
    def page_height(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def top(self) -> int:
        """The row drawn first, under the header."""
        return int(self.scroll_y)

    def _update_virtual_size(self) -> None:
        # One line for the header, one per row: scrolling by a line scrolls by a row.
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)

    def _scroll_to_cursor(self) -> None:
        cursor, top, height = self.cursor, self.top, self.page_height
        if cursor < top:
            new_top = cursor
        elif cursor >= top + height:
            new_top = cursor - height + 1
        else:
            return
        self.scroll_to(y=new_top, animate=False, immediate=True)

    def row_at(self, y: int) -> int | None:
        """The row drawn at line ``y`` of the widget (None for the header or below the last row)."""
        if y < 1:
            return None
        row = self.top + y - 1
        return row if row < self.row_count else None

    # ------------------------------------------------------------------ drawing
    def _style(self, name: str) -> Style:
        if name not in self._styles:
            self._styles[name] = (
                self.rich_style if not name else self.get_component_rich_style(f"virtual-table--{name}")
            )
        return self._styles[name]

    def _line(self, cells: Sequence[Text], widths: Sequence[int]) -> Strip:
        console = self.app.console
        parts: list[Strip] = [Strip([Segment(" ")])]
        for n, w in enumerate(widths):
            if n:
                parts.append(Strip([Segment(SEPARATOR)]))
            cell = cells[n].copy() if n < len(cells) else Text()
            cell.no_wrap = True
            cell.truncate(w, overflow="ellipsis")
            parts.append(Strip(list(cell.render(console, end=""))).adjust_cell_length(w))
        return Strip.join(parts)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, a row, or blank (the Line API)."""
        base = self._style("")
        width = self.scrollable_content_region.width
        widths = column_widths(self.columns, width - 1)
        if y == 0:
            titles = [Text(c.title) for c in self.columns]
            header = self._line(titles, widths).apply_style(self._style("header"))
            return header.apply_style(base).crop_extend(0, width, base)
        row = self.row_at(y)
        if row is None:
            if y == 1 and not self.row_count and self.empty:
                message = Strip([Segment(" "), *Text(self.empty, style="italic").render(self.app.console)])
                return message.apply_style(base).crop_extend(0, width, base)
            return Strip.blank(width, base)
        strip = self._line(self._cells(row), widths)
        if row == self.cursor:
            strip = strip.apply_style(self._style("cursor"))
        elif row % 2:
            strip = strip.apply_style(self._style("odd"))
        return strip.apply_style(base).crop_extend(0, width, base)

    def row_cells(self, row: int) -> Sequence[Text]:
        """The cells of a row, as the owner gives them (drawn or not)."""
        return self._cells(row)

    # ------------------------------------------------------------------ actions
    def action_cursor_down(self) -> None:
        """Next row."""
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.cursor -= 1

    def action_page_down(self) -> None:
        """One screen down."""
        self.cursor += self.page_height

    def action_page_up(self) -> None:
        """One screen up."""
        self.cursor -= self.page_height

    def action_first(self) -> None:
        """First row."""
        self.cursor = 0

    def action_last(self) -> None:
        """Last row."""
        self.cursor = self.row_count - 1

    def action_select(self) -> None:
        """Choose the current row."""
        if self.row_count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        """A click makes a row current; a click on the current row chooses it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.row_at(offset.y)
        if row is None:
            return
        self.focus()
        if row == self.cursor:
            self.action_select()
        else:
            self.cursor = row
