"""The pictures a saved page holds itself (issue 24), found at ingest: MHTML parts,
webarchive subresources, SingleFile `data:` URIs, and a `_files/` folder beside the
page; hostile ones refused with a reason, nothing kept for them."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from reader.document import Block, Document
from reader.ingest import images
from reader.ingest.images import (
    MAX_IMAGE_BYTES,
    EncodedImage,
    ImageRefused,
    PageTake,
    encode_image,
    figure_keys,
    figure_pictures,
)
from reader.ingest.original_images import original_images
from reader.ingest.page import ExtractedPage, RawPage
from reader.ingest.pipeline import ingest_bytes, ingest_path
from reader.models import StoredImage
from tests.export.epub_pages import (
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

# What the hostile pictures of IMAGES (figures 3, 4 and 5) are refused for.
REFUSED = [
    "picture 3 not kept: truncated or damaged",
    "picture 4 not kept: over the pixel cap (a decompression bomb)",
    "picture 5 not kept: not a PNG, JPEG, GIF, WebP or BMP image",
]
BASE = "https://example.com/pics/"


def files_save(tmp_path: Path) -> Path:
    """A "Webpage, Complete" save: page.html and page_files/ with IMAGES in it."""
    folder = tmp_path / "page_files"
    folder.mkdir()
    for name, data, _ in IMAGES:
        (folder / name).write_bytes(data)
    page = article_with_figures(
        "Pictures in a folder", [(f"page_files/{n}", f"alt of {c}", c) for n, _, c in IMAGES]
    )
    path = tmp_path / "page.html"
    path.write_text(page)
    return path


def kept(page: ExtractedPage) -> dict[str, tuple[int, int]]:
    """Each kept picture's caption -> its size, by the figure that shows it."""
    shown = figure_pictures(page.document, [stored(image) for image in page.images])
    return {page.document.blocks[i].text: (p.width, p.height) for i, p in shown.items()}


def stored(image: object) -> StoredImage:
    src, sha, media, width, height, data = (
        getattr(image, name) for name in ("src", "sha256", "media_type", "width", "height", "data")
    )
    return StoredImage(src, sha, media, width, height, data)


GOOD_SIZES = {"A red photo": (40, 30), "A blue shot": (40, 30)}


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (mhtml_with_images(), "p.mhtml"),
        (webarchive_with_images(), "p.webarchive"),
        (singlefile_with_images(), "p.html"),
    ],
    ids=["mhtml", "webarchive", "singlefile"],
)
def test_each_form_keeps_its_pictures_and_refuses_the_hostile_ones(data: bytes, name: str) -> None:
    raw, page = ingest_bytes(data, name)
    assert raw.kind in ("mhtml", "webarchive", "singlefile")
    assert kept(page) == GOOD_SIZES
    assert list(page.image_notes) == REFUSED
    assert {image.media_type for image in page.images} == {"image/png", "image/jpeg"}


def test_a_files_folder_keeps_its_pictures_and_refuses_the_hostile_ones(tmp_path: Path) -> None:
    _, page = ingest_path(files_save(tmp_path))
    assert kept(page) == GOOD_SIZES
    assert [image.src for image in page.images] == ["page_files/photo.png", "page_files/shot.jpg"]
    assert list(page.image_notes) == REFUSED


def test_a_picture_over_the_size_cap_is_refused(tmp_path: Path, monkeypatch) -> None:
    big = png(400, 300, (9, 9, 9))
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", len(big) - 1)
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "big.png").write_bytes(big)
    page = article_with_figures("Big", [("page_files/big.png", "alt", "Big one")])
    (tmp_path / "page.html").write_text(page)
    _, extracted = ingest_path(tmp_path / "page.html")
    assert extracted.images == ()
    assert extracted.image_notes == ("picture 1 not kept: over the size cap (0 MB)",)


def test_a_file_over_the_cap_in_the_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "page_files").mkdir()
    with (tmp_path / "page_files" / "big.png").open("wb") as file:
        file.truncate(MAX_IMAGE_BYTES + 1)
    page = article_with_figures("Big", [("page_files/big.png", "alt", "Big one")])
    (tmp_path / "page.html").write_text(page)
    _, extracted = ingest_path(tmp_path / "page.html")
    assert extracted.images == ()
    assert extracted.image_notes == ("picture 1 not kept: over the size cap (16 MB)",)


def test_an_html_page_saved_alone_keeps_no_pictures_and_says_nothing() -> None:
    page = article_with_figures("Links", [(BASE + "photo.png", "alt", "Cap")])
    _, extracted = ingest_bytes(page.encode(), "links.html")
    assert extracted.images == () and extracted.image_notes == ()


def test_a_lazy_pages_placeholder_is_not_its_picture() -> None:
    pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    page = article_with_figures("Lazy", [(pixel, "A chart", "Cap")]).replace(
        "<img ", f'<img data-src="{BASE}chart.png" ', 1
    )
    _, extracted = ingest_bytes(page.encode(), "lazy.html")
    assert extracted.images == () and extracted.image_notes == ()


def test_a_spacer_pixel_is_no_picture() -> None:
    take = PageTake()
    take.add(1, "a", png(1, 1))
    take.add(2, "b", png(2, 2))
    assert take.images == [] and take.refused == []


def test_the_same_bytes_are_decoded_once(monkeypatch) -> None:
    calls: list[int] = []
    real = images.encode_image

    def counting(data: bytes) -> EncodedImage:
        calls.append(1)
        return real(data)

    monkeypatch.setattr(images, "encode_image", counting)
    take = PageTake()
    for number in (1, 2, 3):
        take.add(number, f"#{number}", png())
    assert len(calls) == 1 and len(take.images) == 3
    assert len({image.sha256 for image in take.images}) == 1


def test_a_damaged_data_uri_is_refused_with_a_reason() -> None:
    page = article_with_figures("Damaged", [("data:image/png;base64,***", "A chart", "Cap")])
    page = page.replace("<html", "<!--\n Page saved with SingleFile \n-->\n<html", 1)
    _, extracted = ingest_bytes(page.encode(), "damaged.html")
    assert extracted.image_notes == ("picture 1 not kept: a damaged data: URI",)


def test_a_damaged_original_costs_its_pictures_only() -> None:
    raw = RawPage(data=b"\x00not a plist", html=b"", filename="x.webarchive", kind="webarchive")
    document = Document((Block("figure", "Cap", src=BASE + "a.png"),))
    take = PageTake()
    with pytest.raises(Exception):  # noqa: B017 - the pipeline catches whatever it is
        original_images(raw, document, take)
    data = mhtml_with_images().replace(b"image/png", b"text/plain")
    raw, page = ingest_bytes(data, "p.mhtml")
    assert [image.src for image in page.images] == [BASE + "shot.jpg"]


# --- the rules, and which figure shows which picture ---------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (truncated_png(), "truncated or damaged"),
        (huge_png(), "over the pixel cap (a decompression bomb)"),
        (huge_png(7000), "7000x7000 pixels: over the pixel cap"),
        (NOT_AN_IMAGE, "not a PNG, JPEG, GIF, WebP or BMP image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a PNG, JPEG, GIF, WebP or BMP image"),
        (b"GIF89a" + b"\x00" * 20, "truncated or damaged"),
    ],
    ids=["empty", "truncated", "bomb", "over-the-pixel-cap", "html", "svg", "damaged-gif"],
)
def test_hostile_images_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused) as refused:
        encode_image(data)
    assert str(refused.value) == reason


def test_an_image_over_the_byte_cap_is_refused_unread() -> None:
    with pytest.raises(ImageRefused, match="over the size cap"):
        encode_image(b"\x89PNG" + b"\x00" * MAX_IMAGE_BYTES)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_an_image_or_a_refusal(data: bytes) -> None:
    try:
        image = encode_image(b"\x89PNG\r\n\x1a\n" + data)
    except ImageRefused as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert image.media_type in ("image/png", "image/jpeg")


def test_figures_without_a_url_are_known_by_their_alt_text() -> None:
    document = Document(
        (
            Block("figure", "One", alt="A chart"),
            Block("figure", "Two", src=BASE + "a.png"),
            Block("figure", "Three", alt="A chart"),
            Block("paragraph", "words"),
            Block("figure", "Four"),
        )
    )
    assert figure_keys(document) == {0: "#alt-1:A chart", 1: BASE + "a.png", 2: "#alt-2:A chart"}
    pictures = [
        StoredImage("#alt-2:A chart", "2" * 64, "image/png", 4, 4, b""),
        StoredImage("a.png", "1" * 64, "image/png", 4, 4, b""),  # a folder's path
    ]
    found = figure_pictures(document, pictures)
    assert {i: p.sha256[0] for i, p in found.items()} == {1: "1", 2: "2"}


def test_singlefile_figures_by_alt_text_get_their_own_pictures() -> None:
    colours = [(200, 0, 0), (0, 200, 0)]
    srcs = [
        (f"data:image/png;base64,{base64.b64encode(png(color=c)).decode()}", "Same alt", f"C{i}")
        for i, c in enumerate(colours)
    ]
    page = article_with_figures("Twins", srcs)
    page = page.replace("<html", "<!--\n Page saved with SingleFile \n-->\n<html", 1)
    _, extracted = ingest_bytes(page.encode(), "twins.html")
    assert sorted(image.src for image in extracted.images) == [
        "#alt-1:Same alt",
        "#alt-2:Same alt",
    ]
    shown = figure_pictures(extracted.document, [stored(i) for i in extracted.images])
    reds = {}
    for index, picture in shown.items():
        with Image.open(io.BytesIO(picture.data)) as image:
            reds[extracted.document.blocks[index].text] = image.convert("RGB").getpixel((0, 0))[0]
    assert reds["C0"] > 150 and reds["C1"] < 50
