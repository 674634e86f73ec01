"""What the `counts` table (schema v2 on) should hold, counted from the tables: `reader
check` compares, a rebuild (`reader check --repair`, a recovery, the v2 migration) sets
them from this. The triggers that keep them in step are in schema.py."""

from __future__ import annotations

import sqlite3

_COUNT_NAMES = ("all", "unread", "starred", "archived", "annotated")

# What each count is, counted: `reader check` compares, a rebuild sets them from this.
COUNTS_SQL = (
    "SELECT count(*), count(*) - count(read_at), coalesce(sum(starred != 0), 0),"
    " count(archived_at), (SELECT count(DISTINCT article_id) FROM annotations) FROM articles"
)


TAG_COUNTS_SQL = "SELECT 'tag:' || tag_id, count(*) FROM article_tags GROUP BY tag_id"


MISSING_COUNT_SQL = "SELECT count(*) FROM missing_pages"


def counted(conn: sqlite3.Connection) -> dict[str, int]:
    """What `counts` should hold, counted from the tables (a pass over every index).
    The count of missing pages is one from v3 on (v2's migration fills counts too)."""
    values = conn.execute(COUNTS_SQL).fetchone()
    found = {
        **dict(zip(_COUNT_NAMES, values, strict=True)),
        **dict(conn.execute(TAG_COUNTS_SQL).fetchall()),
    }
    if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'missing_pages'").fetchone():
        found["missing"] = int(conn.execute(MISSING_COUNT_SQL).fetchone()[0])
    return found


def refill_counts(conn: sqlite3.Connection) -> None:
    """Set `counts` from the tables (in the caller's transaction)."""
    conn.execute("DELETE FROM counts")
    conn.executemany("INSERT INTO counts(name, n) VALUES (?, ?)", list(counted(conn).items()))
