"""The archive's schema and its migrations.

The version lives in `PRAGMA user_version`. Migrations run in order, each inside one
transaction, after the file has been copied to `<archive>.bak-v<N>` (N: the version it
had), so a failed migration leaves the original untouched and a backup beside it.
Never edit a migration that has shipped; add another.

A migration is a list of steps, each an SQL statement or a function given the
migrating connection as a sqlite-utils Database, for what sqlite-utils says shorter:
`db["articles"].add_column("name", str)`, `create(...)`, or `transform` (below) for
what ALTER TABLE cannot do. Both kinds run in the migration's one transaction.

The first schema (v1) stays SQL, as it shipped: what every archive already has, and
what sqlite-utils cannot say (a UNIQUE COLLATE NOCASE column, a WITHOUT ROWID table,
an index on an expression, FTS5's prefix indexes, an update trigger that fires only
for the indexed columns; sqlite-utils' enable_fts makes one that fires on any change).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

FTS_TOKENIZE = "unicode61 remove_diacritics 2"

# One step of a migration: SQL, or a function of the migrating connection.
Step = str | Callable[["sqlite_utils.Database"], Any]

# The triggers that keep each full-text index in step with its table. Named apart from
# _V1 because a migration that rebuilds one of these tables (`transform` below) must
# create them again: SQLite drops a table's triggers with the table.
_ARTICLES_FTS_TRIGGERS = [
    # Only the indexed columns fire the update trigger: saving the reading position
    # must not rewrite a 10,000-word article's index entries.
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, byline, site_name, text, tag_names)
        VALUES (new.id, new.title, new.byline, new.site_name, new.text, new.tag_names);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, byline, site_name, text, tag_names)
        VALUES ('delete', old.id, old.title, old.byline, old.site_name, old.text, old.tag_names);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update
    AFTER UPDATE OF title, byline, site_name, text, tag_names ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, byline, site_name, text, tag_names)
        VALUES ('delete', old.id, old.title, old.byline, old.site_name, old.text, old.tag_names);
        INSERT INTO articles_fts(rowid, title, byline, site_name, text, tag_names)
        VALUES (new.id, new.title, new.byline, new.site_name, new.text, new.tag_names);
    END
    """,
]
_ANNOTATIONS_FTS_TRIGGERS = [
    """
    CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_fts(rowid, exact, note) VALUES (new.id, new.exact, new.note);
    END
    """,
    """
    CREATE TRIGGER annotations_fts_delete AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note)
        VALUES ('delete', old.id, old.exact, old.note);
    END
    """,
    """
    CREATE TRIGGER annotations_fts_update AFTER UPDATE OF exact, note ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note)
        VALUES ('delete', old.id, old.exact, old.note);
        INSERT INTO annotations_fts(rowid, exact, note) VALUES (new.id, new.exact, new.note);
    END
    """,
]
FTS_TRIGGERS = {"articles": _ARTICLES_FTS_TRIGGERS, "annotations": _ANNOTATIONS_FTS_TRIGGERS}

_V1: list[Step] = [
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT,
        title TEXT NOT NULL DEFAULT '',
        byline TEXT,
        site_name TEXT,
        published TEXT,
        lang TEXT,
        excerpt TEXT,
        word_count INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        read_at TEXT,
        archived_at TEXT,
        starred INTEGER NOT NULL DEFAULT 0,
        progress REAL NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0,
        extractor TEXT,
        blocks TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL DEFAULT '',
        -- Tag names joined by spaces, kept in step by the tag code, so that the
        -- articles FTS index can cover tags without a join.
        tag_names TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX articles_url ON articles(url)",
    # The library's default order, covering what its filters read (state, dates, lang,
    # site): an article row holds its whole text, so a filter that had to read rows
    # would touch one page per article; this walks a few MB of index instead. `id`
    # right after added_at gives the list's full order (added_at DESC, id DESC).
    """
    CREATE INDEX articles_added ON articles(
        added_at, id, starred, read_at, archived_at, published, lang, site_name, url
    )
    """,
    "CREATE INDEX articles_published ON articles(coalesce(published, added_at))",
    "CREATE INDEX articles_title ON articles(title COLLATE NOCASE)",
    # Covers the sidebar's counts (all, unread, starred, archived) and is:starred
    # newest first, so they read a small index instead of every article's row.
    "CREATE INDEX articles_state ON articles(starred, archived_at, read_at, added_at)",
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        filename TEXT,
        kind TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        saved_at TEXT,
        url TEXT,
        raw BLOB NOT NULL -- zlib-compressed original bytes
    )
    """,
    "CREATE INDEX sources_article ON sources(article_id)",
    "CREATE INDEX sources_sha256 ON sources(sha256)",
    """
    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    )
    """,
    """
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX article_tags_tag ON article_tags(tag_id, article_id)",
    """
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER,          -- offsets into articles.text; NULL for an article note
        "end" INTEGER,
        exact TEXT NOT NULL DEFAULT '',
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL DEFAULT 'yellow',
        orphaned INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX annotations_article ON annotations(article_id, start)",
    "CREATE INDEX annotations_updated ON annotations(updated_at)",
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    # prefix='2 3': `ab*`/`abc*` read one precomputed doclist instead of merging every
    # word that starts so (10 s -> 30 ms at 100,000 articles), for ~1.8x the index size.
    f"""
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, byline, site_name, text, tag_names,
        content='articles', content_rowid='id', tokenize='{FTS_TOKENIZE}',
        prefix='2 3'
    )
    """,
    *_ARTICLES_FTS_TRIGGERS,
    f"""
    CREATE VIRTUAL TABLE annotations_fts USING fts5(
        exact, note, content='annotations', content_rowid='id', tokenize='{FTS_TOKENIZE}'
    )
    """,
    *_ANNOTATIONS_FTS_TRIGGERS,
]

# MIGRATIONS[i] takes an archive from version i to version i + 1.
MIGRATIONS: list[list[Step]] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)


class MigrationError(Exception):
    """The archive could not be brought up to date; the original file is untouched."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.bak-v{version}")


def migrate(conn: sqlite3.Connection, path: Path | None, target: int | None = None) -> int:
    """Bring the archive at `conn` (file `path`, None in memory or for a file that needs
    no copy kept) up to `target` (by default SCHEMA_VERSION: this program's).

    Returns the version it had. Raises MigrationError for an archive newer than this
    program, or when a migration fails (its transaction is rolled back).
    """
    target = SCHEMA_VERSION if target is None else target
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise MigrationError(
            f"{path}: archive schema v{version} is newer than this reader (v{SCHEMA_VERSION});"
            " upgrade reader"
        )
    if version >= target:
        return version
    if version > 0 and path is not None:
        _copy_before_migrating(conn, path, version)
    # SQLite's recipe for schema changes: a rebuilt table (create, copy, drop, rename)
    # must not cascade its drop onto the rows that refer to it, so foreign keys are off
    # (which only takes effect outside a transaction) and checked before each commit.
    enforced = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for step in range(version, target):
            _migrate_to(conn, path, step + 1)
    finally:
        if enforced:
            conn.execute("PRAGMA foreign_keys = ON")
    return version


def _migrate_to(conn: sqlite3.Connection, path: Path | None, version: int) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
        # Another process opening the same archive (two imports started at once on a
        # new file) may have run this migration while we waited for the write lock.
        if schema_version(conn) >= version:
            conn.execute("COMMIT")
            return
        for step in MIGRATIONS[version - 1]:
            _run(conn, step)
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise sqlite3.IntegrityError(f"{broken[0]} row {broken[1]} points to no {broken[2]}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise MigrationError(f"{path}: migration to schema v{version} failed: {error}") from error


def _run(conn: sqlite3.Connection, step: Step) -> None:
    if isinstance(step, str):
        conn.execute(step)
        return
    # Imported only when a migration has such a step: it costs start-up time.
    import sqlite_utils

    # The connection as the archive set it up: no pragma of sqlite-utils' own, and
    # no sqlite-utils plugin that happens to be installed.
    step(sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False))


def transform(db: sqlite_utils.Database, table: str, **changes: Any) -> None:
    """sqlite-utils' `Table.transform(**changes)` of `table` (new column types, order,
    defaults, renamed or dropped columns), then the table's full-text triggers again,
    which SQLite dropped with the old table. A migration that renames or drops an
    indexed column writes its own triggers (and index) instead."""
    db.table(table).transform(**changes)
    for statement in FTS_TRIGGERS.get(table, ()):
        db.execute(statement)


def _copy_before_migrating(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """A consistent copy of the archive (WAL included) via SQLite's backup API."""
    dest = backup_path(path, version)
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
