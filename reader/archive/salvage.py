"""Reading what can be read of a damaged archive, row by row.

SQLite's promise is that damage is detected: a statement that meets a damaged page
fails ("database disk image is malformed"). A scan of a table therefore stops at the
first damaged page, and everything after it would be lost with it. `walk` goes on:

- it reads the table in key order (the rowid; a WITHOUT ROWID table's primary key);
- where a scan fails, it asks for the next key alone (reading the key needs the page of
  the b-tree that holds it, not the row's overflow pages): a key that comes back is a
  row that exists but cannot be read, known by its key;
- where even the key cannot be read, the page that holds the next keys is damaged: it
  seeks from the keys after the last good one, one by one near it and at distances
  doubling from it further on (the ranges between searched the same way), to the first
  key a seek from there reaches, and goes on from there. Damaged and sound pages can
  alternate, so no bisection alone: it would jump over sound pages. The keys in between
  are a hole: rows there are lost, how many is unknown.

Which articles were in a hole is answered by the copies of their ids elsewhere: the
indexes on `articles` hold every id (and the title, URL and dates), as do the rows that
belong to an article. `known_articles` reads them, as far as they can be read.

This module only reads; the copy into a new archive is reader.archive.recovery.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reader.archive.base import is_damage
from reader.archive.schema import DERIVED_TABLES

__all__ = [
    "KnownArticle",
    "TableWalk",
    "copied_tables",
    "decompresses",
    "known_articles",
    "walk",
]

Row = tuple[Any, ...]

_MIN_KEY = -(2**63) + 1  # one above SQLite's least, so `key > _MIN_KEY - 1` can be asked
_MAX_KEY = 2**63 - 1
_DENSE = 32  # a range of key values this narrow is searched value by value
_DEPTH = 1  # how many times a wide range between seeks is searched in turn


@dataclass
class TableWalk:
    """What walking one table found."""

    table: str
    read: int = 0  # rows read whole
    unreadable: list[int] = field(default_factory=list)  # keys of rows that exist, unread
    holes: list[tuple[int, int]] = field(default_factory=list)  # key ranges of damaged pages

    @property
    def damaged(self) -> bool:
        return bool(self.unreadable or self.holes)

    def lost_keys(self, known: set[int]) -> list[int]:
        """The keys of lost rows: unreadable ones, and those of `known` in a hole."""
        lost = set(self.unreadable)
        for first, last in self.holes:
            lost.update(key for key in known if first <= key <= last)
        return sorted(lost)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_WITHOUT_ROWID = re.compile(r"\bWITHOUT\s+ROWID\b", re.IGNORECASE)


def _key_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns a table's rows are ordered by: rowid, or a WITHOUT ROWID primary key."""
    (sql,) = conn.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchone()
    if not _WITHOUT_ROWID.search(sql or ""):
        return ["rowid"]
    rows = conn.execute("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0", (table,))
    return [name for name, _ in sorted(rows, key=lambda row: int(row[1]))]


class _Walker:
    """One walk of `table`, reading `columns` after its key columns (see `walk`)."""

    def __init__(self, conn: sqlite3.Connection, table: str, columns: list[str]) -> None:
        self.conn = conn
        self.found = TableWalk(table)
        self.keys = _key_columns(conn, table)
        self.first = _quote(self.keys[0]) if self.keys[0] != "rowid" else "rowid"
        keys = ", ".join(k if k == "rowid" else _quote(k) for k in self.keys)
        self.width = len(self.keys)
        # NOT INDEXED: the table's own b-tree, whose damaged pages are what the walk
        # finds; an index that covers the key (v8's articles_filters leads with the id)
        # would read every key of it, damaged pages or not.
        self.source = f"{_quote(table)} NOT INDEXED"
        self.select = f"SELECT {', '.join([keys, *columns])} FROM {self.source}"
        self.order = f" ORDER BY {keys}"
        self.key_tuple = f"({keys})"
        self.finished = False  # a scan reached the end of the table

    def rows_after(self, key: Row | None, first_from: int) -> Iterator[Row]:
        """Rows past the whole key `key` (or, with None, whose first key is >= `first_from`)."""
        if key is None:
            return iter(
                self.conn.execute(
                    f"{self.select} WHERE {self.first} >= ?{self.order}", (first_from,)
                )
            )
        marks = ", ".join("?" for _ in key)
        return iter(
            self.conn.execute(f"{self.select} WHERE {self.key_tuple} > ({marks}){self.order}", key)
        )

    def first_at_least(self, least: int) -> int | None:
        """The first key column's first value at or past `least`, reading keys only
        (the seek reads the page where `least` would be). Raises on a damaged page, and
        _Disorder for a key before `least` (a damaged page that still parses can send a
        seek anywhere)."""
        row = self.conn.execute(
            f"SELECT {self.first} FROM {self.source} WHERE {self.first} >= ?"
            f" ORDER BY {self.first} LIMIT 1",
            (least,),
        ).fetchone()
        if row is None:
            return None
        if not isinstance(row[0], int) or row[0] < least:
            raise _Disorder
        return row[0]

    def next_first_key(self, after: int) -> int | None:
        """The first key column's next value past `after` (see `first_at_least`)."""
        return None if after >= _MAX_KEY else self.first_at_least(after + 1)

    def reach(self, least: int) -> int | _Unreached | None:
        """`first_at_least(least)`, or _UNREACHED where the seek meets a damaged page."""
        try:
            return self.first_at_least(least)
        except _Disorder:
            return _UNREACHED
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            return _UNREACHED

    def skip_hole(self, last_good: int) -> int | None:
        """Past a damaged page after first key `last_good`: the least first key on a
        sound page after it, or None when there is none (the hole runs to the end)."""
        found = self.sound_in(last_good, _MAX_KEY, _DEPTH)
        return None if isinstance(found, _Unreached) else found

    def sound_in(self, failed: int, upto: int, depth: int) -> int | _Unreached | None:
        """Seeking from each value in (failed, upto] in turn (a seek from `failed` met
        damage), what the first seek that works reaches; _UNREACHED when none works.

        Whether a seek works is not monotone (damaged and sound pages alternate), so
        a bisection alone can jump over sound pages. Values near `failed` are tried
        one by one, further ones at distances doubling from it, and the ranges between
        those searched the same way while `depth` lasts: with dense keys, exact past a
        damaged run of up to ~190 key values (where a wide range is left out, a sound run
        of a page or two may be); a few thousand seeks at most where the key space is
        empty (before the first key, past the last)."""
        if upto - failed <= _DENSE:
            for value in range(failed + 1, upto + 1):
                if not isinstance(reached := self.reach(value), _Unreached):
                    return reached
            return _UNREACHED
        before, step = failed, 1
        while before < upto:
            value = min(failed + step, upto)
            skipped = value - before - 1 > _DENSE and depth == 0
            if value - before > 1 and not skipped:
                inner = self.sound_in(before, value - 1, depth - 1)
                if not isinstance(inner, _Unreached):
                    return inner
            if not isinstance(reached := self.reach(value), _Unreached):
                # Too deep to search the wide range before it: take the seeks there to
                # fail up to a point, and find that point by bisection.
                return self.bisect(before, value) if skipped else reached
            before, step = value, step * 2
        return _UNREACHED

    def bisect(self, failed: int, works: int) -> int | None:
        """What a seek reaches from the least value in (failed, works] it works from,
        taking seeks to fail up to a point (one damaged run between)."""
        while works - failed > 1:
            middle = (failed + works) // 2
            if isinstance(self.reach(middle), _Unreached):
                failed = middle
            else:
                works = middle
        reached = self.reach(works)
        return None if isinstance(reached, _Unreached) else reached

    def group(self, first: int) -> list[Row] | None:
        """The rows whose first key is `first` (for a rowid table: the row), or None
        when they are on a damaged page."""
        try:
            rows = self.conn.execute(
                f"{self.select} WHERE {self.first} = ?{self.order}", (first,)
            ).fetchall()
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            return None
        if any(row[0] != first for row in rows):
            return None  # a damaged page that still parses
        return rows

    def scan(self, key: Row | None, first_from: int) -> Iterator[Row]:
        """Rows in key order past the whole key `key` (or, without one, from first key
        `first_from`), up to the first damaged page or key out of order."""
        try:
            for row in self.rows_after(key, first_from):
                row_key = tuple(row[: self.width])
                if row_key <= key if key is not None else row_key[0] < first_from:
                    return  # out of order: a damaged page that still parses
                key = row_key
                yield row
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            return
        except (TypeError, ValueError):  # keys of the wrong type: a damaged page
            return
        self.finished = True  # the end of the table

    def walk(self) -> Iterator[Row]:
        """Every readable row, keys first. Each round scans until the scan stops, then
        finds the next first key past the last one read and goes on from there, so
        every round moves past at least one key value: the walk always ends."""
        key: Row | None = None  # the whole key of the last row read
        first_from = _MIN_KEY
        while True:
            for row in self.scan(key, first_from):
                key = tuple(row[: self.width])
                self.found.read += 1
                yield row
            if self.finished:
                return
            last = int(key[0]) if key is not None else first_from - 1
            if key is not None and self.width > 1:
                self.found.holes.append((last, last))  # its group's rest: keys unknown
            try:
                following = self.next_first_key(last)
            except (sqlite3.DatabaseError, _Disorder) as error:
                if isinstance(error, sqlite3.DatabaseError) and not is_damage(error):
                    raise
                following = self.skip_hole(last)
                if following is None:
                    self.found.holes.append((last + 1, _MAX_KEY))
                    return
                if following > last + 1:
                    self.found.holes.append((last + 1, following - 1))
            if following is None:
                return  # the scan stopped past the last key
            # `following`'s rows are on a sound page (a seek reached the key), or
            # on the damaged one just before it (a scan stopped short of them).
            rows = self.group(following)
            if rows is None and self.width == 1:
                self.found.unreadable.append(following)
            elif rows is None:
                self.found.holes.append((following, following))
            else:
                self.found.read += len(rows)
                yield from rows
            if following == _MAX_KEY:
                return
            key, first_from = None, following + 1


class _Disorder(Exception):
    """A key that is not where the b-tree's order says: the page it came from is damaged."""


class _Unreached:
    """A seek that met a damaged page."""


_UNREACHED = _Unreached()


def walk(
    conn: sqlite3.Connection, table: str, columns: list[str], found: list[TableWalk] | None = None
) -> Iterator[Row]:
    """The values of `columns` (SQL expressions over the row: quote names that need it)
    in every row of `table` that can be read, in key order; what could not be read is
    in the TableWalk appended to `found`."""
    walker = _Walker(conn, table, columns)
    if found is not None:
        found.append(walker.found)
    return (row[walker.width :] for row in walker.walk())


def copied_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables that hold the archive's data, in the order they were created: not
    SQLite's own, not the full-text indexes (virtual tables and their shadow tables,
    rebuilt from the tables instead), nor the sidebar's counts (likewise)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY rowid"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    shadows = {
        f"{v}_{part}" for v in virtual for part in ("data", "idx", "content", "docsize", "config")
    }
    derived = {*virtual, *shadows, *DERIVED_TABLES}
    return [name for name, _ in rows if name not in derived]


def decompresses(data: object) -> bool:
    """Whether `data` is a whole zlib stream, inflated a megabyte at a time (an original
    may be large: memory stays flat)."""
    if not isinstance(data, bytes):
        return False
    inflate = zlib.decompressobj()
    try:
        while data:
            inflate.decompress(data, 1 << 20)
            data = inflate.unconsumed_tail
        inflate.flush()
    except zlib.error:
        return False
    return inflate.eof


@dataclass
class KnownArticle:
    """What the indexes still say about an article whose row may be lost."""

    id: int
    title: str | None = None
    state: dict[str, object] = field(default_factory=dict)  # the columns articles_added holds

    @property
    def url(self) -> str | None:
        url = self.state.get("url")
        return url if isinstance(url, str) else None


# The index that holds each article's list columns (schema.py: articles_added), and
# the one that holds its title; read alone (INDEXED BY), they do not touch the rows.
_STATE_COLUMNS = (
    "added_at",
    "starred",
    "read_at",
    "archived_at",
    "published",
    "lang",
    "site_name",
    "url",
)


def _readable_rows(conn: sqlite3.Connection, sql: str) -> Iterator[Row]:
    """The rows of `sql` up to the first damaged page (a missing index or table: none)."""
    try:
        yield from conn.execute(sql)
    except sqlite3.OperationalError as error:
        if not is_damage(error) and "no such" not in str(error):
            raise
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise


def known_articles(conn: sqlite3.Connection) -> dict[int, KnownArticle]:
    """Every article id the file still names, with its title and list columns where an
    index holds them: from the indexes on `articles`, and the rows of other tables that
    belong to an article. Each is read up to its first damaged page."""
    known: dict[int, KnownArticle] = {}

    def article(article_id: object) -> KnownArticle | None:
        if not isinstance(article_id, int):
            return None
        return known.setdefault(article_id, KnownArticle(article_id))

    columns = ", ".join(_STATE_COLUMNS)
    for row in _readable_rows(
        conn, f"SELECT id, {columns} FROM articles INDEXED BY articles_added"
    ):
        if (found := article(row[0])) is not None:
            found.state = dict(zip(_STATE_COLUMNS, row[1:], strict=True))
    for article_id, title in _readable_rows(
        conn, "SELECT id, title FROM articles INDEXED BY articles_title"
    ):
        if (found := article(article_id)) is not None and isinstance(title, str):
            found.title = title
    # The rows that belong to an article name it, in their own indexes; so does the
    # full-text index's table of document sizes.
    for sql in (
        "SELECT article_id FROM sources INDEXED BY sources_article",
        "SELECT article_id FROM annotations INDEXED BY annotations_article",
        "SELECT article_id FROM article_tags INDEXED BY article_tags_tag",
        "SELECT id FROM articles_fts_docsize",
    ):
        for (article_id,) in _readable_rows(conn, sql):
            article(article_id)
    return known
