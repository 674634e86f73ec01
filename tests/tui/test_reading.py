"""The reading screen on a real archive: open, scroll, jump, save the position, open the
original, go back."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from reader.archive import Archive
from reader.document import Block
from reader.tui.messages import ExportNotes, ShowAnnotations
from reader.tui.screens.reading import ReadingScreen, ReadingStatus
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.find_bar import FindBar

from .reading_helpers import FIRST, ReadingApp, Settle, add_long, add_rich, page, rich_blocks

SIZE = (100, 30)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


def view_of(app: ReadingApp) -> ArticleView:
    return app.screen.query_one(ArticleView)


def rows(view: ArticleView) -> list[str]:
    return ["".join(run.text for run in line.runs) for line in view.text_layout.lines]


def screen_rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text.strip() for y in range(view.size.height)]


async def test_opens_with_header_and_styled_blocks(archive: Archive) -> None:
    article_id = add_rich(archive)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        view = view_of(app)
        assert view.has_focus
        shown = screen_rows(view)
        assert shown[0] == "A rich article"
        assert shown[1] == "Ada Writer · Example Site · 2024-03-05"
        assert shown[2] == "https://example.com/article"
        assert shown[3].startswith("1 min read")
        assert FIRST in shown
        assert "• A bullet item long enough to wrap once in a narrower column." in shown
        laid_out = rows(view)
        assert "[image: difference engine]" in laid_out
        assert "Name         │ Born" in laid_out
        # The column is centred and at most 76 cells wide.
        assert view.text_layout.width == 76
        first = next(y for y in range(30) if FIRST in view.render_line(y).text)
        assert view.render_line(first).text.index(FIRST) == (view.size.width - 1 - 76) // 2 + 0


async def test_narrow_terminal_wraps_to_its_width(archive: Archive) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        assert view.text_layout.width < 40
        assert all(len(row) <= view.text_layout.width for row in rows(view))
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert view.text_layout.width == 76


def cursor_row(view: ArticleView) -> int:
    """The row of the screen the cursor is on."""
    return view.text_layout.line_of(view.cursor) - round(view.scroll_y)


async def test_j_k_move_the_cursor_and_scroll_at_the_edges(archive: Archive) -> None:
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        layout = view.text_layout
        height = view.scrollable_content_region.height
        assert view.scroll_y == 0 and view.cursor == 0
        start = cursor_row(view)
        # The cursor moves down the screen, line by line, over the blank between blocks.
        await pilot.press("j", "j", "down")
        assert view.scroll_y == 0
        assert cursor_row(view) > start + 2 or cursor_row(view) == start + 3
        assert layout.lines[layout.line_of(view.cursor)].has_text
        await pilot.press("k")
        assert view.scroll_y == 0
        row = cursor_row(view)
        await pilot.press("up")
        assert cursor_row(view) < row
        # At the bottom edge the view scrolls, the cursor staying on the last row.
        for _ in range(height):
            if cursor_row(view) == height - 1:
                break
            await pilot.press("j")
        assert view.scroll_y == 0 and cursor_row(view) == height - 1
        await pilot.press("j", "j")
        assert view.scroll_y > 0 and cursor_row(view) == height - 1
        # And at the top edge, up.
        await pilot.press("space", "space")
        scrolled = view.scroll_y
        for _ in range(height):
            if cursor_row(view) == 0:
                break
            await pilot.press("k")
        assert view.scroll_y == scrolled and cursor_row(view) == 0
        await pilot.press("k")
        assert view.scroll_y < scrolled and cursor_row(view) == 0
        # At the very top, k shows what is above the text (the header).
        await pilot.press("g")
        assert view.cursor == 0 and view.scroll_y == 0


async def test_paging_takes_the_cursor_along(archive: Archive) -> None:
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        height = view.scrollable_content_region.height
        await pilot.press("j", "j", "j", "j", "j")
        row = cursor_row(view)
        await pilot.press("space")
        assert view.scroll_y == height - 1
        assert abs(cursor_row(view) - row) <= 1, "same place on the screen (a blank skipped)"
        await pilot.press("pagedown", "b")
        assert view.scroll_y == height - 1
        await pilot.press("pageup")
        assert view.scroll_y == 0
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 1000
        last = max(i for i, line in enumerate(view.text_layout.lines) if line.has_text)
        assert view.text_layout.line_of(view.cursor) == last
        await pilot.press("g")
        assert view.scroll_y == 0
        assert view.cursor == 0


async def test_heading_jumps(archive: Archive) -> None:
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        headings = view.text_layout.headings
        assert len(headings) >= 20
        assert view.text_layout.line_of(view.cursor) == headings[0]  # the article starts so
        await pilot.press("right_curly_bracket")
        assert view.scroll_y == headings[1]
        assert view.text_layout.line_of(view.cursor) == headings[1]
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert view.scroll_y == headings[3]
        assert rows(view)[headings[3]] == "Section 4"
        await pilot.press("left_curly_bracket")
        assert view.scroll_y == headings[2]
        await pilot.press("n", "N")  # find keys now: nothing to find, nothing moves
        assert view.scroll_y == headings[2]


async def test_position_saved_on_leaving_and_restored(archive: Archive) -> None:
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        await pilot.press("space", "space", "space", "j")
        top = view.top_offset
        scrolled = view.scroll_y
        assert top > 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReadingScreen)
    article = archive.get_article(article_id)
    assert article is not None
    assert article.position == top
    assert 0 < article.progress < 1
    assert not article.is_read
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        assert view.top_offset == top
        # The same text at the top (a blank line above it shares its offset).
        assert view.scroll_y in (scrolled, scrolled + 1)


async def test_position_saved_when_the_app_quits(archive: Archive) -> None:
    """Quitting while reading: the last position is queued as the screen closes, and the
    app's close waits for the writer to land it."""
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.press("space", "space")
        top = view_of(pilot.app).top_offset
        assert top > 0
        await pilot.press("ctrl+q")
    article = archive.get_article(article_id)
    assert article is not None and article.position == top


async def test_position_saved_while_reading(archive: Archive, settle: Settle) -> None:
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReadingScreen)
        await pilot.press("space")
        screen.save_position()  # what the once-a-second timer calls
        await settle(pilot)  # the write is queued for the writer thread
        article = archive.get_article(article_id)
        assert article is not None and article.position == view_of(pilot.app).top_offset > 0


async def test_marked_read_at_the_end(archive: Archive, settle: Settle) -> None:
    article_id = add_long(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space")
        summary = archive.get_summary(article_id)
        assert summary is not None and not summary.is_read
        await pilot.press("G")
        await settle(pilot)
        summary = archive.get_summary(article_id)
        assert summary is not None and summary.is_read
        await pilot.press("escape")
    article = archive.get_article(article_id)
    assert article is not None and article.progress == 1.0


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [("html", ".html"), ("mhtml", ".mhtml"), ("text", ".txt"), ("markdown", ".md")],
)
async def test_o_opens_the_saved_original(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, kind: str, suffix: str
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    extracted, raw = page("Evil/../../name", rich_blocks(), kind=kind)
    article_id = archive.add_article(extracted, raw)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert len(opened) == 1
    assert opened[0].startswith("file://")
    path = Path(opened[0].removeprefix("file://"))
    assert path.name == f"article-{article_id}{suffix}"
    assert path.read_bytes() == raw.data


async def test_escape_goes_back(archive: Archive) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReadingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReadingScreen)


async def test_hostile_title_shows_literally(archive: Archive) -> None:
    title = "[bold]Oops[/] \x1b[31mred\x1b[0m [link=https://e.x]x[/link]"
    article_id = archive.add_article(*page(title, rich_blocks()))
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_rows(view_of(pilot.app))
        assert shown[0] == "[bold]Oops[/] ␛[31mred␛[0m [link=https://e.x]x[/link]"


async def test_opens_a_20000_word_article(archive: Archive) -> None:
    article_id = add_long(archive, 20_000)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        assert len(view.text_layout) > 1500
        assert screen_rows(view)[0] == "A very long article"


async def test_missing_article_says_so(archive: Archive) -> None:
    async with ReadingApp(archive, 999).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReadingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReadingScreen)


async def test_help_lists_the_reading_keys(archive: Archive) -> None:
    from reader.tui.commands import screen_commands
    from reader.tui.screens.help import HelpScreen

    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = {name for name, _, _ in screen_commands(pilot.app.screen)}
        assert {
            "Highlight the selection",
            "Next heading",
            "Select from the cursor (visual mode)",
            "Open the saved original page in the browser",
            "Find in the article",
            "Star or unstar",
            "Delete the article (asks first), back to the library",
        } <= names
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReadingScreen)


# --- q, find, and the article's verbs -------------------------------------------------


def status_of(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one(ReadingStatus).render())


async def test_q_goes_back(archive: Archive) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReadingScreen)


async def test_find_marks_matches_and_steps_through_them(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(pilot.app)
        text = view.text
        places = [i for i in range(len(text)) if text.startswith("paragraph", i)]
        assert len(places) == 2
        await pilot.press("slash")
        bar = pilot.app.screen.query_one(FindBar)
        assert bar.display and bar.input.has_focus
        await type_text(pilot, "PARAGRAPH")  # case does not matter
        assert [start for start, _ in view.matches] == places
        assert view.cursor == places[0], "the cursor goes to the first match"
        assert str(bar.query_one("#find-count", Static).render()) == "1 of 2"
        assert "1 of 2" in status_of(pilot)
        # The matches are drawn marked, the current one apart.
        y = view.text_layout.line_of(places[0]) - round(view.scroll_y)
        x = view._margin() + (view.text_layout.cell_of(y + round(view.scroll_y), places[0]) or 0)
        strip = view.render_line(y)
        current = strip.crop(x + 1, x + 2)  # past the cursor's cell
        assert current.text == "a"
        [segment] = list(current)
        assert segment.style == view._style("p") + view._overlay_style("match-current")
        await pilot.press("enter")
        assert view.cursor == places[1]
        await pilot.press("enter")  # round to the first
        assert view.cursor == places[0]
        await pilot.press("shift+enter")
        assert view.cursor == places[1]
        await pilot.press("up")
        assert view.cursor == places[0]
        # Escape closes the find; the cursor stays on its match; n / N bring it back.
        await pilot.press("escape")
        assert not bar.display and view.has_focus and view.matches == []
        assert view.cursor == places[0]
        assert isinstance(pilot.app.screen, ReadingScreen)
        await pilot.press("n")
        assert view.cursor == places[1] and len(view.matches) == 2
        await pilot.press("N")
        assert view.cursor == places[0]
        await pilot.press("escape")  # the find, then back
        assert view.matches == [] and isinstance(pilot.app.screen, ReadingScreen)
        # Nothing found: said so in the bar.
        await pilot.press("slash")
        await type_text(pilot, "zebra")
        assert view.matches == [] and bar.has_class("-not-found")
        assert str(bar.query_one("#find-count", Static).render()) == "no match"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReadingScreen)


async def test_keys_typed_right_after_slash_go_to_the_find_bar(
    archive: Archive, settle: Settle
) -> None:
    """All in the app's queue at once, as a fast typist's or a paste's keys arrive: none
    reaches the screen's bindings (s stars, a archives, t opens the tag editor)."""
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, char in (("slash", "/"), ("s", "s"), ("a", "a"), ("t", "t")):
            pilot.app.post_message(events.Key(key, char))
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
        assert pilot.app.screen.query_one(FindBar).input.value == "sat"
    summary = archive.get_summary(article_id)
    assert summary is not None and not summary.starred and not summary.is_archived


async def test_find_ignores_accents_and_crosses_line_breaks(archive: Archive) -> None:
    blocks = (
        Block("paragraph", "A CAFÉ on the corner, then a café and a cafe."),
        Block("paragraph", "Crème brûlée.\nStraße"),
    )
    article_id = archive.add_article(*page("Cafés", blocks))
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        await pilot.press("slash")
        await type_text(pilot, "cafe")
        assert [view.text[s:e] for s, e in view.matches] == ["CAFÉ", "café", "cafe"]
        await pilot.press("ctrl+u")
        await type_text(pilot, "brulee. strasse")
        assert [view.text[s:e] for s, e in view.matches] == []  # ß is not "ss"
        for _ in "strasse":
            await pilot.press("backspace")
        await type_text(pilot, "straße")
        assert [view.text[s:e] for s, e in view.matches] == ["brûlée.\nStraße"]


async def test_find_in_a_20000_word_article_places_the_cursor(archive: Archive) -> None:
    article_id = add_long(archive, 20_000)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(pilot.app)
        await pilot.press("G", "g", "slash")
        await type_text(pilot, "section 17")
        assert len(view.matches) == 1
        start = view.matches[0][0]
        assert view.cursor == start
        top = round(view.scroll_y)
        assert top <= view.text_layout.line_of(start) < top + view.size.height
        await pilot.press("ctrl+u")
        await type_text(pilot, "the")  # thousands: counted over the text, not the screen
        assert len(view.matches) == view.text.lower().count("the")
        assert "of" in status_of(pilot)


async def test_article_verbs_have_the_library_keys(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "a", "m")
        await settle(pilot)
        summary = archive.get_summary(article_id)
        assert summary is not None
        assert summary.starred and summary.is_archived and summary.is_read
        await pilot.press("s", "a", "m")
        await settle(pilot)
        summary = archive.get_summary(article_id)
        assert summary is not None
        assert not (summary.starred or summary.is_archived or summary.is_read)
        await pilot.press("E")
        await pilot.press("A")
        await pilot.pause()
        app = pilot.app
        assert isinstance(app, ReadingApp)
        assert [type(m) for m in app.asked] == [ExportNotes, ShowAnnotations]
        assert app.asked[0].article_ids == [article_id]  # type: ignore[attr-defined]


async def test_t_edits_the_article_tags(archive: Archive, settle: Settle) -> None:
    from reader.tui.screens.tag_editor import TagEditor

    extracted, raw = page("Tagged", rich_blocks())
    article_id = archive.add_article(extracted, raw, tags=["old"])
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        assert editor.tags == ["old"]
        await type_text(pilot, "fresh")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
    assert archive.tags_of(article_id) == ["fresh", "old"]


async def test_d_deletes_after_asking_and_goes_back(archive: Archive, settle: Settle) -> None:
    from reader.tui.screens.dialogs import ConfirmDialog

    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
        assert archive.get_summary(article_id) is not None
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ReadingScreen)
    assert archive.get_summary(article_id) is None


async def test_status_line_shows_the_note_of_the_highlight(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    note = "Why this matters: " + "a long thought " * 20 + "THE END"
    archive.add_highlight(article_id, 0, 9, note=note, color="blue")
    archive.add_highlight(article_id, 10, 19)
    async with ReadingApp(archive, article_id).run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        shown = status_of(pilot)
        assert "blue highlight: Why this matters: a long thought" in shown
        assert "THE END" not in shown and "…" in shown, "cut to fit"
        assert shown.endswith("2 highlights") and len(shown) <= 80 - 2
        await pilot.press("slash", "f", "i", "r", "s", "t", "escape")  # onto the other one
        await pilot.press("slash", "p", "a", "r", "a", "escape")
        assert "yellow highlight (no note: e writes one)" in status_of(pilot)
