"""Two writers on one archive: a CLI import beside an open TUI, and two CLI imports at once.

WAL mode and a busy timeout are meant to let them share the file: nobody sees
"database is locked", the TUI picks up what the import added when it refreshes, and two
imports of the same pages leave each page exactly once. No timing is asserted: the
tests wait (generously) for the subprocesses and then look at the results.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.archive import Archive, schema
from reader.tui.widgets.article_list import ArticleList

from .helpers import consistency_problems, kill_group, reader_command, spawn, write_pages
from .watched_app import WatchedApp

WAIT = 240  # seconds a subprocess may take on a loaded machine before the test gives up
BATCH = 60  # pages the CLI imports while the TUI works
LOCKED = re.compile(r"locked|busy|traceback", re.I)


def seed_archive(db: Path, folder: Path, count: int) -> None:
    """An archive holding `count` pages the import below will not bring again."""
    write_pages(folder, count)
    for page in folder.iterdir():  # other URLs than the batch's
        page.write_bytes(page.read_bytes().replace(b"gen.example", b"seed.example"))
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
    result = subprocess.run(
        reader_command(db, "import", str(folder), "--jobs", "1"),
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def output_of(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.slow
async def test_cli_import_while_the_tui_searches_and_stars(tmp_path: Path, settle) -> None:
    db = tmp_path / "archive.db"
    seed_archive(db, tmp_path / "seed", 5)
    batch = tmp_path / "batch"
    urls = write_pages(batch, BATCH, big_every=6)
    log = tmp_path / "import.log"
    app = WatchedApp(db)
    queries = ["generated", "w3x1 OR w7x2", "paragraph sort:title", "", "page -w1x0", "is:starred"]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        articles = screen.query_one(ArticleList)
        assert articles.total == 5
        with log.open("wb") as out:
            process = spawn(
                reader_command(db, "import", str(batch), "--jobs", "2"),
                tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            rounds = 0
            try:
                deadline = time.monotonic() + WAIT
                while process.poll() is None and time.monotonic() < deadline:
                    await pilot.press("slash")
                    screen.search_bar.input.value = queries[rounds % len(queries)]
                    await pilot.press("enter")
                    await settle(pilot)
                    await pilot.press("s")  # a write from the TUI while the import writes
                    await pilot.press("enter")  # read an article, save its position
                    await settle(pilot)
                    await pilot.press("space", "escape")
                    await pilot.press("r")
                    await settle(pilot)
                    rounds += 1
                process.wait(timeout=max(1, deadline - time.monotonic()))
            finally:
                kill_group(process)
        output = output_of(log)
        assert process.returncode == 0, output
        assert not LOCKED.search(output), output
        assert f"Imported {BATCH} articles" in output
        # Back to everything: the refreshed list and sidebar show the new articles.
        await pilot.press("slash")
        screen.search_bar.input.value = ""
        await pilot.press("enter")
        await pilot.press("r")
        await settle(pilot)
        assert articles.total == 5 + BATCH
        drawn = "\n".join(strip.text for strip in screen._compositor.render_strips())
        assert re.search(rf"All\s+{5 + BATCH}\b", drawn), drawn[:2000]
        assert [n for n in app.notes if n[1] == "error"] == []
        assert not any(LOCKED.search(message) for message, _ in app.notes)
    print(f"\nconcurrency: {rounds} search/star/refresh rounds while the import ran")
    assert consistency_problems(db) == []
    with Archive(db) as archive:
        found = {h.article.url for h in archive.search("", limit=1000)}
        assert set(urls) <= found and len(found) == 5 + BATCH


@pytest.mark.slow
async def test_tui_import_and_cli_import_at_once(tmp_path: Path, settle) -> None:
    """The TUI's own import (a worker thread with a process pool) and a CLI import of
    other pages run together; both finish, nothing fails, nothing is locked out."""
    db = tmp_path / "archive.db"
    seed_archive(db, tmp_path / "seed", 2)
    ours = tmp_path / "tui-pages"
    ours_urls = write_pages(ours, 30, big_every=6)
    theirs = tmp_path / "cli-pages"
    write_pages(theirs, 30, big_every=6)
    for page in theirs.iterdir():
        page.write_bytes(page.read_bytes().replace(b"gen.example", b"cli.example"))
    log = tmp_path / "import.log"
    app = WatchedApp(db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        with log.open("wb") as out:
            process = spawn(
                reader_command(db, "import", str(theirs), "--jobs", "1"),
                tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                app.screen.start_import([ours])
                await settle(pilot)  # waits for the import worker
                process.wait(timeout=WAIT)
            finally:
                kill_group(process)
        output = output_of(log)
        assert process.returncode == 0, output
        assert not LOCKED.search(output), output
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).total == 62
        assert [n for n in app.notes if n[1] == "error"] == [], app.notes
        assert any(message.startswith("Imported 30 articles") for message, _ in app.notes), (
            app.notes
        )
    assert consistency_problems(db) == []
    with Archive(db) as archive:
        found = {h.article.url for h in archive.search("", limit=1000)}
    assert set(ours_urls) <= found and len(found) == 62


def two_imports(db: Path, sources: list[list[str]], jobs: tuple[str, str]) -> list[str]:
    """Run two `reader import`s on `db` at once; both must succeed without a lock error.
    Returns the URLs of the articles in the archive afterwards."""
    processes = []
    try:
        for paths, n in zip(sources, jobs, strict=True):
            command = reader_command(db, "import", *paths, "--jobs", n)
            processes.append(
                spawn(command, db.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            )
        outputs = [p.communicate(timeout=WAIT)[0].decode() for p in processes]
    finally:
        for process in processes:
            kill_group(process)
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert not LOCKED.search(output), output
    assert consistency_problems(db) == []  # includes: no URL twice
    with Archive(db) as archive:
        return sorted(h.article.url for h in archive.search("", limit=1000))


def assert_each_page_once(found: list[str], urls: list[str]) -> None:
    """Each page exactly once: the importer's duplicate check and its insert share one
    write transaction, so two imports in step cannot both add a page (they once did)."""
    assert found == sorted(urls), "each page exactly once"


@pytest.mark.slow
@pytest.mark.parametrize("overlap", ["same pages", "half the pages"])
def test_two_cli_imports_at_once(tmp_path: Path, overlap: str) -> None:
    pages = tmp_path / "pages"
    urls = write_pages(pages, 40, big_every=10)
    if overlap == "same pages":
        sources = [[str(pages)], [str(pages)]]
    else:  # the first 30 and the last 30: 20 in common, in the same order
        names = sorted(str(p) for p in pages.iterdir())
        sources = [names[:30], names[10:]]
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
    assert_each_page_once(two_imports(db, sources, ("1", "2")), urls)


def test_a_migration_another_process_just_ran_is_skipped(tmp_path: Path, monkeypatch) -> None:
    """Two programs open a new archive at once: both read version 0, one migrates, the
    other must not run the same migration again ("table articles already exists")."""
    db = tmp_path / "archive.db"
    Archive(db).close()  # the other process won the race: the file is at the latest
    stale = iter([0])  # and this one read the version before that happened
    real = schema.schema_version
    monkeypatch.setattr(schema, "schema_version", lambda conn: next(stale, None) or real(conn))
    with Archive(db) as archive:
        assert archive.check() == []
    conn = sqlite3.connect(db)
    try:
        assert real(conn) == schema.SCHEMA_VERSION
    finally:
        conn.close()


@pytest.mark.slow
def test_two_imports_into_a_new_archive_at_once(tmp_path: Path) -> None:
    """Both create the file and its schema at once (this once failed: "migration to
    schema v1 failed: table articles already exists")."""
    pages = tmp_path / "pages"
    urls = write_pages(pages, 10)
    for run in range(4):
        found = two_imports(tmp_path / f"new-{run}.db", [[str(pages)]] * 2, ("1", "1"))
        assert_each_page_once(found, urls)


@contextmanager
def write_lock_held(db: Path) -> Iterator[None]:
    """Another program holding the archive's write lock (longer than the busy timeout)."""
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_library_write_that_outlasts_the_lock_is_one_line(
    tmp_path: Path,
    monkeypatch,
    settle,
) -> None:
    """A star while another program holds the write lock past the busy timeout: one
    error notification, the app goes on, and the star works once the lock is gone."""
    monkeypatch.setattr("reader.archive.BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "archive.db"
    seed_archive(db, tmp_path / "seed", 2)
    app = WatchedApp(db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        with write_lock_held(db):
            await pilot.press("s")
            await settle(pilot)
        assert app.is_running
        errors = [message for message, severity in app.notes if severity == "error"]
        assert len(errors) == 1 and "\n" not in errors[0], app.notes
        assert "busy" in errors[0]
        await pilot.press("s")
        await settle(pilot)
    with Archive(db) as archive:
        assert archive.sidebar_counts()["starred"] == 1
