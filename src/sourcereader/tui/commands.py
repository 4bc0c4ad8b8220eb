"""The command palette offers every action of the current screen, from the one table of bindings."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from sourcereader.tui.bindings import TABLE, Scope, key_display


def screen_commands(screen: Screen[Any], app_node: DOMNode) -> Iterator[tuple[Binding, DOMNode]]:
    """The bindings the palette offers on ``screen``, each with the node whose action it runs."""
    from sourcereader.tui.widgets.parallel_text import ParallelText

    scopes: tuple[Scope, ...] = getattr(screen, "SCOPES", ("app",))
    for scope in scopes:
        if scope == "app":
            node: DOMNode = app_node
        elif scope == "text":
            texts = list(screen.query(ParallelText))
            focused = [t for t in texts if t.has_focus]
            if not texts:
                continue
            node = (focused or texts)[0]
        else:
            node = screen
        for binding in TABLE[scope]:
            yield binding, node


class BindingCommands(Provider):
    """Every binding of the screen the palette was opened on, by its description."""

    def _commands(self) -> list[tuple[str, str, Binding, DOMNode]]:
        keymap = getattr(self.app, "user_keymap", {})
        out = []
        for binding, node in screen_commands(self.screen, self.app):
            title = binding.tooltip or binding.description
            out.append((title, f"{key_display(binding, keymap)} · {binding.id}", binding, node))
        return out

    async def _run(self, binding: Binding, node: DOMNode) -> None:
        await self.app.run_action(binding.action, node)

    async def discover(self) -> Hits:
        """All commands, when nothing is typed yet."""
        for title, help_text, binding, node in self._commands():
            yield DiscoveryHit(title, partial(self._run, binding, node), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose description matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, binding, node in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, binding, node), help=help_text)
