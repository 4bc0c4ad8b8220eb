"""Claims out and in: an evidence brief in Markdown, and W3C Web Annotations that round-trip.

The brief (every export parses with markdown-it-py into exactly this outline)::

    # Evidence brief
    ## Claim <n>: <label>                        one section per claim, in the order asked
    > the claim's sentence(s), the claimed span in *emphasis*
    Source: author, “title”, site; address; revision; retrieved; document id, sentences; copy; licence.
    **In <other version>, sentence s1, worded differently:**   for each other version of the source
    > its wording (or: "the same wording", "no counterpart")
    <the claim's note>
    Evidence: <verdict> — 1 supports · 0 contradicts · 0 qualifies · 1 context.
    ### Supports | Contradicts | Qualifies | Context   the evidence grouped by stance
    #### <document title> (<date>), <sentence ids>
    **Original (<language>)**
    > the passage in its own language
    **<translation label>**                      each human, then machine, translation covering it
    > the translation
    <the link's note>
    Cite: title, date; archival reference; first published; document id, sentences; copy; licence.

User text (labels, notes, document text) is escaped with the annotation export's own functions, so
it cannot leave its place.

In W3C JSON-LD a claim is an ``Annotation`` with motivation ``assessing`` on its passage of the
secondary source (its label a ``describing`` body, its note a ``commenting`` one), and an evidence
link an ``Annotation`` with motivation ``linking`` on the primary passage, whose bodies are the claim
(a ``SpecificResource`` naming the claim's ``urn:uuid``), the stance (a ``classifying`` body) and
the note. Targets are written and read by the annotation export itself (:func:`to_w3c`,
:func:`from_w3c`): the same selectors, sentence ids and text version. ``sr:kind`` (``claim`` or
``evidence``) tells them from annotations when a file is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sourcereader.core.annotations import Anchor, Annotation, AnnotationError
from sourcereader.core.claims import (
    STANCE_HEADINGS,
    Claim,
    ClaimDraft,
    ClaimError,
    ClaimView,
    EvidenceDraft,
    EvidenceLink,
    PassageView,
    VersionCounterpart,
    check_stance,
    claim_view,
)
from sourcereader.core.export import (
    SR_VOCAB,
    W3C_CONTEXT,
    Exported,
    escape_note,
    escape_text,
    from_w3c,
    to_w3c,
)
from sourcereader.core.plurals import counted

if TYPE_CHECKING:
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

#: ``sr:kind`` of the items this module writes (and takes back on import).
CLAIM_KINDS = ("claim", "evidence")
_GUESS = " (automatic alignment, uncertain)"
_STALE = " (made before the source sentence changed)"


# --------------------------------------------------------------------------- Markdown
@dataclass(frozen=True)
class BriefOptions:
    """What to put in an evidence brief."""

    translations: tuple[str, ...] = ("human", "machine")
    """Which kinds of translation to quote next to each passage (empty: none)."""
    title: str = "Evidence brief"
    generated: str = ""
    """A date (or any text) for the line under the title; empty: no such line."""


def gather(
    store: Store, library: Library, claim_ids: Sequence[int] | None, options: BriefOptions | None = None
) -> list[ClaimView]:
    """The views of these claims (in the order given; None: every live claim in document order).
    ClaimError for an unknown or deleted claim."""
    kinds = (options or BriefOptions()).translations
    ids = [c.id for c in store.claims()] if claim_ids is None else list(dict.fromkeys(claim_ids))
    return [claim_view(store, library, claim_id, kinds=kinds, versions=True) for claim_id in ids]


def brief_markdown(views: Sequence[ClaimView], options: BriefOptions | None = None) -> str:
    """The evidence brief for these claims."""
    options = options or BriefOptions()
    out = [f"# {escape_text(options.title)}", ""]
    if options.generated:
        links = sum(len(v.evidence) for v in views)
        out += [
            f"Exported from sourcereader on {escape_text(options.generated)}: "
            f"{counted(len(views), 'claim')}, {counted(links, 'evidence passage')}.",
            "",
        ]
    for view in views:
        out += _claim_markdown(view, options)
    return "\n".join(out).rstrip("\n") + "\n"


def _claim_markdown(view: ClaimView, options: BriefOptions) -> list[str]:
    claim = view.claim
    heading = f"## Claim {claim.id}: {escape_text(claim.label)}"
    out = [heading + (" · orphan" if claim.is_orphan else ""), ""]
    out += _passage_markdown(view.source, emphasise=claim.anchor.span is not None, label_original=False)
    out += [_source_citation(view.source), ""]
    for other in view.versions:
        out += _version_markdown(other)
    if claim.note:
        out += [escape_note(claim.note), ""]
    status = view.status
    out += [f"Evidence: {status.verdict} — {escape_text(status.counts_text())}.", ""]
    for stance, items in view.by_stance():
        out += [f"### {STANCE_HEADINGS[stance]}", ""]
        for item in items:
            out += _evidence_markdown(item.link, item.passage, options)
    return out


def _version_markdown(other: VersionCounterpart) -> list[str]:
    ids = other.sentence_ids
    where = f"`{escape_text(other.document_id)}`"
    if not ids:
        return [f"**In {where}:** no counterpart (the passage is not in that version).", ""]
    where += f", {_sentences(ids)}"
    if other.same:
        return [f"**In {where}:** the same wording.", ""]
    return [f"**In {where}, worded differently:**", "", f"> {escape_text(other.text)}", ""]


def _evidence_markdown(link: EvidenceLink, passage: PassageView, options: BriefOptions) -> list[str]:
    anchor = link.anchor
    document = passage.document
    title = f"{document.meta.title} ({document.meta.date})" if document is not None else anchor.document_id
    heading = f"#### {escape_text(title)}, {escape_text(anchor.describe())}"
    out = [heading + (" · orphan" if link.is_orphan else ""), ""]
    out += _passage_markdown(passage, emphasise=False, label_original=True, kinds=options.translations)
    if link.note:
        out += [escape_note(link.note), ""]
    out += [_primary_citation(passage), ""]
    return out


def _passage_markdown(
    passage: PassageView,
    *,
    emphasise: bool,
    label_original: bool,
    kinds: Sequence[str] = ("human", "machine"),
) -> list[str]:
    anchor = passage.anchor
    out: list[str] = []
    if not passage.sentences:
        what = "in the current text" if passage.document is not None else "in the library"
        out += [f"*Not found {what}; the quote is as it was recorded.*", ""]
        return out + [f"> {escape_text(anchor.exact)}", ""]
    if label_original and passage.document is not None:
        out += [f"**Original ({escape_text(passage.document.language)})**", ""]
    out += [_quote(passage, emphasise), ""]
    for kind in ("human", "machine"):
        if kind not in kinds:
            continue
        for quote in passage.translations:
            if quote.kind != kind or quote.synthetic:
                continue  # a random-weight test model's output is never shown as a translation
            label = quote.label + (_GUESS if quote.uncertain else "") + (_STALE if quote.stale else "")
            out += [f"**{escape_text(label)}**", "", f"> {escape_text(quote.text)}", ""]
    return out


def _quote(passage: PassageView, emphasise: bool) -> str:
    """The passage as one blockquote line, the anchored span in emphasis when asked."""
    anchor = passage.anchor
    parts = []
    for sentence in passage.sentences:
        text = sentence.text
        if emphasise and anchor.start < sentence.end and anchor.end > sentence.start:
            lo = max(anchor.start, sentence.start) - sentence.start
            hi = min(anchor.end, sentence.end) - sentence.start
            inside = text[lo:hi]
            core = inside.strip()
            if core:
                # Emphasis hugs non-space characters, or CommonMark will not see it.
                before = text[:lo] + inside[: len(inside) - len(inside.lstrip())]
                after = inside[len(inside.rstrip()) :] + text[hi:]
                pre = escape_text(before) + (" " if before[-1:].isspace() else "")
                post = (" " if after[:1].isspace() else "") + escape_text(after)
                parts.append(f"{pre.lstrip()}*{escape_text(core)}*{post.rstrip()}")
                continue
        parts.append(escape_text(text))
    return "> " + " ".join(p for p in parts if p)


def _sentences(ids: Sequence[str]) -> str:
    if not ids:
        return "no sentence"
    return f"sentence {ids[0]}" if len(ids) == 1 else f"sentences {ids[0]}–{ids[-1]}"


def _ids(anchor: Anchor) -> str:
    where = _sentences(anchor.sentence_ids)
    if anchor.span is not None:
        where += f", characters {anchor.span[0]}–{anchor.span[1]}"
    return f"sourcereader document `{anchor.document_id}`, {where}"


def _finish(parts: Sequence[str]) -> str:
    return "; ".join(p.rstrip(" .;") for p in parts if p) + "."


def _source_citation(passage: PassageView) -> str:
    """Author, title, site, address, revision, retrieval date (what is not recorded is said to be
    not recorded), the document and sentences, the copy used and the licence."""
    document = passage.document
    if document is None:
        return "Source: " + _finish([_ids(passage.anchor)])
    meta = document.meta
    info = meta.secondary
    parts: list[str] = []
    if info is not None:
        head = f"{escape_text(info.author)}, “{escape_text(meta.title)}”"
        parts.append(head + (f", {escape_text(info.site)}" if info.site else ""))
        parts.append(escape_text(info.url) if info.url else "address not recorded")
        parts.append(f"revision: {escape_text(info.revision)}" if info.revision else "revision not recorded")
        parts.append(
            f"retrieved: {escape_text(info.retrieved)}" if info.retrieved else "retrieval date not recorded"
        )
    else:
        parts.append(f"{escape_text(meta.title)}, {escape_text(meta.date)}")
    parts.append(_ids(passage.anchor))
    parts.append(f"copy used: {escape_text(meta.copy_source)}")
    parts.append(f"licence: {escape_text(meta.license)}")
    return "Source: " + _finish(parts)


def _primary_citation(passage: PassageView) -> str:
    """The annotation export's citation of a primary passage."""
    document = passage.document
    if document is None:
        return "Cite: " + _finish([_ids(passage.anchor)])
    meta = document.meta
    parts = [f"{escape_text(meta.title)}, {escape_text(meta.date)}"]
    if meta.archival_reference:
        parts.append(f"archival reference: {escape_text(meta.archival_reference)}")
    if meta.original_publication:
        parts.append(f"first published: {escape_text(meta.original_publication)}")
    parts.append(_ids(passage.anchor))
    parts.append(f"copy used: {escape_text(meta.copy_source)}")
    parts.append(f"licence: {escape_text(meta.license)}")
    return "Cite: " + _finish(parts)


# --------------------------------------------------------------------------- W3C out
def _target(anchor: Anchor) -> dict[str, Any]:
    """The W3C target of an anchor, made by the annotation export (one encoding for both)."""
    carrier = Annotation(
        0,
        "",
        "note",
        anchor,
        None,
        None,
        (),
        (),
        MappingProxyType({}),
        "",
        "",
        None,
        "anchored",
        "",
        anchor.exact,
    )
    target: dict[str, Any] = to_w3c(carrier)["target"]
    return target


def claim_to_w3c(claim: Claim) -> dict[str, Any]:
    """A claim as a W3C Web Annotation (motivation ``assessing``)."""
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "value": claim.label, "purpose": "describing"}]
    if claim.note is not None:
        bodies.append(
            {"type": "TextualBody", "value": claim.note, "format": "text/markdown", "purpose": "commenting"}
        )
    return {
        "id": f"urn:uuid:{claim.uuid}",
        "type": "Annotation",
        "motivation": "assessing",
        "created": claim.created,
        "modified": claim.updated,
        "sr:kind": "claim",
        "body": bodies,
        "target": _target(claim.anchor),
    }


def evidence_to_w3c(link: EvidenceLink, claim: Claim) -> dict[str, Any]:
    """An evidence link as a W3C Web Annotation (motivation ``linking``) on the primary passage."""
    bodies: list[dict[str, Any]] = [
        {"type": "SpecificResource", "source": f"urn:uuid:{claim.uuid}", "purpose": "linking"},
        {"type": "TextualBody", "value": link.stance, "purpose": "classifying"},
    ]
    if link.note is not None:
        bodies.append(
            {"type": "TextualBody", "value": link.note, "format": "text/markdown", "purpose": "commenting"}
        )
    return {
        "id": f"urn:uuid:{link.uuid}",
        "type": "Annotation",
        "motivation": "linking",
        "created": link.created,
        "modified": link.updated,
        "sr:kind": "evidence",
        "sr:stance": link.stance,
        "body": bodies,
        "target": _target(link.anchor),
    }


def export_w3c(
    views: Sequence[ClaimView], *, label: str = "sourcereader claims and evidence"
) -> dict[str, Any]:
    """An AnnotationCollection: each claim followed by its evidence links."""
    items: list[dict[str, Any]] = []
    for view in views:
        items.append(claim_to_w3c(view.claim))
        items += [evidence_to_w3c(e.link, view.claim) for e in view.evidence]
    return {
        "@context": [W3C_CONTEXT, {"sr": SR_VOCAB}],
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def render(views: Sequence[ClaimView], options: BriefOptions, fmt: str) -> str:
    """The export as text, in ``fmt`` (``markdown`` or ``w3c``)."""
    from sourcereader.core.sanitize import for_terminal, json_safe

    if fmt == "w3c":
        import json

        return json_safe(json.dumps(export_w3c(views), ensure_ascii=False, indent=2)) + "\n"
    return for_terminal(brief_markdown(views, options))


def export_claims(
    store: Store, library: Library, claim_ids: Sequence[int] | None, options: BriefOptions, fmt: str
) -> Exported:
    """The claims export workflow, for the command line and the TUI's export dialog alike: find the
    claims and links again where a text changed, gather these claims (None: every live claim, in
    document order) and render them in ``fmt`` (``markdown`` or ``w3c``). ``count`` is the number
    of claims. ClaimError for an unknown or deleted claim."""
    from sourcereader.core.claims import ensure_claims_anchored

    ensure_claims_anchored(store, library)
    views = gather(store, library, claim_ids, options)
    return Exported(render(views, options, fmt), len(views))


# --------------------------------------------------------------------------- W3C in
def split_w3c(data: Any) -> tuple[Any, list[Any]]:
    """``(the rest, claim items)``: the claims and evidence links of a W3C document taken out (by
    ``sr:kind``), the rest left as it was (a list of items when anything was taken out)."""
    items: Any
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first")
        items = first.get("items") if isinstance(first, dict) else None
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        items = data.get("items")
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        items = [data]
    else:
        items = None
    if not isinstance(items, list):
        return data, []  # not something with items: the annotation import says what is wrong
    ours = [i for i in items if isinstance(i, dict) and i.get("sr:kind") in CLAIM_KINDS]
    if not ours:
        return data, []
    return [i for i in items if not (isinstance(i, dict) and i.get("sr:kind") in CLAIM_KINDS)], ours


@dataclass(frozen=True)
class ImportedClaims:
    """Claims and links read from W3C items (links name their claim by uuid)."""

    claims: tuple[ClaimDraft, ...]
    links: tuple[tuple[str, EvidenceDraft], ...]


def _uuid(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.startswith("urn:uuid:") or len(value) <= len("urn:uuid:"):
        raise ClaimError(f"{what} must be a urn:uuid: identifier")
    return value.removeprefix("urn:uuid:")


def _anchor_of(item: dict[str, Any]) -> Anchor:
    try:
        drafts = from_w3c({"type": "Annotation", "target": item.get("target")})
    except AnnotationError as exc:
        raise ClaimError(str(exc).removeprefix("annotation 1: ")) from None
    return drafts[0].anchor


def _text_bodies(item: dict[str, Any]) -> dict[str, str]:
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    found: dict[str, str] = {}
    for body in bodies:
        if isinstance(body, dict) and body.get("type") == "TextualBody":
            value = body.get("value")
            if not isinstance(value, str):
                raise ClaimError("a body value must be a string")
            found.setdefault(str(body.get("purpose", "")), value)
    return found


def _dates(item: dict[str, Any]) -> tuple[str | None, str | None]:
    created, modified = item.get("created"), item.get("modified")
    if created is not None and not isinstance(created, str):
        raise ClaimError("created must be a string")
    if modified is not None and not isinstance(modified, str):
        raise ClaimError("modified must be a string")
    return created, modified


def claims_from_w3c(items: Sequence[Any]) -> ImportedClaims:
    """Claims and links from W3C items written by :func:`export_w3c` (or by hand in that shape).

    ClaimError, naming the item, for anything else.
    """
    claims: list[ClaimDraft] = []
    links: list[tuple[str, EvidenceDraft]] = []
    for n, item in enumerate(items, 1):
        try:
            if not isinstance(item, dict) or item.get("type") != "Annotation":
                raise ClaimError("not an Annotation object")
            uuid = _uuid(item.get("id"), "id")
            created, modified = _dates(item)
            texts = _text_bodies(item)
            if item.get("sr:kind") == "claim":
                if "describing" not in texts:
                    raise ClaimError("a claim needs its label as a body with purpose 'describing'")
                claims.append(
                    ClaimDraft(
                        _anchor_of(item),
                        texts["describing"],
                        texts.get("commenting"),
                        uuid,
                        created,
                        modified,
                    )
                )
                continue
            bodies = item.get("body", [])
            bodies = bodies if isinstance(bodies, list) else [bodies]
            claim_refs = [
                b.get("source") for b in bodies if isinstance(b, dict) and b.get("purpose") == "linking"
            ]
            if len(claim_refs) != 1:
                raise ClaimError(
                    "an evidence link needs exactly one body with purpose 'linking' naming its claim"
                )
            claim_uuid = _uuid(claim_refs[0], "the linked claim")
            stance = item.get("sr:stance", texts.get("classifying"))
            if not isinstance(stance, str):
                raise ClaimError("an evidence link needs a stance (sr:stance)")
            draft = EvidenceDraft(
                0, _anchor_of(item), check_stance(stance), texts.get("commenting"), uuid, created, modified
            )
            links.append((claim_uuid, draft))
        except ClaimError as exc:
            raise ClaimError(f"item {n} ({'claim' if _is_claim(item) else 'evidence'}): {exc}") from None
    return ImportedClaims(tuple(claims), tuple(links))


def _is_claim(item: Any) -> bool:
    return isinstance(item, dict) and item.get("sr:kind") == "claim"


def import_claims(store: Store, library: Library, imported: ImportedClaims) -> tuple[int, int, int]:
    """Save the claims and links not already here (by uuid), in one transaction, then re-anchor them
    on the local texts. Returns (claims added, links added, items already present)."""
    from sourcereader.core.claims import reanchor_claims

    new_claims = [c for c in imported.claims if c.uuid is None or store.claim_by_uuid(c.uuid) is None]
    new_links = [
        (u, d) for u, d in imported.links if d.uuid is None or store.evidence_by_uuid(d.uuid) is None
    ]
    present = len(imported.claims) + len(imported.links) - len(new_claims) - len(new_links)
    store.add_claims_and_evidence(new_claims, new_links)
    touched = {c.anchor.document_id for c in new_claims} | {d.anchor.document_id for _, d in new_links}
    reanchor_claims(store, library, sorted(d for d in touched if d in library))
    return len(new_claims), len(new_links), present


def documents_missing(library: Library, imported: ImportedClaims) -> list[str]:
    """Documents named by imported claims or links that the library does not have."""
    named = {c.anchor.document_id for c in imported.claims} | {
        d.anchor.document_id for _, d in imported.links
    }
    return sorted(d for d in named if d not in library)
