"""Tests for the sentence segmenter: pySBD's known faults, abbreviations, and the span contract."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcereader.core import segmenting
from sourcereader.core.segmenting import SUPPORTED_LANGUAGES, UnsupportedLanguage, split

# (lang, text, expected sentences)
CASES: list[tuple[str, str, list[str]]] = [
    # Punctuation alone is no sentence: a quoting author's leading "..." joins what follows.
    (
        "ru",
        "... Гитлер отвечает, что пакт предусматривает. Советскому Союзу предоставляется.",
        ["... Гитлер отвечает, что пакт предусматривает.", "Советскому Союзу предоставляется."],
    ),
    ("ru", "Он сказал. —", ["Он сказал. —"]),
    # ASCII "--" is a dash, not the opening of a parenthetical that swallows sentences.
    (
        "ru",
        "Стоимость проезда -- 15 рублей. Движение -- с 6.00 до 00.20. Код -- 123.",
        ["Стоимость проезда -- 15 рублей.", "Движение -- с 6.00 до 00.20.", "Код -- 123."],
    ),
    ("en", "He came -- late. She left -- early.", ["He came -- late.", "She left -- early."]),
    # Dash dialogue stays with its attribution.
    (
        "ru",
        "— Что ты, дурак? — слышит вдруг Очумелов. Он оглядывается.",
        ["— Что ты, дурак? — слышит вдруг Очумелов.", "Он оглядывается."],
    ),
    ("ru", "— Уходи! — крикнул он. — Сейчас же!", ["— Уходи! — крикнул он.", "— Сейчас же!"]),
    # "!.." is one mark.
    ("ru", "Он ушёл!.. И вот пришёл.", ["Он ушёл!..", "И вот пришёл."]),
    ("ru", "Неужели?.. Не может быть.", ["Неужели?..", "Не может быть."]),
    # Quoted multi-sentence speech splits like unquoted speech.
    (
        "en",
        '"Wonderful!" "Marvelous! And can you tell me why?" he asked.',
        ['"Wonderful!"', '"Marvelous!', 'And can you tell me why?" he asked.'],
    ),
    (
        "ru",
        "Он сказал: «Я приеду завтра. Ждите меня на вокзале».",
        ["Он сказал: «Я приеду завтра.", "Ждите меня на вокзале»."],
    ),
    # Russian abbreviations of diplomatic records.
    (
        "ru",
        "Беседа т. Молотова с тов. Шуленбургом. Присутствовали тт. Деканозов и Павлов.",
        ["Беседа т. Молотова с тов. Шуленбургом.", "Присутствовали тт. Деканозов и Павлов."],
    ),
    ("ru", "Он прибыл в г. Берлин утром.", ["Он прибыл в г. Берлин утром."]),
    # A unit or a currency after a number ends a sentence before a capital; "гл.", "рис." before a
    # number do not.
    (
        "ru",
        "Стоит 100 руб. Дорого. Прошло 5 мин. Потом ещё 10 мин. и ещё. См. рис. 3 и гл. 5. Там всё.",
        [
            "Стоит 100 руб.",
            "Дорого.",
            "Прошло 5 мин.",
            "Потом ещё 10 мин. и ещё.",
            "См. рис. 3 и гл. 5.",
            "Там всё.",
        ],
    ),
    (
        "ru",
        "Встреча состоялась 12 ноября 1940 г. Молотов прибыл в Берлин.",
        ["Встреча состоялась 12 ноября 1940 г.", "Молотов прибыл в Берлин."],
    ),
    (
        "ru",
        "Переговоры шли в 1939--1940 гг. Итоги подвели позже.",
        ["Переговоры шли в 1939--1940 гг.", "Итоги подвели позже."],
    ),
    ("ru", "В 2010-2012 гг. Виктор посещал г. Волгоград.", ["В 2010-2012 гг. Виктор посещал г. Волгоград."]),
    (
        "ru",
        "Обсуждали Балканы, Турцию и т.д. Затем был ужин. "
        "Говорили о Финляндии, Румынии и т. п. Потом разошлись.",
        [
            "Обсуждали Балканы, Турцию и т.д.",
            "Затем был ужин.",
            "Говорили о Финляндии, Румынии и т. п.",
            "Потом разошлись.",
        ],
    ),
    (
        "ru",
        "Это было в столице, т.е. в Берлине, т.к. там был посол. Решение с.г. принято.",
        ["Это было в столице, т.е. в Берлине, т.к. там был посол.", "Решение с.г. принято."],
    ),
    (
        "ru",
        "См. ст. 5 договора. Подробнее см. стр. 12 и л. 4 дела.",
        ["См. ст. 5 договора.", "Подробнее см. стр. 12 и л. 4 дела."],
    ),
    ("ru", "АВП РФ. Ф. 3, Оп. 64, Д. 675, Л. 31–41.", ["АВП РФ.", "Ф. 3, Оп. 64, Д. 675, Л. 31–41."]),
    # The same reference written with full stops is still one sentence, whatever the units.
    (
        "ru",
        "АП РФ. Ф. 3. Оп. 64. Д. 675. Л. 31–41. ГАРФ. Ф. Р-5446. Оп. 1. Д. 12. Л. 3 об. Далее текст.",
        [
            "АП РФ.",
            "Ф. 3. Оп. 64. Д. 675. Л. 31–41.",
            "ГАРФ.",
            "Ф. Р-5446. Оп. 1. Д. 12. Л. 3 об.",
            "Далее текст.",
        ],
    ),
    (
        "ru",
        "В.М. Молотов принял посла. И. В. Сталин одобрил. А. Гитлер ответил.",
        ["В.М. Молотов принял посла.", "И. В. Сталин одобрил.", "А. Гитлер ответил."],
    ),
    # An ellipsis before a capital ends a Russian sentence, also before a new line of dialogue.
    ("ru", "Он молчал... Потом ушёл.", ["Он молчал...", "Потом ушёл."]),
    (
        "ru",
        "Всё ревёт и ревёт… — Поэтому и говорят: так. — Не в то горло… — Ну как, старина?",
        ["Всё ревёт и ревёт…", "— Поэтому и говорят: так.", "— Не в то горло…", "— Ну как, старина?"],
    ),
    ("ru", '- "Так в чем же дело?" - "Не ра-ду-ют".', ['- "Так в чем же дело?"', '- "Не ра-ду-ют".']),
    # Informal text: a smiley or a bracket that closes nothing ends a sentence; list labels do not.
    (
        "ru",
        "Бутылочка под заказ) И пусть всё решается! Тоже ;) Я вспомнила. А вы за кого болеете)))) Секс",
        [
            "Бутылочка под заказ)",
            "И пусть всё решается!",
            "Тоже ;)",
            "Я вспомнила.",
            "А вы за кого болеете))))",
            "Секс",
        ],
    ),
    (
        "ru",
        "Мы пошли в парк (там было хорошо) Иван сказал.",
        ["Мы пошли в парк (там было хорошо) Иван сказал."],
    ),
    # A sad smiley is a bracket that opens nothing; in Russian "!", "?" and "..." end a sentence
    # even when the space after them is missing.
    (
        "ru",
        "Не знаю(( Может завтра? Котик( 3 кг ) и собачка. "
        "Ура!!!Наконец-то! Супер!Всем советую. Ну...Грустно.",
        [
            "Не знаю((",
            "Может завтра?",
            "Котик( 3 кг ) и собачка.",
            "Ура!!!",
            "Наконец-то!",
            "Супер!",
            "Всем советую.",
            "Ну...",
            "Грустно.",
        ],
    ),
    # Social media: an emoji ends the sentence it follows, before a capital ...
    ("ru", "Ставь ❤️ Мы Алиса и Коля.", ["Ставь ❤️", "Мы Алиса и Коля."]),
    ("ru", "Стильно получилось!👍 Красивые вы ребята", ["Стильно получилось!👍", "Красивые вы ребята"]),
    ("ru", "Едем к морю 🏞 и горам 😍 Мы готовы!", ["Едем к морю 🏞 и горам 😍", "Мы готовы!"]),
    # ... and stays with it after "!" (not with the next sentence); one glued to a word opens it.
    (
        "ru",
        "Безумно красиво! 😍😍😍 Зато в горах снег. 😉 ☝🏻Не забывайте нас!",
        ["Безумно красиво! 😍😍😍", "Зато в горах снег. 😉", "☝🏻Не забывайте нас!"],
    ),
    ("en", "Love it! 😍 See you soon.", ["Love it! 😍", "See you soon."]),
    # ASCII emoticons too, and the blank braille cell Instagram posts use as an empty line.
    (
        "ru",
        "Шедевриально! =) Супер :D Отличный снимок 👍 Зрелище! \u2800 Поэтому нет.",
        ["Шедевриально! =)", "Супер :D", "Отличный снимок 👍", "Зрелище! \u2800", "Поэтому нет."],
    ),
    # A reply opens with the @name it answers: after an emoji or sentence punctuation, or before a
    # capital.  After a comma, a preposition or a word that governs it, the name is in the sentence.
    (
        "ru",
        "Классно!😊 @anna_k ещё вопрос. Красивые вы ребята @anna_k Шедевриально! Фото с @anna_k Вчера. "
        "Спасибо, @anna_k за всё! Напишите абоненту @MerPolCC в Твиттере.",
        [
            "Классно!😊",
            "@anna_k ещё вопрос.",
            "Красивые вы ребята",
            "@anna_k Шедевриально!",
            "Фото с @anna_k Вчера.",
            "Спасибо, @anna_k за всё!",
            "Напишите абоненту @MerPolCC в Твиттере.",
        ],
    ),
    # A hashtag ends a post before a capital; inside a sentence it is a word.
    (
        "ru",
        "Едем по #Вьетнаму на байках #хмао #мотокросс Вау! Красота!",
        ["Едем по #Вьетнаму на байках #хмао #мотокросс", "Вау!", "Красота!"],
    ),
    # A whole sentence in brackets ends with its own full stop inside them.
    (
        "ru",
        "— Я помогу, — сказала Алиса. (Она всегда готова была услужить.) — Разрешите! "
        "(К счастью, слёзы их не размочили.) Она раздала их. Он жил там (до 1990 г.) долго.",
        [
            "— Я помогу, — сказала Алиса.",
            "(Она всегда готова была услужить.)",
            "— Разрешите!",
            "(К счастью, слёзы их не размочили.)",
            "Она раздала их.",
            "Он жил там (до 1990 г.) долго.",
        ],
    ),
    ("en", "It rained. (Nobody minded.) Then we left.", ["It rained.", "(Nobody minded.)", "Then we left."]),
    ("en", "1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
    # A list label after "!" or "?" opens the next item, it does not end the sentence before.
    (
        "ru",
        "Приводить ребёнка в этот день! 2. Следом идёт другая. Тороплюсь? 4. - Мне только спросить!",
        [
            "Приводить ребёнка в этот день!",
            "2. Следом идёт другая.",
            "Тороплюсь?",
            "4. - Мне только спросить!",
        ],
    ),
    ("en", "Stop it! 2. Be quiet.", ["Stop it!", "2. Be quiet."]),
    # A capitalised word ends a Russian sentence before a capital, in brackets too.
    (
        "ru",
        "(Прилепин — очень хороший писатель, лучше, чем Лимонов. Но враг)",
        ["(Прилепин — очень хороший писатель, лучше, чем Лимонов.", "Но враг)"],
    ),
    # Abbreviated names, single-letter abbreviations before a number, heading labels.
    ("ru", "директор фирмы Чарльз Дж. Филлипс", ["директор фирмы Чарльз Дж. Филлипс"]),
    ("ru", "России, т. е. 55 % опрошенных", ["России, т. е. 55 % опрошенных"]),
    ("ru", "до 6,188 а. е. В октябре вышел сингл.", ["до 6,188 а. е.", "В октябре вышел сингл."]),
    ("ru", "IV. Гестационный сахарный диабет", ["IV. Гестационный сахарный диабет"]),
    ("ru", "§2. Нахождение оптимального объекта.", ["§2. Нахождение оптимального объекта."]),
    # Sentences do not start with a lowercase word or with closing punctuation.
    (
        "ru",
        "Издаёт общественно-политическую и др. литературу на чуваш., рус., англ. языках.",
        ["Издаёт общественно-политическую и др. литературу на чуваш., рус., англ. языках."],
    ),
    # German.
    (
        "de",
        "Am 25. November 1940 sprach er mit dem Botschafter. Es ging z.B. um Nr. 5 d.h. um Finnland.",
        ["Am 25. November 1940 sprach er mit dem Botschafter.", "Es ging z.B. um Nr. 5 d.h. um Finnland."],
    ),
    (
        "de",
        "Herr A. Hitler empfing ihn. Es wurde u.a. über Nr. 3 gesprochen.",
        [
            "Herr A. Hitler empfing ihn.",
            "Es wurde u.a. über Nr. 3 gesprochen.",
        ],
    ),
    # A list item "1.)" starts a sentence and is not cut into "1." + ")".
    (
        "de",
        "Wir vereinbarten: 1.) Die Grenze bleibt. 2.) Der Handel geht weiter.",
        [
            "Wir vereinbarten:",
            "1.) Die Grenze bleibt.",
            "2.) Der Handel geht weiter.",
        ],
    ),
    # English.
    (
        "en",
        "See telegram No. 2362 sent at 10 a. m. The U.S.S.R. Government agreed.",
        ["See telegram No. 2362 sent at 10 a. m.", "The U.S.S.R. Government agreed."],
    ),
    ("en", "The Dept. of State replied. It was brief.", ["The Dept. of State replied.", "It was brief."]),
    ("en", "Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    (
        "en",
        "She works at Yahoo! in the accounting department.",
        ["She works at Yahoo! in the accounting department."],
    ),
    (
        "en",
        "See http://www.example.com/a.asp?id=5 for details. Thanks.",
        ["See http://www.example.com/a.asp?id=5 for details.", "Thanks."],
    ),
    # A newline inside a paragraph is line wrapping, not a sentence break.
    (
        "en",
        "The Ambassador stated\nthat he agreed. He left.",
        ["The Ambassador stated\nthat he agreed.", "He left."],
    ),
    # Other pySBD languages keep working.
    ("fr", "Bonjour. Comment allez-vous? Très bien.", ["Bonjour.", "Comment allez-vous?", "Très bien."]),
    ("zh", "你好。我很好。", ["你好。", "我很好。"]),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_cases(lang: str, text: str, expected: list[str]) -> None:
    """Each case splits into exactly the expected sentences."""
    assert [text[s:e] for s, e in split(text, lang)] == expected


def test_version_is_bumped() -> None:
    """The corrections change output, so the cache key must differ from the baseline's "0"."""
    assert segmenting.SEGMENTER_VERSION not in ("", "0")


def test_unsupported_language_raises() -> None:
    """A language without pySBD rules is refused, not silently segmented."""
    with pytest.raises(UnsupportedLanguage):
        split("Hello. World.", "xx")


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_blank_text_has_no_sentences(text: str) -> None:
    """Whitespace only gives no spans (every span holds non-whitespace)."""
    assert split(text, "en") == []


def test_deterministic() -> None:
    """The same text gives the same spans, whatever was segmented in between."""
    text = CASES[2][1] + " " + CASES[9][1]
    first = split(text, "ru")
    for _, other, _ in CASES:
        split(other, "ru")
    assert split(text, "ru") == first


def _assert_contract(text: str, spans: list[tuple[int, int]]) -> None:
    pos = 0
    for start, end in spans:
        assert pos <= start < end <= len(text)
        assert not text[pos:start].strip(), "only whitespace between sentences"
        assert not text[start].isspace() and not text[end - 1].isspace(), "spans are trimmed"
        pos = end
    assert not text[pos:].strip(), "nothing dropped at the end"
    # Reassembling spans and the gaps between them gives the text back.
    rebuilt, pos = [], 0
    for start, end in spans:
        rebuilt += [text[pos:start], text[start:end]]
        pos = end
    assert "".join(rebuilt) + text[pos:] == text


_ALPHABET = st.sampled_from(
    list("abcАБВгдеXYZ .!?…,;:-—–\"'«»“”()\n\t12") + ["т.", "г.", " -- ", "!..", "No. ", "http://a.b/c?d "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from(["ru", "en", "de", "fr", "zh"]))
def test_spans_cover_text_in_order(text: str, lang: str) -> None:
    """Spans are ordered, trimmed, non-overlapping and cover every non-whitespace character."""
    _assert_contract(text, split(text, lang))


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_cases_keep_contract(lang: str, text: str, expected: list[str]) -> None:
    """The table's texts also obey the span contract."""
    _assert_contract(text, split(text, lang))


def test_all_supported_languages_work() -> None:
    """Every pySBD language segments without error and keeps the contract."""
    text = "One sentence here. Another one there! A third?"
    for lang in sorted(SUPPORTED_LANGUAGES):
        _assert_contract(text, split(text, lang))
