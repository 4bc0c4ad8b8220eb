"""Small documents and translations built in memory for the annotation and export tests."""

from __future__ import annotations

from sourcereader.core.documents import (
    Document,
    Translation,
    format_header,
    parse_document,
    parse_translation,
)

DOC_ID = "test-doc"

HEADER: dict[str, object] = {
    "id": DOC_ID,
    "title": "Запись беседы (test)",
    "language": "ru",
    "date": "1940-11-12",
    "kind": "record of conversation",
    "status": "complete",
    "original_publication": "ДВП т. XXIII",
    "archival_reference": "АП РФ, Ф. 3, Оп. 64, Д. 675",
    "copy_source": "typed for the tests",
    "license": "public domain",
    "notes": "",
}

BODY = (
    "Гитлер заявляет, что если будет обоюдное признание, то это будет в интересах обоих народов. "
    "Это потребует много труда. Наша задача — обеспечить мирное развитие.\n\n"
    "[[GAP — a page is missing]]\n\n"
    "Молотов говорит, что он согласен с выводами рейхсканцлера. Таким вопросом является Финляндия. "
    "В Финляндии не должно быть германских войск.\n"
)

TRANSLATION_BODY = (
    "Hitler states that mutual recognition would be in the interest of both peoples. "
    "This will take much work. Our task is to secure peaceful development.\n\n"
    "Molotov says that he agrees with the Chancellor's conclusions. Finland is such a question. "
    "There must be no German troops in Finland.\n"
)


def make_document(body: str = BODY, **fields: object) -> Document:
    """A document with the test header (fields overridden) and ``body``."""
    header = {**HEADER, **fields}
    return parse_document(format_header(header) + body, name="test")


def make_translation(
    body: str = TRANSLATION_BODY, *, tid: str = "en-test", kind: str = "human", document_id: str = DOC_ID
) -> Translation:
    """A translation of the test document."""
    header: dict[str, object] = {
        "id": tid,
        "language": "en",
        "kind": kind,
        "source": "made for the tests",
        "license": "CC0",
        "covers": "all",
    }
    if kind == "machine":
        header.update(engine="Argos Translate", model="translate-ru_en 1.9", date="2026-01-02")
    else:
        header["translator"] = "A. Translator"
    return parse_translation(format_header(header) + body, document_id=document_id, name="test")
