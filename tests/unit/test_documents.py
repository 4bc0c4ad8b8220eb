"""Documents, headers, gaps and the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcereader.core import documents as d
from sourcereader.core.documents import DocumentError, Gap, Library, Sentence
from sourcereader.core.store import Store

HEADER = {
    "id": "test-doc",
    "title": "A test",
    "language": "en",
    "date": "1940-11-12",
    "kind": "memo",
    "status": "partial",
    "original_publication": "",
    "archival_reference": "",
    "copy_source": "typed in",
    "license": "CC0",
    "notes": "",
}


def make(body: str, **changes: object) -> str:
    return d.format_header({**HEADER, **changes}) + body


def test_sentences_and_gaps_in_order() -> None:
    doc = d.parse_document(make("One. Two.\n\n[[GAP — two pages lost]]\n\nThree.\n[[TRUNCATED]]"), name="t")
    kinds = [(type(e).__name__, getattr(e, "text", getattr(e, "kind", ""))) for e in doc.elements]
    assert kinds == [
        ("Sentence", "One."),
        ("Sentence", "Two."),
        ("Gap", "gap"),
        ("Sentence", "Three."),
        ("Gap", "truncated"),
    ]
    gap = doc.gaps[0]
    assert gap.explanation == "two pages lost"
    assert gap.after_sentence == 2
    assert [s.id for s in doc.sentences] == ["s1", "s2", "s3"]
    assert doc.paragraph_breaks() == frozenset({2})


def test_a_gap_marker_is_never_a_sentence_even_inline() -> None:
    doc = d.parse_document(make("Before [[OMITTED — a photo caption]] after."), name="t")
    assert [e.text for e in doc.sentences] == ["Before", "after."]
    assert isinstance(doc.elements[1], Gap) and doc.elements[1].kind == "omitted"


def test_single_newlines_are_whitespace_blank_lines_are_paragraphs() -> None:
    doc = d.parse_document(make("A wrapped\nsentence. Next one.\n\nNew paragraph."), name="t")
    assert [(s.text, s.paragraph) for s in doc.sentences] == [
        ("A wrapped\nsentence.", 0),
        ("Next one.", 0),
        ("New paragraph.", 1),
    ]


@pytest.mark.parametrize(
    ("body", "changes", "message"),
    [
        ("Text.", {"id": "../x"}, "invalid id"),
        ("Text.", {"id": "Upper"}, "invalid id"),
        ("Text.", {"language": "xx"}, "unknown language"),
        ("Text.", {"status": "done"}, "status must be"),
        ("Text.", {"date": "12 Nov"}, "date"),
        ("Text.", {"title": ""}, "'title' is empty"),
        ("   \n", {}, "no text"),
    ],
)
def test_bad_headers_are_refused_with_a_reason(body: str, changes: dict[str, object], message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        d.parse_document(make(body, **changes), name="t")


def test_missing_field_and_malformed_toml() -> None:
    header = dict(HEADER)
    del header["license"]
    with pytest.raises(DocumentError, match="missing the required field 'license'"):
        d.parse_document(d.format_header(header) + "x.", name="t")
    with pytest.raises(DocumentError, match="malformed TOML"):
        d.parse_document("+++\nid = \n+++\nx.", name="t")
    with pytest.raises(DocumentError, match="never closed"):
        d.parse_document("+++\nid = 'x'\n", name="t")
    with pytest.raises(DocumentError, match="no header"):
        d.parse_document("just text", name="t")


def test_decode_refuses_non_utf8_and_nul_and_drops_bom() -> None:
    with pytest.raises(DocumentError, match="not UTF-8"):
        d.decode_text("Молотов".encode("cp1251"), "f")
    with pytest.raises(DocumentError, match="NUL"):
        d.decode_text(b"a\x00b", "f")
    assert d.decode_text(b"\xef\xbb\xbfabc\r\n", "f") == "abc\n"


header_values = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40
)


@given(title=header_values.filter(str.strip), notes=header_values)
def test_header_parse_write_parse_is_identity(title: str, notes: str) -> None:
    meta = d.document_meta({**HEADER, "title": title, "notes": notes, "participants": ["A", "Б"]}, "t")
    header, body = d.split_header(d.format_header(meta.to_header()) + "Body.", "t")
    assert header is not None
    assert d.document_meta(header, "t") == meta
    assert body == "Body."


def test_write_text_file_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "x" / "doc.txt"
    d.write_text_file(target, HEADER, "Hello. World.")
    doc = d.parse_document(d.read_text_file(target), name=str(target))
    assert doc.meta.id == "test-doc"
    assert [s.text for s in doc.sentences] == ["Hello.", "World."]
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_elements_cover_the_body() -> None:
    body = "Первое предложение. Второе!\n\n[[GAP — x]]\n\nТретье?"
    doc = d.parse_document(make(body, language="ru"), name="t")
    rebuilt = "".join(body[e.start : e.end] for e in doc.elements)
    assert rebuilt.replace(" ", "") == "".join(body.split())


def _paragraphs_by_looking_back(body: str) -> list[tuple[int, int]]:
    """The plain statement of the rule (quadratic): a blank line splits paragraphs unless the
    last "[[" before it opens a gap marker whose first "]]" comes after it."""
    spans, pos = [], 0
    for m in d._PARAGRAPH_RE.finditer(body):
        opening = body.rfind("[[", 0, m.start())
        if opening >= 0 and body.find("]]", opening) > m.start() and d._MARKER_RE.match(body, opening):
            continue
        if body[pos : m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if body[pos:].strip():
        spans.append((pos, len(body)))
    return spans


@given(
    st.lists(
        st.sampled_from(["[[", "]]", "[", "\n\n", "\n \n", "\n", "GAP", "OMITTED", " — ", "x", "Слово. "])
    )
)
def test_paragraphs_are_never_cut_inside_a_gap_marker(pieces: list[str]) -> None:
    body = "".join(pieces)
    assert list(d._paragraph_spans(body)) == _paragraphs_by_looking_back(body)


def test_segmentation_cache_is_used(store: Store) -> None:
    text = make("One. Two.")
    first = d.parse_document(text, name="t", cache=store)
    key = d.segmentation_key(first.body, "en")
    assert store.get_segmentation(key) is None  # nothing is segmented before it is needed
    assert len(first.sentences) == 2
    assert store.get_segmentation_counts(key) == (2, 0)
    assert store.get_segmentation(key) is not None
    store.put_segmentation(key, [["s", 0, 9, 0]])  # a doctored cache entry proves the cache is read
    again = d.parse_document(text, name="t", cache=store)
    assert [s.text for s in again.sentences] == ["One. Two."]


def test_bundled_library(library: Library) -> None:
    assert not library.problems
    soviet = library.entry("1940-11-12-soviet-record-hitler-molotov")
    assert soviet.document.meta.language == "ru"
    assert soviet.document.meta.status == "partial"
    assert [t.id for t in soviet.translations] == ["hse-answer-en"]
    assert any("четвертому партнеру" in s.text for s in soviet.document.sentences)
    assert [w.id for w in library.witnesses(soviet.document.id)] == [
        "1940-11-12-german-record-hitler-molotov"
    ]
    telegram = library.entry("1940-11-25-schulenburg-telegram")
    assert telegram.document.language == "de"
    assert [(t.id, t.language, t.meta.kind) for t in telegram.translations] == [
        ("nsr-1948-en", "en", "human")
    ]
    hse = library.translation(soviet.document.id, "hse-answer-en")
    assert len(hse.sentences) == 4
    for entry in library:
        assert entry.document.meta.license and entry.document.meta.copy_source


def test_every_corpus_marker_survives_as_a_gap(library: Library) -> None:
    for entry in library:
        markers = entry.document.body.count("[[")
        assert markers == len(entry.document.gaps), entry.document.id
        assert not any("[[" in s.text for s in entry.document.sentences)


def test_user_document_replaces_bundled_one(tmp_path: Path, store: Store) -> None:
    bundled = tmp_path / "bundled"
    user = tmp_path / "user"
    d.write_text_file(bundled / "sources" / "a.txt", {**HEADER, "id": "a"}, "Fragment.")
    d.write_text_file(
        bundled / "translations" / "a" / "t.txt",
        {
            "id": "t",
            "language": "en",
            "kind": "human",
            "translator": "X",
            "source": "s",
            "license": "l",
            "covers": "all",
        },
        "Frag.",
    )
    d.write_text_file(user / "sources" / "a.txt", {**HEADER, "id": "a", "status": "complete"}, "Full. Text.")
    library = Library([(bundled, "bundled"), (user, "user")], cache=store)
    entry = library.entry("a")
    assert entry.document.origin == "user" and entry.replaces_bundled
    assert len(entry.document.sentences) == 2
    assert [t.id for t in entry.translations] == ["t"]


def test_broken_user_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "bad.txt").write_text("+++\nid = 'bad'\n+++\ntext", encoding="utf-8")
    library = Library([(tmp_path, "user")])
    assert len(library) == 0
    assert "missing the required field" in library.problems[0]


def test_unknown_id_suggests_close_ones(library: Library) -> None:
    with pytest.raises(KeyError, match="did you mean 1940-11-12-soviet-record-hitler-molotov"):
        library.document("1940-11-12-soviet-record-hitler")


def test_sentence_ids_are_stable() -> None:
    a = d.parse_document(make("One. Two. Three."), name="t")
    b = d.parse_document(make("One. Two. Three."), name="t")
    assert [(s.id, s.hash) for s in a.sentences] == [(s.id, s.hash) for s in b.sentences]
    assert isinstance(a.elements[0], Sentence)


@pytest.mark.parametrize(
    ("value", "real"),
    [
        ("1940-11-12", True),
        ("1940-11", True),
        ("1940", True),
        ("1940-11-25/26", True),
        ("1940-11-30/12-02", True),
        ("1940-02-29", False),
        ("1940-02-30", False),
        ("1940-13-45", False),
        ("1940-00", False),
        ("0000", False),
        ("1940-11-25/24", False),
        ("1940-11-25/32", False),
        ("undated", True),
    ],
)
def test_dates_must_be_days_of_the_calendar(value: str, real: bool) -> None:
    text = make("Text.", date=value)
    if real or value == "1940-02-29":  # 1940 was a leap year
        assert d.parse_document(text, name="t").meta.date == value
    else:
        with pytest.raises(DocumentError, match="is not a day of the calendar"):
            d.parse_document(text, name="t")


@pytest.mark.parametrize("key", ["\x1b[2Jkey", "\x9b31m", "bell\x07", " "])
def test_header_keys_that_could_drive_a_terminal_are_refused(key: str) -> None:
    with pytest.raises(DocumentError, match="is not a printable name") as caught:
        d.parse_document(make("Text.", **{key: "v"}), name="t")
    assert "\x1b" not in str(caught.value) and "\x9b" not in str(caught.value)


def test_a_header_nested_beyond_reason_is_refused_not_a_crash() -> None:
    deep = "+++\n" + "x = " + "[" * 100_000 + "]" * 100_000 + "\n+++\nText.\n"
    with pytest.raises(DocumentError, match="nested too deeply"):
        d.parse_document(deep, name="t")


def test_toml_dates_in_extra_fields_come_out_as_iso_text_in_json() -> None:
    header = d.format_header(HEADER).replace("+++\n\n", "", 1)  # drop the closing fence
    text = (
        header.rstrip("+\n") + "\nwhen = 1979-05-27T07:32:00Z\nday = 1940-11-12\nat = 07:32:00\n+++\nText.\n"
    )
    doc = d.parse_document(text, name="t")
    out = d.dumps(d.to_json(doc))
    assert '"when": "1979-05-27T07:32:00+00:00"' in out
    assert '"day": "1940-11-12"' in out and '"at": "07:32:00"' in out
