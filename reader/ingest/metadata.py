"""Page metadata: title, byline, site, dates, language, canonical URL.

Sources in order of trust: JSON-LD (what publishers write for search engines), then
OpenGraph / `article:*` meta, Dublin Core and `<meta name=author>`, then what the markup
shows (`rel=author`, bylines, `<time>`), then guesses. Every value is normalised here
(names only in bylines, ISO 8601 dates, BCP 47 language tags) and cleaned of control
characters, so the archive stores one shape whichever source it came from.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from reader.textrules import clean_line

ARTICLE_TYPES = frozenset(
    t.lower()
    for t in [
        "Article",
        "AdvertiserContentArticle",
        "NewsArticle",
        "AnalysisNewsArticle",
        "AskPublicQuestion",
        "BackgroundNewsArticle",
        "BlogPosting",
        "DiscussionForumPosting",
        "LiveBlogPosting",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
        "Report",
        "SatiricalArticle",
        "ScholarlyArticle",
        "MedicalScholarlyArticle",
        "SocialMediaPosting",
        "TechArticle",
        "Review",
        "CreativeWork",
        "WebPage",
        "ArchiveComponent",
        "Legislation",
    ]
)
# Types that mean "this object is the article" (WebPage and friends are weaker).
STRONG_TYPES = ARTICLE_TYPES - {"webpage", "creativework", "archivecomponent", "legislation"}


@dataclass
class Metadata:
    """What the page says about itself; every field is clean text or None."""

    title: str = ""
    byline: str | None = None
    site_name: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str | None = None
    excerpt: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, a fallback for the body


# --- JSON-LD ------------------------------------------------------------------------


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    out = set()
    for v in values:
        if isinstance(v, str):
            out.add(v.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower())
    return out


def _walk_jsonld(value: object, depth: int = 0) -> Iterator[dict]:
    """Every object in a JSON-LD value: top-level lists, @graph, nested (bounded)."""
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _walk_jsonld(graph, depth + 1)
        main = value.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk_jsonld(main, depth + 1)


def jsonld_objects(doc: HtmlElement) -> list[dict]:
    """All JSON-LD objects of the page, skipping scripts that are not valid JSON."""
    objects: list[dict] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        source = (script.text or "").strip()
        source = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", source)
        if not source:
            continue
        try:
            parsed = json.loads(source, strict=False)
        except ValueError:
            continue
        objects.extend(_walk_jsonld(parsed))
    return objects


def find_article_object(objects: list[dict]) -> dict | None:
    """The JSON-LD object that describes the article (NewsArticle, BlogPosting, ...)."""
    strong = [o for o in objects if _types(o) & STRONG_TYPES]
    if strong:
        return strong[0]
    weak = [o for o in objects if _types(o) & ARTICLE_TYPES and ("headline" in o or "author" in o)]
    return weak[0] if weak else None


def _names(value: object, depth: int = 0) -> list[str]:
    """Person names from a JSON-LD author value: a string, a Person, a list of either."""
    if depth > 3 or value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for v in value for n in _names(v, depth + 1)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) or isinstance(family, str):
            return [" ".join(p for p in (given, family) if isinstance(p, str))]
    return []


def _str(value: object) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("@id") or value.get("url") or value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- meta tags ----------------------------------------------------------------------


def meta_values(doc: HtmlElement) -> dict[str, list[str]]:
    """Every <meta> property/name/itemprop (lower-cased, dots as colons) -> its contents.

    A property attribute may hold several space-separated names (RDFa); each counts.
    Values from `property` come before those from `name` (OpenGraph and RDFa are
    written for machines; `name` is often a CMS's loose copy).
    """
    by_property: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            raw = meta.get(attr)
            if not raw:
                continue
            target = by_property if attr == "property" else by_name
            for key in raw.split() if attr == "property" else [raw]:
                key = re.sub(r"\s+", "", key.lower()).replace(".", ":")
                target.setdefault(key, []).append(content.strip())
    for key, contents in by_name.items():
        by_property.setdefault(key, []).extend(contents)
    return by_property


def _first(values: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in values.get(key, ()):
            if value.strip():
                return value
    return None


# --- normalisers ----------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)


def clean_text(value: str | None) -> str:
    """A metadata string as one clean line, with HTML entities left escaped decoded."""
    if not value:
        return ""
    if _ENTITY.search(value):
        value = html.unescape(value)
    return clean_line(value)


_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
_BY = re.compile(
    r"^(?:(?:written|posted|published|reported|words|text|story|photos?|edited)\s+)?"
    r"(?:by|par|von|por|di|door|av|af|autor(?:a|in)?|author|auteur|escrito por)\b[\s:]*",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|contributor|columnist|senior|"
    r"updated?|published|posted|last|minutes?|read|follow|share|email|twitter|facebook|"
    r"bureau|chief|news desk|photographer|illustrat\w*|"
    r"comments?|sign (?:in|up)|log ?in|subscribe|about|contact|ago|hours?|days?|news)\b",
    re.I,
)
_DATEISH = re.compile(
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\b\d{1,2}:\d{2}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
    r"\b(?:19|20)\d{2}\b",
    re.I,
)
_PARENS = re.compile(r"\(\s*([^()]*?)\s*\)")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|、|，)\s*")
_AGENCY = re.compile(r"^(?:the )?(?:associated press|ap|reuters|afp|dpa|ansa|efe|upi|pa)$", re.I)
_CHUNK_SPLIT = re.compile(r"\s*[|•·/]\s*|\s+[-–—]\s+")
_DIGIT_WORD = re.compile(r"\s\S*\d")
_CREDENTIAL = re.compile(r"^(?:MA|MS|MD|PhD|Ph\.D\.|RN|MPH|DO|Jr\.?|Sr\.?|BSc|MSc|MBA|DDS)$", re.I)


def clean_byline(value: str | list[str] | None) -> str | None:
    """Names only: "By Jane Doe | Staff Writer" -> "Jane Doe"; several: "A, B and C".

    URLs, roles ("Staff Writer"), dates, times ("1 day ago") and credentials are
    dropped; a byline that is nothing but those is None. Lines of a multi-line byline
    are separate pieces.
    """
    if not value:
        return None
    raw_parts = value if isinstance(value, list) else [value]
    names: list[str] = []
    for raw in raw_parts:
        if not isinstance(raw, str):
            continue
        for line in re.split(r"[\r\n]+", raw):
            text = _PARENS.sub(
                lambda m: m.group(0) if _looks_like_name(m.group(1)) else " ", clean_text(line)
            )
            text = _URL.sub(" ", text)
            for chunk in _CHUNK_SPLIT.split(text):
                chunk = _BY.sub("", chunk.strip()).strip(" ,;:-–—")
                if not chunk:
                    continue
                for name in _NAME_SPLIT.split(chunk):
                    name = _BY.sub("", name.strip())
                    name = _DIGIT_WORD.split(name, 1)[0].strip(" ,;:.-–—'\"")
                    if name and _looks_like_name(name) and name not in names:
                        names.append(name)
    people = [n for n in names if not _AGENCY.match(n)]
    names = people or names  # "Jane Doe, AP" is Jane Doe's; "AP" alone is AP's
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


_MONTH_OR_DAY = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\.?$",
    re.I,
)
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "vom",
        "zu",
        "la",
        "le",
        "el",
        "al",
        "bin",
        "ibn",
        "y",
        "e",
        "dos",
        "das",
        "do",
        "ten",
    ]
)


def _looks_like_name(text: str) -> bool:
    """A person's or an organisation's name, not a sentence, a role or a button."""
    text = text.strip()
    if not text or len(text) > 60 or _CREDENTIAL.match(text):
        return False
    if _ROLE.search(text) or _DATEISH.search(text) or _URL.search(text) or ":" in text:
        return False
    if not any(ch.isalpha() for ch in text) or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if len(words) == 1 and _MONTH_OR_DAY.match(text):
        return False
    if len(words) > 5:
        return False
    if text != text.lower():  # a cased script, not all lower-case: names are capitalised
        for word in words:
            if len(word) > 3 and word[0].islower() and word.lower() not in _PARTICLES:
                return False
    return not any(w.lower().endswith(("’s", "'s")) for w in words)


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)
_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d.%m.%Y",
    "%B %d %Y",
    "%Y-%m-%dT%H:%M:%S%z",
)


def clean_date(value: str | None) -> str | None:
    """ISO 8601 as given (a date stays a date, a timezone is kept); None if unparseable."""
    text = clean_line(value)
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        year, month, day, hour, minute, second, frac, zone = m.groups()
        if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
            return None
        out = f"{year}-{month}-{day}"
        if hour is not None:
            out += f"T{hour}:{minute}"
            if second is not None:
                out += f":{second}{frac or ''}"
        if zone and hour is not None:
            if zone.upper() == "Z":
                out += "Z"
            else:
                digits = zone[1:].replace(":", "")
                out += f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"
        return out
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(candidate, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is None and (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0):
        return parsed.date().isoformat()
    return parsed.isoformat()


_LANG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$", re.I)


def clean_lang(value: str | None) -> str | None:
    """A BCP 47 tag in its usual casing: "en_us" -> "en-US", "zh-hant-tw" -> "zh-Hant-TW"."""
    text = clean_line(value).replace("_", "-").split(",")[0].split(";")[0].strip()
    if not text or not _LANG.match(text):
        return None
    parts = text.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


# --- titles -----------------------------------------------------------------------

_SEPARATOR_RE = re.compile(r"\s[|\-–—\\/>»·•]\s|:\s")


def _norm(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.casefold())


_SITE_WORD = re.compile(r"\b(?:web ?site|blog|weblog|homepage|home page)\b", re.I)


def _site_like(part: str, site_names: list[str], host: str | None) -> bool:
    """Whether a piece of <title> is the site's name (og:site_name, publisher, domain)."""
    p = _norm(part)
    if not p:
        return False
    for name in site_names:
        n = _norm(name)
        if n and (p == n or (len(p) >= 3 and (p in n or n in p))):
            return True
    if host:
        labels = [label for label in host.lower().split(".") if label not in ("www", "m")]
        for label in labels[:-1] or labels:
            if len(label) >= 3 and (label in p or p in label):
                return True
    return False


def trim_site_name(
    title: str, site_names: list[str], host: str | None, authors: tuple[str, ...] = ()
) -> str:
    """Remove a leading or trailing site name from a <title>: "Article – Site" -> "Article".

    Only a part that is the site's name goes: a title that merely contains a separator
    ("Rust: the book", "Draft | Code") stays whole.
    """
    for _ in range(3):
        matches = list(_SEPARATOR_RE.finditer(title))
        if not matches:
            break
        last, first = matches[-1], matches[0]
        tail = title[last.end() :]
        head = title[: first.start()]
        # A last part that calls itself a site ("– My website", "| Jane's blog") is one.
        names_site = len(tail.split()) <= 4 and bool(_SITE_WORD.search(tail))
        if (_site_like(tail, site_names, host) or _norm(tail) in authors or names_site) and title[
            : last.start()
        ].strip():
            title = title[: last.start()].strip()
        elif _site_like(head, site_names, host) and title[first.end() :].strip():
            title = title[first.end() :].strip()
        else:
            break
    return title


def site_from_title(title: str, host: str | None) -> str:
    """The site's name as the <title> spells it, when an end part matches the domain.

    "Story here - Example News" on examplenews.com gives "Example News"; without a
    URL to compare against there is no telling a site from a subtitle, so "".
    """
    if not host:
        return ""
    matches = list(_SEPARATOR_RE.finditer(title))
    if not matches:
        return ""
    for part in (title[matches[-1].end() :], title[: matches[0].start()]):
        part = part.strip()
        if part and len(part) <= 60 and _site_like(part, [], host):
            return part
    return ""


def _similarity(a: str, b: str) -> float:
    """Share of b's words not in a, inverted (Mozilla Readability's _textSimilarity)."""
    ta = set(w for w in re.split(r"\W+", a.lower()) if w)
    tb = [w for w in re.split(r"\W+", b.lower()) if w]
    if not ta or not tb:
        return 0.0
    uniq = [w for w in tb if w not in ta]
    return 1 - len(" ".join(uniq)) / max(1, len(" ".join(tb)))


def html_title(doc: HtmlElement) -> str:
    """The page's <title> text as written (entities decoded, controls stripped).

    An inline SVG's <title> (an icon's tooltip) is not the page's title.
    """
    for title in doc.iter("title"):
        if not any(a.tag in ("svg", "math", "symbol") for a in title.iterancestors()):
            return clean_text(title.text_content())
    return ""


def _headings(doc: HtmlElement) -> list[str]:
    return [clean_line(h.text_content()) for h in doc.iter("h1", "h2")]


# --- DOM bylines and dates --------------------------------------------------------

_BYLINE_HINT = re.compile(r"byline|author|dateline|writtenby|p-author", re.I)
_UNLIKELY = re.compile(r"comment|footer|sidebar|related|share|social|promo|newsletter", re.I)


def _hint(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def dom_byline(doc: HtmlElement) -> str | None:
    """The byline the page shows, from the most telling markup first.

    rel=author / itemprop=author rank above a .byline, which ranks above other
    author-ish classes; an agency alone ("AFP") ranks last. Among equals, one after the
    page's first <h1> wins (a byline follows its headline; lists of other articles'
    authors often come before it). Comments, sidebars, related boxes do not count.
    """
    body = doc.find(".//body")
    if body is None:
        return None
    h1 = next(body.iter("h1"), None)
    seen_h1 = h1 is None
    best: tuple[int, int, str] | None = None
    for el in _BYLINE_CANDIDATES(body):
        if el is h1:
            seen_h1 = True
        if el.tag in _NOT_BYLINE_TAGS:
            continue
        rel = (el.get("rel") or "").lower().split()
        itemprop = (el.get("itemprop") or "").lower()
        hint = _hint(el)
        if "author" in rel or "author" in itemprop:
            rank = 0
        elif re.search(r"byline", hint, re.I):
            rank = 2
        elif _BYLINE_HINT.search(hint):
            rank = 4
        else:
            continue
        rank += 0 if seen_h1 else 1
        if best is not None and rank >= best[0]:
            continue
        if any(
            _UNLIKELY.search(_hint(a)) for a in el.iterancestors() if a.tag not in ("body", "html")
        ):
            continue
        text = el.text_content()
        if not (0 < len(text.strip()) < 200 and len(clean_line(text)) < 100):
            continue
        name = clean_byline(text)
        if not name:
            continue
        if _AGENCY.match(name):
            rank = 6
        if best is None or rank < best[0]:
            best = (rank, 0, name)
            if rank == 0:
                break
    return best[2] if best else None


_BYLINE_CANDIDATES = etree.XPath("descendant::*[@rel or @itemprop or @class or @id or self::h1]")
_NOT_BYLINE_TAGS = frozenset(
    {"script", "style", "meta", "link", "body", "html", "img", "svg", "button", "form"}
)


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")


def date_in_url(url: str | None) -> str | None:
    """The day in a dated URL path (/2024/03/05/slug): the last resort for a date."""
    match = _URL_DATE.search(url or "")
    return "-".join(match.groups()) if match else None


def dom_published(doc: HtmlElement) -> str | None:
    """`<time pubdate>` / itemprop=datePublished, else the first <time> in a header."""
    for el in doc.iter("time", "meta", "span", "abbr"):
        if el.get("pubdate") is not None or (el.get("itemprop") or "") == "datePublished":
            value = clean_date(el.get("datetime") or el.get("content") or el.text_content())
            if value:
                return value
    for el in doc.iter("time"):
        if any(a.tag in ("header", "article") for a in el.iterancestors()):
            value = clean_date(el.get("datetime"))
            if value:
                return value
    return None


# --- the whole -----------------------------------------------------------------------


def host_of(url: str | None) -> str | None:
    """The URL's host name, None for no URL or one that does not parse."""
    try:
        return urlsplit(url or "").hostname or None
    except ValueError:
        return None


def _same_site(a: str | None, b: str | None) -> bool:
    def host(url: str | None) -> str:
        h = host_of(url) or ""
        return h[4:] if h.startswith("www.") else h

    ha, hb = host(a), host(b)
    return bool(ha and hb and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)))


def page_url(
    doc: HtmlElement,
    values: dict[str, list[str]],
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
    candidates += [_first(values, "og:url"), jsonld_url]
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


def extract_metadata(doc: HtmlElement, saved_url: str | None = None) -> Metadata:
    """Everything the page says about itself, from its most trusted source first."""
    values = meta_values(doc)
    objects = jsonld_objects(doc)
    article = find_article_object(objects) or {}
    meta = Metadata()

    jsonld_url = _str(article.get("url")) or _str(article.get("mainEntityOfPage"))
    meta.url = page_url(doc, values, saved_url, jsonld_url)
    host = host_of(meta.url)

    publisher = article.get("publisher")
    publisher_name = _str(publisher.get("name")) if isinstance(publisher, dict) else None
    site = clean_text(publisher_name or _first(values, "og:site_name"))
    meta.site_name = site or None

    # Title: JSON-LD, then the meta titles, then <title> with the site's name trimmed.
    page_title = html_title(doc)
    name, headline = _str(article.get("name")), _str(article.get("headline"))
    title = ""
    if name and headline and name != headline:
        if _site_like(name, [site] if site else [], host) and not _site_like(
            headline, [site] if site else [], host
        ):
            title = headline  # the publisher's name in "name", the article's in "headline"
        else:
            name_ok = _similarity(name, page_title) > 0.75
            headline_ok = _similarity(headline, page_title) > 0.75
            title = headline if headline_ok and not name_ok else name
    else:
        title = name or headline or ""
    if not title:
        title = (
            _first(
                values,
                "dc:title",
                "dcterm:title",
                "dcterms:title",
                "og:title",
                "weibo:article:title",
                "weibo:webpage:title",
                "title",
                "twitter:title",
                "parsely-title",
            )
            or ""
        )
    title = clean_text(title)

    # Byline.
    byline = None
    for key in ("author", "creator"):
        if not byline and article.get(key) is not None:
            byline = clean_byline([clean_text(n) for n in _names(article.get(key))])
    if not byline:
        for key in (
            "dc:creator",
            "dcterm:creator",
            "dcterms:creator",
            "author",
            "parsely-author",
            "article:author_name",
        ):
            byline = clean_byline(_first(values, key))
            if byline:
                break
    if not byline:
        author = _first(values, "article:author", "og:article:author")
        if author and not _URL.match(author.strip()):
            byline = clean_byline(author)
    if not byline:
        byline = dom_byline(doc)
    meta.byline = byline

    if not title:
        # Personal sites put the author where others put the site: "Post | Jane Doe".
        names = [n for n in (site, _first(values, "application-name")) if n]
        authors = [byline, *byline.replace(" and ", ", ").split(", ")] if byline else []
        title = trim_site_name(page_title, names, host, tuple(_norm(a) for a in authors))
        if not title:
            title = next((h for h in _headings(doc) if h), "")
    meta.title = title
    if not meta.site_name:
        site = clean_text(_first(values, "application-name")) or site_from_title(page_title, host)
        meta.site_name = site or None

    # Published.
    published = None
    for candidate in (
        _str(article.get("datePublished")),
        _first(values, "article:published_time", "parsely-pub-date", "datepublished"),
        _first(values, "dc:date", "dcterms:date", "dcterms:issued", "dcterms:created"),
        _first(values, "dc:date:issued", "date", "pubdate", "publishdate", "sailthru:date"),
        _str(article.get("dateCreated")),
    ):
        published = clean_date(candidate)
        if published:
            break
    meta.published = published or dom_published(doc) or date_in_url(meta.url)

    # Language.
    root = doc.getroottree().getroot()
    lang = None
    for candidate in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _str(article.get("inLanguage")),
        _first(values, "content-language", "dc:language", "dcterms:language", "language"),
        _first(values, "og:locale"),
    ):
        lang = clean_lang(candidate)
        if lang:
            break
    meta.lang = lang

    description = _str(article.get("description")) or _first(
        values, "og:description", "description", "twitter:description", "dc:description"
    )
    meta.excerpt = clean_text(description) or None

    body = _str(article.get("articleBody"))
    meta.article_body = body if body and len(body) > 200 else None
    return meta
