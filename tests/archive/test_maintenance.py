"""check, backup and settings against a real archive file."""

from __future__ import annotations

import sqlite3

import pytest

from reader.archive import Archive, ArchiveError


def test_check_finds_an_index_out_of_step(archive: Archive, page) -> None:
    article_id = archive.add_article(*page())
    assert archive.check() == []
    # Change the text behind the FTS index's back (the trigger only fires on its columns
    # when they are named in an UPDATE, so disable it for this one write).
    archive.conn.execute("DROP TRIGGER articles_fts_update")
    archive.conn.execute("UPDATE articles SET text = 'something else' WHERE id = ?", (article_id,))
    problems = archive.check()
    assert any("articles_fts" in p for p in problems)
    archive.rebuild_search_index()
    assert archive.check() == []


def test_check_finds_a_highlight_outside_its_text(archive: Archive, page) -> None:
    article_id = archive.add_article(*page())
    annotation = archive.add_highlight(article_id, 0, 5)
    archive.conn.execute('UPDATE annotations SET "end" = 10000 WHERE id = ?', (annotation,))
    assert archive.check() == [
        f"annotation {annotation} of article {article_id} lies outside its text"
    ]


def test_backup_is_a_whole_archive(archive: Archive, page, tmp_path) -> None:
    article_id = archive.add_article(*page(), tags=["t"])
    dest = archive.backup(tmp_path / "copy.db")
    with Archive(dest) as copy:
        assert copy.get_article(article_id).tags == ("t",)
        assert copy.check() == []
    assert not list(tmp_path.glob(".copy.db.partial"))


def test_backup_to_an_unwritable_place_is_one_line(archive: Archive, tmp_path) -> None:
    dest = tmp_path / "no" / "such" / "folder" / "copy.db"
    with pytest.raises(ArchiveError, match=r"copy\.db"):
        archive.backup(dest)
    assert not list(dest.parent.parent.parent.glob("**/.copy.db.partial"))


def test_check_of_a_read_only_archive_reports_no_false_problem(archive_path, page) -> None:
    with Archive(archive_path) as archive:
        archive.add_article(*page())
    with Archive(archive_path, readonly=True) as archive:
        assert archive.check() == []


def test_settings(archive: Archive) -> None:
    assert archive.get_setting("theme") is None
    assert archive.get_setting("theme", "textual-dark") == "textual-dark"
    archive.set_setting("theme", "nord")
    archive.set_setting("theme", "gruvbox")
    assert archive.get_setting("theme") == "gruvbox"


def test_migration_from_an_empty_file_and_a_newer_schema(tmp_path) -> None:
    from reader.archive import SCHEMA_VERSION, MigrationError

    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    try:
        Archive(path)
    except MigrationError as error:
        assert "newer than this reader" in str(error)
    else:
        raise AssertionError("a newer archive opened")
