"""A list of claims, each on two lines: number, verdict, counts and label; where it is and what it quotes.

Every entry has the same height, so the list never measures its entries: it draws only the lines on
screen (Textual's Line API), and a thousand claims cost what a screenful does. Lines longer than the
width end in an ellipsis. The Claims screen and the link picker show it; the screen that owns it
reads :attr:`ClaimList.cursor` and binds Enter.

All text is literal (rich ``Text``, control characters shown as ``\\xNN``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import var
from textual.strip import Strip

from sourcereader.core.claims import ClaimSummary
from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import one_line
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.widgets.cursor_view import CursorView

ENTRY_HEIGHT = 3
"""Lines per claim: two of text and a blank one."""
VERDICT_STYLES = ("supported", "contradicted", "contested")
"""Verdicts with a style of their own (the others are muted)."""


def entry_lines(summary: ClaimSummary, styles: dict[str, Style] | None = None) -> tuple[Text, Text]:
    """The two literal lines of a claim: ``   3  supported    +2 −0 ~1 ·0    label  FLAGS`` and
    ``      document s3 [4:17]  «quote»``. ``styles`` by verdict, ``other``, ``flag`` and ``where``."""
    claim, status = summary.claim, summary.status
    styles = styles or {}
    verdict = status.verdict
    first = Text(f"{claim.id:>4}  ", style="bold")
    style = styles.get(verdict) if verdict in VERDICT_STYLES else styles.get("other")
    first.append(f"{verdict:<13}", style=style or Style(italic=True))
    first.append(f"{status.glance():<15}")
    first.append(one_line(claim.label), style="bold")
    flags = ["orphan" if claim.is_orphan else "", "in the bin" if claim.is_deleted else ""]
    if status.orphans:
        flags.append(counted(status.orphans, "orphan link"))
    for flag in (f for f in flags if f):
        first.append(f"  {flag.upper()}", style=styles.get("flag", Style(bold=True, reverse=True)))
    second = Text(
        f"      {claim.document_id} {claim.anchor.describe()}  «{one_line(claim.anchor.exact)}»",
        style=styles.get("where", Style(dim=True)),
    )
    return first, second


@dataclass(frozen=True, eq=False)
class ClaimEntries:
    """What the list shows (a new value for every listing: the drawn lines are keyed by it)."""

    summaries: tuple[ClaimSummary, ...] = ()

    def __len__(self) -> int:
        return len(self.summaries)


class ClaimList(CursorView, can_focus=True):
    """Claims, two lines each; one is the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("text"))

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "claim-list--cursor",
        "claim-list--supported",
        "claim-list--contradicted",
        "claim-list--contested",
        "claim-list--other",
        "claim-list--flag",
        "claim-list--where",
    }

    entries: var[ClaimEntries] = var(ClaimEntries, always_update=True)
    """The claims shown; replaced whole by the screen."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: LRUCache[tuple[int, int], Strip] = LRUCache(1024)
        self._key: tuple[object, ...] = ()
        self._styles: dict[str, Style] = {}

    # ------------------------------------------------------------------ state
    def watch_entries(self) -> None:
        count = len(self.entries)
        if self.cursor >= count:
            self.set_reactive(ClaimList.cursor, max(0, count - 1))
        self._update_virtual_size()
        self.refresh()

    def row_count(self) -> int:
        """How many claims are listed."""
        return len(self.entries)

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A theme change changes the styles the cached lines were drawn with.
        self._styles.clear()
        self._key = ()
        self.refresh()

    def on_resize(self) -> None:
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.entries) * ENTRY_HEIGHT)

    def current(self) -> ClaimSummary | None:
        """The claim under the cursor."""
        if not len(self.entries):
            return None
        return self.entries.summaries[self.cursor]

    # ------------------------------------------------------------------ drawing
    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if not name else self.get_component_rich_style(f"claim-list--{name}")
            self._styles[name] = style
        return style

    def _line(self, k: int, line: int, width: int) -> Strip:
        key = (self.entries, width)
        if key != self._key:
            self._lines.clear()
            self._key = key
        cached = self._lines.get((k, line))
        if cached is not None:
            return cached
        styles = {name: self._style(name) for name in (*VERDICT_STYLES, "other", "flag", "where")}
        text = entry_lines(self.entries.summaries[k], styles)[line]
        text.truncate(width, overflow="ellipsis")
        strip = Strip(list(text.render(self.app.console, end=""))).adjust_cell_length(width)
        self._lines[(k, line)] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget (the Line API): only the lines on screen are drawn."""
        base = self._style("")
        width = self.scrollable_content_region.width
        absolute = int(self.scroll_y) + y
        k, line = divmod(absolute, ENTRY_HEIGHT)
        if k >= len(self.entries) or line >= ENTRY_HEIGHT - 1:
            return Strip.blank(width, base)
        strip = self._line(k, line, width)
        if k == self.cursor:
            strip = strip.apply_style(self._style("cursor"))
        return strip.apply_style(base).crop_extend(0, width, base)

    def _scroll_to_cursor(self) -> None:
        if not len(self.entries):
            return
        region = Region(0, self.cursor * ENTRY_HEIGHT, 1, ENTRY_HEIGHT - 1)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    # ------------------------------------------------------------------ actions (the "text" keys)
    def _page(self, fraction: float, direction: int) -> None:
        step = max(1, int(self.scrollable_content_region.height * fraction) // ENTRY_HEIGHT)
        self.cursor += direction * step

    def on_click(self, event: events.Click) -> None:
        """Clicking a claim makes it the cursor."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        k = (int(self.scroll_y) + offset.y) // ENTRY_HEIGHT
        if k < len(self.entries):
            self.focus()
            self.cursor = k
