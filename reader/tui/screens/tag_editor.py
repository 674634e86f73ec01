"""TagEditor: add and remove tags on one article or a selection.

Type a name (existing tags complete as you type; tab accepts) and press enter to add
it; tab on to the list, where x (or delete) marks the highlighted tag for removal and
x again keeps it. Nothing typed is lost: escape applies the changes, with what is still
in the input; ctrl+z is the way out without them. Enter on an empty input (or ctrl+s)
applies too. Dismisses with (added, removed) names, or None when discarded.

reader.tui.article_actions.edit_tags opens it and writes the answer; callers use that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.textrules import display_line
from reader.tui.screens.dialogs import CompletingInput

HINT = (
    "enter adds · tab to the list, where x removes (x again keeps)\n"
    "esc applies the changes · ctrl+z discards them"
)


def casefolded(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


class TagEditor(ModalScreen[tuple[list[str], list[str]] | None]):
    """Add and remove tags on `total` articles (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "apply", "Apply", tooltip="Apply the changes (what is typed too)"),
        Binding("ctrl+s", "apply", "Apply", show=False),
        Binding("ctrl+z", "discard", "Discard", tooltip="Close without changing any tag"),
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
            yield Label(HINT, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._show()

    @property
    def input(self) -> Input:
        return self.query_one("#tag-input", Input)

    @property
    def tags(self) -> list[str]:
        """The tags the articles will have (on at least one of them)."""
        removed = casefolded(self.removed)
        names = [n for n in self.counts if n.casefold() not in removed]
        names += [n for n in self.added if n.casefold() not in casefolded(names)]
        return sorted(names, key=str.casefold)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.input.value.strip())

    def label(self, name: str) -> Text:
        """A tag's row: its name, and what applying will do to it."""
        to_all = " from all" if self.total > 1 else ""
        if name in self.removed:
            label = Text("#" + display_line(name), style="strike")
            label.append(f"  (removing{to_all})", style="bold")
            return label
        label = Text("#" + display_line(name))
        count = self.counts.get(name)
        if name in self.added:
            note = "new tag" if name not in self.known else "adding"
            label.append(f"  ({note}{' to all' if self.total > 1 else ''})", style="bold")
        elif self.total > 1 and count is not None and count < self.total:
            # Not dimmed: a dimmed colour falls under 4.5:1 on the cursor's bar.
            label.append(f"  ({count} of {self.total})", style="italic")
        return label

    def _show(self) -> None:
        """The list again, the cursor kept on its row."""
        options = self.query_one(TagOptions)
        highlighted = options.highlighted
        options.clear_options()
        # A removed tag stays listed, marked, until the changes are applied.
        names = sorted({*self.tags, *self.removed}, key=str.casefold)
        options.add_options([Option(self.label(name), id=name) for name in names])
        if highlighted is not None and options.option_count:
            options.highlighted = min(highlighted, options.option_count - 1)

    @on(Input.Submitted, "#tag-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_apply()
            return
        self.add_tag(event.value)
        event.input.value = ""
        self._show()

    def add_tag(self, typed: str) -> None:
        name = " ".join(typed.split())
        if not name:
            return
        # An existing tag keeps its spelling when typed in another case.
        name = next((k for k in self.known if k.casefold() == name.casefold()), name)
        self.removed = [r for r in self.removed if r.casefold() != name.casefold()]
        full = self.counts.get(name) == self.total
        if name.casefold() not in casefolded(self.added) and not full:
            self.added.append(name)

    def toggle_tag(self, name: str) -> None:
        """Remove a tag (a new one is forgotten), or keep a tag marked for removal."""
        if name in self.removed:
            self.removed.remove(name)
        else:
            self.added = [a for a in self.added if a.casefold() != name.casefold()]
            if name in self.counts:
                self.removed.append(name)
        self._show()

    def action_apply(self) -> None:
        """Close with the changes, the tag still in the input among them."""
        self.add_tag(self.input.value)
        self.dismiss((list(self.added), list(self.removed)))

    def action_discard(self) -> None:
        self.dismiss(None)


class TagOptions(OptionList):
    """The tag editor's list of tags; x or delete removes the highlighted one (or keeps
    it when it is marked for removal)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete,x,backspace", "toggle_tag", "Remove / keep", tooltip="Remove or keep a tag"
        ),
    ]

    def on_focus(self) -> None:
        # Tabbed into, the list shows its cursor at once (and x has a tag to act on).
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def action_toggle_tag(self) -> None:
        if self.highlighted is None:
            return
        name = self.get_option_at_index(self.highlighted).id
        if name is not None and isinstance(self.screen, TagEditor):
            self.screen.toggle_tag(name)
