"""What the reading view looks like (pytest-textual-snapshot; update with --snapshot-update,
and only after looking at the pictures)."""

from __future__ import annotations

from pathlib import Path

from reader.archive import Archive
from reader.document import Block
from reader.ingest.pipeline import ingest_path
from reader.models import COLORS
from reader.tui.stylesheets import APP_CSS, READING_CSS
from reader.tui.widgets.note_editor import NoteEditor

from .reading_helpers import ReadingApp, add_long, add_rich, page, rich_blocks

SIZE = (100, 34)
WELCOME = Path(__file__).resolve().parents[2] / "reader" / "data" / "welcome.html"
INFOBOX = (
    "New Zealand Aotearoa (Māori)\n"
    "Location of New Zealand, including outlying islands, its territorial claim in the "
    "Antarctic, and Tokelau\n"
    "Capital\tWellington 41°17′S 174°27′E / 41.283°S 174.450°E\n"
    "Largest city\tAuckland\n"
    "Official languages\tEnglish, Māori, NZ Sign Language\n"
    "Government\tUnitary parliamentary constitutional monarchy\n"
    "• Monarch\tElizabeth II\n"
    "• Prime Minister\tJacinda Ardern\n"
    "Area\n"
    "• Total\t268,021 km2 (103,483 sq mi) (75th)\n"
    "• Water (%)\t1.6"
)


class StyledReadingApp(ReadingApp):
    """With the app's stylesheet too, for what it styles (the help screen, dialogs)."""

    CSS_PATH = [APP_CSS, READING_CSS]  # noqa: RUF012 - Textual's own type


def keys(text: str) -> list[str]:
    return [{" ": "space"}.get(c, c) for c in text]


def test_rich_article(snap_compare, archive: Archive) -> None:
    article_id = add_rich(archive)
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE)


def test_rich_article_narrow(snap_compare, archive: Archive) -> None:
    article_id = add_rich(archive)
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=(48, 40))


def test_long_article_scrolled(snap_compare, archive: Archive) -> None:
    """Paged twice, to the next heading, the cursor a line down it."""
    article_id = add_long(archive)
    assert snap_compare(
        ReadingApp(archive, article_id),
        press=["space", "space", "right_curly_bracket", "j"],
        terminal_size=SIZE,
    )


def test_highlights_and_panel(snap_compare, archive: Archive) -> None:
    """The panel: swatches, quotes and notes wrapped under their own start; the status
    line shows the note of the highlight under the cursor."""
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    for word, color in zip(
        ("first paragraph", "A bullet", "Quoted words", "def double"), COLORS, strict=True
    ):
        start = text.index(word)
        archive.add_highlight(
            article_id, start, start + len(word), color=color, note=f"a {color} note"
        )
    # One highlight across two blocks, with a note that wraps in the panel.
    start = text.index("wrap once")
    archive.add_highlight(
        article_id,
        start,
        text.index("nested") + 6,
        color="green",
        note="A longer note on a highlight that crosses two list items, to wrap.",
    )
    archive.add_article_note(article_id, "An article note, [bold]not markup[/].")
    assert snap_compare(ReadingApp(archive, article_id), press=["p"], terminal_size=(120, 34))


def test_selection_in_visual_mode(snap_compare, archive: Archive) -> None:
    article_id = add_rich(archive)
    assert snap_compare(
        ReadingApp(archive, article_id), press=["v", "w", "w", "w", "w", "j"], terminal_size=SIZE
    )


def test_hostile_title(snap_compare, archive: Archive) -> None:
    title = "[bold red]Oops[/] \x1b[31mescaped\x1b[0m [link=https://evil.example]click[/link]"
    extracted, raw = page(title, rich_blocks(), byline="[i]Mallory[/i]")
    article_id = archive.add_article(extracted, raw)
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE)


def test_find_marks_matches(snap_compare, archive: Archive) -> None:
    """/ and a word: every match marked, the current one apart, the count in the bar."""
    article_id = add_long(archive)
    assert snap_compare(
        ReadingApp(archive, article_id),
        press=["slash", *keys("lazy dog"), "enter"],
        terminal_size=SIZE,
    )


def _welcome(archive: Archive) -> int:
    raw, extracted = ingest_path(WELCOME, max_size=2**20)
    return archive.add_article(extracted, raw)


def test_welcome_key_table_at_80_columns(snap_compare, archive: Archive) -> None:
    """The welcome article's key table as a grid (found with /, closed with escape)."""
    article_id = _welcome(archive)
    assert snap_compare(
        ReadingApp(archive, article_id),
        press=["slash", *keys("j / k, down"), "escape"],
        terminal_size=(80, 36),
    )


def test_welcome_search_table_at_120_columns(snap_compare, archive: Archive) -> None:
    article_id = _welcome(archive)
    assert snap_compare(
        ReadingApp(archive, article_id),
        press=["slash", *keys("It finds"), "escape"],
        terminal_size=(120, 36),
    )


def test_infobox_at_80_columns(snap_compare, archive: Archive) -> None:
    blocks = (
        Block("paragraph", "New Zealand is an island country in the south-western Pacific."),
        Block("table", INFOBOX),
        Block("paragraph", "The text goes on after the table."),
    )
    article_id = archive.add_article(*page("New Zealand", blocks))
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=(80, 40))


def test_reading_help(snap_compare, archive: Archive) -> None:
    """? lists every key from the bindings, its columns aligned across sections."""
    article_id = add_rich(archive)
    assert snap_compare(
        StyledReadingApp(archive, article_id), press=["question_mark"], terminal_size=(100, 60)
    )


def test_note_editor(snap_compare, archive: Archive, settle) -> None:
    """The note editor says escape saves."""
    article_id = add_rich(archive)
    archive.add_highlight(article_id, 0, 9, note="A note already there.")

    async def open_the_editor(pilot) -> None:
        # `e` once the view is laid out with its cursor on the highlight (a press
        # before that, under load, opened the article's note instead).
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteEditor)

    assert snap_compare(
        ReadingApp(archive, article_id), run_before=open_the_editor, terminal_size=SIZE
    )


def test_deleted_elsewhere(snap_compare, archive: Archive, no_ticks: None) -> None:
    """Another program deleted the article: said once (the notification), the status
    line says it and the way back, the keys that would write are greyed in the footer."""
    article_id = add_rich(archive)

    async def deleted_then_tick(pilot) -> None:
        archive.delete_article(article_id)  # `reader delete`, elsewhere
        pilot.app.screen._tick()
        await pilot.pause()

    assert snap_compare(
        ReadingApp(archive, article_id), run_before=deleted_then_tick, terminal_size=SIZE
    )


def test_panel_with_highlight_tags(snap_compare, archive: Archive) -> None:
    """A highlight's tags in the panel: a line of #words under its note."""
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    start = text.index("first paragraph")
    archive.add_highlight(
        article_id, start, start + 15, note="see #idea", tags=["work/reader", "to-read"]
    )
    assert snap_compare(ReadingApp(archive, article_id), press=["p"], terminal_size=(120, 34))
