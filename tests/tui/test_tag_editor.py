"""The tag editor and the delete confirmation, opened from any screen through
reader.tui.article_actions (as the reading view does), and the editor's keys."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from reader.models import ArticleSummary
from reader.tui.access import ArchiveConnections
from reader.tui.article_actions import confirm_delete, edit_tags
from reader.tui.screens.dialogs import ConfirmDialog
from reader.tui.screens.tag_editor import TagEditor, TagOptions


class OneArticleApp(App[None]):
    """A bare app over an archive: no library screen, as the reading view would be."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.access = ArchiveConnections(path)
        self.edited: list[list[ArticleSummary]] = []
        self.deleted: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static("reading")

    def on_unmount(self) -> None:
        self.access.close()


def first_id(app: OneArticleApp, title: str) -> int:
    return next(h.article.id for h in app.access.archive.search(f'title:"{title}"'))


def option_texts(editor: TagEditor) -> list[str]:
    options = editor.query_one(TagOptions)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_tags_from_another_screen_with_removing_shown(library_path: Path, ui) -> None:
    app = OneArticleApp(library_path)
    async with app.run_test(size=(100, 30)) as pilot:
        rust = first_id(app, "Fearless concurrency with Rust")
        edit_tags(app.screen, app.access, [rust], app.edited.append)
        await ui.settle(pilot)
        editor = app.screen
        assert isinstance(editor, TagEditor)
        await pilot.press("tab")  # into the list: the cursor is on its first tag
        options = editor.query_one(TagOptions)
        assert options.has_focus and options.highlighted == 0
        await pilot.press("x")  # rust: marked, still listed
        assert option_texts(editor) == ["#rust  (removing)", "#to-read"]
        await pilot.press("x")  # and kept again
        assert option_texts(editor) == ["#rust", "#to-read"]
        await pilot.press("down", "x", "shift+tab")
        await ui.type_text(pilot, "new one")
        await pilot.press("enter")
        assert option_texts(editor) == ["#new one  (new tag)", "#rust", "#to-read  (removing)"]
        assert "esc applies" in str(editor.query_one(".dialog-hint", Static).render())
        await pilot.press("escape")  # applies
        await ui.settle(pilot)
    assert len(app.edited) == 1
    assert list(app.edited[0][0].tags) == ["new one", "rust"]


async def test_delete_from_another_screen_asks_then_reports(library_path: Path, ui) -> None:
    app = OneArticleApp(library_path)
    async with app.run_test(size=(100, 30)) as pilot:
        rust = first_id(app, "Fearless concurrency with Rust")
        confirm_delete(app.screen, app.access, [rust], app.deleted.append)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Fearless concurrency with Rust" in dialog.question.plain
        await pilot.press("y")
        await ui.settle(pilot)
        assert app.deleted == [1]
        assert app.access.archive.get_summary(rust) is None
