"""Readwise's highlights CSV and Readwise Reader's documents CSV.

Readwise (`Highlight, Book Title, Book Author, Amazon Book ID, Note, Color, Tags,
Location Type, Location, Highlighted at, Document tags`) writes one row a highlight; the
rows of one document (its title and author) are one item, with no URL (it matches an
article by title and author) unless the file has a URL column. Readwise's six colours
land on reader's four: orange on yellow (the warm one beside it), purple on pink (the
nearer of the two it mixes); a highlight's `Tags` are its own.

Reader (`Title, URL, ID, Document tags, Saved date, Reading progress, Location, Seen`)
writes one row a document; `Location` is `new`, `later`, `shortlist` (kept as starred:
Reader's shortlist is its favourites), `archive` or `feed`. Reader writes `Document
tags` as a Python list (`['a', 'b']`); a comma list is read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reader.ingest.services.fields import (
    CsvRecord,
    csv_header,
    csv_records,
    grouped_records,
    open_csv,
    split_tags,
    unit_progress,
    utc_time,
    web_url,
)
from reader.ingest.services.items import Quote, Refused, ServiceItem

__all__ = ["READWISE", "READWISE_READER", "ReadwiseCsv", "ReadwiseReaderCsv", "readwise_color"]

_HIGHLIGHT_COLUMNS = ("Highlight", "Book Title", "Book Author")
_READER_COLUMNS = ("Title", "URL")
_COLORS = {
    "yellow": "yellow",
    "orange": "yellow",
    "green": "green",
    "blue": "blue",
    "purple": "pink",
    "pink": "pink",
}
_URL_COLUMNS = ("URL", "Source URL")


def readwise_color(name: str) -> str | None:
    """A Readwise colour as one of reader's four (`reader.models.COLORS`), or None."""
    return _COLORS.get(name.strip().lower())


def _first_header(head: bytes) -> list[str]:
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    return csv_header(first)


def _document_key(row: dict[str, str]) -> str:
    return f"{row['Book Title'].strip()}\x00{row['Book Author'].strip()}"


class ReadwiseCsv:
    """Readwise's highlights export."""

    name = "Readwise"

    def sniff(self, path: Path, head: bytes) -> bool:
        return _first_header(head)[:3] == list(_HIGHLIGHT_COLUMNS)

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        for group in grouped_records(path, _HIGHLIGHT_COLUMNS, _document_key):
            if isinstance(group, Refused):
                yield group
            else:
                yield from self._item(group, path.name)

    def _item(self, rows: list[CsvRecord], name: str) -> Iterator[ServiceItem | Refused]:
        first_line, first = rows[0]
        title = first["Book Title"].strip()
        if not title:
            yield Refused(f"{name}:{first_line}", "a highlight of no document (no Book Title)")
            return
        url: str | None = None
        for column in _URL_COLUMNS:
            if first.get(column, "").strip():
                url, _ = web_url(first[column])
        quotes: list[Quote] = []
        tags: dict[str, None] = {}
        for line, row in rows:
            tags.update(dict.fromkeys(_document_tags(row.get("Document tags", ""))))
            if not row["Highlight"].strip():
                yield Refused(f"{name}:{line}", "a row without a highlight")
                continue
            quotes.append(
                Quote(
                    row["Highlight"],
                    note=row.get("Note", ""),
                    color=readwise_color(row.get("Color", "")),
                    created_at=utc_time(row.get("Highlighted at")),
                    tags=split_tags(row.get("Tags", ""), ","),
                )
            )
        yield ServiceItem(
            source=self.name,
            where=f"{name}:{first_line}",
            url=url,
            title=title,
            author=first["Book Author"].strip() or None,
            tags=tuple(tags),
            highlights=tuple(quotes),
        )


class ReadwiseReaderCsv:
    """Readwise Reader's documents export."""

    name = "Readwise Reader"

    def sniff(self, path: Path, head: bytes) -> bool:
        header = _first_header(head)
        return header[:2] == list(_READER_COLUMNS) and (
            "Saved date" in header or "Document tags" in header
        )

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        with open_csv(path) as lines:
            for record in csv_records(lines, path.name, _READER_COLUMNS):
                if isinstance(record, Refused):
                    yield record
                else:
                    yield self._item(record, path.name)

    def _item(self, record: CsvRecord, name: str) -> ServiceItem | Refused:
        line, row = record
        where = f"{name}:{line}"
        url: str | None = None
        if row["URL"].strip():
            url, reason = web_url(row["URL"])
            if url is None:
                return Refused(where, reason)
        elif not row["Title"].strip():
            return Refused(where, "neither a URL nor a title")
        location = row.get("Location", "").strip().lower()
        progress = unit_progress(row.get("Reading progress", ""))
        return ServiceItem(
            source=self.name,
            where=where,
            url=url,
            title=row["Title"],
            saved_at=utc_time(row.get("Saved date")),
            tags=_document_tags(row.get("Document tags", "")),
            read=progress is not None and progress >= 1.0,
            archived=location == "archive",
            starred=location == "shortlist",
            progress=progress,
            key=row.get("ID", "").strip() or None,
        )


# A quoted string of a Python list's repr: 'it''s' is written "it's".
_LIST_ITEM = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_ESCAPE = re.compile(r"\\(.)")


def _document_tags(text: str) -> tuple[str, ...]:
    """Tags as Reader writes them: `['a', "it's"]`, or a plain comma list."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        items = (
            _ESCAPE.sub(r"\1", single or double) for single, double in _LIST_ITEM.findall(text)
        )
        return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
    return split_tags(text, ",")


READWISE = ReadwiseCsv()
READWISE_READER = ReadwiseReaderCsv()
