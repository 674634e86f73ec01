"""What every reader of another service's export yields: items, and rows it refused.

An item is one saved thing as the export knows it: the user's data about it (tags,
states, when it was saved, highlights with their notes), its metadata, and its page when
the export carries one (Omnivore's `content/*.html`, wallabag's `content`). An item with
a URL and no page becomes a *missing page* in the archive, filled in when the page
arrives. Plain data, no database: the importer does the archive side, so that every
service lands through one path (match by URL, merge, re-anchor).

Every string here is as the export gave it, except that a reader already maps what it
can onto reader's vocabulary: times as ISO 8601 UTC (`2024-05-01T10:20:30Z`), progress
as 0..1, colours onto `reader.models.COLORS` (None: the default), states as booleans.
Control characters and sizes are the importer's to clean and bound (it does so for every
source alike), but a reader never yields a field it did not find in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = ["ExportReader", "ItemPage", "Quote", "Refused", "ServiceItem"]


@dataclass(frozen=True)
class Quote:
    """A highlight as an export holds it: the quoted text, not yet placed on any text."""

    text: str
    note: str = ""
    color: str | None = None  # one of reader.models.COLORS, or None for the default
    created_at: str | None = None  # ISO 8601 UTC
    tags: tuple[str, ...] = ()  # the highlight's own tags (Readwise), not the article's
    # Where an e-reader put it in a book reader made (KOReader's XPointers): placed
    # there when the text there is the quote, else by the quote.
    start_xpointer: str | None = None
    end_xpointer: str | None = None


@dataclass(frozen=True)
class ItemPage:
    """A page an export carries for an item: extracted like a saved page of that name."""

    data: bytes
    filename: str  # a name for reports and kind detection ("slug.html"), never a path to open


@dataclass(frozen=True)
class ServiceItem:
    """One saved item of an export.

    `where` names it for reports: the export's file (the member inside a zip) and the
    line or entry, as `"part_000000.csv:12"` or `"export.json: entry 7"`. `key` is the
    service's own id when it has one (Omnivore's id, Readwise Reader's ID), else None.
    A Readwise book has no URL: it matches an article by `title` and `author`.

    An e-reader's item (`book_title` set) is the highlights of one chapter of a book:
    it lands only on an article already here, found by `article_id` (a book reader
    made names its articles), else by `key` when it is the identifier of a book reader
    made of one article, else by `title` (the chapter's, which is the article's title
    in reader's books), else by `book_title` (a one-article book); an e-reader holds
    other books too, so an item that matches none is passed over.
    """

    source: str  # the service, for the summary: "Pocket", "Omnivore", "wallabag" ...
    where: str
    url: str | None
    title: str = ""
    author: str | None = None
    site_name: str | None = None
    excerpt: str | None = None
    published: str | None = None  # ISO 8601
    lang: str | None = None
    saved_at: str | None = None  # ISO 8601 UTC; becomes the article's added_at
    tags: tuple[str, ...] = ()  # folders too, as tags
    read: bool = False
    archived: bool = False
    starred: bool = False
    progress: float | None = None  # 0..1
    highlights: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()  # notes on the whole article
    page: ItemPage | None = None
    key: str | None = None
    article_id: int | None = None
    book_title: str | None = None


@dataclass(frozen=True)
class Refused:
    """A row or entry the reader could not take, with a one-line reason."""

    where: str  # "part_000000.csv:12", "export.json: entry 7", "export.zip: ../evil"
    reason: str


class ExportReader(Protocol):
    """One service's export format. `sniff` decides by content whether `path` is one;
    `read` yields its items and refusals in file order, one at a time (a 50,000-item
    export must not be held in memory whole). `read` raises IngestError (one line) only
    when the file as a whole cannot be read (a damaged zip, a zip bomb)."""

    name: str  # the service, as ServiceItem.source

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]: ...
