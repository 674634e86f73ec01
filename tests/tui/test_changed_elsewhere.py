"""The reading view while another program deletes its article or extracts it again
(issue #17, "two faces at once"): the other program is a second Archive on the same
file, as `reader delete` or `reader import --update` would be.

The screen's once-a-second tick is off (`no_ticks`): a test calls `_tick()` where it
wants one, so what the first key after the change finds out never hangs on timing.
"""

from __future__ import annotations

import webbrowser

import pytest
from textual.pilot import Pilot

from reader.archive import Archive
from reader.document import Block
from reader.models import Annotation
from reader.tui.screens.reading import ReadingScreen, ReadingStatus
from reader.tui.screens.tag_editor import TagEditor
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.note_editor import NoteEditor

from .reading_helpers import (
    FIRST,
    ReadingApp,
    Settle,
    add_long,
    add_rich,
    long_blocks,
    page,
    rich_blocks,
)

pytestmark = pytest.mark.usefixtures("no_ticks")

SIZE = (100, 30)

GONE_NOTE = "This article was deleted elsewhere; q goes back to the library"
CHANGED_NOTE = "The article changed elsewhere (extracted again): showing its new text"
PLACED = "The article changed elsewhere; your highlight was placed on the same words"
NOT_PLACED = "The article changed elsewhere; your highlight could not be placed: nothing was saved"
HIGHLIGHT_GONE = "That highlight was deleted elsewhere; nothing was saved"
LEAD = Block("paragraph", "A lead paragraph the new extraction found above the rest.")


def view_of(pilot: Pilot) -> ArticleView:
    return pilot.app.screen.query_one(ArticleView)


def reading_screen(pilot: Pilot) -> ReadingScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReadingScreen), screen
    return screen


def status_of(pilot: Pilot) -> str:
    return str(pilot.app.screen.query_one(ReadingStatus).render())


def highlights(archive: Archive, article_id: int) -> list[Annotation]:
    return [a for a in archive.annotations_for(article_id) if not a.is_article_note]


def spans(view: ArticleView) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in view.highlights]


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


def extracted_again(archive: Archive, article_id: int, blocks: tuple[Block, ...]) -> str:
    """`reader import --update` from another program: the article's text replaced."""
    archive.update_article(article_id, page("A rich article", blocks)[0])
    article = archive.get_article(article_id)
    assert article is not None
    return article.text


# --- deleted elsewhere ------------------------------------------------------------------


async def test_deleted_elsewhere_is_one_notification_and_a_way_back(
    archive: Archive, settle: Settle
) -> None:
    """The crash of issue #17: the article deleted by another program, then a scroll
    (the position save raised NotFoundError). Now one notification, whatever is tried."""
    article_id = add_long(archive, 2_000)
    archive.add_highlight(article_id, 0, 9)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reading_screen(pilot)
        archive.delete_article(article_id)  # another connection: another program
        await pilot.press("space", "space")
        screen.save_position()  # the timer's save, refused: the article is gone
        await settle(pilot)
        assert app.is_running and app.notes == [GONE_NOTE]
        assert status_of(pilot) == "This article was deleted elsewhere · q goes back to the library"
        # Every verb now: none writes, none says more, none crashes.
        for keys in (["v", "w", "h"], ["H"], ["c"], ["e"], ["x"], ["u"], ["s"], ["a"]):
            await pilot.press(*keys)
        for keys in (["m"], ["t"], ["d"], ["E"], ["o"], ["escape", "p", "p"], ["j", "k"]):
            await pilot.press(*keys)
        screen._tick()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen)
        assert app.notes == [GONE_NOTE] and app.asked == []
        # What was on screen stays to read: its text and its highlight.
        assert view_of(pilot).highlights and view_of(pilot).text
        await pilot.press("slash", "t", "h", "e", "enter")  # finding still works
        assert view_of(pilot).matches
        await pilot.press("escape", "q")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ReadingScreen)
        assert app.notes == [GONE_NOTE]


@pytest.mark.parametrize(
    "verb", ["s", "m", "x", "c", "u", "t", "d", "E", "o", "e", "h", "position", "tick"]
)
async def test_each_verb_on_an_article_deleted_elsewhere_says_so_once(
    archive: Archive, settle: Settle, verb: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first thing the reader does after the article went (no tick came between):
    it is what finds out, and the reader is told once."""
    monkeypatch.setattr(webbrowser, "open", lambda url: pytest.fail("opened a gone article"))
    article_id = add_rich(archive)
    highlight = archive.add_highlight(article_id, 0, 9)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reading_screen(pilot)
        if verb == "u":  # something to undo: a delete made before the article went
            await pilot.press("x")
            await settle(pilot)
            app.notes.clear()
        archive.delete_article(article_id)
        if verb == "h":
            await pilot.press("j", "v", "w", "h")
        elif verb == "position":
            await pilot.press("space")
            screen.save_position()
        elif verb == "tick":
            screen._tick()
        else:
            await pilot.press(verb)
        await settle(pilot)
        if not isinstance(pilot.app.screen, ReadingScreen):
            await pilot.press("escape")  # out of any dialog that opened, if one did
            await settle(pilot)
        assert app.is_running and isinstance(pilot.app.screen, ReadingScreen)
        assert app.notes == [GONE_NOTE], app.notes
        assert archive.get_annotation(highlight) is None and app.asked == []


# --- extracted again elsewhere ----------------------------------------------------------


async def test_extracted_again_elsewhere_shows_the_new_text_at_the_same_words(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_long(archive, 3_000)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reading_screen(pilot)
        await pilot.press("space", "space", "j", "j")
        view = view_of(pilot)
        old_text, top, cursor = view.text, view.top_offset, view.cursor
        top_words, cursor_words = old_text[top : top + 40], old_text[cursor : cursor + 40]
        lead = Block("paragraph", "A new first paragraph, added by the new extraction. " * 4)
        extracted, _ = page("A very long article (updated)", (lead, *long_blocks(3_000)))
        archive.update_article(article_id, extracted)  # reader import --update, elsewhere
        screen._tick()
        await settle(pilot)
        view = view_of(pilot)
        new = archive.get_article(article_id)
        assert new is not None and view.text == new.text != old_text
        assert view.header is not None and view.header.title == "A very long article (updated)"
        assert view.text[view.top_offset :].startswith(top_words)
        assert view.text[view.cursor :].startswith(cursor_words)
        assert view.has_focus
        assert app.notes == [CHANGED_NOTE]
        # The position saved now is the new text's.
        screen.save_position()
        await settle(pilot)
        saved = archive.get_article(article_id)
        assert saved is not None and saved.position == view.top_offset
        screen._tick()  # nothing changed since: nothing more happens
        await settle(pilot)
        assert app.notes == [CHANGED_NOTE] and view_of(pilot) is view


async def test_a_highlight_made_after_a_re_extraction_goes_on_the_words_selected(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "w", "w", "w")  # "The first paragraph"
        assert view_of(pilot).selection == (0, len("The first paragraph"))
        new = extracted_again(archive, article_id, (LEAD, *rich_blocks()))
        await pilot.press("h")  # no tick came between: the view still shows the old text
        await settle(pilot)
        [placed] = highlights(archive, article_id)
        assert placed.exact == "The first paragraph"
        assert new[placed.start : placed.end] == "The first paragraph" and placed.start > 0
        assert app.notes == [PLACED]
        view = view_of(pilot)
        assert view.text == new  # the view shows the new text, the highlight on it
        assert spans(view) == [(placed.start, placed.end)]
        assert view.cursor == placed.start


async def test_a_highlight_whose_words_went_is_refused_and_the_view_refreshed(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "w", "w", "w")
        new = extracted_again(archive, article_id, (LEAD, *rich_blocks()[1:]))
        await pilot.press("h")
        await settle(pilot)
        assert highlights(archive, article_id) == []
        assert app.notes == [NOT_PLACED]
        assert view_of(pilot).text == new and view_of(pilot).highlights == []
        assert isinstance(pilot.app.screen, ReadingScreen)


async def test_note_and_colour_of_a_highlight_deleted_elsewhere_are_refused(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    first = archive.add_highlight(article_id, 0, 9, note="old")
    emphasis = FIRST.index("emphasis")
    second = archive.add_highlight(article_id, emphasis, emphasis + 8)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert view_of(pilot).highlight_at() is not None
        archive.delete_annotation(first)  # `reader annotation delete`, elsewhere
        await pilot.press("c")
        await settle(pilot)
        assert app.notes == [HIGHLIGHT_GONE]
        assert [s.id for s in view_of(pilot).highlights] == [second], "gone from the view"
        # Deleted while its note was being written: the note is refused the same way.
        await pilot.press("right_square_bracket", "e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)
        archive.delete_annotation(second)
        await type_text(pilot, "lost")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.notes == [HIGHLIGHT_GONE, HIGHLIGHT_GONE]
        assert archive.annotations_for(article_id) == []
        assert isinstance(pilot.app.screen, ReadingScreen) and view_of(pilot).highlights == []


async def edit_tags(pilot: Pilot, settle: Settle) -> None:
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TagEditor)
    await type_text(pilot, "fresh")
    await pilot.press("enter", "ctrl+s")


async def edit_note(pilot: Pilot, settle: Settle) -> None:
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NoteEditor)
    await type_text(pilot, " and more")
    await pilot.press("ctrl+s")


# What each write from the stale view said, and what it left in the archive.
STALE_WRITES = {
    "s": (["Starred"], lambda a, i: a.get_summary(i).starred),
    "a": (["Archived"], lambda a, i: a.get_summary(i).is_archived),
    "m": (["Marked read"], lambda a, i: a.get_summary(i).is_read),
    "t": (["Tags: #fresh"], lambda a, i: a.tags_of(i) == ["fresh"]),
    "c": ([], lambda a, i: [h.color for h in highlights(a, i)] == ["green"]),
    "e": (["Note saved"], lambda a, i: [h.note for h in highlights(a, i)] == ["kept and more"]),
    "x": (["Highlight deleted: u undoes"], lambda a, i: highlights(a, i) == []),
    "u": (["Restored"], lambda a, i: [h.note for h in highlights(a, i)] == ["kept"]),
}


@pytest.mark.parametrize("verb", list(STALE_WRITES))
async def test_a_write_from_a_view_of_the_old_text_is_shown_on_the_new_one(
    archive: Archive, settle: Settle, verb: str
) -> None:
    """A tag, a state, a note, a colour, a delete or an undo made on the old text lands
    (they do not depend on where the words are), and the screen, reading the revision
    as the write lands, shows it on the new text, the highlight where its words are."""
    article_id = add_rich(archive)
    archive.add_highlight(article_id, 0, 9, note="kept")  # "The first", under the cursor
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if verb == "u":  # an undo of a delete made on the old text
            await pilot.press("x")
            await settle(pilot)
            app.notes.clear()
        new = extracted_again(archive, article_id, (LEAD, *rich_blocks()))
        if verb == "t":
            await edit_tags(pilot, settle)
        elif verb == "e":
            await edit_note(pilot, settle)
        else:
            await pilot.press(verb)
        await settle(pilot)
        said, landed = STALE_WRITES[verb]
        assert landed(archive, article_id), verb
        assert sorted(app.notes) == sorted([*said, CHANGED_NOTE])
        view = view_of(pilot)
        assert isinstance(pilot.app.screen, ReadingScreen) and view.text == new
        placed = [(h.start, h.end) for h in highlights(archive, article_id)]
        assert spans(view) == placed and all(new[s:e] == "The first" for s, e in placed)
        if verb == "u":  # the undone highlight is shown where its words are now
            assert view.cursor == placed[0][0] > 0


async def test_undo_whose_words_went_keeps_the_highlight_and_says_so(
    archive: Archive, settle: Settle
) -> None:
    article_id = add_rich(archive)
    archive.add_highlight(article_id, 0, 9, note="kept")
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        app.notes.clear()
        extracted_again(archive, article_id, (LEAD, *rich_blocks()[1:]))
        await pilot.press("u")
        await settle(pilot)
        [back] = highlights(archive, article_id)
        assert back.orphaned and back.exact == "The first" and back.note == "kept"
        assert view_of(pilot).highlights == []  # not drawn on other words
        assert sorted(app.notes) == sorted(
            [CHANGED_NOTE, "Restored (its words are no longer in the text: p lists it)"]
        )


async def test_an_open_find_finds_again_in_the_new_text(archive: Archive, settle: Settle) -> None:
    article_id = add_rich(archive)
    app = ReadingApp(archive, article_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"paragraph")
        await settle(pilot)
        screen = reading_screen(pilot)
        old = view_of(pilot).matches
        new = extracted_again(archive, article_id, (LEAD, *rich_blocks()))
        screen._tick()
        await settle(pilot)
        view = view_of(pilot)
        found = [(at, at + 9) for at in range(len(new)) if new.startswith("paragraph", at)]
        assert list(view.matches) == found != list(old) and len(found) == 3
        assert screen.find_bar.input.has_focus  # still typing in the find bar
        assert " of 3 " in status_of(pilot)
