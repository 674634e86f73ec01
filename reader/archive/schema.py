"""The archive's schema and its migrations.

The version lives in `PRAGMA user_version`. Migrations run in order, each inside one
transaction, after the file has been copied to `<archive>.bak-v<N>` (N: the version it
had), so a failed migration leaves the original untouched and a backup beside it.
A migration is a list of SQL statements; never edit one that has shipped, add another.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

FTS_TOKENIZE = "unicode61 remove_diacritics 2"

_V1 = [
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
    f"""
    CREATE VIRTUAL TABLE annotations_fts USING fts5(
        exact, note, content='annotations', content_rowid='id', tokenize='{FTS_TOKENIZE}'
    )
    """,
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

# MIGRATIONS[i] takes an archive from version i to version i + 1.
MIGRATIONS: list[list[str]] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)


class MigrationError(Exception):
    """The archive could not be brought up to date; the original file is untouched."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.bak-v{version}")


def migrate(conn: sqlite3.Connection, path: Path | None) -> int:
    """Bring the archive at `conn` (file `path`, None in memory) up to SCHEMA_VERSION.

    Returns the version it had. Raises MigrationError for an archive newer than this
    program, or when a migration fails (its transaction is rolled back).
    """
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise MigrationError(
            f"{path}: archive schema v{version} is newer than this reader (v{SCHEMA_VERSION});"
            " upgrade reader"
        )
    if version == SCHEMA_VERSION:
        return version
    if version > 0 and path is not None:
        _copy_before_migrating(conn, path, version)
    for target in range(version, SCHEMA_VERSION):
        try:
            conn.execute("BEGIN IMMEDIATE")
            # Another process opening the same archive (two imports started at once on a
            # new file) may have run this migration while we waited for the write lock.
            if schema_version(conn) > target:
                conn.execute("COMMIT")
                continue
            for statement in MIGRATIONS[target]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target + 1}")
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(
                f"{path}: migration to schema v{target + 1} failed: {error}"
            ) from error
    return version


def _copy_before_migrating(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """A consistent copy of the archive (WAL included) via SQLite's backup API."""
    dest = backup_path(path, version)
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
