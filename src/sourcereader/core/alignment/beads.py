"""Beads and the user's edits to an alignment: merge, split, move a sentence, mark verified.

Every edit returns a new list (the input is untouched), and the beads it touches become *verified*:
the user decided them, so a re-alignment keeps them exactly. No numpy here: the reader edits beads
without loading the aligner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = [
    "UNSURE_BELOW",
    "Bead",
    "check_cover",
    "mark_verified",
    "merge_next",
    "move_src",
    "move_tgt",
    "split_bead",
]

UNSURE_BELOW = 0.7
"""The one definition of an *unsure* bead: confidence under this (and not verified). The confidences
are calibrated (``aligner._CONF_SLOPE``): on text the fit never saw, beads under 0.7 are right about
half the time, beads over 0.95 about 99 %. The reader marks and jumps to unsure rows (``l``), its panel
and ``show --translation`` label them, ``align`` flags them."""


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
    """Confirmed by the user: stored as a correction and kept exactly when the document is re-aligned."""

    @property
    def unsure(self) -> bool:
        """The aligner was unsure of this bead (confidence under :data:`UNSURE_BELOW`), nobody verified it."""
        return not self.verified and self.confidence < UNSURE_BELOW


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
    """Move the first (``direction < 0``) or last sentence of bead ``k``'s ``side`` to its neighbour."""
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
    """Mark bead ``k`` as verified (kept exactly when the document is re-aligned) or release it."""
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
