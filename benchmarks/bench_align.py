"""Benchmark the sentence aligner on the gold sets, against a plain Gale–Church measured in the same run.

Run on purpose (not a test): ``.venv/bin/python benchmarks/bench_align.py [--root ../shared/eval]``.
Prints strict link F1 per set (score.py's definition) for both aligners, the confidence quality
(precision of the lowest-confidence 10 % of scored beads against the rest), and the time and peak
memory of a 10,000 × 10,000-sentence alignment.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from sourcereader.core.alignment.aligner import align
from sourcereader.core.alignment.beads import Bead

LANGS = {"literary": ("ru", "en"), "ntrex": ("ru", "en"), "textberg": ("de", "fr")}
Pair = tuple[tuple[int, ...], tuple[int, ...]]


def gale_church(src: Sequence[str], tgt: Sequence[str]) -> list[Pair]:
    """Textbook Gale–Church (1993): character lengths, c = 1, s² = 6.8, the paper's priors, full DP."""
    shapes = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
              (2, 2): 0.011}  # fmt: skip
    ls = [len(s) for s in src]
    lt = [len(t) for t in tgt]
    n, m = len(ls), len(lt)
    inf = float("inf")
    D = [[inf] * (m + 1) for _ in range(n + 1)]
    bp: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    D[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, arg = inf, (0, 0)
            for (a, b), pr in shapes.items():
                if i < a or j < b or D[i - a][j - b] == inf:
                    continue
                l1, l2 = sum(ls[i - a : i]), sum(lt[j - b : j])
                mean = (l1 + l2) / 2
                delta = (l2 - l1) / math.sqrt(6.8 * mean) if mean else 0.0
                p = max(2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2)))), 1e-300)
                c = D[i - a][j - b] - math.log(pr) - math.log(p)
                if c < best:
                    best, arg = c, (a, b)
            D[i][j], bp[i][j] = best, arg
    out: list[Pair] = []
    i, j = n, m
    while i or j:
        a, b = bp[i][j]
        out.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return out[::-1]


def load_score(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", root / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def scored_correct(
    score: ModuleType, beads: list[Pair], gold: list[Pair], pars: list[Pair] | None
) -> list[bool | None]:
    """Per bead: True/False where score.py scores it for precision, None where it does not."""
    out: list[bool | None] = []
    for b in beads:
        counts = score.score_doc([b], gold, pars)
        out.append(None if counts[1] == 0 else bool(counts[0]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    ap.add_argument("--sets", default="literary,ntrex,textberg")
    ap.add_argument("--no-gc", action="store_true", help="skip the (slow, pure Python) Gale–Church baseline")
    a = ap.parse_args()
    score = load_score(a.root)
    confs: list[tuple[float, bool]] = []
    print(f"{'set':<10} {'docs':>5} {'ours F1':>8} {'GC F1':>7} {'ours s':>7}")
    for name in a.sets.split(","):
        folder = a.root / "align" / name
        sl, tl = LANGS[name]
        ours, base = [0, 0, 0, 0], [0, 0, 0, 0]
        t_ours = 0.0
        docs = sorted(folder.glob("*.gold"))
        for gp in docs:
            src = (folder / f"{gp.stem}.{sl}").read_text(encoding="utf-8").splitlines()
            tgt = (folder / f"{gp.stem}.{tl}").read_text(encoding="utf-8").splitlines()
            gold = score.parse_beads(gp.read_text(encoding="utf-8"))
            pp = folder / f"{gp.stem}.paragraphs"
            pars = score.parse_beads(pp.read_text(encoding="utf-8")) if pp.exists() else None
            t0 = time.perf_counter()
            beads: list[Bead] = align(src, tgt, src_lang=sl, tgt_lang=tl)
            t_ours += time.perf_counter() - t0
            pairs = [(b.src, b.tgt) for b in beads]
            ours = [x + y for x, y in zip(ours, score.score_doc(pairs, gold, pars), strict=True)]
            for b, ok in zip(beads, scored_correct(score, pairs, gold, pars), strict=True):
                if ok is not None:
                    confs.append((b.confidence, ok))
            if not a.no_gc and len(src) * len(tgt) < 4_000_000:
                gc = gale_church(src, tgt)
                base = [x + y for x, y in zip(base, score.score_doc(gc, gold, pars), strict=True)]
        gc_f1 = "-" if a.no_gc else f"{score.f1(base)[2]:.3f}"
        print(f"{name:<10} {len(docs):>5} {score.f1(ours)[2]:>8.3f} {gc_f1:>7} {t_ours:>7.1f}")
    confs.sort(key=lambda x: x[0])
    k = max(1, len(confs) // 10)
    low = sum(ok for _, ok in confs[:k]) / k
    rest = sum(ok for _, ok in confs[k:]) / max(1, len(confs) - k)
    print(f"confidence: precision of lowest-confidence 10% of scored beads {low:.3f} vs rest {rest:.3f} "
          f"(n={len(confs)})")  # fmt: skip
    for lo_, hi_ in ((0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)):
        sel = [ok for c, ok in confs if lo_ <= c < hi_]
        if sel:
            prec = sum(sel) / len(sel)
            print(f"  confidence [{lo_:.2f}, {min(hi_, 1):.2f}): {len(sel):5d} beads, precision {prec:.3f}")
    # 10k x 10k: the news documents (sentence for sentence translations) repeated, as a long book.
    folder = a.root / "align" / "ntrex"
    src_all: list[str] = []
    tgt_all: list[str] = []
    while len(src_all) < 10_000 or len(tgt_all) < 10_000:
        for gp in sorted(folder.glob("*.gold")):
            src_all += (folder / f"{gp.stem}.ru").read_text(encoding="utf-8").splitlines()
            tgt_all += (folder / f"{gp.stem}.en").read_text(encoding="utf-8").splitlines()
    src_big, tgt_big = src_all[:10_000], tgt_all[:10_000]
    # Time without tracemalloc (it slows numpy's allocations tenfold), then measure the peak in a second run.
    t0 = time.perf_counter()
    big = align(src_big, tgt_big, src_lang="ru", tgt_lang="en")
    dt = time.perf_counter() - t0
    tracemalloc.start()
    align(src_big, tgt_big, src_lang="ru", tgt_lang="en")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"10,000 x 10,000: {dt:.2f} s, {len(big)} beads, peak traced memory {peak / 2**20:.0f} MB, "
          f"process max RSS {rss / 1024:.0f} MB")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
