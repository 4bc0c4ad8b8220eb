"""The segmenter's cost is linear: the faster paths give exactly what the plain ones give.

* ``pysbd_linear.sentences`` returns what pySBD 0.3.4 returns, on hostile and on real text;
* splitting a long stretch in windows gives what one pySBD call gives, on ordinary text;
* skipping pySBD where the corrections decide every break changes nothing;
* the gap-marker finder finds what the marker regex finds.

How long anything takes is for benchmarks/bench_segment.py; here linearity is checked through
what pySBD is asked to do (every call bounded, the total a small multiple of the text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pysbd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcereader.core import documents, pysbd_linear, segmenting
from sourcereader.core.segmenting import split

ROOT = Path(__file__).resolve().parents[2]

# Pieces that exercise every pySBD step made faster: abbreviations of the three languages in
# several spellings, initials, numbers and list markers, quotes and brackets, ellipses, the
# characters that IGNORECASE matches differently from str.lower(), pySBD's own placeholders.
_HOSTILE = st.sampled_from(
    [
        " ", " ", " ", "\n", ". ", "! ", "? ", "... ", "… ", "!! ", "?! ", "!.. ", ", ", "; ", ": ",
        " — ", "-",
        "Mr. ", "mr. ", "MR. ", "Dr. ", "St. ", "No. ", "Jan. ", "e.g. ", "i.e. ", "a.m. ", "U.S. ", "etc. ",
        "т. ", "тов. ", "г. ", "гг. ", "Ф. ", "Оп. ", "Д. ", "л. ", "т.е. ", "и т. д. ", "y.e. ", "в. ",
        "z.B. ", "Nr. ", "bzw. ", "Dr ", "ca. ", "Prof. ",
        "А. ", "Б. ", "В.М. ", "J. ", "R. ",
        "1. ", "2. ", "3. ", "9. ", "10. ", "64. ", "1940 ", "a) ", "b) ", "(iv) ", "(2) ", "i. ", "ii. ",
        '"', "'", "«", "»", "“", "”", "„", "(", ")", "[", "]", "{", "}",
        "Слово", "слово", "Word", "word", "Wort", "Да", "Нет", "Smith", "Yahoo!", "x@y.com", "www.a.b ",
        "ſt. ", "ıd. ", "İ. ", "\u212a. ", "∯", "ȸ", "&ᓴ&", "☉", "ƪ", "\x00",
    ]
)  # fmt: skip


def _pysbd_reference(text: str, lang: str) -> list[str]:
    return list(pysbd.Segmenter(language=lang, clean=False).processor(text).process() or [])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_HOSTILE, max_size=40).map("".join), st.sampled_from(["ru", "en", "de"]))
def test_linear_pysbd_gives_pysbds_sentences(text: str, lang: str) -> None:
    """Sentence for sentence, the linear path is pySBD on hostile input."""
    assert pysbd_linear.sentences(text, lang) == _pysbd_reference(text, lang)


def _bundled_paragraphs() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "sources").glob("*.txt")) + sorted((ROOT / "translations").rglob("*.txt")):
        header, body = documents.split_header(path.read_text(encoding="utf-8"), str(path))
        lang = str((header or {}).get("language", "ru"))
        for paragraph in body.split("\n\n"):
            if paragraph.strip():
                yield lang, paragraph


def test_linear_pysbd_gives_pysbds_sentences_on_the_bundled_documents() -> None:
    """And on real text: every paragraph of every bundled document and translation."""
    paragraphs = list(_bundled_paragraphs())
    assert len(paragraphs) > 50
    for lang, paragraph in paragraphs:
        assert pysbd_linear.sentences(paragraph, lang) == _pysbd_reference(paragraph, lang), paragraph[:80]


# "Ordinary text": sentences of one language with a capital, abbreviations and initials inside,
# an end mark, sometimes in dialogue.  Not quotations or bracketed sentences: pySBD pairs quotes
# and reads runs of brackets across everything it is given, so where a window starts inside
# such a run one call and windows can differ (the windows are cut, when they can be, where all
# quotes and brackets are closed; see segmenting._resume_point).
_WORDS = {
    "ru": ["слово", "дело", "Берлин", "т. Молотова", "в 1940 г.", "А. Б. Иванов", "см. стр. 12", "и т. д.",
           "т.е. вот", "ф. 3, оп. 64"],
    "en": ["word", "matter", "Berlin", "Mr. Smith", "No. 5", "e.g. this", "J. R. Smith", "at 10 a.m.",
           "the U.S. government", "Dr. Jones"],
}  # fmt: skip
_STARTS = {
    "ru": ["Молотов", "Гитлер", "Затем", "Это", "АП РФ.", "Ф. 3,", "В 1940 г."],
    "en": ["The", "It", "Then", "Molotov", "Hitler", "In 1940", "Mr. Smith"],
}
_END = st.sampled_from([".", ".", ".", "!", "?", "...", "?!", "!.."])


@st.composite
def _ordinary(draw: st.DrawFn, lang: str) -> str:
    sentences = []
    for _ in range(draw(st.integers(1, 40))):
        words = draw(st.lists(st.sampled_from(_WORDS[lang]), min_size=1, max_size=8))
        sentence = " ".join([draw(st.sampled_from(_STARTS[lang])), *words]) + draw(_END)
        frame = draw(st.sampled_from(["{}", "{}", "{}", "— {}"]))
        sentences.append(frame.format(sentence))
    return " ".join(sentences)


_LANG_AND_TEXT = st.sampled_from(["ru", "en"]).flatmap(lambda lang: st.tuples(st.just(lang), _ordinary(lang)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LANG_AND_TEXT)
def test_windows_give_what_one_call_gives(lang_and_text: tuple[str, str]) -> None:
    """With windows of 300 characters (60 of context; sentences here are up to about 150) the
    split is the one-call split, and no character is lost or moved."""
    lang, text = lang_and_text
    whole = split(text, lang)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(segmenting, "WINDOW", 300)
        patched.setattr(segmenting, "CONTEXT", 60)
        windowed = split(text, lang)
    assert windowed == whole
    _assert_nothing_lost_or_moved(text, windowed)


def _assert_nothing_lost_or_moved(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans in order, without overlap, with only whitespace between and around them."""
    pos = 0
    for start, end in spans:
        assert pos <= start < end and not text[pos:start].strip()
        pos = end
    assert not text[pos:].strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        _LANG_AND_TEXT,
        st.tuples(st.sampled_from(["ru", "en", "de"]), st.lists(_HOSTILE, max_size=40).map("".join)),
    )
)
def test_skipping_pysbd_changes_nothing(lang_and_text: tuple[str, str]) -> None:
    """Where pySBD is skipped (every break joined by the corrections), calling it gives the same split."""
    lang, text = lang_and_text
    skipped = split(text, lang)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(segmenting, "_needs_pysbd", _needs_pysbd_unless_no_candidate)
        assert split(text, lang) == skipped


def _needs_pysbd_unless_no_candidate(text: str, masked: str, lo: int, hi: int, lang: str) -> bool:
    """The rule before the skip: pySBD for every stretch with sentence punctuation inside."""
    piece = masked[lo:hi].rstrip()
    if segmenting._LIST_ITEM.search(piece, 1):
        return True
    return any(m.end() < len(piece) for m in segmenting._CANDIDATE.finditer(piece))


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["[[", "]]", "]", "[", " ", "\n\n", "GAP", "TRUNCATED", "OMITTED", "GAPS", "x", " — ", "Слово. "]
        )
    ).map("".join)
)
def test_marker_finder_finds_what_the_marker_regex_finds(text: str) -> None:
    """The linear finder and ``_MARKER_RE.finditer`` agree, unclosed markers included."""
    expected = [(m.start(), m.end(), m.group(1), m.group(2)) for m in documents._MARKER_RE.finditer(text)]
    assert [tuple(m) for m in documents._markers(text)] == expected


# ----------------------------------------------------------------- the dense patterns of issue 13
PATTERNS = {
    "archival": ("ru", "АП РФ. Ф. 3. Оп. 64. Д. 675. Л. 31–41. "),
    "english abbreviations": ("en", "Mr. Smith met Dr. Jones and Prof. Brown at St. Paul's on Jan. 5. "),
    "initials": ("ru", "А. Б. В. Г. "),
    "dash dialogue": ("ru", "— Да. — Нет! — "),
}


def _pysbd_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the length of every piece of text handed to pySBD."""
    sizes: list[int] = []
    real = pysbd_linear.sentences

    def recording(text: str, lang: str) -> list[str]:
        sizes.append(len(text))
        return real(text, lang)

    monkeypatch.setattr(pysbd_linear, "sentences", recording)
    return sizes


@pytest.mark.parametrize("name", list(PATTERNS))
def test_pysbd_work_grows_linearly(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """pySBD never sees more than a window and, in all, little more than the text itself."""
    lang, pattern = PATTERNS[name]
    text = pattern * (60_000 // len(pattern))
    sizes = _pysbd_calls(monkeypatch)
    split(text, lang)
    assert max(sizes, default=0) <= segmenting.WINDOW
    assert sum(sizes) <= 1.5 * len(text)


def test_a_run_of_initials_needs_no_pysbd_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every break in "А. Б. В. Г." is joined by the initials rule, so pySBD is not asked."""
    sizes = _pysbd_calls(monkeypatch)
    text = PATTERNS["initials"][1] * 5000
    assert split(text, "ru") == [(0, len(text.rstrip()))]
    assert sizes == []


def _sentences(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in split(text, lang)]


@pytest.mark.parametrize("repeat", [1, 3, 400])
def test_archival_references_split_the_same_however_long(repeat: int) -> None:
    """A run of archival references gives the same sentences per reference, once or 400 times
    over (the long run crosses many windows)."""
    text = PATTERNS["archival"][1] * repeat
    assert _sentences(text, "ru") == ["АП РФ.", "Ф. 3. Оп. 64. Д. 675. Л. 31–41."] * repeat


@pytest.mark.parametrize("repeat", [1, 3, 400])
def test_english_abbreviations_split_the_same_however_long(repeat: int) -> None:
    """None of the abbreviations ends a sentence; each sentence ends at "Jan. 5."."""
    text = PATTERNS["english abbreviations"][1] * repeat
    assert _sentences(text, "en") == [PATTERNS["english abbreviations"][1].strip()] * repeat


@pytest.mark.parametrize("repeat", [1, 3, 1000])
def test_dash_dialogue_splits_per_line_however_long(repeat: int) -> None:
    """Each line of dialogue is a sentence; the dash left at a line's end stays with the text."""
    text = PATTERNS["dash dialogue"][1] * repeat
    got = _sentences(text, "ru")
    assert [re.sub(r"[\s—]", "", s) for s in got] == ["Да.", "Нет!"] * repeat
    assert "".join(got).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("repeat", [1, 3, 20_000])
def test_unclosed_gap_markers_stay_text(repeat: int) -> None:
    """ "[[GAP " that never closes is no gap: the text is one sentence, however many there are."""
    body = "[[GAP " * repeat
    elements = documents.segment_body(body, "ru")
    assert len(elements) == 1 and isinstance(elements[0], documents.Sentence)
    assert elements[0].text == body.strip()


def test_a_closed_marker_after_unclosed_ones_takes_them_in() -> None:
    """The first "]]" closes the first "[[GAP" (as the marker regex reads it)."""
    body = "[[GAP " * 1000 + "lost]] Дальше."
    elements = documents.segment_body(body, "ru")
    assert [type(e).__name__ for e in elements] == ["Gap", "Sentence"]
