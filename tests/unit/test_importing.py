"""The import workflow: header from the file and the request, validation, the write, what it returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcereader.core.documents import DocumentError, Library, format_header, split_header
from sourcereader.core.importing import (
    UNKNOWN_LICENCE,
    AlreadyInLibrary,
    ImportRequest,
    MissingField,
    import_text,
    slugify,
)
from sourcereader.core.store import Store

SOVIET = "1940-11-12-soviet-record-hitler-molotov"
TEXT = "Первая фраза. Вторая фраза.\n\n[[GAP — a page]]\n\nНовый абзац.\n"


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_document_gets_defaults_and_lands_in_sources(
    tmp_path: Path, store: Store, library: Library
) -> None:
    root = tmp_path / "library"
    request = ImportRequest(language="ru", title="Моя запись", participants=("A", "B"))
    imported = import_text(
        TEXT, Path("in/notes.md"), request, library=library, root=root, cache=store, today="2026-01-02"
    )
    assert (imported.kind, imported.id, imported.document_id) == ("document", "moya-zapis", "moya-zapis")
    assert (imported.sentences, imported.gaps) == (3, 1)
    assert imported.path == root / "sources" / "moya-zapis.txt" and files(root) == ["sources/moya-zapis.txt"]
    header, body = split_header(imported.path.read_text(encoding="utf-8"), "x")
    assert header is not None and body == TEXT
    assert header["copy_source"] == "imported from notes.md on 2026-01-02"
    assert header["license"] == UNKNOWN_LICENCE and header["participants"] == ["A", "B"]
    assert (header["date"], header["kind"], header["status"]) == ("undated", "document", "complete")


def test_the_request_overrides_the_files_header(tmp_path: Path, library: Library) -> None:
    own = {"title": "Old", "language": "en", "archival_reference": "Box 3", "license": "CC0"}
    text = format_header(own) + "Dear sir. Regards.\n"
    imported = import_text(
        text, Path("mine.txt"), ImportRequest(title="New", id="mine"), library=library, root=tmp_path
    )
    header, _ = split_header(imported.path.read_text(encoding="utf-8"), "x")
    assert header is not None
    assert (header["title"], header["archival_reference"], header["license"]) == ("New", "Box 3", "CC0")


@pytest.mark.parametrize(
    ("request_", "error", "match"),
    [
        (ImportRequest(title="T"), MissingField, "naming its language"),
        (ImportRequest(language="ru"), MissingField, "naming its title"),
        (ImportRequest(language="xx", title="T"), DocumentError, "unknown language 'xx'"),
        (ImportRequest(language="ru", title="T", id=SOVIET), AlreadyInLibrary, SOVIET),
        (ImportRequest(language="en", translation_of="nope"), DocumentError, "no document with id 'nope'"),
        (ImportRequest(translation_of=SOVIET, translator="X"), MissingField, "naming its language"),
        (
            ImportRequest(language="en", translation_of=SOVIET, id="hse-answer-en", translator="X"),
            AlreadyInLibrary,
            "hse-answer-en",
        ),
    ],
)
def test_refusals_write_nothing(
    tmp_path: Path, library: Library, request_: ImportRequest, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        import_text(TEXT, Path("t.txt"), request_, library=library, root=tmp_path)
    assert files(tmp_path) == []


def test_an_empty_text_is_refused(tmp_path: Path, library: Library) -> None:
    with pytest.raises(DocumentError, match="the file has no text"):
        import_text(
            " \n", Path("t.txt"), ImportRequest(language="ru", title="T"), library=library, root=tmp_path
        )


def test_already_in_library_says_whether_it_is_bundled(tmp_path: Path, library: Library) -> None:
    with pytest.raises(AlreadyInLibrary) as caught:
        import_text(
            TEXT,
            Path("t.txt"),
            ImportRequest(language="ru", title="T", id=SOVIET),
            library=library,
            root=tmp_path,
        )
    assert caught.value.bundled and caught.value.translation_id is None
    replaced = import_text(
        TEXT,
        Path("t.txt"),
        ImportRequest(language="ru", title="T", id=SOVIET, replace=True),
        library=library,
        root=tmp_path,
    )
    assert replaced.path == tmp_path / "sources" / f"{SOVIET}.txt"


def test_a_translation_is_named_after_its_translator(tmp_path: Path, library: Library) -> None:
    request = ImportRequest(language="en", translation_of=SOVIET, translator="Me Myself")
    imported = import_text("One sentence. Two.\n", Path("tr.txt"), request, library=library, root=tmp_path)
    assert (imported.kind, imported.id, imported.document_id, imported.sentences) == (
        "translation",
        "en-me-myself",
        SOVIET,
        2,
    )
    assert imported.path == tmp_path / "translations" / SOVIET / "en-me-myself.txt"
    machine = import_text(
        "One.\n",
        Path("mt.txt"),
        ImportRequest(language="en", translation_of=SOVIET, engine="Engine 1"),
        library=library,
        root=tmp_path,
    )
    header, _ = split_header(machine.path.read_text(encoding="utf-8"), "x")
    assert header is not None and header["kind"] == "machine" and machine.id == "en-engine-1"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Моя запись", "moya-zapis"),
        ("Hello, World!", "hello-world"),
        ("…", "document"),
        ("a" * 100, "a" * 80),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
