"""A plain-text article -> Document and metadata (named `plaintext`, not `text`:
`reader.textrules` already holds the text rules every layer shares).

What "Save as Text", a pasted article or a newsletter turned into text look like: a
title line, maybe a date line and a byline under it, maybe a photo's caption with its
credit, paragraphs split by blank lines (hard-wrapped or not), the site's promos on
lines of their own, stray inline HTML, and an "Original url:" footer. The reader:

- takes the first line as the title (not repeated in the body), unless the first
  paragraph is prose (then the title is its start, cut at a word, as for a page);
- reads the lines under it for the date, the byline (`textlines.header_facts`) and a
  source URL;
- keeps a caption that ends with a photo credit ("... Name / Agency / TASS") right
  after those lines as a figure caption block;
- joins each paragraph's lines, mending a word hyphenated across a wrap (see
  `join_lines` for the conservative rule), and drops promo lines (`is_promo`);
- reads the "Original url:" / "Source:" / "URL:" footer as the article's URL and takes
  it out of the body, mending a URL cut by a wrap or a stray space;
- turns inline HTML into marks (`InlineText.add_html`): never shown as tags.

Lines that are all bullets become list items, lines that all start with ">" a quote,
and a line of three or more `*`, `-` or `_` a rule. Nothing here raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from reader.document import Block, Document
from reader.ingest.decode import decode_html
from reader.ingest.inline import InlineText, strip_tags
from reader.ingest.metadata.language import guess_language
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.textlines import (
    header_facts,
    is_promo,
    mend_url,
    parse_date,
    site_from_url,
    source_label,
)
from reader.textrules import blank_line_runs, clean_line, strip_controls

__all__ = ["excerpt_of", "join_lines", "normalize_text", "read_text_article", "title_from"]

#: A first line longer than this is prose, not a title.
MAX_TITLE_LINE = 300
#: How many lines under the title may hold the date, the byline and a URL.
_HEADER_LINES = 8
#: How many paragraphs at the end may hold the "Original url:" footer.
_FOOTER_BLOCKS = 4
_MAX_CAPTION = 600

_SENTENCE_END = re.compile(r"[.!?)\]]\s+")
_RULE = re.compile(r"^\s*([-*_=~•·])(?:\s*\1){2,}\s*$")
_BULLET = re.compile(r"^\s*(?:([-*+•◦▪])|(\d{1,9})[.)])\s+(?=\S)")
_QUOTE = re.compile(r"^\s*>\s?")
_SETEXT = re.compile(r"^\s*(?:={3,}|-{3,})\s*$")

# A photo credit at a caption's end, after its last sentence: "Name / Agency / TASS",
# or "Photo: Name/Reuters", "(Photo by Name)", "© Name".
_CREDIT_WORD = re.compile(
    r"^\(?\s*(?:photo(?:graph)?s?|image|picture|illustration|credit|foto|video)"
    r"(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:©]?\s+\S|^\(?\s*(?:©|\(c\))\s*\S",
    re.IGNORECASE,
)
_CREDIT_PART = re.compile(r"^[A-Z0-9][\w.'’&-]*(?:\s+[\w.'’&-]+){0,6}$")


def normalize_text(text: str) -> str:
    """Text as the readers take it: controls stripped, line ends and separators `\\n`."""
    text = strip_controls(text.removeprefix("\ufeff"))
    return text.replace("\u2028", "\n").replace("\u2029", "\n\n")


def read_text_article(raw: RawPage) -> ExtractedPage:
    """The article in a plain-text file. Raises IngestError when it holds no text."""
    lines = [line.rstrip() for line in normalize_text(decode_html(raw)).split("\n")]
    paragraphs = blank_line_runs(lines)
    if not paragraphs:
        raise IngestError("no article text in the file")
    url = _take_footer_url(paragraphs)
    head = _Head.read(paragraphs)
    url = url or head.url
    blocks: list[Block] = []
    if head.caption is not None:
        caption = strip_tags(head.caption)
        if caption:
            blocks.append(Block("figure", caption))
    words = _Words(lines)
    for paragraph in paragraphs[head.body_start :]:
        blocks += _blocks_of(paragraph, url, words)
    if not blocks and head.title:  # a file that is one line: the line is the article
        blocks.append(Block("paragraph", head.title))
    document = Document(tuple(blocks))
    title = head.title or title_from(document)
    return ExtractedPage(
        document=document,
        title=title,
        byline=head.byline,
        site_name=site_from_url(url),
        url=url,
        published=head.published,
        lang=guess_language(document.text),
        excerpt=excerpt_of(document),
        extractor="text",
    )


# --- the head: title, date, byline, caption ------------------------------------------


@dataclass
class _Head:
    title: str = ""
    published: str | None = None
    byline: str | None = None
    url: str | None = None
    caption: str | None = None
    body_start: int = 0  # the first paragraph of the body
    _updated: bool = False  # `published` is an "Updated:" date (a "Published" one wins)

    @classmethod
    def read(cls, paragraphs: list[list[str]]) -> _Head:
        """The title line, the fact lines around it, and a photo caption after them."""
        head = cls()
        index = 0
        # A date line may come first ("January 10, 2022", then the title).
        if len(paragraphs) > 1 and len(paragraphs[0]) == 1:
            head.published = parse_date(paragraphs[0][0])
            index = 1 if head.published else 0
        first = paragraphs[index]
        if len(first[0]) > MAX_TITLE_LINE or (len(first) > 1 and not head._facts(first[1:])):
            head.body_start = index
            return head  # prose from the first line: no title line
        head.title = strip_tags(first[0])
        index += 1
        used = len(first) - 1
        while index < len(paragraphs) and used < _HEADER_LINES:
            if not head._facts(paragraphs[index]):
                break
            used += len(paragraphs[index])
            index += 1
        if index < len(paragraphs) - 1 and _is_caption(paragraphs[index]):
            head.caption = " ".join(line.strip() for line in paragraphs[index])
            index += 1
        head.body_start = index
        return head

    def _facts(self, lines: list[str]) -> bool:
        """Take every line of `lines` as a fact line (a date, a byline, a URL, a title's
        underline), or none of them."""
        facts: list[tuple[str | None, str | None, bool]] = []
        url = None
        position = 0
        while position < len(lines):
            line = lines[position]
            position += 1
            if position == 1 and _SETEXT.match(line):
                continue
            label = source_label(line)
            if label is not None:
                following = lines[position:]
                url = mend_url(" ".join([label, *following]), whole=not label)
                if url is None:
                    return False
                position += _lines_of_url(label, following, url)
                continue
            found = header_facts(line)
            if found is None:
                return False
            facts.append(found)
        self.url = self.url or url
        for published, byline, updated in facts:
            if published and (self.published is None or (self._updated and not updated)):
                self.published, self._updated = published, updated
            self.byline = self.byline or byline
        return True


def _last_sentence(text: str) -> str:
    cut = 0
    for boundary in _SENTENCE_END.finditer(text):
        cut = boundary.end()
    return text[cut:].strip()


def _is_caption(lines: list[str]) -> bool:
    """A paragraph that ends with a photo credit (or is one)."""
    text = " ".join(line.strip() for line in lines)
    if len(text) > _MAX_CAPTION:
        return False
    tail = _last_sentence(text)
    if _CREDIT_WORD.match(tail):
        return len(tail.split()) <= 15
    parts = [part.strip() for part in tail.split("/")]
    return (
        len(parts) >= 2
        and len(tail.split()) <= 16
        and all(_CREDIT_PART.match(part) for part in parts)
    )


# --- the footer: the article's URL ---------------------------------------------------


def _take_footer_url(paragraphs: list[list[str]]) -> str | None:
    """The URL an "Original url:" footer near the end gives, taken out of `paragraphs`
    (in place) with its label. The URL is on the label's line, on the lines after it,
    or in the next paragraph."""
    first = max(1, len(paragraphs) - _FOOTER_BLOCKS)
    for index in range(len(paragraphs) - 1, first - 1, -1):
        lines = paragraphs[index]
        for position, line in enumerate(lines):
            label = source_label(line)
            if label is None:
                continue
            following = lines[position + 1 :]
            if label or following:
                url = mend_url(" ".join([label, *following]), whole=not label)
                if url is None:
                    continue
                end = position + 1 + _lines_of_url(label, following, url)
            elif index + 1 < len(paragraphs):
                url = mend_url(" ".join(paragraphs[index + 1]), whole=True)
                if url is None:
                    continue
                del paragraphs[index + 1]
                end = position + 1
            else:
                continue
            kept = lines[:position] + lines[end:]
            if kept:
                paragraphs[index] = kept
            else:
                del paragraphs[index]
            return url
    return None


def _lines_of_url(first: str, following: list[str], url: str) -> int:
    """How many of the `following` lines the URL that starts in `first` went on to."""
    length = len("".join(first.split()))
    count = 0
    for line in following:
        if length >= len(url):
            break
        length += len("".join(line.split()))
        count += 1
    return count


# --- the body ------------------------------------------------------------------------


class _Words:
    """The document's words, made once when a hyphen at a line's end needs them."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = {w.casefold() for line in self._lines for w in _WORD.findall(line)}
        return isinstance(word, str) and word.casefold() in self._words


def _blocks_of(lines: list[str], url: str | None, words: _Words) -> list[Block]:
    if len(lines) == 1 and _RULE.match(lines[0]):
        return [Block("rule")]
    items = _list_items(lines)
    if items is not None:
        blocks = []
        for number, item in items:
            block = _inline_block("list_item", item, url, words)
            if block is not None:
                blocks.append(
                    Block("list_item", block.text, block.marks, ordered=True, number=number)
                    if number is not None
                    else block
                )
        return blocks
    if all(_QUOTE.match(line) for line in lines):
        quoted = [_QUOTE.sub("", line, count=1) for line in lines]
        block = _inline_block("quote", quoted, url, words, level=1)
        return [block] if block is not None else []
    paragraph = _inline_block("paragraph", lines, url, words)
    if paragraph is None or is_promo(paragraph.text):
        return []
    return [paragraph]


def _list_items(lines: list[str]) -> list[tuple[int | None, list[str]]] | None:
    """The items of a paragraph that is a list: every line a bullet ("- ", "* ", "• ",
    "1. ") or the indented rest of the item above. None for any other paragraph."""
    items: list[tuple[int | None, list[str]]] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet is not None:
            number = bullet.group(2)
            items.append((int(number) if number else None, [line[bullet.end() :]]))
        elif items and line[:1].isspace():
            items[-1][1].append(line)
        else:
            return None
    return items


def _inline_block(
    kind: str, lines: list[str], url: str | None, words: _Words, *, level: int = 0
) -> Block | None:
    inline = InlineText(url)
    inline.add_html(join_lines(lines, words))
    text, marks, _ = inline.finish()
    if not text:
        return None
    return Block(kind, text, marks, level=level)


# Endings that are not words on their own: a line that starts with one after a
# hyphen is the rest of a hyphenated word ("informa-" / "tion").
_SUFFIXES = frozenset(
    {
        *("tion", "tions", "sion", "sions", "ment", "ments", "ness", "nesses", "ity", "ities"),
        *("ing", "ings", "ed", "ly", "ous", "ance", "ances", "ence", "ences", "ism", "isms"),
        *("ist", "ists", "ize", "izes", "ized", "ise", "ised", "ical", "ically", "ative"),
        *("atives", "ably", "ible", "ibly"),
    }
)
_WRAPPED_HYPHEN = re.compile(r"(\w)[-\u00ad]$")
_NEXT_WORD = re.compile(r"^[a-z]\w*")
_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"(\w+)[-\u00ad]$")


def join_lines(lines: list[str], words: Container[str] = ()) -> str:
    """A paragraph's lines joined with spaces, a word hyphenated across a wrap mended.

    A hyphen at a line's end before a lower-case letter joins the lines without a
    space. The rule for dropping it is conservative, since without a word list "well-"
    / "known" cannot be told from "gov-" / "ernment": it goes when it is a soft hyphen,
    when the line after starts with a bare suffix ("-tion", "-ment", "-ing":
    `_SUFFIXES`), or when the joined word occurs elsewhere in the text (`words`);
    any other stays ("well-known", "so-called").
    """
    out: list[str] = []
    for line in lines:
        piece = line.strip()
        if not out:
            out.append(piece)
            continue
        previous = out[-1]
        after = _NEXT_WORD.match(piece)
        if after is None or _WRAPPED_HYPHEN.search(previous) is None:
            out.append(" " + piece)
            continue
        before = _LAST_WORD.search(previous)
        if before is not None and before.group(1)[-1].isalpha():
            joined = before.group(1) + after.group(0)
            if previous.endswith("\u00ad") or after.group(0) in _SUFFIXES or joined in words:
                out[-1] = previous[:-1]
        out.append(piece)
    return "".join(out).replace("\u00ad", "")


# --- what a page without metadata gets -----------------------------------------------


def title_from(document: Document) -> str:
    """A title from the text itself: its first line, cut at a word after 120 characters."""
    first = clean_line(next((b.text for b in document.blocks if b.text), ""))
    if len(first) > 120:
        first = first[:120].rsplit(" ", 1)[0] + "…"
    return first


def excerpt_of(document: Document) -> str | None:
    """The first paragraph, cut at a word after 300 characters (and saying so)."""
    first = " ".join(next((b.text for b in document.blocks if b.kind == "paragraph"), "").split())
    if len(first) > 300:
        first = first[:300].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first or None
