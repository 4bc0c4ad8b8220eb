"""Annotations: anchors, re-anchoring after edits, and the store's queries."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcereader.core.annotations import (
    Anchor,
    AnnotationDraft,
    AnnotationError,
    anchor_for,
    infer_kind,
    normalise_tag,
    reanchor,
    reanchor_document,
    sentence_run,
)
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from tests.support.texts import BODY, DOC_ID, make_document, make_translation

DOC = make_document()


def note(store: Store, anchor: Anchor, text: str = "a note", *tags: str) -> int:
    return store.add_annotation(AnnotationDraft(anchor, kind="note", note=text, tags=tags)).id


# --------------------------------------------------------------------------- anchors
def test_anchor_for_whole_sentences_and_span() -> None:
    whole = anchor_for(DOC, ["s2", "s3"])
    assert whole.exact == "Это потребует много труда. Наша задача — обеспечить мирное развитие."
    assert DOC.body[whole.start : whole.end] == whole.exact
    assert whole.prefix == DOC.body[whole.start - 32 : whole.start] and len(whole.suffix) <= 32
    assert whole.span is None and whole.version == DOC.version
    span = anchor_for(DOC, ["s5"], (6, 13))
    assert span.exact == "вопросо" and span.span == (6, 13) and span.sentence_ids == ("s5",)
    tr = anchor_for(make_translation(), ["s1"])
    assert tr.translation_id == "en-test" and tr.document_id == DOC_ID


@pytest.mark.parametrize(
    ("ids", "span", "message"),
    [
        (["s99"], None, "no sentence 's99'"),
        (["s1", "s3"], None, "consecutive"),
        (["s3", "s2"], None, "consecutive"),
        ([], None, "no sentence given"),
        (["s2"], (0, 999), "outside sentence s2"),
        (["s2"], (5, 5), "outside sentence s2"),
        (["s2", "s3"], (0, 3), "inside one sentence"),
        (["s2"], (3, 4), "only whitespace"),
    ],
)
def test_anchor_for_refuses(ids: list[str], span: tuple[int, int] | None, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        anchor_for(DOC, ids, span)


def test_sentence_run() -> None:
    assert sentence_run(DOC, "s2", "s4") == ("s2", "s3", "s4")
    with pytest.raises(AnnotationError, match="comes before"):
        sentence_run(DOC, "s4", "s2")


@pytest.mark.parametrize(
    ("tag", "key", "display"),
    [("Omission", "omission", "Omission"), ("  #date  discrepancy ", "date discrepancy", "date discrepancy")],
)
def test_normalise_tag(tag: str, key: str, display: str) -> None:
    assert normalise_tag(tag) == (key, display)


@pytest.mark.parametrize("tag", ["", "   ", "#", "x" * 101, "bad\x1btag"])
def test_bad_tags(tag: str) -> None:
    with pytest.raises(AnnotationError):
        normalise_tag(tag)


def test_infer_kind() -> None:
    assert infer_kind(note="x", highlight="yellow", tags=[], relation=False) == "note"
    assert infer_kind(note=None, highlight="yellow", tags=["a"], relation=False) == "highlight"
    assert infer_kind(note="  ", highlight=None, tags=["a"], relation=False) == "tag"
    assert infer_kind(note=None, highlight=None, tags=[], relation=True) == "relation"
    with pytest.raises(AnnotationError, match="nothing to save"):
        infer_kind(note=None, highlight=None, tags=[], relation=False)


# --------------------------------------------------------------------------- re-anchoring
S2 = "Это потребует много труда."
S5 = "Таким вопросом является Финляндия."

REANCHOR_CASES = [
    # (edit of the body, anchor ids, span, expected method, expected quote or None for orphan)
    ("unchanged", lambda b: b, ["s2"], None, "unchanged", S2),
    (
        "rewrapped",
        lambda b: b.replace("много труда", "много\nтруда"),
        ["s2"],
        None,
        "sentence",
        "много\nтруда",
    ),
    ("after the quote", lambda b: b.replace("Финляндия.", "Финляндия!"), ["s2"], None, "sentence", S2),
    (
        "sentence inserted before, same length elsewhere",
        lambda b: b.replace(S2, "Да! Это потребует о труда."),
        ["s5"],
        None,
        "position",
        S5,
    ),
    ("paragraph inserted before", lambda b: "Вступление. Ещё одно.\n\n" + b, ["s5"], None, "quote", S5),
    (
        "word changed",
        lambda b: b.replace("является Финляндия", "является Финляндия и Швеция"),
        ["s5"],
        None,
        "fuzzy",
        "Таким вопросом является Финляндия и Швеция.",
    ),
    ("span, text before grows", lambda b: "Пролог.\n\n" + b, ["s5"], (6, 14), "quote", "вопросом"),
    ("sentence removed", lambda b: b.replace(S5, ""), ["s5"], None, "orphan", None),
    (
        "merged sentences",
        lambda b: b.replace("много труда. Наша", "много труда, а наша"),
        ["s2"],
        None,
        "fuzzy",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "ids", "span", "method", "quote"), REANCHOR_CASES, ids=[c[0] for c in REANCHOR_CASES]
)
def test_reanchor(
    name: str, edit: object, ids: list[str], span: tuple[int, int] | None, method: str, quote: str | None
) -> None:
    assert callable(edit)
    old = anchor_for(DOC, ids, span)
    changed = make_document(edit(BODY))
    new, how = reanchor(old, changed)
    assert how == method
    if method == "orphan":
        assert new is None
        return
    assert new is not None
    assert changed.body[new.start : new.end] == new.exact
    if quote is not None:
        assert quote in new.exact
    assert new.version == changed.version
    for sid in new.sentence_ids:
        sentence = changed.sentence(sid)
        assert sentence.start < new.end and sentence.end > new.start


def test_merged_sentence_keeps_what_was_annotated_as_a_span() -> None:
    old = anchor_for(DOC, ["s2"])
    changed = make_document(BODY.replace("много труда. Наша", "много труда, а наша"))
    new, _ = reanchor(old, changed)
    assert new is not None and new.span is not None
    assert new.exact.startswith("Это потребует много труда")


def test_reanchor_closest_of_several_exact_quotes() -> None:
    body = "Да. Нет. Да. Нет. Да.\n"
    doc = make_document(body)
    old = anchor_for(doc, ["s5"])  # the third "Да."
    changed = make_document("Вот. " + body)
    new, how = reanchor(old, changed)
    assert how == "quote" and new is not None and new.sentence_ids == ("s6",)


# --------------------------------------------------------------------------- store
def test_add_and_read_back(store: Store) -> None:
    anchor = anchor_for(DOC, ["s5"], (6, 14))
    saved = store.add_annotation(
        AnnotationDraft(
            anchor, kind="note", note="  *term*  \r\n", tags=("Term", "term", "Финляндия"), highlight="Yellow"
        )
    )
    assert saved.note == "  *term*" and saved.tags == ("Term", "Финляндия") and saved.highlight == "yellow"
    assert saved.anchor == anchor and saved.status == "anchored" and saved.anchor_method == "created"
    assert store.annotation(saved.id) == saved
    assert store.annotation_by_uuid(saved.uuid) == saved


def test_tags_keep_first_typed_form_and_match_any_case(store: Store) -> None:
    a = note(store, anchor_for(DOC, ["s1"]), "x", "Omission")
    b = note(store, anchor_for(DOC, ["s2"]), "y", "OMISSION", "term")
    assert store.annotation(b).tags == ("Omission", "term")
    assert [x.id for x in store.annotations(tag="omission")] == [a, b]
    assert [x.id for x in store.annotations(tag="TERM")] == [b]
    assert store.tags() == ["Omission", "term"]


def test_filters(store: Store) -> None:
    a = note(store, anchor_for(DOC, ["s4"]), "Молотов и ФИНЛЯНДИЯ")
    b = store.add_annotation(AnnotationDraft(anchor_for(DOC, ["s1"]), kind="highlight", highlight="green")).id
    other = make_document(id="other-doc")
    c = note(store, anchor_for(other, ["s1"]), "elsewhere")
    assert [x.id for x in store.annotations()] == [c, b, a]  # by document id, then position
    assert [x.id for x in store.annotations(document_id=DOC_ID)] == [b, a]
    assert [x.id for x in store.annotations(kind="highlight")] == [b]
    assert [x.id for x in store.annotations(text="финляндия")] == [a]  # Cyrillic, any case
    assert [x.id for x in store.annotations(text="Гитлер")] == [c, b]  # the quote counts too
    assert store.annotation_counts() == {DOC_ID: 2, "other-doc": 1}


def test_soft_delete_restore_purge(store: Store) -> None:
    a = note(store, anchor_for(DOC, ["s1"]), "x", "t")
    store.delete_annotation(a)
    assert store.annotations() == [] and not store.annotation_counts() and store.tags() == []
    assert store.annotation(a, include_deleted=True).is_deleted
    with pytest.raises(AnnotationError, match="is deleted"):
        store.annotation(a)
    store.restore_annotation(a)
    assert [x.id for x in store.annotations()] == [a]
    with pytest.raises(AnnotationError, match="not deleted"):
        store.restore_annotation(a)
    store.delete_annotation(a)
    assert store.purge_deleted() == 1
    with pytest.raises(AnnotationError, match="no annotation"):
        store.annotation(a, include_deleted=True)


def test_update(store: Store) -> None:
    a = note(store, anchor_for(DOC, ["s1"]), "x", "t")
    updated = store.update_annotation(a, note="new", tags=["T2", "t3"], highlight="blue")
    assert (updated.note, updated.tags, updated.highlight) == ("new", ("T2", "t3"), "blue")
    assert store.update_annotation(a, highlight="").highlight is None
    with pytest.raises(AnnotationError, match="needs some text"):
        store.update_annotation(a, note="   ")
    with pytest.raises(AnnotationError, match="unknown highlight"):
        store.update_annotation(a, highlight="chartreuse")
    with pytest.raises(AnnotationError, match="empty tag"):
        store.update_annotation(a, tags=["ok", " "])
    assert store.annotation(a).note == "new" and store.annotation(a).tags == ("T2", "t3")


@pytest.mark.parametrize(
    ("draft_kwargs", "message"),
    [
        ({"kind": "note", "note": " \n "}, "needs some text"),
        ({"kind": "highlight"}, "needs a colour"),
        ({"kind": "highlight", "highlight": "mauve"}, "unknown highlight"),
        ({"kind": "tag"}, "at least one tag"),
        ({"kind": "relation", "note": "x"}, "must name the translation"),
        ({"kind": "note", "note": "x", "compared": ("en",)}, "only a relation"),
        ({"kind": "bogus"}, "unknown kind"),
    ],
)
def test_bad_drafts_write_nothing(store: Store, draft_kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        store.add_annotation(AnnotationDraft(anchor_for(DOC, ["s1"]), **draft_kwargs))  # type: ignore[arg-type]
    assert not store.annotation_counts()


def test_relation_note_keeps_compared_translations(store: Store) -> None:
    saved = store.add_annotation(
        AnnotationDraft(
            anchor_for(DOC, ["s5"]),
            kind="relation",
            note="term",
            tags=("term",),
            compared=("en-test", "mt-en"),
            compared_sentences={"en-test": ("s5",)},
        )
    )
    assert saved.compared == ("en-test", "mt-en") and saved.compared_sentences == {"en-test": ("s5",)}


def test_reanchor_document_reports_and_keeps_orphans(store: Store) -> None:
    kept = note(store, anchor_for(DOC, ["s5"]), "kept")
    lost = note(store, anchor_for(DOC, ["s2"]), "lost")
    deleted = note(store, anchor_for(DOC, ["s6"]), "in the bin")
    store.delete_annotation(deleted)
    changed = make_document("Пролог. Ещё.\n\n" + BODY.replace(S2, ""))
    report = reanchor_document(store, changed)
    assert report.counts == {"quote": 2, "orphan": 1}
    assert report.orphaned == (lost,)
    assert "2 re-anchored (2 quote), 1 orphan" in report.summary()
    assert store.annotation(kept).anchor.version == changed.version
    orphan = store.annotation(lost)
    assert orphan.is_orphan and orphan.anchor.exact == S2 and orphan.note == "lost"
    assert [a.id for a in store.annotations(orphans=True)] == [lost]
    # the deleted one moved too, so restoring it later puts it in the right place
    assert store.annotation(deleted, include_deleted=True).anchor.version == changed.version
    # a second run does no work: orphans already checked against this version are not searched again
    again = reanchor_document(store, changed)
    assert again.counts == {"unchanged": 2, "orphan": 1}
    # re-attach the orphan by hand
    fixed = store.reattach_annotation(lost, anchor_for(changed, ["s1"]))
    assert fixed.status == "anchored" and fixed.anchor_method == "manual" and fixed.note == "lost"


def test_annotation_on_a_missing_translation_becomes_an_orphan(store: Store) -> None:
    a = note(store, anchor_for(make_translation(), ["s2"]))
    report = reanchor_document(store, DOC, [])
    assert report.missing_texts == ("en-test",) and report.orphaned == (a,)
    assert store.annotation(a).is_orphan


def test_save_reanchored_does_not_overwrite_a_concurrent_reattach(store: Store) -> None:
    a = note(store, anchor_for(DOC, ["s5"]))
    before = store.annotation(a)
    store.reattach_annotation(a, anchor_for(DOC, ["s1"]))
    assert store.save_reanchored([(before, None, "orphan", "v")]) == 0
    assert store.annotation(a).sentence_ids == ("s1",) and not store.annotation(a).is_orphan


# --------------------------------------------------------------------------- property
_WORDS = st.sampled_from(["Да.", "Нет!", "Финляндия", "труда", "\n\n", " ", "Это", "вопрос."])


@st.composite
def _edits(draw: st.DrawFn) -> str:
    body = BODY
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(body)))
        cut = draw(st.integers(0, 40))
        body = body[:at] + draw(_WORDS) + body[at + cut :]
    return body


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_edits(), picks=st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=1, max_size=6))
def test_reanchoring_never_loses_an_annotation(body: str, picks: list[tuple[int, bool]]) -> None:
    store = Store.memory()
    made = []
    for n, as_span in picks:
        sid = f"s{n}"
        span = (0, min(8, len(DOC.sentence(sid).text))) if as_span else None
        made.append(note(store, anchor_for(DOC, [sid], span), f"note {n}"))
    if not make_document(body.strip() or "Пусто.").sentences:
        return
    changed = make_document(body if body.strip() else "Пусто.")
    report = reanchor_document(store, changed)
    after = store.annotations()
    assert sorted(a.id for a in after) == sorted(made)
    assert report.checked == len(made)
    for a in after:
        assert a.note and a.note.startswith("note ")
        if not a.is_orphan:
            assert changed.body[a.anchor.start : a.anchor.end] == a.anchor.exact
            assert a.anchor.exact.strip()


def test_add_annotations_is_all_or_nothing(store: Store) -> None:
    good = AnnotationDraft(anchor_for(DOC, ["s1"]), kind="tag", tags=("a",), uuid="u-1")
    dup = AnnotationDraft(anchor_for(DOC, ["s2"]), kind="tag", tags=("b",), uuid="u-1")
    with pytest.raises(AnnotationError, match="already exists"):
        store.add_annotations([good, dup])
    assert not store.annotation_counts()
    ids = store.add_annotations([good])
    assert store.annotation(ids[0]).anchor_method == "imported"


@given(st.lists(st.text(max_size=12), max_size=5))
def test_fast_json_string_arrays_read_like_json(values: list[str]) -> None:
    import json

    from sourcereader.core.store.annotations import _strings

    for text in (json.dumps(values), json.dumps(values, ensure_ascii=False, separators=(",", ":"))):
        assert _strings(text) == tuple(values)


# --------------------------------------------------------------------------- re-anchoring a library
def test_the_annotations_module_takes_a_protocol_not_the_store() -> None:
    # The store imports the annotation values; the annotations module must not import the store back,
    # not even for type checking: it says what it needs in AnnotationStore.
    import ast
    from pathlib import Path

    import sourcereader.core.annotations as module

    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith("sourcereader.core.store")]


def test_reanchor_annotated_settles_every_annotated_document_and_names_missing_ones(
    store: Store, library: Library
) -> None:
    from sourcereader.core.annotations import reanchor_annotated

    soviet = library.document("1940-11-12-soviet-record-hitler-molotov")
    note(store, anchor_for(soviet, ["s2"]))
    note(store, anchor_for(DOC, ["s1"]))  # test-doc is not in the library
    run = reanchor_annotated(store, library)
    assert [r.document_id for r in run.reports] == [soviet.id] and run.not_in_library == (DOC_ID,)
    assert run.reports[0].counts == {"unchanged": 1}
    only = reanchor_annotated(store, library, [soviet.id])
    assert [r.document_id for r in only.reports] == [soviet.id] and only.not_in_library == ()
