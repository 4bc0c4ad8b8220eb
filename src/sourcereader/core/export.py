"""Export annotations: Markdown excerpts with citations, and W3C Web Annotation JSON-LD.

Pure functions over dataclasses: the caller gathers the annotations, the documents, their
translations and alignments (:class:`ExportText`), and gets text back.

Markdown layout (every export parses with markdown-it-py into exactly this outline)::

    # Annotated excerpts
    ## <document title> (<date>)                 one section per document, in library order
    Cite: original publication; archival reference; document id, the sentences quoted; licence.
    Provenance:                                  where the copy of the text came from, and the
    - Copy used: …                                translations quoted with their sources and licences
    - <translation label>: <source>; licence: …
    ### <sentence ids> · <kind>                  one per annotation, in document order
    > original sentence(s), the annotated span in *emphasis*, context plain, gaps as […]
    **<translation label>**                       for each chosen translation
    > the aligned translation sentence(s)
    | source | translation … |                    relation notes: side by side
    <the note>
    Tags: #a #b            or a bullet list

The citation comes once per document, before its excerpts, and names every sentence they quote.

User text (notes, tags, and the documents' own text) is escaped so it cannot leave its place:
a ``#`` line, ``>``, a ``---`` line, a code fence, HTML or ``|`` in a note stays in the note.
Notes keep their inline Markdown (emphasis, links, code spans); block structure that could
open a heading, a quote, a fence or an HTML block is neutralised.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sourcereader.core import choices
from sourcereader.core.annotations import Anchor, Annotation, AnnotationDraft, AnnotationError
from sourcereader.core.documents import Document, Gap, Sentence, Text, Translation, id_range
from sourcereader.core.plurals import counted

if TYPE_CHECKING:
    from sourcereader.core.alignment.beads import Bead
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store

TAGS_AS = choices.TAGS_AS
FORMATS = choices.EXPORT_FORMATS
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Our extension vocabulary in the JSON-LD (sentence ids, text version, kind, compared translations).
SR_VOCAB = "https://github.com/sourcereader/sourcereader/ns#"
_URN = "urn:sourcereader:doc:"
#: Below this bead confidence (and not verified by the user) a quoted translation is marked as a guess.
UNCERTAIN = 0.5
_GUESS = " (automatic alignment, uncertain)"


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class ExportText:
    """A document as the exporter needs it: with its translations and their alignments."""

    document: Document
    translations: Sequence[Translation] = ()
    beads: Mapping[str, Sequence[Bead]] = field(default_factory=dict)
    """Alignment with each translation, by translation id (missing: that translation is not quoted)."""


@dataclass(frozen=True)
class ExportOptions:
    """What to put in a Markdown export."""

    context: int = 0
    """Sentences of context before and after the annotated ones."""
    translations: tuple[str, ...] = ("human", "machine")
    """Which kinds of translation to quote (empty: none)."""
    tags_as: str = "list"
    """``list`` (a bullet list) or ``hashtags`` (``#tag`` words)."""
    title: str = "Annotated excerpts"
    generated: str = ""
    """A date (or any text) for the line under the title; empty: no such line."""


def bead_sentences(
    beads: Sequence[Bead], document: Document, translation: Translation, sentence_ids: Sequence[str]
) -> tuple[str, ...]:
    """The translation sentence ids aligned with these source sentences (the beads touching them)."""
    wanted = set(sentence_ids)
    indices = {s.index for s in document.sentences if s.id in wanted}
    return _targets(beads, indices, translation)


def _targets(beads: Sequence[Bead], indices: Iterable[int], translation: Translation) -> tuple[str, ...]:
    wanted = set(indices)
    targets = sorted({j for bead in beads if wanted.intersection(bead.src) for j in bead.tgt})
    sentences = translation.sentences
    return tuple(sentences[j].id for j in targets if j < len(sentences))


@dataclass(frozen=True)
class FragmentSource:
    """Where one fragment of a document was copied from, as its marker says:
    ``[[FRAGMENT 3/3 — source: …; notes…; licence: …]]`` (clauses separated by ``; ``)."""

    label: str
    """``Fragment 3/3`` (or ``Fragment`` when the marker has no number)."""
    source: str
    licence: str | None = None
    """The fragment's own licence, when it differs from the document's."""
    notes: str = ""
    """The marker's other clauses (what the copy holds, where it ends…)."""


_FRAGMENT_NUMBER_RE = re.compile(r"^(\d+(?:\s*/\s*\d+)?)?\s*[—–:-]*\s*")
_CLAUSE_RE = re.compile(r";\s+")


def fragment_source(gap: Gap) -> FragmentSource | None:
    """The copy source a ``[[FRAGMENT …]]`` marker gives its fragment; None for another kind of gap,
    or a fragment marker that names no source."""
    if gap.kind != "fragment":
        return None
    text = " ".join(gap.explanation.split())
    number = _FRAGMENT_NUMBER_RE.match(text)
    assert number is not None  # every part of the pattern is optional
    source = licence = None
    notes: list[str] = []
    for clause in _CLAUSE_RE.split(text[number.end() :]):
        key, colon, value = clause.partition(":")
        key = key.strip().casefold()
        if colon and key == "source" and source is None and value.strip():
            source = value.strip()
        elif colon and key in ("licence", "license") and licence is None and value.strip():
            licence = value.strip()
        elif clause.strip():
            notes.append(clause.strip())
    if source is None:
        return None
    label = "Fragment " + number.group(1).replace(" ", "") if number.group(1) else "Fragment"
    return FragmentSource(label, source, licence, "; ".join(notes))


def translation_label(translation: Translation) -> str:
    """How a translation is credited: its translator, or the machine translation's engine and model."""
    meta = translation.meta
    if meta.kind == "machine":
        parts = [meta.engine or "machine translation", meta.model, meta.date]
        return "machine translation, " + ", ".join(p for p in parts if p).replace(
            "machine translation, machine translation", "machine translation"
        )
    return f"{meta.translator or 'human translation'} (translation)"


# --------------------------------------------------------------------------- escaping
_INLINE_RE = re.compile(r"([\\`*_\[\]<>#|~])")
_ORDERED_RE = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BLOCK_START_RE = re.compile(r"^(\s{0,3})(#|>|```|~~~|<|\||\[[^\]]*\]:|[-*_=](\s*[-*_=]){2,}\s*$|[-=]+\s*$)")


@functools.lru_cache(maxsize=16384)
def escape_text(text: str) -> str:
    """Document text for inline Markdown: every character that could mean something is escaped,
    whitespace (newlines included) collapsed to single spaces."""
    flat = " ".join(text.split())
    escaped = _INLINE_RE.sub(r"\\\1", flat)
    # A quote that starts like a list item ("1940. …", "- …") would become a list.
    if escaped[:1] in ("-", "+", "="):
        return "\\" + escaped
    return _ORDERED_RE.sub(r"\1\\\2", escaped)


def escape_note(note: str) -> str:
    """A note's Markdown, kept inline-rich but unable to open a heading, quote, fence, table,
    thematic break or HTML block, or to end its own section."""
    lines = []
    for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.replace("<", "&lt;").replace("|", "\\|")
        line = line.expandtabs(4)
        if len(line) - len(line.lstrip(" ")) >= 4:
            # An indented code block is fine inside the note, but keep it from merging with ours.
            lines.append(line)
            continue
        lines.append(_BLOCK_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), line))
    # Blank lines stay (paragraphs inside the note); runs of them are collapsed.
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out


def escape_cell(text: str) -> str:
    """Text for a table cell: one line, ``|`` escaped."""
    return escape_text(text) or " "


def hashtag(tag: str) -> str:
    """``#tag`` with spaces turned into dashes and Markdown characters escaped."""
    # No backslash before the #: Obsidian and Logseq read "#tag" words; "Tags:" starts the line, so the
    # hash cannot open a heading.
    return "#" + escape_text(tag.replace(" ", "-"))


# --------------------------------------------------------------------------- Markdown
def export_markdown(
    annotations: Sequence[Annotation], texts: Mapping[str, ExportText], options: ExportOptions | None = None
) -> str:
    """Markdown for ``annotations``, grouped by document (documents missing from ``texts`` are
    exported from the annotation alone: quote and citation by id)."""
    return _export_markdown(annotations, texts, options or ExportOptions())


def _export_markdown(
    annotations: Sequence[Annotation], texts: Mapping[str, ExportText], options: ExportOptions
) -> str:
    out: list[str] = [f"# {escape_text(options.title)}", ""]
    if options.generated:
        documents = len({a.document_id for a in annotations})
        out += [
            f"Exported from sourcereader on {escape_text(options.generated)}: "
            f"{counted(len(annotations), 'annotation')} from {counted(documents, 'document')}.",
            "",
        ]
    groups: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        groups.setdefault(annotation.document_id, []).append(annotation)

    def group_key(document_id: str) -> tuple[str, str]:
        text = texts.get(document_id)
        return (text.document.meta.date if text else "~", document_id)

    for document_id in sorted(groups, key=group_key):
        text = texts.get(document_id)
        context = _Context(text) if text is not None else None
        if text is not None:
            meta = text.document.meta
            out += [f"## {escape_text(meta.title)} ({escape_text(meta.date)})", ""]
        else:
            out += [f"## {escape_text(document_id)}", ""]
        # The excerpts first (they say what they quote), then the citation above them.
        cited = _Cited()
        excerpts: list[str] = []
        for annotation in sorted(groups[document_id], key=_order):
            excerpts += _annotation_markdown(annotation, context, options, cited)
        out += _citation(document_id, context, cited)
        out += excerpts
    return "\n".join(out).rstrip("\n") + "\n"


def _order(a: Annotation) -> tuple[bool, int, str, int]:
    # Annotations on a translation sit with their source position when known (first sentence index).
    first = a.anchor.sentence_ids[0] if a.anchor.sentence_ids else "s0"
    index = int(first[1:]) if first[1:].isdigit() else 0
    return (a.anchor.translation_id is not None, index, a.anchor.translation_id or "", a.anchor.start)


@dataclass
class _Cited:
    """What a document's excerpts quote, gathered while they are written: for its one citation."""

    sentences: set[str] = field(default_factory=set)
    """The document's sentence ids."""
    translation_sentences: dict[str, set[str]] = field(default_factory=dict)
    """Sentence ids of translations annotated themselves, by translation id."""
    translations: dict[str, Translation] = field(default_factory=dict)
    """Every translation quoted, in the order first quoted."""

    def add(self, translation_id: str | None, ids: Iterable[str]) -> None:
        """Sentences of the document (``translation_id`` None) or of a translation, as quoted."""
        if translation_id is None:
            self.sentences.update(ids)
        else:
            self.translation_sentences.setdefault(translation_id, set()).update(ids)


class _Context:
    """Per-document lookups built once per export (10,000 annotations must not rescan texts)."""

    def __init__(self, text: ExportText) -> None:
        self.text = text
        self.document = text.document
        self.by_id = self.document.sentences_by_id
        self.translations = {t.id: t for t in text.translations}
        self.t_by_id = {t.id: t.sentences_by_id for t in text.translations}
        fragment_gaps = [g for g in self.document.gaps if g.kind == "fragment"]
        self._fragment_starts = [g.after_sentence for g in fragment_gaps]
        self._fragments = [fragment_source(g) for g in fragment_gaps]
        self.src_to_tgt: dict[str, dict[int, list[int]]] = {}
        self.tgt_to_src: dict[str, dict[int, list[int]]] = {}
        self.confidence: dict[str, dict[int, float]] = {}
        for tid, beads in text.beads.items():
            fwd: dict[int, list[int]] = {}
            back: dict[int, list[int]] = {}
            conf: dict[int, float] = {}
            for bead in beads:
                for i in bead.src:
                    fwd.setdefault(i, []).extend(bead.tgt)
                    conf[i] = 1.0 if bead.verified else bead.confidence
                for j in bead.tgt:
                    back.setdefault(j, []).extend(bead.src)
            self.src_to_tgt[tid] = fwd
            self.tgt_to_src[tid] = back
            self.confidence[tid] = conf

    def fragment_of(self, sentence_id: str) -> FragmentSource | None:
        """The source of the fragment holding this sentence (the last ``[[FRAGMENT …]]`` marker before
        it); None outside fragments, in a fragment whose marker names no source, or for an unknown id."""
        sentence = self.by_id.get(sentence_id)
        if sentence is None:
            return None
        k = bisect.bisect_right(self._fragment_starts, sentence.index) - 1
        return self._fragments[k] if k >= 0 else None

    def uncertain(self, tid: str, indices: Iterable[int]) -> bool:
        """True when a bead joining these source sentences to the translation is a guess."""
        conf = self.confidence.get(tid, {})
        return any(conf.get(i, 1.0) < UNCERTAIN for i in indices)

    def aligned(self, tid: str, indices: Iterable[int]) -> list[Sentence]:
        fwd = self.src_to_tgt.get(tid, {})
        targets = sorted({j for i in indices for j in fwd.get(i, ())})
        sentences = self.translations[tid].sentences
        return [sentences[j] for j in targets if j < len(sentences)]

    def sources_of(self, tid: str, indices: Iterable[int]) -> list[Sentence]:
        back = self.tgt_to_src.get(tid, {})
        sources = sorted({i for j in indices for i in back.get(j, ())})
        sentences = self.document.sentences
        return [sentences[i] for i in sources if i < len(sentences)]


def _quote_lines(
    text: Text, sentences: Sequence[Sentence], anchor: Anchor | None, *, emphasise: bool
) -> list[str]:
    """Blockquote lines for consecutive ``sentences`` of ``text`` (gaps between them as […]),
    the anchored part emphasised when ``emphasise``."""
    if not sentences:
        return []
    first, last = sentences[0].index, sentences[-1].index
    paragraphs: list[list[str]] = [[]]
    previous: Sentence | None = None
    for sentence in text.sentences[first : last + 1]:
        if sentence.index > first:
            for gap in text.gaps_before.get(sentence.index, ()):
                explanation = f" ({escape_text(gap.explanation)})" if gap.explanation else ""
                paragraphs.append([f"\\[…\\]{explanation}"])
                paragraphs.append([])
        if previous is not None and sentence.paragraph != previous.paragraph and paragraphs[-1]:
            paragraphs.append([])
        paragraphs[-1].append(_sentence_markdown(sentence, anchor, emphasise))
        previous = sentence
    lines: list[str] = []
    for paragraph in (p for p in paragraphs if p):
        if lines:
            lines.append(">")
        lines.append("> " + " ".join(paragraph))
    return lines


def _sentence_markdown(sentence: Sentence, anchor: Anchor | None, emphasise: bool) -> str:
    if anchor is None or not emphasise or not (anchor.start < sentence.end and anchor.end > sentence.start):
        return escape_text(sentence.text)
    lo = max(anchor.start, sentence.start) - sentence.start
    hi = min(anchor.end, sentence.end) - sentence.start
    inside = sentence.text[lo:hi]
    core = inside.strip()
    if not core:
        return escape_text(sentence.text)
    # Emphasis must hug non-space characters or CommonMark will not see it: move spaces outside.
    before = sentence.text[:lo] + inside[: len(inside) - len(inside.lstrip())]
    after = inside[len(inside.rstrip()) :] + sentence.text[hi:]
    pre = escape_text(before) + (" " if before[-1:].isspace() else "")
    post = (" " if after[:1].isspace() else "") + escape_text(after)
    return f"{pre.lstrip()}*{escape_text(core)}*{post.rstrip()}"


def _ids_label(ids: Sequence[str]) -> str:
    return id_range(ids) or "—"


def _annotation_markdown(
    annotation: Annotation, ctx: _Context | None, options: ExportOptions, cited: _Cited
) -> list[str]:
    anchor = annotation.anchor
    where = _ids_label(anchor.sentence_ids)
    if anchor.span is not None:
        where += f", characters {anchor.span[0]}–{anchor.span[1]}"
    if anchor.translation_id:
        where = f"{anchor.translation_id} {where}"
    heading = f"### {escape_text(where)} · {annotation.kind}"
    if annotation.highlight:
        heading += f" · {annotation.highlight}"
    if annotation.is_orphan:
        heading += " · orphan"
    out = [heading, ""]
    if ctx is None or annotation.is_orphan:
        if annotation.is_orphan:
            out += ["*Not found in the current text; the quote is as it was annotated.*", ""]
        out += [f"> {escape_text(anchor.exact)}", ""]
        cited.add(anchor.translation_id, anchor.sentence_ids)
    else:
        main_text: Text = ctx.document
        by_id: Mapping[str, Sentence] = ctx.by_id
        if anchor.translation_id is not None:
            translation = ctx.translations.get(anchor.translation_id)
            main_text = translation if translation is not None else ctx.document
            by_id = ctx.t_by_id.get(anchor.translation_id, {})
        sentences = _anchored_sentences(by_id, anchor)
        if not sentences:
            out += [f"> {escape_text(anchor.exact)}", ""]
            cited.add(anchor.translation_id, anchor.sentence_ids)
        else:
            if anchor.translation_id is not None and isinstance(main_text, Translation):
                # On a translation: the original it renders first, then the annotated translation.
                originals = ctx.sources_of(anchor.translation_id, [s.index for s in sentences])
                if originals:
                    out += ["**Original**", ""] + _quote_lines(ctx.document, originals, None, emphasise=False)
                    out.append("")
                    cited.add(None, (s.id for s in originals))
                out += [f"**{escape_text(translation_label(main_text))}**", ""]
                out += _quote_lines(main_text, sentences, anchor, emphasise=anchor.span is not None) + [""]
                cited.add(main_text.id, (s.id for s in sentences))
                cited.translations.setdefault(main_text.id, main_text)
            else:
                shown = _with_context(ctx.document, sentences, options.context)
                emphasise = anchor.span is not None or len(shown) > len(sentences)
                out += _quote_lines(ctx.document, shown, anchor, emphasise=emphasise) + [""]
                cited.add(None, (s.id for s in shown))
                out += _translations_markdown(annotation, ctx, sentences, options, cited)
    if annotation.note:
        out += [escape_note(annotation.note), ""]
    if annotation.tags:
        if options.tags_as == "hashtags":
            out += ["Tags: " + " ".join(hashtag(t) for t in annotation.tags), ""]
        else:
            out += ["Tags:", ""] + [f"- {escape_text(t)}" for t in annotation.tags] + [""]
    return out


def _anchored_sentences(by_id: Mapping[str, Sentence], anchor: Anchor) -> list[Sentence]:
    return [by_id[i] for i in anchor.sentence_ids if i in by_id]


def _with_context(document: Document, sentences: Sequence[Sentence], n: int) -> list[Sentence]:
    if n <= 0:
        return list(sentences)
    all_sentences = document.sentences
    lo = max(0, sentences[0].index - n)
    hi = min(len(all_sentences), sentences[-1].index + n + 1)
    return list(all_sentences[lo:hi])


def _translations_markdown(
    annotation: Annotation,
    ctx: _Context,
    sentences: Sequence[Sentence],
    options: ExportOptions,
    cited: _Cited,
) -> list[str]:
    indices = [s.index for s in sentences]
    out: list[str] = []
    if annotation.kind == "relation" and annotation.compared:
        header = [escape_cell(f"Original ({ctx.document.language})")]
        row = [escape_cell(" ".join(s.text for s in sentences))]
        for tid in annotation.compared:
            translation = ctx.translations.get(tid)
            if translation is None:
                header.append(escape_cell(tid))
                row.append("*(not in the library)*")
                continue
            aligned = ctx.aligned(tid, indices) if tid in ctx.src_to_tgt else []
            if not aligned and tid in annotation.compared_sentences:
                # No alignment at hand: the bead's sentences as recorded when the note was made.
                t_by_id = ctx.t_by_id[tid]
                aligned = [t_by_id[i] for i in annotation.compared_sentences[tid] if i in t_by_id]
            guess = _GUESS if tid in ctx.src_to_tgt and ctx.uncertain(tid, indices) else ""
            header.append(escape_cell(translation_label(translation) + guess))
            if aligned:
                cited.translations.setdefault(tid, translation)
            row.append(
                escape_cell(" ".join(s.text for s in aligned)) if aligned else "*(no corresponding text)*"
            )
        out += [
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            "| " + " | ".join(row) + " |",
            "",
        ]
        return out
    for translation in ctx.translations.values():
        if translation.meta.kind not in options.translations or translation.id not in ctx.src_to_tgt:
            continue
        aligned = ctx.aligned(translation.id, indices)
        if not aligned:
            continue  # this translation does not cover the passage
        guess = _GUESS if ctx.uncertain(translation.id, indices) else ""
        out += [f"**{escape_text(translation_label(translation) + guess)}**", ""]
        cited.translations.setdefault(translation.id, translation)
        out += _quote_lines(translation, _consecutive(translation, aligned), None, emphasise=False) + [""]
    return out


def _consecutive(text: Text, sentences: Sequence[Sentence]) -> list[Sentence]:
    all_sentences = text.sentences
    return list(all_sentences[sentences[0].index : sentences[-1].index + 1])


def _cited_ids(ids: Iterable[str]) -> str:
    """Sentence ids in text order, runs joined: ``s1–s3, s5``."""
    numbered = sorted({int(i[1:]) for i in ids if i[:1] == "s" and i[1:].isdigit()})
    others = sorted({i for i in ids if not (i[:1] == "s" and i[1:].isdigit())})
    runs: list[list[int]] = []
    for n in numbered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"s{r[0]}" if len(r) == 1 else f"s{r[0]}–s{r[-1]}" for r in runs]
    return ", ".join(parts + others) or "—"


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _code(identifier: str) -> str:
    """An id as a code span; one that is not a library id (from an imported annotation) as escaped text."""
    return f"`{identifier}`" if _ID_RE.match(identifier) else escape_text(identifier)


def _sentences_cited(document_id: str, cited: _Cited) -> str:
    part = f"sourcereader document {_code(document_id)}"
    if cited.sentences or not cited.translation_sentences:
        part += f", sentences {escape_text(_cited_ids(cited.sentences))}"
    for tid, ids in sorted(cited.translation_sentences.items()):
        part += f"; translation {_code(tid)}, sentences {escape_text(_cited_ids(ids))}"
    return part


def _citation(document_id: str, ctx: _Context | None, cited: _Cited) -> list[str]:
    """The document's citation, short (edition, archival reference, the sentences quoted, licence),
    then its provenance: where the copy of the text came from (each fragment's own source when its
    marker names one), and the translations quoted with their sources and licences."""
    if ctx is None:
        return [f"Cite: {_sentences_cited(document_id, cited)}.", ""]
    meta = ctx.document.meta
    # Sentences by the fragment they were copied in (None: the document's copy source covers them).
    fragments: dict[FragmentSource | None, list[str]] = {}
    for sentence_id in cited.sentences:
        fragments.setdefault(ctx.fragment_of(sentence_id), []).append(sentence_id)
    licences: dict[str, list[str]] = {}
    for fragment, ids in _by_first_sentence(fragments):
        licences.setdefault(fragment.licence if fragment and fragment.licence else meta.license, []).extend(
            ids
        )
    parts: list[str] = []
    if meta.original_publication:
        parts.append(escape_text(meta.original_publication))
    if meta.archival_reference:
        parts.append(f"archival reference: {escape_text(meta.archival_reference)}")
    parts.append(_sentences_cited(document_id, cited))
    if len(licences) > 1:
        for text, ids in licences.items():
            parts.append(f"licence of {escape_text(_cited_ids(ids))}: {escape_text(text)}")
    else:
        parts.append(f"licence: {escape_text(next(iter(licences), meta.license))}")
    lines = ["Cite: " + "; ".join(p.rstrip(" .;") for p in parts) + ".", ""]
    provenance = []
    if None in fragments or not fragments:
        provenance.append(f"Copy used: {escape_text(meta.copy_source)}")
    for fragment, ids in _by_first_sentence(fragments):
        if fragment is not None:
            notes = f"; {fragment.notes}" if fragment.notes else ""
            provenance.append(
                f"{fragment.label} ({_cited_ids(ids)}): copied from {escape_text(fragment.source + notes)}"
            )
    for translation in cited.translations.values():
        tmeta = translation.meta
        provenance.append(
            f"{escape_text(translation_label(translation))}: {escape_text(tmeta.source).rstrip(' .;')}; "
            f"licence: {escape_text(tmeta.license)}"
        )
    lines += ["Provenance:", ""] + [f"- {item}" for item in provenance] + [""]
    return lines


def _by_first_sentence(
    groups: Mapping[FragmentSource | None, list[str]],
) -> list[tuple[FragmentSource | None, list[str]]]:
    """Groups of sentence ids in text order (of their first sentence), each group's ids sorted too."""

    def number(sentence_id: str) -> int:
        return int(sentence_id[1:]) if sentence_id[1:].isdigit() else 0

    ordered = [(key, sorted(ids, key=number)) for key, ids in groups.items()]
    return sorted(ordered, key=lambda item: number(item[1][0]))


# --------------------------------------------------------------------------- W3C Web Annotation
def _source_iri(anchor: Anchor) -> str:
    if anchor.translation_id:
        return f"{_URN}{anchor.document_id}:translation:{anchor.translation_id}"
    return f"{_URN}{anchor.document_id}"


def _parse_source(iri: str) -> tuple[str, str | None]:
    if not iri.startswith(_URN):
        raise AnnotationError(
            f"target source {iri!r} is not a sourcereader document (urn:sourcereader:doc:…)"
        )
    rest = iri[len(_URN) :]
    document_id, sep, translation_id = rest.partition(":translation:")
    if not document_id:
        raise AnnotationError(f"target source {iri!r} names no document")
    _check_id(document_id, "document id")
    if sep:
        _check_id(translation_id, "translation id")
    return document_id, (translation_id if sep else None)


MAX_OFFSET = 2**31 - 1
"""The largest text position an imported annotation may name (far beyond any text: SQLite integers
and Python's own limits are never reached through an import)."""

_PRINTABLE_MAX = 200


def _check_id(value: str, what: str) -> str:
    """A document or translation id as the library would accept it (ids are printed, stored, and
    become file names: anything else is refused, never stored)."""
    from sourcereader.core.documents import is_valid_id

    if not is_valid_id(value):
        raise AnnotationError(f"{what} {value!r} is not a valid sourcereader id")
    return value


def _sentence_id(value: Any, what: str = "sentence id") -> str:
    from sourcereader.core.documents import SENTENCE_ID_RE

    text = _str(value, what)
    if not SENTENCE_ID_RE.fullmatch(text):
        raise AnnotationError(f"{what} {text!r} is not a sentence id (s1, s2, …)")
    return text


def _label(value: Any, what: str) -> str:
    """A short machine-readable string (a uuid, a timestamp, a text version): printable, bounded."""
    from sourcereader.core.sanitize import CONTROL_RE

    text = _str(value, what)
    if len(text) > _PRINTABLE_MAX or CONTROL_RE.search(text):
        raise AnnotationError(f"{what} {text[:40]!r} is not a short printable string")
    return text


def to_w3c(annotation: Annotation) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation (JSON-LD object, without ``@context``)."""
    anchor = annotation.anchor
    bodies: list[dict[str, Any]] = []
    if annotation.note is not None:
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags]
    target: dict[str, Any] = {
        "source": _source_iri(anchor),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": anchor.exact,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
            },
            {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
        ],
        "sr:sentenceIds": list(anchor.sentence_ids),
        "sr:textVersion": anchor.version,
    }
    if anchor.span is not None:
        target["sr:span"] = list(anchor.span)
    if annotation.highlight:
        target["styleClass"] = annotation.highlight
    motivation = {
        "note": "commenting",
        "highlight": "highlighting",
        "tag": "tagging",
        "relation": "assessing",
    }
    out: dict[str, Any] = {
        "id": f"urn:uuid:{annotation.uuid}",
        "type": "Annotation",
        "motivation": motivation[annotation.kind],
        "created": annotation.created,
        "modified": annotation.updated,
        "sr:kind": annotation.kind,
        "body": bodies,
        "target": target,
    }
    if annotation.highlight:
        out["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{annotation.highlight} {{ background-color: {annotation.highlight}; }}"
            if annotation.highlight != "underline"
            else ".underline { text-decoration: underline; }",
        }
    if annotation.compared:
        out["sr:compared"] = [
            {"translation": tid, "sentenceIds": list(annotation.compared_sentences.get(tid, ()))}
            if tid in annotation.compared_sentences
            else {"translation": tid}
            for tid in annotation.compared
        ]
    return out


def export_w3c(
    annotations: Sequence[Annotation], *, label: str = "sourcereader annotations"
) -> dict[str, Any]:
    """An AnnotationCollection holding every annotation on one page."""
    items = [to_w3c(a) for a in annotations]
    return {
        "@context": [W3C_CONTEXT, {"sr": SR_VOCAB}],
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise AnnotationError(
            "expected a W3C Annotation, AnnotationPage or AnnotationCollection (a JSON object)"
        )
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        if isinstance(first, dict):
            return _items(first)
        return []
    if kind == "AnnotationPage":
        items = data.get("items")
        if not isinstance(items, list):
            raise AnnotationError("AnnotationPage without an items list")
        return items
    if kind == "Annotation":
        return [data]
    raise AnnotationError(f"not a W3C annotation document (type {kind!r})")


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise AnnotationError(f"{what} must be a string")
    return value


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_OFFSET:
        raise AnnotationError(f"{what} must be an integer from 0 to {MAX_OFFSET}")
    return value


def _span(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise AnnotationError("sr:span must be a list of two integers [start, end]")
    start, end = _int(value[0], "sr:span start"), _int(value[1], "sr:span end")
    if start > end:
        raise AnnotationError(f"sr:span [{start}, {end}] ends before it starts")
    return start, end


def from_w3c(data: Any) -> list[AnnotationDraft]:
    """Drafts for the annotations in a W3C JSON-LD document (collection, page, list or single).

    AnnotationError, naming the item, for anything that is not a text-quote annotation on a
    sourcereader document.
    """
    drafts = []
    for n, item in enumerate(_items(data), 1):
        try:
            drafts.append(_draft_from_w3c(item))
        except AnnotationError as exc:
            raise AnnotationError(f"annotation {n}: {exc}") from None
    return drafts


def _draft_from_w3c(item: Any) -> AnnotationDraft:
    if not isinstance(item, dict) or item.get("type") != "Annotation":
        raise AnnotationError("not an Annotation object")
    ident = _label(item.get("id", ""), "id")
    uuid = ident.removeprefix("urn:uuid:") if ident else None
    target = item.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, dict):
        raise AnnotationError("no target")
    document_id, translation_id = _parse_source(_str(target.get("source"), "target source"))
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None
    )
    if quote is None:
        raise AnnotationError("no TextQuoteSelector in the target")
    exact = _str(quote.get("exact"), "exact")
    start = _int(position.get("start"), "start") if position else 0
    end = _int(position.get("end"), "end") if position else start + len(exact)
    if end < start:
        raise AnnotationError(f"the position ends ({end}) before it starts ({start})")
    raw_ids = target.get("sr:sentenceIds", [])
    if not isinstance(raw_ids, list) or not all(isinstance(i, str) for i in raw_ids):
        raise AnnotationError("sr:sentenceIds must be a list of strings")
    for sentence_id in raw_ids:
        _sentence_id(sentence_id)
    span = _span(target.get("sr:span"))
    anchor = Anchor(
        document_id=document_id,
        translation_id=translation_id,
        sentence_ids=tuple(raw_ids),
        exact=exact,
        prefix=_str(quote.get("prefix", ""), "prefix"),
        suffix=_str(quote.get("suffix", ""), "suffix"),
        start=start,
        end=end,
        # Unknown version: the next re-anchoring checks the anchor against the local text.
        version=_label(target.get("sr:textVersion", ""), "sr:textVersion"),
        span=span,
    )
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    note = None
    tags: list[str] = []
    for body in bodies:
        if not isinstance(body, dict):
            continue
        value = _str(body.get("value", ""), "body value")
        if body.get("purpose") == "tagging":
            tags.append(value)
        elif note is None:
            note = value
    highlight = target.get("styleClass")
    compared: list[str] = []
    compared_sentences: dict[str, tuple[str, ...]] = {}
    for entry in item.get("sr:compared", []) or []:
        if not isinstance(entry, dict):
            raise AnnotationError("sr:compared entries must be objects")
        tid = _check_id(_str(entry.get("translation"), "compared translation"), "compared translation")
        compared.append(tid)
        if "sentenceIds" in entry:
            ids = entry["sentenceIds"]
            if not isinstance(ids, list):
                raise AnnotationError("sr:compared sentenceIds must be a list")
            compared_sentences[tid] = tuple(_sentence_id(i) for i in ids)
    motivations = {
        "commenting": "note",
        "highlighting": "highlight",
        "tagging": "tag",
        "assessing": "relation",
    }
    kind = item.get("sr:kind") or motivations.get(str(item.get("motivation")), "note")
    return AnnotationDraft(
        anchor=anchor,
        kind=_str(kind, "sr:kind"),
        note=note,
        highlight=_str(highlight, "styleClass") if highlight is not None else None,
        tags=tuple(tags),
        compared=tuple(compared),
        compared_sentences=compared_sentences,
        uuid=uuid,
        created=_label(item["created"], "created") if "created" in item else None,
        updated=_label(item["modified"], "modified") if "modified" in item else None,
    )


# --------------------------------------------------------------------------- gathering and writing
@dataclass(frozen=True)
class ExportFilter:
    """Which annotations to export (the CLI's and the export dialog's filters)."""

    documents: tuple[str, ...] = ()
    """Document ids (empty: all)."""
    tags: tuple[str, ...] = ()
    """Keep annotations with any of these tags, case-insensitively (empty: all)."""
    kind: str | None = None
    since: str | None = None
    """ISO date or date-time: created or updated at or after it."""
    text: str | None = None


def select(store: Store, where: ExportFilter) -> list[Annotation]:
    """The live annotations matching ``where``, in document order."""
    found = store.annotations(kind=where.kind, since=where.since, text=where.text)
    if where.documents:
        wanted_docs = set(where.documents)
        found = [a for a in found if a.document_id in wanted_docs]
    if where.tags:
        wanted = {t.strip().lstrip("#").casefold() for t in where.tags}
        found = [a for a in found if wanted.intersection(t.casefold() for t in a.tags)]
    return found


def load_beads(store: Store, document: Document, translation: Translation) -> list[Bead]:
    """The alignment of a document with a translation: the cached one, with the user's corrections."""
    from sourcereader.core.alignment.document import document_alignment

    return list(document_alignment(store, document, translation).beads)


def export_texts(
    store: Store,
    library: Library,
    annotations: Sequence[Annotation],
    kinds: Sequence[str] = ("human", "machine"),
) -> dict[str, ExportText]:
    """The documents the annotations are on, with the translations to quote (``kinds``, plus any a
    relation note compares or an annotation sits on) and their alignments."""
    texts: dict[str, ExportText] = {}
    needed: dict[str, set[str]] = {}
    for a in annotations:
        extra = needed.setdefault(a.document_id, set())
        extra.update(a.compared)
        if a.translation_id:
            extra.add(a.translation_id)
    for document_id, extra in needed.items():
        if document_id not in library:
            continue
        entry = library.entry(document_id)
        chosen = [t for t in entry.translations if t.meta.kind in kinds or t.id in extra]
        beads = {t.id: load_beads(store, entry.document, t) for t in chosen}
        texts[document_id] = ExportText(entry.document, tuple(chosen), beads)
    return texts


@dataclass(frozen=True)
class Exported:
    """An export, ready to write."""

    text: str
    count: int
    """How many annotations it holds."""


def export_annotations(
    store: Store, library: Library, where: ExportFilter, options: ExportOptions, fmt: str
) -> Exported:
    """The export workflow, for the command line and the export dialog alike: settle the annotations
    of the documents asked for on their current texts, pick those ``where`` matches, gather their
    documents, translations and alignments, and render them in ``fmt`` (``markdown`` or ``w3c``)."""
    from sourcereader.core.annotations import reanchor_annotated

    reanchor_annotated(store, library, where.documents or None)
    annotations = select(store, where)
    texts = export_texts(store, library, annotations, options.translations)
    return Exported(render(annotations, texts, options, fmt), len(annotations))


def render(
    annotations: Sequence[Annotation], texts: Mapping[str, ExportText], options: ExportOptions, fmt: str
) -> str:
    """The export as text, in ``fmt`` (``markdown`` or ``w3c``)."""
    from sourcereader.core.sanitize import for_terminal, json_safe

    if fmt == "w3c":
        import json

        return json_safe(json.dumps(export_w3c(annotations), ensure_ascii=False, indent=2)) + "\n"
    # Control characters have no business in Markdown, and an ESC in a note must not drive the
    # terminal of whoever runs `cat` on the export: they become visible \xNN escapes.
    return for_terminal(export_markdown(annotations, texts, options))
