"""AppFooter: Textual's Footer with Help, Quit and the command palette kept in view.

Textual's footer lays the keys out left to right and cuts off what does not fit, so at
80 columns (or with a focused widget's keys in front) `? Help` and `q Quit` fell off
the end. Here they sit in a group docked on the right beside `^p palette`, and the rest
fill what is left. Each key also gets a class naming its action (`-key-cycle_sort`), so
a screen's stylesheet can leave the less used keys out at narrow widths (they stay in
the help screen and the palette); a key that still does not fit whole is left out
rather than cut in the middle.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Footer

# Keys (actions, as bound) kept on the right, in this order, before the palette's.
RIGHT = ("help", "back", "quit")
# Refreshes to wait for the keys' layout before fitting them (one or two suffice).
FIT_TRIES = 5


class AppFooter(Footer):
    """The footer of the reader's screens (see the module's docstring); compact (less
    space between keys) below COMPACT_BELOW columns."""

    COMPACT_BELOW: ClassVar[int] = 100

    DEFAULT_CSS: ClassVar[str] = """
    AppFooter .footer-right {
        dock: right;
        width: auto;
        height: 1;
        background: $footer-background;
    }
    AppFooter .footer-right FooterKey.-command-palette {
        dock: none;
    }
    AppFooter .-overflow {
        display: none;
    }
    """

    def on_resize(self) -> None:
        if self.size.width:  # not yet laid out: compact would flip, restyling every key
            self.compact = self.size.width < self.COMPACT_BELOW
        for key in self.query(".-overflow"):
            key.remove_class("-overflow")
        self.call_after_refresh(self._fit)

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._fit)

    def _fit(self, tries: int = FIT_TRIES) -> None:
        """Leave out the keys that would run under the right-hand group or off screen."""
        keys = [key for key in self.query("FooterKey") if key.display]
        if any(not key.region.width for key in keys):
            # Recomposed keys are laid out a refresh or two after the compose that asked.
            if tries:
                self.call_after_refresh(self._fit, tries - 1)
            return
        groups = self.query(".footer-right")
        limit = groups.first().region.x if groups else self.region.right
        for key in keys:
            if key.parent is not None and key.parent.has_class("footer-right"):
                continue
            if key.region.right > limit:
                key.add_class("-overflow")

    def compose(self) -> ComposeResult:
        right: dict[str, Widget] = {}
        palette: Widget | None = None
        for widget in super().compose():
            # A FooterKey (not exported by Textual): the key of one binding.
            bound = getattr(widget, "action", None)
            if isinstance(bound, str):
                action = bound.rpartition(".")[2]
                # Styled when mounted: updating styles here, key by key, on every
                # recompose (each focus change), was a third of the library's first paint.
                widget.add_class(f"-key-{action}", update=False)
                if widget.has_class("-command-palette"):
                    palette = widget
                    continue
                # A key starts compact and is bound to the footer's value once mounted:
                # started right, it is not restyled twice on every recompose.
                compact = getattr(type(widget), "compact", None)
                if isinstance(compact, Reactive):
                    widget.set_reactive(compact, self.compact)
                if action in RIGHT and action not in right:
                    right[action] = widget
                    continue
            yield widget
        keys = [right[action] for action in RIGHT if action in right]
        if palette is not None:
            keys.append(palette)
        if keys:
            yield HorizontalGroup(*keys, classes="footer-right")
        self.call_after_refresh(self._fit)
