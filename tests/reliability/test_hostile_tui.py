"""Hostile articles in the TUI: markup shows as typed, escapes never reach the terminal,
and a `[@click=app.quit]` in a title is text, not an action.

The articles come through the real pipeline (hostile pages imported by import_paths),
plus one written straight into the archive with raw escape characters, as an archive
made by some other means could hold them (the TUI's last guard shows them as symbols).
Snapshots: pytest --snapshot-update tests/reliability/test_hostile_tui.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.archive import Archive
from reader.document import Block, Document
from reader.importer import import_paths
from reader.ingest.page import ExtractedPage, RawPage
from reader.ingest.pipeline import ingest_bytes
from reader.tui.app import ReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.article_view import ArticleView

from .helpers import ESCAPES, MARKUP, MARKUP_PIECES, hostile_pages, unsafe_chars
from .watched_app import WatchedApp  # its notifications: an error must never show

SIZE = (120, 36)
SHOWN = ("markup", "everything", "escapes", "bidi", "controls", "long-words")
PUBLISHED = '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
RAW_TITLE = f"Raw {ESCAPES} \u202eevil\u202c {MARKUP}"


def build(path: Path, folder: Path) -> None:
    """The hostile pages of SHOWN, imported in that order, then one raw article on top."""
    folder.mkdir()
    pages = hostile_pages()
    for index, name in enumerate(SHOWN):
        data = pages[name].replace(b"</head>", PUBLISHED.encode() + b"</head>", 1)
        data = data.replace(b"hostile.html", f"hostile-{index}.html".encode())
        (folder / f"{index}-{name}.html").write_bytes(data)
    with Archive(path) as archive:
        archive.set_setting("welcomed", "1")
        for index, name in enumerate(SHOWN):
            report = import_paths(archive, [folder / f"{index}-{name}.html"], jobs=1)
            assert report.failed == [] and len(report.imported) == 1
            # A fixed time of adding, so the order never depends on the clock.
            archive.conn.execute(
                "UPDATE articles SET added_at = ?, updated_at = ? WHERE id = ?",
                (f"2024-03-0{index + 1}T00:00:00+00:00",) * 2 + (report.imported[0],),
            )
        document = Document((Block("paragraph", f"Raw body {ESCAPES} {MARKUP}"),))
        html = b"<html><body><p>raw</p></body></html>"
        archive.add_article(
            ExtractedPage(
                document=document,
                title=RAW_TITLE,
                byline=f"Raw {MARKUP}",
                site_name="[red]site[/red]\x1b[5m",
                url="https://raw.example/a",
                published="2024-03-05",
            ),
            RawPage(data=html, html=html, filename="raw.html", kind="html"),
            added_at="2024-03-09T00:00:00+00:00",
        )


@pytest.fixture
def hostile_path(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    build(path, tmp_path / "pages")
    return path


def list_text(app: ReaderApp) -> str:
    articles = app.screen.query_one(ArticleList)
    height = articles.scrollable_content_region.height
    return "\n".join(articles.render_line(y).text for y in range(height))


def view_rows(app: ReaderApp) -> list[str]:
    view = app.screen.query_one(ArticleView)
    return [view.render_line(y).text.strip() for y in range(view.size.height)]


async def test_library_rows_show_markup_as_typed(hostile_path: Path, settle) -> None:
    app = WatchedApp(hostile_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = list_text(app)
        assert unsafe_chars(text, allow="\n") == []
        assert "[bold]b[/] [link=https://evil.example]x[/link]" in text  # markup page
        assert "Raw ␛[31mred␛[0m" in text, "raw escapes are shown as symbols"
        assert "[red]site[/red]␛[5m" in text
        assert "Escapes [31mred[0m ]8;;http://x.example/link" in text
        # The screen as drawn holds no escape either (every visible widget).
        screen = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert unsafe_chars(screen, allow="\n") == []
        assert "[bold]b[/]" in screen
        assert not [n for n in app.notes if n[1] == "error"]


async def test_clicking_an_action_in_a_title_does_nothing(hostile_path: Path, settle) -> None:
    app = WatchedApp(hostile_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        height = articles.scrollable_content_region.height
        clicks = 0
        for y in range(height):
            line = articles.render_line(y).text
            x = line.find("[@click=app.quit]")
            if x >= 0:
                await pilot.click(ArticleList, offset=(x + 3, y))
                await pilot.pause()
                clicks += 1
        assert clicks >= 1
        assert app.is_running and isinstance(app.screen, (LibraryScreen, ReadingScreen))


@pytest.mark.parametrize("title", ["Markup [bold]b[/]", "All Evil", "Raw ␛[31mred"])
async def test_reading_header_shows_the_title_as_typed(
    hostile_path: Path, title: str, settle
) -> None:
    app = WatchedApp(hostile_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        for row in range(articles.total):
            hit = articles.hit_at(row)
            shown = hit.article.title.replace("\x1b", "␛")
            if shown.startswith(title):
                break
            await pilot.press("j")
        else:
            raise AssertionError(f"no row starts with {title!r}")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        rows = view_rows(app)
        assert all(unsafe_chars(row) == [] for row in rows)
        header = " ".join(rows[:6])
        assert header.startswith(title)
        for piece in MARKUP_PIECES[:3]:
            assert piece in header or title == "All Evil", header
        assert "\x1b" not in (app.screen.sub_title or "")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert not [n for n in app.notes if n[1] == "error"]


def test_snapshot_library(snap_compare, hostile_path: Path, settle) -> None:
    assert snap_compare(ReaderApp(hostile_path), terminal_size=SIZE, run_before=settle)


def test_snapshot_reading_view(snap_compare, hostile_path: Path, settle) -> None:
    async def open_everything(pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "j", "enter")  # "everything": the sixth row
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)

    assert snap_compare(ReaderApp(hostile_path), terminal_size=SIZE, run_before=open_everything)


def test_snapshot_raw_article(snap_compare, hostile_path: Path, settle) -> None:
    async def open_raw(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")  # the raw article is the newest
        await settle(pilot)

    assert snap_compare(ReaderApp(hostile_path), terminal_size=SIZE, run_before=open_raw)


@pytest.mark.slow
async def test_huge_words_paragraphs_and_deep_pages_read_and_annotate(
    tmp_path: Path, settle
) -> None:
    """A 10,000-letter word, a 1 MB paragraph and a 10,000-deep page open, scroll to the
    end, take a highlight and re-wrap for a narrow terminal; nothing breaks the column."""
    db = tmp_path / "big.db"
    pages = hostile_pages()
    names = ["megabyte-paragraph", "long-words", "deep-divs"]
    with Archive(db) as archive:
        archive.set_setting("welcomed", "1")
        for index, name in enumerate(names):
            data = pages[name].replace(b"hostile.html", f"big-{index}.html".encode())
            archive.add_article(*reversed(ingest_bytes(data, f"{name}.html")))
    app = WatchedApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in names:
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReadingScreen)
            view = app.screen.query_one(ArticleView)
            await pilot.press("G", "v", "w", "w", "h", "g", "space", "space")
            await pilot.resize_terminal(50, 30)
            await pilot.pause()
            assert all(len(row) <= 50 for row in view_rows(app))
            assert all(
                len("".join(r.text for r in line.runs)) <= 50 for line in view.text_layout.lines
            )
            await pilot.resize_terminal(100, 30)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("j")
        assert [n for n in app.notes if n[1] == "error"] == []
    with Archive(db) as archive:
        assert [len(archive.annotations_for(i)) for i in archive.iter_article_ids()] == [1, 1, 1]
        assert archive.check() == []


def screen_text(app: ReaderApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_search_snippets_and_annotations_screen_show_hostile_text_literally(
    hostile_path: Path,
    settle,
) -> None:
    """A search that matches hostile text (its snippet), and the annotations screen over
    highlights of hostile text with notes holding markup and raw escapes (as an archive
    written by other means could have them)."""
    with Archive(hostile_path) as archive:
        for article_id in archive.iter_article_ids():
            text = archive.get_article(article_id).text
            start = max(0, text.find("[bold]"))
            archive.add_highlight(
                article_id, start, min(len(text), start + 60), note=f"note {MARKUP} {ESCAPES}"
            )
    app = WatchedApp(hostile_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.search_bar.input.value = "link evil"
        await pilot.press("enter")
        await settle(pilot)
        drawn = screen_text(app)
        assert unsafe_chars(drawn, allow="\n") == []
        assert "[link=https://evil.example]x[/link]" in drawn
        await pilot.press("escape", "A")
        await settle(pilot)
        drawn = screen_text(app)
        assert unsafe_chars(drawn, allow="\n") == []
        assert "note [bold]b[/] [link=https://evil.example]x[/link]" in drawn
        assert "␛[31mred␛[0m" in drawn, "raw escapes in a note are shown as symbols"
        assert app.is_running
        assert [n for n in app.notes if n[1] == "error"] == []


async def test_markup_in_tag_names_is_shown_as_typed(hostile_path: Path, settle) -> None:
    """Tag names may look like markup ([bold]x[/], [@click=app.quit]): the sidebar and
    the rows show them as typed, and choosing one filters by it."""
    with Archive(hostile_path) as archive:
        ids = archive.iter_article_ids()
        archive.add_tags(ids[:2], ["[bold]tag[/]", "[@click=app.quit]t"])
    app = WatchedApp(hostile_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        drawn = screen_text(app)
        assert "[bold]tag[/]" in drawn and "[@click=app.quit]t" in drawn, drawn[:3000]
        assert unsafe_chars(drawn, allow="\n") == []
        await pilot.press("slash")
        app.screen.search_bar.input.value = 'tag:"[bold]tag[/]"'
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).total == 2
        assert app.is_running
        assert [n for n in app.notes if n[1] == "error"] == []
