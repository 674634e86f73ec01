"""A modal for writing a note: a TextArea; ctrl+s saves, escape cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.textrules import one_line
from reader.tui.stylesheets import READING_CSS


class NoteEditor(ModalScreen[str | None]):
    """Edit `note`; dismisses with the new text (ctrl+s) or None (escape)."""

    CSS_PATH = READING_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: keys typed before ctrl+s reach the TextArea first.
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, note: str = "", *, quote: str = "") -> None:
        super().__init__()
        self.heading = title
        self.note = note
        self.quote = quote

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(Text(self.heading), id="note-title")
            if self.quote:
                excerpt = one_line(self.quote)
                if len(excerpt) > 200:
                    excerpt = excerpt[:199] + "…"
                yield Static(Text(excerpt), id="note-quote")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text("ctrl+s save · escape cancel"), id="note-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
