"""Annotation tables and queries.

The tables are plain so that ``sqlite-utils`` and Datasette can browse them::

    annotations                  one row per annotation (soft-deleted rows included)
        id              INTEGER  primary key; the number the user types
        uuid            TEXT     global identity (W3C export/import); unique
        document_id     TEXT     the document annotated
        translation_id  TEXT     NULL, or the translation whose sentences are annotated
        kind            TEXT     note | highlight | tag | relation
        note            TEXT     Markdown body, or NULL
        highlight       TEXT     colour/style name, or NULL
        created, updated TEXT    ISO 8601 UTC
        deleted_at      TEXT     NULL, or when it was put in the bin (``notes restore`` undoes it)
        status          TEXT     anchored | orphan
        anchor_method   TEXT     created | imported | manual, or how it was last re-anchored:
                                 unchanged | sentence | position | quote | fuzzy | orphan
        anchor_version  TEXT     Text.version the anchor fields below were computed on
        checked_version TEXT     Text.version the anchor was last checked against
        sentence_ids    TEXT     JSON array, e.g. ["s3", "s4"]
        span_start, span_end INTEGER  offsets inside the first sentence for a span; NULL for whole sentences
        quote_exact, quote_prefix, quote_suffix TEXT   W3C TextQuoteSelector
        position_start, position_end INTEGER           W3C TextPositionSelector (offsets in the body)
        original_quote  TEXT     the quote when the annotation was made
        tag_list        TEXT     the tags' display forms in order, joined by U+001F ('' for none): a
                                 copy of ``annotation_tags`` written in the same transaction, so a
                                 listing reads tags without a subquery per row
        compared_list   TEXT     NULL, or a JSON array of ``[translation_id, sentence_ids]``: the
                                 same kind of copy of ``annotation_compared``
    annotation_tags              (annotation_id, tag) primary key; what tag filters search
        tag             TEXT     case-folded key
        tag_display     TEXT     as first typed anywhere in the database
        position        INTEGER  order given by the user
    annotation_compared          the translations a relation note compares
        annotation_id, translation_id, position, sentence_ids (JSON array or NULL: the bead's
        translation sentences when the note was made)

Every user action is one ``BEGIN IMMEDIATE`` transaction, committed with ``synchronous=FULL`` (the
rest of the store runs with NORMAL for its caches): an annotation whose save returned survives a
crash, a kill or a power cut. Nothing is hard-deleted except by :meth:`purge_deleted`.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sourcereader.core.annotations import (
    Anchor,
    Annotation,
    AnnotationDraft,
    AnnotationError,
    check_draft,
    check_highlight,
    normalise_note,
    normalise_tag,
    normalise_tags,
)
from sourcereader.core.slot_builder import builder
from sourcereader.core.store.anchored_rows import (
    anchor_values,
    insert,
    new_row_values,
    now,
    reattach,
    save_reanchored,
    set_deleted,
    user_action,
)
from sourcereader.core.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database


@MIGRATIONS(name="0004_annotations")
def _annotations(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            document_id TEXT NOT NULL,
            translation_id TEXT,
            kind TEXT NOT NULL,
            note TEXT,
            highlight TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted_at TEXT,
            status TEXT NOT NULL DEFAULT 'anchored',
            anchor_method TEXT NOT NULL,
            anchor_version TEXT NOT NULL,
            checked_version TEXT NOT NULL,
            sentence_ids TEXT NOT NULL,
            span_start INTEGER,
            span_end INTEGER,
            quote_exact TEXT NOT NULL,
            quote_prefix TEXT NOT NULL,
            quote_suffix TEXT NOT NULL,
            position_start INTEGER NOT NULL,
            position_end INTEGER NOT NULL,
            original_quote TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE annotation_tags (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            tag_display TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (annotation_id, tag)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE annotation_compared (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            translation_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            sentence_ids TEXT,
            PRIMARY KEY (annotation_id, translation_id)
        )
        """
    )
    db.execute("CREATE INDEX annotations_document ON annotations(document_id, position_start)")
    db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag)")
    # Lets a listing read each annotation's tags in order without a sort per row.
    db.execute("CREATE INDEX annotation_tags_order ON annotation_tags(annotation_id, position)")
    db.execute("CREATE INDEX annotation_compared_order ON annotation_compared(annotation_id, position)")


@MIGRATIONS(name="0009_annotation_lists")
def _annotation_lists(db: Database) -> None:
    # Listing 10,000 annotations spent a fifth of its time in two correlated subqueries per row.
    db.execute("ALTER TABLE annotations ADD COLUMN tag_list TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE annotations ADD COLUMN compared_list TEXT")
    db.execute(
        "UPDATE annotations SET tag_list = coalesce((SELECT group_concat(tag_display, char(31)) FROM "
        "(SELECT tag_display FROM annotation_tags t WHERE t.annotation_id = annotations.id "
        "ORDER BY position)), '')"
    )
    db.execute(
        "UPDATE annotations SET compared_list = (SELECT json_group_array(json_array(translation_id, "
        "json(sentence_ids))) FROM (SELECT translation_id, sentence_ids FROM annotation_compared c "
        "WHERE c.annotation_id = annotations.id ORDER BY position)) "
        "WHERE id IN (SELECT annotation_id FROM annotation_compared)"
    )


@MIGRATIONS(name="0013_annotation_listing")
def _annotation_listing(db: Database) -> None:
    # The annotations list reads the ids of 100,000 annotations in document order, then only the page
    # on screen: this index gives that order (NULL translation ids, the source's, sort first, as in
    # Python) and holds every column the filters test, so the ids come from the index alone.
    db.execute(
        "CREATE INDEX annotations_listing ON annotations"
        "(document_id, translation_id, position_start, id, deleted_at, status, kind)"
    )


_COLUMNS = (
    "a.id, a.uuid, a.document_id, a.translation_id, a.kind, a.note, a.highlight, a.created, "
    # Columns usually equal to another one come back NULL then, and the row builder shares the
    # other's string: decoding a quote twice was a tenth of a long listing's time.
    "CASE WHEN a.updated = a.created THEN NULL ELSE a.updated END, "
    "a.deleted_at, a.status, a.anchor_method, a.anchor_version, "
    "CASE WHEN a.checked_version = a.anchor_version THEN NULL ELSE a.checked_version END, "
    "a.sentence_ids, a.span_start, a.span_end, a.quote_exact, a.quote_prefix, a.quote_suffix, "
    "a.position_start, a.position_end, "
    "CASE WHEN a.original_quote = a.quote_exact THEN NULL ELSE a.original_quote END, "
    "a.tag_list, a.compared_list"
)


def _document_order(a: Annotation) -> tuple[str, bool, str, int, int]:
    # Sorted in Python: an ORDER BY over 10,000 wide rows makes SQLite copy them all into a sorter.
    return (
        a.anchor.document_id,
        a.anchor.translation_id is not None,
        a.anchor.translation_id or "",
        a.anchor.start,
        a.id,
    )


def _strings(text: str | None) -> tuple[str, ...]:
    """A JSON array of strings, read fast in the common case (listing 10,000 rows calls this 20,000
    times; ``json.loads`` alone would be a third of the time)."""
    if not text or text == "[]":
        return ()
    if "\\" not in text and text.startswith('["') and text.endswith('"]'):
        inner = text[2:-2]
        parts = inner.split('", "') if '", "' in inner else inner.split('","')
        if inner.count('"') == 2 * (len(parts) - 1):  # no quote inside a value
            return tuple(parts)
    return tuple(json.loads(text))


_NO_SENTENCES: Mapping[str, tuple[str, ...]] = MappingProxyType({})

_LISTING_ORDER = "ORDER BY a.document_id, a.translation_id, a.position_start, a.id"
"""Document order in SQL, the same as :func:`_document_order`: SQLite sorts NULL (the source's
annotations) before any translation id, and compares text by code point, as Python does."""


def text_matches(needle: str, note: str | None, exact: str, tags: Sequence[str]) -> bool:
    """Whether an annotation's note, quote or one of its tags contains ``needle`` (already case-folded).

    Python's ``casefold``, not SQLite's ``LIKE``: that folds ASCII only, and Russian notes need more.
    """
    return (
        needle in (note or "").casefold()
        or needle in exact.casefold()
        or any(needle in tag.casefold() for tag in tags)
    )


def _sql_text_matches(needle: str, note: str | None, exact: str, tag_list: str) -> bool:
    return text_matches(needle, note, exact, tag_list.split("\x1f") if tag_list else ())


@dataclass(frozen=True)
class AnnotationListing:
    """The ids of the annotations a filter finds, in document order, anchored ones and orphans apart.

    What a long list holds: a list shows a page at a time, read with
    :meth:`AnnotationMixin.annotations_by_id`, so 100,000 annotations cost two tuples of ints.
    """

    anchored: tuple[int, ...]
    """Annotations found on their text."""
    orphans: tuple[int, ...]
    """Annotations whose text could not be found after it changed."""


_build_anchor = builder(Anchor)
_build_annotation = builder(Annotation)


def _from_row(row: Sequence[Any]) -> Annotation:
    # Positional arguments, in field order: this runs 10,000 times for a long listing (one unpacking
    # rather than 25 subscripts). The columns are those of _COLUMNS, in order.
    (
        id_,
        uuid,
        document_id,
        translation_id,
        kind,
        note,
        highlight,
        created,
        updated,
        deleted_at,
        status,
        method,
        version,
        checked_version,
        sentence_ids,
        span_start,
        span_end,
        exact,
        prefix,
        suffix,
        start,
        end,
        original_quote,
        tag_list,
        compared_list,
    ) = row
    anchor = _build_anchor(
        document_id,
        _strings(sentence_ids),
        exact,
        prefix,
        suffix,
        start,
        end,
        version,
        translation_id,
        None if span_start is None else (span_start, span_end),
    )
    compared: tuple[str, ...] = ()
    compared_sentences = _NO_SENTENCES
    if compared_list is not None:
        compared_rows: list[list[Any]] = json.loads(compared_list)
        compared = tuple(str(c[0]) for c in compared_rows)
        compared_sentences = {str(c[0]): tuple(c[1]) for c in compared_rows if c[1]}
    return _build_annotation(
        id_,
        uuid,
        kind,
        anchor,
        note,
        highlight,
        tuple(tag_list.split("\x1f")) if tag_list else (),
        compared,
        compared_sentences,
        created,
        created if updated is None else updated,  # NULL: same as created
        deleted_at,
        status,
        method,
        exact if original_quote is None else original_quote,  # NULL: same as exact
        version if checked_version is None else checked_version,  # NULL: same as version
    )


def _compared_list(draft: AnnotationDraft) -> str | None:
    """The ``compared_list`` column: ``[[translation_id, sentence ids or null], …]`` or NULL."""
    if not draft.compared:
        return None
    sentences = draft.compared_sentences
    pairs = [[tid, list(sentences[tid]) if tid in sentences else None] for tid in draft.compared]
    return json.dumps(pairs, ensure_ascii=False)


def _json_or_none(ids: Sequence[str] | None) -> str | None:
    return None if ids is None else json.dumps(list(ids))


def _anchor_values(anchor: Anchor) -> dict[str, Any]:
    # An annotation may sit on a translation's sentences: the one anchor column claims do not have.
    return {**anchor_values(anchor), "translation_id": anchor.translation_id}


def _filters(
    *,
    document_id: str | None = None,
    tag: str | None = None,
    kind: str | None = None,
    orphans: bool | None = None,
    include_deleted: bool = False,
    since: str | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (never empty) and its parameters for the filters of a listing."""
    clauses: list[str] = ["1"]
    params: list[Any] = []
    if not include_deleted:
        clauses.append("a.deleted_at IS NULL")
    if document_id is not None:
        clauses.append("a.document_id = ?")
        params.append(document_id)
    if kind is not None:
        clauses.append("a.kind = ?")
        params.append(kind)
    if orphans is not None:
        clauses.append("a.status = ?")
        params.append("orphan" if orphans else "anchored")
    if since is not None:
        clauses.append("(a.created >= ? OR a.updated >= ?)")
        params.extend([since, since])
    if tag is not None:
        key, _ = normalise_tag(tag)
        clauses.append("a.id IN (SELECT annotation_id FROM annotation_tags WHERE tag = ?)")
        params.append(key)
    return f"WHERE {' AND '.join(clauses)}", params


class AnnotationMixin:
    """Annotations: one transaction per user action, soft delete with restore, dataclasses out."""

    conn: sqlite3.Connection

    # ----------------------------------------------------------------- transactions
    @contextmanager
    def _action(self) -> Iterator[sqlite3.Connection]:
        """One user action, durable: a saved annotation survives a power cut (see ``user_action``)."""
        with user_action(self.conn, "an annotation action") as conn:
            yield conn

    def _select(self, where: str = "", params: Sequence[Any] = ()) -> list[Annotation]:
        sql = f"SELECT {_COLUMNS} FROM annotations a {where}"
        # Fetching and building 10,000 rows triggers full garbage collections that find nothing
        # (rows and records hold no cycles); pausing the collector saves a third of the time.
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            # Straight from the cursor: each row tuple is released as soon as it is read.
            found = list(map(_from_row, self.conn.execute(sql, list(params))))
        finally:
            if paused:
                gc.enable()
        found.sort(key=_document_order)
        return found

    # ----------------------------------------------------------------- writing
    def add_annotation(self, draft: AnnotationDraft) -> Annotation:
        """Save a new annotation (one durable transaction) and return it."""
        draft = check_draft(draft)
        with self._action() as conn:
            annotation_id = self._insert(conn, draft, now())
        return self.annotation(annotation_id)

    def add_annotations(self, drafts: Sequence[AnnotationDraft]) -> list[int]:
        """Save many annotations in one transaction (an import is one action): all or none.

        Returns the new ids, in order.
        """
        checked = [check_draft(d) for d in drafts]
        stamp = now()
        with self._action() as conn:
            return [self._insert(conn, d, stamp) for d in checked]

    def _insert(self, conn: sqlite3.Connection, draft: AnnotationDraft, stamp: str) -> int:
        values = new_row_values(draft.anchor, draft.uuid, draft.created, draft.updated, stamp)
        values.update(
            translation_id=draft.anchor.translation_id,
            kind=draft.kind,
            note=draft.note,
            highlight=draft.highlight,
            deleted_at=None,
            compared_list=_compared_list(draft),
        )
        try:
            annotation_id = insert(conn, "annotations", values)
        except sqlite3.IntegrityError:
            raise AnnotationError(f"an annotation with uuid {draft.uuid} already exists") from None
        self._write_tags(conn, annotation_id, draft.tags)
        conn.executemany(
            "INSERT INTO annotation_compared (annotation_id, translation_id, position, sentence_ids) "
            "VALUES (?, ?, ?, ?)",
            [
                (annotation_id, tid, n, _json_or_none(draft.compared_sentences.get(tid)))
                for n, tid in enumerate(draft.compared)
            ],
        )
        return annotation_id

    def _write_tags(self, conn: sqlite3.Connection, annotation_id: int, tags: Sequence[str]) -> None:
        conn.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [annotation_id])
        shown = []
        for n, (key, display) in enumerate(normalise_tags(tags)):
            # A tag keeps the form it was first typed in, whatever the case typed later.
            row = conn.execute(
                "SELECT tag_display FROM annotation_tags WHERE tag = ? ORDER BY rowid LIMIT 1", [key]
            ).fetchone()
            shown.append(row[0] if row else display)
            conn.execute(
                "INSERT INTO annotation_tags (annotation_id, tag, tag_display, position) VALUES (?, ?, ?, ?)",
                [annotation_id, key, shown[-1], n],
            )
        conn.execute("UPDATE annotations SET tag_list = ? WHERE id = ?", ["\x1f".join(shown), annotation_id])

    def update_annotation(
        self,
        annotation_id: int,
        *,
        note: str | None = None,
        tags: Sequence[str] | None = None,
        highlight: str | None = None,
    ) -> Annotation:
        """Change the note, the tags or the highlight (None: leave as is; ``""`` clears a note or colour)."""
        current = self.annotation(annotation_id, include_deleted=True)
        changes: dict[str, Any] = {}
        if note is not None:
            changes["note"] = normalise_note(note)
        if highlight is not None:
            changes["highlight"] = check_highlight(highlight)
        if tags is not None:
            for tag in tags:
                normalise_tag(tag)
        kind = current.kind
        if kind == "note" and "note" in changes and changes["note"] is None:
            raise AnnotationError("a note needs some text (delete the annotation instead)")
        if kind == "highlight" and "highlight" in changes and changes["highlight"] is None:
            raise AnnotationError("a highlight needs a colour (delete the annotation instead)")
        if kind == "tag" and tags is not None and not list(tags):
            raise AnnotationError("a tag annotation needs at least one tag (delete it instead)")
        with self._action() as conn:
            sets = ", ".join(f"{k} = :{k}" for k in changes)
            changes.update(id=annotation_id, updated=now())
            conn.execute(
                f"UPDATE annotations SET {sets + ', ' if sets else ''}updated = :updated WHERE id = :id",
                changes,
            )
            if tags is not None:
                self._write_tags(conn, annotation_id, tags)
        return self.annotation(annotation_id, include_deleted=True)

    def delete_annotation(self, annotation_id: int) -> Annotation:
        """Put an annotation in the bin (soft delete; :meth:`restore_annotation` undoes it)."""
        self.annotation(annotation_id)
        with self._action() as conn:
            set_deleted(conn, "annotations", annotation_id, deleted=True)
        return self.annotation(annotation_id, include_deleted=True)

    def restore_annotation(self, annotation_id: int) -> Annotation:
        """Take an annotation out of the bin."""
        current = self.annotation(annotation_id, include_deleted=True)
        if not current.is_deleted:
            raise AnnotationError(f"annotation {annotation_id} is not deleted")
        with self._action() as conn:
            set_deleted(conn, "annotations", annotation_id, deleted=False)
        return self.annotation(annotation_id)

    def purge_deleted(self, *, before: str | None = None) -> int:
        """Hard-delete annotations in the bin (deleted before ``before``, if given); how many went."""
        with self._action() as conn:
            where, params = "deleted_at IS NOT NULL", []
            if before is not None:
                where += " AND deleted_at < ?"
                params.append(before)
            cursor = conn.execute(f"DELETE FROM annotations WHERE {where}", params)
            return cursor.rowcount

    def reattach_annotation(self, annotation_id: int, anchor: Anchor) -> Annotation:
        """Put an annotation (an orphan, usually) on a new anchor chosen by the user."""
        current = self.annotation(annotation_id, include_deleted=True)
        if anchor.document_id != current.document_id:
            raise AnnotationError(
                f"annotation {annotation_id} belongs to {current.document_id}, not {anchor.document_id}"
            )
        with self._action() as conn:
            reattach(conn, "annotations", annotation_id, _anchor_values(anchor))
        return self.annotation(annotation_id)

    def save_reanchored(self, results: Sequence[tuple[Annotation, Anchor | None, str, str]]) -> int:
        """Write re-anchoring results ``(annotation, new anchor or None, method, checked version)``.

        One transaction. A row whose anchor changed since it was read (another process re-attached
        it, say) is left alone. Only anchor columns are written: a note edited meanwhile is kept.
        Returns how many rows were written.
        """
        written = 0
        with self._action() as conn:
            for old, new, method, checked in results:
                fields = None if new is None else _anchor_values(new)
                written += save_reanchored(conn, "annotations", old.id, old.anchor, fields, method, checked)
        return written

    # ----------------------------------------------------------------- reading
    def annotation(self, annotation_id: int, *, include_deleted: bool = False) -> Annotation:
        """One annotation; AnnotationError if there is none (or it is deleted, unless asked)."""
        found = self._select("WHERE a.id = ?", [annotation_id])
        if not found:
            raise AnnotationError(f"no annotation with id {annotation_id}; `sourcereader notes` lists them")
        if found[0].is_deleted and not include_deleted:
            raise AnnotationError(
                f"annotation {annotation_id} is deleted; "
                f"`sourcereader notes restore {annotation_id}` brings it back"
            )
        return found[0]

    def annotations(
        self,
        *,
        document_id: str | None = None,
        tag: str | None = None,
        kind: str | None = None,
        text: str | None = None,
        orphans: bool | None = None,
        include_deleted: bool = False,
        since: str | None = None,
    ) -> list[Annotation]:
        """Annotations in document order, filtered.

        ``tag`` matches case-insensitively; ``text`` searches notes, quotes and tags
        (case-insensitive, any script); ``orphans`` True gives only orphans, False only anchored
        ones, None both; ``since`` keeps those created or updated at or after that ISO date/time.
        """
        where, params = _filters(
            document_id=document_id,
            tag=tag,
            kind=kind,
            orphans=orphans,
            include_deleted=include_deleted,
            since=since,
        )
        found = self._select(where, params)
        if text:
            needle = text.casefold()
            found = [a for a in found if text_matches(needle, a.note, a.anchor.exact, a.tags)]
        return found

    def annotation_listing(
        self,
        *,
        document_id: str | None = None,
        tag: str | None = None,
        kind: str | None = None,
        text: str | None = None,
    ) -> AnnotationListing:
        """The ids of the live annotations :meth:`annotations` would return for these filters, in the
        same order, orphans apart: one query over an index, whatever the number of annotations."""
        where, params = _filters(document_id=document_id, tag=tag, kind=kind)
        if text:
            self.conn.create_function("sr_text_matches", 4, _sql_text_matches, deterministic=True)
            where += " AND sr_text_matches(?, a.note, a.quote_exact, a.tag_list)"
            params.append(text.casefold())
        anchored: list[int] = []
        orphaned: list[int] = []
        for annotation_id, orphan in self.conn.execute(
            f"SELECT a.id, a.status = 'orphan' FROM annotations a {where} {_LISTING_ORDER}", params
        ):
            (orphaned if orphan else anchored).append(annotation_id)
        return AnnotationListing(tuple(anchored), tuple(orphaned))

    def annotations_by_id(self, ids: Sequence[int]) -> list[Annotation]:
        """The annotations with these ids, in the order given (deleted ones included; ids that are not
        in the database, purged since they were listed, are left out)."""
        found: dict[int, Annotation] = {}
        # In chunks: SQLite limits the number of parameters of one statement.
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            found.update((a.id, a) for a in self._select(f"WHERE a.id IN ({marks})", chunk))
        return [found[i] for i in ids if i in found]

    def annotated_documents(self) -> list[str]:
        """The ids of the documents with live annotations, sorted."""
        rows = self.conn.execute(
            "SELECT DISTINCT document_id FROM annotations WHERE deleted_at IS NULL ORDER BY document_id"
        )
        return [r[0] for r in rows]

    def tags(self) -> list[str]:
        """Every tag in use on a live annotation, display form, sorted case-insensitively."""
        # Each distinct tag (from its index) with the display form of its first live annotation: the
        # search stops at the first one found. Joining every tag row to its annotation took 0.4 s for
        # 100,000 annotations, and the annotation dialog and list ask for the tags each time they open.
        # Every row of a tag has the same display form (see _write_tags).
        rows = self.conn.execute(
            "SELECT d.tag, (SELECT t.tag_display FROM annotation_tags t "
            "JOIN annotations a ON a.id = t.annotation_id "
            "WHERE t.tag = d.tag AND a.deleted_at IS NULL LIMIT 1) AS shown "
            "FROM (SELECT DISTINCT tag FROM annotation_tags) d WHERE shown IS NOT NULL ORDER BY d.tag"
        ).fetchall()
        return [r[1] for r in rows]

    def annotation_by_uuid(self, uuid: str) -> Annotation | None:
        """The annotation with this global id (deleted ones included), or None."""
        found = self._select("WHERE a.uuid = ?", [uuid])
        return found[0] if found else None

    def annotation_counts(self) -> Mapping[str, int]:
        """Live annotations per document id."""
        rows = self.conn.execute(
            "SELECT document_id, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY document_id"
        ).fetchall()
        return {r[0]: int(r[1]) for r in rows}
