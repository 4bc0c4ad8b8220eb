"""Keeping what the user wrote when the database will not take it.

A note is typed in the reader, and the save fails: the database was moved or deleted while the app
ran, the disk is full, the directory became read-only. The note must not be lost with the dialog.
:func:`keep_unsaved` writes the drafts as W3C Web Annotations (the export's own format) to a file
of their own, so that ``sourcereader import-annotations FILE`` adds them once the database is back.
Nothing here touches Textual.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType

from sourcereader.core.annotations import Annotation, AnnotationDraft

RECOVERY_FOLDER = "unsaved"
"""The folder (in the data directory, else the cache directory, else the system's temporary one)."""


def _as_annotation(draft: AnnotationDraft, stamp: str) -> Annotation:
    """The draft as an annotation the W3C writer takes (a new uuid: importing it adds it)."""
    return Annotation(
        0, str(uuid.uuid4()), draft.kind, draft.anchor, draft.note, draft.highlight, tuple(draft.tags),
        tuple(draft.compared), MappingProxyType(dict(draft.compared_sentences)), stamp, stamp, None,
        "anchored", "created", draft.anchor.exact,
    )  # fmt: skip


def recovery_folders() -> list[Path]:
    """Where an unsaved draft may go, best first (each is tried until one can be written)."""
    from sourcereader import locations

    folders: list[Path] = []
    for where in (locations.data_dir, locations.cache_dir):
        try:
            folders.append(where() / RECOVERY_FOLDER)
        except OSError:
            continue
    folders.append(Path(tempfile.gettempdir()) / f"sourcereader-{RECOVERY_FOLDER}")
    return folders


def keep_unsaved(drafts: Sequence[AnnotationDraft], reason: str) -> Path:
    """Write ``drafts`` to a new W3C JSON-LD file and return its path; OSError when no folder takes it."""
    from sourcereader.core.export import export_w3c
    from sourcereader.core.files import write_atomic

    now = dt.datetime.now(dt.UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    collection = export_w3c(
        [_as_annotation(d, stamp) for d in drafts], label=f"unsaved sourcereader annotations ({reason})"
    )
    text = json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    name = f"annotations-{now.strftime('%Y%m%dT%H%M%S%f')}.json"
    error: OSError | None = None
    for folder in recovery_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            write_atomic(path, text, overwrite=False)
        except OSError as exc:
            error = exc
            continue
        return path
    assert error is not None
    raise error
