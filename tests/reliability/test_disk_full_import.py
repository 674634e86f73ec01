"""An import that the disk stops: the summary is printed, nothing is half-written.

A full disk cannot be made in the sandbox (no small file system without root's
mount), so the failure is injected where SQLite would raise it: the third page's
write transaction raises `sqlite3.OperationalError("database or disk is full")` after
its rows were inserted, as SQLite does when a page cannot be written mid-transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive
from reader.cli import main
from tests.importer.pages import write_page

FULL = sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    saved = tmp_path / "saved"
    for n, title in enumerate(("Alpha", "Beta", "Gamma", "Delta", "Epsilon")):
        write_page(saved, f"{n}.html", f"{title} article", url=f"https://example.com/{n}")
    return saved


@pytest.fixture
def disk_full_at_third_page(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Archive.add_article
    calls = 0

    def add_article(self: Archive, *args: object, **kwargs: object) -> int:
        nonlocal calls
        calls += 1
        article_id = real(self, *args, **kwargs)  # type: ignore[arg-type]
        if calls == 3:
            raise FULL  # inside the import's write transaction: rows written, not committed
        return article_id

    monkeypatch.setattr(Archive, "add_article", add_article)


def integrity(db: Path) -> list[object]:
    conn = sqlite3.connect(db)
    try:
        checks = [
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("PRAGMA foreign_key_check").fetchall(),
            conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            conn.execute("SELECT count(*) FROM sources").fetchone()[0],
            conn.execute("SELECT count(*) FROM article_tags").fetchone()[0],
        ]
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        # The rolled-back page left nothing in the full-text index either.
        checks.append(
            conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Gamma'"
            ).fetchone()[0]
        )
        return checks
    finally:
        conn.close()


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.usefixtures("disk_full_at_third_page")
def test_the_summary_is_printed_and_nothing_is_half_written(
    archive_path: Path, folder: Path, jobs: str
) -> None:
    result = CliRunner().invoke(
        main, ["--db", str(archive_path), "import", str(folder), "--tag", "t", "--jobs", jobs]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        f"{folder / '2.html'}: cannot save: {archive_path}: the disk is full;"
        " nothing of this change was saved"
    )
    assert result.stdout.splitlines()[-1] == (
        "Imported 2 articles (#1, #2), 1 failed, stopped with 2 pages left"
    )
    assert integrity(archive_path) == ["ok", [], 2, 2, 2, 0]
    with Archive(archive_path) as archive:
        assert [archive.get_article(i).title for i in archive.iter_article_ids()] == [
            "Alpha article",
            "Beta article",
        ]
