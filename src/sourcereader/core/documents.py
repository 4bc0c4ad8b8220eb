"""Documents, translations and the library they live in.

File format (documented in the README): one UTF-8 file, a TOML header between two lines
holding ``+++``, then the text::

    +++
    id = "1940-11-12-soviet-record-hitler-molotov"
    title = "..."
    language = "ru"
    ...
    +++

    First paragraph. Its sentences.

    [[GAP — what is missing and why]]

    Next paragraph.

Blank lines separate paragraphs; a single newline inside a paragraph is plain whitespace
(hard-wrapped text reads as it should). ``[[GAP …]]``, ``[[TRUNCATED …]]``,
``[[OMITTED …]]`` and ``[[FRAGMENT …]]`` markers become :class:`Gap` elements carrying
their explanation; they are never sentences, and they keep their place in the text.

A translation lives in ``translations/<document-id>/`` and has the same shape with its
own header fields (see :data:`TRANSLATION_FIELDS`).
"""

from __future__ import annotations

import bisect
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Literal, NamedTuple, Protocol, TypeVar

from sourcereader.core import files, segmenting
from sourcereader.core.choices import UnknownLanguage, check_language
from sourcereader.core.errors import DocumentError as DocumentError  # re-exported: raised here
from sourcereader.core.hashing import body_sha256
from sourcereader.core.hashing import sentence_hash as sentence_hash  # re-exported: Sentence.hash
from sourcereader.core.sanitize import CONTROL_RE, one_line

FENCE = "+++"
_T = TypeVar("_T")

#: Header fields every document must have (``archival_reference`` and ``notes`` may be empty).
DOCUMENT_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "language",
    "date",
    "kind",
    "status",
    "original_publication",
    "archival_reference",
    "copy_source",
    "license",
    "notes",
)
#: Fields that may be empty strings.
MAY_BE_EMPTY: frozenset[str] = frozenset({"archival_reference", "notes", "original_publication"})
#: Optional document fields.
DOCUMENT_OPTIONAL: tuple[str, ...] = ("event", "participants")

#: The ``kind`` of a secondary source (an article, an answer, a book excerpt: what is said *about*
#: the primary record). Its header has the fields below as well.
SECONDARY_KIND = "secondary"
#: Header fields every secondary source must have (``url``, ``revision`` and ``retrieved`` may be
#: empty: a stored copy often does not record them, and nothing is invented in their place).
SECONDARY_FIELDS: tuple[str, ...] = ("author", "url", "revision", "retrieved")
#: Optional secondary-source fields: ``work`` groups versions of one source (default: the id),
#: ``form`` says what it is (article, answer, book excerpt), ``site`` where it was published.
SECONDARY_OPTIONAL: tuple[str, ...] = ("work", "form", "site")

#: Header fields every translation must have. ``translator`` (human) or ``engine`` (machine)
#: must also be present.
TRANSLATION_FIELDS: tuple[str, ...] = ("id", "language", "kind", "source", "license", "covers")
TRANSLATION_OPTIONAL: tuple[str, ...] = ("translator", "engine", "title", "notes", "model", "date")

STATUSES = ("complete", "partial")
TRANSLATION_KINDS = ("human", "machine")
GAP_KINDS = ("gap", "truncated", "omitted", "fragment")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_DATE_RE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?(/[0-9-]{1,10})?|undated)$")
# What a gap marker is (found by _markers() and _inside_marker(): this regex, searched from every
# "[[" of a marker that never closes, scans to the end of the text each time: quadratic).
_MARKER_RE = re.compile(r"\[\[\s*(GAP|TRUNCATED|OMITTED|FRAGMENT)\b(.*?)\]\]", re.DOTALL)
_MARKER_HEAD_RE = re.compile(r"\[\[\s*(GAP|TRUNCATED|OMITTED|FRAGMENT)\b")
_PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v]*\n")


# --------------------------------------------------------------------------- elements
@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document or translation."""

    id: str
    """Stable, human-typable id: ``s1``, ``s2``, … in text order."""
    index: int
    """0-based position among the text's sentences."""
    start: int
    """Offset of the first character in the text body."""
    end: int
    """Offset just past the last character in the text body."""
    paragraph: int
    """0-based paragraph number (blank lines and gap markers separate paragraphs)."""
    text: str
    """The sentence exactly as it stands in the body."""

    @property
    def hash(self) -> str:
        """A content hash (whitespace-normalised) used by caches and anchors."""
        return sentence_hash(self.text)


@dataclass(frozen=True, slots=True)
class Gap:
    """A visible hole in the text: a gap, a truncation, an omission, or a fragment heading."""

    id: str
    """``g1``, ``g2``, … in text order."""
    kind: str
    """One of :data:`GAP_KINDS`."""
    explanation: str
    """What the marker says about the hole (may be empty)."""
    start: int
    end: int
    paragraph: int
    after_sentence: int
    """Number of sentences before this gap (so a gap sits between sentence ``after_sentence - 1``
    and ``after_sentence``)."""


Element = Sentence | Gap


def id_range(ids: Sequence[str]) -> str:
    """How a run of sentences is named: ``s3``, or ``s3–s5`` (empty for no sentence)."""
    if len(ids) <= 1:
        return "".join(ids)
    return f"{ids[0]}–{ids[-1]}"


# --------------------------------------------------------------------------- metadata
@dataclass(frozen=True)
class SecondaryMeta:
    """What a secondary source's header adds: who wrote it, where, which version, when retrieved."""

    author: str
    url: str
    """May be empty (not recorded)."""
    revision: str
    """The version or revision id (may be empty, or say that it was not recorded)."""
    retrieved: str
    """When the copy was retrieved (may be empty, or say that it was not recorded)."""
    work: str = ""
    """Versions of one source share this key; empty: the document is its own work."""
    form: str = ""
    """article, answer, book excerpt, …"""
    site: str = ""
    """Where it was published (Wikipedia, History Stack Exchange, a publisher…)."""


@dataclass(frozen=True)
class DocumentMeta:
    """A document's header."""

    id: str
    title: str
    language: str
    date: str
    kind: str
    status: str
    original_publication: str
    archival_reference: str
    copy_source: str
    license: str
    notes: str
    event: str = ""
    """Documents sharing an event are witnesses of it."""
    participants: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)
    """Header fields we do not interpret, kept so that writing the header back loses nothing."""
    secondary: SecondaryMeta | None = None
    """For a secondary source (``kind = "secondary"``): its fields, read from the header (they stay
    in ``extra`` too, so the header is written back as it was)."""

    @property
    def work(self) -> str:
        """The key grouping versions of one secondary source (the id for any other document)."""
        return (self.secondary.work if self.secondary is not None else "") or self.id

    def to_header(self) -> dict[str, object]:
        """The header as a mapping, in a stable field order."""
        out: dict[str, object] = {name: getattr(self, name) for name in DOCUMENT_FIELDS}
        if self.event:
            out["event"] = self.event
        if self.participants:
            out["participants"] = list(self.participants)
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class TranslationMeta:
    """A translation's header."""

    id: str
    document: str
    """The id of the document translated (the folder name under ``translations/``)."""
    language: str
    kind: str
    source: str
    license: str
    covers: str
    translator: str = ""
    engine: str = ""
    title: str = ""
    notes: str = ""
    model: str = ""
    date: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """What the translation is, for a column heading: translator or engine + model."""
        if self.kind == "machine":
            who = " ".join(x for x in (self.engine or "machine translation", self.model) if x)
            return f"MT: {who}"
        return self.translator or "human translation"

    def to_header(self) -> dict[str, object]:
        """The header as a mapping (``document`` is implied by the folder and not written)."""
        out: dict[str, object] = {name: getattr(self, name) for name in TRANSLATION_FIELDS}
        for name in TRANSLATION_OPTIONAL:
            value = getattr(self, name)
            if value:
                out[name] = value
        out.update(self.extra)
        return out


# --------------------------------------------------------------------------- texts
@dataclass(frozen=True)
class Text:
    """What documents and translations share: a body and its segmentation.

    The segmentation is made (or read from the cache) the first time it is asked for, so
    listing a library of long documents reads only their headers and cached counts.
    Derived views (sentences, gaps, version, paragraph breaks, ids) are computed once.
    """

    body: str
    language: str
    preset_elements: tuple[Element, ...] | None
    """Elements given at construction; None means: segment ``body`` on first use."""
    path: Path | None
    origin: Literal["bundled", "user", "memory"]
    cache: SegmentationCache | None = field(default=None, kw_only=True, compare=False, repr=False)

    # Derived views are functools.cached_property: it stores into the instance's __dict__ without
    # __setattr__, so it works on this frozen dataclass (which has no __slots__).
    @cached_property
    def elements(self) -> tuple[Element, ...]:
        """Sentences and gaps, in text order."""
        if self.preset_elements is not None:
            return self.preset_elements
        return segment_body(self.body, self.language, self.cache, sha256=self.sha256)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences, in order."""
        return tuple(e for e in self.elements if isinstance(e, Sentence))

    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        """The gap elements, in order."""
        return tuple(e for e in self.elements if isinstance(e, Gap))

    @property
    def counts(self) -> tuple[int, int]:
        """(sentences, gaps), from the segmentation cache when the text has not been segmented yet."""
        if "elements" not in self.__dict__ and self.preset_elements is None and self.cache is not None:
            counts = self.cache.get_segmentation_counts(
                segmentation_key(self.body, self.language, self.sha256)
            )
            if counts is not None:
                return counts
        return len(self.sentences), len(self.gaps)

    @property
    def version(self) -> str:
        """The text's version: the first 16 hex digits of :attr:`sha256`, stored with every anchor
        computed on it (an annotation's ``anchor_version``); changes whenever the text changes."""
        return self.sha256[:16]

    @cached_property
    def sha256(self) -> str:
        """``hashing.body_sha256`` of the body, computed once (the version and the segmentation
        cache key use it)."""
        return body_sha256(self.body)

    def paragraph_breaks(self) -> frozenset[int]:
        """Sentence indices ``i > 0`` that begin a new paragraph (or follow a gap)."""
        return self._paragraph_breaks

    @cached_property
    def _paragraph_breaks(self) -> frozenset[int]:
        breaks: set[int] = set()
        previous: Sentence | None = None
        gap_since = False
        for element in self.elements:
            if isinstance(element, Gap):
                gap_since = True
                continue
            if previous is not None and (gap_since or element.paragraph != previous.paragraph):
                breaks.add(element.index)
            previous = element
            gap_since = False
        return frozenset(breaks)

    @cached_property
    def sentences_by_id(self) -> Mapping[str, Sentence]:
        """The sentences by id (built once)."""
        return {s.id: s for s in self.sentences}

    @cached_property
    def gaps_before(self) -> Mapping[int, tuple[Gap, ...]]:
        """Gaps by the index of the sentence they precede (built once)."""
        found: dict[int, list[Gap]] = {}
        for gap in self.gaps:
            found.setdefault(gap.after_sentence, []).append(gap)
        return {k: tuple(v) for k, v in found.items()}

    def sentence(self, sentence_id: str) -> Sentence:
        """The sentence with this id, or KeyError."""
        return self.sentences_by_id[sentence_id]


@dataclass(frozen=True)
class Document(Text):
    """A primary source in the library."""

    meta: DocumentMeta = field(kw_only=True)

    @property
    def id(self) -> str:
        """The document id."""
        return self.meta.id


@dataclass(frozen=True)
class Translation(Text):
    """A translation of (part of) a document."""

    meta: TranslationMeta = field(kw_only=True)

    @property
    def id(self) -> str:
        """The translation id (unique within its document)."""
        return self.meta.id


# --------------------------------------------------------------------------- segmentation
class SegmentationCache(Protocol):
    """Where segmentations are kept between runs (the store implements it)."""

    def get_segmentation(self, key: str) -> list[list[object]] | None:
        """The cached element rows for ``key``, or None."""

    def put_segmentation(self, key: str, rows: list[list[object]]) -> None:
        """Remember the element rows for ``key``."""

    def get_segmentation_counts(self, key: str) -> tuple[int, int] | None:
        """(sentences, gaps) of the cached segmentation for ``key``, or None."""


def segmentation_key(body: str, language: str, sha256: str | None = None) -> str:
    """The segmentation cache's key (not a hash of its own): segmenter version, language and the
    body's ``body_sha256`` (passed when already known)."""
    return f"{segmenting.SEGMENTER_VERSION}:{language}:{sha256 or body_sha256(body)}"


def segment_body(
    body: str, language: str, cache: SegmentationCache | None = None, *, sha256: str | None = None
) -> tuple[Element, ...]:
    """Split a body into sentences and gaps (cached when a cache is given).

    Concatenating the elements with the whitespace between them gives back ``body``.
    """
    key = segmentation_key(body, language, sha256)
    rows = cache.get_segmentation(key) if cache is not None else None
    if rows is None:
        rows = _segment_rows(body, language)
        if cache is not None:
            cache.put_segmentation(key, rows)
    return _elements_from_rows(body, rows)


def _segment_rows(body: str, language: str) -> list[list[object]]:
    """Element rows: ``["s", start, end, paragraph]`` for a sentence,
    ``["g", start, end, paragraph, KIND, explanation]`` for a gap."""
    rows: list[list[object]] = []
    paragraph = 0
    for p_start, p_end in _paragraph_spans(body):
        chunk = body[p_start:p_end]
        pos = 0
        in_paragraph = False
        for marker in _markers(chunk):
            if chunk[pos : marker.start].strip():
                for s, e in segmenting.split(chunk[pos : marker.start], language):
                    rows.append(["s", p_start + pos + s, p_start + pos + e, paragraph])
                in_paragraph = True
            if in_paragraph:
                paragraph += 1
            explanation = marker.inner.strip().lstrip("—–-:").strip()
            rows.append(
                ["g", p_start + marker.start, p_start + marker.end, paragraph, marker.kind, explanation]
            )
            paragraph += 1
            in_paragraph = False
            pos = marker.end
        if chunk[pos:].strip():
            for s, e in segmenting.split(chunk[pos:], language):
                rows.append(["s", p_start + pos + s, p_start + pos + e, paragraph])
            in_paragraph = True
        if in_paragraph:
            paragraph += 1
    return rows


class _Marker(NamedTuple):
    """A gap marker found in a text: what ``_MARKER_RE`` matches, and its two groups."""

    start: int
    end: int
    kind: str
    inner: str


def _markers(text: str) -> Iterator[_Marker]:
    """The gap markers of ``text``, as ``_MARKER_RE.finditer`` finds them, in linear time.

    A marker is a head ("[[GAP") and everything up to the first "]]" after it.  When no "]]"
    follows a head, none follows any later head either: the rest of the text has no marker, and
    an unclosed "[[GAP" stays text.
    """
    pos = 0
    while (head := _MARKER_HEAD_RE.search(text, pos)) is not None:
        close = text.find("]]", head.end())
        if close < 0:
            return
        yield _Marker(head.start(), close + 2, head.group(1), text[head.end() : close])
        pos = close + 2


def _paragraph_spans(body: str) -> Iterator[tuple[int, int]]:
    pos = 0
    # Where "[[" and "]]" occur, found once: looking back from every blank line made a document
    # of 10,000 one-line paragraphs take a second (quadratic) before a sentence was split.
    openings, closings = _occurrences(body, "[["), _occurrences(body, "]]")
    # Whether a marker starts at an opening, remembered: a marker holding many blank lines
    # would otherwise be matched again from its opening for each of them.
    is_marker: dict[int, bool] = {}
    for m in _PARAGRAPH_RE.finditer(body):
        # A marker may itself contain blank lines: never cut inside one.
        if openings and _inside_marker(body, m.start(), openings, closings, is_marker):
            continue
        if body[pos : m.start()].strip():
            yield pos, m.start()
        pos = m.end()
    if body[pos:].strip():
        yield pos, len(body)


def _occurrences(text: str, needle: str) -> list[int]:
    """Every offset where ``needle`` starts, overlapping ones included, in order."""
    found = []
    i = text.find(needle)
    while i >= 0:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _inside_marker(
    body: str, offset: int, openings: list[int], closings: list[int], is_marker: dict[int, bool]
) -> bool:
    """Whether ``offset`` lies inside a gap marker: the last "[[" wholly before it opens a
    marker whose first "]]" comes after it.

    ``is_marker`` remembers, for each opening looked at, whether a marker starts there.
    """
    n = bisect.bisect_right(openings, offset - 2)
    if n == 0:
        return False
    opening = openings[n - 1]
    k = bisect.bisect_left(closings, opening)
    if k == len(closings) or closings[k] <= offset:
        return False
    if opening not in is_marker:
        # A head, and a "]]" after it (where _MARKER_RE's lazy ".*?" would stop).
        head = _MARKER_HEAD_RE.match(body, opening)
        is_marker[opening] = head is not None and bisect.bisect_left(closings, head.end()) < len(closings)
    return is_marker[opening]


def _elements_from_rows(body: str, rows: Sequence[Sequence[object]]) -> tuple[Element, ...]:
    elements: list[Element] = []
    n_sent = 0
    n_gap = 0
    for row in rows:
        start, end, paragraph = int(str(row[1])), int(str(row[2])), int(str(row[3]))
        if row[0] == "s":
            n_sent += 1
            elements.append(Sentence(f"s{n_sent}", n_sent - 1, start, end, paragraph, body[start:end]))
        else:
            n_gap += 1
            elements.append(Gap(f"g{n_gap}", str(row[4]).lower(), str(row[5]), start, end, paragraph, n_sent))
    return tuple(elements)


# --------------------------------------------------------------------------- reading files
# Re-exported: they live in files.py, light enough for commands that only read a text.
read_text_file = files.read_text_file
decode_text = files.decode_text


_FENCE_LINE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)


def split_header(text: str, name: str) -> tuple[dict[str, object] | None, str]:
    """Split ``text`` into its TOML header (None if there is none) and body."""
    # By offsets: the body is the one copy made (a text of 50 MB was copied four times over).
    newline = text.find("\n")
    first = text if newline < 0 else text[:newline]
    if first.strip() != FENCE:
        return None, text
    end = _FENCE_LINE.search(text, newline + 1)
    if end is None:
        raise DocumentError(f"{name}: header opened with +++ but never closed with a +++ line")
    try:
        header = tomllib.loads(text[newline + 1 : end.start()])
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError(f"{name}: malformed TOML header: {exc}") from None
    except RecursionError:
        raise DocumentError(f"{name}: malformed TOML header: values nested too deeply") from None
    start = end.end()
    while start < len(text) and text[start] == "\n":
        start += 1
    return header, text[start:]


def format_header(header: Mapping[str, object]) -> str:
    """The header block for ``header`` (fences included), ready to prepend to a body."""
    import tomli_w

    return f"{FENCE}\n{tomli_w.dumps(dict(header))}{FENCE}\n\n"


def write_text_file(path: Path, header: Mapping[str, object], body: str) -> None:
    """Write a header and body atomically (temporary file + rename): never a partial file."""
    from sourcereader.core.files import write_atomic

    content = format_header(header) + body.lstrip("\n")
    write_atomic(path, content if content.endswith("\n") else content + "\n")


def _string(header: Mapping[str, object], name: str, where: str, *, required: bool) -> str:
    value = header.get(name, None)
    if value is None:
        if required:
            raise DocumentError(f"{where}: header is missing the required field '{name}'")
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise DocumentError(f"{where}: header field '{name}' must be a string")
    return value


def calendar_date(value: str) -> bool:
    """Whether a date of the header's form (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, each optionally with
    the last day of a range after ``/`` — ``1940-11-25/26``) names real days, the range in order."""
    if value == "undated":
        return True
    first, _, last = value.partition("/")
    start = first.split("-")
    if not all(part.isdigit() for part in start):
        return False
    end = last.split("-") if last else []
    if len(end) > len(start) or not all(part.isdigit() for part in end):
        return False
    filled = start[: len(start) - len(end)] + end  # "1940-11-25/26" ends on 1940-11-26
    try:
        begins = _day(start)
        return _day(filled) >= begins
    except ValueError:
        return False


def _day(parts: list[str]) -> date:
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    return date(numbers[0], numbers[1], numbers[2])


SENTENCE_ID_RE = re.compile(r"s[1-9][0-9]{0,9}")
"""A sentence id: ``s`` and its number in the text (``s1``, ``s2``, …)."""


def is_valid_id(value: str) -> bool:
    """Whether ``value`` is a valid document or translation id (see :func:`validate_id`)."""
    return bool(_ID_RE.match(value)) and ".." not in value and "\n" not in value


def validate_id(value: str, where: str, what: str = "id") -> str:
    """Ids are short, lowercase, and safe as file names (no ``/``, no ``..``)."""
    if not is_valid_id(value):
        raise DocumentError(
            f"{where}: invalid {what} {value!r}: use lowercase letters, digits, '-', '_' or '.', "
            "starting with a letter or digit (at most 100 characters)"
        )
    return value


def validate_language(value: str, where: str) -> str:
    """Languages are ISO 639-1 codes the segmenter knows (:func:`choices.check_language`)."""
    try:
        return check_language(value)
    except UnknownLanguage as exc:
        raise DocumentError(f"{where}: {exc}") from None


def document_meta(header: Mapping[str, object], where: str) -> DocumentMeta:
    """Validate a document header."""
    values = {
        name: _string(header, name, where, required=True).strip()
        if name not in ("notes", "title")
        else _string(header, name, where, required=True)
        for name in DOCUMENT_FIELDS
    }
    for name in DOCUMENT_FIELDS:
        if name not in MAY_BE_EMPTY and not values[name].strip():
            raise DocumentError(f"{where}: header field '{name}' is empty")
    validate_id(values["id"], where)
    validate_language(values["language"], where)
    if values["status"] not in STATUSES:
        raise DocumentError(f"{where}: status must be 'complete' or 'partial', not {values['status']!r}")
    if not _DATE_RE.match(values["date"]):
        raise DocumentError(
            f"{where}: date {values['date']!r} is not YYYY, YYYY-MM, YYYY-MM-DD (optionally /DD) or 'undated'"
        )
    if not calendar_date(values["date"]):
        raise DocumentError(f"{where}: date {values['date']!r} is not a day of the calendar")
    for key in header:
        if CONTROL_RE.search(key) or not key.strip():
            raise DocumentError(f"{where}: header key {one_line(repr(key))} is not a printable name")
    participants = header.get("participants", [])
    if isinstance(participants, str):
        participants = [participants]
    if not isinstance(participants, list) or not all(isinstance(p, str) for p in participants):
        raise DocumentError(f"{where}: 'participants' must be a list of names")
    event = _string(header, "event", where, required=False).strip()
    extra = {k: v for k, v in header.items() if k not in DOCUMENT_FIELDS and k not in DOCUMENT_OPTIONAL}
    secondary = secondary_meta(header, where) if values["kind"] == SECONDARY_KIND else None
    return DocumentMeta(
        **values, event=event, participants=tuple(participants), extra=extra, secondary=secondary
    )


def secondary_meta(header: Mapping[str, object], where: str) -> SecondaryMeta:
    """Validate the fields of a secondary source's header (see :data:`SECONDARY_FIELDS`)."""
    values = {name: _string(header, name, where, required=True).strip() for name in SECONDARY_FIELDS}
    optional = {name: _string(header, name, where, required=False).strip() for name in SECONDARY_OPTIONAL}
    if not values["author"]:
        raise DocumentError(f"{where}: header field 'author' is empty (a secondary source names its author)")
    url = values["url"]
    if url and not re.match(r"^https?://\S+$", url):
        raise DocumentError(f"{where}: url {url!r} is not an http(s) address (leave it empty if unknown)")
    return SecondaryMeta(**values, **optional)


def translation_meta(header: Mapping[str, object], document_id: str, where: str) -> TranslationMeta:
    """Validate a translation header."""
    values = {name: _string(header, name, where, required=True).strip() for name in TRANSLATION_FIELDS}
    optional = {name: _string(header, name, where, required=False).strip() for name in TRANSLATION_OPTIONAL}
    for name in ("id", "language", "kind", "source", "license"):
        if not values[name]:
            raise DocumentError(f"{where}: header field '{name}' is empty")
    validate_id(values["id"], where, "translation id")
    validate_language(values["language"], where)
    if values["kind"] not in TRANSLATION_KINDS:
        raise DocumentError(f"{where}: kind must be 'human' or 'machine', not {values['kind']!r}")
    if values["kind"] == "human" and not optional["translator"]:
        raise DocumentError(f"{where}: a human translation needs a 'translator' field")
    if values["kind"] == "machine" and not optional["engine"]:
        raise DocumentError(f"{where}: a machine translation needs an 'engine' field")
    known = set(TRANSLATION_FIELDS) | set(TRANSLATION_OPTIONAL) | {"document"}
    extra = {k: v for k, v in header.items() if k not in known}
    return TranslationMeta(**values, **optional, document=document_id, extra=extra)


def parse_document(
    text: str,
    *,
    name: str,
    path: Path | None = None,
    origin: Literal["bundled", "user", "memory"] = "memory",
    cache: SegmentationCache | None = None,
) -> Document:
    """Parse a document file's text (header + body)."""
    header, body = split_header(text, name)
    if header is None:
        raise DocumentError(f"{name}: no header (a document starts with a +++ line; see README)")
    meta = document_meta(header, name)
    if not body or body.isspace():
        raise DocumentError(f"{name}: the document has no text")
    return Document(body, meta.language, None, path, origin, meta=meta, cache=cache)


def parse_translation(
    text: str,
    *,
    document_id: str,
    name: str,
    path: Path | None = None,
    origin: Literal["bundled", "user", "memory"] = "memory",
    cache: SegmentationCache | None = None,
) -> Translation:
    """Parse a translation file's text (header + body)."""
    header, body = split_header(text, name)
    if header is None:
        raise DocumentError(f"{name}: no header (a translation starts with a +++ line; see README)")
    meta = translation_meta(header, document_id, name)
    if not body or body.isspace():
        raise DocumentError(f"{name}: the translation has no text")
    return Translation(body, meta.language, None, path, origin, meta=meta, cache=cache)


# --------------------------------------------------------------------------- the library
TEXT_SUFFIXES = (".txt", ".md", ".markdown")


@dataclass(frozen=True)
class LibraryEntry:
    """A document found in the library, with its translations."""

    document: Document
    translations: tuple[Translation, ...]
    replaces_bundled: bool = False
    """True when a user document replaces a bundled one with the same id."""


class Library:
    """The bundled library and the user's, listed together; user documents win by id.

    Files are read when the library is created; problems with single files (a user's
    hand-edited header, say) are collected in :attr:`problems` instead of failing the
    whole library.
    """

    def __init__(
        self, roots: Sequence[tuple[Path, Literal["bundled", "user"]]], cache: SegmentationCache | None = None
    ):
        self.roots = tuple(roots)
        self.cache = cache
        self.problems: list[str] = []
        self._entries: dict[str, LibraryEntry] = {}
        documents: dict[str, Document] = {}
        replaced: set[str] = set()
        for root, origin in self.roots:
            for document in self._load_documents(root, origin):
                if document.id in documents:
                    replaced.add(document.id)
                documents[document.id] = document
        translations: dict[str, dict[str, Translation]] = {doc_id: {} for doc_id in documents}
        for root, origin in self.roots:
            folder = root / "translations"
            if not folder.is_dir():
                continue
            for doc_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
                if doc_dir.name not in documents:
                    self.problems.append(
                        f"{doc_dir}: translations of an unknown document {doc_dir.name!r}; ignored"
                    )
                    continue
                # A user's translation with the id of a bundled one replaces it.
                for translation in self._load_translations(root, doc_dir.name, origin):
                    translations[doc_dir.name][translation.id] = translation
        for doc_id, document in documents.items():
            self._entries[doc_id] = LibraryEntry(
                document, tuple(translations[doc_id].values()), doc_id in replaced
            )

    @classmethod
    def default(cls, cache: SegmentationCache | None = None) -> Library:
        """The bundled library plus the user's library in the data directory."""
        from sourcereader import locations

        return cls(
            [(locations.bundled_library_dir(), "bundled"), (locations.user_library_dir(), "user")],
            cache=cache,
        )

    def _load_documents(self, root: Path, origin: Literal["bundled", "user"]) -> list[Document]:
        sources = root / "sources"
        if not sources.is_dir():
            return []
        found: dict[str, Document] = {}
        for path in sorted(_text_files(sources)):
            try:
                document = parse_document(
                    read_text_file(path), name=str(path), path=path, origin=origin, cache=self.cache
                )
            except DocumentError as exc:
                self.problems.append(str(exc))
                continue
            if document.id in found:
                self.problems.append(
                    f"{path}: duplicate document id {document.id!r} (also {found[document.id].path}); ignored"
                )
                continue
            found[document.id] = document
        return list(found.values())

    def _load_translations(
        self, root: Path, document_id: str, origin: Literal["bundled", "user"]
    ) -> tuple[Translation, ...]:
        folder = root / "translations" / document_id
        if not folder.is_dir():
            return ()
        found: dict[str, Translation] = {}
        for path in sorted(_text_files(folder)):
            try:
                translation = parse_translation(
                    read_text_file(path),
                    document_id=document_id,
                    name=str(path),
                    path=path,
                    origin=origin,
                    cache=self.cache,
                )
            except DocumentError as exc:
                self.problems.append(str(exc))
                continue
            if translation.id in found:
                self.problems.append(f"{path}: duplicate translation id {translation.id!r}; ignored")
                continue
            found[translation.id] = translation
        return tuple(found.values())

    def __iter__(self) -> Iterator[LibraryEntry]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.document.meta.date, e.document.id)))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._entries

    def entry(self, document_id: str) -> LibraryEntry:
        """The entry for ``document_id``; KeyError with a helpful message if unknown."""
        try:
            return self._entries[document_id]
        except KeyError:
            raise KeyError(self.unknown_message(document_id)) from None

    def document(self, document_id: str) -> Document:
        """The document with this id."""
        return self.entry(document_id).document

    def translation(self, document_id: str, translation_id: str) -> Translation:
        """One translation of a document."""
        for t in self.entry(document_id).translations:
            if t.id == translation_id:
                return t
        ids = ", ".join(t.id for t in self.entry(document_id).translations) or "none"
        raise KeyError(f"document {document_id!r} has no translation {translation_id!r} (it has: {ids})")

    def witnesses(self, document_id: str) -> tuple[Document, ...]:
        """Other documents recording the same event."""
        event = self.document(document_id).meta.event
        if not event:
            return ()
        return tuple(
            e.document for e in self if e.document.meta.event == event and e.document.id != document_id
        )

    def versions(self, document_id: str) -> tuple[Document, ...]:
        """Other versions of the same secondary source (documents sharing its ``work``), in library order."""
        document = self.document(document_id)
        if document.meta.secondary is None:
            return ()
        work = document.meta.work
        return tuple(
            e.document
            for e in self
            if e.document.meta.secondary is not None
            and e.document.meta.work == work
            and e.document.id != document_id
        )

    def unknown_message(self, document_id: str) -> str:
        """'No document X' with the closest ids as suggestions."""
        import difflib

        close = difflib.get_close_matches(document_id, list(self._entries), n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `sourcereader list` shows the ids"
        return f"no document with id {document_id!r}{hint}"


def _text_files(folder: Path) -> Iterable[Path]:
    return (
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix in TEXT_SUFFIXES and not p.name.startswith(".")
    )


def to_json(document: Document) -> dict[str, object]:
    """A JSON-ready view of a document: metadata and elements."""
    return {
        "meta": document.meta.to_header(),
        "origin": document.origin,
        "version": document.version,
        "elements": [
            {"type": "sentence", "id": e.id, "paragraph": e.paragraph, "text": e.text}
            if isinstance(e, Sentence)
            else {"type": e.kind, "id": e.id, "paragraph": e.paragraph, "explanation": e.explanation}
            for e in document.elements
        ],
    }


def dumps(value: object) -> str:
    """JSON with non-ASCII kept readable and no raw control characters."""
    from sourcereader.core.sanitize import json_safe

    return json_safe(json.dumps(value, ensure_ascii=False, indent=2, default=_json_value))


def _json_value(value: object) -> object:
    """TOML values JSON has no type for (dates and times in extra header fields) as ISO 8601 text."""
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
