"""Highlight tags in the TUI: T on the highlight under the cursor and on the panel's
row opens the tag editor, what it applies is saved and shown; the all-highlights view
filters by color: and htag:, and says what is wrong with a colour that cannot be."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from reader.archive import Archive
from reader.tui.screens.annotations import AnnotationsScreen
from reader.tui.screens.tag_editor import TagEditor
from reader.tui.widgets.annotations_panel import AnnotationsPanel

from .reading_helpers import ReadingApp, Settle, add_rich, option_text
from .test_app import ReaderApp, annotate, text_of

SIZE = (100, 30)


async def apply_tags(pilot: Pilot, settle: Settle, *names: str) -> None:
    """In the open tag editor: each name typed and added, then applied (escape)."""
    assert isinstance(pilot.app.screen, TagEditor)
    for name in names:
        await pilot.press(*name)
        await pilot.press("enter")
    await pilot.press("escape")
    await settle(pilot)


async def test_T_tags_the_highlight_under_the_cursor(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    highlight = archive.add_highlight(article_id, 0, 9, note="#from-note")
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, TagEditor)
        assert "from-note" in str(editor.query_one(OptionList).get_option_at_index(0).prompt)
        await apply_tags(pilot, settle, "idea")
        assert archive.get_annotation(highlight).tags == ("from-note", "idea")
        await pilot.press("p")
        await settle(pilot)
        row = option_text(pilot.app.screen.query_one(AnnotationsPanel).options, 0)
        assert "#from-note #idea" in row


async def test_T_with_no_highlight_under_the_cursor_says_so(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, TagEditor)
        assert any("No highlight under the cursor" in n.message for n in pilot.app._notifications)


async def test_T_in_the_panel_tags_its_row_and_refuses_a_bad_name(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    far = text.index("last paragraph")
    archive.add_highlight(article_id, 0, 9)
    second = archive.add_highlight(article_id, far, far + 14, color="pink")
    archive.add_article_note(article_id, "overall")
    async with ReadingApp(archive, article_id).run_test(size=(110, 20)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("down", "T")
        await settle(pilot)
        await apply_tags(pilot, settle, "work/reader")
        assert archive.get_annotation(second).tags == ("work/reader",)
        panel = pilot.app.screen.query_one(AnnotationsPanel)
        assert "#work/reader" in option_text(panel.options, 1)
        await pilot.press("T")
        await settle(pilot)
        await apply_tags(pilot, settle, "two words")
        assert archive.get_annotation(second).tags == ("work/reader",)
        assert any("not a highlight tag" in n.message for n in pilot.app._notifications)
        await pilot.press("down", "T")  # the article note: no editor
        await settle(pilot)
        assert not isinstance(pilot.app.screen, TagEditor)


async def test_the_all_highlights_view_filters_by_colour_and_tag(library_path: Path, ui) -> None:
    _, yellow = annotate(library_path)
    with Archive(library_path) as archive:
        article = archive.get_annotation(yellow).article_id  # type: ignore[union-attr]
        text = archive.get_article(article).text  # type: ignore[union-attr]
        end = len(text.rstrip())
        start = text.rindex(" ", 0, end - 1) + 1  # the last word, far from "borrow checker"
        blue = archive.add_highlight(article, start, end, color="blue", note="#idea")
        archive.tag_highlight(yellow, add=["later"])
    async with ReaderApp(library_path).run_test(size=(120, 35)) as pilot:
        await ui.settle(pilot)
        await pilot.press("A")
        await ui.settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AnnotationsScreen) and len(screen.entries) == 3
        await pilot.press("slash")
        await ui.type_text(pilot, "color:blue")
        await ui.settle(pilot)
        assert [e.annotation.id for e in screen.entries] == [blue]
        screen.query_one(Input).value = "htag:later"
        await ui.settle(pilot)
        assert [e.annotation.id for e in screen.entries] == [yellow]
        assert "#later" in text_of(screen.query_one(OptionList).get_option_at_index(0).prompt)
        screen.query_one(Input).value = "-htag:later borrow"
        await ui.settle(pilot)
        assert [e.annotation.id for e in screen.entries] == []
        screen.query_one(Input).value = f"{text[start:end].strip('.')} htag:idea"
        await ui.settle(pilot)
        assert [e.annotation.id for e in screen.entries] == [blue]
        screen.query_one(Input).value = "color:red"
        await ui.settle(pilot)
        status = str(screen.query_one("#annotation-status", Static).render())
        assert "color: expects one of yellow, green, blue, pink, not 'red'" in status
        assert [e.annotation.id for e in screen.entries] == [blue]  # the list stays
