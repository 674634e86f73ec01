"""Pictures on a real archive file (schema v5): each kept once, mapped from the path the
page named it by, written with the article (or not at all), replaced by a page read
again with its folder, kept by a re-extraction without one, gone with the last article
that shows it; the migration from v4, a read-only v4 archive, a recovery, a backup."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.archive.schema import backup_path, migrate
from reader.cli import main
from reader.models import StoredImage

from .conftest import make_page


def picture(src: str, data: bytes = b"png bytes") -> StoredImage:
    return StoredImage(src, hashlib.sha256(data).hexdigest(), "image/png", 4, 3, data)


def add_with(archive: Archive, title: str, *images: StoredImage) -> int:
    page, raw = make_page(title, url=f"https://example.com/{title}", data=title.encode())
    return archive.add_article(dataclasses.replace(page, images=images), raw)


def test_a_picture_two_pages_show_is_kept_once(archive: Archive) -> None:
    first = add_with(archive, "one", picture("one_files/a.png"), picture("one_files/b.png", b"b"))
    second = add_with(archive, "two", picture("two_files/a.png"))
    assert archive.image_count() == 2
    assert [i.src for i in archive.images_of(first)] == ["one_files/a.png", "one_files/b.png"]
    (shown,) = archive.images_of(second)
    assert (shown.src, shown.data, shown.media_type) == (
        "two_files/a.png",
        b"png bytes",
        "image/png",
    )
    assert archive.check() == []


def test_delete_takes_the_pictures_no_one_else_shows(archive: Archive) -> None:
    first = add_with(archive, "one", picture("a.png"), picture("b.png", b"b"))
    second = add_with(archive, "two", picture("a.png"))
    archive.delete_article(first)
    assert archive.image_count() == 1
    archive.delete_article(second)
    assert archive.image_count() == 0


def test_update_replaces_pictures_only_when_the_page_brings_some(archive: Archive) -> None:
    article_id = add_with(archive, "one", picture("a.png"))
    page, raw = make_page("one again", data=b"one")
    archive.update_article(article_id, page, raw)  # a reindex: no folder, pictures stay
    assert [i.data for i in archive.images_of(article_id)] == [b"png bytes"]
    archive.update_article(article_id, dataclasses.replace(page, images=(picture("c.png", b"c"),)))
    assert [i.src for i in archive.images_of(article_id)] == ["c.png"]
    assert archive.image_count() == 1  # the one no article shows any more is gone


def test_a_failed_write_leaves_no_picture(archive: Archive, monkeypatch) -> None:
    from reader.archive import articles

    def broken(*args: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(articles, "add_keys", broken)  # written after the pictures
    with pytest.raises(RuntimeError):
        add_with(archive, "one", picture("a.png"))
    assert archive.article_count() == 0 and archive.image_count() == 0


def test_check_knows_the_tables(archive: Archive) -> None:
    article_id = add_with(archive, "one", picture("a.png"))
    archive.conn.execute("PRAGMA foreign_keys = OFF")
    archive.conn.execute(
        "INSERT INTO article_images(article_id, src, image_id) VALUES (?, 'stray', 99)",
        (article_id,),
    )
    archive.conn.execute("PRAGMA foreign_keys = ON")
    assert any("article_images" in problem for problem in archive.check())


def make_v4_archive(path: Path) -> None:
    conn = sqlite3.connect(path)
    migrate(conn, None, target=4)
    conn.execute(
        "INSERT INTO articles(id, title, added_at, updated_at, blocks, text)"
        " VALUES (1, 'Old', '2024-01-01', '2024-01-01', ?, 'An old article.')",
        ('{"v": 2, "blocks": [["paragraph", 15]]}',),
    )
    conn.commit()
    conn.close()


def test_migration_from_v4(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    make_v4_archive(path)
    with Archive(path) as archive:
        assert archive.images_of(1) == [] and archive.image_count() == 0
        archive.add_article(*make_page("New", url="https://example.com/new"))
        new = add_with(archive, "pictured", picture("a.png"))
        assert len(archive.images_of(new)) == 1
        assert archive.check() == []
    assert backup_path(path, 4).exists()


def test_a_read_only_v4_archive_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    make_v4_archive(path)
    with Archive(path, readonly=True) as archive:
        assert archive.get_article(1) is not None
        assert archive.images_of(1) == [] and archive.image_count() == 0


def test_recovery_and_backup_keep_the_pictures(archive_path: Path, tmp_path: Path) -> None:
    from reader.importer.recover import recover_archive

    with Archive(archive_path) as archive:
        article_id = add_with(archive, "one", picture("a.png"))
    dest = tmp_path / "recovered.db"
    with Archive(archive_path, readonly=True) as source:
        assert recover_archive(source, dest).complete
    with Archive(dest) as recovered:
        assert [i.src for i in recovered.images_of(article_id)] == ["a.png"]
        assert recovered.check() == []
    copy = tmp_path / "backup.db"
    result = CliRunner().invoke(main, ["--db", str(archive_path), "backup", str(copy)])
    assert result.exit_code == 0, result.output
    with Archive(copy) as backed_up:
        assert [i.data for i in backed_up.images_of(article_id)] == [b"png bytes"]


def test_sizes_without_the_bytes_and_the_bytes_by_digest(archive: Archive) -> None:
    """The reading view opens an article with its pictures' names and sizes only, and
    reads each picture's bytes when it draws it."""
    article_id = add_with(archive, "One", picture("one_files/a.png", b"the bytes"))
    (light,) = archive.images_of(article_id, data=False)
    (full,) = archive.images_of(article_id)
    assert light.data == b"" and full.data == b"the bytes"
    assert (light.src, light.sha256, light.width) == (full.src, full.sha256, full.width)
    assert archive.image_data(full.sha256) == b"the bytes"
    assert archive.image_data("0" * 64) is None
