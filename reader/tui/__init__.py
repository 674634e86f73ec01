"""The Textual app. Nothing outside this package imports Textual."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.archive import ArchiveError, MigrationError
from reader.config import AppDefaults

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def run_tui(db_path: Path, defaults: AppDefaults | None = None) -> None:
    """Open the reader on the archive at `db_path` (made if missing), with the config
    file's `defaults` where the archive remembers nothing of its own.

    A file that cannot be opened as an archive exits with a one-line message.
    """
    from reader.tui.app import ReaderApp  # lazy: the other commands start without Textual

    try:
        app = ReaderApp(db_path, defaults=defaults)
    except (ArchiveError, MigrationError) as error:
        raise SystemExit(f"reader: {error}") from error
    run_app(app)


def run_app(app: ReaderApp, *, headless: bool = False) -> None:
    """Run `app` until it quits. A crash exits with status 1 and one line saying where its
    traceback was written (reader.tui.crash): the screen never shows it."""
    from reader.tui.crash import crash_line

    app.run(headless=headless)
    if app.crashed:
        raise SystemExit(crash_line(app.crash_log))  # status 1
    if app.return_code:
        raise SystemExit(app.return_code)
