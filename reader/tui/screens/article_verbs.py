"""The article verbs both screens share: tags (`t`) and delete (`d`).

The library acts on its selection or the row under the cursor, the reading view on the
article it shows; both ask with the same dialogs and make the same writes through
these functions. The caller passes how it writes (its queue to the archive's writer,
with its own way of showing a refusal) and what to do once the write has landed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from rich.text import Text

from reader.textrules import display_line
from reader.tui.screens.dialogs import ConfirmDialog, TagEditor

if TYPE_CHECKING:
    from textual.app import App

    from reader.archive import Archive
    from reader.models import ArticleSummary

T = TypeVar("T")


class Writer(Protocol):
    """Queue `work` for the archive's writer, then `then(result)` once it has landed."""

    def __call__(self, work: Callable[[Archive], T], then: Callable[[T], object]) -> None: ...


def _named(articles: Sequence[ArticleSummary], one: str, many: str) -> Text:
    """`one“Title”` for one article, `many` with the count for several."""
    if len(articles) != 1:
        return Text(many.format(count=len(articles)))
    text = Text(f"{one}“")
    text.append(display_line(articles[0].title or "(untitled)"), style="bold")
    text.append("”")
    return text


def edit_tags(
    app: App[Any],
    articles: Sequence[ArticleSummary],
    known: Iterable[str],
    write: Writer,
    done: Callable[[list[ArticleSummary | None]], object],
) -> None:
    """Edit the tags of `articles` in the tag editor (`known`: every tag, to complete
    from); the change is written, then `done` gets the articles as they now are."""
    if not articles:
        return
    counts: dict[str, int] = {}
    for article in articles:
        for tag in article.tags:
            counts[tag] = counts.get(tag, 0) + 1
    title = _named(articles, "Tags of ", "Tags of {count} selected articles")
    ids = [article.id for article in articles]

    def edited(result: tuple[list[str], list[str]] | None) -> None:
        if not result:
            return
        added, removed = result

        def work(archive: Archive) -> list[ArticleSummary | None]:
            if removed:
                archive.remove_tags(ids, removed)
            if added:
                archive.add_tags(ids, added)
            return [archive.get_summary(article_id) for article_id in ids]

        write(work, done)

    app.push_screen(TagEditor(title, sorted(counts.items()), len(articles), known), edited)


def confirm_delete(
    app: App[Any],
    articles: Sequence[ArticleSummary],
    write: Writer,
    done: Callable[[int], object],
) -> None:
    """Ask, then delete `articles` with their highlights and notes; `done` gets how many
    were deleted."""
    if not articles:
        return
    question = _named(articles, "Delete ", "Delete {count} articles")
    question.append(
        " and its highlights and notes?"
        if len(articles) == 1
        else " and their highlights and notes?"
    )
    ids = [article.id for article in articles]

    def work(archive: Archive) -> int:
        return sum(1 for article_id in ids if archive.delete_article(article_id))

    def answered(yes: bool | None) -> None:
        if yes:
            write(work, done)

    app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), answered)
