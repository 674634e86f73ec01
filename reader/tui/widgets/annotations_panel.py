"""The annotations panel of the reading screen: highlights in reading order, then notes.

Its keys act on the row selected in it (as lists do in lazygit): enter shows the
highlight in the text, e edits the row's note, x deletes the row, c cycles its colour,
T edits its tags (as in the text: t is the article's).
The article note is a row too; while there is none, a row offers to write one. The
panel only asks (it posts messages); the screen writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Annotation
from reader.textrules import one_line
from reader.tui.highlights import HIGHLIGHT_HUES
from reader.tui.missing import WAITING

EXCERPT = 120
NEW_NOTE = "new-note"  # the id of the row that writes the first article note


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """`text` on one line, cut to `limit` characters (an ellipsis where it was cut)."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotation_prompt(annotation: Annotation, *, waiting: bool = False) -> RenderableType:
    """One row: a mark (a colour swatch, ✎ for an article note) beside the quoted text
    with the note under it, both wrapped under their own start (plain Text, never
    markup). `waiting`: the article is a missing page, whose quotes wait for it."""
    body = Text()
    if annotation.is_article_note:
        mark = Text("✎", Style(bold=True))
        body.append(excerpt(annotation.note, 240))
    else:
        # The highlight's hue from the one table (reader.tui.highlights).
        hue = HIGHLIGHT_HUES.get(annotation.color, HIGHLIGHT_HUES["yellow"])
        mark = Text("▌", Style(color=hue.hex6))
        body.append(excerpt(annotation.exact), Style(italic=True))
        if annotation.orphaned:
            body.append(f" ({WAITING})" if waiting else " (not found in the text)")
        if annotation.note.strip():
            body.append("\n")
            body.append(excerpt(annotation.note, 240))
        if annotation.tags:
            body.append("\n")
            body.append(tag_line(annotation.tags), Style(bold=True))
    return _hanging(mark, body)


def tag_line(tags: Sequence[str]) -> str:
    """A highlight's tags as `#word`s (tag words: letters, digits, - _ /), on one line."""
    return excerpt(" ".join("#" + tag for tag in tags), 240)


def _hanging(mark: Text, body: Text) -> Table:
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(mark, body)
    return grid


class AnnotationsPanel(Vertical):
    """Lists an article's annotations; its keys ask the screen to act on the selected one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit note", tooltip="Edit the selected row's note"),
        Binding("x", "delete", "Delete", tooltip="Delete the selected highlight or note"),
        Binding("c", "cycle", "Colour", tooltip="Cycle the selected highlight's colour"),
        Binding("T", "tag", "Tags", tooltip="Edit the selected highlight's tags"),
        Binding("escape", "close", "Close panel"),
    ]

    class Selected(Message):
        """A highlight was chosen (`preview`: only moved onto, not selected)."""

        def __init__(self, annotation: Annotation, preview: bool = False) -> None:
            super().__init__()
            self.annotation = annotation
            self.preview = preview

    class Edit(Message):
        """Edit `annotation`'s note; None: write the article's first note."""

        def __init__(self, annotation: Annotation | None) -> None:
            super().__init__()
            self.annotation = annotation

    class Delete(Message):
        """Delete `annotation`."""

        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    class Cycle(Message):
        """Cycle `annotation`'s colour."""

        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    class Tag(Message):
        """Edit `annotation`'s tags."""

        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    class Closed(Message):
        """The panel asks to be closed."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._annotations: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Annotations"), id="annotations-title")
        yield OptionList(id="annotations-list")

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def show(
        self,
        annotations: Sequence[Annotation],
        current: int | None = None,
        *,
        missing: bool = False,
    ) -> None:
        """List `annotations` (highlights in reading order, then article notes), the row
        of `current` selected (else the row that was). `missing`: the article is a
        missing page (no text yet): its quotes are waiting for it."""
        options = self.options
        was = self.selected
        row = options.highlighted
        self._annotations = list(annotations)
        options.clear_options()
        highlights = sum(1 for a in self._annotations if not a.is_article_note)
        notes = len(self._annotations) - highlights
        title = f"Annotations · {highlights} highlight{'s' * (highlights != 1)}"
        if notes:
            title += f" · {notes} note{'s' * (notes != 1)}"
        self.query_one("#annotations-title", Static).update(Text(title))
        marked = [a for a in self._annotations if not a.is_article_note]
        noted = [a for a in self._annotations if a.is_article_note]
        options.add_options(
            Option(annotation_prompt(a, waiting=missing), id=str(a.id)) for a in marked
        )
        if not marked:
            said = "No highlights." if missing else "No highlights yet: v selects, h highlights."
            hint = Text(said, style="italic")
            options.add_option(Option(hint, disabled=True))
        options.add_options(Option(annotation_prompt(a), id=str(a.id)) for a in noted)
        if not noted:
            offer = _hanging(Text("✎", Style(bold=True)), Text("No article note: e writes one"))
            options.add_option(Option(offer, id=NEW_NOTE))
        wanted = current if current is not None else (was.id if was is not None else None)
        if wanted is not None and any(a.id == wanted for a in self._annotations):
            options.highlighted = options.get_option_index(str(wanted))
        elif row is not None and options.option_count:
            options.highlighted = min(row, options.option_count - 1)

    @property
    def selected(self) -> Annotation | None:
        """The annotation of the selected row (None on the row that writes a note)."""
        options = self.options
        if options.highlighted is None or options.highlighted >= options.option_count:
            return None
        return self._annotation(options.get_option_at_index(options.highlighted).id)

    def _annotation(self, option_id: str | None) -> Annotation | None:
        for annotation in self._annotations:
            if str(annotation.id) == option_id:
                return annotation
        return None

    def _on_new_note_row(self) -> bool:
        options = self.options
        index = options.highlighted
        return index is not None and options.get_option_at_index(index).id == NEW_NOTE

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == NEW_NOTE:
            self.post_message(self.Edit(None))
            return
        annotation = self._annotation(event.option.id)
        if annotation is not None:
            if annotation.is_article_note:
                self.post_message(self.Edit(annotation))
            else:
                self.post_message(self.Selected(annotation))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        annotation = self._annotation(event.option.id)
        if annotation is not None and self.options.has_focus:
            self.post_message(self.Selected(annotation, preview=True))

    def focus_list(self) -> None:
        self.options.focus()

    def action_edit(self) -> None:
        annotation = self.selected
        if annotation is not None or self._on_new_note_row():
            self.post_message(self.Edit(annotation))

    def action_delete(self) -> None:
        annotation = self.selected
        if annotation is not None:
            self.post_message(self.Delete(annotation))

    def action_cycle(self) -> None:
        annotation = self.selected
        if annotation is None or annotation.is_article_note:
            self.notify("An article note has no colour", timeout=2)
            return
        self.post_message(self.Cycle(annotation))

    def action_tag(self) -> None:
        annotation = self.selected
        if annotation is None or annotation.is_article_note:
            self.notify("An article note has no tags of its own: t tags the article", timeout=2)
            return
        self.post_message(self.Tag(annotation))

    def action_close(self) -> None:
        self.post_message(self.Closed())
