"""Annotations and their anchors, and re-anchoring when a text changes.

An annotation is a highlight, a note (Markdown), a set of tags, or a *relation note* about how
translations render a bead of the source. Whatever its kind it may carry tags, a note and a
highlight colour; ``kind`` says what the user meant it to be.

Its :class:`Anchor` says where it sits, redundantly, as Hypothesis does, so that it survives
edits to the text: the document (or translation) id and the text version it was made on, the
sentence ids, the quoted text with ~32 characters of context on either side (the W3C
TextQuoteSelector) and its offsets in the body (the TextPositionSelector).

When the text changes, :func:`reanchor` looks for the annotation again, trying in order

1. ``sentence``: the same sentence ids still hold the same quote (whitespace-insensitive);
2. ``position``: the old offsets still hold the quote;
3. ``quote``: the quote occurs elsewhere (the occurrence whose context matches, then the
   one closest to the old offsets);
4. ``fuzzy``: the quote, with its prefix and suffix, matches approximately (rapidfuzz, near the
   old offsets first, then anywhere) with a score of at least :data:`FUZZY_THRESHOLD`;

and otherwise reports the annotation as an **orphan**. Orphans are kept, with their quote, and
listed for the user to re-attach or delete: nothing here ever deletes an annotation.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from sourcereader.core import choices
from sourcereader.core.documents import Document, Sentence, Text, Translation, id_range
from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import CONTROL_RE

if TYPE_CHECKING:
    from sourcereader.core.documents import Library

#: What an annotation is meant to be.
KINDS = choices.KINDS
HIGHLIGHTS = choices.HIGHLIGHTS
RELATION_TAGS = choices.RELATION_TAGS
#: Characters of context kept on either side of a quote (W3C TextQuoteSelector prefix/suffix).
CONTEXT = 32
#: Minimum rapidfuzz score (0–100) for a fuzzy re-anchoring to count.
FUZZY_THRESHOLD = 80.0
#: How far (characters) around the old position the fuzzy search looks before trying the whole text.
FUZZY_WINDOW = 600
#: Re-anchoring methods, best first; ``orphan`` means none worked.
METHODS: tuple[str, ...] = ("unchanged", "sentence", "position", "quote", "fuzzy", "manual", "orphan")

_MAX_TAG = 100


class AnnotationError(ValueError):
    """An annotation that cannot be made as asked (bad target, tag, colour…), with a one-line reason."""


# --------------------------------------------------------------------------- values
@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation sits, stated redundantly so it can be found again after an edit."""

    document_id: str
    """The document annotated (for a translation: the document it translates)."""
    sentence_ids: tuple[str, ...]
    """The sentences covered, consecutive, in order."""
    exact: str
    """The quoted text (W3C TextQuoteSelector ``exact``)."""
    prefix: str
    """Up to :data:`CONTEXT` characters before the quote."""
    suffix: str
    """Up to :data:`CONTEXT` characters after the quote."""
    start: int
    """Offset of the quote in the text body (W3C TextPositionSelector)."""
    end: int
    """Offset just past the quote in the text body."""
    version: str
    """``Text.version`` of the text the anchor was computed on."""
    translation_id: str | None = None
    """Set when the annotation is on a translation's sentences rather than the document's."""
    span: tuple[int, int] | None = None
    """For a span inside a sentence: offsets relative to the first sentence; None for whole sentences."""

    def describe(self) -> str:
        """A short human description: ``s3``, ``s3–s5``, ``s3 [4:17]``, with the translation if any."""
        ids = id_range(self.sentence_ids)
        where = f"{ids} [{self.span[0]}:{self.span[1]}]" if self.span is not None else ids
        return f"{self.translation_id}: {where}" if self.translation_id else where


@dataclass(frozen=True)
class AnnotationDraft:
    """What the user asked for, before it is saved (the dialog returns one; the store saves it)."""

    anchor: Anchor
    kind: str = "note"
    note: str | None = None
    """Markdown, or None."""
    highlight: str | None = None
    """One of :data:`HIGHLIGHTS`, or None."""
    tags: tuple[str, ...] = ()
    """As typed; normalised when saved."""
    compared: tuple[str, ...] = ()
    """For a relation note: ids of the translations it compares."""
    compared_sentences: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """For a relation note: the translation sentences of the bead, per compared translation (if known)."""
    uuid: str | None = None
    """Kept when importing; a new one is made otherwise."""
    created: str | None = None
    """Kept when importing (ISO 8601 UTC); now otherwise."""
    updated: str | None = None
    """Kept when importing."""


class AnchoredRecord:
    """What saved annotations, claims and evidence links share: a place in a document, whether it
    was found again there after the text changed, and the bin."""

    __slots__ = ()  # the dataclasses below hold the fields, in slots of their own
    anchor: Anchor
    status: str
    deleted_at: str | None

    @property
    def document_id(self) -> str:
        """The document it is in (a claim's secondary source, an evidence link's primary document)."""
        return self.anchor.document_id

    @property
    def is_orphan(self) -> bool:
        """True when its text could not be found in the current version of its document."""
        return self.status == "orphan"

    @property
    def is_deleted(self) -> bool:
        """True while it is in the bin (restorable)."""
        return self.deleted_at is not None


@dataclass(frozen=True, slots=True)
class Annotation(AnchoredRecord):
    """A saved annotation."""

    id: int
    """Small integer the user types (``sourcereader notes edit 12``); local to this database."""
    uuid: str
    """Global identity, used by the W3C export and import."""
    kind: str
    anchor: Anchor
    note: str | None
    highlight: str | None
    tags: tuple[str, ...]
    """Display forms (as first typed), in the order given."""
    compared: tuple[str, ...]
    compared_sentences: Mapping[str, tuple[str, ...]]
    created: str
    updated: str
    deleted_at: str | None
    status: str
    """``anchored`` or ``orphan``."""
    anchor_method: str
    """How the anchor was last established (:data:`METHODS`, or ``created``/``imported``)."""
    original_quote: str
    """The quote when the annotation was made (kept through re-anchoring, for the record)."""
    checked_version: str = ""
    """The text version the anchor was last checked against (orphans are not searched twice)."""

    @property
    def translation_id(self) -> str | None:
        """The translation annotated, if the annotation is on a translation."""
        return self.anchor.translation_id

    @property
    def sentence_ids(self) -> tuple[str, ...]:
        """The sentences the annotation covers."""
        return self.anchor.sentence_ids


# --------------------------------------------------------------------------- normalising input
def normalise_tag(tag: str) -> tuple[str, str]:
    """``(key, display)`` for a tag as typed: the key is case-folded, display keeps the case.

    A leading ``#`` is dropped and inner whitespace collapsed; empty or over-long tags and control
    characters are refused.
    """
    display = " ".join(unicodedata.normalize("NFC", tag).split()).lstrip("#").strip()
    if not display:
        raise AnnotationError(f"empty tag {tag!r}")
    if len(display) > _MAX_TAG:
        raise AnnotationError(f"tag longer than {_MAX_TAG} characters: {display[:20]}…")
    if CONTROL_RE.search(display):
        raise AnnotationError(f"tag {display!r} contains control characters")
    return display.casefold(), display


def normalise_tags(tags: Iterable[str]) -> list[tuple[str, str]]:
    """Tags as ``(key, display)`` pairs, duplicates (case-insensitive) dropped, first kept."""
    seen: dict[str, str] = {}
    for tag in tags:
        key, display = normalise_tag(tag)
        seen.setdefault(key, display)
    return list(seen.items())


def normalise_note(note: str | None) -> str | None:
    """A note with newlines normalised and trailing whitespace trimmed; None if empty."""
    if note is None:
        return None
    text = note.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    text = text.lstrip("\n")
    return text or None


def check_highlight(highlight: str | None) -> str | None:
    """The highlight colour, lower-cased, or AnnotationError naming the known ones."""
    if highlight is None or highlight == "":
        return None
    value = highlight.strip().lower()
    if value == "gray":
        value = "grey"
    if value not in HIGHLIGHTS:
        raise AnnotationError(f"unknown highlight colour {highlight!r} (known: {', '.join(HIGHLIGHTS)})")
    return value


def check_draft(draft: AnnotationDraft) -> AnnotationDraft:
    """The draft with note, tags and highlight normalised; AnnotationError if it says nothing."""
    if draft.kind not in KINDS:
        raise AnnotationError(f"unknown kind {draft.kind!r} (known: {', '.join(KINDS)})")
    note = normalise_note(draft.note)
    highlight = check_highlight(draft.highlight)
    tags = tuple(display for _, display in normalise_tags(draft.tags))
    compared = tuple(dict.fromkeys(c.strip() for c in draft.compared if c.strip()))
    if draft.kind == "note" and note is None:
        raise AnnotationError("a note needs some text")
    if draft.kind == "highlight" and highlight is None:
        raise AnnotationError("a highlight needs a colour")
    if draft.kind == "tag" and not tags:
        raise AnnotationError("a tag annotation needs at least one tag")
    if draft.kind == "relation":
        if not compared:
            raise AnnotationError("a relation note must name the translation(s) it compares")
        if draft.anchor.translation_id is not None:
            raise AnnotationError("a relation note is made on the document's sentences, not a translation's")
    elif compared:
        raise AnnotationError("only a relation note compares translations")
    return replace(draft, note=note, highlight=highlight, tags=tags, compared=compared)


def infer_kind(*, note: str | None, highlight: str | None, tags: Sequence[str], relation: bool) -> str:
    """The kind the command line means: relation, else note, else highlight, else tag."""
    if relation:
        return "relation"
    if normalise_note(note) is not None:
        return "note"
    if highlight:
        return "highlight"
    if tags:
        return "tag"
    raise AnnotationError("nothing to save: give a note, a tag, a highlight colour, or --relation")


# --------------------------------------------------------------------------- anchoring
def _text_ids(text: Text) -> tuple[str, str | None]:
    if isinstance(text, Translation):
        return text.meta.document, text.meta.id
    if isinstance(text, Document):
        return text.meta.id, None
    raise TypeError(f"cannot anchor on {type(text).__name__}")


def sentence_run(text: Text, first: str, last: str | None = None) -> tuple[str, ...]:
    """The ids from ``first`` to ``last`` inclusive (AnnotationError if unknown or reversed)."""
    index = _Index(text)
    a = index.sentence(first)
    b = index.sentence(last) if last is not None else a
    if b.index < a.index:
        raise AnnotationError(f"{last} comes before {first}")
    return tuple(s.id for s in index.sentences[a.index : b.index + 1])


def anchor_for(
    text: Document | Translation, sentence_ids: Sequence[str], span: tuple[int, int] | None = None
) -> Anchor:
    """The anchor for whole sentences, or for ``span`` (offsets inside the one sentence given).

    AnnotationError for unknown ids, ids that are not a consecutive run, or a span outside its
    sentence or holding only whitespace.
    """
    if not sentence_ids:
        raise AnnotationError("no sentence given")
    index = _Index(text)
    sentences = [index.sentence(i) for i in sentence_ids]
    for a, b in zip(sentences, sentences[1:], strict=False):
        if b.index != a.index + 1:
            raise AnnotationError(f"sentences must be consecutive and in order ({a.id} then {b.id})")
    first = sentences[0]
    if span is None:
        start, end = first.start, sentences[-1].end
    else:
        if len(sentences) != 1:
            raise AnnotationError("a span lies inside one sentence")
        lo, hi = span
        if not 0 <= lo < hi <= len(first.text):
            raise AnnotationError(
                f"span {lo}:{hi} is outside sentence {first.id} (it has {len(first.text)} characters)"
            )
        start, end = first.start + lo, first.start + hi
        if not text.body[start:end].strip():
            raise AnnotationError(f"span {lo}:{hi} of {first.id} holds only whitespace")
    return _make_anchor(text, index, tuple(s.id for s in sentences), start, end, span)


def _make_anchor(
    text: Text, index: _Index, ids: tuple[str, ...], start: int, end: int, span: tuple[int, int] | None
) -> Anchor:
    document_id, translation_id = _text_ids(text)
    body = text.body
    return Anchor(
        document_id=document_id,
        translation_id=translation_id,
        sentence_ids=ids,
        exact=body[start:end],
        prefix=body[max(0, start - CONTEXT) : start],
        suffix=body[end : end + CONTEXT],
        start=start,
        end=end,
        version=index.version,
        span=span,
    )


class _Index:
    """A text's sentences by id and by offset, built once per re-anchoring run."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.body = text.body
        self.version = text.version
        self.sentences = text.sentences
        self.by_id = {s.id: s for s in self.sentences}
        self.starts = [s.start for s in self.sentences]

    def sentence(self, sentence_id: str) -> Sentence:
        try:
            return self.by_id[sentence_id]
        except KeyError:
            n = len(self.sentences)
            raise AnnotationError(
                f"no sentence {sentence_id!r} in this text (it has s1–s{n})"
                if n
                else "the text has no sentences"
            ) from None

    def overlapping(self, start: int, end: int) -> list[Sentence]:
        """Sentences sharing at least one character with ``[start, end)``."""
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        out: list[Sentence] = []
        while i < len(self.sentences) and self.sentences[i].start < end:
            s = self.sentences[i]
            if s.end > start:
                out.append(s)
            i += 1
        return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def reanchor(anchor: Anchor, text: Document | Translation) -> tuple[Anchor | None, str]:
    """Find ``anchor`` in ``text`` (the same or a changed version): ``(new anchor, method)``.

    The anchor is None and the method ``orphan`` when it cannot be found. See the module
    docstring for the order of methods.
    """
    return _reanchor(anchor, _Index(text))


def _reanchor(anchor: Anchor, index: _Index) -> tuple[Anchor | None, str]:
    body = index.body
    new: Anchor | None
    # 1. same sentence ids, same quote
    sentences = [index.by_id.get(i) for i in anchor.sentence_ids]
    if sentences and all(s is not None for s in sentences):
        run = [s for s in sentences if s is not None]
        consecutive = all(b.index == a.index + 1 for a, b in zip(run, run[1:], strict=False))
        if consecutive:
            if anchor.span is None:
                start, end = run[0].start, run[-1].end
            else:
                start, end = run[0].start + anchor.span[0], run[0].start + anchor.span[1]
            if end <= len(body) and _squash(body[start:end]) == _squash(anchor.exact):
                new = _make_anchor(index.text, index, tuple(s.id for s in run), start, end, anchor.span)
                method = "unchanged" if new == anchor else "sentence"
                return new, method
    # 2. the old position still holds the quote
    if body[anchor.start : anchor.end] == anchor.exact:
        new = _settle(anchor, index, anchor.start, anchor.end)
        if new is not None:
            return new, "position"
    # 3. the exact quote elsewhere
    found = _exact_elsewhere(anchor, body)
    if found is not None:
        new = _settle(anchor, index, found, found + len(anchor.exact))
        if new is not None:
            return new, "quote"
    # 4. approximately, with context
    located = _fuzzy(anchor, body)
    if located is not None:
        new = _settle(anchor, index, *located)
        if new is not None:
            return new, "fuzzy"
    return None, "orphan"


def _exact_elsewhere(anchor: Anchor, body: str) -> int | None:
    quote = anchor.exact
    if not quote.strip():
        return None
    best: tuple[int, int, int] | None = None
    pos = body.find(quote)
    seen = 0
    while pos >= 0 and seen < 10_000:
        seen += 1
        context = int(body[max(0, pos - len(anchor.prefix)) : pos] == anchor.prefix) + int(
            body[pos + len(quote) : pos + len(quote) + len(anchor.suffix)] == anchor.suffix
        )
        key = (-context, abs(pos - anchor.start), pos)
        if best is None or key < best:
            best = key
        pos = body.find(quote, pos + 1)
    return None if best is None else best[2]


def _fuzzy(anchor: Anchor, body: str) -> tuple[int, int] | None:
    from rapidfuzz import fuzz

    quote = anchor.exact
    if len(quote.strip()) < 4 or not body:
        return None  # a few characters match anywhere: too weak to re-attach a note on
    windows = [
        (max(0, anchor.start - FUZZY_WINDOW), min(len(body), anchor.end + FUZZY_WINDOW)),
        (0, len(body)),
    ]
    tried: set[tuple[int, int]] = set()
    for lo, hi in windows:
        if (lo, hi) in tried or hi - lo < len(quote) // 2:
            continue
        tried.add((lo, hi))
        hay = body[lo:hi]
        needle = anchor.prefix + quote + anchor.suffix
        # First place the quote *with* its context, then the quote inside that stretch: the context
        # tells two similar sentences apart.
        c_lo, c_hi = 0, len(hay)
        if len(needle) < len(hay):
            ctx = fuzz.partial_ratio_alignment(needle, hay)
            if ctx is not None:
                slack = len(anchor.prefix) + len(anchor.suffix) + 8
                c_lo, c_hi = max(0, ctx.dest_start - slack), min(len(hay), ctx.dest_end + slack)
        part = hay[c_lo:c_hi]
        if len(quote) <= len(part):
            hit = fuzz.partial_ratio_alignment(quote, part)
            if hit is None:
                continue
            start, end, score = c_lo + hit.dest_start, c_lo + hit.dest_end, hit.score
        else:
            # The text shrank below the quote's length: compare the quote with the whole stretch.
            start, end, score = c_lo, c_hi, fuzz.ratio(quote, part)
        if score >= FUZZY_THRESHOLD and body[lo + start : lo + end].strip():
            return lo + start, lo + end
    return None


def _settle(anchor: Anchor, index: _Index, start: int, end: int) -> Anchor | None:
    """The anchor for a quote found at ``[start, end)``: snapped to whole sentences when the
    annotation was on whole sentences and those sentences are still mostly what was found."""
    overlapping = index.overlapping(start, end)
    if not overlapping:
        return None  # found inside a gap marker, say: not a place for an annotation
    if anchor.span is None:
        covered = [s for s in overlapping if min(s.end, end) - max(s.start, start) >= 0.5 * (s.end - s.start)]
        if covered:
            ids = tuple(s.id for s in covered)
            return _make_anchor(index.text, index, ids, covered[0].start, covered[-1].end, None)
    # A span, or whole sentences now merged into a longer one: keep exactly what was found.
    first = overlapping[0]
    start = max(start, first.start)
    end = min(end, overlapping[-1].end)
    if end <= start:
        return None
    ids = tuple(s.id for s in overlapping)
    return _make_anchor(index.text, index, ids, start, end, (start - first.start, end - first.start))


# --------------------------------------------------------------------------- documents
@dataclass(frozen=True)
class ReanchorCounts:
    """How many anchors on one document re-anchoring settled by each method: what annotations'
    and claims' reports share, and report in one line alike."""

    document_id: str
    counts: Mapping[str, int]
    """Anchors per method (:data:`METHODS`), ``unchanged`` included."""

    @property
    def checked(self) -> int:
        """How many anchors were looked at."""
        return sum(self.counts.values())

    @property
    def moved(self) -> int:
        """How many were re-anchored somewhere (any method but ``unchanged`` and ``orphan``)."""
        return sum(n for m, n in self.counts.items() if m not in ("unchanged", "orphan"))

    def summary(self) -> str:
        """One line: ``doc: 12 checked, 3 re-anchored (2 sentence, 1 fuzzy), 1 orphan``."""
        how = ", ".join(
            f"{self.counts[m]} {m}"
            for m in METHODS
            if m not in ("unchanged", "orphan") and self.counts.get(m)
        )
        moved = f"{self.moved} re-anchored ({how})" if self.moved else "0 re-anchored"
        orphans = self.counts.get("orphan", 0)
        return f"{self.document_id}: {self.checked} checked, {moved}, {counted(orphans, 'orphan')}"


@dataclass(frozen=True)
class ReanchorReport(ReanchorCounts):
    """What re-anchoring a document's annotations did."""

    orphaned: tuple[int, ...] = ()
    """Ids of annotations that are orphans after this run."""
    missing_texts: tuple[str, ...] = ()
    """Translation ids annotated but no longer in the library (their annotations are orphans)."""


class AnnotationStore(Protocol):
    """What re-anchoring needs of the store (which implements it; this module never imports the store)."""

    def annotations(
        self, *, document_id: str | None = None, include_deleted: bool = False
    ) -> list[Annotation]:
        """Annotations in document order (of one document; deleted ones too if asked)."""
        ...

    def save_reanchored(self, results: Sequence[tuple[Annotation, Anchor | None, str, str]]) -> int:
        """Write ``(annotation, new anchor or None, method, checked version)`` in one transaction."""
        ...

    def annotation_counts(self) -> Mapping[str, int]:
        """Live annotations per document id."""
        ...


def reanchor_document(
    store: AnnotationStore,
    document: Document,
    translations: Sequence[Translation] = (),
    *,
    force: bool = False,
) -> ReanchorReport:
    """Re-anchor every annotation of ``document`` (and of the given translations) and save the result.

    Annotations whose anchor still holds are left alone; orphans already checked against this
    version are not searched again unless ``force``. One transaction for the whole document; an
    anchor that another process changed meanwhile is not overwritten.
    """
    texts: dict[str | None, Text] = {None: document}
    texts.update({t.id: t for t in translations})
    indexes: dict[str | None, _Index] = {}
    counts: Counter[str] = Counter()
    orphaned: list[int] = []
    missing: set[str] = set()
    updates: list[tuple[Annotation, Anchor | None, str, str]] = []
    for annotation in store.annotations(document_id=document.id, include_deleted=True):
        tid = annotation.translation_id
        text = texts.get(tid)
        if text is None:
            # The translation is gone from the library: keep the annotation as an orphan.
            missing.add(str(tid))
            counts["orphan"] += 1
            orphaned.append(annotation.id)
            if not annotation.is_orphan:
                updates.append((annotation, None, "orphan", "missing"))
            continue
        index = indexes.get(tid)
        if index is None:
            index = indexes[tid] = _Index(text)
        if annotation.is_orphan and not force and annotation.checked_version == index.version:
            counts["orphan"] += 1
            orphaned.append(annotation.id)
            continue
        new, method = _reanchor(annotation.anchor, index)
        counts[method] += 1
        if new is None:
            orphaned.append(annotation.id)
        if method != "unchanged" or annotation.is_orphan:
            updates.append((annotation, new, method, index.version))
    if updates:
        store.save_reanchored(updates)
    return ReanchorReport(document.id, dict(counts), tuple(orphaned), tuple(sorted(missing)))


@dataclass(frozen=True)
class ReanchorRun:
    """What re-anchoring several documents did."""

    reports: tuple[ReanchorReport, ...]
    """One per document in the library, in the order asked (by id when none was asked)."""
    not_in_library: tuple[str, ...] = ()
    """Documents with annotations but no text in the library: their annotations were left as they are."""


def reanchor_annotated(
    store: AnnotationStore,
    library: Library,
    document_ids: Iterable[str] | None = None,
    *,
    force: bool = False,
) -> ReanchorRun:
    """Settle annotations on the library's current texts: the documents ``document_ids`` (default: every
    document with live annotations), each with its translations. Run before exporting or listing, and on
    opening a document: a text may have changed since its annotations were made.

    Cheap when nothing changed: one query and a dictionary lookup per annotation. ``force`` searches
    again for orphans already checked against the current text.
    """
    ids = sorted(store.annotation_counts()) if document_ids is None else list(document_ids)
    reports: list[ReanchorReport] = []
    missing: list[str] = []
    for document_id in ids:
        if document_id not in library:
            missing.append(document_id)
            continue
        entry = library.entry(document_id)
        reports.append(reanchor_document(store, entry.document, entry.translations, force=force))
    return ReanchorRun(tuple(reports), tuple(missing))


def to_json(annotation: Annotation) -> dict[str, object]:
    """A JSON-ready view of an annotation (``sourcereader notes --json``)."""
    anchor = annotation.anchor
    return {
        "id": annotation.id,
        "uuid": annotation.uuid,
        "document": anchor.document_id,
        "translation": anchor.translation_id,
        "kind": annotation.kind,
        "sentences": list(anchor.sentence_ids),
        "span": list(anchor.span) if anchor.span is not None else None,
        "quote": anchor.exact,
        "note": annotation.note,
        "highlight": annotation.highlight,
        "tags": list(annotation.tags),
        "compared": list(annotation.compared),
        "status": annotation.status,
        "anchor_method": annotation.anchor_method,
        "created": annotation.created,
        "updated": annotation.updated,
        "deleted": annotation.deleted_at,
    }
