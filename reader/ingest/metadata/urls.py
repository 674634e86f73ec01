"""URLs: where the article lives, and what its relative links resolve against."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from reader.ingest.metadata.metatags import MetaValues, first_value
from reader.textrules import clean_line


def host_of(url: str | None) -> str | None:
    """The URL's host name, None for no URL or one that does not parse."""
    try:
        return urlsplit(url or "").hostname or None
    except ValueError:
        return None


_MAX_PARTS = 20  # path segments read: a page's URL has a few
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.I)


def path_parts(url: str | None) -> list[str]:
    """The segments of the URL's path, decoded, less a file's extension ("best-tents"
    and "camping" of "/camping/best-tents.html"); [] for no URL or one that does not
    parse."""
    try:
        path = urlsplit(url or "").path
    except ValueError:
        return []
    parts = [unquote(part) for part in path.split("/")[1 : _MAX_PARTS + 1]]
    return [_EXTENSION.sub("", part) for part in parts if part]


def _same_site(a: str | None, b: str | None) -> bool:
    def host(url: str | None) -> str:
        h = host_of(url) or ""
        return h[4:] if h.startswith("www.") else h

    ha, hb = host(a), host(b)
    return bool(ha and hb and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)))


def page_url(
    doc: HtmlElement,
    values: MetaValues,
    saved_url: str | None,
    jsonld_url: str | None = None,
) -> str | None:
    """The article's URL: canonical link, else og:url, else JSON-LD's url, else where the
    page was saved from. Only an absolute http(s) URL counts; relative ones resolve
    against the saved-from URL."""
    candidates: list[str | None] = []
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            candidates.append(link.get("href"))
    candidates += [first_value(values, "og:url"), jsonld_url]
    for candidate in candidates:
        text = clean_line(candidate)
        if not text:
            continue
        try:
            url = urljoin(saved_url, text) if saved_url else text
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and parts.netloc:
            return url
    saved = clean_line(saved_url)
    return saved if saved and host_of(saved) else None


def base_url(doc: HtmlElement, url: str | None) -> str | None:
    """What relative links resolve against: a <base href> only if it stays on the site.

    A saved page's <base> sometimes points at a CDN or an archive mirror; links made
    absolute against that would lead somewhere the article never linked to.
    """
    base = next((b.get("href") for b in doc.iter("base") if b.get("href")), None)
    base = clean_line(base)
    if not base:
        return url
    try:
        resolved = urljoin(url, base) if url else base
    except ValueError:
        return url
    if not url or _same_site(resolved, url):
        return resolved
    return url
