"""Images in the EPUB export: from the saved original only, decoded and re-encoded,
hostile ones refused with their figure's caption kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from reader.archive import Archive
from reader.export.epub import epub_bytes, write_epub
from reader.importer.imports import import_bytes
from reader.ingest.images import MAX_SIDE, reencode_image
from reader.ingest.original_images import data_uri_bytes

from .epub_helpers import NS, Book, epubcheck
from .epub_pages import (
    GOOD,
    IMAGES,
    NOT_AN_IMAGE,
    article_with_figures,
    huge_png,
    mhtml_with_images,
    png,
    singlefile_with_images,
    truncated_png,
    webarchive_with_images,
)


def imported(archive: Archive, data: bytes, name: str) -> int:
    report = import_bytes(archive, data, filename=name)
    assert not report.failed, report.failed
    (article_id,) = report.imported
    return article_id


def figures(book: Book, article_id: int) -> dict[str, str | None]:
    """Each figure's caption -> the path of its image in the book (None: no image)."""
    chapter = book.chapter(f"article-{article_id}.xhtml")
    found: dict[str, str | None] = {}
    for figure in chapter.iterfind(".//x:figure", NS):
        img = figure.find("x:img", NS)
        found[figure.findtext("x:figcaption", namespaces=NS)] = (
            img.get("src") if img is not None else None
        )
    return found


def check_images(book: Book, article_id: int) -> None:
    found = figures(book, article_id)
    assert set(found) == {caption for _, _, caption in IMAGES}
    assert {caption for caption, path in found.items() if path} == GOOD
    for caption in GOOD:
        path = found[caption]
        assert path is not None
        with Image.open(io.BytesIO(book.zip.read(f"EPUB/{path}"))) as image:
            image.load()
            assert image.format in ("PNG", "JPEG")
    # Every image in the book is in the manifest with its media type.
    manifest = {
        item.get("href"): item.get("media-type")
        for item in book.opf.iterfind(".//opf:manifest/opf:item", NS)
    }
    for path in filter(None, found.values()):
        assert manifest[path] == ("image/jpeg" if path.endswith(".jpg") else "image/png")


def test_images_from_mhtml_parts(archive: Archive) -> None:
    article_id = imported(archive, mhtml_with_images(), "pictures.mhtml")
    check_images(Book(epub_bytes(archive, [article_id], title="t")), article_id)


def test_images_from_singlefile_data_uris(archive: Archive) -> None:
    article_id = imported(archive, singlefile_with_images(), "pictures.html")
    assert archive.original_of(article_id).kind == "singlefile"
    check_images(Book(epub_bytes(archive, [article_id], title="t")), article_id)


def test_images_from_webarchive_subresources(archive: Archive) -> None:
    article_id = imported(archive, webarchive_with_images(), "p.webarchive")
    check_images(Book(epub_bytes(archive, [article_id], title="t")), article_id)


def test_a_page_saved_without_its_images_keeps_captions(archive: Archive, monkeypatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the export tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    page = article_with_figures("Links only", [("https://example.com/x.png", "alt", "Cap")])
    article_id = imported(archive, page.encode(), "links.html")
    book = Book(epub_bytes(archive, [article_id], title="t"))
    assert figures(book, article_id) == {"Cap": None}
    assert not [name for name in book.names() if "/images/" in name]


def test_the_same_image_is_stored_once(archive: Archive) -> None:
    first = imported(archive, mhtml_with_images("One"), "one.mhtml")
    second = imported(archive, singlefile_with_images("Two"), "two.html")
    book = Book(epub_bytes(archive, [first, second], title="t"))
    assert figures(book, first) == figures(book, second)
    assert len([name for name in book.names() if "/images/" in name]) == len(GOOD)


def test_book_with_images_passes_epubcheck(archive: Archive, tmp_path: Path) -> None:
    first = imported(archive, mhtml_with_images(), "pictures.mhtml")
    second = imported(archive, singlefile_with_images("Other"), "other.html")
    path = write_epub(archive, [first, second], tmp_path / "pictures.epub", title="Pictures")
    assert epubcheck(path) == []


# --- Decoding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [truncated_png(), huge_png(), huge_png(7000), NOT_AN_IMAGE, b"", b"GIF89a" + b"\x00" * 20],
    ids=["truncated", "huge", "over-the-pixel-cap", "html", "empty", "damaged-gif"],
)
def test_hostile_images_are_refused(data: bytes) -> None:
    assert reencode_image(data) is None


def test_svg_is_not_taken() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert reencode_image(svg) is None


def test_large_images_are_scaled_down_and_reencoded() -> None:
    encoded = reencode_image(png(4000, 1000))
    assert encoded is not None
    assert (encoded.suffix, encoded.media_type) == ("png", "image/png")
    with Image.open(io.BytesIO(encoded.data)) as image:
        assert image.size == (MAX_SIDE, MAX_SIDE // 4)


def test_animation_becomes_its_first_frame() -> None:
    frames = [Image.new("P", (10, 10), color) for color in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    encoded = reencode_image(out.getvalue())
    assert encoded is not None and encoded.suffix == "png"
    with Image.open(io.BytesIO(encoded.data)) as image:
        assert getattr(image, "n_frames", 1) == 1


def test_data_uris() -> None:
    assert data_uri_bytes("data:image/png;base64,aGVsbG8=") == b"hello"
    assert data_uri_bytes("data:,a%20b") == b"a b"
    assert data_uri_bytes("data:image/png;base64,***") is None
    assert data_uri_bytes("https://example.com/a.png") is None


def test_chapter_markup_points_only_inside_the_book(archive: Archive) -> None:
    article_id = imported(archive, singlefile_with_images(), "pictures.html")
    book = Book(epub_bytes(archive, [article_id], title="t"))
    chapter = book.chapter(f"article-{article_id}.xhtml")
    for src in chapter.xpath("//x:img/@src", namespaces=NS):
        assert src.startswith("images/") and f"EPUB/{src}" in book.names()
    assert b"data:" not in etree.tostring(chapter)
