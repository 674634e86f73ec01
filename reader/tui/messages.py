"""What screens ask the app for: they post these, and ReaderApp pushes the screen asked for.

So no screen imports another screen or the app, and the app alone decides when a screen's
module is loaded (the reading screen after the first paint, export on first use).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

Closed = Callable[[], object]


class OpenArticle(Message):
    """Open article `article_id` to read (at `annotation_id`, when given); `closed` is
    called when the reader leaves it."""

    def __init__(
        self, article_id: int, *, annotation_id: int | None = None, closed: Closed | None = None
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.annotation_id = annotation_id
        self.closed = closed


class ShowAnnotations(Message):
    """Show every highlight and note; `closed` is called when that screen closes."""

    def __init__(self, *, closed: Closed | None = None) -> None:
        super().__init__()
        self.closed = closed


class ShowStats(Message):
    """Show the reading stats (the screen of the numbers at a glance)."""


class ExportNotes(Message):
    """Export the highlights and notes of `article_ids` (None: every article) as Markdown;
    `description` names them for the user ("the 3 selected articles")."""

    def __init__(self, article_ids: list[int] | None, description: str) -> None:
        super().__init__()
        self.article_ids = article_ids
        self.description = description
