"""The article's own images for its book, taken from its saved original; never downloaded.

Where the original holds them: an MHTML file's parts (found by Content-Location), a
Safari webarchive's subresources (by URL), a SingleFile page's `data:` URIs (by the
URL a lazy-loading attribute kept, else by the image's alt text, in page order); and
the pictures of a "Webpage, Complete" save's `X_files/` folder, which the original
does not hold: the archive keeps them from the import (`stored_images_for`). A page
saved as "HTML only" holds none, and its figures show their captions.

The bytes are the page's, so untrusted: each image is decoded and re-encoded under
caps by reader.ingest.images (the rules an import's `_files/` images go through too).
An image that fails them is left out, and its figure keeps its caption.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.message
import hashlib
import plistlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urldefrag

from reader.document import Block, Document
from reader.ingest.images import (
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    MAX_PAGE_IMAGE_BYTES,
    SUFFIXES,
    reencode_image,
)
from reader.models import Original, StoredImage
from reader.textrules import clean_line

# What one article brings to its book: the caps of reader.ingest.images.
MAX_ARTICLE_IMAGE_BYTES = MAX_PAGE_IMAGE_BYTES

_DATA_URI = re.compile(r"data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,", re.IGNORECASE)


@dataclass(frozen=True)
class BookImage:
    """An image the book holds, for the figure `block` (its index in the document)."""

    block: int
    uid: str
    path: str
    media_type: str
    data: bytes


def images_for(document: Document, original: Original) -> list[BookImage]:
    """The images of `document`'s figures that `original` holds, re-encoded; figures
    whose image is not there (or not an image we take) are left out."""
    figures = [(i, b) for i, b in enumerate(document.blocks) if b.kind == "figure"]
    if not figures:
        return []
    try:
        found = _found_in(original, figures)
    except Exception:  # a damaged original: the parsers of the stdlib raise a zoo of errors
        return []
    images: list[BookImage] = []
    done: dict[bytes, BookImage | None] = {}
    total = 0
    for index, load in found.items():
        if len(images) >= MAX_IMAGES or total >= MAX_ARTICLE_IMAGE_BYTES:
            break
        data = load()
        if data is None:
            continue
        key = hashlib.sha1(data).digest()
        if key in done:
            image = done[key]
        else:
            image = done[key] = _book_image(index, data)
            total += len(image.data) if image is not None else 0
        if image is not None:
            images.append(BookImage(index, image.uid, image.path, image.media_type, image.data))
    return images


def stored_images_for(
    document: Document, stored: Sequence[StoredImage], taken: Iterable[int] = ()
) -> list[BookImage]:
    """The pictures the archive keeps for the article (a `_files/` folder's, already
    re-encoded at import) for its figures that `taken` (found in the original) leaves:
    matched by the path the page wrote, or by the figure's resolved URL ending so."""
    from reader.ingest.assets import figure_shows

    if not stored:
        return []
    done = set(taken)
    images: list[BookImage] = []
    for index, block in enumerate(document.blocks):
        if block.kind != "figure" or not block.src or index in done:
            continue
        image = next((s for s in stored if figure_shows(block.src, s.src)), None)
        if image is None or image.media_type not in SUFFIXES:
            continue
        digest = hashlib.sha1(image.data).hexdigest()[:20]
        path = f"images/{digest}.{SUFFIXES[image.media_type]}"
        images.append(BookImage(index, f"img-{digest}", path, image.media_type, image.data))
        if len(images) >= MAX_IMAGES:
            break
    return images


def _book_image(index: int, data: bytes) -> BookImage | None:
    encoded = reencode(data)
    if encoded is None:
        return None
    out, suffix, media_type = encoded
    digest = hashlib.sha1(out).hexdigest()[:20]
    return BookImage(index, f"img-{digest}", f"images/{digest}.{suffix}", media_type, out)


# --- Finding the bytes in the original ----------------------------------------------

Loader = Callable[[], bytes | None]


def _found_in(original: Original, figures: list[tuple[int, Block]]) -> dict[int, Loader]:
    """Figure index -> a function giving its image's bytes from the original."""
    if original.kind == "mhtml":
        return _by_url(figures, _mhtml_parts(original.data))
    if original.kind == "webarchive":
        return _by_url(figures, _webarchive_resources(original.data))
    if original.kind in ("html", "singlefile"):
        return _data_uris(figures, original)
    return {}


def _by_url(figures: list[tuple[int, Block]], resources: Mapping[str, Loader]) -> dict[int, Loader]:
    found: dict[int, Loader] = {}
    for index, block in figures:
        if not block.src:
            continue
        load = resources.get(block.src) or resources.get(urldefrag(block.src).url)
        if load is not None:
            found[index] = load
    return found


def _mhtml_parts(data: bytes) -> dict[str, Loader]:
    """Each part's Content-Location -> its decoded body (decoded when asked for)."""
    message = email.message_from_bytes(data)
    parts: dict[str, Loader] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        location = part.get("Content-Location")
        if location is None or part.get_content_maintype() != "image":
            continue
        url = "".join(str(location).split())
        parts.setdefault(url, _mhtml_loader(part))
        parts.setdefault(urldefrag(url).url, _mhtml_loader(part))
    return parts


def _mhtml_loader(part: email.message.Message) -> Loader:
    def load() -> bytes | None:
        payload = part.get_payload(decode=True)
        return payload if isinstance(payload, bytes) and len(payload) <= MAX_IMAGE_BYTES else None

    return load


def _webarchive_resources(data: bytes) -> dict[str, Loader]:
    root = plistlib.loads(data)
    resources: dict[str, Loader] = {}
    subresources = root.get("WebSubresources") if isinstance(root, dict) else None
    for resource in subresources if isinstance(subresources, list) else []:
        if not isinstance(resource, dict):
            continue
        url, body = resource.get("WebResourceURL"), resource.get("WebResourceData")
        if isinstance(url, str) and isinstance(body, bytes) and len(body) <= MAX_IMAGE_BYTES:
            resources.setdefault(url, _constant(body))
    return resources


def _constant(data: bytes) -> Loader:
    return lambda: data


def _data_uris(figures: list[tuple[int, Block]], original: Original) -> dict[int, Loader]:
    """A SingleFile page's images: each `<img>` whose src is a data: URI, found again by
    the URL extraction kept for it (a lazy-loading attribute), else by its alt text
    (the figures of such images have no src), first unused in page order."""
    from reader.ingest.convert.links import image_of
    from reader.ingest.page import RawPage
    from reader.ingest.parse import parse_page_html

    if b"data:" not in original.data:
        return {}
    # Parsed as extraction parsed it, so alt texts and URLs come out the same.
    raw = RawPage(
        data=original.data,
        html=original.data,
        filename=original.filename or "page.html",
        kind="html",
        url=original.url,
    )
    root = parse_page_html(raw)
    by_src: dict[str, Loader] = {}
    by_alt: dict[str, list[Loader]] = {}
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if src[:5].lower() != "data:":
            continue
        load = _data_uri_loader(src)
        seen = image_of(img, original.url)
        if seen is None:
            continue
        url, alt = seen
        if url:
            by_src.setdefault(url, load)
        elif clean_line(alt):
            by_alt.setdefault(clean_line(alt), []).append(load)
    found = _by_url(figures, by_src)
    for index, block in figures:
        if index in found or block.src:
            continue
        waiting = by_alt.get(block.alt)
        if waiting:
            found[index] = waiting.pop(0)
    return found


def _data_uri_loader(uri: str) -> Loader:
    return lambda: data_uri_bytes(uri)


def data_uri_bytes(uri: str) -> bytes | None:
    """The bytes of a `data:` URI, or None (not one, damaged, or over the size cap)."""
    match = _DATA_URI.match(uri.strip())
    if match is None or len(uri) > MAX_IMAGE_BYTES * 4 // 3 + 1024:
        return None
    payload = uri.strip()[match.end() :]
    try:
        if match.group(3):
            data = base64.b64decode("".join(payload.split()), validate=True)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    return data if len(data) <= MAX_IMAGE_BYTES else None


# --- Decoding and re-encoding -------------------------------------------------------


def reencode(data: bytes) -> tuple[bytes, str, str] | None:
    """`data` re-encoded by the shared rules (reader.ingest.images) as (bytes, suffix,
    media type), or None when it is not an image we take."""
    image = reencode_image(data)
    return None if image is None else (image.data, image.suffix, image.media_type)
