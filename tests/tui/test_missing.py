"""Missing pages in the TUI (issue #21): the sidebar's view and its hint, the library's
rows, a missing page's own view and its keys, `o` opening its URL, and highlights
waiting for their page in the annotations screen and the panel."""

from __future__ import annotations

import io
import webbrowser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from reader.archive import Archive, KnownItem
from reader.models import ArticleSummary
from reader.tui.app import ReaderApp
from reader.tui.missing import MISSING_HINT, NO_TEXT, NOT_SAVED, browsable_url, site_of, title_of
from reader.tui.screens.annotations import AnnotationsScreen
from reader.tui.screens.dialogs import ConfirmDialog
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.missing_page import ARRIVED, GONE, MissingPageScreen
from reader.tui.widgets.annotations_panel import AnnotationsPanel
from reader.tui.widgets.missing_page import MissingPageDetails
from reader.tui.widgets.note_editor import NoteEditor
from reader.tui.widgets.sidebar import MISSING_VIEW, Sidebar

from .missing_helpers import SLOW_SOFTWARE, SLOW_URL, add_missing_pages

SIZE = (120, 36)


def notifications(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


def option_ids(pilot: Pilot) -> list[str]:
    sidebar = pilot.app.screen.query_one(Sidebar)
    return [sidebar.get_option_at_index(i).id or "" for i in range(sidebar.option_count)]


async def missing_view(pilot: Pilot, ui) -> LibraryScreen:
    """The library on its Missing pages view, the list focused."""
    await ui.settle(pilot)
    screen = ui.library(pilot)
    screen.sidebar.select_view(MISSING_VIEW)
    await ui.settle(pilot)
    screen.articles.focus()
    await pilot.pause()
    return screen


async def open_slow(pilot: Pilot, ui) -> MissingPageScreen:
    """The missing page "Why software is slow" opened from the Missing pages view."""
    await missing_view(pilot, ui)
    assert ui.titles(pilot)[0] == SLOW_SOFTWARE
    await pilot.press("enter")
    await ui.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MissingPageScreen), screen
    return screen


def plain_text(*renderables: object) -> str:
    """What the renderables show, as plain text (100 cells wide)."""
    console = Console(width=100, record=True, file=io.StringIO())
    for renderable in renderables:
        console.print(renderable)
    return console.export_text()


def details_text(screen: MissingPageScreen) -> str:
    return plain_text(screen.query_one(MissingPageDetails).render())


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What `webbrowser.open` was asked to open (nothing is)."""
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    return opened


# --- the pure helpers -------------------------------------------------------------------


def test_browsable_url_takes_web_addresses_only() -> None:
    assert browsable_url("https://example.com/a?b=c") == "https://example.com/a?b=c"
    assert browsable_url("HTTP://Example.com") == "HTTP://Example.com"
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://h/x"):
        assert browsable_url(url) is None, url
    for url in ("https://", "https://exa mple.com", "https://e.com/\x1b[2J", "", None):
        assert browsable_url(url) is None, url
    assert browsable_url("https://e.com/" + "a" * 5000) is None
    assert browsable_url("http://[::1") is None  # a malformed address: no, not a crash


@given(st.text(max_size=60))
def test_browsable_url_never_lets_a_control_or_another_scheme_through(tail: str) -> None:
    for url in (tail, "https://example.com/" + tail, "javascript:" + tail):
        address = browsable_url(url)
        if address is not None:
            assert address.lower().startswith(("http://", "https://"))
            assert not any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in address)


def test_a_row_names_the_site_by_the_host_and_an_untitled_missing_page_by_its_url() -> None:
    bare = ArticleSummary(id=1, title="", url="https://www.example.com/x", missing=True)
    assert site_of(bare) == "example.com"
    assert title_of(bare) == "https://www.example.com/x"
    assert site_of(ArticleSummary(id=2, title="t", site_name="Blog", url="https://e.com")) == "Blog"
    assert title_of(ArticleSummary(id=3, title="", url="https://e.com")) == "(untitled)"
    assert site_of(ArticleSummary(id=4, title="", url="http://[::1", missing=True)) == ""
    assert site_of(ArticleSummary(id=5, title="t", url="https://e.com/x")) == ""  # a saved page


# --- the sidebar and the library -----------------------------------------------------


async def test_the_missing_pages_view_is_listed_after_annotated_with_its_count(
    missing_path: Path, ui
) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        ids = option_ids(pilot)
        assert ids.index(MISSING_VIEW) == ids.index("view:annotated") + 1
        assert pilot.app.screen.query_one(Sidebar).counts["missing"] == 3


async def test_no_missing_pages_no_view(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        assert MISSING_VIEW not in option_ids(pilot)
        assert not pilot.app.screen.query_one("#missing-hint").display


async def test_the_view_lists_the_missing_pages_under_its_hint(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await missing_view(pilot, ui)
        assert len(ui.titles(pilot)) == 3
        hint = screen.query_one("#missing-hint", Static)
        assert hint.display and str(hint.render()) == MISSING_HINT
        screen.sidebar.select_view("view:all")
        await ui.settle(pilot)
        assert not hint.display


async def test_a_missing_row_says_so_where_the_reading_time_goes(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await missing_view(pilot, ui)
        lines = ui.screen_text(pilot).splitlines()
        assert lines[0].strip() == SLOW_SOFTWARE
        assert lines[1].split("#")[0].split() == (
            ["example.com", "·", "added", "2023-04-02", "·", "missing", "page", "·", "✎", "3"]
        )
        # Titles and URLs from an export are drawn as they are, never as markup.
        assert "[bold red]Not markup[/bold red]" in lines[2]
        assert "javascript:alert(1)" in lines[4]  # no title: its URL
        assert " min" not in ui.screen_text(pilot)


async def test_counts_follow_a_missing_page_deleted(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await missing_view(pilot, ui)
        await pilot.press("d")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await ui.settle(pilot)
        assert screen.sidebar.counts["missing"] == 2
        assert len(ui.titles(pilot)) == 2
        assert "Missing pages · 2 articles" in str(
            screen.search_bar.query_one("#search-status").render()
        )


async def test_the_view_stays_while_chosen_when_its_last_page_goes(library_path: Path, ui) -> None:
    with Archive(library_path) as archive, archive.write():
        archive.add_missing(KnownItem(url="https://example.com/only", title="Only one"))
    async with ReaderApp(library_path).run_test(size=SIZE) as pilot:
        screen = await missing_view(pilot, ui)
        await pilot.press("d", "y")
        await ui.settle(pilot)
        assert screen.sidebar.filter_id == MISSING_VIEW  # not thrown back to All
        assert screen.articles.total == 0
        assert "No missing pages" in screen.articles.empty_message
        screen.sidebar.select_view("view:all")
        await ui.settle(pilot)
        screen.refresh_sidebar()
        await ui.settle(pilot)
        assert MISSING_VIEW not in option_ids(pilot)  # gone once another view is chosen


# --- `o`: its URL in the browser ------------------------------------------------------


async def test_o_on_a_missing_row_opens_its_url(missing_path: Path, ui, browser) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await missing_view(pilot, ui)
        await pilot.press("o")
        await ui.settle(pilot)
        assert browser == [SLOW_URL]
        assert any(m.startswith(f"Opened {SLOW_URL} in your browser") for m in notifications(pilot))


async def test_o_refuses_an_address_that_is_not_the_web(missing_path: Path, ui, browser) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await missing_view(pilot, ui)
        await pilot.press("G", "o")  # the untitled page: javascript:alert(1)
        await ui.settle(pilot)
        assert browser == []
        assert any(m.startswith("No web address to open") for m in notifications(pilot))


async def test_o_on_a_saved_article_still_opens_its_original(
    missing_path: Path, ui, browser
) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        ui.library(pilot).articles.focus()
        await pilot.press("g", "o")  # the newest: Rust, a saved page
        await ui.settle(pilot)
        assert len(browser) == 1 and browser[0].startswith("file://")


async def test_o_in_the_missing_page_opens_its_url(missing_path: Path, ui, browser) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await open_slow(pilot, ui)
        await pilot.press("o")
        await ui.settle(pilot)
        assert browser == [SLOW_URL]


# --- the missing page's view ------------------------------------------------------------


async def test_the_view_shows_its_details_notice_and_quotes(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        text = details_text(screen)
        for expected in (
            SLOW_SOFTWARE,
            "example.com · saved 2023-04-02",
            SLOW_URL,
            "unread",
            "#pocket",
            NOT_SAVED,
            "o opens it in your browser",
            "2 highlights, waiting for the page",
            "Every layer adds latency nobody measures.",
            "Measure first.",
            "The fastest code is the code that does not run.",
            "Article note",
            "Read before the perf review.",
        ):
            assert expected in text, expected
        await pilot.press("q")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_markup_from_an_export_is_shown_as_written(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await missing_view(pilot, ui)
        await pilot.press("j", "enter")
        await ui.settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MissingPageScreen)
        text = details_text(screen)
        for literal in ("[bold red]Not markup[/bold red]", "[i]brackets[/i]", "[red]a note[/red]"):
            assert literal in text


@pytest.mark.parametrize(
    "key",
    ["v", "h", "H", "slash", "n", "N", "c", "x", "left_square_bracket", "right_curly_bracket"],
)
async def test_a_key_that_needs_the_text_says_there_is_none(missing_path: Path, ui, key) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        await pilot.press(key)
        await ui.settle(pilot)
        assert pilot.app.screen is screen  # no crash, nothing opened
        assert NO_TEXT in notifications(pilot)
        await pilot.press("j", "k", "space", "g", "G")  # moving: nothing to move over
        await ui.settle(pilot)
        assert pilot.app.screen is screen


async def test_the_article_verbs_work_on_a_missing_page(
    missing_path: Path, ui, open_archive
) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        article_id = screen.article_id
        await pilot.press("s", "a", "m")
        await ui.settle(pilot)
        summary = open_archive(missing_path).get_summary(article_id)
        assert summary is not None
        assert summary.starred and summary.is_archived and summary.is_read and summary.missing
        assert "★ starred" in details_text(screen) and "archived" in details_text(screen)
        await pilot.press("d", "y")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert open_archive(missing_path).get_summary(article_id) is None


async def test_e_edits_the_article_note(missing_path: Path, ui, open_archive) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        await pilot.press("e")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        await pilot.press("end", "!", "escape")
        await ui.settle(pilot)
        notes = [a.note for a in open_archive(missing_path).annotations_for(screen.article_id)]
        assert "Read before the perf review.!" in notes
        assert "Read before the perf review.!" in details_text(screen)


async def test_export_of_a_missing_page_offers_its_quotes(missing_path: Path, ui) -> None:
    from reader.tui.screens.export import ExportDialog

    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await open_slow(pilot, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, ExportDialog)


async def test_the_page_imported_meanwhile_is_said(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        page, raw = ui.make_page(
            ui.Spec(
                SLOW_SOFTWARE, ["Every layer adds latency nobody measures. More."], url=SLOW_URL
            )
        )
        with Archive(missing_path) as other, other.write():
            other.fill_missing(screen.article_id, page, raw)
        screen._check_article()  # the once-a-second tick
        await ui.settle(pilot)
        assert ARRIVED in notifications(pilot)
        assert "has been imported since" in details_text(screen)


async def test_deleted_elsewhere_is_said_once_and_the_verbs_turn_off(
    missing_path: Path, ui
) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        with Archive(missing_path) as other:
            other.delete_article(screen.article_id)
        screen._check_article()
        await pilot.press("s")
        await ui.settle(pilot)
        assert notifications(pilot).count(GONE) == 1
        assert screen.check_action("star", ()) is None
        await pilot.press("q")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)


# --- highlights waiting for their page ------------------------------------------------


async def test_the_panel_shows_quotes_waiting_for_their_page(missing_path: Path, ui) -> None:
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await open_slow(pilot, ui)
        await pilot.press("p")
        await ui.settle(pilot)
        panel = screen.query_one(AnnotationsPanel)
        assert not panel.has_class("-hidden")
        options = panel.options
        text = plain_text(
            *(options.get_option_at_index(i).prompt for i in range(options.option_count))
        )
        assert " ".join(text.split()).count("(waiting for its page)") == 2
        assert "not found in the text" not in text
        await pilot.press("c")  # the panel's colour key: on the quote selected
        await ui.settle(pilot)
        assert screen.annotations[0].color == "green"
        await pilot.press("enter")  # show it in the text: there is none
        await ui.settle(pilot)
        assert any("waiting for its page" in m for m in notifications(pilot))
        await pilot.press("escape")
        await ui.settle(pilot)
        assert panel.has_class("-hidden") and pilot.app.screen is screen


async def test_the_annotations_screen_tells_waiting_from_not_found(missing_path: Path, ui) -> None:
    with Archive(missing_path) as archive:
        saved = archive.search("title:gardening")[0].article.id
        with archive.write():
            archive.add_quote(saved, "words this page never had at all")  # not found in it
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        await pilot.press("A")
        await ui.settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AnnotationsScreen)
        options = screen.query_one(OptionList)
        text = plain_text(
            *(options.get_option_at_index(i).prompt for i in range(options.option_count))
        )
        assert text.count("(waiting for its page)") == 3
        assert text.count("(no longer found in the text)") == 1
        # Enter on a waiting quote opens its missing page, its panel at that quote.
        waiting = next(
            i for i, e in enumerate(screen.entries) if e.annotation.article_id in screen.missing
        )
        options.highlighted = waiting
        await pilot.press("enter")
        await ui.settle(pilot)
        page = pilot.app.screen
        assert isinstance(page, MissingPageScreen)
        panel = page.query_one(AnnotationsPanel)
        assert not panel.has_class("-hidden")
        assert panel.selected is not None
        assert panel.selected.id == screen.entries[waiting].annotation.id


async def test_a_saved_article_s_reading_view_is_unchanged(library_path: Path, ui) -> None:
    """The reading view is the reading screen's as before for a page that is saved."""
    from reader.tui.screens.reading import ReadingScreen

    with Archive(library_path) as archive:
        add_missing_pages(archive)
    async with ReaderApp(library_path).run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        ui.library(pilot).articles.focus()
        await pilot.press("enter")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
        assert pilot.app.screen.query("ArticleView")


SAVED_SLOW = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Why software is slow</title>
<link rel="canonical" href="https://example.com/essays/slow-software"></head>
<body><article><h1>Why software is slow</h1>
<p>Every layer adds latency nobody measures. This paragraph is long enough for the
extractor to keep it as the body of an article, with several sentences of prose.</p>
<p>The fastest code is the code that does not run. A second paragraph follows, because
readability likes pages with more than one paragraph of real text.</p>
<p>A third paragraph closes the article with a last thought on the matter.</p>
</article></body></html>
"""


async def test_importing_its_page_fills_it_and_the_counts_follow(
    missing_path: Path, tmp_path: Path, ui
) -> None:
    from reader.tui.screens.reading import ReadingScreen

    saved = tmp_path / "slow.html"
    saved.write_text(SAVED_SLOW, encoding="utf-8")
    async with ReaderApp(missing_path).run_test(size=SIZE) as pilot:
        screen = await missing_view(pilot, ui)
        screen.start_import([saved])
        await pilot.app.workers.wait_for_complete()
        await ui.settle(pilot)
        assert screen.sidebar.counts["missing"] == 2
        assert SLOW_SOFTWARE not in ui.titles(pilot)  # it left the Missing pages view
        screen.sidebar.select_view("view:all")
        await ui.settle(pilot)
        screen.articles.focus()
        row = ui.titles(pilot).index(SLOW_SOFTWARE)
        screen.articles.cursor = row
        await pilot.press("enter")
        await ui.settle(pilot)
        reading = pilot.app.screen
        assert isinstance(reading, ReadingScreen)  # its text now, its quotes on it
        assert len(reading.view.highlights) == 2
