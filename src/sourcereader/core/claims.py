"""Claims that secondary sources make, and the primary evidence held against them.

A **claim** is a sentence, a run of sentences or a span of a *secondary source* (a document whose
``kind`` is ``secondary``: an article, an answer, a book excerpt) with a short label and an optional
note: "the USSR was invited to join as a fourth Axis power". An **evidence link** joins a claim to
a passage (a run of sentences) of a *primary* document, with a stance — it ``supports``,
``contradicts`` or ``qualifies`` the claim, or gives ``context`` — and a note.

Both sit on an :class:`~sourcereader.core.annotations.Anchor`, made by
:func:`~sourcereader.core.annotations.anchor_for` exactly as an annotation's is (sentence ids, the
W3C quote with its context, positions, text version), and when a text changes they are found again
by :func:`~sourcereader.core.annotations.reanchor`, the annotations' own re-anchoring: same ids,
then position, then quote, then fuzzy quote, else **orphan**. Orphans are kept with their quote and
listed; nothing here deletes a claim or a link (deleting puts one in the bin, restorably).

A claim's status is counted from its live links (:class:`ClaimStatus`): how many passages support,
contradict or qualify it or give context, and a one-word verdict for a list.

To show a claim (:func:`claim_view`), each passage is gathered with what the reader would show next
to it: the human translations aligned with it (the same cached alignments as the reader and the
export) and the machine translations cached for its sentences.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sourcereader.core.annotations import (
    Anchor,
    AnchoredRecord,
    AnnotationError,
    ReanchorCounts,
    anchor_for,
    reanchor,
    sentence_run,
)
from sourcereader.core.documents import SECONDARY_KIND, Document, Sentence
from sourcereader.core.plurals import counted
from sourcereader.core.sanitize import CONTROL_RE

if TYPE_CHECKING:
    from sourcereader.core.alignment.beads import Bead
    from sourcereader.core.documents import Library, Translation
    from sourcereader.core.store import Store
    from sourcereader.core.versions import DiffRow

Stance = Literal["supports", "contradicts", "qualifies", "context"]
#: The stances an evidence link can take, in the order a claim's evidence is shown.
STANCES: tuple[Stance, ...] = ("supports", "contradicts", "qualifies", "context")
#: Headings for each stance (the brief, the claim view).
STANCE_HEADINGS: Mapping[str, str] = {
    "supports": "Supports",
    "contradicts": "Contradicts",
    "qualifies": "Qualifies",
    "context": "Context",
}
#: Verdicts a claim's status can have (see :attr:`ClaimStatus.verdict`).
VERDICTS: tuple[str, ...] = (
    "no evidence",
    "supported",
    "contradicted",
    "contested",
    "qualified",
    "context only",
)
#: Longest label accepted (a label is a short handle; the note holds the argument).
MAX_LABEL = 200
#: Below this confidence (and unverified) an aligned translation is marked as a guess.
UNCERTAIN = 0.5


class ClaimError(ValueError):
    """A claim or link that cannot be made as asked, with a one-line reason."""


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class ClaimDraft:
    """A claim before it is saved."""

    anchor: Anchor
    """Where the claim is stated, in the secondary source."""
    label: str
    """A short handle: "fourth Axis power"."""
    note: str | None = None
    """Markdown, or None."""
    uuid: str | None = None
    """Kept when importing; a new one is made otherwise."""
    created: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class EvidenceDraft:
    """An evidence link before it is saved."""

    claim_id: int
    anchor: Anchor
    """The passage of the primary document."""
    stance: Stance
    note: str | None = None
    uuid: str | None = None
    created: str | None = None
    updated: str | None = None


@dataclass(frozen=True, slots=True)
class Claim(AnchoredRecord):
    """A saved claim."""

    id: int
    """The small number the user types (``sourcereader claims show 3``)."""
    uuid: str
    """Global identity (W3C export and import)."""
    label: str
    note: str | None
    anchor: Anchor
    created: str
    updated: str
    deleted_at: str | None
    """Set while the claim is in the bin."""
    status: str
    """``anchored`` or ``orphan``."""
    anchor_method: str
    """``created``, ``imported``, ``manual``, or how it was last re-anchored (annotations' ``METHODS``)."""
    original_quote: str
    """The quote when the claim was made, kept through re-anchoring."""
    checked_version: str
    """The text version the anchor was last checked against."""


@dataclass(frozen=True, slots=True)
class EvidenceLink(AnchoredRecord):
    """A saved link from a claim to a passage of a primary document."""

    id: int
    uuid: str
    claim_id: int
    stance: str
    """One of :data:`STANCES`."""
    note: str | None
    anchor: Anchor
    created: str
    updated: str
    deleted_at: str | None
    """Set while the link is in the bin (``claims unlink``)."""
    status: str
    anchor_method: str
    original_quote: str
    checked_version: str


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """How a claim stands, counted from its live evidence links."""

    supports: int = 0
    contradicts: int = 0
    qualifies: int = 0
    context: int = 0
    orphans: int = 0
    """Links among the above whose passage is an orphan."""

    @property
    def total(self) -> int:
        """Every live link."""
        return self.supports + self.contradicts + self.qualifies + self.context

    def count(self, stance: str) -> int:
        """The number of links with this stance."""
        return int(getattr(self, stance)) if stance in STANCES else 0

    @property
    def verdict(self) -> str:
        """One of :data:`VERDICTS`: what the evidence says at a glance (not a judgement of truth)."""
        if self.supports and self.contradicts:
            return "contested"
        if self.supports:
            return "supported"
        if self.contradicts:
            return "contradicted"
        if self.qualifies:
            return "qualified"
        if self.context:
            return "context only"
        return "no evidence"

    def counts_text(self) -> str:
        """``2 supports · 1 contradicts · 0 qualifies · 1 context`` (and orphans, if any)."""
        text = " · ".join(f"{self.count(s)} {s}" for s in STANCES)
        return text + (f" · {counted(self.orphans, 'orphan')}" if self.orphans else "")

    def glance(self) -> str:
        """A compact status for a list row: ``+2 −1 ~0 ·1`` (supports, contradicts, qualifies, context)."""
        return f"+{self.supports} −{self.contradicts} ~{self.qualifies} ·{self.context}"


def status_of(links: Iterable[EvidenceLink]) -> ClaimStatus:
    """The status counted from these links (deleted ones are not counted)."""
    counts: Counter[str] = Counter()
    orphans = 0
    for link in links:
        if link.is_deleted:
            continue
        counts[link.stance] += 1
        orphans += link.is_orphan
    return ClaimStatus(
        counts["supports"], counts["contradicts"], counts["qualifies"], counts["context"], orphans
    )


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    """A claim with its status: one row of the claims list (and of the link picker)."""

    claim: Claim
    status: ClaimStatus


# --------------------------------------------------------------------------- checking input
def check_stance(stance: str) -> Stance:
    """The stance, lower-cased, or ClaimError naming the known ones."""
    value = stance.strip().lower()
    for known in STANCES:
        if value == known:
            return known
    raise ClaimError(f"unknown stance {stance!r} (known: {', '.join(STANCES)})")


def check_label(label: str) -> str:
    """A label with whitespace collapsed; ClaimError if empty, too long or holding control characters."""
    text = " ".join(unicodedata.normalize("NFC", label).split())
    if not text:
        raise ClaimError("a claim needs a label (a few words saying what it claims)")
    if len(text) > MAX_LABEL:
        raise ClaimError(f"a label is at most {MAX_LABEL} characters (this one has {len(text)}); use --note")
    if CONTROL_RE.search(text):
        raise ClaimError("the label contains control characters")
    return text


def check_note(note: str | None) -> str | None:
    """A note with newlines normalised and outer blank lines trimmed; None when empty."""
    if note is None:
        return None
    text = note.replace("\r\n", "\n").replace("\r", "\n").rstrip().lstrip("\n")
    return text or None


def is_secondary(document: Document) -> bool:
    """True for a secondary source (``kind = "secondary"``)."""
    return document.meta.kind == SECONDARY_KIND


def claim_anchor(
    document: Document, first: str, last: str | None = None, span: tuple[int, int] | None = None
) -> Anchor:
    """A claim's anchor: sentences ``first``–``last`` (or ``span`` inside ``first``) of a secondary source.

    ClaimError when the document is not a secondary source, or for unknown or reversed sentence
    ids, or a span outside its sentence.
    """
    if not is_secondary(document):
        raise ClaimError(
            f"{document.id} is a {document.meta.kind}, not a secondary source: claims are marked in "
            'secondary sources (kind = "secondary"), evidence in primary documents'
        )
    if span is not None and last is not None and last != first:
        raise ClaimError("a span lies inside one sentence: give --span or --to, not both")
    try:
        return anchor_for(document, sentence_run(document, first, last), span)
    except AnnotationError as exc:
        raise ClaimError(f"{document.id}: {exc}") from None


def span_of(document: Document, sentence_id: str, quote: str) -> tuple[int, int]:
    """The span of ``quote`` (its first occurrence, whitespace-insensitive) inside a sentence, for
    ``claims add --quote``; ClaimError when the sentence does not hold it."""
    try:
        sentence_run(document, sentence_id)  # the annotations' message for an unknown id
    except AnnotationError as exc:
        raise ClaimError(f"{document.id}: {exc}") from None
    text = document.sentence(sentence_id).text
    words = quote.split()
    if not words:
        raise ClaimError("the quote is empty")
    found = re.search(r"\s+".join(re.escape(w) for w in words), text)
    if found is None:
        raise ClaimError(f"{document.id} {sentence_id} does not contain {' '.join(words)!r}")
    return found.start(), found.end()


def evidence_anchor(document: Document, first: str, last: str | None = None) -> Anchor:
    """The anchor of an evidence passage: sentences ``first``–``last`` of a primary document."""
    if is_secondary(document):
        raise ClaimError(
            f"{document.id} is a secondary source: evidence is a passage of a primary document "
            "(to compare two secondary sources, mark a claim in each)"
        )
    try:
        return anchor_for(document, sentence_run(document, first, last))
    except AnnotationError as exc:
        raise ClaimError(f"{document.id}: {exc}") from None


def check_claim(draft: ClaimDraft) -> ClaimDraft:
    """The draft with label and note normalised (ClaimError if the label is unusable)."""
    return ClaimDraft(
        draft.anchor,
        check_label(draft.label),
        check_note(draft.note),
        draft.uuid,
        draft.created,
        draft.updated,
    )


def check_evidence(draft: EvidenceDraft) -> EvidenceDraft:
    """The draft with stance and note normalised."""
    if draft.anchor.translation_id is not None:
        raise ClaimError("evidence is a passage of the document itself, not of a translation")
    return EvidenceDraft(
        draft.claim_id,
        draft.anchor,
        check_stance(draft.stance),
        check_note(draft.note),
        draft.uuid,
        draft.created,
        draft.updated,
    )


# --------------------------------------------------------------------------- re-anchoring
@dataclass(frozen=True)
class ClaimReanchorReport(ReanchorCounts):
    """What re-anchoring the claims and evidence links on one document did (``counts``: claims and
    links together)."""

    orphan_claims: tuple[int, ...] = ()
    """Ids of claims on this document that are orphans after this run."""
    orphan_links: tuple[int, ...] = ()
    """Ids of evidence links on this document that are orphans after this run."""


def reanchor_claims(
    store: Store, library: Library, document_ids: Iterable[str] | None = None, *, force: bool = False
) -> list[ClaimReanchorReport]:
    """Re-anchor the claims and evidence links on these documents (default: every one that has some)
    against the library's current texts, and save what moved (one transaction per document).

    Anchors made on the current version are left alone; orphans already checked against it are not
    searched again unless ``force``. Documents no longer in the library are skipped (their claims
    and links are kept as they are).
    """
    wanted = sorted(store.claim_anchor_versions()) if document_ids is None else list(document_ids)
    reports = []
    for document_id in wanted:
        if document_id in library:
            reports.append(_reanchor_document(store, library.document(document_id), force=force))
    return reports


def ensure_claims_anchored(store: Store, library: Library) -> list[ClaimReanchorReport]:
    """Re-anchor only where a text changed since its claims and links were last checked: call before
    listing or showing them. Cheap when nothing changed (one grouped query, one hash per document)."""
    stale = [
        document_id
        for document_id, versions in store.claim_anchor_versions().items()
        if document_id in library and versions != {library.document(document_id).version}
    ]
    return reanchor_claims(store, library, stale) if stale else []


def _reanchor_document(store: Store, document: Document, *, force: bool) -> ClaimReanchorReport:
    version = document.version
    counts: Counter[str] = Counter()
    claim_updates: list[tuple[Claim, Anchor | None, str]] = []
    link_updates: list[tuple[EvidenceLink, Anchor | None, str]] = []
    orphan_claims: list[int] = []
    orphan_links: list[int] = []

    def check(item: Claim | EvidenceLink) -> tuple[Anchor | None, str] | None:
        """The new anchor and method, or None when there is nothing to write."""
        if item.is_orphan and not force and item.checked_version == version:
            counts["orphan"] += 1
            return None
        if not item.is_orphan and item.anchor.version == version:
            counts["unchanged"] += 1
            # Made on this very text: only the record of when it was checked may need writing.
            return None if item.checked_version == version else (item.anchor, "unchanged")
        new, method = reanchor(item.anchor, document)
        counts[method] += 1
        return new, method

    for claim in store.claims(document_id=document.id, include_deleted=True):
        result = check(claim)
        if result is not None:
            claim_updates.append((claim, *result))
        if (result is None and claim.is_orphan) or (result is not None and result[0] is None):
            orphan_claims.append(claim.id)
    for link in store.evidence_on(document.id, include_deleted=True):
        result = check(link)
        if result is not None:
            link_updates.append((link, *result))
        if (result is None and link.is_orphan) or (result is not None and result[0] is None):
            orphan_links.append(link.id)
    if claim_updates or link_updates:
        store.save_reanchored_claims(claim_updates, link_updates, version)
    return ClaimReanchorReport(document.id, dict(counts), tuple(orphan_claims), tuple(orphan_links))


# --------------------------------------------------------------------------- showing a claim
@dataclass(frozen=True)
class TranslationQuote:
    """What one translation has for a passage."""

    translation_id: str
    """The translation's id, or ``mt:<language>`` for machine translations cached in the store."""
    kind: str
    """``human`` or ``machine``."""
    language: str
    label: str
    """How the translation is credited: its translator, or the engine, packages and date."""
    sentence_ids: tuple[str, ...]
    """The translation's sentences shown (for cached machine translations: the source's ids)."""
    text: str
    uncertain: bool = False
    """The alignment joining it to the passage is a guess (confidence under :data:`UNCERTAIN`)."""
    stale: bool = False
    """A machine translation made before a source sentence changed."""
    synthetic: bool = False
    """Made by a random-weight test model: not a translation (never exported)."""


@dataclass(frozen=True)
class PassageView:
    """A passage as the claim view shows it: the original sentences and their translations."""

    anchor: Anchor
    document: Document | None
    """None when the document is no longer in the library (the quote is all there is)."""
    sentences: tuple[Sentence, ...]
    """The anchored sentences in the current text (empty for an orphan or a missing document)."""
    translations: tuple[TranslationQuote, ...] = ()

    @property
    def text(self) -> str:
        """The original text of the passage (the quote as recorded when it cannot be found)."""
        if not self.sentences:
            return self.anchor.exact
        return " ".join(" ".join(s.text.split()) for s in self.sentences)

    @property
    def where(self) -> str:
        """``s3``, ``s3–s5`` or ``s3 [4:17]``."""
        return self.anchor.describe()


@dataclass(frozen=True)
class EvidenceView:
    """One evidence link with its passage."""

    link: EvidenceLink
    passage: PassageView


@dataclass(frozen=True)
class VersionCounterpart:
    """Where a claim's sentences went in another version of its source."""

    document_id: str
    """The other version."""
    rows: tuple[DiffRow, ...]
    """Rows of the diff from the claim's version to the other one holding the claim's sentences
    (``b`` empty: the sentences are not in the other version)."""

    @property
    def text(self) -> str:
        """The other version's wording (empty when it has none)."""
        parts = ("".join(p.text for p in r.pieces if p.op != "delete").strip() for r in self.rows if r.b)
        return " ".join(" ".join(parts).split())

    @property
    def same(self) -> bool:
        """True when the other version words it identically."""
        return bool(self.rows) and all(r.change == "same" for r in self.rows)

    @property
    def sentence_ids(self) -> tuple[str, ...]:
        """The other version's sentences."""
        return tuple(i for r in self.rows for i in r.b)


@dataclass(frozen=True)
class ClaimView:
    """A claim with its source passage, its status and its evidence (what ``claims show`` and the
    claim screen display)."""

    claim: Claim
    status: ClaimStatus
    source: PassageView
    evidence: tuple[EvidenceView, ...] = ()
    versions: tuple[VersionCounterpart, ...] = ()
    """The claim's wording in the other versions of its source (when asked for)."""

    def by_stance(self) -> list[tuple[str, tuple[EvidenceView, ...]]]:
        """The evidence grouped by stance, in :data:`STANCES` order, empty groups left out."""
        groups = [(s, tuple(e for e in self.evidence if e.link.stance == s)) for s in STANCES]
        return [(s, items) for s, items in groups if items]


def passage_view(
    store: Store,
    library: Library,
    anchor: Anchor,
    *,
    orphan: bool = False,
    kinds: Sequence[str] = ("human", "machine"),
    _beads: dict[tuple[str, str], list[Bead]] | None = None,
) -> PassageView:
    """The passage at ``anchor`` with the translations of ``kinds`` that cover it."""
    if anchor.document_id not in library:
        return PassageView(anchor, None, ())
    entry = library.entry(anchor.document_id)
    document = entry.document
    by_id = document.sentences_by_id
    sentences = () if orphan else tuple(by_id[i] for i in anchor.sentence_ids if i in by_id)
    if not sentences:
        return PassageView(anchor, document, ())
    quotes: list[TranslationQuote] = []
    cache = {} if _beads is None else _beads
    for translation in entry.translations:
        if translation.meta.kind not in kinds:
            continue
        key = (document.id, translation.id)
        if key not in cache:
            from sourcereader.core.alignment.document import document_alignment

            cache[key] = list(document_alignment(store, document, translation).beads)
        quote = _aligned_quote(translation, cache[key], sentences)
        if quote is not None:
            quotes.append(quote)
    if "machine" in kinds:
        # A machine translation written out as a file is already quoted above.
        written = {t.language for t in entry.translations if t.meta.kind == "machine"}
        quotes += [q for q in _cached_machine_quotes(store, document, sentences) if q.language not in written]
    return PassageView(anchor, document, sentences, tuple(quotes))


def _aligned_quote(
    translation: Translation, beads: Sequence[Bead], sentences: Sequence[Sentence]
) -> TranslationQuote | None:
    wanted = {s.index for s in sentences}
    touching = [b for b in beads if wanted.intersection(b.src)]
    targets = sorted({j for b in touching for j in b.tgt})
    t_sentences = translation.sentences
    found = [t_sentences[j] for j in targets if j < len(t_sentences)]
    if not found:
        return None  # this translation does not cover the passage
    from sourcereader.core.export import translation_label

    uncertain = any(not b.verified and b.confidence < UNCERTAIN for b in touching)
    return TranslationQuote(
        translation.id,
        translation.meta.kind,
        translation.language,
        translation_label(translation),
        tuple(s.id for s in found),
        " ".join(" ".join(s.text.split()) for s in found),
        uncertain=uncertain,
    )


def _cached_machine_quotes(
    store: Store, document: Document, sentences: Sequence[Sentence]
) -> list[TranslationQuote]:
    quotes = []
    for target in store.machine_translation_targets(document.id):
        cached = store.machine_translations(document.id, target)
        rows = [cached.get(s.id) for s in sentences]
        if any(r is None for r in rows):
            continue  # not every sentence of the passage is translated yet: no partial quote
        present = [r for r in rows if r is not None]
        first = present[0].provenance
        packages = ", ".join(dict.fromkeys(f"{n} {v}" for r in present for n, v in zip(
            r.provenance.packages, r.provenance.package_versions, strict=False)))  # fmt: skip
        date = max(r.provenance.translated_at for r in present)[:10]
        engine = "Argos Translate" if first.engine == "argos" else first.engine
        label = "machine translation, " + ", ".join(p for p in (engine, packages, date) if p)
        quotes.append(
            TranslationQuote(
                f"mt:{target}",
                "machine",
                target,
                label,
                tuple(s.id for s in sentences),
                " ".join(" ".join(r.text.split()) for r in present),
                stale=any(r.is_stale(s.hash) for r, s in zip(present, sentences, strict=True)),
                synthetic=any(r.provenance.synthetic for r in present),
            )
        )
    return quotes


def claim_versions(store: Store, library: Library, claim: Claim) -> tuple[VersionCounterpart, ...]:
    """The claim's sentences in every other version of its source (aligned with :mod:`versions`;
    the alignment is cached in the store)."""
    from sourcereader.core.versions import diff_versions

    if claim.is_orphan or claim.document_id not in library:
        return ()
    document = library.document(claim.document_id)
    found = []
    for other in library.versions(document.id):
        if other.language != document.language:
            continue
        diff = diff_versions(document, other, cache=store)
        found.append(VersionCounterpart(other.id, tuple(diff.rows_of_a(claim.anchor.sentence_ids))))
    return tuple(found)


def claim_view(
    store: Store,
    library: Library,
    claim_id: int,
    *,
    kinds: Sequence[str] = ("human", "machine"),
    include_deleted: bool = False,
    versions: bool = False,
) -> ClaimView:
    """A claim with its source passage and every live evidence passage, each with its translations
    (and, with ``versions``, its wording in the other versions of its source).

    ClaimError for an unknown claim (or a deleted one, unless ``include_deleted``).
    """
    claim = store.claim(claim_id, include_deleted=include_deleted)
    links = store.evidence(claim.id)
    beads: dict[tuple[str, str], list[Bead]] = {}
    source = passage_view(store, library, claim.anchor, orphan=claim.is_orphan, kinds=kinds, _beads=beads)
    evidence = tuple(
        EvidenceView(
            link, passage_view(store, library, link.anchor, orphan=link.is_orphan, kinds=kinds, _beads=beads)
        )
        for link in _ordered(links)
    )
    counterparts = claim_versions(store, library, claim) if versions else ()
    return ClaimView(claim, status_of(links), source, evidence, counterparts)


def _ordered(links: Iterable[EvidenceLink]) -> list[EvidenceLink]:
    """Evidence by stance (supports first), then by document and position."""
    rank: dict[str, int] = {s: n for n, s in enumerate(STANCES)}
    return sorted(links, key=lambda k: (rank.get(k.stance, 9), k.document_id, k.anchor.start, k.id))


# --------------------------------------------------------------------------- JSON
def anchor_json(anchor: Anchor) -> dict[str, object]:
    """The anchor fields the command line prints."""
    return {
        "document": anchor.document_id,
        "sentences": list(anchor.sentence_ids),
        "span": list(anchor.span) if anchor.span is not None else None,
        "quote": anchor.exact,
    }


def claim_to_json(claim: Claim, status: ClaimStatus | None = None) -> dict[str, object]:
    """A JSON-ready view of a claim (``claims list --json``)."""
    out: dict[str, object] = {
        "id": claim.id,
        "uuid": claim.uuid,
        "label": claim.label,
        "note": claim.note,
        **anchor_json(claim.anchor),
        "status": claim.status,
        "anchor_method": claim.anchor_method,
        "created": claim.created,
        "updated": claim.updated,
        "deleted": claim.deleted_at,
    }
    if status is not None:
        evidence: dict[str, object] = {s: status.count(s) for s in STANCES}
        evidence.update(orphans=status.orphans, verdict=status.verdict)
        out["evidence"] = evidence
    return out


def link_to_json(link: EvidenceLink) -> dict[str, object]:
    """A JSON-ready view of an evidence link."""
    return {
        "id": link.id,
        "uuid": link.uuid,
        "claim": link.claim_id,
        "stance": link.stance,
        "note": link.note,
        **anchor_json(link.anchor),
        "status": link.status,
        "anchor_method": link.anchor_method,
        "created": link.created,
        "updated": link.updated,
        "deleted": link.deleted_at,
    }


def _passage_json(passage: PassageView) -> dict[str, object]:
    return {
        "text": passage.text,
        "language": passage.document.language if passage.document is not None else None,
        "in_library": passage.document is not None,
        "translations": [
            {
                "id": q.translation_id,
                "kind": q.kind,
                "language": q.language,
                "label": q.label,
                "sentences": list(q.sentence_ids),
                "text": q.text,
                "uncertain": q.uncertain,
                "stale": q.stale,
                "synthetic": q.synthetic,
            }
            for q in passage.translations
        ],
    }


def view_to_json(view: ClaimView) -> dict[str, object]:
    """A JSON-ready view of a claim with its evidence (``claims show --json``)."""
    out = claim_to_json(view.claim, view.status)
    out["passage"] = _passage_json(view.source)
    out["links"] = [{**link_to_json(e.link), "passage": _passage_json(e.passage)} for e in view.evidence]
    out["versions"] = [
        {"document": v.document_id, "sentences": list(v.sentence_ids), "text": v.text, "same": v.same,
         "marked": " ".join(r.marked() for r in v.rows)}
        for v in view.versions
    ]  # fmt: skip
    return out
