"""The command palette offers every action of the current screen, from the one table of bindings.

A command is found by what it does (its tooltip), by its short name in the footer (its
description) or by its binding id: "verify" finds ``v``, whose tooltip says "Mark this row's
alignment as checked", as the id is what ``keys.toml`` and the help screen call it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from sourcereader.core.sanitize import for_terminal
from sourcereader.tui.bindings import TABLE, Scope, key_display


def screen_commands(screen: Screen[Any], app_node: DOMNode) -> Iterator[tuple[Binding, DOMNode]]:
    """The bindings the palette offers on ``screen``, each with the node whose action it runs.

    A screen lists its scopes in ``SCOPES``; the node of a scope bound on one of its widgets (the
    reader's text, the annotations list) is what its ``binding_node(scope)`` returns, if it has one.
    """
    from sourcereader.tui.widgets.parallel_text import ParallelText

    scopes: tuple[Scope, ...] = getattr(screen, "SCOPES", ("app",))
    for scope in scopes:
        node: DOMNode | None
        if scope == "app":
            node = app_node
        elif scope == "text":
            texts = list(screen.query(ParallelText))
            focused = [t for t in texts if t.has_focus]
            node = (focused or texts)[0] if texts else None
        elif hasattr(screen, "binding_node"):
            node = screen.binding_node(scope)
        else:
            node = screen
        if node is None:
            continue
        for binding in TABLE[scope]:
            yield binding, node


def command_score(matcher: Matcher, binding: Binding) -> float:
    """How well what is typed matches a binding: the best of its tooltip, description and id."""
    names = (binding.tooltip, binding.description, binding.id or "", (binding.id or "").replace("_", " "))
    return max(matcher.match(name) for name in names if name)


class BindingCommands(Provider):
    """Every binding of the screen the palette was opened on, by what it does, its name or its id."""

    def _commands(self) -> list[tuple[str, str, Binding, DOMNode]]:
        keymap = getattr(self.app, "user_keymap", {})
        out = []
        for binding, node in screen_commands(self.screen, self.app):
            title = binding.tooltip or binding.description
            keys = for_terminal(key_display(binding, keymap))  # from the user's keys.toml
            out.append((title, f"{keys} · {binding.id}", binding, node))
        return out

    async def _run(self, binding: Binding, node: DOMNode) -> None:
        await self.app.run_action(binding.action, node)

    async def discover(self) -> Hits:
        """All commands, when nothing is typed yet."""
        for title, help_text, binding, node in self._commands():
            yield DiscoveryHit(Text(title), partial(self._run, binding, node), text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose tooltip, description or id matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, binding, node in self._commands():
            score = command_score(matcher, binding)
            if score > 0:
                # The title is highlighted where it matches; a match on the id shows in the help line.
                shown = matcher.highlight(title) if matcher.match(title) else Text(title)
                yield Hit(score, shown, partial(self._run, binding, node), text=title, help=help_text)
