"""Machine translation through the real Argos/CTranslate2 path, on synthetic random-weight packages.

The packages are built once per session (``tests/support/argos.py``); every test installs them
into its own temporary Argos home. Their output is noise: these tests check the plumbing —
one output per input sentence, provenance, pivoting, the synthetic mark, caching, staleness,
resuming, error paths — never translation quality.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sourcereader.core.documents import Document, Library, parse_translation, segment_body, sentence_hash
from sourcereader.core.store import Store
from sourcereader.core.translation import argos_packages
from sourcereader.core.translation.argos import ArgosTranslator
from sourcereader.core.translation.argos_packages import PackageInfo
from sourcereader.core.translation.errors import MachineTranslationError, ModelMissing, PackageError
from sourcereader.core.translation.machine import (
    SYNTHETIC_LABEL,
    MachineSentence,
    MachineTranslator,
    ProgressCallback,
    Provenance,
    machine_column,
    machine_translate,
    plan_machine_translation,
    write_machine_translation,
)
from tests.support import REPO
from tests.support.argos import BuiltPackages, build_test_packages, point_argos_at

DOC_ID = "1940-11-12-molotov-telegram-to-stalin"  # Russian, 8 sentences, one gap marker


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackages:
    """The synthetic packages, built once per session (a fixed path so both test files share them)."""
    return build_test_packages(tmp_path_factory.getbasetemp() / "synthetic-argos")


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Argos home for this test; returns the packages directory."""
    return point_argos_at(monkeypatch, tmp_path / "argos")


@pytest.fixture
def installed(argos_home: Path, built: BuiltPackages) -> list[PackageInfo]:
    """``ru → en`` and ``en → de`` installed through our own install path."""
    return [
        argos_packages.install_package_file(built.ru_en),
        argos_packages.install_package_file(built.en_de),
    ]


@pytest.fixture
def mt_store() -> Store:
    """An in-memory store (it has the machine-translation table)."""
    return Store.memory()


@pytest.fixture
def document() -> Document:
    """A bundled Russian document."""
    return Library([(REPO, "bundled")]).document(DOC_ID)


def fast(*, max_batch_size: int = 32) -> ArgosTranslator:
    """A greedy translator with short outputs: the random model would otherwise ramble to 256 tokens."""
    return ArgosTranslator(beam_size=1, max_decoding_length=24, max_batch_size=max_batch_size)


@dataclass
class CountingTranslator:
    """Wraps a translator, counting calls and sentences; can interrupt on the n-th call."""

    inner: MachineTranslator
    interrupt_on_call: int | None = None
    calls: list[int] = field(default_factory=list)

    def language_pairs(self) -> set[tuple[str, str]]:
        return self.inner.language_pairs()

    def translate(
        self,
        sentences: Sequence[str],
        *,
        source: str,
        target: str,
        on_progress: ProgressCallback | None = None,
    ) -> list[MachineSentence]:
        self.calls.append(len(sentences))
        if self.interrupt_on_call == len(self.calls):
            raise KeyboardInterrupt
        return self.inner.translate(sentences, source=source, target=target, on_progress=on_progress)


# --------------------------------------------------------------------------- packages


def test_install_and_list(installed: list[PackageInfo], argos_home: Path) -> None:
    packages = argos_packages.installed_packages()
    assert [(p.name, p.source, p.target, p.version) for p in packages] == [
        ("translate-en_de", "en", "de", "0.1"),
        ("translate-ru_en", "ru", "en", "0.1"),
    ]
    assert all(p.synthetic and p.size_bytes > 0 and p.path.parent == argos_home for p in packages)
    assert argos_packages.argos_packages_dir() == argos_home


def test_reinstall_replaces_the_same_pair(installed: list[PackageInfo], built: BuiltPackages) -> None:
    new = argos_packages.install_package_file(built.ru_en_v2)
    ru_en = [p for p in argos_packages.installed_packages() if p.name == "translate-ru_en"]
    assert ru_en == [new] and new.version == "0.2"


@pytest.mark.parametrize(
    ("metadata", "readme", "synthetic"),
    [
        ({"synthetic": True}, None, True),
        ({"synthetic": "true"}, None, True),
        ({}, "# Synthetic package\nRandom weights: noise.", True),
        ({}, "# Russian-English\nOPUS-MT weights, CC-BY 4.0.", False),
        ({"synthetic": False}, None, False),
    ],
)
def test_synthetic_detection(metadata: dict[str, object], readme: str | None, synthetic: bool) -> None:
    assert argos_packages._is_synthetic(metadata, readme) is synthetic


def test_remove_by_pair_and_by_name(installed: list[PackageInfo]) -> None:
    assert [p.name for p in argos_packages.remove_package("ru", "en")] == ["translate-ru_en"]
    assert [p.name for p in argos_packages.remove_package("translate-en_de")] == ["translate-en_de"]
    assert argos_packages.installed_packages() == []
    with pytest.raises(PackageError, match="No installed package translate-ru_en"):
        argos_packages.remove_package("ru", "en")


def test_bad_package_files(argos_home: Path, tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="No such file"):
        argos_packages.install_package_file(tmp_path / "missing.argosmodel")
    not_zip = tmp_path / "not-a-zip.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(PackageError, match="zip"):
        argos_packages.install_package_file(not_zip)
    no_meta = tmp_path / "no-meta.argosmodel"
    with zipfile.ZipFile(no_meta, "w") as zf:
        zf.writestr("translate-xx_yy/model/model.bin", b"")
    with pytest.raises(PackageError, match="metadata.json is missing"):
        argos_packages.install_package_file(no_meta)
    assert list(argos_home.iterdir()) == []


def test_a_broken_package_dir_does_not_hide_the_others(
    installed: list[PackageInfo], argos_home: Path
) -> None:
    (argos_home / "half-copied").mkdir()  # no metadata.json: Argos' own listing raises
    assert {p.name for p in argos_packages.installed_packages()} == {"translate-ru_en", "translate-en_de"}


def test_index_unreachable_fails_fast_with_guidance(
    argos_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(url: str, timeout: float) -> bytes:
        assert timeout <= argos_packages.INDEX_TIMEOUT_SECONDS
        raise OSError("Network is unreachable")

    monkeypatch.setattr(argos_packages, "_fetch_index", offline)
    with pytest.raises(PackageError) as info:
        argos_packages.install_from_index("ru", "en")
    assert "Network is unreachable" in str(info.value)
    assert "sourcereader models install FILE.argosmodel" in str(info.value)


def test_install_from_index_downloads_and_installs(
    argos_home: Path, built: BuiltPackages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from argostranslate import package

    index = [{"from_code": "ru", "to_code": "en", "package_version": "0.1", "links": ["https://x.invalid/p"]}]
    monkeypatch.setattr(argos_packages, "_fetch_index", lambda url, timeout: json.dumps(index).encode())
    download = tmp_path / "downloaded.argosmodel"
    download.write_bytes(built.ru_en.read_bytes())
    monkeypatch.setattr(package.AvailablePackage, "download", lambda self: download)
    info = argos_packages.install_from_index("ru", "en")
    assert info.name == "translate-ru_en" and info.synthetic
    assert not download.exists()  # the downloaded archive is not left behind


def test_index_without_the_pair(argos_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = [{"from_code": "en", "to_code": "fr", "package_version": "1.0", "links": []}]
    monkeypatch.setattr(argos_packages, "_fetch_index", lambda url, timeout: json.dumps(index).encode())
    with pytest.raises(PackageError, match="no translate-de_ru package.*through English"):
        argos_packages.install_from_index("de", "ru")


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("1.9", "1.10"),  # numbers, not text
        ("1.0", "1.1"),
        ("2.0rc1", "2.0"),  # a release candidate before its release
        ("1_9", "1_10"),  # underscores, as in package folder names
        ("1_9", "1.10"),
        ("?", "0.1"),  # no version at all: older than any
        ("beta", "0.0.1"),  # not PEP 440: older than any that is
        ("alpha", "beta"),  # ... and among themselves by text
    ],
)
def test_package_versions_order(older: str, newer: str) -> None:
    assert argos_packages.version_key(older) < argos_packages.version_key(newer)


def _package(version: str) -> PackageInfo:
    return PackageInfo("translate-ru_en", "ru", "en", version, Path(f"/nowhere/{version}"), 0, False)


def test_the_newest_package_of_a_pair_is_used() -> None:
    translator = ArgosTranslator(packages=[_package("1.10"), _package("1.9"), _package("?")])
    assert [p.version for p in translator.route("ru", "en")] == ["1.10"]
    assert [p.version for p in argos_packages.newest_packages([_package("1.9"), _package("1.10")])] == [
        "1.10"
    ]


def test_packages_are_read_once_until_refresh(argos_home: Path, built: BuiltPackages) -> None:
    translator = fast()
    assert translator.language_pairs() == set()
    argos_packages.install_package_file(built.ru_en)
    assert translator.language_pairs() == set()  # read on first use, kept
    translator.refresh()
    assert translator.language_pairs() == {("ru", "en")}


def test_model_hash_is_memoised_until_a_file_changes(installed: list[PackageInfo], tmp_path: Path) -> None:
    copy = Path(shutil.copytree(installed[0].path, tmp_path / "copy"))
    first = argos_packages.model_hash(copy)
    assert argos_packages.model_hash(copy) == first
    with (copy / "sentencepiece.model").open("ab") as handle:
        handle.write(b"\0")
    assert argos_packages.model_hash(copy) != first


# --------------------------------------------------------------------------- translating


def test_one_output_per_input_with_provenance(installed: list[PackageInfo]) -> None:
    sentences = ["Состоялся первый разговор с Риббентропом.", "", "Молотов", "12 ноября 1940 г."]
    out = fast().translate(sentences, source="ru", target="en")
    assert len(out) == len(sentences)
    ru_en = next(p for p in installed if p.name == "translate-ru_en")
    for original, mt in zip(sentences, out, strict=True):
        assert mt.text.startswith(SYNTHETIC_LABEL)
        p = mt.provenance
        assert (p.engine, p.packages, p.package_versions, p.pivot) == (
            "argos",
            ("translate-ru_en",),
            ("0.1",),
            None,
        )
        assert p.model_hashes == (argos_packages.model_hash(ru_en.path),)
        assert p.source_hash == sentence_hash(original)
        assert p.synthetic and p.beam_size == 1 and (p.source, p.target) == ("ru", "en")
        assert Provenance.from_json(p.to_json()) == p
    assert out[1].text == SYNTHETIC_LABEL  # empty in, nothing translated, still marked


def test_batching_and_length_sorting_keep_the_order(installed: list[PackageInfo]) -> None:
    sentences = ["Пространно повторив свое письмо к Сталину, он добавил.", "Молотов", "Состоялся разговор."]
    one_by_one = [fast(max_batch_size=1).translate([s], source="ru", target="en")[0].text for s in sentences]
    together = [m.text for m in fast(max_batch_size=1).translate(sentences, source="ru", target="en")]
    assert together == one_by_one


def test_pivot_through_english(installed: list[PackageInfo]) -> None:
    translator = fast()
    assert translator.language_pairs() == {("ru", "en"), ("en", "de"), ("ru", "de")}
    out = translator.translate(["Молотов", "Состоялся разговор."], source="ru", target="de")
    assert len(out) == 2
    p = out[0].provenance
    assert (
        p.pivot == "en" and p.packages == ("translate-ru_en", "translate-en_de") and len(p.model_hashes) == 2
    )


def test_progress_is_reported_per_batch(installed: list[PackageInfo]) -> None:
    seen: list[tuple[int, int]] = []
    fast(max_batch_size=2).translate(
        ["а", "б", "в", "г", "д"], source="ru", target="de", on_progress=lambda *a: seen.append(a)
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_missing_model_names_the_package_and_both_ways(installed: list[PackageInfo]) -> None:
    with pytest.raises(ModelMissing) as info:
        fast().translate(["Bonjour."], source="fr", target="en")
    message = str(info.value)
    assert "translate-fr_en" in message
    assert "sourcereader models install fr en" in message
    assert "sourcereader models install FILE.argosmodel" in message


def test_no_model_at_all_is_a_normal_state(argos_home: Path) -> None:
    translator = fast()
    assert translator.language_pairs() == set()
    with pytest.raises(ModelMissing, match="translate-de_ru"):
        translator.route("de", "ru")


# --------------------------------------------------------------------------- documents and the cache


def test_machine_translate_then_cache_hit(
    installed: list[PackageInfo], mt_store: Store, document: Document
) -> None:
    counting = CountingTranslator(fast())
    run = machine_translate(document, "en", counting, mt_store, batch_size=3)
    n = len(document.sentences)
    assert run.translated == n and run.plan.missing == n and sum(counting.calls) == n
    rows = mt_store.machine_translations(document.id, "en")
    assert set(rows) == {s.id for s in document.sentences}
    assert all(r.source_hash == document.sentence(sid).hash for sid, r in rows.items())

    again = CountingTranslator(fast())
    run = machine_translate(document, "en", again, mt_store)
    assert again.calls == [] and run.translated == 0 and run.plan.cached == n


def test_a_changed_sentence_is_stale_and_only_it_is_redone(
    installed: list[PackageInfo], mt_store: Store, document: Document
) -> None:
    machine_translate(document, "en", fast(), mt_store)
    victim = document.sentences[2]
    body = document.body.replace(victim.text, victim.text.replace("Риббентропом", "Гитлером"), 1)
    assert body != document.body
    edited = Document(body, "ru", segment_body(body, "ru"), None, "memory", meta=document.meta)
    plan, todo = plan_machine_translation(edited, "en", mt_store)
    assert (plan.stale, plan.missing, todo) == (1, 0, [2])
    assert mt_store.machine_translations(document.id, "en")[victim.id].is_stale(edited.sentences[2].hash)

    counting = CountingTranslator(fast())
    machine_translate(edited, "en", counting, mt_store)
    assert counting.calls == [1]
    assert mt_store.machine_translations(document.id, "en")[victim.id].source_hash == edited.sentences[2].hash


def test_interrupted_run_keeps_finished_batches_and_resumes(
    installed: list[PackageInfo], mt_store: Store, document: Document
) -> None:
    n = len(document.sentences)
    interrupted = CountingTranslator(fast(), interrupt_on_call=2)
    with pytest.raises(KeyboardInterrupt):
        machine_translate(document, "en", interrupted, mt_store, batch_size=3)
    assert len(mt_store.machine_translations(document.id, "en")) == 3

    resumed = CountingTranslator(fast())
    run = machine_translate(document, "en", resumed, mt_store, batch_size=3)
    assert run.plan.cached == 3 and sum(resumed.calls) == n - 3


def test_machine_column_for_the_reader(
    installed: list[PackageInfo], mt_store: Store, document: Document
) -> None:
    assert all(c.text is None and not c.stale for c in machine_column(document, "en", mt_store))
    machine_translate(document, "en", fast(), mt_store)
    victim = document.sentences[0]
    body = document.body.replace(victim.text, victim.text + " (edited)", 1)
    edited = Document(body, "ru", segment_body(body, "ru"), None, "memory", meta=document.meta)
    cells = machine_column(edited, "en", mt_store)
    assert [c.sentence_id for c in cells] == [s.id for s in edited.sentences]
    assert [c.stale for c in cells] == [True] + [False] * (len(cells) - 1)
    assert all(c.synthetic and c.text and c.text.startswith(SYNTHETIC_LABEL) for c in cells)


def test_force_redoes_everything(installed: list[PackageInfo], mt_store: Store, document: Document) -> None:
    machine_translate(document, "en", fast(), mt_store)
    counting = CountingTranslator(fast())
    run = machine_translate(document, "en", counting, mt_store, force=True)
    assert sum(counting.calls) == len(document.sentences) == run.translated


def test_document_into_its_own_language_or_without_model(
    installed: list[PackageInfo], mt_store: Store, document: Document
) -> None:
    with pytest.raises(MachineTranslationError, match="already in ru"):
        machine_translate(document, "ru", fast(), mt_store)
    with pytest.raises(ModelMissing):
        machine_translate(document, "fr", fast(), mt_store)
    assert mt_store.machine_translations(document.id, "fr") == {}


def test_written_machine_translation_is_a_marked_translation_file(
    installed: list[PackageInfo], mt_store: Store, document: Document, tmp_path: Path
) -> None:
    with pytest.raises(MachineTranslationError, match="no machine translation"):
        write_machine_translation(document, "de", mt_store, tmp_path)
    machine_translate(document, "de", fast(), mt_store)
    path = write_machine_translation(document, "de", mt_store, tmp_path)
    assert path == tmp_path / document.id / "mt-argos-de.txt"
    parsed = parse_translation(path.read_text(encoding="utf-8"), document_id=document.id, name=str(path))
    assert parsed.meta.kind == "machine" and parsed.meta.language == "de"
    assert SYNTHETIC_LABEL in parsed.meta.notes and "NOT a translation" in parsed.meta.notes
    assert "translate-ru_en 0.1" in parsed.meta.model and "translate-en_de 0.1" in parsed.meta.model
    machine = parsed.meta.extra["machine"]
    assert isinstance(machine, dict)
    assert machine["pivot"] == "en" and machine["synthetic"] is True
    assert len(machine["source_hashes"]) == len(document.sentences)
    body = path.read_text(encoding="utf-8").split("+++", 2)[2]
    assert body.count(SYNTHETIC_LABEL) == len(document.sentences)
    assert "[[" in body  # the document's gap marker keeps its place


# --------------------------------------------------------------------------- imports


def test_importing_the_core_and_cli_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, sourcereader.core.translation.argos, sourcereader.core.translation.argos_packages, "
        "sourcereader.core.translation.machine, sourcereader.core.store.machine_translations, "
        "sourcereader.cli.translate\n"
        "print(sorted(m for m in ('torch', 'argostranslate', 'ctranslate2', 'sentencepiece', 'stanza') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_translating_does_not_import_torch(installed: list[PackageInfo], tmp_path: Path) -> None:
    # The fixture process imported torch to *build* the package (ctranslate2.specs); check in a fresh one.
    code = (
        "import sys\n"
        "from sourcereader.core.translation.argos import ArgosTranslator\n"
        "t = ArgosTranslator(beam_size=1, max_decoding_length=8)\n"
        "out = t.translate(['Молотов'], source='ru', target='en')\n"
        "print(len(out), 'torch' in sys.modules, 'argostranslate.translate' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "1 False False"
