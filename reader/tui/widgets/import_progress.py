"""ImportProgress: runs `reader.importer.import_paths` in a thread worker and shows how far
it got (a label with the page being read and a ProgressBar); hidden when idle.

The import opens its own archive connection (each page is its own short transaction),
so the list stays usable while it runs. When it ends the widget posts `Finished` with
the ImportReport (or the error), and the screen refreshes and tells the user.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, ProgressBar

from reader.textrules import display_line

if TYPE_CHECKING:
    from reader.importer import ImportReport
    from reader.tui.app import ReaderApp


class ImportProgress(Horizontal):
    """The import running in the background, if any."""

    class Finished(Message):
        """The import ended: `report`, or `error` when it could not run at all."""

        def __init__(self, report: ImportReport | None, error: str | None) -> None:
            super().__init__()
            self.report = report
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.running = False

    def compose(self) -> ComposeResult:
        yield Label("Importing", id="import-label", markup=False)
        yield ProgressBar(id="import-bar", show_eta=False)

    def start(self, paths: list[Path]) -> None:
        """Import `paths` (files and folders); call `running` first to avoid two at once."""
        app: ReaderApp = self.app  # type: ignore[assignment]
        self.running = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(Label).update(Text("Looking for saved pages…"))
        self.display = True
        app.prepare_process_pool()
        self._import(paths)

    @work(thread=True, group="import", exit_on_error=False)
    def _import(self, paths: list[Path]) -> None:
        from reader.importer import import_paths

        app: ReaderApp = self.app  # type: ignore[assignment]

        def progress(done: int, total: int, path: str) -> None:
            app.call_from_thread(self._progress, done, total, path)

        try:
            with app.open_archive() as archive:
                report = import_paths(archive, paths, progress=progress)
        except Exception as error:  # an unreadable archive, a full disk: one line
            message = " ".join(str(error).split()) or type(error).__name__
            app.call_from_thread(self._finish, None, message)
            return
        app.call_from_thread(self._finish, report, None)

    def _progress(self, done: int, total: int, path: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one(Label).update(Text(f"Importing {display_line(Path(path).name)}"))

    def _finish(self, report: ImportReport | None, error: str | None) -> None:
        self.running = False
        self.display = False
        self.post_message(self.Finished(report, error))


def import_summary(report: ImportReport) -> str:
    """One or a few lines: what was imported, skipped, failed (the first failures named)."""
    lines = [report.summary(ids_shown=5)]
    for path, reason in report.failed[:3]:
        lines.append(f"{display_line(Path(path).name)}: {display_line(reason)}")
    if len(report.failed) > 3:
        lines.append(f"… and {len(report.failed) - 3} more")
    return "\n".join(lines)
