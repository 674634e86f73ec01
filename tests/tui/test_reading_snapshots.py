"""What the reading view looks like (pytest-textual-snapshot; update with --snapshot-update)."""

from __future__ import annotations

from reader.archive import Archive
from reader.models import COLORS

from .reading_helpers import ReadingApp, add_long, add_rich, page, rich_blocks

SIZE = (100, 34)


def test_rich_article(snap_compare, archive: Archive) -> None:
    article_id = add_rich(archive)
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE)


def test_rich_article_narrow(snap_compare, archive: Archive) -> None:
    article_id = add_rich(archive)
    assert snap_compare(ReadingApp(archive, article_id), terminal_size=(48, 40))


def test_long_article_scrolled(snap_compare, archive: Archive) -> None:
    article_id = add_long(archive)
    assert snap_compare(
        ReadingApp(archive, article_id), press=["space", "space", "n", "j"], terminal_size=SIZE
    )


def test_highlights_and_panel(snap_compare, archive: Archive) -> None:
    article_id = add_rich(archive)
    text = archive.get_article(article_id).text  # type: ignore[union-attr]
    for word, color in zip(
        ("first paragraph", "A bullet", "Quoted words", "def double"), COLORS, strict=True
    ):
        start = text.index(word)
        archive.add_highlight(
            article_id, start, start + len(word), color=color, note=f"a {color} note"
        )
    # One highlight across two blocks.
    start = text.index("wrap once")
    archive.add_highlight(article_id, start, text.index("nested") + 6, color="green")
    archive.add_article_note(article_id, "An article note, [bold]not markup[/].")
    assert snap_compare(ReadingApp(archive, article_id), press=["A"], terminal_size=(120, 34))


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
