"""The footer keeps `? Help`, `q Quit` and the palette on screen at any width."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget

from reader.tui.app import ReaderApp
from reader.tui.widgets.sidebar import Sidebar


def shown_keys(app: ReaderApp) -> dict[str, Widget]:
    """The footer's keys a person can see (laid out wholly inside the screen), by key."""
    footer = app.screen.query_one("Footer")
    width = app.size.width
    keys: dict[str, Widget] = {}
    for widget in footer.query("FooterKey"):
        region = widget.region
        if widget.display and region.width and region.x >= 0 and region.right <= width:
            keys[widget.key] = widget
    return keys


@pytest.mark.parametrize("size", [(70, 24), (80, 24), (120, 36), (200, 50)])
async def test_help_quit_and_the_palette_stay_in_view(library_path: Path, ui, size) -> None:
    app = ReaderApp(library_path)
    async with app.run_test(size=size) as pilot:
        await ui.settle(pilot)
        for focus in ("ArticleList", "Sidebar"):
            app.screen.query_one(focus).focus()
            await pilot.pause()
            await pilot.pause()  # the footer recomposes after the bindings changed
            keys = shown_keys(app)
            assert {"question_mark", "q", "ctrl+p"} <= set(keys), (size, focus, sorted(keys))
            # No key is cut off: each is whole, and none hides under the right group.
            right = min(keys[k].region.x for k in ("question_mark", "q", "ctrl+p"))
            assert all(
                w.region.right <= right
                for k, w in keys.items()
                if k not in ("question_mark", "q", "ctrl+p")
            ), (size, focus)


async def test_the_sidebars_keys_show_while_it_has_the_focus(library_path: Path, ui) -> None:
    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ui.settle(pilot)
        assert "R" not in shown_keys(app)
        app.screen.query_one(Sidebar).focus()
        await pilot.pause()
        await pilot.pause()
        assert {"R", "M", "D", "s", "question_mark"} <= set(shown_keys(app))
