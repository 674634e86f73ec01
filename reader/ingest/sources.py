"""Find saved pages on disk and open their containers: file -> RawPage.

People save articles in whatever their browser offers: "Webpage, HTML only" or
"Complete" (an .html file, maybe with a `X_files/` folder of assets), "Single File"
(MHTML, Chrome's `.mhtml`), Safari's `.webarchive`, the SingleFile extension's
self-contained HTML, wget output, or "Save as Text" and a clipper's Markdown. The
extension is a hint at best (Chrome on Windows writes `.mht`, people rename things), so
`parse_page` decides by content (`reader.ingest.formats` tells HTML, text, Markdown and
data files apart), and only unwraps the container here: the HTML itself is decoded by
`reader.ingest.decode` and read by `reader.ingest.extract`; a text or Markdown article
by `reader.ingest.plaintext` or `reader.ingest.markdown`.

Every failure is an `IngestError` with a one-line reason that does not name the file:
the caller prefixes the path, so a batch import can report each bad file and go on.
"""

from __future__ import annotations

import email
import email.errors
import email.message
import os
import plistlib
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from reader.ingest.decode import decode_html
from reader.ingest.formats import (
    ARTICLE_TEXT_EXTENSIONS,
    PAGE_EXTENSIONS,
    article_kind,
    not_an_article,
)
from reader.ingest.page import IngestError, RawPage
from reader.textrules import clean_line

__all__ = [
    "DEFAULT_MAX_SIZE",
    "PAGE_EXTENSIONS",
    "WALKED_EXTENSIONS",
    "check_size",
    "find_pages",
    "format_size",
    "parse_page",
    "read_at_most",
    "read_page",
]

#: The largest file we read; bigger ones are refused before a byte is read (`--max-size`).
DEFAULT_MAX_SIZE = 50 * 2**20

#: Extensions of files that a folder walk picks up (a file named explicitly is always
#: read): saved pages, plain-text and Markdown articles.
WALKED_EXTENSIONS = PAGE_EXTENSIONS | ARTICLE_TEXT_EXTENSIONS
#: Data files a folder walk picks up only when they are an export reader knows (an
#: unpacked Pocket export is a folder of CSV and JSON files); other data is passed over.
#: KOReader's sidecars (`*.sdr/metadata.epub.lua`) are walked the same way.
EXPORT_EXTENSIONS = frozenset({".csv", ".json", ".zip", ".lua"})

#: How far into a page we look for the browser's and SingleFile's comments.
_HEAD_CHARS = 64 * 1024

_HTML_TYPES = ("text/html", "application/xhtml+xml")

# Files people rename to .html by mistake, by their magic numbers, for a useful message.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"OggS", "an Ogg media file"),
    (b"RIFF", "a RIFF media file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
)
# Other services' exports come as ZIP archives (Pocket, Readwise, Omnivore): not an
# article, and said so in the words every data file gets (reader.ingest.formats).
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")

_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9:-]*|!--|!doctype|/[A-Za-z])", re.IGNORECASE)
# Control characters that mark a file as binary, not text (tab, LF, VT, FF, CR allowed).
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")

# `<!-- saved from url=(0042)https://example.com/... -->`: IE's "mark of the web",
# which Chrome and Edge still write in "Save page as". The number is the URL's length.
_SAVED_FROM = re.compile(
    r"<!--\s*saved from url=\((\d{1,5})\)\s*(\S+?)\s*-->", re.IGNORECASE | re.ASCII
)
# SingleFile's comment: `<!--\n Page saved with SingleFile \n url: ... \n saved date: ...-->`.
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\b(.*?)-->", re.DOTALL)
_SF_URL = re.compile(r"^\s*url:\s*(\S+)", re.MULTILINE)
_SF_DATE = re.compile(r"^\s*saved date:\s*(.+?)\s*$", re.MULTILINE)
# JavaScript's Date.toString(), which SingleFile writes:
# `Thu Nov 21 2024 10:15:30 GMT+0100 (Central European Standard Time)`.
_JS_DATE = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+"
    r"(\d{1,2}):(\d{2}):(\d{2})\s*(?:GMT|UTC)?\s*([+-]\d{2}:?\d{2})?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}

# The start of a MIME message: a header line, and (checked after) MIME headers in the block.
_HEADER_LINE = re.compile(rb"[!-9;-~]{1,76}:")
_MIME_HEADERS = re.compile(
    rb"^(?:mime-version|content-type|snapshot-content-location)\s*:|^from:\s*<saved by",
    re.IGNORECASE | re.MULTILINE,
)


# --- finding pages -------------------------------------------------------------------


def find_pages(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """The saved pages under `paths`, each with None; files as given, folders walked
    recursively. A folder that cannot be read comes with the reason instead, so the
    import names it rather than skipping its pages without a word.

    A file named explicitly is always yielded (even a missing one, so the import reports
    it by name instead of dropping it silently). In folders, entries are visited in
    sorted order so an import is repeatable; only page, text and Markdown extensions
    (WALKED_EXTENSIONS) are kept, and CSV, JSON and zip files that are exports a reader
    knows (an unpacked Pocket export). Skipped:
    hidden files and folders (macOS writes `._X.html` resource forks beside pages), and
    a browser's `X_files/` asset folders (Chrome/Firefox "Webpage, Complete" save
    `X.html` beside `X_files/`, which holds the page's iframes as .html files too).
    A `*_files` folder with no page of that name beside it is someone's own folder and
    is walked.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path, None


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield folder, f"cannot read the folder ({_os_reason(error)})"
        return
    names = {entry.name for entry in entries}
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file()
        except OSError as error:
            yield Path(entry.path), f"cannot read ({_os_reason(error)})"
            continue
        if is_dir:
            if entry.name.startswith(".") or _is_asset_folder(entry.name, names):
                continue
            yield from _walk(Path(entry.path))
        elif is_file and not entry.name.startswith("."):
            extension = os.path.splitext(entry.name)[1].lower()
            if extension in WALKED_EXTENSIONS or (
                extension in EXPORT_EXTENSIONS and _is_export(Path(entry.path))
            ):
                yield Path(entry.path), None


def _is_export(path: Path) -> bool:
    from reader.ingest.services import detect_export  # the readers load only for data files

    return detect_export(path) is not None


def _is_asset_folder(name: str, siblings: set[str]) -> bool:
    """Whether folder `name` is the assets of a saved page beside it (`X_files` of `X.html`)."""
    if not name.endswith("_files"):
        return False
    stem = name[: -len("_files")]
    return any(
        sibling[: len(stem)] == stem and sibling[len(stem) :].lower() in PAGE_EXTENSIONS
        for sibling in siblings
    )


# --- reading files -------------------------------------------------------------------


def format_size(size: int) -> str:
    """A size as people read it: `812 bytes`, `3.4 KB`, `60 MB` (binary units)."""
    if size < 1024:
        return f"{size:,} bytes"
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")


def check_size(size: int, max_size: int) -> None:
    """Refuse a page over `max_size` bytes, before any work is spent on it.

    The limit bounds memory and time per page (lxml on a 1 GB page would take the
    machine with it); the message says the size and the option that raises the limit.
    """
    if size <= max_size:
        return
    have, limit = format_size(size), format_size(max_size)
    if have == limit:  # 50.0001 MB reads as "50 MB, larger than the 50 MB limit"
        have, limit = f"{size:,} bytes", f"{max_size:,}-byte"
    raise IngestError(f"{have}, larger than the {limit} limit (--max-size)")


def read_page(path: Path, *, max_size: int = DEFAULT_MAX_SIZE) -> RawPage:
    """Read a saved page from disk: size check first (never read a huge file), then parse.

    The file's size is checked before reading it and again on the bytes read (a file
    that grows meanwhile, or a pipe whose size the file system does not know).
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise IngestError("is a folder, not a saved page")
        size = path.stat().st_size
        check_size(size, max_size)
        with path.open("rb") as file:
            data = read_at_most(file, size, max_size)
    except OSError as error:
        raise IngestError(f"cannot read the file ({_os_reason(error)})") from None
    if len(data) > max_size:
        raise IngestError(f"larger than the {format_size(max_size)} limit (--max-size)")
    return parse_page(data, path.name)


def read_at_most(file: BinaryIO, size: int, max_size: int) -> bytes:
    """The file's bytes, at most `max_size + 1` of them, without reserving `max_size`.

    (`read(n)` allocates n bytes up front: 50 MB for every small page of a batch.)
    Reads the size the file system reported plus one byte, and goes on in chunks only
    when that byte shows more (a file still being written, a pipe reporting 0).
    """
    data = file.read(size + 1)
    if len(data) <= size:
        return data
    chunks, total = [data], len(data)
    while total <= max_size:
        chunk = file.read(min(2**20, max_size + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _os_reason(error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    return clean_line(reason)


# --- telling containers apart --------------------------------------------------------


def parse_page(data: bytes, filename: str) -> RawPage:
    """Open a saved page's container, by content: MHTML, webarchive, SingleFile, HTML.

    Returns the page's HTML bytes with what the container says about them (URL, date
    saved, charset). Raises IngestError for anything that is not a saved web page, with
    a one-line reason; never any other exception, whatever the bytes (the parsers of
    the stdlib raise a zoo of them on damaged input).
    """
    if not data.strip():
        raise IngestError("empty file")
    kind = _sniff(data)
    try:
        truncated = False
        if kind == "webarchive":
            page = _parse_webarchive(data, filename)
        elif kind == "mhtml":
            page, truncated = _parse_mhtml(data, filename)
        else:
            page = RawPage(data=data, html=data, filename=filename, kind="html")
        try:
            text = _check_text(page)
            if kind == "html":
                kind = article_kind(text, filename)
                if kind != "html":  # a plain-text or Markdown article
                    return RawPage(data=data, html=data, filename=filename, kind=kind)
            _check_tags(text)
        except IngestError:
            if truncated:  # the HTML part was cut before any markup
                raise IngestError(TRUNCATED_MHTML) from None
            raise
        if kind == "html":
            page = _with_html_comments(page, text)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(f"damaged {_KIND_NAMES[kind]} (nested too deeply)") from None
    except MemoryError:
        raise IngestError(f"{_KIND_NAMES[kind]} too large to read in memory") from None
    except Exception as error:
        raise IngestError(f"damaged {_KIND_NAMES[kind]} ({type(error).__name__})") from None
    return page


_KIND_NAMES = {
    "html": "HTML page",
    "mhtml": "MHTML file",
    "webarchive": "webarchive",
    "text": "text file",
    "markdown": "Markdown file",
}


def _sniff(data: bytes) -> str:
    head = data[:4096]
    if head.startswith(b"bplist00"):
        return "webarchive"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<?xml") and b"<plist" in head and b"WebMainResource" in data:
        return "webarchive"
    if _HEADER_LINE.match(start):
        block = start.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
        if _MIME_HEADERS.search(block):
            return "mhtml"
    return "html"


def _check_text(page: RawPage) -> str:
    """The page's text, after checking it is text at all.

    Catches files renamed to .html (images, archives, PDFs) and binary junk, each with a
    reason a person understands.
    """
    html = page.html
    container = page.kind != "html"
    if not html.strip():
        raise IngestError(f"{_KIND_NAMES[page.kind]} has an empty HTML part")
    if not container and html.startswith(_ZIP_SIGNATURES):
        raise not_an_article("a ZIP archive")
    for signature, what in _SIGNATURES:
        if html.startswith(signature):
            where = "its main part is" if container else "it is"
            raise IngestError(f"not a saved web page ({where} {what})")
    text = decode_html(page)
    sample = text[:_HEAD_CHARS]
    # Binary data has NULs and control characters from the start and throughout; a real
    # page may have a stray NUL deep inside (browsers show U+FFFD, and so do we).
    if "\x00" in text[:1024] or len(_BINARY_CONTROLS.findall(sample)) > max(8, len(sample) // 20):
        raise IngestError("not a saved web page (binary data)")
    return text


def _check_tags(text: str) -> None:
    """Refuse an HTML page without markup (a README saved as .html)."""
    if not _TAG.search(text):
        raise IngestError("not a saved web page (no HTML tags)")


def _with_html_comments(page: RawPage, text: str) -> RawPage:
    """A plain HTML page, with what SingleFile's or the browser's comment tells."""
    head = text[:_HEAD_CHARS]
    singlefile = _SINGLEFILE.search(head)
    if singlefile:
        body = singlefile.group(1)
        url_match = _SF_URL.search(body)
        date_match = _SF_DATE.search(body)
        return RawPage(
            data=page.data,
            html=page.html,
            filename=page.filename,
            kind="singlefile",
            url=_clean_url(url_match.group(1)) if url_match else None,
            saved_at=_parse_js_date(date_match.group(1)) if date_match else None,
        )
    saved_from = _SAVED_FROM.search(head)
    if saved_from:
        length, url = int(saved_from.group(1)), saved_from.group(2)
        if 0 < length <= len(url):
            url = url[:length]
        return RawPage(
            data=page.data, html=page.html, filename=page.filename, kind="html", url=_clean_url(url)
        )
    return page


# --- MHTML ---------------------------------------------------------------------------


# The reason given when an MHTML file is cut short (no closing boundary) and what
# made it in of its HTML part holds no article: the cut, not the page, is the news.
TRUNCATED_MHTML = "truncated MHTML: the page is cut short before any article text"


def is_truncated_mhtml(data: bytes) -> bool:
    """Whether `data`, an MHTML file, was cut short (a partial download, a full disk)."""
    try:
        return _is_truncated(email.message_from_bytes(data), data)
    except Exception:  # the stdlib's parsers raise a zoo of errors on damaged input
        return False


def _parse_mhtml(data: bytes, filename: str) -> tuple[RawPage, bool]:
    """The main HTML part of an MHTML file (RFC 2557), read with the stdlib `email`,
    and whether the file was cut short.

    The main part is the one `start=` names, else the first text/html part (Chrome
    writes the page first, then its frames and resources). A file cut short (a partial
    download, a full disk) keeps the HTML that is there when the HTML part made it in.
    """
    message = email.message_from_bytes(data)
    truncated = _is_truncated(message, data)
    part = _main_part(message)
    html = part.get_payload(decode=True) if part is not None else None
    if part is None or not isinstance(html, bytes) or not html.strip():
        if truncated:
            raise IngestError("truncated MHTML: no HTML part")
        if part is None:
            raise IngestError("MHTML file has no HTML part")
        raise IngestError("MHTML file has an empty HTML part")
    url = (
        _header_url(part, "Content-Location")
        or _header_url(message, "Snapshot-Content-Location")
        or _header_url(message, "Content-Location")
    )
    charset = part.get_content_charset()
    page = RawPage(
        data=data,
        html=html,
        filename=filename,
        kind="mhtml",
        url=url,
        saved_at=_parse_mail_date(_header(message, "Date")),
        charset=clean_line(charset)[:40] if charset else None,
    )
    return page, truncated


def _is_truncated(message: email.message.Message, data: bytes) -> bool:
    cut_defects = (
        email.errors.CloseBoundaryNotFoundDefect,
        email.errors.StartBoundaryNotFoundDefect,
        email.errors.MissingHeaderBodySeparatorDefect,
    )
    if b"\n\n" not in data and b"\n\r\n" not in data:
        return True  # cut inside the headers
    if message.get_content_maintype() == "multipart" and not message.is_multipart():
        return True  # cut before the first part
    for part in message.walk():
        if any(isinstance(defect, cut_defects) for defect in part.defects):
            return True
    boundary = message.get_boundary() if message.get_content_maintype() == "multipart" else None
    if boundary:
        closing = b"--" + boundary.encode("ascii", "replace") + b"--"
        return closing not in data
    return False


def _main_part(message: email.message.Message) -> email.message.Message | None:
    parts = [part for part in message.walk() if not part.is_multipart()]
    start = message.get_param("start") if message.is_multipart() else None
    if isinstance(start, str) and start.strip("<> "):
        wanted = start.strip("<> ")
        for part in parts:
            if (_header(part, "Content-ID") or "").strip("<> ") == wanted:
                return part
    for content_type in _HTML_TYPES:
        for part in parts:
            if part.get_content_type() == content_type:
                return part
    return None


def _header(message: email.message.Message, name: str) -> str | None:
    value = message.get(name)
    if value is None:
        return None
    return clean_line(str(value)) or None


def _header_url(message: email.message.Message, name: str) -> str | None:
    value = message.get(name)
    return _clean_url(str(value)) if value is not None else None


def _parse_mail_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, local zone unknown (RFC 5322)
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


# --- Safari webarchive ---------------------------------------------------------------


def _parse_webarchive(data: bytes, filename: str) -> RawPage:
    """The main resource of a Safari .webarchive (a property list, usually binary)."""
    try:
        root = plistlib.loads(data)
    except Exception:
        raise IngestError("damaged webarchive (not a readable property list)") from None
    main = root.get("WebMainResource") if isinstance(root, dict) else None
    if not isinstance(main, dict):
        raise IngestError("webarchive has no main resource")
    html = main.get("WebResourceData")
    if not isinstance(html, bytes):
        raise IngestError("webarchive has no page in its main resource")
    mime = main.get("WebResourceMIMEType")
    if isinstance(mime, str) and mime.split(";")[0].strip().lower() not in (
        *_HTML_TYPES,
        "text/xml",
        "application/xml",
        "",
    ):
        raise IngestError(f"webarchive holds {clean_line(mime)[:60]}, not a web page")
    url = main.get("WebResourceURL")
    charset = main.get("WebResourceTextEncodingName")
    return RawPage(
        data=data,
        html=html,
        filename=filename,
        kind="webarchive",
        url=_clean_url(url) if isinstance(url, str) else None,
        charset=clean_line(charset)[:40] if isinstance(charset, str) else None,
    )


# --- small helpers -------------------------------------------------------------------


def _clean_url(url: str) -> str | None:
    """A URL from the container, or None when it is not one we can use.

    Folding whitespace and invisible characters go (a URL has none); only web URLs are
    kept (IE writes `about:internet` for local pages, Chrome `cid:` for frames).
    """
    url = _URL_JUNK.sub("", url).strip("<>\"'")
    if not url.lower().startswith(("http://", "https://")) or len(url) > 8192:
        return None
    return url


def _parse_js_date(value: str) -> str | None:
    """SingleFile's `saved date` (JavaScript's Date.toString(), or ISO 8601) as ISO 8601."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None:
        match = _JS_DATE.search(value)
        month = _MONTHS.get(match.group(1).lower()) if match else None
        if match is None or month is None:
            return _parse_mail_date(value)
        day, year, hour, minute, second, offset = match.group(2, 3, 4, 5, 6, 7)
        zone = None
        if offset:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        try:
            moment = datetime(
                int(year), month, int(day), int(hour), int(minute), int(second), tzinfo=zone
            )
        except (ValueError, OverflowError):
            return None
    return moment.isoformat()
