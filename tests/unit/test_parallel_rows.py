"""The reader's rows: union-merged beads of several translations, gaps in place, nothing lost."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcereader.core.alignment.beads import Bead
from sourcereader.core.documents import Gap
from sourcereader.core.parallel_rows import (
    Row,
    Rows,
    build_rows,
    find_rows,
    low_rows,
    next_index,
    one_to_one,
    source_only,
    split_cut,
)


def b(src: tuple[int, ...], tgt: tuple[int, ...], confidence: float = 0.9, verified: bool = False) -> Bead:
    return Bead(src, tgt, confidence, verified)


def gap(after: int, n: int = 1) -> Gap:
    return Gap(f"g{n}", "gap", "lost", 0, 0, 0, after)


def shape(rows: Rows) -> list[tuple[object, ...]]:
    """Rows as (src, tgt per translation) lists, gaps as ("gap", position)."""
    out: list[tuple[object, ...]] = []
    for row in rows.rows:
        if row.gap is not None:
            out.append(("gap", row.src.start))
        else:
            out.append((list(row.src), *[list(t) for t in row.tgt]))
    return out


@dataclass(frozen=True)
class Case:
    name: str
    n_src: int
    gaps: tuple[int, ...]
    alignments: tuple[tuple[Bead, ...], ...]
    expected: list[tuple[object, ...]]


CASES = [
    Case("no translation: a row per sentence", 2, (), (), [([0],), ([1],)]),
    Case(
        "one translation: a row per bead",
        3,
        (),
        ((b((0,), (0,)), b((1, 2), (1,))),),
        [([0], [0]), ([1, 2], [1])],
    ),
    Case(
        "two translations: union-merged",
        3,
        (),
        ((b((0, 1), (0,)), b((2,), (1,))), (b((0,), (0,)), b((1,), (1,)), b((2,), (2,)))),
        [([0, 1], [0], [0, 1]), ([2], [1], [2])],
    ),
    Case(
        "untranslated source sentences are empty cells",
        3,
        (),
        ((b((0,), ()), b((1,), (0,)), b((2,), ())),),
        [([0], []), ([1], [0]), ([2], [])],
    ),
    Case(
        "a translation-only sentence gets its own row",
        2,
        (),
        ((b((0,), (0,)), b((), (1,)), b((1,), (2,))),),
        [([0], [0]), ([], [1]), ([1], [2])],
    ),
    Case(
        "a translation-only sentence inside another translation's bead merges in",
        2,
        (),
        ((b((0,), (0,)), b((), (1,)), b((1,), (2,))), (b((0, 1), (0,)),)),
        [([0, 1], [0, 1, 2], [0])],
    ),
    Case(
        "gaps are rows at their place",
        2,
        (0, 1, 2),
        ((b((0,), (0,)), b((1,), (1,))),),
        [("gap", 0), ([0], [0]), ("gap", 1), ([1], [1]), ("gap", 2)],
    ),
    Case(
        "a gap inside a bead follows the bead",
        2,
        (1,),
        ((b((0, 1), (0,)),),),
        [([0, 1], [0]), ("gap", 2)],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rows(case: Case) -> None:
    gaps = [gap(after, n) for n, after in enumerate(case.gaps, 1)]
    assert shape(build_rows(case.n_src, gaps, case.alignments)) == case.expected


def test_confidence_and_verification() -> None:
    rows = build_rows(3, [], [[b((0,), (0,), 0.2), b((1,), (1,), 0.9, True), b((2,), (2,), 1.0, True)]])
    assert [r.confidence for r in rows.rows] == [0.2, 0.9, 1.0]
    assert [r.verified for r in rows.rows] == [False, True, True]
    assert low_rows(rows) == [0]
    assert rows.rows[0].is_low() and not rows.rows[1].is_low()


def test_gap_rows_are_never_low() -> None:
    rows = build_rows(0, [gap(0)], [])
    assert rows.rows == (Row(range(0, 0), (), (), gap(0)),)
    assert low_rows(rows) == []


def test_row_lookup() -> None:
    rows = build_rows(4, [gap(2)], [[b((0, 1), (0,)), b((2,), (1,)), b((3,), ())]])
    assert [rows.row_of_source(i) for i in range(4)] == [0, 0, 2, 3]
    assert rows.row_of_target(0, 1) == 2


def test_alignment_must_cover_the_source() -> None:
    with pytest.raises(ValueError, match="covers 1 source sentences of 2"):
        build_rows(2, [], [[b((0,), (0,))]])


def test_next_index_wraps() -> None:
    assert next_index([2, 5, 9], 5) == 9
    assert next_index([2, 5, 9], 9) == 2
    assert next_index([2, 5, 9], 5, forward=False) == 2
    assert next_index([2, 5, 9], 2, forward=False) == 9
    assert next_index([], 3) is None


def test_find_rows_is_case_insensitive() -> None:
    rows = build_rows(3, [], [])
    texts = ["Гитлер говорит", "Молотов отвечает", "ГИТЛЕР"]
    assert find_rows(rows, lambda r: [texts[i] for i in r.src], "гитлер") == [0, 2]
    assert find_rows(rows, lambda r: [texts[i] for i in r.src], "  ") == []


@pytest.mark.parametrize(
    ("shape_", "cut"),
    [((2, 1), (1, 1)), ((1, 2), (1, 1)), ((1, 1), (1, 0)), ((0, 2), (0, 1)), ((3, 0), (1, 0))],
)
def test_split_cut(shape_: tuple[int, int], cut: tuple[int, int]) -> None:
    assert split_cut(*shape_) == cut


def test_split_cut_refuses_a_single_sentence() -> None:
    with pytest.raises(ValueError):
        split_cut(1, 0)


def test_fallback_alignments_cover_both_sides() -> None:
    rows = build_rows(3, [], [one_to_one(3, 4), source_only(3)])
    assert [i for r in rows.rows for i in r.src] == [0, 1, 2]
    assert [j for r in rows.rows for j in r.tgt[0]] == [0, 1, 2, 3]
    assert [j for r in rows.rows for j in r.tgt[1]] == []


# ----------------------------------------------------------------------------- properties
@st.composite
def alignment(draw: st.DrawFn, n_src: int) -> list[Bead]:
    """A random valid alignment of ``n_src`` source sentences with a random target."""
    beads: list[Bead] = []
    s = t = 0
    while s < n_src:
        a = draw(st.integers(0, min(3, n_src - s)))
        c = draw(st.integers(0 if a else 1, 3))
        beads.append(Bead(tuple(range(s, s + a)), tuple(range(t, t + c)), draw(st.floats(0, 1))))
        s += a
        t += c
    if draw(st.booleans()):
        beads.append(Bead((), (t,), 0.5))
    return beads


@st.composite
def scenario(draw: st.DrawFn) -> tuple[int, list[Gap], list[list[Bead]]]:
    n_src = draw(st.integers(0, 25))
    gaps = [gap(p, k) for k, p in enumerate(sorted(draw(st.lists(st.integers(0, n_src), max_size=4))), 1)]
    alignments = [draw(alignment(n_src)) for _ in range(draw(st.integers(0, 3)))]
    return n_src, gaps, alignments


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_every_sentence_of_every_side_appears_once_in_order(
    data: tuple[int, list[Gap], list[list[Bead]]],
) -> None:
    n_src, gaps, alignments = data
    rows = build_rows(n_src, gaps, alignments)
    assert [i for r in rows.rows for i in r.src] == list(range(n_src))
    for t, beads in enumerate(alignments):
        n_tgt = sum(len(x.tgt) for x in beads)
        assert [j for r in rows.rows for j in r.tgt[t]] == list(range(n_tgt))
        assert [k for r in rows.rows for k in r.beads[t]] == list(range(len(beads)))
    assert [r.gap for r in rows.rows if r.gap is not None] == gaps
    # Gaps sit where they are in the text: after the sentences before them.
    seen = 0
    for r in rows.rows:
        if r.gap is not None:
            assert seen >= r.gap.after_sentence
        seen += len(r.src)
    for i in range(n_src):
        assert i in rows.rows[rows.row_of_source(i)].src


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_the_fast_path_agrees_with_the_general_one(data: tuple[int, list[Gap], list[list[Bead]]]) -> None:
    n_src, gaps, alignments = data
    beads = alignments[0] if alignments else source_only(n_src)
    fast = build_rows(n_src, gaps, [beads])
    general = build_rows(n_src, gaps, [beads, beads])  # two identical translations: same boundaries
    assert [(r.src, r.gap, r.tgt[0], r.beads[0], r.confidence, r.verified) for r in fast.rows] == [
        (r.src, r.gap, r.tgt[0], r.beads[0], r.confidence, r.verified) for r in general.rows
    ]


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_lazy_source_rows_agree_with_built_ones(data: tuple[int, list[Gap], list[list[Bead]]]) -> None:
    # Without a translation the rows are made on demand; they must sit where the rows of a translation
    # that covers nothing (every source sentence alone) sit.
    from sourcereader.core.parallel_rows import SourceRows

    n_src, gaps, _alignments = data
    lazy = build_rows(n_src, gaps, [])
    built = build_rows(n_src, gaps, [source_only(n_src)])
    assert isinstance(lazy, SourceRows)
    assert len(lazy) == len(built)
    assert [(r.src, r.gap) for r in lazy.rows] == [(r.src, r.gap) for r in built.rows]
    assert [lazy[k] for k in range(len(lazy))] == list(lazy.rows)
    assert all(r.tgt == () and r.beads == () for r in lazy.rows)
    assert [lazy.row_of_source(i) for i in range(n_src)] == [built.row_of_source(i) for i in range(n_src)]
    assert low_rows(lazy) == []


def test_one_definition_of_unsure() -> None:
    # The aligner's calibration: beads under UNSURE_BELOW are right about half the time. A row, the
    # reader's jump list and a bead agree on it (the reader once used 0.5 while the panel showed 0.58).
    from sourcereader.core.alignment.beads import UNSURE_BELOW, Bead

    assert UNSURE_BELOW == 0.7
    beads = [b((0,), (0,), 0.58), b((1,), (1,), 0.69), b((2,), (2,), 0.7), b((3,), (3,), 0.3, True)]
    rows = build_rows(4, [], [beads])
    assert [bead.unsure for bead in beads] == [True, True, False, False]
    assert low_rows(rows) == [0, 1] == [k for k, r in enumerate(rows.rows) if r.is_low()]
    assert not Bead((0,), (0,), 0.1, verified=True).unsure
