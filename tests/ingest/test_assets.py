"""Reading a "Webpage, Complete" save's `X_files/` folder: only files inside it, never
through a link, capped; the figures' URLs matched to the paths the page wrote."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from reader.document import Block, Document
from reader.ingest import images
from reader.ingest.assets import asset_folder, figure_shows, page_images, read_asset
from reader.ingest.images import MAX_IMAGE_BYTES, PageTake
from reader.ingest.page import RawPage
from reader.models import StoredImage


def png(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "page.html").write_text("<p>x</p>")
    files = tmp_path / "page_files"
    (files / "sub").mkdir(parents=True)
    (files / "a.png").write_bytes(png())
    (files / "sub" / "b c.png").write_bytes(png())
    (tmp_path / "outside.png").write_bytes(png())
    return files


def test_the_folder_beside_the_page(folder: Path, tmp_path: Path) -> None:
    assert asset_folder(tmp_path / "page.html") == folder
    assert asset_folder(tmp_path / "other.html") is None
    assert asset_folder(tmp_path / "page.md") is None
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "linked_files")
    assert asset_folder(tmp_path / "linked.htm") is None


def test_files_inside_the_folder_are_read(folder: Path) -> None:
    assert read_asset(folder, "page_files/a.png") == png()
    assert read_asset(folder, "./page_files/a.png?v=2#x") == png()
    assert read_asset(folder, "page_files/sub/b%20c.png") == png()


@pytest.mark.parametrize(
    "src",
    [
        "page_files/../outside.png",
        "page_files/sub/../../outside.png",
        "outside.png",
        "/etc/passwd",
        "file:///etc/passwd",
        "https://example.com/page_files/a.png",
        "//example.com/page_files/a.png",
        "page_files",
        "page_files/sub",
        "page_files/missing.png",
        "page_files\\..\\outside.png",
    ],
)
def test_nothing_outside_the_folder(folder: Path, src: str) -> None:
    assert read_asset(folder, src) is None


def test_no_link_is_followed(folder: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "outside.png", folder / "link.png")
    os.symlink(tmp_path, folder / "dir")
    assert read_asset(folder, "page_files/link.png") is None
    assert read_asset(folder, "page_files/dir/outside.png") is None


def test_no_fifo_blocks_and_no_file_over_the_cap(folder: Path) -> None:
    os.mkfifo(folder / "pipe.png")
    assert read_asset(folder, "page_files/pipe.png") is None
    with (folder / "big.png").open("wb") as file:
        file.truncate(MAX_IMAGE_BYTES + 1)
    assert read_asset(folder, "page_files/big.png") is None


def test_figures_match_the_paths_the_page_wrote() -> None:
    assert figure_shows("page_files/a.png", "page_files/a.png")
    assert figure_shows("./page_files/a.png", "./page_files/a.png")
    assert figure_shows("https://example.com/dir/page_files/a.png", "./page_files/a.png")
    assert not figure_shows("https://example.com/dir/xpage_files/a.png", "page_files/a.png")
    assert not figure_shows("https://example.com/a.png", "")


def raw_page(html: str) -> RawPage:
    data = html.encode()
    return RawPage(data=data, html=data, filename="page.html", kind="html")


def figures(*srcs: str) -> Document:
    return Document(tuple(Block("figure", "", src=src) for src in srcs))


def taken(path: Path, raw: RawPage, document: Document) -> list[StoredImage]:
    take = PageTake()
    page_images(path, raw, document, take)
    return take.images


def test_only_what_a_figure_shows_is_taken(folder: Path, tmp_path: Path) -> None:
    html = (
        '<img src="page_files/a.png"><img srcset="page_files/sub/b%20c.png 2x, x.png 1x">'
        '<img src="page_files/icon.png">'
    )
    (folder / "icon.png").write_bytes(png((0, 0, 255)))
    found = taken(
        tmp_path / "page.html",
        raw_page(html),
        figures("page_files/a.png", "page_files/sub/b%20c.png"),
    )
    assert [image.src for image in found] == ["page_files/a.png", "page_files/sub/b%20c.png"]
    assert all(image.media_type == "image/png" and image.width == 8 for image in found)
    # The same picture twice: the same digest, so the archive keeps it once.
    assert found[0].sha256 == found[1].sha256


def test_a_page_takes_at_most_so_many(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(images, "MAX_PAGE_IMAGES", 1)
    (folder / "sub" / "b c.png").write_bytes(png((0, 0, 255)))
    html = '<img src="page_files/a.png"><img src="page_files/sub/b%20c.png">'
    document = figures("page_files/a.png", "page_files/sub/b%20c.png")
    take = PageTake()
    page_images(tmp_path / "page.html", raw_page(html), document, take)
    assert len(take.images) == 1
    assert take.refused == ["picture 2 not kept: over the page's cap of 1 pictures"]
    monkeypatch.setattr(images, "MAX_PAGE_IMAGES", 10)
    monkeypatch.setattr(images, "MAX_PAGE_IMAGE_BYTES", len(png()) + 1)
    assert len(taken(tmp_path / "page.html", raw_page(html), document)) == 1


def test_no_folder_costs_no_parse(tmp_path: Path, monkeypatch) -> None:
    import reader.ingest.parse

    def no(*args: object) -> None:
        raise AssertionError("parsed a page with no folder")

    monkeypatch.setattr(reader.ingest.parse, "parse_page_html", no)
    (tmp_path / "page.html").write_text("<img src='page_files/a.png'>")
    document = figures("page_files/a.png")
    assert taken(tmp_path / "page.html", raw_page("<img>"), document) == []
