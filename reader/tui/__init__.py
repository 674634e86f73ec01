"""The Textual app. Nothing outside this package imports Textual."""

from __future__ import annotations

from pathlib import Path

# The reading view's stylesheet: the app loads it at start, and the reading screen and
# note editor name the same path, so pushing them never re-parses the stylesheets.
READING_CSS = Path(__file__).resolve().parent / "reading.tcss"


def run_tui(db_path: Path) -> None:
    """Open the reader on the archive at `db_path` (made if missing).

    A file that cannot be opened as an archive exits with a one-line message.
    """
    from reader.archive import ArchiveError, MigrationError
    from reader.tui.app import ReaderApp

    try:
        app = ReaderApp(db_path)
    except (ArchiveError, MigrationError) as error:
        raise SystemExit(f"reader: {error}") from error
    app.run()
