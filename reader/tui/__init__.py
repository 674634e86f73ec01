"""The Textual app. Nothing outside this package imports Textual."""

from __future__ import annotations

from pathlib import Path

from reader.archive import ArchiveError, MigrationError
from reader.config import AppDefaults


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
    app.run()
