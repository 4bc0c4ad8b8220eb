"""The value the reader screen hands to its parallel-text widget: rows, columns, and their cells.

A :class:`ParallelView` is immutable and cheap to replace: the screen builds a new one whenever
the alignment, the shown columns or the machine translation change, and the widget redraws
from it (braindrop's "values that are cheap to replace"). The widget never sees documents,
translations or the store; it asks the view for a row's cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sourcereader.core.parallel_rows import LOW_CONFIDENCE, Row, Rows

ColumnKind = Literal["source", "human", "machine"]
CellState = Literal["text", "empty", "pending", "stale", "synthetic"]

_versions = itertools.count(1)


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the parallel view."""

    key: str
    """``"source"``, ``"t:<translation id>"`` or ``"mt"``."""
    title: str
    """What the column is: the document's language, the translator, or engine + model."""
    kind: ColumnKind
    language: str
    warning: str = ""
    """Shown with the title in the warning colour (a synthetic model, stale translations)."""


@dataclass(frozen=True)
class Cell:
    """What one column has for one row."""

    text: str
    state: CellState = "text"
    highlights: tuple[tuple[int, int, str], ...] = ()
    """Annotation highlights: ``(start, end, colour)`` in offsets of :attr:`text` (a colour of
    :data:`~sourcereader.core.choices.HIGHLIGHTS`), later ones drawn over earlier ones."""

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to show."""
        return not self.text


EMPTY = Cell("", "empty")


@dataclass(frozen=True, eq=False)
class ParallelView:
    """Everything the widget draws: rows, columns and a function giving a row's cells."""

    rows: Rows
    columns: tuple[ColumnSpec, ...]
    cells: Callable[[Row], tuple[Cell, ...]]
    """One :class:`Cell` per column for a row (ignored for gap rows)."""
    marks: Mapping[int, str] = field(default_factory=dict)
    """Extra gutter marks by row index (annotations, witness links)."""
    low_threshold: float = LOW_CONFIDENCE
    version: int = field(default_factory=lambda: next(_versions))
    """Distinct for every view made: the widget's line cache is keyed by it."""

    def __len__(self) -> int:
        return len(self.rows)
