"""Readers of other services' exports (Pocket, Omnivore, wallabag, Instapaper, Readwise,
Netscape bookmarks): one module a format, each pure, bytes in, `ServiceItem`s out.

`detect_export` tells, by content, whether a file is one of them (the importer asks it
before reading a file as a saved page)."""

from __future__ import annotations

from pathlib import Path

from reader.ingest.services.items import ExportReader, ItemPage, Quote, Refused, ServiceItem

__all__ = [
    "READERS",
    "ExportReader",
    "ItemPage",
    "Quote",
    "Refused",
    "ServiceItem",
    "detect_export",
]

#: Every format's reader, asked in this order.
READERS: tuple[ExportReader, ...] = ()

# What a reader's `sniff` sees of a file: enough for a CSV header or a zip's signature.
HEAD_BYTES = 64 * 1024


def detect_export(path: Path) -> ExportReader | None:
    """The reader of the export at `path`, or None for any other file (a saved page)."""
    if not READERS:
        return None
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return None  # the import reads it as a page and names the reason
    for reader in READERS:
        if reader.sniff(path, head):
            return reader
    return None
