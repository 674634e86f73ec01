"""JSON-LD: what publishers write for search engines, the most trusted source of all.

Pages embed it in `<script type="application/ld+json">`, as one object, a list, an
`@graph` or objects nested in `mainEntity`; the article is the object typed as one
(`NewsArticle`, `BlogPosting`, ...). Values come as strings, lists or typed objects;
`scalar` and `person_names` read them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

# A JSON-LD object as json.loads gives it.
JsonObject = dict[str, Any]

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


def _types(obj: JsonObject) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    out = set()
    for v in values:
        if isinstance(v, str):
            out.add(v.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower())
    return out


def _walk_jsonld(value: object, depth: int = 0) -> Iterator[JsonObject]:
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


def jsonld_objects(doc: HtmlElement) -> list[JsonObject]:
    """All JSON-LD objects of the page, skipping scripts that are not valid JSON."""
    objects: list[JsonObject] = []
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


def find_article_object(objects: list[JsonObject]) -> JsonObject | None:
    """The JSON-LD object that describes the article (NewsArticle, BlogPosting, ...)."""
    strong = [o for o in objects if _types(o) & STRONG_TYPES]
    if strong:
        return strong[0]
    weak = [o for o in objects if _types(o) & ARTICLE_TYPES and ("headline" in o or "author" in o)]
    return weak[0] if weak else None


def objects_by_id(objects: list[JsonObject]) -> dict[str, JsonObject]:
    """The page's JSON-LD objects that have an `@id` and say more than it, by `@id`.

    Yoast, Rank Math and AIOSEO write the article's author as a reference
    (`"author": {"@id": ".../#/schema/person/..."}`) to a Person elsewhere in the graph.
    """
    found: dict[str, JsonObject] = {}
    for obj in objects:
        key = obj.get("@id")
        if isinstance(key, str) and len(obj) > 1:
            found.setdefault(key, obj)
    return found


def person_names(
    value: object, depth: int = 0, by_id: dict[str, JsonObject] | None = None
) -> list[str]:
    """Person names from a JSON-LD author value: a string, a Person, a list of either,
    or a reference (`{"@id": ...}`) to a Person that `by_id` holds."""
    if depth > 3 or value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for v in value for n in person_names(v, depth + 1, by_id)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) or isinstance(family, str):
            return [" ".join(p for p in (given, family) if isinstance(p, str))]
        # Only a Person: a reference to the publisher (an Organization) names the site,
        # and the byline the page shows says more.
        ref = value.get("@id")
        target = by_id.get(ref) if by_id and isinstance(ref, str) else None
        if target is not None and target is not value and "person" in _types(target):
            return person_names(target, depth + 1, by_id)
    return []


def scalar(value: object) -> str | None:
    """One JSON-LD value as text: the first of a list, an object's @value, @id, url or
    name; None when that is not a non-blank string."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("@id") or value.get("url") or value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None
