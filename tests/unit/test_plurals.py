"""Counts in words: singular for exactly one."""

from __future__ import annotations

import pytest

from sourcereader.core.plurals import counted


@pytest.mark.parametrize(
    ("n", "noun", "plural", "expected"),
    [
        (0, "note", None, "0 notes"),
        (1, "note", None, "1 note"),
        (2, "note", None, "2 notes"),
        (1, "witness", "witnesses", "1 witness"),
        (3, "witness", "witnesses", "3 witnesses"),
    ],
)
def test_counted(n: int, noun: str, plural: str | None, expected: str) -> None:
    assert counted(n, noun, plural) == expected
