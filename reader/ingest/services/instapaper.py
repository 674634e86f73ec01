"""Instapaper's CSV export: `URL,Title,Selection,Folder,Timestamp[,Tags]`.

`Folder` is `Unread`, `Archive` (read and archived), `Starred`, or a folder of the
user's (kept as a tag); `Timestamp` is Unix seconds; `Tags`, where the export has the
column, a JSON list. A row with a `Selection` is a highlight (Instapaper writes one row
per highlight, repeating the article), so the rows of one URL are one item.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from reader.ingest.services.fields import (
    CsvRecord,
    csv_header,
    grouped_records,
    json_names,
    split_tags,
    utc_time,
    web_url,
)
from reader.ingest.services.items import Quote, Refused, ServiceItem

__all__ = ["INSTAPAPER", "InstapaperCsv"]

SOURCE = "Instapaper"
_COLUMNS = ("URL", "Title", "Selection", "Folder", "Timestamp")
_FOLDER_STATES = {"unread", "archive", "starred"}


class InstapaperCsv:
    """Instapaper's CSV export."""

    name = SOURCE

    def sniff(self, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
        return csv_header(first)[:5] == list(_COLUMNS)

    def read(self, path: Path) -> Iterator[ServiceItem | Refused]:
        for group in grouped_records(path, _COLUMNS, lambda row: row["URL"].strip()):
            if isinstance(group, Refused):
                yield group
            else:
                yield _item(group, path.name)


def _item(rows: list[CsvRecord], name: str) -> ServiceItem | Refused:
    first_line, first = rows[0]
    where = f"{name}:{first_line}"
    url, reason = web_url(first["URL"])
    if url is None:
        return Refused(where if len(rows) == 1 else f"{where} ({len(rows)} rows)", reason)
    tags: dict[str, None] = {}
    folders: set[str] = set()
    quotes: list[Quote] = []
    times: list[str] = []
    title = ""
    for _, row in rows:
        title = title or row["Title"]
        folder = row["Folder"].strip()
        if folder.lower() in _FOLDER_STATES:
            folders.add(folder.lower())
        elif folder:
            tags[folder] = None
        tags.update(dict.fromkeys(_tags(row.get("Tags", ""))))
        if row["Selection"].strip():
            quotes.append(Quote(row["Selection"]))
        saved = utc_time(row["Timestamp"])
        if saved:
            times.append(saved)
    return ServiceItem(
        source=SOURCE,
        where=where,
        url=url,
        title=title,
        saved_at=min(times) if times else None,
        tags=tuple(tags),
        read="archive" in folders,
        archived="archive" in folders,
        starred="starred" in folders,
        highlights=tuple(dict.fromkeys(quotes)),
    )


def _tags(text: str) -> tuple[str, ...]:
    """The Tags column: a JSON list as Instapaper writes it, else a comma list."""
    text = text.strip()
    if not text:
        return ()
    if text.startswith("["):
        try:
            return json_names(json.loads(text))
        except (ValueError, RecursionError):
            pass
    return split_tags(text.strip("[]"), ",")


INSTAPAPER = InstapaperCsv()
