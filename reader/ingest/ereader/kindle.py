"""Kindle's `My Clippings.txt` (and KOReader's export in its layout).

Each clipping is five parts, ended by a line of ten `=`:

    Book Title (Author Name)
    - Your Highlight on page 12 | location 140-142 | Added on Monday, 1 April 2024 10:20:30

    The highlighted text.
    ==========

The second line says what it is: a Highlight, a Note (its text is the note, on the
highlight that ends at its location) or a Bookmark (no text: a place only, passed
over). The file starts with a BOM, lines end in CRLF; the same clipping appears twice
when the user highlighted it again. KOReader writes "Your highlight" (lower case). A
Kindle has no chapters: a book reader sent of one article is its title; a book of
several matches by the book's title only when an article has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dateutil import parser as dateparser

from reader.ingest.ereader.books import Mark, book_items, with_note
from reader.ingest.services.fields import read_file_capped, utc_time
from reader.ingest.services.items import Quote, Refused, ServiceItem

__all__ = ["KINDLE_CLIPPINGS", "KindleClippings"]

SOURCE = "Kindle"
SEPARATOR = "=========="
_KIND = re.compile(r"^-\s*(?:Your|La tua|Ihre?|Votre|Tu|Su)?\s*(\w+)", re.IGNORECASE)
_LOCATION = re.compile(
    r"(?:location|loc\.?|position|posición|emplacement)\s*(\d+)(?:-(\d+))?", re.IGNORECASE
)
_ADDED = re.compile(r"Added on\s+(.+)$", re.IGNORECASE)
_AUTHOR = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_HIGHLIGHT_LINE = re.compile(
    rb"^\s*- Your (?:Highlight|Note|Bookmark)", re.IGNORECASE | re.MULTILINE
)


@dataclass
class _Clipping:
    line: int
    title: str
    author: str | None
    kind: str  # "highlight", "note", "bookmark", or another word
    location: tuple[int, int] | None
    added: str | None
    text: str


class KindleClippings:
    """A `My Clippings.txt` file."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        return SEPARATOR.encode() in head and bool(_HIGHLIGHT_LINE.search(head))

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        text = read_file_capped(path).decode("utf-8-sig", errors="replace")
        books: dict[tuple[str, str | None], list[_Clipping]] = {}
        for clipping in _clippings(text):
            if isinstance(clipping, Refused):
                yield Refused(f"{path.name}:{clipping.where}", clipping.reason)
            else:
                books.setdefault((clipping.title, clipping.author), []).append(clipping)
        for (title, author), clippings in books.items():
            marks = _marks(clippings)
            where = f"{path.name}:{clippings[0].line}"
            yield from book_items(SOURCE, where, marks, book_title=title, author=author)


KINDLE_CLIPPINGS = KindleClippings()


def _clippings(text: str) -> Iterator[_Clipping | Refused]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 0
    for number, line in enumerate(lines):
        if line.strip() != SEPARATOR:
            continue
        part = lines[start:number]
        first = start + 1
        start = number + 1
        while part and not part[0].strip():
            part, first = part[1:], first + 1
        if not part:
            continue
        if len(part) < 2:
            yield Refused(str(first), "a clipping without its title and kind lines")
            continue
        yield _clipping(first, part)


def _clipping(line: int, part: list[str]) -> _Clipping | Refused:
    heading = part[0].strip().lstrip("\ufeff")
    found = _AUTHOR.match(heading)
    title, author = (found.group(1), found.group(2).strip() or None) if found else (heading, None)
    info = part[1]
    kind = _KIND.match(info.strip())
    if kind is None:
        return Refused(str(line + 1), "not a Kindle clipping's kind line")
    location = None
    where = _LOCATION.search(info)
    if where:
        begin = int(where.group(1))
        location = (begin, _end(begin, where.group(2)))
    added = _ADDED.search(info)
    body = "\n".join(part[2:]).strip("\n")
    return _Clipping(
        line=line,
        title=title.strip(),
        author=author,
        kind=kind.group(1).lower(),
        location=location,
        added=_added(added.group(1)) if added else None,
        text=body.strip(),
    )


def _added(text: str) -> str | None:
    """ "Monday, April 1, 2024 10:20:30 AM" (the device's local time) as reader keeps
    times."""
    try:
        moment = dateparser.parse(text.strip()[:64])
    except (ValueError, OverflowError):
        return None
    return utc_time(moment.isoformat())


def _end(begin: int, end: str | None) -> int:
    """A location range's end: Kindle shortens it ("1234-56" is 1234-1256)."""
    if not end:
        return begin
    if len(end) < len(str(begin)) and int(end) < begin:
        return int(str(begin)[: len(str(begin)) - len(end)] + end)
    return int(end)


def _marks(clippings: list[_Clipping]) -> list[Mark]:
    """Highlights with their notes: a note goes on the highlight whose location range
    holds the note's location (the last such), else it is a note on the book."""
    quotes: list[tuple[_Clipping, Quote]] = []
    loose: list[str] = []
    for clipping in clippings:
        if clipping.kind == "highlight" and clipping.text:
            quotes.append((clipping, Quote(clipping.text, created_at=clipping.added)))
        elif clipping.kind == "note" and clipping.text:
            if clipping.location is None and quotes:
                # KOReader's export names no location: its note follows its highlight.
                owner, quote = quotes[-1]
                quotes[-1] = (owner, with_note(quote, clipping.text))
                continue
            for index in range(len(quotes) - 1, -1, -1):
                owner, quote = quotes[index]
                if _holds(owner.location, clipping.location):
                    quotes[index] = (owner, with_note(quote, clipping.text))
                    break
            else:
                loose.append(clipping.text)
    marks = [Mark("", quote) for _, quote in quotes]
    return marks + [Mark("", note=note) for note in loose]


def _holds(span: tuple[int, int] | None, at: tuple[int, int] | None) -> bool:
    return span is not None and at is not None and span[0] <= at[0] <= span[1]
