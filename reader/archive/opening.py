"""Opening the archive file: read-write (WAL, migrated), or read-only where it must be.

A file we may not write, or one in a folder we may not write (SQLite makes its -wal and
-shm files beside the archive), or on a read-only file system, is opened read-only
(`mode=ro`): reading works, and a write is refused in one line (base.ReadOnlyError)
before anything is tried. Where even the -shm file cannot be made (a read-only folder),
SQLite cannot read a WAL-mode file that way; it is then opened as `immutable`, which
reads the file alone, as it is. That is only right when no -wal file holds changes
the file does not have yet, so then the archive is not opened at all.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from reader.archive.base import (
    ArchiveError,
    damage_error,
    in_schema,
    is_damage,
    storage_error,
)
from reader.archive.schema import migrate

# SQLITE_CANTOPEN: the file, or its -wal or -shm, cannot be opened or made.
_SQLITE_CANTOPEN = 14


# Tables a newer schema has, as empty stand-ins for an older archive opened read-only
# (which cannot be migrated): queries written for this schema still run on it.
_READ_ONLY_STAND_INS = {
    "missing_pages": "CREATE TEMP TABLE missing_pages (article_id INTEGER PRIMARY KEY)",
    "url_keys": "CREATE TEMP TABLE url_keys (article_id INTEGER, key TEXT)",
    "highlight_tags": "CREATE TEMP TABLE highlight_tags (annotation_id INTEGER, name TEXT)",
    "images": "CREATE TEMP TABLE images (id INTEGER PRIMARY KEY, sha256 TEXT, media_type TEXT,"
    " width INTEGER, height INTEGER, data BLOB)",
    "article_images": "CREATE TEMP TABLE article_images (article_id INTEGER, src TEXT,"
    " image_id INTEGER)",
}


def add_stand_ins(conn: sqlite3.Connection) -> None:
    """Empty temporary tables for those an older archive lacks (opened read-only)."""
    for name, sql in _READ_ONLY_STAND_INS.items():
        if not in_schema(conn, name):
            conn.execute(sql)


def must_open_read_only(path: Path) -> bool:
    """Whether this process may not write the existing archive at `path` (or the
    -wal and -shm files SQLite keeps beside it)."""
    if not os.access(path, os.W_OK):
        return True
    return not os.access(path.absolute().parent, os.W_OK)


def _until_unlocked(step: Callable[[], object], timeout_ms: int) -> None:
    """Run `step`, retrying while another connection holds the file.

    Switching a new file to WAL and creating its schema need a lock that SQLite's busy
    timeout does not always wait for (two imports starting at once on a new archive);
    retry for as long as the busy timeout would have waited.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _connect(target: str, *, uri: bool, timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(target, uri=uri, check_same_thread=False)
    # Autocommit at the driver level: transactions are ours (BEGIN IMMEDIATE).
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _open_read_only(path: Path, timeout_ms: int) -> sqlite3.Connection:
    uri = path.absolute().as_uri()  # percent-encoded: a '?' or '#' in a name stays a name
    conn = _connect(f"{uri}?mode=ro", uri=True, timeout_ms=timeout_ms)
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        add_stand_ins(conn)
        return conn
    except sqlite3.OperationalError as error:
        conn.close()
        if getattr(error, "sqlite_errorcode", None) != _SQLITE_CANTOPEN:
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ArchiveError(
            f"{path}: cannot read the archive here: its folder is read-only and {wal.name}"
            " holds changes not yet in the file (open it once where it can be written)"
        )
    conn = _connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout_ms=timeout_ms)
    add_stand_ins(conn)
    return conn


def _open_read_write(path: Path, timeout_ms: int) -> sqlite3.Connection:
    conn = _connect(str(path), uri=False, timeout_ms=timeout_ms)
    try:
        _until_unlocked(lambda: conn.execute("PRAGMA journal_mode = WAL"), timeout_ms)
        conn.execute("PRAGMA synchronous = NORMAL")
        _until_unlocked(lambda: migrate(conn, path), timeout_ms)
    except BaseException:
        conn.close()
        raise
    return conn


def open_connection(path: Path, *, readonly: bool, timeout_ms: int) -> sqlite3.Connection:
    """A connection to the archive at `path` as the module's docstring says; a file
    that cannot be opened, is no archive or is damaged raises a one-line ArchiveError
    (a failed migration: MigrationError)."""
    try:
        if readonly:
            return _open_read_only(path, timeout_ms)
        return _open_read_write(path, timeout_ms)
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) and "unable to open" in str(error):
            raise ArchiveError(f"{path}: cannot open the archive file") from error
        if isinstance(error, sqlite3.OperationalError):
            raise storage_error(path, error) from error
        if is_damage(error) and "not a database" not in str(error):
            raise damage_error(path, error) from error
        raise ArchiveError(f"{path}: not a reader archive ({error})") from error
