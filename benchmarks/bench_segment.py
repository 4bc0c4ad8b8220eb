"""Benchmark: sourcereader's segmenter against plain pySBD on the same ~1 MB of paragraphs.

Run on purpose, not in the test suite::

    .venv/bin/python benchmarks/bench_segment.py [--eval-dir ../shared/eval] [--mb 1.0]
        [--patterns 0.1,1,10 | --patterns none] [--only-patterns]

Dense patterns (issue 13): archival references, English abbreviations, initials, dash dialogue
and unclosed ``[[GAP`` markers, each repeated into one paragraph of 0.1, 1 and 10 MB and split
once, next to plain prose of the same size through the same path (``split`` for the first four,
``segment_body`` for the markers) measured in the same run.  A cost that grows faster than the
text shows as s/MB rising with the size.

The text is built from the shared gold sets (UD Russian-GSD, English-EWT, the golden rules,
and the paragraphs of the aligned literary, NTREX and Text+Berg documents), taken in turns
from ru, en and de until the size is reached.  Each contender runs in a fresh interpreter, so
"cold" includes importing the module and the first calls (regex compilation); "warm" is a
second pass in the same process.  Figures are seconds per MB of UTF-8 and the ratio to pySBD
measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child process: segments every (lang, paragraph) in the JSON file twice, prints timings.
_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
which, path = sys.argv[1], sys.argv[2]
items = json.loads(open(path, encoding="utf-8").read())
if which == "pysbd":
    import pysbd
    segs = {}
    def run(lang, text):
        seg = segs.get(lang)
        if seg is None:
            seg = segs[lang] = pysbd.Segmenter(language=lang, clean=False)
        return seg.segment(text)
else:
    from sourcereader.core.segmenting import split
    def run(lang, text):
        return split(text, lang)
t1 = time.perf_counter()
n1 = sum(len(run(lang, text)) for lang, text in items)
t2 = time.perf_counter()
n2 = sum(len(run(lang, text)) for lang, text in items)
t3 = time.perf_counter()
print(json.dumps({"cold": t2 - t0, "import": t1 - t0, "warm": t3 - t2, "sentences": n1}))
"""


def _paragraphs(eval_dir: Path) -> dict[str, list[str]]:
    """Paragraphs by language from the gold sets, in a fixed order."""
    out: dict[str, list[str]] = {"ru": [], "en": [], "de": []}
    for name in ("ud_ru_gsd", "ud_en_ewt", "golden_rules"):
        for line in (eval_dir / "seg" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row["lang"]].append(row["text"])
    for folder in ("literary", "ntrex"):
        for pars in sorted((eval_dir / "align" / folder).glob("*.paragraphs")):
            for side, lang in ((0, "ru"), (1, "en")):
                sentences = pars.with_suffix(f".{lang}").read_text(encoding="utf-8").splitlines()
                for line in pars.read_text(encoding="utf-8").splitlines():
                    index = json.loads(line.split(":")[side])
                    if index:
                        out[lang].append(" ".join(sentences[i] for i in index))
    for doc in sorted((eval_dir / "align" / "textberg").glob("*.de")):
        lines = doc.read_text(encoding="utf-8").splitlines()
        # Text+Berg has one sentence a line and no paragraph marks; four lines make a paragraph.
        out["de"].extend(" ".join(lines[i : i + 4]) for i in range(0, len(lines), 4))
    for path in sorted((ROOT / "sources").rglob("*.txt")):
        lang = path.stem.rsplit(".", 1)[-1]
        if lang in out:
            out[lang].extend(p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    return out


def build_corpus(eval_dir: Path, size: int) -> list[tuple[str, str]]:
    """About ``size`` bytes of (lang, paragraph), taking ru, en and de in turns."""
    by_lang = _paragraphs(eval_dir)
    items: list[tuple[str, str]] = []
    total = 0
    tagged = [[(lang, p) for p in ps] for lang, ps in by_lang.items()]
    for row in zip_longest(*tagged):
        for item in row:
            if item is None:
                continue
            items.append(item)
            total += len(item[1].encode())
            if total >= size:
                return items
    return items


def _run(which: str, corpus_path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, which, str(corpus_path)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"{which} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, float] = json.loads(proc.stdout)
    return result


# Opens the library in SOURCEREADER_HOME and segments document "bench" (from the cache if there).
_REOPEN = r"""
import json, time
t0 = time.perf_counter()
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
t1 = time.perf_counter()
store = Store.open()
document = Library.default(cache=store).document("bench")
n = len(document.sentences)
t2 = time.perf_counter()
raw = open(document.path, "rb").read()
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "open": t2 - t1, "read_file": t3 - t2, "sentences": n}))
"""


def _reopen(items: list[tuple[str, str]]) -> tuple[dict[str, float], dict[str, float]]:
    """The corpus as one library document: first open (segments, fills the cache), then a re-open."""
    import os

    from sourcereader.core.documents import write_text_file

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SOURCEREADER_HOME=tmp)
        header = {"id": "bench", "title": "Benchmark", "language": "ru", "date": "undated", "kind": "test",
                  "status": "complete", "original_publication": "", "archival_reference": "",
                  "copy_source": "gold sets", "license": "evaluation only", "notes": ""}  # fmt: skip
        write_text_file(Path(tmp) / "data" / "library" / "sources" / "bench.txt", header,
                        "\n\n".join(text for _, text in items))  # fmt: skip
        runs = []
        for _ in range(2):
            proc = subprocess.run([sys.executable, "-c", _REOPEN], capture_output=True, text=True, env=env)
            if proc.returncode != 0:
                sys.exit(f"re-open failed:\n{proc.stderr[-3000:]}")
            runs.append(json.loads(proc.stdout))
    return runs[0], runs[1]


def _short_paragraphs(items: list[tuple[str, str]], count: int = 10_000) -> tuple[float, float, int]:
    """A document of ``count`` one-sentence paragraphs (dialogue, verse, one-per-line files):
    seconds to segment it cold as a library body, against pySBD over the same lines."""
    import time

    import pysbd

    from sourcereader.core.documents import segment_body

    pool = [s for _, text in items for s in text.split(". ") if 10 < len(s) < 120]
    lines = (pool * (count // max(1, len(pool)) + 1))[:count]
    body = "\n\n".join(f"{s.rstrip('.')}." for s in lines)
    t0 = time.perf_counter()
    ours = segment_body(body, "ru")
    t1 = time.perf_counter()
    segmenter = pysbd.Segmenter(language="ru", clean=False)
    for line in body.split("\n\n"):
        segmenter.segment(line)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(ours)


#: (name, language, repeated unit, path): the dense patterns of issue 13.
PATTERNS = (
    ("archival refs", "ru", "АП РФ. Ф. 3. Оп. 64. Д. 675. Л. 31–41. ", "split"),
    ("en abbreviations", "en", "Mr. Smith met Dr. Jones and Prof. Brown at St. Paul's on Jan. 5. ", "split"),
    ("initials", "ru", "А. Б. В. Г. ", "split"),
    ("dash dialogue", "ru", "— Да. — Нет! — ", "split"),
    ("unclosed [[GAP", "ru", "[[GAP ", "body"),
)


def _prose(lang: str) -> str:
    """Plain prose of ``lang`` from the bundled documents, as one paragraph."""
    texts = []
    folders = (ROOT / "sources", ROOT / "translations")
    for path in sorted(p for folder in folders for p in folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if f'language = "{lang}"' in text:
            body = text.split("+++", 2)[-1]
            texts.append(" ".join(line for line in body.split() if "[[" not in line and "]]" not in line))
    return " ".join(texts) + " "


def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` bytes of UTF-8."""
    return unit * max(1, size // len(unit.encode()))


def _time_one(text: str, lang: str, path: str) -> tuple[float, float]:
    """Seconds (wall, CPU) to segment ``text`` once through ``path``."""
    import time

    from sourcereader.core.documents import segment_body
    from sourcereader.core.segmenting import split

    wall, cpu = time.perf_counter(), time.process_time()
    if path == "split":
        split(text, lang)
    else:
        segment_body(text, lang)
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_patterns(sizes: list[float]) -> None:
    """Each dense pattern at each size, once, with prose of the same size as the baseline."""
    print("dense patterns (one paragraph each, segmented once; s/MB wall, CPU in brackets):")
    header = "  ".join(f"{mb:>8g} MB {'':>18}" for mb in sizes)
    print(f"{'pattern':18s}  {header}")
    prose = {lang: _prose(lang) for lang in ("ru", "en")}
    baselines: dict[tuple[str, str, float], tuple[float, float]] = {}
    for name, lang, unit, path in PATTERNS:
        cells = []
        for mb in sizes:
            size = int(mb * 1_000_000)
            text = _repeat(unit, size)
            real_mb = len(text.encode()) / 1_000_000
            wall, cpu = _time_one(text, lang, path)
            key = (lang, path, mb)
            if key not in baselines:
                base_text = _repeat(prose[lang], size)
                base_wall, base_cpu = _time_one(base_text, lang, path)
                base_mb = len(base_text.encode()) / 1_000_000
                baselines[key] = (base_wall / base_mb, base_cpu / base_mb)
            cells.append(
                f"{wall / real_mb:6.2f} ({cpu / real_mb:5.2f}) x{wall / real_mb / baselines[key][0]:5.1f}"
            )
        print(f"{name:18s}  " + "  ".join(f"{c:>29s}" for c in cells))
    for lang in ("ru", "en"):
        for path in ("split", "body"):
            figures = [baselines.get((lang, path, mb)) for mb in sizes]
            if all(figures):
                cells = [f"{w:6.2f} ({c:5.2f})" for w, c in (f for f in figures if f)]
                print(f"{'prose ' + lang + ' (' + path + ')':18s}  " + "  ".join(f"{c:>29s}" for c in cells))
    print("(x: the pattern's s/MB over prose of the same language, size and path)")


def main() -> None:
    """Build the corpus, time both contenders in fresh processes and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--mb", type=float, default=1.0, help="size of the text in MB (10^6 bytes)")
    parser.add_argument(
        "--patterns",
        default="0.1,1,10",
        help="sizes in MB for the dense patterns, comma-separated, or 'none'",
    )
    parser.add_argument("--only-patterns", action="store_true", help="time only the dense patterns")
    args = parser.parse_args()
    if args.patterns != "none":
        bench_patterns([float(x) for x in args.patterns.split(",")])
        if args.only_patterns:
            return
    items = build_corpus(args.eval_dir, int(args.mb * 1_000_000))
    size = sum(len(text.encode()) for _, text in items)
    mb = size / 1_000_000
    langs = {lang: sum(len(t.encode()) for l2, t in items if l2 == lang) for lang in ("ru", "en", "de")}
    print(
        f"text: {len(items)} paragraphs, {size:,} bytes ({', '.join(f'{k} {v:,}' for k, v in langs.items())})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        corpus_path = Path(tmp) / "corpus.json"
        corpus_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        base = _run("pysbd", corpus_path)
        ours = _run("sourcereader", corpus_path)
    for name, r in (("pySBD 0.3.4", base), ("sourcereader", ours)):
        print(
            f"{name:13s} cold {r['cold'] / mb:5.2f} s/MB (import {r['import']:.2f} s)  "
            f"warm {r['warm'] / mb:5.2f} s/MB  sentences {int(r['sentences']):,}"
        )
    cold, warm = ours["cold"] / base["cold"], ours["warm"] / base["warm"]
    print(f"ratio sourcereader/pySBD: cold {cold:.2f}  warm {warm:.2f}")
    short, short_base, short_n = _short_paragraphs(items)
    print(
        f"{short_n:,} one-line paragraphs as one document: {short:.2f} s cold | pySBD over the same "
        f"lines {short_base:.2f} s | ratio {short / short_base:.2f}"
    )
    first, again = _reopen(items)
    ms = {k: v * 1000 for k, v in again.items()}
    print(
        f"library document of {mb:.2f} MB: first open {first['open'] * 1000:,.0f} ms "
        f"(segments, fills the cache); re-open from the cache {ms['open']:,.0f} ms "
        f"({int(again['sentences']):,} sentences; reading the file alone {ms['read_file']:.1f} ms; "
        f"imports, {ms['import']:.0f} ms, not counted)"
    )


if __name__ == "__main__":
    main()
