"""Netscape bookmark files: what browsers, Raindrop, Pinboard, linkding and Karakeep
export (`<!DOCTYPE NETSCAPE-Bookmark-file-1>`).

Each bookmark is a `<DT><A HREF ADD_DATE TAGS>title</A>`, maybe followed by a `<DD>`
description (kept as the excerpt); folders are `<DT><H3>name</H3>` with their own
`<DL>`, and a bookmark's folder path becomes tags beside its own `TAGS`. A browser's
containers (the toolbar, "Other bookmarks") are no folder of the user's and give no tag.
Only web pages are items: `javascript:`, `data:`, `file:`, `place:` and every other
non-http(s) link is refused with its reason. Nothing in the file is run or fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.ingest.services.fields import split_tags, utc_time, web_url
from reader.ingest.services.htmlevents import html_events
from reader.ingest.services.items import Refused, ServiceItem

__all__ = ["BOOKMARKS", "NetscapeBookmarks"]

SOURCE = "Bookmarks"
# Comments may come first; one never runs past its own end (else a head of many
# comments is split into groups every way there is before the match fails).
_DOCTYPE = re.compile(
    rb"\s*(?:<!--(?:[^-]|-(?!->))*-->\s*)*<!DOCTYPE\s+NETSCAPE-Bookmark-file-1\s*>",
    re.IGNORECASE,
)
# A file without the doctype, as some tools write it: the title and the list itself.
_TITLE = re.compile(rb"<title>\s*bookmarks\s*</title>", re.IGNORECASE)
_LIST = re.compile(rb"<dl>\s*(?:<p>\s*)?<dt>\s*<(?:a\s+href|h3)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# Attributes that mark a browser's own container, not a folder of the user's.
_CONTAINERS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
_MAX_TEXT_CHARS = 64 * 1024


@dataclass
class _Bookmark:
    number: int
    attributes: dict[str, str]
    folders: tuple[str, ...]
    title: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)


class NetscapeBookmarks:
    """A Netscape bookmark file."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        head = head[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")
        if _DOCTYPE.match(head):
            return True
        return bool(_TITLE.search(head) and _LIST.search(head))

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        folders: list[str | None] = []  # one a <DL>: its folder's name, None for none
        next_folder: str | None = None
        heading: list[str] | None = None
        heading_is_container = False
        bookmark: _Bookmark | None = None
        in_title = in_description = False
        number = 0
        for kind, value, attributes in html_events(path):
            if kind == "data":
                if in_title and bookmark is not None:
                    _append(bookmark.title, value)
                elif in_description and bookmark is not None:
                    _append(bookmark.description, value)
                elif heading is not None:
                    _append(heading, value)
                continue
            if (kind == "start" and value in ("dt", "dl", "h3")) or (kind, value) == ("end", "dl"):
                if bookmark is not None:
                    yield _item(bookmark, path.name)
                    bookmark = None
                in_description = False
            if kind == "start":
                if value == "a":
                    number += 1
                    path_names = tuple(name for name in folders if name)
                    bookmark = _Bookmark(number, attributes, path_names)
                    in_title = True
                elif value == "dt":
                    next_folder = None  # the last <H3> had no <DL> of its own
                elif value == "dd" and bookmark is not None:
                    in_description = True
                elif value == "h3":
                    heading = []
                    heading_is_container = any(key in attributes for key in _CONTAINERS)
                elif value == "dl":
                    folders.append(next_folder)
                    next_folder = None
            elif value == "a":
                in_title = False
            elif value == "h3" and heading is not None:
                name = " ".join("".join(heading).split())
                next_folder = None if heading_is_container else name or None
                heading = None
            elif value == "dl" and folders:
                folders.pop()
        if bookmark is not None:
            yield _item(bookmark, path.name)


def _append(parts: list[str], text: str) -> None:
    if sum(map(len, parts)) < _MAX_TEXT_CHARS:
        parts.append(text)


def _item(bookmark: _Bookmark, name: str) -> ServiceItem | Refused:
    where = f"{name}: bookmark {bookmark.number}"
    url, reason = web_url(bookmark.attributes.get("href", ""))
    if url is None:
        return Refused(where, reason)
    own_tags = split_tags(bookmark.attributes.get("tags", ""), ",")
    description = " ".join("".join(bookmark.description).split())
    return ServiceItem(
        source=SOURCE,
        where=where,
        url=url,
        title=" ".join("".join(bookmark.title).split()),
        excerpt=description or None,
        saved_at=utc_time(bookmark.attributes.get("add_date")),
        tags=tuple(dict.fromkeys((*bookmark.folders, *own_tags))),
    )


BOOKMARKS = NetscapeBookmarks()
