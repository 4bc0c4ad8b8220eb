"""What the reader shows: rows of a document read side by side with its translations.

Each shown translation has its own alignment with the source (a list of beads). The reader
needs one list of rows that keeps *every* column aligned, so a row is the smallest stretch of
the source at whose both ends every shown translation has a bead boundary (the union of the
beads, merged): with one translation a row is a bead; with two, a 2:1 bead in one and two
1:1 beads in the other make one row.

* Sentences a translation leaves out (1:0 beads) are empty cells of that translation.
* Sentences only a translation has (0:n beads) sit at a source position; where every
  translation has a boundary there they get a row of their own with an empty source cell.
* Gaps of the source (``[[GAP …]]`` and friends) are rows of their own at their place; a gap
  that falls inside a multi-sentence row (a bead spanning it) follows that row.

Every source sentence and every sentence of every translation appears in exactly one row, in
order. The machine translation is one sentence per source sentence, so it needs no alignment:
the reader shows the MT of a row's source sentences.

Annotations are drawn on rows (:func:`annotation_rows`), and a row can be copied as a citable
Markdown excerpt (:func:`excerpt_markdown`, the exporter's own layout).

Pure functions over plain values: no store, no TUI.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from sourcereader.core.alignment.beads import UNSURE_BELOW, Bead
from sourcereader.core.annotations import Annotation, anchor_for
from sourcereader.core.documents import Document, Gap, Translation

#: Below this confidence an unverified bead is *unsure* (the alignment's one definition, re-exported).
LOW_CONFIDENCE = UNSURE_BELOW


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the reader: a stretch of the source and what each shown translation has for it."""

    src: range
    """Source sentence indices (empty for a gap row or a translation-only row)."""
    tgt: tuple[range, ...]
    """Per shown translation (in the order given to :func:`build_rows`), its sentence indices."""
    beads: tuple[range, ...]
    """Per shown translation, the indices of its beads that make up this row."""
    gap: Gap | None = None
    """For a gap row, the gap; its cells are empty."""
    confidence: float = 1.0
    """The lowest confidence among the row's beads (1.0 for gap rows and rows without translation)."""
    verified: bool = False
    """True when the row has beads and every one of them was verified by a person."""
    gap_inside: bool = False
    """A bead of this row spans a gap of the source (the gap row follows)."""

    @property
    def is_gap(self) -> bool:
        """True for a gap row."""
        return self.gap is not None

    def is_low(self, threshold: float = LOW_CONFIDENCE) -> bool:
        """True when the row is *unsure*: it holds a bead under ``threshold`` (by default the alignment's
        :data:`~sourcereader.core.alignment.beads.UNSURE_BELOW`) and not every bead was verified."""
        return self.gap is None and not self.verified and self.confidence < threshold


@dataclass(frozen=True)
class Rows:
    """The rows of a document with a lookup from source sentence to row."""

    rows: tuple[Row, ...]
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _with_src: list[int] = field(default_factory=list, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> Row:
        return self.rows[index]

    def row_of_source(self, sentence_index: int) -> int:
        """The index of the row holding source sentence ``sentence_index``."""
        k = bisect.bisect_right(self._starts, sentence_index) - 1
        if k < 0:
            raise IndexError(sentence_index)
        return self._with_src[k]

    def row_of_target(self, column: int, sentence_index: int) -> int:
        """The index of the row holding sentence ``sentence_index`` of shown translation ``column``."""
        for k, row in enumerate(self.rows):
            if sentence_index in row.tgt[column]:
                return k
        raise IndexError(sentence_index)


class SourceRows(Rows):
    """The rows of a source shown without a translation, made on demand: one per sentence, gaps at their
    place. Opening a document of 100,000 sentences must not build 100,000 rows before the first frame
    (the alignment that replaces them is on its way)."""

    def __init__(self, n_src: int, gaps: Sequence[Gap]) -> None:
        # Not the dataclass __init__: ``rows`` is a property here. Gaps in position order (stable), each
        # at the row just before its sentence; those past the end after the last sentence.
        ordered = sorted(gaps, key=lambda g: g.after_sentence)
        object.__setattr__(self, "_n", n_src)
        object.__setattr__(self, "_gaps", ordered)
        object.__setattr__(self, "_gap_positions", [min(g.after_sentence, n_src) for g in ordered])
        object.__setattr__(self, "_gap_rows", [p + j for j, p in enumerate(self._gap_positions)])
        object.__setattr__(self, "_materialised", None)

    _n: int
    _gaps: list[Gap]
    _gap_positions: list[int]
    _gap_rows: list[int]
    _materialised: tuple[Row, ...] | None

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every row (made once, when something needs them all: a search, say)."""
        if self._materialised is None:
            object.__setattr__(self, "_materialised", tuple(self[k] for k in range(len(self))))
        assert self._materialised is not None
        return self._materialised

    def __len__(self) -> int:
        return self._n + len(self._gaps)

    def __getitem__(self, index: int) -> Row:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        j = bisect.bisect_left(self._gap_rows, index)
        if j < len(self._gap_rows) and self._gap_rows[j] == index:
            p = self._gap_positions[j]
            return Row(range(p, p), (), (), self._gaps[j])
        i = index - j
        return Row(range(i, i + 1), (), ())

    def row_of_source(self, sentence_index: int) -> int:
        """The index of the row holding source sentence ``sentence_index``."""
        if not 0 <= sentence_index < self._n:
            raise IndexError(sentence_index)
        return sentence_index + bisect.bisect_right(self._gap_positions, sentence_index)


def _gaps_by_position(gaps: Sequence[Gap]) -> dict[int, list[Gap]]:
    """The gaps by the number of source sentences before them, each list in document order."""
    gaps_at: dict[int, list[Gap]] = {}
    for g in gaps:
        gaps_at.setdefault(g.after_sentence, []).append(g)
    return gaps_at


def _cuts(beads: Sequence[Bead]) -> tuple[list[int], list[int]]:
    """Cumulative source and target counts before each bead (and after the last)."""
    src_cum = [0]
    tgt_cum = [0]
    s = t = 0
    for b in beads:
        s += len(b.src)
        t += len(b.tgt)
        src_cum.append(s)
        tgt_cum.append(t)
    return src_cum, tgt_cum


def build_rows(n_src: int, gaps: Sequence[Gap], alignments: Sequence[Sequence[Bead]]) -> Rows:
    """Rows for a source of ``n_src`` sentences with ``gaps`` and one alignment per shown translation.

    Each alignment must cover all ``n_src`` source sentences (and its own target) in order.
    """
    n_t = len(alignments)
    if n_t == 0:
        return SourceRows(n_src, gaps)
    if n_t == 1:
        return _build_rows_fast(n_src, gaps, alignments[0])
    src_cums: list[list[int]] = []
    tgt_cums: list[list[int]] = []
    # For each translation and source position p: the first and last cut index with that position.
    first: list[dict[int, int]] = []
    last: list[dict[int, int]] = []
    for beads in alignments:
        sc, tc = _cuts(beads)
        if sc[-1] != n_src:
            raise ValueError(f"an alignment covers {sc[-1]} source sentences of {n_src}")
        f: dict[int, int] = {}
        la: dict[int, int] = {}
        for k, p in enumerate(sc):
            f.setdefault(p, k)
            la[p] = k
        src_cums.append(sc)
        tgt_cums.append(tc)
        first.append(f)
        last.append(la)
    # Two translations or more from here on (none and one returned above): rows end where all of them cut.
    common_set = set(first[0])
    for f in first[1:]:
        common_set &= f.keys()
    common = sorted(common_set)
    gaps_at = _gaps_by_position(gaps)

    rows: list[Row] = []
    starts: list[int] = []
    with_src: list[int] = []
    empty = range(0, 0)
    all_beads = [list(b) for b in alignments]

    def stats(spans: Sequence[range]) -> tuple[float, bool]:
        conf = 1.0
        verified = True
        any_bead = False
        for t, span in enumerate(spans):
            for k in span:
                bead = all_beads[t][k]
                any_bead = True
                if bead.confidence < conf:
                    conf = bead.confidence
                verified = verified and bead.verified
        return conf, any_bead and verified

    for q, p in enumerate(common):
        # Translation-only beads at this boundary.
        ins_beads = tuple(range(first[t][p], last[t][p]) for t in range(n_t))
        if any(ins_beads):
            tgt = tuple(range(tgt_cums[t][first[t][p]], tgt_cums[t][last[t][p]]) for t in range(n_t))
            conf, ver = stats(ins_beads)
            rows.append(Row(empty, tgt, ins_beads, None, conf, ver))
        for g in gaps_at.pop(p, ()):
            rows.append(Row(range(p, p), (empty,) * n_t, (empty,) * n_t, g))
        if q + 1 == len(common):
            break
        nxt = common[q + 1]
        bead_spans = tuple(range(last[t][p], first[t][nxt]) for t in range(n_t))
        tgt = tuple(range(tgt_cums[t][last[t][p]], tgt_cums[t][first[t][nxt]]) for t in range(n_t))
        inside = [g for x in range(p + 1, nxt) for g in gaps_at.pop(x, ())]
        conf, ver = stats(bead_spans)
        starts.append(p)
        with_src.append(len(rows))
        rows.append(Row(range(p, nxt), tgt, bead_spans, None, conf, ver, bool(inside)))
        for g in inside:
            rows.append(Row(range(nxt, nxt), (empty,) * n_t, (empty,) * n_t, g))
    # Gaps past the end (or in a source without sentences) go last, in order.
    for p in sorted(gaps_at):
        for g in gaps_at[p]:
            rows.append(Row(range(n_src, n_src), (empty,) * n_t, (empty,) * n_t, g))
    return Rows(tuple(rows), starts, with_src)


def _build_rows_fast(n_src: int, gaps: Sequence[Gap], beads: Sequence[Bead]) -> Rows:
    """:func:`build_rows` for one translation, where every bead boundary is a row boundary.

    The common case, and the one that must be fast: a row per bead, 100,000 of them in well under
    a second.
    """
    gaps_at = _gaps_by_position(gaps)
    rows: list[Row] = []
    starts: list[int] = []
    with_src: list[int] = []
    empty = range(0, 0)
    empties = (empty,)
    s = t = 0
    pending: list[Gap] = []
    for k, bead in enumerate(beads):
        ns, nt = len(bead.src), len(bead.tgt)
        if s in gaps_at and (ns or not nt):
            # A gap at this position goes before the first bead that takes a source sentence.
            rows.extend(Row(range(s, s), empties, empties, g) for g in gaps_at.pop(s))
        if not ns and rows and k and not len(beads[k - 1].src) and rows[-1].gap is None:
            # Consecutive translation-only beads at one position share a row.
            last = rows[-1]
            tgt = (range(last.tgt[0].start, t + nt),)
            spans = (range(last.beads[0].start, k + 1),)
            conf = min(last.confidence, bead.confidence)
            rows[-1] = Row(last.src, tgt, spans, None, conf, last.verified and bead.verified)
            t += nt
            continue
        inside = [x for x in range(s + 1, s + ns) if x in gaps_at] if ns > 1 and gaps_at else []
        if ns:
            starts.append(s)
            with_src.append(len(rows))
        rows.append(
            Row(
                range(s, s + ns),
                (range(t, t + nt),),
                (range(k, k + 1),),
                None,
                bead.confidence,
                bead.verified,
                bool(inside),
            )  # fmt: skip
        )
        for x in inside:
            pending.extend(gaps_at.pop(x))
        if pending:
            rows.extend(Row(range(s + ns, s + ns), empties, empties, g) for g in pending)
            pending = []
        s += ns
        t += nt
    if s != n_src:
        raise ValueError(f"an alignment covers {s} source sentences of {n_src}")
    for p in sorted(gaps_at):
        rows.extend(Row(range(n_src, n_src), empties, empties, g) for g in gaps_at[p])
    return Rows(tuple(rows), starts, with_src)


def one_to_one(n_src: int, n_tgt: int) -> list[Bead]:
    """A naive alignment pairing sentences in order (extra sentences on either side alone).

    Only a stand-in where no aligner result exists (tests, placeholders); confidence 0.
    """
    beads = [Bead((i,), (i,), 0.0) for i in range(min(n_src, n_tgt))]
    beads += [Bead((i,), (), 0.0) for i in range(n_tgt, n_src)]
    beads += [Bead((), (j,), 0.0) for j in range(n_src, n_tgt)]
    return beads


def source_only(n_src: int) -> list[Bead]:
    """Every source sentence alone (the alignment of a translation that covers nothing)."""
    return [Bead((i,), (), 1.0) for i in range(n_src)]


def low_rows(rows: Rows, threshold: float = LOW_CONFIDENCE) -> list[int]:
    """Indices of the unsure rows (:meth:`Row.is_low`): what ``l`` visits and the gutter marks."""
    if isinstance(rows, SourceRows):
        return []  # no beads at all
    return [k for k, row in enumerate(rows.rows) if row.is_low(threshold)]


@dataclass(frozen=True)
class Coverage:
    """Which source sentences a translation covers (has a sentence for), by its alignment."""

    covered: int
    """Source sentences in beads that have a translated sentence."""
    first: int | None
    """Index of the first covered source sentence (None: none is)."""
    last: int | None
    """Index of the last covered source sentence."""

    @property
    def contiguous(self) -> bool:
        """The covered sentences are one stretch, ``first`` to ``last``."""
        return self.first is not None and self.last is not None and self.last - self.first + 1 == self.covered


def coverage(beads: Sequence[Bead]) -> Coverage:
    """What part of the source an alignment's translation covers."""
    covered = 0
    first: int | None = None
    last: int | None = None
    for bead in beads:
        if bead.tgt and bead.src:
            covered += len(bead.src)
            first = bead.src[0] if first is None else first
            last = bead.src[-1]
    return Coverage(covered, first, last)


def translated_starts(rows: Rows) -> list[int]:
    """Rows where a stretch of translated rows begins (a row with a translated sentence whose previous
    row has none): where ``T`` jumps."""
    if isinstance(rows, SourceRows):
        return []  # no translation shown
    out: list[int] = []
    before = False
    for k, row in enumerate(rows.rows):
        now = any(row.tgt)
        if now and not before:
            out.append(k)
        if row.gap is None:
            before = now
    return out


def next_index(indices: Sequence[int], current: int, *, forward: bool = True) -> int | None:
    """The next (or previous) of the sorted ``indices`` after ``current``, wrapping around; None if empty."""
    if not indices:
        return None
    if forward:
        k = bisect.bisect_right(indices, current)
        return indices[k % len(indices)]
    k = bisect.bisect_left(indices, current) - 1
    return indices[k % len(indices)]


def find_rows(rows: Rows, cell_texts: Callable[[Row], Iterable[str]], query: str) -> list[int]:
    """Indices of rows where any cell text contains ``query`` (case-insensitive)."""
    needle = query.casefold().strip()
    if not needle:
        return []
    return [
        k for k, row in enumerate(rows.rows) if any(needle in text.casefold() for text in cell_texts(row))
    ]


def split_cut(src_len: int, tgt_len: int) -> tuple[int, int]:
    """Where the reader's split key cuts a bead of shape ``src_len:tgt_len``.

    The first source sentence goes with the first target sentence; a 1:1 bead is split into
    a source-only and a target-only bead (the two sentences do not match).
    """
    if src_len >= 2:
        return 1, min(1, tgt_len)
    if tgt_len >= 2:
        return src_len, 1
    if src_len == 1 and tgt_len == 1:
        return 1, 0
    raise ValueError(f"a {src_len}:{tgt_len} bead cannot be split")


def annotation_rows(
    rows: Rows, document: Document, shown: Sequence[Translation], annotations: Iterable[Annotation]
) -> dict[int, tuple[Annotation, ...]]:
    """The live, anchored annotations on each row, by row index, in the order given.

    An annotation is on every row holding one of its sentences: of the source, or of a shown
    translation (``shown`` in the order the rows were built with). Annotations on a translation
    that is not shown, and orphans, are on no row.
    """
    position = {t.id: k for k, t in enumerate(shown)}
    target_rows: dict[int, dict[int, int]] = {}
    out: dict[int, list[Annotation]] = {}
    for a in annotations:
        if a.is_orphan or a.is_deleted:
            continue
        found: list[int] = []
        tid = a.translation_id
        if tid is None:
            for sid in a.sentence_ids:
                try:
                    found.append(rows.row_of_source(document.sentence(sid).index))
                except (KeyError, IndexError):
                    continue
        elif tid in position:
            column = position[tid]
            by_target = target_rows.get(column)
            if by_target is None:
                # Built once, and only when a translation is annotated: a scan of every row.
                by_target = target_rows[column] = {
                    j: k for k, row in enumerate(rows.rows) for j in row.tgt[column]
                }
            translation = shown[column]
            for sid in a.sentence_ids:
                try:
                    found.append(by_target[translation.sentence(sid).index])
                except KeyError:
                    continue
        for k in dict.fromkeys(found):
            out.setdefault(k, []).append(a)
    return {k: tuple(v) for k, v in out.items()}


EXCERPT_KIND = "excerpt"
"""What a copied row is called in its heading (it is no saved annotation)."""


def excerpt_markdown(
    text: Document | Translation,
    sentence_ids: Sequence[str],
    document: Document,
    translations: Sequence[Translation],
    beads: Mapping[str, Sequence[Bead]],
) -> str:
    """Sentences of ``text`` (the document, or one of its translations) as a citable Markdown excerpt:
    the exporter's layout for an annotation on them, with the aligned sentences of ``translations``
    (by ``beads``, the alignment of each with the document), without the export's title."""
    from sourcereader.core.export import ExportOptions, ExportText, export_markdown

    anchor = anchor_for(text, sentence_ids)
    excerpt = Annotation(
        0, "", EXCERPT_KIND, anchor, None, None, (), (), MappingProxyType({}), "", "", None,
        "anchored", "created", anchor.exact,
    )  # fmt: skip
    kinds = tuple(dict.fromkeys(t.meta.kind for t in translations))
    markdown = export_markdown(
        [excerpt],
        {document.id: ExportText(document, tuple(translations), beads)},
        ExportOptions(translations=kinds),
    )
    # The export opens with "# Annotated excerpts": a pasted excerpt starts at its document's heading.
    head, _, rest = markdown.partition("\n\n")
    return rest if head.startswith("# ") else markdown
