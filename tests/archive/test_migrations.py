"""Schema migrations: an archive of the first released schema opens with its data intact,
and a migration that fails leaves the original file as it was, with a backup beside it."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from pathlib import Path

import pytest

from reader.archive import Archive, MigrationError, schema
from reader.archive.schema import MIGRATIONS, SCHEMA_VERSION, backup_path


def make_v1_archive(path: Path) -> None:
    """An archive as schema v1 (the first released) wrote it, built with plain SQL."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    text = "An old article.\n\nIts second paragraph."
    blocks = '[{"kind": "paragraph", "text": "An old article."},'
    blocks += ' {"kind": "paragraph", "text": "Its second paragraph."}]'
    conn.execute(
        "INSERT INTO articles(id, url, title, added_at, updated_at, starred, progress, position,"
        " blocks, text, word_count, tag_names)"
        " VALUES (1, 'https://old.example/a', 'Old – title', '2024-01-01T00:00:00+00:00',"
        " '2024-01-01T00:00:00+00:00', 1, 0.5, 16, ?, ?, 6, 'kept')",
        (blocks, text),
    )
    raw = b"<p>An old article.</p><p>Its second paragraph.</p>"
    conn.execute(
        "INSERT INTO sources(article_id, filename, kind, sha256, size, raw)"
        " VALUES (1, 'old.html', 'html', ?, ?, ?)",
        (hashlib.sha256(raw).hexdigest(), len(raw), zlib.compress(raw)),
    )
    conn.execute("INSERT INTO tags(id, name) VALUES (1, 'kept')")
    conn.execute("INSERT INTO article_tags VALUES (1, 1)")
    conn.execute(
        'INSERT INTO annotations(article_id, start, "end", exact, prefix, suffix, note, color,'
        " created_at, updated_at) VALUES (1, 3, 6, 'old', 'An ', ' article.', 'a note', 'blue',"
        " '2024-01-02', '2024-01-02')"
    )
    conn.commit()
    conn.close()


def make_current_archive(path: Path) -> None:
    """A v1 archive brought up to this reader's schema (the start of the tests below,
    which add a migration after the last)."""
    make_v1_archive(path)
    Archive(path).close()
    backup_path(path, 1).unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_first_schema_opens_with_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    make_v1_archive(path)
    with Archive(path) as archive:
        article = archive.get_article(1)
        assert article.title == "Old – title" and article.starred and article.tags == ("kept",)
        assert (article.position, article.progress) == (16, 0.5)
        (highlight,) = archive.annotations_for(1)
        assert article.text[highlight.start : highlight.end] == "old"
        assert highlight.note == "a note" and highlight.color == "blue"
        assert archive.original_of(1).data.startswith(b"<p>An old article.")
        assert [h.article.id for h in archive.search("second paragraph")] == [1]
        assert archive.check() == []


def test_failed_migration_leaves_the_original_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "archive.db"
    make_current_archive(path)
    before = path.read_bytes()
    broken = [*MIGRATIONS, ["ALTER TABLE articles ADD COLUMN shiny TEXT", "THIS IS NOT SQL"]]
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(broken))
    with pytest.raises(MigrationError, match=f"schema v{len(broken)} failed"):
        schema.migrate(sqlite3.connect(path, isolation_level=None), path)
    assert path.read_bytes() == before
    assert backup_path(path, SCHEMA_VERSION).exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
        assert "shiny" not in columns


def migrate_with(monkeypatch: pytest.MonkeyPatch, *steps: schema.Step) -> int:
    """Make `steps` the next migration; returns the version it leads to."""
    migrations = [*MIGRATIONS, list(steps)]
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(migrations))
    return len(migrations)


def test_a_sqlite_utils_step_runs_inside_the_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "archive.db"
    make_current_archive(path)
    before = path.read_bytes()
    version = migrate_with(
        monkeypatch, lambda db: db.table("articles").add_column("shiny", str), "THIS IS NOT SQL"
    )
    with pytest.raises(MigrationError, match=f"schema v{version} failed"):
        Archive(path)
    assert path.read_bytes() == before
    assert backup_path(path, SCHEMA_VERSION).exists()
    with sqlite3.connect(path) as conn:
        assert "shiny" not in [row[1] for row in conn.execute("PRAGMA table_info(articles)")]


def test_a_rebuilt_articles_table_keeps_its_rows_index_and_cascades(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page
) -> None:
    path = tmp_path / "archive.db"
    make_current_archive(path)
    version = migrate_with(
        monkeypatch,
        lambda db: schema.transform(db, "articles", column_order=["id", "title", "url"]),
        lambda db: db.table("articles").add_column("reading_minutes", int),
    )
    with Archive(path) as archive:
        assert archive.conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert archive.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        columns = [row[1] for row in archive.conn.execute("PRAGMA table_info(articles)")]
        assert columns[:3] == ["id", "title", "url"] and columns[-1] == "reading_minutes"
        article = archive.get_article(1)
        assert article.title == "Old – title" and article.tags == ("kept",)
        assert archive.annotations_for(1)[0].note == "a note"
        assert archive.check() == []
        # The full-text triggers were made again: a new title is found, the old one not.
        renamed, _ = page("Renamed sailing", ("An old article.", "Its second paragraph."))
        archive.update_article(1, renamed)
        assert archive.count("sailing") == 1 and archive.count("title") == 0
        assert archive.delete_article(1)
        for table in ("sources", "article_tags", "annotations"):
            assert archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert archive.check() == []
    assert backup_path(path, SCHEMA_VERSION).exists()


def test_a_migration_that_breaks_a_foreign_key_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "archive.db"
    make_current_archive(path)
    # Foreign keys are off while migrating, so this delete cascades nowhere.
    version = migrate_with(monkeypatch, "DELETE FROM articles WHERE id = 1")
    with pytest.raises(MigrationError, match=f"schema v{version} failed: .* points to no articles"):
        Archive(path)
    with Archive(path, readonly=True) as archive:
        assert archive.get_article(1) is not None
