"""Language-free features for the sentence aligner: transliteration, name skeletons, numbers, punctuation.

Everything here turns a sentence into *keys*: short strings that, when the same key occurs in a source
sentence and a target sentence, is evidence that the two translate each other. No dictionary and no
model: proper names survive translation (through transliteration), numbers survive, and punctuation
structure (questions, exclamations, quoted speech) mostly survives.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "CYRILLIC_LANGS",
    "distinct",
    "is_continuation",
    "is_dangling",
    "is_note",
    "name_keys",
    "number_keys",
    "punct_keys",
    "skeleton",
    "stem_words",
    "transliterate",
    "utterances",
    "words",
]

#: Languages written in Cyrillic (so their names must be transliterated before comparison).
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk"})

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
    "ґ": "g", "ў": "u", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz",
}  # fmt: skip
_TRANS = str.maketrans({**_CYR, **{k.upper(): v.capitalize() for k, v in _CYR.items()}})

# Digraphs that different romanisations spell differently are folded to one letter so that
# Гитлер/Hitler, Харьков/Kharkov, Черчилль/Churchill and Дарданеллы/Dardanelles meet.
_FOLD = [
    ("shch", "s"), ("sch", "s"), ("tsch", "c"), ("ch", "c"), ("sh", "s"), ("zh", "z"), ("kh", "g"),
    ("tz", "c"), ("ts", "c"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("x", "ks"), ("w", "v"),
    ("q", "k"), ("h", "g"), ("j", "i"), ("y", "i"),
]  # fmt: skip
_VOWELS = re.compile(r"(?<=.)[aeiou]")
_DOUBLE = re.compile(r"(.)\1+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*")
_LEAD = re.compile(r"^[\s\"'«»“”„‘’‹›()\[\]—–\-…*.]+")


def transliterate(text: str) -> str:
    """Romanise Cyrillic and strip diacritics (ä → a, é → e, ß → ss); other text is unchanged."""
    text = text.translate(_TRANS).replace("ß", "ss").replace("æ", "ae").replace("œ", "oe")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The consonant skeleton of a romanised word: cross-script spelling variants collapse to one string."""
    w = transliterate(word).lower()
    for a, b in _FOLD:
        w = w.replace(a, b)
    w = "".join(ch for ch in w if "a" <= ch <= "z")
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", w))


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters, with at most one inner apostrophe (``don't``, ``d’Artagnan``).

    Finding them is most of the cost of a sentence's keys and stems, so :func:`name_keys` and
    :func:`stem_words` take them ready-made.
    """
    return _WORD.findall(text)


def name_keys(
    text: str, *, capitalised_only: bool, prefix: int = 4, text_words: list[str] | None = None
) -> list[str]:
    """Skeleton prefixes of the (capitalised) words of ``text``: proper names and cognates.

    Between scripts only capitalised words are used (names); within one script every word of four
    letters or more is a potential cognate (Expedition/expédition, Meter/mètres). ``text_words``:
    ``words(text)``, if already found.
    """
    words = _WORD.findall(text) if text_words is None else text_words
    if capitalised_only:
        words = [w for w in words if w[0].isupper()]
    return [k for w in words if (k := _name_key(w, prefix))]


@functools.lru_cache(maxsize=65536)
def _name_key(word: str, prefix: int) -> str:
    """The key :func:`name_keys` makes of one word, or ``""`` for none."""
    if len(word) < (4 if word[0].isupper() else 5):
        return ""
    sk = skeleton(word)
    return "n" + sk[:prefix] if len(sk) >= 3 else ""


_ROMAN = re.compile(r"\b[IVXLC]+\b")
_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(s: str) -> int:
    total = 0
    for ch, nxt in zip(s, [*s[1:], ""], strict=True):
        v = _ROMAN_VALUES[ch]
        total += -v if nxt and _ROMAN_VALUES[nxt] > v else v
    return total


def number_keys(text: str) -> list[str]:
    """Numbers with their thousands separators removed (1,000 = 1 000 = 1000), and Roman numerals.

    A lone ``I`` counts as a numeral only in a heading-like sentence of three words or fewer (so that
    the English pronoun does not).
    """
    out = (
        ["#" + _NON_DIGIT.sub("", g).lstrip("0") for g in _NUMBER.findall(text)]
        if _DIGIT.search(text)
        else []
    )
    romans = _ROMAN.findall(text) if any(ch in text for ch in "IVXLC") else []
    if romans:
        short = len(text.split()) <= 3
        out += ["#" + str(_roman(r)) for r in romans if short or len(r) > 1]
    return out


def punct_keys(text: str) -> list[str]:
    """Punctuation structure that survives translation: questions, exclamations, speech, brackets."""
    out = []
    s = text.strip()
    if "?" in s:
        out.append("p?")
    if "!" in s:
        out.append("p!")
    if s[:1] in "—–-«»“”„\"'‘":
        out.append("pq")
    if "(" in s:
        out.append("p(")
    if ":" in s:
        out.append("p:")
    if ";" in s:
        out.append("p;")
    if "…" in s or "..." in s:
        out.append("p.")
    return out


def stem_words(text: str, *, size: int = 5, text_words: list[str] | None = None) -> list[str]:
    """Lower-cased words cut to ``size`` letters: a crude stem good enough for co-occurrence counts.

    ``text_words``: ``words(text)``, if already found.
    """
    lower = text.lower()
    if text_words is not None and len(lower) == len(text) and "Σ" not in text:
        # Lower-casing maps each character here to one character of the same kind (letter, apostrophe,
        # other: a test checks every code point) whatever its neighbours (only Σ looks at them), so the
        # words of the lower-cased text are the lower-cased words.
        return [w[:size].lower() for w in text_words if len(w) >= 2]
    # findall over the lower-cased text: no Match objects (this runs over every word of a book).
    return [w[:size] for w in _WORD.findall(lower) if len(w) >= 2]


# A run of sentence-final punctuation that ends an utterance: before a space, a closing quote or
# bracket, a dash, or the end.
_UTTERANCE_END = re.compile(r"[.!?…]+(?=[\s\"'»”“’)—–-]|$)")


def utterances(text: str) -> int:
    """Number of utterances in a sentence (at least one): runs of ``.``, ``!``, ``?``, ``…``.

    Segmenters split dialogue unevenly across languages (English quoted speech with three exclamations
    is one sentence; the Russian dash dialogue it translates is three), but the utterances inside
    survive translation, so their count is a length measure that sees through the split.
    """
    # An ellipsis that opens an excerpt (``... Гитлер отвечает``) ends nothing.
    return max(1, len(_UTTERANCE_END.findall(_LEAD.sub("", text).rstrip())))


def is_continuation(text: str) -> bool:
    """True if the sentence begins in lower case (``— сказал он.``): a segmenter cut it from its start."""
    rest = _LEAD.sub("", text)
    return bool(rest) and rest[0].isalpha() and rest[0].islower()


def is_dangling(text: str) -> bool:
    """True if the sentence ends as if it continued (comma, colon, dash)."""
    s = text.rstrip()
    return bool(s) and s[-1] in ",;:—–-"


# A footnote marker, or an archival reference (microfilm frames, serial, folio) followed by a number.
_NOTE = re.compile(r"^\s*(?:[*†‡]|\[\d+\]\s|(?:frames?|serial|folio)\s*\d)", re.IGNORECASE)


def is_note(text: str) -> bool:
    """True for editorial apparatus: a footnote (``*)…``, ``† …``, ``[3] …``) or an archival reference
    line (``Frames 112669-112670, serial 104``, ``Folio 12``). Editions add these; translations of the
    text do not carry them across, so they are cheap to leave unaligned."""
    return bool(_NOTE.match(text))


def distinct(items: Iterable[str]) -> list[str]:
    """Keys in first-seen order without repeats."""
    return list(dict.fromkeys(items))
