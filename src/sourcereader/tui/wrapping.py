"""Text as the reader shows it, wrapped lazily: only as many lines as the screen asks for.

A sentence may be megabytes long (a document without full stops, a paragraph pasted whole). Rich
wraps a text in one go, into a list of lines with their segments: a 2 MB sentence took seconds and
hundreds of megabytes before anything was drawn. :class:`LazyWrap` finds line breaks only as far as
they are asked for, and keeps two integers a line; a line's text is cut from the string when it is
drawn. The breaks are Rich's (``Text.wrap`` with ``overflow="fold"``): a line ends before the word
that would not fit, and a word longer than the width is folded.

:func:`display_text` is what the reader shows of a text: control characters made visible, every run
of whitespace (hard wraps, tabs) one space. A clean text (the usual case) is returned as it is, not
copied.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator

from rich._wrap import divide_line

from sourcereader.core.sanitize import for_terminal

#: Whitespace other than the plain space (newlines, tabs, no-break spaces…), found in one C scan.
_OTHER_WHITESPACE = re.compile(r"[^\S ]+")
#: Characters one cell wide: Latin, Greek, Cyrillic, general punctuation. A line made of these alone
#: is measured by its length; any other line is measured by Rich.
_SINGLE_CELL = re.compile(
    "[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e]*"
)


def display_text(text: str) -> str:
    """``text`` as shown: control characters made visible, runs of whitespace one space, no whitespace
    at either end. Equal to ``" ".join(for_terminal(text).split())``, without splitting a long text into
    a list of words, and without a copy when there is nothing to change."""
    # Printable means no control character and no whitespace but the space: one C scan says the
    # text is shown as it is, which is the usual case (and the one that matters for a huge text).
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    shown = _OTHER_WHITESPACE.sub(" ", for_terminal(text))
    while "  " in shown:
        shown = shown.replace("    ", " ").replace("  ", " ")
    return shown.strip(" ")


def display_offset(text: str, offset: int) -> int:
    """Where character ``offset`` of ``text`` falls in :func:`display_text` of it (for styling a span of
    the text); at most the length of the display text is the caller's to clamp."""
    head = for_terminal(text[:offset])
    if not (head.isprintable() and "  " not in head):
        head = _OTHER_WHITESPACE.sub(" ", head)
        while "  " in head:
            head = head.replace("    ", " ").replace("  ", " ")
    return len(head.lstrip(" "))


class LazyWrap:
    """The lines of a display text (:func:`display_text`) at a width, found as far as asked.

    ``ensure(n)`` finds the first ``n`` lines (fewer when the text has fewer); ``span(i)`` gives where
    line ``i`` starts and ends in the text. A line's text never starts or ends with a space.
    """

    __slots__ = ("_done", "_ends", "_pos", "_starts", "text", "width")

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        """The display text (single spaces, nothing to escape)."""
        self.width = max(1, width)
        """Cells per line."""
        self._starts = array("q")
        self._ends = array("q")
        self._pos = 0
        self._done = not text

    @property
    def complete(self) -> bool:
        """Every line has been found."""
        return self._done

    @property
    def known(self) -> int:
        """Lines found so far."""
        return len(self._starts)

    def ensure(self, lines: int) -> int:
        """Find lines until ``lines`` are known or the text ends; return how many are known (≤ ``lines``)."""
        if len(self._starts) < lines and not self._done:
            self._wrap(lines)
        return min(lines, len(self._starts))

    def count(self) -> int:
        """Every line (finds them all: for a huge text, only when it must be known)."""
        while not self._done:
            self._wrap(len(self._starts) + 4096)
        return len(self._starts)

    def span(self, line: int) -> tuple[int, int]:
        """Start and end offsets of line ``line`` (which must be known)."""
        return self._starts[line], self._ends[line]

    def lines(self) -> Iterator[str]:
        """Every line's text (tests)."""
        self.count()
        for a, b in zip(self._starts, self._ends, strict=True):
            yield self.text[a:b]

    def _wrap(self, lines: int) -> None:
        text, width = self.text, self.width
        n = len(text)
        starts, ends = self._starts, self._ends
        p = self._pos
        single = _SINGLE_CELL.fullmatch
        while len(starts) < lines:
            if p >= n:
                self._done = True
                break
            end = p + width
            window = text[p : end + 1]
            if single(window) is None:
                # Wide or zero-width characters: Rich measures this line.
                a, b, p = self._measured(p)
                starts.append(a)
                ends.append(b)
                continue
            starts.append(p)
            if end >= n:
                ends.append(n)
                p = n
            elif text[end] == " ":
                ends.append(end)
                p = end + 1
            else:
                space = text.rfind(" ", p, end)
                if space > p:
                    ends.append(space)
                    p = space + 1
                else:
                    # A word longer than the line: folded at the width.
                    ends.append(end)
                    p = end
        self._pos = p
        if p >= n:
            self._done = True

    def _measured(self, p: int) -> tuple[int, int, int]:
        """One line from ``p`` measured by Rich: its start, its end and where the next line starts."""
        text, width = self.text, self.width
        # Four characters a cell is more than any line holds unless it is mostly zero-width marks.
        window = text[p : p + 4 * width + 4]
        breaks = divide_line(window, width, fold=True)
        # No break: the rest of the text fits (or the window is all zero-width marks: cut there).
        cut = breaks[0] if breaks else len(window)
        line = window[:cut].rstrip(" ")
        nxt = p + cut
        while nxt < len(text) and text[nxt] == " ":
            nxt += 1
        return p, p + len(line), nxt
