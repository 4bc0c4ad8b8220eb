"""How fast the reader is, against a minimal Textual app measured in the same run.

    .venv/bin/python benchmarks/bench_tui.py [--sentences 100000] [--keys 40] [--tmux]

Figures (milliseconds):

* first frame: process start → the end of the first screen update (headless) of a minimal Textual
  app, and of ``sourcereader``'s library; median of a few runs, each in a fresh process. Both are
  taken by the same hook on ``Screen._compositor_refresh``, so they compare like with like.
* open: process start → the reader's first screen update on a generated document of ``--sentences``
  sentences with a translation of as many (a user-library file in a temporary SOURCEREADER_HOME; a
  warm-up run fills the segmentation and alignment caches first), and → every worker done and the
  aligned rows drawn.
* keys: key → frame for ``down`` and ``pagedown`` in that document (Pilot, headless).
* with ``--tmux``: the same document in a real terminal (tmux), ``j`` pressed ``--keys`` times,
  timed until the screen shows the expected row.

Targets: library ≤ 400 ms, open ≤ 1 s once cached, a key ≤ 17 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOC_ID = "bench-big"

FIRST_PAINT = """
from textual.screen import Screen
PAINTED = {}
_refresh = Screen._compositor_refresh
def _hooked(self):
    _refresh(self)
    PAINTED.setdefault(type(self).__name__, (time.time() - START) * 1000)
Screen._compositor_refresh = _hooked
"""

MINIMAL = """
import sys, time
from textual.app import App
from textual.widgets import Footer, Label
class Minimal(App[None]):
    def compose(self):
        yield Label("hello")
        yield Footer()
async def ready(pilot):
    await pilot.pause()
    print(json.dumps({"first_frame": PAINTED["Screen"]}))
    pilot.app.exit()
Minimal().run(headless=True, size=(120, 36), auto_pilot=ready)
"""

LIBRARY = """
import sys, time
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.tui.app import make_app
store = Store.open()
app = make_app(Library.default(cache=store), store, document_id=DOC)
async def ready(pilot):
    await pilot.pause()
    aligned = None
    if DOC is not None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        aligned = (time.time() - START) * 1000
    first = PAINTED["ReaderScreen" if DOC is not None else "LibraryScreen"]
    print(json.dumps({"first_frame": first, "aligned": aligned}))
    pilot.app.exit()
app.run(headless=True, size=(120, 36), auto_pilot=ready)
"""

KEYS = """
import statistics, time
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.tui.app import make_app
from sourcereader.tui.widgets.parallel_text import ParallelText
store = Store.open()
app = make_app(Library.default(cache=store), store, document_id=DOC)
async def ready(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    text = pilot.app.screen.query_one(ParallelText)
    text.go_to(len(text.view) // 2)
    await pilot.pause()
    # Key → frame: from posting the key to the end of the first screen update after it (Pilot's own
    # waits for idle come after and are not counted).
    from textual import events
    screen = pilot.app.screen
    frames = []
    original = screen._compositor_refresh
    def hooked():
        original()
        frames.append(time.perf_counter())
    screen._compositor_refresh = hooked
    out = {}
    for key in ("down", "pagedown", "up", "pageup"):
        times = []
        for _ in range(N):
            frames.clear()
            t0 = time.perf_counter()
            await pilot.press(key)
            done = [f for f in frames if f > t0]
            times.append(((done[-1] if done else time.perf_counter()) - t0) * 1000)
        out[key] = statistics.median(times)
        out[key + "_max"] = max(times)
    out["rows"] = len(text.view)
    print(json.dumps(out))
    pilot.app.exit()
app.run(headless=True, size=(120, 36), auto_pilot=ready)
"""


def child(code: str, env: dict[str, str], **values: object) -> dict[str, float | None]:
    """Run ``code`` in a fresh interpreter; START is when the process was spawned."""
    prelude = "import json, time\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", prelude + f"START = {start!r}\n" + FIRST_PAINT + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"child failed:\n{out.stderr[-3000:]}")
    result: dict[str, float | None] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def write_big_document(home: Path, n: int) -> None:
    """A document of ``n`` sentences and an English translation of ``n`` sentences in the user library."""
    from sourcereader.core.documents import format_header

    lib = home / "data" / "library"
    (lib / "sources").mkdir(parents=True, exist_ok=True)
    (lib / "translations" / DOC_ID).mkdir(parents=True, exist_ok=True)
    words = ["договор", "пакт", "Германия", "Союз", "вопрос", "переговоры", "Берлин", "Финляндия"]
    en = ["treaty", "pact", "Germany", "Union", "question", "talks", "Berlin", "Finland"]
    src, tgt = [], []
    for i in range(n):
        k = i % len(words)
        src.append(f"Предложение {i} говорит о {words[k]} и {words[(k * 3) % 8]} в {1900 + i % 100} году.")
        tgt.append(f"Sentence {i} speaks of {en[k]} and {en[(k * 3) % 8]} in {1900 + i % 100}.")
    header = {
        "id": DOC_ID,
        "title": f"Benchmark document ({n} sentences)",
        "language": "ru",
        "date": "1940-11-12",
        "kind": "benchmark",
        "status": "complete",
        "original_publication": "",
        "archival_reference": "",
        "copy_source": "generated",
        "license": "CC0",
        "notes": "",
    }
    body = "\n\n".join(" ".join(src[i : i + 10]) for i in range(0, n, 10))
    (lib / "sources" / f"{DOC_ID}.txt").write_text(format_header(header) + body + "\n", encoding="utf-8")
    theader = {"id": "en", "language": "en", "kind": "human", "source": "generated", "license": "CC0",
               "covers": "all", "translator": "the benchmark"}  # fmt: skip
    tbody = "\n\n".join(" ".join(tgt[i : i + 10]) for i in range(0, n, 10))
    (lib / "translations" / DOC_ID / "en.txt").write_text(
        format_header(theader) + tbody + "\n", encoding="utf-8"
    )


def tmux_keys(env: dict[str, str], presses: int) -> float | None:
    """Milliseconds per ``j`` in a real terminal (tmux), or None without tmux."""
    if shutil.which("tmux") is None:
        return None
    session = f"bench{os.getpid()}"
    exe = str(Path(sys.executable).with_name("sourcereader"))
    home = env["SOURCEREADER_HOME"]
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
         f"SOURCEREADER_HOME={home} TEXTUAL_CURSOR_BLINK=0 {exe} read {DOC_ID}"],
        check=True,
    )  # fmt: skip

    def screen() -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
        ).stdout

    try:
        deadline = time.time() + 120
        while "source s1\n" not in screen() and time.time() < deadline:
            time.sleep(0.1)
        target = f"source s{presses + 1}\n"
        t0 = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, *(["j"] * presses)], check=True)
        while target not in screen():
            if time.perf_counter() - t0 > 60:
                return None
            time.sleep(0.005)
        return (time.perf_counter() - t0) * 1000 / presses
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--tmux", action="store_true")
    parser.add_argument(
        "--home", type=Path, help="keep the data (and its caches) in this directory between runs"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        tmp = str(args.home) if args.home else scratch
        env = {**os.environ, "SOURCEREADER_HOME": tmp, "TEXTUAL_CURSOR_BLINK": "0"}
        env.pop("TEXTUAL", None)
        minimal = [child(MINIMAL, env)["first_frame"] for _ in range(args.runs)]
        child(LIBRARY, env, DOC=None)  # creates the database and the caches
        library = [child(LIBRARY, env, DOC=None)["first_frame"] for _ in range(args.runs)]
        m, lib = statistics.median(v or 0 for v in minimal), statistics.median(v or 0 for v in library)
        print(f"first frame, minimal Textual app   {m:7.0f} ms")
        print(f"first frame, library               {lib:7.0f} ms   ({lib / m:.2f}× minimal; target ≤ 400)")

        if not (Path(tmp) / "data" / "library" / "sources" / f"{DOC_ID}.txt").exists():
            write_big_document(Path(tmp), args.sentences)
        t0 = time.time()
        child(LIBRARY, env, DOC=DOC_ID)  # warm-up: segmentation (and alignment, if cached) go to the store
        print(f"warm-up (segmenting + aligning {args.sentences} sentences) {time.time() - t0:7.1f} s")
        runs = [child(LIBRARY, env, DOC=DOC_ID) for _ in range(max(1, args.runs // 2))]
        first = statistics.median(r["first_frame"] or 0 for r in runs)
        aligned = statistics.median(r["aligned"] or 0 for r in runs)
        print(f"open {args.sentences} sentences: first frame {first:7.0f} ms   (target ≤ 1000)")
        print(f"open {args.sentences} sentences: aligned rows {aligned:7.0f} ms")
        keys = child(KEYS, env, DOC=DOC_ID, N=args.keys)
        for key in ("down", "pagedown", "up", "pageup"):
            median, worst = keys[key] or 0, keys[key + "_max"] or 0
            print(f"key {key:<9} → frame  median {median:6.1f} ms  max {worst:6.1f} ms   (target ≤ 17)")
        if args.tmux:
            per_key = tmux_keys(env, args.keys)
            print(
                f"tmux: j → row shown     {per_key if per_key is not None else float('nan'):6.1f} ms per key"
            )


if __name__ == "__main__":
    main()
