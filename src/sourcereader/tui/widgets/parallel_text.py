"""The parallel text: rows of aligned sentences in columns, drawn with Textual's Line API.

Only what is visible is rendered, and only what is visible is wrapped. A cell's text is wrapped
lazily (:class:`~sourcereader.tui.wrapping.LazyWrap`): line breaks are found as far as the screen
needs them, two integers a line, and a line's text is cut out and styled when it is drawn. A
sentence of megabytes costs what a screenful of it does. Wrapped cells are kept by their text and
width (a new view with the same texts — an annotation saved, a correction made — wraps nothing
again), drawn lines in an LRU cache.

Scrolling is by row: ``scroll_y`` is the index of the top row, so the columns of a row always
start on the same line and cannot drift apart. The virtual height is the number of rows plus one
screen, and the last scroll position is the one that shows the last row at the bottom.

A row taller than the screen (a long paragraph in a narrow terminal) would be cut off by that
rule, so the top row may start ``line_offset`` lines into it: while the cursor is on such a row,
down/up (and page down/up) scroll through it by line (by screen) before the cursor moves on.

Highlight colours of annotations (``Cell.highlights``) are drawn over their sentences or spans, in
the ``parallel-text--hl-<colour>`` component styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from sourcereader.core.choices import HIGHLIGHTS
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.view import Cell, ParallelView
from sourcereader.tui.widgets.cursor_view import CursorView
from sourcereader.tui.wrapping import LazyWrap, display_offset, display_text

__all__ = [
    "GUTTER",
    "SEPARATOR",
    "ColumnHeader",
    "ParallelText",
    "column_widths",
    "display_text",
    "highlight_spans",
]

GUTTER = 3
"""Cells left of the first column: a mark (unsure, verified), an extra mark, a space."""
SEPARATOR = " │ "


def column_widths(total: int, n: int) -> list[int]:
    """Widths of ``n`` columns sharing ``total`` cells after the gutter and separators."""
    if n <= 0:
        return []
    free = max(n, total - GUTTER - len(SEPARATOR) * (n - 1))
    base = free // n
    widths = [base] * n
    widths[-1] += free - base * n
    return widths


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of ``query`` in ``text``."""
    needle = query.casefold()
    if not needle:
        return []
    folded = text.casefold()
    # casefold can change lengths (ß → ss); highlight only where the mapping is one to one.
    if len(folded) != len(text):
        return []
    spans = []
    start = folded.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = folded.find(needle, start + len(needle))
    return spans


WRAP_CACHE = 2048
"""Wrapped cells kept (by text and width) across views."""
ROW_CACHE = 512
"""Rows laid out (their cells' wraps and styles) for the current view."""
LINE_CACHE = 4096
"""Drawn lines kept for the current view."""


@dataclass(frozen=True)
class _Column:
    """One column of a laid-out row: its wrapped text and how to style it."""

    wrap: LazyWrap
    style: Style
    spans: tuple[tuple[int, int, Style], ...] = ()
    """Fixed styles in display offsets (a gap's kind label, annotation highlights)."""
    hits_from: int = 0
    """Search hits are marked from this offset on (after a gap's kind label)."""


@dataclass(frozen=True)
class _RowLayout:
    """A row's columns (None: an empty cell), widths and gutter marks; lines are made on demand."""

    columns: tuple[_Column | None, ...]
    widths: tuple[int, ...]
    gutter: Strip
    """The gutter of the row's first line (a gap's runs down every line)."""
    gap: bool = False

    def height(self, at_most: int | None = None) -> int:
        """The row's lines with its blank last line; with ``at_most``, exact when not more than that,
        else some number above it (and only as many lines are wrapped as that takes)."""
        content = 0
        for column in self.columns:
            if column is not None:
                found = column.wrap.count() if at_most is None else column.wrap.ensure(max(0, at_most))
                content = max(content, found)
        return max(1, content) + 1

    def has_line(self, line: int) -> bool:
        """Line ``line`` holds text (it is not the blank line that ends the row)."""
        if line == 0:
            return True
        return any(c is not None and c.wrap.ensure(line + 1) > line for c in self.columns)


class ParallelText(CursorView, can_focus=True):
    """Aligned rows in columns; one row is the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("text"))

    COMPONENT_CLASSES = {
        "parallel-text--cursor",
        "parallel-text--gap",
        "parallel-text--gap-kind",
        "parallel-text--low",
        "parallel-text--verified",
        "parallel-text--mark",
        "parallel-text--separator",
        "parallel-text--hit",
        "parallel-text--pending",
        "parallel-text--stale",
        "parallel-text--synthetic",
        *(f"parallel-text--hl-{colour}" for colour in HIGHLIGHTS),
    }

    view: var[ParallelView | None] = var(None, always_update=True)
    """What to draw; replaced whole by the screen."""
    highlight: var[str] = var("")
    """Text highlighted wherever it occurs (the in-document search)."""

    @dataclass
    class CursorMoved(Message):
        """The current row changed."""

        parallel_text: ParallelText
        row: int

        @property
        def control(self) -> ParallelText:
            """The widget that sent the message."""
            return self.parallel_text

        def can_replace(self, message: Message) -> bool:
            # Holding j down sends one of these per key: only the latest matters.
            return (
                isinstance(message, ParallelText.CursorMoved) and message.parallel_text is self.parallel_text
            )

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._wraps: LRUCache[tuple[str, str, int], LazyWrap] = LRUCache(WRAP_CACHE)
        self._shown: LRUCache[tuple[str, str], str] = LRUCache(WRAP_CACHE)
        self._rows: LRUCache[int, _RowLayout] = LRUCache(ROW_CACHE)
        self._rows_key: tuple[object, ...] = ()
        self._lines: LRUCache[tuple[int, int], Strip] = LRUCache(LINE_CACHE)
        self._lines_key: tuple[object, ...] = ()
        self._layout: list[tuple[int, int]] = []
        self._layout_key: tuple[object, ...] = ()
        self._max_top = 0
        self._styles: dict[str, Style] = {}
        self._line_offset = 0
        self._offset_top = 0

    # ------------------------------------------------------------------ state
    def watch_view(self) -> None:
        self._invalidate()
        count = len(self.view) if self.view is not None else 0
        if self.cursor >= count:
            self.set_reactive(ParallelText.cursor, max(0, count - 1))
        self._update_virtual_size()
        self.refresh()

    def watch_highlight(self) -> None:
        # The wraps and row layouts stay: only the drawn lines carry the search's marks.
        self._lines.clear()
        self._layout_key = ()
        self.refresh()

    def row_count(self) -> int:
        """How many rows the view has."""
        return len(self.view) if self.view is not None else 0

    def watch_cursor(self, old: int, new: int) -> None:
        if old == new:
            # The screen binds its cursor back to this one: an echo of our own move, nothing to do.
            return
        top = self.top
        self._line_offset = 0
        self._scroll_to_cursor()
        if new == old - 1 and self.top == new and self.view is not None:
            # Reading upward into a row taller than the view: start at its last screen, k goes on up.
            height = max(1, self.scrollable_content_region.height)
            hidden = self._row_height(new) - height  # every line of the row: wrapped to its end
            if hidden > 0:
                self._line_offset = hidden
                self._offset_top = new
                self._layout_key = ()
                top = -1  # redraw everything
        if self.top == top:
            # Only the two rows whose highlight changed are redrawn: a key costs two rows, not a screen.
            self._refresh_row(old)
            self._refresh_row(new)
        else:
            self.refresh()
        self.post_message(self.CursorMoved(self, new))

    def _refresh_row(self, row: int) -> None:
        lines = [y for y, (k, _line) in enumerate(self._visible_layout()) if k == row]
        if lines:
            # Lines of the widget, not of the virtual space: ScrollView.refresh_lines subtracts the
            # scroll offset (a row index here), which put the region off screen once the view had
            # scrolled, and the old cursor row kept its highlight.
            self.refresh(Region(0, lines[0], self.size.width, len(lines)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Theme changes change component styles: cached rows and lines carry the old colours.
        self._styles.clear()
        self._rows.clear()
        self._invalidate()

    def _on_focus(self, event: events.Focus) -> None:
        self._styles.clear()
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._styles.clear()
        super()._on_blur(event)

    def on_resize(self) -> None:
        self._update_virtual_size()

    @property
    def top(self) -> int:
        """The row at the top of the view."""
        return int(self.scroll_y)

    @property
    def line_offset(self) -> int:
        """Lines of the top row scrolled past (only ever non-zero for a row taller than the view)."""
        # Any scroll to another row (wheel, scrollbar, a jump) starts that row at its first line.
        return self._line_offset if self._offset_top == self.top else 0

    def _set_line_offset(self, offset: int) -> None:
        self._line_offset = offset
        self._offset_top = self.top
        self._layout_key = ()
        self.refresh()

    def _tall_remaining(self, direction: int, wanted: int = 1) -> int:
        """Lines (at most ``wanted``) the cursor row can still scroll by in ``direction`` when it is the
        top row and taller than the view (0 otherwise)."""
        if self.view is None or not len(self.view) or self.cursor != self.top:
            return 0
        height = max(1, self.scrollable_content_region.height)
        offset = self.line_offset
        rows_height = self._row_height(self.cursor, height + offset + wanted)
        if rows_height <= height:
            return 0
        if direction > 0:
            return min(wanted, max(0, rows_height - height - offset))
        return min(wanted, offset)

    def _invalidate(self) -> None:
        self._lines.clear()
        self._rows_key = ()
        self._layout_key = ()

    def _content_width(self) -> int:
        return max(10, self.scrollable_content_region.width)

    def _update_virtual_size(self) -> None:
        view = self.view
        if view is None or not len(view):
            self._max_top = 0
            self.virtual_size = Size(self._content_width(), 0)
            return
        height = max(1, self.scrollable_content_region.height)
        used = 0
        k = len(view) - 1
        while k >= 0:
            h = self._row_height(k, height - used)
            if used + h > height:
                break
            used += h
            k -= 1
        self._max_top = min(len(view) - 1, k + 1)
        self.virtual_size = Size(self._content_width(), self._max_top + height)

    # ------------------------------------------------------------------ geometry
    def _row_height(self, k: int, at_most: int | None = None) -> int:
        """Lines of row ``k`` with its blank last line; with ``at_most``, exact when not more than that,
        else some number above it, so that a huge row is wrapped only as far as the question needs."""
        return self._row_layout(k).height(at_most)

    def _rows_fully_visible(self, top: int) -> int:
        """How many rows from ``top`` fit on screen in full (at least 1)."""
        assert self.view is not None
        height = self.scrollable_content_region.height
        used = 0
        k = top
        while k < len(self.view):
            used += self._row_height(k, height - used)
            if used > height:
                break
            k += 1
        return max(1, k - top)

    def _scroll_to_cursor(self) -> None:
        if self.view is None or not len(self.view):
            return
        cursor, top = self.cursor, self.top
        height = max(1, self.scrollable_content_region.height)
        if cursor < top:
            new_top = cursor
        else:
            used = 0
            k = cursor
            # The top that shows the cursor row last on screen, if the current top does not show it.
            while k >= top:
                used += self._row_height(k, height - used)
                if used > height:
                    break
                k -= 1
            new_top = top if k < top else min(k + 1, cursor)
        if new_top != top:
            self.scroll_to(y=new_top, animate=False, immediate=True)

    def row_at(self, y: int) -> int | None:
        """The row drawn at line ``y`` of the widget, if any."""
        layout = self._visible_layout()
        if 0 <= y < len(layout):
            return layout[y][0]
        return None

    def visible_rows(self) -> range:
        """Rows with at least one line on screen."""
        layout = self._visible_layout()
        if not layout:
            return range(0)
        return range(layout[0][0], layout[-1][0] + 1)

    def _visible_layout(self) -> list[tuple[int, int]]:
        view = self.view
        height = self.scrollable_content_region.height
        key = (
            view.version if view else None,
            self.top,
            self.line_offset,
            height,
            self._content_width(),
            self.highlight,
        )
        if key == self._layout_key:
            return self._layout
        layout: list[tuple[int, int]] = []
        if view is not None:
            k = self.top
            first = self.line_offset
            while len(layout) < height and k < len(view):
                wanted = first + height - len(layout)
                for line in range(first, min(wanted, self._row_height(k, wanted))):
                    layout.append((k, line))
                first = 0
                k += 1
        self._layout = layout[:height]
        self._layout_key = key
        return self._layout

    # ------------------------------------------------------------------ rendering
    def _style(self, name: str) -> Style:
        # Resolving a style walks the CSS: once per theme and focus change is enough.
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if not name else self.get_component_rich_style(f"parallel-text--{name}")
            self._styles[name] = style
        return style

    def _wrapped(self, text: str, prefix: str, width: int) -> LazyWrap:
        """``prefix`` and the display text of ``text`` wrapped to ``width`` (kept across views)."""
        key = (text, prefix, width)
        wrap = self._wraps.get(key)
        if wrap is None:
            # The display text is kept apart from the width: a resize (or the first layouts, which try
            # more than one width) wraps again without scanning a long text again.
            shown = self._shown.get((text, prefix))
            if shown is None:
                shown = prefix + display_text(text) if prefix else display_text(text)
                self._shown[(text, prefix)] = shown
            wrap = LazyWrap(shown, width)
            self._wraps[key] = wrap
        return wrap

    def _cell_column(self, cell: Cell, column_warning: bool, width: int) -> _Column | None:
        if cell.state == "pending":
            return _Column(self._wrapped("…", "", width), self._style("pending"))
        if not cell.text:
            return None
        style = Style()
        prefix = ""
        if cell.state == "stale":
            style, prefix = self._style("stale"), "(stale) "
        elif cell.state == "synthetic" or column_warning:
            style = self._style("synthetic")
        wrap = self._wrapped(cell.text, prefix, width)
        spans: list[tuple[int, int, Style]] = []
        if cell.highlights:
            clean = len(wrap.text) == len(prefix) + len(cell.text)
            for start, end, colour in cell.highlights:
                if colour not in HIGHLIGHTS:
                    continue
                a = start if clean else display_offset(cell.text, start)
                b = end if clean else display_offset(cell.text, end)
                spans.append((len(prefix) + a, len(prefix) + b, self._style(f"hl-{colour}")))
        return _Column(wrap, style, tuple(spans), len(prefix))

    def _row_layout(self, k: int) -> _RowLayout:
        view = self.view
        assert view is not None
        width = self._content_width()
        key = (view.version, width)
        if key != self._rows_key:
            self._rows.clear()
            self._rows_key = key
        layout = self._rows.get(k)
        if layout is not None:
            return layout
        row = view.rows[k]
        if row.gap is not None:
            gap_style = self._style("gap")
            label = f"{row.gap.kind.upper()} "
            explanation = display_text(row.gap.explanation) or "(no explanation given)"
            wrap = self._wrapped(explanation, label, width - GUTTER)
            column = _Column(wrap, gap_style, ((0, len(label), self._style("gap-kind")),), len(label))
            layout = _RowLayout((column,), (width - GUTTER,), Strip([Segment("┆  ", gap_style)]), gap=True)
        else:
            widths = column_widths(width, len(view.columns))
            columns = tuple(
                self._cell_column(cell, bool(spec.warning), w)
                for cell, spec, w in zip(view.cells(row), view.columns, widths, strict=True)
            )
            if row.is_low(view.low_threshold):
                first_mark = Segment("?", self._style("low"))
            elif row.verified:
                first_mark = Segment("✓", self._style("verified"))
            else:
                first_mark = Segment(" ")
            extra = view.marks.get(k, " ")[:1] or " "
            gutter = Strip([first_mark, Segment(extra, self._style("mark")), Segment(" ")])
            layout = _RowLayout(columns, tuple(widths), gutter)
        self._rows[k] = layout
        return layout

    def _column_line(self, column: _Column, line: int, width: int) -> Strip:
        """Line ``line`` of a column, styled: its base style, fixed spans, then the search's hits."""
        a, b = column.wrap.span(line)
        source = column.wrap.text
        text = Text(source[a:b], style=column.style)
        for start, end, style in column.spans:
            if start < b and end > a:
                text.stylize(style, max(start, a) - a, min(end, b) - a)
        query = self.highlight
        if query:
            # A hit may run across the line's ends: look a query's length beyond them.
            lo = max(a - len(query) + 1, column.hits_from)
            window = source[lo : b + len(query) - 1]
            for start, end in highlight_spans(window, query):
                start, end = lo + start, lo + end
                if start < b and end > a:
                    text.stylize(self._style("hit"), max(start, a) - a, min(end, b) - a)
        console = self.app.console
        return Strip(list(text.render(console, end=""))).adjust_cell_length(width)

    def _line_strip(self, k: int, line: int) -> Strip:
        """Line ``line`` of row ``k`` (drawn once per view, width and search)."""
        key = (self.view.version if self.view else None, self._content_width(), self.highlight)
        if key != self._lines_key:
            self._lines.clear()
            self._lines_key = key
        strip = self._lines.get((k, line))
        if strip is not None:
            return strip
        layout = self._row_layout(k)
        width = self._content_width()
        if not layout.has_line(line):
            strip = Strip.blank(width)
        elif layout.gap:
            (column,) = layout.columns
            assert column is not None
            body = self._column_line(column, line, layout.widths[0])
            strip = Strip.join([layout.gutter, body])
        else:
            separator = Strip([Segment(SEPARATOR, self._style("separator"))])
            parts: list[Strip] = [layout.gutter if line == 0 else Strip.blank(GUTTER)]
            for n, (column, w) in enumerate(zip(layout.columns, layout.widths, strict=True)):
                if n:
                    parts.append(separator)
                if column is not None and column.wrap.ensure(line + 1) > line:
                    parts.append(self._column_line(column, line, w))
                else:
                    parts.append(Strip.blank(w))
            strip = Strip.join(parts)
        self._lines[(k, line)] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget (the Line API)."""
        base = self._style("")
        width = self.scrollable_content_region.width
        layout = self._visible_layout()
        if y >= len(layout):
            return Strip.blank(width, base)
        k, line = layout[y]
        strip = self._line_strip(k, line)
        if k == self.cursor and self._row_layout(k).has_line(line):
            strip = strip.apply_style(self._style("cursor"))
        return strip.apply_style(base).crop_extend(0, width, base)

    # ------------------------------------------------------------------ actions
    def action_cursor_down(self) -> None:
        """Next row (or the next line of a row taller than the view)."""
        if self._tall_remaining(1):
            self._set_line_offset(self.line_offset + 1)
            return
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Previous row (or the previous line of a row taller than the view)."""
        if self._tall_remaining(-1):
            self._set_line_offset(self.line_offset - 1)
            return
        self.cursor -= 1

    def _page(self, fraction: float, direction: int) -> None:
        if self.view is None or not len(self.view):
            return
        lines = max(1, int(self.scrollable_content_region.height * fraction))
        remaining = self._tall_remaining(direction, lines)
        if remaining:
            self._set_line_offset(self.line_offset + direction * remaining)
            return
        step = max(1, int(self._rows_fully_visible(self.top) * fraction))
        top = max(0, min(self.top + direction * step, self._max_top))
        self.scroll_to(y=top, animate=False, immediate=True)
        self.cursor = self.cursor + direction * step

    def go_to(self, row: int, *, center: bool = True) -> None:
        """Make ``row`` the cursor, placing it a few rows below the top when it was off screen."""
        if self.view is None:
            return
        row = self.validate_cursor(row)
        if center and row not in self.visible_rows():
            self.scroll_to(y=max(0, min(row - 2, self._max_top)), animate=False, immediate=True)
        self.cursor = row

    def on_click(self, event: events.Click) -> None:
        """Clicking a row makes it the cursor."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.row_at(offset.y)
        if row is not None:
            self.focus()
            self.cursor = row


class ColumnHeader(Widget):
    """One line naming each column of a :class:`ParallelText`, with the same geometry."""

    COMPONENT_CLASSES = {"column-header--title", "column-header--warning"}

    view: var[ParallelView | None] = var(None, always_update=True)
    """The view whose columns are named."""

    def watch_view(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The header line (the Line API)."""
        base = self.rich_style
        width = self.size.width
        view = self.view
        if y or view is None:
            return Strip.blank(width, base)
        # The parallel text always shows its one-cell scrollbar: leave the same cell free here.
        widths = column_widths(max(10, width - 1), len(view.columns))
        parts = [Strip.blank(GUTTER)]
        title_style = self.get_component_rich_style("column-header--title")
        warn_style = self.get_component_rich_style("column-header--warning")
        for n, (spec, w) in enumerate(zip(view.columns, widths, strict=True)):
            if n:
                parts.append(Strip([Segment(SEPARATOR)]))
            # A warning goes first: a narrow column must never cut "not a translation" off.
            text = Text()
            if spec.warning:
                text.append(f"{display_text(spec.warning)}  ", style=warn_style)
            text.append(display_text(spec.title), style=title_style)
            text.truncate(w, overflow="ellipsis")
            parts.append(Strip(list(text.render(self.app.console, end=""))).adjust_cell_length(w))
        return Strip.join(parts).apply_style(base).crop_extend(0, width, base)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Always one line."""
        return 1
