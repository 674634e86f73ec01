"""LibraryScreen: the sidebar, the search bar and the article list, and what keys do to them.

Reads (search, counts, pages) run in thread workers on the readers' connection; the
writes a key makes (star, read, tag, delete) are queued for the writer thread (one at a
time: a tag rename can take seconds on a big archive), then update the row in place, or
reload the list when rows come and go. Opening an article, the annotations screen or
the export dialog is asked of the app (reader.tui.messages).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from reader.models import ArticleSummary
from reader.query import SORTS, Query, QueryError, parse_as_typed
from reader.textrules import display_line, plural
from reader.tui.access import ArchiveAccess, write_then
from reader.tui.article_actions import confirm_delete, edit_tags
from reader.tui.messages import ExportNotes, OpenArticle, ShowAnnotations, ShowStats
from reader.tui.missing import MISSING_HINT
from reader.tui.original import open_original
from reader.tui.screens.dialogs import ConfirmDialog
from reader.tui.screens.help import HelpScreen, binding_rows
from reader.tui.screens.import_dialog import ImportDialog, ImportRequest
from reader.tui.screens.tag_actions import TagActions
from reader.tui.screens.tag_editor import TagEditor, TagOptions
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.footer import AppFooter
from reader.tui.widgets.import_progress import ImportProgress, import_summary
from reader.tui.widgets.search_bar import SearchBar
from reader.tui.widgets.sidebar import MISSING_VIEW, Sidebar, filter_label
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.archive import Archive

T = TypeVar("T")

SORT_ORDER = ("relevance", "added", "published", "title")


class LibraryScreen(TagActions):
    """Every article, filtered by the sidebar and the search bar."""

    # The list has the focus from the start: Textual's default focuses the sidebar
    # first, and the focus moving on restyled the whole screen twice (-sidebar-focused).
    AUTO_FOCUS = "#articles"

    # Typed as Textual types it (not a ClassVar, so mypy accepts the override).
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-narrow"),
        (100, "-wide"),
        (150, "-full"),
    ]

    # The article verbs (s a m t d E o) are the reading view's too (README: the keymap).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", tooltip="Search the library"),
        Binding("s", "star", "Star", tooltip="Star or unstar"),
        Binding("a", "archive", "Archive", tooltip="Archive or unarchive"),
        Binding("m", "mark_read", "Read", tooltip="Mark read or unread"),
        Binding("t", "edit_tags", "Tags", tooltip="Edit tags (of the selection, if any)"),
        Binding("d", "delete", "Delete", tooltip="Delete articles (asks first)"),
        Binding("E", "export", "Export", tooltip="Export highlights and notes as Markdown"),
        Binding(
            "o",
            "open_original",
            "Original",
            tooltip="Open the saved original (a missing page: its URL)",
        ),
        Binding("S", "cycle_sort", "Sort", tooltip="Sort by relevance, added, published, title"),
        Binding("i", "import", "Import", tooltip="Import saved pages from a file or folder"),
        Binding("A", "annotations", "Notes", tooltip="All highlights and notes"),
        Binding("percent_sign", "stats", "Stats", show=False, tooltip="Reading stats"),
        Binding("r", "refresh", "Refresh", show=False, tooltip="Refresh the list and counts"),
        Binding("question_mark", "help", "Help", tooltip="Show every key"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, access: ArchiveAccess) -> None:
        super().__init__()
        self.access = access
        self.filter: Query = Query()
        self.typed: Query = Query()
        self.sort: str | None = None
        self.query_error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="library"):
            yield Sidebar(id="sidebar")
            with Vertical(id="main"):
                yield SearchBar(id="search-bar")
                # Shown over the Missing pages view only (app.tcss: -missing-view).
                yield Static(MISSING_HINT, id="missing-hint", markup=False)
                yield ArticleList(self.access, id="articles")
                yield ImportProgress(self.access, id="import-progress")
        yield AppFooter()

    def command_nodes(self) -> list[Widget]:
        """Widgets whose bindings are also palette commands (see reader.tui.commands)."""
        return [self.articles, self.sidebar]

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def importer(self) -> ImportProgress:
        return self.query_one(ImportProgress)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.sidebar.border_title = "Library"
        self.run_query()
        self.refresh_sidebar()

    # -- the query ------------------------------------------------------------------------

    @property
    def query_(self) -> Query:
        """The sidebar's filter and the typed search together, with the chosen sort."""
        query = self.filter.combine(self.typed)
        if self.sort and not self.typed.sort:
            query = replace(query, sort=self.sort)
        return query

    def run_query(self, *, keep_cursor: bool = False) -> None:
        articles = self.articles
        articles.empty_message = self._empty_message()
        articles.load(self.query_, keep_cursor=keep_cursor)

    def _empty_message(self) -> str:
        if self.filter.is_empty and self.typed.is_empty:
            return "No articles yet. Press i to import saved pages (or run `reader import`)."
        if self.sidebar.filter_id == MISSING_VIEW and self.typed.is_empty:
            return "No missing pages: every page known from an export is saved."
        return "No articles match."

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        try:
            typed = parse_as_typed(event.text)
        except QueryError as error:
            self.query_error = str(error)
            self._show_status()
            return
        self.query_error = None
        if typed != self.typed:
            self.typed = typed
            self.run_query()
        else:
            self._show_status()

    @on(SearchBar.Left)
    def _search_left(self) -> None:
        self.articles.focus()

    @on(Sidebar.FilterChanged)
    def _filter_changed(self, event: Sidebar.FilterChanged) -> None:
        self.filter = event.query_
        self.set_class(event.option_id == MISSING_VIEW, "-missing-view")
        self.articles.clear_selection()
        self.run_query()

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        # The footer shows the sidebar's tag keys while it has the focus (app.tcss).
        self.set_class(isinstance(event.widget, Sidebar), "-sidebar-focused")

    @on(Sidebar.Chosen)
    def _sidebar_chosen(self) -> None:
        self.articles.focus()

    @on(ArticleList.Loaded)
    def _loaded(self) -> None:
        self._show_status()

    @on(ArticleList.Failed)
    def _failed(self, event: ArticleList.Failed) -> None:
        self.notify(event.error, title="Search failed", severity="error", markup=False)

    @on(ArticleList.SelectionChanged)
    def _selection_changed(self) -> None:
        self._show_status()

    def _show_status(self) -> None:
        articles = self.articles
        total = articles.total
        noun = "article" if total == 1 else "articles"
        status = Text()
        if self.query_error:
            # The list keeps the last valid search's rows: typing passes through invalid
            # states (an open quote, `tag:` alone) at every other key, and emptying the
            # list at each would flash it away and back. The line says so.
            status.append(f"⚠ {display_line(self.query_error)}\n", style="bold")
            status.append("The list still shows the last valid search: ")
        if self.sidebar.filter_id != "view:all":
            status.append(display_line(filter_label(self.sidebar.filter_id)) + " · ", style="bold")
        status.append(f"{total:,} {noun}" if articles.total_exact else f"about {total:,} {noun}")
        status.append(f" · sorted by {articles.query_.effective_sort}")  # muted already
        if articles.selected:
            status.append(f" · {len(articles.selected)} selected (esc clears)", style="bold")
        self.search_bar.show_status(status, error=self.query_error is not None)

    def action_focus_search(self) -> None:
        self.search_bar.input.focus()

    def action_cycle_sort(self) -> None:
        query = self.query_
        choices = [s for s in SORT_ORDER if s in SORTS and (s != "relevance" or query.has_text)]
        current = query.effective_sort
        index = choices.index(current) if current in choices else -1
        self.sort = choices[(index + 1) % len(choices)]
        if self.typed.sort:
            self.typed = replace(self.typed, sort=None)
            self.notify(
                "The sort: in the search box is overridden until you edit it.", markup=False
            )
        self.run_query()

    def action_refresh(self) -> None:
        """Reload the list and counts (shows what another process imported)."""
        self.run_query(keep_cursor=True)
        self.refresh_sidebar()

    # -- the sidebar -----------------------------------------------------------------

    def refresh_sidebar(self) -> None:
        self._load_sidebar()

    @work(thread=True, exclusive=True, group="sidebar", exit_on_error=False)
    def _load_sidebar(self) -> None:
        counts, tags = self.access.background(lambda a: (a.sidebar_counts(), a.tag_counts()))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.sidebar.show, counts, tags)

    # -- actions on articles ----------------------------------------------------------

    def _targets(self) -> list[ArticleSummary]:
        """The selected articles, else the one under the cursor."""
        articles = self.articles
        if articles.selected:
            return list(articles.selected.values())
        hit = articles.current
        return [hit.article] if hit is not None else []

    def _update_rows(self, ids: list[int]) -> None:
        """Show the articles' current state in their rows, read back through the writer's
        queue: what the reading screen wrote on leaving (its position) lands first."""
        self.write(
            lambda archive: [archive.get_summary(article_id) for article_id in ids],
            self._show_rows,
            title="Could not refresh",
        )

    def _refresh_after_writes(self) -> None:
        """Refresh the list and counts once the writes queued so far have landed."""
        self.write(lambda _: None, lambda _: self.action_refresh(), title="Could not refresh")

    def _show_rows(self, summaries: Sequence[ArticleSummary | None]) -> None:
        """Changed articles: their rows at once, then the list and the sidebar's counts
        read again together, so the count over the list and the sidebar's agree (and a
        row that left the view, read in Unread, goes)."""
        for summary in summaries:
            if summary is not None:
                self.articles.update_article(summary)
        self.action_refresh()

    def write(
        self,
        work: Callable[[Archive], T],
        then: Callable[[T], object] | None = None,
        *,
        title: str = "Could not save",
    ) -> None:
        """Queue `work` for the writer, then `then` with its result on the main thread;
        a refusal (TagError, ValueError, a busy or read-only file) is a one-line
        notification."""

        def refused(error: Exception) -> None:
            self.notify(error_line(error), title=title, severity="error", markup=False)

        write_then(self, self.access, work, then or (lambda _: None), refused)

    def _toggle(
        self,
        is_on: Callable[[ArticleSummary], bool],
        setter: Callable[[Archive, int, bool], None],
        on_text: str,
        off_text: str,
    ) -> None:
        targets = self._targets()
        if not targets:
            return
        value = not all(is_on(article) for article in targets)
        ids = [article.id for article in targets]

        def work(archive: Archive) -> list[ArticleSummary | None]:
            for article_id in ids:
                setter(archive, article_id, value)
            return [archive.get_summary(article_id) for article_id in ids]

        def done(summaries: list[ArticleSummary | None]) -> None:
            self._show_rows(summaries)
            if len(ids) > 1:
                self.notify(f"{len(ids)} articles {on_text if value else off_text}", markup=False)

        self.write(work, done)

    def action_star(self) -> None:
        self._toggle(
            lambda a: a.starred, lambda x, i, v: x.set_starred(i, v), "starred", "unstarred"
        )

    def action_archive(self) -> None:
        self._toggle(
            lambda a: a.is_archived,
            lambda x, i, v: x.set_archived(i, v),
            "archived",
            "unarchived",
        )

    def action_mark_read(self) -> None:
        self._toggle(lambda a: a.is_read, lambda x, i, v: x.set_read(i, v), "read", "unread")

    def action_delete(self) -> None:
        def deleted(count: int) -> None:
            self.articles.clear_selection()
            self.action_refresh()
            self.notify(f"Deleted {plural(count, 'article')}", markup=False)

        confirm_delete(self, self.access, [a.id for a in self._targets()], deleted)

    def action_edit_tags(self) -> None:
        edit_tags(self, self.access, [a.id for a in self._targets()], self._show_rows)

    def action_open_original(self) -> None:
        hit = self.articles.current
        if hit is not None:
            open_original(self, self.access, hit.article.id)

    @on(ArticleList.Opened)
    def _open(self, event: ArticleList.Opened) -> None:
        article_id = event.article_id
        self.post_message(OpenArticle(article_id, closed=lambda: self._update_rows([article_id])))

    def action_annotations(self) -> None:
        self.post_message(ShowAnnotations(closed=self._refresh_after_writes))

    def action_stats(self) -> None:
        self.post_message(ShowStats())

    def action_help(self) -> None:
        sections = [
            ("Library", binding_rows(LibraryScreen)),
            ("Article list", binding_rows(ArticleList)),
            ("Sidebar (on a tag)", binding_rows(Sidebar)),
            ("Search bar", [("Enter ↓ Esc", "Back to the list"), ("ctrl+p", "Command palette")]),
            ("Tag editor", [("Enter", "Add the tag typed"), *binding_rows(TagEditor, TagOptions)]),
            ("Everywhere", [("ctrl+p", "Command palette (every action)"), ("ctrl+q", "Quit")]),
        ]
        self.app.push_screen(HelpScreen(sections, title="Library keys"))

    def action_quit(self) -> None:
        """Quit; during an import, ask first (every page saved so far stays whole)."""
        if not self.importer.running:
            self.app.exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.app.exit()

        question = (
            "An import is still running. Quit now? The pages imported so far are kept;"
            " importing the same folder again finishes the rest."
        )
        self.app.push_screen(ConfirmDialog(question, yes="Quit", no="Keep importing"), answered)

    # -- export ------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the selection, else the articles of the list as it is filtered."""
        selected = self.articles.selected
        if selected:
            count = len(selected)
            noun = "article" if count == 1 else "articles"
            self._push_export(list(selected), f"the {count} selected {noun}")
            return
        query = self.articles.query_
        if query.is_empty:
            self._push_export(None, "every article")
            return
        self._export_query(query)

    @work(thread=True, exclusive=True, group="export-ids", exit_on_error=False)
    def _export_query(self, query: Query) -> None:
        ids = self.access.background(lambda archive: archive.article_ids(query))
        count = len(ids)
        noun = "article" if count == 1 else "articles"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(
                self._push_export, ids, f"the {count} {noun} of the current list"
            )

    def _push_export(self, ids: list[int] | None, description: str) -> None:
        self.post_message(ExportNotes(ids, description))

    # -- import ----------------------------------------------------------------------------

    def action_import(self) -> None:
        if self.importer.running:
            self.notify("An import is already running.", markup=False)
            return

        def chosen(request: ImportRequest | None) -> None:
            if request is not None:
                self.start_import(request.paths, request.tags)

        known = [tag.name for tag in self.sidebar.tags]
        self.app.push_screen(ImportDialog(known), chosen)

    def start_import(self, paths: list[Path], tags: list[str] | None = None) -> None:
        """Import `paths` (that exist: the dialog checked) in the background."""
        self.importer.start(paths, tags)

    @on(ImportProgress.Finished)
    def _import_done(self, event: ImportProgress.Finished) -> None:
        self.action_refresh()
        report = event.report
        if report is None:
            self.notify(f"Import failed: {event.error}", severity="error", timeout=10, markup=False)
            return
        severity: SeverityLevel = "warning" if report.failed else "information"
        summary = import_summary(report, self.importer.roots)
        self.notify(summary, title="Import", severity=severity, markup=False)
