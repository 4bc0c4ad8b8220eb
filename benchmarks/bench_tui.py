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

# Key → screen for the reader's heavier keys on the bundled Soviet record (with its English
# translation), each next to ``j`` measured in the same process. A key's time ends with the first
# screen update that shows its result: the dialog drawn (a, e), the note's mark gone (d), the
# correction's rows drawn ([), the cursor on the next hit (n).
ACTIONS = """
import statistics, time
from sourcereader.core.annotations import AnnotationDraft, anchor_for
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.tui.app import make_app
from sourcereader.tui.widgets.parallel_text import ParallelText
SOVIET = "1940-11-12-soviet-record-hitler-molotov"
store = Store.open()
library = Library.default(cache=store)
document = library.document(SOVIET)
app = make_app(library, store, document_id=SOVIET)
from textual.screen import Screen
WATCH = {"until": None, "t": None}
_frame = Screen._compositor_refresh
def _hooked(self):
    _frame(self)
    until = WATCH["until"]
    if until is not None and WATCH["t"] is None and until():
        WATCH["t"] = time.perf_counter()
Screen._compositor_refresh = _hooked
async def measure(pilot, key, until, settle=None):
    WATCH["until"], WATCH["t"] = until, None
    t0 = time.perf_counter()
    await pilot.press(key)
    deadline = time.perf_counter() + 30
    while WATCH["t"] is None and time.perf_counter() < deadline:
        await pilot.pause(0.005)
    WATCH["until"] = None
    took = ((WATCH["t"] or time.perf_counter()) - t0) * 1000
    if settle is not None:
        await settle()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return took
async def ready(pilot):
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    text = screen.query_one(ParallelText)
    row18 = screen.rows.row_of_source(document.sentence("s18").index)
    out = {k: [] for k in ("j", "n", "a", "e", "d", "[")}
    for _ in range(N):
        text.go_to(row18)
        await pilot.pause()
        start = text.cursor
        out["j"].append(await measure(pilot, "j", lambda: text.cursor == start + 1))
        # n: the next hit of a search
        screen.find_query = "гитлер"
        screen.run_find()
        await pilot.pause()
        here = text.cursor
        out["n"].append(await measure(pilot, "n", lambda: text.cursor != here))
        text.go_to(row18)
        await pilot.pause()
        async def close():
            await pilot.press("escape")
        # The dialogs' modules are imported by the first press, as in a session: not before. A
        # dialog is shown once its buttons (its last line) are laid out, not with its first frame.
        def shown(name):
            screen = app.screen
            return type(screen).__name__ == name and any(b.region.height for b in screen.query("Button"))
        out["a"].append(await measure(pilot, "a", lambda: shown("AnnotationDialog"), close))
        out["e"].append(await measure(pilot, "e", lambda: shown("ExportDialog"), close))
        # d: a note on s18, deleted (the mark goes), then restored for the next round
        note = store.add_annotation(AnnotationDraft(anchor_for(document, ["s18"]), note="bench"))
        screen.annotator.load()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text.go_to(row18)
        await pilot.pause()
        out["d"].append(await measure(pilot, "d", lambda: row18 not in screen.view.marks))
        store.restore_annotation(note.id)
        store.delete_annotation(note.id)
        screen.undo_history.clear()
        # [: the first translated sentence of s19's bead moves up; then undone
        text.go_to(row18 + 1)
        await pilot.pause()
        before = screen.view
        out["["].append(await measure(pilot, "left_square_bracket", lambda: screen.view is not before))
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
    result = {}
    for k, v in out.items():
        result[k + "_first"] = v[0]
        result[k] = statistics.median(v[1:] or v)
    if OUT:
        Path(OUT).write_text(json.dumps(result))
    else:
        print(json.dumps(result))
    app.exit()
from pathlib import Path
if OUT:  # in a real terminal (tmux): the frames are written out as a user sees them
    app.run(auto_pilot=ready)
else:
    app.run(headless=True, size=(160, 45), auto_pilot=ready)
"""

# One huge sentence: process start → the reader's first frame, then the cursor into the sentence
# and a page down in it; peak RSS of the whole run. The segmentation is in the cache already (the
# reader is measured here; bench_segment measures the segmenter).
HUGE = """
from pathlib import Path
def peak_rss():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, from the benchmark that made the files.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from sourcereader.tui.app import make_app
from sourcereader.tui.widgets.parallel_text import ParallelText
store = Store.open()
app = make_app(Library.default(cache=store), store, document_id=DOC)
async def ready(pilot):
    await pilot.pause()
    first = PAINTED.get("ReaderScreen")
    rss_first = peak_rss()
    await pilot.app.workers.wait_for_complete()
    await pilot.press("j", "pagedown", "pagedown", "k", "G", "g")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    text = pilot.app.screen.query_one(ParallelText)
    rss = peak_rss()
    print(json.dumps({"first_frame": first, "rss_first": rss_first, "rss": rss,
                      "done": (time.time() - START) * 1000, "rows": len(text.view)}))
    pilot.app.exit()
app.run(headless=True, size=(120, 36), auto_pilot=ready)
"""


def write_huge_document(home: Path, doc_id: str, megabytes: float) -> None:
    """A document whose middle paragraph is one sentence of ``megabytes`` MB (UTF-8, Russian words, no
    full stop), with its segmentation put in the cache."""
    from sourcereader.core.documents import Library, format_header, segmentation_key
    from sourcereader.core.store import Store

    folder = home / "data" / "library" / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    words = ["договор", "пакт", "Германия", "Союз", "вопрос", "переговоры", "Берлин", "Финляндия"]
    line = " ".join(words)
    repeat = int(megabytes * 1_000_000) // (len(line.encode()) + 1) + 1
    middle = " ".join([line] * repeat)
    header = {"id": doc_id, "title": f"One sentence of {megabytes:g} MB", "language": "ru",
              "date": "2020-01-01", "kind": "benchmark", "status": "complete", "original_publication": "",
              "archival_reference": "", "copy_source": "generated", "license": "CC0",
              "notes": ""}  # fmt: skip
    body = f"Начало документа.\n\n{middle}.\n\nКонец."
    (folder / f"{doc_id}.txt").write_text(format_header(header) + body + "\n", encoding="utf-8")
    del middle, body
    os.environ["SOURCEREADER_HOME"] = str(home)
    document = Library.default().document(doc_id)
    text = document.body
    rows: list[list[object]] = []
    pos = 0
    for n, chunk in enumerate(text.split("\n\n")):
        start = text.index(chunk.strip(), pos)
        rows.append(["s", start, start + len(chunk.strip()), n])
        pos = start + len(chunk.strip())
    store = Store.open()
    store.put_segmentation(segmentation_key(text, document.language), rows)
    store.close()


def huge_sentences(env: dict[str, str], sizes: tuple[float, ...] = (2, 8, 50), timeout: float = 600) -> None:
    """First frame and peak memory for one sentence of 2, 8 and 50 MB, next to a document of 3 short
    sentences opened the same way; each document in a home of its own (the search index of the
    library is built at start, and must not take the others in)."""
    saved = os.environ.get("SOURCEREADER_HOME")
    homes: dict[str, Path] = {}
    try:
        for size in (0.00001, *sizes):
            doc_id = "bench-small" if size < 0.001 else f"bench-huge-{size:g}"
            homes[doc_id] = Path(env["SOURCEREADER_HOME"]) / doc_id
            write_huge_document(homes[doc_id], doc_id, size)
    finally:
        if saved is None:
            os.environ.pop("SOURCEREADER_HOME", None)
        else:
            os.environ["SOURCEREADER_HOME"] = saved
    print("one huge sentence (target: first frame ≤ 1000 ms, memory ≤ 300 MB at 50 MB):")
    for doc_id, home in homes.items():
        label = "3 short sentences" if doc_id == "bench-small" else f"{doc_id[11:]} MB sentence"
        try:
            r = child(HUGE, {**env, "SOURCEREADER_HOME": str(home)}, timeout, DOC=doc_id)
        except subprocess.TimeoutExpired:
            print(f"  {label:<18} not shown within {timeout:.0f} s")
            continue
        print(
            f"  {label:<18} first frame {r['first_frame'] or 0:7.0f} ms   peak RSS at first frame "
            f"{r['rss_first'] or 0:5.0f} MB, after moving through it {r['rss'] or 0:5.0f} MB"
        )


def child(code: str, env: dict[str, str], timeout: float = 600, **values: object) -> dict[str, float | None]:
    """Run ``code`` in a fresh interpreter; START is when the process was spawned."""
    prelude = "import json, time\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", prelude + f"START = {start!r}\n" + FIRST_PAINT + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
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


def actions_in_tmux(env: dict[str, str], rounds: int) -> dict[str, float | None] | None:
    """The reader-keys child in a real terminal (tmux, 160x45): frames are written out as a user sees
    them. None without tmux."""
    if shutil.which("tmux") is None:
        return None
    session = f"benchkeys{os.getpid()}"
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "keys.json"
        script = Path(scratch) / "keys.py"
        values = {"N": max(2, rounds), "OUT": str(out)}
        prelude = "import json, time\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())
        script.write_text(prelude + f"START = {time.time()!r}\n" + FIRST_PAINT + ACTIONS, encoding="utf-8")
        home = env["SOURCEREADER_HOME"]
        path = env.get("PYTHONPATH", "")
        command = (
            f"SOURCEREADER_HOME={home} PYTHONPATH={path} TEXTUAL_CURSOR_BLINK=0 {sys.executable} {script}"
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "45", command], check=True
        )
        try:
            deadline = time.time() + 300
            while not out.exists() and time.time() < deadline:
                time.sleep(0.2)
            if not out.exists():
                return None
            result: dict[str, float | None] = json.loads(out.read_text(encoding="utf-8"))
            return result
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def reader_keys(env: dict[str, str], rounds: int, *, in_tmux: bool = False) -> None:
    """Key → screen for a, e, d, [ and n on the bundled record, next to j measured in the same run."""
    found = actions_in_tmux(env, rounds) if in_tmux else child(ACTIONS, env, N=max(2, rounds), OUT="")
    if found is None:
        print("reader keys in tmux: no tmux, or the run did not finish")
        return
    keys = found
    base = keys["j"] or 1.0
    where = "in a real terminal (tmux 160x45)" if in_tmux else "headless"
    print(f"reader key → screen, bundled record, {where}, {rounds} rounds (target ≤ 300 ms):")
    names = {"j": "j (baseline)", "n": "n (search hit)", "a": "a (annotate)", "e": "e (export)",
             "d": "d (delete note)", "[": "[ (move target)"}  # fmt: skip
    for key, name in names.items():
        median, first = keys[key] or 0, keys[key + "_first"] or 0
        ratio = median / base
        print(f"  {name:<17} first press {first:7.1f} ms   then median {median:7.1f} ms  ({ratio:5.1f}× j)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--tmux", action="store_true")
    parser.add_argument(
        "--home", type=Path, help="keep the data (and its caches) in this directory between runs"
    )
    parser.add_argument(
        "--part",
        choices=("all", "open", "reader-keys", "huge"),
        default="all",
        help="run one part: opening and moving (open), the reader's heavier keys, huge sentences",
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the reader-keys part")
    parser.add_argument("--sizes", default="2,8,50", help="megabytes of the huge sentences (comma-separated)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a huge sentence may take")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        tmp = str(args.home) if args.home else scratch
        env = {**os.environ, "SOURCEREADER_HOME": tmp, "TEXTUAL_CURSOR_BLINK": "0"}
        env.pop("TEXTUAL", None)
        if args.part in ("all", "reader-keys"):
            reader_keys(env, args.rounds)
            if args.tmux:
                reader_keys(env, args.rounds, in_tmux=True)
        if args.part in ("all", "huge"):
            huge_sentences(env, tuple(float(x) for x in args.sizes.split(",")), args.timeout)
        if args.part not in ("all", "open"):
            return
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
