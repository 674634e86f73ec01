"""What missing pages look like (pytest-textual-snapshot): the library on its Missing
pages view, with its hint, and a missing page's own view. Update with
--snapshot-update, and only after looking at the pictures."""

from __future__ import annotations

from pathlib import Path

from reader.tui.app import ReaderApp
from reader.tui.widgets.sidebar import MISSING_VIEW

SIZE = (120, 35)


async def _missing_view(pilot, ui) -> None:
    await ui.settle(pilot)
    screen = ui.library(pilot)
    screen.sidebar.select_view(MISSING_VIEW)
    await ui.settle(pilot)
    screen.articles.focus()
    await ui.settle(pilot)


def test_library_missing_pages_view(missing_path: Path, snap_compare, ui) -> None:
    async def run_before(pilot) -> None:
        await _missing_view(pilot, ui)

    assert snap_compare(ReaderApp(missing_path), terminal_size=SIZE, run_before=run_before)


def test_missing_page_view(missing_path: Path, snap_compare, ui) -> None:
    async def run_before(pilot) -> None:
        await _missing_view(pilot, ui)
        await pilot.press("enter")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(missing_path), terminal_size=SIZE, run_before=run_before)


def test_missing_page_view_with_its_panel(missing_path: Path, snap_compare, ui) -> None:
    async def run_before(pilot) -> None:
        await _missing_view(pilot, ui)
        await pilot.press("enter")
        await ui.settle(pilot)
        await pilot.press("p")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(missing_path), terminal_size=SIZE, run_before=run_before)
