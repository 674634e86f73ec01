"""What every store of `Archive` shares: the connection, the clock, write transactions
and read snapshots; and the archive's errors and timestamp format."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    import sqlite_utils

# Where the archive's timestamps come from: an aware datetime. `Archive(clock=...)`
# replaces it (tests move time by hand instead of sleeping).
Clock = Callable[[], datetime]
V = TypeVar("V")


class ArchiveError(Exception):
    """A problem with the archive file itself, with a one-line message for the user."""


class ReadOnlyError(ArchiveError):
    """A write to an archive opened read-only (a file or folder we may not write, a
    read-only file system): refused before anything is touched."""

    @classmethod
    def at(cls, path: object) -> ReadOnlyError:
        return cls(f"{path}: the archive is read-only; nothing was changed")


class DamagedError(ArchiveError):
    """Part of the archive file cannot be read: SQLite found damaged pages, or a row
    that does not decode. `reader check` says what; `reader recover` saves the rest."""


class SearchIndexError(DamagedError):
    """A full-text index is damaged (its own structures, not the rows it indexes):
    `reader check --repair` rebuilds it from the tables."""


# SQLite's primary result codes for a damaged file, and FTS5's extended code for a
# damaged index (SQLITE_CORRUPT_VTAB: the virtual table's own data is inconsistent).
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_CORRUPT_VTAB = 267


def is_damage(error: BaseException) -> bool:
    """Whether `error` says the file's content is damaged (not the disk, a lock or a bug)."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    # Raised by Python's driver, not by SQLite: a text value that is not UTF-8.
    return str(error).startswith("Could not decode to UTF-8")


def is_index_damage(error: BaseException) -> bool:
    """Whether `error` is FTS5's "my index is inconsistent" (rebuilding it repairs it)."""
    return getattr(error, "sqlite_errorcode", None) == _SQLITE_CORRUPT_VTAB


REPAIR_HINT = "run `reader check --repair`"
RECOVER_HINT = "`reader check` says what, `reader recover NEW.db` saves the rest"


def damage_error(path: object, error: sqlite3.Error, what: str = "") -> DamagedError:
    """A one-line DamagedError (SearchIndexError for a damaged full-text index)."""
    if is_index_damage(error):
        return SearchIndexError(f"{path}: the search index is damaged: {REPAIR_HINT}")
    where = f"{what} cannot be read: " if what else ""
    return DamagedError(f"{path}: {where}the archive is damaged ({error}); {RECOVER_HINT}")


def read_by_id(
    ids: list[int], read: Callable[[list[int]], dict[int, V]], damaged: set[int]
) -> dict[int, V]:
    """`read(ids)`; where part of the file is damaged, `read([id])` one id at a time:
    what can be read is returned, and the ids that cannot are added to `damaged`."""
    try:
        return read(ids)
    except sqlite3.DatabaseError as error:
        if not is_damage(error) or is_index_damage(error):
            raise
    found: dict[int, V] = {}
    for one in ids:
        try:
            found.update(read([one]))
        except sqlite3.DatabaseError as error:
            if not is_damage(error) or is_index_damage(error):
                raise
            damaged.add(one)
    return found


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


def in_schema(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the archive has a table, index or trigger called `name` (a schema that
    added it, or an older archive opened read-only, and so not migrated, that lacks it)."""
    return (
        conn.execute("SELECT 1 FROM sqlite_schema WHERE name = ?", (name,)).fetchone() is not None
    )


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
    # Articles a read skipped, or showed in part, because their row is damaged (since
    # the archive was opened): a listing goes on without them and says so at its end.
    damaged_articles: set[int]
    # Writes of this connection rolled back: what was read inside them is gone, though
    # neither PRAGMA data_version nor total_changes moves back (see `version`).
    rollbacks: int = 0

    def version(self) -> tuple[int, int, int]:
        """Changes whenever what this connection reads does: another connection's commit
        (data_version), this one's writes (total_changes), a rollback of them."""
        (data_version,) = self.conn.execute("PRAGMA data_version").fetchone()
        return int(data_version), self.conn.total_changes, self.rollbacks

    def _now(self) -> str:
        """The archive clock's time as a timestamp."""
        return timestamp(self.clock())

    @cached_property
    def has_counts(self) -> bool:
        """Whether the archive keeps its counts in a table (schema v2 on; an older one
        opened read-only, and so not migrated, counts instead)."""
        return in_schema(self.conn, "counts")

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
        lock that outlasts the timeout rolls back and raises ArchiveError (one line); so
        does a damaged page (DamagedError). On a read-only archive nothing is tried:
        ReadOnlyError.
        """
        if self.readonly:
            raise ReadOnlyError.at(self.path)
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT nested_write")
            try:
                yield conn
            except BaseException:
                self.rollbacks += 1
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
        except sqlite3.DatabaseError as error:
            self.rollbacks += 1
            _roll_back(conn)
            if is_damage(error):
                raise damage_error(self.path, error) from error
            if isinstance(error, sqlite3.OperationalError):
                raise storage_error(self.path, error) from error
            raise
        except BaseException:
            self.rollbacks += 1
            _roll_back(conn)
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
        except BaseException:
            _roll_back(self.conn)  # after a damaged page, COMMIT would raise again
            raise
        if _in_transaction(self.conn):
            try:
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                # A damaged page met (and dealt with) inside: SQLite reports it again
                # at COMMIT. A read transaction has nothing to save; end it.
                if not is_damage(error):
                    raise
                _roll_back(self.conn)

    @contextmanager
    def _reading(self, what: str = "") -> Iterator[None]:
        """Turn a damaged page met while reading into a one-line DamagedError about `what`."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            raise damage_error(self.path, error, what) from error


def _roll_back(conn: sqlite3.Connection) -> None:
    """End the failed transaction, if it is still open; a damaged file may refuse even
    that (SQLite has then rolled back by itself), which must not hide the first error."""
    if _in_transaction(conn):
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _in_transaction(conn: sqlite3.Connection) -> bool:
    # Read through a function: after the early return on `conn.in_transaction` above,
    # mypy takes it as still false and calls the rollback unreachable, though BEGIN has
    # run since (and a failed statement may have ended the transaction already).
    return conn.in_transaction
