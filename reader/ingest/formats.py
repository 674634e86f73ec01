"""What kind of article a plain file holds: an HTML page, a plain-text or a Markdown
article, or a data file that is not an article at all.

Decided by content first, then by name: people save "article.txt" from a browser's
"Save as Text", clip "Story.md" with Obsidian Web Clipper or MarkDownload, pipe pages
into standard input with no name at all, and rename things. The rules, in order:

1. Data files are refused with a one-line reason, whatever their name: JSON (and JSON
   Lines) and CSV are what other services export, and a ZIP is their usual wrapper
   (refused by its signature in `sources`). The exports reader knows are read by
   `reader.ingest.services` (Pocket, Omnivore, wallabag, Instapaper, Readwise, bookmark
   files): the importer asks its `detect_export` first, and only a file that is no
   export comes here to be told apart as a page.
2. A file named as a saved web page (.html, .mhtml ...) is one, as before.
3. HTML is never taken for text: a file that starts as an HTML document (a doctype,
   an `<html>`, a browser's `<!-- saved from -->` comment) or with any HTML element is
   HTML. Markdown may start with an HTML block (a README's `<p align="center">`), so a
   .md file that starts with an element is Markdown when it has Markdown of its own.
4. .md/.markdown is Markdown, .txt/.text is plain text; any other name (or none)
   is Markdown when it looks like Markdown (front matter, a `#` heading first, or two
   kinds of Markdown syntax), else plain text.

All of it looks at the head of the file (and JSON at the whole of it only when it
starts with `{` or `[`), so telling a page's kind costs next to nothing.
"""

from __future__ import annotations

import csv
import json
import os
import re

from lxml.html.defs import tags as _HTML_TAGS

from reader.ingest.page import IngestError

__all__ = [
    "ARTICLE_TEXT_EXTENSIONS",
    "MARKDOWN_EXTENSIONS",
    "PAGE_EXTENSIONS",
    "TEXT_EXTENSIONS",
    "article_kind",
    "is_html_tag_name",
    "not_an_article",
]

#: Saved web pages: whatever such a file holds, it is read as one (never as text).
PAGE_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml", ".mhtml", ".mht", ".webarchive"})
TEXT_EXTENSIONS = frozenset({".txt", ".text"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown"})
#: Plain-text and Markdown articles: what a folder walk picks up beside saved pages.
ARTICLE_TEXT_EXTENSIONS = TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS

_JSON_EXTENSIONS = frozenset({".json", ".jsonl", ".ndjson"})
_CSV_EXTENSIONS = frozenset({".csv", ".tsv"})

#: How much of the file's text the checks look at.
_HEAD_CHARS = 64 * 1024

# Element names lxml knows, and newer ones it does not list.
_ELEMENTS = frozenset(_HTML_TAGS) | {"main", "picture", "template", "dialog", "search", "slot"}

# A whole HTML document starts so (after a BOM and blank space; an XML declaration or
# comments may come first).
_DOCUMENT_START = re.compile(
    # A comment is matched as text that never holds "-->": `<!--.*?-->` could also span
    # several comments, and the ways to split 40 of them took hours to try.
    r"(?:<\?xml[^>]*>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*)*"
    r"(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT_START = re.compile(r"<!--")
_FIRST_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[\s/>]")
# Markers of a document anywhere near the top: a page with some text before its markup.
_DOCUMENT_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)

# Markdown that plain text does not write by accident.
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?:.*\n){0,200}?(?:---|\.\.\.)[ \t]*(?:\n|$)")
_MARKDOWN_SIGNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # an ATX heading
    re.compile(r"!?\[[^\]\n]{1,500}\]\([^)\s]{1,2000}(?:\s+\"[^\"\n]*\")?\)"),  # a link, an image
    re.compile(r"^(?:```|~~~)", re.MULTILINE),  # a code fence
    re.compile(r"(?<![\w*])\*\*[^\s*][^*\n]{0,200}\*\*(?![\w*])"),  # **strong**
    re.compile(r"^\|.*\|[ \t]*\n\|[ \t]*:?-{3,}", re.MULTILINE),  # a table
)
_HEADING_FIRST = re.compile(r"#{1,6}[ \t]+\S")


def not_an_article(what: str) -> IngestError:
    """The one-line refusal of a data file (`what`: "a JSON file")."""
    return IngestError(
        f"{what}, not an article nor an export reader knows (Pocket, Omnivore, wallabag,"
        " Instapaper, Readwise, bookmarks)"
    )


def is_html_tag_name(name: str) -> bool:
    """Whether `name` names an HTML element (or a custom element, which has a hyphen)."""
    lowered = name.lower()
    return lowered in _ELEMENTS or ("-" in lowered and lowered[0].isalpha())


def article_kind(text: str, filename: str) -> str:
    """ "html", "text" or "markdown" for a plain file's decoded `text` named `filename`.

    Raises IngestError for a data file (JSON, JSON Lines, CSV): one line, no name.
    """
    extension = os.path.splitext(filename)[1].lower()
    head = text[:_HEAD_CHARS].lstrip("\ufeff \t\r\n")
    _refuse_data(head, text, extension)
    if extension in PAGE_EXTENSIONS:
        return "html"
    if _DOCUMENT_START.match(head):
        return "html"
    # Markdown may start with an HTML block, but it then has Markdown of its own.
    if _starts_with_element(head) and (
        extension not in MARKDOWN_EXTENSIONS or not _markdown_signs(head)
    ):
        return "html"
    if extension in MARKDOWN_EXTENSIONS:
        return "markdown"
    if extension in TEXT_EXTENSIONS:
        return "text"
    if _DOCUMENT_MARKERS.search(head):
        return "html"
    return "markdown" if _looks_like_markdown(head) else "text"


def _starts_with_element(head: str) -> bool:
    if _COMMENT_START.match(head):
        return True
    tag = _FIRST_TAG.match(head)
    return tag is not None and is_html_tag_name(tag.group(1))


def _looks_like_markdown(head: str) -> bool:
    """Front matter, a heading on the first line, or two kinds of Markdown syntax."""
    if _FRONT_MATTER.match(head) or _HEADING_FIRST.match(head):
        return True
    return _markdown_signs(head) >= 2


def _markdown_signs(head: str) -> int:
    """How many kinds of Markdown syntax `head` has (headings, links, fences ...)."""
    return sum(1 for sign in _MARKDOWN_SIGNS if sign.search(head))


# --- data files ----------------------------------------------------------------------


def _refuse_data(head: str, text: str, extension: str) -> None:
    if extension in _JSON_EXTENSIONS:
        raise not_an_article("a JSON Lines file" if extension != ".json" else "a JSON file")
    if extension in _CSV_EXTENSIONS:
        raise not_an_article("a CSV file")
    if head[:1] in ("{", "["):
        what = _json_kind(text.strip())
        if what:
            raise not_an_article(what)
    if _looks_like_csv(head):
        raise not_an_article("a CSV file")


def _json_kind(text: str) -> str | None:
    """ "a JSON file", "a JSON Lines file" or None (text that only starts like JSON)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        pass
    else:
        return "a JSON file"
    lines = [line for line in text[:_HEAD_CHARS].split("\n", 3)[:3] if line.strip()]
    if len(lines) < 2:
        return None  # one line that is not JSON: text that starts with a bracket
    try:
        values = [json.loads(line) for line in lines[:2]]
    except (ValueError, RecursionError):
        return None
    return "a JSON Lines file" if all(isinstance(v, dict | list) for v in values) else None


# A CSV file's first rows: each has the same number (3 or more) of fields, the header's
# short. Prose has a blank line or a different count of commas by its third line.
_CSV_ROWS = 3
_CSV_HEADER_FIELD = 60


def _looks_like_csv(head: str) -> bool:
    lines = head.split("\n", _CSV_ROWS + 1)[:_CSV_ROWS]
    if len(lines) < _CSV_ROWS or any(not line.strip() for line in lines):
        return False
    for delimiter in (",", "\t", ";"):
        if delimiter not in lines[0]:
            continue
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        widths = {len(row) for row in rows}
        header = rows[0]
        if (
            len(widths) == 1
            and len(header) >= 3
            and all(0 < len(field.strip()) <= _CSV_HEADER_FIELD for field in header)
        ):
            return True
    return False
