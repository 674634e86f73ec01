"""HelpScreen: every key of a screen, read from the BINDINGS it and its widgets declare.

Built from the classes' BINDINGS, so a new binding shows up here by itself. Other
screens can push `HelpScreen(help_sections(...))` with their own classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, list[tuple[str, str]]]

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "delete": "Del",
    "backspace": "Backspace",
    "tab": "Tab",
    "question_mark": "?",
    "slash": "/",
}


def key_label(keys: str) -> str:
    """`down,j` -> `↓ j`; `ctrl+p` -> `ctrl+p`."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def binding_rows(*classes: type[DOMNode]) -> list[tuple[str, str]]:
    """(keys, description) for each binding the classes declare, in order."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for cls in classes:
        for item in getattr(cls, "BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            rows.append((key_label(binding.key), binding.tooltip or binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Keys, by section; escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help"),
    ]

    def __init__(self, sections: Sequence[Section], title: str = "Keys") -> None:
        super().__init__()
        self.sections = list(sections)
        self.title_ = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = self.title_
            box.border_subtitle = "escape closes"
            for title, rows in self.sections:
                yield Static(Text(title, style="bold"), classes="help-title")
                yield Static(_table(rows), classes="help-table")

    def action_close(self) -> None:
        self.dismiss(None)


def _table(rows: Iterable[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(min_width=14, style="bold")
    table.add_column()
    for keys, description in rows:
        table.add_row(Text(keys), Text(description))
    return table
