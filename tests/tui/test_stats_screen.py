"""The stats screen (#24): opened with `%` or the palette, its numbers from the fixed
stats archive (tests/conftest.py) with the clock fixed, and back with q or escape."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static
from textual_plotext import PlotextPlot

import reader.archive
from reader.archive.stats import StatsStore
from reader.tui.app import ReaderApp
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.stats import BAR_WIDTH, StatsScreen, bar

from ..conftest import STATS_NOW, stats_clock

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.archive, "utc_now", stats_clock(STATS_NOW))


def text_of(screen: StatsScreen, selector: str) -> str:
    """What the Static at `selector` draws, as plain text."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(screen.query_one(selector, Static).content)
    return captured.get()


def rows_of(drawn: str) -> list[list[str]]:
    """The side panel's lines as words, its bars left out."""
    return [[w for w in line.split() if w.strip("█▏▎▍▌▋▊▉")] for line in drawn.splitlines()]


async def open_stats(pilot, settle) -> StatsScreen:
    await settle(pilot)
    await pilot.press("percent_sign")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    return screen


@pytest.mark.parametrize("back", ["q", "escape"])
async def test_opens_shows_the_numbers_and_goes_back(
    stats_archive_path: Path, settle, back: str
) -> None:
    app = ReaderApp(stats_archive_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library = app.screen
        screen = await open_stats(pilot, settle)
        assert screen.stats is not None
        summary = text_of(screen, "#stats-summary")
        assert "the 26 weeks to 2026-03-18: 4 articles saved, 2 read" in summary
        assert "reading time in all 4 min" in summary
        assert not screen.query_one("#stats-status").display
        rows = rows_of(text_of(screen, "#stats-lists"))
        for wanted in (["<", "1", "week", "1"], ["<", "6", "months", "1"], ["older", "1"]):
            assert wanted in rows
        assert ["oldest:", "2024-01-01"] in rows
        assert ["Example", "4"] in rows and ["blog.example.org", "2"] in rows
        assert ["go", "2"] in rows and ["rust", "2"] in rows
        titles = [str(s.content) for s in screen.query(".chart-title").results(Static)]
        assert titles == [
            "Articles saved and read per week",
            "Reading time per week (minutes)",
            "Highlights per week",
        ]
        plots = list(screen.query(PlotextPlot))
        assert len(plots) == 3 and all(p.region.height >= 9 for p in plots)
        await pilot.press(back)
        await settle(pilot)
        assert app.screen is library


async def test_the_palette_opens_it(stats_archive_path: Path, settle, ui) -> None:
    app = ReaderApp(stats_archive_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await ui.type_text(pilot, "Reading stats")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.stats is not None


async def test_help_lists_its_keys_and_the_library_key(stats_archive_path: Path, settle) -> None:
    app = ReaderApp(stats_archive_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = [row for _, section in app.screen.sections for row in section]
        assert ("%", "Reading stats") in rows
        await pilot.press("escape")
        await open_stats(pilot, settle)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = [row for _, section in app.screen.sections for row in section]
        assert ("Esc", "Back") in rows and ("r", "Count the reading stats again") in rows


async def test_an_empty_archive_says_so(empty_path: Path, settle) -> None:
    async with ReaderApp(empty_path).run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, settle)
        assert screen.query_one("#stats-status").display
        assert "Nothing saved yet" in text_of(screen, "#stats-status")
        assert not screen.query_one("#stats-body").display


async def test_nothing_in_the_weeks_draws_empty_charts(
    stats_archive_path: Path, settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every article saved and read long before the 26 weeks: zeros, not a crash."""
    monkeypatch.setattr(reader.archive, "utc_now", stats_clock("2030-01-01T00:00:00+00:00"))
    async with ReaderApp(stats_archive_path).run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, settle)
        assert screen.stats is not None and not any(w.saved for w in screen.stats.weeks)
        assert screen.query_one("#stats-body").display
        assert "0 articles saved, 0 read" in text_of(screen, "#stats-summary")


async def test_an_error_is_one_line(
    stats_archive_path: Path, settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: StatsStore, weeks: int = 26) -> None:
        raise sqlite3.OperationalError("database disk image is malformed\n(at page 7)")

    monkeypatch.setattr(StatsStore, "reading_stats", fail)
    async with ReaderApp(stats_archive_path).run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot, settle)
        said = text_of(screen, "#stats-status").strip()
        assert said == (
            "Could not count the reading stats: database disk image is malformed (at page 7)"
        )
        assert not screen.query_one("#stats-body").display
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, StatsScreen)


def test_bars_are_to_scale() -> None:
    assert bar(4, 4) == "█" * BAR_WIDTH
    assert bar(2, 4) == "█" * (BAR_WIDTH // 2)
    assert bar(1, 1000) == "▏"  # something, however small
    assert bar(0, 4) == "" and bar(3, 0) == ""


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_stats_snapshot(stats_archive_path: Path, snap_compare, ui, theme: str) -> None:
    async def open_it(pilot) -> None:
        pilot.app.theme = theme
        await ui.settle(pilot)
        await open_stats(pilot, ui.settle)

    assert snap_compare(ReaderApp(stats_archive_path), terminal_size=SIZE, run_before=open_it)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_stats_snapshot_small(stats_archive_path: Path, snap_compare, ui, theme: str) -> None:
    """80×24: the charts keep their height and the column scrolls."""

    async def open_it(pilot) -> None:
        pilot.app.theme = theme
        await ui.settle(pilot)
        await open_stats(pilot, ui.settle)

    assert snap_compare(ReaderApp(stats_archive_path), terminal_size=(80, 24), run_before=open_it)
