"""``sourcereader translate`` and ``sourcereader models``: machine translation from the command line.

Thin: parsing, progress display and messages live here; the work is in
``sourcereader.core.translation`` (``machine``, ``argos``, ``argos_packages``). Argos Translate,
CTranslate2 and SentencePiece are imported only when a command needs them (and
``argostranslate.translate``, which pulls in torch, never); rich only to draw a progress bar
on a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from sourcereader.cli.common import UserError, bounded_int, check_language
from sourcereader.core.plurals import counted

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress

    from sourcereader.cli.common import SubParsers
    from sourcereader.core.documents import Document, Library
    from sourcereader.core.store import Store
    from sourcereader.core.translation.argos_packages import PackageInfo
    from sourcereader.core.translation.machine import MachineTranslationPlan

MAX_BEAM = 64
"""Wider beams cost time and memory in proportion and no longer change a sentence's translation."""
MAX_BATCH = 10_000
"""Sentences per stored batch: more would only make an interruption lose more."""

#: Exit status when nothing could be done because no model is installed (same as a user error).
NO_MODEL_STATUS = 2


def register(sub: SubParsers) -> None:
    """Add ``translate`` and ``models`` (with ``list``, ``install``, ``remove``)."""
    p = sub.add_parser(
        "translate",
        help="machine-translate a document, sentence by sentence (Argos Translate)",
        description=(
            "Machine-translate every sentence of a document with an installed Argos Translate model. "
            "Translations are cached per sentence: a re-run only translates what is new or whose source "
            "changed, and an interrupted run (Ctrl-C) resumes where it stopped."
        ),
    )
    p.add_argument("document", metavar="ID", help="the document id (see `sourcereader list`)")
    p.add_argument("--to", dest="target", default="en", metavar="LANG", help="target language (default: en)")
    p.add_argument("--write", action="store_true", help="also write the translation file to the user library")
    p.add_argument("--force", action="store_true", help="re-translate sentences that are already cached")
    p.add_argument(
        "--beam",
        type=bounded_int(1, MAX_BEAM),
        default=4,
        metavar="N",
        help=f"beam size from 1 (fastest) to {MAX_BEAM} (default: 4)",
    )
    p.add_argument(
        "--batch-size",
        type=bounded_int(1, MAX_BATCH),
        default=64,
        metavar="N",
        help="sentences stored per batch: what an interruption can lose at most (default: 64)",
    )
    p.set_defaults(func=run_translate)

    models = sub.add_parser(
        "models",
        help="list, install or remove Argos Translate models",
        description="Manage the Argos Translate packages sourcereader translates with (shared with argospm).",
    )
    msub = models.add_subparsers(
        dest="models_command", metavar="ACTION", required=True, help="what to do with the models"
    )
    ls = msub.add_parser(
        "list", help="installed models", description="List the installed translation models."
    )
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_models_list)
    inst = msub.add_parser(
        "install",
        help="install a model from a file or the Argos index",
        description=(
            "Install a translation model: `models install FILE.argosmodel` from a package file, or "
            "`models install FROM TO` (e.g. `ru en`) from the Argos package index, which needs a network."
        ),
    )
    inst.add_argument(
        "what", nargs="+", metavar="FILE | FROM TO", help="a .argosmodel file, or two language codes"
    )
    inst.set_defaults(func=run_models_install)
    rm = msub.add_parser(
        "remove",
        help="remove an installed model",
        description="Remove an installed model by pair (`ru en`) or package name (`translate-ru_en`).",
    )
    rm.add_argument("what", nargs="+", metavar="FROM TO | NAME", help="a language pair, or a package name")
    rm.set_defaults(func=run_models_remove)


# --------------------------------------------------------------------------- translate


def run_translate(args: argparse.Namespace) -> int:
    """``sourcereader translate ID``."""
    from sourcereader.cli.common import open_library, open_store

    target = check_language(args.target)
    store = open_store()
    try:
        return _translate(args, target, store, open_library(store))
    finally:
        store.close()


def _translate(args: argparse.Namespace, target: str, cache: Store, library: Library) -> int:
    from sourcereader import locations
    from sourcereader.cli.common import get_document
    from sourcereader.core.translation.argos import ArgosTranslator
    from sourcereader.core.translation.errors import MachineTranslationError, missing_model_message
    from sourcereader.core.translation.machine import (
        SYNTHETIC_LABEL,
        machine_translate,
        plan_machine_translation,
        write_machine_translation,
    )

    document = get_document(library, args.document)
    if document.language == target:
        raise UserError(f"{document.id} is already in {target}; choose another language with --to")
    plan, _ = plan_machine_translation(document, target, cache, force=args.force)
    translated = 0
    synthetic = False
    # Everything cached and current: no model needed (it may have been removed since), only --write.
    if plan.pending:
        translator = ArgosTranslator(beam_size=args.beam)
        if (document.language, target) not in translator.language_pairs():
            print(missing_model_message(document.language, target), file=sys.stderr)
            return NO_MODEL_STATUS
        route = translator.route(document.language, target)
        synthetic = any(p.synthetic for p in route)
        _describe(document, target, route)
        try:
            with Progress(sys.stderr, plan.pending) as progress:
                run = machine_translate(
                    document,
                    target,
                    translator,
                    cache,
                    force=args.force,
                    batch_size=args.batch_size,
                    on_progress=progress,
                )
        except KeyboardInterrupt:
            _interrupted(document, target, cache, plan, forced=args.force)
            return 130
        except MachineTranslationError as exc:
            raise UserError(str(exc)) from None
        translated = run.translated
    print(
        f"{document.id}: {counted(plan.total, 'sentence')} into {target}: {plan.cached} already cached, "
        f"{translated} translated" + (f" ({plan.stale} changed since last time)" if plan.stale else "") + "."
    )
    if synthetic:
        print(f"{SYNTHETIC_LABEL} The model is a synthetic test package; its output is noise.")
    if args.write:
        path = write_machine_translation(
            document, target, cache, locations.user_library_dir() / "translations"
        )
        print(f"Wrote {path}")
    return 0


def _interrupted(
    document: Document, target: str, cache: Store, plan: MachineTranslationPlan, *, forced: bool
) -> None:
    from sourcereader.core.translation.machine import plan_machine_translation

    if forced:
        print(
            "Interrupted. Finished batches were re-translated; the other sentences keep their "
            "earlier translation.",
            file=sys.stderr,
        )
        return
    left, _ = plan_machine_translation(document, target, cache)
    print(
        f"Interrupted. Finished batches are kept ({plan.pending - left.pending} of {plan.pending} "
        "sentences); run the same command again to resume.",
        file=sys.stderr,
    )


def _describe(document: Document, target: str, route: list[PackageInfo]) -> None:
    names = " → ".join(p.label for p in route)
    via = " (through English)" if len(route) > 1 else ""
    print(f"Translating {document.id} ({document.language} → {target}){via} with {names}", file=sys.stderr)


class Progress:
    """Progress of a machine-translation run on ``stream``: a rich bar on a terminal, plain lines otherwise.

    Called as ``progress(done, total)`` after each batch; shows done/total, sentences per
    second and the time left. A context manager: leaving it (however) ends the bar.
    """

    def __init__(self, stream: TextIO, total: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.last_line = -1
        self.bar = _rich_bar(stream, total, clock) if stream.isatty() else None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.finish()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.task_ids[0], completed=done, total=total, refresh=True)
            return
        if done == self.last_line:
            return
        # A log, not a display: one line per step, rate and time left since the start.
        rate = done / max(self.clock() - self.started, 1e-9)
        eta = (total - done) / rate if rate > 0 else 0.0
        self.stream.write(f"translated {done}/{total} sentences ({rate:.1f}/s, about {_clock(eta)} left)\n")
        self.stream.flush()
        self.last_line = done

    def finish(self) -> None:
        """End the bar (terminal only): its last state stays on screen, the cursor comes back."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _rich_bar(stream: TextIO, total: int, clock: Callable[[], float]) -> RichProgress:
    """A started ``rich.progress.Progress`` on ``stream`` with one task of ``total`` sentences."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress
    from rich.text import Text

    class Rate(ProgressColumn):
        """Sentences per second (rich's estimate; until it has two samples, the average so far)."""

        def render(self, task: Task) -> Text:
            speed = task.speed
            if speed is None:
                speed = task.completed / task.elapsed if task.elapsed else 0.0
            return Text(f"{speed:.1f} sent/s", style="progress.data.speed")

    bar = RichProgress(
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        Rate(),
        TextColumn("ETA"),
        TimeRemainingColumn(compact=True),
        console=Console(file=stream),
        # Redrawn when a batch is done (``__call__``), not by a timer thread.
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
        get_time=clock,
    )
    bar.add_task("translating", total=total)
    bar.start()
    return bar


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


# --------------------------------------------------------------------------- models


def run_models_list(args: argparse.Namespace) -> int:
    """``sourcereader models list``."""
    from sourcereader.core.translation import argos_packages

    packages = argos_packages.installed_packages()
    folder = argos_packages.argos_packages_dir()
    if args.json:
        print(
            json.dumps(
                {
                    "packages_dir": str(folder),
                    "packages": [
                        {
                            "name": p.name,
                            "from": p.source,
                            "to": p.target,
                            "version": p.version,
                            "size_bytes": p.size_bytes,
                            "synthetic": p.synthetic,
                            "path": str(p.path),
                        }
                        for p in packages
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not packages:
        print(f"No translation models installed (Argos packages directory: {folder}).")
        print(
            "Install one: sourcereader models install ru en  or  sourcereader models install FILE.argosmodel"
        )
        return 0
    rows = [
        (p.name, f"{p.source} → {p.target}", p.version, f"{p.size_bytes / 1e6:.1f} MB", _mark(p))
        for p in packages
    ]
    header = ("PACKAGE", "PAIR", "VERSION", "SIZE", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"\nPackages directory: {folder}")
    return 0


def _mark(p: PackageInfo) -> str:
    from sourcereader.core.translation.machine import SYNTHETIC_LABEL

    return SYNTHETIC_LABEL if p.synthetic else ""


def run_models_install(args: argparse.Namespace) -> int:
    """``sourcereader models install FILE`` or ``... FROM TO``."""
    from sourcereader.core.translation import argos_packages
    from sourcereader.core.translation.errors import PackageError, package_name
    from sourcereader.core.translation.machine import SYNTHETIC_LABEL

    what: list[str] = args.what
    try:
        if len(what) == 1:
            path = Path(what[0])
            if not path.exists() and len(what[0]) <= 3 and what[0].isalpha():
                raise UserError(f"give two languages (`models install {what[0]} en`) or a .argosmodel file")
            info = argos_packages.install_package_file(path)
        elif len(what) == 2:
            source, target = (check_language(code) for code in what)
            print(f"Fetching {package_name(source, target)} from the Argos package index…", file=sys.stderr)
            info = argos_packages.install_from_index(source, target)
        else:
            raise UserError("give a .argosmodel file or two language codes (FROM TO)")
    except PackageError as exc:
        raise UserError(str(exc)) from None
    print(f"Installed {info.label} ({info.source} → {info.target}) in {info.path}")
    if info.synthetic:
        print(f"{SYNTHETIC_LABEL} This package is a synthetic test model: its output is noise.")
    return 0


def run_models_remove(args: argparse.Namespace) -> int:
    """``sourcereader models remove FROM TO`` or ``... NAME``."""
    from sourcereader.core.translation import argos_packages
    from sourcereader.core.translation.errors import PackageError

    what: list[str] = args.what
    if len(what) > 2:
        raise UserError("give a language pair (FROM TO) or a package name")
    try:
        removed = argos_packages.remove_package(*what)
    except PackageError as exc:
        raise UserError(str(exc)) from None
    for info in removed:
        print(f"Removed {info.label} ({info.path})")
    return 0
