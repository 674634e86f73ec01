"""The reading screen writes on the main thread (highlights, notes, colours, the position
every second): a refused write (another program holding the write lock past the busy
timeout, a full disk, a read-only file) is a one-line notification, never a crash that
ends the reader's session."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.archive import Archive
from reader.tui.app import ReaderApp
from reader.tui.screens.reading import ReadingScreen

from .helpers import reader_command, write_pages


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_refused_write_in_the_reading_screen_is_one_line(
    tmp_path: Path, monkeypatch
) -> None:
    import subprocess

    monkeypatch.setattr("reader.archive.BUSY_TIMEOUT_MS", 200)
    pages = tmp_path / "pages"
    write_pages(pages, 1)
    db = tmp_path / "archive.db"
    subprocess.run(reader_command(db, "import", str(pages), "--jobs", "1"), check=True)
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
    app = ReaderApp(db)
    notes: list[tuple[str, str]] = []
    notify = app.notify

    def remember(message, *, severity="information", **kwargs) -> None:
        notes.append((str(message), severity))
        notify(message, severity=severity, **kwargs)

    app.notify = remember  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("j", "j", "v", "w", "w", "h")  # a highlight
            await pilot.press("space", "space")  # and a position to save
            await pilot.pause(1.5)  # the position timer fires while the lock is held
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert app.is_running, "a refused write must not end the app"
        errors = [m for m, severity in notes if severity == "error"]
        assert errors and all("\n" not in m for m in errors), notes
        await pilot.press("escape")
        await settle(pilot)
    with Archive(db) as archive:
        assert archive.check() == []
