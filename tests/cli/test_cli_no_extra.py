"""A basic install has no 'translate' extra: the MT commands say how to get it, no traceback."""

from __future__ import annotations

import sys

import pytest

from sourcereader.cli import run


@pytest.mark.parametrize(
    "argv",
    [
        ["translate", "1940-11-12-soviet-record-hitler-molotov"],
        ["models", "list"],
        ["models", "install", "ru", "en"],
    ],
)
def test_missing_translate_extra(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] in {"argostranslate", "ctranslate2"}]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "argostranslate", None)  # import argostranslate -> ModuleNotFoundError
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    status = run(argv)
    err = capsys.readouterr().err
    assert status == 2
    assert "optional 'translate' packages" in err and "constraints.txt" in err
    assert "Traceback" not in err and "internal error" not in err


def test_other_missing_modules_are_still_internal_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sourcereader.cli.library as library

    def broken(args: object) -> int:
        import no_such_module_for_this_test  # type: ignore[import-not-found]  # noqa: F401

        return 0

    monkeypatch.setattr(library, "run_list", broken)
    status = run(["list"])
    assert status == 1
    assert "internal error" in capsys.readouterr().err
