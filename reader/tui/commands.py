"""The command palette's reader commands: every key binding of the current screen.

`ScreenCommands` reads the BINDINGS of the active screen (and of the widgets the
screen names in `command_nodes()`), so each action with a key is also a command, with
its key shown as help. A screen opts in by nothing more than declaring BINDINGS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.widget import Widget

from reader.tui.screens.help import key_label

Command = tuple[str, str, Callable[[], object]]


def bindings_of(node: DOMNode) -> Iterator[Binding]:
    """The node's declared bindings, its class's first, then its bases'."""
    for cls in type(node).__mro__:
        for item in cls.__dict__.get("BINDINGS", []):
            yield item if isinstance(item, Binding) else Binding(*item)


def screen_commands(screen: Widget) -> list[Command]:
    """(name, help, callback) for each described binding of the screen and its widgets."""
    nodes_of = getattr(screen, "command_nodes", None)
    nodes = [screen, *(nodes_of() if callable(nodes_of) else [])]
    commands: list[Command] = []
    seen: set[str] = set()
    for node in nodes:
        for binding in bindings_of(node):
            name = binding.tooltip or binding.description
            if not name or name in seen:
                continue
            if binding.action in ("quit", "app.quit"):
                continue  # the system commands have Quit
            seen.add(name)
            help_text = f"key: {key_label(binding.key)}"
            commands.append((name, help_text, partial(_run, node, binding.action)))
    return commands


async def _run(node: Widget, action: str) -> None:
    await node.run_action(action)


class ScreenCommands(Provider):
    """Commands for whatever the current screen can do."""

    async def discover(self) -> Hits:
        for name, help_text, callback in screen_commands(self.screen):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in screen_commands(self.screen):
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
