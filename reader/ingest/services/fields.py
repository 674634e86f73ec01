"""The field rules every export reader shares: times, progress, tags, URLs, bounded
JSON and CSV.

Each service writes the same things its own way (Pocket's Unix seconds, wallabag's ISO
with an offset, Readwise's `2023-04-05 12:34:56+00:00`); here they become the one shape
`ServiceItem` holds. Nothing here raises on a bad value: a field that cannot be read is
None (or empty), and the reader decides whether its row is refused.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from reader.ingest.page import IngestError
from reader.ingest.services.items import Refused

__all__ = [
    "MAX_FILE_BYTES",
    "CsvRecord",
    "csv_header",
    "csv_records",
    "grouped_records",
    "json_names",
    "load_json",
    "one_line_error",
    "open_csv",
    "published_time",
    "read_file_capped",
    "split_tags",
    "text_of",
    "unit_progress",
    "utc_time",
    "web_url",
]

#: The largest export file (or zip member) read whole into memory: a JSON export with
#: every article's HTML (wallabag) is the biggest kind; a 50,000-item CSV is ~10 MB.
MAX_FILE_BYTES = 256 * 2**20

# Unix times beyond this are milliseconds (1e11 s is the year 5138), then microseconds.
_MILLISECONDS_FROM = 1e11
_MICROSECONDS_FROM = 1e14
_NUMBER = re.compile(r"[+-]?\d{1,20}(?:\.\d{1,20})?")
_MAX_TIME_TEXT = 64
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def utc_time(value: object) -> str | None:
    """`value` (Unix seconds, or a date/time as text) as `YYYY-MM-DDTHH:MM:SSZ`, or None.

    A time without a zone is taken as UTC; a Unix time of 0 (or less) is "unknown", as
    the services that write it mean it.
    """
    moment = _moment(value)
    if moment is None:
        return None
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def published_time(value: object) -> str | None:
    """A publication date: a date alone stays a date, a time becomes UTC like `utc_time`."""
    if isinstance(value, str) and _DATE_ONLY.fullmatch(value.strip()):
        try:
            return datetime.fromisoformat(value.strip()).date().isoformat()
        except ValueError:
            return None
    return utc_time(value)


def _moment(value: object) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_unix(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_TIME_TEXT:
        return None
    if _NUMBER.fullmatch(text):
        return _from_unix(float(text))
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _from_unix(seconds: float) -> datetime | None:
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    if seconds >= _MICROSECONDS_FROM:
        seconds /= 1_000_000
    elif seconds >= _MILLISECONDS_FROM:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(int(seconds), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def unit_progress(value: object, scale: float = 1.0) -> float | None:
    """Progress as 0..1 from a number on `scale` (100 for percent), or None.

    Text is read too, with a `%` sign meaning percent whatever `scale` says.
    """
    if isinstance(value, bool):
        return None
    number: float
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 100.0
        if not _NUMBER.fullmatch(text):
            return None
        number = float(text)
    else:
        return None
    if not math.isfinite(number):
        return None
    return min(1.0, max(0.0, number / scale))


def text_of(value: object) -> str:
    """A JSON value as text: a string as is, a number written out, anything else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def split_tags(text: str, separator: str) -> tuple[str, ...]:
    """Tags written in one field, each stripped, empty ones and repeats left out."""
    return _unique(part.strip() for part in text.split(separator))


def json_names(value: object) -> tuple[str, ...]:
    """Tags as JSON holds them: strings, or objects with a `name` (or `label`)."""
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for entry in value:
        if isinstance(entry, dict):
            entry = entry.get("name", entry.get("label"))
        names.append(text_of(entry).strip())
    return _unique(names)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in names if name))


_WEB_SCHEMES = ("http", "https")


def web_url(value: str) -> tuple[str | None, str]:
    """(the URL, "") when `value` is a web address, else (None, a one-line reason)."""
    url = value.strip()
    if not url:
        return None, "no URL"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, "not a web address"
    scheme = parts.scheme.lower()
    if not scheme:
        return None, "not a web address"
    if scheme not in _WEB_SCHEMES:
        article = "an" if scheme[0] in "aeiou" else "a"
        return None, f"{article} {scheme}: link, not a web page"
    if not parts.netloc:
        return None, "a web address without a host"
    return url, ""


def one_line_error(error: BaseException) -> str:
    """An exception as one short line, for a reason."""
    text = " ".join(str(error).split())
    return text[:200] or type(error).__name__


# --- Whole files ---------------------------------------------------------------------


def read_file_capped(path: Path) -> bytes:
    """A file's bytes, refusing one bigger than `MAX_FILE_BYTES` (read no further)."""
    cap = MAX_FILE_BYTES
    try:
        with path.open("rb") as handle:
            data = handle.read(cap + 1)
    except OSError as error:
        raise IngestError(f"cannot read the file: {one_line_error(error)}") from None
    if len(data) > cap:
        raise IngestError(f"the export is over {cap // 2**20} MB, more than reader reads")
    return data


def load_json(data: bytes) -> object:
    """JSON from bytes (UTF-8, a BOM allowed); IngestError when it is not JSON at all,
    or nested deeper than the parser's stack allows."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        return json.loads(text)
    except RecursionError:
        raise IngestError("JSON nested too deeply") from None
    except ValueError as error:
        raise IngestError(f"not valid JSON ({one_line_error(error)})") from None


# --- CSV -----------------------------------------------------------------------------

#: A CSV row by its header's names; `line` is where the row starts in its file.
CsvRecord = tuple[int, dict[str, str]]

# What a stream of lines can raise while it is read: a zip member's damage surfaces here.
_STREAM_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, ValueError, RuntimeError)


def csv_header(line: str) -> list[str]:
    """The column names of a CSV header line (BOM and spaces around names dropped)."""
    try:
        row = next(csv.reader([line.lstrip("\ufeff")]), [])
    except csv.Error:
        return []
    return [name.strip() for name in row]


def csv_records(
    lines: Iterable[str], where: str, required: Sequence[str]
) -> Iterator[CsvRecord | Refused]:
    """The rows of a CSV file under its header, one at a time.

    A row with fewer fields than the header (a truncated row) or more (a comma nobody
    quoted), or one the csv module cannot read, is a `Refused` naming `where:line`; the
    rows after it are read on. A header without the `required` columns refuses the file
    (one `Refused`, nothing else). Fields are bounded by the csv module's own field size
    limit (128 KB), which refuses the row that passes it.
    """
    reader = csv.reader(lines)
    header: list[str] | None = None
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = f"unreadable CSV row: {one_line_error(error)}"
            yield Refused(f"{where}:{last_line + 1}", reason)
            last_line = reader.line_num
            continue
        except _STREAM_ERRORS as error:
            yield Refused(where, f"the rest of the file is unreadable: {one_line_error(error)}")
            return
        line = last_line + 1
        last_line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [name.lstrip("\ufeff").strip() for name in row]
            missing = [name for name in required if name not in header]
            if missing:
                yield Refused(where, f"not the expected CSV: no column {missing[0]!r}")
                return
            continue
        if len(row) != len(header):
            what = "a truncated row" if len(row) < len(header) else "a row"
            yield Refused(
                f"{where}:{line}", f"{what} of {len(row)} fields, the header has {len(header)}"
            )
            continue
        yield line, dict(zip(header, row, strict=True))


@contextmanager
def open_csv(path: Path) -> Iterator[TextIO]:
    """A CSV file as text, read as it is consumed (UTF-8, a BOM dropped, bad bytes
    replaced); IngestError (one line) when it cannot be opened or is over the cap (the
    grouping readers hold a key a row)."""
    try:
        size = path.stat().st_size
        handle = path.open(encoding="utf-8-sig", errors="replace", newline="")
    except OSError as error:
        raise IngestError(f"cannot read the file: {one_line_error(error)}") from None
    if size > MAX_FILE_BYTES:
        handle.close()
        raise IngestError(
            f"the export is over {MAX_FILE_BYTES // 2**20} MB, more than reader reads"
        )
    with handle:
        yield handle


#: The most rows one item gathers (highlights of one article or book).
MAX_GROUP_ROWS = 10_000


def grouped_records(
    path: Path, required: Sequence[str], key: Callable[[dict[str, str]], str]
) -> Iterator[list[CsvRecord] | Refused]:
    """The rows of a CSV file grouped by `key`, each group yielded at its last row.

    Two passes over the file, so that only the URLs (or titles) are held whole, with the
    rows of the groups still open: an export whose rows of one item are scattered does
    not have to be read into memory to be joined.
    """
    remaining: Counter[str] = Counter()
    with open_csv(path) as lines:
        for record in csv_records(lines, path.name, required):
            if not isinstance(record, Refused):
                remaining[key(record[1])] += 1
    open_groups: dict[str, list[CsvRecord]] = {}
    with open_csv(path) as lines:
        for record in csv_records(lines, path.name, required):
            if isinstance(record, Refused):
                yield record
                continue
            name = key(record[1])
            group = open_groups.setdefault(name, [])
            if len(group) >= MAX_GROUP_ROWS:
                yield Refused(
                    f"{path.name}:{record[0]}", f"over {MAX_GROUP_ROWS:,} rows for one item"
                )
            else:
                group.append(record)
            remaining[name] -= 1
            if remaining[name] <= 0:
                del open_groups[name]
                yield group
    yield from open_groups.values()  # the file changed between the passes
