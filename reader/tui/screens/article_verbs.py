"""ArticleVerbs: the library's article keys in a screen that shows one article (s a m t
d E A o): star, archive, mark read, tags, delete (which goes back), export, all notes,
the original page. A base of the reading screen and of a missing page's screen.

What they need of the screen is declared below: how it queues a write and says a
refusal (`_save`, `_refused`), how it tells the reader the article went
(`_gone_elsewhere`), and how it shows a write landed (`_after_write`: the reading
screen first shows a text another program extracted meanwhile). Whether the article is
still there (`_present`) is asked the same way by both, so it lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

from reader.archive import ArchiveError
from reader.models import Article, ArticleSummary
from reader.textrules import one_line
from reader.tui.access import ArchiveAccess
from reader.tui.article_actions import confirm_delete, edit_tags
from reader.tui.messages import ExportNotes, ShowAnnotations
from reader.tui.original import open_original

if TYPE_CHECKING:
    from reader.archive import Archive

T = TypeVar("T")


class ArticleVerbs(Screen[None]):
    """The article verbs of a one-article screen (its base), which provides what is
    declared here."""

    if TYPE_CHECKING:
        access: ArchiveAccess
        article_id: int
        article: Article | None
        _gone: bool

        def _save(
            self,
            work: Callable[[Archive], T],
            then: Callable[[T], object] = ...,
            *,
            refused: Callable[[Exception], object] | None = None,
        ) -> None: ...
        def _refused(self, error: Exception) -> None: ...
        def _gone_elsewhere(self) -> None: ...
        def _after_write(self, after: Callable[[], object]) -> None: ...
        def _reload_annotations(self, current: int | None = None) -> None: ...

    def _present(self) -> bool:
        """Whether the article is still in the archive (one row read); when it is not,
        the reader is told, once. Before an action that writes or reads it."""
        if self._gone:
            return False
        try:
            revision = self.access.archive.article_revision(self.article_id)
        except ArchiveError:
            return True  # unreadable just now: the action will say why
        if revision is None:
            self._gone_elsewhere()
            return False
        return True

    # The article's state (starred, read, tags...) as last read back from the archive.
    state: ArticleSummary | None
    _marked_read: bool  # the reader's word on read/unread (reaching the end does not undo it)

    def _state_changed(self, summary: ArticleSummary | None) -> None:
        if summary is not None:
            self.state = summary

    def _toggle(self, now: bool, setter: Callable[[Archive, int, bool], None], said: str) -> None:
        """Set a state to `now`; `said` is "on text/off text"."""
        article_id = self.article_id
        on_text, off_text = said.split("/")

        def work(archive: Archive) -> ArticleSummary | None:
            setter(archive, article_id, now)
            return archive.get_summary(article_id)

        def done(summary: ArticleSummary | None) -> None:
            self._state_changed(summary)
            self.notify(on_text if now else off_text, timeout=2)

        self._save(work, done)

    def action_star(self) -> None:
        if self.state is not None:
            starred = not self.state.starred
            self._toggle(starred, lambda a, i, v: a.set_starred(i, v), "Starred/Unstarred")

    def action_archive(self) -> None:
        if self.state is not None:
            archived = not self.state.is_archived
            self._toggle(archived, lambda a, i, v: a.set_archived(i, v), "Archived/Unarchived")

    def action_mark_read(self) -> None:
        if self.state is not None:
            self._marked_read = True  # the reader's word: reaching the end does not undo it
            read = not self.state.is_read
            self._toggle(read, lambda a, i, v: a.set_read(i, v), "Marked read/Marked unread")

    def action_edit_tags(self) -> None:
        if not self._present():
            return

        def done(summaries: list[ArticleSummary]) -> None:
            if not summaries:  # deleted while the editor was open
                self._present()
                return
            self._state_changed(summaries[0])
            tags = " ".join(f"#{one_line(tag)}" for tag in self.state.tags) if self.state else ""
            self.notify(f"Tags: {tags}" if tags else "No tags", timeout=3, markup=False)

        def landed(summaries: list[ArticleSummary]) -> None:
            self._after_write(lambda: done(summaries))

        edit_tags(self, self.access, [self.article_id], landed, refused=self._refused)

    def action_delete(self) -> None:
        if self.state is None or not self._present():
            return
        title = one_line(self.state.title) or "(untitled)"

        def deleted(count: int) -> None:
            self._gone = True
            self.dismiss()
            if count:
                self.app.notify(f"Deleted “{title}”", markup=False)

        confirm_delete(self, self.access, [self.article_id], deleted, refused=self._refused)

    def action_export(self) -> None:
        if not self._present():
            return
        title = (self.article.title if self.article else "") or "Untitled"
        short = title if len(title) <= 60 else title[:59] + "…"
        self.post_message(ExportNotes([self.article_id], f"this article, “{short}”"))

    def action_annotations(self) -> None:
        def closed() -> None:
            # What that screen changed, read back once the writes queued so far landed.
            self._save(lambda _: None, lambda _: self._reload_annotations())

        self.post_message(ShowAnnotations(closed=closed))

    # --- the original page --------------------------------------------------------

    def action_open_original(self) -> None:
        if not self._present():
            return
        open_original(self, self.access, self.article_id)
