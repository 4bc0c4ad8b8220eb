"""Messages of the app: what workers post to the screens, and what screens post up to the app.

Past tense for events (``AlignmentsLoaded``, ``AnnotationsChanged``: each says what happened),
imperative for requests (``OpenDocument``: what a screen asks the app to do). Messages that only
one widget or screen posts are nested in its class (``ParallelText.CursorMoved``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from sourcereader.core.alignment.beads import Bead

if TYPE_CHECKING:
    from sourcereader.core.annotations import Annotation
    from sourcereader.core.claims import Claim, EvidenceLink
    from sourcereader.core.documents import Library
    from sourcereader.core.store import Store
    from sourcereader.core.translation.machine import StoredMachineSentence


@dataclass
class AlignmentsLoaded(Message):
    """The alignments of the shown translations are ready."""

    document_id: str
    alignments: Mapping[str, list[Bead]]
    """Beads by translation id."""


@dataclass
class MachineTranslationLoaded(Message):
    """Cached machine translations were read (at start, or after a finished batch)."""

    document_id: str
    target: str
    rows: Mapping[str, StoredMachineSentence]


@dataclass
class TranslationProgressed(Message):
    """A machine translation run advanced."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        # Only the latest progress matters when several queue up.
        return isinstance(message, TranslationProgressed)


@dataclass
class TranslationFinished(Message):
    """A machine translation run ended: completed, cancelled or failed (``error`` says why)."""

    document_id: str
    translated: int
    cancelled: bool = False
    error: str = ""
    missing_model: str = ""
    """The no-model guidance, when the language pair has no model installed."""


@dataclass
class SearchIndexRefreshed(Message):
    """The library-wide search index is up to date."""

    reindexed: int


@dataclass
class AnnotationsLoaded(Message):
    """A document's live annotations were read (after re-anchoring them, the first time)."""

    document_id: str
    annotations: tuple[Annotation, ...]
    reanchored: str = ""
    """A summary when re-anchoring moved or orphaned annotations (the text changed), else empty."""


@dataclass
class AnnotationWritten(Message):
    """An annotation was saved, edited, deleted or restored."""

    document_id: str
    message: str
    """What happened, for the notification."""
    undo: AnnotationUndo | None = None
    """How to take it back (None when this write was itself an undo)."""


@dataclass(frozen=True)
class AnnotationUndo:
    """A store operation that takes an annotation change back, and what to call it."""

    description: str
    revert: Callable[[Store], object] = field(compare=False)


@dataclass
class ExcerptReady(Message):
    """A row was rendered as a Markdown excerpt, ready for the clipboard."""

    markdown: str
    where: str
    """Which sentences (``s18``, ``s18–s19``)."""


@dataclass
class ClaimsLoaded(Message):
    """A document's claims and the evidence links on it were read (the reader marks their rows)."""

    document_id: str
    claims: tuple[Claim, ...]
    evidence: tuple[EvidenceLink, ...]


@dataclass
class ClaimWritten(Message):
    """A claim was marked or a passage linked to one (or the write failed: ``message`` says so)."""

    document_id: str
    message: str
    """What happened, for the notification."""
    saved: bool = True


# ---------------------------------------------------------------------------- screens → app
@dataclass
class OpenDocument(Message):
    """Open a document in the reader (replacing an open one), optionally at a sentence."""

    document_id: str
    start_at: tuple[str, str] | None = None
    """``(text_id, sentence_id)`` to put the cursor on once the rows are final: ``SOURCE_TEXT``
    or a translation id, and a sentence id of that text."""


@dataclass
class OpenWitnesses(Message):
    """Show the document side by side with another record of its event."""

    document_id: str
    start_at: str | None = None
    """A sentence of the document to open at (the reader's current passage), or None for the start."""


@dataclass
class OpenVersions(Message):
    """Show a secondary source side by side with another version of it, word changes marked."""

    document_id: str
    other_id: str | None = None
    """The version to compare with (None: the only other one, else the user picks)."""
    start_at: str | None = None
    """A sentence id of ``document_id`` to put the cursor on."""


@dataclass
class ShowLibrary(Message):
    """Go back to the library (the bottom screen)."""


@dataclass
class LibraryFilesChanged(Message):
    """Files of the user's library were added, replaced or removed (another process imported one)."""


@dataclass
class LibraryReloaded(Message):
    """The library was read again from its files (posted by the worker that read it)."""

    library: Library


@dataclass
class AnnotationsChanged(Message):
    """Annotations of a document were added, edited, deleted or restored (the counts are redrawn)."""

    document_id: str
