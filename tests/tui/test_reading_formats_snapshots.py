"""What a plain-text and a Markdown article look like in the reading view, imported
through the real pipeline (pytest-textual-snapshot; update with --snapshot-update)."""

from __future__ import annotations

from reader.archive import Archive
from reader.importer import import_bytes

from ..ingest.text_articles import NEWS_TXT, OBSIDIAN_MD
from .reading_helpers import ReadingApp

SIZE = (100, 40)


def imported(archive: Archive, source: str, filename: str) -> int:
    report = import_bytes(archive, source.encode("utf-8"), filename=filename)
    (article_id,) = report.imported
    return article_id


def test_text_article(snap_compare, archive: Archive) -> None:
    """Title, date, byline and site from the text's lines and footer; the photo caption
    as a figure; marks from its inline HTML, never tags."""
    article_id = imported(archive, NEWS_TXT, "news.txt")
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE)


def test_markdown_article(snap_compare, archive: Archive) -> None:
    """Front matter as metadata; headings, lists, a quote, a table, a figure and code;
    the ==marks== shown as highlights."""
    article_id = imported(archive, OBSIDIAN_MD, "clip.md")
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE)
