"""The one table of key bindings: it feeds every ``BINDINGS``, the help screen and the command palette.

Every binding has an id. Users remap keys by id in ``keys.toml`` in the config directory
(``sourcereader`` shows the path in the help screen)::

    [keys]
    next_low_confidence = "n"
    merge_next = "+,m"

A value is a key or a comma-separated list of keys, in Textual's key names (``ctrl+d``,
``pagedown``, ``question_mark`` or ``?``). Unknown ids are reported, never fatal.

Dialogs' keys are in the table too (``annotation_save = "f5"`` remaps the annotation
dialog's save key); the help screen lists the screens' scopes (:data:`SCOPE_TITLES`), and
each dialog shows its own keys in its footer or help line.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual.binding import Binding

Scope = Literal[
    "app",
    "library",
    "reader",
    "text",
    "witnesses",
    "search",
    "annotate",
    "annotations",
    "export",
    "columns",
    "no_model",
    "help",
    "claims",
    "claim",
    "claim_dialog",
    "link_dialog",
    "claims_export",
    "versions",
    "version_picker",
    "table",
    "annotations_filter",
    "annotations_table",
]

#: What each screen's scope is called on the help screen, in the order shown (dialogs' scopes are
#: not listed there: each dialog shows its keys itself).
SCOPE_TITLES: dict[Scope, str] = {
    "app": "Everywhere",
    "library": "Library",
    "text": "Moving in a text (reader, witnesses, versions)",
    "reader": "Reader",
    "witnesses": "Witnesses",
    "search": "Library search",
    "claims": "Claims",
    "claim": "A claim and its evidence",
    "versions": "Versions of a source side by side",
}


def _b(
    key: str,
    action: str,
    description: str,
    id: str,
    tooltip: str,
    *,
    show: bool = True,
    priority: bool = False,
) -> Binding:
    return Binding(key, action, description, show=show, id=id, tooltip=tooltip, priority=priority)


TABLE: dict[Scope, tuple[Binding, ...]] = {
    "app": (
        _b("question_mark", "help", "Help", "help", "List every key"),
        _b("f", "search_library", "Search", "search_library", "Search every document and translation"),
        _b(
            "C",
            "claims",
            "Claims",
            "claims",
            "Every claim with its status: open one to see its evidence",
            show=False,
        ),
    ),
    "library": (
        _b("enter", "open_document", "Open", "open_document", "Open the highlighted document"),
        _b("slash", "focus_filter", "Filter", "filter", "Type to filter the documents"),
        _b(
            "W",
            "witnesses",
            "Witnesses",
            "library_witnesses",
            "Read the witnesses of this event side by side",
        ),
        # The app's own claims action: the library shows it in its footer.
        _b("C", "app.claims", "Claims", "library_claims", "Every claim with its status"),
        _b(
            "V",
            "versions",
            "Versions",
            "library_versions",
            "Compare this secondary source with another version, side by side",
        ),
        # The app's action: the library screen has no quit of its own (a bare "quit" did nothing).
        _b("q", "app.quit", "Quit", "quit", "Leave sourcereader"),
    ),
    "text": (
        _b("j,down", "cursor_down", "Down", "down", "Next row", show=False),
        _b("k,up", "cursor_up", "Up", "up", "Previous row", show=False),
        _b("g,home", "first", "First", "first", "First row", show=False),
        _b("G,end", "last", "Last", "last", "Last row", show=False),
        _b("pagedown,space", "page_down", "Page down", "page_down", "One screen down", show=False),
        _b("pageup,b", "page_up", "Page up", "page_up", "One screen up", show=False),
        _b("ctrl+d", "half_down", "Half down", "half_down", "Half a screen down", show=False),
        _b("ctrl+u", "half_up", "Half up", "half_up", "Half a screen up", show=False),
    ),
    "reader": (
        _b("escape,q", "back", "Library", "back", "Back to the library"),
        _b("slash", "find", "Find", "find", "Find text in every column of this document"),
        _b("n", "next_hit", "Next hit", "next_hit", "Next match of the search", show=False),
        _b("p", "previous_hit", "Previous hit", "previous_hit", "Previous match of the search", show=False),
        _b(
            "l",
            "next_low",
            "Unsure",
            "next_low_confidence",
            "Next unsure row (marked ?: under 0.70, not verified)",
        ),
        _b(
            "L",
            "previous_low",
            "Prev unsure",
            "previous_low_confidence",
            "Previous unsure row",
            show=False,
        ),
        _b("c", "columns", "Columns", "columns", "Choose, order and hide columns"),
        _b(
            "w",
            "next_translation",
            "Translation",
            "next_translation",
            "Show the next human translation",
            show=False,
        ),
        _b(
            "i",
            "toggle_provenance",
            "Panel",
            "provenance",
            "Show or hide the side panel (annotations and provenance)",
            show=False,
        ),
        _b("t", "translate", "Translate", "translate", "Machine-translate this document"),
        _b(
            "x",
            "cancel_translation",
            "Stop MT",
            "cancel_translation",
            "Stop the machine translation (keeps what is done)",
            show=False,
        ),
        _b(
            "a",
            "annotate",
            "Annotate",
            "annotate",
            "Annotate this row, one of its sentences, or a span of one",
        ),
        _b("N", "annotations", "Notes", "annotations", "Every annotation: filter, jump to one, delete"),
        _b("e", "export", "Export", "export", "Export annotations as Markdown excerpts or W3C JSON-LD"),
        _b(
            "y",
            "copy_excerpt",
            "Copy",
            "copy_excerpt",
            "Copy this row as a citable Markdown excerpt",
            show=False,
        ),
        _b(
            "o",
            "next_annotation",
            "Next note",
            "next_annotation",
            "Select the next annotation of this row (E edits it, d deletes it)",
            show=False,
        ),
        _b(
            "E",
            "edit_annotation",
            "Edit note",
            "edit_annotation",
            "Edit the selected annotation of this row",
            show=False,
        ),
        _b(
            "d",
            "delete_annotation",
            "Delete note",
            "delete_annotation",
            "Delete the selected annotation of this row (u undoes)",
            show=False,
        ),
        _b("m", "merge_next", "Merge", "merge_next", "Merge this row's bead with the next", show=False),
        _b("s", "split", "Split", "split", "Split this row's bead in two", show=False),
        _b(
            "left_square_bracket",
            "move_target(-1)",
            "Tgt ↑",
            "move_target_up",
            "Move the first translated sentence to the previous bead",
            show=False,
        ),
        _b(
            "right_square_bracket",
            "move_target(1)",
            "Tgt ↓",
            "move_target_down",
            "Move the last translated sentence to the next bead",
            show=False,
        ),
        _b(
            "left_curly_bracket",
            "move_source(-1)",
            "Src ↑",
            "move_source_up",
            "Move the first source sentence to the previous bead",
            show=False,
        ),
        _b(
            "right_curly_bracket",
            "move_source(1)",
            "Src ↓",
            "move_source_down",
            "Move the last source sentence to the next bead",
            show=False,
        ),
        _b(
            "v",
            "verify",
            "Verify",
            "verify",
            "Mark this row's alignment as checked (or unmark it)",
            show=False,
        ),
        _b(
            "u,ctrl+z",
            "undo",
            "Undo",
            "undo",
            "Undo the last alignment correction or annotation change",
            show=False,
        ),
        _b(
            "W",
            "witnesses",
            "Witnesses",
            "witnesses",
            "Read the other records of this event side by side",
            show=False,
        ),
        _b(
            "K",
            "mark_claim",
            "Claim",
            "mark_claim",
            "Mark this row of a secondary source (or words of it) as a claim",
            show=False,
        ),
        _b(
            "ctrl+k",
            "link_claim",
            "Link to claim",
            "link_claim",
            "Link this row of a primary document to a claim as evidence",
            show=False,
        ),
        _b(
            "V",
            "versions",
            "Versions",
            "versions",
            "This secondary source side by side with another version, word changes marked",
            show=False,
        ),
        _b(
            "T",
            "next_translated",
            "Translated",
            "next_translated",
            "Next passage a shown translation covers (where a partial translation begins)",
            show=False,
        ),
    ),
    "witnesses": (
        _b("escape,q", "back", "Back", "witnesses_back", "Close the witnesses view"),
        _b("tab", "switch_pane", "Other side", "switch_pane", "Move to the other record"),
        _b("enter", "link", "Link", "link", "Link the two current passages"),
        _b(
            "o",
            "follow_link",
            "Follow",
            "follow_link",
            "Show the passage linked to the current one in the other record",
        ),
        _b("delete,d", "unlink", "Unlink", "unlink", "Remove the links of the current passage"),
    ),
    "search": (
        _b("escape", "dismiss_search", "Close", "search_close", "Close the search"),
        _b("down", "hit_down", "Next", "search_next", "Next hit", show=False),
        _b("up", "hit_up", "Previous", "search_previous", "Previous hit", show=False),
    ),
    # ---------------------------------------------------------------- dialogs and the notes list
    "annotate": (
        _b("ctrl+s", "save", "Save", "annotation_save", "Save the annotation"),
        _b("escape", "cancel", "Cancel", "annotation_cancel", "Close without saving"),
    ),
    "annotations": (
        _b("escape", "close", "Close", "annotations_close", "Back to the reader"),
        _b("slash", "focus_filter", "Filter", "annotations_filter", "Filter by text"),
    ),
    "export": (
        _b("ctrl+s", "write", "Write", "export_write", "Write the export file"),
        _b("escape", "cancel", "Cancel", "export_cancel", "Close without writing"),
    ),
    "columns": (
        _b("escape", "cancel", "Cancel", "columns_cancel", "Close without changes"),
        # A priority binding: the selection list would otherwise take enter for itself.
        _b("enter", "apply", "Apply", "columns_apply", "Show the ticked columns", priority=True),
        _b("shift+up,K", "move(-1)", "Move up", "column_up", "Move the column left"),
        _b("shift+down,J", "move(1)", "Move down", "column_down", "Move the column right"),
    ),
    "no_model": (_b("escape,enter,q", "close", "Close", "no_model_close", "Back to the reader"),),
    "help": (_b("escape,q,question_mark", "close", "Close", "help_close", "Close the help"),),
    # ---------------------------------------------------------------- claims and versions
    "claims": (
        _b("escape,q", "close", "Back", "claims_close", "Close the claims"),
        _b("enter", "open", "Open", "claims_open", "Show the claim with its evidence"),
        _b("slash", "focus_filter", "Filter", "claims_filter", "Filter by label, note, quote or source"),
        _b("d", "delete", "Delete", "claims_delete", "Put the claim in the bin (u restores it)"),
        _b("u", "restore", "Restore", "claims_restore", "Restore the claim from the bin (the last deleted)"),
        _b(
            "e",
            "export",
            "Export",
            "claims_export",
            "Export the evidence brief of the claims shown (or of the highlighted one)",
        ),
    ),
    "claim": (
        _b("escape,q", "close", "Back", "claim_close", "Back to the claims"),
        _b(
            "enter",
            "open",
            "Go to",
            "claim_open",
            "Jump to the passage in the reader (on another version: compare side by side)",
            # A priority binding: the footer shows it (the option list's own enter is hidden).
            priority=True,
        ),
        _b("j", "move(1)", "Down", "claim_down", "Next item", show=False),
        _b("k", "move(-1)", "Up", "claim_up", "Previous item", show=False),
        _b("E", "edit", "Edit", "claim_edit", "Edit the claim's label and note, or a link's stance and note"),
        _b("d", "unlink", "Unlink", "claim_unlink", "Unlink the evidence passage (u restores it)"),
        _b("u", "restore", "Restore", "claim_restore", "Link the last unlinked passage again"),
        _b(
            "V",
            "versions",
            "Versions",
            "claim_versions",
            "The claim's source side by side with another version",
        ),
        # Not in the footer: at 80 columns it is full (the help screen and the palette list it).
        _b(
            "e",
            "export",
            "Export",
            "claim_export",
            "Export this claim's evidence brief (or W3C JSON-LD)",
            show=False,
        ),
    ),
    "claim_dialog": (
        _b("ctrl+s", "save", "Save", "claim_save", "Save the claim"),
        _b("escape", "cancel", "Cancel", "claim_cancel", "Close without saving"),
    ),
    "link_dialog": (
        _b("ctrl+s", "save", "Link", "link_save", "Link the passage to the chosen claim"),
        _b(
            "enter",
            "choose",
            "Choose",
            "link_choose",
            "Choose the highlighted claim, then the stance",
            show=False,
        ),
        _b("escape", "cancel", "Cancel", "link_cancel", "Close without linking"),
    ),
    "claims_export": (
        _b("ctrl+s", "write", "Write", "claims_export_write", "Write the claims export file"),
        _b("escape", "cancel", "Cancel", "claims_export_cancel", "Close without writing"),
    ),
    "versions": (
        _b("escape,q", "close", "Back", "versions_close", "Close the versions"),
        _b("n", "next_change(1)", "Next change", "versions_next_change", "Next row that differs"),
        _b("p", "next_change(-1)", "Prev change", "versions_previous_change", "Previous row that differs"),
        _b(
            "a",
            "toggle_unchanged",
            "Changes only",
            "versions_unchanged",
            "Fold the unchanged rows away (or show them again)",
        ),
        _b("s", "swap", "Swap", "versions_swap", "Swap the two versions' sides"),
    ),
    "version_picker": (_b("escape", "cancel", "Cancel", "version_picker_cancel", "Close without choosing"),),
    # Moving in a table (the annotations list): no letter keys, so that typing goes to its filter.
    "table": (
        _b("down", "cursor_down", "Down", "table_down", "Next row", show=False),
        _b("up", "cursor_up", "Up", "table_up", "Previous row", show=False),
        _b("pagedown", "page_down", "Page down", "table_page_down", "One screen down", show=False),
        _b("pageup", "page_up", "Page up", "table_page_up", "One screen up", show=False),
        _b("home", "first", "First", "table_first", "First row", show=False),
        _b("end", "last", "Last", "table_last", "Last row", show=False),
        _b("enter", "select", "Jump", "table_select", "Open the chosen row"),
    ),
    # The annotations list's filter box: every printable key is typed; these move on.
    "annotations_filter": (
        _b(
            "down",
            "screen.focus_list",
            "List",
            "annotations_list",
            "From the filter to the list (d deletes there)",
        ),
        _b("enter", "screen.jump", "Jump", "annotations_jump", "Open the highlighted annotation"),
    ),
    # The annotations list's keys that change something: bound on its table only, so that they act
    # only when the list has the focus (typed into the filter, they are just letters).
    "annotations_table": (
        _b("d,delete", "screen.delete", "Delete", "annotations_delete", "Delete the annotation (u undoes)"),
        _b("u", "screen.undo", "Undo delete", "annotations_undo", "Restore the last deleted annotation"),
    ),
}


def bindings_for(scope: Scope) -> tuple[Binding, ...]:
    """The bindings of one scope (what a screen or widget puts in ``BINDINGS``)."""
    return TABLE[scope]


def all_ids() -> set[str]:
    """Every binding id."""
    return {b.id for bindings in TABLE.values() for b in bindings if b.id}


@dataclass(frozen=True)
class KeymapResult:
    """A user keymap as read from ``keys.toml``, with what was wrong with it."""

    keymap: dict[str, str]
    problems: tuple[str, ...] = ()


def keys_file(config_dir: Path) -> Path:
    """Where the user's key remapping lives."""
    return config_dir / "keys.toml"


def load_keymap(path: Path) -> KeymapResult:
    """Read ``[keys] binding_id = "key,key"`` from ``path`` (missing file: no remapping)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return KeymapResult({})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return KeymapResult({}, (f"{path}: cannot read key bindings ({exc}); using the defaults",))
    except RecursionError:
        return KeymapResult(
            {}, (f"{path}: cannot read key bindings (nested too deeply); using the defaults",)
        )
    keys = data.get("keys", {})
    if not isinstance(keys, Mapping):
        return KeymapResult({}, (f'{path}: [keys] must be a table of binding id = "key"',))
    known = all_ids()
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if binding_id not in known:
            problems.append(f"{path}: no binding with id {binding_id!r}; ignored")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: the key for {binding_id!r} must be a non-empty string")
        else:
            keymap[binding_id] = value.strip()
    return KeymapResult(keymap, tuple(problems))


def key_display(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of ``binding`` as the user sees them (remapped ones included)."""
    from textual.keys import format_key

    keys = keymap.get(binding.id or "", binding.key)
    return " ".join(format_key(k.strip()) for k in keys.split(","))
