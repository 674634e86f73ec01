"""The TUI's export: `E` in the reading view, and the ExportDialog the library pushes.

Each test builds a real archive (Archive.add_article + add_highlight/add_article_note),
drives the app with Pilot, waits for the export worker, and reads back what it wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from reader.archive import Archive
from reader.config import AppDefaults
from reader.export import ExportError, ExportReport
from reader.tui.app import ReaderApp
from reader.tui.messages import OpenArticle
from reader.tui.screens.export import (
    DEFAULT_EXPORT_DIR,
    EXPORT_DIR_SETTING,
    ExportCounts,
    ExportDialog,
    describe_counts,
    export_summary,
    resolve_destination,
)
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reading import ReadingScreen

SIZE = (110, 40)


def annotate(path: Path, ui: Any) -> dict[str, int]:
    """The library's five articles; two get highlights and notes. Title -> id."""
    ids = ui.build_archive(path)
    with Archive(path) as archive:
        by_title = {archive.get_summary(i).title: i for i in ids}
        rust = by_title["Fearless concurrency with Rust"]
        archive.add_highlight(rust, 4, 18, note="The point of the whole article.")
        archive.add_article_note(rust, "Read again before the talk.")
        gil = by_title["Understanding the Python GIL"]
        archive.add_highlight(gil, 4, 29)
    return by_title


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter of an exported file (parsed) and the Markdown after it."""
    assert text.startswith("---\n"), text[:40]
    end = text.index("\n---\n", 3)
    meta = yaml.safe_load(text[4 : end + 1])
    assert isinstance(meta, dict)
    return meta, text[end + 5 :]


def dialog(pilot: Pilot) -> ExportDialog:
    screen = pilot.app.screen
    assert isinstance(screen, ExportDialog), screen
    return screen


async def set_destination(pilot: Pilot, value: str | Path) -> None:
    field = dialog(pilot).query_one("#export-dest", Input)
    field.value = str(value)
    await pilot.pause()


async def export(pilot: Pilot, ui: Any) -> None:
    """Press enter in the destination and wait for the worker and what it posted."""
    await pilot.press("enter")
    await ui.settle(pilot)


def notifications(pilot: Pilot) -> list[str]:
    return [n.message for n in pilot.app._notifications]


async def open_reading(pilot: Pilot, app: ReaderApp, article_id: int, ui: Any) -> None:
    await ui.settle(pilot)
    app.post_message(OpenArticle(article_id))
    await ui.settle(pilot)
    assert isinstance(app.screen, ReadingScreen)


# --- from the reading view ----------------------------------------------------------


async def test_reading_view_E_exports_this_article_into_a_folder(
    tmp_path: Path, ui: Any, open_archive: Any
) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    rust = ids["Fearless concurrency with Rust"]
    notes = tmp_path / "notes"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, app, rust, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        box = dialog(pilot)
        assert box.article_ids == [rust]
        assert "this article" in box.description
        assert box.counts == ExportCounts(1, 1, 1, 1)
        await set_destination(pilot, notes)
        await export(pilot, ui)
        assert isinstance(app.screen, ReadingScreen), "the dialog closes after a success"
        messages = notifications(pilot)
    files = sorted(notes.glob("*.md"))
    assert [f.name for f in files] == ["Fearless concurrency with Rust.md"]
    meta, body = front_matter(files[0].read_text(encoding="utf-8"))
    assert meta["title"] == "Fearless concurrency with Rust"
    assert meta["tags"] == ["rust", "to-read"]
    assert "> borrow checker" in body
    assert "The point of the whole article." in body
    assert "Read again before the talk." in body
    assert any(
        "Exported 1 highlight and 1 note from 1 article to" in m and "1 written, 0 unchanged" in m
        for m in messages
    ), messages
    # The folder is remembered for the next export.
    assert open_archive(path).get_setting(EXPORT_DIR_SETTING) == str(notes)


async def test_second_export_reports_the_file_unchanged_and_defaults_to_the_last_folder(
    tmp_path: Path, ui: Any
) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    rust = ids["Fearless concurrency with Rust"]
    notes = tmp_path / "notes"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, app, rust, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        assert dialog(pilot).destination_input.value == DEFAULT_EXPORT_DIR
        await set_destination(pilot, notes)
        await export(pilot, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        assert dialog(pilot).destination_input.value == str(notes)
        await export(pilot, ui)
        messages = notifications(pilot)
    assert any("0 written, 1 unchanged" in m for m in messages), messages


async def test_the_config_files_folder_is_offered_until_one_is_used(
    tmp_path: Path, ui: Any
) -> None:
    path = tmp_path / "library.db"
    rust = annotate(path, ui)["Fearless concurrency with Rust"]
    notes = tmp_path / "from-config"
    app = ReaderApp(path, defaults=AppDefaults(export_folder=notes))
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, app, rust, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        assert dialog(pilot).destination_input.value == str(notes)
        await export(pilot, ui)
    assert len(list(notes.glob("*.md"))) == 1


async def test_reading_view_exports_into_one_markdown_file(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    gil = ids["Understanding the Python GIL"]
    out = tmp_path / "deep" / "gil.md"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, app, gil, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        await set_destination(pilot, out)
        assert "one file" in str(dialog(pilot).query_one("#export-dest-hint").render())
        await export(pilot, ui)
        assert isinstance(app.screen, ReadingScreen)
    assert out.is_file()
    assert not (tmp_path / "deep" / "Understanding the Python GIL.md").exists()
    meta, body = front_matter(out.read_text(encoding="utf-8"))
    assert meta  # the collection's own front matter
    assert "# Understanding the Python GIL" in body
    assert "> global interpreter lock" in body


async def test_a_file_reader_did_not_write_is_not_overwritten(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    rust = ids["Fearless concurrency with Rust"]
    mine = tmp_path / "my-notes.md"
    mine.write_text("# My own notes\n\nDo not touch.\n", encoding="utf-8")
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, app, rust, ui)
        await pilot.press("E")
        await ui.settle(pilot)
        await set_destination(pilot, mine)
        await export(pilot, ui)
        box = dialog(pilot)  # still open, showing why
        assert not box.running
        assert "\n" not in box.error_message
        assert str(mine) in box.error_message
        assert "was not written by reader" in box.error_message
        assert "Overwrite" in box.error_message  # points at the checkbox, not --force
        assert mine.read_text(encoding="utf-8") == "# My own notes\n\nDo not touch.\n"
        assert not any(m.startswith("Exported") for m in notifications(pilot))
        # Ticking "overwrite" lets the same export through.
        box.query_one("#export-force", Checkbox).value = True
        box.destination_input.focus()
        await export(pilot, ui)
        assert isinstance(app.screen, ReadingScreen)
    assert "borrow checker" in mine.read_text(encoding="utf-8")


async def test_escape_cancels_and_writes_nothing(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    notes = tmp_path / "notes"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_reading(pilot, app, ids["Fearless concurrency with Rust"], ui)
        await pilot.press("E")
        await ui.settle(pilot)
        await set_destination(pilot, notes)
        await pilot.press("escape")
        await ui.settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
    assert not notes.exists()


# --- the dialog as the library pushes it ----------------------------------------------


async def test_dialog_with_ids_exports_the_annotated_ones(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    chosen = [
        ids["Fearless concurrency with Rust"],
        ids["SQLite is not a toy database"],
        ids["Understanding the Python GIL"],
    ]
    notes = tmp_path / "notes"
    results: list[ExportReport | None] = []
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        app.push_screen(ExportDialog(app.access, chosen, "the 3 selected articles"), results.append)
        await ui.settle(pilot)
        box = dialog(pilot)
        assert box.counts == ExportCounts(3, 2, 2, 1)
        shown = str(box.query_one("#export-counts").render())
        assert "2 of 3 articles annotated (2 highlights, 1 note)" in shown
        await set_destination(pilot, notes)
        await export(pilot, ui)
        assert not isinstance(app.screen, ExportDialog)
    names = sorted(f.name for f in notes.glob("*.md"))
    assert names == ["Fearless concurrency with Rust.md", "Understanding the Python GIL.md"]
    (report,) = results
    assert report is not None
    assert (report.articles, report.highlights, report.notes) == (2, 2, 1)


async def test_dialog_include_all_writes_articles_without_annotations(
    tmp_path: Path, ui: Any
) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    chosen = [ids["SQLite is not a toy database"], ids["Fearless concurrency with Rust"]]
    notes = tmp_path / "notes"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        app.push_screen(ExportDialog(app.access, chosen, "the 2 selected articles"))
        await ui.settle(pilot)
        box = dialog(pilot)
        await set_destination(pilot, notes)
        box.query_one("#export-all", Checkbox).value = True
        box.destination_input.focus()
        await export(pilot, ui)
    names = sorted(f.name for f in notes.glob("*.md"))
    assert names == ["Fearless concurrency with Rust.md", "SQLite is not a toy database.md"]


async def test_dialog_says_when_there_is_nothing_to_export(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    notes = tmp_path / "notes"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        app.push_screen(
            ExportDialog(app.access, [ids["SQLite is not a toy database"]], "this article")
        )
        await ui.settle(pilot)
        box = dialog(pilot)
        assert "no highlights or notes" in str(box.query_one("#export-counts").render())
        await set_destination(pilot, notes)
        await export(pilot, ui)
        assert "Nothing to export" in dialog(pilot).error_message
    assert not notes.exists()


async def test_dialog_for_every_article_and_markup_in_the_description(
    tmp_path: Path, ui: Any
) -> None:
    path = tmp_path / "library.db"
    annotate(path, ui)
    out = tmp_path / "all.md"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        app.push_screen(ExportDialog(app.access, None, "[bold]every[/] article"))
        await ui.settle(pilot)
        box = dialog(pilot)
        assert box.counts == ExportCounts(5, 2, 2, 1)
        title = str(box.query_one(".dialog-question").render())
        assert "[bold]every[/] article" in title
        await set_destination(pilot, out)
        await export(pilot, ui)
    body = out.read_text(encoding="utf-8")
    assert "# Fearless concurrency with Rust" in body
    assert "# Understanding the Python GIL" in body
    assert "# SQLite is not a toy database" not in body


async def test_empty_and_stdout_destinations_are_refused(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        app.push_screen(
            ExportDialog(app.access, [ids["Fearless concurrency with Rust"]], "this article")
        )
        await ui.settle(pilot)
        await set_destination(pilot, "")
        await export(pilot, ui)
        assert "Choose a folder" in dialog(pilot).error_message
        await set_destination(pilot, "-")
        await export(pilot, ui)
        assert "Standard output" in dialog(pilot).error_message


# --- pure helpers ---------------------------------------------------------------------


def test_resolve_destination(tmp_path: Path) -> None:
    assert resolve_destination("notes", tmp_path) == tmp_path / "notes"
    assert resolve_destination("  notes/../out.md ", tmp_path) == tmp_path / "out.md"
    assert resolve_destination("~/x", tmp_path) == Path.home() / "x"
    assert resolve_destination(str(tmp_path / "a"), Path("/elsewhere")) == tmp_path / "a"
    for bad in ("", "   ", "-"):
        try:
            resolve_destination(bad, tmp_path)
        except ExportError as error:
            assert "\n" not in str(error)
        else:
            raise AssertionError(f"{bad!r} accepted")


def test_describe_counts_and_summary(tmp_path: Path) -> None:
    assert describe_counts(ExportCounts(1, 0, 0, 0)) == "It has no highlights or notes yet."
    assert describe_counts(ExportCounts(1, 1, 2, 1)) == "It has 2 highlights, 1 note."
    assert describe_counts(ExportCounts(40, 0, 0, 0)) == (
        "None of the 40 articles has highlights or notes yet."
    )
    assert describe_counts(ExportCounts(1200, 12, 30, 4)) == (
        "12 of 1,200 articles annotated (30 highlights, 4 notes)."
    )
    report = ExportReport(
        articles=3,
        highlights=1,
        notes=2,
        written=[tmp_path / "a.md"],
        unchanged=[tmp_path / "b.md", tmp_path / "c.md"],
        output=tmp_path,
    )
    assert export_summary(report) == (
        f"Exported 1 highlight and 2 notes from 3 articles to {tmp_path}: 1 written, 2 unchanged"
    )


# --- `e` in the library (runs once LibraryScreen has the export action) ---------------

needs_library_export = pytest.mark.skipif(
    not hasattr(LibraryScreen, "action_export"), reason="the library's `e` is not bound yet"
)


@needs_library_export
async def test_library_E_exports_the_selected_articles(tmp_path: Path, ui: Any) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    rust, gil = ids["Fearless concurrency with Rust"], ids["Understanding the Python GIL"]
    notes = tmp_path / "notes"
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        await pilot.press("space", "space")  # the two newest: Rust and the GIL
        await pilot.press("E")
        await ui.settle(pilot)
        box = dialog(pilot)
        assert box.article_ids == [rust, gil]
        assert box.description == "the 2 selected articles"
        await set_destination(pilot, notes)
        await export(pilot, ui)
        assert isinstance(app.screen, LibraryScreen)
    names = sorted(f.name for f in notes.glob("*.md"))
    assert names == ["Fearless concurrency with Rust.md", "Understanding the Python GIL.md"]


@needs_library_export
async def test_library_E_without_a_selection_takes_the_current_search(
    tmp_path: Path, ui: Any
) -> None:
    path = tmp_path / "library.db"
    ids = annotate(path, ui)
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        await pilot.press("E")
        await ui.settle(pilot)
        assert dialog(pilot).article_ids is None
        assert dialog(pilot).description == "every article"
        await pilot.press("escape")
        await pilot.press("slash")
        await ui.type_text(pilot, "borrow")
        await ui.settle(pilot)
        await pilot.press("enter", "E")
        await ui.settle(pilot)
        box = dialog(pilot)
        expected = {ids["Fearless concurrency with Rust"], ids["Gardening for programmers"]}
        assert set(box.article_ids or []) == expected
        assert box.description == "the 2 articles of the current list"
        assert box.counts == ExportCounts(2, 1, 1, 1)


async def test_an_unticked_box_is_empty_and_a_ticked_one_shows_a_tick(
    tmp_path: Path, ui: Any
) -> None:
    path = tmp_path / "library.db"
    annotate(path, ui)
    app = ReaderApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await ui.settle(pilot)
        await pilot.press("E")
        await ui.settle(pilot)
        box = dialog(pilot).query_one("#export-all", Checkbox)
        assert not box.value
        assert str(box.render()).startswith("▐ ▌")
        box.toggle()
        await pilot.pause()
        assert str(box.render()).startswith("▐✓▌")
        await pilot.press("escape")
