"""The reading screen: one article's text, its highlights and notes.

The app pushes `ReadingScreen(access, article_id)` when a screen asks for an article.
The text is an ArticleView (a line-API widget over a precomputed layout); this screen
does the archive's side: it saves the reading position (at most once a second while
reading, and on leaving), marks the article read at its end, writes highlights and notes
as soon as they are made, and opens the saved original in a browser.

Every write is queued for the writer thread (reader.tui.access), in the order made, and
its result comes back to this screen when it has landed: while another program holds
the archive's write lock, keys still move the text, and a write refused past the busy
timeout is a one-line notification.
"""

from __future__ import annotations

import contextlib
import tempfile
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from reader.archive import Archive, ArchiveError
from reader.archive.annotations import AnnotationError
from reader.models import COLORS, Annotation, Article
from reader.tui.access import ArchiveAccess, write_then
from reader.tui.layout import Header
from reader.tui.messages import ExportNotes
from reader.tui.screens.help import HelpScreen
from reader.tui.stylesheets import READING_CSS
from reader.tui.widgets.annotations_panel import AnnotationsPanel
from reader.tui.widgets.article_view import ArticleView, Span
from reader.tui.widgets.note_editor import NoteEditor
from reader.tui.widgets.text import error_line

T = TypeVar("T")
Position = tuple[int, float]  # (text offset at the top of the screen, progress 0..1)

SAVE_EVERY = 1.0  # seconds between position saves while reading
SUFFIXES = {"html": ".html", "singlefile": ".html", "mhtml": ".mhtml", "webarchive": ".webarchive"}


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


class ReadingStatus(Static):
    """One line under the text: progress, mode, highlight count."""


class ReadingScreen(Screen[None]):
    """Read (and annotate) article `article_id`; escape goes back."""

    AUTO_FOCUS = "ArticleView"

    # The same file the app loads at start (an identical path, so pushing this screen
    # does not re-parse the stylesheets); kept here for apps that push it alone.
    CSS_PATH = READING_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("h", "highlight", "Highlight"),
        Binding("H", "highlight_note", "Highlight + note"),
        Binding("c", "cycle_color", "Colour"),
        Binding("e", "edit_note", "Edit note"),
        Binding("x", "delete_highlight", "Delete"),
        Binding("u", "undo", "Undo delete"),
        Binding("a", "article_note", "Article note"),
        Binding("A", "toggle_panel", "Annotations"),
        Binding("o", "open_original", "Original"),
        Binding("E", "export", "Export notes", show=False, tooltip="Export this article's notes"),
        Binding("question_mark", "help", "Help", tooltip="Show every key"),
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
        self.annotations: list[Annotation] = []
        self._deleted: list[Annotation] = []
        saved: Position = (
            (self.article.position, self.article.progress) if self.article else (0, 0.0)
        )
        self._saved = saved  # the position the archive holds
        self._queued = saved  # the last position queued (it is `_saved` once it lands)
        self._latest = saved  # where the reader is
        self._marked_read = bool(self.article and self.article.is_read)
        self._highlighting = False  # a highlight is on its way to the archive
        self._restoring = False  # an undo is on its way
        self._binding_state: tuple[object, ...] = ()

    # --- building -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        article = self.article
        with Horizontal(id="reading-body"):
            if article is None:
                yield Static(Text(f"Article {self.article_id} is not in the archive."))
            else:
                self.annotations = self.archive.annotations_for(article.id)
                yield ArticleView(
                    article.document,
                    header_of(article),
                    position=article.position,
                    highlights=self._spans(),
                    id="article",
                )
            yield AnnotationsPanel(id="annotations-panel", classes="-hidden")
        yield ReadingStatus(id="reading-status")
        yield Footer()

    def on_mount(self) -> None:
        if self.article is not None:
            self.set_interval(SAVE_EVERY, self.save_position)
            self.call_after_refresh(self._update_status)
            if self.annotation_id is not None:
                self.call_after_refresh(self._show_annotation, self.annotation_id)

    def command_nodes(self) -> list[Widget]:
        """Widgets whose bindings are also palette commands (see reader.tui.commands)."""
        return [self.view] if self.article is not None else []

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def panel(self) -> AnnotationsPanel:
        return self.query_one(AnnotationsPanel)

    def _spans(self) -> list[Span]:
        return [
            Span(a.id, a.start, a.end, a.color)
            for a in self.annotations
            if a.start is not None and a.end is not None and not a.orphaned and a.start < a.end
        ]

    def _reload_annotations(self, current: int | None = None) -> None:
        self.annotations = self.archive.annotations_for(self.article_id)
        self._draw_annotations(current)

    def _draw_annotations(self, current: int | None = None) -> None:
        self.view.set_highlights(self._spans())
        if not self.panel.has_class("-hidden"):
            self.panel.show(self.annotations, current)
        self._update_status()
        self.refresh_bindings()

    def _show_annotation(self, annotation_id: int) -> None:
        for annotation in self.annotations:
            if annotation.id == annotation_id and annotation.start is not None:
                self.view.jump_to(annotation.start)

    # --- reading position ---------------------------------------------------------

    def on_article_view_moved(self, event: ArticleView.Moved) -> None:
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

        self._save(lambda archive: archive.set_read(article_id, True), refused=refused)

    def save_position(self) -> None:
        """Queue a write of the position when it changed since the last one (the timer's
        tick: while one is on its way, the next waits for it to land)."""
        if self.article is None or self._latest == self._queued or self._queued != self._saved:
            return
        position = self._latest
        self._queued = position

        def saved(_: object) -> None:
            self._saved = position

        def refused(error: Exception) -> None:
            if not isinstance(error, ArchiveError):
                raise error  # a bug, not a refusal: let it show
            self._queued = self._saved  # busy, full or read-only: the next tick tries again

        write_then(self, self.access, self._position_write(position), saved, refused)

    def _save_position_on_leaving(self) -> None:
        """Queue the last position, even behind one still on its way; nothing waits for
        it on screen (the screen is going), but the writer lands it."""
        if self.article is None or self._latest == self._queued:
            return
        self._queued = self._latest
        with contextlib.suppress(RuntimeError):  # the app closed the archive already
            self.access.write(self._position_write(self._latest))

    def _position_write(self, position: Position) -> Callable[[Archive], None]:
        article_id = self.article_id
        return lambda archive: archive.save_position(article_id, *position)

    def on_unmount(self) -> None:
        self._save_position_on_leaving()

    def _update_status(self) -> None:
        if self.article is None:
            return
        view = self.view
        parts = [f"{round(view.progress * 100)}%"]
        if view.selection_anchor is not None:
            parts.append("VISUAL: move to select, h highlight, H with note, escape cancel")
        else:
            span = view.highlight_at()
            if span is not None:
                parts.append(f"on a {span.color} highlight: c colour, e note, x delete")
        count = len(view.highlights)
        parts.append(f"{count} highlight{'s' * (count != 1)}")
        self.query_one(ReadingStatus).update(Text(" · ".join(parts)), layout=False)

    # --- actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.article is None:
            return action == "back"
        if action in ("highlight", "highlight_note"):
            return self.view.selection is not None
        if action in ("cycle_color", "edit_note", "delete_highlight"):
            return self.view.selection_anchor is None and self.view.highlight_at() is not None
        if action == "undo":
            return bool(self._deleted)
        return True

    def action_help(self) -> None:
        reading = [
            ("↓ j ↑ k", "Scroll a line"),
            ("Space PgDn / b PgUp", "Scroll a screen"),
            ("g Home / G End", "Top / bottom"),
            ("n / N", "Next / previous heading"),
            ("] / [", "Next / previous highlight"),
            ("v", "Select from the cursor (a click puts the cursor)"),
            ("o", "Open the saved original page in the browser"),
        ]
        selecting = [
            ("← →", "Extend by a character"),
            ("w b", "Extend by a word (to its end / back to its start)"),
            (") (", "Extend by a sentence"),
            ("↓ j ↑ k", "Extend by a line"),
            ("Space PgDn / PgUp", "Extend by a screen"),
            ("g G", "Extend to the start / end"),
            ("mouse drag", "Select with the mouse"),
            ("h", "Highlight the selection"),
            ("H", "Highlight it and write a note"),
            ("Esc v", "Cancel the selection"),
        ]
        annotating = [
            ("c", "Cycle the colour of the highlight under the cursor"),
            ("e", "Edit its note (ctrl+s saves, escape cancels)"),
            ("x / u", "Delete it / undo the last deletion"),
            ("] [", "Next / previous highlight"),
            ("a", "Write a note on the whole article"),
            ("A", "Annotations panel (Enter shows one in the text)"),
            ("E", "Export this article's highlights and notes as Markdown"),
        ]
        sections = [
            ("Reading", reading),
            ("Selecting (after v)", selecting),
            ("Annotating", annotating),
            ("Everywhere", [("Esc", "Back to the library"), ("ctrl+p", "Command palette")]),
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
        read-only file) is `refused(error)`, by default a one-line notification."""
        write_then(self, self.access, work, then, refused or self._refused)

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, (AnnotationError, ArchiveError)):
            raise error  # a bug, not a refusal: let it show
        self.notify(error_line(error), title="Not saved", severity="error", markup=False)

    def action_back(self) -> None:
        self._save_position_on_leaving()  # queued before whatever the library reads back
        self.dismiss()

    def _add_highlight(self, then: Callable[[int], object]) -> None:
        """Highlight the selection; once it is in the archive, show it and call `then`
        with its id (a refusal keeps the selection, to try again)."""
        selection = self.view.selection
        if selection is None:
            self.notify("Select text first: v, then move (or drag with the mouse)")
            return
        if self._highlighting:
            return  # the same selection is on its way already
        self._highlighting = True
        article_id = self.article_id

        def added(annotation_id: int) -> None:
            self._highlighting = False
            if self.view.selection == selection:  # unless the reader moved on meanwhile
                self.view.clear_selection()
                self.view.move_cursor(selection[0])
            self._reload_annotations(annotation_id)
            then(annotation_id)

        def refused(error: Exception) -> None:
            self._highlighting = False
            self._refused(error)

        self._save(
            lambda archive: archive.add_highlight(article_id, *selection), added, refused=refused
        )

    def action_highlight(self) -> None:
        self._add_highlight(lambda _: self.notify("Highlighted", timeout=2))

    def action_highlight_note(self) -> None:
        self._add_highlight(self._edit)

    def _current(self) -> Annotation | None:
        span = self.view.highlight_at()
        if span is None:
            return None
        return next((a for a in self.annotations if a.id == span.id), None)

    def action_cycle_color(self) -> None:
        annotation = self._current()
        if annotation is None:
            return
        color = COLORS[(COLORS.index(annotation.color) + 1) % len(COLORS)]
        annotation_id = annotation.id
        # Shown at once, so a key pressed again (or held) cycles on from this colour; the
        # archive follows in order. A refusal shows what the archive holds again.
        self.annotations = [
            replace(a, color=color) if a.id == annotation_id else a for a in self.annotations
        ]
        self._draw_annotations(annotation_id)

        def refused(error: Exception) -> None:
            self._refused(error)
            self._reload_annotations(annotation_id)

        self._save(
            lambda archive: archive.update_annotation(annotation_id, color=color),
            refused=refused,
        )

    def action_edit_note(self) -> None:
        annotation = self._current()
        if annotation is not None:
            self._edit(annotation.id)

    def _edit(self, annotation_id: int) -> None:
        annotation = self.archive.get_annotation(annotation_id)
        if annotation is None:
            return

        def saved(note: str | None) -> None:
            if note is None or note == annotation.note:
                return

            def done(_: object) -> None:
                self._reload_annotations(annotation_id)
                self.notify("Note saved", timeout=2)

            self._save(lambda archive: archive.update_annotation(annotation_id, note=note), done)

        self.app.push_screen(
            NoteEditor("Note on the highlight", annotation.note, quote=annotation.exact), saved
        )

    def action_delete_highlight(self) -> None:
        annotation = self._current()
        if annotation is None:
            return
        annotation_id = annotation.id

        def done(deleted: Annotation | None) -> None:
            if deleted is not None:
                self._deleted.append(deleted)
                self.notify("Highlight deleted: u undoes", timeout=3)
            self._reload_annotations()

        self._save(lambda archive: archive.delete_annotation(annotation_id), done)

    def action_undo(self) -> None:
        if not self._deleted or self._restoring:
            return
        annotation = self._deleted[-1]
        self._restoring = True

        def restored(new_id: int) -> None:
            self._restoring = False
            self._deleted.remove(annotation)
            self._reload_annotations(new_id)
            if annotation.start is not None:
                self.view.jump_to(annotation.start)
            self.notify("Highlight restored", timeout=2)

        def refused(error: Exception) -> None:
            self._restoring = False
            self._refused(error)

        self._save(
            lambda archive: archive.restore_annotation(annotation), restored, refused=refused
        )

    def action_article_note(self) -> None:
        article_id = self.article_id

        def saved(note: str | None) -> None:
            if not note or not note.strip():
                return

            def done(_: object) -> None:
                self._reload_annotations()
                self.notify("Article note saved", timeout=2)

            self._save(lambda archive: archive.add_article_note(article_id, note), done)

        self.app.push_screen(NoteEditor("Note on the article"), saved)

    def action_toggle_panel(self) -> None:
        panel = self.panel
        if panel.has_class("-hidden"):
            # Start the list at the highlight under the cursor, else the next one.
            span = self.view.highlight_at() or next(
                (s for s in self.view.highlights if s.start >= self.view.cursor), None
            )
            panel.remove_class("-hidden")
            panel.show(self.annotations, span.id if span else None)
            panel.focus_list()
        else:
            panel.add_class("-hidden")
            self.view.focus()

    def on_annotations_panel_selected(self, event: AnnotationsPanel.Selected) -> None:
        if event.annotation.start is None:
            return
        if event.annotation.orphaned:
            if not event.preview:
                self.notify("This highlight's text is no longer in the article", timeout=3)
            return
        self.view.jump_to(event.annotation.start)
        if not event.preview:
            self.view.focus()

    def on_annotations_panel_closed(self, event: AnnotationsPanel.Closed) -> None:
        self.panel.add_class("-hidden")
        self.view.focus()

    def action_export(self) -> None:
        title = (self.article.title if self.article else "") or "Untitled"
        short = title if len(title) <= 60 else title[:59] + "…"
        self.post_message(ExportNotes([self.article_id], f"this article, “{short}”"))

    # --- the original page --------------------------------------------------------

    def action_open_original(self) -> None:
        original = self.archive.original_of(self.article_id)
        if original is None:
            self.notify("No saved original for this article", severity="warning")
            return
        suffix = SUFFIXES.get(original.kind, ".html")
        self._open_in_browser(original.data, f"article-{self.article_id}{suffix}")

    @work(thread=True, exclusive=True, group="original")
    def _open_in_browser(self, data: bytes, filename: str) -> None:
        """Write the saved page to a fresh temporary folder (a name we chose, never the
        page's) and hand it to the system's browser."""
        try:
            folder = Path(tempfile.mkdtemp(prefix="reader-original-"))
            path = folder / filename
            path.write_bytes(data)
            opened = webbrowser.open(path.as_uri())
        except (OSError, webbrowser.Error) as error:
            message = f"Cannot open the saved page: {error}"
            self.app.call_from_thread(lambda: self.notify(message, severity="error", markup=False))
            return
        if opened:
            self.app.call_from_thread(
                lambda: self.notify(f"Opened the saved page ({path})", timeout=3, markup=False)
            )
        else:
            self.app.call_from_thread(
                lambda: self.notify(
                    f"No browser found; the page is at {path}", severity="warning", markup=False
                )
            )
