"""The reading screen's writes (highlights, notes, colours, the position every second) go
to the archive's writer thread, never onto the event loop: while another program holds
the write lock, keys still move the text and the write lands once the lock is free; a
write refused past the busy timeout (or by a full disk, a read-only file) is a one-line
notification, never a crash that ends the reader's session."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from reader.archive import Archive
from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.article_view import ArticleView

from .helpers import reader_command, write_pages
from .watched_app import WatchedApp


async def test_a_refused_write_in_the_reading_screen_is_one_line(
    tmp_path: Path, monkeypatch, settle
) -> None:
    monkeypatch.setattr("reader.archive.BUSY_TIMEOUT_MS", 200)
    pages = tmp_path / "pages"
    write_pages(pages, 1)
    db = tmp_path / "archive.db"
    subprocess.run(reader_command(db, "import", str(pages), "--jobs", "1"), check=True)
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
    app = WatchedApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("j", "j", "v", "w", "w", "h")  # a highlight
            await pilot.press("space", "space")  # and a position to save
            screen.save_position()  # what the once-a-second timer calls
            await settle(pilot)  # both refused once the busy timeout is out
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert app.is_running, "a refused write must not end the app"
        assert app.errors and all("\n" not in m for m in app.errors), app.notes
        await pilot.press("escape")
        await settle(pilot)
    with Archive(db) as archive:
        assert archive.check() == []


def add_long_article(db: Path) -> int:
    paragraphs = [
        f"Paragraph {n} of a long article, with enough words to wrap." for n in range(200)
    ]
    document = Document(tuple(Block("paragraph", text) for text in paragraphs))
    html = b"<html><body><p>long</p></body></html>"
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
        return archive.add_article(
            ExtractedPage(document=document, title="Long", published="2024-01-01"),
            RawPage(data=html, html=html, filename="long.html", kind="html"),
        )


async def test_a_held_write_lock_does_not_freeze_the_reading_screen(tmp_path: Path, settle) -> None:
    """With the default busy timeout (seconds): a highlight made while another program
    holds the lock waits for it off the event loop; the keys after it still scroll."""
    db = tmp_path / "archive.db"
    article_id = add_long_article(db)
    app = WatchedApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        view = app.screen.query_one(ArticleView)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("v", "w", "w", "h")  # a highlight: queued behind the lock
            top = view.scroll_y
            await pilot.press("space", "j", "j")  # the view still moves meanwhile
            assert view.scroll_y > top
            with Archive(db) as reader:  # a reader is never blocked by a writer (WAL)
                assert reader.annotations_for(article_id) == [], "it waits for the lock"
            assert view.highlights == []
        finally:
            other.execute("ROLLBACK")
            other.close()
        await settle(pilot)  # the lock is free: the highlight lands
        assert len(view.highlights) == 1
        assert app.is_running
        assert app.errors == []
    with Archive(db) as archive:
        [highlight] = archive.annotations_for(article_id)
        assert highlight.exact == "Paragraph 0"
