"""A read-only archive: opened with mode=ro (immutable where no -wal/-shm can be made),
reads work, and every write is refused in one line before anything is tried.

Tests run as root, which may write anywhere: the permissions are set as a user would
see them, and the choice is forced through `readonly=True` or through what os.access
answers (the real read-only file system is tests/reliability/test_read_only_cli.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.archive import Archive, ArchiveError, ReadOnlyError
from reader.archive.base import storage_error
from reader.archive.opening import must_open_read_only

from ..reliability.damage import digest
from ..reliability.read_only import deny_writes

READ_ONLY = "the archive is read-only; nothing was changed"


@pytest.fixture
def filled(archive_path: Path, page) -> Path:
    with Archive(archive_path) as archive:
        article_id = archive.add_article(*page(), tags=["t"])
        archive.add_highlight(article_id, 0, 5)
    return archive_path


def test_reads_work_and_writes_are_refused_before_trying(filled: Path, page) -> None:
    before = digest(filled)
    with Archive(filled, readonly=True) as archive:
        assert archive.readonly
        [hit] = archive.search("paragraph")
        assert archive.get_article(hit.article.id).tags == ("t",)
        assert archive.check() == []
        writes = [
            lambda: archive.set_starred(hit.article.id, True),
            lambda: archive.add_article(*page(url="https://e.com/new")),
            lambda: archive.add_tags([hit.article.id], ["u"]),
            lambda: archive.add_highlight(hit.article.id, 0, 3),
            lambda: archive.delete_article(hit.article.id),
            lambda: archive.set_setting("theme", "nord"),
            lambda: archive.rebuild_search_index(),
        ]
        for write in writes:
            with pytest.raises(ReadOnlyError) as refused:
                write()
            assert str(refused.value) == f"{filled}: {READ_ONLY}"
    assert digest(filled) == before


def test_a_file_or_folder_the_user_cannot_write_is_opened_read_only(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not must_open_read_only(filled)
    filled.chmod(0o444)
    filled.parent.chmod(0o555)
    try:
        deny_writes(monkeypatch, filled)
        assert must_open_read_only(filled)
        monkeypatch.undo()
        deny_writes(monkeypatch, filled.parent)  # the file itself writable: no -wal, -shm
        assert must_open_read_only(filled)
        with Archive(filled) as archive:
            assert archive.readonly and archive.article_count() == 1
            with pytest.raises(ReadOnlyError, match=READ_ONLY):
                archive.set_read(1, True)
    finally:
        filled.parent.chmod(0o755)
        filled.chmod(0o644)


def test_sqlite_refusing_a_write_on_a_mode_ro_connection_is_the_same_one_line(
    filled: Path,
) -> None:
    """The driver's own refusal (a write that reaches SQLite on a mode=ro connection)
    is turned into the same line."""
    conn = sqlite3.connect(f"{filled.absolute().as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            conn.execute("UPDATE articles SET starred = 1")
        assert "readonly" in str(raised.value)
    finally:
        conn.close()
    error = storage_error(filled, raised.value)
    assert isinstance(error, ArchiveError)
    assert str(error) == f"{filled}: {READ_ONLY}"


def test_a_name_with_uri_characters_opens_read_only(tmp_path: Path, page) -> None:
    path = tmp_path / "my #1 archive?v=2%20.db"
    with Archive(path) as archive:
        archive.add_article(*page())
    with Archive(path, readonly=True) as archive:
        assert archive.article_count() == 1
    # No file of a name cut at '#' or '?', or with '%20' read as a space.
    assert all(p.name.startswith(path.name) for p in tmp_path.iterdir())


class _CannotMakeShm(sqlite3.Connection):
    """A connection whose first read fails as SQLite's does in a read-only folder, where
    it cannot make the -shm file a WAL archive needs (SQLITE_CANTOPEN)."""

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
        if sql.startswith("SELECT count(*) FROM sqlite_schema"):
            error = sqlite3.OperationalError("unable to open database file")
            error.sqlite_errorcode = 14
            raise error
        return super().execute(sql, *args)  # type: ignore[arg-type]


def _fail_unless_immutable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import reader.archive.opening as opening

    real = opening._connect
    targets: list[str] = []

    def connect(target: str, *, uri: bool, timeout_ms: int) -> sqlite3.Connection:
        targets.append(target)
        if "immutable=1" in target:
            return real(target, uri=uri, timeout_ms=timeout_ms)
        return sqlite3.connect(target, uri=uri, factory=_CannotMakeShm)

    monkeypatch.setattr(opening, "_connect", connect)
    return targets


def test_a_read_only_open_that_cannot_make_its_shm_reads_the_file_as_it_is(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = _fail_unless_immutable(monkeypatch)
    with Archive(filled, readonly=True) as archive:
        assert archive.article_count() == 1
    assert [t.rsplit("?", 1)[1] for t in targets] == ["mode=ro", "mode=ro&immutable=1"]


def test_unsaved_changes_in_a_wal_are_never_skipped(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A -wal with changes not yet in the file: read as immutable they would be missed,
    so where its -shm cannot be made the archive is not opened, in one line."""
    wal = filled.with_name(filled.name + "-wal")
    wal.write_bytes(b"\0" * 32)  # what matters is that it is not empty
    targets = _fail_unless_immutable(monkeypatch)
    with pytest.raises(ArchiveError, match="holds changes not yet in the file"):
        Archive(filled, readonly=True)
    assert not any("immutable" in t for t in targets)
    wal.unlink()
