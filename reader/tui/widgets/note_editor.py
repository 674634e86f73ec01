"""A modal for writing a note: a TextArea; escape and ctrl+s both save.

What was typed is never dropped: escape keeps it, as ctrl+s does. Only a note that
had text and was emptied asks first (removing a note is the one change that loses
words), and "keep editing" goes back to the text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.textrules import one_line
from reader.tui.screens.dialogs import ConfirmDialog
from reader.tui.stylesheets import READING_CSS

HINT = "esc saves · ctrl+s saves"


class NoteEditor(ModalScreen[str]):
    """Edit `note`; dismisses with the text as it is when closed (escape or ctrl+s)."""

    CSS_PATH = READING_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not priority bindings: keys typed before them reach the TextArea first.
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "save", "Save note"),
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
            hint = HINT + (" · emptied, the note is removed" if self.note.strip() else "")
            yield Static(Text(hint), id="note-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        text = self.text
        if text.strip() or not self.note.strip():
            self.dismiss(text)
            return

        def answered(remove: bool | None) -> None:
            if remove:
                self.dismiss(text)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(
            ConfirmDialog("Remove this note? Its text is empty.", yes="Remove", no="Keep editing"),
            answered,
        )
