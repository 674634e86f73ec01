"""KOReader's sidecar files: `<book>.sdr/metadata.epub.lua`, the book's settings and
annotations as Lua data (read by reader.ingest.ereader.luatable, never run).

Two generations hold highlights:

- KOReader 2024 and later: `annotations`, a list of
  `{datetime, drawer, color, text, note, chapter, page, pos0, pos1, pageno, ...}`, where
  a highlight has `pos0`/`pos1` (XPointers into the book) and a page bookmark has not;
- before: `highlight` (`{[page] = {{datetime, text, chapter, pos0, pos1, drawer}, ...}}`)
  and `bookmarks` (`{{datetime, highlighted, notes = <the quote>, text = <the note, or
  "Page N <quote> @ <datetime>" written by KOReader>, page, pos0, pos1, chapter}, ...}`),
  a highlight's note being on the bookmark of the same `datetime`.

Beside them: `doc_props` (the book's `title`, `authors`, `identifiers`), `doc_path`,
`stats`, `partial_md5_checksum`. A page bookmark with a note of the user's becomes a
note on its chapter's article; one without is a place only, and is passed over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reader.ingest.ereader.books import (
    Mark,
    book_article_ids,
    book_beside,
    book_items,
    book_urns,
    koreader_color,
)
from reader.ingest.ereader.luatable import LuaSyntaxError, LuaTable, read_lua_data
from reader.ingest.page import IngestError
from reader.ingest.services.fields import read_file_capped, text_of, utc_time
from reader.ingest.services.items import Quote, Refused, ServiceItem

__all__ = ["KOREADER_SIDECAR", "KOReaderSidecar", "sidecar_items"]

SOURCE = "KOReader"
#: The largest sidecar read (one with 10,000 highlights is ~5 MB).
MAX_SIDECAR = 64 * 2**20
# The first line KOReader writes ("-- we can read Lua syntax here!"), then `return {`.
_SIDECAR_HEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:--[^\n]*\n\s*)+return\s*\{")
# The text KOReader gave a bookmark itself: "Page 12 <the quote> @ <datetime>".
_AUTO_TEXT = re.compile(r"\A\S+ \S+ (?:(.*) )?@ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\Z", re.DOTALL)


class KOReaderSidecar:
    """KOReader's `metadata.*.lua` sidecar."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        return bool(_SIDECAR_HEAD.match(head)) and (
            b"annotations" in head or b"highlight" in head or b"doc_props" in head
        )

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        data = read_file_capped(path)
        if len(data) > MAX_SIDECAR:
            raise IngestError(f"the sidecar is over {MAX_SIDECAR // 2**20} MB")
        try:
            table = read_lua_data(data)
        except LuaSyntaxError as error:
            raise IngestError(f"not a KOReader sidecar ({error})") from None
        if not isinstance(table, dict):
            raise IngestError("not a KOReader sidecar (it returns no table)")
        yield from sidecar_items(table, path)


KOREADER_SIDECAR = KOReaderSidecar()


def sidecar_items(table: LuaTable, path: Path) -> Iterator[ServiceItem]:
    """The items of a read sidecar at `path` (the book may lie beside its folder)."""
    props = _table(table.get("doc_props"))
    stats = _table(table.get("stats"))
    title = text_of(props.get("title")).strip() or text_of(stats.get("title")).strip()
    doc_path = text_of(table.get("doc_path"))
    if not title:
        title = _name_of(doc_path) or _name_of(path.parent.name.removesuffix(".sdr"))
    authors = text_of(props.get("authors")) or text_of(stats.get("authors"))
    author = ", ".join(line.strip() for line in authors.splitlines() if line.strip()) or None
    urns = book_urns(props.get("identifiers"))
    ids: dict[int, int] = {}
    if urns:
        folder = path.parent.parent if path.parent.name.endswith(".sdr") else path.parent
        sdr_book = path.parent.name.removesuffix(".sdr") + ".epub"
        epub = book_beside(folder, [doc_path, sdr_book])
        if epub is not None:
            ids = book_article_ids(epub, urns)
    annotations = table.get("annotations")
    if isinstance(annotations, dict):
        marks = list(_annotation_marks(annotations))
    else:
        marks = list(_legacy_marks(_table(table.get("highlight")), _table(table.get("bookmarks"))))
    yield from book_items(
        SOURCE,
        path.name,
        marks,
        book_title=title,
        author=author,
        article_ids=ids,
        key=urns[0] if len(urns) == 1 else None,
    )


def _table(value: object) -> LuaTable:
    return value if isinstance(value, dict) else {}


def _listed(table: LuaTable) -> list[LuaTable]:
    """A Lua list's tables in order (keys 1, 2, ...; others, and non-tables, left out)."""
    keys = sorted(key for key in table if isinstance(key, int) and not isinstance(key, bool))
    return [value for key in keys if isinstance(value := table[key], dict)]


def _name_of(doc_path: str) -> str:
    name = doc_path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _quote(entry: LuaTable, text: object, note: object) -> Quote:
    start = text_of(entry.get("pos0")) or text_of(entry.get("page"))
    return Quote(
        text=text_of(text),
        note=text_of(note),
        color=koreader_color(entry.get("color")),
        created_at=utc_time(text_of(entry.get("datetime"))),
        start_xpointer=start or None,
        end_xpointer=text_of(entry.get("pos1")) or None,
    )


def _annotation_marks(annotations: LuaTable) -> Iterator[Mark]:
    for entry in _listed(annotations):
        chapter = text_of(entry.get("chapter"))
        if entry.get("pos0") is not None and text_of(entry.get("text")).strip():
            yield Mark(chapter, _quote(entry, entry.get("text"), entry.get("note")))
        elif text_of(entry.get("note")).strip():
            yield Mark(chapter, note=text_of(entry.get("note")))


def _legacy_marks(highlights: LuaTable, bookmarks: LuaTable) -> Iterator[Mark]:
    """The highlights of the older tables, with the notes their bookmarks hold."""
    notes: dict[str, str] = {}
    for bookmark in _listed(bookmarks):
        moment = text_of(bookmark.get("datetime"))
        note = text_of(bookmark.get("text"))
        quote = text_of(bookmark.get("notes"))
        if not bookmark.get("highlighted"):
            if note.strip() and not _AUTO_TEXT.match(note):
                yield Mark(text_of(bookmark.get("chapter")), note=note)
            continue
        auto = _AUTO_TEXT.match(note)
        if note.strip() and note != quote and not (auto and auto.group(1) == quote):
            notes[moment] = note
    pages = sorted(
        (key for key in highlights if isinstance(key, int | float)), key=lambda k: float(k)
    )
    for page in pages:
        for entry in _listed(_table(highlights[page])):
            if not text_of(entry.get("text")).strip() or entry.get("pos0") is None:
                continue  # an image highlight of a PDF page: nothing to quote
            note = notes.get(text_of(entry.get("datetime")), "")
            yield Mark(text_of(entry.get("chapter")), _quote(entry, entry.get("text"), note))
