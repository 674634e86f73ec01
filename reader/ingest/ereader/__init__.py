"""Highlights made on e-readers, back from their files: KOReader's sidecars
(`*.sdr/metadata.epub.lua`) and highlight exports (JSON, Markdown), Kindle's
`My Clippings.txt`. Each reader is pure, bytes in, `ServiceItem`s out, like the
readers of other services' exports (reader.ingest.services), and lands through the
same importer.

A package of its own rather than more modules of `services`: these files are not a
service's library but a device's notes on books, most of them books reader made, so
they bring what the services do not: a reader of Lua data that runs none, KOReader's
XPointers resolved against the chapters reader wrote, and a book's article ids read
from the book itself. Their items only ever land on articles already in the archive.
"""

from __future__ import annotations

from reader.ingest.ereader.kindle import KINDLE_CLIPPINGS
from reader.ingest.ereader.koexport import KOREADER_JSON, KOREADER_MARKDOWN
from reader.ingest.ereader.koreader import KOREADER_SIDECAR

__all__ = [
    "EREADER_READERS",
    "KINDLE_CLIPPINGS",
    "KOREADER_JSON",
    "KOREADER_MARKDOWN",
    "KOREADER_SIDECAR",
]

#: The e-reader formats, in the order `detect_export` asks them (after the services').
EREADER_READERS = (KOREADER_SIDECAR, KOREADER_JSON, KOREADER_MARKDOWN, KINDLE_CLIPPINGS)
