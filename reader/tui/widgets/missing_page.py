"""MissingPageDetails: what the reader knows of a missing page (an article known from an
export, its page not imported yet): its details, what to do to get its text, and its
highlights as quotes with their notes, then the article's notes.

Everything here came from an export file: drawn as plain Text (reader.textrules'
display rules), never as markup. Built again at each render, so a theme's colours
(the component classes, reading.tcss) always apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from reader.models import Annotation, ArticleSummary
from reader.textrules import display, display_line, plural
from reader.tui.highlights import HIGHLIGHT_HUES
from reader.tui.missing import NOT_SAVED, site_of, title_of

# Under the notice: what to do (the library's hint, in this screen's keys).
TO_DO = (
    "It is known from an export, its text not saved. o opens it in your browser: save the"
    " page there (Ctrl+S or SingleFile), then import the file (i in the library, or"
    " `reader import FILE`): it fills this entry and places its highlights."
)
ARRIVED = "Its page has been imported since: q goes back to the library, enter reads it."
MAX_QUOTE = 2000  # characters of a quote or note drawn (an export's, unbounded)


def _state(article: ArticleSummary) -> list[str]:
    words = ["read" if article.is_read else "unread"]
    if article.starred:
        words.append("★ starred")
    if article.is_archived:
        words.append("archived")
    return words


class MissingPageDetails(Widget):
    """The details, notice and quotes of one missing page (`show` sets them)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "missing-page--title",
        "missing-page--meta",
        "missing-page--url",
        "missing-page--tags",
        "missing-page--notice",
        "missing-page--heading",
        "missing-page--quote",
        "missing-page--note",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: ArticleSummary | None = None
        self.annotations: list[Annotation] = []
        self.arrived = False  # its page was imported while this was on screen

    def show(
        self, article: ArticleSummary, annotations: Sequence[Annotation], *, arrived: bool = False
    ) -> None:
        self.article, self.annotations, self.arrived = article, list(annotations), arrived
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        article = self.article
        if article is None:
            return Text()
        style = self.get_component_rich_style
        parts: list[RenderableType] = [self._header(article)]
        notice = Text("\n")
        if self.arrived:
            notice.append(ARRIVED, style("missing-page--notice"))
        else:
            notice.append("⚠ " + NOT_SAVED + "\n", style("missing-page--notice"))
            notice.append(TO_DO)
        parts.append(notice)
        quotes = [a for a in self.annotations if not a.is_article_note]
        notes = [a for a in self.annotations if a.is_article_note]
        if quotes:
            said = f"\n{plural(len(quotes), 'highlight')}, waiting for the page"
            parts.append(Text(said, style("missing-page--heading")))
            parts += [self._quote(a) for a in quotes]
        if notes:
            heading = "Article note" if len(notes) == 1 else "Article notes"
            parts.append(Text("\n" + heading, style("missing-page--heading")))
            parts += [self._note(a) for a in notes]
        if not quotes and not notes:
            parts.append(Text("\nNo highlights or notes.", style("missing-page--meta")))
        return Group(*parts)

    def _header(self, article: ArticleSummary) -> Text:
        style = self.get_component_rich_style
        # Each part appended in its own style (a Text's own style runs under all of it).
        text = Text()
        text.append(display_line(title_of(article)), style("missing-page--title"))
        meta = [site_of(article)]
        if article.byline:
            meta.append(f"by {article.byline}")
        if article.published:
            meta.append(f"published {article.published[:10]}")
        if article.added_at:
            meta.append(f"saved {article.added_at[:10]}")
        text.append(
            "\n" + display_line(" · ".join(m for m in meta if m)), style("missing-page--meta")
        )
        if article.url:
            text.append("\n" + display_line(article.url), style("missing-page--url"))
        text.append("\n" + " · ".join(_state(article)), style("missing-page--meta"))
        for tag in article.tags:
            text.append("  ")
            text.append(display_line("#" + tag), style("missing-page--tags"))
        return text

    def _quote(self, annotation: Annotation) -> Table:
        style = self.get_component_rich_style
        hue = HIGHLIGHT_HUES.get(annotation.color, HIGHLIGHT_HUES["yellow"])
        body = Text()
        body.append(display(_bounded(annotation.exact)), style("missing-page--quote"))
        if annotation.note.strip():
            note = display(_bounded(annotation.note.strip()))
            body.append("\n" + note, style("missing-page--note"))
        return _hanging(Text("▌", Style(color=hue.hex6)), body)

    def _note(self, annotation: Annotation) -> Table:
        body = Text(display(_bounded(annotation.note.strip())))
        return _hanging(Text("✎", Style(bold=True)), body)


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


def _hanging(mark: Text, body: Text) -> Table:
    """`mark` in the margin, `body` wrapped under its own start; a blank line above."""
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("", "")
    grid.add_row(mark, body)
    return grid
