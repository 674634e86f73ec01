"""The Textual app. Nothing outside this package imports Textual."""

from __future__ import annotations

from pathlib import Path


def run_tui(db_path: Path) -> None:
    """Open the reader on the archive at `db_path` (made if missing).

    A file that cannot be opened as an archive exits with a one-line message.
    """
    # lazy: `reader --help` and every other command start without Textual
    from reader.archive import ArchiveError, MigrationError
    from reader.tui.app import ReaderApp

    try:
        app = ReaderApp(db_path)
    except (ArchiveError, MigrationError) as error:
        raise SystemExit(f"reader: {error}") from error
    app.run()
