"""What every e-reader format shares: a book's highlights grouped into one item a
chapter, and the article ids a book reader made holds.

A book reader exported (reader.export.epub) has one chapter per article, its spine
`article-<id>.xhtml` in order, and the identifier `urn:reader:book:<sha1 of the ids>`;
KOReader keeps the book's identifiers in its sidecar (`doc_props.identifiers`) and
names a place by the spine's index (`DocFragment[N]`). The sidecar does not hold the
ids, so they are read from the book itself when it lies beside the sidecar or export
(as it does on the device and in a copy of its folder), and only when its identifier
is the one the sidecar names. Otherwise a chapter is matched by its title.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from lxml import etree

from reader.ingest.ereader.xpointer import parse_xpointer
from reader.ingest.services.items import Quote, ServiceItem

__all__ = [
    "BOOK_URN",
    "Mark",
    "book_article_ids",
    "book_beside",
    "book_items",
    "book_urns",
    "koreader_color",
    "with_note",
]

#: The identifier of a book reader made.
BOOK_URN = re.compile(r"urn:reader:book:[0-9a-f]{40}")
_CHAPTER_FILE = re.compile(r"(?:^|/)article-(\d{1,18})\.xhtml$")
# The OPF and container are small; a book's are a few KB. Larger ones are not read.
_MAX_OPF = 4 * 2**20
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
# KOReader's highlight colours onto reader's (None: reader's default).
_COLORS = {
    "yellow": "yellow",
    "green": "green",
    "olive": "green",
    "blue": "blue",
    "cyan": "blue",
    "red": "pink",
    "orange": "pink",
    "purple": "pink",
    "pink": "pink",
}


@dataclass(frozen=True)
class Mark:
    """One highlight (or a note alone, `quote` None) with the chapter it is in."""

    chapter: str
    quote: Quote | None = None
    note: str = ""  # a note on the chapter as a whole (a bookmark's)


def koreader_color(value: object) -> str | None:
    return _COLORS.get(value.strip().lower()) if isinstance(value, str) else None


def book_urns(identifiers: object) -> tuple[str, ...]:
    """The reader book identifiers among KOReader's `doc_props.identifiers` (one a line,
    `scheme:value` or the value alone)."""
    if not isinstance(identifiers, str):
        return ()
    return tuple(dict.fromkeys(BOOK_URN.findall(identifiers[:100_000])))


def book_beside(folder: Path, names: Iterable[str]) -> Path | None:
    """The first of `names` (a device path's last part, or a bare name) that is an
    .epub file in `folder`."""
    for name in names:
        if not name:
            continue
        # A device path: its last part, whichever system wrote it.
        base = PureWindowsPath(PurePosixPath(name).name).name
        if not base.lower().endswith(".epub"):
            continue
        candidate = folder / base
        try:
            if candidate.is_file():
                return candidate
        except OSError:
            continue
    return None


def book_article_ids(
    epub: Path, urns: tuple[str, ...], *, title: str | None = None
) -> dict[int, int]:
    """The article id of each spine document (1-based, as `DocFragment[N]`) of the book
    at `epub` when it is a book reader made with one of `urns` as its identifier; with
    no `urns` (an export that keeps none), when its title is `title` (a book of the same
    name made later of other articles must not place highlights); {} otherwise or when
    it cannot be read."""
    try:
        with zipfile.ZipFile(epub) as book:
            opf_path = _opf_path(book)
            if opf_path is None:
                return {}
            opf = _parse(_member(book, opf_path))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError, RuntimeError):
        return {}
    if opf is None:
        return {}
    identifiers = {(element.text or "").strip() for element in opf.iter(f"{_DC}identifier")}
    ours = {urn for urn in identifiers if BOOK_URN.fullmatch(urn)}
    if not ours or (urns and not ours & set(urns)):
        return {}
    if not urns:
        titles = {(element.text or "").strip() for element in opf.iter(f"{_DC}title")}
        if title is None or title.strip() not in titles:
            return {}
    hrefs = {item.get("id"): item.get("href") or "" for item in opf.iter(f"{_OPF}item")}
    ids: dict[int, int] = {}
    for index, itemref in enumerate(opf.iter(f"{_OPF}itemref"), 1):
        found = _CHAPTER_FILE.search(hrefs.get(itemref.get("idref"), ""))
        if found:
            ids[index] = int(found.group(1))
    return ids


def _member(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > _MAX_OPF:
        raise ValueError("too large")
    with book.open(info) as handle:
        return handle.read(_MAX_OPF + 1)[:_MAX_OPF]


def _parse(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def _opf_path(book: zipfile.ZipFile) -> str | None:
    container = _parse(_member(book, "META-INF/container.xml"))
    if container is None:
        return None
    for element in container.iter("{urn:oasis:names:tc:opendocument:xmlns:container}rootfile"):
        path = element.get("full-path")
        if path:
            return path
    return None


def _fragment(quote: Quote | None) -> int | None:
    if quote is None or quote.start_xpointer is None:
        return None
    pointer = parse_xpointer(quote.start_xpointer)
    return pointer.fragment if pointer is not None else None


def book_items(
    source: str,
    where: str,
    marks: Iterable[Mark],
    *,
    book_title: str,
    author: str | None = None,
    article_ids: dict[int, int] | None = None,
    key: str | None = None,
) -> Iterator[ServiceItem]:
    """The book's marks as items, one a chapter (by the article its spine document
    holds, when `article_ids` names it; else by the chapter's title), in book order.
    `key` is the book's identifier, when reader made it (`urn:reader:book:...`)."""
    groups: dict[tuple[int | None, str], list[Mark]] = {}
    ids = article_ids or {}
    for mark in marks:
        fragment = _fragment(mark.quote)
        article_id = ids.get(fragment) if fragment is not None else None
        named_by = (article_id, "" if article_id is not None else mark.chapter.strip())
        groups.setdefault(named_by, []).append(mark)
    for (article_id, chapter), group in groups.items():
        chapter = chapter or next((m.chapter.strip() for m in group if m.chapter.strip()), "")
        quotes = tuple(m.quote for m in group if m.quote is not None)
        named = f"chapter {chapter!r}" if chapter else "the book"
        yield ServiceItem(
            source=source,
            where=f"{where}: {named}" if article_id is None else f"{where}: article #{article_id}",
            url=None,
            title=chapter or book_title,
            author=author,
            highlights=quotes,
            notes=tuple(m.note for m in group if m.note.strip()),
            article_id=article_id,
            book_title=book_title,
            key=key,
        )


def with_note(quote: Quote, note: str) -> Quote:
    """The quote with `note` added (a Kindle note on a highlight, arriving after it)."""
    joined = "\n\n".join(part for part in (quote.note.strip(), note.strip()) if part)
    return replace(quote, note=joined)
