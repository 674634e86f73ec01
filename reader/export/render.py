"""Annotations as Markdown: pure functions from articles and annotations to text.

Everything here treats titles, quotes and notes as untrusted text: it reaches the
output escaped (Markdown), quoted (YAML) or not at all (links with other schemes than
http, https, ftp or mailto). The output holds no raw HTML and no `javascript:` links, so a
notes app shows it as the words the page and the user wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from reader.document.markdown import escape_markdown
from reader.models import Annotation, ArticleSummary, is_waiting
from reader.textrules import blank_line_runs
from reader.urls import url_host
from reader.yamlio import dump_yaml

UNTITLED = "Untitled"
# A missing page's highlights (an export's quotes, not placed yet) and the page itself.
WAITING_LINE = "Waiting for its page, which is not in the archive yet"
MISSING_LINE = "not in the archive yet"
SAFE_URL_SCHEMES = ("http", "https", "ftp", "mailto")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# Text that would read as one of reader's block ids (`^hl-12`): escaped, so a note that
# quotes one can never claim a block (see reader.export.blocks).
_BLOCK_ID_LIKE = re.compile(r"\^(?=(?:hl|note)-\d)")


# --- Escaping ---------------------------------------------------------------------


def escape_text(text: str) -> str:
    """`escape_markdown`, plus every `#`: notes apps (Obsidian, Logseq) read `#word` as a tag."""
    escaped = "\\#".join(escape_markdown(part) for part in text.split("#"))
    return _BLOCK_ID_LIKE.sub(r"\\^", escaped)


def paragraphs(text: str) -> list[list[str]]:
    """`text` as paragraphs of lines, each line stripped, empty ones dropped.

    Markdown drops a line's leading and trailing spaces anyway, but four leading
    spaces after a blank line would make a code block, and two trailing ones a hard
    break: stripping keeps the meaning the words had.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return blank_line_runs(line.strip() for line in lines)


def markdown_paragraphs(text: str) -> str:
    """Plain text as escaped Markdown paragraphs (lines kept, blank lines between)."""
    return "\n\n".join("\n".join(escape_text(line) for line in para) for para in paragraphs(text))


def blockquote(text: str) -> str:
    """Plain text as one Markdown block quote: every line `> `, blank lines `>`."""
    paras = paragraphs(text)
    if not paras:
        return ">"
    return "\n>\n".join("\n".join("> " + escape_text(line) for line in para) for para in paras)


def inline_text(text: str) -> str:
    """Text for one line (a heading, a list item): newlines become spaces, then escaped."""
    return escape_text(" ".join(text.split()))


def safe_url(url: str | None) -> str | None:
    """The URL when it is a web or mail address without spaces; None for anything else."""
    if not url:
        return None
    match = _URL_SCHEME.match(url)
    if not match or match.group(1).lower() not in SAFE_URL_SCHEMES:
        return None
    if any(c.isspace() or c in "<>" or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    return url


def autolink(url: str | None) -> str | None:
    """A CommonMark autolink `<url>` for a safe URL (its text is taken literally), else None."""
    safe = safe_url(url)
    return f"<{safe}>" if safe else None


def yaml_value(value: Any) -> str:
    """One YAML flow value that reads back as `value`, whatever characters it holds."""
    return (
        dump_yaml(value, allow_unicode=True, default_flow_style=True, width=2**31 - 1)
        .removesuffix("\n...\n")
        .rstrip("\n")
    )


# --- The fields an export renders (and a template receives) -----------------------


def _date_or_text(value: str | None) -> str | dt.date | None:
    """An ISO day becomes a YAML date (notes apps show it as one); other text stays text."""
    if value and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value or None


def highlight_fields(annotation: Annotation, *, missing: bool = False) -> dict[str, Any]:
    """A highlight's fields; `missing`: its article's page is not imported yet, so an
    unplaced highlight is `waiting` for it (not `orphaned` by a change of the text)."""
    return {
        "id": annotation.id,
        "block_id": f"hl-{annotation.id}",
        "quote": annotation.exact,
        "quote_md": blockquote(annotation.exact),
        "note": annotation.note,
        "note_md": markdown_paragraphs(annotation.note),
        "color": annotation.color,
        # The highlight's own tags (#22), tag words (reader.hashtags): `#` + each is a tag.
        "tags": list(annotation.tags),
        "orphaned": annotation.orphaned,
        "waiting": is_waiting(annotation, missing=missing),
        "start": annotation.start,
        "end": annotation.end,
        "created": annotation.created_at,
        "updated": annotation.updated_at,
        # The pictures shown with it (`--pictures`: reader.export.pictures), else none.
        "pictures": [],
    }


def note_fields(annotation: Annotation) -> dict[str, Any]:
    return {
        "id": annotation.id,
        "block_id": f"note-{annotation.id}",
        "note": annotation.note,
        "note_md": markdown_paragraphs(annotation.note),
        "created": annotation.created_at,
        "updated": annotation.updated_at,
    }


def split_annotations(
    annotations: Iterable[Annotation],
) -> tuple[list[Annotation], list[Annotation]]:
    """Highlights in reading order (ties by id), then article notes in creation order."""
    highlights: list[Annotation] = []
    notes: list[Annotation] = []
    for annotation in annotations:
        (notes if annotation.is_article_note else highlights).append(annotation)
    highlights.sort(key=lambda a: (a.start or 0, a.end or 0, a.id))
    notes.sort(key=lambda a: (a.created_at, a.id))
    return highlights, notes


def article_fields(
    article: ArticleSummary, annotations: Iterable[Annotation], tags: Sequence[str] | None = None
) -> dict[str, Any]:
    """Everything an exported article shows, as plain data: the template context.

    Raw text fields (`title`, `quote`, `note`, ...) are untrusted page or user text;
    the `*_md` fields hold the same text escaped for Markdown.
    """
    highlights, notes = split_annotations(annotations)
    title = " ".join(article.title.split()) or UNTITLED
    tag_list = list(tags if tags is not None else article.tags)
    fields: dict[str, Any] = {
        "id": article.id,
        "title": title,
        "title_md": inline_text(title),
        "author": article.byline or None,
        "url": safe_url(article.url),
        # A page that names no site still has one: its URL's host.
        "site": article.site_name or url_host(article.url),
        "published": article.published or None,
        "saved": article.added_at or None,
        "lang": article.lang or None,
        "tags": tag_list,
        "word_count": article.word_count,
        "starred": article.starred,
        "read": article.is_read,
        "archived": article.is_archived,
        "progress": article.progress,
        # Known from an export, its page not imported yet: its highlights wait for it.
        "missing": article.missing,
        "highlights": [highlight_fields(a, missing=article.missing) for a in highlights],
        "notes": [note_fields(a) for a in notes],
        "pictures": [],  # the article's kept pictures (`--pictures`), else none
    }
    fields["front_matter"] = front_matter(fields)
    return fields


def front_matter(fields: dict[str, Any], *, ids: bool = False) -> str:
    """The YAML front matter block, `---` fences and final newline included.

    `ids` adds what a folder export needs to find a file again: `reader_id` (the
    article's id, so a renamed file is still its article's) and `aliases` (Obsidian
    links the title to the renamed file).
    """
    data: dict[str, Any] = {"title": fields["title"]}
    if ids:
        data["aliases"] = [fields["title"]]
    for key in ("author", "url", "site"):
        if fields.get(key):
            data[key] = fields[key]
    if fields.get("published"):
        data["published"] = _date_or_text(fields["published"])
    if fields.get("saved"):
        data["saved"] = fields["saved"]
    if fields.get("missing"):
        data["missing"] = True
    data["tags"] = list(fields.get("tags", []))
    data["highlights"] = len(fields.get("highlights", []))
    if fields.get("notes"):
        data["notes"] = len(fields["notes"])
    if ids:
        data["reader_id"] = fields["id"]
    body = dump_yaml(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=2**31 - 1
    )
    return f"---\n{body}---\n"


# --- The built-in Markdown layout -------------------------------------------------


def highlight_meta(highlight: dict[str, Any]) -> str:
    """The line under a quote: its colour, and whether it waits for its page or is lost."""
    meta = f"Color: {inline_text(str(highlight['color']))}"
    if highlight.get("waiting"):
        meta += ". " + WAITING_LINE
    elif highlight["orphaned"]:
        meta += ". Not found in the current text of the article"
    return meta


def render_highlight(highlight: dict[str, Any]) -> str:
    """A block quote, then a line with its colour, its pictures (`--pictures`), then its
    note and its tags as `#tag`s (if any): tag words, written as they are so a notes app
    reads them as tags."""
    parts = [highlight["quote_md"], f"*{highlight_meta(highlight)}*"]
    parts.extend(picture["md"] for picture in highlight.get("pictures", ()))
    if highlight["note_md"]:
        parts.append("**Note:** " + highlight["note_md"])
    if highlight.get("tags"):
        parts.append(" ".join("#" + tag for tag in highlight["tags"]))
    return "\n\n".join(parts)


def render_body(fields: dict[str, Any], *, heading_level: int = 1, metadata: bool = False) -> str:
    """The heading, a source line (or a metadata list), highlights and notes."""
    parts = ["#" * heading_level + " " + fields["title_md"]]
    if metadata:
        items = [
            (label, fields.get(key))
            for label, key in (("Author", "author"), ("Site", "site"), ("Published", "published"))
        ]
        lines = [f"- {label}: {inline_text(str(value))}" for label, value in items if value]
        link = autolink(fields.get("url"))
        if link:
            lines.append(f"- URL: {link}")
        if fields.get("tags"):
            lines.append("- Tags: " + ", ".join(inline_text(t) for t in fields["tags"]))
        if fields.get("missing"):
            lines.append(f"- Page: {MISSING_LINE}")
        if lines:
            parts.append("\n".join(lines))
    else:
        link = autolink(fields.get("url"))
        if link:
            parts.append(f"Source: {link}")
    parts.extend(annotation_sections(fields, heading_level=heading_level + 1))
    return "\n\n".join(parts) + "\n"


def annotation_sections(fields: dict[str, Any], *, heading_level: int = 2) -> list[str]:
    """The Highlights and Notes sections (headed at `heading_level`), as Markdown blocks."""
    sub = "#" * heading_level
    parts: list[str] = []
    if fields["highlights"]:
        parts.append(f"{sub} Highlights")
        parts.extend(render_highlight(h) for h in fields["highlights"])
    if fields["notes"]:
        parts.append(f"{sub} Notes")
        parts.append(
            "\n\n---\n\n".join(n["note_md"] or "\\(empty note\\)" for n in fields["notes"])
        )
    return parts


def render_article_markdown(
    article: ArticleSummary,
    annotations: Iterable[Annotation],
    tags: Sequence[str] | None = None,
) -> str:
    """One article's annotations as a Markdown file with YAML front matter."""
    fields = article_fields(article, annotations, tags)
    return render_fields(fields)


def render_fields(fields: dict[str, Any]) -> str:
    front_matter: str = fields["front_matter"]
    return front_matter + "\n" + render_body(fields)


def render_collection(articles: Sequence[dict[str, Any]]) -> str:
    """Several articles in one Markdown file: one front matter, a section per article.

    Nothing in it depends on the time of the export, so exporting again unchanged
    annotations gives the same bytes.
    """
    data = {
        "title": "Highlights from reader",
        "articles": len(articles),
        "highlights": sum(len(a["highlights"]) for a in articles),
        "notes": sum(len(a["notes"]) for a in articles),
    }
    head = dump_yaml(data, allow_unicode=True, sort_keys=False, width=2**31 - 1)
    sections = [render_body(fields, metadata=True) for fields in articles]
    return f"---\n{head}---\n\n" + "\n".join(sections)
