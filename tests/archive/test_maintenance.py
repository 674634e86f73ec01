"""check, merging the search indexes, backup and settings against a real archive file."""

from __future__ import annotations

import sqlite3

import pytest

from reader.archive import Archive, ArchiveError, ReadOnlyError, maintenance


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


def _imported_one_by_one(archive: Archive, page, n: int = 12) -> None:
    """`n` articles, each its own transaction: each leaves the index a segment of its own."""
    for i in range(n):
        paragraphs = (f"alpha word{i} common text.", "beta gamma delta.")
        archive.add_article(*page(f"Title {i}", paragraphs, url=f"https://example.com/{i}"))
    archive.add_highlight(1, 0, 5, note="alpha in a note")


SEARCHES = ["alpha", "word3", '"beta gamma"', "common -word5", "wor*", "title:title"]


def _found(archive: Archive) -> dict[str, list[int]]:
    return {q: [hit.article.id for hit in archive.search(q, limit=100)] for q in SEARCHES}


def test_merging_the_search_indexes_keeps_every_match(
    archive: Archive, page, monkeypatch: pytest.MonkeyPatch
) -> None:
    _imported_one_by_one(archive, page)
    found = _found(archive)
    assert all(found.values())
    monkeypatch.setattr(maintenance, "MERGE_STEP_PAGES", 1)  # a page a step
    merged: list[str] = []
    assert archive.merge_search_indexes(merged.append) == len(merged) > 1
    assert "articles_fts" in merged
    assert _found(archive) == found
    assert archive.check() == []
    assert archive.merge_search_indexes() == 0  # one piece each: nothing left to do


def test_an_interrupted_merge_keeps_its_steps_and_goes_on(
    archive: Archive, page, monkeypatch: pytest.MonkeyPatch
) -> None:
    _imported_one_by_one(archive, page)
    found = _found(archive)
    monkeypatch.setattr(maintenance, "MERGE_STEP_PAGES", 1)

    def interrupt(index: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        archive.merge_search_indexes(interrupt)
    assert archive.check() == [] and _found(archive) == found
    assert archive.merge_search_indexes() >= 1  # from where it stopped
    assert archive.merge_search_indexes() == 0
    assert _found(archive) == found


def test_a_read_only_archive_is_not_merged(archive_path, page) -> None:
    with Archive(archive_path) as archive:
        _imported_one_by_one(archive, page, 3)
    with Archive(archive_path, readonly=True) as archive, pytest.raises(ReadOnlyError):
        archive.merge_search_indexes()
