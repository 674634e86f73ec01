"""What every store mixin of `Archive` shares: the connection and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.models import ArticleSummary


class ArchiveError(Exception):
    """A problem with the archive file itself, with a one-line message for the user."""


class NotFoundError(KeyError):
    """No article (or annotation) with that id: deleted, maybe by another program."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "not found"


def storage_error(path: object, error: sqlite3.Error) -> ArchiveError:
    """A one-line ArchiveError for SQLite's complaint about the file or the disk."""
    message = str(error)
    if "full" in message:
        return ArchiveError(f"{path}: the disk is full; nothing of this change was saved")
    if "readonly" in message or "read-only" in message:
        return ArchiveError(f"{path}: the archive is read-only; nothing was changed")
    if "locked" in message or "busy" in message:
        return ArchiveError(
            f"{path}: the archive stayed busy (another program is writing); try again"
        )
    return ArchiveError(f"{path}: {message}")


def now() -> str:
    """The current UTC time as ISO 8601 with seconds, the archive's timestamp format."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def placeholders(values: Iterable[object]) -> str:
    """`?,?,?` for an IN (...) list of `values`."""
    return ",".join("?" for _ in values)


class StoreBase:
    conn: sqlite3.Connection
    path: object

    if TYPE_CHECKING:
        # Provided by SearchStore; articles and annotations read summaries the same way.
        def _summaries(self, ids: list[int]) -> dict[int, ArticleSummary]: ...
        def _snapshot(self) -> AbstractContextManager[None]: ...

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is saved, or none of it.

        BEGIN IMMEDIATE takes the write lock up front, so two processes wait on the
        busy timeout instead of failing on a read-to-write upgrade. Nested calls join
        the outer transaction through a savepoint. A full disk, a read-only file or a
        lock that outlasts the timeout rolls back and raises ArchiveError (one line).
        """
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT nested_write")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK TO nested_write")
                conn.execute("RELEASE nested_write")
                raise
            conn.execute("RELEASE nested_write")
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise storage_error(self.path, error) from error
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise storage_error(self.path, error) from error
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
