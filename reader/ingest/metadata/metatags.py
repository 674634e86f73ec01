"""`<meta>` tags: OpenGraph, `article:*`, Dublin Core, Twitter cards and plain names."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# Every <meta> key of a page (lower-cased, dots as colons) -> its contents in page order.
MetaValues = dict[str, list[str]]


def meta_values(doc: HtmlElement) -> MetaValues:
    """Every <meta> property/name/itemprop (lower-cased, dots as colons) -> its contents.

    A property attribute may hold several space-separated names (RDFa); each counts.
    Values from `property` come before those from `name` (OpenGraph and RDFa are
    written for machines; `name` is often a CMS's loose copy).
    """
    by_property: MetaValues = {}
    by_name: MetaValues = {}
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


def first_value(values: MetaValues, *keys: str) -> str | None:
    """The first non-blank content under the first of `keys` that has one."""
    for key in keys:
        for value in values.get(key, ()):
            if value.strip():
                return value
    return None
