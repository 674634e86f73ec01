"""ArticleList: a virtual list of search hits that loads rows a page at a time.

The list knows how many rows a query has (its virtual height is that count times the
row height) but holds only a few pages of them (PAGE_SIZE rows each, least recently
shown dropped first). A row that scrolls into view before its page arrives shows a
placeholder and asks a thread worker for the page; when it lands the list repaints.
So 100,000 articles cost the same as 10: one count, and the pages on screen.

Every request carries a generation, bumped by each new query or reload: a search
that comes back after a newer one was asked for is dropped, and so is a page of a
query no longer on screen.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.models import ArticleSummary, SearchHit
from reader.query import Query
from reader.tui.access import ArchiveAccess
from reader.tui.missing import ROW_MARK, site_of, title_of
from reader.tui.widgets.text import error_line, plain, snippet_text

if TYPE_CHECKING:
    from reader.archive import Archive, Count

PAGE_SIZE = 150
MAX_PAGES = 8


def row_date(article: ArticleSummary) -> str:
    """The date a row shows: published (YYYY-MM-DD), else "added YYYY-MM-DD", so an
    undated article does not pass for one published the day it was saved."""
    if article.published:
        return article.published[:10]
    return f"added {article.added_at[:10]}" if article.added_at else ""


def progress_label(article: ArticleSummary) -> str:
    if article.is_read:
        return "✓ read"
    if article.progress > 0:
        return f"{min(99, round(article.progress * 100))}%"
    return ""


class ArticleList(ScrollView, can_focus=True):
    """The library's list of articles for one query."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--selected",
        "article-list--unread",
        "article-list--meta",
        "article-list--tags",
        "article-list--star",
        "article-list--progress",
        "article-list--missing",
        "article-list--snippet",
        "article-list--match",
        "article-list--placeholder",
        "article-list--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False, tooltip="Open the article"),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("space", "toggle_selection", "Select", show=False, tooltip="Select or unselect"),
        Binding("escape", "clear_selection", "Clear selection", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Opened(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    class Loaded(Message):
        """A query's results arrived: `total` rows (an estimate until `exact`)."""

        def __init__(self, total: int, exact: bool = True) -> None:
            super().__init__()
            self.total = total
            self.exact = exact

    class Failed(Message):
        """A search failed (the archive said no); `error` is one line."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class SelectionChanged(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, access: ArchiveAccess, *, id: str | None = None) -> None:
        """`access`: where the rows come from (read on the readers' connection)."""
        super().__init__(id=id)
        self.access = access
        self.query_: Query = Query()
        self.total = 0
        self.total_exact = True  # False while `total` is an estimate ("about N")
        self.loaded = False
        self.empty_message = "No articles."
        self.selected: dict[int, ArticleSummary] = {}
        self._generation = 0  # bumped by every load()
        self._shown = 0  # the generation whose rows are on screen (pages belong to it)
        self._pages: OrderedDict[int, list[SearchHit]] = OrderedDict()
        self._requested: set[tuple[int, int]] = set()

    # -- geometry ---------------------------------------------------------------------

    @property
    def row_height(self) -> int:
        """Two lines a row (title; site, date, tags), three with a search snippet."""
        return 3 if self.query_.has_text else 2

    @property
    def visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(0, self.total * self.row_height)

    # -- loading ----------------------------------------------------------------------

    def load(self, query: Query, *, keep_cursor: bool = False) -> None:
        """Show `query`'s results (from the top, or keeping the cursor's place)."""
        self._generation += 1
        generation = self._generation
        cursor = self.cursor if keep_cursor else 0
        first = cursor // PAGE_SIZE
        pages = [first]
        if keep_cursor:
            top = int(self.scroll_offset.y) // max(1, self.row_height)
            pages = sorted({top // PAGE_SIZE, first, (top + self.visible_rows) // PAGE_SIZE})
        self.run_worker(
            lambda: self._search(generation, query, pages, keep_cursor),
            thread=True,
            exclusive=True,
            group="article-list-search",
            exit_on_error=False,
        )

    def reload(self) -> None:
        """Load the current query again, keeping the cursor where it is."""
        self.load(self.query_, keep_cursor=True)

    def _search(self, generation: int, query: Query, pages: list[int], keep: bool) -> None:
        """Thread worker: the count and the first page(s) of a query."""

        def work(archive: Archive) -> tuple[Count, dict[int, list[SearchHit]]]:
            # The first page before the count: the search's walk of the newest matches
            # is what the estimate would count again (a prefix FTS5 expands, over the
            # whole index: 40-100 ms at 1,000,000 articles). A count that would take
            # long at a million articles is an estimate here, made exact below, after
            # the rows are on screen.
            fetched = {0: archive.search(query, limit=PAGE_SIZE)} if 0 in pages else {}
            total = archive.count_estimate(query)
            for page in pages:
                if page not in fetched and page * PAGE_SIZE < total.n:
                    fetched[page] = archive.search(query, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
            return total, fetched

        try:
            total, fetched = self.access.background(work)
        except Exception as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, generation, error)
            return
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._apply, generation, query, total, fetched, keep)
        if not total.exact:
            try:
                exact = self.access.background(lambda archive: archive.count(query))
            except Exception as error:
                if not get_current_worker().is_cancelled:
                    self.app.call_from_thread(self._failed, generation, error)
                return
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._counted, generation, exact)

    def _failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.post_message(self.Failed(error_line(error)))

    def _apply(
        self,
        generation: int,
        query: Query,
        count: Count,
        fetched: dict[int, list[SearchHit]],
        keep: bool,
    ) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        self._shown = generation
        self.query_ = query
        total = self.total = count.n
        self.total_exact = count.exact
        self.loaded = True
        self._pages = OrderedDict(sorted(fetched.items()))
        self._requested.clear()
        self._update_virtual_size()
        if keep:
            self.cursor = min(self.cursor, max(0, total - 1))
        else:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor = 0
        self.refresh()
        self.post_message(self.Loaded(total, count.exact))

    def _counted(self, generation: int, total: int) -> None:
        """The exact count of the query on screen, after its estimate."""
        if generation != self._generation or generation != self._shown:
            return
        self.total, self.total_exact = total, True
        self._update_virtual_size()
        self.cursor = min(self.cursor, max(0, total - 1))
        self.refresh()
        self.post_message(self.Loaded(total))

    def _request_page(self, page: int) -> None:
        key = (self._shown, page)
        if page in self._pages or key in self._requested or page * PAGE_SIZE >= self.total:
            return
        self._requested.add(key)
        generation, query = self._shown, self.query_
        self.run_worker(
            lambda: self._fetch_page(generation, query, page),
            thread=True,
            group="article-list-page",
            exit_on_error=False,
        )

    def _fetch_page(self, generation: int, query: Query, page: int) -> None:
        """Thread worker: one page of rows."""
        if generation != self._shown:
            return
        try:
            hits = self.access.background(
                lambda archive: archive.search(query, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
            )
        except Exception as error:
            self.app.call_from_thread(self._failed, generation, error)
            return
        self.app.call_from_thread(self._page_loaded, generation, page, hits)

    def _page_loaded(self, generation: int, page: int, hits: list[SearchHit]) -> None:
        self._requested.discard((generation, page))  # once dropped, it may be asked again
        if generation != self._shown:
            return  # rows of a query no longer shown
        self._pages[page] = hits
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self.refresh()

    def hit_at(self, row: int) -> SearchHit | None:
        """The row's hit if its page is here (else None, and the page is requested)."""
        if not 0 <= row < self.total:
            return None
        page, index = divmod(row, PAGE_SIZE)
        hits = self._pages.get(page)
        if hits is None:
            self._request_page(page)
            return None
        self._pages.move_to_end(page)
        return hits[index] if index < len(hits) else None

    @property
    def current(self) -> SearchHit | None:
        """The hit under the cursor (None while its page loads, or with no rows)."""
        return self.hit_at(self.cursor)

    def update_article(self, summary: ArticleSummary) -> None:
        """Show a changed article (starred, read, tags...) in place, without a reload."""
        for hits in self._pages.values():
            for index, hit in enumerate(hits):
                if hit.article.id == summary.id:
                    hits[index] = replace(hit, article=summary)
        if summary.id in self.selected:
            self.selected[summary.id] = summary
        self.refresh()

    # -- selection ----------------------------------------------------------------------

    def action_toggle_selection(self) -> None:
        hit = self.current
        if hit is None:
            return
        if hit.article.id in self.selected:
            del self.selected[hit.article.id]
        else:
            self.selected[hit.article.id] = hit.article
        self.post_message(self.SelectionChanged(len(self.selected)))
        self.cursor += 1

    def action_clear_selection(self) -> None:
        if self.selected:
            self.clear_selection()

    def clear_selection(self) -> None:
        self.selected.clear()
        self.post_message(self.SelectionChanged(0))
        self.refresh()

    # -- cursor -------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.total - 1)) if self.total else 0

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = self.row_height
        top = self.cursor * height
        view = self.scrollable_content_region.height
        if not view:
            return
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + height > self.scroll_offset.y + view:
            self.scroll_to(y=top + height - view, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += self.visible_rows

    def action_page_up(self) -> None:
        self.cursor -= self.visible_rows

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.total - 1

    def action_open(self) -> None:
        hit = self.current
        if hit is not None:
            self.post_message(self.Opened(hit.article.id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = (offset.y + int(self.scroll_offset.y)) // self.row_height
        if row >= self.total:
            return
        self.focus()
        self.cursor = row
        if event.chain >= 2:
            self.action_open()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    # -- rendering ----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Ask for the pages on screen, and the next one when its rows are near, before
        # drawing: one worker round trip fills the screen, and scrolling on finds the
        # next page already here.
        if self.total:
            first = int(self.scroll_offset.y) // self.row_height
            ahead = min(self.total - 1, first + self.visible_rows + PAGE_SIZE)
            for page in range(first // PAGE_SIZE, ahead // PAGE_SIZE + 1):
                self._request_page(page)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = int(self.scroll_offset.y) + y
        if self.total == 0:
            if y == 1 and self.loaded:
                style = base + self._part_style("article-list--empty")
                return self._strip(Text("  " + self.empty_message, style=style), width)
            return Strip.blank(width, base)
        row, part = divmod(line, self.row_height)
        if row >= self.total:
            return Strip.blank(width, base)
        on_cursor = row == self.cursor
        if on_cursor:
            name = "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        hit = self.hit_at(row)
        if hit is None:
            if part == 0:
                style = base + self._part_style("article-list--placeholder", on_cursor)
                return self._strip(Text("    …", style=style), width)
            return Strip.blank(width, base)
        return self._strip(self._row_line(hit, part, base, width, on_cursor), width)

    def _part_style(self, name: str, on_cursor: bool = False) -> Style:
        """What a component adds to the text it styles (its colour, bold, italic), never
        a background: the row's base gives that, so the cursor row is one solid bar with
        its text on it (a component's own background, the list's, punched holes in it).
        On the cursor row the cursor's colour wins as well, readable on the bar in
        every theme."""
        full = self.get_component_rich_style(name)
        attributes = full.without_color
        return attributes if on_cursor else attributes + Style(color=full.color)

    def _strip(self, text: Text, width: int) -> Strip:
        """One line of exactly `width` cells, all of it in the text's own style (Rich
        leaves a Text without spans unstyled: the empty list's message lost its colour
        and background)."""
        text.truncate(width, overflow="ellipsis", pad=True)
        console = self.app.console
        base = text.style if isinstance(text.style, Style) else console.get_style(text.style)
        segments = Segment.apply_style(text.render(console, end=""), base)
        return Strip(segments, width).simplify()

    def _row_line(
        self, hit: SearchHit, part: int, base: Style, width: int, on_cursor: bool
    ) -> Text:
        article = hit.article

        def style(name: str) -> Style:
            return self._part_style(name, on_cursor)

        line = Text(style=base, no_wrap=True, end="")
        if part == 0:
            marker = "● " if article.id in self.selected else "  "
            line.append(marker, style=style("article-list--selected"))
            line.append("★ " if article.starred else "  ", style=style("article-list--star"))
            title = plain(title_of(article))
            if not article.is_read:
                title.stylize(style("article-list--unread"))
            right = progress_label(article)
            room = max(1, width - 4 - (len(right) + 2 if right else 0))
            title.truncate(room, overflow="ellipsis", pad=True)
            line.append_text(title)
            if right:
                line.append("  " + right, style=style("article-list--progress"))
            return line
        if part == 1:
            # A missing page has no text: "missing page" where the reading time goes.
            parts = [p for p in (site_of(article), row_date(article)) if p]
            if not article.missing:
                parts.append(f"{article.reading_minutes} min")
            after = []
            if article.is_archived:
                after.append("archived")
            if article.annotation_count:
                after.append(f"✎ {article.annotation_count}")
            meta = style("article-list--meta")
            line.append("    ")
            line.append_text(plain(" · ".join(parts), meta))
            if article.missing:
                line.append(" · " if parts else "", style=meta)
                line.append(ROW_MARK, style=style("article-list--missing"))
            if after:
                line.append_text(plain(" · " + " · ".join(after), meta))
            for tag in article.tags:
                line.append("  ")
                line.append_text(plain("#" + tag, style("article-list--tags")))
            return line
        line.append("    ")
        line.append_text(
            snippet_text(
                hit.snippet,
                # The one part with a background of its own: a match stays marked,
                # on the cursor bar too.
                match_style=self.get_component_rich_style("article-list--match"),
                style=style("article-list--snippet"),
            )
        )
        return line
