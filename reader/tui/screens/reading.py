"""The reading screen: one article's text, its highlights and notes.

The library pushes `ReadingScreen(archive, article_id)`. The text is an ArticleView (a
line-API widget over a precomputed layout); this screen does the archive's side: it
saves the reading position (at most once a second while reading, and on leaving), marks
the article read at its end, writes highlights and notes as soon as they are made
(each its own transaction in the archive), and opens the saved original in a browser.
"""

from __future__ import annotations

import tempfile
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.archive import Archive, ArchiveError
from reader.archive.annotations import AnnotationError
from reader.models import COLORS, Annotation, Article
from reader.tui import READING_CSS
from reader.tui.layout import Header
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.annotations_panel import AnnotationsPanel
from reader.tui.widgets.article_view import ArticleView, Span
from reader.tui.widgets.note_editor import NoteEditor

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
        self, archive: Archive, article_id: int, *, annotation_id: int | None = None
    ) -> None:
        super().__init__()
        self.archive = archive
        self.article_id = article_id
        self.annotation_id = annotation_id
        self.article = archive.get_article(article_id)
        self.annotations: list[Annotation] = []
        self._deleted: list[Annotation] = []
        self._saved = (self.article.position, self.article.progress) if self.article else (0, 0.0)
        self._latest = self._saved
        self._marked_read = bool(self.article and self.article.is_read)
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

    def command_nodes(self) -> list[DOMNode]:
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
            self._marked_read = self._saving(lambda: self.archive.set_read(self.article_id, True))
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

    def save_position(self) -> None:
        """Write the position when it changed since the last write."""
        if self.article is None or self._latest == self._saved:
            return
        position, progress = self._latest
        try:
            self.archive.save_position(self.article_id, position, progress)
        except ArchiveError:
            return  # busy, full or read-only: the next tick (or leaving) tries again
        self._saved = self._latest

    def on_unmount(self) -> None:
        try:
            self.save_position()
        except Exception:  # the archive may already be closed when the app quits
            pass

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

    def _saving(self, write: Callable[[], object]) -> bool:
        """Run one archive write; a refusal (another program holding the lock past the
        busy timeout, a full disk, a read-only file) is a one-line notification, never
        a crash. True when the write was made."""
        try:
            write()
        except (AnnotationError, ArchiveError) as error:
            self._not_saved(error)
            return False
        return True

    def _not_saved(self, error: Exception) -> None:
        message = " ".join(str(error).split()) or type(error).__name__
        self.notify(message, title="Not saved", severity="error", markup=False)

    def action_back(self) -> None:
        self.save_position()
        self.dismiss()

    def _add_highlight(self) -> int | None:
        selection = self.view.selection
        if selection is None:
            self.notify("Select text first: v, then move (or drag with the mouse)")
            return None
        try:
            annotation_id = self.archive.add_highlight(self.article_id, *selection)
        except (AnnotationError, ArchiveError) as error:
            self._not_saved(error)
            return None
        self.view.clear_selection()
        self.view.move_cursor(selection[0])
        self._reload_annotations(annotation_id)
        return annotation_id

    def action_highlight(self) -> None:
        if self._add_highlight() is not None:
            self.notify("Highlighted", timeout=2)

    def action_highlight_note(self) -> None:
        annotation_id = self._add_highlight()
        if annotation_id is not None:
            self._edit(annotation_id)

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
        if self._saving(lambda: self.archive.update_annotation(annotation.id, color=color)):
            self._reload_annotations(annotation.id)

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
            if self._saving(lambda: self.archive.update_annotation(annotation_id, note=note)):
                self._reload_annotations(annotation_id)
                self.notify("Note saved", timeout=2)

        self.app.push_screen(
            NoteEditor("Note on the highlight", annotation.note, quote=annotation.exact), saved
        )

    def action_delete_highlight(self) -> None:
        annotation = self._current()
        if annotation is None:
            return
        try:
            deleted = self.archive.delete_annotation(annotation.id)
        except ArchiveError as error:
            self._not_saved(error)
            return
        if deleted is not None:
            self._deleted.append(deleted)
            self.notify("Highlight deleted: u undoes", timeout=3)
        self._reload_annotations()

    def action_undo(self) -> None:
        if not self._deleted:
            return
        annotation = self._deleted[-1]
        try:
            new_id = self.archive.restore_annotation(annotation)
        except (AnnotationError, ArchiveError) as error:
            self._not_saved(error)
            return
        self._deleted.pop()
        self._reload_annotations(new_id)
        if annotation.start is not None:
            self.view.jump_to(annotation.start)
        self.notify("Highlight restored", timeout=2)

    def action_article_note(self) -> None:
        def saved(note: str | None) -> None:
            if not note or not note.strip():
                return
            if self._saving(lambda: self.archive.add_article_note(self.article_id, note)):
                self._reload_annotations()
                self.notify("Article note saved", timeout=2)

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
        from reader.tui.screens.export import ExportDialog

        title = (self.article.title if self.article else "") or "Untitled"
        short = title if len(title) <= 60 else title[:59] + "…"
        self.app.push_screen(
            ExportDialog([self.article_id], f"this article, “{short}”", archive=self.archive)
        )

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
