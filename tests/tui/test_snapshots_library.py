"""Snapshots of the library (pytest-textual-snapshot): populated, searched, empty, help.

Articles have fixed published dates (conftest.LIBRARY), so the screens are the same
on every run. After a change to the look, run `pytest --snapshot-update` on this file
and check the SVGs in the report before committing them.
"""

from __future__ import annotations

from pathlib import Path

from reader.tui.app import ReaderApp

SIZE = (120, 35)


def test_library_populated(library_path: Path, snap_compare, ui) -> None:
    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=ui.settle)


def test_library_filtered_by_a_search(library_path: Path, snap_compare, ui) -> None:
    async def search(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("slash")
        await ui.type_text(pilot, "borrow")
        await ui.settle(pilot)
        await pilot.press("enter")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=search)


def test_library_search_error(library_path: Path, snap_compare, ui) -> None:
    async def search(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("slash")
        await ui.paste(pilot, "tag:rust before:yesterday")  # no part searched before
        await ui.settle(pilot)
        pilot.app.screen.query_one("ArticleList").focus()
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=search)


def test_library_empty(empty_path: Path, snap_compare, ui) -> None:
    assert snap_compare(ReaderApp(empty_path), terminal_size=SIZE, run_before=ui.settle)


def test_help_screen(library_path: Path, snap_compare, ui) -> None:
    async def show_help(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("question_mark")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=(120, 50), run_before=show_help)


def test_tag_editor(library_path: Path, snap_compare, ui) -> None:
    async def edit(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("t")
        await ui.type_text(pilot, "new")
        await pilot.press("enter")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=edit)


def test_annotations_screen(library_path: Path, snap_compare, ui) -> None:
    from reader.archive import Archive

    with Archive(library_path) as archive:
        article = archive.search("title:fearless")[0].article
        text = archive.get_article(article.id).text
        start = text.index("borrow checker")
        archive.add_highlight(article.id, start, start + 14, note="[b]not markup[/b]")
        other = archive.search("title:sqlite")[0].article
        archive.add_article_note(other.id, "Compare with Postgres")

    async def open_annotations(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("A")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=open_annotations)


def test_delete_confirmation(library_path: Path, snap_compare, ui) -> None:
    async def ask(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("j", "j", "j", "d")  # the [bold]Oops[/] article: literal in the question
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=ask)


def test_import_dialog_with_an_error(library_path: Path, snap_compare, ui) -> None:
    async def mistype(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("i")
        await ui.paste(pilot, "~/no-such-folder")
        await pilot.press("down")
        await ui.type_text(pilot, "news")
        await pilot.press("enter")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=mistype)


def test_annotations_screen_with_highlight_tags(library_path: Path, snap_compare, ui) -> None:
    """A highlight's tags as #words under its note; the filter box holds htag:."""
    from reader.archive import Archive

    with Archive(library_path) as archive:
        article = archive.search("title:fearless")[0].article
        text = archive.get_article(article.id).text
        start = text.index("borrow checker")
        archive.add_highlight(
            article.id, start, start + 14, note="Why it works #idea", tags=["rust/memory"]
        )
        start = text.rindex(" ", 0, len(text.rstrip()) - 1) + 1
        archive.add_highlight(article.id, start, len(text.rstrip()), color="blue")

    async def filtered(pilot) -> None:
        await ui.settle(pilot)
        await pilot.press("A")
        await ui.settle(pilot)
        await pilot.press("slash")
        await ui.type_text(pilot, "htag:idea")
        await ui.settle(pilot)

    assert snap_compare(ReaderApp(library_path), terminal_size=SIZE, run_before=filtered)
