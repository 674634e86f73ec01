"""wallabag's JSON export: a list of entries with their content.

Each entry has `title, url, content` (the article's HTML, as wallabag extracted it),
`is_archived` (wallabag's "mark as read"), `is_starred`, `tags`, `created_at`,
`published_at`, `published_by` (a list of authors), `language`, `reading_time` and
`annotations` (`quote`, `text`: the note, `ranges`, `created_at`). The content becomes
the item's page; JSON holds it as text, so the page is written out as UTF-8 and says so.

One JSON document: it is loaded whole (bounded by `MAX_FILE_BYTES`), and each entry's
page is made only when its item is yielded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reader.ingest.page import IngestError
from reader.ingest.services.fields import (
    json_names,
    load_json,
    published_time,
    read_file_capped,
    text_of,
    utc_time,
    web_url,
)
from reader.ingest.services.items import ItemPage, Quote, Refused, ServiceItem

__all__ = ["WALLABAG", "WallabagJson"]

SOURCE = "wallabag"
_LIST_START = re.compile(rb"\s*\[\s*\{")
_WALLABAG_KEYS = re.compile(rb'"(?:is_archived|is_starred|reading_time)"\s*:')
_URL_KEY = re.compile(rb'"url"\s*:')
# The first entry's content may come before its flags: look this far when it does.
_SNIFF_BYTES = 1024 * 1024
_UTF8_DECLARATION = b'<meta charset="utf-8">\n'


class WallabagJson:
    """wallabag's JSON export."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        head = head.removeprefix(b"\xef\xbb\xbf")
        if not _LIST_START.match(head):
            return False
        if not (_WALLABAG_KEYS.search(head) and _URL_KEY.search(head)):
            try:
                with path.open("rb") as handle:
                    head = handle.read(_SNIFF_BYTES)
            except OSError:
                return False
        return bool(_WALLABAG_KEYS.search(head) and _URL_KEY.search(head))

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        entries = load_json(read_file_capped(path))
        if not isinstance(entries, list):
            raise IngestError("not a wallabag export: not a list of entries")
        for number, entry in enumerate(entries, 1):
            where = f"{path.name}: entry {number}"
            if not isinstance(entry, dict):
                yield Refused(where, "not an entry")
                continue
            yield from _item(entry, where)


def _item(entry: dict[str, object], where: str) -> Iterator[ServiceItem | Refused]:
    url, reason = web_url(text_of(entry.get("url")))
    if url is None:
        yield Refused(where, reason)
        return
    quotes: list[Quote] = []
    annotations = entry.get("annotations")
    for index, annotation in enumerate(annotations if isinstance(annotations, list) else [], 1):
        if not isinstance(annotation, dict) or not text_of(annotation.get("quote")).strip():
            yield Refused(f"{where}, annotation {index}", "an annotation without a quote")
            continue
        quotes.append(
            Quote(
                text_of(annotation["quote"]),
                note=text_of(annotation.get("text")),
                created_at=utc_time(annotation.get("created_at")),
            )
        )
    content = text_of(entry.get("content"))
    page = None
    if content.strip():
        key = text_of(entry.get("id")) or where.rsplit(" ", 1)[-1]
        page = ItemPage(
            _UTF8_DECLARATION + content.encode("utf-8", "replace"), f"wallabag-{key}.html"
        )
    authors = entry.get("published_by")
    if isinstance(authors, list):
        author = ", ".join(name for name in (text_of(a).strip() for a in authors) if name)
    else:
        author = text_of(authors).strip()
    archived = _flag(entry.get("is_archived"))
    yield ServiceItem(
        source=SOURCE,
        where=where,
        url=url,
        title=text_of(entry.get("title")),
        author=author or None,
        published=published_time(entry.get("published_at")),
        lang=text_of(entry.get("language")) or None,
        saved_at=utc_time(entry.get("created_at")),
        tags=json_names(entry.get("tags")),
        read=archived,
        archived=archived,
        starred=_flag(entry.get("is_starred")),
        highlights=tuple(quotes),
        page=page,
        key=text_of(entry.get("id")) or None,
    )


def _flag(value: object) -> bool:
    """wallabag writes its flags as 0/1 (older versions) or true/false."""
    return value is True or (isinstance(value, int | str) and str(value).strip() in ("1", "true"))


WALLABAG = WallabagJson()
