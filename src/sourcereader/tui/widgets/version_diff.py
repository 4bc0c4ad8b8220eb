"""Two versions of a text side by side, one row per aligned group of sentences, word changes marked.

The screen hands the widget a :class:`DiffView` (rows, already folded or not) and a cursor; the
widget draws each row as two columns — what only the left version has in the *delete* style, what
only the right one has in the *insert* style, rows both share unchanged in a muted style — and a
gutter with the kind of change (``~`` changed, ``−`` removed, ``+`` added) and a mark for rows
that hold a claim. A run of unchanged rows may be folded into one line.

All the text is literal: document text is made safe for the terminal (control characters shown as
``\\xNN``) and never parsed as markup. Rows are wrapped once per width; an article of a few hundred
sentences costs a few milliseconds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from sourcereader.core.sanitize import for_terminal
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.widgets.cursor_view import CursorView

GUTTER = 3
"""Cells left of the columns: the kind of change, a claim mark, a space."""
SEPARATOR = " │ "
CHANGE_MARKS = {"same": " ", "changed": "~", "removed": "−", "added": "+"}
"""Gutter sign of a row by its kind of change (the colour says it too, but not to everyone)."""


@dataclass(frozen=True)
class DiffLine:
    """One row as drawn: the sentences of each version and their pieces, or a folded run."""

    change: str
    """``same``, ``changed``, ``removed`` or ``added`` (a folded run is ``same``)."""
    left_ids: str
    """The left version's sentence ids (``s3``, ``s3–s5``, empty when it has none)."""
    right_ids: str
    left: tuple[tuple[str, bool], ...] = ()
    """``(text, changed)`` pieces of the left version."""
    right: tuple[tuple[str, bool], ...] = ()
    mark: str = ""
    """A one-cell mark in the gutter (a claim on the row)."""
    folded: int = 0
    """More than 0: this line stands for that many unchanged rows, folded away."""
    row: int = 0
    """The index of the (first) diff row it shows."""


@dataclass(frozen=True, eq=False)
class DiffView:
    """What the widget draws: its lines and the two columns' titles."""

    lines: tuple[DiffLine, ...] = ()
    left_title: str = ""
    right_title: str = ""
    version: object = field(default_factory=object)
    """Distinct for every layout made: the widget's wrapped lines are keyed by it."""

    def __len__(self) -> int:
        return len(self.lines)


def column_widths(total: int) -> tuple[int, int]:
    """Widths of the two columns sharing ``total`` cells after the gutter and separator."""
    free = max(2, total - GUTTER - len(SEPARATOR))
    return free // 2, free - free // 2


def _ids_label(left: str, right: str) -> str:
    return f"{left or '—'} → {right or '—'}"


class DiffText(CursorView, can_focus=True):
    """Rows of two versions side by side; one row is the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("text"))

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "version-diff--cursor",
        "version-diff--delete",
        "version-diff--insert",
        "version-diff--same",
        "version-diff--ids",
        "version-diff--separator",
        "version-diff--mark",
        "version-diff--change",
        "version-diff--folded",
    }

    view: var[DiffView] = var(DiffView, always_update=True)
    """What to draw; replaced whole by the screen."""

    @dataclass
    class CursorMoved(Message):
        """The current line changed."""

        diff_text: DiffText
        line: int

        @property
        def control(self) -> DiffText:
            """The widget that sent the message."""
            return self.diff_text

        def can_replace(self, message: Message) -> bool:
            # Holding j down sends one of these per key: only the latest matters.
            return isinstance(message, DiffText.CursorMoved)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._strips: list[list[Strip]] = []
        self._starts: list[int] = []
        self._key: tuple[object, ...] = ()
        self._styles: dict[str, Style] = {}

    # ------------------------------------------------------------------ state
    def watch_view(self) -> None:
        self._key = ()
        count = len(self.view)
        if self.cursor >= count:
            self.set_reactive(DiffText.cursor, max(0, count - 1))
        self._relayout()
        self.refresh()

    def row_count(self) -> int:
        """How many lines the diff has."""
        return len(self.view)

    def watch_cursor(self, old: int, new: int) -> None:
        if old == new:
            return
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self, new))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A theme change changes the component styles the cached lines were drawn with.
        self._styles.clear()
        self._key = ()
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    # ------------------------------------------------------------------ layout
    def _width(self) -> int:
        return max(12, self.scrollable_content_region.width)

    def _relayout(self) -> None:
        """Wrap every row at the current width (once per layout and width)."""
        key = (self.view.version, self._width())
        if key == self._key:
            return
        self._key = key
        self._strips = [self._render_row(line) for line in self.view.lines]
        starts = []
        total = 0
        for strips in self._strips:
            starts.append(total)
            total += len(strips)
        self._starts = starts
        self.virtual_size = Size(self._width(), total)

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if not name else self.get_component_rich_style(f"version-diff--{name}")
            self._styles[name] = style
        return style

    def _wrap(self, text: Text, width: int) -> list[Strip]:
        console = self.app.console
        lines = text.wrap(console, width, justify="left", overflow="fold", no_wrap=False)
        return [Strip(list(line.render(console, end=""))).adjust_cell_length(width) for line in lines]

    def _side(self, ids: str, pieces: Sequence[tuple[str, bool]], change: str, marked: str) -> Text:
        text = Text()
        if ids:
            text.append(f"{ids} ", style=self._style("ids"))
        plain = self._style("same") if change == "same" else Style()
        for piece, changed in pieces:
            text.append(for_terminal(piece), style=self._style(marked) if changed else plain)
        return text

    def _render_row(self, line: DiffLine) -> list[Strip]:
        width = self._width()
        if line.folded:
            label = Text(
                f"⋯ {_ids_label(line.left_ids, line.right_ids)}  "
                f"{line.folded} unchanged rows folded (a shows them)",
                style=self._style("folded"),
            )
            body = self._wrap(label, width - GUTTER)
            gutter = Strip([Segment(" " * GUTTER)])
            return [*(Strip.join([gutter, b]) for b in body), Strip.blank(width)]
        left_w, right_w = column_widths(width)
        left = self._wrap(self._side(line.left_ids, line.left, line.change, "delete"), left_w)
        right = self._wrap(self._side(line.right_ids, line.right, line.change, "insert"), right_w)
        if not line.left:
            left = []
        if not line.right:
            right = []
        height = max(1, len(left), len(right))
        separator = Segment(SEPARATOR, self._style("separator"))
        sign = Segment(CHANGE_MARKS.get(line.change, " "), self._style("change"))
        mark = Segment((line.mark or " ")[:1], self._style("mark"))
        out = []
        for k in range(height):
            gutter = Strip([sign, mark, Segment(" ")]) if k == 0 else Strip.blank(GUTTER)
            parts = [
                gutter,
                left[k] if k < len(left) else Strip.blank(left_w),
                Strip([separator]),
                right[k] if k < len(right) else Strip.blank(right_w),
            ]
            out.append(Strip.join(parts))
        out.append(Strip.blank(width))
        return out

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget (the Line API)."""
        self._relayout()
        base = self._style("")
        width = self.scrollable_content_region.width
        absolute = int(self.scroll_y) + y
        if not self._starts or absolute >= self.virtual_size.height:
            return Strip.blank(width, base)
        k = bisect.bisect_right(self._starts, absolute) - 1
        strips = self._strips[k]
        line = absolute - self._starts[k]
        strip = strips[line]
        if k == self.cursor and line < len(strips) - 1:
            strip = strip.apply_style(self._style("cursor"))
        return strip.apply_style(base).crop_extend(0, width, base)

    def _scroll_to_cursor(self) -> None:
        self._relayout()
        if not self._starts:
            return
        k = self.cursor
        height = len(self._strips[k]) - 1  # the blank line after a row need not show
        region = Region(0, self._starts[k], 1, max(1, height))
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def line_at(self, y: int) -> int | None:
        """The line drawn at row ``y`` of the widget, if any."""
        absolute = int(self.scroll_y) + y
        if not self._starts or absolute >= self.virtual_size.height:
            return None
        return bisect.bisect_right(self._starts, absolute) - 1

    def visible_lines(self) -> range:
        """Lines with at least one row on screen."""
        self._relayout()
        if not self._starts:
            return range(0)
        top = int(self.scroll_y)
        first = bisect.bisect_right(self._starts, top) - 1
        last = bisect.bisect_right(self._starts, top + max(1, self.scrollable_content_region.height) - 1) - 1
        return range(max(0, first), last + 1)

    # ------------------------------------------------------------------ actions (the "text" keys)
    def _page(self, fraction: float, direction: int) -> None:
        if not self._starts:
            return
        lines = max(1, int(self.scrollable_content_region.height * fraction))
        self.scroll_to(y=max(0, self.scroll_y + direction * lines), animate=False, immediate=True)
        shown = self.visible_lines()
        if self.cursor not in shown and len(shown):
            self.cursor = shown.start if direction > 0 else shown.stop - 1
        elif shown and (shown.stop - 1 == len(self.view) - 1 or shown.start == 0):
            # At an end the view cannot move on: the cursor goes the rest of the way.
            self.cursor = shown.stop - 1 if direction > 0 else shown.start

    def go_to(self, line: int) -> None:
        """Make ``line`` the cursor, a few rows below the top when it was off screen."""
        line = self.validate_cursor(line)
        self._relayout()
        if self._starts and line not in self.visible_lines():
            top = self._starts[max(0, line - 1)]
            self.scroll_to(y=top, animate=False, immediate=True)
        self.cursor = line

    def on_click(self, event: events.Click) -> None:
        """Clicking a row makes it the cursor."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = self.line_at(offset.y)
        if line is not None:
            self.focus()
            self.cursor = line


class DiffHeader(Widget):
    """One line naming the two columns of a :class:`DiffText`, with the same geometry."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"version-diff-header--title"}

    view: var[DiffView] = var(DiffView, always_update=True)
    """The layout whose columns are named."""

    def watch_view(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The header line (the Line API)."""
        base = self.rich_style
        width = self.size.width
        if y:
            return Strip.blank(width, base)
        # The diff always shows its one-cell scrollbar: leave the same cell free here.
        left_w, right_w = column_widths(max(12, width - 1))
        style = self.get_component_rich_style("version-diff-header--title")
        parts = [Strip.blank(GUTTER)]
        for n, (title, w) in enumerate(((self.view.left_title, left_w), (self.view.right_title, right_w))):
            if n:
                parts.append(Strip([Segment(SEPARATOR)]))
            text = Text(" ".join(for_terminal(title).split()), style=style)
            text.truncate(w, overflow="ellipsis")
            parts.append(Strip(list(text.render(self.app.console, end=""))).adjust_cell_length(w))
        return Strip.join(parts).apply_style(base).crop_extend(0, width, base)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Always one line."""
        return 1
