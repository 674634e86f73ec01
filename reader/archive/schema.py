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

from reader.archive.counting import (
    COUNTS_TRIGGERS,
    HOST_COUNTS_TRIGGERS,
    MISSING_COUNT_TRIGGERS,
    SITE_COUNTS_TRIGGERS,
    SITE_EXPRESSION,
    counted,
    counts_triggers,
    refill_counts,
    refill_host_counts,
    refill_site_counts,
)
from reader.archive.fts import META_COLUMNS, META_INDEX

if TYPE_CHECKING:
    import sqlite_utils

# Where callers found them before counting.py.
__all__ = ["SITE_EXPRESSION", "counted", "refill_counts"]

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
# v9's index of the metadata alone: the update trigger fires for its columns only, so
# that a re-extracted text does not rewrite it.
_ARTICLES_META_FTS_TRIGGERS = [
    """
    CREATE TRIGGER articles_meta_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_meta_fts(rowid, title, byline, site_name, tag_names)
        VALUES (new.id, new.title, new.byline, new.site_name, new.tag_names);
    END
    """,
    """
    CREATE TRIGGER articles_meta_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_meta_fts(articles_meta_fts, rowid, title, byline, site_name, tag_names)
        VALUES ('delete', old.id, old.title, old.byline, old.site_name, old.tag_names);
    END
    """,
    """
    CREATE TRIGGER articles_meta_fts_update
    AFTER UPDATE OF title, byline, site_name, tag_names ON articles BEGIN
        INSERT INTO articles_meta_fts(articles_meta_fts, rowid, title, byline, site_name, tag_names)
        VALUES ('delete', old.id, old.title, old.byline, old.site_name, old.tag_names);
        INSERT INTO articles_meta_fts(rowid, title, byline, site_name, tag_names)
        VALUES (new.id, new.title, new.byline, new.site_name, new.tag_names);
    END
    """,
]
FTS_TRIGGERS = {
    "articles": [*_ARTICLES_FTS_TRIGGERS, *_ARTICLES_META_FTS_TRIGGERS],
    "annotations": _ANNOTATIONS_FTS_TRIGGERS,
}

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


# v2: the text stored once, counts kept as rows change, sort:published indexed.
# - An article's blocks hold their structure over its text (kinds, lengths, marks), no
#   longer a second copy of it: rewritten in batches before the migration's transaction
#   (`_store_text_once`), since a 25 GB archive cannot be rewritten in one.
# - The full-text tables are declared with content="articles" (double quotes), the form
#   sqlite-utils' and Datasette's detect_fts recognise. Only the declaration's quoting
#   changes (the same value to FTS5, nothing on disk), so it is edited in place
#   (SQLite's recipe for such changes: writable_schema, then a new schema cookie)
#   rather than rebuilt, which would rewrite a 10 GB index in one transaction.
# - `counts` holds the sidebar's counts, kept by triggers: reading them costs the same
#   at 10 articles and at a million (counting took 100 ms and more at 1M).
# - (published, added_at) serves sort:published newest first without a sort.
def _declare_fts_content_quoted(db: sqlite_utils.Database) -> None:
    conn = db.conn
    (cookie,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for table in ("articles", "annotations"):
            conn.execute(
                "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ?",
                (f"content='{table}'", f'content="{table}"', f"{table}_fts"),
            )
        conn.execute(f"PRAGMA schema_version = {int(cookie) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


# Tables made from the others (like the full-text indexes): a recovery fills them
# again instead of copying them.
DERIVED_TABLES = ("counts", "site_counts", "article_hosts", "host_counts")


def _fill_counts(db: sqlite_utils.Database) -> None:
    refill_counts(db.conn)


_V2: list[Step] = [
    _declare_fts_content_quoted,
    "CREATE TABLE counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    _fill_counts,
    *COUNTS_TRIGGERS,
    # Covering what the library's filters read, as articles_added does.
    """
    CREATE INDEX articles_published_added ON articles(
        published, added_at, id, starred, read_at, archived_at, lang, site_name, url
    )
    """,
    "DELETE FROM settings WHERE key = 'migration.backup'",
]

# v3: articles known before their page is here (#21), and matching by URL.
# - `missing_pages` lists the articles made from an export's entry with no page (their
#   user data, their highlights as quotes), until a page fills them. A table of its own
#   rather than a column: a column added to `articles` sits after the text, and reading
#   it for a list row would walk the text's overflow pages; a probe here is one lookup.
# - `url_keys` holds every URL an article is known by (its canonical URL, the URL it was
#   saved from, an export's URL), as `reader.urls.url_key` makes them: a page matches an
#   article when a key is shared. Filled for existing articles in batches before the
#   migration's transaction (`_key_urls`).
_URL_KEYS_TABLE = """
    CREATE TABLE IF NOT EXISTS url_keys (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        PRIMARY KEY (article_id, key)
    ) WITHOUT ROWID
"""
_V3: list[Step] = [
    _URL_KEYS_TABLE,
    # Keyed by article first (a recovery walks tables by an integer key), found by key.
    "CREATE INDEX IF NOT EXISTS url_keys_key ON url_keys(key, article_id)",
    """
    CREATE TABLE missing_pages (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
    )
    """,
    "INSERT INTO counts(name, n) VALUES ('missing', 0)",
    *MISSING_COUNT_TRIGGERS,
    "DELETE FROM settings WHERE key = 'migration.backup'",
]


def _tag_from_notes(db: sqlite_utils.Database) -> None:
    """v4: the `#words` already in highlights' notes become their tags (Readwise's tags
    came in as such words, #21). Only notes with a `#` are read."""
    from reader.hashtags import note_tags

    rows = db.conn.execute(
        "SELECT id, note FROM annotations WHERE start IS NOT NULL AND instr(note, '#') > 0"
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO highlight_tags(annotation_id, name) VALUES (?, ?)",
        [(annotation_id, name) for annotation_id, note in rows for name in note_tags(note)],
    )


# v4: highlight tags (#22), apart from the article's tags (the sidebar neither lists nor
# counts them). Keyed by annotation first (a recovery walks tables by an integer key),
# found by name (htag:, the all-highlights view's filter); a highlight's deletion takes
# its tags. color: tests an article id against its highlights of a colour, as
# is:annotated does against all of them: an index by (color, article_id) serves it.
_V4: list[Step] = [
    """
    CREATE TABLE highlight_tags (
        annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (annotation_id, name)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX highlight_tags_name ON highlight_tags(name, annotation_id)",
    _tag_from_notes,
    # With start: an article note has a colour column too, and is no highlight of it.
    "CREATE INDEX annotations_color ON annotations(color, article_id, start)",
]

# v5: the pictures a page brought (#23, #24): a "Webpage, Complete" save's `X_files/`.
# - `images` keeps each picture once per archive, found by the SHA-256 of the bytes
#   reader encoded (never the page's own bytes).
# - `article_images` maps the path the page named a picture by to its row; keyed by
#   article first (a recovery walks tables by an integer key), found by image for the
#   trigger that removes a picture with the last mapping to it (an article deleted,
#   its pictures replaced): nothing is kept that no article shows.
_V5: list[Step] = [
    """
    CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        media_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL
    )
    """,
    """
    CREATE TABLE article_images (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        src TEXT NOT NULL,
        image_id INTEGER NOT NULL REFERENCES images(id),
        PRIMARY KEY (article_id, src)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX article_images_image ON article_images(image_id, article_id)",
    """
    CREATE TRIGGER images_unused AFTER DELETE ON article_images
    WHEN NOT EXISTS (SELECT 1 FROM article_images WHERE image_id = old.image_id) BEGIN
        DELETE FROM images WHERE id = old.image_id;
    END
    """,
]

# v6: reading at a glance (#24). Measured on the 225k-article bench archive
# (bench/stats.py): the reading time of every read article summed 193 ms by reading
# each row (an article row holds its whole text) and 3 ms from `articles_read`; the top
# sites 126 ms over articles_added and 14 ms from `articles_site`. On a 250k archive
# (42k annotations) the highlights per week took 16 ms reading every annotation's row
# and 0.5 ms from `annotations_created`.
_V6: list[Step] = [
    "CREATE INDEX articles_read ON articles(read_at, word_count) WHERE read_at IS NOT NULL",
    f"CREATE INDEX articles_site ON articles({SITE_EXPRESSION})",
    "CREATE INDEX annotations_created ON annotations(created_at) WHERE start IS NOT NULL",
]


def _fill_site_counts(db: sqlite_utils.Database) -> None:
    refill_site_counts(db.conn)


# v7: the top sites from counts kept by triggers (counting.py), as the tags' are: the
# GROUP BY over `articles_site` reads one index entry per article (36 ms of
# reading_stats' 48 at 250k articles, ~150-200 ms expected at 1M). Rows at 0 are
# removed; (n DESC, site) gives the top k in the stats' order without a sort.
_V7: list[Step] = [
    "CREATE TABLE site_counts (site TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    _fill_site_counts,
    *SITE_COUNTS_TRIGGERS,
    "CREATE INDEX site_counts_top ON site_counts(n DESC, site)",
]


def _fill_host_counts(db: sqlite_utils.Database) -> None:
    refill_host_counts(db.conn)


# v8: row filters that meet the full-text index cheaply (#20). Measured at 250,000
# articles (bench/search.py): a word with site: read the row of each of the word's
# matches to work out its URL's host (1.1 s CPU for a word in 60,000 articles), lang:
# and before: likewise (166 ms); site: alone worked out 250,000 hosts (336 ms CPU).
# - `article_hosts` and `host_counts` (counting.py, kept by triggers): site:example.com
#   finds the hosts it matches in host_counts, their articles in article_hosts, and
#   with `articles_site_name` those of that site name: a set of ids, made once a query.
# - `articles_filters`, keyed by id, covers what lang:, before:/after: and is: read: a
#   full-text match is tested in a narrow index (a page holds ~50 articles) instead of
#   its row (a page, or more, an article).
# Indexes and tables made from the others, no row rewritten: one transaction, whose
# CREATE INDEX reads each row's first page, not its text.
_V8: list[Step] = [
    """
    CREATE TABLE article_hosts (
        host TEXT NOT NULL,
        article_id INTEGER NOT NULL,
        PRIMARY KEY (host, article_id)
    ) WITHOUT ROWID
    """,
    "CREATE TABLE host_counts (host TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID",
    _fill_host_counts,
    *HOST_COUNTS_TRIGGERS,
    "CREATE INDEX articles_site_name ON articles(site_name COLLATE NOCASE)",
    """
    CREATE INDEX articles_filters ON articles(
        id, starred, read_at, archived_at, published, added_at, lang
    )
    """,
]

# v9: an index of the title, byline, site name and tags alone (fts.META_INDEX), for the
# walks that look for a query's matches there. Over articles_fts, whose doclists hold
# the text's matches too, such a walk read all of them: at 1,000,000 generated articles
# 36-57 ms for a 4-letter prefix (the expansion and bm25's document count, both over
# every term that begins with it), 70 ms for a word under `before:` and `lang:`; in this
# index 1-9 ms. It holds the same rows (0.16 KB an article), filled from the articles
# by FTS5's 'rebuild' in the migration's transaction (70 s, 44 s of CPU, at 1,000,000).
_V9: list[Step] = [
    # content='articles' in single quotes: sqlite-utils' and Datasette's detect_fts
    # look for content="articles", and the articles' index is articles_fts.
    f"""
    CREATE VIRTUAL TABLE {META_INDEX} USING fts5(
        {", ".join(META_COLUMNS)},
        content='articles', content_rowid='id', tokenize='{FTS_TOKENIZE}',
        prefix='2 3'
    )
    """,
    f"INSERT INTO {META_INDEX}({META_INDEX}) VALUES ('rebuild')",
    *_ARTICLES_META_FTS_TRIGGERS,
]

# MIGRATIONS[i] takes an archive from version i to version i + 1. A table one adds gets
# an empty stand-in for older archives opened read-only (opening.add_stand_ins); an
# index one adds is asked only where it exists (estimates.EstimatedSql._meta_index).
MIGRATIONS: list[list[Step]] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9]
COUNTS_SINCE = 2  # the first version with the `counts` table
SCHEMA_VERSION = len(MIGRATIONS)

# Work a migration does before its transaction, in batches of their own, because it
# rewrites every row: interrupted, it is simply run again and goes on where it stopped.
# By the version it leads to.
BATCHED: dict[int, Callable[[sqlite3.Connection], None]] = {}
BATCH_ROWS = 500


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
    if version > 0 and path is not None and not _backup_made(conn, path, version):
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
    batched = BATCHED.get(version)
    if batched is not None and schema_version(conn) < version:
        try:
            if version > 1 and path is not None:
                # From here on the file is half-migrated: a rerun keeps the backup.
                conn.execute(
                    "INSERT OR REPLACE INTO settings(key, value) VALUES ('migration.backup', ?)",
                    (backup_path(path, version - 1).name,),
                )
            batched(conn)
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(
                f"{path}: migration to schema v{version} failed: {error}"
                " (run reader again to go on where it stopped)"
            ) from error
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
    defaults, renamed or dropped columns), then the table's full-text and counts
    triggers again, which SQLite dropped with the old table. A migration that renames or
    drops an indexed column writes its own triggers (and index) instead."""
    db.table(table).transform(**changes)
    for statement in [*FTS_TRIGGERS.get(table, ()), *counts_triggers(table)]:
        db.execute(statement)


def _backup_made(conn: sqlite3.Connection, path: Path, version: int) -> bool:
    """Whether an interrupted migration already copied the archive as it was before it
    began: a second copy now would be of a half-migrated file."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'migration.backup'").fetchone()
    return (
        row is not None
        and row[0] == backup_path(path, version).name
        and (backup_path(path, version).exists())
    )


def _copy_before_migrating(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """A consistent copy of the archive (WAL included) via SQLite's backup API."""
    dest = backup_path(path, version)
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()


def _store_text_once(conn: sqlite3.Connection) -> None:
    """v2's batched part: each article's blocks in the format that holds no text
    (Document.to_json), BATCH_ROWS articles a transaction, in id order. A row already
    converted is passed over, so a rerun after an interruption goes on from there; a row
    whose blocks do not give back its text exactly is left as it is (the first format
    still reads, and `reader check` names it)."""
    from reader.document import Document

    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, blocks, text FROM articles WHERE id > ? AND substr(blocks, 1, 1) = '['"
            " ORDER BY id LIMIT ?",
            (last, BATCH_ROWS),
        ).fetchall()
        if not rows:
            return
        updates = []
        for article_id, blocks, text in rows:
            try:
                document = Document.from_json(blocks)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                continue
            if document.text == text:
                updates.append((document.to_json(), article_id))
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE articles SET blocks = ? WHERE id = ?", updates)
        conn.execute("COMMIT")
        last = rows[-1][0]


BATCHED[2] = _store_text_once


def _key_urls(conn: sqlite3.Connection) -> None:
    """v3's batched part: the URL keys of every article (its URL, and the URL each of
    its originals was saved from), BATCH_ROWS articles a transaction, in id order. A
    rerun goes on after the last article keyed (keys already there are kept)."""
    from reader.urls import url_keys

    conn.execute(_URL_KEYS_TABLE)
    (last,) = conn.execute("SELECT coalesce(max(article_id), 0) FROM url_keys").fetchone()
    while True:
        rows = conn.execute(
            "SELECT a.id, a.url, (SELECT group_concat(s.url, char(10)) FROM sources s"
            " WHERE s.article_id = a.id) FROM articles a WHERE a.id > ? ORDER BY a.id LIMIT ?",
            (last, BATCH_ROWS),
        ).fetchall()
        if not rows:
            return
        keys = [
            (key, article_id)
            for article_id, url, saved_from in rows
            for key in url_keys(url, *(saved_from or "").split("\n"))
        ]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR IGNORE INTO url_keys(key, article_id) VALUES (?, ?)", keys)
        conn.execute("COMMIT")
        last = rows[-1][0]


BATCHED[3] = _key_urls
