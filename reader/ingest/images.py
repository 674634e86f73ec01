"""Untrusted image bytes -> a re-encoded image we are willing to keep, or None.

One set of rules for every image reader takes from a saved page (the EPUB export's,
the `_files/` folder an import reads): each image is decoded by Pillow from an
allow-list of raster formats (no SVG: it is a document that can carry scripts),
refused when its file or its pixel count is over a cap (read from the header, before
any pixel is decoded: a decompression bomb never gets to inflate), and re-encoded (PNG,
or JPEG for a JPEG without transparency), scaled down to a reading size. Pillow is
imported on first use: a page without images never loads it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

# Caps on what one image may be (its file, its pixels) and on what one page brings.
MAX_IMAGE_BYTES = 16 * 2**20
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600  # the longer side kept: more than any e-reader's screen
MAX_IMAGES = 100
MAX_PAGE_IMAGE_BYTES = 32 * 2**20
# Pillow's formats an image may be in (by its content, whatever it claims to be).
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")

SUFFIXES = {"image/png": "png", "image/jpeg": "jpg"}


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


def reencode_image(data: bytes) -> EncodedImage | None:
    """`data` decoded and encoded again, or None when it is not an image we take: not one
    of FORMATS by its content, truncated, damaged, or over the caps."""
    from PIL import Image

    if not data or len(data) > MAX_IMAGE_BYTES:
        return None
    try:
        with warnings.catch_warnings():
            # Pillow warns (then raises) about images over its own pixel limit; ours is
            # lower and checked first, from the header, so any warning is a refusal.
            warnings.simplefilter("error")
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    return None
                source_format = image.format
                image.seek(0)  # an animation's first frame
                image.load()
                alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                frame = image.convert("RGBA" if alpha else "RGB")
        frame.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        if source_format == "JPEG" and not alpha:
            frame.save(out, "JPEG", quality=85, optimize=True)
            media_type = "image/jpeg"
        else:
            frame.save(out, "PNG", optimize=True)
            media_type = "image/png"
        return EncodedImage(out.getvalue(), media_type, frame.width, frame.height)
    except Exception:  # untrusted bytes: Pillow's decoders raise many kinds of errors
        return None
