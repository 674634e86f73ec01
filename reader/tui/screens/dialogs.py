"""Small modal dialogs: confirm, a one-line prompt (with completion and a path suggester).

The tag editor is in tag_editor.py, the import dialog in import_dialog.py.

Each dismisses with its answer (None when cancelled with escape), so callers use
`push_screen(dialog, callback)` or `await push_screen_wait(...)` from a worker.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y or enter says yes, n or escape says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str | Text, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog")
        self.question = question if isinstance(question, Text) else Text(question)
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.question, classes="dialog-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="error", id="yes")
                yield Button(self.no, id="no")
            yield Label(f"y {self.yes.lower()} · n or esc {self.no.lower()}", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PromptDialog(ModalScreen[str | None]):
    """One line of input (tab or right arrow accepts the suggestion); None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str | Text,
        *,
        value: str = "",
        placeholder: str = "",
        suggester: Suggester | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(classes="dialog")
        self.title_ = title if isinstance(title, Text) else Text(title)
        self.value = value
        self.placeholder = placeholder
        self.suggester = suggester
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_, classes="dialog-question", markup=False)
            yield CompletingInput(
                value=self.value,
                placeholder=self.placeholder,
                suggester=self.suggester,
                id="prompt-input",
            )
            yield Label(self.hint, classes="dialog-hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CompletingInput(Input):
    """An Input where tab accepts the suggestion (and stays put) when there is one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", show=False),
    ]

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


class PathSuggester(Suggester):
    """Completes a file system path: the first entry of its folder that starts with
    what was typed (folders get a trailing slash). `~` is the home folder."""

    def __init__(self, base: Path | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base or Path.cwd()

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder_text, _, prefix = value.rpartition("/")
        folder_text = folder_text + "/" if "/" in value else ""
        folder = Path(os.path.expanduser(folder_text or ".")) if folder_text else self.base
        if not folder.is_absolute():
            folder = self.base / folder
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError:
            return None
        hidden = prefix.startswith(".")
        for name in names:
            if name.startswith(prefix) and (hidden or not name.startswith(".")):
                suffix = "/" if (folder / name).is_dir() else ""
                return folder_text + name + suffix
        return None
