"""The side panel: the current row's annotations, then where the document and the row's sentences are from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from sourcereader.core.alignment.beads import Bead
from sourcereader.core.annotations import Annotation
from sourcereader.core.documents import Document, Sentence, Translation, id_range
from sourcereader.core.parallel_rows import Row
from sourcereader.tui.widgets.parallel_text import display_text

if TYPE_CHECKING:
    from sourcereader.core.translation.machine import StoredMachineSentence


def _field(text: Text, name: str, value: str) -> None:
    if not value:
        return
    text.append(f"{name}\n", style="bold")
    text.append(f"{display_text(value)}\n\n")


NOTE_LINES = 4
"""Lines of a note shown in the panel (the annotations screen and the export show all of it)."""
QUOTE_CHARS = 300
"""Characters of a span annotation's quote shown in the panel."""


def annotations_text(annotations: Sequence[Annotation], selected: int) -> Text:
    """The row's annotations as literal text, the selected one (``E`` and ``d`` act on it) marked."""
    text = Text()
    if not annotations:
        return text
    text.append(f"Annotations ({len(annotations)})\n", style="bold underline")
    # No indentation: the panel's wrapping drops spaces at the start of a line.
    for n, a in enumerate(annotations):
        chosen = n == selected
        head = f"#{a.id} {a.kind}" + (f" · {a.highlight}" if a.highlight else "")
        text.append("▸ " if chosen else "· ", style="bold")
        text.append(head, style="bold reverse" if chosen and len(annotations) > 1 else "bold")
        text.append(f" · {display_text(a.anchor.describe())}\n")
        if a.anchor.span is not None:
            quote = display_text(a.anchor.exact[: QUOTE_CHARS + 1])  # a span may be megabytes long
            if len(quote) > QUOTE_CHARS:
                quote = quote[: QUOTE_CHARS - 1] + "…"
            text.append(f"“{quote}”\n", style="italic")
        if a.tags:
            text.append(f"tags: {display_text(', '.join(a.tags))}\n", style="dim")
        if a.note:
            lines = a.note.splitlines()
            for line in lines[:NOTE_LINES]:
                text.append(f"{display_text(line)}\n")
            if len(lines) > NOTE_LINES:
                text.append(f"… {len(lines) - NOTE_LINES} more lines\n", style="dim")
    hint = "E edits, d deletes, u undoes" + (", o selects the next" if len(annotations) > 1 else "")
    text.append(f"{hint}\n\n", style="dim")
    return text


def provenance_text(
    document: Document,
    sentences: Sequence[Sentence],
    row: Row | None,
    translations: Sequence[tuple[Translation, Sequence[Sentence], int | None, Sequence[Bead]]],
    machine: Mapping[str, StoredMachineSentence],
    mt_target: str,
) -> Text:
    """The panel's content as literal text (nothing in a document is ever read as markup)."""
    meta = document.meta
    text = Text()
    text.append("This row\n", style="bold underline")
    if row is None:
        text.append("—\n\n")
    elif row.gap is not None:
        text.append(f"{row.gap.kind} {row.gap.id}: ", style="bold")
        text.append(f"{display_text(row.gap.explanation) or '(no explanation)'}\n\n")
    else:
        ids = [sentences[i].id for i in row.src]
        text.append("source ", style="bold")
        text.append(f"{id_range(ids) or '—'}\n")
        for translation, tsentences, position, beads in translations:
            text.append(f"{display_text(translation.meta.label)} ", style="bold")
            if position is None:
                text.append("aligning…\n")
                continue
            tids = [tsentences[j].id for j in row.tgt[position]]
            text.append(f"{id_range(tids) or 'not translated here'}\n")
            span = row.beads[position]
            if span:
                conf = min(beads[k].confidence for k in span)
                verified = all(beads[k].verified for k in span)
                text.append(f"  bead {span.start + 1}{'–' + str(span.stop) if len(span) > 1 else ''}, ")
                if verified:
                    text.append("verified\n")
                else:
                    text.append(f"confidence {conf:.2f}")
                    # The alignment's one definition of unsure: what the ? mark and l go by.
                    if any(beads[k].unsure for k in span):
                        text.append(" · unsure", style="bold")
                    text.append("\n")
            if translation.meta.translator:
                text.append(f"  translator: {display_text(translation.meta.translator)}\n")
            if translation.meta.engine:
                text.append(f"  engine: {display_text(translation.meta.engine)} {translation.meta.model}\n")
        stored = [machine[sentences[i].id] for i in row.src if sentences[i].id in machine]
        if stored:
            prov = stored[0].provenance
            text.append(f"MT ({mt_target}) ", style="bold")
            text.append(f"{prov.engine} {', '.join(prov.packages)} {', '.join(prov.package_versions)}\n")
            text.append(f"  translated {prov.translated_at}\n")
            if prov.pivot:
                text.append(f"  through {prov.pivot}\n")
            if any(s.provenance.synthetic for s in stored):
                text.append("  synthetic test model: not a translation\n", style="bold reverse")
            stale = [sentences[i].id for i in row.src if sentences[i].id in machine
                     and machine[sentences[i].id].is_stale(sentences[i].hash)]  # fmt: skip
            text.append(f"  stale: {', '.join(stale)} (source changed)\n" if stale else "  up to date\n")
        text.append("\n")
    text.append("Document\n", style="bold underline")
    _field(text, "Title", meta.title)
    _field(text, "Id", meta.id)
    _field(text, "Date · language · kind", f"{meta.date} · {meta.language} · {meta.kind}")
    _field(text, "Status", meta.status.upper() if meta.status == "partial" else meta.status)
    _field(text, "Archival reference", meta.archival_reference)
    _field(text, "Original publication", meta.original_publication)
    _field(text, "Copy source", meta.copy_source)
    _field(text, "License", meta.license)
    _field(text, "Event", meta.event)
    _field(text, "Participants", ", ".join(meta.participants))
    _field(text, "Notes", meta.notes)
    for translation, _sentences, _position, _beads in translations:
        tm = translation.meta
        _field(
            text,
            f"Translation {tm.id}",
            f"{tm.label}. {tm.source} Covers: {tm.covers}. License: {tm.license}",
        )
    return text


class ProvenancePanel(VerticalScroll, can_focus=False):
    """A scrolling side panel with the provenance of the document and of the current row."""

    def compose(self) -> ComposeResult:
        """One static holding the text."""
        yield Static(id="provenance-text")

    def show(
        self,
        document: Document,
        sentences: Sequence[Sentence],
        row: Row | None,
        translations: Sequence[tuple[Translation, Sequence[Sentence], int | None, Sequence[Bead]]],
        machine: Mapping[str, StoredMachineSentence],
        mt_target: str,
        annotations: Sequence[Annotation] = (),
        selected: int = 0,
    ) -> None:
        """Show the annotations on ``row`` (``selected`` marked), then the provenance of ``row``."""
        self.query_one("#provenance-text", Static).update(
            Text.assemble(
                annotations_text(annotations, selected),
                provenance_text(document, sentences, row, translations, machine, mt_target),
            )
        )
