"""The reader's store modules: the FTS5 search index and witness links (no TUI involved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.core.store.links import Passage, WitnessLink
from sourcereader.core.store.search import fts_query


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("гитлер", '"гитлер"*'),
        ("pact OR", '"pact" "OR"*'),
        ('"; DROP', '"DROP"*'),
        ("  ", None),
        ("[bold]", '"bold"*'),
    ],
)
def test_fts_query_quotes_every_word(typed: str, query: str | None) -> None:
    assert fts_query(typed) == query


def test_index_is_rebuilt_only_when_the_version_changes(store: Store) -> None:
    assert store.index_text("d", "source", "v1", [("s1", "Гитлер говорит о пакте"), ("s2", "Молотов")])
    assert not store.index_text("d", "source", "v1", [])
    hits = store.search_library("ГИТЛ")
    assert [(h.document_id, h.sentence_id, h.position, h.spans) for h in hits] == [("d", "s1", 0, ((0, 4),))]
    assert store.index_text("d", "source", "v2", [("s1", "Молотов отвечает")])
    assert store.search_library("гитлер") == []
    assert [h.sentence_id for h in store.search_library("молотов")] == ["s1"]


def test_a_huge_sentence_is_indexed_in_pieces_that_find_it(store: Store) -> None:
    from sourcereader.core.store.search import INDEX_PIECE

    words = ["договор"] * (INDEX_PIECE // 4) + ["Финляндия"] + ["пакт"] * (INDEX_PIECE // 2)
    huge = " ".join(words)  # about 4 pieces, the rare word in the second
    assert store.index_text("d", "source", "v", [("s1", "Начало."), ("s2", huge), ("s3", "Конец.")])
    hits = store.search_library("финлянд")
    assert [(h.sentence_id, h.position) for h in hits] == [("s2", 1)]
    assert len(hits[0].text) <= INDEX_PIECE and "Финляндия" in hits[0].text
    pieces = store.conn.execute("SELECT text FROM search_index WHERE sentence_id = 's2'").fetchall()
    assert " ".join(p[0].strip() for p in pieces) == huge


def test_forget_texts_no_longer_in_the_library(store: Store) -> None:
    store.index_text("a", "source", "v", [("s1", "pact")])
    store.index_text("b", "t1", "v", [("s1", "pact")])
    assert store.forget_indexed_except([("a", "source")]) == 1
    assert [h.document_id for h in store.search_library("pact")] == ["a"]
    assert store.indexed_version("b", "t1") is None


def test_witness_links_are_symmetric(store: Store) -> None:
    link = store.add_witness_link(WitnessLink(Passage("a", "s1", "s2", "h"), Passage("b", "s3", "s3"), "n"))
    assert link.id is not None and link.created
    [from_b] = store.witness_links("b")
    assert from_b.a == Passage("b", "s3", "s3") and from_b.b.document_id == "a"
    assert store.witness_links("a", "c") == []
    assert store.delete_witness_link(link.id)
    assert store.witness_links("a") == []
    assert not store.delete_witness_link(link.id)


def test_refresh_search_index_follows_the_library(store: Store, library: Library) -> None:
    from sourcereader.core.search_index import refresh_search_index

    store.index_text("gone", "source", "v", [("s1", "pact")])
    first = refresh_search_index(store, library)
    texts = sum(1 + len(entry.translations) for entry in library)
    assert (first.texts, first.reindexed) == (texts, texts)
    assert store.indexed_version("gone", "source") is None
    assert {h.document_id for h in store.search_library("Молотов")} >= {
        "1940-11-12-soviet-record-hitler-molotov"
    }
    again = refresh_search_index(store, library)
    assert (again.texts, again.reindexed) == (texts, 0)


def test_column_layouts_round_trip_and_the_default_is_portable(store: Store) -> None:
    from sourcereader.core.store.layouts import DEFAULT_LAYOUT, apply_layout, portable_layout

    assert store.column_layout("doc") is None
    store.set_column_layout("doc", ("t:en", "source"))
    store.set_column_layout(DEFAULT_LAYOUT, portable_layout(("t:en", "source", "mt")))
    assert store.column_layout("doc") == ("t:en", "source")
    assert store.column_layout(DEFAULT_LAYOUT) == ("translation", "source", "mt")
    # The default takes another document's translations in order; a document's own layout loses
    # columns it can no longer show.
    assert apply_layout(("translation", "source", "mt"), ["nsr", "other"], portable=True) == (
        "t:nsr",
        "source",
        "mt",
    )
    assert apply_layout(("translation", "translation"), [], portable=True) == ()
    assert apply_layout(("t:gone", "source"), ["en"], portable=False) == ("source",)
    store.forget_column_layout("doc")
    assert store.column_layout("doc") is None


def test_the_segmentation_cache_keeps_out_of_another_threads_transaction(tmp_path: Path) -> None:
    # A library segments its texts on whichever thread reads them first, through the app's store. On
    # the store's one connection, a worker's cache write committed the main thread's half-done
    # transaction and moved its last row id (a witness link read back as None), and a read saw what
    # the main thread had not committed.
    import threading

    store = Store.open(tmp_path / "db.sqlite")
    rows: list[list[object]] = [["s", 0, 5, 0]]
    store.conn.execute("BEGIN")
    store.conn.execute(
        "INSERT INTO segmentations(key, rows, created) VALUES ('uncommitted', '[]', datetime('now'))"
    )
    seen: list[object] = []

    def worker() -> None:
        seen.append(store.get_segmentation("uncommitted"))
        store.put_segmentation("theirs", rows)

    # The worker's write waits for the main thread's write lock: it runs while the transaction is
    # open, and finishes once the main thread rolls back.
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=0.5)
    store.conn.rollback()
    thread.join()
    assert seen == [None]  # the main thread's uncommitted row is not the worker's to read
    assert store.get_segmentation("uncommitted") is None  # the rollback undid it: nothing committed it
    assert store.get_segmentation("theirs") == rows  # the worker's own write is kept
    store.close()
