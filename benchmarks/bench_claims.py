"""Benchmark: the claims list the Claims screen opens with, and the version diff of two articles.

Run on purpose, not in the test suite::

    .venv/bin/python benchmarks/bench_claims.py [--claims 1000] [--links 10000]

Figures, each next to a baseline measured in the same run:

* **claims list**: what the Claims screen calls when it opens — ``ensure_claims_anchored`` (nothing
  changed: the cheap check) and ``Store.claim_summaries()`` (every claim as a dataclass with its
  status counted from its links) — on a WAL database file holding N claims and M links; baseline:
  the bare ``SELECT`` of the claim rows plus the bare ``GROUP BY`` counting the links, through
  ``sqlite3``. Target ≤ 300 ms for 1,000 claims and 10,000 links.
* **claim view**: ``claim_view`` of the README's demonstration claim in the bundled library (two
  links, one passage with a human translation to align, the other version of the article to diff),
  the first time (everything computed and cached in the store) and again.
* **version diff**: ``diff_versions`` of the bundled 39.5 KB Wikipedia copy and an edited copy of
  it (5 % of sentences reworded, 2 % dropped, a paragraph added, one sentence split), both texts
  segmented first (cold, no cache) and with the texts already segmented (as the store's
  segmentation cache has them); baselines: ``difflib.unified_diff`` of the lines (whole paragraphs,
  no word marks) and ``difflib``'s word-level ``SequenceMatcher`` over the two whole texts (word
  marks, no sentence alignment). Target ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sourcereader.core.annotations import anchor_for
from sourcereader.core.claims import (
    STANCES,
    ClaimDraft,
    EvidenceDraft,
    claim_anchor,
    claim_view,
    ensure_claims_anchored,
)
from sourcereader.core.documents import Document, Library, format_header, parse_document, split_header
from sourcereader.core.store import Store
from sourcereader.core.versions import diff_versions

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "sources" / "wikipedia-german-soviet-axis-talks-003.txt"
WORDS = "the talks Soviet Union Germany pact Axis power draft agreement Molotov Hitler Ribbentrop Berlin"
WORDS_LIST = WORDS.split(" ")


def header(doc_id: str, kind: str) -> dict[str, object]:
    out: dict[str, object] = {
        "id": doc_id,
        "title": doc_id,
        "language": "en",
        "date": "1940",
        "kind": kind,
        "status": "complete",
        "original_publication": "",
        "archival_reference": "",
        "copy_source": "generated",
        "license": "CC0",
        "notes": "",
    }
    if kind == "secondary":
        out.update(author="bench", url="", revision="", retrieved="")
    return out


def body(n: int, rng: random.Random) -> str:
    sentences = [
        " ".join(
            [
                rng.choice(WORDS_LIST).capitalize(),
                *(rng.choice(WORDS_LIST) for _ in range(rng.randint(8, 18))),
            ]
        )
        + f" number {i}."
        for i in range(n)
    ]
    return "\n\n".join(" ".join(sentences[p : p + 10]) for p in range(0, n, 10)) + "\n"


def best_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def claims_library(tmp: Path, n_claims: int, n_links: int, rng: random.Random) -> tuple[Store, Library]:
    """A library of an article and a record of 1,000 sentences each, with claims and random links (also
    what bench_claims_screen opens)."""
    root = tmp / "library"
    (root / "sources").mkdir(parents=True)
    for doc_id, kind in (("article", "secondary"), ("record", "record")):
        text = format_header(header(doc_id, kind)) + body(1000, rng)
        (root / "sources" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    store = Store.open(tmp / "claims.db")
    library = Library([(root, "bundled")], cache=store)
    article, record = library.document("article"), library.document("record")
    a_ids, r_ids = [s.id for s in article.sentences], [s.id for s in record.sentences]
    claims = [
        ClaimDraft(claim_anchor(article, a_ids[i % len(a_ids)]), f"claim {i}", uuid=f"c{i}")
        for i in range(n_claims)
    ]
    passages = [anchor_for(record, [sid]) for sid in r_ids]
    links = [
        (
            f"c{rng.randrange(n_claims)}",
            EvidenceDraft(0, rng.choice(passages), rng.choice(STANCES), uuid=f"l{j}"),
        )
        for j in range(n_links)
    ]
    store.add_claims_and_evidence(claims, links)
    return store, library


def bench_list(tmp: Path, n_claims: int, n_links: int, rng: random.Random) -> None:
    store, library = claims_library(tmp, n_claims, n_links, rng)

    def screen() -> object:
        ensure_claims_anchored(store, library)
        return store.claim_summaries()

    screen()  # warm the page cache and the documents' digests, as an open app has them
    ms = best_ms(screen)
    got = len(store.claim_summaries())
    conn = sqlite3.connect(str(tmp / "claims.db"))

    def bare() -> object:
        rows = conn.execute("SELECT * FROM claims WHERE deleted_at IS NULL").fetchall()
        counts = conn.execute(
            "SELECT claim_id, stance, count(*) FROM evidence_links WHERE deleted_at IS NULL "
            "GROUP BY claim_id, stance"
        ).fetchall()
        return rows, counts

    base = best_ms(bare)
    conn.close()
    print(
        f"claims list  {got} claims, {n_links} links: {ms:.1f} ms (target ≤ 300 ms) | bare SELECT + GROUP BY "
        f"{base:.1f} ms | ratio {ms / base:.1f}×"
    )
    store.close()


def bench_view(tmp: Path) -> None:
    """The README's demonstration claim in the bundled library: its passage, two evidence links (one
    with a human translation to align), and the other version of the article to diff."""
    store = Store.open(tmp / "view.db")
    library = Library([(REPO, "bundled")], cache=store)
    article = library.document("wikipedia-german-soviet-axis-talks-003")
    claim = store.add_claim(ClaimDraft(claim_anchor(article, "s2", span=(145, 162)), "fourth Axis power"))
    soviet = library.document("1940-11-12-soviet-record-hitler-molotov")
    german = library.document("1940-11-12-german-record-hitler-molotov")
    store.add_evidence(EvidenceDraft(claim.id, anchor_for(soviet, ["s21"]), "supports"))
    store.add_evidence(EvidenceDraft(claim.id, anchor_for(german, ["s18"]), "context"))
    t0 = time.perf_counter()
    claim_view(store, library, claim.id, versions=True)
    first = (time.perf_counter() - t0) * 1000
    again = best_ms(lambda: claim_view(store, library, claim.id, versions=True))
    print(
        f"claim view   the demonstration claim (2 links, 1 aligned translation, 1 other version): first "
        f"{first:.0f} ms (segmenting, aligning and diffing, then cached), again {again:.1f} ms"
    )
    store.close()


def edited(text: str, rng: random.Random) -> str:
    """The article with 5 % of its sentences reworded, 2 % dropped, a paragraph added, one split."""
    from sourcereader.core.documents import segment_body

    sentences = [e for e in segment_body(text, "en") if hasattr(e, "text")]
    out = text
    for s in rng.sample(sentences, len(sentences) // 20):
        words = s.text.split()
        words[len(words) // 2] = "reportedly"
        out = out.replace(s.text, " ".join(words), 1)
    for s in rng.sample(sentences, len(sentences) // 50):
        out = out.replace(s.text, "", 1)
    long = max(sentences, key=lambda s: len(s.text))
    out = out.replace(long.text, long.text.replace(", ", ". And ", 1), 1)
    middle = len(out) // 2
    cut = out.index("\n\n", middle)
    return out[:cut] + "\n\nA new paragraph was written here. It has two sentences." + out[cut:]


def bench_diff(rng: random.Random) -> None:
    raw = ARTICLE.read_text(encoding="utf-8")
    head, text = split_header(raw, str(ARTICLE))
    assert head is not None
    other = edited(text, rng)
    fields = {k: v for k, v in head.items()}

    def documents() -> tuple[Document, Document]:
        a = parse_document(format_header(fields) + text, name="a")
        b = parse_document(format_header({**fields, "id": "b"}) + other, name="b")
        return a, b

    def cold() -> object:
        a, b = documents()
        return diff_versions(a, b)

    cold_ms = best_ms(cold, runs=3)
    a, b = documents()
    segmented = len(a.sentences) + len(b.sentences)  # once, as the store's segmentation cache has them
    warm_ms = best_ms(lambda: diff_versions(a, b), runs=3)
    diff = diff_versions(a, b)
    assert sum(len(r.a) + len(r.b) for r in diff.rows) == segmented
    token = re.compile(r"\s+|\w+|\S")

    def baseline() -> object:
        matcher = difflib.SequenceMatcher(None, token.findall(text), token.findall(other), autojunk=False)
        return matcher.get_opcodes()

    lines_ms = best_ms(lambda: list(difflib.unified_diff(text.splitlines(), other.splitlines())), runs=3)
    base_ms = best_ms(baseline, runs=1)  # tens of seconds: once is enough
    print(
        f"version diff {len(text.encode()) / 1000:.1f} KB vs {len(other.encode()) / 1000:.1f} KB "
        f"({diff.summary()}): cold {cold_ms:.0f} ms, texts segmented {warm_ms:.0f} ms (target ≤ 500 ms) | "
        f"difflib: unified_diff of the lines (paragraphs) {lines_ms:.0f} ms, word-level SequenceMatcher "
        f"over the whole texts {base_ms:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--links", type=int, default=10000)
    args = parser.parse_args()
    rng = random.Random(1940)
    with tempfile.TemporaryDirectory() as tmp:
        bench_list(Path(tmp), args.claims, args.links, rng)
        bench_view(Path(tmp))
    bench_diff(rng)


if __name__ == "__main__":
    main()
