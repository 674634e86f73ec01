"""The app around the screens: start-up, theme memory, quit, welcome, annotations screen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.console import Console, RenderableType
from textual.widgets import Input, OptionList

from reader.archive import Archive
from reader.config import AppDefaults
from reader.tui import run_tui
from reader.tui.app import THEME_SETTING, ReaderApp
from reader.tui.messages import OpenArticle
from reader.tui.screens.annotations import AnnotationsScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.article_view import ArticleView


async def test_q_quits(library_path: Path, ui) -> None:
    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_during_an_import_asks_first(library_path: Path, ui) -> None:
    from reader.tui.screens.dialogs import ConfirmDialog

    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        pilot.app.screen.importer.running = True  # as while a worker imports
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog) and app.is_running
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_the_theme_is_remembered_across_runs(library_path: Path, ui) -> None:
    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await ui.settle(pilot)
    with Archive(library_path) as archive:
        assert archive.get_setting(THEME_SETTING) == "nord"
    again = ReaderApp(library_path)
    async with again.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert again.theme == "nord"


async def test_the_config_files_theme_applies_until_one_is_chosen(library_path: Path, ui) -> None:
    defaults = AppDefaults(theme="nord")
    async with ReaderApp(library_path, defaults=defaults).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert pilot.app.theme == "nord"
    with Archive(library_path) as archive:
        archive.set_setting(THEME_SETTING, "gruvbox")  # chosen in the reader: it wins
    async with ReaderApp(library_path, defaults=defaults).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert pilot.app.theme == "gruvbox"


async def test_an_unknown_saved_theme_is_ignored(library_path: Path, ui) -> None:
    with Archive(library_path) as archive:
        archive.set_setting(THEME_SETTING, "no-such-theme")
    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert app.theme == "textual-dark"


async def test_a_new_archive_opens_on_the_welcome_article(tmp_path: Path, ui) -> None:
    path = tmp_path / "new.db"
    app = ReaderApp(path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert len(ui.titles(pilot)) == 1
    async with ReaderApp(path).run_test(size=(120, 35)) as pilot:  # only once
        await ui.settle(pilot)
        assert len(ui.titles(pilot)) == 1


async def test_an_empty_archive_says_how_to_import(empty_path: Path, ui) -> None:
    async with ReaderApp(empty_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert "Press i to import" in ui.screen_text(pilot)
        await pilot.press("s", "a", "m", "t", "d", "enter")  # nothing to act on: no error
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)


def test_a_file_that_is_not_an_archive_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SystemExit) as exit_info:
        run_tui(path)
    assert "not.db" in str(exit_info.value.code)


# --- the annotations screen ---------------------------------------------------------


def annotate(path: Path) -> tuple[int, int]:
    with Archive(path) as archive:
        hit = archive.search("title:fearless")[0]
        text = archive.get_article(hit.article.id).text
        start = text.index("borrow checker")
        first = archive.add_highlight(
            hit.article.id, start, start + len("borrow checker"), note="[b]key[/b] idea"
        )
        other = archive.search("title:sqlite")[0].article.id
        archive.add_article_note(other, "Compare with Postgres")
        return hit.article.id, first


async def test_annotations_screen_lists_searches_and_opens(library_path: Path, ui) -> None:
    article_id, highlight_id = annotate(library_path)
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("A")
        await ui.settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AnnotationsScreen)
        assert len(screen.entries) == 2
        options = screen.query_one(OptionList)
        prompts = [text_of(options.get_option_at_index(i).prompt) for i in range(2)]
        assert any("borrow checker" in p and "[b]key[/b] idea" in p for p in prompts)
        assert any("Compare with Postgres" in p for p in prompts)
        await pilot.press("slash")
        assert isinstance(pilot.app.focused, Input)
        await ui.type_text(pilot, "borr")
        await ui.settle(pilot)
        assert [e.annotation.id for e in screen.entries] == [highlight_id]
        await pilot.press("enter")  # back to the list
        await pilot.press("enter")  # open the highlight in its article
        await ui.settle(pilot)
        reading = pilot.app.screen
        assert isinstance(reading, ReadingScreen)
        assert reading.article_id == article_id
        await pilot.press("escape")
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, AnnotationsScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LibraryScreen)


def text_of(renderable: RenderableType) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def quote_background(screen: AnnotationsScreen, quote: str) -> RichColor | None:
    """The background the list draws the words `quote` on."""
    options = screen.query_one(OptionList)
    for y in range(options.size.height):
        for segment in options.render_line(y):
            if quote in segment.text:
                return segment.style.bgcolor if segment.style else None
    raise AssertionError(f"{quote!r} not on screen")


async def test_annotations_show_a_highlight_in_the_reading_views_colour(
    library_path: Path, ui
) -> None:
    article_id, _ = annotate(library_path)  # a yellow highlight on "borrow checker"
    app = ReaderApp(library_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        app.post_message(OpenArticle(article_id))
        await ui.settle(pilot)
        view = app.screen.query_one(ArticleView)
        reading_yellow = view.get_component_rich_style("article-view--highlight-yellow").bgcolor
        await pilot.press("escape", "A")
        await ui.settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnnotationsScreen)
        assert quote_background(screen, "borrow checker") == reading_yellow
        # The one table: the theme's $highlight-yellow (reader.tui.palette), a pale shade
        # in a light theme.
        app.theme = "textual-light"
        await ui.settle(pilot)
        light = RichColor.parse(app.theme_variables["highlight-yellow"])
        assert light != reading_yellow
        assert quote_background(screen, "borrow checker") == light


# --- the import prompt's path completion ----------------------------------------------


async def test_path_completion(tmp_path: Path) -> None:
    from reader.tui.screens.dialogs import PathSuggester

    (tmp_path / "saved-pages").mkdir()
    (tmp_path / "saved-pages" / "article.html").write_text("<p>x</p>")
    (tmp_path / ".hidden").mkdir()
    suggester = PathSuggester(tmp_path)
    assert await suggester.get_suggestion("sav") == "saved-pages/"
    assert await suggester.get_suggestion("saved-pages/a") == "saved-pages/article.html"
    assert await suggester.get_suggestion(f"{tmp_path}/sa") == f"{tmp_path}/saved-pages/"
    assert await suggester.get_suggestion(".h") == ".hidden/"
    assert await suggester.get_suggestion("nothing") is None
    assert await suggester.get_suggestion("no-such-folder/x") is None


async def test_tab_completes_in_the_import_prompt(library_path: Path, saved_pages: Path, ui):
    from reader.tui.screens.import_dialog import ImportDialog as PromptDialog

    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("i")
        assert isinstance(pilot.app.screen, PromptDialog)
        await ui.paste(pilot, str(saved_pages) + "/")  # a long path: pasted, not typed
        await ui.type_text(pilot, "o")
        await ui.settle(pilot)
        await pilot.press("tab")
        assert pilot.app.focused.value == str(saved_pages / "one.html")
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, PromptDialog)


async def test_double_click_opens(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.click("ArticleList", offset=(10, 2), times=2)
        await ui.settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)


# --- page text to screen text --------------------------------------------------------------


def test_snippet_marks_become_styles() -> None:
    from reader.models import MATCH_END, MATCH_START
    from reader.tui.widgets.text import snippet_text, split_snippet

    snippet = f"…the {MATCH_START}borrow{MATCH_END} checker [b]{MATCH_START}x{MATCH_END}"
    assert split_snippet(snippet) == ("…the borrow checker [b]x", [(5, 11), (23, 24)])
    text = snippet_text(snippet, match_style="bold")
    assert text.plain == "…the borrow checker [b]x"
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [
        (5, 11, "bold"),
        (23, 24, "bold"),
    ]
