"""Each metadata field from the most trusted source that gives it.

The order of trust (DESIGN.md): JSON-LD, then `<meta>` tags (OpenGraph, `article:*`,
Dublin Core, `name=author`), then what the markup shows (`rel=author` and bylines,
`<time>`, `<html lang>`), then guesses. Each field's declared sources are a table
below, most trusted first; a source is a group of keys, and the group's first key that
has a value speaks for it. Every value is normalised by its field's cleaner (names only
in bylines, ISO 8601 dates, BCP 47 tags, one clean line of text), so the archive stores
one shape whichever source it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lxml.html import HtmlElement

from reader.ingest.metadata.bylines import (
    URL_OR_EMAIL,
    clean_byline,
    dom_byline,
    is_house_byline,
    labelled_byline,
    says_more,
)
from reader.ingest.metadata.dates import clean_date, date_in_url, dom_published, found_date
from reader.ingest.metadata.jsonld import (
    JsonObject,
    find_article_object,
    jsonld_objects,
    objects_by_id,
    person_names,
    scalar,
)
from reader.ingest.metadata.language import clean_lang
from reader.ingest.metadata.metatags import MetaValues, first_value, meta_values
from reader.ingest.metadata.sites import site_from_title, site_motto, trim_site_name
from reader.ingest.metadata.text import clean_text
from reader.ingest.metadata.titles import (
    author_keys,
    first_h1,
    first_heading,
    heading_in_title,
    headline_in_url,
    headline_of_declared,
    headline_over_site_title,
    html_title,
    jsonld_title,
    numbered_headline,
    outvoted_headline,
    trim_page_title,
    trim_sections,
    undressed_headline,
    visible_headline,
    whole_title,
    without_shop_notes,
)
from reader.ingest.metadata.urls import host_of, page_url, path_parts
from reader.textrules import fold_key


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


@dataclass(frozen=True)
class Declared:
    """What a page declares about itself: its root element, <meta> tags and JSON-LD article."""

    root: HtmlElement
    meta: MetaValues
    article: JsonObject  # {} when the page has none
    by_id: dict[str, JsonObject]  # the page's JSON-LD objects by @id, for references

    @classmethod
    def read(cls, doc: HtmlElement) -> Declared:
        objects = jsonld_objects(doc)
        article = find_article_object(objects) or {}
        return cls(doc.getroottree().getroot(), meta_values(doc), article, objects_by_id(objects))


# --- where a value can come from ---------------------------------------------------


class JsonLd:
    """The article's first JSON-LD property that has a value ("publisher.name": nested)."""

    def __init__(self, *keys: str) -> None:
        self.paths = [key.split(".") for key in keys]

    def __call__(self, page: Declared) -> str | None:
        for path in self.paths:
            value: object = page.article
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            text = scalar(value)
            if text:
                return text
        return None


class JsonLdNames:
    """The people named in one JSON-LD property (a string, a Person, a list of either)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, page: Declared) -> list[str] | None:
        value = page.article.get(self.key)
        if value is None:
            return None
        return [clean_text(n) for n in person_names(value, by_id=page.by_id)]


class Meta:
    """The first `<meta>` key that has a value; a value that begins like `unless` is none."""

    def __init__(self, *keys: str, unless: re.Pattern[str] | None = None) -> None:
        self.keys = keys
        self.unless = unless

    def __call__(self, page: Declared) -> str | None:
        value = first_value(page.meta, *self.keys)
        if value and self.unless is not None and self.unless.match(value.strip()):
            return None
        return value


class LabelledMeta:
    """The value of a Twitter card's labelled pair (`twitter:label1` "Written by",
    `twitter:data1` "Jane Doe"), as Yoast writes the author for Slack's unfurls."""

    def __init__(self, label: re.Pattern[str]) -> None:
        self.label = label

    def __call__(self, page: Declared) -> str | None:
        for i in range(1, 5):
            label = first_value(page.meta, f"twitter:label{i}")
            if label and self.label.match(label.strip()):
                return first_value(page.meta, f"twitter:data{i}")
        return None


class RootAttribute:
    """An attribute of the page's root element (`<html lang>`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, page: Declared) -> str | None:
        value: str | None = page.root.get(self.name)
        return value


V = TypeVar("V")
# A source gives the page's value, or None when the page does not say.
Source = Callable[[Declared], V | None]


def first(page: Declared, sources: Sequence[Source[str]]) -> str | None:
    """The value of the most trusted source that has one, as it stands."""
    for source in sources:
        value = source(page)
        if value:
            return value
    return None


def first_clean(
    page: Declared, sources: Sequence[Callable[[Declared], V]], clean: Callable[[V], str | None]
) -> str | None:
    """The most trusted value that survives `clean`: a source whose value is not a
    date, a name or a language tag does not count, and the next one speaks."""
    for source in sources:
        value = clean(source(page))
        if value:
            return value
    return None


# --- the order of trust, field by field ------------------------------------------

SITE_NAME: tuple[Source[str], ...] = (JsonLd("publisher.name"), Meta("og:site_name"))
# Apps and personal sites name themselves only here.
APPLICATION_NAME: tuple[Source[str], ...] = (Meta("application-name"),)
TITLE: tuple[Source[str], ...] = (
    # (JSON-LD's name or headline comes first: `jsonld_title` chooses between them.)
    Meta(
        "dc:title",
        "dcterm:title",
        "dcterms:title",
        "og:title",
        "weibo:article:title",
        "weibo:webpage:title",
        "title",
        "twitter:title",
        "parsely-title",
    ),
)
BYLINE: tuple[Source[str | list[str]], ...] = (
    JsonLdNames("author"),
    JsonLdNames("creator"),
    Meta("dc:creator"),
    Meta("dcterm:creator"),
    Meta("dcterms:creator"),
    Meta("author"),
    Meta("parsely-author"),
    Meta("article:author_name"),
    # OpenGraph's article:author is often a link to a profile, which names no one.
    Meta("article:author", "og:article:author", unless=URL_OR_EMAIL),
    LabelledMeta(re.compile(r"(?:written )?by$|author", re.I)),
)
PUBLISHED: tuple[Source[str], ...] = (
    JsonLd("datePublished"),
    Meta("article:published_time", "parsely-pub-date", "datepublished"),
    Meta("dc:date", "dcterms:date", "dcterms:issued", "dcterms:created"),
    Meta("dc:date:issued", "date", "pubdate", "publishdate", "sailthru:date"),
    JsonLd("dateCreated"),
)
LANGUAGE: tuple[Source[str], ...] = (
    RootAttribute("lang"),
    RootAttribute("{http://www.w3.org/XML/1998/namespace}lang"),
    JsonLd("inLanguage"),
    Meta("content-language", "dc:language", "dcterms:language", "language"),
    Meta("og:locale"),
)
EXCERPT: tuple[Source[str], ...] = (
    JsonLd("description"),
    Meta("og:description", "description", "twitter:description", "dc:description"),
)
# The titles a page declares beside the one trusted most: twitter:title, JSON-LD name.
OTHER_TITLES: tuple[Source[str], ...] = (Meta("twitter:title"), JsonLd("name"))
JSONLD_URL: tuple[Source[str], ...] = (JsonLd("url", "mainEntityOfPage"),)


def extract_metadata(
    doc: HtmlElement, saved_url: str | None = None, *, search_dates: bool = True
) -> Metadata:
    """Everything the page says about itself, each field from its most trusted source.

    `search_dates` False skips htmldate's search (it copies the tree it searches: a
    caller holding a big page says so).

    After the declared sources come what the markup shows and the guesses: the byline
    the page shows, a <title> without the site's name, a heading; a <time>, the date
    htmldate finds, a dated URL.
    """
    page = Declared.read(doc)
    url = page_url(doc, page.meta, saved_url, first(page, JSONLD_URL))
    host = host_of(url)
    site = clean_text(first(page, SITE_NAME))
    page_title = html_title(doc)
    byline = first_clean(page, BYLINE, clean_byline)
    shown = dom_byline(doc, host)
    if not byline or is_house_byline(byline):
        # The page declares no one: the byline it shows or writes, if any, names them.
        byline = shown or labelled_byline(doc) or byline
    elif site and fold_key(byline) == fold_key(site):
        # A byline that is the publisher's own name says who owns the page, not who
        # wrote it: the byline the page shows, if any, does.
        byline = shown or byline
    elif shown and says_more(byline, shown):
        byline = shown
    # A declared title carries the site's name as often as <title> does ("Post | Site");
    # <title> may carry the author's instead, or name the site otherwise than the page
    # does: when its headline is the page's <h1>, the rest goes.
    names = [n for n in (site, first(page, APPLICATION_NAME)) if n]
    said = site_motto(clean_text(first(page, TITLE)), page_title, names, host)
    headline = clean_text(jsonld_title(page.article, site, host, page_title, first_h1(doc)))
    headline = outvoted_headline(headline, [said, page_title, first_h1(doc)], names, host)
    declared = whole_title(headline, said, names, host) or said
    if declared:
        title = trim_site_name(declared, names, host)
        title = headline_of_declared(title, doc, page_title, author_keys(byline), declared)
        others = [source(page) or "" for source in OTHER_TITLES]
        sources = [headline, said, page_title, *others]
        title = visible_headline(title, doc, sources, names, host)
    else:
        title = heading_in_title(trim_page_title(page_title, names, host, byline), doc)
        title = headline_over_site_title(title, doc, page_title)
    title = numbered_headline(trim_sections(title, doc), doc)
    if not title:
        title = first_heading(doc)
    elif fold_key(headline) != fold_key(title):
        # A title the JSON-LD article's headline says too is the article's, not one
        # dressed for search engines and shops.
        title = undressed_headline(title, doc, names, host)
    title = without_shop_notes(headline_in_url(title, doc, path_parts(url), names, host))
    body = JsonLd("articleBody")(page)
    return Metadata(
        title=title,
        byline=byline,
        site_name=(
            site
            or clean_text(first(page, APPLICATION_NAME))
            or site_from_title(page_title, host)
            or None
        ),
        url=url,
        published=(
            first_clean(page, PUBLISHED, clean_date)
            or dom_published(doc)
            or (found_date(doc) if search_dates else None)
            or date_in_url(url)
        ),
        lang=first_clean(page, LANGUAGE, clean_lang),
        excerpt=clean_text(first(page, EXCERPT)) or None,
        article_body=body if body and len(body) > 200 else None,
    )
