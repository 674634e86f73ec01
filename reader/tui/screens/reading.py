"""The reading screen: one article's text, its highlights and notes, and the article verbs.

The app pushes `ReadingScreen(access, article_id)` when a screen asks for an article.
The text is an ArticleView (a line-API widget over a precomputed layout); this screen
does the archive's side: it saves the reading position (the offset at the top of the
view, at most once a second while reading, and on leaving), marks the article read at
its end, writes highlights and notes as soon as they are made (reader.tui.screens.
annotating), finds in the text (`/`, reader.tui.find), and has the library's article
verbs (reader.tui.screens.article_verbs): star, archive, read, tags, delete, export,
the original.
Another program may delete the article or extract it again meanwhile: the screen
notices (reader.tui.screens.watching) and says so, or shows the new text.

Every write is queued for the writer thread (reader.tui.access), in the order made, and
its result comes back to this screen when it has landed: while another program holds
the archive's write lock, keys still move the text, and a write refused past the busy
timeout is a one-line notification.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import ClassVar, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from reader.archive import AnnotationError, AnnotationNotFoundError, Archive, ArchiveError
from reader.ingest.images import figure_pictures
from reader.models import Article, ArticleSummary
from reader.textrules import one_line
from reader.tui.access import ArchiveAccess, write_then
from reader.tui.layout import Header
from reader.tui.pictures import PictureRows, pictures_on
from reader.tui.screens.annotating import Annotating
from reader.tui.screens.article_verbs import ArticleVerbs
from reader.tui.screens.finding import Finding
from reader.tui.screens.help import HelpScreen, binding_rows
from reader.tui.screens.watching import GONE, GONE_HINT, Watching
from reader.tui.stylesheets import READING_CSS
from reader.tui.widgets.annotations_panel import AnnotationsPanel
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.footer import AppFooter
from reader.tui.widgets.text import error_line

T = TypeVar("T")
Position = tuple[int, float]  # (text offset at the top of the screen, progress 0..1)

SAVE_EVERY = 1.0  # seconds between position saves (and revision checks) while reading
HIGHLIGHT_GONE = "That highlight was deleted elsewhere; nothing was saved"
# What a key cannot do once the article is gone (moving, finding and the panel still work).
NEEDS_THE_ARTICLE = frozenset(
    [
        *("highlight", "highlight_note", "cycle_color", "edit_note", "delete_highlight"),
        *("undo", "star", "archive", "mark_read", "edit_tags", "delete", "export"),
        "open_original",
    ]
)


def header_of(article: Article) -> Header:
    """The lines above the text: title, who/where/when, link, reading time."""
    published = (article.published or "")[:10]
    words = f"{article.word_count:,} word{'s' * (article.word_count != 1)}"
    return Header(
        title=article.title or "Untitled",
        byline=article.byline or "",
        site=article.site_name or "",
        published=published,
        url=article.url or "",
        reading=f"{article.reading_minutes} min read · {words}",
    )


def cut(text: str, cells: int) -> str:
    """`text` in at most `cells` cells, an ellipsis where it was cut."""
    if cell_len(text) <= cells:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > cells - 1:
            break
        out += char
    return out + "…" if cells > 0 else ""


class ReadingStatus(Static):
    """One line under the text: progress, the find, the mode or the highlight under the
    cursor with its note, the highlight count."""


class ReadingScreen(Annotating, Finding, Watching, ArticleVerbs):
    """Read (and annotate) article `article_id`; q or escape goes back."""

    AUTO_FOCUS = "ArticleView"

    # The same file the app loads at start (an identical path, so pushing this screen
    # does not re-parse the stylesheets); kept here for apps that push it alone.
    CSS_PATH = READING_CSS
    # The keymap the library shares (reader's one keymap): s a m t d E o A / q ?.
    BINDINGS: ClassVar[list[BindingType]] = [
        # Help first: the footer shows keys in this order, and a narrow one cuts the end.
        Binding("question_mark", "help", "Help", tooltip="Show every key"),
        Binding("q", "back", "Back", tooltip="Back to the library"),
        Binding("escape", "escape", "Back", show=False, tooltip="Cancel the find, else back"),
        Binding("slash", "find", "Find", tooltip="Find in the article"),
        Binding("I", "toggle_pictures", "Pictures", show=False, tooltip="Show or hide pictures"),
        Binding("n", "find_next", "Next match", show=False),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("h", "highlight", "Highlight", show=False, tooltip="Highlight the selection"),
        Binding(
            "H",
            "highlight_note",
            "Highlight + note",
            show=False,
            tooltip=("Highlight the selection and write a note"),
        ),
        Binding(
            "c",
            "cycle_color",
            "Colour",
            show=False,
            tooltip=("Cycle the colour of the highlight under the cursor"),
        ),
        Binding(
            "e",
            "edit_note",
            "Note",
            tooltip=("Edit the note of the highlight under the cursor, else the article's note"),
        ),
        Binding(
            "x",
            "delete_highlight",
            "Delete highlight",
            show=False,
            tooltip=("Delete the highlight under the cursor"),
        ),
        Binding(
            "T",
            "tag_highlight",
            "Highlight tags",
            show=False,
            tooltip=("Edit the tags of the highlight under the cursor (t: the article's)"),
        ),
        Binding(
            "u", "undo", "Undo", show=False, tooltip=("Undo the last delete or extended highlight")
        ),
        Binding("p", "toggle_panel", "Panel", tooltip="The annotations panel"),
        Binding("s", "star", "Star", show=False, tooltip="Star or unstar"),
        Binding("a", "archive", "Archive", show=False, tooltip="Archive or unarchive"),
        Binding("m", "mark_read", "Read", show=False, tooltip="Mark read or unread"),
        Binding("t", "edit_tags", "Tags", show=False, tooltip="Edit the article's tags"),
        Binding(
            "d",
            "delete",
            "Delete",
            show=False,
            tooltip=("Delete the article (asks first), back to the library"),
        ),
        Binding(
            "E",
            "export",
            "Export",
            show=False,
            tooltip=("Export this article's highlights and notes"),
        ),
        Binding(
            "o",
            "open_original",
            "Original",
            show=False,
            tooltip=("Open the saved original page in the browser"),
        ),
        Binding(
            "A",
            "annotations",
            "All notes",
            show=False,
            tooltip=("All highlights and notes (every article)"),
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
        self._start_annotating()
        # The article's state (starred, read, tags...) as last read back from the archive.
        self.state: ArticleSummary | None = self.article
        saved: Position = (
            (self.article.position, self.article.progress) if self.article else (0, 0.0)
        )
        self._saved = saved  # the position the archive holds
        self._queued = saved  # the last position queued (it is `_saved` once it lands)
        self._latest = saved  # where the reader is
        self._marked_read = bool(self.article and self.article.is_read)
        self._start_watching(self.article)
        self._binding_state: tuple[object, ...] = ()
        self._start_finding()

    # --- building -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        article = self.article
        with Horizontal(id="reading-body"):
            if article is None:
                yield Static(Text(f"Article {self.article_id} is not in the archive."))
            else:
                self.annotations = self.archive.annotations_for(article.id)
                yield self._article_view(article, article.position)
            yield AnnotationsPanel(id="annotations-panel", classes="-hidden")
        yield self.find_bar
        yield ReadingStatus(id="reading-status")
        yield AppFooter()

    def _article_view(self, article: Article, position: int) -> ArticleView:
        """The view of `article`'s text (with `self.annotations`), its top at `position`."""
        # Names and sizes only: the bytes are read where each picture is decoded.
        stored = self.archive.images_of(article.id, data=False)
        pictures = figure_pictures(article.document, stored)
        rows = PictureRows(pictures, self._picture_ready, self._picture_data) if pictures else None
        return ArticleView(
            article.document,
            header_of(article),
            position=position,
            highlights=self._spans(),
            find=self.action_find,
            pictures=rows,
            show_pictures=pictures_on(self.app),
        )

    def _picture_data(self, sha256: str) -> bytes | None:
        """A picture's bytes, on the readers' connection (called in a decoding thread)."""
        return self.access.background(lambda archive: archive.image_data(sha256))

    class PictureDecoded(Message):
        """A picture was decoded in its thread: its rows can be drawn."""

    def _picture_ready(self) -> None:
        """A picture was decoded (in its thread): draw the view again. A message, which
        a thread may post without waiting: call_from_thread would wait for the event
        loop, and a loop waiting for the decoding threads (PictureRows.wait) would never
        come back."""
        self.post_message(self.PictureDecoded())

    def on_reading_screen_picture_decoded(self, _message: PictureDecoded) -> None:
        for view in self.query(ArticleView):
            view.refresh()

    def action_toggle_pictures(self) -> None:
        for view in self.query(ArticleView):
            view.show_pictures(not view.pictures_shown)

    def on_mount(self) -> None:
        if self.article is not None:
            self.set_interval(SAVE_EVERY, self._tick)
            self.call_after_refresh(self._update_status)
            if self.annotation_id is not None:
                self.call_after_refresh(self._show_annotation, self.annotation_id)

    def command_nodes(self) -> list[Widget]:
        """Widgets whose bindings are also palette commands (see reader.tui.commands)."""
        return [self.view] if self.article is not None else []

    @property
    def view(self) -> ArticleView:
        """The view of the article's text (while a new text replaces it, the old one's
        until the new one is mounted)."""
        if self._view is None:
            self._view = self.query_one(ArticleView)
        return self._view

    def _tick(self) -> None:
        """Once a second: has the article changed elsewhere; then save the position."""
        self._check_article()
        self.save_position()

    # --- reading position ---------------------------------------------------------

    def on_article_view_moved(self, event: ArticleView.Moved) -> None:
        if event.view is not self.view:
            return  # the view of a text being replaced
        self._latest = (event.position, event.progress)
        if event.at_end and not self._marked_read:
            self._mark_read()
        self._update_status()
        self._refresh_bindings_if_changed()

    def _refresh_bindings_if_changed(self) -> None:
        """The footer is rebuilt only when what the keys can do changed (not each scroll)."""
        view = self.view
        span = view.highlight_at()
        state = (view.selection_anchor is None, view.selection is None, span.id if span else None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _mark_read(self) -> None:
        article_id = self.article_id
        self._marked_read = True

        def refused(error: Exception) -> None:
            self._marked_read = False  # reaching the end again tries again
            self._refused(error)

        def work(archive: Archive) -> ArticleSummary | None:
            archive.set_read(article_id, True)
            return archive.get_summary(article_id)

        self._save(work, self._state_changed, refused=refused)

    def save_position(self) -> None:
        """Queue a write of the position when it changed since the last one (the timer's
        tick: while one is on its way, the next waits for it to land)."""
        if (
            self.article is None
            or self._gone
            or self._replacing  # `_latest` is the old text's until the new one is shown
            or self._latest == self._queued
            or self._queued != self._saved
        ):
            return
        position = self._latest
        self._queued = position

        def saved(_: object) -> None:
            self._saved = position

        def refused(error: Exception) -> None:
            if self._gone_now(error):
                return  # said once; nothing more is saved
            if not isinstance(error, ArchiveError):
                raise error  # a bug, not a refusal: let it show
            self._queued = self._saved  # busy, full or read-only: the next tick tries again

        write_then(self, self.access, self._position_write(position), saved, refused)

    def _save_position_on_leaving(self) -> None:
        """Queue the last position, even behind one still on its way; nothing waits for
        it on screen (the screen is going), but the writer lands it."""
        if self.article is None or self._gone or self._latest == self._queued:
            return
        self._queued = self._latest
        with contextlib.suppress(RuntimeError):  # the app closed the archive already
            self.access.write(self._position_write(self._latest))

    def _position_write(self, position: Position) -> Callable[[Archive], None]:
        article_id = self.article_id
        return lambda archive: archive.save_position(article_id, *position)

    def on_unmount(self) -> None:
        self._save_position_on_leaving()

    # --- the status line ----------------------------------------------------------

    def _update_status(self) -> None:
        if self.article is None:
            return
        if self._gone:
            status = self.query_one(ReadingStatus)
            status.update(Text(f"{GONE} · {GONE_HINT}"), layout=False)
            return
        view = self.view
        count = len(view.highlights)
        first = [f"{round(view.progress * 100)}%"]
        if self._query and self._matches_shown():
            first.append(self._match_text())
        last = [f"{count} highlight{'s' * (count != 1)}"]
        middle = ""
        if view.selection_anchor is not None:
            middle = "VISUAL: move to select · h highlight · H with a note · esc cancels"
        else:
            annotation = self.annotation_at_cursor()
            if annotation is not None:
                note = one_line(annotation.note)
                middle = f"{annotation.color} highlight" + (
                    f": {note}" if note else " (no note: e writes one)"
                )
        status = self.query_one(ReadingStatus)
        if middle:
            room = status.size.width - 2 - cell_len(" · ".join([*first, "", *last]))
            middle = cut(middle, max(8, room))
        parts = [*first, middle, *last] if middle else [*first, *last]
        status.update(Text(" · ".join(parts)), layout=False)

    # --- keys -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.article is None:
            return action in ("back", "escape", "help")
        if self._gone and action in NEEDS_THE_ARTICLE:
            return None  # shown, greyed: deleted elsewhere
        return True

    def action_help(self) -> None:
        view, screen = ArticleView, ReadingScreen
        panel, find = AnnotationsPanel, FindBar
        moving = ["line_down", "line_up", "page_down", "page_up", "top", "bottom"]
        sections = [
            ("Reading", binding_rows(view, only=[*moving, "previous_heading", "next_heading"])),
            (
                "Annotating",
                [
                    *binding_rows(view, only=["visual"]),
                    *binding_rows(screen, only=["highlight", "highlight_note"]),
                    *binding_rows(view, only=["next_highlight", "previous_highlight"]),
                    *binding_rows(
                        screen,
                        only=["cycle_color", "edit_note", "delete_highlight", "undo"],
                    ),
                    ("mouse", "Click puts the cursor; drag selects; double click a word"),
                ],
            ),
            (
                "Selecting (after v)",
                binding_rows(
                    view,
                    only=[
                        "char_left",
                        "word_right",
                        "word_left",
                        "sentence_right",
                        "sentence_left",
                        "line_down",
                        "cancel_selection",
                    ],
                    names={"line_down": "Extend by a line (↓ j ↑ k)"},
                ),
            ),
            (
                "Annotations panel (p)",
                [
                    ("Enter", "Show the selected highlight in the text"),
                    *binding_rows(panel, only=["edit", "delete", "cycle", "close"]),
                ],
            ),
            (
                "Find (/)",
                [
                    ("Enter shift+Enter", "Next / previous match (also ↓ ↑ in the find bar)"),
                    *binding_rows(screen, only=["find_next", "find_previous"]),
                    *binding_rows(find, only=["close"]),
                ],
            ),
            (
                "The article",
                binding_rows(
                    screen,
                    only=["star", "archive", "mark_read", "edit_tags", "delete", "export"],
                )
                + binding_rows(screen, only=["open_original", "annotations", "toggle_panel"]),
            ),
            (
                "Everywhere",
                [
                    *binding_rows(screen, only=["back", "escape", "help"]),
                    ("ctrl+p", "Command palette (every action)"),
                ],
            ),
        ]
        self.app.push_screen(HelpScreen(sections, title="Reading keys"))

    def _save(
        self,
        work: Callable[[Archive], T],
        then: Callable[[T], object] = lambda _: None,
        *,
        refused: Callable[[Exception], object] | None = None,
    ) -> None:
        """Queue one archive write; `then(result)` runs here once it has landed. A refusal
        (another program holding the lock past the busy timeout, a full disk, a
        read-only file) is `refused(error)`, by default a one-line notification. Where
        another program extracted the article again meanwhile, its new text is put on
        screen before `then` shows the change."""

        def landed(result: T) -> None:
            self._after_write(lambda: then(result))

        write_then(self, self.access, work, landed, refused or self._refused)

    def _refused(self, error: Exception) -> None:
        if self._gone_now(error):
            return  # deleted elsewhere: said once
        if isinstance(error, AnnotationNotFoundError):
            self._reload_annotations()
            self.notify(HIGHLIGHT_GONE, severity="warning", timeout=5)
            return
        if not isinstance(error, (AnnotationError, ArchiveError, KeyError, ValueError)):
            raise error  # a bug, not a refusal: let it show
        self.notify(error_line(error), title="Not saved", severity="error", markup=False)

    def action_back(self) -> None:
        self._save_position_on_leaving()  # queued before whatever the library reads back
        self.dismiss()

    def action_escape(self) -> None:
        """Escape: cancel the find when there is one (a selection is the text's own),
        else back."""
        if self._matches_shown():
            self._end_find()
        else:
            self.action_back()
