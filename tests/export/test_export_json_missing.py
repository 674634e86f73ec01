"""Backup and restore of missing pages (articles known from another service's export,
their page not imported yet): `export_data` keeps them, `import_annotations` brings
them back as missing pages into an archive without them (a page imported later fills
them), attaches their highlights to the page where the archive has it, and changes
nothing when run again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.archive import Archive, KnownItem
from reader.export import export_data, import_annotations
from reader.export.userdata_file import loads
from reader.importer import import_paths
from tests.archive.conftest import make_page
from tests.importer.pages import write_page

URL = "https://www.news.example.org/story/42?utm_source=pocket"
CANONICAL = "https://news.example.org/story/42"
QUOTE = "Readability finds the main text by scoring paragraphs"


def fill_source(archive: Archive) -> tuple[int, int]:
    """A missing page with everything a user keeps, and a book known by title alone."""
    with archive.write():
        story = archive.add_missing(
            KnownItem(
                url=URL,
                title="A story from Pocket",
                byline="Jane Doe",
                site_name="News",
                published="2019-05-06",
                lang="en",
                added_at="2020-01-02T03:04:05+00:00",
                read_at="2020-02-01T00:00:00+00:00",
                starred=True,
                tags=("pocket", "Later"),
            )
        )
        archive.add_quote(story, QUOTE, note="the core", color="green")
        archive.add_quote(story, "Words that are on no page at all", note="kept anyway")
        archive.add_note_once(story, "Read it one day")
        book = archive.add_missing(KnownItem(title="A book", byline="Ann Author"))
        archive.add_quote(book, "A line from the book")
    return story, book


@pytest.fixture
def backup(tmp_path: Path) -> dict:
    with Archive(tmp_path / "source.db") as source:
        fill_source(source)
        # Through the file's own reader: what a restore really gets.
        return loads(json.dumps(export_data(source)))


def state(archive: Archive) -> dict[str, list[tuple]]:
    """Every row the user cares about, to compare two runs."""
    tables = ("articles", "annotations", "tags", "article_tags", "url_keys", "missing_pages")
    return {table: sorted(archive.conn.execute(f"SELECT * FROM {table}")) for table in tables}


def test_the_export_marks_missing_pages_only(archive: Archive) -> None:
    archive.add_article(*make_page("Here", url="https://e.com/here"))
    fill_source(archive)
    records = export_data(archive)["articles"]
    assert "missing" not in records[0]  # a page that is here: the record as it was
    assert [r.get("missing") for r in records[1:]] == [True, True]
    story = records[1]
    assert story["url"] == URL and story["sha256"] == [] and story["tags"] == ["Later", "pocket"]
    assert [(a["exact"], a["orphaned"]) for a in story["annotations"][:2]] == [
        (QUOTE, True),
        ("Words that are on no page at all", True),
    ]


def test_restored_into_an_empty_archive_they_are_missing_pages_again(
    archive: Archive, backup: dict, tmp_path: Path
) -> None:
    report = import_annotations(archive, backup)
    assert (report.matched, report.missing, report.unmatched) == (0, 2, [])
    assert (report.added, report.waiting, report.orphaned) == (4, 3, 0)
    story_id = archive.article_for_urls([CANONICAL])
    assert story_id is not None and archive.is_missing(story_id)
    story = archive.get_summary(story_id)
    assert story is not None
    assert (story.title, story.url, story.byline, story.site_name) == (
        "A story from Pocket",
        URL,
        "Jane Doe",
        "News",
    )
    assert (story.published, story.lang) == ("2019-05-06", "en")
    assert story.added_at == "2020-01-02T03:04:05+00:00" and story.starred and story.is_read
    assert story.tags == ("Later", "pocket")
    quotes = archive.annotations_for(story_id)
    assert [(a.exact, a.note, a.color, a.orphaned) for a in quotes if a.start is not None] == [
        (QUOTE, "the core", "green", True),
        ("Words that are on no page at all", "kept anyway", "yellow", True),
    ]
    assert [a.note for a in quotes if a.is_article_note] == ["Read it one day"]
    book = archive.article_for_title("A book", "Ann Author")
    assert book is not None and archive.is_missing(book)

    # The page arrives: it fills the restored missing page, and its quote is placed.
    saved = write_page(tmp_path, "story.html", "The story", url=CANONICAL)
    import_paths(archive, [saved], jobs=1)
    assert archive.article_for_urls([CANONICAL]) == story_id
    assert not archive.is_missing(story_id)
    article = archive.get_article(story_id)
    placed = {a.exact: a for a in archive.annotations_for(story_id) if not a.is_article_note}
    highlight = placed[QUOTE]
    assert not highlight.orphaned and article.text[highlight.start : highlight.end] == QUOTE
    assert placed["Words that are on no page at all"].orphaned  # never lost


def test_restored_where_the_page_is_here_the_highlights_are_placed_on_it(
    archive: Archive, backup: dict, tmp_path: Path
) -> None:
    saved = write_page(tmp_path, "story.html", "The story", url=CANONICAL)
    import_paths(archive, [saved], jobs=1)
    [page_id] = archive.article_ids("")
    archive.save_position(page_id, 40, 0.5)
    report = import_annotations(archive, backup)
    assert (report.matched, report.missing) == (1, 1)  # the book is made again
    assert len(archive.article_ids("")) == 2  # the page and the book: no second story
    assert not archive.is_missing(page_id) and archive.article_for_urls([URL]) == page_id
    article = archive.get_article(page_id)
    assert article.title == "The story"  # the page's own, not put over by the backup's
    assert article.starred and article.is_read and article.tags == ("Later", "pocket")
    assert article.added_at == "2020-01-02T03:04:05+00:00"  # the earlier saved time
    assert article.progress == 0.5  # the backup knew of no reading: it stays
    highlights = [a for a in archive.annotations_for(page_id) if not a.is_article_note]
    placed = [a for a in highlights if not a.orphaned]
    assert [article.text[a.start : a.end] for a in placed] == [QUOTE]
    assert [a.exact for a in highlights if a.orphaned] == ["Words that are on no page at all"]
    assert report.orphaned == 1 and report.waiting == 1  # the book's quote waits


@pytest.mark.parametrize("page_first", [False, True])
def test_restoring_twice_changes_nothing(
    archive: Archive, backup: dict, tmp_path: Path, page_first: bool
) -> None:
    if page_first:
        import_paths(archive, [write_page(tmp_path, "s.html", "S", url=CANONICAL)], jobs=1)
    import_annotations(archive, backup)
    before = state(archive)
    again = import_annotations(archive, backup)
    assert state(archive) == before
    assert (again.added, again.missing, again.tags_added, again.states_changed) == (0, 0, 0, 0)
    assert again.matched == 2 and again.present == 4


def test_a_missing_record_that_names_no_page_is_not_made(archive: Archive) -> None:
    data = {
        "format": "reader-annotations",
        "version": 1,
        "articles": [
            {"url": "javascript:alert(1)", "title": "x", "missing": True},
            {"url": "https://e.com/\x1b[31mred", "title": "A\x1b[2Jb\u202e", "missing": True},
        ],
    }
    report = import_annotations(archive, loads(json.dumps(data)))
    assert report.missing == 1 and len(report.unmatched) == 1
    [made] = archive.article_ids("")
    summary = archive.get_summary(made)
    assert summary is not None and "\x1b" not in summary.title + (summary.url or "")
    assert "\u202e" not in summary.title  # stored as an export's entry is: cleaned


def test_a_missing_record_without_url_or_title_is_refused() -> None:
    from reader.export import ImportFormatError

    data = {"format": "reader-annotations", "version": 1, "articles": [{"missing": True}]}
    with pytest.raises(ImportFormatError, match="neither a url nor a sha256"):
        loads(json.dumps(data))
    data["articles"] = [{"missing": "yes", "url": "https://e.com"}]
    with pytest.raises(ImportFormatError, match="missing: expected bool"):
        loads(json.dumps(data))


def test_import_annotations_restores_into_a_new_archive(tmp_path: Path, backup: dict) -> None:
    from reader.cli import main

    file = tmp_path / "backup.json"
    file.write_text(json.dumps(backup))
    fresh = tmp_path / "fresh.db"
    result = CliRunner().invoke(main, ["--db", str(fresh), "import-annotations", str(file)])
    assert result.exit_code == 0, result.output
    assert "New archive at" in result.stderr
    assert "0 of 2 articles found, 2 missing pages made again" in result.stderr
    assert "3 waiting for their pages" in result.stderr
    with sqlite3.connect(fresh) as conn:
        assert conn.execute("SELECT count(*) FROM missing_pages").fetchone() == (2,)
