"""Small modal dialogs: confirm, a one-line prompt (with completion), the tag editor.

Each dismisses with its answer (None when cancelled with escape), so callers use
`push_screen(dialog, callback)` or `await push_screen_wait(...)` from a worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.textrules import display_line


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


def import_prompt(base: Path | None = None) -> PromptDialog:
    """The `i` prompt: a file or folder of saved pages."""
    return PromptDialog(
        "Import saved pages from a file or folder",
        placeholder="~/Downloads/saved-pages",
        suggester=PathSuggester(base),
        hint="tab completes · enter imports · escape cancels",
    )


class TagEditor(ModalScreen[tuple[list[str], list[str]] | None]):
    """Add and remove tags on one article or a selection.

    Type a name (existing tags complete as you type; tab accepts) and press enter to
    add it; on the list, delete or x removes the highlighted tag. Enter on an empty
    input (or ctrl+s) applies the changes; escape drops them. Dismisses with
    (added, removed) names.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
    ]

    def __init__(
        self,
        title: str | Text,
        current: Sequence[tuple[str, int]],
        total: int,
        known: Iterable[str],
    ) -> None:
        """`current`: (tag, how many of the `total` articles have it)."""
        super().__init__(classes="dialog")
        self.title_ = title if isinstance(title, Text) else Text(title)
        self.total = total
        self.counts = dict(current)
        self.known = sorted(set(known), key=str.casefold)
        self.added: list[str] = []
        self.removed: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box tag-editor"):
            yield Static(self.title_, classes="dialog-question", markup=False)
            yield CompletingInput(
                placeholder="Add a tag",
                suggester=SuggestFromList(self.known, case_sensitive=False),
                id="tag-input",
            )
            yield TagOptions(id="tag-list")
            yield Label(
                "enter adds · del removes · enter on empty (or ctrl+s) applies · esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._show()

    @property
    def tags(self) -> list[str]:
        """The tags the articles will have (on at least one of them)."""
        names = [n for n in self.counts if n.casefold() not in {r.casefold() for r in self.removed}]
        names += [n for n in self.added if n.casefold() not in {c.casefold() for c in names}]
        return sorted(names, key=str.casefold)

    def _show(self) -> None:
        options = self.query_one("#tag-list", OptionList)
        options.clear_options()
        for name in self.tags:
            label = Text("#" + display_line(name))
            count = self.counts.get(name)
            if name in self.added:
                note = "new tag" if name not in self.known else "adding"
                label.append(f"  ({note}{' to all' if self.total > 1 else ''})", style="dim")
            elif self.total > 1 and count is not None and count < self.total:
                label.append(f"  ({count} of {self.total})", style="dim")
            options.add_option(Option(label, id=name))

    @on(Input.Submitted, "#tag-input")
    def _add(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if not name:
            self.action_apply()
            return
        # An existing tag keeps its spelling when typed in another case.
        name = next((k for k in self.known if k.casefold() == name.casefold()), name)
        self.removed = [r for r in self.removed if r.casefold() != name.casefold()]
        have = {n.casefold() for n in self.counts}
        full = self.counts.get(name) == self.total
        if name.casefold() not in {a.casefold() for a in self.added} and not (
            name.casefold() in have and full
        ):
            self.added.append(name)
        event.input.value = ""
        self._show()

    def remove_tag(self, name: str) -> None:
        self.added = [a for a in self.added if a.casefold() != name.casefold()]
        if name in self.counts and name not in self.removed:
            self.removed.append(name)
        self._show()

    def action_apply(self) -> None:
        self.dismiss((list(self.added), list(self.removed)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TagOptions(OptionList):
    """The tag editor's list of tags; delete or x removes the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,x,backspace", "remove", "Remove tag"),
    ]

    def action_remove(self) -> None:
        if self.highlighted is None:
            return
        name = self.get_option_at_index(self.highlighted).id
        if name is not None and isinstance(self.screen, TagEditor):
            index = self.highlighted
            self.screen.remove_tag(name)
            if self.option_count:
                self.highlighted = min(index, self.option_count - 1)
