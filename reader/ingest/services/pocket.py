"""Pocket's exports: the zip of 2025 (`part_*.csv` and `annotations/part_*.json`), its
CSV and annotations files alone (the zip unpacked), and the older `ril_export.html`.

The CSV has `title,url,time_added,tags,status`: Unix seconds, tags joined by `|`, status
`unread` or `archive` (Pocket's "Read Archive": read and archived). The annotations hold
`[{url, title, highlights: [{quote, created_at}]}]`; they are loaded first (highlights
are few beside items) and join their item by URL as the CSV streams past; an annotated
URL with no CSV row is still an item. The HTML export lists `<a href time_added tags>`
links under `<h1>Unread</h1>` and `<h1>Read Archive</h1>`, tags joined by commas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.ingest.page import IngestError
from reader.ingest.services.fields import (
    csv_header,
    csv_records,
    load_json,
    open_csv,
    read_file_capped,
    split_tags,
    text_of,
    utc_time,
    web_url,
)
from reader.ingest.services.htmlevents import html_events
from reader.ingest.services.items import Quote, Refused, ServiceItem
from reader.ingest.services.zips import ZIP_MAGIC, ExportZip, member_names
from reader.urls import url_key

__all__ = [
    "POCKET_ANNOTATIONS",
    "POCKET_CSV",
    "POCKET_HTML",
    "POCKET_ZIP",
    "PocketAnnotations",
    "PocketCsv",
    "PocketHtml",
    "PocketZip",
]

SOURCE = "Pocket"
_COLUMNS = ("title", "url", "time_added")
# Members as Pocket names them; a re-zipped export may put them in one folder.
_CSV_PART = re.compile(r"(?:[^/]+/)?part_\d+\.csv")
_ANNOTATIONS_PART = re.compile(r"(?:[^/]+/)?annotations/part_\d+\.json")


@dataclass
class _Annotated:
    """An annotated URL's highlights, waiting for the URL's CSV row."""

    where: str
    title: str
    url: str
    quotes: list[Quote] = field(default_factory=list)


def _join_key(url: str) -> str:
    """How an annotation finds its CSV row: by URL as reader compares them (Pocket may
    keep `?utm_source=...` on one and not the other)."""
    return url_key(url) or url


class PocketZip:
    """Pocket's export zip."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        if not head.startswith(ZIP_MAGIC):
            return False
        return any(
            _CSV_PART.fullmatch(n) or _ANNOTATIONS_PART.fullmatch(n) for n in member_names(path)
        )

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        with ExportZip(path) as export:
            yield from export.refused
            parts: list[str] = []
            annotation_parts: list[str] = []
            for name in export.members:
                if _CSV_PART.fullmatch(name):
                    parts.append(name)
                elif _ANNOTATIONS_PART.fullmatch(name):
                    annotation_parts.append(name)
                else:
                    yield Refused(f"{export.label}: {name[:200]}", "not part of a Pocket export")
            annotated: dict[str, _Annotated] = {}
            for name in sorted(annotation_parts):
                try:
                    data = export.read(name)
                except IngestError as error:
                    yield Refused(f"{export.label}: {name}", str(error))
                    continue
                yield from _read_annotations(data, name, annotated)
            for name in sorted(parts):
                try:
                    with export.open_text(name) as lines:
                        yield from _read_csv(lines, name, annotated)
                except IngestError as error:
                    yield Refused(f"{export.label}: {name}", str(error))
            yield from _annotated_only(annotated)


class PocketAnnotations:
    """One of Pocket's annotations files on its own (`annotations/part_*.json` of the
    zip unpacked by the user): an item a URL, with its title and highlights. Imported
    beside the CSV, its items merge into the CSV's by URL, as the zip's do."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        head = head.removeprefix(b"\xef\xbb\xbf")
        return bool(
            _JSON_LIST_START.match(head)
            and _HIGHLIGHTS_KEY.search(head)
            and _QUOTE_KEY.search(head)
        )

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        annotated: dict[str, _Annotated] = {}
        yield from _read_annotations(read_file_capped(path), path.name, annotated)
        yield from _annotated_only(annotated)


def _annotated_only(annotated: dict[str, _Annotated]) -> Iterator[ServiceItem]:
    """An item for each annotated URL no CSV row took (all of them, for the file alone)."""
    for waiting in annotated.values():
        yield ServiceItem(
            source=SOURCE,
            where=waiting.where,
            url=waiting.url,
            title=waiting.title,
            highlights=tuple(waiting.quotes),
        )


_JSON_LIST_START = re.compile(rb"\s*\[\s*\{")
_HIGHLIGHTS_KEY = re.compile(rb'"highlights"\s*:\s*\[')
_QUOTE_KEY = re.compile(rb'"quote"\s*:')


class PocketCsv:
    """One of Pocket's CSV files on its own (the zip unpacked by the user)."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
        header = csv_header(first.rstrip("\r"))
        return header[:3] == list(_COLUMNS)

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        with open_csv(path) as lines:
            yield from _read_csv(lines, path.name, {})


def _read_annotations(
    data: bytes, name: str, annotated: dict[str, _Annotated]
) -> Iterator[Refused]:
    try:
        entries = load_json(data)
    except IngestError as error:
        yield Refused(name, str(error))
        return
    if not isinstance(entries, list):
        yield Refused(name, "not a list of annotated articles")
        return
    for number, entry in enumerate(entries, 1):
        where = f"{name}: entry {number}"
        if not isinstance(entry, dict):
            yield Refused(where, "not an annotated article")
            continue
        url, reason = web_url(text_of(entry.get("url")))
        if url is None:
            yield Refused(where, reason)
            continue
        highlights = entry.get("highlights")
        if not isinstance(highlights, list):
            yield Refused(where, "no list of highlights")
            continue
        waiting = annotated.setdefault(
            _join_key(url), _Annotated(where, text_of(entry.get("title")), url)
        )
        for index, highlight in enumerate(highlights, 1):
            if not isinstance(highlight, dict) or not text_of(highlight.get("quote")).strip():
                yield Refused(f"{where}, highlight {index}", "a highlight without a quote")
                continue
            quote = Quote(
                text_of(highlight["quote"]), created_at=utc_time(highlight.get("created_at"))
            )
            waiting.quotes.append(quote)


def _read_csv(
    lines: Iterable[str], name: str, annotated: dict[str, _Annotated]
) -> Iterator[ServiceItem | Refused]:
    for record in csv_records(lines, name, _COLUMNS):
        if isinstance(record, Refused):
            yield record
            continue
        line, row = record
        where = f"{name}:{line}"
        url, reason = web_url(row["url"])
        if url is None:
            yield Refused(where, reason)
            continue
        waiting = annotated.pop(_join_key(url), None)
        archived = row.get("status", "").strip().lower() == "archive"
        yield ServiceItem(
            source=SOURCE,
            where=where,
            url=url,
            title=row["title"] or (waiting.title if waiting else ""),
            saved_at=utc_time(row["time_added"]),
            tags=split_tags(row.get("tags", ""), "|"),
            read=archived,
            archived=archived,
            highlights=tuple(waiting.quotes) if waiting else (),
        )


# --- ril_export.html -----------------------------------------------------------------

_HTML_TITLE = re.compile(rb"<title>\s*Pocket Export\s*</title>", re.IGNORECASE)
_HTML_LIST = re.compile(rb"<h1>\s*(?:Unread|Read Archive)\s*</h1>", re.IGNORECASE)
_HTML_LINK = re.compile(rb"\stime_added=[\"']?\d", re.IGNORECASE)  # a link's attribute
_MAX_TITLE_CHARS = 64 * 1024


class PocketHtml:
    """Pocket's older HTML export, `ril_export.html`."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        if not _HTML_LIST.search(head):
            return False
        return bool(_HTML_TITLE.search(head) or _HTML_LINK.search(head))

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        archived = False
        heading: list[str] | None = None
        link: dict[str, str] | None = None
        title: list[str] = []
        number = 0
        for kind, value, attributes in html_events(path):
            if kind == "start" and value == "h1":
                heading = []
            elif kind == "end" and value == "h1" and heading is not None:
                archived = "archive" in "".join(heading).lower()
                heading = None
            elif kind == "start" and value == "a":
                number += 1
                link, title = attributes, []
            elif kind == "end" and value == "a" and link is not None:
                yield _html_item(link, " ".join("".join(title).split()), archived, path, number)
                link = None
            elif kind == "data":
                if link is not None and sum(map(len, title)) < _MAX_TITLE_CHARS:
                    title.append(value)
                elif heading is not None and len(heading) < 100:
                    heading.append(value)


def _html_item(
    link: dict[str, str], title: str, archived: bool, path: Path, number: int
) -> ServiceItem | Refused:
    where = f"{path.name}: link {number}"
    url, reason = web_url(link.get("href", ""))
    if url is None:
        return Refused(where, reason)
    return ServiceItem(
        source=SOURCE,
        where=where,
        url=url,
        title=title,
        saved_at=utc_time(link.get("time_added")),
        tags=split_tags(link.get("tags", ""), ","),
        read=archived,
        archived=archived,
    )


POCKET_ZIP = PocketZip()
POCKET_CSV = PocketCsv()
POCKET_ANNOTATIONS = PocketAnnotations()
POCKET_HTML = PocketHtml()
