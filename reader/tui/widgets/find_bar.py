"""The reading view's find bar (`/`): what to find, and how many matches there are.

It knows nothing of the article: it posts what was typed (`Changed`, at every key),
asks for the next or previous match (enter / shift+enter, or ↓ / ↑), and says when it
is done (`Closed`, escape). The screen finds (reader.tui.find) and shows the count here.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Static


class FindBar(Horizontal):
    """`/`, the query, and the match count ("3 of 12")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", tooltip="Close the find bar"),
    ]

    class Changed(Message):
        """The query is now `query`."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Step(Message):
        """Go to the next match (`forward`), or the previous one."""

        def __init__(self, forward: bool) -> None:
            super().__init__()
            self.forward = forward

    class Closed(Message):
        """Escape: the find is over."""

    def compose(self) -> ComposeResult:
        yield Label("/", id="find-label")
        yield FindInput(placeholder="Find in the article", id="find-input", select_on_focus=True)
        yield Static(id="find-count")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def open(self) -> None:
        """Show the bar, focused, with the last query selected (typing replaces it)."""
        self.remove_class("-hidden")
        # Focused now, not after the messages already queued (Widget.focus waits for
        # them): the keys typed right after `/` are the query's, not the screen's.
        self.screen.set_focus(self.input)

    def close(self) -> None:
        self.add_class("-hidden")

    def show_count(self, text: str, *, found: bool = True) -> None:
        self.query_one("#find-count", Static).update(Text(text))
        self.set_class(not found, "-not-found")

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Step(True))

    def action_close(self) -> None:
        self.post_message(self.Closed())


class FindInput(Input):
    """The query. Enter is the input's own (submitted: the next match); the arrows step
    too, for a terminal that cannot tell shift+enter from enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "next_match", "Next match", key_display="↵/↓"),
        Binding("shift+enter,up", "previous_match", "Previous match", key_display="⇧↵/↑"),
    ]

    def action_next_match(self) -> None:
        self.post_message(FindBar.Step(True))

    def action_previous_match(self) -> None:
        self.post_message(FindBar.Step(False))
