"""Secondary sources: their header, the bundled copies (byte for byte), versions grouped by work."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcereader.core.documents import (
    DocumentError,
    DocumentMeta,
    Library,
    format_header,
    parse_document,
    split_header,
)
from sourcereader.core.store import Store
from tests.support import REPO
from tests.support.claims import ARTICLE, ARTICLE_HEADER, ARTICLE_V2, claims_library

SEEDS = REPO.parent / "shared" / "seeds"
BUNDLED = {
    "wikipedia-german-soviet-axis-talks-001": "001_8926a135697e1a15.txt",
    "wikipedia-german-soviet-axis-talks-003": "003_062b1e48a4cd00c5.txt",
    "history-se-soviet-union-join-axis": "002_e3223b435a4cdebb.txt",
}


def parse(**changes: object) -> DocumentMeta:
    header = {k: v for k, v in {**ARTICLE_HEADER, **changes}.items() if v is not None}
    return parse_document(format_header(header) + "Some text.", name="t").meta


def test_header_fields() -> None:
    meta = parse()
    info = meta.secondary
    assert info is not None
    assert (info.author, info.url, info.revision, info.retrieved) == (
        "Test Wiki contributors",
        "https://example.org/wiki/Axis_talks",
        "not recorded in the stored copy",
        "",
    )
    assert (info.work, info.form, info.site) == ("test:axis-talks", "article", "Test Wiki")
    assert meta.work == "test:axis-talks"
    # Written back, the header loses nothing.
    assert meta.to_header()["revision"] == "not recorded in the stored copy"


def test_work_defaults_to_the_id_and_primary_documents_have_none() -> None:
    assert parse(work=None).work == ARTICLE
    primary = parse(kind="telegram", author=None, url=None, revision=None, retrieved=None)
    assert primary.secondary is None and primary.work == ARTICLE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"author": None}, "missing the required field 'author'"),
        ({"author": "  "}, "'author' is empty"),
        ({"revision": None}, "missing the required field 'revision'"),
        ({"url": "javascript:alert(1)"}, "not an http"),
        ({"url": "https://example.org/a b"}, "not an http"),
        ({"retrieved": ["2026"]}, "'retrieved' must be a string"),
    ],
)
def test_bad_secondary_headers(changes: dict[str, object], message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse(**changes)


def test_unknown_fields_may_be_empty() -> None:
    info = parse(url="", revision="", retrieved="").secondary
    assert info is not None
    assert (info.url, info.revision, info.retrieved) == ("", "", "")


def test_versions_are_grouped_by_work(tmp_path: Path, store: Store) -> None:
    library = claims_library(tmp_path, store)
    assert [d.id for d in library.versions(ARTICLE)] == [ARTICLE_V2]
    assert [d.id for d in library.versions(ARTICLE_V2)] == [ARTICLE]
    assert library.versions("test-doc") == ()


def test_the_bundled_secondary_sources() -> None:
    library = Library([(REPO, "bundled")])
    assert not library.problems
    for document_id in BUNDLED:
        meta = library.document(document_id).meta
        assert meta.kind == "secondary" and meta.secondary is not None
        assert "CC BY-SA 4.0" in meta.license
        # Nothing is invented: what the stored copies do not record is said to be not recorded.
        assert meta.secondary.revision == "not recorded in the stored copy"
        assert meta.secondary.retrieved == "not recorded in the stored copy"
    wikipedia = library.document("wikipedia-german-soviet-axis-talks-003").meta.secondary
    assert wikipedia is not None and wikipedia.author == "Wikipedia contributors"
    assert wikipedia.url == "https://en.wikipedia.org/wiki/German%E2%80%93Soviet_Axis_talks"
    assert [d.id for d in library.versions("wikipedia-german-soviet-axis-talks-001")] == [
        "wikipedia-german-soviet-axis-talks-003"
    ]
    assert library.versions("history-se-soviet-union-join-axis") == ()


@pytest.mark.parametrize("document_id", sorted(BUNDLED))
def test_bundled_text_is_the_stored_copy_byte_for_byte(document_id: str) -> None:
    path = REPO / "sources" / f"{document_id}.txt"
    data = path.read_bytes()
    header_end = data.index(b"\n+++\n\n", 4) + len(b"\n+++\n\n")
    body = data[header_end:]
    _, parsed = split_header(data.decode("utf-8"), str(path))
    assert parsed.encode("utf-8") == body  # what the reader reads is exactly the bytes after the header
    seed = SEEDS / BUNDLED[document_id]
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not here to compare with")
    assert body == seed.read_bytes()
