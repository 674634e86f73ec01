"""HelpScreen: every key of a screen, read from the BINDINGS it and its widgets declare.

Built from the classes' BINDINGS, so a new binding shows up here by itself. Other
screens can push `HelpScreen(help_sections(...))` with their own classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, list[tuple[str, str]]]

KEYS_WIDTH = 20  # the keys column at most (longer keys wrap)

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
    "percent_sign": "%",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "shift+enter": "shift+Enter",
}


def key_label(keys: str) -> str:
    """`down,j` -> `↓ j`; `ctrl+p` -> `ctrl+p`."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def binding_rows(
    *classes: type[DOMNode],
    only: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(keys, description) for each binding the classes declare, in order; with `only`,
    the bindings of those actions, in that order. `names` words an action otherwise
    (a key bound in two modes says what it does in the one listed)."""
    rows: dict[str, tuple[str, str]] = {}
    for cls in classes:
        for item in getattr(cls, "BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.action in rows or not binding.description:
                continue
            if only is not None and binding.action not in only:
                continue
            described = (names or {}).get(binding.action)
            rows[binding.action] = (
                key_label(binding.key),
                described or binding.tooltip or binding.description,
            )
    if only is None:
        return list(rows.values())
    return [rows[action] for action in only if action in rows]


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
        # One width for the keys of every section, so the descriptions line up.
        keys = max((cell_len(k) for _, rows in self.sections for k, _ in rows), default=0)
        with VerticalScroll(id="help-box") as box:
            box.border_title = self.title_
            box.border_subtitle = "escape closes"
            for title, rows in self.sections:
                yield Static(Text(title, style="bold"), classes="help-title")
                yield Static(_table(rows, min(keys, KEYS_WIDTH)), classes="help-table")

    def action_close(self) -> None:
        self.dismiss(None)


def _table(rows: Iterable[tuple[str, str]], keys_width: int) -> Table:
    """Keys and what they do; a description wraps within its column."""
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(width=keys_width, style="bold")
    table.add_column(ratio=1)
    for keys, description in rows:
        table.add_row(Text(keys), Text(description))
    return table
