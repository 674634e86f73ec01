"""The Textual app. Nothing outside this package imports Textual."""

from __future__ import annotations

from pathlib import Path

from reader.archive import ArchiveError, MigrationError


def run_tui(db_path: Path) -> None:
    """Open the reader on the archive at `db_path` (made if missing).

    A file that cannot be opened as an archive exits with a one-line message.
    """
    from reader.tui.app import ReaderApp  # lazy: the other commands start without Textual

    try:
        app = ReaderApp(db_path)
    except (ArchiveError, MigrationError) as error:
        raise SystemExit(f"reader: {error}") from error
    app.run()
