"""Untrusted image bytes -> a re-encoded image we are willing to keep, or why not.

One set of rules for every image reader takes from a saved page (an MHTML file's
parts, a webarchive's resources, a SingleFile page's `data:` URIs, the `_files/` folder
an import reads): each image is decoded by Pillow from an
allow-list of raster formats (no SVG: it is a document that can carry scripts),
refused when its file or its pixel count is over a cap (read from the header, before
any pixel is decoded: a decompression bomb never gets to inflate), and re-encoded (PNG,
or JPEG for a JPEG without transparency), scaled down to a reading size. Pillow is
imported on first use: a page without images never loads it.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.document import Document
from reader.models import StoredImage

# Caps on what one image may be (its file, its pixels) and on what one page brings.
MAX_IMAGE_BYTES = 16 * 2**20
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600  # the longer side kept: more than any e-reader's screen
MAX_IMAGES = 100  # in one book chapter (the EPUB export)
MAX_PAGE_IMAGES = 200  # kept from one page
MAX_PAGE_IMAGE_BYTES = 32 * 2**20  # read from one page, before re-encoding
# Pillow's formats an image may be in (by its content, whatever it claims to be).
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")

SUFFIXES = {"image/png": "png", "image/jpeg": "jpg"}
# How the files of FORMATS begin (a WebP: "RIFF", its size, "WEBP").
_SIGNATURES = (b"\x89PNG", b"\xff\xd8", b"GIF8", b"BM")
_SPACER_PIXELS = 4  # a 1x1 or 2x2 image is layout, not a picture


@dataclass(frozen=True)
class EncodedImage:
    """An image as reader keeps it: bytes it encoded itself, their media type and size."""

    data: bytes
    media_type: str  # "image/png" | "image/jpeg"
    width: int
    height: int

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.media_type]


class ImageRefused(Exception):
    """An image not kept; `str(error)` says why in a few words ("truncated or damaged")."""


def reencode_image(data: bytes) -> EncodedImage | None:
    """`data` decoded and encoded again, or None when it is not an image we take."""
    try:
        return encode_image(data)
    except ImageRefused:
        return None


def encode_image(data: bytes) -> EncodedImage:
    """`data` decoded and encoded again. Raises ImageRefused when it is not an image we
    take: empty, over the caps, not one of FORMATS by its content, truncated, damaged."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ImageRefused("empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(f"over the size cap ({MAX_IMAGE_BYTES // 2**20} MB)")
    try:
        with warnings.catch_warnings():
            # Pillow warns (then raises) about images over its own pixel limit; ours is
            # lower and checked first, from the header, so any warning is a refusal.
            warnings.simplefilter("error")
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    raise ImageRefused(f"{width}x{height} pixels: over the pixel cap")
                source_format = image.format
                image.seek(0)  # an animation's first frame
                image.load()
                alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                frame = image.convert("RGBA" if alpha else "RGB")
    except ImageRefused:
        raise
    except UnidentifiedImageError:
        if data.startswith(_SIGNATURES) or data[8:12] == b"WEBP":
            raise ImageRefused("truncated or damaged") from None
        raise ImageRefused("not a PNG, JPEG, GIF, WebP or BMP image") from None
    except Exception as error:  # untrusted bytes: Pillow's decoders raise many kinds of errors
        if isinstance(error, Image.DecompressionBombWarning | Image.DecompressionBombError):
            raise ImageRefused("over the pixel cap (a decompression bomb)") from None
        raise ImageRefused("truncated or damaged") from None
    frame.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if source_format == "JPEG" and not alpha:
        frame.save(out, "JPEG", quality=85, optimize=True)
        media_type = "image/jpeg"
    else:
        frame.save(out, "PNG", optimize=True)
        media_type = "image/png"
    return EncodedImage(out.getvalue(), media_type, frame.width, frame.height)


@dataclass
class PageTake:
    """The pictures one page brings, within its caps, and why the others were not kept:
    `refused` lines "picture 3 not kept: truncated or damaged" (3: the figure's place
    among the page's pictures). The same bytes are decoded once however often shown."""

    images: list[StoredImage] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    read: int = 0  # bytes read, before re-encoding (MAX_PAGE_IMAGE_BYTES)
    _done: dict[bytes, EncodedImage | str] = field(default_factory=dict)

    def add(self, number: int, src: str, data: bytes | None, missing: str = "") -> None:
        """Picture `number`, which the page names `src`, from `data` (None: not found,
        `missing` says why when that is worth saying)."""
        if data is None:
            if missing:
                self.refused.append(f"picture {number} not kept: {missing}")
            return
        if len(self.images) >= MAX_PAGE_IMAGES:
            reason: EncodedImage | str = f"over the page's cap of {MAX_PAGE_IMAGES} pictures"
        else:
            key = hashlib.sha1(data).digest()
            found = self._done.get(key)
            if found is None:
                if self.read + len(data) > MAX_PAGE_IMAGE_BYTES:
                    cap = MAX_PAGE_IMAGE_BYTES // 2**20
                    found = f"over the page's cap of {cap} MB of pictures"
                else:
                    self.read += len(data)
                    try:
                        found = encode_image(data)
                    except ImageRefused as error:
                        found = str(error)
                    self._done[key] = found
            reason = found
        if isinstance(reason, str):
            self.refused.append(f"picture {number} not kept: {reason}")
            return
        if reason.width * reason.height <= _SPACER_PIXELS:
            return  # a spacer or a lazy page's placeholder: not a picture, nothing to say
        digest = hashlib.sha256(reason.data).hexdigest()
        self.images.append(
            StoredImage(src, digest, reason.media_type, reason.width, reason.height, reason.data)
        )


# --- Which figure shows which kept picture ------------------------------------------


def figure_shows(figure_src: str, src: str) -> bool:
    """Whether a figure whose (resolved) URL is `figure_src` shows the image the page
    named `src`: the same text, or the URL ends with it (the page's address joined to
    a relative path)."""
    relative = _without_dot(src)
    return bool(relative) and (figure_src == src or figure_src.endswith("/" + relative))


def _without_dot(src: str) -> str:
    while src.startswith("./"):
        src = src[2:]
    return src


def figure_keys(document: Document) -> dict[int, str]:
    """Each figure's name for its picture, by block index: its URL; for a figure without
    one (a SingleFile page's embedded image, known by its alt text), `#alt-K:ALT`, the
    K-th such figure with that alt text, as the import keeps its picture."""
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, block in enumerate(document.blocks):
        if block.kind != "figure":
            continue
        if block.src:
            keys[index] = block.src
        elif block.alt:
            seen[block.alt] = seen.get(block.alt, 0) + 1
            keys[index] = f"#alt-{seen[block.alt]}:{block.alt}"
    return keys


def figure_pictures(document: Document, stored: Sequence[StoredImage]) -> dict[int, StoredImage]:
    """The kept picture each figure of `document` shows, by block index: named by the
    figure's key (figure_keys), or by the path the page wrote that its URL ends with."""
    if not stored:
        return {}
    exact = {image.src: image for image in stored}
    found: dict[int, StoredImage] = {}
    for index, key in figure_keys(document).items():
        image = exact.get(key)
        if image is None and not key.startswith("#"):
            image = next((s for s in stored if figure_shows(key, s.src)), None)
        if image is not None:
            found[index] = image
    return found
