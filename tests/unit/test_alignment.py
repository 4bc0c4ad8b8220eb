"""The sentence aligner: features, alignment behaviour, corrections and their persisted form."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcereader.core.alignment import features as af
from sourcereader.core.alignment import lexicon, params, search, sides
from sourcereader.core.alignment.aligner import align
from sourcereader.core.alignment.beads import (
    Bead,
    check_cover,
    mark_verified,
    merge_next,
    move_src,
    move_tgt,
    split_bead,
)
from sourcereader.core.alignment.corrections import Correction, corrections_from, remap_corrections

# ----------------------------------------------------------------------------- features
TRANSLIT_PAIRS = [
    ("Гитлер", "Hitler"),
    ("Молотов", "Molotov"),
    ("Болгария", "Bulgaria"),
    ("Дарданеллы", "Dardanelles"),
    ("Риббентроп", "Ribbentrop"),
    ("Черчилль", "Churchill"),
    ("Харьков", "Kharkov"),
    ("Германии", "Germany"),
    ("Expedition", "expédition"),
]


@pytest.mark.parametrize(("a", "b"), TRANSLIT_PAIRS)
def test_name_skeletons_meet_across_scripts(a: str, b: str) -> None:
    assert af.skeleton(a)[:4] == af.skeleton(b)[:4]


@pytest.mark.parametrize(("a", "b"), [("Молотов", "Hitler"), ("Берлин", "Moscow"), ("Sofia", "Ankara")])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert af.skeleton(a)[:4] != af.skeleton(b)[:4]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("In 1,000 cases on 13 November", ["#1000", "#13"]),
        ("В 1 000 случаев 13 ноября", ["#1000", "#13"]),
        ("Part II", ["#2"]),
        ("I think so, said I.", []),
    ],
)
def test_number_keys(text: str, keys: list[str]) -> None:
    assert af.number_keys(text) == keys


@pytest.mark.parametrize(
    ("text", "cont"), [("— сказал он.", True), ("— Что?", False), ("«и кровь»", True), ("Он ушёл.", False)]
)
def test_continuation(text: str, cont: bool) -> None:
    assert af.is_continuation(text) is cont


# ----------------------------------------------------------------------------- alignment
RU = [
    "Молотов прибыл в Берлин 12 ноября 1940 года.",
    "Его встретил Риббентроп на вокзале.",
    "— Что вы думаете о Болгарии? — спросил Гитлер.",
    "Молотов ответил, что вопрос о Дарданеллах важен для Советского Союза.",
    "Переговоры продолжались два дня.",
    "Утром 14 ноября делегация уехала в Москву.",
    "Результаты были скромными.",
    "Германия предложила присоединиться к пакту.",
    "Ответ был дан 25 ноября.",
]
EN = [
    "Molotov arrived in Berlin on 12 November 1940.",
    "He was met at the station by Ribbentrop.",
    '"What do you think of Bulgaria?" asked Hitler.',
    "Molotov replied that the question of the Dardanelles mattered to the Soviet Union.",
]


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("— Ну и ну!", 1),
        ("“Well!” thought Alice, “what a fall! I shall think nothing of stairs.”", 3),
        ("... Гитлер отвечает, что пакт важен.", 1),
        ("The Pool of Tears", 1),
    ],
)
def test_utterances(text: str, n: int) -> None:
    assert af.utterances(text) == n


def test_punctuation_only_line_joins_the_sentence_before_it() -> None:
    # pySBD cuts a closing quote off as a line of its own; translations never carry it alone.
    en = [*EN[:2], '"', *EN[2:]]
    beads = align(RU[:4], en, src_lang="ru", tgt_lang="en")
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]
    # ... unless a fixed bead puts a boundary between them.
    fixed = [Bead((2,), (2,), 1.0, True)]
    beads = align(RU[:4], en, src_lang="ru", tgt_lang="en", fixed=fixed)
    assert ((2,), (2,)) in {(b.src, b.tgt) for b in beads}
    check_cover(beads, 4, 5)


DIALOGUE_EN = [
    "Alice walked on through the wood for a long while.",
    "“Oh dear! What a day! I shall be late! The Queen will be angry! What shall I do?” cried the Rabbit.",
    "Then it ran off into the bushes and was gone.",
]
DIALOGUE_RU = [
    "Алиса долго шла через лес.",
    "— Ах, боже мой!",
    "Что за день!",
    "Я опоздаю!",
    "Королева рассердится!",
    "Что же мне делать?",
    "— закричал Кролик.",
    "Потом он убежал в кусты и исчез.",
]


def test_dialogue_cut_at_every_turn_becomes_one_long_bead() -> None:
    # Russian dash dialogue is cut at every utterance; the English quoted speech is one sentence.
    src = DIALOGUE_RU * 3
    tgt = DIALOGUE_EN * 3
    beads = align(src, tgt, src_lang="ru", tgt_lang="en")
    assert ((1, 2, 3, 4, 5, 6), (1,)) in {(b.src, b.tgt) for b in beads}


def test_partial_translation_gives_deletions_at_the_end() -> None:
    beads = align(RU, EN, src_lang="ru", tgt_lang="en")
    assert [(b.src, b.tgt) for b in beads[:4]] == [((i,), (i,)) for i in range(4)]
    assert [(b.src, b.tgt) for b in beads[4:]] == [((i,), ()) for i in range(4, 9)]
    assert min(b.confidence for b in beads[:4]) > 0.5


def test_merged_target_sentence_becomes_a_2_to_1_bead() -> None:
    en = [EN[0], EN[1] + " " + EN[2], EN[3]]
    beads = align(RU[:4], en, src_lang="ru", tgt_lang="en")
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


NAMES_RU = [
    "Гитлер говорил долго и громко о будущем Европы.",
    "Молотов в ответ спросил о Финляндии и о гарантиях для Румынии.",
    "Болгария ждала ответа с весны прошлого года.",
    "Турция тоже ждала ответа из Москвы.",
]
NAMES_EN = [
    "Hitler talked long and loudly about the future of Europe.",
    "In reply Molotov asked about Finland and guarantees for Romania.",
    "Bulgaria had been waiting for an answer since last spring.",
    "Turkey too was waiting for an answer from Moscow.",
]


@pytest.mark.parametrize(
    ("keep", "expect"),
    [
        ([0, 2, 3], [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]),
        ([0, 1, 3], [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]),
    ],
)
def test_names_decide_where_the_untranslated_sentence_goes(
    keep: list[int], expect: list[tuple[tuple[int, ...], tuple[int, ...]]]
) -> None:
    beads = align(NAMES_RU, [NAMES_EN[k] for k in keep], src_lang="ru", tgt_lang="en")
    assert [(b.src, b.tgt) for b in beads] == expect


def test_paragraph_breaks_anchor() -> None:
    src = ["Один.", "Два три четыре пять шесть семь восемь девять.", "Десять одиннадцать.", "Двенадцать."]
    tgt = ["One.", "Two three four five six seven eight nine.", "Ten eleven.", "Twelve."]
    # The target's first paragraph holds one sentence only; the source's holds two.
    plain = align(src, tgt, src_lang="ru", tgt_lang="en")
    assert [(b.src, b.tgt) for b in plain][0] == ((0,), (0,))
    anchored = align(src, tgt, src_lang="ru", tgt_lang="en", src_breaks={2}, tgt_breaks={2})
    assert ((2,), (2,)) in {(b.src, b.tgt) for b in anchored}


@pytest.mark.parametrize(("n", "m"), [(0, 0), (3, 0), (0, 4)])
def test_empty_sides(n: int, m: int) -> None:
    beads = align(["Раз."] * n, ["One."] * m, src_lang="ru", tgt_lang="en")
    check_cover(beads, n, m)
    assert all(not b.src or not b.tgt for b in beads)


def _links(beads: list[Bead]) -> set[tuple[int, int]]:
    return {(i, j) for b in beads for i in b.src for j in b.tgt}


@pytest.mark.parametrize("keep", [[0, 2, 3], [0, 1, 3], [1, 2, 3]])
def test_mt_decides_which_sentence_is_untranslated(keep: list[int]) -> None:
    # No names, equal lengths: only the words of the machine translation tell the sentences apart.
    src = [
        "Раз два три четыре.",
        "Пять шесть семь восемь.",
        "Девять десять один два.",
        "Три четыре пять шесть.",
    ]
    mt = ["apple river stone cloud.", "tiger lemon paper horse.", "window garden silver fox.",
          "candle forest music bread."]  # fmt: skip
    beads = align(src, [mt[k] for k in keep], src_lang="ru", tgt_lang="en", mt=mt)
    # The untranslated sentence may join a neighbour; every translated one is linked to its own.
    links = _links(beads)
    assert all((k, j) in links for j, k in enumerate(keep))
    assert len(links) <= 4


def test_fixed_beads_are_kept_and_verified() -> None:
    fixed = [Bead((1,), (2,), 0.3, True), Bead((4,), (), 0.3, True)]
    beads = align(RU[:6], EN, src_lang="ru", tgt_lang="en", fixed=fixed)
    check_cover(beads, 6, 4)
    got = {(b.src, b.tgt): b for b in beads}
    assert got[((1,), (2,))].verified and got[((4,), ())].verified
    assert all(not b.verified for k, b in got.items() if k not in {((1,), (2,)), ((4,), ())})


def test_crossing_fixed_beads_are_rejected() -> None:
    with pytest.raises(ValueError, match="cross"):
        align(RU[:4], EN, src_lang="ru", tgt_lang="en",
              fixed=[Bead((0,), (2,), 1.0, True), Bead((2,), (1,), 1.0, True)])  # fmt: skip


def test_mt_length_must_match() -> None:
    with pytest.raises(ValueError, match="mt"):
        align(RU[:2], EN[:2], src_lang="ru", tgt_lang="en", mt=["x"])


WORDS = st.text(alphabet="абвгдежзик мнопрст.?!", min_size=1, max_size=40)
EWORDS = st.text(alphabet="abcdefghik mnoprst.?!", min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(src=st.lists(WORDS, max_size=14), tgt=st.lists(EWORDS, max_size=14), data=st.data())
def test_cover_exactly_once_in_order_and_fixed_kept(
    src: list[str], tgt: list[str], data: st.DataObject
) -> None:
    fixed: list[Bead] = []
    if src and tgt:
        i = data.draw(st.integers(0, len(src) - 1))
        j = data.draw(st.integers(0, len(tgt) - 1))
        fixed.append(Bead((i,), (j,), 1.0, True))
    beads = align(src, tgt, src_lang="ru", tgt_lang="en", fixed=fixed)
    check_cover(beads, len(src), len(tgt))
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)
    for f in fixed:
        assert any(b.src == f.src and b.tgt == f.tgt and b.verified for b in beads)


# ----------------------------------------------------------------------------- corrections
BEADS = [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.4), Bead((3,), (2,), 0.8)]


def test_merge_next() -> None:
    out = merge_next(BEADS, 0)
    assert [(b.src, b.tgt, b.verified) for b in out] == [((0, 1, 2), (0, 1), True), ((3,), (2,), False)]
    assert BEADS[0].src == (0,)  # the input is untouched


def test_split_bead() -> None:
    out = split_bead(BEADS, 1, 1, 1)
    assert [(b.src, b.tgt) for b in out] == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]
    check_cover(out, 4, 3)
    with pytest.raises(ValueError):
        split_bead(BEADS, 1, 0, 0)


@pytest.mark.parametrize(
    ("fn", "k", "d", "expect"),
    [
        (move_src, 1, -1, [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,))]),
        (move_src, 1, +1, [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]),
        (move_tgt, 1, -1, [((0,), (0, 1)), ((1, 2), ()), ((3,), (2,))]),
        (move_tgt, 0, +1, [((0,), ()), ((1, 2), (0, 1)), ((3,), (2,))]),
    ],
)
def test_moves(fn: object, k: int, d: int, expect: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> None:
    out = fn(BEADS, k, d)  # type: ignore[operator]
    assert [(b.src, b.tgt) for b in out] == expect
    check_cover(out, 4, 3)


def test_move_out_of_range() -> None:
    with pytest.raises(IndexError):
        move_src(BEADS, 0, -1)


def test_mark_verified() -> None:
    out = mark_verified(BEADS, 1)
    assert out[1].verified and out[1].confidence == 1.0 and not BEADS[1].verified
    assert not mark_verified(out, 1, False)[1].verified


def test_corrections_survive_unrelated_edits_and_drop_on_own_edit() -> None:
    src = ["A one.", "B two.", "C three.", "D four."]
    tgt = ["a one.", "b two.", "c three.", "d four."]
    beads = [Bead((0,), (0,), 1.0), Bead((1,), (1,), 1.0, True), Bead((2,), (2,), 1.0),
             Bead((3,), (3,), 1.0, True)]  # fmt: skip
    stored = [Correction.from_json(c.to_json()) for c in corrections_from(beads, src, tgt)]
    # A sentence inserted at the start shifts indices; an edit to "D four." kills that bead only.
    new_src = ["New first.", *src[:3], "D four, edited."]
    kept, dropped = remap_corrections(stored, new_src, tgt)
    assert [(b.src, b.tgt) for b in kept] == [((2,), (1,))]
    assert len(dropped) == 1 and dropped[0].src_pos == 3


# ----------------------------------------------------------------------------- very unequal sizes
@pytest.mark.parametrize(("n", "m"), [(1, 3000), (2, 3000), (3000, 2), (3000, 1), (40, 2500)])
def test_very_unequal_sides_cover_without_crashing(n: int, m: int) -> None:
    # The band once could not connect (0, 0) to (n, m) when m / n exceeded its width: IndexError.
    src = ["Molotov asked a question.", "Hitler answered it.", *["A."] * max(0, n - 2)][:n]
    tgt = ["Molotov asked a question.", "Hitler answered it.", *["A."] * max(0, m - 2)][:m]
    beads = align(src, tgt, src_lang="en", tgt_lang="en")
    check_cover(beads, n, m)
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ('*)"Verzichtet" in Moscow Embassy draft.', True),
        ("Frames 112669-112670, serial 104", True),
        ("[3] See above.", True),
        ("Frame of mind is everything.", False),
        ("1) Provided that Japan renounces.", False),
        ("«Да», — сказал он.", False),
    ],
)
def test_apparatus_lines(text: str, note: bool) -> None:
    assert af.is_note(text) is note


def test_footnote_is_left_out_rather_than_paired() -> None:
    src = [*RU[:4], "Переговоры продолжались два дня."]
    tgt = [*EN, "*) Dardanelles: the Straits."]
    beads = align(src, tgt, src_lang="ru", tgt_lang="en")
    assert ((4,), (4,)) not in {(b.src, b.tgt) for b in beads}


@given(st.lists(st.floats(allow_infinity=False, width=64), min_size=1, max_size=40))
def test_median_is_numpys_to_the_bit(values: list[float]) -> None:
    import numpy as np

    x = np.array(values)
    with np.errstate(over="ignore"):  # two values near the float maximum: both overflow alike
        want = float(np.median(x))
        got = params.median(x)
    assert got == want or (np.isnan(got) and np.isnan(want))


def _long_pair() -> tuple[list[str], list[str]]:
    """Sixty sentence pairs with recurring words: enough confident beads for the lexicon passes."""
    ru = ["кот", "собака", "дом", "река", "лес", "город", "поле", "море"]
    en = ["cat", "dog", "house", "river", "forest", "town", "field", "sea"]
    src = [
        f"{ru[i % 8].capitalize()} и {ru[i * 3 % 8]} стоят у {i} ворот, где {ru[i * 5 % 8]}."
        for i in range(60)
    ]
    tgt = [
        f"The {en[i % 8]} and the {en[i * 3 % 8]} stand at gate {i}, where the {en[i * 5 % 8]} is."
        for i in range(60)
    ]
    return src, tgt


def test_without_confidences_the_beads_are_the_same() -> None:
    import math

    src, tgt = _long_pair()
    src.insert(30, "—")  # a punctuation-only line: aligned glued to the sentence before it
    fixed = [Bead((5,), (5,), 1.0, True)]
    full = align(src, tgt, src_lang="ru", tgt_lang="en", fixed=fixed)
    fast = align(src, tgt, src_lang="ru", tgt_lang="en", fixed=fixed, confidence=False)
    assert [(b.src, b.tgt, b.verified) for b in fast] == [(b.src, b.tgt, b.verified) for b in full]
    assert any(b.src == (29, 30) for b in fast)
    assert all(b.confidence == 1.0 if b.verified else math.isnan(b.confidence) for b in fast)
    assert not any(math.isnan(b.confidence) for b in full)


@pytest.mark.parametrize("lexicon_stops", [False, True])
@pytest.mark.parametrize("confidence", [True, False])
def test_which_passes_price_confidences(
    monkeypatch: pytest.MonkeyPatch, lexicon_stops: bool, confidence: bool
) -> None:
    # The first pass always does (its confidences choose the beads the lexicon is learnt from); the
    # last only when asked; and a lexicon that comes up empty after a pass without confidences means
    # that pass again with the final estimates, still when confidences are not wanted.
    from sourcereader.core.alignment import aligner

    passes: list[bool] = []
    dp, learn = search.banded_dp, lexicon.learn_lexicon
    calls = 0

    def recording_dp(*args: Any, **kwargs: Any) -> Any:
        passes.append(bool(args[6] if len(args) > 6 else kwargs.get("want_margins", True)))
        return dp(*args, **kwargs)

    def stopping_learn(*args: Any) -> lexicon.Lexicon:
        nonlocal calls
        calls += 1
        lex = learn(*args)
        return (
            lexicon.Lexicon(lex.src[:0], lex.tgt[:0], lex.weight[:0]) if lexicon_stops and calls == 2 else lex
        )

    monkeypatch.setattr(search, "banded_dp", recording_dp)
    monkeypatch.setattr(aligner, "learn_lexicon", stopping_learn)
    src, tgt = _long_pair()
    align(src, tgt, src_lang="ru", tgt_lang="en", confidence=confidence)
    # Three lexicon passes, or two when the second lexicon comes up empty (the redo is the last).
    assert passes == ([True, False, confidence] if lexicon_stops else [True, False, False, confidence])


def test_beads_longer_than_8_to_1_are_searched_only_after_a_pass_that_used_6_to_1_or_longer() -> None:
    # A paragraph of dialogue cut at every turn can be 9:1 ... 12:1; those shapes cost a pass over the
    # band each, so only a text whose previous pass put a bead of 6:1 or longer that way gets them.
    usual = params.SHAPES + params.LONG_SHAPES
    assert params.with_longer(usual[:12]) == usual[:12]
    assert params.with_longer(usual[:12] + ((5, 1),)) == usual[:12] + ((5, 1),)
    longer = params.with_longer(usual)
    assert {(a, 1) for a in range(9, 13)} <= set(longer)
    assert not {(1, a) for a in range(9, 13)} & set(longer)
    # Towards the target side too, and dropped again once no long bead is used.
    flipped = params.with_longer((*params.SHAPES, (1, 6)))
    assert {(1, a) for a in range(9, 13)} <= set(flipped)
    assert params.with_longer(tuple(sh for sh in flipped if max(sh) < 6)) == params.SHAPES
    # estimate keeps the shapes the pass used: a 7:1 bead brings the longer ones in.
    src, tgt = _long_pair()
    s_side, _ = sides.build_side(src, [af.words(x) for x in src], "ru", "en", frozenset(), {})
    t_side, _ = sides.build_side(tgt, [af.words(x) for x in tgt], "en", "ru", frozenset(), {})
    p = params.Params(dict(params.PRIOR0), 1.0, 6.8, 1.0, 1.5, shapes=usual)
    beads = [(0, 7, 0, 1, 0.9)] + [(7 + i, 8 + i, 1 + i, 2 + i, 0.9) for i in range(40)]
    assert (12, 1) in params.estimate(beads, s_side, t_side, p).shapes
    beads = [(i, i + 1, i, i + 1, 0.9) for i in range(40)]
    assert (12, 1) not in params.estimate(beads, s_side, t_side, p).shapes


def test_lexicon_learns_from_long_many_to_one_beads() -> None:
    # Fiction cut at every dialogue turn on one side aligns mostly in 3:1 beads; the lexicon must learn
    # from them too (it once used only beads of at most two sentences a side, and learnt nothing here).
    ru = ["кошка", "собака", "лошадь", "корова", "птица", "рыбка", "козёл", "медведь", "волки", "зайцы"]
    en = ["cat", "dog", "horse", "cow", "bird", "fish", "goat", "bear", "wolves", "hares"]
    src: list[str] = []
    tgt: list[str] = []
    beads: list[tuple[int, int, int, int, float]] = []
    for q in range(30):
        k = q % len(ru)
        beads.append((len(src), len(src) + 3, len(tgt), len(tgt) + 1, 0.9))
        src += ["— Ну!", f"— Вот {ru[k]}.", "— сказала она."]
        tgt.append(f"“Well! Here is a {en[k]},” she said.")
    src_stems = lexicon.stems(src, [af.words(x) for x in src])
    tgt_stems = lexicon.stems(tgt, [af.words(x) for x in tgt])
    ps, pt, w = lexicon.learn_lexicon(beads, src_stems, tgt_stems)
    pairs = {(int(a), int(b)) for a, b in zip(ps, pt, strict=True)}
    sid = {w: i for i, w in enumerate(dict.fromkeys(x for t in src for x in af.stem_words(t)))}
    tid = {w: i for i, w in enumerate(dict.fromkeys(x for t in tgt for x in af.stem_words(t)))}
    for a, b in zip(ru, en, strict=True):
        assert (sid[a[:5]], tid[b[:5]]) in pairs
    assert len(w) and (w > 0).all()


@given(st.text(max_size=60) | st.sampled_from(["İstanbul Straße", "ΟΔΟΣ\u00adΑ ΟΔΟΣ", "Ǆemal ǅ d’Artagnan"]))
def test_keys_and_stems_from_found_words_are_the_same(text: str) -> None:
    found = af.words(text)
    assert af.stem_words(text, text_words=found) == af.stem_words(text)
    for cap in (True, False):
        assert af.name_keys(text, capitalised_only=cap, text_words=found) == af.name_keys(
            text, capitalised_only=cap
        )


def test_lower_casing_keeps_the_kind_of_every_character() -> None:
    # Why stem_words may lower-case the words it is given rather than find them again in the
    # lower-cased text: a character that lower-cases to one character stays a letter, an apostrophe or
    # neither (checked here for the Unicode tables of the running Python).
    import re
    import sys

    letter = re.compile(r"[^\W\d_]")
    for c in map(chr, range(sys.maxunicode + 1)):
        low = c.lower()
        if len(low) == 1 and low != c:
            assert (bool(letter.match(c)), c in "'’ ") == (bool(letter.match(low)), low in "'’ "), hex(ord(c))


# ----------------------------------------------------------------------------- import cost
def _loads_numpy(module: str) -> bool:
    code = f"import importlib, sys\nimportlib.import_module({module!r})\nprint('numpy' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


@pytest.mark.parametrize(
    "module",
    [
        "sourcereader.core.alignment.beads",
        "sourcereader.core.alignment.corrections",
        "sourcereader.core.alignment.features",
        "sourcereader.core.parallel_rows",
        "sourcereader.tui.screens.reader",
    ],
)
def test_bead_edits_and_features_load_no_numpy(module: str) -> None:
    # The reader edits beads and the CLI makes ids from titles without loading the aligner.
    assert not _loads_numpy(module)


def test_the_numpy_check_itself_can_fail() -> None:
    assert _loads_numpy("sourcereader.core.alignment.aligner")
