"""How the store lists annotations: the records it builds, the columns it shares, and the
``0009_annotation_lists`` copy of tags and compared translations (with its backfill)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from sourcereader.core.annotations import Anchor, Annotation, AnnotationDraft, anchor_for, reanchor_document
from sourcereader.core.slot_builder import builder
from sourcereader.core.store import Store
from tests.support.texts import BODY, make_document

DOC = make_document()
ANCHOR = Anchor("doc", ("s1", "s2"), "exact", "pre", "suf", 3, 8, "v1", "tr", (1, 4))


def test_builder_makes_the_same_frozen_record() -> None:
    values = [getattr(ANCHOR, f.name) for f in dataclasses.fields(Anchor)]
    built = builder(Anchor)(*values)
    assert built == ANCHOR and hash(built) == hash(ANCHOR) and type(built) is Anchor
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.exact = "changed"  # type: ignore[misc]
    record = Annotation(
        1, "u", "note", ANCHOR, "n", None, ("t",), (), {}, "c", "u2", None, "anchored", "created", "q"
    )
    fields = [getattr(record, f.name) for f in dataclasses.fields(Annotation)]
    assert builder(Annotation)(*fields) == record
    with pytest.raises(TypeError):
        builder(Annotation)(*fields[:-1])  # every field is required, defaults included


def test_builder_refuses_what_it_would_get_wrong() -> None:
    @dataclasses.dataclass
    class Plain:
        x: int

    @dataclasses.dataclass(slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            raise ValueError

    with pytest.raises(TypeError, match="slotted"):
        builder(Plain)
    with pytest.raises(TypeError, match="__post_init__"):
        builder(Checked)


def test_values_shared_between_columns_read_back_apart(store: Store) -> None:
    saved = store.add_annotation(AnnotationDraft(anchor_for(DOC, ["s3"]), kind="note", note="n"))
    assert saved.updated == saved.created and saved.original_quote == saved.anchor.exact
    assert saved.checked_version == saved.anchor.version
    edited = make_document(
        BODY.replace(DOC.sentence("s3").text, DOC.sentence("s3").text.replace("мирное", "прочное"))
    )
    reanchor_document(store, edited)
    moved = store.annotation(saved.id)
    assert moved.anchor.exact != saved.anchor.exact and moved.original_quote == saved.anchor.exact
    assert moved.anchor.version == moved.checked_version == edited.version
    later = store.update_annotation(saved.id, note="m")
    assert later.updated >= later.created and later.note == "m"
    assert later.original_quote == saved.anchor.exact


def _drafts() -> list[AnnotationDraft]:
    return [
        AnnotationDraft(anchor_for(DOC, ["s1"]), kind="note", note="a", tags=("Term", "Финляндия")),
        AnnotationDraft(anchor_for(DOC, ["s2"]), kind="note", note="b"),
        AnnotationDraft(
            anchor_for(DOC, ["s5"]),
            kind="relation",
            note="c",
            compared=("en-test", "mt-en"),
            compared_sentences={"en-test": ("s5", "s6")},
        ),
    ]


def test_tags_and_compared_copies_follow_every_write(store: Store) -> None:
    ids = store.add_annotations(_drafts())
    store.update_annotation(ids[1], tags=["later", "TERM"])
    rows = store.conn.execute("SELECT tag_list, compared_list FROM annotations ORDER BY id").fetchall()
    assert rows[0] == ("Term\x1fФинляндия", None)
    assert rows[1] == ("later\x1fTerm", None)  # the first-typed form of a tag is kept
    assert rows[2][0] == "" and store.annotation(ids[2]).compared_sentences == {"en-test": ("s5", "s6")}
    assert [a.id for a in store.annotations(tag="term")] == [ids[0], ids[1]]
    assert store.annotation(ids[1]).tags == ("later", "Term")


def test_the_migration_fills_the_copies_of_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = Store.open(path)
    ids = store.add_annotations(_drafts())
    before = store.annotations()
    store.close()
    with sqlite3.connect(path) as conn:  # back to how a database was before 0009
        conn.execute("ALTER TABLE annotations DROP COLUMN tag_list")
        conn.execute("ALTER TABLE annotations DROP COLUMN compared_list")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_annotation_lists'")
    conn.close()
    reopened = Store.open(path)
    try:
        assert reopened.annotations() == before
        assert reopened.annotation(ids[0]).tags == ("Term", "Финляндия")
        assert reopened.annotation(ids[2]).compared == ("en-test", "mt-en")
        assert reopened.annotation(ids[2]).compared_sentences == {"en-test": ("s5", "s6")}
    finally:
        reopened.close()


# --------------------------------------------------------------------------- paged listing (the N list)
def _listing_store(store: Store) -> list[Annotation]:
    from tests.support.texts import make_translation

    translation = make_translation()
    other = make_document(id="another-doc")
    drafts = [
        AnnotationDraft(anchor_for(DOC, ["s5"]), kind="note", note="Финляндия, second in the text"),
        AnnotationDraft(anchor_for(translation, ["s1"]), kind="note", note="on the translation"),
        AnnotationDraft(anchor_for(DOC, ["s1"]), kind="tag", tags=("Peace", "ТЕРМИН")),
        AnnotationDraft(anchor_for(other, ["s2"]), kind="highlight", highlight="yellow"),
        AnnotationDraft(anchor_for(DOC, ["s1"]), kind="note", note="same place, made later"),
        AnnotationDraft(anchor_for(DOC, ["s6"]), kind="note", note="will be orphaned"),
    ]
    saved = [store.add_annotation(d) for d in drafts]
    edited = make_document(BODY.replace("В Финляндии не должно быть германских войск.", ""))
    reanchor_document(store, edited, [translation])
    store.delete_annotation(saved[3].id)
    return saved


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"tag": "peace"},
        {"kind": "note"},
        {"document_id": "test-doc"},
        {"text": "финляндия"},
        {"text": "термин"},
        {"text": "SAME"},
        {"text": "nowhere"},
    ],
)
def test_the_paged_listing_finds_what_the_full_listing_does(store: Store, filters: dict[str, str]) -> None:
    _listing_store(store)
    full = store.annotations(**filters)  # type: ignore[arg-type]
    listing = store.annotation_listing(**filters)
    assert listing.anchored == tuple(a.id for a in full if not a.is_orphan)
    assert listing.orphans == tuple(a.id for a in full if a.is_orphan)
    assert store.annotations_by_id(listing.anchored) == [a for a in full if not a.is_orphan]


def test_the_listing_is_in_document_order(store: Store) -> None:
    saved = _listing_store(store)
    # The source's annotations by position (ties by id), then the translation's; deleted ones left out.
    assert store.annotation_listing().anchored == (saved[2].id, saved[4].id, saved[0].id, saved[1].id)
    assert store.annotation_listing().orphans == (saved[5].id,)


def test_pages_come_back_in_the_order_asked_and_skip_purged_ids(store: Store) -> None:
    saved = _listing_store(store)
    ids = [saved[1].id, saved[0].id, 999, saved[3].id]
    assert [a.id for a in store.annotations_by_id(ids)] == [saved[1].id, saved[0].id, saved[3].id]
    assert store.annotations_by_id([]) == []
    many = store.annotations_by_id([saved[0].id] * 1200)  # more than one statement's parameters
    assert len(many) == 1200


def test_documents_and_tags_of_live_annotations(store: Store) -> None:
    saved = _listing_store(store)
    assert store.annotated_documents() == ["test-doc"]  # another-doc's only annotation is deleted
    assert store.tags() == ["Peace", "ТЕРМИН"]
    store.delete_annotation(saved[2].id)
    assert store.tags() == []
    store.restore_annotation(saved[2].id)
    assert store.tags() == ["Peace", "ТЕРМИН"]


def test_the_listing_index_gives_the_order_without_a_sort(store: Store) -> None:
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT a.id, a.status = 'orphan' FROM annotations a "
        "WHERE 1 AND a.deleted_at IS NULL ORDER BY a.document_id, a.translation_id, a.position_start, a.id"
    ).fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert "COVERING INDEX annotations_listing" in details and "TEMP B-TREE" not in details
