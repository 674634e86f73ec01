"""The article verbs that open a dialog, for any screen: `t` (the tag editor) and `d`
(delete, asked first). The library calls them on its selection or current row, the
reading view on the article being read.

Each takes the widget that asks (it runs the workers and shows the notifications), the
screen's ArchiveAccess and the article ids, and calls `done` once the change has landed
in the archive (not when it was only cancelled). A refused write is a one-line
notification, or `refused(error)` when the caller has its own words (the reading view:
an article deleted by another program).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from reader.models import ArticleSummary
from reader.textrules import display_line, plural
from reader.tui.access import ArchiveAccess, write_then
from reader.tui.screens.dialogs import ConfirmDialog
from reader.tui.screens.tag_editor import TagEditor
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.archive import Archive

Refused = Callable[[Exception], object]


def edit_tags(
    node: Widget,
    access: ArchiveAccess,
    article_ids: Sequence[int],
    done: Callable[[list[ArticleSummary]], object],
    *,
    refused: Refused | None = None,
) -> None:
    """Open the tag editor on the articles; `done(summaries)` with their new state once
    the changes have landed (not called when nothing changed or the editor was left)."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return

    def gather(archive: Archive) -> tuple[list[ArticleSummary], list[str]]:
        summaries = [s for i in ids if (s := archive.get_summary(i)) is not None]
        return summaries, [tag.name for tag in archive.tag_counts()]

    def load() -> None:  # a thread worker: a selection's rows and every tag name
        try:
            summaries, known = access.background(gather)
        except Exception as error:
            node.app.call_from_thread(_refused, node, "Tags", error)
            return
        node.app.call_from_thread(_open_editor, node, access, summaries, known, done, refused)

    node.run_worker(load, thread=True, group="tag-editor", exit_on_error=False)


def _open_editor(
    node: Widget,
    access: ArchiveAccess,
    summaries: list[ArticleSummary],
    known: list[str],
    done: Callable[[list[ArticleSummary]], object],
    refused: Refused | None,
) -> None:
    if not summaries:
        return
    counts: dict[str, int] = {}
    for article in summaries:
        for tag in article.tags:
            counts[tag] = counts.get(tag, 0) + 1
    if len(summaries) == 1:
        title = Text("Tags of “")
        title.append(display_line(summaries[0].title or "(untitled)"), style="bold")
        title.append("”")
    else:
        title = Text(f"Tags of {len(summaries)} selected articles")
    ids = [article.id for article in summaries]

    def edited(result: tuple[list[str], list[str]] | None) -> None:
        if not result or not any(result):
            return
        added, removed = result

        def work(archive: Archive) -> list[ArticleSummary]:
            if removed:
                archive.remove_tags(ids, removed)
            if added:
                archive.add_tags(ids, added)
            return [s for i in ids if (s := archive.get_summary(i)) is not None]

        write_then(
            node, access, work, done, refused or (lambda error: _refused(node, "Tags", error))
        )

    editor = TagEditor(title, sorted(counts.items()), len(summaries), known)
    node.app.push_screen(editor, edited)


def confirm_delete(
    node: Widget,
    access: ArchiveAccess,
    article_ids: Sequence[int],
    done: Callable[[int], object],
    *,
    refused: Refused | None = None,
) -> None:
    """Ask, then delete the articles with their highlights and notes; `done(count)` with
    how many were deleted, once they are gone."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return
    if len(ids) == 1:
        article = access.archive.get_summary(ids[0])  # one row: a quick read
        question = Text("Delete “")
        question.append(display_line(article.title if article else "") or "(untitled)", "bold")
        question.append("” and its highlights and notes?")
    else:
        question = Text(f"Delete {plural(len(ids), 'article')} and their highlights and notes?")

    def work(archive: Archive) -> int:
        return sum(1 for article_id in ids if archive.delete_article(article_id))

    def answered(yes: bool | None) -> None:
        if yes:
            say = refused or (lambda error: _refused(node, "Delete", error))
            write_then(node, access, work, done, say)

    node.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), answered)


def _refused(node: Widget, title: str, error: Exception) -> None:
    node.notify(error_line(error), title=title, severity="error", markup=False)
