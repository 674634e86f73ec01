"""Links and images: made absolute against the page's URL, web schemes only."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from reader.textrules import strip_controls

WEB_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_URL_BREAKS = re.compile(r"[\t\n\r]")
_SCHEME_LIKE = re.compile(r"^\s*[a-z][a-z0-9+.-]*\s*:", re.I)


def absolute_url(
    href: str | None, base: str | None, *, schemes: frozenset[str] = WEB_SCHEMES
) -> str | None:
    """`href` made absolute against `base`; None unless it leads to the web (or mail).

    An allow-list, not a deny-list: javascript:, data:, file:, but also `ms-msdt:`,
    `intent:` or a mangled `dat:` go. Tabs and newlines inside are removed first, as
    browsers do (so "java\nscript:" is caught). A link's text is always kept; only
    its target goes.
    """
    if not href:
        return None
    href = strip_controls(_URL_BREAKS.sub("", href)).strip(" \u00a0")
    if not href:
        return None
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in schemes else None
    # Relative and nothing to resolve against: kept, unless it only looks relative.
    return None if _SCHEME_LIKE.match(href) else url


_FILE_NAME = re.compile(r"^[\w.~-]+\.(?:jpe?g|png|gif|webp|svg|avif|bmp|tiff?)$", re.I)
_GENERIC_ALT = re.compile(
    r"^\s*(?:an?\s+)?(?:image|img|photo|photograph|picture|pic|screenshot|screen shot|"
    r"illustration|logo|icon|banner|thumbnail|placeholder|spacer|graphic|figure|untitled|"
    r"alt|null|none|undefined|avatar)s?\s*\d*\s*$",
    re.I,
)
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src")


def image_of(el: HtmlElement, base_url: str | None) -> tuple[str, str] | None:
    """(absolute src, alt) of an <img> or <picture>; lazy-loading attributes count.

    A data: URL is not kept (it is the page's bytes, not a link), but the image's alt
    text still is, so the figure keeps its words.
    """
    if el.tag == "picture":
        img = next(el.iter("img"), None)
        if img is None:
            return None
        return image_of(img, base_url)
    alt = el.get("alt") or ""
    if _FILE_NAME.match(alt.strip()) or _GENERIC_ALT.match(alt):
        alt = ""  # "IMG_0042.jpg" or "image" says there is an image, not what it shows
    candidates = [el.get(name) for name in _LAZY_SRC] + [el.get("src")]
    srcset = el.get("srcset") or el.get("data-srcset")
    if srcset:
        candidates.append(srcset.strip().split(",")[0].strip().split(" ")[0])
    for value in candidates:
        url = absolute_url(value, base_url, schemes=IMAGE_SCHEMES) if value else None
        if url:
            return url, alt
    if alt.strip():
        return "", alt
    return None


def is_emoji(img: HtmlElement) -> bool:
    """An emoji or symbol drawn as an image (WordPress, Twitter, Discourse do this)."""
    alt = (img.get("alt") or "").strip()
    if not alt or len(alt) > 8:
        return False
    if re.search(r"emoji|smiley|wp-smiley", img.get("class") or "", re.I):
        return True
    return all(unicodedata.category(ch) in _SYMBOL_CATEGORIES for ch in alt if ch != " ")


_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Sm", "Mn", "Cf"})
