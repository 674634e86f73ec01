"""Missing pages in the TUI: what is said about them, and their URL as a browser may
open it (issue #21).

A missing page is an article known from another service's export whose page is not
imported yet: its title, URL, tags and highlights (kept as quotes), no text. The
library's "Missing pages" view, its rows, the missing page's own view and `o` all say
the same thing in the words here. Pure: no Textual.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from reader.models import ArticleSummary

# The hint over the library's Missing pages view, and under a missing page's details.
MISSING_HINT = (
    "Known from an export, not saved yet: o opens a page in your browser; save it"
    " (Ctrl+S or SingleFile), then i imports the file: it fills the entry and places"
    " its highlights."
)
NOT_SAVED = "This page is not in the archive yet."
# What a key that needs the text says on a missing page.
NO_TEXT = "No text yet: this page is not in the archive (o opens it in your browser)"
WAITING = "waiting for its page"
ROW_MARK = "missing page"  # where a row shows the reading time

_BROWSABLE = ("http", "https")
# Longer than this is no address a person saved (reader.urls keys no longer ones).
_MAX_URL = 4096


def browsable_url(url: str | None) -> str | None:
    """`url` when a browser may be sent to it: http(s), a host, no spaces or control
    characters (it came from an export file: untrusted), else None."""
    if not url or len(url) > _MAX_URL:
        return None
    if any(char.isspace() or ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed port or IPv6 address
        return None
    if parts.scheme.lower() not in _BROWSABLE or not host:
        return None
    return url


def site_of(article: ArticleSummary) -> str:
    """The site a row names: the article's site name; a missing page's URL's host
    (without a leading `www.`) when its export gave none (a saved page's row is left as
    it was: its page had no site name)."""
    if article.site_name or not article.missing:
        return article.site_name or ""
    try:
        host = urlsplit(article.url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def title_of(article: ArticleSummary) -> str:
    """The title a row shows: the article's; a missing page with none (an export may
    give only a URL) is called by its URL; else "(untitled)"."""
    if article.title.strip():
        return article.title
    if article.missing and article.url:
        return article.url
    return "(untitled)"
