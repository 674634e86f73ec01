"""The article's own images for its book, taken from its saved original (stub)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.document import Document
from reader.models import Original


@dataclass(frozen=True)
class BookImage:
    """An image the book holds: the figure `src` it stands for, its path in the book."""

    src: str
    uid: str
    path: str
    media_type: str
    data: bytes


def images_for(document: Document, original: Original) -> list[BookImage]:
    return []
