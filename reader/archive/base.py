"""What every store of `Archive` shares: the connection, the clock, write transactions
and read snapshots; and the archive's errors and timestamp format."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import sqlite_utils

# Where the archive's timestamps come from: an aware datetime. `Archive(clock=...)`
# replaces it (tests move time by hand instead of sleeping).
Clock = Callable[[], datetime]


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


def utc_now() -> datetime:
    """The archive's default clock."""
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """`moment` as the archive stores time: UTC, ISO 8601, whole seconds."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now() -> str:
    """The current UTC time as ISO 8601 with seconds, the archive's timestamp format."""
    return timestamp(utc_now())


def placeholders(values: Iterable[object]) -> str:
    """`?,?,?` for an IN (...) list of `values`."""
    return ",".join("?" for _ in values)


class Store(Protocol):
    """What a store's method may use of the archive it is part of (see StoreBase).

    A store whose method also calls another store's says so with a protocol that
    extends this one, as the `self` type of that method (ArticleStore does).
    """

    conn: sqlite3.Connection

    def write(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _now(self) -> str: ...


class StoreBase:
    """The part of `Archive` every store builds on; `Archive.__init__` sets the fields."""

    conn: sqlite3.Connection
    path: Path
    readonly: bool
    clock: Clock

    def _now(self) -> str:
        """The archive clock's time as a timestamp."""
        return timestamp(self.clock())

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a sqlite-utils Database, for scripts and inspection.

        Made on first use: importing sqlite-utils costs a start-up a tenth of its budget.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

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
            if _in_transaction(conn):
                conn.execute("ROLLBACK")
            raise storage_error(self.path, error) from error
        except BaseException:
            if _in_transaction(conn):
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A read transaction (WAL: a consistent view), unless one is already open."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if _in_transaction(self.conn):
                self.conn.execute("COMMIT")


def _in_transaction(conn: sqlite3.Connection) -> bool:
    # Read through a function: after the early return on `conn.in_transaction` above,
    # mypy takes it as still false and calls the rollback unreachable, though BEGIN has
    # run since (and a failed statement may have ended the transaction already).
    return conn.in_transaction
