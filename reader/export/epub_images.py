"""The article's own images for its book: the pictures the archive keeps for it.

An import (and `reader reindex`, for articles imported before) keeps the pictures a
page's figures show that its saved original holds (an MHTML file's parts, a Safari
webarchive's subresources, a SingleFile page's `data:` URIs) or that a "Webpage,
Complete" save's `X_files/` folder holds: reader.ingest.original_images and
reader.ingest.assets, decoded and re-encoded by reader.ingest.images. Nothing is ever
downloaded: a figure whose picture the archive does not keep shows its caption.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from reader.document import Document
from reader.ingest.images import MAX_IMAGES, SUFFIXES, figure_pictures
from reader.models import StoredImage


@dataclass(frozen=True)
class BookImage:
    """An image the book holds, for the figure `block` (its index in the document)."""

    block: int
    uid: str
    path: str
    media_type: str
    data: bytes


def stored_images_for(document: Document, stored: Sequence[StoredImage]) -> list[BookImage]:
    """The pictures the archive keeps for the article, for the figures that show them
    (figure_pictures), at most MAX_IMAGES; the same picture has one path in the book."""
    images: list[BookImage] = []
    for index, image in sorted(figure_pictures(document, stored).items()):
        if image.media_type not in SUFFIXES or not image.data:
            continue
        digest = hashlib.sha1(image.data).hexdigest()[:20]
        path = f"images/{digest}.{SUFFIXES[image.media_type]}"
        images.append(BookImage(index, f"img-{digest}", path, image.media_type, image.data))
        if len(images) >= MAX_IMAGES:
            break
    return images
