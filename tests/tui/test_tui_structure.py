"""The shape of the TUI: one table of bindings behind every screen and dialog, one stylesheet, and the
reader's view built from its state by a pure function."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

from sourcereader import tui
from sourcereader.core.alignment.beads import Bead
from sourcereader.core.annotations import Annotation, AnnotationDraft, anchor_for
from sourcereader.core.documents import Document, Sentence, Translation
from sourcereader.core.parallel_rows import Coverage, Rows, annotation_rows, build_rows, coverage, one_to_one
from sourcereader.core.store import Store
from sourcereader.core.translation.machine import StoredMachineSentence
from sourcereader.tui.bindings import TABLE, KeymapResult, load_keymap
from sourcereader.tui.screens.reader_view import MT_KEY, SOURCE_KEY, reader_view
from tests.support.texts import make_document, make_translation


def _tui_nodes() -> list[type[DOMNode]]:
    """Every screen and widget class defined in sourcereader.tui."""
    for info in pkgutil.walk_packages(tui.__path__, "sourcereader.tui."):
        importlib.import_module(info.name)
    found: list[type[DOMNode]] = []
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("sourcereader.tui."):
            found.append(cls)
    return found


def test_every_binding_comes_from_the_one_table() -> None:
    table = {id(b) for bindings in TABLE.values() for b in bindings}
    nodes = _tui_nodes()
    assert {c.__name__ for c in nodes} >= {"AnnotationDialog", "ExportDialog", "ColumnsDialog", "HelpScreen"}
    for cls in nodes:
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding) and id(binding) in table, (cls.__name__, binding)


def test_binding_ids_are_unique_and_remappable() -> None:
    ids = [b.id for bindings in TABLE.values() for b in bindings]
    assert all(ids) and len(ids) == len(set(ids))
    # A dotted id would be a nested table in keys.toml, not a key.
    assert not [i for i in ids if i and "." in i]
    assert all(b.tooltip for bindings in TABLE.values() for b in bindings)


def test_dialog_keys_load_from_keys_toml(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text('[keys]\nannotation_save = "f5"\nexport_write = "f6"\ncolumns_apply = "a"\n', "utf-8")
    assert load_keymap(path) == KeymapResult(
        {"annotation_save": "f5", "export_write": "f6", "columns_apply": "a"}
    )


def test_styles_live_in_the_stylesheet() -> None:
    # DEFAULT_CSS is for widgets meant to stand alone; sourcereader has none.
    offenders = [c.__name__ for c in _tui_nodes() if "DEFAULT_CSS" in c.__dict__ or "CSS" in c.__dict__]
    assert offenders == []


# --------------------------------------------------------------------------- state → view
@dataclass
class State:
    """A reader's state, made by hand."""

    document: Document
    translations: Mapping[str, Translation]
    columns: tuple[str, ...]
    alignments: Mapping[str, list[Bead]]
    annotations: tuple[Annotation, ...] = ()
    machine: Mapping[str, StoredMachineSentence] = field(default_factory=dict)
    mt_target: str = "en"
    translating: bool = False

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.document.sentences

    @property
    def translation_sentences(self) -> Mapping[str, tuple[Sentence, ...]]:
        return {tid: t.sentences for tid, t in self.translations.items()}

    @property
    def row_translations(self) -> list[str]:
        return [k[2:] for k in self.columns if k.startswith("t:") and k[2:] in self.alignments]

    @property
    def rows(self) -> Rows:
        beads = [self.alignments[tid] for tid in self.row_translations]
        return build_rows(len(self.sentences), self.document.gaps, beads)

    @property
    def row_annotations(self) -> Mapping[int, tuple[Annotation, ...]]:
        shown = [self.translation(tid) for tid in self.row_translations]
        return annotation_rows(self.rows, self.document, shown, self.annotations)

    def translation(self, translation_id: str) -> Translation:
        return self.translations[translation_id]

    def translation_coverage(self, translation_id: str) -> Coverage | None:
        beads = self.alignments.get(translation_id)
        return None if beads is None else coverage(beads)


def test_reader_view_is_built_from_the_state(store: Store) -> None:
    doc, translation = make_document(), make_translation()
    n, m = len(doc.sentences), len(translation.sentences)
    note = store.add_annotation(AnnotationDraft(anchor_for(doc, ["s2"]), kind="note", note="n"))
    state = State(
        doc,
        {translation.id: translation},
        (SOURCE_KEY, f"t:{translation.id}", MT_KEY),
        {translation.id: one_to_one(n, m)},
        (note,),
    )
    view = reader_view(state)
    assert [c.key for c in view.columns] == ["source", "t:en-test", "mt"]
    assert view.columns[2].warning == "not translated yet: press t"
    row = view.rows[view.rows.row_of_source(1)]
    source, translated, machine = view.cells(row)
    assert (source.text, translated.text, machine.state) == (
        doc.sentences[1].text,
        translation.sentences[1].text,
        "empty",
    )
    assert view.marks == {view.rows.row_of_source(1): "✎"}
    # Not aligned yet: the column says so and its cells are empty.
    waiting = reader_view(State(doc, {translation.id: translation}, state.columns, {}))
    assert waiting.columns[1].warning == "aligning…"
    assert waiting.cells(waiting.rows[waiting.rows.row_of_source(1)])[1].is_empty
