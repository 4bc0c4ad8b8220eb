"""The evidence brief (golden Markdown, structure, escaping) and claims as W3C Web Annotations."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from sourcereader.core.claims import (
    ClaimDraft,
    ClaimError,
    EvidenceDraft,
    claim_anchor,
    evidence_anchor,
)
from sourcereader.core.claims_export import (
    BriefOptions,
    brief_markdown,
    claims_from_w3c,
    export_w3c,
    gather,
    import_claims,
    render,
    split_w3c,
)
from sourcereader.core.documents import Library
from sourcereader.core.store import Store
from tests.support.claims import ARTICLE, RECORD, WITNESS, cache_machine_translation, claims_library

GOLDEN = Path(__file__).parent / "golden"
HOSTILE = "# Not a heading\n> not a quote\n```\n<script>x</script>\n| a | b |\n- still *emphasis*"


@pytest.fixture
def library(tmp_path: Path, store: Store) -> Library:
    return claims_library(tmp_path / "lib", store)


def demo(
    store: Store, library: Library, *, note: str = "The article says so.", label: str = "fourth Axis power"
) -> int:
    article = library.document(ARTICLE)
    claim = store.add_claim(ClaimDraft(claim_anchor(article, "s2", span=(50, 67)), label, note))
    record, witness = library.document(RECORD), library.document(WITNESS)
    store.add_evidence(
        EvidenceDraft(claim.id, evidence_anchor(record, "s4", "s5"), "supports", "Molotov agrees.")
    )
    store.add_evidence(EvidenceDraft(claim.id, evidence_anchor(witness, "s2"), "context", None))
    store.add_evidence(EvidenceDraft(claim.id, evidence_anchor(record, "s6"), "contradicts", "No *troops*."))
    return claim.id


def outline(markdown: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


# --------------------------------------------------------------------------- Markdown
def test_golden_brief(store: Store, library: Library) -> None:
    demo(store, library)
    cache_machine_translation(store, library)
    text = brief_markdown(gather(store, library, None), BriefOptions(generated="2026-01-03"))
    path = GOLDEN / "claims-brief.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")
    assert outline(text) == [
        ("h1", "Evidence brief"),
        ("h2", "Claim 1: fourth Axis power"),
        ("h3", "Supports"),
        ("h4", "Запись беседы (test) (1940-11-12), s4–s5"),
        ("h3", "Contradicts"),
        ("h4", "Запись беседы (test) (1940-11-12), s6"),
        ("h3", "Context"),
        ("h4", "German record (test) (1940-11-12), s2"),
    ]


def test_brief_says_what_is_not_recorded_and_quotes_each_translation(store: Store, library: Library) -> None:
    demo(store, library)
    cache_machine_translation(store, library, synthetic=True)
    text = brief_markdown(gather(store, library, None))
    assert "retrieval date not recorded" in text and "revision: not recorded in the stored copy" in text
    assert "**A. Translator (translation)**" in text
    assert "MT of s4" not in text  # a synthetic test model's output is never quoted as a translation
    assert "**In `test-article-v2`, sentence s2, worded differently:**" in text
    no_translations = brief_markdown(gather(store, library, None, BriefOptions(translations=())))
    assert "A. Translator" not in no_translations and "**Original (ru)**" in no_translations


def test_hostile_labels_and_notes_stay_in_place(store: Store, library: Library) -> None:
    demo(store, library, note=HOSTILE, label="# <b>label</b> | *x*")
    text = brief_markdown(gather(store, library, None))
    tokens = MarkdownIt("commonmark").parse(text)
    assert {t.tag for t in tokens if t.type == "heading_open"} == {"h1", "h2", "h3", "h4"}
    assert not {t.type for t in tokens} & {"fence", "html_block", "hr"}
    html = MarkdownIt("commonmark").render(text)
    assert "<h2>Claim 1: # &lt;b&gt;label&lt;/b&gt; | *x*</h2>" in html
    assert "<script>" not in html and "<b>" not in html and "<em>emphasis</em>" in html


def test_orphans_and_missing_documents_are_quoted_as_recorded(
    tmp_path: Path, store: Store, library: Library
) -> None:
    claim_id = demo(store, library)
    store.conn.execute("UPDATE evidence_links SET status = 'orphan' WHERE document_id = ?", [WITNESS])
    text = brief_markdown(gather(store, library, [claim_id]))
    assert "#### German record (test) (1940-11-12), s2 · orphan" in text
    assert "*Not found in the current text; the quote is as it was recorded.*" in text
    empty = Library([(tmp_path / "none", "bundled")], cache=store)
    text = brief_markdown(gather(store, empty, [claim_id]))
    assert "*Not found in the library; the quote is as it was recorded.*" in text
    assert "Source: sourcereader document `test-article`, sentence s2, characters 50–67." in text


def test_unknown_claims_are_refused(store: Store, library: Library) -> None:
    with pytest.raises(ClaimError, match="no claim with id 7"):
        gather(store, library, [7])


# --------------------------------------------------------------------------- W3C
def test_w3c_shape(store: Store, library: Library) -> None:
    demo(store, library)
    data = export_w3c(gather(store, library, None))
    claim, *links = data["first"]["items"]
    assert data["total"] == 4 and claim["motivation"] == "assessing" and claim["sr:kind"] == "claim"
    assert claim["body"][0] == {"type": "TextualBody", "value": "fourth Axis power", "purpose": "describing"}
    assert claim["target"]["selector"][0]["exact"] == "fourth Axis power"
    assert claim["target"]["source"] == "urn:sourcereader:doc:test-article"
    assert {k["motivation"] for k in links} == {"linking"}
    assert [k["sr:stance"] for k in links] == ["supports", "contradicts", "context"]
    assert links[0]["body"][0] == {"type": "SpecificResource", "source": claim["id"], "purpose": "linking"}


def test_w3c_round_trip(tmp_path: Path, store: Store, library: Library) -> None:
    demo(store, library)
    exported = json.loads(render(gather(store, library, None), BriefOptions(), "w3c"))
    fresh = Store.memory()
    other = claims_library(tmp_path / "other", fresh)
    rest, items = split_w3c(exported)
    assert rest == [] and len(items) == 4
    assert import_claims(fresh, other, claims_from_w3c(items)) == (1, 3, 0)
    again = json.loads(render(gather(fresh, other, None), BriefOptions(), "w3c"))
    assert again == exported
    # Importing the same file again adds nothing.
    assert import_claims(fresh, other, claims_from_w3c(items)) == (0, 0, 4)


def test_split_keeps_annotations_apart() -> None:
    annotation = {"type": "Annotation", "motivation": "commenting", "target": {}}
    claim = {"type": "Annotation", "sr:kind": "claim"}
    page = {"type": "AnnotationPage", "items": [annotation, claim]}
    assert split_w3c(page) == ([annotation], [claim])
    assert split_w3c({"type": "AnnotationCollection", "first": page}) == ([annotation], [claim])
    assert split_w3c(claim) == ([], [claim])
    only_annotations = {"type": "AnnotationPage", "items": [annotation]}
    assert split_w3c(only_annotations) == (only_annotations, [])
    assert split_w3c("nonsense") == ("nonsense", [])


def _items(store: Store, library: Library) -> list[dict[str, Any]]:
    demo(store, library)
    items: list[dict[str, Any]] = export_w3c(gather(store, library, None))["first"]["items"]
    return items


LINKING = {"type": "SpecificResource", "source": "urn:uuid:x", "purpose": "linking"}


@pytest.mark.parametrize(
    ("index", "change", "message"),
    [
        (0, {"id": "not-a-uuid"}, "item 1 \\(claim\\): id must be a urn:uuid"),
        (0, {"body": []}, "needs its label"),
        (0, {"target": {"source": "http://example.org"}}, "not a sourcereader document"),
        (0, {"created": 5}, "created must be a string"),
        (1, {"sr:stance": "maybe"}, "item 2 \\(evidence\\): unknown stance"),
        (1, {"body": [{"type": "TextualBody", "value": "x"}]}, "exactly one body with purpose 'linking'"),
        (1, {"sr:stance": None, "body": [LINKING]}, "needs a stance"),
        (2, {"body": [{**LINKING, "source": "oops"}]}, "the linked claim"),
    ],
)
def test_bad_items_are_named(
    store: Store, library: Library, index: int, change: dict[str, Any], message: str
) -> None:
    items = copy.deepcopy(_items(store, library))
    items[index].update(change)
    items[index] = {k: v for k, v in items[index].items() if v is not None}
    with pytest.raises(ClaimError, match=message):
        claims_from_w3c(items)


def test_not_an_annotation(store: Store) -> None:
    with pytest.raises(ClaimError, match="item 1 \\(evidence\\): not an Annotation object"):
        claims_from_w3c(["x"])
