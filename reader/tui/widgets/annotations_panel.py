"""The annotations panel of the reading screen: highlights in reading order, then notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Annotation
from reader.textrules import one_line

SWATCHES = {"yellow": "#d7af00", "green": "#5faf5f", "blue": "#5f87d7", "pink": "#d75f87"}
EXCERPT = 120


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotation_prompt(annotation: Annotation) -> Text:
    """One option: a colour swatch and the quoted text, the note under it (plain Text)."""
    prompt = Text()
    if annotation.is_article_note:
        prompt.append("✎ ", Style(bold=True))
        prompt.append(_excerpt(annotation.note, 240))
        return prompt
    prompt.append("▌ ", Style(color=SWATCHES.get(annotation.color, "#d7af00")))
    prompt.append(_excerpt(annotation.exact), Style(italic=True))
    if annotation.orphaned:
        prompt.append(" (not found in the text)", Style(dim=True))
    if annotation.note.strip():
        prompt.append("\n  ")
        prompt.append(_excerpt(annotation.note, 240))
    return prompt


class AnnotationsPanel(Vertical):
    """Lists an article's annotations; selecting a highlight asks the screen to show it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close panel")]

    class Selected(Message):
        """A highlight was chosen (`preview`: only moved onto, not selected)."""

        def __init__(self, annotation: Annotation, preview: bool = False) -> None:
            super().__init__()
            self.annotation = annotation
            self.preview = preview

    class Closed(Message):
        """The panel asks to be closed."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._annotations: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Annotations"), id="annotations-title")
        yield OptionList(id="annotations-list")

    def show(self, annotations: Sequence[Annotation], current: int | None = None) -> None:
        """List `annotations` (highlights in reading order, then article notes)."""
        self._annotations = list(annotations)
        options = self.query_one(OptionList)
        options.clear_options()
        highlights = sum(1 for a in self._annotations if not a.is_article_note)
        notes = len(self._annotations) - highlights
        title = f"Annotations · {highlights} highlight{'s' * (highlights != 1)}"
        if notes:
            title += f" · {notes} note{'s' * (notes != 1)}"
        self.query_one("#annotations-title", Static).update(Text(title))
        if not self._annotations:
            options.add_option(
                Option(Text("No highlights yet: v selects, h highlights."), disabled=True)
            )
            return
        options.add_options(Option(annotation_prompt(a), id=str(a.id)) for a in self._annotations)
        if current is not None:
            for index, annotation in enumerate(self._annotations):
                if annotation.id == current:
                    options.highlighted = index
                    break

    def _annotation(self, option_id: str | None) -> Annotation | None:
        for annotation in self._annotations:
            if str(annotation.id) == option_id:
                return annotation
        return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        annotation = self._annotation(event.option.id)
        if annotation is not None:
            self.post_message(self.Selected(annotation))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        annotation = self._annotation(event.option.id)
        if annotation is not None and self.query_one(OptionList).has_focus:
            self.post_message(self.Selected(annotation, preview=True))

    def focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        self.post_message(self.Closed())
