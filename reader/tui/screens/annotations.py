"""AnnotationsScreen: every highlight and note in the archive, newest first, searchable.

Type to filter (words in the quote or the note, the last one as a prefix, and the
search language's color:C and htag:T words, -color:C and -htag:T to leave out); enter
opens the article at that highlight. The list is loaded by a thread worker, a page of
PAGE_SIZE at a time ("more" at the end loads the next page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.models import COLORS
from reader.query import QueryError, parse_highlight_filter
from reader.textrules import display_line
from reader.tui.access import ArchiveAccess, missing_among, write_then
from reader.tui.messages import OpenArticle
from reader.tui.missing import WAITING
from reader.tui.screens.help import HelpScreen, binding_rows
from reader.tui.widgets.annotations_panel import tag_line
from reader.tui.widgets.footer import AppFooter
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.archive import Archive
    from reader.archive.annotations import AnnotationEntry

PAGE_SIZE = 200
MORE = "more"


def entry_text(
    entry: AnnotationEntry, highlight: Callable[[str], Style], *, waiting: bool = False
) -> Table:
    """The quote on its highlight's colour (`highlight(colour)`, the reading view's) or
    "Article note", its note, the article's title, a blank line; wrapped lines stay
    under the text they continue. `waiting`: its article is a missing page, so a quote
    not placed is waiting for the page, not lost from it."""
    annotation = entry.annotation
    text = Text()
    if annotation.is_article_note:
        text.append("Article note", style="italic")
    else:
        quote = display_line(_shorten(annotation.exact, 200))
        text.append(quote, style=highlight(annotation.color))
        if annotation.orphaned:
            said = f"  ({WAITING})" if waiting else "  (no longer found in the text)"
            text.append(said, style="italic")
    if annotation.note:
        text.append("\n")
        text.append(display_line(_shorten(annotation.note, 200)), style="italic")
    if annotation.tags:
        text.append("\n")
        text.append(tag_line(annotation.tags), style="bold")
    # Never dimmed: the cursor's bar moves over these lines, drawn once, and a dimmed
    # colour falls under 4.5:1 on it.
    text.append("\n— ")
    text.append(display_line(entry.article_title or "(untitled)"), style="bold")
    text.append("\n")  # a blank line between entries
    grid = Table.grid()
    grid.add_column(width=2)  # the margin the wrapped lines keep
    grid.add_column(ratio=1)
    grid.add_row("", text)
    return grid


class AnnotationList(OptionList):
    """The list of highlights and notes; its highlight colours are the theme's
    `$highlight-<colour>` variables (reader.tui.highlights), as the reading view's."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *OptionList.COMPONENT_CLASSES,
        *(f"annotation-list--highlight-{color}" for color in COLORS),
    }

    def style_of(self, color: str) -> Style:
        name = color if color in COLORS else COLORS[0]
        return self.get_component_rich_style(f"annotation-list--highlight-{name}")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AnnotationsScreen(Screen[None]):
    """All annotations across the archive."""

    # Seconds typing must pause before the list follows it (tests set 0: at once).
    DEBOUNCE_SECONDS: ClassVar[float] = 0.15

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        Binding("slash", "focus_search", "Search"),
        Binding("question_mark", "help", "Help"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, access: ArchiveAccess) -> None:
        super().__init__()
        self.access = access
        self.entries: list[AnnotationEntry] = []
        self.missing: set[int] = set()  # of the entries' articles, the missing pages
        self.text = ""
        self._timer: Timer | None = None
        self._more = False

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations"):
            yield Input(
                placeholder="Search highlights and notes (color:blue htag:idea)",
                id="annotation-search",
            )
            yield Static(id="annotation-status", markup=False)
            yield AnnotationList(id="annotation-list")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#annotations").border_title = "Highlights and notes"
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self.query_one(OptionList).focus()
        self._load("", 0)

    @on(Input.Changed, "#annotation-search")
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.DEBOUNCE_SECONDS <= 0:
            self._load(event.value, 0)
            return
        self._timer = self.set_timer(self.DEBOUNCE_SECONDS, lambda: self._load(event.value, 0))

    @on(Input.Submitted, "#annotation-search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._load(event.value, 0)
        self.query_one(OptionList).focus()

    @work(thread=True, exclusive=True, group="annotations", exit_on_error=False)
    def _load(self, text: str, offset: int) -> None:
        try:
            words, wanted = parse_highlight_filter(text)
        except QueryError as error:
            self.app.call_from_thread(self._bad_filter, error)
            return

        def work(archive: Archive) -> tuple[list[AnnotationEntry], set[int]]:
            entries = archive.all_annotations(
                words, highlights=wanted, limit=PAGE_SIZE + 1, offset=offset
            )
            return entries, missing_among(archive, (e.annotation.article_id for e in entries))

        try:
            entries, missing = self.access.background(work)
        except Exception as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(
                    self.notify, error_line(error), severity="error", markup=False
                )
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, text, offset, entries, missing)

    def _show(
        self, text: str, offset: int, entries: list[AnnotationEntry], missing: set[int]
    ) -> None:
        self._more = len(entries) > PAGE_SIZE
        entries = entries[:PAGE_SIZE]
        options = self.query_one(AnnotationList)
        if offset == 0:
            self.entries = []
            self.missing = set()
            options.clear_options()
        elif options.option_count and options.get_option_at_index(-1).id == MORE:
            options.remove_option(MORE)
        self.text = text
        start = len(self.entries)
        self.entries += entries
        self.missing |= missing
        options.add_options(self._options(entries, start))
        if offset == 0 and self.entries:
            options.highlighted = 0
        count = f"{len(self.entries)}{'+' if self._more else ''}"
        status = Text(f"{count} annotation{'s' if len(self.entries) != 1 else ''}")
        if not self.entries:
            status = Text(
                "No highlights or notes match." if text else "No highlights or notes yet."
            )
        self.query_one("#annotation-status", Static).update(status)

    def _bad_filter(self, error: QueryError) -> None:
        """A colour or tag that cannot be: said where the count goes; the list stays."""
        self.query_one("#annotation-status", Static).update(Text(str(error), style="bold"))

    def _options(self, entries: list[AnnotationEntry], start: int) -> list[Option]:
        """The entries as options (numbered from `start`), then "more" if there is."""
        style = self.query_one(AnnotationList).style_of
        options = [
            Option(entry_text(e, style, waiting=e.annotation.article_id in self.missing), id=str(i))
            for i, e in enumerate(entries, start)
        ]
        if self._more:
            options.append(Option(Text("… more", style="italic"), id=MORE))
        return options

    def _restyle(self, _: Theme) -> None:
        """Another theme: the entries again in its highlight colours (once its styles
        are in place)."""

        def rebuild() -> None:
            options = self.query_one(AnnotationList)
            highlighted = options.highlighted
            options.clear_options()
            options.add_options(self._options(self.entries, 0))
            options.highlighted = highlighted

        self.call_after_refresh(rebuild)

    @on(OptionList.OptionSelected, "#annotation-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MORE:
            self._load(self.text, len(self.entries))
            return
        annotation = self.entries[int(event.option.id or 0)].annotation
        self.post_message(
            OpenArticle(annotation.article_id, annotation_id=annotation.id, closed=self._reload)
        )

    def _reload(self) -> None:
        """The list again from the top, once the writes queued meanwhile (the reading
        screen's) have landed."""

        def reload(_: object) -> None:
            self._load(self.text, 0)

        write_then(self, self.access, lambda _: None, reload, reload)

    def action_back(self) -> None:
        if self.query_one(Input).has_focus and self.query_one(Input).value:
            self.query_one(Input).value = ""
            return
        self.dismiss(None)

    def action_help(self) -> None:
        rows = [("Enter", "Open the article at the highlight"), *binding_rows(AnnotationsScreen)]
        self.app.push_screen(HelpScreen([("Highlights and notes", rows)], title="Keys"))

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
