"""Annotating in the reading view: select (keys, mouse), highlight, notes, colours,
delete and undo, the panel, and finding it all again after a restart."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TextArea

from reader.archive import Archive
from reader.models import Annotation
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.annotations_panel import AnnotationsPanel
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.note_editor import NoteEditor

from .reading_helpers import FIRST, ReadingApp, Settle, add_rich, option_text, page, rich_blocks

SIZE = (100, 30)


def view_of(pilot: Pilot) -> ArticleView:
    return pilot.app.screen.query_one(ArticleView)


def highlights(archive: Archive, article_id: int) -> list[Annotation]:
    return [a for a in archive.annotations_for(article_id) if not a.is_article_note]


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def select_first_words(pilot: Pilot, words: int) -> ArticleView:
    """From the top of the article: v, then w `words` times."""
    view = view_of(pilot)
    assert view.cursor == 0
    await pilot.press("v", *["w"] * words)
    return view


async def test_select_by_word_and_highlight(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await select_first_words(pilot, 3)
        assert view.selection == (0, len("The first paragraph"))
        await pilot.press("h")
        await settle(pilot)
        assert view.selection_anchor is None
        assert [s.start for s in view.highlights] == [0]
    [annotation] = highlights(archive, article_id)
    assert annotation.exact == "The first paragraph"
    assert annotation.color == "yellow" and annotation.note == ""


async def test_selection_moves_by_char_sentence_and_line(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        text = view.text
        await pilot.press("v", "right_parenthesis")
        assert view.selection == (0, len(FIRST)), "one sentence"
        await pilot.press("left", "left")
        assert view.selection == (0, len(FIRST) - 2)
        await pilot.press("right")
        assert view.selection == (0, len(FIRST) - 1)
        await pilot.press("b")
        assert text[view.cursor :].startswith("link")
        await pilot.press("left_parenthesis")
        assert view.cursor == 0
        # j extends by line, across blocks: into the heading under the paragraph.
        await pilot.press("j")
        start, end = view.selection or (0, 0)
        assert start == 0 and text[end - 1] in "Lists and quotes"
        assert end > len(FIRST) + 2
        await pilot.press("h")
        await settle(pilot)
    [annotation] = highlights(archive, article_id)
    assert annotation.exact.startswith(FIRST + "\n\nL"), "a highlight may cross blocks"


async def test_escape_cancels_the_selection_then_leaves(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await select_first_words(pilot, 2)
        assert view.selection is not None
        await pilot.press("escape")
        assert view.selection is None
        assert isinstance(pilot.app.screen, ReadingScreen)
        await pilot.press("h")  # nothing selected: nothing written
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ReadingScreen)
    assert highlights(archive, article_id) == []


async def test_mouse_drag_selects(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        text = view.text
        start = text.index("emphasis")
        last = text.index("strong words") + len("strong words") - 1

        def cell(offset: int) -> tuple[int, int]:
            y = view.text_layout.line_of(offset)
            x = view.text_layout.cell_of(y, offset)
            assert x is not None
            return view._margin() + x, y - round(view.scroll_y)

        await pilot.mouse_down(view, offset=cell(start))
        await pilot.hover(view, offset=cell(start + 3))
        await pilot.mouse_up(view, offset=cell(last))
        await settle(pilot)
        assert view.selection == (start, last + 1)
        await pilot.press("h")
        await settle(pilot)
        # A plain click puts the cursor, selecting nothing.
        await pilot.click(view, offset=cell(text.index("inline")))
        await settle(pilot)
        assert view.selection is None
        assert view.cursor == text.index("inline")
    [annotation] = highlights(archive, article_id)
    assert annotation.exact == "emphasis, strong words"


async def test_highlight_with_note_then_edit_it(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_first_words(pilot, 2)
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        # Typed and saved in one go (as a paste or a fast typist would): nothing lost.
        await pilot.press(*"first", "space", *"note", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
        [annotation] = highlights(archive, article_id)
        assert (annotation.exact, annotation.note) == ("The first", "first note")
        # The cursor is on the highlight: e edits its note.
        await pilot.press("e")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "first note"
        await type_text(pilot, ", edited")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Escape in the editor keeps what was typed (it saves, as ctrl+s does).
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, " and kept")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
    [annotation] = highlights(archive, article_id)
    assert annotation.note == "first note, edited and kept"


async def test_cycle_colour_delete_and_undo(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await select_first_words(pilot, 3)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert highlights(archive, article_id)[0].color == "green"
        assert view.highlights[0].color == "green"
        await pilot.press("c", "c", "c")
        await settle(pilot)
        assert highlights(archive, article_id)[0].color == "yellow"
        await pilot.press("c")
        before = highlights(archive, article_id)[0]
        await pilot.press("x")
        await settle(pilot)
        assert highlights(archive, article_id) == []
        assert view.highlights == []
        await pilot.press("u")
        await settle(pilot)
        [after] = highlights(archive, article_id)
        assert (after.start, after.end, after.color, after.exact) == (
            before.start,
            before.end,
            "green",
            before.exact,
        )
        assert len(view.highlights) == 1


async def test_jump_between_highlights(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    starts = [text.index(word) for word in ("emphasis", "Quoted", "last paragraph")]
    for start in starts:
        archive.add_highlight(article_id, start, start + 6)
    async with ReadingApp(archive, article_id).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        await pilot.press("right_square_bracket")
        assert view.cursor == starts[0]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert view.cursor == starts[2]
        top = round(view.scroll_y)
        assert top <= view.text_layout.line_of(starts[2]) < top + view.size.height
        await pilot.press("left_square_bracket")
        assert view.cursor == starts[1]


async def test_e_off_a_highlight_edits_the_article_note(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    archive.add_highlight(article_id, 0, 3)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w", "w", "e")  # w moves nothing outside visual mode
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        assert pilot.app.screen.heading == "Note on the highlight"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("j", "e")  # off the highlight: the article's note (none yet)
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, NoteEditor) and editor.heading == "Note on the article"
        await type_text(pilot, "about the whole thing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [note] = [a for a in archive.annotations_for(article_id) if a.is_article_note]
        assert note.note == "about the whole thing"
        await pilot.press("e")  # the same note again, not a second one
        await settle(pilot)
        assert pilot.app.screen.query_one(TextArea).text == "about the whole thing"
        await type_text(pilot, ", edited")
        await pilot.press("escape")
        await settle(pilot)
    notes = [a for a in archive.annotations_for(article_id) if a.is_article_note]
    assert [n.note for n in notes] == ["about the whole thing, edited"]


async def test_panel_lists_highlights_and_scrolls_to_one(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    far = text.index("last paragraph")
    archive.add_highlight(article_id, 4, 9, note="a note", color="blue")
    archive.add_highlight(article_id, far, far + 14, color="pink")
    archive.add_article_note(article_id, "overall")
    async with ReadingApp(archive, article_id).run_test(size=(110, 16)) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        panel = pilot.app.screen.query_one(AnnotationsPanel)
        assert not panel.display
        await pilot.press("p")
        await settle(pilot)
        assert panel.display
        options = panel.query_one(OptionList)
        assert options.has_focus and options.option_count == 3
        assert "first" in option_text(options, 0)
        assert "a note" in option_text(options, 0)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert view.cursor == far
        assert view.has_focus
        top = round(view.scroll_y)
        assert top <= view.text_layout.line_of(far) < top + view.size.height
        await pilot.press("p")
        await settle(pilot)
        assert not panel.display


async def test_annotations_survive_a_restart(archive_path: Path, settle: Settle) -> None:
    with Archive(archive_path) as archive:
        article_id = add_rich(archive)
        async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
            await settle(pilot)
            await select_first_words(pilot, 3)
            await pilot.press("H")
            await settle(pilot)
            await type_text(pilot, "kept")
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("c")
            await settle(pilot)
    with Archive(archive_path) as archive:
        async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
            await settle(pilot)
            view = view_of(pilot)
            [span] = view.highlights
            assert (span.start, span.end, span.color) == (0, len("The first paragraph"), "green")
            await pilot.press("p")
            await settle(pilot)
            prompt = option_text(pilot.app.screen.query_one(OptionList), 0)
            assert "The first paragraph" in prompt and "kept" in prompt


async def test_opening_at_an_annotation(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    far = text.index("last paragraph")
    annotation_id = archive.add_highlight(article_id, far, far + 4)
    app = ReadingApp(archive, article_id, annotation_id=annotation_id)
    async with app.run_test(size=(100, 16)) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        assert view.cursor == far
        top = round(view.scroll_y)
        assert top <= view.text_layout.line_of(far) < top + view.size.height


async def test_orphaned_highlight_is_listed_not_drawn(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    start = text.index("Quoted words")
    archive.add_highlight(article_id, start, start + len("Quoted words from someone wise"))
    kept = text.index("last paragraph")
    archive.add_highlight(article_id, kept, kept + len("last paragraph"))
    blocks = tuple(b for b in rich_blocks() if b.kind != "quote")
    report = archive.update_article(article_id, page("A rich article", blocks)[0])
    assert report.orphaned == 1
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        new_text = view.text
        assert [new_text[s.start : s.end] for s in view.highlights] == ["last paragraph"]
        await pilot.press("p")
        await settle(pilot)
        options = pilot.app.screen.query_one(OptionList)
        prompts = [option_text(options, i) for i in range(options.option_count)]
        assert any("not found in the text" in p for p in prompts)


async def test_double_click_selects_a_word(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        offset = view.text.index("paragraph") + 3
        y = view.text_layout.line_of(offset)
        x = view.text_layout.cell_of(y, offset)
        assert x is not None
        await pilot.double_click(view, offset=(view._margin() + x, y - round(view.scroll_y)))
        await settle(pilot)
        start = view.text.index("paragraph")
        assert view.selection == (start, start + len("paragraph"))


# --- the panel acts on its own row ----------------------------------------------------


async def test_panel_keys_act_on_the_selected_row(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    far = text.index("last paragraph")
    near = archive.add_highlight(article_id, 4, 9, note="near", color="blue")
    other = archive.add_highlight(article_id, far, far + 14, color="pink")
    note = archive.add_article_note(article_id, "overall")
    async with ReadingApp(archive, article_id).run_test(size=(110, 24)) as pilot:
        await settle(pilot)
        view = view_of(pilot)
        view.move_cursor(5)  # the text cursor on the first highlight
        await pilot.press("p")
        await settle(pilot)
        panel = pilot.app.screen.query_one(AnnotationsPanel)
        options = panel.query_one(OptionList)
        assert options.highlighted == 0 and options.has_focus
        # To the article note: e edits it, not the highlight under the text cursor.
        await pilot.press("down", "down")
        await settle(pilot)
        assert panel.selected is not None and panel.selected.id == note
        await pilot.press("e")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, NoteEditor) and editor.heading == "Note on the article"
        assert editor.query_one(TextArea).text == "overall"
        await type_text(pilot, " view")
        await pilot.press("escape")
        await settle(pilot)
        assert archive.get_annotation(note).note == "overall view"  # type: ignore[union-attr]
        assert archive.get_annotation(near).note == "near"  # type: ignore[union-attr]
        # c on the second highlight's row cycles its colour, not the first's.
        await pilot.press("up", "c")
        await settle(pilot)
        assert archive.get_annotation(other).color == "yellow"  # type: ignore[union-attr]
        assert archive.get_annotation(near).color == "blue"  # type: ignore[union-attr]
        # x deletes the row's highlight; the article note goes the same way; u undoes.
        await pilot.press("x")
        await settle(pilot)
        assert archive.get_annotation(other) is None
        assert panel.selected is not None and panel.selected.id == note
        await pilot.press("x")
        await settle(pilot)
        assert [a.id for a in archive.annotations_for(article_id)] == [near]
        await pilot.press("u")
        await settle(pilot)
        assert archive.get_annotation(note).note == "overall view"  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot)
        assert [a.id for a in archive.annotations_for(article_id)] == [near, other, note]


async def test_panel_offers_to_write_the_first_article_note(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    async with ReadingApp(archive, article_id).run_test(size=(110, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        options = pilot.app.screen.query_one(OptionList)
        assert "No highlights yet" in option_text(options, 0)
        assert "No article note: e writes one" in option_text(options, 1)
        await pilot.press("down", "e")  # the row is selected (the first is disabled)
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        await type_text(pilot, "first thoughts")
        await pilot.press("escape")  # escape saves
        await settle(pilot)
        assert "first thoughts" in option_text(options, 1)
    [note] = archive.annotations_for(article_id)
    assert note.is_article_note and note.note == "first thoughts"


async def test_wrapped_quotes_in_the_panel_hang_under_their_text(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    start = text.index("A bullet")
    archive.add_highlight(article_id, start, start + 60, note="a note long enough to wrap too")
    async with ReadingApp(archive, article_id).run_test(size=(110, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        lines = option_text(pilot.app.screen.query_one(OptionList), 0, width=30).splitlines()
        assert lines[0].startswith("▌ A bullet")
        assert len(lines) > 3 and all(line.startswith("  ") for line in lines[1:])


# --- a highlight over highlights ------------------------------------------------------


async def test_highlight_over_one_extends_it_and_undo_restores(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    start = text.index("first paragraph")
    old = archive.add_highlight(article_id, start, start + 15, note="old", color="green")
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await select_first_words(pilot, 2)  # "The first": over "first"
        await pilot.press("H")
        await settle(pilot)
        await type_text(pilot, "new")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [merged] = highlights(archive, article_id)
        assert (merged.id, merged.exact, merged.color) == (old, "The first paragraph", "green")
        assert merged.note == "old\n\nnew", "both notes: the new one under the old"
        assert [(s.start, s.end) for s in view.highlights] == [(0, start + 15)]
        await pilot.press("u")
        await settle(pilot)
        [back] = highlights(archive, article_id)
        assert (back.id, back.exact, back.note) == (old, "first paragraph", "old")
        assert [(s.start, s.end) for s in view.highlights] == [(start, start + 15)]
        # h says it extended.
        await pilot.press("g", "v", "w", "w", "h")
        await settle(pilot)
        assert highlights(archive, article_id)[0].exact == "The first paragraph"
    assert any("Extended highlight" in str(n.message) for n in pilot.app._notifications)


async def test_emptying_a_note_asks_before_removing_it(archive: Archive, settle: Settle) -> None:
    from reader.tui.screens.dialogs import ConfirmDialog

    article_id = add_rich(archive)
    archive.add_highlight(article_id, 0, 9, note="gone?")
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, NoteEditor)
        assert "esc saves · ctrl+s saves" in str(editor.query_one("#note-hint", Static).render())
        for _ in "gone?":
            await pilot.press("backspace")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing: the editor, as it was
        await settle(pilot)
        assert pilot.app.screen is editor and editor.query_one(TextArea).has_focus
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
    [annotation] = highlights(archive, article_id)
    assert annotation.note == "", "the note went; the highlight stays"
