"""Highlight tags on a real archive file (schema v4): stored apart from the article's
tags, taken from a note's #words, kept through merge, undo, delete and restore; the
migration from v3 tags the #words already in notes; a read-only v3 archive still reads."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.archive import AnnotationError, Archive, KnownItem
from reader.archive.schema import backup_path, migrate
from reader.query import HighlightFilter, parse_query

from .conftest import make_page

TEXT = ("The quick brown fox jumps.", "Over the lazy dog.")


def span(archive: Archive, article_id: int, quote: str) -> tuple[int, int]:
    text = archive.get_article(article_id).text
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def article_id(archive: Archive) -> int:
    return archive.add_article(*make_page("Foxes", TEXT))


def test_tags_are_stored_given_and_from_the_notes_words(archive: Archive, article_id: int) -> None:
    start, end = span(archive, article_id, "brown fox")
    done = archive.highlight(
        article_id, start, end, note="see #Idea and https://x.org/a#frag", tags=["#work/reader"]
    )
    assert done.annotation.tags == ("Idea", "work/reader")
    assert archive.get_annotation(done.annotation.id).tags == ("Idea", "work/reader")


def test_highlight_tags_are_not_article_tags(archive: Archive, article_id: int) -> None:
    start, end = span(archive, article_id, "lazy dog")
    archive.highlight(article_id, start, end, tags=["idea"])
    assert archive.get_summary(article_id).tags == ()
    assert [t.name for t in archive.tag_counts()] == []
    assert archive.article_ids(parse_query("tag:idea")) == []
    assert archive.article_ids(parse_query("htag:idea")) == [article_id]


def test_a_name_that_is_no_tag_word_is_refused(archive: Archive, article_id: int) -> None:
    start, end = span(archive, article_id, "lazy dog")
    with pytest.raises(AnnotationError, match="not a highlight tag"):
        archive.highlight(article_id, start, end, tags=["two words"])
    assert archive.annotations_for(article_id) == []


def test_editing_the_note_follows_its_words(archive: Archive, article_id: int) -> None:
    start, end = span(archive, article_id, "brown fox")
    annotation_id = archive.add_highlight(article_id, start, end, note="#one #two")
    archive.tag_highlight(annotation_id, add=["kept"])
    archive.update_annotation(annotation_id, note="#two #three")
    assert archive.get_annotation(annotation_id).tags == ("kept", "three", "two")
    archive.update_annotation(annotation_id, color="blue")
    assert archive.get_annotation(annotation_id).tags == ("kept", "three", "two")


def test_tag_and_untag_ignore_case_and_keep_the_first_spelling(
    archive: Archive, article_id: int
) -> None:
    start, end = span(archive, article_id, "brown fox")
    annotation_id = archive.add_highlight(article_id, start, end)
    archive.tag_highlight(annotation_id, add=["Idea"])
    assert archive.tag_highlight(annotation_id, add=["idea", "b"]).tags == ("b", "Idea")
    assert archive.tag_highlight(annotation_id, remove=["#IDEA"]).tags == ("b",)


def test_an_article_note_takes_no_tags(archive: Archive, article_id: int) -> None:
    note_id = archive.add_article_note(article_id, "about #this")
    assert archive.get_annotation(note_id).tags == ()
    with pytest.raises(AnnotationError, match="article note"):
        archive.tag_highlight(note_id, add=["x"])


def test_deleting_a_highlight_takes_its_tags(archive: Archive, article_id: int) -> None:
    start, end = span(archive, article_id, "brown fox")
    annotation_id = archive.add_highlight(article_id, start, end, tags=["gone"])
    deleted = archive.delete_annotation(annotation_id)
    assert archive.conn.execute("SELECT count(*) FROM highlight_tags").fetchone() == (0,)
    assert deleted is not None and deleted.tags == ("gone",)
    restored = archive.restore_annotation(deleted, keep_id=True)
    assert archive.get_annotation(restored).tags == ("gone",)


def test_merge_unites_tags_and_undo_gives_each_its_own(archive: Archive, article_id: int) -> None:
    a = archive.add_highlight(article_id, *span(archive, article_id, "quick"), tags=["a"])
    b = archive.add_highlight(article_id, *span(archive, article_id, "fox"), note="#b")
    done = archive.highlight(article_id, *span(archive, article_id, "quick brown fox"), tags=["c"])
    assert done.annotation.id == a and done.annotation.tags == ("a", "b", "c")
    archive.undo_highlight(done)
    assert archive.get_annotation(a).tags == ("a",)
    assert archive.get_annotation(b).tags == ("b",)
    assert archive.conn.execute("SELECT count(*) FROM highlight_tags").fetchone() == (2,)


def test_a_waiting_quotes_note_words_are_tags(archive: Archive) -> None:
    article_id = archive.add_missing(KnownItem(url="https://gone.example/a", title="Gone"))
    with archive.write():
        archive.add_quote(article_id, "a quote elsewhere", note="#readwise-tag")
    (quote,) = archive.annotations_for(article_id)
    assert quote.tags == ("readwise-tag",)


def test_the_all_highlights_list_filters_by_colour_and_tag(
    archive: Archive, article_id: int
) -> None:
    yellow = archive.add_highlight(article_id, *span(archive, article_id, "quick"), tags=["x"])
    blue = archive.add_highlight(article_id, *span(archive, article_id, "lazy"), color="blue")
    archive.add_article_note(article_id, "a note")

    def ids(wanted: HighlightFilter, text: str = "") -> list[int]:
        entries = archive.all_annotations(text, highlights=wanted)
        return sorted(e.annotation.id for e in entries)

    assert ids(HighlightFilter(colors=("yellow",))) == [yellow]
    assert ids(HighlightFilter(colors=("yellow", "blue"))) == [yellow, blue]
    assert ids(HighlightFilter(excluded_colors=("yellow",))) == [blue]
    assert ids(HighlightFilter(tags=("X",))) == [yellow]
    assert ids(HighlightFilter(excluded_tags=("x",))) == [blue]
    assert ids(HighlightFilter(colors=("blue",)), "lazy") == [blue]
    assert ids(HighlightFilter(colors=("blue",)), "quick") == []


def test_check_knows_the_table(archive: Archive, article_id: int) -> None:
    annotation_id = archive.add_highlight(
        article_id, *span(archive, article_id, "quick"), tags=["x"]
    )
    assert archive.check() == []
    archive.conn.execute("PRAGMA foreign_keys = OFF")
    archive.conn.execute("INSERT INTO highlight_tags VALUES (?, 'stray')", (annotation_id + 99,))
    archive.conn.execute("PRAGMA foreign_keys = ON")
    assert any("highlight_tags" in problem for problem in archive.check())


def make_v3_archive(path: Path) -> None:
    """An archive of schema v3 holding a highlight whose note has #words (Readwise's tags
    as #21 imported them) and an article note with one."""
    conn = sqlite3.connect(path)
    migrate(conn, None, target=3)
    conn.execute(
        "INSERT INTO articles(id, title, added_at, updated_at, blocks, text)"
        " VALUES (1, 'Old', '2024-01-01', '2024-01-01', ?, 'An old article.')",
        ('{"v": 2, "blocks": [["paragraph", 15]]}',),
    )
    conn.execute(
        'INSERT INTO annotations(id, article_id, start, "end", exact, note, color, created_at,'
        " updated_at) VALUES (1, 1, 3, 6, 'old', 'from Readwise\n\n#idea #to-read', 'blue',"
        " '2024-01-02', '2024-01-02')"
    )
    conn.execute(
        "INSERT INTO annotations(id, article_id, note, created_at, updated_at)"
        " VALUES (2, 1, 'about #this', '2024-01-02', '2024-01-02')"
    )
    conn.commit()
    conn.close()


def test_migration_from_v3_tags_the_words_in_notes(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    make_v3_archive(path)
    with Archive(path) as archive:
        highlight, note = archive.annotations_for(1)
        assert highlight.tags == ("idea", "to-read") and note.tags == ()
        assert archive.article_ids(parse_query("htag:idea color:blue")) == [1]
        assert archive.check() == []
    assert backup_path(path, 3).exists()


def test_a_read_only_v3_archive_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    make_v3_archive(path)
    with Archive(path, readonly=True) as archive:
        highlight, _ = archive.annotations_for(1)
        assert highlight.tags == ()
        assert archive.article_ids(parse_query("htag:idea")) == []
        assert archive.article_ids(parse_query("color:blue")) == [1]
        entries = archive.all_annotations(highlights=HighlightFilter(tags=("idea",)))
        assert entries == []


def test_a_recovery_copies_highlight_tags(archive_path: Path, tmp_path: Path) -> None:
    from reader.importer.recover import recover_archive

    with Archive(archive_path) as archive:
        article_id = archive.add_article(*make_page("Foxes", TEXT))
        kept = archive.add_highlight(article_id, *span(archive, article_id, "fox"), tags=["x"])
    dest = tmp_path / "recovered.db"
    with Archive(archive_path, readonly=True) as source:
        assert recover_archive(source, dest).complete
    with Archive(dest) as recovered:
        assert recovered.get_annotation(kept).tags == ("x",)
        assert recovered.article_ids(parse_query("htag:x")) == [article_id]
        assert recovered.check() == []


def test_tagging_with_what_it_has_is_no_change(archive: Archive, article_id: int) -> None:
    """A backup restored again tags present highlights with what they have: their
    `updated_at` must stay, or `export --since` would take them for changed."""
    annotation_id = archive.add_highlight(article_id, *span(archive, article_id, "fox"), tags=["x"])
    before = archive.get_annotation(annotation_id)
    archive.clock = lambda: datetime(2030, 1, 1, tzinfo=UTC)
    assert archive.tag_highlight(annotation_id, add=["X"]) == before
    assert archive.tag_highlight(annotation_id, add=["y"]).updated_at.startswith("2030")
