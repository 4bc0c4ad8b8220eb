"""The one content hash of a piece of text (a light module: the aligner's start-up needs it)."""

from __future__ import annotations

import functools
import hashlib
import unicodedata


@functools.lru_cache(maxsize=1 << 18)
def text_hash(text: str) -> str:
    """Hash of ``text``, NFC-normalised with runs of whitespace collapsed (16 hex digits).

    Sentence ids shift when a text is edited; this hash does not, so caches (machine
    translations), alignment corrections and witness links key on it.

    Memoised: the reader asks for the hash of the same sentences on every refresh of its MT
    column and provenance panel, and a str keeps its own hash, so a repeat costs a dict lookup.
    """
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]
