"""The reader's state made into the :class:`ParallelView` its widgets draw.

The reader screen owns the state (the document, the shown columns, the alignments, the machine
translation, the rows); :func:`reader_view` reads it through :class:`ReaderState` and returns a
new, immutable view: rows, column titles, the cells of each row and the gutter marks. Nothing
here changes the state or touches the store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from sourcereader.core.documents import Document, Sentence, Translation, id_range
from sourcereader.core.parallel_rows import Coverage, Row, Rows
from sourcereader.tui.view import EMPTY, Cell, CellState, ColumnSpec, ParallelView

if TYPE_CHECKING:
    from sourcereader.core.alignment.beads import Bead
    from sourcereader.core.annotations import Annotation
    from sourcereader.core.translation.machine import StoredMachineSentence

SOURCE_KEY = "source"
"""The key of the source column."""
MT_KEY = "mt"
"""The key of the machine-translation column (a human translation's is ``t:<translation id>``)."""

MARKS = {"note": "✎", "relation": "⇄", "highlight": "▌", "tag": "#"}
"""Gutter mark of an annotated row, by the kind of its first annotation."""


class ReaderState(Protocol):
    """What the reader's view is built from (the reader screen has all of it)."""

    @property
    def document(self) -> Document:
        """The source document."""
        ...

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The document's sentences."""
        ...

    @property
    def translation_sentences(self) -> Mapping[str, tuple[Sentence, ...]]:
        """Each translation's sentences, by translation id."""
        ...

    @property
    def columns(self) -> tuple[str, ...]:
        """Shown columns in order: ``source``, ``t:<translation id>``, ``mt``."""
        ...

    @property
    def alignments(self) -> Mapping[str, list[Bead]]:
        """Beads by translation id (the ones loaded so far)."""
        ...

    @property
    def machine(self) -> Mapping[str, StoredMachineSentence]:
        """Cached machine translations by source sentence id."""
        ...

    @property
    def mt_target(self) -> str:
        """The language the machine translation goes into."""
        ...

    @property
    def translating(self) -> bool:
        """A machine translation run is going on."""
        ...

    @property
    def rows(self) -> Rows:
        """The rows, built from the alignments of :attr:`row_translations`."""
        ...

    @property
    def row_translations(self) -> Sequence[str]:
        """The translations the rows were built with, in the order of their ``tgt`` spans."""
        ...

    @property
    def row_annotations(self) -> Mapping[int, tuple[Annotation, ...]]:
        """Annotations by row index."""
        ...

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The document's live annotations (their highlight colours are drawn)."""
        ...

    def translation(self, translation_id: str) -> Translation:
        """A translation of the document, by id."""
        ...

    def translation_coverage(self, translation_id: str) -> Coverage | None:
        """What part of the source a translation covers (None until its alignment is loaded)."""
        ...


def reader_view(state: ReaderState) -> ParallelView:
    """A new view of ``state``: its rows, a column per shown key, gutter marks for annotated rows."""
    sentences = state.sentences
    columns = state.columns
    specs = tuple(column_spec(state, key) for key in columns)
    position = {tid: k for k, tid in enumerate(state.row_translations)}
    translation_sentences = state.translation_sentences
    machine = state.machine
    translating = state.translating
    colours = highlight_marks(state)

    def cells(row: Row) -> tuple[Cell, ...]:
        out: list[Cell] = []
        for key in columns:
            if key == SOURCE_KEY:
                out.append(joined_cell(sentences, row.src, colours.get(None, {})) if row.src else EMPTY)
            elif key == MT_KEY:
                out.append(mt_cell(row, sentences, machine, translating))
            else:
                tid = key[2:]
                if tid not in position:
                    out.append(EMPTY)
                    continue
                tgt = row.tgt[position[tid]]
                ts = translation_sentences[tid]
                out.append(joined_cell(ts, tgt, colours.get(tid, {})) if tgt else EMPTY)
        return tuple(out)

    marks = {k: MARKS.get(found[0].kind, "✎") for k, found in state.row_annotations.items()}
    return ParallelView(state.rows, specs, cells, marks)


Mark = tuple[int, int | None, str]
"""A highlight on one sentence: start, end (None: to the sentence's end) and colour."""


def highlight_marks(state: ReaderState) -> dict[str | None, dict[int, list[Mark]]]:
    """The highlight colours of the live annotations, by text (None: the source; else a shown translation's
    id) and sentence index: a whole sentence, or a span of the one sentence a span annotation is on."""
    shown = set(state.row_translations)
    marks: dict[str | None, dict[int, list[Mark]]] = {}
    for a in state.annotations:
        if not a.highlight or a.is_orphan or a.is_deleted:
            continue
        tid = a.translation_id
        if tid is not None and tid not in shown:
            continue
        text = state.document if tid is None else state.translation(tid)
        for n, sid in enumerate(a.sentence_ids):
            try:
                index = text.sentence(sid).index
            except KeyError:
                continue
            lo, hi = a.anchor.span if a.anchor.span is not None and n == 0 else (0, None)
            marks.setdefault(tid, {}).setdefault(index, []).append((lo, hi, a.highlight))
    return marks


def joined_cell(sentences: Sequence[Sentence], indices: range, marks: Mapping[int, list[Mark]]) -> Cell:
    """The cell of a row's sentences of one text (joined by a space), with their highlights."""
    texts = [sentences[i].text for i in indices]
    text = " ".join(texts)
    if not marks or not any(i in marks for i in indices):
        return Cell(text)
    highlights: list[tuple[int, int, str]] = []
    offset = 0
    for i, sentence_text in zip(indices, texts, strict=True):
        for lo, hi, colour in marks.get(i, ()):
            highlights.append((offset + lo, offset + (len(sentence_text) if hi is None else hi), colour))
        offset += len(sentence_text) + 1
    return Cell(text, highlights=tuple(highlights))


def column_spec(state: ReaderState, key: str) -> ColumnSpec:
    """The title (and warning) of the column ``key``."""
    document = state.document
    if key == SOURCE_KEY:
        lang = document.language
        return ColumnSpec(key, f"Source ({lang}) · {document.meta.kind}", "source", lang)
    if key == MT_KEY:
        return mt_spec(state)
    t = state.translation(key[2:])
    missing = t.id not in state.alignments
    warning = "aligning…" if missing else partial_warning(state, t.id)
    return ColumnSpec(
        key,
        f"{t.meta.label} ({t.language})",
        "human" if t.meta.kind == "human" else "machine",
        t.language,
        warning,
    )


def partial_warning(state: ReaderState, translation_id: str) -> str:
    """For a translation that covers part of the source: which part, and the key that goes there."""
    found = state.translation_coverage(translation_id)
    sentences = state.sentences
    if found is None or found.covered >= len(sentences):
        return ""
    if found.first is None or found.last is None:
        return "translates none of this text"
    if found.contiguous:
        where = id_range([sentences[found.first].id, sentences[found.last].id])
        if found.first == found.last:
            where = sentences[found.first].id
        return f"covers {where} only · T goes there"
    return f"covers {found.covered} of {len(sentences)} sentences · T: next"


def mt_spec(state: ReaderState) -> ColumnSpec:
    """The machine-translation column: engine and models, and a warning (synthetic, stale, missing)."""
    rows = list(state.machine.values())
    title = f"MT ({state.mt_target})"
    warning = ""
    if rows:
        prov = rows[0].provenance
        title = f"MT: {prov.engine} {' → '.join(prov.packages)} ({state.mt_target})"
        if any(r.provenance.synthetic for r in rows):
            warning = "SYNTHETIC TEST MODEL — NOT A TRANSLATION"
        else:
            hashes = {s.id: s.hash for s in state.sentences}
            stale = sum(1 for sid, r in state.machine.items() if r.is_stale(hashes.get(sid, "")))
            if stale:
                warning = f"{stale} stale"
    elif not state.translating:
        warning = "not translated yet: press t"
    return ColumnSpec(MT_KEY, title, "machine", state.mt_target, warning)


def mt_cell(
    row: Row, sentences: Sequence[Sentence], machine: Mapping[str, StoredMachineSentence], translating: bool
) -> Cell:
    """The machine translation of a row's source sentences (pending while a run may still fill it)."""
    from sourcereader.core.translation.machine import machine_cell

    if not row.src:
        return EMPTY
    texts: list[str] = []
    state: CellState = "text"
    missing = False
    for i in row.src:
        sentence = sentences[i]
        cell = machine_cell(sentence, machine.get(sentence.id))
        if cell.text is None:
            missing = True
            continue
        texts.append(cell.text)
        if cell.synthetic:
            state = "synthetic"
        elif cell.stale and state == "text":
            state = "stale"
    if not texts:
        return Cell("", "pending") if translating and missing else EMPTY
    return Cell(" ".join(texts), state)


class TranslationSentences(Mapping[str, tuple[Sentence, ...]]):
    """Translations' sentences by translation id, segmented on first access (``Text`` keeps them).

    A translation's sentences are first needed with its alignment, which the alignment worker
    makes or reads: that worker segments it (0.4 s at 100,000 sentences), not the UI thread.
    """

    def __init__(self, translations: Sequence[Translation]) -> None:
        self._by_id = {t.id: t for t in translations}

    def __getitem__(self, translation_id: str) -> tuple[Sentence, ...]:
        return self._by_id[translation_id].sentences

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)
