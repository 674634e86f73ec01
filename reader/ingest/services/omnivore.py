"""Omnivore's export zip (Omnivore closed in November 2024).

`metadata_{from}_to_{to}.json` files list the items (`id, slug, title, description,
author, url, state, readingProgress` 0-100, `labels` as strings or `{name}` objects,
`savedAt, updatedAt, publishedAt`); `content/{slug}.html` is an item's readable page,
read only when its item is yielded; `highlights/{slug}.md` holds its highlights, each a
Markdown block quote ending in Omnivore's link back, `> quote [⤴️](https://...)`, and
its note in the lines after it, up to the next quote.
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
    text_of,
    unit_progress,
    utc_time,
    web_url,
)
from reader.ingest.services.items import ItemPage, Quote, Refused, ServiceItem
from reader.ingest.services.zips import ZIP_MAGIC, ExportZip, member_names

__all__ = ["OMNIVORE", "OmnivoreZip", "parse_highlights"]

SOURCE = "Omnivore"
_METADATA = re.compile(r"((?:[^/]+/)?)metadata_(\d{1,9})_to_\d{1,9}\.json")
_CONTENT = re.compile(r"(?:[^/]+/)?content/[^/]+\.html")
_HIGHLIGHTS = re.compile(r"(?:[^/]+/)?highlights/[^/]+\.md")
# Omnivore's link back to the highlight ends each quote: the arrow (with or without its
# emoji variation selector) and the URL.
_ARROW = "[\u2934"
_LINK_BACK = re.compile(r"\[\u2934\ufe0f?\]\([^()\s]*\)")


class OmnivoreZip:
    """Omnivore's export zip."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(ZIP_MAGIC) and any(
            _METADATA.fullmatch(name) for name in member_names(path)
        )

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        with ExportZip(path) as export:
            yield from export.refused
            metadata = sorted(
                (int(match.group(2)), name)
                for name in export.members
                if (match := _METADATA.fullmatch(name))
            )
            used = {name for _, name in metadata}
            for name in export.members:
                if not (name in used or _CONTENT.fullmatch(name) or _HIGHLIGHTS.fullmatch(name)):
                    yield Refused(f"{export.label}: {name[:200]}", "not part of an Omnivore export")
            for _, name in metadata:
                yield from _read_metadata(export, name, used)
            for name in export.members:
                if name not in used and (_CONTENT.fullmatch(name) or _HIGHLIGHTS.fullmatch(name)):
                    yield Refused(f"{export.label}: {name[:200]}", "no item in the metadata has it")


def _read_metadata(export: ExportZip, name: str, used: set[str]) -> Iterator[ServiceItem | Refused]:
    try:
        entries = load_json(export.read(name))
    except IngestError as error:
        yield Refused(name, str(error))
        return
    if not isinstance(entries, list):
        yield Refused(name, "not a list of items")
        return
    folder = name[: -len(name.rsplit("/", 1)[-1])]
    for number, entry in enumerate(entries, 1):
        where = f"{name}: entry {number}"
        if not isinstance(entry, dict):
            yield Refused(where, "not an item")
            continue
        yield from _item(export, entry, where, folder, used)


def _item(
    export: ExportZip, entry: dict[str, object], where: str, folder: str, used: set[str]
) -> Iterator[ServiceItem | Refused]:
    state = text_of(entry.get("state")).upper()
    if state == "DELETED":
        yield Refused(where, "deleted in Omnivore")
        return
    url: str | None = None
    if text_of(entry.get("url")).strip():
        url, reason = web_url(text_of(entry.get("url")))
        if url is None:
            yield Refused(where, reason)
            return
    slug = text_of(entry.get("slug")).strip()
    page: ItemPage | None = None
    quotes: tuple[Quote, ...] = ()
    if slug:
        content = f"{folder}content/{slug}.html"
        if content in export.members:
            used.add(content)
            try:
                page = ItemPage(export.read(content), f"{slug}.html")
            except IngestError as error:
                yield Refused(content, str(error))
        highlights = f"{folder}highlights/{slug}.md"
        if highlights in export.members:
            used.add(highlights)
            try:
                markdown = export.read(highlights).decode("utf-8-sig", errors="replace")
            except IngestError as error:
                yield Refused(highlights, str(error))
            else:
                quotes = tuple(parse_highlights(markdown))
    title = text_of(entry.get("title"))
    if url is None and page is None:
        yield Refused(where, "neither a URL nor a page")
        return
    progress = unit_progress(entry.get("readingProgress"), 100)
    yield ServiceItem(
        source=SOURCE,
        where=where,
        url=url,
        title=title,
        author=text_of(entry.get("author")) or None,
        excerpt=text_of(entry.get("description")) or None,
        published=published_time(entry.get("publishedAt")),
        saved_at=utc_time(entry.get("savedAt")),
        tags=json_names(entry.get("labels")),
        read=progress is not None and progress >= 1.0,
        archived=state == "ARCHIVED",
        progress=progress,
        highlights=quotes,
        page=page,
        key=text_of(entry.get("id")) or None,
    )


def parse_highlights(markdown: str) -> Iterator[Quote]:
    """The highlights of an Omnivore `highlights/{slug}.md`: each block quote (its lines
    joined, the link back removed) with the lines after it, up to the next quote, as its
    note. Lines before the first quote (a heading) belong to no highlight."""
    current: tuple[list[str], list[str]] | None = None  # (quote lines, note lines)
    in_quote = False
    for line in markdown.splitlines():
        if line.startswith(">"):
            if current is None or not in_quote:
                if current is not None:
                    yield from _highlight(*current)
                current = ([], [])
            in_quote = True
            text = line[1:]
            current[0].append(text[1:] if text.startswith(" ") else text)
        else:
            in_quote = False
            if current is not None:
                current[1].append(line)
    if current is not None:
        yield from _highlight(*current)


def _highlight(quote_lines: list[str], note_lines: list[str]) -> Iterator[Quote]:
    text = "\n".join(quote_lines).strip()
    arrow = text.rfind(_ARROW)  # the last one, found without a regex scanning every position
    if arrow >= 0 and _LINK_BACK.fullmatch(text, arrow):
        text = text[:arrow].rstrip()
    if text:
        yield Quote(text, note="\n".join(note_lines).strip())


OMNIVORE = OmnivoreZip()
