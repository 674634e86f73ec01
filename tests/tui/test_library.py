"""Library screen: Pilot tests against real archive files (see conftest.LIBRARY)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from reader.archive import Archive
from reader.tui.app import ReaderApp
from reader.tui.screens.dialogs import ConfirmDialog, PromptDialog
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.import_dialog import ImportDialog
from reader.tui.screens.reading import ReadingScreen
from reader.tui.screens.tag_editor import TagEditor, TagOptions
from reader.tui.widgets.article_list import MAX_PAGES, PAGE_SIZE, ArticleList
from reader.tui.widgets.sidebar import Sidebar

NEWEST_FIRST = [
    "Fearless concurrency with Rust",
    "Understanding the Python GIL",
    "SQLite is not a toy database",
    "[bold]Oops[/] not markup",
    "Gardening for programmers",
]
RUST, PYTHON, SQLITE, OOPS, GARDEN = NEWEST_FIRST


def status(pilot) -> str:
    return str(pilot.app.screen.query_one("#search-status", Static).render())


def summary(path: Path, title: str):
    with Archive(path) as archive:
        for hit in archive.search("", limit=1000):
            if hit.article.title == title:
                return hit.article
    raise AssertionError(f"no article {title!r}")


async def start(app: ReaderApp, ui):
    """Enter the app (the caller keeps the context) and wait for the first rows."""
    context = app.run_test(size=(120, 35))
    pilot = await context.__aenter__()
    await ui.settle(pilot)
    return context, pilot


# --- the list --------------------------------------------------------------------------


async def test_lists_every_article_newest_first(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        assert ui.titles(pilot) == NEWEST_FIRST
        assert "5 articles" in status(pilot)
        text = ui.screen_text(pilot)
        assert "Rust Blog · 2024-03-05 · 1 min  #rust  #to-read" in text
        assert "✓ read" in text  # the Python article
        assert "★ Fearless concurrency" in text


async def test_page_text_is_shown_literally(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        text = ui.screen_text(pilot)
        assert "[bold]Oops[/] not markup" in text
        assert "[red]Evil[/red] · 2023-09-02" in text


async def test_escape_codes_in_a_title_are_made_visible(tmp_path: Path, ui) -> None:
    path = tmp_path / "hostile.db"
    ui.build_archive(path, [ui.Spec("Bell\x07 and \x1b[31mred\x1b[0m")])
    async with ReaderApp(path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        text = ui.screen_text(pilot)
        assert "\x1b" not in text and "\x07" not in text
        assert "red" in text


async def test_keys_move_the_cursor(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        await pilot.press("j", "down")
        assert articles.cursor == 2
        await pilot.press("k")
        assert articles.cursor == 1
        await pilot.press("end")
        assert articles.cursor == 4
        await pilot.press("G", "home")
        assert articles.cursor == 0
        await pilot.press("pagedown")
        assert articles.cursor == 4
        await pilot.press("up", "up", "up", "up", "up")
        assert articles.cursor == 0


async def test_click_moves_the_cursor(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        await pilot.click(ArticleList, offset=(10, 4))  # row 2 (two lines a row)
        assert articles.cursor == 2
        assert articles.current.article.title == SQLITE


async def test_a_large_archive_loads_only_the_pages_it_shows(tmp_path: Path, ui) -> None:
    path = tmp_path / "big.db"
    count = PAGE_SIZE * (MAX_PAGES + 2) + 7
    specs = [ui.Spec(f"Article {i:04d}", published="2020-01-01") for i in range(count)]
    ui.build_archive(path, specs)
    async with ReaderApp(path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        assert articles.total == count
        assert len(articles._pages) <= 2
        assert articles.virtual_size.height == count * 2
        await pilot.press("end")
        await ui.settle(pilot)
        last = f"Article {count - 1:04d}"  # the first added
        assert articles.current.article.title == last
        assert last in ui.screen_text(pilot)
        for _ in range(MAX_PAGES + 2):
            for _ in range(PAGE_SIZE // 20):
                await pilot.press("pageup")
            await ui.settle(pilot)
        assert len(articles._pages) <= MAX_PAGES
        await pilot.press("home")
        await ui.settle(pilot)
        assert articles.current.article.title == "Article 0000"
        # Back to the end: its page was dropped on the way up, and loads again.
        assert (count - 1) // PAGE_SIZE not in articles._pages
        await pilot.press("end")
        await ui.settle(pilot)
        assert articles.current.article.title == last


# --- state keys ----------------------------------------------------------------------


async def test_star_archive_and_mark_read(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("j", "j")  # SQLite: not starred, unread, not archived
        await pilot.press("s", "a", "m")
        await ui.settle(pilot)
        article = summary(library_path, SQLITE)
        assert article.starred and article.is_archived and article.is_read
        row = pilot.app.screen.query_one(ArticleList).current.article
        assert row.starred and row.is_archived and row.is_read
        assert "★ SQLite is not a toy database" in ui.screen_text(pilot)
        await pilot.press("s", "a", "m")
        await ui.settle(pilot)
        article = summary(library_path, SQLITE)
        assert not (article.starred or article.is_archived or article.is_read)


async def test_selection_applies_to_every_selected_article(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("j", "j", "space", "space")  # SQLite and Oops
        articles = pilot.app.screen.query_one(ArticleList)
        assert len(articles.selected) == 2
        assert "2 selected" in status(pilot)
        await pilot.press("s")
        await ui.settle(pilot)
        assert summary(library_path, SQLITE).starred
        assert summary(library_path, OOPS).starred
        assert not summary(library_path, GARDEN).starred
        await pilot.press("escape")
        assert not articles.selected


# --- search ----------------------------------------------------------------------------


async def test_search_filters_as_you_type(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("slash")
        assert isinstance(pilot.app.focused, Input)
        await ui.type_text(pilot, "borrow")
        await ui.settle(pilot)
        assert sorted(ui.titles(pilot)) == sorted([RUST, GARDEN])
        assert "2 articles" in status(pilot)
        assert "relevance" in status(pilot)
        text = ui.screen_text(pilot)
        assert "The borrow checker makes data races" in text  # the snippet line
        await pilot.press("enter")
        assert isinstance(pilot.app.focused, ArticleList)


async def test_the_word_being_typed_matches_as_a_prefix(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("slash")
        await ui.type_text(pilot, "borrow chec")
        await ui.settle(pilot)
        assert ui.titles(pilot) == [RUST]  # "checker" found before it is typed whole
        await ui.type_text(pilot, " ")
        await ui.settle(pilot)
        assert ui.titles(pilot) == []  # a finished word matches whole words only


async def test_search_language_and_stale_results(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("slash")
        # Typed quickly: only the last text is searched, whatever came back before.
        await ui.type_text(pilot, "tag:rust")
        await ui.settle(pilot)
        assert ui.titles(pilot) == [RUST]
        await pilot.press(*["backspace"] * 8)
        await ui.type_text(pilot, "-borrow is:unread")
        await ui.settle(pilot)
        assert ui.titles(pilot) == [SQLITE, OOPS]


async def test_a_big_count_shows_as_about_n_until_it_is_counted(
    tmp_path: Path, ui, monkeypatch
) -> None:
    import threading

    from reader.archive import bounds

    monkeypatch.setattr(bounds, "SAMPLE", 10)  # estimates from the newest 10 articles
    monkeypatch.setattr(bounds, "RANK_ALL", 5)
    path = tmp_path / "big.db"
    specs = [
        ui.Spec(f"Article {i:02d}", paragraphs=["often here" if i % 2 else "not here"])
        for i in range(60)
    ]
    ui.build_archive(path, specs)
    counted = threading.Event()
    exact_count = Archive.count

    def held_count(archive: Archive, query="") -> int:
        if "often" in str(query):  # the search's exact count waits for the test
            counted.wait(timeout=30)
        return exact_count(archive, query)

    monkeypatch.setattr(Archive, "count", held_count)
    async with ReaderApp(path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        await pilot.press("slash")
        await ui.paste(pilot, "often")
        for _ in range(200):  # the rows and the estimate, while the count is held
            if articles.loaded and "often" in str(articles.query_):
                break
            await pilot.pause()
        assert not articles.total_exact
        assert f"about {articles.total} articles" in status(pilot)
        assert len(ui.titles(pilot)) > 0  # the rows did not wait for the count
        counted.set()
        await ui.settle(pilot)
        assert articles.total_exact and articles.total == 30
        assert "30 articles" in status(pilot) and "about" not in status(pilot)


async def test_a_parse_error_is_shown_under_the_bar(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("slash")
        # Pasted, so no part of it is searched before the error (typed, "rust" would be).
        await ui.paste(pilot, 'rust "unclosed')
        await ui.settle(pilot)
        text = status(pilot)
        assert "at character" in text
        assert pilot.app.screen.query_one("#search-status").has_class("-error")
        assert pilot.app.screen.query_one("#search-input").has_class("-query-error")
        # The list stays as it was, and says so.
        assert len(ui.titles(pilot)) == 5
        assert "still shows the last valid search: 5 articles" in text
        await pilot.press("backspace")
        await ui.type_text(pilot, 'd"')
        await ui.settle(pilot)
        assert not pilot.app.screen.query_one("#search-status").has_class("-error")
        assert not pilot.app.screen.query_one("#search-input").has_class("-query-error")
        assert "0 articles" in status(pilot)


async def test_sort_cycles(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("S")  # published
        await ui.settle(pilot)
        assert "sorted by published" in status(pilot)
        assert ui.titles(pilot) == NEWEST_FIRST  # LIBRARY is in published order too
        await pilot.press("S")  # title
        await ui.settle(pilot)
        assert "sorted by title" in status(pilot)
        assert ui.titles(pilot) == sorted(NEWEST_FIRST, key=str.casefold)
        await pilot.press("S")  # added
        await ui.settle(pilot)
        assert "sorted by added" in status(pilot)


async def test_o_opens_the_saved_original_of_the_current_row(
    library_path: Path, ui, monkeypatch
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("j", "o")  # the Python article
        await ui.settle(pilot)
    assert len(opened) == 1
    path = Path(opened[0].removeprefix("file://"))
    assert path.name == f"article-{summary(library_path, PYTHON).id}.html"
    assert b"The global interpreter lock" in path.read_bytes()


async def test_counts_over_the_list_and_in_the_sidebar_agree_after_m(
    library_path: Path, ui
) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        sidebar = pilot.app.screen.query_one(Sidebar)
        sidebar.select_view("view:unread")
        await ui.settle(pilot)
        assert "Unread · 4 articles" in status(pilot)
        pilot.app.screen.query_one(ArticleList).focus()
        await pilot.press("m")  # Rust is read now: it leaves the Unread view
        await ui.settle(pilot)
        assert sidebar.counts["unread"] == 3
        assert "Unread · 3 articles" in status(pilot)
        assert RUST not in ui.titles(pilot) and len(ui.titles(pilot)) == 3


# --- the sidebar ---------------------------------------------------------------------


async def test_sidebar_filters_the_list(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        sidebar = pilot.app.screen.query_one(Sidebar)
        lines = [sidebar.render_line(y).text.split() for y in range(6)]
        assert lines[:4] == [["All", "5"], ["Unread", "4"], ["Starred", "1"], ["Archived", "1"]]
        assert lines[4][0] == "Annotated" and set(lines[5][0]) == {"─"}
        sidebar.focus()
        await pilot.press("down")  # Unread
        await ui.settle(pilot)
        assert PYTHON not in ui.titles(pilot) and len(ui.titles(pilot)) == 4
        await pilot.press("down")  # Starred
        await ui.settle(pilot)
        assert ui.titles(pilot) == [RUST]
        await pilot.press("enter")  # on to its articles
        assert isinstance(pilot.app.focused, ArticleList)
        sidebar.select_view("tag:python")
        await ui.settle(pilot)
        assert ui.titles(pilot) == [PYTHON]
        # The sidebar filter and the search combine.
        sidebar.select_view("view:all")
        await pilot.press("slash")
        await ui.type_text(pilot, "borrow")
        await ui.settle(pilot)
        sidebar.select_view("view:archived")
        await ui.settle(pilot)
        assert ui.titles(pilot) == [GARDEN]


async def test_rename_merge_and_delete_a_tag(library_path: Path, ui, open_archive) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        sidebar = pilot.app.screen.query_one(Sidebar)
        sidebar.focus()
        sidebar.select_view("tag:python")
        await ui.settle(pilot)
        await pilot.press("R")
        assert isinstance(pilot.app.screen, PromptDialog)
        await pilot.press(*["backspace"] * 10)
        await ui.type_text(pilot, "snakes")
        await pilot.press("enter")
        await ui.settle(pilot)
        assert ui.titles(pilot) == [PYTHON]  # still filtered, by the new name
        sidebar.select_view("tag:to-read")
        await pilot.press("M")
        await ui.type_text(pilot, "rust")
        await pilot.press("enter")
        await ui.settle(pilot)
        sidebar.select_view("tag:databases")
        await pilot.press("D")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await ui.settle(pilot)
        names = {t.name: t.count for t in sidebar.tags}
        assert names == {"rust": 1, "snakes": 1}
    archive = open_archive(library_path)
    assert {t.name for t in archive.tag_counts()} == {"rust", "snakes"}


# --- tags ------------------------------------------------------------------------------


async def test_tag_editor_adds_and_removes(library_path: Path, ui, open_archive) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("t")  # on the Rust article: rust, to-read
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        await ui.type_text(pilot, "pyt")  # completes to the existing "python"
        await pilot.pause()
        await pilot.press("tab", "enter")
        await ui.type_text(pilot, "Systems")
        await pilot.press("enter")
        assert editor.tags == ["python", "rust", "Systems", "to-read"]
        await pilot.press("tab")  # to the list, on its first tag; remove rust, the second
        assert editor.query_one(TagOptions).highlighted == 0
        await pilot.press("down", "x")
        assert "rust" not in editor.tags
        await pilot.press("shift+tab", "enter")  # empty input: apply
        await ui.settle(pilot)
        assert not isinstance(pilot.app.screen, TagEditor)
        assert "#python  #Systems  #to-read" in ui.screen_text(pilot)
    archive = open_archive(library_path)
    rust_id = summary(library_path, RUST).id
    assert archive.tags_of(rust_id) == ["python", "Systems", "to-read"]


async def test_tag_editor_on_a_selection(library_path: Path, ui, open_archive) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("space", "space", "t")
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        assert editor.total == 2
        await ui.type_text(pilot, "weekend")
        await pilot.press("enter", "enter")
        await ui.settle(pilot)
    assert "weekend" in open_archive(library_path).tags_of(summary(library_path, RUST).id)
    assert "weekend" in open_archive(library_path).tags_of(summary(library_path, PYTHON).id)


async def test_escape_applies_what_was_typed_and_ctrl_z_discards(
    library_path: Path, ui, open_archive
) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("t")
        await ui.type_text(pilot, "kept")
        await pilot.press("enter")  # shown as "(new tag)"
        await ui.type_text(pilot, "typed")  # still in the input
        await pilot.press("escape")
        await ui.settle(pilot)
        assert not isinstance(pilot.app.screen, TagEditor)
        await pilot.press("t")
        await ui.type_text(pilot, "nope")
        await pilot.press("enter", "ctrl+z")
        await ui.settle(pilot)
        assert not isinstance(pilot.app.screen, TagEditor)
    tags = open_archive(library_path).tags_of(summary(library_path, RUST).id)
    assert {"kept", "typed"} <= set(tags) and "nope" not in tags


# --- delete, open, refresh, import -----------------------------------------------------


async def test_delete_asks_first(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("d")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await ui.settle(pilot)
        assert len(ui.titles(pilot)) == 5
        await pilot.press("d", "y")
        await ui.settle(pilot)
        assert ui.titles(pilot) == NEWEST_FIRST[1:]
        assert "4 articles" in status(pilot)


async def test_enter_opens_the_reading_screen(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("j", "enter")
        await ui.settle(pilot)
        reading = pilot.app.screen
        assert isinstance(reading, ReadingScreen)
        assert reading.article_id == summary(library_path, PYTHON).id
        # What the reading screen changes shows in the row when it closes.
        pilot.app.archive.set_starred(reading.article_id, True)
        reading.dismiss(None)
        await ui.settle(pilot)
        assert pilot.app.screen.query_one(ArticleList).current.article.starred


async def test_refresh_shows_what_another_process_imported(library_path: Path, ui) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        with Archive(library_path) as other:
            ui.add(other, ui.Spec("From the command line", published="2025-01-01"))
        await pilot.press("r")
        await ui.settle(pilot)
        assert ui.titles(pilot)[0] == "From the command line"
        assert "6 articles" in status(pilot)


async def test_import_through_the_dialog(
    library_path: Path, saved_pages: Path, ui, open_archive
) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("i")
        assert isinstance(pilot.app.screen, ImportDialog)
        await ui.paste(pilot, str(saved_pages))  # a long path: pasted, not typed
        await pilot.press("down")  # to the tag (tab would complete the path)
        await ui.type_text(pilot, "from the tui")  # the tag for everything imported
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await ui.settle(pilot)
        titles = ui.titles(pilot)
        assert len(titles) == 7
        assert {"Imported page one", "Imported page two"} <= set(titles)
        assert not pilot.app.screen.query_one("#import-progress").display
        messages = [n.message for n in pilot.app._notifications]
        assert any(m.startswith("Imported 2 articles") for m in messages), messages
        sidebar = pilot.app.screen.query_one(Sidebar)
        assert sidebar.counts["all"] == 7
        assert sidebar.render_line(0).text.split() == ["All", "7"]
    archive = open_archive(library_path)
    assert {t.name: t.count for t in archive.tag_counts()}["from the tui"] == 2


async def test_a_mistyped_path_keeps_the_dialog_and_says_why(
    library_path: Path, tmp_path: Path, ui
) -> None:
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("i")
        missing = str(tmp_path / "nothing-here")
        await ui.paste(pilot, missing)
        await pilot.press("enter")
        await ui.settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportDialog)  # still open, what was typed kept
        assert dialog.query_one("#import-path", Input).value == missing
        assert "nothing-here: no such file or folder" in dialog.error_message
        await pilot.press("backspace")  # fixing it hides the error
        assert dialog.error_message == ""
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, ImportDialog)


async def test_import_failures_are_named_under_the_folder_imported(
    library_path: Path, tmp_path: Path, ui
) -> None:
    folder = tmp_path / "corpus"
    for site in ("alpha", "beta"):
        (folder / site).mkdir(parents=True)
        (folder / site / "expected.html").write_text("<html><body></body></html>")
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        library = ui.library(pilot)
        library.start_import([folder])
        await pilot.app.workers.wait_for_complete()
        await ui.settle(pilot)
        messages = [n.message for n in pilot.app._notifications]
        summary = next(m for m in messages if m.startswith("Imported 0 articles"))
        assert "alpha/expected.html: " in summary and "beta/expected.html: " in summary


# --- help and palette ----------------------------------------------------------------


async def test_help_lists_every_binding(library_path: Path, ui) -> None:
    from reader.tui.screens.library import LibraryScreen

    async with ReaderApp(library_path).run_test(size=(120, 50)) as pilot:
        await ui.settle(pilot)
        await pilot.press("question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        described = {desc for _, rows in help_screen.sections for _, desc in rows}
        for cls in (LibraryScreen, ArticleList, Sidebar):
            for binding in cls.BINDINGS:
                assert (binding.tooltip or binding.description) in described, binding
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_every_action_is_a_palette_command(library_path: Path, ui) -> None:
    from reader.tui.commands import screen_commands

    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        names = {name for name, _, _ in screen_commands(pilot.app.screen)}
        for wanted in ("Star or unstar", "Archive or unarchive", "Mark read or unread"):
            assert wanted in names
        assert {"Rename a tag", "Merge a tag into another", "Delete a tag"} <= names
        assert {"Open the article", "Import saved pages from a file or folder"} <= names
        await pilot.press("ctrl+p")
        await ui.type_text(pilot, "Star or")
        await ui.settle(pilot)
        await pilot.press("enter")
        await ui.settle(pilot)
    assert summary(library_path, RUST).starred is False  # RUST was starred: now unstarred


async def test_stale_results_are_dropped(library_path: Path, ui) -> None:
    from reader.query import parse_query

    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        articles.load(parse_query("borrow"))
        stale = articles._generation
        articles.load(parse_query("tag:python"))
        await ui.settle(pilot)
        assert ui.titles(pilot) == [PYTHON]
        # A late answer to the first search, or a page of it, changes nothing.
        with Archive(library_path) as archive:
            hits = archive.search("borrow")
        articles._apply(stale, parse_query("borrow"), len(hits), {0: hits}, False)
        articles._page_loaded(stale, 0, hits)
        assert ui.titles(pilot) == [PYTHON]
        assert articles.total == 1
