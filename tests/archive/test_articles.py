"""ArticleStore on a real archive file: add, read, dedupe, update, state, delete."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from reader.archive import Archive, ArchiveError


def test_add_and_read_back(archive: Archive, page) -> None:
    extracted, raw = page("Café – “quoted”", ("One two three.", "Four five."))
    article_id = archive.add_article(extracted, raw, tags=["Rust", "to read"])
    article = archive.get_article(article_id)
    assert article is not None
    assert article.title == "Café – “quoted”"
    assert article.text == "One two three.\n\nFour five."
    assert article.word_count == 5
    assert article.url == "https://example.com/a"
    assert article.tags == ("Rust", "to read")
    assert archive.get_summary(article_id).title == article.title
    original = archive.original_of(article_id)
    assert original.data == raw.data and original.sha256 == raw.sha256
    assert original.size == len(raw.data)


def test_original_is_stored_compressed(archive: Archive, page, archive_path) -> None:
    data = b"<p>" + b"word " * 20000 + b"</p>"
    extracted, raw = page(data=data)
    archive.add_article(extracted, raw)
    (stored,) = archive.conn.execute("SELECT length(raw) FROM sources").fetchone()
    assert stored < len(data) / 10


def test_find_duplicate_by_url_then_bytes(archive: Archive, page) -> None:
    extracted, raw = page(url="https://example.com/x")
    first = archive.add_article(extracted, raw)
    assert archive.find_duplicate("https://example.com/x", "") == first
    assert archive.find_duplicate(None, raw.sha256) == first
    assert archive.find_duplicate("https://example.com/other", raw.sha256) == first
    assert archive.find_duplicate("https://example.com/other", "0" * 64) is None


def test_failed_add_leaves_nothing(archive: Archive, page) -> None:
    extracted, raw = page()
    with pytest.raises(ValueError):
        archive.add_article(extracted, raw, tags=["ok", "   "])
    assert archive.article_count() == 0
    assert archive.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
    assert archive.check() == []


def test_state_changes(archive: Archive, page) -> None:
    article_id = archive.add_article(*page())
    archive.set_starred(article_id, True)
    archive.set_read(article_id, True)
    read_at = archive.get_summary(article_id).read_at
    archive.set_read(article_id, True)  # the first reading time is kept
    assert archive.get_summary(article_id).read_at == read_at
    archive.set_archived(article_id, True)
    archive.save_position(article_id, 7, 1.5)
    summary = archive.get_summary(article_id)
    assert summary.starred and summary.is_read and summary.is_archived
    assert (summary.position, summary.progress) == (7, 1.0)
    archive.set_read(article_id, False)
    archive.set_archived(article_id, False)
    archive.set_starred(article_id, False)
    summary = archive.get_summary(article_id)
    assert not (summary.starred or summary.is_read or summary.is_archived)
    with pytest.raises(KeyError):
        archive.set_starred(999, True)


def test_update_keeps_tags_state_and_annotations(archive: Archive, page) -> None:
    extracted, raw = page("Old", ("The quick brown fox jumps.", "Over the lazy dog."))
    article_id = archive.add_article(extracted, raw, tags=["keep"])
    text = archive.get_article(article_id).text
    start = text.index("lazy dog")
    highlight = archive.add_highlight(article_id, start, start + len("lazy dog"), note="n")
    gone = archive.add_highlight(article_id, 0, len("The quick"))
    archive.add_article_note(article_id, "whole article")
    archive.set_starred(article_id, True)
    new_page, new_raw = page(
        "New title", ("A new first paragraph.", "Jumps a fox.", "Over the lazy dog!")
    )
    report = archive.update_article(article_id, new_page, new_raw)
    article = archive.get_article(article_id)
    assert article.title == "New title" and article.starred and article.tags == ("keep",)
    assert (report.moved, report.orphaned) == (1, 1)
    moved = archive.get_annotation(highlight)
    assert article.text[moved.start : moved.end] == "lazy dog" and not moved.orphaned
    assert moved.note == "n"
    orphan = archive.get_annotation(gone)
    assert orphan.orphaned and orphan.exact == "The quick"
    assert archive.original_of(article_id).data == new_raw.data
    assert len(archive.annotations_for(article_id)) == 3
    assert archive.check() == []


def test_delete_cascades(archive: Archive, page) -> None:
    article_id = archive.add_article(*page(), tags=["t"])
    archive.add_highlight(article_id, 0, 5)
    assert archive.delete_article(article_id)
    assert not archive.delete_article(article_id)
    for table in ("articles", "sources", "article_tags", "annotations"):
        assert archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert archive.search("paragraph") == []
    assert archive.check() == []


def test_connection_settings(archive: Archive) -> None:
    assert archive.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert archive.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert archive.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_two_connections_share_the_file(archive_path, page) -> None:
    with Archive(archive_path) as first, Archive(archive_path) as second:
        article_id = first.add_article(*page())
        assert second.get_summary(article_id) is not None
        second.set_starred(article_id, True)
        assert first.get_summary(article_id).starred


def test_not_an_archive(tmp_path) -> None:
    from reader.archive import ArchiveError

    path = tmp_path / "notes.txt"
    path.write_text("just some text, not SQLite " * 100)
    with pytest.raises(ArchiveError, match=r"notes\.txt"):
        Archive(path)


def test_reopen_keeps_everything(archive_path, page) -> None:
    with Archive(archive_path) as archive:
        assert archive.is_new
        article_id = archive.add_article(*page())
    with Archive(archive_path) as archive:
        assert not archive.is_new
        assert archive.get_article(article_id).title == "A title"
    with sqlite3.connect(archive_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_times_come_from_the_archive_clock(archive_path, page) -> None:
    moments = iter(["2024-03-01T08:00:00+01:00", "2024-03-02T09:30:00+00:00"])
    with Archive(archive_path, clock=lambda: datetime.fromisoformat(next(moments))) as archive:
        article_id = archive.add_article(*page())
        archive.set_read(article_id, True)
        summary = archive.get_summary(article_id)
    # Stamped in UTC, to the second, whatever zone the clock gives.
    assert summary.added_at == summary.updated_at == "2024-03-01T07:00:00+00:00"
    assert summary.read_at == "2024-03-02T09:30:00+00:00"


def test_the_bulk_path_stores_what_add_article_stores(archive: Archive, page) -> None:
    from reader.archive.articles import prepare_article

    extracted, raw = page("Bulk", ("One two.", "Three."), url="https://example.com/bulk")
    one = archive.add_article(extracted, raw, tags=["Rust", "to read"])
    prepared = [
        prepare_article(
            extracted, raw, added_at="2024-01-01T00:00:00+00:00", tags=tags, state=state
        )
        for tags, state in ((["rust", "To read", "new"], {"starred": 1}), ([], None))
    ]
    two, three = archive.add_prepared(prepared)
    first, second = archive.get_article(one), archive.get_article(two)
    assert first is not None and second is not None
    assert (second.text, second.document, second.title) == (first.text, first.document, first.title)
    assert second.tags == ("new", "Rust", "to read")  # the names already stored, sorted
    assert second.starred and archive.original_of(two).data == raw.data
    assert {h.article.id for h in archive.search("three tag:new")} == {two}
    assert archive.count_estimate("tag:rust").n == 2 and archive.sidebar_counts()["starred"] == 1
    assert archive.get_article(three) is not None and archive.check() == []
    with pytest.raises(ValueError, match="reading state"):
        prepare_article(extracted, raw, added_at="2024", state={"title": "no"})


def _insert_triggers(archive: Archive) -> list[str]:
    """The full-text insert triggers: the whole index's and the metadata index's."""
    rows = archive.conn.execute(
        "SELECT sql FROM sqlite_schema"
        " WHERE name IN ('articles_fts_insert', 'articles_meta_fts_insert') ORDER BY name"
    ).fetchall()
    assert len(rows) == 2
    return [str(sql) for (sql,) in rows]


def test_a_big_batch_is_indexed_in_one_statement_as_the_trigger_would(
    archive: Archive, page
) -> None:
    # 150 articles: over the size from which the bulk path indexes them together.
    from reader.archive.articles import prepare_article

    triggers = _insert_triggers(archive)
    prepared = []
    for n in range(150):
        extracted, raw = page(f"Title {n}", (f"Body word{n} common.",), url=f"https://e.com/{n}")
        prepared.append(prepare_article(extracted, raw, added_at="2024-01-01", tags=[f"t{n % 3}"]))
    ids = archive.add_prepared(prepared)
    assert [h.article.id for h in archive.search("word42")] == [ids[42]]
    assert [h.article.id for h in archive.search("title:149")] == [ids[149]]
    assert archive.count_estimate("common tag:t1").n == 50
    assert archive.find_duplicate("https://e.com/7", "") == ids[7]
    # The triggers are back as they were, FTS5's buffer sizes as before, the indexes
    # whole (the metadata index too); an article added one at a time afterwards is
    # indexed by the triggers again.
    assert _insert_triggers(archive) == triggers
    for index in ("articles_fts", "articles_meta_fts"):
        (hashsize,) = archive.conn.execute(
            f"SELECT v FROM {index}_config WHERE k = 'hashsize'"
        ).fetchone()
        assert hashsize == 2**20
    tagged = archive.conn.execute(
        "SELECT rowid FROM articles_meta_fts WHERE articles_meta_fts MATCH 't1' ORDER BY rowid"
    ).fetchall()
    assert [row[0] for row in tagged] == ids[1::3]
    later = archive.add_article(*page("Later", ("Afterwards alone.",)))
    assert [h.article.id for h in archive.search("afterwards")] == [later]
    assert archive.check() == []


def test_a_big_batch_that_fails_leaves_nothing_and_the_trigger_in_place(
    archive: Archive, page
) -> None:
    from reader.archive.articles import prepare_article

    triggers = _insert_triggers(archive)
    extracted, raw = page("Fine", ("Fine text.",))
    good = prepare_article(extracted, raw, added_at="2024-01-01")
    bad = prepare_article(extracted, raw, added_at="2024-01-01")
    bad.article["no_such_column"] = 1  # the 120th row's INSERT fails
    with pytest.raises(ArchiveError, match="no_such_column"):
        archive.add_prepared([good] * 119 + [bad])
    assert archive.article_count() == 0
    assert _insert_triggers(archive) == triggers
    added = archive.add_article(extracted, raw)
    assert [h.article.id for h in archive.search("fine")] == [added]
    assert archive.check() == []
