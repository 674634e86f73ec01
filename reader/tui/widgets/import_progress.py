"""ImportProgress: runs `reader.importer.import_paths` in a thread worker and shows how far
it got ("Importing 12 of 130: blog/2024/expected.html" and a ProgressBar); hidden when
idle. Pages are named by their path under the folder imported: a corpus has 130 files
called expected.html, and the name alone says which one it was to nobody.

The import opens its own archive connection (each page is its own short transaction),
so the list stays usable while it runs. When it ends the widget posts `Finished` with
the ImportReport (or the error), and the screen refreshes and tells the user.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, ProgressBar

from reader.textrules import display_line
from reader.tui.access import ArchiveAccess
from reader.tui.widgets.text import error_line

if TYPE_CHECKING:
    from reader.importer import ImportReport


class ImportProgress(Horizontal):
    """The import running in the background, if any."""

    class Finished(Message):
        """The import ended: `report`, or `error` when it could not run at all."""

        def __init__(self, report: ImportReport | None, error: str | None) -> None:
            super().__init__()
            self.report = report
            self.error = error

    def __init__(self, access: ArchiveAccess, *, id: str | None = None) -> None:
        """`access`: the archive the import writes into (on a connection of its own)."""
        super().__init__(id=id)
        self.access = access
        self.running = False
        self.roots: list[Path] = []  # what the running import was given

    def compose(self) -> ComposeResult:
        yield Label("Importing", id="import-label", markup=False)
        yield ProgressBar(id="import-bar", show_eta=False)

    def start(self, paths: list[Path], tags: list[str] | None = None) -> None:
        """Import `paths` (files and folders), giving each page `tags` (valid names);
        see `running` first, to avoid two at once."""
        self.running = True
        self.roots = list(paths)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(Label).update(Text("Looking for saved pages…"))
        self.display = True
        self._prepare_process_pool()
        self._import(paths, list(tags or ()))

    def _prepare_process_pool(self) -> None:
        """Let the importer's process pool start while Textual holds sys.stderr.

        multiprocessing starts its resource tracker with sys.stderr's file descriptor,
        and Textual's stand-in for sys.stderr has none (-1: "bad value(s) in
        fds_to_keep"). Started here, on the main thread with the real stream lent for
        the moment, the tracker is running before the import worker needs it.
        """
        from multiprocessing import resource_tracker  # lazy: only an import needs it

        captured = sys.stderr
        sys.stderr = sys.__stderr__
        try:
            resource_tracker.ensure_running()
        except Exception as error:  # the importer then extracts in-process
            self.log.error(f"resource tracker: {error!r}")
        finally:
            sys.stderr = captured

    @work(thread=True, group="import", exit_on_error=False)
    def _import(self, paths: list[Path], tags: list[str]) -> None:
        # lazy: the import pipeline (lxml, readability) is not needed until an import
        from reader.importer import import_paths

        app = self.app

        def progress(done: int, total: int, path: str) -> None:
            app.call_from_thread(self._progress, done, total, path)

        try:
            with self.access.open_archive() as archive:
                report = import_paths(archive, paths, tags=tags, progress=progress)
        except Exception as error:  # an unreadable archive, a full disk: one line
            app.call_from_thread(self._finish, None, error_line(error))
            return
        app.call_from_thread(self._finish, report, None)

    def _progress(self, done: int, total: int, path: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one(Label).update(Text(progress_line(done, total, path, self.roots)))

    def _finish(self, report: ImportReport | None, error: str | None) -> None:
        self.running = False
        self.display = False
        self.post_message(self.Finished(report, error))


def relative_name(path: str, roots: list[Path]) -> str:
    """`path` as the user knows it: under the folder imported (`blog/2024/page.html`),
    a file's own name, else as it is."""
    given = Path(path)
    for root in roots:
        folder = root if root.is_dir() else root.parent
        if given.is_relative_to(folder):
            return display_line(str(given.relative_to(folder)))
    return display_line(path)


def progress_line(done: int, total: int, path: str, roots: list[Path]) -> str:
    """ "Importing 12 of 130: blog/2024/page.html" (the page just read)."""
    line = f"Importing {done:,} of {total:,}"
    return f"{line}: {relative_name(path, roots)}" if path else line + "…"


def import_summary(report: ImportReport, roots: list[Path]) -> str:
    """One or a few lines: what was imported, skipped, failed (the first failures named
    by their path under the folder imported)."""
    lines = [report.summary(ids_shown=5)]
    for path, reason in report.failed[:3]:
        lines.append(f"{relative_name(path, roots)}: {display_line(reason)}")
    if len(report.failed) > 3:
        lines.append(f"… and {len(report.failed) - 3} more")
    return "\n".join(lines)
