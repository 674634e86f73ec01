"""The figures' pictures in the reading view (issue 24): rows of their own between
blocks, drawn as half-blocks once decoded, toggled by `I`, kept off by the config; and
the text's offsets (highlights, selection, cursor) the same with or without them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from rich.segment import Segment
from textual.pilot import Pilot

from reader.archive import Archive
from reader.config import AppDefaults, resolve
from reader.document import Block, Document
from reader.ingest.images import figure_pictures
from reader.ingest.page import ExtractedPage, RawPage
from reader.models import StoredImage
from reader.tui.layout import layout_document
from reader.tui.pictures import (
    HALF_BLOCK,
    MAX_ROWS,
    PictureRows,
    half_block_rows,
    picture_cells,
)
from reader.tui.widgets.article_view import ArticleView

from .reading_helpers import ReadingApp

SIZE = (100, 40)
URL = "https://e.x/post.html"
SRC = "post_files/red-blue.png"
AFTER = "The paragraph after the picture holds the highlighted words right here."


def red_over_blue(width: int = 40, height: int = 20) -> bytes:
    """A PNG as reader would keep it: red above, blue below."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (0, height // 2, width, height))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def document() -> Document:
    return Document(
        (
            Block("paragraph", "The paragraph before the picture."),
            Block(
                "figure",
                "A red square above a blue one.",
                alt="Red over blue",
                src="https://e.x/" + SRC,
            ),
            Block("paragraph", AFTER),
        )
    )


def add_with_picture(archive: Archive, data: bytes | None = None) -> int:
    data = data or red_over_blue()
    image = StoredImage(SRC, hashlib.sha256(data).hexdigest(), "image/png", 40, 20, data)
    page = ExtractedPage(document=document(), title="Pictures", url=URL, images=(image,))
    html = b"<html><body><p>x</p></body></html>"
    raw = RawPage(data=html, html=html, filename="post.html", kind="html", url=URL)
    return archive.add_article(page, raw)


async def settled(pilot: Pilot[None], view: ArticleView) -> None:
    """Until every picture on screen is decoded and drawn."""
    await pilot.pause()
    if view._pictures is not None:
        view._pictures.wait()
    await pilot.pause()
    await pilot.pause()


def screen_text(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


# --- pure ---------------------------------------------------------------------------


@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(12, 76))
def test_a_picture_fits_the_column_and_the_row_cap(width: int, height: int, column: int) -> None:
    cols, rows = picture_cells(width, height, column)
    assert 1 <= cols <= min(column, width)
    assert 1 <= rows <= MAX_ROWS


def test_picture_rows_carry_no_text_and_leave_every_offset_as_it_was() -> None:
    doc = document()
    plain = layout_document(doc, 60)
    pictured = layout_document(doc, 60, pictures={1: (40, 20)})
    rows = [line for line in pictured.lines if line.picture is not None]
    assert len(rows) == picture_cells(40, 20, 60)[1] == 10
    assert all(not line.has_text and line.start == line.end for line in rows)
    text_lines = [(ln.runs, ln.start, ln.end) for ln in pictured.lines if ln.has_text]
    assert text_lines == [(ln.runs, ln.start, ln.end) for ln in plain.lines if ln.has_text]
    for offset in range(len(doc.text)):
        assert (
            pictured.lines[pictured.line_of(offset)].runs == plain.lines[plain.line_of(offset)].runs
        )


def test_half_blocks_show_the_upper_and_lower_pixels() -> None:
    rows = half_block_rows(red_over_blue(), 4, 2)
    assert rows is not None and len(rows) == 2
    top, bottom = rows[0][0], rows[1][0]
    assert top.text.startswith(HALF_BLOCK) and top.style is not None
    assert top.style.color is not None and top.style.color.triplet is not None
    assert top.style.color.triplet.red > 150  # the upper row: red
    assert bottom.style is not None and bottom.style.bgcolor is not None
    assert bottom.style.bgcolor.triplet is not None and bottom.style.bgcolor.triplet.blue > 150


def test_bytes_that_do_not_decode_draw_nothing() -> None:
    assert half_block_rows(b"\x89PNG\r\n\x1a\n truncated", 4, 2) is None
    assert half_block_rows(b"<svg onload='x()'/>", 4, 2) is None


def test_figures_find_their_picture_by_the_path_the_page_wrote() -> None:
    stored = StoredImage(SRC, "0" * 64, "image/png", 40, 20, b"")
    assert list(figure_pictures(document(), [stored])) == [1]
    other = StoredImage("elsewhere.png", "0" * 64, "image/png", 40, 20, b"")
    assert figure_pictures(document(), [other]) == {}


def test_the_config_keeps_pictures_off(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('pictures = "off"\n')
    assert resolve(None, {"READER_CONFIG": str(config)}).app_defaults.pictures is False
    config.write_text('theme = "nord"\n')
    assert resolve(None, {"READER_CONFIG": str(config)}).app_defaults.pictures is True


# --- the reading view -------------------------------------------------------------


async def test_the_picture_is_drawn_between_the_paragraphs(archive: Archive) -> None:
    article_id = add_with_picture(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        view = pilot.app.screen.query_one(ArticleView)
        await settled(pilot, view)
        shown = screen_text(view)
        drawn = [y for y, text in enumerate(shown) if HALF_BLOCK in text]
        before = next(y for y, t in enumerate(shown) if "before the picture" in t)
        caption = next(y for y, t in enumerate(shown) if "A red square" in t)
        assert len(drawn) == 10 and before < drawn[0] and drawn[-1] < caption
        assert shown[drawn[0]].strip() == HALF_BLOCK * 40


async def test_i_toggles_pictures_and_keeps_the_reading_place(archive: Archive) -> None:
    article_id = add_with_picture(archive)
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        view = pilot.app.screen.query_one(ArticleView)
        await settled(pilot, view)
        with_rows = len(view.text_layout)
        await pilot.press("I")
        await pilot.pause()
        assert not view.pictures_shown and len(view.text_layout) == with_rows - 10
        assert not any(HALF_BLOCK in text for text in screen_text(view))
        await pilot.press("I")
        await settled(pilot, view)
        assert any(HALF_BLOCK in text for text in screen_text(view))


async def test_the_setting_keeps_them_off(archive: Archive) -> None:
    article_id = add_with_picture(archive)
    app = ReadingApp(archive, article_id)
    app.defaults = AppDefaults(pictures=False)  # what ReaderApp holds from the config
    async with app.run_test(size=SIZE) as pilot:
        view = pilot.app.screen.query_one(ArticleView)
        await settled(pilot, view)
        assert not view.pictures_shown
        assert not any(HALF_BLOCK in text for text in screen_text(view))
        assert any("A red square" in text for text in screen_text(view))


async def test_a_picture_that_fails_to_draw_keeps_the_caption(archive: Archive) -> None:
    article_id = add_with_picture(archive, b"\x89PNG\r\n\x1a\n not a picture")
    async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
        view = pilot.app.screen.query_one(ArticleView)
        await settled(pilot, view)
        shown = screen_text(view)
        assert not any(HALF_BLOCK in text for text in shown)
        assert any("A red square" in text for text in shown)


async def test_highlights_and_selection_map_to_the_same_words(archive: Archive) -> None:
    """A highlight after the picture is drawn on its words, and a selection made with the
    same keys covers the same offsets, with pictures and without."""
    article_id = add_with_picture(archive)
    start = document().text.index("highlighted words")
    archive.add_highlight(article_id, start, start + len("highlighted words"))

    async def seen(toggle: bool) -> tuple[str, list[Segment], tuple[int, int] | None]:
        async with ReadingApp(archive, article_id).run_test(size=SIZE) as pilot:
            view = pilot.app.screen.query_one(ArticleView)
            if toggle:
                await pilot.press("I")
            await settled(pilot, view)
            y = view.text_layout.line_of(start) - round(view.scroll_y)
            strip = view.render_line(y)
            await pilot.press("G", "v", "w", "w")
            return strip.text, list(strip), view.selection

    text_on, segments_on, selection_on = await seen(False)
    _, segments_off, selection_off = await seen(True)
    assert "highlighted words" in text_on
    marked = [seg for seg in segments_on if seg.text == "highlighted words"]
    assert marked and marked[0].style != segments_on[0].style
    assert segments_on == segments_off  # the same words in the same highlight style
    assert selection_on == selection_off and selection_on is not None


def test_picture_rows_decode_once_per_size() -> None:
    stored = StoredImage(SRC, "0" * 64, "image/png", 40, 20, red_over_blue())
    calls: list[int] = []
    rows = PictureRows({1: stored}, lambda: calls.append(1))
    assert rows.row(1, 0, 8, 2) is None  # not yet: decoding in a thread
    rows.wait()
    assert rows.row(1, 0, 8, 2) is not None and rows.row(1, 1, 8, 2) is not None
    assert calls == [1]


def test_snapshot_a_picture_between_paragraphs(snap_compare, archive: Archive) -> None:
    """Half-blocks (the same in every terminal): red above blue, centred in the column,
    between the paragraph before and the figure's caption."""
    article_id = add_with_picture(archive)

    async def drawn(pilot: Pilot[None]) -> None:
        await settled(pilot, pilot.app.screen.query_one(ArticleView))

    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE, run_before=drawn)


def test_snapshot_a_picture_in_the_light_theme(snap_compare, archive: Archive) -> None:
    article_id = add_with_picture(archive)

    async def drawn(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await settled(pilot, pilot.app.screen.query_one(ArticleView))

    assert snap_compare(ReadingApp(archive, article_id), terminal_size=SIZE, run_before=drawn)


async def test_an_imported_mhtml_articles_picture_is_drawn(archive: Archive) -> None:
    """The whole way: a picture an MHTML file holds, kept at import, drawn in the view
    (the red photo, by its figure); the hostile ones draw nothing, their captions stay."""
    from reader.importer.imports import import_bytes
    from tests.export.epub_pages import mhtml_with_images

    report = import_bytes(archive, mhtml_with_images(), filename="pictures.mhtml")
    (article_id,) = report.imported
    async with ReadingApp(archive, article_id).run_test(size=(100, 200)) as pilot:
        view = pilot.app.screen.query_one(ArticleView)
        await settled(pilot, view)
        shown = screen_text(view)
        drawn = [y for y, text in enumerate(shown) if HALF_BLOCK in text]
        assert len(drawn) == 2 * 15  # two 40x30 pictures, 15 rows each
        red = next(y for y, text in enumerate(shown) if "A red photo" in text)
        assert drawn[14] == red - 1  # its picture's last row is just above its caption
        red_row = list(view.render_line(drawn[0]))
        style = next(seg.style for seg in red_row if seg.text.startswith(HALF_BLOCK))
        assert style is not None and style.color is not None and style.color.triplet is not None
        assert style.color.triplet.red > 150
        for caption in ("A truncated image", "A huge image", "A fake image"):
            y = next(y for y, text in enumerate(shown) if caption in text)
            assert HALF_BLOCK not in shown[y - 1]
