"""The core must be usable without the TUI or Argos: proven at run time, in a subprocess.

import-linter checks the static imports; this catches what it cannot see (imports inside
functions that run at import time, plugins, re-exports).
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import sourcereader.core

FORBIDDEN = ("textual", "rich", "argostranslate", "torch", "ctranslate2", "stanza")
CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(sourcereader.core.__path__, prefix="sourcereader.core.")
)


def _loaded_after_import(module: str) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(FORBIDDEN)!r}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_core_modules_were_found() -> None:
    assert "sourcereader.core.documents" in CORE_MODULES
    assert "sourcereader.core.store" in CORE_MODULES
    # Modules inside the core's packages are checked one by one too.
    assert "sourcereader.core.translation.argos_packages" in CORE_MODULES


@pytest.mark.parametrize(
    "module", [*CORE_MODULES, "sourcereader.cli", "sourcereader.cli.library", "sourcereader.cli.translate"]
)
def test_module_imports_nothing_heavy(module: str) -> None:
    assert _loaded_after_import(module) == []


def test_the_check_itself_can_fail() -> None:
    assert "textual" in _loaded_after_import("textual")
