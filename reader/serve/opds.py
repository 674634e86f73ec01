"""OPDS 1.2 catalogue documents (Atom feeds, an OpenSearch description) from plain data.

Pure: records in, bytes out; no archive, no HTTP. Every document is built as an element
tree (lxml), never pasted together as text, so a title holding `<`, `&` or `]]>`
stays text. Page text is untrusted: each string goes through `xml_text`, which keeps
only what XML 1.0 may carry (reader's storing rules, plus U+FFFE/U+FFFF and lone
surrogates, which XML forbids and a terminal does not mind).

Hrefs are absolute paths (`/feeds/unread`, prefixed with `/t/TOKEN` off loopback):
clients resolve them against the feed's own URL, so the server never has to trust the
Host header to write its links. Search is announced the way OPDS 1.2 §3 says, with an
OpenSearch description; the schema does not allow `{searchTerms}` in a feed's href.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from reader.models import ArticleSummary
from reader.textrules import clean_line, plural

ATOM = "http://www.w3.org/2005/Atom"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
EPUB = "application/epub+zip"
ACQUIRE = "http://opds-spec.org/acquisition"
SUBSECTION = "subsection"

SUMMARY_CHARS = 1000  # an excerpt is a paragraph; a page's meta description can be a novel
CATALOGUE_TITLE = "reader"


# The empty roots, parsed from constants: Atom (OpenSearch) as the default namespace,
# which lxml-stubs cannot type as an nsmap (its keys may not be None).
_FEED_ROOT = f'<feed xmlns="{ATOM}" xmlns:dcterms="{DCTERMS}"/>'
_OPENSEARCH_ROOT = f'<OpenSearchDescription xmlns="{OPENSEARCH}"/>'
# What XML 1.0 cannot carry that reader's storing rules let through.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
_EPOCH = "1970-01-01T00:00:00+00:00"


def xml_text(text: str | None, limit: int | None = None) -> str:
    """`text` as one line XML can carry: controls gone, whitespace collapsed, at most
    `limit` characters (an ellipsis ends a cut)."""
    line = _NOT_XML.sub("", clean_line(text))
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def atom_date(*candidates: str | None) -> str:
    """The first candidate that is a full date and time, as Atom's xsd:dateTime wants
    (UTC when it carries no zone); else the epoch (an archive from another program
    may hold a bare date or nothing)."""
    for value in candidates:
        if not value or len(value) < 19:  # a date alone, a year: no time of day
            continue
        try:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC).isoformat(timespec="seconds")
        except (ValueError, OverflowError):  # not a date; year 1 east of Greenwich
            continue
    return _EPOCH


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Link:
    rel: str
    href: str
    type: str
    title: str = ""


@dataclass(frozen=True)
class NavigationItem:
    """An entry of a navigation feed: a feed one level down."""

    id: str
    title: str
    href: str
    content: str = ""
    kind: str = ACQUISITION  # the type of the feed it leads to


@dataclass(frozen=True)
class Feed:
    """What every feed has: its id, title, its own and its neighbours' links."""

    id: str
    title: str
    self_href: str
    start_href: str
    kind: str
    up_href: str | None = None
    search_href: str | None = None
    next_href: str | None = None
    previous_href: str | None = None
    subtitle: str = ""


def _add(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _link(parent: etree._Element, link: Link) -> None:
    attributes = {"rel": link.rel, "href": link.href, "type": link.type}
    if link.title:
        attributes["title"] = xml_text(link.title)
    _add(parent, "link", **attributes)


def _feed(feed: Feed, updated: str) -> etree._Element:
    root = etree.fromstring(_FEED_ROOT)
    _add(root, "id", feed.id)
    _add(root, "title", xml_text(feed.title) or CATALOGUE_TITLE)
    if feed.subtitle:
        _add(root, "subtitle", xml_text(feed.subtitle))
    _add(root, "updated", updated)
    author = _add(root, "author")
    _add(author, "name", CATALOGUE_TITLE)
    links = [
        Link("self", feed.self_href, feed.kind),
        Link("start", feed.start_href, NAVIGATION),
    ]
    if feed.up_href is not None:
        links.append(Link("up", feed.up_href, NAVIGATION))
    if feed.search_href is not None:
        links.append(Link("search", feed.search_href, OPENSEARCH_TYPE, "Search the archive"))
    if feed.previous_href is not None:
        links.append(Link("previous", feed.previous_href, feed.kind))
    if feed.next_href is not None:
        links.append(Link("next", feed.next_href, feed.kind))
    for link in links:
        _link(root, link)
    return root


def _document(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def navigation_feed(feed: Feed, items: Iterable[NavigationItem]) -> bytes:
    """A navigation feed: an entry per feed below this one."""
    updated = now()
    root = _feed(feed, updated)
    for item in items:
        entry = _add(root, "entry")
        _add(entry, "title", xml_text(item.title) or "(untitled)")
        _add(entry, "id", item.id)
        _add(entry, "updated", updated)
        _add(entry, "content", xml_text(item.content), type="text")
        _link(entry, Link(SUBSECTION, item.href, item.kind))
    return _document(root)


@dataclass(frozen=True)
class Selection:
    """The entry that offers a view's first articles as one book."""

    id: str
    title: str
    href: str
    count: int


def _date_line(article: ArticleSummary) -> str:
    parts = [
        xml_text(article.site_name),
        xml_text((article.published or article.added_at or "")[:10]),
        f"{article.reading_minutes} min read" if article.word_count else "",
    ]
    return " · ".join(part for part in parts if part)


def acquisition_feed(
    feed: Feed,
    articles: Sequence[ArticleSummary],
    epub_href: dict[int, str],
    selection: Selection | None = None,
) -> bytes:
    """An acquisition feed: an entry per article, each with its EPUB's link; first, when
    given, an entry for the whole selection as one book."""
    stamps = [atom_date(a.updated_at, a.added_at) for a in articles]
    updated = max(stamps, default=now())
    root = _feed(feed, updated)
    if selection is not None:
        entry = _add(root, "entry")
        _add(entry, "title", xml_text(selection.title))
        _add(entry, "id", selection.id)
        _add(entry, "updated", updated)
        _add(entry, "content", plural(selection.count, "article") + " in one book", type="text")
        _link(entry, Link(ACQUIRE, selection.href, EPUB, "EPUB"))
    for article, stamp in zip(articles, stamps, strict=True):
        entry = _add(root, "entry")
        _add(entry, "title", xml_text(article.title) or xml_text(article.url) or "(untitled)")
        _add(entry, "id", f"urn:reader:article:{article.id}")
        _add(entry, "updated", stamp)
        byline = xml_text(article.byline, 200)
        if byline:
            author = _add(entry, "author")
            _add(author, "name", byline)
        for tag in article.tags:
            _add(entry, "category", term=xml_text(tag), label=xml_text(tag))
        if article.lang:
            etree.SubElement(entry, f"{{{DCTERMS}}}language").text = xml_text(article.lang, 35)
        if article.published:
            etree.SubElement(entry, f"{{{DCTERMS}}}issued").text = xml_text(article.published, 35)
        summary = xml_text(article.excerpt, SUMMARY_CHARS)
        if summary:
            _add(entry, "summary", summary, type="text")
        _add(entry, "content", _date_line(article), type="text")
        _link(entry, Link(ACQUIRE, epub_href[article.id], EPUB, "EPUB"))
    return _document(root)


def opensearch_description(template: str) -> bytes:
    """The OpenSearch description that tells a client how to search: `template` is the
    search feed's URL with `{searchTerms}` where the words go."""
    root = etree.fromstring(_OPENSEARCH_ROOT)
    for name, text in (
        ("ShortName", CATALOGUE_TITLE),
        ("Description", "Search the articles of this reader archive (reader's search language)"),
        ("InputEncoding", "UTF-8"),
        ("OutputEncoding", "UTF-8"),
    ):
        etree.SubElement(root, f"{{{OPENSEARCH}}}{name}").text = text
    etree.SubElement(root, f"{{{OPENSEARCH}}}Url", {"type": ACQUISITION, "template": template})
    return _document(root)
