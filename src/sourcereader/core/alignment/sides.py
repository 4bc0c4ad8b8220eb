"""One side of a text pair as the aligner sees it: per-sentence lengths and flags, and key occurrences.

A *key* is a short string that, shared by a source and a target sentence, is evidence that they
translate each other (see :mod:`sourcereader.core.alignment.features`). Keys get integer ids shared
by both sides; a side keeps one entry per occurrence (sentence, key id), and every key a weight: how
unlikely it is to be shared by chance.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from sourcereader.core.alignment import features

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass
class Side:
    """Per-sentence features of one side of a stretch."""

    chars: NDArray[np.float64]
    """Length in characters."""
    words: NDArray[np.float64]
    """Length in words."""
    units: NDArray[np.float64]
    """Utterances: runs of sentence-final punctuation, at least one."""
    continues: NDArray[np.bool_]
    """Starts in lower case: a fragment cut from the sentence before."""
    dangles: NDArray[np.bool_]
    """Ends as if it continued (comma, colon, dash)."""
    par_start: NDArray[np.bool_]
    """A paragraph starts at this sentence (index 0 counts)."""
    pinned: NDArray[np.bool_]
    """Must be in a 1:0 / 0:1 bead of its own: a fixed bead leaves it untranslated."""
    note: NDArray[np.bool_]
    """Editorial apparatus (footnote, archival reference): cheap to leave unaligned."""
    key_sentence: NDArray[np.int64] = field(repr=False)
    """Sentence of each key occurrence."""
    key_id: NDArray[np.int64] = field(repr=False)
    """Key of each key occurrence."""

    def __len__(self) -> int:
        return len(self.chars)

    def slice(self, a: int, b: int) -> Side:
        """Sentences ``a:b`` as a side of their own (a paragraph starts at the first)."""
        sel = (self.key_sentence >= a) & (self.key_sentence < b)
        par_start = self.par_start[a:b].copy()
        if len(par_start):
            par_start[0] = True
        return Side(self.chars[a:b], self.words[a:b], self.units[a:b], self.continues[a:b], self.dangles[a:b],
                    par_start, self.pinned[a:b], self.note[a:b], self.key_sentence[sel] - a,
                    self.key_id[sel])  # fmt: skip

    def with_keys(self, sentence: NDArray[np.int64], key: NDArray[np.int64]) -> Side:
        """This side with more key occurrences."""
        return replace(self, key_sentence=np.concatenate([self.key_sentence, sentence]),
                       key_id=np.concatenate([self.key_id, key]))  # fmt: skip


def build_side(
    texts: Sequence[str],
    text_words: Sequence[list[str]],
    lang: str,
    other_lang: str,
    breaks: Set[int],
    key_ids: dict[str, int],
) -> tuple[Side, list[list[int]]]:
    """The side of ``texts`` (without key occurrences yet) and each sentence's key ids.

    ``key_ids`` maps key strings to ids and grows with the keys found here.
    """
    cross_script = (lang in features.CYRILLIC_LANGS) != (other_lang in features.CYRILLIC_LANGS)
    n = len(texts)
    chars = np.array([len(t.strip()) for t in texts], dtype=np.float64)
    words = np.array([len(t.split()) for t in texts], dtype=np.float64)
    units = np.array([features.utterances(t) for t in texts], dtype=np.float64)
    continues = np.array([features.is_continuation(t) for t in texts], dtype=bool)
    dangles = np.array([features.is_dangling(t) for t in texts], dtype=bool)
    par_start = np.zeros(n, dtype=bool)
    for b in breaks:
        if 0 <= b < n:
            par_start[b] = True
    if n:
        par_start[0] = True
    keys: list[list[int]] = []
    for t, tw in zip(texts, text_words, strict=True):
        ks = features.distinct([*features.name_keys(t, capitalised_only=cross_script, text_words=tw),
                                *features.number_keys(t), *features.punct_keys(t)])  # fmt: skip
        keys.append([key_ids.setdefault(k, len(key_ids)) for k in ks])
    note = np.array([features.is_note(t) for t in texts], dtype=bool)
    return Side(chars, words, units, continues, dangles, par_start, np.zeros(n, dtype=bool), note,
                np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)), keys  # fmt: skip


def key_occurrences(keys: list[list[int]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each sentence's key ids as occurrences: (sentence, key id) in two arrays."""
    sentence = np.fromiter((i for i, ks in enumerate(keys) for _ in ks), dtype=np.int64)
    key = np.fromiter((k for ks in keys for k in ks), dtype=np.int64)
    return sentence, key


def key_weights(s: Side, t: Side, n_keys: int, family_weight: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weight of a shared key: how unlikely it is to be shared by chance (an idf on both sides)."""
    # Short texts would make every shared key look common; chance is judged as if in 20 sentences.
    ns, nt = max(len(s), 20), max(len(t), 20)
    dfs = np.bincount(s.key_id, minlength=n_keys).astype(np.float64)
    dft = np.bincount(t.key_id, minlength=n_keys).astype(np.float64)
    with np.errstate(divide="ignore"):
        idf = 0.5 * (np.log((ns + 1) / (dfs + 0.5)) + np.log((nt + 1) / (dft + 0.5)))
    w = np.clip(idf, 0.0, None) * family_weight[:n_keys]
    # A key far more frequent on one side than the other is a false friend, not a translation.
    w[(dfs == 0) | (dft == 0) | (np.maximum(dfs, dft) > 3 * np.minimum(dfs, dft) + 3)] = 0.0
    w[(dfs > 0.3 * ns + 5) | (dft > 0.3 * nt + 5)] = 0.0
    return w


def dedupe_keys(side: Side, window: int = 2) -> Side:
    """Drop a key's occurrence when the same key occurred in one of the ``window`` previous sentences.

    Shared keys are summed over the sentence pairs of a bead; a key that recurs in neighbouring
    sentences on both sides (the topic's names) would otherwise be counted four times in a 2:2 bead
    and twice in two 1:1 beads, and pull every bead into a merge.
    """
    if not len(side.key_id):
        return side
    order = np.lexsort((side.key_sentence, side.key_id))
    k, sn = side.key_id[order], side.key_sentence[order]
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = ~((k[1:] == k[:-1]) & (sn[1:] - sn[:-1] <= window))
    return replace(side, key_sentence=sn[keep], key_id=k[keep])


def match_matrix(
    s: Side, t: Side, weights: NDArray[np.float64], first: NDArray[np.int64], width: int
) -> NDArray[np.float32]:
    """``M[r, x]``: weight of the keys shared by source sentence r and target sentence ``first[r] + x``
    (a band of ``width`` targets from ``first[r]``)."""
    n, m = len(s), len(t)
    keep = weights[s.key_id] > 0
    sr, sk = s.key_sentence[keep], s.key_id[keep]
    tkeep = weights[t.key_id] > 0
    # Target occurrences as one sorted code, key-major: each source occurrence's partners in its band
    # are one contiguous run of it, found by two binary searches.
    comb = np.sort(t.key_id[tkeep] * (m + 1) + t.key_sentence[tkeep])
    lo = sk * (m + 1) + first[sr]
    hi = sk * (m + 1) + np.minimum(first[sr] + width, m)
    start = np.searchsorted(comb, lo, "left")
    end = np.searchsorted(comb, hi, "left")
    counts = np.maximum(end - start, 0)
    total = int(counts.sum())
    out = np.zeros(n * width, dtype=np.float64)
    if total:
        rep = np.repeat(np.arange(len(sr)), counts)
        offs = np.cumsum(counts) - counts
        pos = start[rep] + (np.arange(total) - offs[rep])
        c = comb[pos] % (m + 1)
        r = sr[rep]
        out += np.bincount(r * width + (c - first[r]), weights=weights[sk[rep]], minlength=n * width)
    return out.reshape(n, width).astype(np.float32)
