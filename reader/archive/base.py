"""What every store mixin of `Archive` shares: the connection and write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import sqlite_utils

if TYPE_CHECKING:
    from reader.models import ArticleSummary


def now() -> str:
    """The current UTC time as ISO 8601 with seconds, the archive's timestamp format."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def placeholders(values: Iterable[object]) -> str:
    """`?,?,?` for an IN (...) list of `values`."""
    return ",".join("?" for _ in values)


class StoreBase:
    conn: sqlite3.Connection
    db: sqlite_utils.Database

    if TYPE_CHECKING:
        # Provided by SearchStore; articles and annotations read summaries the same way.
        def _summaries(self, ids: list[int]) -> dict[int, ArticleSummary]: ...
        def _snapshot(self) -> AbstractContextManager[None]: ...

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is saved, or none of it.

        BEGIN IMMEDIATE takes the write lock up front, so two processes wait on the
        busy timeout instead of failing on a read-to-write upgrade. Nested calls join
        the outer transaction through a savepoint.
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
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
