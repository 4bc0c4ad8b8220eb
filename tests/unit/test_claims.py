"""Claims and evidence links: anchors, the store, status, re-anchoring, the claim view."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sourcereader.core.claims import (
    STANCES,
    ClaimDraft,
    ClaimError,
    ClaimStatus,
    EvidenceDraft,
    check_label,
    check_stance,
    claim_anchor,
    claim_view,
    ensure_claims_anchored,
    evidence_anchor,
    reanchor_claims,
    span_of,
    status_of,
    view_to_json,
)
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from tests.support.claims import (
    ARTICLE,
    ARTICLE_BODY,
    ARTICLE_HEADER,
    ARTICLE_V2,
    RECORD,
    WITNESS,
    cache_machine_translation,
    claims_library,
    write,
)
from tests.support.texts import BODY, HEADER


@pytest.fixture
def library(tmp_path: Path, store: Store) -> Library:
    return claims_library(tmp_path / "lib", store)


def add_claim(store: Store, library: Library, sid: str = "s2", **kwargs: object) -> int:
    span = kwargs.pop("span", None)
    anchor = claim_anchor(library.document(ARTICLE), sid, None, span)  # type: ignore[arg-type]
    label = str(kwargs.pop("label", "fourth Axis power"))
    return store.add_claim(ClaimDraft(anchor, label, **kwargs)).id  # type: ignore[arg-type]


def link(
    store: Store, library: Library, claim_id: int, doc: str, sid: str, stance: str, to: str | None = None
) -> int:
    anchor = evidence_anchor(library.document(doc), sid, to)
    return store.add_evidence(EvidenceDraft(claim_id, anchor, stance)).id  # type: ignore[arg-type]


# --------------------------------------------------------------------------- checking input
@pytest.mark.parametrize(("typed", "stance"), [("supports", "supports"), (" Contradicts ", "contradicts")])
def test_check_stance(typed: str, stance: str) -> None:
    assert check_stance(typed) == stance


@pytest.mark.parametrize("typed", ["", "support", "refutes", "supports!"])
def test_bad_stances(typed: str) -> None:
    with pytest.raises(ClaimError, match="known: supports, contradicts, qualifies, context"):
        check_stance(typed)


@pytest.mark.parametrize(
    ("label", "message"),
    [("   ", "needs a label"), ("x" * 201, "at most 200"), ("bell \x07 label", "control characters")],
)
def test_bad_labels(label: str, message: str) -> None:
    with pytest.raises(ClaimError, match=message):
        check_label(label)


def test_label_whitespace_is_collapsed() -> None:
    assert check_label("  fourth\n Axis   power ") == "fourth Axis power"


def test_claims_are_made_in_secondary_sources_evidence_in_primary_ones(library: Library) -> None:
    article, record = library.document(ARTICLE), library.document(RECORD)
    anchor = claim_anchor(article, "s2", span=(50, 67))
    assert anchor.exact == "fourth Axis power" and anchor.span == (50, 67)
    assert claim_anchor(article, "s2", "s3").sentence_ids == ("s2", "s3")
    assert evidence_anchor(record, "s4", "s6").sentence_ids == ("s4", "s5", "s6")
    with pytest.raises(ClaimError, match="not a secondary source"):
        claim_anchor(record, "s1")
    with pytest.raises(ClaimError, match="is a secondary source: evidence is a passage of a primary"):
        evidence_anchor(article, "s1")
    with pytest.raises(ClaimError, match="no sentence 's99'"):
        claim_anchor(article, "s99")
    with pytest.raises(ClaimError, match="s1 comes before s3"):
        evidence_anchor(record, "s3", "s1")
    with pytest.raises(ClaimError, match="outside sentence s2"):
        claim_anchor(article, "s2", span=(0, 999))
    with pytest.raises(ClaimError, match="give --span or --to, not both"):
        claim_anchor(article, "s2", "s3", (0, 3))


def test_span_of_a_quote(library: Library) -> None:
    article = library.document(ARTICLE)
    assert span_of(article, "s2", "fourth  Axis\npower") == (50, 67)
    with pytest.raises(ClaimError, match="does not contain 'fifth Axis power'"):
        span_of(article, "s2", "fifth Axis power")
    with pytest.raises(ClaimError, match="the quote is empty"):
        span_of(article, "s2", "  ")
    with pytest.raises(ClaimError, match="no sentence 's9'"):
        span_of(article, "s9", "x")


# --------------------------------------------------------------------------- the store
def test_add_read_edit(store: Store, library: Library) -> None:
    claim_id = add_claim(store, library, note="  The *article* says so.\n\n")
    claim = store.claim(claim_id)
    assert claim.label == "fourth Axis power" and claim.note == "  The *article* says so."
    assert claim.document_id == ARTICLE and claim.status == "anchored" and claim.anchor_method == "created"
    assert store.claim_by_uuid(claim.uuid) == claim
    edited = store.update_claim(claim_id, label="fourth Axis member", note="")
    assert edited.label == "fourth Axis member" and edited.note is None and edited.updated >= claim.updated
    with pytest.raises(ClaimError, match="nothing to change"):
        store.update_claim(claim_id)
    with pytest.raises(ClaimError, match="no claim with id 99"):
        store.claim(99)


def test_links_and_status(store: Store, library: Library) -> None:
    claim_id = add_claim(store, library)
    ids = [
        link(store, library, claim_id, RECORD, "s1", "supports"),
        link(store, library, claim_id, RECORD, "s4", "supports", "s5"),
        link(store, library, claim_id, WITNESS, "s2", "context"),
    ]
    assert [k.id for k in store.evidence(claim_id)] == ids
    assert store.evidence_link(ids[1]).anchor.sentence_ids == ("s4", "s5")
    (summary,) = store.claim_summaries()
    assert summary.status == ClaimStatus(supports=2, context=1)
    assert summary.status.verdict == "supported" and summary.status.glance() == "+2 −0 ~0 ·1"
    assert summary.status.counts_text() == "2 supports · 0 contradicts · 0 qualifies · 1 context"
    store.update_evidence(ids[0], stance="contradicts", note="On second reading.")
    assert store.claim_statuses()[claim_id].verdict == "contested"
    with pytest.raises(ClaimError, match="unknown stance"):
        store.update_evidence(ids[0], stance="maybe")
    with pytest.raises(sqlite3.IntegrityError):  # the table refuses a stance the code would not write
        store.conn.execute("UPDATE evidence_links SET stance = 'maybe' WHERE id = ?", [ids[0]])


@pytest.mark.parametrize(
    ("stances", "verdict"),
    [
        ((), "no evidence"),
        (("supports",), "supported"),
        (("contradicts", "context"), "contradicted"),
        (("supports", "contradicts"), "contested"),
        (("qualifies", "context"), "qualified"),
        (("context",), "context only"),
    ],
)
def test_verdicts(store: Store, library: Library, stances: tuple[str, ...], verdict: str) -> None:
    claim_id = add_claim(store, library)
    for stance in stances:
        link(store, library, claim_id, RECORD, "s1", stance)
    assert status_of(store.evidence(claim_id)).verdict == verdict
    assert store.claim_summaries()[0].status.verdict == verdict


def test_bin_for_claims_and_links(store: Store, library: Library) -> None:
    claim_id = add_claim(store, library)
    link_id = link(store, library, claim_id, RECORD, "s1", "supports")
    store.unlink_evidence(link_id)
    assert store.evidence(claim_id) == [] and store.claim_summaries()[0].status.total == 0
    with pytest.raises(ClaimError, match="restore-link"):
        store.evidence_link(link_id)
    store.restore_evidence(link_id)
    assert store.claim_statuses()[claim_id].supports == 1
    store.delete_claim(claim_id)
    assert store.claims() == [] and store.claim_summaries(include_deleted=True)[0].claim.is_deleted
    with pytest.raises(ClaimError, match="claims restore"):
        store.claim(claim_id)
    with pytest.raises(ClaimError, match="no claim|is deleted"):
        store.add_evidence(
            EvidenceDraft(claim_id, evidence_anchor(library.document(RECORD), "s2"), "context")
        )
    store.restore_claim(claim_id)
    with pytest.raises(ClaimError, match="is not deleted"):
        store.restore_claim(claim_id)
    other = link(store, library, claim_id, RECORD, "s2", "context")
    store.unlink_evidence(other)
    assert store.purge_deleted_claims() == (0, 1)
    store.delete_claim(claim_id)
    assert store.purge_deleted_claims() == (1, 1)
    assert store.claims(include_deleted=True) == [] and store.all_evidence() == []


def test_linking_needs_a_live_claim(store: Store, library: Library) -> None:
    with pytest.raises(ClaimError, match="no claim with id 5"):
        link(store, library, 5, RECORD, "s1", "supports")


def test_import_is_all_or_nothing(store: Store, library: Library) -> None:
    anchor = claim_anchor(library.document(ARTICLE), "s3")
    evidence = evidence_anchor(library.document(RECORD), "s1")
    claim = ClaimDraft(anchor, "draft agreement", uuid="c-1")
    good = EvidenceDraft(0, evidence, "supports", uuid="l-1")
    orphan = EvidenceDraft(0, evidence, "supports", uuid="l-2")
    with pytest.raises(ClaimError, match="names claim missing, which is not here"):
        store.add_claims_and_evidence([claim], [("c-1", good), ("missing", orphan)])
    assert store.claims() == []
    claim_ids, link_ids = store.add_claims_and_evidence([claim], [("c-1", good)])
    assert store.claim(claim_ids[0]).anchor_method == "imported"
    assert store.evidence_link(link_ids[0]).claim_id == claim_ids[0]
    with pytest.raises(ClaimError, match="already exists"):
        store.add_claims_and_evidence([claim], [])


# --------------------------------------------------------------------------- re-anchoring
def reread(root: Path, store: Store) -> Library:
    return Library([(root, "bundled")], cache=store)


def test_edits_move_claims_and_links_and_orphans_are_kept(tmp_path: Path, store: Store) -> None:
    root = tmp_path / "lib"
    library = claims_library(root, store)
    claim_id = add_claim(store, library, span=(50, 67))
    gone_id = add_claim(store, library, "s4", label="Finland")
    moved = link(store, library, claim_id, RECORD, "s5", "supports")
    lost = link(store, library, claim_id, RECORD, "s6", "context")
    assert ensure_claims_anchored(store, library) == []  # nothing changed: nothing to do
    # The article gains a sentence in front and loses its last one; the record loses s6.
    write(
        root / "sources" / f"{ARTICLE}.txt",
        ARTICLE_HEADER,
        ARTICLE_BODY.replace("= Axis talks =\n\n", "= Axis talks =\n\nA new opening sentence. ").replace(
            " Molotov asked about Finland.", ""
        ),
    )
    write(
        root / "sources" / f"{RECORD}.txt",
        HEADER,
        BODY.replace("В Финляндии не должно быть германских войск.", ""),
    )
    library = reread(root, store)
    reports = {r.document_id: r for r in ensure_claims_anchored(store, library)}
    assert set(reports) == {ARTICLE, RECORD}
    assert reports[ARTICLE].orphan_claims == (gone_id,)
    assert reports[RECORD].orphan_links == (lost,)
    assert "1 orphan" in reports[RECORD].summary()
    claim = store.claim(claim_id)
    assert claim.anchor.sentence_ids == ("s3",) and claim.anchor.exact == "fourth Axis power"
    assert claim.anchor_method in ("position", "quote") and claim.status == "anchored"
    assert store.evidence_link(moved).anchor.sentence_ids == ("s5",)
    orphan = store.evidence_link(lost)
    assert orphan.is_orphan and orphan.original_quote == "В Финляндии не должно быть германских войск."
    assert store.claim(gone_id).is_orphan  # kept, never dropped
    summary = {s.claim.id: s for s in store.claim_summaries(orphans=True)}
    assert set(summary) == {claim_id, gone_id} and summary[claim_id].status.orphans == 1
    # Settled: a second look does nothing; orphans are searched again only when forced.
    assert ensure_claims_anchored(store, library) == []
    forced = {r.document_id: r for r in reanchor_claims(store, library, force=True)}
    assert forced[RECORD].counts == {"unchanged": 1, "orphan": 1}


def test_reattach(store: Store, library: Library) -> None:
    claim_id = add_claim(store, library)
    link_id = link(store, library, claim_id, RECORD, "s1", "supports")
    article, record = library.document(ARTICLE), library.document(RECORD)
    claim = store.reattach_claim(claim_id, claim_anchor(article, "s3"))
    assert claim.anchor.sentence_ids == ("s3",) and claim.anchor_method == "manual"
    assert store.reattach_evidence(link_id, evidence_anchor(record, "s2")).anchor.sentence_ids == ("s2",)
    with pytest.raises(ClaimError, match="is in test-article, not test-doc"):
        store.reattach_claim(claim_id, evidence_anchor(record, "s1"))
    with pytest.raises(ClaimError, match="is in test-doc, not test-witness"):
        store.reattach_evidence(link_id, evidence_anchor(library.document(WITNESS), "s1"))


def test_claims_on_a_document_no_longer_in_the_library_are_left_alone(
    tmp_path: Path, store: Store, library: Library
) -> None:
    claim_id = add_claim(store, library)
    empty = Library([(tmp_path / "nothing", "bundled")], cache=store)
    assert ensure_claims_anchored(store, empty) == [] and reanchor_claims(store, empty) == []
    assert store.claim(claim_id).status == "anchored"
    view = claim_view(store, empty, claim_id)
    assert (
        view.source.document is None
        and view.source.text == "The talks concerned the Soviet Union joining as a fourth Axis power."
    )


# --------------------------------------------------------------------------- the claim view
def test_claim_view_quotes_translations_and_other_versions(store: Store, library: Library) -> None:
    claim_id = add_claim(store, library, span=(50, 67))
    link(store, library, claim_id, WITNESS, "s2", "context")
    link(store, library, claim_id, RECORD, "s4", "supports", "s5")
    cache_machine_translation(store, library)
    view = claim_view(store, library, claim_id, versions=True)
    assert [s for s, _ in view.by_stance()] == ["supports", "context"]
    support = view.evidence[0].passage
    assert support.text.startswith("Молотов говорит") and support.where == "s4–s5"
    human, machine = support.translations
    assert (human.kind, human.translation_id, human.sentence_ids) == ("human", "en-test", ("s4", "s5"))
    assert (
        human.text
        == "Molotov says that he agrees with the Chancellor's conclusions. Finland is such a question."
    )
    assert human.label == "A. Translator (translation)"
    assert (machine.kind, machine.translation_id, machine.text) == ("machine", "mt:en", "MT of s4 MT of s5")
    assert machine.label == "machine translation, Argos Translate, translate-ru_en 1.9, 2026-01-02"
    assert not machine.stale and not machine.synthetic
    (other,) = view.versions
    assert other.document_id == ARTICLE_V2 and other.sentence_ids == ("s2",) and not other.same
    assert other.text == (
        "The talks nominally concerned the Soviet Union joining as a fourth Axis power, "
        "among other agreements."
    )
    data = view_to_json(view)
    assert data["evidence"] == {
        "supports": 1,
        "contradicts": 0,
        "qualifies": 0,
        "context": 1,
        "orphans": 0,
        "verdict": "supported",
    }
    links = data["links"]
    assert isinstance(links, list) and [k["stance"] for k in links] == ["supports", "context"]
    only_human = claim_view(store, library, claim_id, kinds=("human",))
    assert [q.kind for q in only_human.evidence[0].passage.translations] == ["human"]
    assert only_human.versions == ()


def test_machine_translation_of_a_changed_sentence_is_stale(store: Store, library: Library) -> None:
    claim_id = add_claim(store, library)
    link(store, library, claim_id, RECORD, "s1", "supports")
    cache_machine_translation(store, library, synthetic=True)
    store.conn.execute("UPDATE machine_translations SET source_hash = 'old' WHERE sentence_id = 's1'")
    (quote,) = [
        q
        for q in claim_view(store, library, claim_id).evidence[0].passage.translations
        if q.kind == "machine"
    ]
    assert quote.stale and quote.synthetic


def test_every_stance_has_a_heading() -> None:
    from sourcereader.core.claims import STANCE_HEADINGS

    assert list(STANCE_HEADINGS) == list(STANCES)
