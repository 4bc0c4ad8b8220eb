"""The reader's lazy wrapping breaks lines where Rich does, and finds only the lines asked for."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from sourcereader.core.sanitize import for_terminal
from sourcereader.tui.wrapping import LazyWrap, display_offset, display_text

CONSOLE = Console(width=200, color_system=None)


def rich_lines(text: str, width: int) -> list[str]:
    """Rich's lines, without the spaces at their ends (ours never have them; Rich keeps a space that a
    folded word's last piece ends with as a line's first character)."""
    lines = Text(text).wrap(CONSOLE, width, justify="left", overflow="fold", no_wrap=False)
    return [line.plain.strip(" ") for line in lines if line.plain.strip(" ")]


WORDS = st.text(
    alphabet=st.sampled_from("abcxyzАБВгдё.,—–-1234567890()«»" + "漢字" + "é" + "\u0301"),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40), st.integers(min_value=2, max_value=50))
def test_lines_are_richs_lines(words: list[str], width: int) -> None:
    # Words that fit a line: where a word is folded, Rich can leave its trailing space alone on the
    # next line and count it against the width; ours drops it (the hand cases below fold).
    assume(all(cell_len(w) <= width for w in words))
    text = display_text(" ".join(words))
    assert list(LazyWrap(text, width).lines()) == rich_lines(text, width)


def test_hand_cases() -> None:
    for text, width, expected in [
        ("aaaaaaaaaa b", 10, ["aaaaaaaaaa", "b"]),
        ("abcde f", 4, ["abcd", "e f"]),
        ("abcdefg b", 4, ["abcd", "efg", "b"]),
        ("", 5, []),
        ("word", 4, ["word"]),
        ("000000000000字 00 0000", 7, ["0000000", "00000字", "00 0000"]),
        ("слово" * 5 + " и", 10, ["словослово", "словослово", "слово и"]),
    ]:
        assert list(LazyWrap(text, width).lines()) == expected, text
    assert list(LazyWrap("", 5).lines()) == []  # an empty cell has no line (Rich gives one empty line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\n\r\xa0\u2028ab\x1b\x07\x85Я"), max_size=40))
def test_display_text_is_the_split_and_join_it_replaces(text: str) -> None:
    assert display_text(text) == " ".join(for_terminal(text).split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\nab\x1bЯ"), max_size=30), st.data())
def test_display_offset_lands_on_the_same_character(text: str, data: st.DataObject) -> None:
    shown = display_text(text)
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    at = min(display_offset(text, offset), len(shown))
    # What follows the offset in the text is what follows it on screen (up to whitespace and escapes).
    assert shown[at:] == display_text(text[offset:]) or shown[at:] == " " + display_text(text[offset:])


def test_only_the_lines_asked_for_are_found() -> None:
    text = " ".join(["слово"] * 200_000)  # 1.2 million characters, one sentence
    wrap = LazyWrap(display_text(text), 60)
    assert wrap.ensure(40) == 40
    assert wrap.known == 40 and not wrap.complete
    a, b = wrap.span(39)
    assert text[a:b] == " ".join(["слово"] * 10)
    assert wrap.count() == 20_000 and wrap.complete


def test_a_clean_text_is_not_copied() -> None:
    text = " ".join(["word"] * 1000)
    assert display_text(text) is text
