"""KOReader's highlight exports (its Export highlights plugin): JSON and Markdown.

JSON (`target/json.lua`): one book as `{title, author, file, number_of_pages,
entries, created_on, version}`, several as `{created_on, version, documents: [...]}`;
an entry is `{sort, page, time, text, note, chapter, drawer, color, pn_xp}` (`time` in
Unix seconds, `pn_xp` the XPointer where the highlight starts, in an EPUB).

Markdown (`template/md.lua`): a book is `# title`, `##### author`, then per chapter
`## chapter` and per highlight `### Page N @ <date>`, its text (wrapped in the
formatting chosen for its style: `*...*`, `**...**`, `==...==`, `++...++`, `~~...~~`,
`<u>...</u>`), optionally `---` and the note, and a `[View in book](<file://...?pos=...>)`
backlink; the file ends with `## ` and `_Generated at: ..._`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from dateutil import parser as dateparser

from reader.ingest.ereader.books import (
    Mark,
    book_article_ids,
    book_beside,
    book_items,
    koreader_color,
)
from reader.ingest.page import IngestError
from reader.ingest.services.fields import load_json, read_file_capped, text_of, utc_time
from reader.ingest.services.items import Quote, Refused, ServiceItem

__all__ = ["KOREADER_JSON", "KOREADER_MARKDOWN", "KOReaderJson", "KOReaderMarkdown"]

SOURCE = "KOReader"
_SORT_HIGHLIGHT = re.compile(rb'"sort"\s*:\s*"highlight"')
_MD_HEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?# [^\n]*\r?\n##### ")
_MD_ENTRY = re.compile(rb"^### Page \S* @ ", re.MULTILINE)
_ENTRY = re.compile(r"^### Page (\S*) @ (.*)$")
_BACKLINK = re.compile(r"^\[[^\]]*\]\(<file://[^>]*?\?pos=([^>]*)>\)\s*$")
# KOReader's formatters, outermost first where one contains another.
_WRAPPERS = (
    ("**_", "_**"),
    ("**", "**"),
    ("==", "=="),
    ("++", "++"),
    ("~~", "~~"),
    ("<u>", "</u>"),
    ("*", "*"),
)


class KOReaderJson:
    """KOReader's JSON highlight export."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return (
            start.startswith(b"{")
            and (b'"entries"' in head or b'"documents"' in head)
            and (b'"created_on"' in head or bool(_SORT_HIGHLIGHT.search(head)))
        )

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        data = load_json(read_file_capped(path))
        if not isinstance(data, dict):
            raise IngestError("not a KOReader export (no object at the top)")
        documents = data.get("documents")
        books = documents if isinstance(documents, list) else [data]
        for number, book in enumerate(books, 1):
            where = path.name if len(books) == 1 else f"{path.name}: book {number}"
            if not isinstance(book, dict) or not isinstance(book.get("entries"), list):
                yield Refused(where, "a book without its list of entries")
                continue
            yield from _json_book(book, path, where)


def _json_book(book: dict[str, object], path: Path, where: str) -> Iterator[ServiceItem]:
    file = text_of(book.get("file"))
    title = text_of(book.get("title")).strip() or file.rsplit("/", 1)[-1]
    marks: list[Mark] = []
    entries = book.get("entries")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        text = text_of(entry.get("text"))
        if entry.get("sort") not in (None, "highlight") or not text.strip():
            continue
        quote = Quote(
            text=text,
            note=text_of(entry.get("note")),
            color=koreader_color(entry.get("color")),
            created_at=utc_time(entry.get("time")),
            start_xpointer=text_of(entry.get("pn_xp")) or None,
        )
        marks.append(Mark(text_of(entry.get("chapter")), quote))
    epub = book_beside(path.parent, [file])
    ids = book_article_ids(epub, (), title=title) if epub is not None else {}
    author = text_of(book.get("author")).replace("\n", ", ").strip() or None
    yield from book_items(SOURCE, where, marks, book_title=title, author=author, article_ids=ids)


class KOReaderMarkdown:
    """KOReader's Markdown highlight export."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        return bool(_MD_HEAD.match(head)) and bool(_MD_ENTRY.search(head))

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        text = read_file_capped(path).decode("utf-8-sig", errors="replace")
        lines = text.replace("\r\n", "\n").split("\n")
        book: tuple[int, str, str | None] | None = None
        marks: list[Mark] = []
        chapter = ""
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.startswith("# "):
                if book is not None:
                    yield from _md_book(path, book, marks)
                book, marks, chapter = (index + 1, line[2:].strip(), None), [], ""
            elif line.startswith("##### ") and book is not None and book[2] is None:
                book = (book[0], book[1], line[6:].strip() or None)
            elif line.startswith("## "):
                chapter = line[3:].strip()
            elif (entry := _ENTRY.match(line)) and book is not None:
                end = index + 1
                while end < len(lines) and not lines[end].startswith(("# ", "## ", "### ")):
                    end += 1
                marks.append(Mark(chapter, _md_quote(lines[index + 1 : end], entry.group(2))))
                index = end
                continue
            index += 1
        if book is not None:
            yield from _md_book(path, book, marks)


def _md_book(
    path: Path, book: tuple[int, str, str | None], marks: list[Mark]
) -> Iterator[ServiceItem]:
    line, title, author = book
    yield from book_items(SOURCE, f"{path.name}:{line}", marks, book_title=title, author=author)


def _md_quote(body: list[str], date: str) -> Quote:
    pointer = None
    while body and not body[-1].strip():
        body = body[:-1]
    if body and (link := _BACKLINK.match(body[-1])):
        pointer = link.group(1) or None
        body = body[:-1]
    text_lines, note_lines = body, []
    if "---" in body:
        split = body.index("---")
        text_lines, note_lines = body[:split], body[split + 1 :]
    text = _unwrapped("\n".join(text_lines).strip())
    return Quote(
        text=text,
        note="\n".join(note_lines).strip(),
        created_at=_md_time(date),
        start_xpointer=pointer,
    )


def _unwrapped(text: str) -> str:
    for before, after in _WRAPPERS:
        wrapped = text.startswith(before) and text.endswith(after)
        if wrapped and len(text) > len(before) + len(after):
            return text[len(before) : -len(after)]
    return text


def _md_time(text: str) -> str | None:
    """`01 April 2024 10:20:30 AM` (the device's local time) as reader keeps times."""
    try:
        moment = dateparser.parse(text.strip()[:64])
    except (ValueError, OverflowError):
        return None
    return utc_time(moment.isoformat())


KOREADER_JSON = KOReaderJson()
KOREADER_MARKDOWN = KOReaderMarkdown()
