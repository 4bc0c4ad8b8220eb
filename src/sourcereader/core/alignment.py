"""Sentence alignment: beads, the aligner, corrections as constraints, and their persisted form.

The aligner needs no model. A bead's cost (in nats, lower is better) adds up

* a prior for its shape (1:1, 2:1, ...), re-estimated from the document itself after a first pass;
* a length term: a heavy-tailed (Student-t) version of Gale–Church over characters and words, with the
  length ratio and spread re-estimated from the first pass;
* evidence from *keys* shared by its two sides (see :mod:`sourcereader.core.alignment_features`):
  transliterated name skeletons, numbers, punctuation structure; a lexicon of word pairs learnt without
  supervision from the confident beads of the first pass (hunalign's trick, here with Dice over the
  same document); and, when a machine translation of the source is given, word overlap between the MT
  and the human translation (the Bleualign idea);
* penalties for a bead that starts with a fragment cut from the previous sentence (``— сказал он.``)
  or that crosses or misses paragraph boundaries when both sides have them.

Search is dynamic programming in a band around a guide path (first the cumulative-length diagonal,
later the previous pass's path), vectorised along rows with numpy; the band widens and re-centres if
the path runs along its edge. A backward pass gives, for every cell, the best complete path through
it, so a bead's confidence is a logistic function of how much worse the best alignment is that does
not contain it (a posterior-like margin), Platt-scaled to a probability of being right (fitted on news
and parliamentary text, checked on fiction; see ``_CONF_SLOPE``). A margin of 0 gives 0.54.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from sourcereader.core.documents import Document, Text, Translation

    #: Arrays shared by the shapes of one block of rows, by their number of target sentences.
    Cache = dict[int, tuple[NDArray[Any], ...]]

__all__ = [
    "ALIGNER_VERSION",
    "Bead",
    "DocumentAlignment",
    "StoredBead",
    "align",
    "check_cover",
    "document_alignment",
    "mark_verified",
    "merge_next",
    "move_src",
    "move_tgt",
    "remap_fixed",
    "save_alignment",
    "split_bead",
    "store_fixed",
]

#: Changes whenever the output for some input may change: part of every alignment cache key.
ALIGNER_VERSION = "5"


@dataclass(frozen=True, slots=True)
class Bead:
    """A group of consecutive source sentences aligned with a group of consecutive target sentences."""

    src: tuple[int, ...]
    """Consecutive 0-based source sentence indices (empty for a 0:1 bead)."""
    tgt: tuple[int, ...]
    """Consecutive 0-based target sentence indices (empty for a 1:0 bead)."""
    confidence: float
    """Estimated probability in [0, 1] that the bead is right (NaN from ``align(confidence=False)``)."""
    verified: bool = False
    """Fixed by the user: kept exactly when the document is re-aligned."""


# ----------------------------------------------------------------------------- corrections
def _check_index(beads: Sequence[Bead], k: int) -> None:
    if not 0 <= k < len(beads):
        raise IndexError(f"no bead {k} in an alignment of {len(beads)}")


def merge_next(beads: Sequence[Bead], k: int) -> list[Bead]:
    """Merge bead ``k`` with bead ``k + 1``; the merged bead is a user decision, so it is verified."""
    _check_index(beads, k)
    _check_index(beads, k + 1)
    a, b = beads[k], beads[k + 1]
    merged = Bead(a.src + b.src, a.tgt + b.tgt, 1.0, True)
    return [*beads[:k], merged, *beads[k + 2 :]]


def split_bead(beads: Sequence[Bead], k: int, src_cut: int, tgt_cut: int) -> list[Bead]:
    """Split bead ``k`` before its ``src_cut``-th source and ``tgt_cut``-th target sentence.

    Cuts count within the bead (0 … its length); both halves must keep at least one sentence.
    """
    _check_index(beads, k)
    b = beads[k]
    if not (0 <= src_cut <= len(b.src) and 0 <= tgt_cut <= len(b.tgt)):
        raise ValueError(f"cut ({src_cut}, {tgt_cut}) outside bead of shape {len(b.src)}:{len(b.tgt)}")
    first = Bead(b.src[:src_cut], b.tgt[:tgt_cut], 1.0, True)
    second = Bead(b.src[src_cut:], b.tgt[tgt_cut:], 1.0, True)
    if not (first.src or first.tgt) or not (second.src or second.tgt):
        raise ValueError("a split must leave a sentence on each side of the cut")
    return [*beads[:k], first, second, *beads[k + 1 :]]


def _move(beads: Sequence[Bead], k: int, direction: int, side: str) -> list[Bead]:
    _check_index(beads, k)
    out = list(beads)
    b = out[k]
    own: tuple[int, ...] = getattr(b, side)
    if not own:
        raise ValueError(f"bead {k} has no {side} sentence to move")
    if direction < 0:
        _check_index(beads, k - 1)
        moved, rest = own[0], own[1:]
        nb = out[k - 1]
        out[k - 1] = replace(nb, **{side: (*getattr(nb, side), moved)}, confidence=1.0, verified=True)
    else:
        _check_index(beads, k + 1)
        moved, rest = own[-1], own[:-1]
        nb = out[k + 1]
        out[k + 1] = replace(nb, **{side: (moved, *getattr(nb, side))}, confidence=1.0, verified=True)
    new = replace(b, **{side: rest}, confidence=1.0, verified=True)
    if new.src or new.tgt:
        out[k] = new
    else:
        del out[k]
    return out


def move_src(beads: Sequence[Bead], k: int, direction: int) -> list[Bead]:
    """Move a source sentence of bead ``k`` into the previous (``direction < 0``: its first sentence)
    or the next bead (``direction > 0``: its last sentence). An emptied bead disappears."""
    return _move(beads, k, direction, "src")


def move_tgt(beads: Sequence[Bead], k: int, direction: int) -> list[Bead]:
    """Like :func:`move_src` for the target side."""
    return _move(beads, k, direction, "tgt")


def mark_verified(beads: Sequence[Bead], k: int, verified: bool = True) -> list[Bead]:
    """Mark bead ``k`` as verified (a constraint for re-alignment) or release it."""
    _check_index(beads, k)
    b = beads[k]
    return [*beads[:k], replace(b, verified=verified, confidence=1.0 if verified else b.confidence),
            *beads[k + 1 :]]  # fmt: skip


def check_cover(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Raise ValueError unless ``beads`` cover every sentence of both sides exactly once, in order."""
    si = ti = 0
    for b in beads:
        if not (b.src or b.tgt):
            raise ValueError("empty bead")
        if b.src != tuple(range(si, si + len(b.src))) or b.tgt != tuple(range(ti, ti + len(b.tgt))):
            raise ValueError(f"bead {b.src}:{b.tgt} out of order at ({si}, {ti})")
        si += len(b.src)
        ti += len(b.tgt)
    if (si, ti) != (n_src, n_tgt):
        raise ValueError(f"beads cover {si}:{ti} sentences of {n_src}:{n_tgt}")


# ----------------------------------------------------------------------------- persisted corrections
@dataclass(frozen=True)
class StoredBead:
    """A verified bead as persisted: content hashes of its sentences plus their old positions as hints.

    Editing a text elsewhere leaves the bead valid (it is re-mapped to the new indices); editing one of
    its own sentences drops it.
    """

    src_hashes: tuple[str, ...]
    tgt_hashes: tuple[str, ...]
    src_pos: int
    """Old index of the first source sentence (for an empty side: where the bead sat)."""
    tgt_pos: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"src": list(self.src_hashes), "tgt": list(self.tgt_hashes), "sp": self.src_pos,
                "tp": self.tgt_pos}  # fmt: skip

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StoredBead:
        """Inverse of :meth:`to_json`."""
        return cls(tuple(d["src"]), tuple(d["tgt"]), int(d["sp"]), int(d["tp"]))


def store_fixed(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> list[StoredBead]:
    """The persisted form of the verified beads of an alignment."""
    from sourcereader.core.hashing import text_hash

    out = []
    si = ti = 0
    for b in beads:
        if b.verified:
            out.append(StoredBead(tuple(text_hash(src[i]) for i in b.src),
                                  tuple(text_hash(tgt[j]) for j in b.tgt), si, ti))  # fmt: skip
        si += len(b.src)
        ti += len(b.tgt)
    return out


def _find_run(hashes: Sequence[str], run: tuple[str, ...], hint: int, lo: int) -> int | None:
    """Start of the occurrence of ``run`` in ``hashes`` at or after ``lo`` nearest to ``hint``."""
    best: int | None = None
    for s in range(lo, len(hashes) - len(run) + 1):
        if tuple(hashes[s : s + len(run)]) == run and (best is None or abs(s - hint) < abs(best - hint)):
            best = s
    return best


def remap_fixed(
    stored: Sequence[StoredBead], src: Sequence[str], tgt: Sequence[str]
) -> tuple[list[Bead], list[StoredBead]]:
    """Re-map persisted verified beads onto (possibly edited) texts.

    Returns the beads that still apply (as verified :class:`Bead` with new indices) and those dropped
    because one of their sentences changed or vanished, or because they no longer fit in order.
    """
    from sourcereader.core.hashing import text_hash

    sh = [text_hash(s) for s in src]
    th = [text_hash(t) for t in tgt]
    kept: list[Bead] = []
    dropped: list[StoredBead] = []
    si = ti = 0  # everything before these positions is taken by earlier kept beads
    for sb in sorted(stored, key=lambda x: (x.src_pos, x.tgt_pos)):
        s0 = _find_run(sh, sb.src_hashes, sb.src_pos, si) if sb.src_hashes else None
        t0 = _find_run(th, sb.tgt_hashes, sb.tgt_pos, ti) if sb.tgt_hashes else None
        if (sb.src_hashes and s0 is None) or (sb.tgt_hashes and t0 is None):
            dropped.append(sb)
            continue
        s0 = s0 if s0 is not None else max(si, min(sb.src_pos, len(sh)))
        t0 = t0 if t0 is not None else max(ti, min(sb.tgt_pos, len(th)))
        kept.append(Bead(tuple(range(s0, s0 + len(sb.src_hashes))),
                         tuple(range(t0, t0 + len(sb.tgt_hashes))), 1.0, True))  # fmt: skip
        si, ti = s0 + len(sb.src_hashes), t0 + len(sb.tgt_hashes)
    return kept, dropped


# ----------------------------------------------------------------------------- the aligner
#: Bead shapes searched, except 0:1 which the row recurrence handles separately.
_SHAPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (4, 1), (1, 4), (3, 2), (2, 3),
)  # fmt: skip
_CORE_SHAPES = frozenset({(1, 1), (1, 0), (2, 1), (1, 2), (2, 2)})
#: Long many-to-one shapes, searched only when one side has far more sentences than the other: Russian
#: dash dialogue is cut at every turn and attribution (``— Ну! — сказала она. — Иди.`` is three
#: sentences) while English quoted speech stays one sentence, so fiction has 5:1 … 8:1 beads.
_LONG_SHAPES: tuple[tuple[int, int], ...] = ((5, 1), (6, 1), (7, 1), (8, 1))
#: Longer still, for the few paragraphs of dialogue cut at every turn that a translation keeps whole
#: (9:1 … 12:1 in fiction): searched only in a text whose previous pass used the longest shapes, so
#: the passes of any other text pay nothing for them.
_LONGER_SHAPES: tuple[tuple[int, int], ...] = tuple(
    sh for a in range(9, 13) for sh in ((a, 1), (1, a))
)  # fmt: skip
#: Initial shape probabilities (Gale–Church-like); re-estimated from the first pass.
_PRIOR0 = {
    (1, 1): 0.85, (1, 0): 0.01, (0, 1): 0.01, (2, 1): 0.04, (1, 2): 0.04, (2, 2): 0.01,
    (3, 1): 0.01, (1, 3): 0.01, (4, 1): 0.003, (1, 4): 0.003, (3, 2): 0.003, (2, 3): 0.003,
    (5, 1): 0.002, (1, 5): 0.002, (6, 1): 0.001, (1, 6): 0.001, (7, 1): 0.0005, (1, 7): 0.0005,
    (8, 1): 0.0003, (1, 8): 0.0003, (9, 1): 0.0002, (1, 9): 0.0002, (10, 1): 0.0001, (1, 10): 0.0001,
    (11, 1): 0.0001, (1, 11): 0.0001, (12, 1): 0.0001, (1, 12): 0.0001,
}  # fmt: skip
_BIG = 1.0e7
# Weight of the utterance-count term (see :func:`alignment_features.utterances`) against the character
# and word terms (0.6 + 0.4). It is taken relative to the same shape with one utterance a sentence, so
# it adds what the shape prior does not know; 1.0 is the best of 0.5 / 1 / 1.5 / 2 on all three sets.
_UNIT_WEIGHT = 1.0
_LEXICON_PASSES = 3  # passes that learn a lexicon from the previous pass (1 → 2 gains most; a 4th loses)
_LEXICON_WEIGHT = 4.0  # nats per learnt word pair of Dice 1 seen many times
_UNMATCHED = 0.1  # nats per unit of key weight left unmatched inside a non-empty bead
_GAP_OPEN = 4.0  # an untranslated run before the translation's first or after its last sentence
_GAP_EXTEND = 1.5  # ... and each sentence in it
_NOTE_DELETE = 1.0  # nats for leaving a footnote or an archival reference line unaligned
# Nats per apparatus line in a bead whose other side has none: more than leaving both out costs, so a
# footnote is never paired with an untranslated sentence at the end.
_NOTE_IN_BEAD = 8.0
# Confidence = sigmoid(slope * margin + bias), margin in nats: Platt scaling fitted (log loss) on the
# scored beads of ntrex + textberg (2,900 beads) and checked on the literary set, which it never saw:
# there beads at 0.62 / 0.77 / 0.90 / 0.98 are right 48 / 67 / 87 / 99 % of the time (fit sets: 67 / 76
# / 88 / 98 %); Brier score 0.131 -> 0.125 on literary. Fiction is harder than news at equal margin,
# so the low bands there remain optimistic.
_CONF_SLOPE = 0.38
_CONF_BIAS = 0.15
_CELL_BUDGET = 2_600_000  # band cells per pass: bounds memory (about 45 bytes a cell) and time


@dataclass
class _Params:
    prior: dict[tuple[int, int], float]
    ratio: float  # target chars per source char
    spread: float  # variance of target length per source char
    wratio: float
    wspread: float
    uratio: float = 1.0  # target utterances per source utterance
    uspread: float = 0.3
    lex_lexicon: float = 0.0
    cont_pen: float = 2.5
    dangle_pen: float = 1.5
    par_pen: float = 3.0
    ext_s: float = _GAP_EXTEND  # per source sentence of a leading/trailing untranslated run
    ext_t: float = _GAP_EXTEND  # ... per target sentence
    shapes: tuple[tuple[int, int], ...] = _SHAPES
    """Shapes searched (0:1 apart); later passes drop the rare ones the first pass never used."""


@dataclass
class _Side:
    """Per-sentence features of one side of a stretch."""

    chars: NDArray[np.float64]
    words: NDArray[np.float64]
    units: NDArray[np.float64]  # utterances: runs of sentence-final punctuation, at least one
    cont: NDArray[np.bool_]
    dangle: NDArray[np.bool_]
    brk: NDArray[np.bool_]  # a paragraph starts at this sentence (index 0 counts)
    forced: NDArray[np.bool_]  # must be in a 1:0 / 0:1 bead (verified deletion)
    note: NDArray[np.bool_]  # editorial apparatus (footnote, archival reference): cheap to leave unaligned
    occ_sent: NDArray[np.int64] = field(repr=False)
    occ_key: NDArray[np.int64] = field(repr=False)

    def __len__(self) -> int:
        return len(self.chars)

    def slice(self, a: int, b: int) -> _Side:

        sel = (self.occ_sent >= a) & (self.occ_sent < b)
        brk = self.brk[a:b].copy()
        if len(brk):
            brk[0] = True
        return _Side(self.chars[a:b], self.words[a:b], self.units[a:b], self.cont[a:b], self.dangle[a:b], brk,
                     self.forced[a:b], self.note[a:b], self.occ_sent[sel] - a, self.occ_key[sel])  # fmt: skip

    def with_keys(self, sent: NDArray[np.int64], key: NDArray[np.int64]) -> _Side:
        import numpy as np

        return replace(self, occ_sent=np.concatenate([self.occ_sent, sent]),
                       occ_key=np.concatenate([self.occ_key, key]))  # fmt: skip


def _side(
    texts: Sequence[str],
    text_words: Sequence[list[str]],
    lang: str,
    other_lang: str,
    breaks: Set[int],
    keyids: dict[str, int],
) -> tuple[_Side, list[list[int]]]:
    import numpy as np

    from sourcereader.core import alignment_features as af

    cross_script = (lang in af.CYRILLIC_LANGS) != (other_lang in af.CYRILLIC_LANGS)
    n = len(texts)
    chars = np.array([len(t.strip()) for t in texts], dtype=np.float64)
    words = np.array([len(t.split()) for t in texts], dtype=np.float64)
    units = np.array([af.utterances(t) for t in texts], dtype=np.float64)
    cont = np.array([af.is_continuation(t) for t in texts], dtype=bool)
    dangle = np.array([af.is_dangling(t) for t in texts], dtype=bool)
    brk = np.zeros(n, dtype=bool)
    for b in breaks:
        if 0 <= b < n:
            brk[b] = True
    if n:
        brk[0] = True
    keys: list[list[int]] = []
    for t, tw in zip(texts, text_words, strict=True):
        ks = af.distinct([*af.name_keys(t, capitalised_only=cross_script, text_words=tw), *af.number_keys(t),
                          *af.punct_keys(t)])  # fmt: skip
        keys.append([keyids.setdefault(k, len(keyids)) for k in ks])
    note = np.array([af.is_note(t) for t in texts], dtype=bool)
    return _Side(chars, words, units, cont, dangle, brk, np.zeros(n, dtype=bool), note,
                 np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)), keys  # fmt: skip


def _occurrences(keys: list[list[int]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    import numpy as np

    sent = np.fromiter((i for i, ks in enumerate(keys) for _ in ks), dtype=np.int64)
    key = np.fromiter((k for ks in keys for k in ks), dtype=np.int64)
    return sent, key


def _key_weights(s: _Side, t: _Side, n_keys: int, family_weight: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weight of a shared key: how unlikely it is to be shared by chance (an idf on both sides)."""
    import numpy as np

    # Short texts would make every shared key look common; chance is judged as if in 20 sentences.
    ns, nt = max(len(s), 20), max(len(t), 20)
    dfs = np.bincount(s.occ_key, minlength=n_keys).astype(np.float64)
    dft = np.bincount(t.occ_key, minlength=n_keys).astype(np.float64)
    with np.errstate(divide="ignore"):
        idf = 0.5 * (np.log((ns + 1) / (dfs + 0.5)) + np.log((nt + 1) / (dft + 0.5)))
    w = np.clip(idf, 0.0, None) * family_weight[:n_keys]
    # A key far more frequent on one side than the other is a false friend, not a translation.
    w[(dfs == 0) | (dft == 0) | (np.maximum(dfs, dft) > 3 * np.minimum(dfs, dft) + 3)] = 0.0
    w[(dfs > 0.3 * ns + 5) | (dft > 0.3 * nt + 5)] = 0.0
    return w


def _match_matrix(
    s: _Side, t: _Side, weights: NDArray[np.float64], wlo: NDArray[np.int64], width: int
) -> NDArray[np.float32]:
    """M[r, x]: weight of keys shared by source sentence r and target sentence wlo[r] + x (a band)."""
    import numpy as np

    n, m = len(s), len(t)
    keep = weights[s.occ_key] > 0
    sr, sk = s.occ_sent[keep], s.occ_key[keep]
    tkeep = weights[t.occ_key] > 0
    comb = np.sort(t.occ_key[tkeep] * (m + 1) + t.occ_sent[tkeep])
    lo = sk * (m + 1) + wlo[sr]
    hi = sk * (m + 1) + np.minimum(wlo[sr] + width, m)
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
        out += np.bincount(r * width + (c - wlo[r]), weights=weights[sk[rep]], minlength=n * width)
    return out.reshape(n, width).astype(np.float32)


def _dedupe(side: _Side, window: int = 2) -> _Side:
    """Drop a key's occurrence when the same key occurred in one of the ``window`` previous sentences.

    Shared keys are summed over the sentence pairs of a bead; a key that recurs in neighbouring
    sentences on both sides (the topic's names) would otherwise be counted four times in a 2:2 bead
    and twice in two 1:1 beads, and pull every bead into a merge.
    """
    import numpy as np

    if not len(side.occ_key):
        return side
    order = np.lexsort((side.occ_sent, side.occ_key))
    k, sn = side.occ_key[order], side.occ_sent[order]
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = ~((k[1:] == k[:-1]) & (sn[1:] - sn[:-1] <= window))
    return replace(side, occ_sent=sn[keep], occ_key=k[keep])


def _tcost_into(delta: NDArray[np.float32], nu: float = 6.0) -> NDArray[np.float32]:
    """Negative log-density (up to a constant) of a Student-t: Gale–Church with heavy tails. Written
    over ``delta`` (a float32 temporary), without temporaries of its own."""
    import numpy as np

    np.multiply(delta, delta, out=delta)
    np.divide(delta, np.float32(nu), out=delta)
    np.log1p(delta, out=delta)
    np.multiply(np.float32(0.5 * (nu + 1)), delta, out=delta)
    return delta


def _dev(lt: NDArray[np.float32], ls: NDArray[np.float32], ratio: float, lt_r: NDArray[np.float32],
         spread: float, add: float) -> NDArray[np.float32]:  # fmt: skip
    """``(lt - ratio * ls) / np.sqrt(spread * (ls + lt_r) / 2 + add)`` for float32 arrays and Python
    floats, with two temporaries instead of seven (the same operations in the same order)."""
    import numpy as np

    num = lt - ratio * ls
    den = ls + lt_r
    np.multiply(spread, den, out=den)
    np.divide(den, 2, out=den)
    np.add(den, add, out=den)
    np.sqrt(den, out=den)
    np.divide(num, den, out=num)
    return num


@dataclass
class _Result:
    path: list[tuple[int, int]]
    conf: list[float]
    touched_edge: bool
    has_conf: bool


def _min_width(n: int, m: int) -> int:
    """The narrowest band whose rows can still chain from (0, 0) to (n, m) (see :func:`_band`)."""
    return min(m + 1, -(-2 * (m + 1) // (n + 1)) + 2)


def _band(guide: NDArray[np.float64], m: int, width: int) -> NDArray[np.int64]:
    """First column of each row's band: centred on ``guide``, monotone, and connected.

    Consecutive rows' bands overlap by at least half a band and the last row's band holds column
    ``m``, so a path from (0, 0) to (n, m) always exists. Without this, a side much longer than the
    other (20,000 lines against 2) had bands that skipped columns, and the back-trace ran off the band.
    Needs ``width >= _min_width(n, m)``.
    """
    import numpy as np

    n = len(guide) - 1
    last = max(0, m + 1 - width)
    step = max(1, (width - 1) // 2)
    i = np.arange(n + 1, dtype=np.int64)
    lo = np.rint(guide).astype(np.int64) - width // 2
    lo = np.maximum.accumulate(lo)
    # Envelope: reachable from column 0 at row 0 and able to reach ``last`` by row n in steps of ``step``.
    lo = np.clip(lo, np.maximum(0, last - (n - i) * step), np.minimum(last, i * step))
    # Then cap each row's advance over the previous one; this only lowers values and stays in the envelope.
    return np.asarray(np.minimum.accumulate(lo - i * step) + i * step, dtype=np.int64)


def _dp(s: _Side, t: _Side, p: _Params, weights: NDArray[np.float64], guide: NDArray[np.float64],
        width: int, want_conf: bool = True) -> _Result:  # fmt: skip
    """One banded forward-backward pass. ``guide[i]`` is the expected target position at source i."""
    import numpy as np

    n, m = len(s), len(t)
    W = min(width, m + 1)
    lo = _band(guide, m, W)
    rows = n + 1
    ar = np.arange(W)
    J = lo[:, None] + ar[None, :]  # target position of each cell
    valid_cell = m >= J
    Jall = J
    # The lexical band for source sentence r covers the targets any bead containing r can reach.
    amax = max(a for a, _ in p.shapes)
    bmax = max(1, *(b for _, b in p.shapes))
    jump = lo[np.minimum(np.arange(n) + amax, n)] - lo[1:] if n else None
    W2 = int(min(W + bmax + (int(jump.max()) if n and jump is not None else 0), 3 * W + bmax))
    wlo = np.maximum(lo[1:] - bmax, 0) if n else np.zeros(0, dtype=np.int64)
    s, t = _dedupe(s), _dedupe(t)
    M = _match_matrix(s, t, weights, wlo, W2)
    Q = np.zeros((n, W2 + 1), dtype=np.float32)
    np.cumsum(M, axis=1, out=Q[:, 1:])

    CS = np.concatenate([[0.0], np.cumsum(s.chars)]).astype(np.float32)
    CT = np.concatenate([[0.0], np.cumsum(t.chars)]).astype(np.float32)
    WS = np.concatenate([[0.0], np.cumsum(s.words)]).astype(np.float32)
    WT = np.concatenate([[0.0], np.cumsum(t.words)]).astype(np.float32)
    US = np.concatenate([[0.0], np.cumsum(s.units)]).astype(np.float32)
    UT = np.concatenate([[0.0], np.cumsum(t.units)]).astype(np.float32)
    FS = np.concatenate([[0], np.cumsum(s.forced)])
    FT = np.concatenate([[0], np.cumsum(t.forced)])
    BS = np.concatenate([[0], np.cumsum(s.brk)])
    NS = np.concatenate([[0], np.cumsum(s.note)])
    NT = np.concatenate([[0], np.cumsum(t.note)])
    BT = np.concatenate([[0], np.cumsum(t.brk)])
    use_par = bool(s.brk[1:].any() and t.brk[1:].any()) if n and m else False
    # float32 throughout the cost arrays: half the memory traffic of float64, ample precision for nats.
    MS = np.concatenate([[0.0], np.cumsum(np.bincount(s.occ_sent, weights=weights[s.occ_key], minlength=n))])
    MT = np.concatenate([[0.0], np.cumsum(np.bincount(t.occ_sent, weights=weights[t.occ_key], minlength=m))])
    MS, MT = MS.astype(np.float32), MT.astype(np.float32)
    iidx = iall = np.arange(rows)

    # Lexical sums: G[a][i, x] = sum over source rows i-a..i-1 of matches with targets up to column x.
    G: list[NDArray[np.float32]] = [np.zeros((rows, W + bmax), dtype=np.float32)]
    # Row i of G's term for source row rc is row rc of Q from column lo[i] - wlo[rc] - bmax on, the
    # columns clipped to the row (0 … W2): a window of Q's row padded with its end values.
    rcs = [np.maximum(iidx - rr, 0) for rr in range(1, amax + 1)]
    firsts = [lo - wlo[rc] - bmax for rc in rcs] if n else []
    left = max([0, *(-int(f.min()) for f in firsts)])
    right = max([0, *(int(f.max()) + W + bmax - 1 - W2 for f in firsts)])
    Qpad = np.concatenate([np.zeros((n, left), np.float32), Q, np.repeat(Q[:, -1:], right, axis=1)], axis=1)
    Qwin = np.lib.stride_tricks.sliding_window_view(Qpad, W + bmax, axis=1)
    for rr in range(1, amax + 1):
        g = Qwin[rcs[rr - 1], firsts[rr - 1] + left] if n else np.zeros((rows, W + bmax), dtype=np.float32)
        g[:rr] = 0.0  # rows before the rr-th have no source row rr above them
        G.append(G[-1] + g)

    def edges(note: NDArray[np.bool_]) -> tuple[int, int]:
        """End positions of the first and the last sentence that is not apparatus (1-based)."""
        real = np.flatnonzero(~note)
        return (int(real[0]) + 1, int(real[-1]) + 1) if len(real) else (1, len(note))

    has_notes = bool(s.note.any() or t.note.any())
    s_first, s_last = edges(s.note)
    t_first, t_last = edges(t.note)

    # Target-side arrays are read at each cell's target position (or that minus b) clipped to 0 … m.
    # A band row's positions are consecutive, so the rows of such a read are windows of the array
    # padded with its end values: one copy per row instead of one gather per cell (5 times quicker).
    def windows(x: NDArray[Any]) -> NDArray[Any]:
        """``windows(x)[lo[r] + bmax - b, k] == x[clip(lo[r] + k - b, 0, m)]`` for x of length m + 1."""
        padded = np.concatenate([np.repeat(x[:1], bmax), x, np.repeat(x[-1:], W + bmax)])
        return np.lib.stride_tricks.sliding_window_view(padded, W)

    CTw, WTw, UTw, MTw, BTw, NTw, FTw = (windows(x) for x in (CT, WT, UT, MT, BT, NT, FT))
    # Whether the bead's first target sentence is a continuation (none past the end), whether the
    # sentence before its end dangles (none before the start), and whether a paragraph starts at it.
    contw = windows(np.append(t.cont, False))
    danglew = windows(np.concatenate([[False], t.dangle]))
    brkw = windows(np.append(t.brk, t.brk[-1:]))
    notew = windows(np.append(t.note, t.note[-1:]))

    # Row k of ``below`` is ``ar < k`` (k = 0 … W): a row gather of it is five times quicker than the
    # broadcast comparison it replaces (a bound clipped to 0 … W selects the same cells).
    below = ar[None, :] < np.arange(W + 1)[:, None] if W <= 2048 else None
    above = ~below if below is not None else None  # row k: ``ar >= k``

    def outside(kmin: NDArray[np.int64], kmax: NDArray[np.int64]) -> NDArray[np.bool_]:
        """``(ar < kmin[:, None]) | (ar >= kmax[:, None])``: the cells of each row outside kmin … kmax - 1."""
        if below is None or above is None:
            return np.asarray((ar < kmin[:, None]) | (ar >= kmax[:, None]))
        out = below[np.minimum(np.maximum(kmin, 0), W)]
        out |= above[np.minimum(np.maximum(kmax, 0), W)]
        return out

    def tside(b: int, r0: int, r1: int, tcache: Cache) -> tuple[NDArray[Any], ...]:
        """Target-side arrays of a bead with ``b`` target sentences ending at each cell of rows
        ``r0:r1``: shared by every shape with that ``b`` (seven shapes have b = 1)."""
        if b in tcache:
            return tcache[b]
        end, start = lo[r0:r1] + bmax, lo[r0:r1] + (bmax - b)  # window rows of J and of J - b
        lt, ltw, ltu = CTw[end] - CTw[start], WTw[end] - WTw[start], UTw[end] - UTw[start]
        out = (lt, ltw, ltu, MTw[end] - MTw[start], lt / p.ratio, ltw / p.wratio, ltu / p.uratio)
        tcache[b] = out
        return out

    def textra(b: int, r0: int, r1: int, xcache: Cache) -> tuple[NDArray[Any], ...]:
        """More target-side arrays, cached like :func:`tside`: whether the bead's first target sentence
        is a continuation and its last dangles, and (with paragraphs) the target's part of the
        paragraph-crossing count and whether a paragraph starts at its first sentence; then the
        continuation penalty of a bead whose first source sentence is not a continuation, and the
        dangling penalty of a bead with no source sentence and of one with some (which sentence
        ends it depends on the row alone)."""
        if b in xcache:
            return xcache[b]
        end, start = lo[r0:r1] + bmax, lo[r0:r1] + (bmax - b)
        starts_t = brkw[start]
        tpar = BTw[end] - BTw[start] - starts_t if use_par else starts_t
        ct, dt = contw[start], danglew[end]
        cont_pen, dangle_pen = np.float32(p.cont_pen), np.float32(p.dangle_pen)
        pen_dt = dangle_pen * dt
        if n:
            iidx = iall[r0:r1]
            ds = (s.dangle[np.maximum(iidx - 1, 0)] & (iidx > 0))[:, None]
            pen_ds = dangle_pen * (ds != dt)
        else:
            pen_ds = pen_dt
        xcache[b] = out = (ct, dt, tpar, starts_t, cont_pen * ct, pen_dt, pen_ds)
        return out

    def cost(a: int, b: int, r0: int, r1: int, out: NDArray[Any], tcache: Cache, xcache: Cache) -> None:
        """Cost of every bead of shape a:b ending at a cell of rows ``r0:r1``, written to ``out`` (the
        caches are the block's own, for :func:`tside` and :func:`textra`)."""
        iidx, J = iall[r0:r1], Jall[r0:r1]
        nr = r1 - r0
        i0 = iidx - a
        i0c = np.maximum(i0, 0)
        lt, ltw, ltu, mtd, lt_r, ltw_r, ltu_r = tside(b, r0, r1, tcache)
        # Cells where no such bead can end, an interval of columns in each row: its first target
        # sentence J - b must lie in the matrix (0 <= J - b, J <= m) and the cell it starts from,
        # (i0, J - b), in the band of row i0 (lo[i0] <= J - b < lo[i0] + W).
        lr = lo[r0:r1]
        wend, wstart = lr + bmax, lr + (bmax - b)  # rows of the target-side windows at J and J - b
        kmin = lo[i0c] - lr + b
        kmax = np.minimum(m + 1 - lr, kmin + W)
        kmin[i0 < 0] = W
        bad = outside(kmin, kmax)
        ls = (CS[r0:r1] - CS[i0c])[:, None]
        lsw = (WS[r0:r1] - WS[i0c])[:, None]
        # float32 in place, term by term in the order of
        # c = -log(prior) + 0.6 * tcost(dc) + 0.4 * tcost(dw) + unit term - evidence + unmatched
        # (a sum with one scalar is the same either way round): the same values, fewer temporaries.
        c = _tcost_into(_dev(lt, ls, p.ratio, lt_r, p.spread, 4.0))
        np.multiply(c, 0.6, out=c)
        np.add(c, -math.log(p.prior[(a, b)]), out=c)
        cw = _tcost_into(_dev(ltw, lsw, p.wratio, ltw_r, p.wspread, 1.0))
        np.multiply(cw, 0.4, out=cw)
        c += cw
        if a and b and _UNIT_WEIGHT:
            lsu = (US[r0:r1] - US[i0c])[:, None]
            cu = _tcost_into(_dev(ltu, lsu, p.uratio, ltu_r, p.uspread, 0.5))
            # Relative to a bead of single-utterance sentences of the same shape: the shape prior
            # already prices a 1:2 bead, so this adds only what the utterances inside say.
            du0 = (b - p.uratio * a) / math.sqrt(p.uspread * (a + b / p.uratio) / 2 + 0.5)
            np.subtract(cu, 3.5 * math.log1p(du0 * du0 / 6.0), out=cu)  # _tcost_into of du0
            if _UNIT_WEIGHT != 1.0:
                np.multiply(_UNIT_WEIGHT, cu, out=cu)
            c += cu
        if a and b:
            # Shared keys, each counted at most once per bead: the pair sum over-counts a key that
            # recurs in neighbouring sentences, which would otherwise pull every bead into a merge.
            ev = G[a][r0:r1, bmax:] - G[a][r0:r1, bmax - b : bmax - b + W]
            msd = (MS[r0:r1] - MS[i0c])[:, None]
            np.minimum(ev, msd, out=ev)
            np.minimum(ev, mtd, out=ev)
            # Keys that find no partner inside a bead that claims to be a translation count against it
            # (in a 1:0 / 0:1 bead nothing is expected to match).
            mass = msd + mtd
            mass -= 2 * ev
            np.maximum(mass, 0.0, out=mass)
            np.multiply(_UNMATCHED, mass, out=mass)
            # Neighbouring sentences share vocabulary, so a merged bead collects cross matches even
            # when it is wrong: discount evidence by the bead's size.
            if a * b != 1:
                np.divide(ev, math.sqrt(a * b), out=ev)
            c -= ev
            c += mass
        if a and b and has_notes:
            # Apparatus inside a bead only where the other side has its own (a footnote translated).
            ns_, nt_ = (NS[r0:r1] - NS[i0c])[:, None], NTw[wend] - NTw[wstart]
            c = c + _NOTE_IN_BEAD * (np.maximum(ns_ - nt_, 0) + np.maximum(nt_ - ns_, 0))
        # A bead that starts with a fragment cut from the previous sentence (or ends in one that
        # continues) is suspect, unless the other side is cut the same way (parallel ``;`` splits).
        cs = np.zeros((nr, 1), dtype=bool)
        ds = np.zeros((nr, 1), dtype=bool)
        ct = np.zeros((1, W), dtype=bool)
        dt = np.zeros((1, W), dtype=bool)
        if a and n:
            cs = (s.cont[np.minimum(i0c, n - 1)] & (i0 < n))[:, None]
            ds = (s.dangle[np.maximum(iidx - 1, 0)] & (iidx > 0))[:, None]
        # In place and with float32 scalars: a Python float times a bool array would be float64, and
        # the cost arrays are the aligner's largest (this function is most of its time).
        if b and m:
            ct, dt, tpar, starts_t, pen_ct, pen_dt, pen_ds = textra(b, r0, r1, xcache)
            # The same values as the expressions below, from arrays shared by the shapes with this b.
            c += np.float32(p.cont_pen) * (cs != ct) if a and n and cs.any() else pen_ct
            c += pen_ds if a and n else pen_dt
        else:
            c += np.float32(p.cont_pen) * (cs != ct)
            c += np.float32(p.dangle_pen) * (ds != dt)
        # A verified deletion admits only its own 1:0 / 0:1 bead.
        if (a, b) not in ((1, 0), (0, 1)) and (FS[-1] or FT[-1]):
            nfs = (FS[r0:r1] - FS[i0c])[:, None]
            nft = FTw[wend] - FTw[wstart]
            bad |= (nfs != 0) | (nft != 0)
        if use_par and a and b:
            inner = ((BS[r0:r1] - BS[i0c])[:, None] - s.brk[np.minimum(i0c, n - 1)][:, None]) + tpar
            starts_s = s.brk[np.minimum(i0c, n - 1)][:, None]
            c = c + np.float32(p.par_pen) * (inner + (starts_s != starts_t)).astype(np.float32)
        # Partial translations are normal: a source run past the end (or before the start) of the
        # translation is one cheap gap, not a string of unlikely deletions or a giant merge.
        # Every bead after the translation's end is a deletion, and the one ending at (n, m) is always
        # among them, so it carries the gap's opening cost and the others only a small extension cost.
        # Editorial apparatus (footnotes, archival references) has no counterpart by nature, wherever
        # it stands; it neither opens nor extends a gap, so the gap's opening cost is carried by the
        # first (last) sentence of the run that is not apparatus.
        if (a, b) == (1, 0):
            note = s.note[np.minimum(i0c, n - 1)][:, None]
            end = np.where((iidx == s_last)[:, None], _GAP_OPEN + p.ext_s, p.ext_s)
            start = np.where((iidx == s_first)[:, None], _GAP_OPEN + p.ext_s, p.ext_s)
            c = np.where(m == J, end, np.where(J == 0, start, c))
            if has_notes:
                c = np.where(note, np.minimum(c, _NOTE_DELETE), c)
        elif (a, b) == (0, 1):
            note = notew[wstart]
            end = np.where(t_last == J, _GAP_OPEN + p.ext_t, p.ext_t)
            start = np.where(t_first == J, _GAP_OPEN + p.ext_t, p.ext_t)
            c = np.where((iidx == n)[:, None], end, np.where((iidx == 0)[:, None], start, c))
            if has_notes:
                c = np.where(note, np.minimum(c, _NOTE_DELETE), c)
        # Nearly every cell of the band is a possible bead end: setting the few others afterwards is a
        # quarter of the time of np.where(ok, c, BIG), and writes the same values.
        np.copyto(out, c)
        np.copyto(out, _BIG, where=bad)

    shapes = p.shapes
    T = len(shapes)
    # Each shape's costs sit inside a padded row of Cbuf, for the windows of the backward pass.
    pad = W + bmax
    Cbuf = np.empty((T, rows * W + 2 * pad), dtype=np.float32)
    Cbuf[:, :pad] = Cbuf[:, -pad:] = _BIG
    C = Cbuf[:, pad : pad + rows * W].reshape(T, rows, W)
    C01 = np.empty((rows, W), dtype=np.float64)

    def block(r0: int) -> None:
        """Every shape's costs in one block of rows, with the block's own caches."""
        r1 = min(rows, r0 + chunk)
        tcache: Cache = {}
        xcache: Cache = {}
        for ti, (a, b) in enumerate(shapes):
            cost(a, b, r0, r1, C[ti, r0:r1], tcache, xcache)
        cost(0, 1, r0, r1, C01[r0:r1], tcache, xcache)

    # A block of rows at a time: the temporaries stay in cache (whole-band ones cost page faults).
    chunk = max(1, 32768 // W)
    for r0 in range(0, rows, chunk):
        block(r0)
    A = np.array([a for a, _ in shapes])
    B = np.array([b for _, b in shapes])

    # Forward. Rows are sequential; within a row every shape is one gather, and 0:1 chains are a
    # running minimum (D[k] = min(X[k], D[k-1] + s[k]) solved with a cumulative sum).
    # The predecessors of a row's cells by one shape are consecutive cells of D (a window), so the
    # gather is one row copy per shape. D sits inside a buffer padded with BIG that holds every window;
    # a window that leaves the band of its row (into another row or the padding) does so only for
    # cells where that shape's cost is BIG, so it cannot decide a cell that a real bead reaches.
    Dbuf = np.full(rows * W + 2 * pad, _BIG)
    D = Dbuf[pad : pad + rows * W].reshape(rows, W)
    Dwin = np.lib.stride_tricks.sliding_window_view(Dbuf, W)
    X = np.full(W, _BIG)
    X[0] = 0.0
    C01[:, 0] = _BIG
    S01 = np.cumsum(C01, axis=1)
    i0all = np.maximum(iidx[None, :] - A[:, None], 0)
    base_all = i0all * W + lo[None, :] - B[:, None] - lo[i0all]
    fwd = np.clip(base_all + pad, 0, len(Dbuf) - W).T.copy()  # window of each row and shape
    # No back-pointers: the loop runs once per row, so every numpy call in it counts; the back-trace
    # below recomputes the choice at the few cells of the path, with the same arithmetic.
    for i in range(rows):
        if i > 0:
            cand = Dwin[fwd[i]]
            cand += C[:, i, :]
            X = cand.min(axis=0)
        X -= S01[i]
        row = D[i]
        np.minimum.accumulate(X, out=row)
        row += S01[i]
    np.minimum(D, _BIG, out=D)

    def back(i: int, k: int) -> int:
        """The shape (index into ``shapes``, or T for 0:1) by which the forward pass reached a cell."""
        if i == 0:
            return T
        cand = Dbuf[fwd[i] + k] + C[:, i, k]
        t = int(cand.argmin())
        return T if D[i, k] < min(float(cand[t]), _BIG) - 1e-7 else t

    end_k = m - lo[n]
    best = D[n, end_k]
    path = [(n, m)]
    i, k = n, int(end_k)
    while (i, lo[i] + k) != (0, 0):
        code = back(i, k)
        if code == T:
            k -= 1
        else:
            a, b = shapes[code]
            j = lo[i] + k - b
            i -= a
            k = int(j - lo[i])
        path.append((i, int(lo[i] + k)))
        if len(path) > rows + m + 2:  # pragma: no cover - defensive: a broken back-pointer
            raise RuntimeError("alignment back-trace did not terminate")
    path.reverse()

    if not want_conf:
        # Without the backward pass every bead counts as confident (used between passes only).
        return _Result(path, [10.0] * (len(path) - 1), _touched(path, lo, W, m), False)
    # Backward: E[i, k] = best cost from cell (i, lo[i] + k) to the end. Like the forward pass, one
    # gather per row: C is turned in place (its forward use is over) into Cb[t, i, k], the cost of the
    # bead of shape t that starts at cell (i, k), or BIG where that bead leaves the band or the matrix.
    i1all = iidx[None, :] + A[:, None]
    i1c = np.minimum(i1all, n)
    kp_all = lo[None, :] + B[:, None] - lo[i1c]  # column in row i1 of the cell reached from column 0
    off_all = i1c * W + kp_all
    for ti in range(T):
        # Row i of Cb[t] is a window of C[t]'s padded row: the cells of row i1 from column kp on.
        starts = np.clip(off_all[ti] + pad, 0, Cbuf.shape[1] - W)
        moved = np.lib.stride_tricks.sliding_window_view(Cbuf[ti], W)[starts]
        kp = kp_all[ti]
        gone = outside(-kp, W - kp)
        gone |= (i1all[ti] > n)[:, None]
        np.copyto(moved, _BIG, where=gone)
        C[ti] = moved
    Ebuf = np.full(rows * W + 2 * pad, _BIG)  # padded like D, for the same windows
    E = Ebuf[pad : pad + rows * W].reshape(rows, W)
    Ewin = np.lib.stride_tricks.sliding_window_view(Ebuf, W)
    bwd = np.clip(off_all + pad, 0, len(Ebuf) - W).T.copy()
    # The 0:1 chain within a row, solved with a reversed running minimum over cumulative costs.
    R = np.zeros((rows, W), dtype=np.float64)
    np.cumsum(C01[:, 1:], axis=1, out=R[:, 1:])  # column 0 of C01 is BIG; it is never a 0:1 end here
    for i in range(n, -1, -1):
        cand = Ewin[bwd[i]]
        cand += C[:, i, :]
        Y = cand.min(axis=0)
        if i == n:
            Y[end_k] = 0.0
        Ri = R[i]
        Y += Ri
        Z = np.minimum.accumulate(Y[::-1])[::-1]
        Z -= Ri
        np.minimum(Z, _BIG, out=E[i])

    # Margins: how much worse is the best path avoiding a path cell (through its row or column).
    # The bead interiors read below are neither path cells nor past the matrix: F there is Fm.
    Fm = F = D + E
    pi = np.array([c[0] for c in path])
    pj = np.array([c[1] for c in path])
    Fm[pi, pj - lo[pi]] = np.inf
    tail = np.flatnonzero(lo + W - 1 > m)  # the last rows, whose band runs past the matrix
    Fm[tail] = np.where(valid_cell[tail], Fm[tail], np.inf)
    row_alt = Fm.min(axis=1)
    # Column minima: rows with the same band start are reduced together, then each band column is a
    # scatter without repeated indices (a minimum does not depend on the order; ufunc.at is slow).
    run = np.flatnonzero(np.concatenate([[True], lo[1:] != lo[:-1]]))
    red = np.minimum.reduceat(Fm, run, axis=0)
    col_alt = np.full(m + 1 + W, np.inf)
    for k in range(W):
        jk = lo[run] + k
        col_alt[jk] = np.minimum(col_alt[jk], red[:, k])
    col_alt = col_alt[: m + 1]
    cell_margin = (np.minimum(row_alt[pi], col_alt[pj]) - best).tolist()
    conf: list[float] = []
    for q in range(1, len(path)):
        (i0_, j0_), (i1_, j1_) = path[q - 1], path[q]
        mar = min(cell_margin[q - 1] if q > 1 else np.inf, cell_margin[q] if q < len(path) - 1 else np.inf)
        if (i1_ - i0_) + (j1_ - j0_) > 2:  # alternatives that split this bead pass through its inside
            for ii in range(i0_, i1_ + 1):
                for jj in range(j0_, j1_ + 1):
                    kk2 = jj - lo[ii]
                    if (ii, jj) in ((i0_, j0_), (i1_, j1_)) or not 0 <= kk2 < W:
                        continue
                    mar = min(mar, F[ii, kk2] - best)
        conf.append(float(mar))
    touched = _touched(path, lo, W, m)
    return _Result(path, conf, touched, True)


def _touched(path: list[tuple[int, int]], lo: NDArray[np.int64], W: int, m: int, edge: int = 3) -> bool:
    """Whether the path runs within ``edge`` cells of a band edge that is not the matrix edge."""
    return any(
        (j - lo[i] < edge and lo[i] > 0) or (j - lo[i] >= W - edge and lo[i] + W <= m) for i, j in path
    )


def _guide_from_lengths(s: _Side, t: _Side) -> NDArray[np.float64]:
    import numpy as np

    n, m = len(s), len(t)
    cs = np.concatenate([[0.0], np.cumsum(s.chars + 1)])
    ct = np.concatenate([[0.0], np.cumsum(t.chars + 1)])
    if cs[-1] == 0 or ct[-1] == 0:
        return np.linspace(0, m, n + 1)
    frac = cs / cs[-1]
    return np.asarray(np.interp(frac, ct / ct[-1], np.arange(m + 1)), dtype=np.float64)


def _guide_from_path(path: list[tuple[int, int]], n: int) -> NDArray[np.float64]:
    import numpy as np

    pi = np.array([c[0] for c in path], dtype=np.float64)
    pj = np.array([c[1] for c in path], dtype=np.float64)
    return np.asarray(np.interp(np.arange(n + 1), pi, pj), dtype=np.float64)


def _run(s: _Side, t: _Side, p: _Params, weights: NDArray[np.float64],
         guide: NDArray[np.float64] | None, want_conf: bool) -> _Result:  # fmt: skip
    """A banded pass that widens and re-centres its band while the path runs along the band's edge.

    The first pass follows the cumulative-length diagonal in a wide band; later passes follow the
    previous path in a narrow one.
    """
    n, m = len(s), len(t)
    # A later pass's band need not hold more than the previous path's own errors: 48 cells give the same
    # beads as 96 on all three sets at 60 % of the time, which pays for the third lexicon pass (and the
    # path running along the band's edge still widens it).
    width = 256 if guide is None else 48
    # Long texts get a narrower first band (it widens where the path needs it).
    # Later passes follow the previous path and rarely need more than a quarter of the budget.
    budget = _CELL_BUDGET // 2 if guide is None else _CELL_BUDGET // 4
    width = max(64 if guide is None else 48, min(m + 1, width, budget // (n + 1)))
    # A side much longer than the other needs rows wide enough to connect (cells stay about 2 m).
    width = min(m + 1, max(width, _min_width(n, m)))
    g = _guide_from_lengths(s, t) if guide is None else guide
    res = _dp(s, t, p, weights, g, width, want_conf)
    for _ in range(4):
        if not res.touched_edge or width >= m + 1:
            break
        # Widening is capped by the cell budget: memory stays linear in the document's length.
        cap = max(width, _CELL_BUDGET // (n + 1))
        if width >= cap:
            break
        width = min(m + 1, width * 2, cap)
        res = _dp(s, t, p, weights, _guide_from_path(res.path, n), width, want_conf)
    return res


def _sigmoid(x: float) -> float:
    if x > 40:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))


def _to_beads(path: list[tuple[int, int]], conf: list[float], s0: int, t0: int, scale: float) -> list[Bead]:
    out = []
    for q in range(1, len(path)):
        (i0, j0), (i1, j1) = path[q - 1], path[q]
        out.append(Bead(tuple(range(s0 + i0, s0 + i1)), tuple(range(t0 + j0, t0 + j1)),
                        round(_sigmoid(_CONF_SLOPE * scale * conf[q - 1] + _CONF_BIAS), 4)))  # fmt: skip
    return out


def _estimate(beads: list[tuple[int, int, int, int, float]], s: _Side, t: _Side, p: _Params) -> _Params:
    """Re-estimate shape priors and length ratios from a first-pass alignment (confident beads)."""
    import numpy as np

    # A Dirichlet prior worth 100 beads keeps short documents near the usual shape distribution.
    counts = {k: 100.0 * v for k, v in _PRIOR0.items()}
    for i0, i1, j0, j1, _c in beads:
        shape = (i1 - i0, j1 - j0)
        if shape in counts:
            counts[shape] += 1.0
    arr = np.array(beads, dtype=np.float64).reshape(-1, 5)
    b0, b1, c0, c1 = (arr[:, k].astype(np.int64) for k in range(4))
    sel = (arr[:, 4] > 0.6) & (b1 > b0) & (c1 > c0)
    b0, b1, c0, c1 = b0[sel], b1[sel], c0[sel], c1[sel]

    def sums(x: NDArray[np.float64], lo_: NDArray[np.int64], hi_: NDArray[np.int64]) -> NDArray[np.float64]:
        # Lengths are whole numbers, so differences of cumulative sums are exact.
        cum = np.concatenate([[0.0], np.cumsum(x)])
        return np.asarray(cum[hi_] - cum[lo_], dtype=np.float64)

    rs, rt = sums(s.chars, b0, b1), sums(t.chars, c0, c1)
    ws, wt = sums(s.words, b0, b1), sums(t.words, c0, c1)
    us, ut = sums(s.units, b0, b1), sums(t.units, c0, c1)
    tot = sum(counts.values())
    prior = {k: v / tot for k, v in counts.items()}
    # Each shape costs a full pass over the band; one the first pass never chose is not worth it.
    shapes = tuple(sh for sh in p.shapes if sh in _CORE_SHAPES or counts[sh] > 100.0 * _PRIOR0[sh])
    shapes = _with_longer(shapes)
    if len(rs) < 10:
        return replace(p, prior=prior, shapes=shapes)
    a_s, a_t, a_ws, a_wt, a_us, a_ut = rs, rt, ws, wt, us, ut
    ratio = float(a_t.sum() / max(a_s.sum(), 1.0))
    wratio = float(a_wt.sum() / max(a_ws.sum(), 1.0))
    resid = (a_t - ratio * a_s) ** 2 / ((a_s + a_t / ratio) / 2 + 4.0)
    wresid = (a_wt - wratio * a_ws) ** 2 / ((a_ws + a_wt / wratio) / 2 + 1.0)
    uratio = float(a_ut.sum() / max(a_us.sum(), 1.0))
    uresid = (a_ut - uratio * a_us) ** 2 / ((a_us + a_ut / uratio) / 2 + 0.5)
    uspread = float(np.clip(np.mean(uresid), 0.05, 4.0))
    spread = float(np.clip(_median(resid) * 2.2, 1.0, 40.0))
    wspread = float(np.clip(_median(wresid) * 2.2, 0.2, 10.0))
    return replace(p, prior=prior, ratio=ratio, spread=spread, wratio=wratio, wspread=wspread, uratio=uratio,
                   uspread=uspread, shapes=shapes)  # fmt: skip


def _with_longer(shapes: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """``shapes`` (those the last pass used, see :func:`_estimate`) with :data:`_LONGER_SHAPES` towards
    a side when the last pass put a bead of 6:1 or longer that way, and without them otherwise."""
    out = tuple(sh for sh in shapes if sh not in _LONGER_SHAPES)
    if any((a, 1) in shapes for a in range(6, 13)):
        out += tuple(sh for sh in _LONGER_SHAPES if sh[1] == 1)
    if any((1, b) in shapes for b in range(6, 13)):
        out += tuple(sh for sh in _LONGER_SHAPES if sh[0] == 1)
    return out


def _median(x: NDArray[np.float64]) -> float:
    """``np.median`` of a non-empty vector, to the bit: that one imports ``numpy.ma`` (7 ms of every
    ``sourcereader align`` process) to check for a masked array."""
    import numpy as np

    v = np.sort(x)
    h = len(v) // 2
    if np.isnan(v[-1]):  # NaN sorts last and, as in np.median, makes the median NaN
        return float("nan")
    return float(v[h]) if len(v) % 2 else float((v[h - 1] + v[h]) / 2)


@dataclass
class _Stems:
    """Crude stems of one side's sentences as vocabulary ids, each stem once per sentence (CSR)."""

    ptr: NDArray[np.int64]  # sentence i holds ids[ptr[i]:ptr[i + 1]]
    ids: NDArray[np.int64]
    vocab: int


def _stems(texts: Sequence[str], text_words: Sequence[list[str]]) -> _Stems:
    import numpy as np

    from sourcereader.core import alignment_features as af

    per = [
        list(dict.fromkeys(af.stem_words(x, text_words=w))) for x, w in zip(texts, text_words, strict=True)
    ]
    flat = [w for ws in per for w in ws]
    # Ids in order of first occurrence (ties in the lexicon's competitive linking follow them).
    vocab = {w: i for i, w in enumerate(dict.fromkeys(flat))}
    ptr = np.zeros(len(per) + 1, dtype=np.int64)
    np.cumsum([len(ws) for ws in per], out=ptr[1:])
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    return _Stems(ptr, ids, len(vocab))


def _bead_words(
    st: _Stems, b0: NDArray[np.int64], b1: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(word, bead) pairs, each once: the stems of sentences ``b0[q]:b1[q]`` for every bead q."""
    import numpy as np

    sizes = b1 - b0
    bead = np.repeat(np.arange(len(b0)), sizes)
    sent = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes) + np.repeat(b0, sizes)
    cnt = st.ptr[sent + 1] - st.ptr[sent]
    pos = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt) + np.repeat(st.ptr[sent], cnt)
    code = np.sort(np.repeat(bead, cnt) * st.vocab + st.ids[pos])
    code = code[np.concatenate([[True], code[1:] != code[:-1]])]  # np.unique, without its hashing
    return code % st.vocab, code // st.vocab


def _learn_lexicon(
    beads: list[tuple[int, int, int, int, float]], src_stems: _Stems, tgt_stems: _Stems
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Word pairs that co-occur in confident beads far more than chance (Dice over beads): source and
    target stem ids and a weight for each pair."""
    import numpy as np

    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
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
    return ps[kq], pt[kq], dice[kq] * (1.0 - 1.0 / co[kq])


def _with_lexicon(
    S: _Side,
    T: _Side,
    weights: NDArray[np.float64],
    lex: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    sstems: _Stems,
    tstems: _Stems,
) -> tuple[_Side, _Side, NDArray[np.float64]]:
    """Add one key per lexicon pair to the sentences holding its words."""
    import numpy as np

    ps, pt, w = lex
    base = len(weights)
    out = []
    for st, words in ((sstems, ps), (tstems, pt)):
        key = np.full(st.vocab, -1, dtype=np.int64)
        key[words] = base + np.arange(len(words))
        k = key[st.ids]
        sent = np.repeat(np.arange(len(st.ptr) - 1), np.diff(st.ptr))
        out.append((sent[k >= 0], k[k >= 0]))
    return (S.with_keys(*out[0]), T.with_keys(*out[1]), np.concatenate([weights, w * _LEXICON_WEIGHT]))


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    src_breaks: Set[int] = frozenset(),
    tgt_breaks: Set[int] = frozenset(),
    fixed: Sequence[Bead] = (),
    mt: Sequence[str] | None = None,
    confidence: bool = True,
) -> list[Bead]:
    """Align source sentences with target sentences into beads covering both sides once, in order.

    ``src_breaks``/``tgt_breaks`` are indices (> 0) where paragraphs start; they anchor the alignment
    when both sides have them. ``fixed`` beads are kept exactly (returned verified); a fixed bead with
    an empty side pins that sentence as untranslated. ``mt`` is a machine translation of ``src`` (one
    string per source sentence, in the target language): its word overlap with ``tgt`` is extra
    evidence. ``confidence=False`` is for callers that use the beads alone: the last pass skips the
    backward sweep that prices the confidences, the beads are the same, and those the search chose
    have confidence NaN.
    """
    import numpy as np

    from sourcereader.core import alignment_features as af

    n, m = len(src), len(tgt)
    if mt is not None and len(mt) != n:
        raise ValueError(f"mt has {len(mt)} sentences for {n} source sentences")
    anchors, forced_s, forced_t = _check_fixed(fixed, n, m)
    gs, gt = _glue_groups(src, fixed, "src"), _glue_groups(tgt, fixed, "tgt")
    if len(gs) < n or len(gt) < m:
        # Punctuation-only lines (a closing quote or a dash the segmenter cut off) are aligned as part
        # of the sentence before them: translations attach them there, and on their own they cost a
        # 0:1 bead or pull the next bead out of shape.
        return _align_glued(src, tgt, gs, gt, src_lang=src_lang, tgt_lang=tgt_lang, src_breaks=src_breaks,
                            tgt_breaks=tgt_breaks, fixed=fixed, mt=mt, confidence=confidence)  # fmt: skip
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0, i in forced_s) for i in range(n)] + [
            Bead((), (j,), 1.0, j in forced_t) for j in range(m)
        ]

    keyids: dict[str, int] = {}
    # Each sentence's words, found once: the keys and the stems are both made of them.
    swords, twords = [af.words(x) for x in src], [af.words(x) for x in tgt]
    S, skeys = _side(src, swords, src_lang, tgt_lang, src_breaks, keyids)
    T, tkeys = _side(tgt, twords, tgt_lang, src_lang, tgt_breaks, keyids)
    fam = {"n": 1.0, "#": 1.5, "p": 0.35}  # names, numbers, punctuation
    if mt is not None:
        # Words of the MT and of the human translation share a language: plain word overlap.
        for i, line in enumerate(mt):
            skeys[i].extend(keyids.setdefault("m" + w, len(keyids)) for w in set(af.stem_words(line)))
        for j, line in enumerate(tgt):
            tkeys[j].extend(
                keyids.setdefault("m" + w, len(keyids))
                for w in set(af.stem_words(line, text_words=twords[j]))
            )
        fam["m"] = 0.8
    sstems, tstems = _stems(src, swords), _stems(tgt, twords)  # for the lexicon passes
    del swords, twords  # a long book's words are more memory than its stems
    S.occ_sent, S.occ_key = _occurrences(skeys)
    T.occ_sent, T.occ_key = _occurrences(tkeys)
    S.forced[list(forced_s)] = True
    T.forced[list(forced_t)] = True
    names = list(keyids)
    famw = np.array([fam.get(k[0], 1.0) for k in names], dtype=np.float64)
    weights = _key_weights(S, T, len(names), famw)

    # Translations are rarely much longer or shorter than their source; a wilder total ratio means a
    # partial translation, whose totals say nothing about sentence lengths: start at 1 then (clipping
    # to the range's edge would make a 4-sentence excerpt look 30 % shorter sentence for sentence and
    # pull it onto longer source sentences) and let the first pass re-estimate from confident beads.
    ratio = float(T.chars.sum() / max(S.chars.sum(), 1.0))
    partial = not 0.7 <= ratio <= 1.4
    ratio = 1.0 if partial else ratio
    wratio = float(T.words.sum() / max(S.words.sum(), 1.0))
    wratio = wratio if 0.6 <= wratio <= 1.6 else 1.0
    p = _Params(dict(_PRIOR0), ratio, 6.8 * ratio, wratio, 1.5 * wratio)
    # A partial translation has few sentences because it is partial, not because they are long.
    p.shapes = _SHAPES if partial else _initial_shapes(n, m)
    uratio = float(T.units.sum() / max(S.units.sum(), 1.0))
    p.uratio = uratio if 0.5 <= uratio <= 2.0 else 1.0
    p.ext_s, p.ext_t = _gap_extension(S.chars.sum(), T.chars.sum())

    stretches = _stretches(anchors, n, m)

    def run_all(
        p: _Params,
        S: _Side,
        T: _Side,
        weights: NDArray[np.float64],
        guides: list[_Result | None],
        want_conf: bool,
    ) -> list[_Result | None]:
        out: list[_Result | None] = []
        for (s0, s1, t0, t1), g in zip(stretches, guides, strict=True):
            if s1 == s0 or t1 == t0:
                out.append(None)
                continue
            ss, tt = S.slice(s0, s1), T.slice(t0, t1)
            out.append(_run(ss, tt, p, weights, _guide_from_path(g.path, s1 - s0) if g else None, want_conf))
        return out

    def spans(results: list[_Result | None]) -> list[tuple[int, int, int, int, float]]:
        out = [(a.src[0], a.src[-1] + 1, a.tgt[0], a.tgt[-1] + 1, 1.0) for a in anchors]
        for (s0, _s1, t0, _t1), r in zip(stretches, results, strict=True):
            if r is None:
                continue
            for q in range(1, len(r.path)):
                (i0, j0), (i1, j1) = r.path[q - 1], r.path[q]
                out.append((s0 + i0, s0 + i1, t0 + j0, t0 + j1, _sigmoid(r.conf[q - 1] - 0.5)))
        return out

    result = run_all(p, S, T, weights, [None] * len(stretches), True)
    last: tuple[_Side, _Side, NDArray[np.float64]] = (S, T, weights)
    redo = False
    for q in range(_LEXICON_PASSES):
        sp = spans(result)
        p = _estimate(sp, S, T, p)
        # Next pass: a lexicon learnt from the confident beads of the previous one.
        lex = _learn_lexicon(sp, sstems, tstems)
        if not len(lex[0]):
            # No lexicon to add. The last pass skipped confidences if it was not the first: run it
            # once more, with the new estimates, pricing them if asked.
            redo = q > 0
            break
        S2, T2, weights2 = _with_lexicon(S, T, weights, lex, sstems, tstems)
        result = run_all(p, S2, T2, weights2, result, confidence and q == _LEXICON_PASSES - 1)
        last = (S2, T2, weights2)
    if redo:
        result = run_all(p, *last, result, confidence)
    second = result

    beads: list[Bead] = []
    for q, ((s0, s1, t0, t1), r) in enumerate(zip(stretches, second, strict=True)):
        if r is None:
            beads.extend(Bead((i,), (), 0.9 if i in forced_s else 0.5, i in forced_s) for i in range(s0, s1))
            beads.extend(Bead((), (j,), 0.9 if j in forced_t else 0.5, j in forced_t) for j in range(t0, t1))
        else:
            for b in _to_beads(r.path, r.conf if r.has_conf else [math.nan] * len(r.conf), s0, t0, 1.0):
                pinned = bool(set(b.src) & forced_s or set(b.tgt) & forced_t)
                beads.append(replace(b, verified=True, confidence=1.0) if pinned else b)
        if q < len(anchors):
            beads.append(replace(anchors[q], confidence=1.0, verified=True))
    return beads


_ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() holds


def _glue_groups(texts: Sequence[str], fixed: Sequence[Bead], side: str) -> list[tuple[int, int]]:
    """Runs ``[start, end)`` of sentences to align as one: a line with no letter or digit joins the
    sentence before it, unless a fixed bead has a boundary between them."""
    cuts: set[int] = set()
    for b in fixed:
        idx: tuple[int, ...] = getattr(b, side)
        if idx:
            cuts.update((idx[0], idx[-1] + 1))
    groups: list[tuple[int, int]] = []
    for i, t in enumerate(texts):
        if groups and i not in cuts and not _ALNUM.search(t):
            groups[-1] = (groups[-1][0], i + 1)
        else:
            groups.append((i, i + 1))
    return groups


def _align_glued(
    src: Sequence[str],
    tgt: Sequence[str],
    gs: list[tuple[int, int]],
    gt: list[tuple[int, int]],
    *,
    src_lang: str,
    tgt_lang: str,
    src_breaks: Set[int],
    tgt_breaks: Set[int],
    fixed: Sequence[Bead],
    mt: Sequence[str] | None,
    confidence: bool,
) -> list[Bead]:
    """:func:`align` over glued runs of sentences (see :func:`_glue_groups`), expanded back."""
    gsi = {a: q for q, (a, _b) in enumerate(gs)}
    gti = {a: q for q, (a, _b) in enumerate(gt)}
    of_s = [q for q, (a, b) in enumerate(gs) for _ in range(a, b)]
    of_t = [q for q, (a, b) in enumerate(gt) for _ in range(a, b)]

    def merged(texts: Sequence[str], groups: list[tuple[int, int]]) -> list[str]:
        return [" ".join(texts[a:b]) for a, b in groups]

    gfixed = [
        replace(
            b,
            src=tuple(dict.fromkeys(of_s[i] for i in b.src)),
            tgt=tuple(dict.fromkeys(of_t[j] for j in b.tgt)),
        )
        for b in fixed
    ]
    beads = align(
        merged(src, gs),
        merged(tgt, gt),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_breaks=frozenset(gsi[i] for i in src_breaks if i in gsi),
        tgt_breaks=frozenset(gti[j] for j in tgt_breaks if j in gti),
        fixed=gfixed,
        mt=None if mt is None else merged(mt, gs),
        confidence=confidence,
    )
    return [
        replace(
            b,
            src=tuple(i for q in b.src for i in range(*gs[q])),
            tgt=tuple(j for q in b.tgt for j in range(*gt[q])),
        )
        for b in beads
    ]


def _initial_shapes(n: int, m: int) -> tuple[tuple[int, int], ...]:
    """The shapes of the first pass: the usual ones, plus long many-to-one beads towards the side that
    has clearly more sentences (each shape costs a pass over the band, so news and other near 1:1
    texts do without)."""
    if n > 1.25 * m:
        return _SHAPES + _LONG_SHAPES
    if m > 1.25 * n:
        return _SHAPES + tuple((b, a) for a, b in _LONG_SHAPES)
    return _SHAPES


def _gap_extension(src_chars: float, tgt_chars: float) -> tuple[float, float]:
    """Cost per sentence of a leading/trailing untranslated run, on each side (local alignment).

    It is ``-log`` of the chance that the next sentence of such a run is untranslated too, and that
    chance is the share of the side that the other side cannot cover: a 4-sentence excerpt of a
    26-sentence record leaves 85 % of the source untranslated, so a run of 20 source sentences costs
    little and cannot outweigh good matches in the middle. Sides of similar size keep the usual cost
    (a translation that covers everything has no long runs, and cheap runs would let short texts
    slip into gaps).
    """
    share_s = 1.0 - tgt_chars / max(src_chars, 1.0)
    share_t = 1.0 - src_chars / max(tgt_chars, 1.0)
    ext = [min(_GAP_EXTEND, -math.log(max(x, 1e-6))) for x in (share_s, share_t)]
    return ext[0], ext[1]


def _check_fixed(fixed: Sequence[Bead], n: int, m: int) -> tuple[list[Bead], set[int], set[int]]:
    """Validate ``fixed``; split it into anchors (both sides) and pinned deletions (one side)."""
    anchors: list[Bead] = []
    fs: set[int] = set()
    ft: set[int] = set()
    used_s: set[int] = set()
    used_t: set[int] = set()
    for b in fixed:
        if not (b.src or b.tgt):
            raise ValueError("a fixed bead needs at least one sentence")
        for side, idx, size, used in (("src", b.src, n, used_s), ("tgt", b.tgt, m, used_t)):
            if idx and (idx != tuple(range(idx[0], idx[0] + len(idx))) or idx[0] < 0 or idx[-1] >= size):
                raise ValueError(f"fixed bead {b.src}:{b.tgt}: {side} indices not consecutive in range")
            if used & set(idx):
                raise ValueError(f"fixed bead {b.src}:{b.tgt} overlaps another")
            used.update(idx)
        if b.src and b.tgt:
            anchors.append(b)
        elif b.src:
            fs.add(b.src[0]) if len(b.src) == 1 else fs.update(b.src)
        else:
            ft.update(b.tgt)
    anchors.sort(key=lambda b: b.src[0])
    for x, y in zip(anchors, anchors[1:], strict=False):
        if y.tgt[0] <= x.tgt[-1]:
            raise ValueError(f"fixed beads {x.src}:{x.tgt} and {y.src}:{y.tgt} cross")
    return anchors, fs, ft


def _stretches(anchors: list[Bead], n: int, m: int) -> list[tuple[int, int, int, int]]:
    out = []
    si = ti = 0
    for a in anchors:
        out.append((si, a.src[0], ti, a.tgt[0]))
        si, ti = a.src[-1] + 1, a.tgt[-1] + 1
    out.append((si, n, ti, m))
    return out


# ----------------------------------------------------------------------------- library documents
@dataclass(frozen=True)
class DocumentAlignment:
    """The alignment of a library document with one of its translations."""

    beads: tuple[Bead, ...]
    dropped_corrections: int
    """Stored corrections that no longer apply because a sentence of theirs changed."""
    cached: bool
    """True when it came from the cache (nothing was recomputed)."""


class _AlignmentStore(Protocol):
    def alignment_corrections(self, document_id: str, translation_id: str) -> list[dict[str, Any]]: ...
    def save_alignment_corrections(
        self, document_id: str, translation_id: str, fixed: list[dict[str, Any]]
    ) -> None: ...
    def cached_alignment(self, document_id: str, translation_id: str, key: str) -> list[list[Any]] | None: ...
    def put_cached_alignment(
        self, document_id: str, translation_id: str, key: str, beads: list[list[Any]]
    ) -> None: ...


def _texts(document: Text, translation: Text) -> tuple[list[str], list[str]]:
    return [s.text for s in document.sentences], [s.text for s in translation.sentences]


def document_alignment(
    store: _AlignmentStore, document: Document, translation: Translation, mt: Sequence[str] | None = None
) -> DocumentAlignment:
    """The alignment of ``document`` with ``translation``: computed on demand, cached in the store,
    recomputed only when a text, a correction or the machine translation changed; the user's
    corrections are kept as constraints."""
    import hashlib

    from sourcereader.core.segmenting import SEGMENTER_VERSION

    src, tgt = _texts(document, translation)
    stored = [StoredBead.from_json(d) for d in store.alignment_corrections(document.id, translation.id)]
    fixed, dropped = remap_fixed(stored, src, tgt) if stored else ([], [])
    digest = hashlib.sha256()
    # The texts' versions (hashes of their bodies) and the segmenter version stand for every
    # sentence and paragraph break; hashing 100,000 sentences one by one took half a second.
    for part in (
        ALIGNER_VERSION,
        SEGMENTER_VERSION,
        document.language,
        translation.language,
        document.version,
        translation.version,
        "|",
        *(f"{b.src}:{b.tgt}" for b in fixed),
        "|",
        *(mt or ()),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    key = digest.hexdigest()
    cached = store.cached_alignment(document.id, translation.id, key)
    if cached is not None:
        beads = tuple(Bead(tuple(s), tuple(t), float(c), bool(v)) for s, t, c, v in cached)
        return DocumentAlignment(beads, len(dropped), cached=True)
    beads = tuple(
        align(
            src,
            tgt,
            src_lang=document.language,
            tgt_lang=translation.language,
            src_breaks=document.paragraph_breaks(),
            tgt_breaks=translation.paragraph_breaks(),
            fixed=fixed,
            mt=mt,
        )
    )
    store.put_cached_alignment(
        document.id,
        translation.id,
        key,
        [[list(b.src), list(b.tgt), b.confidence, b.verified] for b in beads],
    )
    return DocumentAlignment(beads, len(dropped), cached=False)


def save_alignment(
    store: _AlignmentStore, document: Document, translation: Translation, beads: Sequence[Bead]
) -> None:
    """Keep the verified beads of a corrected alignment as constraints (one transaction).

    The beads must cover both texts exactly once, in order; unverified beads are not stored
    (they are the aligner's to redo).
    """
    src, tgt = _texts(document, translation)
    check_cover(beads, len(src), len(tgt))
    fixed = [sb.to_json() for sb in store_fixed(beads, src, tgt)]
    store.save_alignment_corrections(document.id, translation.id, fixed)
