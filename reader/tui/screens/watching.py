"""Watching: the reading screen's eye on its article, which another program may delete or
extract again (`reader delete`, `reader import --update`, `reader reindex`) while it is
open: the CLI and the TUI share the archive, and must share the truth.

`Watching` is a base of ReadingScreen. The article's revision (Archive.article_revision:
one row read by its key) is read on the screen's once-a-second tick and when the screen
shows again (a dialog closed):

- gone: one notification; every key that would write or read the article turns off, and
  the status line says so (the text stays to read; q goes back to the library, which
  refreshes). A write already on its way when it went is refused quietly (no second
  notification);
- changed: the article is read again and the view rebuilt on its new text, the reading
  position (the top line) and the cursor carried over by their words (reader.anchor).

A write that lands while the article changed (a tag, a state, a note, a delete, an undo)
is shown on the new text: the screen reads the revision when a write lands and puts the
new text on screen first (`_after_write`). A highlight answers for itself (placed by the
quote the reader saw, or refused: reader.archive.annotations) and says so instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.containers import Horizontal
from textual.screen import Screen

from reader.archive import ArchiveError
from reader.models import Annotation, Article, ArticleSummary
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.tui.widgets.article_view import ArticleView

GONE = "This article was deleted elsewhere"
GONE_HINT = "q goes back to the library"
CHANGED = "The article changed elsewhere (extracted again): showing its new text"
UNREADABLE = "The article changed elsewhere and cannot be read again"
# Characters from an offset on that carry it into a new text (reader.anchor.locate): a
# line's worth, enough to tell it from every other line.
CARRIED_QUOTE = 80


def carried(old: str, offset: int, new: str) -> int:
    """Where `offset` of `old` is in `new`: where the words from it on are now, else at
    the same share of the text."""
    from reader.anchor import locate, make_selector

    end = min(len(old), offset + CARRIED_QUOTE)
    if 0 <= offset < end:
        found = locate(new, make_selector(old, offset, end), hint=offset)
        if found is not None:
            return found[0]
    if not old:
        return 0
    return max(0, min(len(new), round(offset * len(new) / len(old))))


class Watching(Screen[None]):
    """The watching half of ReadingScreen (its base), which provides what is declared here."""

    if TYPE_CHECKING:
        archive: Archive
        article_id: int
        article: Article | None
        state: ArticleSummary | None
        annotations: list[Annotation]

        @property
        def view(self) -> ArticleView: ...
        def _article_view(self, article: Article, position: int) -> ArticleView: ...
        def _draw_annotations(self, current: int | None = None) -> None: ...
        def _text_replaced(self) -> None: ...
        def _update_status(self) -> None: ...
        def _present(self) -> bool: ...

    _revision: str  # the revision of the text on screen
    _gone: bool  # deleted (elsewhere, or here): nothing more is written
    _replacing: bool  # a new text is being put on screen
    _told: bool  # what followed a new text said itself why the text changed
    _waiting: list[Callable[[], object]]  # what shows writes landed while it is replaced
    _view: ArticleView | None  # the view on screen (found on first use)

    def _start_watching(self, article: Article | None) -> None:
        self._revision = article.updated_at if article is not None else ""
        self._gone = False
        self._replacing = False
        self._told = False
        self._waiting = []
        self._view = None

    def on_screen_resume(self) -> None:
        self._check_article()

    def _check_article(
        self, message: str | None = CHANGED, after: Callable[[], object] | None = None
    ) -> None:
        """Read the article's revision: gone, say so; changed, show the new text (and
        say `message`); then `after()`, on the text now on screen."""
        if self._stale():
            self._show_new_text(message, after)
        elif self._replacing and after is not None:
            self._waiting.append(after)  # shown on the new text, once it is there
        elif after is not None:
            after()

    def _after_write(self, after: Callable[[], object]) -> None:
        """A write landed: `after()` shows it, on the article's new text when another
        program extracted it again meanwhile (a stale view is never drawn on)."""
        self._check_article(CHANGED, after)

    def _stale(self) -> bool:
        """Whether the text on screen is no longer the article's (one row read); a
        deleted article is said, once, and is not stale: nothing replaces it."""
        if self.article is None or self._gone or self._replacing:
            return False
        try:
            revision = self.archive.article_revision(self.article_id)
        except ArchiveError:
            return False  # unreadable just now (a damaged page): the next tick reads again
        if revision is None:
            self._gone_elsewhere()
            return False
        return revision != self._revision

    def _gone_now(self, error: Exception) -> bool:
        """Whether a refused write was refused because the article is gone (told once)."""
        if self._gone:
            return True
        if isinstance(error, (ArchiveError, KeyError, ValueError)):
            return not self._present()
        return False

    def _gone_elsewhere(self) -> None:
        if self._gone:
            return
        self._gone = True
        self.notify(f"{GONE}; {GONE_HINT}", title="Deleted", severity="warning", timeout=10)
        self.refresh_bindings()
        self._update_status()

    def _changed_elsewhere(self, message: str) -> None:
        """A write found the article's text changed: say `message` (instead of CHANGED),
        and show the new text where it is not shown yet."""
        self._told = True
        self._check_article(None)
        self.notify(message, timeout=6, markup=False)

    def _show_new_text(self, message: str | None, after: Callable[[], object] | None) -> None:
        """Read the article again and put its text on screen, then `after()` (then say
        `message`, unless `after` said why itself)."""
        self._replacing = True
        if after is not None:
            self._waiting.append(after)
        work = self._replace_text(message)
        self.run_worker(work, group="replace-text", exit_on_error=True)

    async def _replace_text(self, message: str | None) -> None:
        try:
            article = self.archive.get_article(self.article_id)
            annotations = [] if article is None else self.archive.annotations_for(article.id)
        except ArchiveError as error:
            self.notify(f"{UNREADABLE}: {error_line(error)}", severity="error", markup=False)
            self._run_waiting()
            return
        if article is None:
            self._gone_elsewhere()
            self._run_waiting()
            return
        old = self.view
        self.annotations = annotations  # the new view is drawn with them
        new = self._article_view(article, carried(old.text, old.top_offset, article.text))
        cursor = carried(old.text, old.cursor, article.text)
        had_focus = old.has_focus
        self.article = self.state = article
        self._revision = article.updated_at
        old.display = False
        await self.query_one("#reading-body", Horizontal).mount(new, before=old)
        self._view = new
        if had_focus:
            new.focus()
        await old.remove()
        # The rest once the new view has its size (its lines depend on its width).
        self.call_after_refresh(self._new_text_shown, cursor, message)

    def _new_text_shown(self, cursor: int, message: str | None) -> None:
        self.view.move_cursor(cursor)
        self._text_replaced()
        self._draw_annotations()
        self._told = False
        self._run_waiting()
        if message and not self._told:
            self.notify(message, timeout=6, markup=False)

    def _run_waiting(self) -> None:
        """The replacing is over: show the writes that landed meanwhile."""
        self._replacing = False
        waiting, self._waiting = self._waiting, []
        for after in waiting:
            after()
