"""The sentence aligner: :func:`align` groups the sentences of a text and its translation into beads.

The method. The aligner needs no model. A bead's cost (in nats, lower is better) adds up a prior for
its shape (1:1, 2:1, …); a length term, a heavy-tailed (Student-t) Gale–Church over characters, words
and utterances with the length ratios and spreads re-estimated from the document itself; evidence
from *keys* its two sides share (transliterated name skeletons, numbers, punctuation structure, see
:mod:`.features`; with a machine translation of the source, the word overlap between the MT and the
human translation, the Bleualign idea); and penalties for a bead that starts with a fragment cut from
the previous sentence (``— сказал он.``) or that crosses or misses paragraph boundaries when both
sides have them. Fixed beads with both sides are *anchors*: they cut the texts into stretches that
are aligned one by one. A first pass over each stretch follows the cumulative-length diagonal; then
up to three *lexicon passes* each re-estimate the priors and length ratios from the beads of the pass
before, learn a lexicon of word pairs from its confident beads (hunalign's trick, here with Dice over
the same document, :mod:`.lexicon`) as more keys, and search again around the previous path. Each
pass is dynamic programming in a band around a guide path, vectorised along rows with numpy; the band
widens and re-centres if the path runs along its edge (:mod:`.search`). A backward pass gives, for
every cell, the best complete path through it, so a bead's *confidence* is a logistic function of
how much worse the best alignment is that does not contain it (a posterior-like margin), Platt-scaled
to a probability of being right (fitted on news and parliamentary text, checked on fiction; see
``_CONF_SLOPE``). A margin of 0 gives 0.54.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence, Set
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sourcereader.core.alignment import features
from sourcereader.core.alignment.beads import Bead
from sourcereader.core.alignment.lexicon import Stems, learn_lexicon, stems, with_lexicon
from sourcereader.core.alignment.params import (
    PRIOR0,
    SHAPES,
    Params,
    Span,
    estimate,
    gap_extension,
    initial_shapes,
)
from sourcereader.core.alignment.search import PassResult, align_stretch
from sourcereader.core.alignment.sides import Side, build_side, key_occurrences, key_weights

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["ALIGNER_VERSION", "align"]

#: Changes whenever the output for some input may change: part of every alignment cache key.
ALIGNER_VERSION = "5"

#: Passes that learn a lexicon from the previous pass (1 → 2 gains most; a 4th loses).
_LEXICON_PASSES = 3
# Confidence = sigmoid(slope * margin + bias), margin in nats: Platt scaling fitted (log loss) on the
# scored beads of ntrex + textberg (2,900 beads) and checked on the literary set, which it never saw:
# there beads at 0.62 / 0.77 / 0.90 / 0.98 are right 48 / 67 / 87 / 99 % of the time (fit sets: 67 / 76
# / 88 / 98 %); Brier score 0.131 -> 0.125 on literary. Fiction is harder than news at equal margin,
# so the low bands there remain optimistic.
_CONF_SLOPE = 0.38
_CONF_BIAS = 0.15
#: Weight of each key family: names, numbers, punctuation, and MT words (when an MT is given).
_FAMILY_WEIGHT = {"n": 1.0, "#": 1.5, "p": 0.35, "m": 0.8}

#: ``(s0, s1, t0, t1)``: source sentences ``s0:s1`` and target sentences ``t0:t1``, between anchors.
Stretch = tuple[int, int, int, int]


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
    n, m = len(src), len(tgt)
    if mt is not None and len(mt) != n:
        raise ValueError(f"mt has {len(mt)} sentences for {n} source sentences")
    anchors, pinned_src, pinned_tgt = _split_fixed(fixed, n, m)
    src_groups, tgt_groups = _glue_groups(src, fixed, "src"), _glue_groups(tgt, fixed, "tgt")
    if len(src_groups) < n or len(tgt_groups) < m:
        # Punctuation-only lines (a closing quote or a dash the segmenter cut off) are aligned as part
        # of the sentence before them: translations attach them there, and on their own they cost a
        # 0:1 bead or pull the next bead out of shape.
        return _align_glued(src, tgt, src_groups, tgt_groups, src_lang=src_lang, tgt_lang=tgt_lang,
                            src_breaks=src_breaks, tgt_breaks=tgt_breaks, fixed=fixed, mt=mt,
                            confidence=confidence)  # fmt: skip
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0, i in pinned_src) for i in range(n)] + [
            Bead((), (j,), 1.0, j in pinned_tgt) for j in range(m)
        ]

    s, t, weights, src_stems, tgt_stems = _sides(src, tgt, src_lang, tgt_lang, src_breaks, tgt_breaks, mt)
    s.pinned[list(pinned_src)] = True
    t.pinned[list(pinned_tgt)] = True
    stretches = _stretches(anchors, n, m)
    results = _passes(
        stretches, anchors, _initial_params(s, t), s, t, weights, src_stems, tgt_stems, confidence
    )
    return _beads(stretches, results, anchors, pinned_src, pinned_tgt)


def _sides(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    src_breaks: Set[int],
    tgt_breaks: Set[int],
    mt: Sequence[str] | None,
) -> tuple[Side, Side, NDArray[np.float64], Stems, Stems]:
    """Both sides with their key occurrences, the keys' weights, and both sides' stems (for the
    lexicon passes)."""
    key_ids: dict[str, int] = {}
    # Each sentence's words, found once: the keys and the stems are both made of them.
    src_words, tgt_words = [features.words(x) for x in src], [features.words(x) for x in tgt]
    s, src_keys = build_side(src, src_words, src_lang, tgt_lang, src_breaks, key_ids)
    t, tgt_keys = build_side(tgt, tgt_words, tgt_lang, src_lang, tgt_breaks, key_ids)
    if mt is not None:
        # Words of the MT and of the human translation share a language: plain word overlap.
        for i, line in enumerate(mt):
            src_keys[i].extend(
                key_ids.setdefault("m" + w, len(key_ids)) for w in set(features.stem_words(line))
            )
        for j, line in enumerate(tgt):
            tgt_keys[j].extend(
                key_ids.setdefault("m" + w, len(key_ids))
                for w in set(features.stem_words(line, text_words=tgt_words[j]))
            )
    src_stems, tgt_stems = stems(src, src_words), stems(tgt, tgt_words)
    del src_words, tgt_words  # a long book's words are more memory than its stems
    s.key_sentence, s.key_id = key_occurrences(src_keys)
    t.key_sentence, t.key_id = key_occurrences(tgt_keys)
    family_weight = np.array([_FAMILY_WEIGHT.get(k[0], 1.0) for k in key_ids], dtype=np.float64)
    return s, t, key_weights(s, t, len(key_ids), family_weight), src_stems, tgt_stems


def _initial_params(s: Side, t: Side) -> Params:
    """The first pass's parameters, from the two sides' total lengths."""
    # Translations are rarely much longer or shorter than their source; a wilder total ratio means a
    # partial translation, whose totals say nothing about sentence lengths: start at 1 then (clipping
    # to the range's edge would make a 4-sentence excerpt look 30 % shorter sentence for sentence and
    # pull it onto longer source sentences) and let the first pass re-estimate from confident beads.
    char_ratio = float(t.chars.sum() / max(s.chars.sum(), 1.0))
    partial = not 0.7 <= char_ratio <= 1.4
    char_ratio = 1.0 if partial else char_ratio
    word_ratio = float(t.words.sum() / max(s.words.sum(), 1.0))
    word_ratio = word_ratio if 0.6 <= word_ratio <= 1.6 else 1.0
    unit_ratio = float(t.units.sum() / max(s.units.sum(), 1.0))
    gap_extend_src, gap_extend_tgt = gap_extension(s.chars.sum(), t.chars.sum())
    return Params(
        dict(PRIOR0),
        char_ratio,
        6.8 * char_ratio,
        word_ratio,
        1.5 * word_ratio,
        unit_ratio=unit_ratio if 0.5 <= unit_ratio <= 2.0 else 1.0,
        gap_extend_src=gap_extend_src,
        gap_extend_tgt=gap_extend_tgt,
        # A partial translation has few sentences because it is partial, not because they are long.
        shapes=SHAPES if partial else initial_shapes(len(s), len(t)),
    )


def _passes(
    stretches: list[Stretch],
    anchors: list[Bead],
    p: Params,
    s: Side,
    t: Side,
    weights: NDArray[np.float64],
    src_stems: Stems,
    tgt_stems: Stems,
    confidence: bool,
) -> list[PassResult | None]:
    """The first pass, then the lexicon passes; the result of the last for every stretch.

    The first pass always prices its margins (its confidences choose the beads the lexicon is learnt
    from); the last only when ``confidence`` is asked for; those between never.
    """
    result = _pass(stretches, p, s, t, weights, [None] * len(stretches), True)
    last: tuple[Side, Side, NDArray[np.float64]] = (s, t, weights)
    redo = False
    for q in range(_LEXICON_PASSES):
        spans = _spans(stretches, result, anchors)
        p = estimate(spans, s, t, p)
        # Next pass: a lexicon learnt from the confident beads of the previous one.
        lexicon = learn_lexicon(spans, src_stems, tgt_stems)
        if not len(lexicon.src):
            # No lexicon to add. The last pass skipped confidences if it was not the first: run it
            # once more, with the new estimates, pricing them if asked.
            redo = q > 0
            break
        last = with_lexicon(s, t, weights, lexicon, src_stems, tgt_stems)
        result = _pass(stretches, p, *last, result, confidence and q == _LEXICON_PASSES - 1)
    if redo:
        result = _pass(stretches, p, *last, result, confidence)
    return result


def _pass(
    stretches: list[Stretch],
    p: Params,
    s: Side,
    t: Side,
    weights: NDArray[np.float64],
    previous: list[PassResult | None],
    want_margins: bool,
) -> list[PassResult | None]:
    """One pass over every stretch (None for a stretch with an empty side: nothing to search)."""
    out: list[PassResult | None] = []
    for (s0, s1, t0, t1), before in zip(stretches, previous, strict=True):
        if s1 == s0 or t1 == t0:
            out.append(None)
            continue
        out.append(align_stretch(s.slice(s0, s1), t.slice(t0, t1), p, weights, before, want_margins))
    return out


def _spans(stretches: list[Stretch], results: list[PassResult | None], anchors: list[Bead]) -> list[Span]:
    """A pass's beads over the whole text, with a rough confidence (the anchors are certain)."""
    out = [(a.src[0], a.src[-1] + 1, a.tgt[0], a.tgt[-1] + 1, 1.0) for a in anchors]
    for (s0, _s1, t0, _t1), r in zip(stretches, results, strict=True):
        if r is None:
            continue
        for q in range(1, len(r.path)):
            (i0, j0), (i1, j1) = r.path[q - 1], r.path[q]
            out.append((s0 + i0, s0 + i1, t0 + j0, t0 + j1, _sigmoid(r.margins[q - 1] - 0.5)))
    return out


def _beads(
    stretches: list[Stretch],
    results: list[PassResult | None],
    anchors: list[Bead],
    pinned_src: set[int],
    pinned_tgt: set[int],
) -> list[Bead]:
    """The last pass's beads with their confidences, the anchors between the stretches."""
    beads: list[Bead] = []
    for q, ((s0, s1, t0, t1), r) in enumerate(zip(stretches, results, strict=True)):
        if r is None:
            beads.extend(
                Bead((i,), (), 0.9 if i in pinned_src else 0.5, i in pinned_src) for i in range(s0, s1)
            )
            beads.extend(
                Bead((), (j,), 0.9 if j in pinned_tgt else 0.5, j in pinned_tgt) for j in range(t0, t1)
            )
        else:
            margins = r.margins if r.priced else [math.nan] * len(r.margins)
            for b in _path_beads(r.path, margins, s0, t0):
                pinned = bool(set(b.src) & pinned_src or set(b.tgt) & pinned_tgt)
                beads.append(replace(b, verified=True, confidence=1.0) if pinned else b)
        if q < len(anchors):
            beads.append(replace(anchors[q], confidence=1.0, verified=True))
    return beads


def _sigmoid(x: float) -> float:
    if x > 40:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))


def _path_beads(path: list[tuple[int, int]], margins: list[float], s0: int, t0: int) -> list[Bead]:
    """The beads of a stretch's path (the stretch starts at sentences s0, t0), with confidences."""
    out = []
    for q in range(1, len(path)):
        (i0, j0), (i1, j1) = path[q - 1], path[q]
        out.append(Bead(tuple(range(s0 + i0, s0 + i1)), tuple(range(t0 + j0, t0 + j1)),
                        round(_sigmoid(_CONF_SLOPE * margins[q - 1] + _CONF_BIAS), 4)))  # fmt: skip
    return out


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
    src_groups: list[tuple[int, int]],
    tgt_groups: list[tuple[int, int]],
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
    src_group_at = {a: q for q, (a, _b) in enumerate(src_groups)}
    tgt_group_at = {a: q for q, (a, _b) in enumerate(tgt_groups)}
    src_group_of = [q for q, (a, b) in enumerate(src_groups) for _ in range(a, b)]
    tgt_group_of = [q for q, (a, b) in enumerate(tgt_groups) for _ in range(a, b)]

    def merged(texts: Sequence[str], groups: list[tuple[int, int]]) -> list[str]:
        return [" ".join(texts[a:b]) for a, b in groups]

    glued_fixed = [
        replace(
            b,
            src=tuple(dict.fromkeys(src_group_of[i] for i in b.src)),
            tgt=tuple(dict.fromkeys(tgt_group_of[j] for j in b.tgt)),
        )
        for b in fixed
    ]
    beads = align(
        merged(src, src_groups),
        merged(tgt, tgt_groups),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src_breaks=frozenset(src_group_at[i] for i in src_breaks if i in src_group_at),
        tgt_breaks=frozenset(tgt_group_at[j] for j in tgt_breaks if j in tgt_group_at),
        fixed=glued_fixed,
        mt=None if mt is None else merged(mt, src_groups),
        confidence=confidence,
    )
    return [
        replace(
            b,
            src=tuple(i for q in b.src for i in range(*src_groups[q])),
            tgt=tuple(j for q in b.tgt for j in range(*tgt_groups[q])),
        )
        for b in beads
    ]


def _split_fixed(fixed: Sequence[Bead], n: int, m: int) -> tuple[list[Bead], set[int], set[int]]:
    """Validate ``fixed``; split it into anchors (both sides) and pinned sentences (one side empty)."""
    anchors: list[Bead] = []
    pinned_src: set[int] = set()
    pinned_tgt: set[int] = set()
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
            pinned_src.update(b.src)
        else:
            pinned_tgt.update(b.tgt)
    anchors.sort(key=lambda b: b.src[0])
    for x, y in zip(anchors, anchors[1:], strict=False):
        if y.tgt[0] <= x.tgt[-1]:
            raise ValueError(f"fixed beads {x.src}:{x.tgt} and {y.src}:{y.tgt} cross")
    return anchors, pinned_src, pinned_tgt


def _stretches(anchors: list[Bead], n: int, m: int) -> list[Stretch]:
    """The stretches between the anchors (sorted), from the start to the end of both texts."""
    out = []
    si = ti = 0
    for a in anchors:
        out.append((si, a.src[0], ti, a.tgt[0]))
        si, ti = a.src[-1] + 1, a.tgt[-1] + 1
    out.append((si, n, ti, m))
    return out
