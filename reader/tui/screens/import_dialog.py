"""ImportDialog: what `i` in the library asks: a file or folder of saved pages, and a tag
to give everything imported (optional).

A path that does not exist, or a tag that cannot be one, is said under the fields and
the dialog stays open with what was typed, to be fixed (as the export dialog does).
Dismisses with an ImportRequest, or None when cancelled with escape.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from reader.archive import clean_tag_name
from reader.textrules import display_line
from reader.tui.screens.dialogs import CompletingInput, PathSuggester


@dataclass(frozen=True)
class ImportRequest:
    """What to import (absolute paths) and the tags to give each page imported."""

    paths: list[Path]
    tags: list[str] = field(default_factory=list)


def resolve_import_path(text: str, base: Path | None = None) -> Path:
    """The typed path as an absolute one (`~` expanded, relative to `base`, default the
    working directory). Raises ValueError with a one-line reason when there is none."""
    value = text.strip()
    if not value:
        raise ValueError("Type the file or folder of saved pages to import")
    path = Path(os.path.expanduser(value))
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    path = Path(os.path.normpath(path))
    if not path.exists():
        raise ValueError(f"{display_line(value)}: no such file or folder")
    return path


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Import saved pages from a file or folder (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        # Tab completes the path while there is a suggestion; the arrows always move.
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(self, known_tags: Iterable[str] = (), *, base: Path | None = None) -> None:
        """`known_tags`: offered as the tag is typed; `base`: where a relative path
        starts (default: the working directory)."""
        super().__init__(classes="dialog")
        self.known_tags = sorted(set(known_tags), key=str.casefold)
        self.base = base

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box import-box"):
            yield Static(
                "Import saved pages from a file or folder",
                classes="dialog-question",
                markup=False,
            )
            yield CompletingInput(
                placeholder="~/Downloads/saved-pages",
                suggester=PathSuggester(self.base),
                select_on_focus=False,  # back to fix it: the cursor at its end, not a selection
                id="import-path",
            )
            yield Label("Tag everything imported (optional)", classes="import-label")
            yield CompletingInput(
                placeholder="a tag",
                suggester=SuggestFromList(self.known_tags, case_sensitive=False),
                select_on_focus=False,
                id="import-tag",
            )
            yield Static("", id="import-error", classes="-empty", markup=False)
            yield Label(
                "tab completes · ↓ ↑ between fields · enter imports · esc cancels",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @property
    def error_message(self) -> str:
        return str(self.query_one("#import-error", Static).render())

    def show_error(self, message: str) -> None:
        """One line under the fields (empty hides it)."""
        error = self.query_one("#import-error", Static)
        error.update(Text(display_line(message)))
        error.set_class(not message, "-empty")

    @on(Input.Changed)
    def _changed(self) -> None:
        self.show_error("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path_input = self.query_one("#import-path", Input)
        try:
            path = resolve_import_path(path_input.value, self.base)
        except ValueError as error:
            self.show_error(str(error))
            path_input.focus()  # to be fixed, where it was typed
            return
        typed_tag = self.query_one("#import-tag", Input).value
        try:
            tags = [clean_tag_name(typed_tag)] if typed_tag.strip() else []
        except ValueError as error:
            self.show_error(f"The tag: {error}")
            return
        # An existing tag keeps its spelling when typed in another case.
        tags = [next((k for k in self.known_tags if k.casefold() == t.casefold()), t) for t in tags]
        self.dismiss(ImportRequest([path], tags))

    def action_cancel(self) -> None:
        self.dismiss(None)
