"""How the library's rows look: the cursor bar, the date a row shows."""

from __future__ import annotations

from pathlib import Path

from rich.color import Color as RichColor
from rich.segment import Segment

from reader.archive import Archive
from reader.tui.app import ReaderApp
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.sidebar import Sidebar


def cursor_segments(articles: ArticleList) -> list[Segment]:
    """The segments of the cursor row's two lines (the cursor is on the first row)."""
    assert articles.cursor == 0 and articles.scroll_offset.y == 0
    return [s for y in range(articles.row_height) for s in articles.render_line(y) if s.text]


def distance(one: RichColor, other: RichColor, app: ReaderApp) -> float:
    """How far apart two background colours look (ANSI ones as the app's terminal
    theme draws them)."""
    a, b = (c.get_truecolor(app.ansi_theme, foreground=False) for c in (one, other))
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


async def test_the_cursor_row_is_one_solid_bar_in_every_theme(library_path: Path, ui) -> None:
    """Title, meta and tags sit on the cursor's colour, not on holes of the list's own
    background; the bar is dimmer when the list is not focused."""
    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = app.screen.query_one(ArticleList)
        for theme in sorted(app.available_themes):
            app.theme = theme
            bars = {}
            for focused in (True, False):
                (articles if focused else app.screen.query_one(Sidebar)).focus()
                await pilot.pause()
                segments = cursor_segments(articles)
                assert "Fearless concurrency" in "".join(s.text for s in segments)
                backgrounds = {s.style.bgcolor if s.style else None for s in segments}
                assert len(backgrounds) == 1, (theme, focused, backgrounds)
                bar = backgrounds.pop()
                assert bar is not None and bar != articles.rich_style.bgcolor, (theme, focused)
                # Every character is drawn in one colour on it: no part keeps a colour
                # chosen for the list's background.
                assert len({s.style.color if s.style else None for s in segments}) == 1, (
                    theme,
                    focused,
                )
                bars[focused] = bar
            list_background = articles.rich_style.bgcolor
            assert list_background is not None
            assert distance(bars[False], list_background, app) < distance(
                bars[True], list_background, app
            ), theme


async def test_an_undated_article_shows_its_added_date_as_such(tmp_path: Path, ui) -> None:
    path = tmp_path / "dates.db"
    # The undated article is added last: the newest by the day it was added.
    specs = [ui.Spec("Undated", published=None), ui.Spec("Dated", published="2024-03-05")]
    ui.build_archive(path, specs)
    with Archive(path) as archive:
        undated = next(h.article for h in archive.search("title:undated"))
    async with ReaderApp(path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert ui.titles(pilot) == ["Undated", "Dated"]
        text = ui.screen_text(pilot)
        assert f"Example · added {undated.added_at[:10]} · 1 min" in text
        assert "Example · 2024-03-05 · 1 min" in text
        await pilot.press("S")  # sorted by published: the undated article goes last
        await ui.settle(pilot)
        assert "sorted by published" in str(pilot.app.screen.query_one("#search-status").render())
        assert ui.titles(pilot) == ["Dated", "Undated"]


async def test_the_empty_lists_message_is_drawn_in_its_style(empty_path: Path, ui) -> None:
    app = ReaderApp(empty_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = app.screen.query_one(ArticleList)
        segments = [s for s in articles.render_line(1) if s.text]
        assert "No articles yet" in "".join(s.text for s in segments)
        # Not left unstyled (the terminal's own colours): muted, italic, on the list.
        assert all(s.style and s.style.italic for s in segments)
        assert {s.style.bgcolor for s in segments if s.style} == {articles.rich_style.bgcolor}
