"""TagActions: the library's tag management (rename, merge, delete a tag).

The sidebar's R, M and D keys call these on the screen (`screen.rename_tag`...): they act
on the tag under the sidebar's cursor, or ask which tag when it is elsewhere (as from
the command palette). Changes are queued for the archive's writer; a tag on thousands
of articles takes seconds to rename.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen
from textual.suggester import SuggestFromList

from reader.archive import clean_tag_name
from reader.query import Query
from reader.textrules import display_line
from reader.tui.screens.dialogs import ConfirmDialog, PromptDialog

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.tui.widgets.sidebar import Sidebar


class TagActions(Screen[None]):
    """The tag actions of LibraryScreen (its base), which provides what is declared here."""

    if TYPE_CHECKING:
        filter: Query

        @property
        def sidebar(self) -> Sidebar: ...
        def write(
            self,
            work: Callable[[Archive], object],
            then: Callable[[object], object] | None = None,
            *,
            title: str = ...,
        ) -> None: ...
        def action_refresh(self) -> None: ...

    def _tag_names(self) -> list[str]:
        return [t.name for t in self.sidebar.tags]

    def _pick_tag(self, verb: str, then: Callable[[str], None]) -> None:
        """The tag under the sidebar's cursor, else ask for one."""
        tag = self.sidebar.highlighted_tag if self.sidebar.has_focus else None
        if tag is not None:
            then(tag)
            return
        names = self._tag_names()
        if not names:
            self.notify("There are no tags yet.", markup=False)
            return
        self.app.push_screen(
            PromptDialog(
                f"{verb} which tag?",
                suggester=SuggestFromList(names, case_sensitive=False),
                hint="tab completes",
            ),
            lambda name: then(name) if name else None,
        )

    def _tag_write(
        self, work: Callable[[Archive], object], done: str, *, new_filter: str | None = None
    ) -> None:
        """Change tags in a worker, then show it; with `new_filter`, the sidebar's tag
        filter follows the tag to its new name."""

        def finished(_: object) -> None:
            if new_filter is not None:
                self.sidebar.filter_id = f"tag:{new_filter}"
                self.filter = Query(tags=(new_filter,))
            self.notify(done, markup=False)
            self.action_refresh()

        self.write(work, finished, title="Tags")

    def action_rename_tag(self) -> None:
        self._pick_tag("Rename", self._rename_tag)

    def _rename_tag(self, tag: str) -> None:
        def renamed(new: str | None) -> None:
            with contextlib.suppress(ValueError):  # else the archive's refusal is shown
                new = clean_tag_name(new or "")  # the name as stored: the filter follows it
            if new and new != tag:
                following = self.sidebar.filter_id == f"tag:{tag}"
                self._tag_write(
                    lambda archive: archive.rename_tag(tag, new),
                    f"Renamed #{tag} to #{new}",
                    new_filter=new if following else None,
                )

        self.app.push_screen(
            PromptDialog(Text(f"Rename #{display_line(tag)} to"), value=tag, hint="enter renames"),
            renamed,
        )

    def action_merge_tag(self) -> None:
        self._pick_tag("Merge", self._merge_tag)

    def _merge_tag(self, tag: str) -> None:
        others = [name for name in self._tag_names() if name != tag]

        def merged(target: str | None) -> None:
            if target:
                self._tag_write(
                    lambda archive: archive.merge_tags(tag, target),
                    f"Merged #{tag} into #{target}",
                )

        self.app.push_screen(
            PromptDialog(
                Text(f"Merge #{display_line(tag)} into which tag?"),
                suggester=SuggestFromList(others, case_sensitive=False),
                hint="its articles get that tag; #" + display_line(tag) + " goes away",
            ),
            merged,
        )

    def action_delete_tag(self) -> None:
        self._pick_tag("Delete", self._delete_tag)

    def _delete_tag(self, tag: str) -> None:
        count = next((t.count for t in self.sidebar.tags if t.name == tag), 0)

        def answered(yes: bool | None) -> None:
            if yes:
                self._tag_write(lambda archive: archive.delete_tag(tag), f"Deleted tag #{tag}")

        question = Text(f"Delete the tag #{display_line(tag)}? ")
        question.append(f"({count} article{'s' if count != 1 else ''} keep everything else.)")
        self.app.push_screen(ConfirmDialog(question, yes="Delete tag", no="Keep"), answered)
