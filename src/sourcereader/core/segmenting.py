"""Sentence segmentation: pySBD plus a correction layer.

The public contract (used by documents.py, the CLI and the aligner):

* ``split(text, lang)`` returns sentence spans ``(start, end)`` as offsets into ``text``.
  Spans are in order, never overlap, never start or end with whitespace, and together
  with the whitespace between them they cover the whole text: nothing is dropped or
  rewritten.
* ``SEGMENTER_VERSION`` changes whenever the output for some input may change; it is
  part of the segmentation cache key.

How it works. Boundaries are kept as a sorted list of sentence start offsets.

1. *Pre-split* (ru/en/de): a boundary is certain after ``word. Next`` when ``word`` is a
   lowercase word that is not an abbreviation and ``Next`` starts with a capital.  The
   stretches between certain boundaries that still contain sentence punctuation are the
   ambiguous ones; only those go to pySBD, and not even those when the corrections would join
   every break in them anyway.  Other languages send the whole paragraph to pySBD.  pySBD runs
   through ``pysbd_linear`` (its exact output without its quadratic abbreviation pass) and never
   sees more than :data:`WINDOW` characters at once (see :func:`_pysbd_starts`), so the cost of
   a paragraph is linear in its length.
2. pySBD sees a *masked* copy of the text of the same length, so its sentences map back to
   offsets directly: newlines become spaces (the input is one paragraph; pySBD would treat
   a newline as a sentence break), ASCII ``--`` becomes two en dashes (pySBD glues
   everything between two ``--`` into one sentence) and sentence punctuation inside URLs
   and e-mail addresses is hidden.
3. *Corrections*: boundaries are added where pySBD misses them (``!!``/``?!``/``!..``
   before a capital, Russian ``1940 г. Next``, ``и т. д. Next``, ellipsis before a
   capital, sentences inside quotes) and removed where it cuts too eagerly (a sentence
   that starts with a lowercase letter or with closing punctuation, abbreviations such as
   ``тов.``, ``Оп. 64``, ``No. 2362``, initials ``В.М. Молотов``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

from sourcereader.core import pysbd_linear
from sourcereader.core.choices import SUPPORTED_LANGUAGES as SUPPORTED_LANGUAGES  # re-exported

SEGMENTER_VERSION = "5"


def _words(words: str) -> frozenset[str]:
    """The whitespace-separated words of a literal, as a set."""
    return frozenset(words.split())


#: Languages whose sentence punctuation and letter case the fast path and the case-based rules understand.
_CASED = frozenset({"ru", "en", "de"})


class UnsupportedLanguage(ValueError):
    """Raised for a language code the segmenter has no rules for."""


# Abbreviations after which a capitalised word or a number does not start a new sentence
# (lowercase, without the final period).  Titles, archival references ("Ф. 3, Оп. 64,
# Д. 675, Л. 31"), "No. 2362".  Words that often end a sentence (etc., usw., Inc.) are
# deliberately absent.
_NO_END: dict[str, frozenset[str]] = {
    "ru": _words(
        "т тов тт ст см стр л лл д оп ф им ул пл пер просп проф акад ген полк адм кн св нач зам пред тел "
        "т.е т.к т.н с.г н.ст ст.ст с п пп оз пос дер обл напр ср вып изд ред кв корп гр гос "
        "мин ин англ нем фр амер герм сов ж.д гл рис табл прим разд илл"
    ),
    "en": _words(
        "no nos dept mr mrs ms messrs dr prof gen col capt lt sgt gov sen rep rev hon st mt ft vol pp p art "
        "sec ch fig op cf viz vs approx adm maj cmdr brig supt insp"
    ),
    "de": _words(
        "nr z.b d.h vgl bzw ca dr prof st abs art bd s hr fr gez u.a z.t o.ä sog evtl ggf i.a i.v betr "
        "bez v dgl"
    ),
}

# Russian year and century markers: "1940 г.", "1644 -- 1646 гг.", "XVIII в." end a
# sentence when a capital follows, but "г. Москва" does not.
_RU_YEAR_END = re.compile(r"(?:\d|\b[IVXLC]+)\s*(?:гг?|вв?)\.$")
_RU_ETC_END = re.compile(r"\bи\s+(?:т\.\s*[дп]|др|пр)\.$")
# A unit or a currency after a number ends a sentence before a capital as a year does: "Стоит
# 100 руб. Дорого.", "Ехали 20 км. Потом".  Not "т." (тонн or том) nor "л." (литр or лист).
_RU_UNITS = r"(?:руб|коп|долл|тыс|млн|млрд|мин|сек|ч|час|км|см|мм|м|кг|шт|экз|чел|га)\."
_RU_UNIT_END = re.compile(r"(?<=\d)\s?" + _RU_UNITS + r"\s+(?=[«\"„]?[А-ЯЁA-Z])")
_RU_UNIT_TAIL = re.compile(r"\d\s?" + _RU_UNITS + r"$")

_LOWER_START = re.compile(r"[\s\"'«“„‘(\[—–-]*[^\W\d_]")
_CLOSERS = ",;:.!?…)]}»”’"
# URLs and e-mail addresses, without the punctuation that may follow them.
_URL = re.compile(r"(?:https?://|www\.)\S*[\w/=]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?:^|\s)\(?(?:\d{1,2}|[a-z])[.)]\s")
_DOUBLE_DASH = re.compile(r"(?<!-)--(?!-)")
# Candidate sentence ends: terminal punctuation, closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"(?<![.!?…])[.!?…]++[\"'»”’)\]]*+(?=\s)")
# What may open a sentence before its first letter: a dialogue dash, an opening quote.
_OPENING = r"(?:[—–-]\s*)?[«\"“„]?"
# A certain boundary: a word of 2+ letters, one terminal mark, whitespace, a letter.  A lowercase
# letter after it is allowed on purpose: informal English starts sentences so ("i was tired. i
# left."), and for ru/de the correction pass joins such starts again.
_SURE = re.compile(r"(?<![\w.\-])([^\W\d_]{2,})([.!?])\s+(?=[«\"“„]?[^\W\d_])")
_QUOTE_END = re.compile(r"(?<![.!?…])[.!?…]++([\"”»])\s+(?=" + _OPENING + r"[^\W\d_])")
# The sentence-final rules of _glued, read on the last token before a boundary.
_LAST_WORD = re.compile(r"([^\W\d_]+)([.!])$")
_WORD_BEFORE_PERIOD = re.compile(r"(?:^|[\s(«\"„])((?:[^\W\d_]+\.)*[^\W\d_]+)\.$")
# An initial is a capital, or a capital and one or two consonants ("Дж.", "Вл.": no Russian word
# is written without a vowel).
_INITIALS = re.compile(r"(?:^|[\s(])((?:[А-ЯЁA-Z]\.\s?)*[А-ЯЁA-Z](?:[бвгджзйклмнпрстфхцчшщ]{1,2})?)\.$")
_RU_VOWEL = re.compile(r"[аеёиоуыэюяАЕЁИОУЫЭЮЯ]")
_BARE_LABEL = re.compile(r"\(?\d{1,2}[.)]")
_HEADING_LABEL = re.compile(r"(?:[IVXLC]+|§\s?\d+(?:\.\d+)*|\d+(?:\.\d+)+)\.")
_LETTER_ABBREVIATIONS = re.compile(r"(?:^|\s)[а-яё]\.\s?[а-яё]\.$")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts
# Archival references: "Ф. 3. Оп. 64. Д. 675. Л. 31–41." (fond, inventory, file, sheets; also
# folder, volume, bundle), "Ф. Р-5446", "Л. 3 об.".  Every unit is in _NO_END, so "Оп. 64" is
# never cut.
_ARCHIVAL_NEXT = re.compile(r"(?:Ф|Оп|Д|Лл?|П|Т|Св)\.\s?(?:[А-ЯЁA-Z]-)?\d")
_ARCHIVAL_ITEM_END = re.compile(
    r"(?:ф|оп|д|лл?|п|т|св)\.\s?(?:[а-яёa-z]-)?\d[\d\s,–—-]*(?:\sоб)?\.$", re.IGNORECASE
)
# Where pySBD may start a sentence other than after [.!?…] and whitespace: after full-width
# punctuation, and after a closing quotation mark or bracket before a capital.
_OTHER_PYSBD_SPLIT = re.compile(r"[。．！？]|[\"'”“)）」]\s*[A-Z]")
_MULTI_BANG = re.compile(
    r"(?<![!?.…])(?:[!?]{2,}+|[!?]\.\.++|\.\.\.++|…)[\"'»”’)]*+\s+(?=" + _OPENING + r"[^\W\d_])"
)
# A smiley or a bracket that closes nothing ends a sentence in informal text: "под заказ) И",
# "тоже ;) Я", "болеете)))) А".  (A bracket that closes an opened one does not.)
_EMOTICON = r"[:;=]-?(?:[()]++|[DPp](?!\w))"
_WORD_BEFORE_BRACKET = re.compile(r"[^\W\d_]{3}$|\s$")
_SMILEY_END = re.compile(r"((?<=\s)" + _EMOTICON + r"|(?<=\S)\)+)\s+(?=" + _OPENING + r"[^\W\d_])")
# A sad smiley: brackets that open nothing after a word ("Не знаю(( Может"), see _opens_nothing.
_SAD_SMILEY_END = re.compile(r"(?<=[^\W\d_])\(+\s+(?=" + _OPENING + r"[^\W\d_])")
# Russian "!", "?", "..." with no space before the next sentence ("Супер!Всем", "Ну...Грустно").
_RU_GLUED_END = re.compile(r"(?<=[^\W\d_])(?:[!?]++|\.\.\.|…)(?=[А-ЯЁ][а-яё])")
# Emoji (pictographs, dingbats and the joiners and modifiers that build them).  In social media an
# emoji closes the sentence it follows ("Ставь ❤️ Мы ...", "красиво! 😍😍😍 Зато ..."); one glued to
# the next word opens that word's sentence ("☝🏻Не забывайте").  U+2800, the blank braille cell,
# is the filler Instagram users put on empty lines.  ASCII emoticons ("=)", ":D") go with emoji.
_EMOJI_CHARS = "\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2800\u2b00-\u2bff\ufe0f\u200d\u20e3"
_EMOJI_RUN = re.compile(f"[{_EMOJI_CHARS}]++")
_EMOTICON_TOKEN = re.compile(_EMOTICON + r"(?=\s|$)")
_EMOJI = re.compile(f"[{_EMOJI_CHARS}]")
# "@name" opens a reply; a hashtag closes a post.  Not after a comma or an opening mark, nor after a
# preposition or conjunction, where the name is part of the sentence ("Фото с @anna", "thanks to @bob").
_MENTION = re.compile(r"(?<=\s)@\w[\w.-]*+")
_HASHTAG_END = re.compile(r"(?<!\S)#[\w#-]*+\s++")
_MENTION_GLUE = _words(
    "в во на с со к ко у о об от до из за по под над при про для через без и или а но да "
    "to with for by at from of in on and or cc via an mit für von und oder bei"
)
# A bracketed sentence that ends inside its brackets: "(Она всегда была готова услужить.) — Ну".
_BRACKETED_END = re.compile(r"[.!?…]\)\s+(?=" + _OPENING + r"[^\W\d_])")


#: The longest piece of text pySBD sees at once, in characters.  pySBD re-scans from every
#: unclosed quote or bracket (and worse, see pysbd_linear.py), so a paragraph longer than this
#: is fed to it in windows: see :func:`_pysbd_starts`.
WINDOW = 2000
#: Context a window keeps on each side of the boundaries taken from it.
CONTEXT = 200


@functools.lru_cache(maxsize=32)
def _abbreviations(lang: str) -> frozenset[str]:
    """pySBD's abbreviations for ``lang`` plus ours: words that must not end a pre-split sentence."""
    module = pysbd_linear.language_module(lang)
    words = {a.strip().lower() for a in module.Abbreviation.ABBREVIATIONS}
    return frozenset(words | _NO_END.get(lang, frozenset()))


def split(text: str, lang: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans (see the module docstring for the contract)."""
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(lang)
    if not text.strip():
        return []
    masked = _mask(text)
    quotes = _Quotes(text)
    starts: set[int] = set()
    if lang in _CASED:
        for lo, hi, needs_pysbd in _pre_split(text, masked, lang):
            starts.add(lo)
            if needs_pysbd:
                starts.update(_pysbd_starts(masked, lo, hi, lang))
        starts.update(_extra_starts(text, lang, quotes))
    else:
        starts.update(_pysbd_starts(masked, 0, len(text), lang))
    bounds = _correct(text, sorted(b for b in starts if 0 < b < len(text)), lang, quotes)
    return _spans(text, bounds)


class _Quotes:
    """Where the ASCII double quotes of a text are, to count them in any range in log time.

    Whether a ``"`` opens or closes a quotation is decided by counting the quotes before it;
    counting with ``str.count`` from the start of the sentence or text each time made texts
    with many quotes (or long sentences) quadratic.
    """

    def __init__(self, text: str) -> None:
        self.positions = [m.start() for m in re.finditer('"', text)] if '"' in text else []

    def count(self, lo: int, hi: int) -> int:
        """How many ``"`` lie in ``text[lo:hi]``."""
        if not self.positions:
            return 0
        return bisect.bisect_left(self.positions, hi) - bisect.bisect_left(self.positions, lo)


def _mask(text: str) -> str:
    """A same-length copy of ``text`` that steers pySBD away from its known faults."""
    out = text.replace("\n", " ").replace("\r", " ")
    out = _DOUBLE_DASH.sub("––", out)
    if "@" in out or "www." in out or "://" in out:
        chars = list(out)
        for m in _URL.finditer(out):
            for i in range(m.start(), m.end()):
                if chars[i] in ".!?":
                    chars[i] = "_"
        out = "".join(chars)
    return out


def _pre_split(text: str, masked: str, lang: str) -> Iterable[tuple[int, int, bool]]:
    """Yield ``(start, end, ambiguous)`` stretches between certain sentence boundaries."""
    abbreviations = _abbreviations(lang)
    lo = 0
    for m in _SURE.finditer(masked):
        word = m.group(1)
        # "!" and "?" end a sentence after any word ("Marvelous! And"); "." only after a lowercase
        # non-abbreviation (in Russian also a capitalised one), since "Smith. He" and "Mr. Smith"
        # look alike.
        if m.group(2) == "." and (
            not _ends_sentence_before_period(word, lang) or word.lower() in abbreviations
        ):
            continue
        hi = m.end()
        yield lo, hi, _needs_pysbd(text, masked, lo, m.start(2), lang)
        lo = hi
    yield lo, len(masked), _needs_pysbd(text, masked, lo, len(masked), lang)


def _ends_sentence_before_period(word: str, lang: str) -> bool:
    """Whether ``word.`` before a letter surely ends a sentence (abbreviations aside).

    A lowercase word does.  In Russian a capitalised word or an acronym does too ("Лимонов. Но",
    "РФ. Ф. 3"), unless it has no vowel (an abbreviated name: "Дж. Филлипс"); in English and
    German a capitalised word is as often an abbreviation ("Gen.", "Vgl.") and pySBD decides.
    """
    if word.islower():
        return True
    return lang == "ru" and _RU_VOWEL.search(word) is not None


def _needs_pysbd(text: str, masked: str, lo: int, hi: int, lang: str) -> bool:
    """Whether pySBD's opinion can change a boundary in ``masked[lo:hi]``.

    Not when the stretch has no sentence punctuation followed by more text, nor when every
    such place is one the corrections join whatever pySBD says (``т. Молотова``, ``А. Б.
    Иванов``, a lowercase word after it) and pySBD has nowhere else to split: a run of initials
    or abbreviations then costs no pySBD call at all.
    """
    piece = masked[lo:hi].rstrip()
    if _LIST_ITEM.search(piece, 1):
        return True
    candidates = [m for m in _CANDIDATE.finditer(piece) if m.end() < len(piece)]
    if not candidates:
        return False
    if _OTHER_PYSBD_SPLIT.search(piece):
        return True
    for m in candidates:
        b = lo + m.end()
        while text[b].isspace():
            b += 1
        # A '"' may open the next sentence rather than close this one: that depends on counting.
        if '"' in m.group(0) or not _always_glued(text, b, lang):
            return True
    return False


def _always_glued(text: str, b: int, lang: str) -> bool:
    """Whether :func:`_glued` joins the sentence starting at ``b`` whatever sentence precedes it.

    :func:`_glued` reads the sentence before only through its last token, last character and
    last 12 or 16 characters; a shorter sentence (a later ``prev``, always at a token start)
    changes nothing there except through the Russian year and "и т. д." rules, which are left to
    pySBD and the full check.
    """
    if lang == "ru":
        e = b
        while e > 0 and text[e - 1].isspace():
            e -= 1
        if _ru_date_or_etc(text, 0, e) and (
            _RU_ETC_END.search(text[max(0, e - 16) : e]) or _RU_YEAR_END.search(text[max(0, e - 12) : e])
        ):
            return False
    return _glued(text, 0, b, lang)


def _ru_date_or_etc(text: str, prev: int, e: int) -> bool:
    """Whether ``text[prev:e]`` may end with ``1940 г.`` or ``и т. д.`` (both end in г/в/д/п/р + ".")."""
    return e - 2 >= prev and text[e - 1] == "." and text[e - 2] in "гвдпр"


def _pysbd_starts(masked: str, lo: int, hi: int, lang: str) -> list[int]:
    """Sentence starts pySBD finds in ``masked[lo:hi]``, as offsets into the whole text.

    pySBD never sees more than :data:`WINDOW` characters at once.  A longer stretch is taken in
    overlapping windows, and a start is taken only from a window that has at least
    :data:`CONTEXT` characters of text on both sides of it (or the stretch's own edge): pySBD's
    rules look a few characters around a break, so each break is decided as one call would
    decide it.  What reaches further is a quotation or a bracket, so a window begins just after
    sentence punctuation where everything opened since the previous window's start is closed
    (see :func:`_resume_point`).  Every character goes to pySBD about 1.3 times.
    """
    out: list[int] = []
    pos = keep = lo
    while True:
        end = _window_end(masked, pos, hi)
        found = _starts_in(masked, pos, end, lang)
        if end >= hi:
            out.extend(s for s in found if s >= keep)
            return out
        limit = end - CONTEXT
        out.extend(s for s in found if keep <= s < limit)
        keep = limit
        pos = _resume_point(masked, pos, limit)


def _resume_point(masked: str, pos: int, limit: int) -> int:
    """Where the window after ``masked[pos:...]`` begins: at least :data:`CONTEXT` before ``limit``.

    Preferably just after sentence punctuation, with every quotation and bracket opened since
    ``pos`` closed: pySBD then reads the text from there as it would in one call, brackets
    included.  Otherwise at a space.
    """
    lo, hi = pos + WINDOW // 4, limit - CONTEXT
    marks = [(m.start(), m.group()) for m in _PAIRED.finditer(masked, pos, hi)]
    depth = {"«": 0, "(": 0, "[": 0, '"': 0, "“": 0}
    best = None
    k = 0
    for m in _CANDIDATE.finditer(masked, lo, hi):
        while k < len(marks) and marks[k][0] < m.end():
            opener, step = _PAIRS[marks[k][1]]
            depth[opener] += step
            k += 1
        if not any(depth[c] for c in "«([") and depth['"'] % 2 == 0 and depth["“"] % 2 == 0:
            best = m.end()
    return best if best is not None else _space_before(masked, lo, hi)


# Quotation marks and brackets: what each counts for.  "…" and „…“ / “…” pair up whichever way
# round a language writes them, so they are counted and an even count is taken as closed.
_PAIRS = {"«": ("«", 1), "»": ("«", -1), "(": ("(", 1), ")": ("(", -1), "[": ("[", 1), "]": ("[", -1),
          '"': ('"', 1), "“": ("“", 1), "”": ("“", 1), "„": ("“", 1)}  # fmt: skip
_PAIRED = re.compile(r'[«»()\[\]"“”„]')


def _window_end(masked: str, pos: int, hi: int) -> int:
    """Where a window starting at ``pos`` ends: ``hi``, or a space before ``pos + WINDOW``."""
    if hi - pos <= WINDOW:
        return hi
    return _space_before(masked, pos + WINDOW // 2, pos + WINDOW)


def _space_before(masked: str, lo: int, hi: int) -> int:
    """The last space in ``masked[lo:hi]``, or ``hi`` when there is none (one very long token)."""
    space = masked.rfind(" ", lo, hi)
    return space if space > lo else hi


def _starts_in(masked: str, lo: int, hi: int, lang: str) -> list[int]:
    """Sentence starts pySBD finds in ``masked[lo:hi]`` in one call, as offsets into the whole text."""
    piece = masked[lo:hi]
    # Processor.process() is what Segmenter.segment() runs; segment() then spends a third of
    # its time compiling one regex per sentence just to find offsets, which we do with find().
    out: list[int] = []
    pos = 0
    for sentence in pysbd_linear.sentences(piece, lang):
        sentence = sentence.strip()
        if not sentence:
            continue
        found = piece.find(sentence, pos)
        if found < 0:
            continue
        out.append(lo + found)
        pos = found + len(sentence)
    return out


def _extra_starts(text: str, lang: str, quotes: _Quotes) -> Iterable[int]:
    """Boundaries pySBD misses: ``?!``/``!!``/``!..``/``...`` and Russian ``1940 г.`` before a capital."""
    for m in _MULTI_BANG.finditer(text):
        mark = m.group(0).strip()
        # "?!", "!!!" end a sentence even before a lowercase word ("VERY CONCERNED!!! plz ...");
        # "!.." and "..." only before a capital.
        if not _capital_at(text, m.end()) and not re.fullmatch(r"[!?]+\W*", mark):
            continue
        # An English ellipsis is as often a pause as an end; pySBD's own rules decide there.
        if lang == "en" and mark.rstrip("\"'»”’)").endswith(("...", "…")):
            continue
        yield m.end()
    for m in _SMILEY_END.finditer(text):
        mark = m.group(1)
        smiley = mark[0] in ":;=" or len(mark) > 1
        # After a word, not a list label ("1)", "a)", "2.)").
        word = _WORD_BEFORE_BRACKET.search(text, max(0, m.start() - 3), m.start()) is not None
        if word and _capital_at(text, m.end()) and (smiley or _closes_nothing(text, m.start())):
            yield m.end()
    yield from _social_starts(text)
    if lang == "ru":
        yield from (m.end() for m in _RU_GLUED_END.finditer(text))
    if "(" in text:
        opens = [m.start() for m in re.finditer(r"\(", text)]
        closes = [m.start() for m in re.finditer(r"\)", text)]
        stops = [m.start() for m in re.finditer(r"[.!?…\n]", text)]
        for m in _SAD_SMILEY_END.finditer(text):
            if _opens_nothing(closes, stops, m.start()) and _capital_at(text, m.end()):
                yield m.end()
    if ")" in text:
        opens = [m.start() for m in re.finditer(r"\(", text)]
        closes = [m.start() for m in re.finditer(r"\)", text)]
        for m in _BRACKETED_END.finditer(text):
            if _opens_sentence(text, opens, closes, m.start() + 1) and _capital_at(text, m.end()):
                yield m.end()
    for m in _QUOTE_END.finditer(text):
        # A quotation that ends with its own full stop before a capital ends the sentence; a
        # pre-split inside the quotes can hide this from pySBD, which pairs the quotes itself.
        if _capital_at(text, m.end()) and (m.group(1) != '"' or quotes.count(0, m.start(1)) % 2 == 1):
            yield m.end()
    if lang == "ru":
        for m in _RU_UNIT_END.finditer(text):
            yield m.end()
        for m in re.finditer(r"(?:гг?|вв?|т\.\s*[дп]|др|пр)\.\s+(?=[«\"„]?[А-ЯЁA-Z])", text):
            end = m.start() + len(m.group(0).rstrip())
            head = text[max(0, m.start() - 12) : end]
            if _RU_ETC_END.search(head) or (
                _RU_YEAR_END.search(head) and _ru_year_ends_sentence(text, 0, end)
            ):
                yield m.end()


def _social_starts(text: str) -> Iterable[int]:
    """Sentence starts that emoji, ``@name`` replies and hashtags mark in social-media text.

    Each scan moves forward over emoji and whitespace only, and each stretch of those is read by
    at most two of them, so the cost is linear.
    """
    n = len(text)
    if not _ASCII_ONLY.match(text):
        first = _skip_space(text, 0)
        for m in _EMOJI_RUN.finditer(text):
            k = _skip_space(text, m.end())
            if k == m.end() or k >= n or m.start() <= first:
                continue
            if _EMOJI.match(text, k):
                # Another emoji follows: it decides, unless it is glued to a word that opens a sentence.
                r = _EMOJI_RUN.match(text, k)
                assert r is not None
                if r.end() < n and not text[r.end()].isspace() and _capital_at(text, r.end()):
                    yield k
                continue
            if _capital_at(text, k):
                yield k
    if "@" in text:
        for m in _MENTION.finditer(text):
            if _mention_opens(text, m.start(), m.end()):
                yield m.start()
    if "#" in text:
        for m in _HASHTAG_END.finditer(text):
            tag = m.group(0)
            has_letter = any(c.isalpha() for c in tag)
            if m.end() < n and has_letter and _capital_at(text, _skip_emoji(text, m.end())):
                yield m.end()


_ASCII_ONLY = re.compile(r"[\x00-\x7f]*+\Z")


def _skip_space(text: str, i: int) -> int:
    """The first non-whitespace offset at or after ``i``."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def _skip_emoji(text: str, i: int) -> int:
    """The offset after the emoji glued to the front of the word at ``i``, or after an ASCII emoticon
    standing alone there (``i`` if there are none)."""
    m = _EMOJI_RUN.match(text, i) or _EMOTICON_TOKEN.match(text, i)
    return m.end() if m else i


def _mention_opens(text: str, start: int, end: int) -> bool:
    """Whether the ``@name`` at ``text[start:end]`` opens a sentence: a reply that says something.

    Not after a comma or an opening mark, nor after a preposition or conjunction; and a letter
    must follow it (after emoji), or it is a signature or a tag.
    """
    before = start - 1
    while before >= 0 and text[before].isspace():
        before -= 1
    if before < 0 or text[before] in ",;:(«\"'„“‘/&+—–-":
        return False
    k = _skip_space(text, end)
    if k == end:
        return False
    while True:
        e = _skip_emoji(text, k)
        if e == k:
            break
        k = _skip_space(text, e)
    if k >= len(text) or not text[k].isalpha():
        return False
    if not text[before].isalnum():
        # After sentence punctuation, a bracket or an emoji.
        return True
    # After a word the name may be an object ("написать абоненту @MerPolCC в Твиттере"): only a
    # capital after it shows a new sentence, and never after a preposition or conjunction.
    t = before
    while t > 0 and not text[t - 1].isspace():
        t -= 1
    return text[k].isupper() and text[t : before + 1].lower() not in _MENTION_GLUE


def _opens_nothing(closes: list[int], stops: list[int], i: int) -> bool:
    """Whether the "(" at ``i`` is closed by no ")" before the next sentence punctuation (or line)."""
    j = bisect.bisect_right(closes, i)
    k = bisect.bisect_right(stops, i)
    return j == len(closes) or (k < len(stops) and stops[k] < closes[j])


def _opens_sentence(text: str, opens: list[int], closes: list[int], close: int) -> bool:
    """Whether the ``)`` at ``close`` closes a ``(`` that opens a whole sentence (a capital after it).

    ``opens`` and ``closes`` are the offsets of all brackets, so finding the pair costs log time.
    """
    i = bisect.bisect_left(opens, close) - 1
    if i < 0:
        return False
    o = opens[i]
    j = bisect.bisect_left(closes, close) - 1
    if (j >= 0 and closes[j] > o) or o + 1 >= close:
        return False
    m = _LOWER_START.match(text, o + 1)
    return m is not None and m.group(0)[-1].isupper() and m.end() <= close


def _closes_nothing(text: str, i: int) -> bool:
    """Whether the ")" at ``i`` closes no "(" since the last sentence punctuation (or line) before it."""
    lo = max(text.rfind(c, 0, i) for c in ".!?…\n")
    return text.count("(", lo + 1, i) <= text.count(")", lo + 1, i)


def _capital_at(text: str, i: int) -> bool:
    """Whether the first letter at ``i``, after opening quotes, is a capital."""
    m = _LOWER_START.match(text, i)
    return m is not None and m.group(0)[-1].isupper()


def _ru_year_ends_sentence(text: str, lo: int, end: int) -> bool:
    """Whether ``... 1940 г.`` ending ``text[lo:end]`` closes a sentence when a capital follows.

    Not when the date is all there is ("В 2010-2012 гг. Виктор посещал ...") or when it
    is an appended date after a comma ("Дом, где родился Л.Н.Толстой, 1898 г. В 1854 ...").
    Only the text since the last ``.``/``!``/``?`` is read, so the cost is that sentence's length.
    """
    last = text.rfind(".", lo, end - 1)
    for stop in ("!", "?"):
        last = max(last, text.rfind(stop, max(lo, last), end - 1))
    sentence = text[max(lo, last + 1) : end]
    if len(sentence.split(None, 4)) < 4:
        return False
    # The date is at the end: its last 64 characters hold it (a longer run of digits is no date).
    m = re.search(r"(,\s*)?(?:\d[\d\s–—-]*|[IVXLC]+\s*)(?:гг?|вв?)\.$", sentence[-64:])
    return m is not None and m.group(1) is None


def _correct(text: str, bounds: list[int], lang: str, quotes: _Quotes) -> list[int]:
    """Move or drop boundaries that split a sentence in the wrong place."""
    out: list[int] = []
    prev = 0
    for bound in bounds:
        b = _past_closers(text, prev, bound, quotes)
        if b is not None and lang in _CASED:
            b = _past_emoji(text, b)
        if b is None or b <= prev or _glued(text, prev, b, lang):
            continue
        out.append(b)
        prev = b
    return out


def _past_closers(text: str, prev: int, b: int, quotes: _Quotes) -> int | None:
    """Move a boundary past punctuation that closes the previous sentence (``!`` + ``..``, ``»``).

    Returns ``None`` when nothing but closing punctuation follows.
    """
    i = b
    n = len(text)
    if text.startswith(". .", b):
        # A spaced ellipsis ". . . The practice" opens the sentence it stands before.
        return b
    while i < n and (text[i] in _CLOSERS or (text[i] == '"' and quotes.count(prev, i) % 2 == 1)):
        i += 1
    if i == b:
        return b
    while i < n and text[i].isspace():
        i += 1
    return i if i < n else None


def _past_emoji(text: str, b: int) -> int | None:
    """Move a boundary past emoji that close the previous sentence ("красиво! 😍😍 | Зато").

    Emoji followed by a space belong to the sentence before them; the first one glued to a word
    opens that word's sentence.  Before a lowercase word the boundary stays where it was (the
    word alone would be joined to the sentence before); with nothing but emoji after it, there is
    no boundary (``None``).
    """
    k = b
    while True:
        e = _skip_emoji(text, k)
        if e == k:
            break
        s = _skip_space(text, e)
        if s == e:
            return k
        k = s
    if k == b:
        return b
    if k >= len(text):
        return None
    m = _LOWER_START.match(text, k)
    return b if m is not None and m.group(0)[-1].islower() else k


def _glued(text: str, prev: int, b: int, lang: str) -> bool:
    """Whether the sentence starting at ``b`` must be joined to the one before it.

    The sentence before is ``text[prev:e]`` (``e`` drops the whitespace before ``b``).  Every
    rule reads only its end: its last character, its last 12 or 16 characters, or its last
    token, so the cost does not grow with the length of the sentence.
    """
    if lang in _CASED and not text[b - 1].isspace():
        # No space before: "burn it..thats", "asp?ArticleID" are not sentence starts; in Russian
        # "Супер!Всем", "Ну...Грустно" are.
        return not (lang == "ru" and _RU_GLUED_END.match(text, _mark_start(text, prev, b)) is not None)
    e = b
    while e > prev and text[e - 1].isspace():
        e -= 1
    t = e
    while t > prev and not text[t - 1].isspace():
        t -= 1
    # The last token; a regex anchored with "^" on it sees the token start where the sentence's
    # own regex would see whitespace (or the sentence start).
    token = text[t:e]
    m = _LOWER_START.match(text, b)
    if (
        m
        and m.group(0)[-1].islower()
        and (text.endswith((".", "!", "?"), prev, e) or not _LIST_ITEM.match(text, b - 1))
    ):
        if lang != "en" or m.group(0).lstrip()[:1] in "—–-" or text.endswith("..", prev, e):
            return True
        # Informal English starts sentences in lowercase ("i was too tired."); join only after
        # an abbreviation ("on Sat. you said", "10 a. m.").
        last = _LAST_WORD.search(token)
        if last and last.group(2) == "!":
            # A name with an exclamation mark: "She works at Yahoo! in the accounting department."
            return last.group(1)[0].isupper() and last.group(1)[1:].islower()
        if last and (len(last.group(1)) == 1 or last.group(1).lower() in _abbreviations(lang)):
            return True
    if lang in _CASED and e - prev <= 4 and _BARE_LABEL.fullmatch(text, prev, e):
        # "... день! 2. Следом за ней": a list label opens the sentence after it (pySBD cuts it off
        # after "!" or "?").
        return True
    if not text.endswith(".", prev, e):
        return False
    if (
        lang == "ru"
        and text[b] in "ФОДЛПТС"
        and _ARCHIVAL_NEXT.match(text, b)
        and _archival_item_ends(text, prev, e)
    ):
        # "Ф. 3. Оп. 64. Д. 675. Л. 31–41." is one reference, as with commas ("Ф. 3, Оп. 64, ...").
        return True
    if lang == "ru" and e - prev < 16 and _HEADING_LABEL.fullmatch(text, prev, e):
        # "IV. Гестационный ...", "§2. Нахождение ...", "8.1. Зачем ...": a label, not a sentence.
        return True
    # (The character tests before each regex are what it needs at the end; they save the call.)
    word_m = _WORD_BEFORE_PERIOD.search(token) if len(token) > 1 and token[-2].isalnum() else None
    if word_m is None:
        return lang == "de" and text[b] == ")"
    word = word_m.group(1)
    low = word.lower()
    nxt = text[b]
    if lang == "ru":
        if _ru_date_or_etc(text, prev, e):
            if _RU_ETC_END.search(text[max(prev, e - 16) : e]):
                return False
            if _RU_YEAR_END.search(text[max(prev, e - 12) : e]):
                return not _ru_year_ends_sentence(text, prev, e)
        if nxt.isdigit() and _LETTER_ABBREVIATIONS.search(text[max(prev, e - 8) : e]):
            # "т. е. 55 %": single-letter abbreviations in a row go on before a number (but "6,188
            # а. е. В октябре" ends; "и т. д." is above).
            return True
        if nxt.isupper() and _RU_UNIT_TAIL.search(text, max(prev, e - 8), e):
            # "5 мин. Потом": minutes, not "мин. Иванов" (a minister).
            return False
        # Initials: "В.М. Молотов", "И. В. Сталин", "А. Гитлер", "Дж. Филлипс" -- but not "классу S. В ...".
        initials = _INITIALS.search(token) if token[-2].isalpha() else None
        if initials and nxt.isupper() and _script(initials.group(1)[-1]) == _script(nxt):
            return True
    if lang == "de" and len(word) == 1 and word.isupper() and nxt.isupper():
        return True
    return low in _NO_END.get(lang, frozenset()) and (nxt.isupper() or nxt.isdigit())


def _mark_start(text: str, prev: int, b: int) -> int:
    """Where the run of "!", "?", "." and "…" that ends just before ``b`` begins (not before ``prev``)."""
    i = b
    while i > prev and text[i - 1] in "!?.…":
        i -= 1
    return i


def _archival_item_ends(text: str, prev: int, e: int) -> bool:
    """Whether ``text[prev:e]`` ends with an archival item such as ``Оп. 64.`` or ``Л. 31–41.``.

    Its unit is one that never ends a sentence before a number (``_NO_END``), so no boundary
    falls inside the item: the answer is the same for any earlier ``prev``.
    """
    lo = max(prev, e - 32)
    m = _ARCHIVAL_ITEM_END.search(text, lo, e)
    return m is not None and (
        m.start() == prev or text[m.start() - 1].isspace() or text[m.start() - 1] in "(,;"
    )


def _script(ch: str) -> str:
    """A coarse script label: Cyrillic or Latin (enough to tell an initial from a code)."""
    return "cyrillic" if "\u0400" <= ch <= "\u04ff" else "latin"


def _spans(text: str, bounds: list[int]) -> list[tuple[int, int]]:
    """Trimmed, non-empty spans between consecutive boundaries.

    A span without a letter or digit (a leading "...", a stray "—", a lone "»") is no sentence:
    it joins the next span, or the previous one at the end of the text.
    """
    spans: list[tuple[int, int]] = []
    edges = [0, *bounds, len(text)]
    pending: int | None = None  # start of punctuation waiting for the next sentence
    for lo, hi in zip(edges, edges[1:], strict=False):
        start, end = _trim(text, lo, hi)
        if start >= end:
            continue
        if _ALNUM.search(text, start, end) is None:
            if pending is None:
                pending = start
            continue
        spans.append((pending if pending is not None else start, end))
        pending = None
    if pending is not None:
        end = _trim(text, pending, len(text))[1]
        if spans:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((pending, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
