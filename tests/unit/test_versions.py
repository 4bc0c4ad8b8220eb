"""Version diffs: word differences, sentence alignment of two versions, the store cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sourcereader.core.documents import Document, Library
from sourcereader.core.store import Store
from sourcereader.core.versions import (
    CACHE_PREFIX,
    DiffRow,
    Piece,
    diff_to_json,
    diff_versions,
    word_diff,
)
from tests.support import REPO
from tests.support.claims import ARTICLE, ARTICLE_V2, claims_library
from tests.support.texts import make_document


def en(body: str, doc_id: str = "v") -> Document:
    return make_document(body, id=doc_id, language="en")


@pytest.mark.parametrize(
    ("a", "b", "marked"),
    [
        ("same words here", "same   words\nhere", "same words here"),
        ("a fourth Axis power", "a fourth Axis member", "a fourth Axis [-power-]{+member+}"),
        ("World War II among", "World War II, among", "World War II{+,+} among"),
        ("World War II, among", "World War II among", "World War II[-,-] among"),
        # A run of changes joined by spaces or a short word reads as one rewritten phrase.
        ("adherent as a fourth", "member as the fourth", "[-adherent as a-]{+member as the+} fourth"),
        (
            "the Soviet Union's potential",
            "the latter's potential",
            "the [-Soviet Union's-]{+latter's+} potential",
        ),
        ("x y", "x", "x [-y-]"),
        ("", "new text", "{+new text+}"),
        ("Lebensraum", "lebensraum", "[-Lebensraum-]{+lebensraum+}"),
    ],
)
def test_word_diff(a: str, b: str, marked: str) -> None:
    pieces = word_diff(a, b)
    row = DiffRow(("s1",), ("s1",), "changed", pieces)
    assert row.marked() == marked
    # Each side is given back exactly (whitespace normalised).
    assert "".join(t for t, _ in row.left()) == " ".join(a.split())
    assert "".join(t for t, _ in row.right()) == " ".join(b.split())


def test_word_diff_pieces_are_typed() -> None:
    assert word_diff("a b", "a c") == (Piece("equal", "a "), Piece("delete", "b"), Piece("insert", "c"))


def test_identical_texts_need_no_aligner() -> None:
    text = en("One sentence. Another one.\n\nA third.")
    diff = diff_versions(text, text)
    assert [r.change for r in diff.rows] == ["same", "same", "same"]
    assert diff.words("delete") == diff.words("insert") == 0


def test_rewritten_added_and_removed_sentences() -> None:
    a = en("Intro stays. The talks concerned a fourth Axis power. Dropped sentence here. Outro stays.", "a")
    b = en(
        "Intro stays. The talks nominally concerned a fourth Axis power. Outro stays. A new ending follows.",
        "b",
    )
    diff = diff_versions(a, b)
    changes = [(r.a, r.b, r.change) for r in diff.rows]
    assert changes == [
        (("s1",), ("s1",), "same"),
        (("s2",), ("s2",), "changed"),
        (("s3",), (), "removed"),
        (("s4",), ("s3",), "same"),
        ((), ("s4",), "added"),
    ]
    assert diff.rows[1].marked() == "The talks {+nominally+} concerned a fourth Axis power."
    assert diff.summary() == "2 same, 1 changed, 1 removed, 1 added (rows); 3 words removed, 5 added"
    assert [r.b for r in diff.rows_of_a(["s2", "s3"])] == [("s2",), ()]
    assert [r.a for r in diff.rows_of_b(["s4"])] == [()]


def test_a_split_sentence_is_one_row() -> None:
    a = en(
        "Start here. Hitler spoke about the pact and Molotov asked about Finland at length. End here.", "a"
    )
    b = en("Start here. Hitler spoke about the pact. Molotov asked about Finland at length. End here.", "b")
    diff = diff_versions(a, b)
    assert [(r.a, r.b) for r in diff.rows] == [
        (("s1",), ("s1",)),
        (("s2",), ("s2", "s3")),
        (("s3",), ("s4",)),
    ]
    assert (
        diff.rows[1].marked()
        == "Hitler spoke about the pact [-and-]{+.+} Molotov asked about Finland at length."
    )


def test_one_side_empty() -> None:
    a = en("Only here.", "a")
    diff = diff_versions(a, en("Something else entirely, nothing shared at all.", "b"))
    assert {r.change for r in diff.rows} <= {"changed", "removed", "added"}
    assert sum(len(r.a) for r in diff.rows) == 1 and sum(len(r.b) for r in diff.rows) == 1


class CountingCache:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], list[list[Any]]] = {}
        self.puts = 0

    def cached_alignment(self, document_id: str, translation_id: str, key: str) -> list[list[Any]] | None:
        return self.rows.get((document_id, translation_id, key))

    def put_cached_alignment(
        self, document_id: str, translation_id: str, key: str, beads: list[list[Any]]
    ) -> None:
        self.puts += 1
        self.rows[(document_id, translation_id, key)] = beads


def test_alignment_is_cached_per_pair_of_versions(tmp_path: Path, store: Store) -> None:
    library = claims_library(tmp_path, store)
    a, b = library.document(ARTICLE), library.document(ARTICLE_V2)
    cache = CountingCache()
    first = diff_versions(a, b, cache=cache)
    again = diff_versions(a, b, cache=cache)
    assert first == again and cache.puts == 1
    assert {k[1] for k in cache.rows} == {CACHE_PREFIX + ARTICLE_V2}
    # The store is such a cache, under a key no translation id can take.
    diff_versions(a, b, cache=store)
    assert store.cached_alignment(ARTICLE, CACHE_PREFIX + ARTICLE_V2, next(iter(cache.rows))[2]) is not None


def test_json_view(tmp_path: Path, store: Store) -> None:
    library = claims_library(tmp_path, store)
    data = diff_to_json(diff_versions(library.document(ARTICLE), library.document(ARTICLE_V2)))
    assert data["a"] == ARTICLE and data["b"] == ARTICLE_V2
    assert data["summary"] == {
        "same": 3,
        "changed": 1,
        "removed": 0,
        "added": 1,
        "words_removed": 0,
        "words_added": 6,
    }
    rows = data["rows"]
    assert isinstance(rows, list)
    assert rows[1]["marked"] == (
        "The talks {+nominally+} concerned the Soviet Union joining as a fourth Axis power"
        "{+, among other agreements+}."
    )


def test_the_bundled_wikipedia_versions() -> None:
    library = Library([(REPO, "bundled")])
    a = library.document("wikipedia-german-soviet-axis-talks-001")
    b = library.document("wikipedia-german-soviet-axis-talks-003")
    diff = diff_versions(a, b)
    assert diff.count("removed") == 0  # every sentence of the lead copy is in the full copy
    (row,) = diff.rows_of_a(["s1"])
    assert row.b == ("s2",) and "nominally concerning the [-Soviet Union's-]{+latter's+}" in row.marked()
