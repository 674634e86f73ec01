"""SearchBar: a search input that reports its text once typing pauses, and a status line.

The status line under the input shows the result count, the sort and the selection,
or the parse error of what was typed (with its position): the screen fills it in.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

PLACEHOLDER = 'Search: words "a phrase" -word tag:x site:x is:unread sort:title'


class SearchBar(Vertical):
    """The `/` search: filters the list as you type."""

    # Seconds typing must pause before `Changed` is sent (tests set 0: at every key).
    DEBOUNCE_SECONDS: ClassVar[float] = 0.15

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to list", show=False),
        Binding("down", "leave", "Back to list", show=False),
    ]

    class Changed(Message):
        """The search text settled (typing paused, or enter)."""

        def __init__(self, text: str, *, submitted: bool = False) -> None:
            super().__init__()
            self.text = text
            self.submitted = submitted

    class Left(Message):
        """The user is done with the search bar (enter, escape or down)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._sent: str | None = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False)
        yield Static(id="search-status", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.DEBOUNCE_SECONDS <= 0:
            self._send()
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE_SECONDS, self._send)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._send(submitted=True)
        self.post_message(self.Left())

    def _send(self, *, submitted: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.input.value
        if text != self._sent or submitted:
            self._sent = text
            self.post_message(self.Changed(text, submitted=submitted))

    def action_leave(self) -> None:
        self._send()
        self.post_message(self.Left())

    def show_status(self, text: Text, *, error: bool = False) -> None:
        """`text` under the input; with `error`, the input and the line show that what
        is typed does not parse."""
        status = self.query_one("#search-status", Static)
        status.update(text)
        status.set_class(error, "-error")
        self.input.set_class(error, "-query-error")  # not -invalid: Input resets that
