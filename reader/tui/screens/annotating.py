"""Annotating: the reading screen's highlights, notes, colours, deletes, undo and panel.

`Annotating` is the base of ReadingScreen (as TagActions is the library's): the keys
of the text (h, H, c, e, x, T, u, p) act on the highlight under the cursor, the
annotations panel's on the row selected in it, and both end in the same methods here.
A highlight over highlights extends them (Archive.highlight); `u` takes back the last
delete or extension.

A highlight is sent with the words the reader selected (their TextQuoteSelector) beside
the offsets: where another program extracted the article again meanwhile, the archive
places it on those words in the new text or refuses it, and the screen says which and
shows the new text (reader.tui.screens.watching).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual.screen import Screen

from reader.anchor import make_selector
from reader.archive import Highlighted, HighlightNotPlacedError
from reader.models import COLORS, Annotation
from reader.tui.screens.tag_editor import TagEditor
from reader.tui.widgets.annotations_panel import AnnotationsPanel, excerpt
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.note_editor import NoteEditor
from reader.tui.widgets.painting import Span

if TYPE_CHECKING:
    from reader.archive import Archive

T = TypeVar("T")

# What the reader is told when the text changed under a highlight (the archive placed it).
PLACED = "The article changed elsewhere; your highlight was placed on the same words"
CLOSEST = "The article changed elsewhere; your highlight was placed on the closest words"
NOT_PLACED = "The article changed elsewhere; your highlight could not be placed: nothing was saved"
ALREADY_DELETED = "That highlight was already deleted elsewhere"


@dataclass(frozen=True)
class Change:
    """What `u` can take back: a deleted annotation, or a highlight that extended others."""

    deleted: Annotation | None = None
    extended: Highlighted | None = None


class Annotating(Screen[None]):
    """The annotating half of ReadingScreen (its base), which provides what is declared here."""

    if TYPE_CHECKING:
        archive: Archive
        article_id: int

        @property
        def view(self) -> ArticleView: ...
        def _save(
            self,
            work: Callable[[Archive], T],
            then: Callable[[T], object] = ...,
            *,
            refused: Callable[[Exception], object] | None = None,
        ) -> None: ...
        def _refused(self, error: Exception) -> None: ...
        def _update_status(self) -> None: ...
        def _present(self) -> bool: ...
        def _changed_elsewhere(self, message: str) -> None: ...

        _gone: bool

    # What `u` adds when the highlight it brought back is not on the text.
    RESTORED_ORPHAN = " (its words are no longer in the text: p lists it)"

    annotations: list[Annotation]
    _changes: list[Change]
    _highlighting: bool  # a highlight is on its way to the archive
    _undoing: bool  # an undo is on its way

    def _start_annotating(self) -> None:
        self.annotations = []
        self._changes = []
        self._highlighting = False
        self._undoing = False

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
        if self._gone:
            return  # deleted elsewhere: what was on screen stays
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

    def annotation_at_cursor(self) -> Annotation | None:
        """The highlight under the text cursor."""
        span = self.view.highlight_at()
        if span is None:
            return None
        return next((a for a in self.annotations if a.id == span.id), None)

    # --- highlighting -----------------------------------------------------------------

    def _add_highlight(self, then: Callable[[Highlighted], object]) -> None:
        """Highlight the selection; once it is in the archive, show it and call `then`
        (a refusal keeps the selection, to try again)."""
        selection = self.view.selection
        if selection is None:
            self.notify("Nothing selected: v starts a selection at the cursor", timeout=3)
            return
        if self._highlighting:
            return  # the same selection is on its way already
        self._highlighting = True
        article_id = self.article_id
        seen = make_selector(self.view.text, *selection)

        def added(result: Highlighted) -> None:
            self._highlighting = False
            if self.view.selection == selection:  # unless the reader moved on meanwhile
                self.view.clear_selection()
                self.view.move_cursor(selection[0])
            elif result.reanchored:  # on the new text now: the cursor goes where it is
                self.view.move_cursor(result.placed[0])
            if result.extended:
                self._changes.append(Change(extended=result))
            self._reload_annotations(result.annotation.id)
            if result.reanchored:
                same = result.placed_quote == seen.exact
                closest = f"{CLOSEST}: “{excerpt(result.placed_quote, 60)}”"
                self._changed_elsewhere(PLACED if same else closest)
            then(result)

        def refused(error: Exception) -> None:
            self._highlighting = False
            if isinstance(error, HighlightNotPlacedError):
                self._changed_elsewhere(NOT_PLACED)
            else:
                self._refused(error)

        self._save(
            lambda archive: archive.highlight(article_id, *selection, quote=seen),
            added,
            refused=refused,
        )

    def action_highlight(self) -> None:
        def done(result: Highlighted) -> None:
            if result.reanchored:
                return  # said already: where it went in the new text
            if result.extended:
                self.notify(f"Extended highlight #{result.annotation.id}: u undoes", timeout=3)
            else:
                self.notify("Highlighted", timeout=2)

        self._add_highlight(done)

    def action_highlight_note(self) -> None:
        # Over highlights with notes, the new note goes under theirs.
        self._add_highlight(lambda result: self._edit(result.annotation, below=True))

    # --- the highlight under the cursor, or the panel's row ---------------------------

    def action_cycle_color(self) -> None:
        annotation = self.annotation_at_cursor()
        if annotation is None:
            self.notify("No highlight under the cursor", timeout=2)
            return
        self._cycle(annotation)

    def action_edit_note(self) -> None:
        """The note of the highlight under the cursor; where there is none, the
        article's note (the first, when there are several; a new one when none)."""
        if not self._present():
            return
        self._edit(self.annotation_at_cursor() or self._article_note())

    def action_delete_highlight(self) -> None:
        annotation = self.annotation_at_cursor()
        if annotation is None:
            self.notify("No highlight under the cursor", timeout=2)
            return
        self._delete(annotation)

    def action_tag_highlight(self) -> None:
        """The tags of the highlight under the cursor (T: t is the article's tags)."""
        annotation = self.annotation_at_cursor()
        if annotation is None:
            self.notify("No highlight under the cursor (t edits the article's tags)", timeout=2)
            return
        self._tag(annotation)

    def _tag(self, annotation: Annotation) -> None:
        """Edit a highlight's own tags in the tag editor the articles' use; the archive
        refuses a name that is not one tag word (reader.hashtags), and says why."""
        annotation_id = annotation.id
        known = self.archive.highlight_tag_names()

        def edited(answer: tuple[list[str], list[str]] | None) -> None:
            if answer is None or answer == ([], []):
                return
            added, removed = answer
            self._save(
                lambda archive: archive.tag_highlight(annotation_id, add=added, remove=removed),
                lambda _: self._noted(annotation_id, "Highlight tags saved"),
            )

        title = Text(f"Tags of the highlight “{excerpt(annotation.exact, 40)}”")
        current = [(tag, 1) for tag in annotation.tags]
        self.app.push_screen(TagEditor(title, current, 1, known), edited)

    def _article_note(self) -> Annotation | None:
        return next((a for a in self.annotations if a.is_article_note), None)

    def _cycle(self, annotation: Annotation) -> None:
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

    def _edit(self, annotation: Annotation | None, *, below: bool = False) -> None:
        """Edit `annotation`'s note in the note editor (None: write a new article note;
        `below`: start a paragraph under the note there is). An article note emptied
        there is deleted (the editor asked first)."""
        article_id = self.article_id
        if annotation is None:
            title, old, quote = "Note on the article", "", ""
        elif annotation.is_article_note:
            title, old, quote = "Note on the article", annotation.note, ""
        else:
            title, old, quote = "Note on the highlight", annotation.note, annotation.exact
        start = old + "\n\n" if below and old.strip() else old

        def saved(note: str | None) -> None:
            if note is None or note.rstrip() == old.rstrip():
                return
            if annotation is None:
                if note.strip():
                    self._save(
                        lambda archive: archive.add_article_note(article_id, note),
                        lambda new_id: self._noted(new_id, "Article note saved"),
                    )
                return
            if annotation.is_article_note and not note.strip():
                self._delete(annotation)
                return
            annotation_id = annotation.id
            self._save(
                lambda archive: archive.update_annotation(annotation_id, note=note),
                lambda _: self._noted(annotation_id, "Note saved"),
            )

        self.app.push_screen(NoteEditor(title, start, quote=quote), saved)

    def _noted(self, annotation_id: int, message: str) -> None:
        self._reload_annotations(annotation_id)
        self.notify(message, timeout=2)

    def _delete(self, annotation: Annotation) -> None:
        annotation_id = annotation.id

        def done(deleted: Annotation | None) -> None:
            if deleted is not None:
                self._changes.append(Change(deleted=deleted))
                what = "Note" if deleted.is_article_note else "Highlight"
                self.notify(f"{what} deleted: u undoes", timeout=3)
            elif self._present():
                self.notify(ALREADY_DELETED, timeout=3)
            self._reload_annotations()

        self._save(lambda archive: archive.delete_annotation(annotation_id), done)

    def action_undo(self) -> None:
        """Take back the last delete, or the last highlight that extended others."""
        if not self._changes:
            self.notify("Nothing to undo", timeout=2)
            return
        if self._undoing:
            return
        change = self._changes[-1]
        self._undoing = True

        def work(archive: Archive) -> int | None:
            if change.deleted is not None:
                return archive.restore_annotation(change.deleted, keep_id=True)
            if change.extended is not None:
                archive.undo_highlight(change.extended)
                return change.extended.annotation.id
            return None

        def undone(annotation_id: int | None) -> None:
            self._undoing = False
            self._changes.remove(change)
            self._reload_annotations(annotation_id)
            # Where it is now (its words were looked for again if the text changed).
            back = next((a for a in self.annotations if a.id == annotation_id), None)
            if back is not None and back.start is not None and not back.orphaned:
                self.view.jump_to(back.start)
            said = "Restored" if change.deleted else "Highlight as it was"
            if back is not None and back.orphaned:
                said += self.RESTORED_ORPHAN
            self.notify(said, timeout=3)

        def refused(error: Exception) -> None:
            self._undoing = False
            self._refused(error)

        self._save(work, undone, refused=refused)

    # --- the panel --------------------------------------------------------------------

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

    def on_annotations_panel_edit(self, event: AnnotationsPanel.Edit) -> None:
        if self._present():
            self._edit(event.annotation)

    def on_annotations_panel_delete(self, event: AnnotationsPanel.Delete) -> None:
        if self._present():
            self._delete(event.annotation)

    def on_annotations_panel_cycle(self, event: AnnotationsPanel.Cycle) -> None:
        if self._present():
            self._cycle(event.annotation)

    def on_annotations_panel_tag(self, event: AnnotationsPanel.Tag) -> None:
        if self._present():
            self._tag(event.annotation)

    def on_annotations_panel_closed(self, event: AnnotationsPanel.Closed) -> None:
        self.panel.add_class("-hidden")
        self.view.focus()
