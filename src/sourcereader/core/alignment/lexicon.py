"""A lexicon learnt from the document itself between passes (hunalign's trick, with Dice over beads).

Word pairs that co-occur in the confident beads of a pass far more often than chance are taken as
translations of each other; each pair becomes one more key (:func:`with_lexicon`), found in every
sentence that holds its word, for the next pass. Words are crude stems (:func:`features.stem_words`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sourcereader.core.alignment import features
from sourcereader.core.alignment.params import LEXICON_WEIGHT

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from sourcereader.core.alignment.params import Span
    from sourcereader.core.alignment.sides import Side


@dataclass
class Stems:
    """Crude stems of one side's sentences as vocabulary ids, each stem once per sentence (CSR)."""

    ptr: NDArray[np.int64]
    """Sentence i holds ``ids[ptr[i]:ptr[i + 1]]``."""
    ids: NDArray[np.int64]
    """Stem ids, sentence after sentence."""
    vocab: int
    """Number of distinct stems."""


class Lexicon(NamedTuple):
    """Learnt word pairs: a source and a target stem id and a weight for each."""

    src: NDArray[np.int64]
    tgt: NDArray[np.int64]
    weight: NDArray[np.float64]


def stems(texts: Sequence[str], text_words: Sequence[list[str]]) -> Stems:
    """The stems of each sentence (``text_words``: its words, already found)."""
    per = [
        list(dict.fromkeys(features.stem_words(x, text_words=w)))
        for x, w in zip(texts, text_words, strict=True)
    ]
    flat = [w for ws in per for w in ws]
    # Ids in order of first occurrence (ties in the lexicon's competitive linking follow them).
    vocab = {w: i for i, w in enumerate(dict.fromkeys(flat))}
    ptr = np.zeros(len(per) + 1, dtype=np.int64)
    np.cumsum([len(ws) for ws in per], out=ptr[1:])
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    return Stems(ptr, ids, len(vocab))


def _bead_words(
    st: Stems, b0: NDArray[np.int64], b1: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(word, bead) pairs, each once: the stems of sentences ``b0[q]:b1[q]`` for every bead q."""
    sizes = b1 - b0
    bead = np.repeat(np.arange(len(b0)), sizes)
    sent = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes) + np.repeat(b0, sizes)
    cnt = st.ptr[sent + 1] - st.ptr[sent]
    pos = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt) + np.repeat(st.ptr[sent], cnt)
    code = np.sort(np.repeat(bead, cnt) * st.vocab + st.ids[pos])
    code = code[np.concatenate([[True], code[1:] != code[:-1]])]  # np.unique, without its hashing
    return code % st.vocab, code // st.vocab


def learn_lexicon(beads: list[Span], src_stems: Stems, tgt_stems: Stems) -> Lexicon:
    """Word pairs that co-occur in confident beads far more than chance (Dice over beads)."""
    empty = Lexicon(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    arr = np.array(beads, dtype=np.float64).reshape(-1, 5)
    i0, i1, j0, j1 = (arr[:, k].astype(np.int64) for k in range(4))
    # Beads of any shape: in fiction cut at every dialogue turn on one side, 3:1 … 8:1 beads are a third
    # of the text and hold much of its vocabulary (Dice over beads is not misled by their size: a word
    # pair still has to recur bead after bead). Using only beads of up to two sentences a side learnt
    # from too little of such a book (literary F1 0.857 -> 0.870, news and Text+Berg unchanged).
    sel = (arr[:, 4] >= 0.5) & (i1 > i0) & (j1 > j0)
    nb = int(sel.sum())
    if nb < 20:
        return empty
    su_a, sb_a = _bead_words(src_stems, i0[sel], i1[sel])
    tu_a, tb_a = _bead_words(tgt_stems, j0[sel], j1[sel])
    sv_n, tv_n = src_stems.vocab, tgt_stems.vocab
    dfs = np.bincount(su_a, minlength=sv_n)
    dft = np.bincount(tu_a, minlength=tv_n)
    # Only words seen at least twice on both sides can form a pair seen twice; stop-words are skipped.
    ks = (dfs[su_a] >= 2) & (dfs[su_a] <= nb * 0.25)
    kt = (dft[tu_a] >= 2) & (dft[tu_a] <= nb * 0.25)
    su_a, sb_a, tu_a, tb_a = su_a[ks], sb_a[ks], tu_a[kt], tb_a[kt]
    # Join on bead: sort both by bead and expand the per-bead products.
    o1, o2 = np.argsort(sb_a, kind="stable"), np.argsort(tb_a, kind="stable")
    su_a, sb_a, tu_a, tb_a = su_a[o1], sb_a[o1], tu_a[o2], tb_a[o2]
    tstart = np.searchsorted(tb_a, sb_a, "left")
    tend = np.searchsorted(tb_a, sb_a, "right")
    cnt = tend - tstart
    total = int(cnt.sum())
    if not total:
        return empty
    offs = np.cumsum(cnt) - cnt
    # Source occurrence q stands for cnt[q] pairs, with the target occurrences tstart[q] ... tend[q].
    tpos = np.repeat(tstart - offs, cnt) + np.arange(total)
    # A pair's count is at most the smaller of its words' counts: drop the pairs that could not reach
    # the Dice threshold (0.3) even then (most of them: a frequent word with a rare one) before
    # counting. 2 min / (min + max) >= 0.3 is 17 min >= 3 max, in whole numbers (32 bits: counts are
    # at most the number of beads).
    sdf, tdf = np.repeat(dfs[su_a].astype(np.int32), cnt), dft[tu_a].astype(np.int32)[tpos]
    ok = 17 * np.minimum(sdf, tdf) >= 3 * np.maximum(sdf, tdf)
    pair = np.repeat(su_a, cnt)[ok] * tv_n + tu_a[tpos[ok]]
    if not len(pair):
        return empty
    # Sorting is most of the counting, and 32-bit codes sort twice as fast.
    pair = np.sort(pair.astype(np.int32) if sv_n * tv_n < 2**31 else pair)
    first = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
    uniq, co = pair[first].astype(np.int64), np.diff(np.append(first, len(pair)))
    ps, pt = uniq // tv_n, uniq % tv_n
    dice = 2 * co / (dfs[ps] + dft[pt])
    keep = (co >= 2) & (dice >= 0.3)
    ps, pt, dice, co = ps[keep], pt[keep], dice[keep], co[keep]
    # Competitive linking: keep a pair only if each word is the other's best partner, so that a
    # frequent word cannot vouch for two different target sentences.
    order = np.argsort(-dice, kind="stable")
    used_s: set[int] = set()
    used_t: set[int] = set()
    keep_q = []
    psl, ptl = ps.tolist(), pt.tolist()
    for q in order.tolist():
        a, b = psl[q], ptl[q]
        if a in used_s or b in used_t:
            continue
        used_s.add(a)
        used_t.add(b)
        keep_q.append(q)
    kq = np.array(keep_q, dtype=np.int64)
    # A pair seen twice may be chance; one seen ten times is not.
    return Lexicon(ps[kq], pt[kq], dice[kq] * (1.0 - 1.0 / co[kq]))


def with_lexicon(
    s: Side, t: Side, weights: NDArray[np.float64], lexicon: Lexicon, src_stems: Stems, tgt_stems: Stems
) -> tuple[Side, Side, NDArray[np.float64]]:
    """Both sides with one more key per lexicon pair, in the sentences holding its words, and the key
    weights with the pairs' weights appended."""
    base = len(weights)
    out = []
    for st, words in ((src_stems, lexicon.src), (tgt_stems, lexicon.tgt)):
        key = np.full(st.vocab, -1, dtype=np.int64)
        key[words] = base + np.arange(len(words))
        k = key[st.ids]
        sent = np.repeat(np.arange(len(st.ptr) - 1), np.diff(st.ptr))
        out.append((sent[k >= 0], k[k >= 0]))
    return (
        s.with_keys(*out[0]),
        t.with_keys(*out[1]),
        np.concatenate([weights, lexicon.weight * LEXICON_WEIGHT]),
    )
