"""The shape of the TUI: one table of bindings behind every screen and dialog, one stylesheet."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

from sourcereader import tui
from sourcereader.tui.bindings import TABLE, KeymapResult, load_keymap


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
