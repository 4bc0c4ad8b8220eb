"""The aligner's cost model: bead shapes and their priors, costs in nats, and their re-estimation.

:class:`Params` holds what a pass needs to price a bead; the constants are the parts that are not
re-estimated. After each pass, :func:`estimate` refits the shape priors and the length ratios and
spreads from the confident beads of that pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from sourcereader.core.alignment.sides import Side

#: A bead shape ``(a, b)``: ``a`` source sentences aligned with ``b`` target sentences.
Shape = tuple[int, int]
#: A bead as the passes exchange it: source rows ``i0:i1``, target rows ``j0:j1``, and a confidence.
Span = tuple[int, int, int, int, float]

#: Bead shapes searched, except 0:1 which the row recurrence handles separately.
SHAPES: tuple[Shape, ...] = (
    (1, 1), (1, 0), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (4, 1), (1, 4), (3, 2), (2, 3),
)  # fmt: skip
#: Shapes every pass searches, however rarely the previous pass used them.
CORE_SHAPES = frozenset({(1, 1), (1, 0), (2, 1), (1, 2), (2, 2)})
#: Long many-to-one shapes, searched only when one side has far more sentences than the other: Russian
#: dash dialogue is cut at every turn and attribution (``— Ну! — сказала она. — Иди.`` is three
#: sentences) while English quoted speech stays one sentence, so fiction has 5:1 … 8:1 beads.
LONG_SHAPES: tuple[Shape, ...] = ((5, 1), (6, 1), (7, 1), (8, 1))
#: Longer still, for the few paragraphs of dialogue cut at every turn that a translation keeps whole
#: (9:1 … 12:1 in fiction): searched only in a text whose previous pass used the longest shapes, so
#: the passes of any other text pay nothing for them.
LONGER_SHAPES: tuple[Shape, ...] = tuple(sh for a in range(9, 13) for sh in ((a, 1), (1, a)))
#: Initial shape probabilities (Gale–Church-like); re-estimated from the first pass.
PRIOR0: dict[Shape, float] = {
    (1, 1): 0.85, (1, 0): 0.01, (0, 1): 0.01, (2, 1): 0.04, (1, 2): 0.04, (2, 2): 0.01,
    (3, 1): 0.01, (1, 3): 0.01, (4, 1): 0.003, (1, 4): 0.003, (3, 2): 0.003, (2, 3): 0.003,
    (5, 1): 0.002, (1, 5): 0.002, (6, 1): 0.001, (1, 6): 0.001, (7, 1): 0.0005, (1, 7): 0.0005,
    (8, 1): 0.0003, (1, 8): 0.0003, (9, 1): 0.0002, (1, 9): 0.0002, (10, 1): 0.0001, (1, 10): 0.0001,
    (11, 1): 0.0001, (1, 11): 0.0001, (12, 1): 0.0001, (1, 12): 0.0001,
}  # fmt: skip
#: The cost of a bead that cannot be (outside the band or the matrix): larger than any real path.
BIG = 1.0e7
#: Weight of the utterance-count term (see :func:`features.utterances`) against the character and word
#: terms (0.6 + 0.4). It is taken relative to the same shape with one utterance a sentence, so it adds
#: what the shape prior does not know; 1.0 is the best of 0.5 / 1 / 1.5 / 2 on all three sets.
UNIT_WEIGHT = 1.0
#: Nats per learnt word pair of Dice 1 seen many times.
LEXICON_WEIGHT = 4.0
#: Nats per unit of key weight left unmatched inside a bead with sentences on both sides.
UNMATCHED = 0.1
#: An untranslated run before the translation's first or after its last sentence ...
GAP_OPEN = 4.0
#: ... and each sentence in it (the most: :func:`gap_extension` makes it cheaper for an excerpt).
GAP_EXTEND = 1.5
#: Nats for leaving a footnote or an archival reference line unaligned.
NOTE_DELETE = 1.0
#: Nats per apparatus line in a bead whose other side has none: more than leaving both out costs, so a
#: footnote is never paired with an untranslated sentence at the end.
NOTE_IN_BEAD = 8.0
#: Band cells per pass: bounds memory (about 45 bytes a cell) and time.
CELL_BUDGET = 2_600_000


@dataclass
class Params:
    """What a pass needs to price a bead, beyond the texts: priors, length ratios, penalties."""

    prior: dict[Shape, float]
    """Probability of each shape."""
    char_ratio: float
    """Target characters per source character."""
    char_spread: float
    """Variance of a bead's target length in characters, per source character."""
    word_ratio: float
    """Target words per source word."""
    word_spread: float
    """Variance of a bead's target length in words, per source word."""
    unit_ratio: float = 1.0
    """Target utterances per source utterance."""
    unit_spread: float = 0.3
    """Variance of a bead's target utterance count, per source utterance."""
    continuation_cost: float = 2.5
    """A bead that starts with a fragment cut from the previous sentence, on one side only."""
    dangling_cost: float = 1.5
    """A bead that ends in a sentence that continues (``,`` ``:`` ``—``), on one side only."""
    paragraph_cost: float = 3.0
    """Per paragraph boundary a bead crosses or misses, when both sides have paragraphs."""
    gap_extend_src: float = GAP_EXTEND
    """Per source sentence of a leading or trailing untranslated run."""
    gap_extend_tgt: float = GAP_EXTEND
    """Per target sentence of a leading or trailing run with no source."""
    shapes: tuple[Shape, ...] = SHAPES
    """Shapes searched (0:1 apart); later passes drop the rare ones the first pass never used."""


def initial_shapes(n: int, m: int) -> tuple[Shape, ...]:
    """The shapes of the first pass: the usual ones, plus long many-to-one beads towards the side that
    has clearly more sentences (each shape costs a pass over the band, so news and other near 1:1
    texts do without)."""
    if n > 1.25 * m:
        return SHAPES + LONG_SHAPES
    if m > 1.25 * n:
        return SHAPES + tuple((b, a) for a, b in LONG_SHAPES)
    return SHAPES


def gap_extension(src_chars: float, tgt_chars: float) -> tuple[float, float]:
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
    ext = [min(GAP_EXTEND, -math.log(max(x, 1e-6))) for x in (share_s, share_t)]
    return ext[0], ext[1]


def estimate(beads: list[Span], s: Side, t: Side, p: Params) -> Params:
    """Re-estimate shape priors and length ratios from a pass's beads (the confident ones)."""
    # A Dirichlet prior worth 100 beads keeps short documents near the usual shape distribution.
    counts = {k: 100.0 * v for k, v in PRIOR0.items()}
    for i0, i1, j0, j1, _c in beads:
        shape = (i1 - i0, j1 - j0)
        if shape in counts:
            counts[shape] += 1.0
    arr = np.array(beads, dtype=np.float64).reshape(-1, 5)
    b0, b1, c0, c1 = (arr[:, k].astype(np.int64) for k in range(4))
    sel = (arr[:, 4] > 0.6) & (b1 > b0) & (c1 > c0)
    b0, b1, c0, c1 = b0[sel], b1[sel], c0[sel], c1[sel]

    def sums(x: NDArray[np.float64], lo: NDArray[np.int64], hi: NDArray[np.int64]) -> NDArray[np.float64]:
        # Lengths are whole numbers, so differences of cumulative sums are exact.
        cum = np.concatenate([[0.0], np.cumsum(x)])
        return np.asarray(cum[hi] - cum[lo], dtype=np.float64)

    cs, ct = sums(s.chars, b0, b1), sums(t.chars, c0, c1)
    ws, wt = sums(s.words, b0, b1), sums(t.words, c0, c1)
    us, ut = sums(s.units, b0, b1), sums(t.units, c0, c1)
    tot = sum(counts.values())
    prior = {k: v / tot for k, v in counts.items()}
    # Each shape costs a full pass over the band; one the first pass never chose is not worth it.
    shapes = tuple(sh for sh in p.shapes if sh in CORE_SHAPES or counts[sh] > 100.0 * PRIOR0[sh])
    shapes = with_longer(shapes)
    if len(cs) < 10:
        return replace(p, prior=prior, shapes=shapes)
    char_ratio = float(ct.sum() / max(cs.sum(), 1.0))
    word_ratio = float(wt.sum() / max(ws.sum(), 1.0))
    char_resid = (ct - char_ratio * cs) ** 2 / ((cs + ct / char_ratio) / 2 + 4.0)
    word_resid = (wt - word_ratio * ws) ** 2 / ((ws + wt / word_ratio) / 2 + 1.0)
    unit_ratio = float(ut.sum() / max(us.sum(), 1.0))
    unit_resid = (ut - unit_ratio * us) ** 2 / ((us + ut / unit_ratio) / 2 + 0.5)
    return replace(
        p,
        prior=prior,
        char_ratio=char_ratio,
        char_spread=float(np.clip(median(char_resid) * 2.2, 1.0, 40.0)),
        word_ratio=word_ratio,
        word_spread=float(np.clip(median(word_resid) * 2.2, 0.2, 10.0)),
        unit_ratio=unit_ratio,
        unit_spread=float(np.clip(np.mean(unit_resid), 0.05, 4.0)),
        shapes=shapes,
    )


def with_longer(shapes: tuple[Shape, ...]) -> tuple[Shape, ...]:
    """``shapes`` (those the last pass used, see :func:`estimate`) with :data:`LONGER_SHAPES` towards
    a side when the last pass put a bead of 6:1 or longer that way, and without them otherwise."""
    out = tuple(sh for sh in shapes if sh not in LONGER_SHAPES)
    if any((a, 1) in shapes for a in range(6, 13)):
        out += tuple(sh for sh in LONGER_SHAPES if sh[1] == 1)
    if any((1, b) in shapes for b in range(6, 13)):
        out += tuple(sh for sh in LONGER_SHAPES if sh[0] == 1)
    return out


def median(x: NDArray[np.float64]) -> float:
    """``np.median`` of a non-empty vector, to the bit: that one imports ``numpy.ma`` (7 ms of every
    ``sourcereader align`` process) to check for a masked array."""
    v = np.sort(x)
    h = len(v) // 2
    if np.isnan(v[-1]):  # NaN sorts last and, as in np.median, makes the median NaN
        return float("nan")
    return float(v[h]) if len(v) % 2 else float((v[h - 1] + v[h]) / 2)
