"""The banded dynamic programming over one stretch: every bead's cost, the best path, and its margins.

A path runs through the grid of cells (i, j), i source and j target sentences consumed, from (0, 0) to
(n, m); a bead of shape a:b is a step from (i - a, j - b) to (i, j). Only a band of cells around a
guide path is searched: row i holds the ``width`` target positions from ``start[i]`` on, so cell
(i, j) is column ``k = j - start[i]`` of row i. A pass

1. prices every bead of every searched shape that ends at a cell of the band (:class:`_BeadCosts`),
   a block of rows at a time, into a table by shape, row and column (:func:`_price`);
2. goes forward, row after row: the cheapest path from (0, 0) to every cell (:func:`_forward`);
3. traces the best path back from (n, m), re-deciding at each of its cells which shape reached it
   (:func:`_back_trace`: no back-pointers are kept, the loop over rows would pay for them);
4. when margins are wanted, goes backward: the cheapest path from every cell to (n, m)
   (:func:`_backward`);
5. and prices each bead of the path by its margin: how much dearer the cheapest path is that does
   not contain it (:func:`_margins`).

Everything is vectorised along the rows of the band with numpy. The cost arrays are float32 (half
the memory traffic of float64, ample precision for nats); path costs are float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from sourcereader.core.alignment.params import (
    BIG,
    CELL_BUDGET,
    GAP_OPEN,
    NOTE_DELETE,
    NOTE_IN_BEAD,
    UNIT_WEIGHT,
    UNMATCHED,
    Params,
    Shape,
)
from sourcereader.core.alignment.sides import Side, dedupe_keys, match_matrix

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: A cell of the grid: (source sentences consumed, target sentences consumed).
Cell = tuple[int, int]


@dataclass
class PassResult:
    """The best path through one stretch, with a margin for each of its beads."""

    path: list[Cell]
    """Cells from (0, 0) to (n, m); each two consecutive cells are the ends of a bead."""
    margins: list[float]
    """Per bead, in nats: how much dearer the cheapest path without it is (10 each when not priced)."""
    touched_edge: bool
    """The path ran along an edge of the band that is not the grid's: a wider band may do better."""
    priced: bool
    """The margins were computed (the pass went backward too)."""


def align_stretch(
    s: Side, t: Side, p: Params, weights: NDArray[np.float64], previous: PassResult | None, want_margins: bool
) -> PassResult:
    """A banded pass over a stretch of n ≥ 1 source and m ≥ 1 target sentences, which widens and
    re-centres its band while the path runs along the band's edge.

    The first pass (no ``previous``) follows the cumulative-length diagonal in a wide band; later
    passes follow the previous pass's path in a narrow one.
    """
    n, m = len(s), len(t)
    # A later pass's band need not hold more than the previous path's own errors: 48 cells give the same
    # beads as 96 on all three sets at 60 % of the time, which pays for the third lexicon pass (and the
    # path running along the band's edge still widens it).
    width = 256 if previous is None else 48
    # Long texts get a narrower first band (it widens where the path needs it).
    # Later passes follow the previous path and rarely need more than a quarter of the budget.
    budget = CELL_BUDGET // 2 if previous is None else CELL_BUDGET // 4
    width = max(64 if previous is None else 48, min(m + 1, width, budget // (n + 1)))
    # A side much longer than the other needs rows wide enough to connect (cells stay about 2 m).
    width = min(m + 1, max(width, _min_width(n, m)))
    guide = _guide_from_lengths(s, t) if previous is None else _guide_from_path(previous.path, n)
    result = banded_dp(s, t, p, weights, guide, width, want_margins)
    for _ in range(4):
        if not result.touched_edge or width >= m + 1:
            break
        # Widening is capped by the cell budget: memory stays linear in the document's length.
        cap = max(width, CELL_BUDGET // (n + 1))
        if width >= cap:
            break
        width = min(m + 1, width * 2, cap)
        result = banded_dp(s, t, p, weights, _guide_from_path(result.path, n), width, want_margins)
    return result


def _guide_from_lengths(s: Side, t: Side) -> NDArray[np.float64]:
    """The expected target position at each source position, from cumulative lengths."""
    n, m = len(s), len(t)
    cs = np.concatenate([[0.0], np.cumsum(s.chars + 1)])
    ct = np.concatenate([[0.0], np.cumsum(t.chars + 1)])
    if cs[-1] == 0 or ct[-1] == 0:
        return np.linspace(0, m, n + 1)
    frac = cs / cs[-1]
    return np.asarray(np.interp(frac, ct / ct[-1], np.arange(m + 1)), dtype=np.float64)


def _guide_from_path(path: list[Cell], n: int) -> NDArray[np.float64]:
    """The target position of ``path`` at each source position (interpolated inside many-to-one beads)."""
    pi = np.array([c[0] for c in path], dtype=np.float64)
    pj = np.array([c[1] for c in path], dtype=np.float64)
    return np.asarray(np.interp(np.arange(n + 1), pi, pj), dtype=np.float64)


def banded_dp(
    s: Side,
    t: Side,
    p: Params,
    weights: NDArray[np.float64],
    guide: NDArray[np.float64],
    width: int,
    want_margins: bool = True,
) -> PassResult:
    """One banded pass (see the module docstring). ``guide[i]`` is the expected target position at
    source position i; without ``want_margins`` the pass does not go backward, and every bead gets a
    margin of 10 (confident: between passes only)."""
    s, t = dedupe_keys(s), dedupe_keys(t)
    band = _Band.around(guide, len(t), width, p.shapes)
    table = _price(_BeadCosts(s, t, p, weights, band), band, p.shapes)
    forward = _forward(band, table, p.shapes)
    path = _back_trace(band, table, forward, p.shapes)
    touched = _touched(path, band)
    if not want_margins:
        return PassResult(path, [10.0] * (len(path) - 1), touched, False)
    best_from = _backward(band, table, p.shapes)
    return PassResult(path, _margins(band, forward.best_to, best_from, path), touched, True)


# ----------------------------------------------------------------------------- the band
def _min_width(n: int, m: int) -> int:
    """The narrowest band whose rows can still chain from (0, 0) to (n, m) (see :func:`_band_start`)."""
    return min(m + 1, -(-2 * (m + 1) // (n + 1)) + 2)


def _band_start(guide: NDArray[np.float64], m: int, width: int) -> NDArray[np.int64]:
    """First column of each row's band: centred on ``guide``, monotone, and connected.

    Consecutive rows' bands overlap by at least half a band and the last row's band holds column
    ``m``, so a path from (0, 0) to (n, m) always exists. Without this, a side much longer than the
    other (20,000 lines against 2) had bands that skipped columns, and the back-trace ran off the band.
    Needs ``width >= _min_width(n, m)``.
    """
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


@dataclass
class _Band:
    """The cells searched: row i (0 … n) holds target positions ``start[i] … start[i] + width - 1``."""

    n: int
    """Source sentences of the stretch (the last row)."""
    m: int
    """Target sentences of the stretch (the last target position)."""
    width: int
    """Cells per row."""
    start: NDArray[np.int64]
    """Target position of each row's column 0."""
    target: NDArray[np.int64]
    """Target position of each cell, rows × width."""
    max_a: int
    """Most source sentences of a searched shape."""
    max_b: int
    """Most target sentences of a searched shape (at least 1, for 0:1): how far a bead reaches back."""
    cols: NDArray[np.int64] = field(repr=False)
    """0 … width - 1."""
    below: NDArray[np.bool_] | None = field(repr=False)
    """Row k is ``cols < k`` (k = 0 … width); None for a very wide band."""
    above: NDArray[np.bool_] | None = field(repr=False)
    """Row k is ``cols >= k``; None with ``below``."""

    @classmethod
    def around(cls, guide: NDArray[np.float64], m: int, width: int, shapes: tuple[Shape, ...]) -> _Band:
        """The band of ``width`` cells a row (at most m + 1) around ``guide``, for ``shapes``."""
        width = min(width, m + 1)
        start = _band_start(guide, m, width)
        cols = np.arange(width)
        # A row gather of ``below`` is five times quicker than the broadcast comparison it replaces
        # in :meth:`outside` (a bound clipped to 0 … width selects the same cells).
        below = cols[None, :] < np.arange(width + 1)[:, None] if width <= 2048 else None
        above = ~below if below is not None else None
        max_a = max(a for a, _ in shapes)
        max_b = max(1, *(b for _, b in shapes))
        target = start[:, None] + cols[None, :]
        return cls(len(guide) - 1, m, width, start, target, max_a, max_b, cols, below, above)

    def outside(self, kmin: NDArray[np.int64], kmax: NDArray[np.int64]) -> NDArray[np.bool_]:
        """``(cols < kmin[:, None]) | (cols >= kmax[:, None])``: the cells of each row outside
        columns kmin … kmax - 1."""
        if self.below is None or self.above is None:
            return np.asarray((self.cols < kmin[:, None]) | (self.cols >= kmax[:, None]))
        out = self.below[np.minimum(np.maximum(kmin, 0), self.width)]
        out |= self.above[np.minimum(np.maximum(kmax, 0), self.width)]
        return out

    def windows(self, x: NDArray[Any]) -> NDArray[Any]:
        """Rows of ``x`` (one value per target position 0 … m) as read along band rows.

        ``windows(x)[start[r] + max_b - b, k] == x[clip(start[r] + k - b, 0, m)]``: the value at each
        cell's target position, or that minus b. A band row's positions are consecutive, so such a
        read is a window of ``x`` padded with its end values: one copy per row instead of one gather
        per cell (5 times quicker).
        """
        padded = np.concatenate([np.repeat(x[:1], self.max_b), x, np.repeat(x[-1:], self.width + self.max_b)])
        return sliding_window_view(padded, self.width)

    def block(self, r0: int, r1: int) -> _Block:
        """Rows ``r0:r1``, to be priced together."""
        return _Block(r0, r1, np.arange(r0, r1), self.start[r0:r1], self.target[r0:r1], self.max_b)


def _touched(path: list[Cell], band: _Band, edge: int = 3) -> bool:
    """Whether the path runs within ``edge`` cells of a band edge that is not the grid's edge."""
    lo, width, m = band.start, band.width, band.m
    return any(
        (j - lo[i] < edge and lo[i] > 0) or (j - lo[i] >= width - edge and lo[i] + width <= m)
        for i, j in path
    )


# ----------------------------------------------------------------------------- bead costs
def _student_t_into(delta: NDArray[np.float32], nu: float = 6.0) -> NDArray[np.float32]:
    """Negative log-density (up to a constant) of a Student-t: Gale–Church with heavy tails. Written
    over ``delta`` (a float32 temporary), without temporaries of its own."""
    np.multiply(delta, delta, out=delta)
    np.divide(delta, np.float32(nu), out=delta)
    np.log1p(delta, out=delta)
    np.multiply(np.float32(0.5 * (nu + 1)), delta, out=delta)
    return delta


def _deviation(lt: NDArray[np.float32], ls: NDArray[np.float32], ratio: float, lt_r: NDArray[np.float32],
               spread: float, add: float) -> NDArray[np.float32]:  # fmt: skip
    """``(lt - ratio * ls) / np.sqrt(spread * (ls + lt_r) / 2 + add)`` for float32 arrays and Python
    floats, with two temporaries instead of seven (the same operations in the same order)."""
    num = lt - ratio * ls
    den = ls + lt_r
    np.multiply(spread, den, out=den)
    np.divide(den, 2, out=den)
    np.add(den, add, out=den)
    np.sqrt(den, out=den)
    np.divide(num, den, out=num)
    return num


def _cumsum32(x: NDArray[Any]) -> NDArray[np.float32]:
    """``out[i] = x[0] + … + x[i - 1]``, summed in float64, stored as float32."""
    return np.concatenate([[0.0], np.cumsum(x)]).astype(np.float32)


def _cumcount(x: NDArray[np.bool_]) -> NDArray[np.int64]:
    """``out[i]``: how many of ``x[0] … x[i - 1]`` are true."""
    return np.concatenate([[0], np.cumsum(x)])


@dataclass
class _Cumulative:
    """Running sums over a side: entry i covers sentences 0 … i - 1, so a run's sum is a difference."""

    chars: NDArray[Any]
    words: NDArray[Any]
    units: NDArray[Any]
    key_weight: NDArray[Any]
    """Weight of the keys the sentences hold (what a bead's evidence can be at most)."""
    pinned: NDArray[Any]
    par_starts: NDArray[Any]
    notes: NDArray[Any]

    @classmethod
    def of(cls, side: Side, weights: NDArray[np.float64]) -> _Cumulative:
        """The running sums of ``side``."""
        key_weight = np.bincount(side.key_sentence, weights=weights[side.key_id], minlength=len(side))
        return cls(_cumsum32(side.chars), _cumsum32(side.words), _cumsum32(side.units), _cumsum32(key_weight),
                   _cumcount(side.pinned), _cumcount(side.par_start), _cumcount(side.note))  # fmt: skip

    def windows(self, band: _Band) -> _Cumulative:
        """Each sum read along band rows (see :meth:`_Band.windows`)."""
        return _Cumulative(band.windows(self.chars), band.windows(self.words), band.windows(self.units),
                           band.windows(self.key_weight), band.windows(self.pinned),
                           band.windows(self.par_starts), band.windows(self.notes))  # fmt: skip


@dataclass
class _TargetSums:
    """A block's target-side lengths of the beads with b target sentences ending at each cell."""

    chars: NDArray[np.float32]
    words: NDArray[np.float32]
    units: NDArray[np.float32]
    key_weight: NDArray[np.float32]
    chars_in_src: NDArray[np.float32]
    """``chars`` over the character ratio: the source length they stand for."""
    words_in_src: NDArray[np.float32]
    units_in_src: NDArray[np.float32]


@dataclass
class _TargetFlags:
    """A block's target-side fragment and paragraph flags of the beads with b target sentences ending
    at each cell, and the penalties they make."""

    continues: NDArray[np.bool_]
    """The bead's first target sentence is a continuation."""
    starts_par: NDArray[np.bool_]
    """A paragraph starts at the bead's first target sentence."""
    par_inside: NDArray[Any] | None
    """Paragraphs starting at the bead's other target sentences (None without paragraphs)."""
    continuation_cost: NDArray[np.float32]
    """The continuation penalty of a bead whose first source sentence (if any) is not one."""
    dangling_cost_alone: NDArray[np.float32]
    """The dangling penalty of a bead with no source sentence."""
    dangling_cost: NDArray[np.float32]
    """The dangling penalty of a bead with source sentences (which one ends it depends on the row)."""


@dataclass
class _Block:
    """Consecutive band rows ``r0:r1``, priced together so that the temporaries stay in cache. The
    target-side arrays of a bead depend only on its number of target sentences b, so the shapes with
    the same b (seven have b = 1) share them here."""

    r0: int
    r1: int
    rows: NDArray[np.int64]
    """r0 … r1 - 1."""
    start: NDArray[np.int64]
    """The band's start of each row."""
    target: NDArray[np.int64]
    """Target position of each cell."""
    max_b: int
    sums: dict[int, _TargetSums] = field(default_factory=dict)
    flags: dict[int, _TargetFlags] = field(default_factory=dict)

    def window_row(self, b: int) -> NDArray[np.int64]:
        """Each row's row of a :meth:`_Band.windows` array, to read it at target position ``J - b``."""
        return self.start + (self.max_b - b)


class _BeadCosts:
    """The cost of a bead of any shape ending at any cell of the band, in nats (lower is better):

    ``-log prior(a:b)`` + Student-t length terms (characters 0.6, words 0.4, utterances) − shared key
    evidence + unmatched keys + fragment, apparatus and paragraph penalties; deletions before the
    translation's first or after its last sentence are a cheap gap instead.
    """

    def __init__(self, s: Side, t: Side, p: Params, weights: NDArray[np.float64], band: _Band) -> None:
        self.s, self.p, self.band = s, p, band
        self.src = _Cumulative.of(s, weights)
        tgt = _Cumulative.of(t, weights)
        self.tgt = tgt.windows(band)
        self.any_pinned = bool(self.src.pinned[-1] or tgt.pinned[-1])
        self.use_par = bool(s.par_start[1:].any() and t.par_start[1:].any())
        self.evidence = _evidence_sums(s, t, weights, band)
        self.has_notes = bool(s.note.any() or t.note.any())
        self.src_first, self.src_last = _real_ends(s.note)
        self.tgt_first, self.tgt_last = _real_ends(t.note)
        # By target position J (one past the bead's last target sentence, as the windows read them):
        # whether the sentence at J continues (none past the end), whether the one before J dangles
        # (none before the start), whether a paragraph starts at J, whether J is apparatus.
        self.tgt_continues = band.windows(np.append(t.continues, False))
        self.tgt_dangles = band.windows(np.concatenate([[False], t.dangles]))
        self.tgt_par_start = band.windows(np.append(t.par_start, t.par_start[-1:]))
        self.tgt_note = band.windows(np.append(t.note, t.note[-1:]))

    def write(self, a: int, b: int, block: _Block, out: NDArray[Any]) -> None:
        """The cost of every bead of shape a:b ending at a cell of ``block``, into ``out`` (BIG where
        no such bead can end)."""
        first = block.rows - a  # the row each bead starts from (< 0: none)
        first_c = np.maximum(first, 0)
        sums = self._target_sums(b, block)
        impossible = self._impossible(a, b, block, first, first_c)
        c: NDArray[Any] = self._length_cost(a, b, block, first_c, sums)
        if a and b:
            self._add_key_evidence(c, a, b, block, first_c, sums.key_weight)
            if self.has_notes:
                # Apparatus inside a bead only where the other side has its own (a footnote translated).
                # (A float64 sum: the costs of this shape are float64 from here on.)
                c = c + self._notes_inside(b, block, first_c)
        self._add_fragment_costs(c, a, b, block, first, first_c)
        # A pinned sentence admits only its own 1:0 / 0:1 bead.
        if (a, b) not in ((1, 0), (0, 1)) and self.any_pinned:
            impossible |= self._holds_pinned(b, block, first_c)
        if self.use_par and a and b:
            c = c + self._paragraph_cost(b, block, first_c)
        if (a, b) == (1, 0):
            c = self._src_gap_cost(c, block, first_c)
        elif (a, b) == (0, 1):
            c = self._tgt_gap_cost(c, block)
        # Nearly every cell of the band is a possible bead end: setting the few others afterwards is a
        # quarter of the time of np.where(ok, c, BIG), and writes the same values.
        np.copyto(out, c)
        np.copyto(out, BIG, where=impossible)

    def _target_sums(self, b: int, block: _Block) -> _TargetSums:
        if b in block.sums:
            return block.sums[b]
        end, start = block.window_row(0), block.window_row(b)
        tgt, p = self.tgt, self.p
        chars = tgt.chars[end] - tgt.chars[start]
        words = tgt.words[end] - tgt.words[start]
        units = tgt.units[end] - tgt.units[start]
        sums = _TargetSums(chars, words, units, tgt.key_weight[end] - tgt.key_weight[start],
                           chars / p.char_ratio, words / p.word_ratio, units / p.unit_ratio)  # fmt: skip
        block.sums[b] = sums
        return sums

    def _target_flags(self, b: int, block: _Block) -> _TargetFlags:
        if b in block.flags:
            return block.flags[b]
        end, start = block.window_row(0), block.window_row(b)
        starts_par = self.tgt_par_start[start]
        par_inside = (
            self.tgt.par_starts[end] - self.tgt.par_starts[start] - starts_par if self.use_par else None
        )
        continues, dangles = self.tgt_continues[start], self.tgt_dangles[end]
        continuation, dangling = np.float32(self.p.continuation_cost), np.float32(self.p.dangling_cost)
        src_dangles = (self.s.dangles[np.maximum(block.rows - 1, 0)] & (block.rows > 0))[:, None]
        flags = _TargetFlags(continues, starts_par, par_inside, continuation * continues, dangling * dangles,
                             dangling * (src_dangles != dangles))  # fmt: skip
        block.flags[b] = flags
        return flags

    def _impossible(
        self, a: int, b: int, block: _Block, first: NDArray[np.int64], first_c: NDArray[np.int64]
    ) -> NDArray[np.bool_]:
        """Cells where no bead of shape a:b can end, an interval of columns in each row: its first target
        sentence J - b must lie in the grid (0 <= J - b, J <= m) and the cell it starts from,
        (first, J - b), in the band of row ``first``."""
        band = self.band
        kmin = band.start[first_c] - block.start + b
        kmax = np.minimum(band.m + 1 - block.start, kmin + band.width)
        kmin[first < 0] = band.width
        return band.outside(kmin, kmax)

    def _length_cost(
        self, a: int, b: int, block: _Block, first_c: NDArray[np.int64], tgt: _TargetSums
    ) -> NDArray[np.float32]:
        """The shape's prior and the length terms (characters, words and utterances)."""
        p, src, r0, r1 = self.p, self.src, block.r0, block.r1
        src_chars = (src.chars[r0:r1] - src.chars[first_c])[:, None]
        src_words = (src.words[r0:r1] - src.words[first_c])[:, None]
        # float32 in place, term by term in the order of
        # c = -log(prior) + 0.6 * tcost(dc) + 0.4 * tcost(dw) + unit term - evidence + unmatched
        # (a sum with one scalar is the same either way round): the same values, fewer temporaries.
        c = _student_t_into(
            _deviation(tgt.chars, src_chars, p.char_ratio, tgt.chars_in_src, p.char_spread, 4.0)
        )
        np.multiply(c, 0.6, out=c)
        np.add(c, -math.log(p.prior[(a, b)]), out=c)
        cw = _student_t_into(
            _deviation(tgt.words, src_words, p.word_ratio, tgt.words_in_src, p.word_spread, 1.0)
        )
        np.multiply(cw, 0.4, out=cw)
        c += cw
        if a and b and UNIT_WEIGHT:
            src_units = (src.units[r0:r1] - src.units[first_c])[:, None]
            cu = _student_t_into(
                _deviation(tgt.units, src_units, p.unit_ratio, tgt.units_in_src, p.unit_spread, 0.5)
            )
            # Relative to a bead of single-utterance sentences of the same shape: the shape prior
            # already prices a 1:2 bead, so this adds only what the utterances inside say.
            du0 = (b - p.unit_ratio * a) / math.sqrt(p.unit_spread * (a + b / p.unit_ratio) / 2 + 0.5)
            np.subtract(cu, 3.5 * math.log1p(du0 * du0 / 6.0), out=cu)  # _student_t_into of du0
            if UNIT_WEIGHT != 1.0:
                np.multiply(UNIT_WEIGHT, cu, out=cu)
            c += cu
        return c

    def _add_key_evidence(
        self,
        c: NDArray[np.float32],
        a: int,
        b: int,
        block: _Block,
        first_c: NDArray[np.int64],
        tgt_key_weight: NDArray[np.float32],
    ) -> None:
        """Subtract the keys the bead's two sides share, add those left unmatched (in place)."""
        r0, r1, width, max_b = block.r0, block.r1, self.band.width, self.band.max_b
        # Shared keys, each counted at most once per bead: the pair sum over-counts a key that
        # recurs in neighbouring sentences, which would otherwise pull every bead into a merge.
        ev = self.evidence[a][r0:r1, max_b:] - self.evidence[a][r0:r1, max_b - b : max_b - b + width]
        src_key_weight = (self.src.key_weight[r0:r1] - self.src.key_weight[first_c])[:, None]
        np.minimum(ev, src_key_weight, out=ev)
        np.minimum(ev, tgt_key_weight, out=ev)
        # Keys that find no partner inside a bead that claims to be a translation count against it
        # (in a 1:0 / 0:1 bead nothing is expected to match).
        unmatched = src_key_weight + tgt_key_weight
        unmatched -= 2 * ev
        np.maximum(unmatched, 0.0, out=unmatched)
        np.multiply(UNMATCHED, unmatched, out=unmatched)
        # Neighbouring sentences share vocabulary, so a merged bead collects cross matches even
        # when it is wrong: discount evidence by the bead's size.
        if a * b != 1:
            np.divide(ev, math.sqrt(a * b), out=ev)
        c -= ev
        c += unmatched

    def _notes_inside(self, b: int, block: _Block, first_c: NDArray[np.int64]) -> NDArray[np.float64]:
        """The penalty for apparatus lines on one side of a bead that the other side does not match."""
        r0, r1 = block.r0, block.r1
        src_notes = (self.src.notes[r0:r1] - self.src.notes[first_c])[:, None]
        tgt_notes = self.tgt.notes[block.window_row(0)] - self.tgt.notes[block.window_row(b)]
        extra = np.maximum(src_notes - tgt_notes, 0) + np.maximum(tgt_notes - src_notes, 0)
        return np.asarray(NOTE_IN_BEAD * extra, dtype=np.float64)

    def _add_fragment_costs(
        self,
        c: NDArray[Any],
        a: int,
        b: int,
        block: _Block,
        first: NDArray[np.int64],
        first_c: NDArray[np.int64],
    ) -> None:
        """A bead that starts with a fragment cut from the previous sentence (or ends in one that
        continues) is suspect, unless the other side is cut the same way (parallel ``;`` splits).
        In place and with float32 scalars: a Python float times a bool array would be float64, and
        the cost arrays are the aligner's largest (pricing beads is most of its time)."""
        s, n = self.s, self.band.n
        continuation, dangling = np.float32(self.p.continuation_cost), np.float32(self.p.dangling_cost)
        src_continues = np.zeros((block.r1 - block.r0, 1), dtype=bool)
        if a:
            src_continues = (s.continues[np.minimum(first_c, n - 1)] & (first < n))[:, None]
        if not b:
            # A 1:0 bead: no target sentence, so none continues or dangles.
            src_dangles = (s.dangles[np.maximum(block.rows - 1, 0)] & (block.rows > 0))[:, None]
            c += continuation * src_continues
            c += dangling * src_dangles
            return
        # The same values as ``penalty * (source flag != target flag)``, from arrays shared by the
        # shapes with this b.
        tgt = self._target_flags(b, block)
        c += (
            continuation * (src_continues != tgt.continues)
            if a and src_continues.any()
            else tgt.continuation_cost
        )
        c += tgt.dangling_cost if a else tgt.dangling_cost_alone

    def _holds_pinned(self, b: int, block: _Block, first_c: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Cells whose bead would hold a pinned sentence."""
        r0, r1 = block.r0, block.r1
        src_pinned = (self.src.pinned[r0:r1] - self.src.pinned[first_c])[:, None]
        tgt_pinned = self.tgt.pinned[block.window_row(0)] - self.tgt.pinned[block.window_row(b)]
        return np.asarray((src_pinned != 0) | (tgt_pinned != 0))

    def _paragraph_cost(self, b: int, block: _Block, first_c: NDArray[np.int64]) -> NDArray[np.float32]:
        """The penalty for each paragraph boundary the bead crosses on one side, and for one side only
        starting a paragraph with it."""
        s, n, r0, r1 = self.s, self.band.n, block.r0, block.r1
        tgt = self._target_flags(b, block)
        src_starts_par = s.par_start[np.minimum(first_c, n - 1)][:, None]
        inside = ((self.src.par_starts[r0:r1] - self.src.par_starts[first_c])[:, None] - src_starts_par) + (
            tgt.par_inside
        )
        crossed = (inside + (src_starts_par != tgt.starts_par)).astype(np.float32)
        return np.asarray(np.float32(self.p.paragraph_cost) * crossed)

    # Partial translations are normal: a source run past the end (or before the start) of the
    # translation is one cheap gap, not a string of unlikely deletions or a giant merge.
    # Every bead after the translation's end is a deletion, and the one ending at (n, m) is always
    # among them, so it carries the gap's opening cost and the others only a small extension cost.
    # Editorial apparatus (footnotes, archival references) has no counterpart by nature, wherever
    # it stands; it neither opens nor extends a gap, so the gap's opening cost is carried by the
    # first (last) sentence of the run that is not apparatus.
    def _src_gap_cost(self, c: NDArray[Any], block: _Block, first_c: NDArray[np.int64]) -> NDArray[Any]:
        """1:0 beads at the grid's first or last target position: a leading or trailing gap."""
        s, n, m, p = self.s, self.band.n, self.band.m, self.p
        note = s.note[np.minimum(first_c, n - 1)][:, None]
        at_end = np.where(
            (block.rows == self.src_last)[:, None], GAP_OPEN + p.gap_extend_src, p.gap_extend_src
        )
        at_start = np.where(
            (block.rows == self.src_first)[:, None], GAP_OPEN + p.gap_extend_src, p.gap_extend_src
        )
        c = np.where(m == block.target, at_end, np.where(block.target == 0, at_start, c))
        if self.has_notes:
            c = np.where(note, np.minimum(c, NOTE_DELETE), c)
        return c

    def _tgt_gap_cost(self, c: NDArray[Any], block: _Block) -> NDArray[Any]:
        """0:1 beads in the grid's first or last row: a leading or trailing run with no source."""
        n, p = self.band.n, self.p
        note = self.tgt_note[block.window_row(1)]
        at_end = np.where(self.tgt_last == block.target, GAP_OPEN + p.gap_extend_tgt, p.gap_extend_tgt)
        at_start = np.where(self.tgt_first == block.target, GAP_OPEN + p.gap_extend_tgt, p.gap_extend_tgt)
        c = np.where((block.rows == n)[:, None], at_end, np.where((block.rows == 0)[:, None], at_start, c))
        if self.has_notes:
            c = np.where(note, np.minimum(c, NOTE_DELETE), c)
        return c


def _real_ends(note: NDArray[np.bool_]) -> tuple[int, int]:
    """End positions of the first and the last sentence that is not apparatus (1-based)."""
    real = np.flatnonzero(~note)
    return (int(real[0]) + 1, int(real[-1]) + 1) if len(real) else (1, len(note))


def _evidence_sums(s: Side, t: Side, weights: NDArray[np.float64], band: _Band) -> list[NDArray[np.float32]]:
    """Key evidence along the band: ``sums[a][i, x]`` is the weight of the keys shared by source
    sentences i - a … i - 1 with the target sentences before position ``start[i] - max_b + x``."""
    n, width, lo, max_a, max_b = band.n, band.width, band.start, band.max_a, band.max_b
    # The match band of source sentence r covers the targets any bead containing r can reach.
    reach = lo[np.minimum(np.arange(n) + max_a, n)] - lo[1:]
    match_width = int(min(width + max_b + int(reach.max()), 3 * width + max_b))
    match_start = np.maximum(lo[1:] - max_b, 0)
    matches = match_matrix(s, t, weights, match_start, match_width)
    # upto[r, x]: the matches of source sentence r with targets match_start[r] … match_start[r] + x - 1.
    upto = np.zeros((n, match_width + 1), dtype=np.float32)
    np.cumsum(matches, axis=1, out=upto[:, 1:])
    # Row i of the term for source sentence r is row r of ``upto`` from column lo[i] - match_start[r] -
    # max_b on, the columns clipped to the row (0 … match_width): a window of the row padded with its
    # end values.
    rows = np.arange(n + 1)
    src_rows = [np.maximum(rows - back, 0) for back in range(1, max_a + 1)]
    first_cols = [lo - match_start[r] - max_b for r in src_rows]
    left = max([0, *(-int(f.min()) for f in first_cols)])
    right = max([0, *(int(f.max()) + width + max_b - 1 - match_width for f in first_cols)])
    padded = np.concatenate(
        [np.zeros((n, left), np.float32), upto, np.repeat(upto[:, -1:], right, axis=1)], axis=1
    )
    windows = sliding_window_view(padded, width + max_b, axis=1)
    sums = [np.zeros((n + 1, width + max_b), dtype=np.float32)]
    for back in range(1, max_a + 1):
        term = windows[src_rows[back - 1], first_cols[back - 1] + left]
        term[:back] = 0.0  # rows before the back-th have no source sentence that far above them
        sums.append(sums[-1] + term)
    return sums


# ----------------------------------------------------------------------------- the passes
@dataclass
class _CostTable:
    """Every bead's cost over the band, by shape, row and column."""

    padded: NDArray[np.float32]
    """Each shape's rows in one line, with ``pad`` cells of BIG at both ends (for the windows)."""
    by_shape: NDArray[np.float32]
    """A view of ``padded``, shapes × rows × width: the bead of that shape ending at the cell."""
    tgt_only: NDArray[np.float64]
    """Rows × width: the 0:1 bead ending at the cell."""
    pad: int


def _price(costs: _BeadCosts, band: _Band, shapes: tuple[Shape, ...]) -> _CostTable:
    """Price every shape's beads over the band, a block of rows at a time."""
    rows, width = band.n + 1, band.width
    pad = width + band.max_b
    padded = np.empty((len(shapes), rows * width + 2 * pad), dtype=np.float32)
    padded[:, :pad] = padded[:, -pad:] = BIG
    by_shape = padded[:, pad : pad + rows * width].reshape(len(shapes), rows, width)
    tgt_only = np.empty((rows, width), dtype=np.float64)
    # A block of rows at a time: the temporaries stay in cache (whole-band ones cost page faults).
    chunk = max(1, 32768 // width)
    for r0 in range(0, rows, chunk):
        r1 = min(rows, r0 + chunk)
        block = band.block(r0, r1)
        for q, (a, b) in enumerate(shapes):
            costs.write(a, b, block, by_shape[q, r0:r1])
        costs.write(0, 1, block, tgt_only[r0:r1])
    # A 0:1 bead ending in a row's first column would start before the row's band.
    tgt_only[:, 0] = BIG
    return _CostTable(padded, by_shape, tgt_only, pad)


@dataclass
class _Forward:
    """The forward pass: the cheapest path from (0, 0) to every cell."""

    padded: NDArray[np.float64]
    """``best_to`` in one line, with BIG padding like :attr:`_CostTable.padded`."""
    best_to: NDArray[np.float64]
    """A view of ``padded``, rows × width (BIG where no path reaches)."""
    pred: NDArray[np.int64]
    """Rows × shapes: where in ``padded`` the window of a row's predecessors by a shape starts."""


def _forward(band: _Band, table: _CostTable, shapes: tuple[Shape, ...]) -> _Forward:
    """Rows are sequential; within a row every shape is one gather, and 0:1 chains are a running
    minimum (``D[k] = min(X[k], D[k-1] + s[k])`` solved with a cumulative sum).

    The predecessors of a row's cells by one shape are consecutive cells of the previous rows (a
    window), so the gather is one row copy per shape. The path costs sit inside a buffer padded with
    BIG that holds every window; a window that leaves the band of its row (into another row or the
    padding) does so only for cells where that shape's cost is BIG, so it cannot decide a cell that a
    real bead reaches.
    """
    rows, width, lo, pad = band.n + 1, band.width, band.start, table.pad
    src_len = np.array([a for a, _ in shapes])
    tgt_len = np.array([b for _, b in shapes])
    padded = np.full(rows * width + 2 * pad, BIG)
    best_to = padded[pad : pad + rows * width].reshape(rows, width)
    windows = sliding_window_view(padded, width)
    from_row = np.maximum(np.arange(rows)[None, :] - src_len[:, None], 0)
    from_cell = from_row * width + lo[None, :] - tgt_len[:, None] - lo[from_row]
    pred = np.clip(from_cell + pad, 0, len(padded) - width).T.copy()
    tgt_only_sum = np.cumsum(table.tgt_only, axis=1)
    by_shape = table.by_shape
    # The loop runs once per row, so every numpy call in it counts.
    via_shapes = np.full(width, BIG)  # row 0: only the start cell, and 0:1 chains from it
    via_shapes[0] = 0.0
    for i in range(rows):
        if i > 0:
            candidates = windows[pred[i]]
            candidates += by_shape[:, i, :]
            via_shapes = candidates.min(axis=0)
        via_shapes -= tgt_only_sum[i]
        row = best_to[i]
        np.minimum.accumulate(via_shapes, out=row)
        row += tgt_only_sum[i]
    np.minimum(best_to, BIG, out=best_to)
    return _Forward(padded, best_to, pred)


def _shape_into(forward: _Forward, table: _CostTable, i: int, k: int) -> int:
    """The shape (its index, or the number of shapes for 0:1) by which the forward pass reached cell
    (i, k), with the forward pass's arithmetic."""
    tgt_only = len(table.by_shape)
    if i == 0:
        return tgt_only
    candidates = forward.padded[forward.pred[i] + k] + table.by_shape[:, i, k]
    q = int(candidates.argmin())
    return tgt_only if forward.best_to[i, k] < min(float(candidates[q]), BIG) - 1e-7 else q


def _back_trace(band: _Band, table: _CostTable, forward: _Forward, shapes: tuple[Shape, ...]) -> list[Cell]:
    """The best path, from (n, m) back to (0, 0), returned in order."""
    n, m, lo = band.n, band.m, band.start
    path = [(n, m)]
    i, k = n, int(m - lo[n])
    while (i, lo[i] + k) != (0, 0):
        q = _shape_into(forward, table, i, k)
        if q == len(shapes):  # 0:1
            k -= 1
        else:
            a, b = shapes[q]
            j = lo[i] + k - b
            i -= a
            k = int(j - lo[i])
        path.append((i, int(lo[i] + k)))
        if len(path) > n + m + 3:  # pragma: no cover - defensive: a broken back-pointer
            raise RuntimeError("alignment back-trace did not terminate")
    path.reverse()
    return path


def _backward(band: _Band, table: _CostTable, shapes: tuple[Shape, ...]) -> NDArray[np.float64]:
    """The cheapest path from every cell to (n, m) (BIG where none), row after row from the last.

    Like the forward pass, one gather per row: the cost table is turned in place (its forward use is
    over) into the cost of the bead of each shape that *starts* at each cell, or BIG where that bead
    leaves the band or the grid.
    """
    n, m, width, lo, pad = band.n, band.m, band.width, band.start, table.pad
    rows = n + 1
    src_len = np.array([a for a, _ in shapes])
    tgt_len = np.array([b for _, b in shapes])
    to_row = np.arange(rows)[None, :] + src_len[:, None]
    to_row_c = np.minimum(to_row, n)
    to_col = (
        lo[None, :] + tgt_len[:, None] - lo[to_row_c]
    )  # column in row to_row of the cell reached from column 0
    to_cell = to_row_c * width + to_col
    for q in range(len(shapes)):
        # Row i of the starting costs is a window of the shape's padded line: the cells of row
        # to_row[q, i] from column to_col[q, i] on.
        starts = np.clip(to_cell[q] + pad, 0, table.padded.shape[1] - width)
        moved = sliding_window_view(table.padded[q], width)[starts]
        gone = band.outside(-to_col[q], width - to_col[q])
        gone |= (to_row[q] > n)[:, None]
        np.copyto(moved, BIG, where=gone)
        table.by_shape[q] = moved
    padded = np.full(rows * width + 2 * pad, BIG)  # like the forward pass's, for the same windows
    best_from = padded[pad : pad + rows * width].reshape(rows, width)
    windows = sliding_window_view(padded, width)
    succ = np.clip(to_cell + pad, 0, len(padded) - width).T.copy()
    # The 0:1 chain within a row, solved with a reversed running minimum over cumulative costs.
    tgt_only_sum = np.zeros((rows, width), dtype=np.float64)
    np.cumsum(table.tgt_only[:, 1:], axis=1, out=tgt_only_sum[:, 1:])  # column 0 is never a 0:1 end here
    by_shape = table.by_shape
    end_k = m - lo[n]
    for i in range(n, -1, -1):
        candidates = windows[succ[i]]
        candidates += by_shape[:, i, :]
        via_shapes = candidates.min(axis=0)
        if i == n:
            via_shapes[end_k] = 0.0
        cum = tgt_only_sum[i]
        via_shapes += cum
        row = np.minimum.accumulate(via_shapes[::-1])[::-1]
        row -= cum
        np.minimum(row, BIG, out=best_from[i])
    return best_from


def _margins(
    band: _Band, best_to: NDArray[np.float64], best_from: NDArray[np.float64], path: list[Cell]
) -> list[float]:
    """Per bead of ``path``: how much dearer the cheapest path is that avoids it, in nats.

    A path avoids a bead if it avoids one of the bead's end cells, passing through another cell of
    that row or column, or if it splits the bead, passing through a cell inside it.
    """
    n, m, width, lo = band.n, band.m, band.width, band.start
    best = best_to[n, m - lo[n]]
    # The cheapest path through each cell. The path's own cells and the cells past the grid are set
    # to inf (the bead interiors read below are neither).
    through = best_to + best_from
    pi = np.array([c[0] for c in path])
    pj = np.array([c[1] for c in path])
    through[pi, pj - lo[pi]] = np.inf
    tail = np.flatnonzero(lo + width - 1 > m)  # the last rows, whose band runs past the grid
    through[tail] = np.where(band.target[tail] <= m, through[tail], np.inf)
    row_alt = through.min(axis=1)
    # Column minima: rows with the same band start are reduced together, then each band column is a
    # scatter without repeated indices (a minimum does not depend on the order; ufunc.at is slow).
    run = np.flatnonzero(np.concatenate([[True], lo[1:] != lo[:-1]]))
    run_min = np.minimum.reduceat(through, run, axis=0)
    col_alt = np.full(m + 1 + width, np.inf)
    for k in range(width):
        jk = lo[run] + k
        col_alt[jk] = np.minimum(col_alt[jk], run_min[:, k])
    col_alt = col_alt[: m + 1]
    cell_margin = (np.minimum(row_alt[pi], col_alt[pj]) - best).tolist()
    margins: list[float] = []
    for q in range(1, len(path)):
        (i0, j0), (i1, j1) = path[q - 1], path[q]
        margin = min(cell_margin[q - 1] if q > 1 else np.inf, cell_margin[q] if q < len(path) - 1 else np.inf)
        if (i1 - i0) + (j1 - j0) > 2:  # alternatives that split this bead pass through its inside
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    k = j - lo[i]
                    if (i, j) in ((i0, j0), (i1, j1)) or not 0 <= k < width:
                        continue
                    margin = min(margin, through[i, k] - best)
        margins.append(float(margin))
    return margins
