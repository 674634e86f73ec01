"""A Markdown article's YAML front matter, as the clippers and exporters write it.

Obsidian Web Clipper (`title`, `source`, `author` as a list or `[[wiki link]]`,
`published`, `created`, `description`, `tags`), MarkDownload (`title`, `source`,
`author`, `created`, `tags`), Omnivore (`title`, `url`, `author`, `labels`,
`date_saved`, `date_published`), Readwise (`title`, `url`, `author`, `tags`) and the
like. Keys are matched whatever their case and separators (`date_published`,
`datePublished`, `Date Published`); a key we do not know is ignored, and so is a value
of a type we do not expect.

The YAML is the file's, so untrusted: `yaml.safe_load` (no Python objects), a bounded
size (`MAX_FRONT_MATTER`), and every value that is kept is cleaned and bounded here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import yaml

from reader.ingest.convert.links import absolute_url
from reader.ingest.metadata.bylines import clean_byline
from reader.ingest.metadata.language import clean_lang
from reader.ingest.textlines import parse_date
from reader.textrules import clean_line
from reader.yamlio import load_yaml

__all__ = ["MAX_FRONT_MATTER", "FrontMatter", "read_byline", "read_front_matter"]

#: Front matter longer than this (characters) is not read: a clipper writes a few lines.
MAX_FRONT_MATTER = 64 * 1024
MAX_TAGS = 50
MAX_TAG_LENGTH = 100  # as reader.archive's tag names
_MAX_TITLE = 1000
_MAX_EXCERPT = 2000
_MAX_LIST = 100  # items of a list value looked at

_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "url": ("source", "url", "link", "originalurl", "sourceurl", "canonicalurl", "canonical"),
    "byline": ("author", "authors", "byline", "creator", "creators"),
    "published": (
        "published",
        "datepublished",
        "publishedat",
        "publishdate",
        "publisheddate",
        "pubdate",
        "date",
    ),
    "saved_at": ("created", "datesaved", "saved", "savedat", "clipped", "dateclipped", "added"),
    "excerpt": ("description", "excerpt", "summary"),
    "site_name": ("site", "sitename", "publisher", "website"),
    "lang": ("lang", "language"),
    "tags": ("tags", "labels", "tag"),
}
_WIKI_LINK = re.compile(r"^\[\[([^\]|]*)(?:\|([^\]]*))?\]\]$")
_KEY_NOISE = re.compile(r"[\s_\-.]+")


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter says; None (or empty) for what it does not."""

    title: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    saved_at: str | None = None
    excerpt: str | None = None
    site_name: str | None = None
    lang: str | None = None
    tags: tuple[str, ...] = ()


def read_front_matter(source: str) -> FrontMatter:
    """The front matter's fields; an empty FrontMatter when it is too long, is not YAML,
    or is not a mapping. Never raises."""
    if len(source) > MAX_FRONT_MATTER:
        return FrontMatter()
    try:
        data = load_yaml(source)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return FrontMatter()
    if not isinstance(data, dict):
        return FrontMatter()
    values: dict[str, object] = {}
    for key, value in data.items():
        name = _KEY_NOISE.sub("", str(key)).casefold() if isinstance(key, str | int) else ""
        for field, names in _KEYS.items():
            if name in names and field not in values and value not in (None, "", []):
                values[field] = value
    return FrontMatter(
        title=_line(values.get("title"), _MAX_TITLE),
        url=_url(values.get("url")),
        byline=read_byline(values.get("byline")),
        published=_date(values.get("published")),
        saved_at=_date(values.get("saved_at")),
        excerpt=_line(values.get("excerpt"), _MAX_EXCERPT),
        site_name=_line(_unlink(values.get("site_name")), _MAX_TITLE),
        lang=clean_lang(_line(values.get("lang"), 40)),
        tags=_tags(values.get("tags")),
    )


def _scalars(value: object) -> Iterator[str]:
    """The text of a scalar, or of each scalar in a list (a few levels of nesting at
    most: YAML's aliases can make a list hold itself)."""
    if isinstance(value, bool):
        return
    if isinstance(value, str | int | float | date):
        yield str(value)
    elif isinstance(value, list):
        for item in value[:_MAX_LIST]:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                yield str(item)
            elif isinstance(item, dict):  # Omnivore's labels: [{name: ..., color: ...}]
                name = item.get("name")
                if isinstance(name, str):
                    yield name


def _line(value: object, limit: int) -> str | None:
    text = next(_scalars(value), None)
    line = clean_line(text)[:limit].strip() if text else ""
    return line or None


def _unlink(value: object) -> object:
    """`[[Jane Doe]]` -> `Jane Doe`, `[[People/Jane Doe|Jane]]` -> `Jane` (Obsidian)."""
    if isinstance(value, list):
        return [_unlink(item) for item in value[:_MAX_LIST]]
    if not isinstance(value, str):
        return value
    found = _WIKI_LINK.match(value.strip())
    if found is None:
        return value
    target, alias = found.group(1), found.group(2)
    return alias.strip() if alias and alias.strip() else target.rsplit("/", 1)[-1].strip()


def read_byline(value: object) -> str | None:
    """The names of an author value: a name, a list of names, Obsidian `[[links]]`."""
    names = [clean_line(name) for name in _scalars(_unlink(value))]
    names = [name[:200] for name in names if name]
    return clean_byline(names) if names else None


def _url(value: object) -> str | None:
    text = next(_scalars(value), None)
    if not text or len(text) > 8192 or any(c.isspace() for c in text.strip()):
        return None
    return absolute_url(text.strip(), None, schemes=frozenset({"http", "https"}))


def _date(value: object) -> str | None:
    if isinstance(value, date):  # YAML reads 2024-03-05 as a date (datetime is one too)
        return parse_date(value)
    text = next(_scalars(value), None)
    return parse_date(text) if text else None


def _tags(value: object) -> tuple[str, ...]:
    """Tag names: a list, or one string of names split by commas (or "#a #b")."""
    raw: list[str] = []
    for item in _scalars(_unlink(value)):
        if isinstance(value, str):
            pieces = item.split() if item.lstrip().startswith("#") else item.split(",")
            raw += pieces
        else:
            raw.append(item)
    tags: dict[str, str] = {}
    for name in raw:
        tag = clean_line(name).lstrip("#").strip()
        if tag and len(tag) <= MAX_TAG_LENGTH:
            tags.setdefault(tag.casefold(), tag)
    return tuple(tags.values())[:MAX_TAGS]
