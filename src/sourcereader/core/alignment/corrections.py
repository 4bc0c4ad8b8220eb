"""Corrections: the stored form of verified beads, and how they are re-mapped onto edited texts.

A correction names its sentences by content hash, not by index, so editing a text elsewhere leaves
it valid (it moves with its sentences), and editing one of its own sentences drops it. The verified
beads re-mapped from the corrections are the *fixed* beads the aligner keeps exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sourcereader.core.alignment.beads import Bead
from sourcereader.core.hashing import sentence_hash

__all__ = ["Correction", "corrections_from", "remap_corrections"]


@dataclass(frozen=True)
class Correction:
    """A verified bead as stored: content hashes of its sentences plus their old positions as hints."""

    src_hashes: tuple[str, ...]
    """Hashes of the bead's source sentences, in order (empty for a 0:1 bead)."""
    tgt_hashes: tuple[str, ...]
    """Hashes of the bead's target sentences, in order (empty for a 1:0 bead)."""
    src_pos: int
    """Old index of the first source sentence (for an empty side: where the bead sat)."""
    tgt_pos: int
    """Old index of the first target sentence (likewise)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"src": list(self.src_hashes), "tgt": list(self.tgt_hashes), "sp": self.src_pos,
                "tp": self.tgt_pos}  # fmt: skip

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Correction:
        """Inverse of :meth:`to_json`."""
        return cls(tuple(d["src"]), tuple(d["tgt"]), int(d["sp"]), int(d["tp"]))


def corrections_from(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str]) -> list[Correction]:
    """The corrections to store for an alignment: one per verified bead."""
    out = []
    si = ti = 0
    for b in beads:
        if b.verified:
            out.append(Correction(tuple(sentence_hash(src[i]) for i in b.src),
                                  tuple(sentence_hash(tgt[j]) for j in b.tgt), si, ti))  # fmt: skip
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


def remap_corrections(
    corrections: Sequence[Correction], src: Sequence[str], tgt: Sequence[str]
) -> tuple[list[Bead], list[Correction]]:
    """Re-map stored corrections onto (possibly edited) texts.

    Returns the beads that still apply (verified, with their new indices: the aligner's fixed beads)
    and the corrections dropped because one of their sentences changed or vanished, or because they
    no longer fit in order.
    """
    sh = [sentence_hash(s) for s in src]
    th = [sentence_hash(t) for t in tgt]
    fixed: list[Bead] = []
    dropped: list[Correction] = []
    si = ti = 0  # everything before these positions is taken by earlier fixed beads
    for c in sorted(corrections, key=lambda x: (x.src_pos, x.tgt_pos)):
        s0 = _find_run(sh, c.src_hashes, c.src_pos, si) if c.src_hashes else None
        t0 = _find_run(th, c.tgt_hashes, c.tgt_pos, ti) if c.tgt_hashes else None
        if (c.src_hashes and s0 is None) or (c.tgt_hashes and t0 is None):
            dropped.append(c)
            continue
        s0 = s0 if s0 is not None else max(si, min(c.src_pos, len(sh)))
        t0 = t0 if t0 is not None else max(ti, min(c.tgt_pos, len(th)))
        fixed.append(Bead(tuple(range(s0, s0 + len(c.src_hashes))),
                          tuple(range(t0, t0 + len(c.tgt_hashes))), 1.0, True))  # fmt: skip
        si, ti = s0 + len(c.src_hashes), t0 + len(c.tgt_hashes)
    return fixed, dropped
