"""The pictures a saved page holds itself: found at import (and by `reader reindex`) in
the page's original, never downloaded.

Where the original holds them: an MHTML file's parts (found by Content-Location), a
Safari webarchive's subresources (by URL), a SingleFile page's `data:` URIs (by the
URL a lazy-loading attribute kept, else by the image's alt text, in page order). A
"Webpage, Complete" save's `X_files/` folder is not in the original: reader.ingest.assets
reads it beside the page. A page saved as "HTML only" holds none, and its figures show
their captions.

The bytes are the page's, so untrusted: each image goes through reader.ingest.images
(decoded, re-encoded under caps, or refused with a reason), as the folder's do. Each
picture is kept under its figure's key (figure_keys), which the reading view and the
EPUB export match figures by.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.message
import plistlib
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote_to_bytes, urldefrag

from reader.document import Block, Document
from reader.ingest.images import MAX_IMAGE_BYTES, ImageRefused, PageTake, figure_keys
from reader.ingest.page import RawPage
from reader.textrules import clean_line

__all__ = ["data_uri_bytes", "original_images"]

# Gives an image's bytes from the original, or raises ImageRefused saying why not.
Loader = Callable[[], bytes]
# A figure: its number among the page's figures (from 1), block index, block, key.
Figure = tuple[int, int, Block, str]
# A figure whose image the original holds: its number, its key, its loader.
Found = tuple[int, str, Loader]

_DATA_URI = re.compile(r"data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,", re.IGNORECASE)
# An <img> whose src is a data: URI (a cheap look before parsing the page again).
_IMG_DATA = re.compile(rb"""src\s*=\s*["']?\s*data:""", re.IGNORECASE)
_KINDS = ("mhtml", "webarchive", "html", "singlefile")


def original_images(raw: RawPage, document: Document, take: PageTake) -> None:
    """Add to `take` the pictures of `document`'s figures that the original `raw`
    holds. Costs nothing for a page without figures or of a kind that holds none."""
    if raw.kind not in _KINDS:
        return
    keys = figure_keys(document)
    if not keys:
        return
    # Numbered among all the page's figures, as reader.ingest.assets numbers them.
    figure_blocks = (i for i, block in enumerate(document.blocks) if block.kind == "figure")
    numbers = {index: n for n, index in enumerate(figure_blocks, 1)}
    figures = [(numbers[i], i, document.blocks[i], key) for i, key in keys.items()]
    for number, key, load in _found_in(raw, figures):
        try:
            data = load()
        except ImageRefused as error:
            take.add(number, key, None, str(error))
        else:
            take.add(number, key, data)


def _found_in(raw: RawPage, figures: list[Figure]) -> list[Found]:
    """(number, key, loader) of each figure whose image the original holds."""
    if raw.kind == "mhtml":
        return _by_url(figures, _mhtml_parts(raw.data))
    if raw.kind == "webarchive":
        return _by_url(figures, _webarchive_resources(raw.data))
    return _data_uris(figures, raw)


def _by_url(figures: list[Figure], resources: Mapping[str, Loader]) -> list[Found]:
    found: list[Found] = []
    for number, _, block, key in figures:
        if not block.src:
            continue
        load = resources.get(block.src) or resources.get(urldefrag(block.src).url)
        if load is not None:
            found.append((number, key, load))
    return found


def _mhtml_parts(data: bytes) -> dict[str, Loader]:
    """Each image part's Content-Location -> its decoded body (decoded when asked for)."""
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
    def load() -> bytes:
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise ImageRefused("a damaged part of the MHTML file")
        return payload

    return load


def _webarchive_resources(data: bytes) -> dict[str, Loader]:
    root = plistlib.loads(data)
    resources: dict[str, Loader] = {}
    subresources = root.get("WebSubresources") if isinstance(root, dict) else None
    for resource in subresources if isinstance(subresources, list) else []:
        if not isinstance(resource, dict):
            continue
        url, body = resource.get("WebResourceURL"), resource.get("WebResourceData")
        if isinstance(url, str) and isinstance(body, bytes):
            resources.setdefault(url, _constant(body))
    return resources


def _constant(data: bytes) -> Loader:
    return lambda: data


def _data_uris(figures: list[Figure], raw: RawPage) -> list[Found]:
    """A SingleFile page's images: each `<img>` whose src is a data: URI, found again by
    the URL extraction kept for it (a lazy-loading attribute), else by its alt text
    (the figures of such images have no src), first unused in page order."""
    if raw.kind != "singlefile" and all(block.src for _, _, block, _ in figures):
        return []  # a plain page's data: images with a URL are its placeholders (below)
    if not _IMG_DATA.search(raw.html):
        return []
    from reader.ingest.convert.links import image_of
    from reader.ingest.parse import parse_page_html

    # Parsed as extraction parsed it, so alt texts and URLs come out the same.
    root = parse_page_html(raw)
    by_src: dict[str, Loader] = {}
    by_alt: dict[str, list[Loader]] = {}
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if src[:5].lower() != "data:":
            continue
        seen = image_of(img, raw.url)
        if seen is None:
            continue
        url, alt = seen
        if url and raw.kind != "singlefile":
            # A lazy-loading page's placeholder: its picture came from the web, unsaved.
            continue
        load = _data_uri_loader(src)
        if url:
            by_src.setdefault(url, load)
        elif clean_line(alt):
            by_alt.setdefault(clean_line(alt), []).append(load)
    found = _by_url(figures, by_src)
    for number, _, block, key in figures:
        waiting = by_alt.get(block.alt) if not block.src else None
        if waiting:
            found.append((number, key, waiting.pop(0)))
    return sorted(found, key=lambda item: item[0])


def _data_uri_loader(uri: str) -> Loader:
    def load() -> bytes:
        if len(uri) > MAX_IMAGE_BYTES * 4 // 3 + 1024:
            raise ImageRefused(f"over the size cap ({MAX_IMAGE_BYTES // 2**20} MB)")
        data = data_uri_bytes(uri)
        if data is None:
            raise ImageRefused("a damaged data: URI")
        return data

    return load


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
