"""WatchedApp: the reader's app, remembering every notification it shows.

The reliability tests drive the TUI into trouble (hostile pages, a held write lock, an
import beside it) and then look at what the user was told: `app.notes` holds
(message, severity) for each notification, from the app or any screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.notifications import SeverityLevel

from reader.tui.app import ReaderApp


class WatchedApp(ReaderApp):
    """ReaderApp on `db_path` whose notifications are also kept in `notes`."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path)
        self.notes: list[tuple[str, str]] = []

    def notify(
        self, message: str, *, severity: SeverityLevel = "information", **kwargs: Any
    ) -> None:
        self.notes.append((str(message), severity))
        super().notify(message, severity=severity, **kwargs)

    @property
    def errors(self) -> list[str]:
        """The messages of the error notifications."""
        return [message for message, severity in self.notes if severity == "error"]
