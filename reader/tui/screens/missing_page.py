"""MissingPageScreen: the reading view of a missing page (an article known from an export,
its page not imported yet: reader.tui.missing).

There is no text to read, select, highlight or find: the screen shows what is known
(reader.tui.widgets.missing_page), says what to do (o opens the URL in the browser:
save the page, import it), and lists the highlights as quotes waiting for the page.
The keys are the reading view's (the one keymap): the article verbs work as for any
article (reader.tui.screens.article_verbs), the panel (p) and the note keys (e, u) as
in the reading view (reader.tui.screens.annotating: the quotes' notes, colours, the
article note); a key that needs the text says there is none yet.

Once a second (and when the screen shows again) the article's revision is read: gone
(deleted elsewhere), the screen says so and the verbs turn off; changed (its page was
imported by another program), it says so, and the details are read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from reader.archive import AnnotationNotFoundError, Archive, ArchiveError
from reader.models import Annotation, ArticleSummary
from reader.tui.access import ArchiveAccess, write_then
from reader.tui.missing import NO_TEXT, WAITING
from reader.tui.screens.annotating import Annotating
from reader.tui.screens.article_verbs import ArticleVerbs
from reader.tui.screens.help import HelpScreen, binding_rows
from reader.tui.stylesheets import READING_CSS
from reader.tui.widgets.annotations_panel import AnnotationsPanel
from reader.tui.widgets.footer import AppFooter
from reader.tui.widgets.missing_page import MissingPageDetails
from reader.tui.widgets.text import error_line

T = TypeVar("T")

CHECK_EVERY = 1.0  # seconds between reads of the article's revision
GONE = "This article was deleted elsewhere; q goes back to the library"
ARRIVED = "Its page has been imported: q goes back to the library, enter reads it"
# The verbs that write or read the article (off once it is gone).
NEEDS_THE_ARTICLE = frozenset(
    [
        *("star", "archive", "mark_read", "edit_tags", "delete", "export"),
        *("open_original", "edit_note", "undo", "toggle_panel"),
    ]
)


class MissingPageScreen(Annotating, ArticleVerbs):
    """A missing page's details and quotes; q or escape goes back."""

    RESTORED_ORPHAN = f" ({WAITING})"

    AUTO_FOCUS = "#missing-page"
    CSS_PATH = READING_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", tooltip="Show every key"),
        Binding("q,escape", "back", "Back", tooltip="Back to the library"),
        Binding("o", "open_original", "Open in browser", tooltip="Open its URL in the browser"),
        Binding("p", "toggle_panel", "Panel", tooltip="The annotations panel"),
        Binding("e", "edit_note", "Note", tooltip="Edit the article's note (the panel: a quote's)"),
        Binding("u", "undo", "Undo", show=False, tooltip="Undo the last delete"),
        Binding("s", "star", "Star", show=False, tooltip="Star or unstar"),
        Binding("a", "archive", "Archive", show=False, tooltip="Archive or unarchive"),
        Binding("m", "mark_read", "Read", show=False, tooltip="Mark read or unread"),
        Binding("t", "edit_tags", "Tags", show=False, tooltip="Edit the article's tags"),
        Binding(
            "d", "delete", "Delete", show=False, tooltip="Delete the article (asks first), back"
        ),
        Binding("E", "export", "Export", show=False, tooltip="Export its highlights and notes"),
        Binding("A", "annotations", "All notes", show=False, tooltip="All highlights and notes"),
        Binding("j,down", "scroll_details(1)", "Down", show=False),
        Binding("k,up", "scroll_details(-1)", "Up", show=False),
        # The reading view's keys that need the text: here they say there is none yet.
        Binding(
            "v,h,H,slash,n,N,c,x,left_square_bracket,right_square_bracket,"
            "left_curly_bracket,right_curly_bracket",
            "no_text",
            "No text yet",
            show=False,
            tooltip="Select, highlight, find, headings, highlights: once the page is imported",
        ),
    ]

    def __init__(
        self, access: ArchiveAccess, article_id: int, *, annotation_id: int | None = None
    ) -> None:
        super().__init__()
        self.access = access
        self.archive = access.archive  # the main thread's: quick reads only, never writes
        self.article_id = article_id
        self.annotation_id = annotation_id
        self.article = self.archive.get_article(article_id)
        self.state = self.article
        self._start_annotating()
        self._marked_read = bool(self.article and self.article.is_read)
        self._revision = self.article.updated_at if self.article else ""
        self._gone = self.article is None
        self._arrived = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="reading-body"):
            with VerticalScroll(id="missing-page"):
                yield MissingPageDetails(id="missing-details")
            yield AnnotationsPanel(id="annotations-panel", classes="-hidden")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#missing-page").border_title = "Missing page"
        if self.article is None:
            self.query_one(MissingPageDetails).display = False
            note = Static(f"Article {self.article_id} is not in the archive.", markup=False)
            self.query_one("#missing-page", VerticalScroll).mount(note)
            return
        self._reload_annotations(self.annotation_id)
        self.set_interval(CHECK_EVERY, self._check_article)
        if self.annotation_id is not None:  # asked for one quote (the annotations screen)
            self.call_after_refresh(self.action_toggle_panel)

    def command_nodes(self) -> list[Widget]:
        """Widgets whose bindings are also palette commands (see reader.tui.commands)."""
        return []

    @property
    def details(self) -> MissingPageDetails:
        return self.query_one(MissingPageDetails)

    # --- what Annotating and ArticleVerbs ask of the screen ------------------------------

    def _draw_annotations(self, current: int | None = None) -> None:
        if self.state is not None:
            self.details.show(self.state, self.annotations, arrived=self._arrived)
        if not self.panel.has_class("-hidden"):
            self.panel.show(self.annotations, current, missing=not self._arrived)
        self.refresh_bindings()

    def _update_status(self) -> None:
        """No status line: the details say it all."""

    def annotation_at_cursor(self) -> Annotation | None:
        """No text, so no highlight under a cursor: `e` edits the article's note."""
        return None

    def _save(
        self,
        work: Callable[[Archive], T],
        then: Callable[[T], object] = lambda _: None,
        *,
        refused: Callable[[Exception], object] | None = None,
    ) -> None:
        write_then(self, self.access, work, then, refused or self._refused)

    def _after_write(self, after: Callable[[], object]) -> None:
        after()  # no text to show again first

    def _state_changed(self, summary: ArticleSummary | None) -> None:
        super()._state_changed(summary)
        self._draw_annotations()

    def _refused(self, error: Exception) -> None:
        if not self._present():
            return  # deleted elsewhere: said once
        if isinstance(error, AnnotationNotFoundError):
            self._reload_annotations()
            self.notify("That note was deleted elsewhere; nothing was saved", timeout=5)
            return
        if not isinstance(error, (ArchiveError, KeyError, ValueError)):
            raise error  # a bug, not a refusal: let it show
        self.notify(error_line(error), title="Not saved", severity="error", markup=False)

    def _changed_elsewhere(self, message: str) -> None:
        self.notify(message, timeout=6, markup=False)

    # --- watching ------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        self._check_article()

    def _check_article(self) -> None:
        """Gone: say so; changed (its page imported): read it again, and say so."""
        if self._gone:
            return
        try:
            revision = self.archive.article_revision(self.article_id)
            if revision == self._revision:
                return
            state = None if revision is None else self.archive.get_summary(self.article_id)
        except ArchiveError:
            return  # the next tick reads again
        if revision is None or state is None:
            self._gone_elsewhere()
            return
        self._revision = revision
        self.state = state
        if not state.missing and not self._arrived:
            self._arrived = True
            self.notify(ARRIVED, timeout=10)
        self._reload_annotations()

    def _gone_elsewhere(self) -> None:
        if self._gone:
            return
        self._gone = True
        self.notify(GONE, title="Deleted", severity="warning", timeout=10)
        self.refresh_bindings()

    # --- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.article is None:
            return action in ("back", "help")
        if self._gone and action in NEEDS_THE_ARTICLE:
            return None  # shown, greyed: deleted elsewhere
        return True

    def action_no_text(self) -> None:
        self.notify(NO_TEXT, timeout=3, markup=False)

    def action_back(self) -> None:
        self.dismiss()

    def action_scroll_details(self, lines: int) -> None:
        body = self.query_one("#missing-page", VerticalScroll)
        body.scroll_relative(y=lines, animate=False)

    def action_toggle_panel(self) -> None:
        panel = self.panel
        if panel.has_class("-hidden"):
            # At the quote asked for (from the annotations screen), else the first.
            first = next((a.id for a in self.annotations), None)
            current = self.annotation_id if self.annotation_id is not None else first
            panel.remove_class("-hidden")
            panel.show(self.annotations, current, missing=not self._arrived)
            panel.focus_list()
        else:
            panel.add_class("-hidden")
            self.query_one("#missing-page").focus()

    # Textual calls a base's handler too, unless prevented: Annotating's would move the
    # text view this screen does not have.
    def on_annotations_panel_selected(self, event: AnnotationsPanel.Selected) -> None:
        event.prevent_default()
        if not event.preview and event.annotation.orphaned:
            self.notify(f"This highlight is {WAITING}: no text to show it in", timeout=3)

    def on_annotations_panel_closed(self, event: AnnotationsPanel.Closed) -> None:
        event.prevent_default()
        self.panel.add_class("-hidden")
        self.query_one("#missing-page").focus()

    def action_help(self) -> None:
        screen, panel = MissingPageScreen, AnnotationsPanel
        sections = [
            ("Missing page", binding_rows(screen, only=["open_original", "no_text"])),
            ("Notes", binding_rows(screen, only=["edit_note", "toggle_panel", "undo"])),
            (
                "Annotations panel (p)",
                binding_rows(panel, only=["edit", "delete", "cycle", "close"]),
            ),
            (
                "The article",
                binding_rows(
                    screen,
                    only=["star", "archive", "mark_read", "edit_tags", "delete", "export"],
                )
                + binding_rows(screen, only=["annotations"]),
            ),
            (
                "Everywhere",
                [
                    *binding_rows(screen, only=["back", "help"]),
                    ("ctrl+p", "Command palette (every action)"),
                ],
            ),
        ]
        self.app.push_screen(HelpScreen(sections, title="Missing page keys"))
