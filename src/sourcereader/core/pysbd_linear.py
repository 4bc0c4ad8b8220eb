"""pySBD 0.3.4's sentence splitting, returning the same sentences in time linear in the input.

Two of pySBD's steps cost more than they need to, and both are replaced here by steps that give
identical output (``tests/unit/test_pysbd_linear.py`` checks this against pySBD itself):

* The abbreviation pass (``AbbreviationReplacer.search_for_abbreviations_in_string``) finds every
  occurrence of an abbreviation at a word start ("д" matches every Russian word that begins
  with д) and, for each occurrence, rewrites the *whole* text with the same substitution: cost
  grows with occurrences times length, quadratically.  Each substitution only turns a ``.``
  into ``∯`` where its pattern matches, and such a substitution is idempotent and commutes with
  the other spellings of the same abbreviation ("Mr", "MR"), so running it once per distinct
  spelling gives the same text.
* The per-sentence post-processing (``Processor.split_into_segments``) runs some twenty-five
  regular-expression substitutions on every sentence, most of them for placeholder symbols the
  sentence does not contain; on text dense with short sentences this is most of pySBD's time.
  Here a rule whose pattern is a plain literal is skipped when the literal is absent, and
  patterns are compiled once.

The remaining steps of pySBD are still super-linear on some inputs (quotes and brackets that
never close are re-scanned from every opening), so callers keep the pieces they pass bounded.
Only ru, en and de use this path (their rules were checked); other languages run stock pySBD.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import pysbd
from pysbd.abbreviation_replacer import AbbreviationReplacer
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.processor import Processor
from pysbd.utils import Text

#: Languages whose pySBD rules this module was checked against.
LINEAR_LANGUAGES = frozenset({"ru", "en", "de"})

_REGEX_SYNTAX = frozenset(".^$*+?{}[]\\|()")

#: One rule, ready to run: the literal its pattern is (None for a real regex), the compiled
#: pattern, and the replacement.
_Step = tuple[str | None, re.Pattern[str], str]


@dataclass(frozen=True)
class _Plan:
    """A sequence of pySBD rules compiled once; ``trigger`` finds any of them when all are literals."""

    steps: tuple[_Step, ...]
    trigger: re.Pattern[str] | None


def _plan(rules: Any) -> _Plan:
    steps: list[_Step] = []
    for rule in rules:
        pattern = rule.pattern
        if pattern == r"\n":
            literal: str | None = "\n"
        elif any(c in _REGEX_SYNTAX for c in pattern):
            literal = None
        else:
            literal = pattern
        steps.append((literal, re.compile(pattern), rule.replacement))
    literals = [literal for literal, _, _ in steps]
    trigger = None
    if all(literal is not None for literal in literals):
        trigger = re.compile("|".join(re.escape(literal) for literal in literals if literal is not None))
    return _Plan(tuple(steps), trigger)


def _apply(text: str, plan: _Plan) -> str:
    """``pysbd.utils.Text(text).apply(*rules)``, skipping the rules that cannot match."""
    if plan.trigger is not None and plan.trigger.search(text) is None:
        return text
    for literal, regex, replacement in plan.steps:
        if literal is None:
            text = regex.sub(replacement, text)
        elif literal in text:
            # A literal pattern and a replacement without backslashes: str.replace does the same.
            text = (
                text.replace(literal, replacement)
                if "\\" not in replacement
                else regex.sub(replacement, text)
            )
    return text


# Characters that re.IGNORECASE matches to an ASCII letter while str.lower() does not ("ſ" ~ "s",
# "ı" and "İ" ~ "i", the Kelvin sign ~ "k"): with one of them in the text, the quick test below
# could miss a spelling that pySBD's own search finds, so the text takes pySBD's full path.
_CASE_EXOTIC = ("ſ", "ı", "İ", "\u212a")
# A word (as pySBD's abbreviation patterns see one: after whitespace or at the start) followed by ".".
_WORD_BEFORE_PERIOD = re.compile(r"(?:^|(?<=\s))([^\s.]+)(?=\.)")


@functools.lru_cache(maxsize=8)
def _abbreviation_list(module: Any) -> tuple[tuple[str, str, bool], ...]:
    """A language's abbreviations in pySBD's order: stripped, lowercased, and whether a literal."""
    out = []
    for abbr in module.Abbreviation.ABBREVIATIONS:
        stripped = abbr.strip()
        out.append((stripped, stripped.lower(), not any(c in _REGEX_SYNTAX for c in stripped)))
    return tuple(out)


def _search_for_abbreviations(self: Any, text: str) -> str:
    """``AbbreviationReplacer.search_for_abbreviations_in_string``, one substitution per spelling.

    pySBD calls ``scan_for_replacements`` once per occurrence; every call with the same
    occurrence text and the same following character makes the same substitution, and a
    repeated substitution changes nothing, so only the first such call is made.  Every
    substitution turns a ``.`` that directly follows the abbreviation (after whitespace) into
    ``∯``; an abbreviation that is never written so is skipped before pySBD's slow
    case-insensitive search.
    """
    lowered = text.lower()
    # The substitutions only turn "." into "∯", so ``lowered`` keeps every other character's place.
    quick = len(lowered) == len(text) and not any(c in text for c in _CASE_EXOTIC)
    before_period = set(_WORD_BEFORE_PERIOD.findall(lowered)) if quick else set()
    for stripped, low, literal in _abbreviation_list(self.lang):
        if stripped not in lowered:
            continue
        if quick and literal and low not in before_period:
            continue
        if quick and literal:
            abbrev_match = _word_starts(text, lowered, low)
        else:
            # pySBD's own pattern, unescaped as in pySBD (a "." in "y.e" matches any character).
            abbrev_match = re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.IGNORECASE)  # noqa: UP032
        if not abbrev_match:
            continue
        # pySBD looks for the literal text "{abbr} " here (its braces are not a quantifier).
        next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
        char_array = re.findall(next_word_start, text) if "{" in text else []
        done: set[tuple[str, str]] = set()
        for ind, match in enumerate(abbrev_match):
            key = (match, char_array[ind] if ind < len(char_array) else "")
            if key in done:
                continue
            done.add(key)
            text = self.scan_for_replacements(text, match, ind, char_array)
    return text


def _period_after(txt: str, before: str, after: str = "", pad: bool = False) -> str:
    r"""``re.sub("(?<=" + before + r")\." + after, "∯", txt)`` with the period matched first.

    pySBD writes these substitutions with the look-behind first, which makes the regex engine
    test it at every position; matching the ``.`` first and looking behind it (the same
    condition, one character later) lets the engine jump from period to period.  ``pad`` is
    pySBD's trick of prefixing a space so that ``\s`` also matches at the start.
    """
    if pad:
        txt = " " + txt
    txt = re.sub(r"\.(?<=" + before + r"\.)" + after, "∯", txt)
    return txt[1:] if pad else txt


def _standard_scan_for_replacements(self: Any, txt: str, am: str, ind: int, char_array: list[str]) -> str:
    """``AbbreviationReplacer.scan_for_replacements`` and what it calls, via :func:`_period_after`."""
    char = char_array[ind] if ind < len(char_array) else ""
    prepositive = self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS
    number_abbr = self.lang.Abbreviation.NUMBER_ABBREVIATIONS
    key = am.strip().lower()
    if str(char).isupper() and key not in prepositive:
        return txt
    if key in prepositive:
        return _period_after(txt, r"\s" + am.strip(), r"(?=(\s|:\d+))", pad=True)
    if key in number_abbr:
        return _period_after(txt, r"\s" + am.strip(), r"(?=(\s\d|\s+\())", pad=True)
    after = r"(?=((\.|\:|-|\?|,)|(\s([a-z]|I\s|I'm|I'll|\d|\())))"
    return _period_after(txt, r"\s" + re.escape(am.strip()), after, pad=True)


def _russian_replace_period_of_abbr(self: Any, txt: str, abbr: str) -> str:
    """``Russian.AbbreviationReplacer.replace_period_of_abbr`` via :func:`_period_after`."""
    stripped = abbr.strip()
    for anchor in (r"\s", r"\A", "^"):
        txt = _period_after(txt, anchor + stripped)
    return txt


def _deutsch_scan_for_replacements(self: Any, txt: str, am: str, ind: int, char_array: list[str]) -> str:
    """``Deutsch.AbbreviationReplacer.scan_for_replacements`` via :func:`_period_after`."""
    return _period_after(txt, am, r"(?=\s)")


def _word_starts(text: str, lowered: str, word: str) -> list[str]:
    r"""``re.findall(r"(?:^|\s)" + word, text, flags=re.IGNORECASE)`` for a literal lowercase ``word``
    without whitespace, given ``lowered = text.lower()`` of the same length as ``text``.

    Each occurrence of ``word`` in ``lowered`` at the start or after whitespace is a match (two
    such matches cannot overlap, as ``word`` holds no whitespace), returned as pySBD gets it:
    the text's own spelling, with the whitespace before it.
    """
    out: list[str] = []
    i = lowered.find(word)
    while i >= 0:
        if i == 0:
            out.append(text[: len(word)])
        elif lowered[i - 1].isspace():
            out.append(text[i - 1 : i + len(word)])
        i = lowered.find(word, i + 1)
    return out


class _LinearListItemReplacer(ListItemReplacer):  # type: ignore[misc]
    """pySBD's list-item pass, skipping each kind of list the text has no marker for.

    Each scan starts with a ``findall`` whose every match needs the marker below; without one,
    pySBD's loop runs over an empty list and leaves the text as it was.
    """

    def iterate_alphabet_array(self, regex: str, parens: bool = False, roman_numeral: bool = False) -> Any:
        if parens:
            if _ALPHA_PAREN_MARKER.search(self.text) is None:
                return self.text
        # A lowercase letter alone before a period, at the start or after whitespace: "a." in "a. b.".
        elif not any(
            m.start() == 0 or self.text[m.start() - 1].isspace()
            for m in _ALPHA_PERIOD_MARKER.finditer(self.text)
        ):
            return self.text
        return super().iterate_alphabet_array(regex, parens=parens, roman_numeral=roman_numeral)

    def scan_lists(self, regex1: str, regex2: str, replacement: str, strip: bool = False) -> Any:
        # pySBD changes the text only for two neighbouring list numbers n, n + 1 (or 9 and 0).
        # Every number its regex finds is also found, with the same value, by the looser
        # pattern below; without two such values among those, nothing would change.
        looser = _NUMBER_PAREN_MARKER if regex1 == self.NUMBERED_LIST_PARENS_REGEX else _NUMBER_PERIOD_MARKER
        values = {int(m.group()) for m in looser.finditer(self.text)}
        if not any(v + 1 in values for v in values) and not {0, 9} <= values:
            return None
        return super().scan_lists(regex1, regex2, replacement, strip=strip)


_ALPHA_PERIOD_MARKER = re.compile(r"[a-z]\.")
_ALPHA_PAREN_MARKER = re.compile(r"[a-z]\)")
_NUMBER_PERIOD_MARKER = re.compile(r"\d{1,2}(?=\.[\s)])")
_NUMBER_PAREN_MARKER = re.compile(r"\d{1,2}(?=\)\s)")


def _process(self: Any) -> Any:
    """``Processor.process`` with :class:`_LinearListItemReplacer` in place of pySBD's."""
    if not self.text:
        return self.text
    self.text = self.text.replace("\n", "\r")
    self.text = _LinearListItemReplacer(self.text).add_line_break()
    self.replace_abbreviations()
    self.replace_numbers()
    self.replace_continuous_punctuation()
    self.replace_periods_before_numeric_references()
    self.text = Text(self.text).apply(
        self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule,
        self.lang.GeoLocationRule,
        self.lang.FileFormatRule,
    )
    return self.split_into_segments()


def _split_into_segments(self: Any) -> list[str]:
    """``Processor.split_into_segments`` with the per-sentence rules applied to all sentences at once.

    pySBD restores its placeholder symbols sentence by sentence.  Those rules are literal
    replacements, so on the sentences joined by a character that none of them (and no
    sentence) contains they do exactly the same, in one pass each.
    """
    plans: _Plans = self.plans
    self.check_for_parens_between_quotes()
    sents = self.rm_none_flatten(self.text.split("\r"))
    sents = [_apply(s, plans.ellipsis) for s in sents]
    sents = self.rm_none_flatten([self.check_for_punctuation(s) for s in sents])
    if not sents:
        return []
    joined = _SEPARATOR.join(sents)
    if joined.count(_SEPARATOR) != len(sents) - 1 or not plans.batched:
        restored = [_apply(_apply(s, plans.sub_symbols), plans.reinsert_ellipsis) for s in sents]
    else:
        restored = _apply(_apply(joined, plans.sub_symbols), plans.reinsert_ellipsis).split(_SEPARATOR)
    out: list[str] = []
    for sent in restored:
        # pySBD returns a sentence of only ASCII letters untouched; for such a sentence the
        # restoring rules, the quotation split and strip() below change nothing either.
        if plans.quotation_at_end.search(sent):
            out.extend(plans.split_quotation_at_end.split(sent))
        else:
            sent = sent.replace("\n", "").strip()
            if sent:
                out.append(sent)
    return [_apply(s, plans.single_quote) for s in out]


#: Joins sentences for the batched restoring rules: a character no placeholder contains.
_SEPARATOR = "\x00"


@dataclass(frozen=True)
class _Plans:
    """The rules ``split_into_segments`` runs, compiled once per language."""

    ellipsis: _Plan
    sub_symbols: _Plan
    single_quote: _Plan
    reinsert_ellipsis: _Plan
    quotation_at_end: re.Pattern[str]
    split_quotation_at_end: re.Pattern[str]
    batched: bool
    """Whether the restoring rules are all literals without the separator (they are in pySBD 0.3.4)."""

    @classmethod
    def of(cls, module: Any) -> _Plans:
        """The plans for a pySBD language module."""
        sub_symbols = _plan(module.SubSymbolsRules.All)
        reinsert_ellipsis = _plan(module.ReinsertEllipsisRules.All)
        steps = (*sub_symbols.steps, *reinsert_ellipsis.steps)
        return cls(
            ellipsis=_plan((module.SingleNewLineRule, *module.EllipsisRules.All)),
            sub_symbols=sub_symbols,
            single_quote=_plan((module.SubSingleQuoteRule,)),
            reinsert_ellipsis=reinsert_ellipsis,
            quotation_at_end=re.compile(module.QUOTATION_AT_END_OF_SENTENCE_REGEX),
            split_quotation_at_end=re.compile(module.SPLIT_SPACE_QUOTATION_AT_END_OF_SENTENCE_REGEX),
            batched=all(literal is not None and _SEPARATOR not in literal for literal, _, _ in steps),
        )


@functools.lru_cache(maxsize=8)
def _processor_class(lang: str) -> Any:
    """pySBD's processor for ``lang`` with the two linear steps in place of pySBD's."""
    module = pysbd.languages.Language.get_language_code(lang)
    replacer_base = getattr(module, "AbbreviationReplacer", AbbreviationReplacer)
    processor_base = getattr(module, "Processor", Processor)

    class LinearReplacer(replacer_base):  # type: ignore[misc,valid-type]
        search_for_abbreviations_in_string = _search_for_abbreviations

    # Each language's own substitutions (checked: ru overrides replace_period_of_abbr, de
    # overrides scan_for_replacements, en uses the standard ones).
    if lang == "ru":
        LinearReplacer.replace_period_of_abbr = _russian_replace_period_of_abbr
    elif lang == "de":
        LinearReplacer.scan_for_replacements = _deutsch_scan_for_replacements
    else:
        LinearReplacer.scan_for_replacements = _standard_scan_for_replacements

    class LinearProcessor(processor_base):  # type: ignore[misc,valid-type]
        plans = _Plans.of(module)
        process = _process
        split_into_segments = _split_into_segments

        def abbreviations_replacer(self) -> Any:
            return LinearReplacer(self.text, self.lang)

    return LinearProcessor


@functools.lru_cache(maxsize=32)
def _segmenter(lang: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=lang, clean=False)


def sentences(text: str, lang: str) -> list[str]:
    """The sentences pySBD 0.3.4 (``clean=False``) finds in ``text``, as its ``Processor`` returns them."""
    if lang in LINEAR_LANGUAGES:
        module = _segmenter(lang).language_module
        result = _processor_class(lang)(text, module).process()
    else:
        result = _segmenter(lang).processor(text).process()
    return list(result or [])


def language_module(lang: str) -> Any:
    """pySBD's language module for ``lang`` (its abbreviation lists)."""
    return _segmenter(lang).language_module
