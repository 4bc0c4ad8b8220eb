"""``sourcereader align``: sentence-align two text files and print the beads."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sourcereader.cli.common import UserError

if TYPE_CHECKING:
    from sourcereader.cli.common import SubParsers
    from sourcereader.core.alignment.beads import Bead

FORMATS = ("vecalign", "json", "text")


def register(sub: SubParsers) -> None:
    """Add the ``align`` command."""
    p = sub.add_parser(
        "align",
        help="sentence-align a text with its translation",
        description="Align the sentences of SRC with those of its translation TGT and print the beads "
        "(groups of consecutive sentences that translate each other) with a confidence for each.",
    )
    p.add_argument("src", metavar="SRC", help="source text file (UTF-8)")
    p.add_argument("tgt", metavar="TGT", help="translation text file (UTF-8)")
    p.add_argument("--src-lang", required=True, help="language of SRC (ISO 639-1, e.g. ru)")
    p.add_argument("--tgt-lang", required=True, help="language of TGT (ISO 639-1, e.g. en)")
    p.add_argument(
        "--one-per-line",
        action="store_true",
        help="each line is one sentence (no re-segmentation); an empty line marks a paragraph break",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="vecalign: `[0]:[0]` per bead; json: beads with sentences and confidence; text: readable",
    )
    p.set_defaults(func=run)


def _read(path_str: str) -> str:
    """The file as text (UTF-8, BOM dropped, NUL refused), or a one-line UserError."""
    from sourcereader.cli.common import read_input_text

    text = read_input_text(path_str)
    if not text.strip():
        raise UserError(f"{path_str}: the file is empty")
    return text


def sentences_one_per_line(text: str) -> tuple[list[str], frozenset[int]]:
    """Lines as sentences; an empty line starts a new paragraph at the next sentence."""
    out: list[str] = []
    breaks: set[int] = set()
    pending = False
    for line in text.splitlines():
        if not line.strip():
            pending = bool(out)
            continue
        if pending:
            breaks.add(len(out))
            pending = False
        out.append(line.strip())
    return out, frozenset(breaks)


def sentences_segmented(text: str, lang: str) -> tuple[list[str], frozenset[int]]:
    """Paragraphs (blank-line separated) split into sentences with the project segmenter."""
    import re

    from sourcereader.core.segmenting import split

    out: list[str] = []
    breaks: set[int] = set()
    for para in re.split(r"\n\s*\n", text):
        if not para.strip():
            continue
        if out:
            breaks.add(len(out))
        out.extend(" ".join(para[a:b].split()) for a, b in split(para, lang))
    return out, frozenset(breaks)


def run(args: argparse.Namespace) -> int:
    """Read, segment, align and print."""
    import os

    from sourcereader.cli.common import check_language

    # The aligner does no linear algebra. Unless told otherwise, numpy's import (with the aligner's)
    # starts an OpenBLAS thread per core, and they spin on the other cores for a tenth of a second of CPU.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from sourcereader.core.alignment.aligner import align

    for lang in (args.src_lang, args.tgt_lang):
        check_language(lang)
    src_text, tgt_text = _read(args.src), _read(args.tgt)
    if args.one_per_line:
        src, sb = sentences_one_per_line(src_text)
        tgt, tb = sentences_one_per_line(tgt_text)
    else:
        src, sb = sentences_segmented(src_text, args.src_lang)
        tgt, tb = sentences_segmented(tgt_text, args.tgt_lang)
    # vecalign lines have no confidences: the aligner need not compute them.
    beads = align(src, tgt, src_lang=args.src_lang, tgt_lang=args.tgt_lang, src_breaks=sb, tgt_breaks=tb,
                  confidence=args.format != "vecalign")  # fmt: skip
    sys.stdout.write(render(beads, src, tgt, args.format))
    return 0


def render(beads: list[Bead], src: list[str], tgt: list[str], fmt: str) -> str:
    """The beads in one of :data:`FORMATS`."""
    if fmt == "vecalign":
        return "".join(f"{list(b.src)}:{list(b.tgt)}\n" for b in beads)
    # Sentences come from the user's files: control characters (ESC, C1, BEL, CR) must not reach
    # the terminal raw, and json.dumps leaves C1 controls unescaped.
    import json

    from sourcereader.core.sanitize import for_terminal, json_safe

    if fmt == "json":
        rows = [
            {
                "src": list(b.src),
                "tgt": list(b.tgt),
                "confidence": b.confidence,
                "src_text": [src[i] for i in b.src],
                "tgt_text": [tgt[j] for j in b.tgt],
            }
            for b in beads
        ]
        return json_safe(json.dumps(rows, ensure_ascii=False, indent=1)) + "\n"
    lines = []
    for n, b in enumerate(beads):
        flag = "  (unsure)" if b.unsure else ""  # the alignment's one definition: right about half the time
        lines.append(f"── bead {n}  {len(b.src)}:{len(b.tgt)}  confidence {b.confidence:.2f}{flag}")
        lines.extend(f"  {i:>5} < {for_terminal(src[i])}" for i in b.src)
        lines.extend(f"  {j:>5} > {for_terminal(tgt[j])}" for j in b.tgt)
    return "\n".join(lines) + "\n"
