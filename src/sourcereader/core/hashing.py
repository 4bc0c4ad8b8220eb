"""The text hashes, one name each (a light module: the aligner's start-up needs it).

* :func:`sentence_hash` — the *words* of a sentence or passage: NFC-normalised, runs of whitespace
  collapsed, 16 hex digits. ``Sentence.hash``; machine-translation caches, alignment corrections and
  witness links key on it, so re-wrapping a text does not orphan them.
* :func:`body_sha256` — the exact *bytes* of a text's body (64 hex digits): ``Text.sha256``, part of
  the segmentation cache's key. Its first 16 digits are ``Text.version``, the version stored with
  every anchor computed on the text.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata


@functools.lru_cache(maxsize=1 << 18)
def sentence_hash(text: str) -> str:
    """Hash of ``text``, NFC-normalised with runs of whitespace collapsed (16 hex digits).

    Sentence ids shift when a text is edited; this hash does not, so caches (machine
    translations), alignment corrections and witness links key on it.

    Memoised: the reader asks for the hash of the same sentences on every refresh of its MT
    column and provenance panel, and a str keeps its own hash, so a repeat costs a dict lookup.
    """
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def body_sha256(body: str) -> str:
    """SHA-256 of a text's body exactly as it is (hex): its identity for caches and versions."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
