"""Claim and evidence-link tables and queries.

Plain tables, browsable with ``sqlite-utils`` and Datasette::

    claims                       one row per claim (rows in the bin included)
        id              INTEGER  primary key; the number the user types
        uuid            TEXT     global identity (W3C export/import); unique
        label           TEXT     the short handle ("fourth Axis power")
        note            TEXT     Markdown, or NULL
        created, updated TEXT    ISO 8601 UTC
        deleted_at      TEXT     NULL, or when it was put in the bin (``claims restore`` undoes it)
        status          TEXT     anchored | orphan
        anchor_method   TEXT     created | imported | manual, or how it was last re-anchored
        anchor_version, checked_version, document_id, sentence_ids, span_start, span_end,
        quote_exact, quote_prefix, quote_suffix, position_start, position_end, original_quote
                                 the anchor, column for column as in ``annotations``
    evidence_links               one row per link from a claim to a passage of a primary document
        id, uuid, claim_id (→ claims.id), stance (supports | contradicts | qualifies | context),
        note, created, updated, deleted_at (``claims unlink`` puts a link in the bin), status,
        anchor_method and the same anchor columns

Every user action is one ``BEGIN IMMEDIATE`` transaction committed with ``synchronous=FULL``, as
for annotations: a claim whose save returned survives a crash. Nothing is hard-deleted except by
:meth:`ClaimsMixin.purge_deleted_claims`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sourcereader.core.annotations import Anchor
from sourcereader.core.claims import (
    STANCES,
    Claim,
    ClaimDraft,
    ClaimError,
    ClaimStatus,
    ClaimSummary,
    EvidenceDraft,
    EvidenceLink,
    check_claim,
    check_evidence,
    check_label,
    check_note,
    check_stance,
)
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

_ANCHOR_COLUMNS_SQL = """
    status TEXT NOT NULL DEFAULT 'anchored',
    anchor_method TEXT NOT NULL,
    anchor_version TEXT NOT NULL,
    checked_version TEXT NOT NULL,
    document_id TEXT NOT NULL,
    sentence_ids TEXT NOT NULL,
    span_start INTEGER,
    span_end INTEGER,
    quote_exact TEXT NOT NULL,
    quote_prefix TEXT NOT NULL,
    quote_suffix TEXT NOT NULL,
    position_start INTEGER NOT NULL,
    position_end INTEGER NOT NULL,
    original_quote TEXT NOT NULL
"""


@MIGRATIONS(name="0010_claims")
def _claims(db: Database) -> None:
    db.execute(
        f"""
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            note TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted_at TEXT,
            {_ANCHOR_COLUMNS_SQL}
        )
        """
    )
    stances = ", ".join(f"'{s}'" for s in STANCES)
    db.execute(
        f"""
        CREATE TABLE evidence_links (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            stance TEXT NOT NULL CHECK (stance IN ({stances})),
            note TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted_at TEXT,
            {_ANCHOR_COLUMNS_SQL}
        )
        """
    )
    db.execute("CREATE INDEX claims_document ON claims(document_id, position_start)")
    # The claims list counts each claim's live links by stance and orphan status: one pass over
    # this index, which holds every column the count reads (no lookup into the table per link).
    db.execute("CREATE INDEX evidence_links_claim ON evidence_links(claim_id, stance, deleted_at, status)")
    db.execute("CREATE INDEX evidence_links_document ON evidence_links(document_id, position_start)")
    # Whether any text changed since claims and links were checked: read from these alone.
    db.execute("CREATE INDEX claims_checked ON claims(document_id, checked_version)")
    db.execute("CREATE INDEX evidence_links_checked ON evidence_links(document_id, checked_version)")


_ANCHOR_SELECT = (
    "document_id, sentence_ids, span_start, span_end, quote_exact, quote_prefix, quote_suffix, "
    "position_start, position_end, anchor_version"
)
_CLAIM_SELECT = (
    f"id, uuid, label, note, created, updated, deleted_at, status, anchor_method, original_quote, "
    f"checked_version, {_ANCHOR_SELECT}"
)
_LINK_SELECT = (
    f"id, uuid, claim_id, stance, note, created, updated, deleted_at, status, anchor_method, "
    f"original_quote, checked_version, {_ANCHOR_SELECT}"
)


def _anchor(row: Sequence[Any]) -> Anchor:
    document_id, ids, span_start, span_end, exact, prefix, suffix, start, end, version = row
    return Anchor(
        document_id=document_id,
        sentence_ids=tuple(json.loads(ids)),
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        version=version,
        span=None if span_start is None else (span_start, span_end),
    )


def _claim(row: Sequence[Any]) -> Claim:
    return Claim(
        id=row[0],
        uuid=row[1],
        label=row[2],
        note=row[3],
        anchor=_anchor(row[11:]),
        created=row[4],
        updated=row[5],
        deleted_at=row[6],
        status=row[7],
        anchor_method=row[8],
        original_quote=row[9],
        checked_version=row[10],
    )


def _link(row: Sequence[Any]) -> EvidenceLink:
    return EvidenceLink(
        id=row[0],
        uuid=row[1],
        claim_id=row[2],
        stance=row[3],
        note=row[4],
        anchor=_anchor(row[12:]),
        created=row[5],
        updated=row[6],
        deleted_at=row[7],
        status=row[8],
        anchor_method=row[9],
        original_quote=row[10],
        checked_version=row[11],
    )


class ClaimsMixin:
    """Claims and evidence links: one durable transaction per user action, a bin, dataclasses out."""

    conn: sqlite3.Connection

    # ----------------------------------------------------------------- transactions
    @contextmanager
    def _claims_action(self) -> Iterator[sqlite3.Connection]:
        """One user action, durable: a saved claim survives a power cut (see ``user_action``)."""
        with user_action(self.conn, "a claims action") as conn:
            yield conn

    # ----------------------------------------------------------------- writing claims
    def add_claim(self, draft: ClaimDraft) -> Claim:
        """Save a new claim and return it."""
        draft = check_claim(draft)
        with self._claims_action() as conn:
            claim_id = self._insert_claim(conn, draft, now())
        return self.claim(claim_id)

    def _insert_claim(self, conn: sqlite3.Connection, draft: ClaimDraft, stamp: str) -> int:
        values = new_row_values(draft.anchor, draft.uuid, draft.created, draft.updated, stamp)
        values.update(label=draft.label, note=draft.note)
        try:
            return insert(conn, "claims", values)
        except sqlite3.IntegrityError:
            raise ClaimError(f"a claim with uuid {draft.uuid} already exists") from None

    def update_claim(self, claim_id: int, *, label: str | None = None, note: str | None = None) -> Claim:
        """Change a claim's label or note (None: leave as is; ``""`` clears the note)."""
        self.claim(claim_id, include_deleted=True)
        changes: dict[str, Any] = {}
        if label is not None:
            changes["label"] = check_label(label)
        if note is not None:
            changes["note"] = check_note(note)
        if not changes:
            raise ClaimError("nothing to change: give a label or a note")
        self._update_row("claims", claim_id, changes)
        return self.claim(claim_id, include_deleted=True)

    def delete_claim(self, claim_id: int) -> Claim:
        """Put a claim (with its links) in the bin; :meth:`restore_claim` undoes it."""
        self.claim(claim_id)
        self._set_bin("claims", claim_id, deleted=True)
        return self.claim(claim_id, include_deleted=True)

    def restore_claim(self, claim_id: int) -> Claim:
        """Take a claim out of the bin."""
        if not self.claim(claim_id, include_deleted=True).is_deleted:
            raise ClaimError(f"claim {claim_id} is not deleted")
        self._set_bin("claims", claim_id, deleted=False)
        return self.claim(claim_id)

    def reattach_claim(self, claim_id: int, anchor: Anchor) -> Claim:
        """Put a claim (an orphan, usually) on an anchor the user chose, in the same document."""
        current = self.claim(claim_id, include_deleted=True)
        self._reattach("claims", f"claim {claim_id}", current, anchor)
        return self.claim(claim_id, include_deleted=True)

    # What the claims and evidence_links tables share: the public methods above and below check
    # what the user asked for, with their own messages, and write through these.
    def _update_row(self, table: str, row_id: int, changes: dict[str, Any]) -> None:
        """Write checked ``changes`` (column: value) to a row, and when it was updated."""
        sets = ", ".join(f"{k} = :{k}" for k in changes)
        with self._claims_action() as conn:
            conn.execute(
                f"UPDATE {table} SET {sets}, updated = :updated WHERE id = :id",
                {**changes, "updated": now(), "id": row_id},
            )

    def _set_bin(self, table: str, row_id: int, *, deleted: bool) -> None:
        with self._claims_action() as conn:
            set_deleted(conn, table, row_id, deleted=deleted)

    def _reattach(self, table: str, what: str, current: Claim | EvidenceLink, anchor: Anchor) -> None:
        """Put ``current`` (``what``, in messages) on ``anchor``, which must be in the same document."""
        if anchor.document_id != current.document_id:
            raise ClaimError(f"{what} is in {current.document_id}, not {anchor.document_id}")
        with self._claims_action() as conn:
            reattach(conn, table, current.id, anchor_values(anchor))

    def purge_deleted_claims(self) -> tuple[int, int]:
        """Empty the bin for good: claims in it (with all their links) and unlinked links.
        Returns (claims, links) removed."""
        with self._claims_action() as conn:
            links = conn.execute(
                "DELETE FROM evidence_links WHERE deleted_at IS NOT NULL "
                "OR claim_id IN (SELECT id FROM claims WHERE deleted_at IS NOT NULL)"
            ).rowcount
            claims = conn.execute("DELETE FROM claims WHERE deleted_at IS NOT NULL").rowcount
        return claims, links

    # ----------------------------------------------------------------- writing links
    def add_evidence(self, draft: EvidenceDraft) -> EvidenceLink:
        """Save a new evidence link for a live claim and return it."""
        draft = check_evidence(draft)
        self.claim(draft.claim_id)
        with self._claims_action() as conn:
            link_id = self._insert_link(conn, draft, now())
        return self.evidence_link(link_id)

    def _insert_link(self, conn: sqlite3.Connection, draft: EvidenceDraft, stamp: str) -> int:
        values = new_row_values(draft.anchor, draft.uuid, draft.created, draft.updated, stamp)
        values.update(claim_id=draft.claim_id, stance=draft.stance, note=draft.note)
        try:
            return insert(conn, "evidence_links", values)
        except sqlite3.IntegrityError:
            raise ClaimError(f"an evidence link with uuid {draft.uuid} already exists") from None

    def update_evidence(
        self, link_id: int, *, stance: str | None = None, note: str | None = None
    ) -> EvidenceLink:
        """Change a link's stance or note (None: leave as is; ``""`` clears the note)."""
        self.evidence_link(link_id, include_deleted=True)
        changes: dict[str, Any] = {}
        if stance is not None:
            changes["stance"] = check_stance(stance)
        if note is not None:
            changes["note"] = check_note(note)
        if not changes:
            raise ClaimError("nothing to change: give a stance or a note")
        self._update_row("evidence_links", link_id, changes)
        return self.evidence_link(link_id, include_deleted=True)

    def unlink_evidence(self, link_id: int) -> EvidenceLink:
        """Put an evidence link in the bin; :meth:`restore_evidence` undoes it."""
        self.evidence_link(link_id)
        self._set_bin("evidence_links", link_id, deleted=True)
        return self.evidence_link(link_id, include_deleted=True)

    def restore_evidence(self, link_id: int) -> EvidenceLink:
        """Take an evidence link out of the bin."""
        if not self.evidence_link(link_id, include_deleted=True).is_deleted:
            raise ClaimError(f"evidence link {link_id} is not unlinked")
        self._set_bin("evidence_links", link_id, deleted=False)
        return self.evidence_link(link_id)

    def reattach_evidence(self, link_id: int, anchor: Anchor) -> EvidenceLink:
        """Put a link's passage (an orphan, usually) on other sentences of the same document."""
        current = self.evidence_link(link_id, include_deleted=True)
        self._reattach("evidence_links", f"evidence link {link_id}", current, anchor)
        return self.evidence_link(link_id, include_deleted=True)

    def add_claims_and_evidence(
        self, claims: Sequence[ClaimDraft], links: Sequence[tuple[str, EvidenceDraft]]
    ) -> tuple[list[int], list[int]]:
        """Save imported claims and links (each link names its claim by uuid: one of ``claims`` or a
        claim already here) in one transaction: all or none. Returns the new ids."""
        checked_claims = [check_claim(c) for c in claims]
        checked_links = [(u, check_evidence(d)) for u, d in links]
        stamp = now()
        with self._claims_action() as conn:
            claim_ids = [self._insert_claim(conn, c, stamp) for c in checked_claims]
            link_ids = []
            for claim_uuid, draft in checked_links:
                row = conn.execute("SELECT id FROM claims WHERE uuid = ?", [claim_uuid]).fetchone()
                if row is None:
                    raise ClaimError(
                        f"evidence link {draft.uuid} names claim {claim_uuid}, which is not here"
                    )
                link_ids.append(self._insert_link(conn, _with_claim(draft, int(row[0])), stamp))
        return claim_ids, link_ids

    def save_reanchored_claims(
        self,
        claims: Sequence[tuple[Claim, Anchor | None, str]],
        links: Sequence[tuple[EvidenceLink, Anchor | None, str]],
        checked: str,
    ) -> int:
        """Write re-anchoring results ``(item, new anchor or None for an orphan, method)`` checked
        against text version ``checked``. One transaction; a row whose anchor changed since it was
        read (another process re-attached it) is left alone, and labels, notes and stances edited
        meanwhile are kept. Returns how many rows were written."""
        written = 0
        with self._claims_action() as conn:
            for table, rows in (("claims", claims), ("evidence_links", links)):
                for old, new, method in rows:
                    fields = None if new is None else anchor_values(new)
                    written += save_reanchored(conn, table, old.id, old.anchor, fields, method, checked)
        return written

    # ----------------------------------------------------------------- reading
    def claim(self, claim_id: int, *, include_deleted: bool = False) -> Claim:
        """One claim; ClaimError if there is none (or it is in the bin, unless asked)."""
        row = self.conn.execute(f"SELECT {_CLAIM_SELECT} FROM claims WHERE id = ?", [claim_id]).fetchone()
        if row is None:
            raise ClaimError(f"no claim with id {claim_id}; `sourcereader claims list` lists them")
        claim = _claim(row)
        if claim.is_deleted and not include_deleted:
            raise ClaimError(
                f"claim {claim_id} is deleted; `sourcereader claims restore {claim_id}` brings it back"
            )
        return claim

    def claim_by_uuid(self, uuid: str) -> Claim | None:
        """The claim with this global id (deleted ones included), or None."""
        row = self.conn.execute(f"SELECT {_CLAIM_SELECT} FROM claims WHERE uuid = ?", [uuid]).fetchone()
        return None if row is None else _claim(row)

    def claims(
        self,
        *,
        document_id: str | None = None,
        ids: Sequence[int] | None = None,
        orphans: bool | None = None,
        include_deleted: bool = False,
    ) -> list[Claim]:
        """Claims in document order (by source, then position), filtered; ``ids`` keeps their order."""
        clauses: list[str] = []
        params: list[Any] = []
        if not include_deleted:
            clauses.append("deleted_at IS NULL")
        if document_id is not None:
            clauses.append("document_id = ?")
            params.append(document_id)
        if orphans is not None:
            clauses.append("status = ?")
            params.append("orphan" if orphans else "anchored")
        if ids is not None:
            clauses.append(f"id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.conn.execute(f"SELECT {_CLAIM_SELECT} FROM claims {where}", params).fetchall()
        found = [_claim(r) for r in rows]
        if ids is not None:
            rank = {claim_id: n for n, claim_id in enumerate(ids)}
            found.sort(key=lambda c: rank[c.id])
        else:
            found.sort(key=lambda c: (c.document_id, c.anchor.start, c.id))
        return found

    def claim_statuses(self) -> dict[int, ClaimStatus]:
        """Every claim's status from its live links, by claim id (claims without links are absent)."""
        rows = self.conn.execute(
            "SELECT claim_id, stance, count(*), sum(status = 'orphan') FROM evidence_links "
            "WHERE deleted_at IS NULL GROUP BY claim_id, stance"
        ).fetchall()
        counts: dict[int, dict[str, int]] = {}
        for claim_id, stance, n, orphans in rows:
            found = counts.setdefault(claim_id, {"orphans": 0})
            found[stance] = n
            found["orphans"] += orphans
        return {claim_id: ClaimStatus(**found) for claim_id, found in counts.items()}

    def claim_summaries(
        self, *, document_id: str | None = None, orphans: bool | None = None, include_deleted: bool = False
    ) -> list[ClaimSummary]:
        """Claims with their status, in document order: the claims list and the link picker.

        ``orphans`` True keeps claims that are orphans or have an orphan link.
        """
        claims = self.claims(document_id=document_id, include_deleted=include_deleted)
        statuses = self.claim_statuses()
        empty = ClaimStatus()
        found = [ClaimSummary(c, statuses.get(c.id, empty)) for c in claims]
        if orphans is not None:
            found = [s for s in found if (s.claim.is_orphan or s.status.orphans > 0) == orphans]
        return found

    def evidence_link(self, link_id: int, *, include_deleted: bool = False) -> EvidenceLink:
        """One evidence link; ClaimError if there is none (or it is in the bin, unless asked)."""
        row = self.conn.execute(
            f"SELECT {_LINK_SELECT} FROM evidence_links WHERE id = ?", [link_id]
        ).fetchone()
        if row is None:
            raise ClaimError(
                f"no evidence link with id {link_id}; `sourcereader claims show CLAIM` lists them"
            )
        link = _link(row)
        if link.is_deleted and not include_deleted:
            raise ClaimError(
                f"evidence link {link_id} is unlinked; "
                f"`sourcereader claims restore-link {link_id}` brings it back"
            )
        return link

    def evidence_by_uuid(self, uuid: str) -> EvidenceLink | None:
        """The evidence link with this global id (unlinked ones included), or None."""
        row = self.conn.execute(
            f"SELECT {_LINK_SELECT} FROM evidence_links WHERE uuid = ?", [uuid]
        ).fetchone()
        return None if row is None else _link(row)

    def evidence(self, claim_id: int, *, include_deleted: bool = False) -> list[EvidenceLink]:
        """A claim's evidence links, in the order they were made."""
        where = "" if include_deleted else " AND deleted_at IS NULL"
        rows = self.conn.execute(
            f"SELECT {_LINK_SELECT} FROM evidence_links WHERE claim_id = ?{where} ORDER BY id", [claim_id]
        ).fetchall()
        return [_link(r) for r in rows]

    def evidence_on(self, document_id: str, *, include_deleted: bool = False) -> list[EvidenceLink]:
        """Evidence links whose passage is in this document, in text order (the reader can mark them)."""
        where = "" if include_deleted else " AND deleted_at IS NULL"
        rows = self.conn.execute(
            f"SELECT {_LINK_SELECT} FROM evidence_links WHERE document_id = ?{where} "
            "ORDER BY position_start, id",
            [document_id],
        ).fetchall()
        return [_link(r) for r in rows]

    def all_evidence(self, claim_ids: Sequence[int] | None = None) -> list[EvidenceLink]:
        """Live evidence links (of these claims, or all), by claim then in the order made."""
        where = "deleted_at IS NULL"
        params: list[Any] = []
        if claim_ids is not None:
            where += f" AND claim_id IN ({', '.join('?' for _ in claim_ids)})"
            params.extend(claim_ids)
        rows = self.conn.execute(
            f"SELECT {_LINK_SELECT} FROM evidence_links WHERE {where} ORDER BY claim_id, id", params
        ).fetchall()
        return [_link(r) for r in rows]

    def claim_anchor_versions(self) -> dict[str, set[str]]:
        """For each document holding claims or evidence (bin included), the text versions they were
        last checked against: one version equal to the document's current one means nothing to do."""
        rows = self.conn.execute(
            "SELECT document_id, checked_version FROM claims GROUP BY 1, 2 "
            "UNION SELECT document_id, checked_version FROM evidence_links GROUP BY 1, 2"
        ).fetchall()
        found: dict[str, set[str]] = {}
        for document_id, version in rows:
            found.setdefault(document_id, set()).add(version)
        return found

    def count_claims(self) -> int:
        """How many live claims there are."""
        return int(self.conn.execute("SELECT count(*) FROM claims WHERE deleted_at IS NULL").fetchone()[0])


def _with_claim(draft: EvidenceDraft, claim_id: int) -> EvidenceDraft:
    return EvidenceDraft(
        claim_id, draft.anchor, draft.stance, draft.note, draft.uuid, draft.created, draft.updated
    )
