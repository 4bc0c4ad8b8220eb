"""keys.toml that cannot be read: the reader starts with the default keys and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcereader import locations
from sourcereader.tui.bindings import keys_file
from sourcereader.tui.screens.library import LibraryScreen
from tests.support.tui import app_for

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[keys]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        ("[keys\n", "cannot read key bindings"),
    ],
    ids=["nested-100k-deep", "malformed"],
)
async def test_an_unreadable_keymap_starts_with_the_defaults_and_a_warning(
    tmp_path: Path, text: str, why: str
) -> None:
    keys_file(locations.config_dir()).write_text(text, encoding="utf-8")
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        warnings = [n.message for n in app._notifications]
        assert any(why in w and "using the defaults" in w for w in warnings), warnings
        await pilot.press("question_mark")  # a default key still works
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
