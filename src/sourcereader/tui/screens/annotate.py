"""The annotation dialog: what to annotate, note, tags (completed from those in use), highlight, kind,
compared translations.

Standalone: the reader opens it with the target's anchor and gets an :class:`AnnotationDraft`
back (or None). For an edit it is given the existing annotation and the caller applies the
draft with ``Store.update_annotation``. User text is always shown literally (rich ``Text``).

Given :class:`Target` choices (the reader passes the row's sentences, together and one by one,
in the source and in each shown translation), the dialog lets the user pick one, and for a
single sentence select a character span in it with the keyboard (shift+arrows in the read-only
text): the span becomes the anchor; with nothing selected the whole sentences are annotated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Footer, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.text_area import Selection

from sourcereader.core.annotations import (
    HIGHLIGHTS,
    KINDS,
    Anchor,
    Annotation,
    AnnotationDraft,
    AnnotationError,
    anchor_for,
    check_draft,
)
from sourcereader.core.documents import Document, Translation
from sourcereader.core.sanitize import one_line
from sourcereader.tui.bindings import bindings_for
from sourcereader.tui.widgets.tick_box import CheckList

KIND_LABELS = {
    "note": "Note",
    "highlight": "Highlight",
    "tag": "Tags only",
    "relation": "Relation note (bead)",
}


_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Target:
    """Whole sentences the dialog may annotate, with what the choice is called."""

    label: str
    """How the choice is listed (``source s18–s19``, ``HSE answer s1``)."""
    text: Document | Translation
    """The text the sentences belong to."""
    sentence_ids: tuple[str, ...]
    """Consecutive sentence ids of ``text``."""

    @property
    def single(self) -> bool:
        """True for one sentence: only then can a span inside it be selected."""
        return len(self.sentence_ids) == 1

    def quote(self) -> str:
        """The sentences' text as it stands in the body (a span's offsets count in it)."""
        return self.anchor().exact

    def anchor(self, span: tuple[int, int] | None = None) -> Anchor:
        """The anchor for the whole sentences, or for ``span`` inside the one sentence."""
        return anchor_for(self.text, self.sentence_ids, span)


def shown_quote(text: str) -> str:
    """``text`` for the read-only span area: control characters (an escape sequence in a hostile
    document) become a visible character of the same length, so offsets still count the same."""
    return _CONTROL_RE.sub("\ufffd", text)


def selection_span(area: TextArea) -> tuple[int, int] | None:
    """The selected characters of ``area`` as offsets into its text, or None when nothing is selected."""
    selection: Selection = area.selection
    if selection.is_empty:
        return None
    lines = area.text.split("\n")

    def offset(location: tuple[int, int]) -> int:
        row, column = location
        return sum(len(line) + 1 for line in lines[:row]) + column

    a, b = offset(selection.start), offset(selection.end)
    return (min(a, b), max(a, b))


class TagSuggester(Suggester):
    """Completes the tag being typed (the text after the last comma) from the tags in use."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = sorted(tags, key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        """The whole input with its last tag completed, or None."""
        head, _, last = value.rpartition(",")
        stem = last.lstrip().lstrip("#").casefold()
        if not stem:
            return None
        typed = {t.strip().casefold() for t in head.split(",")}
        for tag in self.tags:
            if tag.casefold().startswith(stem) and tag.casefold() != stem and tag.casefold() not in typed:
                prefix = value[: len(value) - len(last)]
                spaces = last[: len(last) - len(last.lstrip())]
                return f"{prefix}{spaces}{tag}"
        return None


def split_tags(value: str) -> tuple[str, ...]:
    """Tags from the comma-separated input (empty items dropped)."""
    return tuple(t.strip() for t in value.split(",") if t.strip())


class AnnotationDialog(ModalScreen[AnnotationDraft | None]):
    """Make or edit an annotation. Ctrl+S saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("annotate"))
    AUTO_FOCUS = ""

    def __init__(
        self,
        target: Anchor,
        *,
        description: str | None = None,
        existing_tags: Sequence[str] = (),
        translations: Sequence[tuple[str, str]] = (),
        annotation: Annotation | None = None,
        targets: Sequence[Target] = (),
    ) -> None:
        """``target``: where the annotation goes; ``description``: a heading for it (default: the
        sentence ids); ``existing_tags``: for completion; ``translations``: ``(id, label)`` pairs a
        relation note may compare; ``annotation``: the one being edited, if any; ``targets``:
        choices of what to annotate (the first one is ``target``), each allowing a span when it
        is a single sentence. Ignored for an edit: an annotation keeps its anchor."""
        super().__init__()
        self.target = annotation.anchor if annotation is not None else target
        self.description = description or self.target.describe()
        self.existing_tags = tuple(existing_tags)
        self.translations = tuple(translations)
        self.annotation = annotation
        self.targets = tuple(targets) if annotation is None else ()

    def compose(self) -> ComposeResult:
        """The form."""
        a = self.annotation
        verb = "Edit annotation" if a is not None else "Annotate"
        with Vertical(id="dialog"):
            yield Label(Text(f"{verb} {one_line(self.description)}", style="bold"), id="title")
            if self.targets:
                yield Select(
                    [(Text(one_line(t.label)), n) for n, t in enumerate(self.targets)],
                    value=0,
                    allow_blank=False,
                    id="target",
                )
                yield TextArea(
                    shown_quote(self.targets[0].quote()), id="span", read_only=True, soft_wrap=True
                )
                yield Label("", id="span-help")
            else:
                quote = self.target.exact if len(self.target.exact) <= 300 else self.target.exact[:299] + "…"
                yield Static(Text(one_line(quote)), id="quote")
            yield Label("Kind", classes="field-label")
            yield Select(
                [(KIND_LABELS[k], k) for k in KINDS],
                value=a.kind if a is not None else "note",
                allow_blank=False,
                id="kind",
                disabled=a is not None,
            )
            yield Label("Note (Markdown)", classes="field-label")
            note = (a.note or "") if a is not None else ""
            yield TextArea(note, id="note", soft_wrap=True, tab_behavior="focus")
            yield Label("Tags (comma-separated)", classes="field-label")
            yield Input(
                ", ".join(a.tags) if a is not None else "",
                placeholder="omission, term, …",
                suggester=TagSuggester(self.existing_tags),
                id="tags",
            )
            yield Label("Highlight", classes="field-label")
            yield Select(
                [(h, h) for h in HIGHLIGHTS],
                value=a.highlight if a is not None and a.highlight else Select.NULL,
                prompt="none",
                id="highlight",
            )
            yield Label("Compares translations", classes="field-label", id="compared-label")
            # A new relation note on a document with one translation compares that one: it is ticked.
            only = len(self.translations) == 1 and a is None
            yield CheckList(
                *[
                    (Text(one_line(f"{label} ({tid})")), tid, only or (a is not None and tid in a.compared))
                    for tid, label in self.translations
                ],
                id="compared",
            )
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        # On a small terminal the form scrolls and its buttons go out of sight: ctrl+s / esc stay shown.
        yield Footer()

    def on_mount(self) -> None:
        """Show the translation list only for relation notes; focus the note."""
        self._show_compared()
        if self.targets:
            self.add_class("-targets")
            self._target_changed()
        # Focused without scrolling to it: on a small terminal the dialog opens at its top, where it
        # says what is annotated (the note box may be below the fold; typing still goes into it).
        # (Textual's automatic focus is off: it centred the first field, scrolling the title away.)
        # Focused now, not after the next refresh (Widget.focus): keys typed as the dialog opens go
        # into the note, not to the app's bindings.
        self.set_focus(self.query_one("#note", TextArea), scroll_visible=False)

    def chosen_target(self) -> Target | None:
        """The target chosen in the dialog (None without choices)."""
        if not self.targets:
            return None
        value = self.query_one("#target", Select).value
        return self.targets[value if isinstance(value, int) else 0]

    @on(Select.Changed, "#target")
    def _target_changed(self) -> None:
        target = self.chosen_target()
        if target is None:
            return
        area = self.query_one("#span", TextArea)
        area.load_text(shown_quote(target.quote()))
        area.selection = Selection.cursor((0, 0))
        self._show_span()

    @on(TextArea.SelectionChanged, "#span")
    def _span_changed(self) -> None:
        self._show_span()

    def _show_span(self) -> None:
        """Say what will be annotated: the selected span (its offsets and words), or the whole sentences."""
        target = self.chosen_target()
        if target is None:
            return
        anchor = self.chosen_anchor()
        self.query_one("#title", Label).update(Text(f"Annotate {one_line(anchor.describe())}", style="bold"))
        help_line = self.query_one("#span-help", Label)
        if not target.single:
            help_line.update("Whole sentences (choose one sentence to annotate a span of it)")
        elif anchor.span is None:
            help_line.update("Span: select it above with shift+arrows (none: the whole sentence)")
        else:
            quote = one_line(anchor.exact)
            quote = quote if len(quote) <= 50 else quote[:49] + "…"
            shown = Text(f"Span {anchor.span[0]}–{anchor.span[1]}: ", style="bold")
            shown.append(f"«{quote}»")
            help_line.update(shown)

    def chosen_anchor(self) -> Anchor:
        """The anchor the dialog says: the chosen target, narrowed to the selected span if any."""
        target = self.chosen_target()
        if target is None:
            return self.target
        span = selection_span(self.query_one("#span", TextArea)) if target.single else None
        if span is not None:
            # Spaces at the edges of a keyboard selection are not part of what was meant.
            quote = target.quote()
            lo, hi = span
            while lo < hi and quote[lo].isspace():
                lo += 1
            while hi > lo and quote[hi - 1].isspace():
                hi -= 1
            span = (lo, hi) if hi > lo else None
        return target.anchor(span)

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        self._show_compared()

    def _show_compared(self) -> None:
        relation = self.query_one("#kind", Select).value == "relation"
        self.query_one("#compared", SelectionList).set_class(not relation, "-hidden")
        self.query_one("#compared-label", Label).set_class(not relation, "-hidden")

    def draft(self) -> AnnotationDraft:
        """The draft the form describes, checked (AnnotationError if it says nothing)."""
        kind = str(self.query_one("#kind", Select).value)
        highlight = self.query_one("#highlight", Select).value
        compared: tuple[str, ...] = ()
        if kind == "relation":
            compared = tuple(str(v) for v in self.query_one("#compared", SelectionList).selected)
        return check_draft(
            AnnotationDraft(
                self.chosen_anchor(),
                kind=kind,
                note=self.query_one("#note", TextArea).text,
                highlight=None if highlight is Select.NULL else str(highlight),
                tags=split_tags(self.query_one("#tags", Input).value),
                compared=compared,
            )
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check the form and return the draft; a problem is shown, not raised."""
        try:
            draft = self.draft()
        except AnnotationError as exc:
            self.query_one("#error", Static).update(Text(str(exc)))
            return
        self.dismiss(draft)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
