"""Finding: the reading screen's find in the article (`/`, n / N, enter / shift+enter).

`Finding` is a base of ReadingScreen: the find bar (reader.tui.widgets.find_bar) says
what to find, reader.tui.find finds it in the article's text (never in what is on the
screen), the view marks the matches and puts the cursor on the current one, and the
count shows in the bar and the status line. Escape closes the find (the cursor stays
on its match); n / N bring the last one back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen

from reader.tui.find import MAX_MATCHES, Finder, Match, first_from, step
from reader.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from reader.tui.widgets.article_view import ArticleView


class Finding(Screen[None]):
    """The find half of ReadingScreen (its base), which provides what is declared here."""

    if TYPE_CHECKING:

        @property
        def view(self) -> ArticleView: ...
        def _update_status(self) -> None: ...

    _finder: Finder | None
    _query: str
    _matches: list[Match]
    _match: int | None  # the index of the match the cursor is on
    _find_from: int  # the cursor when `/` was pressed: typing finds from there

    # Composed with the screen, hidden: mounted on the first `/` instead, the keys typed
    # right after it reached the screen while the bar mounted (`/sat` starred, archived
    # and opened the tag editor).
    find_bar: FindBar

    def _start_finding(self) -> None:
        self._finder = None
        self._query = ""
        self._matches = []
        self._match = None
        self._find_from = 0
        self.find_bar = FindBar(id="find-bar", classes="-hidden")

    def _matches_shown(self) -> bool:
        bar_open = not self.find_bar.has_class("-hidden")
        return bool(self._query) and (bar_open or bool(self.view.matches))

    def action_find(self) -> None:
        self._find_from = self.view.cursor
        self.find_bar.open()
        if self._query:
            self._run_find(self._query)

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        self._run_find(event.query)

    def _run_find(self, query: str) -> None:
        """Find `query` in the text; the cursor goes to the first match from where the
        find began (wrapping round)."""
        if self._finder is None:
            self._finder = Finder(self.view.text)
        self._query = query
        self._matches = self._finder.find(query)
        self._match = first_from(self._matches, self._find_from)
        self._show_match()

    @on(FindBar.Step)
    def _find_step(self, event: FindBar.Step) -> None:
        self._step(event.forward)

    def action_find_next(self) -> None:
        self._step(True)

    def action_find_previous(self) -> None:
        self._step(False)

    def _step(self, forward: bool) -> None:
        if not self._query:
            self.notify("Nothing to find yet: / finds in the article", timeout=2)
            return
        if not self.view.matches:  # the find was closed: n / N bring it back
            self._matches = (self._finder or Finder(self.view.text)).find(self._query)
        self._match = step(self._matches, self.view.cursor, forward)
        self._show_match()

    def _show_match(self) -> None:
        view = self.view
        view.set_matches(self._matches, self._match)
        if self._match is not None:
            view.jump_to(self._matches[self._match][0])
        self.find_bar.show_count(self._match_text(), found=bool(self._matches) or not self._query)
        self._update_status()

    def _match_text(self) -> str:
        if not self._query.strip():
            return ""
        if not self._matches:
            return "no match"
        total = f"{len(self._matches):,}" + ("+" if len(self._matches) >= MAX_MATCHES else "")
        return f"{(self._match or 0) + 1:,} of {total}"

    def _text_replaced(self) -> None:
        """The article's text was replaced (extracted again elsewhere): what was found
        was found in the old one; an open find finds again in the new one."""
        self._finder = None
        self._matches = []
        self._match = None
        if not self.find_bar.has_class("-hidden") and self._query:
            self._find_from = self.view.cursor
            self._run_find(self._query)

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self._end_find()

    def _end_find(self) -> None:
        """Close the bar and unmark the matches; the cursor stays on the match it was on."""
        self.find_bar.close()
        self.view.set_matches([], None)
        self.view.focus()
        self._update_status()
