"""Sidebar: the library's views (All, Unread, ...) and tags, each with its count.

Moving onto an entry filters the article list (the screen hears `FilterChanged`);
on a tag, R renames it, M merges it into another and D deletes it (the screen asks
first). "Missing pages" (known from an export, not saved yet) is listed only while
there are some.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import TagCount
from reader.query import Query
from reader.textrules import display_line

# (option id, label, sidebar_counts() key, the query it stands for)
VIEWS: tuple[tuple[str, str, str, Query], ...] = (
    ("view:all", "All", "all", Query()),
    ("view:unread", "Unread", "unread", Query(flags=("unread",))),
    ("view:starred", "Starred", "starred", Query(flags=("starred",))),
    ("view:archived", "Archived", "archived", Query(flags=("archived",))),
    ("view:annotated", "Annotated", "annotated", Query(flags=("annotated",))),
    ("view:missing", "Missing pages", "missing", Query(flags=("missing",))),
)
MISSING_VIEW = "view:missing"
TAG_PREFIX = "tag:"


def entry(label: str, count: int) -> Table:
    """One sidebar line: the label (cut short with … to fit) and its count on the right."""
    table = Table.grid(expand=True)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    # The count in the label's own colour: a dimmed one fell under 4.5:1 on the cursor's
    # bar, which moves over a line drawn once.
    table.add_row(Text(display_line(label)), Text(f" {count:,}"))
    return table


class Sidebar(OptionList):
    """Views and tags; the highlighted one is the list's filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("R", "screen.rename_tag", "Rename", tooltip="Rename a tag"),
        Binding("M", "screen.merge_tag", "Merge", tooltip="Merge a tag into another"),
        Binding("D,delete", "screen.delete_tag", "Delete tag", tooltip="Delete a tag"),
    ]

    class FilterChanged(Message):
        """The highlighted view or tag changed: show `query`'s articles."""

        def __init__(self, option_id: str, query: Query) -> None:
            super().__init__()
            self.option_id = option_id
            self.query_ = query

    class Chosen(Message):
        """Enter (or a click) on an entry: the user wants its articles."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filter_id = "view:all"
        self.counts: dict[str, int] = {}
        self.tags: list[TagCount] = []

    def on_mount(self) -> None:
        self.show({}, [])

    def show(self, counts: dict[str, int], tags: list[TagCount]) -> None:
        """Rebuild the entries with new counts, keeping the highlighted one if it remains."""
        self.counts, self.tags = counts, tags
        options: list[Option | None] = [
            Option(entry(label, counts.get(key, 0)), id=option_id)
            for option_id, label, key, _ in VIEWS
            if self._shows(option_id, counts.get(key, 0))
        ]
        if tags:
            options.append(None)
            options += [Option(entry("#" + t.name, t.count), id=TAG_PREFIX + t.name) for t in tags]
        current = self.filter_id
        self.clear_options()
        self.add_options(options)
        try:
            self.highlighted = self.get_option_index(current)
        except Exception:
            self.filter_id = "view:all"
            self.highlighted = 0
            self.post_message(self.FilterChanged("view:all", Query()))

    def _shows(self, option_id: str, count: int) -> bool:
        """Every view but Missing pages always; that one while there are missing pages
        (most archives never have one), and while it is the one shown (the last page
        imported from it, the list stays put, empty, instead of jumping to All)."""
        return option_id != MISSING_VIEW or count > 0 or self.filter_id == MISSING_VIEW

    @property
    def highlighted_tag(self) -> str | None:
        """The tag under the cursor, if the cursor is on a tag."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return option_id.removeprefix(TAG_PREFIX) if option_id.startswith(TAG_PREFIX) else None

    def select_view(self, option_id: str) -> None:
        """Move to a view or tag (by option id), filtering the list."""
        self.highlighted = self.get_option_index(option_id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        option_id = event.option.id or "view:all"
        if option_id == self.filter_id:
            return
        self.filter_id = option_id
        self.post_message(self.FilterChanged(option_id, query_for(option_id)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen())


def query_for(option_id: str) -> Query:
    """The query a sidebar entry stands for."""
    if option_id.startswith(TAG_PREFIX):
        return Query(tags=(option_id.removeprefix(TAG_PREFIX),))
    for view_id, _, _, query in VIEWS:
        if view_id == option_id:
            return query
    return Query()


def filter_label(option_id: str) -> str:
    """What a sidebar entry is called: `Unread`, `#rust`."""
    if option_id.startswith(TAG_PREFIX):
        return "#" + option_id.removeprefix(TAG_PREFIX)
    return next((label for view_id, label, _, _ in VIEWS if view_id == option_id), "All")
