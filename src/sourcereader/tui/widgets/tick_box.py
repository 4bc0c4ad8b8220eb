"""A checkbox and a selection list whose state shows without colour: a tick when on, a blank box
when off.

Textual's :class:`~textual.widgets.Checkbox` and :class:`~textual.widgets.SelectionList` draw an
``X`` in both states and tell them apart by colour alone, so "overwrite" or a hidden column looked
ticked when it was not (issue 12.7 asked it of the annotate dialog's list first).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class TickBox(Checkbox):
    """A :class:`Checkbox` drawn ``▐✓▌`` when on and ``▐ ▌`` when off."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button


class CheckList(SelectionList[str]):
    """A selection list whose ticked boxes show a tick, not only another colour (legible without
    colour, in a monochrome terminal, or to a colour-blind reader)."""

    TICKED = "✓"
    UNTICKED = " "

    def render_line(self, y: int) -> Strip:
        """The line as SelectionList draws it, its box holding a tick or a blank."""
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(int(self.scroll_offset.y) + y)
        except OptionDoesNotExist:
            return strip
        # SelectionList draws the box as its first three segments: left side, inside, right side.
        segments = list(strip)
        if len(segments) > 3:
            mark = self.TICKED if option.value in self.selected else self.UNTICKED
            segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)
