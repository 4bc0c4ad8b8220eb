"""Importing a text file into the user library, as a document or as a translation of one.

One workflow for ``sourcereader import``: the file's own ``+++`` header (if any) is the start, what
the user asked for (:class:`ImportRequest`) overrides its fields, defaults fill the rest; the header
is validated, the text parsed, and the file written atomically into the user library. Nothing is
written when anything is wrong. The command line only parses arguments and prints.

Problems with the file are :class:`DocumentError`; a field nobody gave is :class:`MissingField`;
an id already taken is :class:`AlreadyInLibrary`; a translation in its document's own language is
:class:`SameLanguage` unless forced (the caller words them: it knows its option names).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sourcereader.core.documents import (
    DocumentError,
    Sentence,
    document_meta,
    format_header,
    parse_document,
    segment_body,
    split_header,
    translation_meta,
    write_text_file,
)

if TYPE_CHECKING:
    from sourcereader.core.documents import Library, SegmentationCache

#: The licence of a text whose licence nobody gave.
UNKNOWN_LICENCE = "unknown: the user's own copy"


class MissingField(ValueError):
    """A header field the file does not have and the user did not give (``language``, ``title``)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the file has no header naming its {name}")
        self.name = name


class SameLanguage(ValueError):
    """A translation said to be in the language of the document it translates (usually a wrong
    ``--lang``); imported only when the user insists (``force``)."""

    def __init__(self, document_id: str, language: str) -> None:
        super().__init__(f"the translation is in {language!r}, the language of {document_id!r} itself")
        self.document_id = document_id
        self.language = language


class AlreadyInLibrary(ValueError):
    """The id is taken (and replacing was not asked for)."""

    def __init__(self, document_id: str, translation_id: str | None = None, *, bundled: bool = False) -> None:
        what = f"translation {translation_id!r} of {document_id!r}" if translation_id else repr(document_id)
        super().__init__(f"{what} is already in the library")
        self.document_id = document_id
        self.translation_id = translation_id
        self.bundled = bundled
        """For a document: True when the one there is bundled with sourcereader."""


@dataclass(frozen=True)
class ImportRequest:
    """What the user asked for; a field left None keeps the file's header value (or the default)."""

    language: str | None = None
    title: str | None = None
    id: str | None = None
    date: str | None = None
    kind: str | None = None
    status: str | None = None
    original_publication: str | None = None
    archival_reference: str | None = None
    copy_source: str | None = None
    """Where this copy came from (default: the file name and today's date)."""
    license: str | None = None
    notes: str | None = None
    event: str | None = None
    participants: tuple[str, ...] = ()
    translation_of: str | None = None
    """Import as a translation of this document."""
    translator: str | None = None
    engine: str | None = None
    covers: str | None = None
    author: str | None = None
    """A secondary source's author(s); with ``url``, ``revision``, ``retrieved`` and ``work`` below."""
    url: str | None = None
    revision: str | None = None
    retrieved: str | None = None
    work: str | None = None
    """The work a secondary source is a version of: versions of one work are grouped."""
    replace: bool = False
    """Replace a document or translation with the same id (a bundled document is replaced for this user)."""
    force: bool = False
    """Import a translation in the language of the document it translates (refused otherwise)."""


@dataclass(frozen=True)
class Imported:
    """What an import wrote."""

    kind: Literal["document", "translation"]
    id: str
    """The document's id, or the translation's."""
    document_id: str
    """The document (for a translation: the one it translates)."""
    path: Path
    """The file written in the user library."""
    sentences: int
    gaps: int = 0
    warnings: tuple[str, ...] = ()
    """What was odd but imported as asked (a translation in its document's own language)."""


def file_name(path: Path) -> str:
    """``path``'s name as text that can be stored and printed: bytes that are not UTF-8 (which the
    file system allows and Python keeps as lone surrogates) become visible ``\\xNN`` escapes."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def slugify(title: str) -> str:
    """An id from a title: ASCII-folded, lowercase, dashes; Cyrillic is transliterated."""
    from sourcereader.core.alignment.features import transliterate

    text = transliterate(title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "document"


def import_text(
    text: str,
    path: Path,
    request: ImportRequest,
    *,
    library: Library,
    root: Path,
    cache: SegmentationCache | None = None,
    today: str | None = None,
) -> Imported:
    """Import ``text`` (read from ``path``) into the user library at ``root`` as ``request`` says.

    Raises DocumentError (a bad header, an empty text, an unknown document to translate),
    MissingField or AlreadyInLibrary; nothing is written then.
    """
    header, body = split_header(text, str(path))
    if not body.strip():
        raise DocumentError(f"{path}: the file has no text")
    fields = dict(header or {})
    today = today or dt.date.today().isoformat()

    def put(name: str, value: object) -> None:
        if value is not None and value != () and value != []:
            fields[name] = list(value) if isinstance(value, tuple) else value

    put("language", request.language)
    put("notes", request.notes)
    put("license", request.license)
    if request.translation_of is not None:
        return _import_translation(fields, body, path, request, library, root, today)

    for name in ("title", "date", "kind", "status", "original_publication", "archival_reference"):
        put(name, getattr(request, name))
    put("copy_source", request.copy_source)
    put("event", request.event)
    put("participants", request.participants)
    for name in ("author", "url", "revision", "retrieved", "work"):
        put(name, getattr(request, name))
    if fields.get("kind") == "secondary":
        # A secondary source's header names these; what the user does not know is left empty,
        # which the library shows as "not recorded".
        for name in ("url", "revision", "retrieved"):
            fields.setdefault(name, "")
    for name in ("language", "title"):
        if name not in fields:
            raise MissingField(name)
    fields["id"] = request.id or fields.get("id") or slugify(str(fields["title"]))
    fields.setdefault("date", "undated")
    fields.setdefault("kind", "document")
    fields.setdefault("status", "complete")
    fields.setdefault("original_publication", "")
    fields.setdefault("archival_reference", "")
    fields.setdefault("copy_source", f"imported from {file_name(path)} on {today}")
    fields.setdefault("license", UNKNOWN_LICENCE)
    fields.setdefault("notes", "")
    meta = document_meta(fields, str(path))
    if meta.id in library and not request.replace:
        raise AlreadyInLibrary(meta.id, bundled=library.document(meta.id).origin == "bundled")
    # Parsed before writing: a text that cannot be read as a document is refused, not stored.
    document = parse_document(
        format_header(meta.to_header()) + body, name=str(path), origin="user", cache=cache
    )
    target = root / "sources" / f"{meta.id}.txt"
    write_text_file(target, meta.to_header(), body)
    return Imported("document", meta.id, meta.id, target, len(document.sentences), len(document.gaps))


def _import_translation(
    fields: dict[str, object],
    body: str,
    path: Path,
    request: ImportRequest,
    library: Library,
    root: Path,
    today: str,
) -> Imported:
    assert request.translation_of is not None
    try:
        document = library.document(request.translation_of)
    except KeyError as exc:
        raise DocumentError(exc.args[0]) from None
    for name in ("id", "translator", "engine", "covers", "title"):
        value = getattr(request, name)
        if value is not None:
            fields[name] = value
    fields.setdefault("kind", "machine" if request.engine and not request.translator else "human")
    who = str(fields.get("translator") or fields.get("engine") or "translation")
    fields.setdefault("id", f"{fields.get('language', 'xx')}-{slugify(who)}")
    fields.setdefault("source", request.copy_source or f"imported from {file_name(path)} on {today}")
    fields.setdefault("license", UNKNOWN_LICENCE)
    fields.setdefault("covers", "the whole document")
    if "language" not in fields:
        raise MissingField("language")
    meta = translation_meta(fields, document.id, str(path))
    warnings: tuple[str, ...] = ()
    if meta.language == document.language:
        if not request.force:
            raise SameLanguage(document.id, meta.language)
        warnings = (f"translation {meta.id} is in {meta.language!r}, the language of {document.id} itself",)
    existing = {t.id for t in library.entry(document.id).translations}
    if meta.id in existing and not request.replace:
        raise AlreadyInLibrary(document.id, meta.id)
    target = root / "translations" / document.id / f"{meta.id}.txt"
    write_text_file(target, meta.to_header(), body)
    sentences = sum(isinstance(e, Sentence) for e in segment_body(body, meta.language))
    return Imported("translation", meta.id, document.id, target, sentences, warnings=warnings)
