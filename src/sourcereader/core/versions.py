"""Two versions of a text side by side: sentences aligned, differences marked word by word.

How a claim's wording changed between two versions of an article is a question about sentences that
were kept, rewritten, split, merged, added or dropped. :func:`diff_versions`

1. pairs the sentences that are identical in both versions (whitespace aside), as the longest
   common runs (``difflib`` over whole sentences);
2. aligns each stretch between those pairs on its own: one sentence against one is a rewritten
   sentence, sentences against none were added or dropped, and anything else goes to the library's
   own aligner (:func:`sourcereader.core.alignment.align`, model-free, here with both sides in one
   language), which tells splits and merges from rewritten sentences among new ones;
3. compares the words of each row (``difflib`` over words, punctuation and spaces), runs of
   changes joined into one deletion and one insertion so that a rewritten phrase reads as such.

Pure functions over texts; the alignment can be cached in the store (:class:`VersionCache`, the
alignment cache the reader uses, under a key no translation id can take).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from sourcereader.core.alignment.beads import Bead
    from sourcereader.core.documents import Document, Text

Op = Literal["equal", "delete", "insert"]
Change = Literal["same", "changed", "removed", "added"]
#: Bumped whenever :func:`diff_versions` may align differently: part of the cache key.
VERSIONS_VERSION = "2"
#: Prefix of the cache's "translation id" for a version alignment (translation ids cannot hold ``:``).
CACHE_PREFIX = "version:"

#: Words (letters and digits, with inner apostrophes), runs of spaces, and single other characters.
_TOKEN = re.compile(r"\s+|[^\W_]+(?:['’][^\W_]+)*|\S")


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of words both versions share (``equal``), or only the first (``delete``) or the
    second (``insert``) has. Whitespace inside is single spaces."""

    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class DiffRow:
    """Sentences of the first version and their counterparts in the second, compared word by word."""

    a: tuple[str, ...]
    """Sentence ids in the first version (empty: the sentences were added)."""
    b: tuple[str, ...]
    """Sentence ids in the second version (empty: the sentences were removed)."""
    change: Change
    pieces: tuple[Piece, ...]

    def left(self) -> list[tuple[str, bool]]:
        """The first version's side as ``(text, changed)`` pieces (for a two-column view)."""
        return [(p.text, p.op == "delete") for p in self.pieces if p.op != "insert"]

    def right(self) -> list[tuple[str, bool]]:
        """The second version's side as ``(text, changed)`` pieces."""
        return [(p.text, p.op == "insert") for p in self.pieces if p.op != "delete"]

    def marked(self) -> str:
        """One line, differences marked as ``wdiff`` does: ``[-removed-]{+added+}``."""
        out = []
        for piece in self.pieces:
            if piece.op == "equal":
                out.append(piece.text)
            else:
                out.append(
                    _mark(piece.text, "[-", "-]") if piece.op == "delete" else _mark(piece.text, "{+", "+}")
                )
        return "".join(out).strip()


def _mark(text: str, opening: str, closing: str) -> str:
    # Spaces stay outside the marks, so that "x [-y-]" reads as two words.
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{opening}{core}{closing}{trail}"


@dataclass(frozen=True)
class VersionDiff:
    """Two versions aligned sentence by sentence, each row compared word by word."""

    a_id: str
    b_id: str
    rows: tuple[DiffRow, ...]
    a_sentences: int
    b_sentences: int

    def count(self, change: Change) -> int:
        """How many rows are of this kind."""
        return sum(1 for r in self.rows if r.change == change)

    def words(self, op: Op) -> int:
        """How many words were removed (``delete``) or added (``insert``) in all."""
        return sum(len(_WORD_RUN.findall(p.text)) for r in self.rows for p in r.pieces if p.op == op)

    def summary(self) -> str:
        """``24 same, 3 changed, 0 removed, 212 added; 14 words removed, 30 added``."""
        rows = ", ".join(f"{self.count(c)} {c}" for c in ("same", "changed", "removed", "added"))
        return f"{rows} (rows); {self.words('delete')} words removed, {self.words('insert')} added"

    def rows_of_a(self, sentence_ids: Sequence[str]) -> list[DiffRow]:
        """The rows holding any of these sentences of the first version (where a claim went)."""
        wanted = set(sentence_ids)
        return [r for r in self.rows if wanted.intersection(r.a)]

    def rows_of_b(self, sentence_ids: Sequence[str]) -> list[DiffRow]:
        """The rows holding any of these sentences of the second version."""
        wanted = set(sentence_ids)
        return [r for r in self.rows if wanted.intersection(r.b)]


_WORD_RUN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class VersionCache(Protocol):
    """Where version alignments are kept between runs (the store's alignment cache)."""

    def cached_alignment(self, document_id: str, translation_id: str, key: str) -> list[list[Any]] | None:
        """The cached beads computed for ``key``, or None."""

    def put_cached_alignment(
        self, document_id: str, translation_id: str, key: str, beads: list[list[Any]]
    ) -> None:
        """Remember the beads computed for ``key``."""


# --------------------------------------------------------------------------- words
def _squash(text: str) -> str:
    return " ".join(text.split())


def word_diff(a: str, b: str) -> tuple[Piece, ...]:
    """The word-level differences between ``a`` and ``b`` (whitespace normalised)."""
    ta = _TOKEN.findall(_squash(a))
    tb = _TOKEN.findall(_squash(b))
    raw: list[tuple[Op, str, str]] = []
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        if tag == "equal":
            raw.append(("equal", left, right))
        else:
            raw.append(("delete", left, right))  # a change: both sides, split below
    # A lone space (or a short word like "a" or "as") between two changes is part of one rewritten
    # phrase: "[-adherent as a-]{+member as the+}" reads better than four alternating marks.
    merged: list[tuple[Op, str, str]] = []
    for k, (op, left, right) in enumerate(raw):
        bridge = (
            op == "equal"
            and 0 < k < len(raw) - 1
            and raw[k - 1][0] != "equal"
            and raw[k + 1][0] != "equal"
            and (not left.strip() or (len(left.strip()) <= 3 and left.strip().isalpha()))
        )
        if op != "equal" or bridge:
            if merged and merged[-1][0] != "equal":
                merged[-1] = ("delete", merged[-1][1] + left, merged[-1][2] + right)
            else:
                merged.append(("delete", left, right))
        else:
            merged.append((op, left, right))
    pieces: list[Piece] = []
    for op, left, right in merged:
        if op == "equal":
            pieces.append(Piece("equal", left))
            continue
        if left:
            pieces.append(Piece("delete", left))
        if right:
            pieces.append(Piece("insert", right))
    return tuple(pieces)


# --------------------------------------------------------------------------- sentences
def _row(a_ids: tuple[str, ...], b_ids: tuple[str, ...], a_text: str, b_text: str) -> DiffRow:
    if not b_ids:
        return DiffRow(a_ids, b_ids, "removed", (Piece("delete", a_text),))
    if not a_ids:
        return DiffRow(a_ids, b_ids, "added", (Piece("insert", b_text),))
    if a_text == b_text:
        return DiffRow(a_ids, b_ids, "same", (Piece("equal", a_text),))
    return DiffRow(a_ids, b_ids, "changed", word_diff(a_text, b_text))


def align_versions(a: Text, b: Text) -> list[Bead]:
    """Beads joining the sentences of ``a`` to those of ``b`` (see the module docstring)."""
    from sourcereader.core.alignment.beads import Bead

    sa = [_squash(s.text) for s in a.sentences]
    sb = [_squash(s.text) for s in b.sentences]
    matcher = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    beads: list[Bead] = []
    i = j = 0
    for block in matcher.get_matching_blocks():  # the last block is (len(sa), len(sb), 0)
        beads += _stretch(a, b, i, block.a, j, block.b)
        beads += [Bead((block.a + k,), (block.b + k,), 1.0, True) for k in range(block.size)]
        i, j = block.a + block.size, block.b + block.size
    return beads


def _stretch(a: Text, b: Text, i0: int, i1: int, j0: int, j1: int) -> list[Bead]:
    """Beads for sentences ``i0:i1`` of ``a`` and ``j0:j1`` of ``b``, which lie between two identical
    ones: trivial stretches directly, longer ones by the aligner (on the stretch alone: setting it up
    on the whole text for every stretch would cost more than aligning)."""
    from sourcereader.core.alignment.aligner import align
    from sourcereader.core.alignment.beads import Bead

    n, m = i1 - i0, j1 - j0
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(i0, i1)] + [Bead((), (j,), 1.0) for j in range(j0, j1)]
    if n == m == 1:  # one sentence rewritten: one row
        return [Bead((i0,), (j0,), 1.0)]
    found = align(
        [s.text for s in a.sentences[i0:i1]],
        [s.text for s in b.sentences[j0:j1]],
        src_lang=a.language,
        tgt_lang=b.language,
        src_breaks=frozenset(k - i0 for k in a.paragraph_breaks() if i0 < k < i1),
        tgt_breaks=frozenset(k - j0 for k in b.paragraph_breaks() if j0 < k < j1),
        confidence=False,
    )
    return [Bead(tuple(i0 + x for x in bead.src), tuple(j0 + y for y in bead.tgt), 1.0) for bead in found]


def _cache_key(a: Document, b: Document) -> str:
    import hashlib

    from sourcereader.core.alignment.aligner import ALIGNER_VERSION
    from sourcereader.core.segmenting import SEGMENTER_VERSION

    parts = (
        VERSIONS_VERSION,
        ALIGNER_VERSION,
        SEGMENTER_VERSION,
        a.language,
        b.language,
        a.version,
        b.version,
    )
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def diff_versions(a: Text, b: Text, *, cache: VersionCache | None = None) -> VersionDiff:
    """``a`` and ``b`` aligned sentence by sentence and compared word by word.

    With a ``cache`` (the store) and two library documents, the alignment is computed once per
    pair of text versions.
    """
    from sourcereader.core.alignment.beads import Bead
    from sourcereader.core.documents import Document

    beads: list[Bead] | None = None
    if cache is not None and isinstance(a, Document) and isinstance(b, Document):
        key = _cache_key(a, b)
        rows = cache.cached_alignment(a.id, CACHE_PREFIX + b.id, key)
        if rows is not None:
            beads = [Bead(tuple(s), tuple(t), float(c), bool(v)) for s, t, c, v in rows]
    if beads is None:
        beads = align_versions(a, b)
        if cache is not None and isinstance(a, Document) and isinstance(b, Document):
            stored = [[list(x.src), list(x.tgt), 1.0, x.verified] for x in beads]
            cache.put_cached_alignment(a.id, CACHE_PREFIX + b.id, _cache_key(a, b), stored)
    sa, sb = a.sentences, b.sentences
    rows_out = tuple(
        _row(
            tuple(sa[i].id for i in bead.src),
            tuple(sb[j].id for j in bead.tgt),
            _squash(" ".join(sa[i].text for i in bead.src)),
            _squash(" ".join(sb[j].text for j in bead.tgt)),
        )
        for bead in beads
    )
    return VersionDiff(str(getattr(a, "id", "a")), str(getattr(b, "id", "b")), rows_out, len(sa), len(sb))


def diff_to_json(diff: VersionDiff) -> dict[str, object]:
    """A JSON-ready view of a version diff (``sourcereader diff --json``)."""
    return {
        "a": diff.a_id,
        "b": diff.b_id,
        "sentences": {"a": diff.a_sentences, "b": diff.b_sentences},
        "summary": {
            **{c: diff.count(c) for c in ("same", "changed", "removed", "added")},
            "words_removed": diff.words("delete"),
            "words_added": diff.words("insert"),
        },
        "rows": [
            {
                "a": list(r.a),
                "b": list(r.b),
                "change": r.change,
                "pieces": [{"op": p.op, "text": p.text} for p in r.pieces],
                "marked": r.marked(),
            }
            for r in diff.rows
        ],
    }
