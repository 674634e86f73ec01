"""What a plain-text and a Markdown article look like in the reading view, imported
through the real pipeline (pytest-textual-snapshot; update with --snapshot-update), and
that nothing in such a file is taken for markup there."""

from __future__ import annotations

from reader.archive import Archive
from reader.importer import import_bytes
from reader.tui.widgets.article_view import ArticleView

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


HOSTILE_TXT = (
    "[bold]Loud[/] \x1b[31mTitle\x1b[0m\n\n"
    "Body with [link=https://e.x]markup[/link] and <b>bold</b> <blink>text</blink>.\n"
)
HOSTILE_MD = "# [red]Red[/red] heading\n\nA [b]para[/b] with <script>x()</script><i>html</i>.\n"


async def test_text_and_markdown_from_files_show_literally(archive: Archive) -> None:
    """Rich markup in a file is text on the screen; its inline HTML is marks or nothing,
    its control characters were stripped when it was read."""
    for source, filename, expected in (
        (HOSTILE_TXT, "a.txt", ["[bold]Loud[/] [31mTitle[0m", "[link=https://e.x]markup[/link]"]),
        (HOSTILE_MD, "b.md", ["[red]Red[/red] heading", "A [b]para[/b] with html."]),
    ):
        article_id = imported(archive, source, filename)
        async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
            await pilot.pause()
            view = pilot.app.screen.query_one(ArticleView)
            shown = "\n".join(view.render_line(y).text for y in range(view.size.height))
        for text in expected:
            assert text in shown
        assert "<" not in shown and "x()" not in shown and "\x1b" not in shown
