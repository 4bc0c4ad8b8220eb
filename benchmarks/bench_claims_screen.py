"""Benchmark: the Claims screen opening on 1,000 claims and 10,000 evidence links, to its first frame.

Run on purpose, not in the test suite::

    .venv/bin/python benchmarks/bench_claims_screen.py [--claims 1000] [--links 10000] [--runs 5]

Headless, in one process (the app already running, as when a user presses ``C``): the time from
pushing the Claims screen to the end of the first screen update that shows its table filled — the
worker's ``ensure_claims_anchored`` and ``claim_summaries`` on a WAL database file, each claim's
entry made (verdict, counts, label, where, quote) and put in the list, and the frame drawn. Baseline,
measured in the same run: the same entries, made beforehand, given to Textual's own ``OptionList`` on a screen
pushed the same way (what Textual itself costs to show that list). Target ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.text import Text  # noqa: E402
from textual.app import ComposeResult  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import Footer, OptionList  # noqa: E402
from textual.widgets.option_list import Option  # noqa: E402

from bench_claims import claims_library  # noqa: E402
from sourcereader.core.documents import Library  # noqa: E402
from sourcereader.core.store import Store  # noqa: E402
from sourcereader.tui.app import SourceReaderApp  # noqa: E402
from sourcereader.tui.screens.claims import ClaimsScreen  # noqa: E402
from sourcereader.tui.widgets.claim_list import entry_lines  # noqa: E402

PAINTED: dict[int, list[float]] = {}
"""When each screen (by id) finished each screen update."""
FILLED: dict[int, float] = {}
"""When each screen (by id) had its table filled."""

_refresh = Screen._compositor_refresh
_fill = ClaimsScreen.refresh_rows


def _hooked(self: Screen[Any]) -> None:
    _refresh(self)
    PAINTED.setdefault(id(self), []).append(time.perf_counter())


def _filled(self: ClaimsScreen) -> None:
    _fill(self)
    FILLED[id(self)] = time.perf_counter()


Screen._compositor_refresh = _hooked  # type: ignore[method-assign]
ClaimsScreen.refresh_rows = _filled  # type: ignore[method-assign]


def build(tmp: Path, n_claims: int, n_links: int) -> tuple[Store, Library]:
    """A library of an article and a record of 1,000 sentences each, with claims and links."""
    return claims_library(tmp, n_claims, n_links, random.Random(1940))


class BareList(Screen[None]):
    """The baseline: an option list given the claims' entries made beforehand."""

    def __init__(self, prompts: list[Text]) -> None:
        super().__init__()
        self.prompts = prompts

    def compose(self) -> ComposeResult:
        yield OptionList()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).add_options([Option(p, id=str(k)) for k, p in enumerate(self.prompts)])
        FILLED[id(self)] = time.perf_counter()


async def until_painted(pilot: Pilot[Any], screen: Screen[Any], since: float) -> float:
    """Milliseconds from ``since`` to the end of the first screen update of ``screen`` after its table
    was filled."""
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        filled = FILLED.get(id(screen))
        painted = [t for t in PAINTED.get(id(screen), []) if filled is not None and t >= filled]
        if painted:
            return (painted[0] - since) * 1000
        await asyncio.sleep(0.005)


async def measure(store: Store, library: Library, runs: int) -> tuple[list[float], list[float], int]:
    app = SourceReaderApp(library, store)
    claims_ms: list[float] = []
    bare_ms: list[float] = []
    shown = 0
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        prompts: list[Text] = []
        for _ in range(runs):
            screen = ClaimsScreen(store, library)
            t0 = time.perf_counter()
            app.push_screen(screen)
            claims_ms.append(await until_painted(pilot, screen, t0))
            shown = len(screen.shown)
            prompts = [Text("\n").join(entry_lines(s)) for s in screen.shown]
            app.pop_screen()
            await pilot.pause()
        for _ in range(runs):
            bare = BareList(prompts)
            t0 = time.perf_counter()
            app.push_screen(bare)
            bare_ms.append(await until_painted(pilot, bare, t0))
            app.pop_screen()
            await pilot.pause()
    return claims_ms, bare_ms, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--links", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, library = build(Path(tmp), args.claims, args.links)
        claims_ms, bare_ms, shown = asyncio.run(measure(store, library, args.runs))
        store.close()
    print(
        f"Claims screen  {shown} claims, {args.links} links, open → first frame with the list filled: "
        f"first {claims_ms[0]:.0f} ms, median {statistics.median(claims_ms):.0f} ms (target ≤ 300 ms) | "
        "Textual's OptionList given the same entries, made beforehand: "
        f"median {statistics.median(bare_ms):.0f} ms | "
        f"ratio {statistics.median(claims_ms) / statistics.median(bare_ms):.1f}×"
    )


if __name__ == "__main__":
    main()
