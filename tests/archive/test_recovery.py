"""The recovery's own guarantees, on sound archives (damaged ones: tests/reliability):
an older archive is recovered into its own schema, then brought up to date; a recovery
that cannot finish leaves nothing behind and never replaces a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import Archive, ArchiveError, schema
from reader.archive.recovery import Recovery
from reader.importer.recover import recover_archive


def test_an_older_archive_is_recovered_then_migrated(
    archive_path: Path, page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive(archive_path) as archive:  # written at today's schema
        article_id = archive.add_article(*page(), tags=["kept"])
    today = schema.SCHEMA_VERSION
    newer = [*schema.MIGRATIONS, ["ALTER TABLE articles ADD COLUMN shiny TEXT"]]
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(newer))
    dest = tmp_path / "recovered.db"
    with Archive(archive_path, readonly=True) as source:  # read-only: not migrated
        assert schema.schema_version(source.conn) == today
        report = recover_archive(source, dest)
    assert report.complete
    with Archive(dest) as recovered:
        assert schema.schema_version(recovered.conn) == today + 1
        assert recovered.get_article(article_id).tags == ("kept",)
        assert recovered.conn.execute("SELECT shiny FROM articles").fetchall() == [(None,)]
        assert recovered.check() == []


def test_a_recovery_that_cannot_finish_leaves_nothing_and_replaces_nothing(
    archive_path: Path, page, tmp_path: Path
) -> None:
    with Archive(archive_path) as archive:
        archive.add_article(*page())
    dest = tmp_path / "recovered.db"
    with Archive(archive_path, readonly=True) as source, Recovery(source, dest) as recovery:
        recovery.copy()
        dest.write_bytes(b"made meanwhile")  # by another program
        with pytest.raises(ArchiveError, match="exists"):
            recovery.finish()
    assert dest.read_bytes() == b"made meanwhile"
    assert not list(tmp_path.glob(".recovered.db*"))  # its partial file, -wal and -shm


def test_recovery_reads_only_from_a_read_only_archive(archive_path: Path) -> None:
    with Archive(archive_path) as archive, pytest.raises(ValueError, match="read-only"):
        Recovery(archive, archive_path.with_name("new.db"))
