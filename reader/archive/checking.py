"""`reader check`: what is wrong with an archive file, one line a problem, and the remedy.

SQLite's integrity check says that pages are damaged, in its own terms (page numbers,
b-tree cells); a reader needs to know what that costs: which articles cannot be read,
which other rows, which indexes. So when the integrity check fails, every table is
walked row by row (reader.archive.salvage) and every index read whole, and the lost
articles are named by id. The full-text indexes are checked by FTS5's own
`integrity-check`, which needs a writable file; on a read-only one they are read whole
instead (through fts5vocab), which finds a damaged index but not one out of step.

The remedy follows from what is damaged: a full-text index alone is rebuilt from its
table (`reader check --repair`); damaged pages anywhere else are never written to:
`reader recover NEW.db` copies what can be read into a new archive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from reader.archive.base import in_schema, is_damage
from reader.archive.counting import (
    counted,
    counted_sites,
    has_host_counts,
    has_site_counts,
    hosts_problem,
)
from reader.archive.salvage import (
    TableWalk,
    copied_tables,
    decompresses,
    known_articles,
    walk,
)
from reader.textrules import plural

__all__ = ["Diagnosis", "diagnose", "full_text_indexes", "ids_line"]

RECOVER_REMEDY = (
    "To save what can be saved: `reader recover NEW.db` copies everything readable into"
    " a new archive and lists what was lost; this file is left as it is."
)
REPAIR_REMEDY = (
    "To repair: `reader check --repair` rebuilds the search indexes from the articles"
    " and annotations."
)


@dataclass
class Diagnosis:
    """What `check` found: problems (one line each) and what they call for."""

    problems: list[str] = field(default_factory=list)
    damaged_file: bool = False  # pages SQLite cannot read: recover into a new archive
    damaged_indexes: list[str] = field(default_factory=list)  # full-text indexes to rebuild
    unchecked: list[str] = field(default_factory=list)  # what could not be checked, and why

    @property
    def remedy(self) -> str | None:
        if self.damaged_file:
            return RECOVER_REMEDY
        if self.damaged_indexes:
            return REPAIR_REMEDY
        return None


def ids_line(ids: list[int], shown: int = 20) -> str:
    """ "#3, #7, #9" (the first `shown`, then "and N more")."""
    line = ", ".join(f"#{i}" for i in ids[:shown])
    return line + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def full_text_indexes(conn: sqlite3.Connection) -> list[str]:
    """Every FTS5 table in the file (one added by a later schema too)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table'"
        " AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY rowid"
    )
    return [name for (name,) in rows]


def integrity_messages(conn: sqlite3.Connection) -> list[str]:
    """SQLite's integrity check, [] when the file is sound.

    Read through a function called row by row: where SQLite reports and then fails
    ("malformed"), Python's driver drops the row it had, and the report with it.
    """
    seen: list[str] = []
    conn.create_function("reader_keep", 1, lambda value: seen.append(str(value)))
    try:
        conn.execute("SELECT reader_keep(integrity_check) FROM pragma_integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        seen.append(f"the check stopped: {error}")
    finally:
        conn.create_function("reader_keep", 1, None)
    lines = [line for text in seen for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("*** in database")]
    return [] if lines == ["ok"] else lines


def _table_damage(conn: sqlite3.Connection, known: set[int]) -> Iterator[str]:
    """A line for each table with rows that cannot be read, and each unreadable index."""
    for table in copied_tables(conn):
        rows = conn.execute("SELECT name FROM pragma_table_info(?)", (table,))
        columns = ['"' + name.replace('"', '""') + '"' for (name,) in rows]
        found: list[TableWalk] = []
        for _ in walk(conn, table, columns, found):
            pass
        result = found[0]
        if table == "articles" and result.damaged:
            lost = result.lost_keys(known)
            yield f"damaged: {plural(len(lost), 'article')} cannot be read: {ids_line(lost)}"
            if result.holes and not known:
                yield "damaged: articles in damaged pages of the articles table cannot be named"
        elif result.damaged:
            parts = []
            if result.unreadable:
                parts.append(plural(len(result.unreadable), "row") + " cannot be read")
            if result.holes:
                parts.append(f"{plural(len(result.holes), 'damaged range')} of rows")
            yield f"damaged: table {table}: " + ", ".join(parts)
        indexes = conn.execute("SELECT name FROM pragma_index_list(?)", (table,)).fetchall()
        for (index,) in indexes:
            if index.startswith("sqlite_autoindex"):
                continue  # a UNIQUE or PRIMARY KEY constraint's: named by its table above
            try:
                conn.execute(f'SELECT count(*) FROM "{table}" INDEXED BY "{index}"').fetchone()
            except sqlite3.DatabaseError as error:
                if not is_damage(error):
                    raise
                yield f"damaged: index {index} of table {table}"


def _fts_problem(conn: sqlite3.Connection, index: str, readonly: bool) -> str | None:
    """Why the full-text index `index` is not sound, or None."""
    try:
        if readonly:
            # No INSERT on a read-only file: read the whole index through fts5vocab
            # (a temporary table, which a read-only connection may make).
            vocab = "temp.reader_check_vocab"
            conn.execute(f"CREATE VIRTUAL TABLE {vocab} USING fts5vocab(main, '{index}', 'row')")
            try:
                conn.execute(f"SELECT count(*), sum(cnt) FROM {vocab}").fetchone()
            finally:
                conn.execute(f"DROP TABLE {vocab}")
        else:
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        return str(error)
    return None


def _counts_problem(conn: sqlite3.Connection) -> str | None:
    """Whether the counts the triggers keep (schema v2; the sites', v7; the URL hosts',
    v8) agree with the tables."""
    if not in_schema(conn, "counts"):
        return None
    try:
        kept = dict(conn.execute("SELECT name, n FROM counts").fetchall())
        actual = {name: n for name, n in counted(conn).items() if n or name in kept}
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        return f"damaged: the counts cannot be read: {error}"
    wrong = sorted(name for name in {*kept, *actual} if kept.get(name, 0) != actual.get(name, 0))
    if has_site_counts(conn):
        try:
            sites = dict(conn.execute("SELECT site, n FROM site_counts").fetchall())
            actual_sites = counted_sites(conn)
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            return f"damaged: the counts of sites cannot be read: {error}"
        if sites != actual_sites:
            wrong.append("sites")  # not named: a site name is the page's, untrusted
    if has_host_counts(conn):
        try:
            if hosts_problem(conn):
                wrong.append("hosts")
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            return f"damaged: the hosts of the articles' URLs cannot be read: {error}"
    if not wrong:
        return None
    return f"out of step: the counts of {', '.join(wrong[:5])} do not match the articles"


def _guarded(diagnosis: Diagnosis, what: str, check: Callable[[], Iterator[str]]) -> Iterator[str]:
    """The lines of `check`, or one line saying it could not run on damaged pages."""
    try:
        yield from list(check())
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        diagnosis.damaged_file = True
        yield f"damaged: {what} could not be checked: {error}"


def _foreign_keys(conn: sqlite3.Connection) -> Iterator[str]:
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        yield f"foreign key: {table} row {rowid} points to a missing {parent}"


def _highlight_ranges(conn: sqlite3.Connection) -> Iterator[str]:
    for annotation_id, article_id in conn.execute(
        "SELECT n.id, n.article_id FROM annotations n JOIN articles a ON a.id = n.article_id"
        ' WHERE n.start IS NOT NULL AND (n.start < 0 OR n."end" < n.start'
        ' OR n."end" > length(a.text))'
    ):
        yield f"annotation {annotation_id} of article {article_id} lies outside its text"


def _stored_values(conn: sqlite3.Connection) -> Iterator[str]:
    """Values SQLite cannot vouch for: bytes changed inside pages whose structure still
    holds. An original that no longer decompresses; a document that is no longer JSON
    (reader wrote both; neither changes otherwise)."""
    broken = sorted(
        {
            article_id
            for article_id, raw in walk(conn, "sources", ["article_id", "raw"])
            if not decompresses(raw)
        }
    )
    if broken:
        yield (
            f"damaged: the saved originals of {plural(len(broken), 'article')} do not"
            f" decompress: {ids_line(broken)} (the articles are whole; `reader reindex`"
            " skips them)"
        )
    garbled = [
        row[0] for row in walk(conn, "articles", ["id", "json_valid(blocks)"]) if row[1] != 1
    ]
    if garbled:
        yield (
            f"damaged: the stored text of {plural(len(garbled), 'article')} does not read"
            f" back: {ids_line(garbled)} (`reader reindex` extracts them again from"
            " their saved originals)"
        )


def diagnose(conn: sqlite3.Connection, *, readonly: bool) -> Diagnosis:
    """Check the archive at `conn`: SQLite's integrity (and, when it fails, what it
    costs), foreign keys, the full-text indexes, and every highlight's range."""
    diagnosis = Diagnosis()
    problems = diagnosis.problems
    integrity = integrity_messages(conn)
    if integrity:
        diagnosis.damaged_file = True
        more = f" (and {plural(len(integrity) - 1, 'more problem')})" if len(integrity) > 1 else ""
        problems.append(f"integrity: {integrity[0]}{more}")
        known = set(known_articles(conn))
        problems += _guarded(diagnosis, "the tables", lambda: _table_damage(conn, known))
    problems += _guarded(diagnosis, "links between tables", lambda: _foreign_keys(conn))
    problems += _guarded(diagnosis, "stored values", lambda: _stored_values(conn))
    for index in full_text_indexes(conn):
        problem = _fts_problem(conn, index, readonly)
        if problem is not None:
            diagnosis.damaged_indexes.append(index)
            problems.append(f"damaged: the search index {index}: {problem}")
    counts = _counts_problem(conn)
    if counts is not None:
        diagnosis.damaged_indexes.append("counts")
        problems.append(counts)
    if readonly:
        diagnosis.unchecked.append(
            "the archive is read-only: whether the search indexes agree with their tables"
            " was not checked"
        )
    problems += _guarded(diagnosis, "highlight ranges", lambda: _highlight_ranges(conn))
    return diagnosis
