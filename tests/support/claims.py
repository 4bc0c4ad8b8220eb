"""A small library for the claims tests: two versions of a secondary article, a primary record with a
human translation, and a second primary witness; written to a folder so that a ``Library`` reads it."""

from __future__ import annotations

from pathlib import Path

from sourcereader.core.documents import Library, format_header, sentence_hash
from sourcereader.core.store import Store
from sourcereader.core.translation import machine as tr
from tests.support.texts import BODY, HEADER, TRANSLATION_BODY

ARTICLE = "test-article"
ARTICLE_V2 = "test-article-v2"
RECORD = "test-doc"
WITNESS = "test-witness"

ARTICLE_HEADER: dict[str, object] = {
    "id": ARTICLE,
    "title": "Axis talks (test article)",
    "language": "en",
    "date": "undated",
    "kind": "secondary",
    "form": "article",
    "site": "Test Wiki",
    "author": "Test Wiki contributors",
    "url": "https://example.org/wiki/Axis_talks",
    "revision": "not recorded in the stored copy",
    "retrieved": "",
    "work": "test:axis-talks",
    "status": "complete",
    "original_publication": "",
    "archival_reference": "",
    "copy_source": "typed for the tests",
    "license": "CC BY-SA 4.0",
    "notes": "",
}
ARTICLE_BODY = (
    "= Axis talks =\n\n"
    "The talks concerned the Soviet Union joining as a fourth Axis power. "
    "Ribbentrop presented a written draft for an Axis pact agreement. "
    "Molotov asked about Finland.\n"
)
ARTICLE_V2_BODY = (
    "= Axis talks =\n\n"
    "The talks nominally concerned the Soviet Union joining as a fourth Axis power, among other agreements. "
    "Ribbentrop presented a written draft for an Axis pact agreement. "
    "Molotov asked about Finland. Hitler answered.\n"
)
WITNESS_BODY = "The Führer stated his views at length. He re-examined the relations with Russia.\n"


def write(path: Path, header: dict[str, object], body: str) -> None:
    """A document or translation file, header and body as given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_header(header) + body, encoding="utf-8")


def write_library(root: Path) -> None:
    """The test library's files under ``root`` (``sources/`` and ``translations/``)."""
    write(root / "sources" / f"{ARTICLE}.txt", ARTICLE_HEADER, ARTICLE_BODY)
    write(
        root / "sources" / f"{ARTICLE_V2}.txt",
        {**ARTICLE_HEADER, "id": ARTICLE_V2, "revision": "42"},
        ARTICLE_V2_BODY,
    )
    write(root / "sources" / f"{RECORD}.txt", HEADER, BODY)
    write(
        root / "sources" / f"{WITNESS}.txt",
        {
            **HEADER,
            "id": WITNESS,
            "title": "German record (test)",
            "language": "en",
            "archival_reference": "",
        },
        WITNESS_BODY,
    )
    write(
        root / "translations" / RECORD / "en-test.txt",
        {
            "id": "en-test",
            "language": "en",
            "kind": "human",
            "translator": "A. Translator",
            "source": "made for the tests",
            "license": "CC0",
            "covers": "all",
        },
        TRANSLATION_BODY,
    )


def claims_library(root: Path, store: Store) -> Library:
    """The test library, read from ``root`` (written first)."""
    write_library(root)
    return Library([(root, "bundled")], cache=store)


def cache_machine_translation(store: Store, library: Library, *, synthetic: bool = False) -> None:
    """Machine translations of every sentence of the test record, cached as ``translate`` would."""
    document = library.document(RECORD)
    rows = []
    for sentence in document.sentences:
        provenance = tr.Provenance(
            engine="argos",
            packages=("translate-ru_en",),
            package_versions=("1.9",),
            model_hashes=("0" * 16,),
            source_hash=sentence_hash(sentence.text),
            translated_at="2026-01-02T00:00:00+00:00",
            source="ru",
            target="en",
            synthetic=synthetic,
        )
        rows.append((sentence.id, sentence.hash, tr.MachineSentence(f"MT of {sentence.id}", provenance)))
    store.put_machine_translations(RECORD, "en", rows)
