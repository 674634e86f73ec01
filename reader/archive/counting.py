"""What the `counts` table (schema v2 on), `site_counts` (v7 on) and the hosts (v8 on)
should hold, counted from the tables: `reader check` compares, a rebuild (`reader check
--repair`, a recovery, the v2, v7 and v8 migrations) sets them from this. The triggers
that keep them in step are here too, for the migrations (schema.py) to make."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reader.archive.base import in_schema

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
    if in_schema(conn, "missing_pages"):
        found["missing"] = int(conn.execute(MISSING_COUNT_SQL).fetchone()[0])
    return found


def refill_counts(conn: sqlite3.Connection) -> None:
    """Set `counts`, and `site_counts` and the hosts (`article_hosts`, `host_counts`)
    where the archive has them, from the tables (in the caller's transaction)."""
    conn.execute("DELETE FROM counts")
    conn.executemany("INSERT INTO counts(name, n) VALUES (?, ?)", list(counted(conn).items()))
    if has_site_counts(conn):
        refill_site_counts(conn)
    if has_host_counts(conn):
        refill_host_counts(conn)


# The site an article is from, for the stats' top sites (#24): its site_name, else its
# URL's host (lowercased; `scheme://host[:port]/...`). One text, so that the counting
# query and v6's index `articles_site` are the same expression, which SQLite requires
# to use the index; `row` ("new.", "old.") is for the triggers.
def site_expression(row: str = "") -> str:
    rest = f"substr({row}url, instr({row}url, '://') + 3)"
    host = f"lower(substr({rest}, 1, instr({rest} || '/', '/') - 1))"
    return f"coalesce(nullif({row}site_name, ''), {host})"


SITE_EXPRESSION = site_expression()

# Every article counts, a missing page's too (it has its URL); no site, or '', is none.
SITE_COUNTS_SQL = (
    f"SELECT {SITE_EXPRESSION} AS site, count(*) AS n FROM articles"
    " GROUP BY site HAVING site IS NOT NULL AND site != ''"
)


def has_site_counts(conn: sqlite3.Connection) -> bool:
    return in_schema(conn, "site_counts")


def counted_sites(conn: sqlite3.Connection) -> dict[str, int]:
    """What `site_counts` should hold: a walk of v6's index `articles_site`."""
    return dict(conn.execute(SITE_COUNTS_SQL).fetchall())


def refill_site_counts(conn: sqlite3.Connection) -> None:
    """Set `site_counts` from the articles (in the caller's transaction)."""
    conn.execute("DELETE FROM site_counts")
    conn.execute(f"INSERT INTO site_counts(site, n) {SITE_COUNTS_SQL}")


# The host of a URL, as `site:` compares it (#20): what follows "://" up to the next "/"
# or ":", lowercased, without its port; NULL for a URL without a scheme. One text, so
# that site:'s query and v8's index `articles_host` are the same expression (which
# SQLite requires to use the index); `url` names the column ("a.url", "new.url").
def url_host(url: str = "url") -> str:
    rest = f"substr({url}, instr({url}, '://') + 3)"
    host_port = f"substr({rest}, 1, instr({rest} || '/', '/') - 1)"
    return (
        f"CASE WHEN instr({url}, '://') > 0"
        f" THEN lower(substr({host_port}, 1, instr({host_port} || ':', ':') - 1)) END"
    )


URL_HOST = url_host()

# The host of each article's URL (v8), and each host with its count of articles:
# `site:example.com` finds the hosts it matches in `host_counts` (example.com,
# *.example.com: a LIKE over a few thousand short rows), then their articles in
# `article_hosts`, instead of working out the host of every article's URL. (An index on
# the host expression would not do: SQLite 3.40 neither seeks it for `IN (...)` nor
# reads it without the row.) A host '' (`https:///x`) matches no site: none is kept.
ARTICLE_HOSTS_SQL = (
    f"SELECT {URL_HOST} AS host, id FROM articles WHERE host IS NOT NULL AND host != ''"
)
HOST_COUNTS_SQL = "SELECT host, count(*) AS n FROM article_hosts GROUP BY host"


def has_host_counts(conn: sqlite3.Connection) -> bool:
    return in_schema(conn, "host_counts")


def hosts_problem(conn: sqlite3.Connection) -> bool:
    """Whether `article_hosts` and `host_counts` differ from what the articles say. One
    pass over the URLs, each host worked out once (0.6 s CPU at 250,000 articles)."""
    expected, missing = conn.execute(
        f"WITH x AS MATERIALIZED (SELECT {URL_HOST} AS host, id FROM articles)"
        " SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM article_hosts h"
        " WHERE h.host = x.host AND h.article_id = x.id)), 0) FROM x WHERE x.host != ''"
    ).fetchone()
    (kept,) = conn.execute("SELECT count(*) FROM article_hosts").fetchone()
    if missing or kept != expected:
        return True
    counts = "SELECT host, n FROM host_counts"
    return bool(
        conn.execute(
            f"SELECT 1 FROM ({HOST_COUNTS_SQL} EXCEPT {counts})"
            f" UNION ALL SELECT 1 FROM ({counts} EXCEPT {HOST_COUNTS_SQL}) LIMIT 1"
        ).fetchone()
    )


def refill_host_counts(conn: sqlite3.Connection) -> None:
    """Set `article_hosts` and `host_counts` from the articles (in the caller's
    transaction)."""
    conn.execute("DELETE FROM article_hosts")
    conn.execute(f"INSERT INTO article_hosts(host, article_id) {ARTICLE_HOSTS_SQL}")
    conn.execute("DELETE FROM host_counts")
    conn.execute(f"INSERT INTO host_counts(host, n) {HOST_COUNTS_SQL}")


# Schema v2's triggers that keep `counts` in step as rows change.
COUNTS_TRIGGERS = [
    """
    CREATE TRIGGER counts_article_insert AFTER INSERT ON articles BEGIN
        UPDATE counts SET n = n + CASE name WHEN 'all' THEN 1
            WHEN 'unread' THEN new.read_at IS NULL WHEN 'starred' THEN new.starred != 0
            WHEN 'archived' THEN new.archived_at IS NOT NULL ELSE 0 END
        WHERE name IN ('all', 'unread', 'starred', 'archived');
    END
    """,
    """
    CREATE TRIGGER counts_article_delete AFTER DELETE ON articles BEGIN
        UPDATE counts SET n = n - CASE name WHEN 'all' THEN 1
            WHEN 'unread' THEN old.read_at IS NULL WHEN 'starred' THEN old.starred != 0
            WHEN 'archived' THEN old.archived_at IS NOT NULL ELSE 0 END
        WHERE name IN ('all', 'unread', 'starred', 'archived');
    END
    """,
    """
    CREATE TRIGGER counts_article_update AFTER UPDATE OF read_at, starred, archived_at
    ON articles BEGIN
        UPDATE counts SET n = n + CASE name
            WHEN 'unread' THEN (new.read_at IS NULL) - (old.read_at IS NULL)
            WHEN 'starred' THEN (new.starred != 0) - (old.starred != 0)
            ELSE (new.archived_at IS NOT NULL) - (old.archived_at IS NOT NULL) END
        WHERE name IN ('unread', 'starred', 'archived');
    END
    """,
    # An article counts as annotated from its first annotation to the loss of its last.
    """
    CREATE TRIGGER counts_annotation_insert AFTER INSERT ON annotations
    WHEN (SELECT count(*) FROM annotations WHERE article_id = new.article_id) = 1 BEGIN
        UPDATE counts SET n = n + 1 WHERE name = 'annotated';
    END
    """,
    """
    CREATE TRIGGER counts_annotation_delete AFTER DELETE ON annotations
    WHEN NOT EXISTS (SELECT 1 FROM annotations WHERE article_id = old.article_id) BEGIN
        UPDATE counts SET n = n - 1 WHERE name = 'annotated';
    END
    """,
    # Each tag's count is the row named 'tag:<its id>'.
    """
    CREATE TRIGGER counts_tag_insert AFTER INSERT ON article_tags BEGIN
        INSERT INTO counts(name, n) VALUES ('tag:' || new.tag_id, 1)
        ON CONFLICT(name) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER counts_tag_delete AFTER DELETE ON article_tags BEGIN
        UPDATE counts SET n = n - 1 WHERE name = 'tag:' || old.tag_id;
    END
    """,
    """
    CREATE TRIGGER counts_tag_move AFTER UPDATE OF tag_id ON article_tags BEGIN
        UPDATE counts SET n = n - 1 WHERE name = 'tag:' || old.tag_id;
        INSERT INTO counts(name, n) VALUES ('tag:' || new.tag_id, 1)
        ON CONFLICT(name) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER counts_tag_drop AFTER DELETE ON tags BEGIN
        DELETE FROM counts WHERE name = 'tag:' || old.id;
    END
    """,
]


# Schema v3's: the count of missing pages (articles known from an export, their page not yet here).
MISSING_COUNT_TRIGGERS = [
    """
    CREATE TRIGGER counts_missing_insert AFTER INSERT ON missing_pages BEGIN
        UPDATE counts SET n = n + 1 WHERE name = 'missing';
    END
    """,
    """
    CREATE TRIGGER counts_missing_delete AFTER DELETE ON missing_pages BEGIN
        UPDATE counts SET n = n - 1 WHERE name = 'missing';
    END
    """,
]


def _site_count_change(row: str, change: str) -> str:
    """The statements that add `change` (+ 1, - 1) to the count of `row`'s site; a count
    at 0 is removed (the top sites read the table in order of n, all of it if need be)."""
    site = site_expression(row)
    if change == "+ 1":
        return (
            f"INSERT INTO site_counts(site, n) SELECT {site}, 1 WHERE {site} != ''"
            " ON CONFLICT(site) DO UPDATE SET n = n + 1;"
        )
    return (
        f"UPDATE site_counts SET n = n - 1 WHERE site = {site};"
        f" DELETE FROM site_counts WHERE site = {site} AND n <= 0;"
    )


def _keyed_count_triggers(
    name: str, columns: str, key: Callable[[str], str], change: Callable[[str, str], str]
) -> list[str]:
    """The insert, delete and update triggers on articles that keep the count of each
    `key` (a site, a host) by `change`; the update fires on `columns` only, and only
    when the key changes."""
    return [
        f"""
    CREATE TRIGGER {name}_article_insert AFTER INSERT ON articles BEGIN
        {change("new.", "+ 1")}
    END
    """,
        f"""
    CREATE TRIGGER {name}_article_delete AFTER DELETE ON articles BEGIN
        {change("old.", "- 1")}
    END
    """,
        f"""
    CREATE TRIGGER {name}_article_update AFTER UPDATE OF {columns} ON articles
    WHEN {key("old.")} IS NOT {key("new.")} BEGIN
        {change("old.", "- 1")}
        {change("new.", "+ 1")}
    END
    """,
    ]


# Schema v7's: the count of each site's articles, for the stats' top sites (a GROUP BY
# walked articles_site, one entry per article: 36 ms at 250k). Only the columns the
# site is read from fire the update trigger, and only when the site changes.
SITE_COUNTS_TRIGGERS = _keyed_count_triggers(
    "site_counts", "site_name, url", site_expression, _site_count_change
)


def _host_change(row: str, change: str) -> str:
    """The statements that add `row`'s URL host (+ 1) to `article_hosts` and its count,
    or take it away (- 1); a count at 0 is removed."""
    host = url_host(f"{row}url")
    if change == "+ 1":
        return (
            f"INSERT INTO article_hosts(host, article_id) SELECT {host}, {row}id"
            f" WHERE {host} != '';"
            f" INSERT INTO host_counts(host, n) SELECT {host}, 1 WHERE {host} != ''"
            " ON CONFLICT(host) DO UPDATE SET n = n + 1;"
        )
    return (
        f"DELETE FROM article_hosts WHERE host = {host} AND article_id = {row}id;"
        f" UPDATE host_counts SET n = n - 1 WHERE host = {host};"
        f" DELETE FROM host_counts WHERE host = {host} AND n <= 0;"
    )


# Schema v8's: each article's URL host and each host's count, for site: (only a change
# of the URL's host fires the update trigger; an article's id never changes).
HOST_COUNTS_TRIGGERS = _keyed_count_triggers(
    "host_counts", "url", lambda row: url_host(f"{row}url"), _host_change
)


def counts_triggers(table: str) -> list[str]:
    """The triggers on `table` that keep `counts` and `site_counts` (made again when it
    is rebuilt)."""
    return [
        sql
        for sql in [
            *COUNTS_TRIGGERS,
            *MISSING_COUNT_TRIGGERS,
            *SITE_COUNTS_TRIGGERS,
            *HOST_COUNTS_TRIGGERS,
        ]
        if f" ON {table} " in " ".join(sql.split())
    ]
