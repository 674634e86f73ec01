"""Readers of other services' exports (Pocket, Omnivore, wallabag, Instapaper, Readwise,
Netscape bookmarks): one module a format, each pure, bytes in, `ServiceItem`s out.

`detect_export` tells an export from a saved page by content: a zip's member names, a
CSV's header row, a JSON list's keys, the bookmark file's doctype, Pocket's HTML list;
and the e-readers' files (reader.ingest.ereader): KOReader's Lua sidecar and exports,
Kindle's clippings.
It reads one small head of the file (a zip's central directory too, for a zip), so the
importer asks it of every file before taking one for a page.
"""

from __future__ import annotations

from pathlib import Path

from reader.ingest.services.bookmarks import BOOKMARKS
from reader.ingest.services.instapaper import INSTAPAPER
from reader.ingest.services.items import ExportReader, ItemPage, Quote, Refused, ServiceItem
from reader.ingest.services.omnivore import OMNIVORE
from reader.ingest.services.pocket import (
    POCKET_ANNOTATIONS,
    POCKET_CSV,
    POCKET_HTML,
    POCKET_ZIP,
)
from reader.ingest.services.readwise import READWISE, READWISE_READER
from reader.ingest.services.wallabag import WALLABAG

__all__ = [
    "HEAD_BYTES",
    "READERS",
    "ExportReader",
    "ItemPage",
    "Quote",
    "Refused",
    "ServiceItem",
    "detect_export",
]

#: Every reader of a service's export, in the order `detect_export` asks them (then
#: the e-readers', reader.ingest.ereader.EREADER_READERS).
READERS: tuple[ExportReader, ...] = (
    POCKET_ZIP,
    OMNIVORE,
    POCKET_CSV,
    INSTAPAPER,
    READWISE,
    READWISE_READER,
    WALLABAG,
    POCKET_ANNOTATIONS,
    BOOKMARKS,
    POCKET_HTML,
)

#: How much of a file the readers' `sniff` see.
HEAD_BYTES = 64 * 1024


def detect_export(path: Path) -> ExportReader | None:
    """The reader of the export at `path`, or None when it is none (a saved page, an
    article, an unreadable file)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None  # the import reads it as a page and names the reason
    # The e-readers' formats build on this package's items: imported once it is loaded.
    from reader.ingest.ereader import EREADER_READERS

    for reader in (*READERS, *EREADER_READERS):
        if reader.sniff(path, head):
            return reader
    return None
