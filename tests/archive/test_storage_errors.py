"""A full disk, a read-only archive and a missing folder: one clear line, nothing lost."""

from __future__ import annotations

import pytest

from reader.archive import Archive, ArchiveError


def test_full_disk_keeps_what_was_saved(archive: Archive, page) -> None:
    kept = archive.add_article(*page(url="https://e.com/kept"))
    # SQLite reports SQLITE_FULL once the file may not grow: the same path as a full disk.
    (pages,) = archive.conn.execute("PRAGMA page_count").fetchone()
    archive.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    big = tuple(f"paragraph {i} " + "word " * 200 for i in range(200))
    with pytest.raises(ArchiveError, match="disk is full"):
        archive.add_article(*page("Too big", big, url="https://e.com/big"))
    assert archive.iter_article_ids() == [kept]
    assert archive.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    assert archive.check() == []


def test_read_only_archive_reads_and_refuses_writes(archive_path, page) -> None:
    with Archive(archive_path) as archive:
        article_id = archive.add_article(*page())
    with Archive(archive_path, readonly=True) as archive:
        assert archive.get_article(article_id) is not None
        assert archive.count("paragraph") == 1
        with pytest.raises(ArchiveError, match="read-only"):
            archive.set_starred(article_id, True)
    with Archive(archive_path) as archive:
        assert not archive.get_summary(article_id).starred


def test_missing_folder(tmp_path) -> None:
    with pytest.raises(ArchiveError, match="cannot open the archive file"):
        Archive(tmp_path / "no" / "such" / "archive.db")
