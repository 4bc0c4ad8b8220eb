"""Benchmark: the annotations list (``N``) on a large database, against what any listing must read.

Run on purpose, not in the test suite::

    .venv/bin/python benchmarks/bench_notes_screen.py [--annotations 100000]

The database is made once (N notes on a 2,000-sentence document, half of them tagged ``wanted``);
then each figure is measured in a fresh process, so that its memory is its own:

* **open**: from pushing the list (headless, 160×45) until its first rows are drawn, and how much
  the process's resident memory grew meanwhile (the list and what it holds). Target ≤ 1 s (the
  list took 26 s and 745 MB for 100,000 before it became virtual).
* **filter**: typing a word into the filter box until the rows it finds are drawn.
* **end**: ``end`` on the list until the last row is drawn.

Baselines, measured in the same run, each in its own process too:

* **bare SELECT**: the ids of every live annotation in document order, straight from SQLite — the
  least any list that knows its length must read;
* **full listing**: ``Store.annotations()``, every annotation as a dataclass — what the list read
  before it drew anything, until it became virtual.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_mb() -> float:
    """The process's resident memory now, in MB (from /proc; the peak where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_database(path: Path, n: int) -> None:
    sys.path.insert(0, str(HERE))
    from bench_annotations import make_body, make_document
    from sourcereader.core.annotations import AnnotationDraft, anchor_for
    from sourcereader.core.store import Store

    doc = make_document(make_body(2000, random.Random(1940)))
    sentences = doc.sentences
    anchors = [anchor_for(doc, [s.id]) for s in sentences]
    store = Store.open(path)
    for start in range(0, n, 5000):
        store.add_annotations(
            [
                AnnotationDraft(
                    anchors[i % len(anchors)],
                    kind="note",
                    note=f"note {i} with *Markdown*",
                    tags=("wanted",) if i % 2 == 0 else ("other", f"t{i % 13}"),
                )
                for i in range(start, min(n, start + 5000))
            ]
        )
    store.close()


# ---------------------------------------------------------------------------- one measurement each
def measure_bare(path: Path) -> dict[str, float]:
    import sqlite3

    before = rss_mb()
    conn = sqlite3.connect(str(path))
    t0 = time.perf_counter()
    rows = conn.execute(
        "SELECT id FROM annotations WHERE deleted_at IS NULL "
        "ORDER BY document_id, translation_id, position_start, id"
    ).fetchall()
    elapsed = time.perf_counter() - t0
    return {"seconds": elapsed, "mb": rss_mb() - before, "rows": len(rows)}


def measure_full(path: Path) -> dict[str, float]:
    from sourcereader.core.store import Store

    store = Store.open(path)
    before = rss_mb()
    t0 = time.perf_counter()
    found = store.annotations()
    elapsed = time.perf_counter() - t0
    return {"seconds": elapsed, "mb": rss_mb() - before, "rows": len(found)}


def measure_screen(path: Path) -> dict[str, float]:
    from textual.app import App
    from textual.widgets import Input

    from sourcereader import tui
    from sourcereader.core.store import Store
    from sourcereader.tui.screens.annotations import AnnotationsScreen
    from sourcereader.tui.widgets.virtual_table import VirtualTable

    class Host(App[None]):
        CSS_PATH = Path(tui.__file__).with_name("sourcereader.tcss")

    store = Store.open(path)

    async def until(pilot: object, ready: object) -> None:
        from textual.pilot import Pilot

        assert isinstance(pilot, Pilot) and callable(ready)
        while not ready():
            await pilot.pause()

    async def run() -> dict[str, float]:
        app = Host()
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause()
            before = rss_mb()
            t0 = time.perf_counter()
            screen = AnnotationsScreen(store)
            app.push_screen(screen)
            table = None

            def drawn() -> bool:
                nonlocal table
                if not screen.is_mounted:
                    return False
                found = list(screen.query("#live-table").results(VirtualTable))
                table = found[0] if found else None
                return table is not None and table.row_count > 0

            await until(pilot, drawn)
            await pilot.pause()  # the frame with the rows
            opened = time.perf_counter() - t0
            grown = rss_mb() - before
            assert table is not None
            total = table.row_count

            async def settle() -> None:
                # The listing worker done, and the rows it found drawn.
                await pilot.pause()
                while any(not w.is_finished for w in app.workers):
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                await pilot.pause()

            t0 = time.perf_counter()
            screen.query_one("#text", Input).value = "note 1"
            await settle()
            filtered = time.perf_counter() - t0
            found = table.row_count

            screen.query_one("#text", Input).value = ""
            await settle()
            table.focus()
            await pilot.pause()
            t0 = time.perf_counter()
            await pilot.press("end")
            await until(pilot, lambda: table is not None and table.cursor == total - 1)
            await pilot.pause()
            ended = time.perf_counter() - t0
        return {
            "seconds": opened,
            "mb": grown,
            "rows": total,
            "filter_seconds": filtered,
            "filter_rows": found,
            "end_seconds": ended,
        }

    return asyncio.run(run())


MEASURES = {"bare": measure_bare, "full": measure_full, "screen": measure_screen}


def in_process(what: str, path: Path) -> dict[str, float]:
    """Run one measurement in a fresh interpreter and read its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", what, "--db", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--annotations", type=int, default=100_000, help="annotations in the database")
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(MEASURES[args.measure](args.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notes.db"
        t0 = time.perf_counter()
        make_database(path, args.annotations)
        print(f"database  {args.annotations} annotations made in {time.perf_counter() - t0:.1f} s")
        screen = in_process("screen", path)
        bare = in_process("bare", path)
        full = in_process("full", path)
    n = int(screen["rows"])
    print(
        f"open      the list of {n} annotations, first rows drawn: {screen['seconds']:.2f} s, "
        f"+{screen['mb']:.0f} MB (target ≤ 1 s) | bare SELECT of the ids {bare['seconds']:.2f} s, "
        f"+{bare['mb']:.0f} MB | full listing (what the list read before) {full['seconds']:.2f} s, "
        f"+{full['mb']:.0f} MB"
    )
    print(
        f"filter    'note 1' typed, {int(screen['filter_rows'])} rows drawn: {screen['filter_seconds']:.2f} s"
    )
    print(f"end       to the last of {n} rows: {screen['end_seconds'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
