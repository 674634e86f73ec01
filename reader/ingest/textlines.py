"""What one line of a text article says: a date, a byline, the article's URL, a promo.

A saved article as text has its metadata on lines of their own: a date line under the
title ("January 10, 2022", "Updated: 10.01.2022"), a byline ("By Jane Doe"), an
"Original url:" footer; and the site's furniture on lines of their own too ("Related
article: ...", "Advertisement"). Each rule is here, once, for the plain-text reader
(and the Markdown reader, whose front matter writes dates every way too).

Dates are read by python-dateutil, not by patterns of our own: it knows month names
and abbreviations, weekdays, ordinals, times and zones. We ask it only about lines that
hold a date and nothing else, with every part of the date there (a line "May 2022" or
"Monday" is not a publication date).
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from urllib.parse import urlsplit

from dateutil import parser as date_parser

from reader.ingest.convert.links import absolute_url
from reader.ingest.metadata.bylines import clean_byline
from reader.textrules import clean_line

__all__ = [
    "PROMO_PATTERNS",
    "byline_of",
    "header_facts",
    "is_promo",
    "mend_url",
    "parse_date",
    "site_from_url",
    "source_label",
]

# --- dates ---------------------------------------------------------------------------

# What may stand before the date on a date line. "Updated" is a date too: a page that
# says only when it was updated says when its text is from.
_DATE_LABEL = re.compile(
    r"^(?:(?:first|originally|last)\s+)?(?:published|updated|posted|modified|dated?|"
    r"written|created)(?:\s+(?:on|at))?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)
_MONTH_NAME = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}([./-])\d{1,2}\1\d{1,4}\b")
_DAY_FIRST = re.compile(r"^\D*\d{1,2}\.\d{1,2}\.\d{2,4}\b")  # 10.01.2022: European
_YEAR = re.compile(r"\b(?:1[89]|2[0-2])\d{2}\b")
_MAX_DATE_LINE = 80
# MarkDownload writes "2024-02-01T09:30:00 (UTC +01:00)".
_ZONE_IN_PARENS = re.compile(r"\s*\((?:UTC|GMT)\s*([+-]\d{2}:?\d{2})\)$", re.IGNORECASE)
# Two defaults that differ in every field: a part the text lacks shows as a difference.
_DEFAULTS = (datetime(2001, 1, 1, 0, 0), datetime(2002, 2, 2, 1, 1))


def parse_date(value: object) -> str | None:
    """A date (a line of text, or a date YAML read) as ISO 8601, or None.

    Text must be a date and nothing else, day, month and year all there (a time and a
    zone may follow); a label before it ("Updated:", "Published on") is allowed.
    10.01.2022 is read day first, as the countries that write dots do; ISO 8601 as
    written (a date stays a date); a time keeps its zone when it has one.
    """
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = clean_line(value)
    if not text or len(text) > _MAX_DATE_LINE:
        return None
    text = _DATE_LABEL.sub("", text, count=1).rstrip(".")
    text = _ZONE_IN_PARENS.sub(r"\1", text)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return parsed.date().isoformat() if len(text) <= 10 else parsed.isoformat()
    if not _YEAR.search(text) or not (_MONTH_NAME.search(text) or _NUMERIC_DATE.search(text)):
        return None
    dayfirst = bool(_DAY_FIRST.match(text))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a zone it does not know ("EST"): no zone
            first, second = (
                date_parser.parse(text, default=default, dayfirst=dayfirst) for default in _DEFAULTS
            )
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date() or not 1800 <= first.year <= 2299:
        return None  # a part of the date is missing: "May 2022", "10 January"
    if first.time() != second.time():
        return first.date().isoformat()  # no time given
    return first.isoformat()


# --- bylines -------------------------------------------------------------------------

_BYLINE = re.compile(
    r"^(?:(?:written|posted|reported|words|story|text)\s+)?by\s+\S|^authors?\s*:\s*\S",
    re.IGNORECASE,
)
_MAX_BYLINE_LINE = 120


def byline_of(line: str) -> str | None:
    """The names of a byline line ("By Jane Doe", "Author: Jane Doe"), else None.

    A sentence that starts with "By" is no byline: the words after it must start as
    a name does, not in lower case ("By the time we arrived, ...").
    """
    text = clean_line(line)
    found = _BYLINE.match(text)
    if len(text) > _MAX_BYLINE_LINE or found is None or text[found.end() - 1].islower():
        return None
    if ":" in text[:10]:
        text = text.split(":", 1)[1]
    return clean_byline(text)


# --- header lines --------------------------------------------------------------------

_PIECES = re.compile(r"\s+[|·•]\s+|\s+[–—]\s+")
_READING_TIME = re.compile(r"^\d{1,3}\s*(?:min(?:ute)?s?|m)\.?(?:\s+read)?$", re.IGNORECASE)


def header_facts(line: str) -> tuple[str | None, str | None, bool] | None:
    """What a line under the title says: (published, byline, is an update), or None
    when the line is not made of such facts. "By Jane Doe | January 10, 2022 | 5 min
    read" has both; each piece of the line must be a date, a byline or a reading time."""
    published: str | None = None
    byline: str | None = None
    updated = False
    for piece in _PIECES.split(clean_line(line)):
        if not piece:
            continue
        when = parse_date(piece)
        if when is not None:
            if published is None:
                published, updated = when, bool(_UPDATED.match(piece))
            continue
        names = byline_of(piece)
        if names is not None:
            byline = byline or names
            continue
        if _READING_TIME.match(piece):
            continue
        return None
    if published is None and byline is None:
        return None
    return published, byline, updated


# --- promos --------------------------------------------------------------------------

#: One-line paragraphs that are a site's furniture, not the article: dropped. Each is
#: matched against the whole line, ignoring case (tests/ingest/test_textlines.py has an
#: example of each). Credit lines ("AFP contributed reporting.") match none.
PROMO_PATTERNS: tuple[str, ...] = (
    r"related(?:\s+(?:articles?|stories|story|coverage|content|reading|posts?|links?))?\s*:.*",
    r"(?:read|see)\s+(?:more|also)\b.*",
    r"also\s+(?:read|see)\s*:.*",
    r"more\s*:.*",
    r"more\s+(?:from|on|about)\s+.{1,80}:.*",
    r"recommended(?:\s+(?:for\s+you|reading|stories))?\s*(?::.*)?",
    r"(?:advertisement|advertising|ad|sponsored(?:\s+content)?)\s*[.:]?",
    r"(?:story\s+)?continues?\s+(?:reading\s+)?below(?:\s+advertisement)?\.?",
    r"continue\s+reading\b.*",
    r"scroll\s+(?:down\s+)?to\s+continue\b.*",
    r"subscribe\b.*",
    r"sign\s+up\b.*",
    r"(?:get|join)\s+(?:our|the)\s+(?:free\s+)?(?:\w+\s+)?newsletters?\b.*",
    r"follow\s+us\b.*",
    r"share\s+(?:this|on|via)\b.*",
    r"click\s+here\b.*",
    r"(?:watch|listen)\s*:.*",
    r"listen\s+to\s+(?:this\s+)?(?:article|story)\b.*",
    r"(?:most\s+read|trending(?:\s+now)?|popular\s+now)\s*(?::.*)?",
    r"(?:download|get)\s+(?:our|the)\s+app\b.*",
)
_PROMO = re.compile("|".join(f"(?:{p})" for p in PROMO_PATTERNS), re.IGNORECASE)
_MAX_PROMO = 200


def is_promo(text: str) -> bool:
    """Whether a one-line paragraph is a promo (see PROMO_PATTERNS)."""
    line = clean_line(text)
    return len(line) <= _MAX_PROMO and _PROMO.fullmatch(line) is not None


# --- the article's URL ---------------------------------------------------------------

# "Original url:", "Source:", "URL:" and their kin; the URL follows on the same line or
# the next one. A label with no URL after it ("Source: Reuters") is a credit: kept.
_SOURCE_LABEL = re.compile(
    r"^\s*(?:original(?:\s+(?:url|link|article|source))?|source(?:\s+url)?|url|link|"
    r"saved\s+from|originally\s+published\s+(?:at|on|in)|read\s+(?:it\s+)?online|"
    r"read\s+the\s+original(?:\s+article)?)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_URL_START = re.compile(r"^https?://\S", re.IGNORECASE)
_URL_PIECE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# What tells a piece of a URL from a word after it: a hyphen, a slash, a digit...
_URL_SIGN = re.compile(r"[-/_=&?%#~]|\d")
_MAX_WHOLE_PIECES = 4
_MAX_URL = 8192


def source_label(line: str) -> str | None:
    """What follows a source label on `line` ("" when the URL is on the next line),
    or None when the line is no such label."""
    found = _SOURCE_LABEL.match(line)
    return found.group(1).strip() if found else None


def mend_url(text: str, *, whole: bool = False) -> str | None:
    """The web URL `text` starts with, mended, or None.

    A wrap or a stray space may have cut it: a piece after a break that is made of
    URL characters and has a URL's signs (a hyphen, a slash, a digit: "in-a76000")
    belongs to it. With `whole` (the text is a URL's own paragraph), every piece does
    when all are made of URL characters and there are only a few.
    """
    pieces = text.split()
    if not pieces or not _URL_START.match(pieces[0]):
        return None
    whole = (
        whole
        and len(pieces) <= _MAX_WHOLE_PIECES
        and all(_URL_PIECE.fullmatch(piece) for piece in pieces)
    )
    parts = [pieces[0]]
    for piece in pieces[1:]:
        if not _URL_PIECE.fullmatch(piece) or not (whole or _URL_SIGN.search(piece)):
            break
        parts.append(piece)
    url = "".join(parts).rstrip(".,;:!?)>]\"'")
    if len(url) > _MAX_URL:
        return None
    return absolute_url(url, None, schemes=frozenset({"http", "https"}))


def site_from_url(url: str | None) -> str | None:
    """The site's name when nothing else names it: the URL's host, without "www."."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")
