"""Counting in English ("1 note", "3 notes"), shared by the command line, the reader and the export."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for exactly one: ``counted(1, "note")`` is ``"1 note"``,
    ``counted(0, "note")`` is ``"0 notes"``; ``plural`` for nouns not made with a final s."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
