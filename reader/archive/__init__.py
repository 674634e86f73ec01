"""The archive: one SQLite file, and the only place in reader that speaks SQL.

`Archive` is a facade over stores split by what they keep (articles, tags,
annotations, search, maintenance), each a mixin in its own module sharing one
connection (base.StoreBase); a store method that calls another store's names what it
needs with a Protocol (base.Store) as its `self` type. Every write runs in its own
short transaction (`Archive.write()`), so a crash loses at most the change being
made, never half of one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from reader.archive.annotations import AnnotationEntry, AnnotationError, AnnotationStore
from reader.archive.articles import ArticleStore
from reader.archive.base import (
    ArchiveError,
    Clock,
    NotFoundError,
    now,
    storage_error,
    timestamp,
    utc_now,
)
from reader.archive.maintenance import MaintenanceStore
from reader.archive.schema import SCHEMA_VERSION, MigrationError, migrate
from reader.archive.search import SearchStore
from reader.archive.tags import TagError, TagStore, clean_tag_name

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationEntry",
    "AnnotationError",
    "Archive",
    "ArchiveError",
    "Clock",
    "MigrationError",
    "NotFoundError",
    "TagError",
    "clean_tag_name",
    "now",
    "timestamp",
]

BUSY_TIMEOUT_MS = 10_000


def _until_unlocked(step: Callable[[], object]) -> None:
    """Run `step`, retrying while another connection holds the file.

    Switching a new file to WAL and creating its schema need a lock that SQLite's busy
    timeout does not always wait for (two imports starting at once on a new archive);
    retry for as long as the busy timeout would have waited.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Archive(ArticleStore, TagStore, AnnotationStore, SearchStore, MaintenanceStore):
    """An open archive file. Use as a context manager or call `close()`.

    `clock` gives the time the archive stamps on what it writes (added, read, changed);
    the default is the system's, in UTC.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, clock: Clock = utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self.is_new = not self.path.exists() or self.path.stat().st_size == 0
        # A file we may not write is opened read-only: reading works, and a write says
        # "read-only" in one line instead of failing on the WAL pragma at open.
        readonly = readonly or (not self.is_new and not os.access(self.path, os.W_OK))
        self.readonly = readonly
        conn: sqlite3.Connection | None = None
        try:
            if readonly:
                conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
                )
            else:
                conn = sqlite3.connect(self.path, check_same_thread=False)
            # Autocommit at the driver level: transactions are ours (BEGIN IMMEDIATE).
            conn.isolation_level = None
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                _until_unlocked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
                conn.execute("PRAGMA synchronous = NORMAL")
                _until_unlocked(lambda: migrate(conn, self.path))
        except sqlite3.DatabaseError as error:
            if conn is not None:
                conn.close()
            if isinstance(error, sqlite3.OperationalError) and "unable to open" in str(error):
                raise ArchiveError(f"{self.path}: cannot open the archive file") from error
            if isinstance(error, sqlite3.OperationalError):
                raise storage_error(self.path, error) from error
            raise ArchiveError(f"{self.path}: not a reader archive ({error})") from error
        except MigrationError:
            if conn is not None:
                conn.close()
            raise
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
