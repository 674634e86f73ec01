"""One article as an EPUB 3 chapter (XHTML), built with lxml so every text is escaped.

Page text is untrusted: nothing from the page becomes markup except through this
writer (elements made here, text set as text, links only to the web or mail).

The markup is a contract with `reader import` of device highlights (issue #23):

- every block with text is one element (p, h2-h6, li, pre, figure, table, or a p
  inside a blockquote) with `id="r<article id>-<offset>"`, `offset` being where the
  block's text starts in `Document.text`;
- a block element's text, read in document order, is exactly the block's text, leaving
  out descendants that carry their own `r` id (a nested list) and note references
  (`a.noteref`); in a table, cells are separated as in reader's text: a tab between
  cells, a newline between rows, neither written in the markup;
- the block structure does not depend on the annotations or on which images the book
  holds (highlights are `<mark>` inside blocks, notes come after all blocks).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

from lxml import etree

from reader.document import Block, Document
from reader.export.epub_inline import (
    EPUB_TYPE,
    OPS,
    XHTML,
    Note,
    Piece,
    append_text,
    child,
    inline,
    safe_href,
    xml_text,
)
from reader.models import Annotation, Article

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STYLE_FILE = "style.css"

_LANG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)")

CSS = """\
body { margin: 0 4%; line-height: 1.4; }
header.article-meta { margin-bottom: 1.5em; }
header.article-meta p { margin: 0.2em 0; font-size: 0.9em; }
pre { white-space: pre-wrap; font-size: 0.85em; }
blockquote { margin: 0.5em 0 0.5em 1.5em; font-style: italic; }
figure { margin: 1em 0; text-align: center; }
figure img { max-width: 100%; }
figcaption { font-size: 0.9em; }
table { border-collapse: collapse; }
td { border: 1px solid #888; padding: 0.2em 0.4em; }
mark { text-decoration: underline; }
mark.highlight-yellow { background-color: #fff3a0; }
mark.highlight-green { background-color: #c8f0c0; }
mark.highlight-blue { background-color: #c0dcf8; }
mark.highlight-pink { background-color: #f8c8e0; }
a.noteref { font-size: 0.75em; vertical-align: super; text-decoration: none; }
section.notes { margin-top: 2em; border-top: 1px solid #888; }
"""


def block_id(article_id: int, offset: int) -> str:
    """The id of the block whose text starts at `offset` in the article's text."""
    return f"r{article_id}-{offset}"


def block_text(element: etree._Element) -> str:
    """A block element's text as the contract counts it (see the module's docstring):
    what a position inside the element counts its characters against."""
    if element.tag == f"{{{XHTML}}}table":
        return "\n".join(
            "\t".join(block_text(cell) for cell in row.iterfind(f"{{{XHTML}}}td"))
            for row in element.iterfind(f"{{{XHTML}}}tr")
        )
    out: list[str] = [element.text or ""]
    for inner in element:
        nested = str(inner.get("id") or "").startswith("r")
        if not nested and inner.get(EPUB_TYPE) != "noteref":
            out.append(block_text(inner))
        out.append(inner.tail or "")
    return "".join(out)


def chapter_file(article_id: int) -> str:
    return f"article-{article_id}.xhtml"


def language_of(article: Article) -> str:
    """The article's language tag when it is one, else `und` (undetermined)."""
    lang = (article.lang or "").strip()
    return lang if _LANG.fullmatch(lang) else "und"


def chapter_xhtml(
    article: Article,
    annotations: Sequence[Annotation] = (),
    images: Mapping[int, str] | None = None,
) -> str:
    """One article's chapter as XHTML: deterministic for the same article, annotations
    and images. `images` maps a figure (its index in the document's blocks) to its
    image's path inside the book; a figure without one shows its caption (or alt
    text) alone."""
    root = _chapter_tree(article, annotations, images or {})
    body = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n{body}\n'


def _chapter_tree(
    article: Article, annotations: Sequence[Annotation], images: Mapping[int, str]
) -> etree._Element:
    lang = language_of(article)
    # XHTML as the default namespace (lxml-stubs type nsmap without a None key).
    html = etree.fromstring(f'<html xmlns="{XHTML}" xmlns:epub="{OPS}"/>')
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    head = child(html, "head")
    child(head, "title", article.title or "Untitled")
    child(head, "link", rel="stylesheet", type="text/css", href=STYLE_FILE)
    body = child(html, "body")
    _header(body, article)

    highlights = sorted(
        (a for a in annotations if not a.is_article_note and not a.orphaned and _placed(a)),
        key=lambda a: (a.start, a.end, a.id),
    )
    noted = [a for a in highlights if a.note.strip()]
    notes = {a.id: Note(a, n) for n, a in enumerate(noted, 1)}
    _blocks(body, article, highlights, notes, images)
    _notes(body, article, annotations, list(notes.values()))
    return html


def _placed(annotation: Annotation) -> bool:
    return (
        annotation.start is not None
        and annotation.end is not None
        and annotation.end > annotation.start
    )


def _header(body: etree._Element, article: Article) -> None:
    header = child(body, "header", class_="article-meta")
    child(header, "h1", article.title or "Untitled")
    for label, value in (
        ("byline", article.byline),
        ("site", article.site_name),
        ("date", _day(article.published)),
    ):
        if value and value.strip():
            child(header, "p", value.strip(), class_=label)
    if article.url:
        line = child(header, "p", class_="url")
        href = safe_href(article.url)
        if href is not None:
            child(line, "a", article.url, href=href)
        else:
            line.text = xml_text(article.url)


def _day(published: str | None) -> str | None:
    """An ISO 8601 date and time as its day (`2024-03-05`); anything else as it is."""
    if published and _ISO_DAY.match(published):
        return published[:10]
    return published


# --- Blocks -------------------------------------------------------------------------


class _BlockWriter:
    """Appends blocks to the body, keeping the open lists and quotes."""

    def __init__(
        self,
        body: etree._Element,
        article_id: int,
        images: Mapping[int, str],
    ) -> None:
        self.body = body
        self.article_id = article_id
        self.images = images
        # Open lists: (depth, ordered, element); the innermost last.
        self.lists: list[tuple[int, bool, etree._Element]] = []
        # Open quotes: one element per depth, the innermost last.
        self.quotes: list[etree._Element] = []

    def add(self, index: int, block: Block, offset: int | None) -> etree._Element | None:
        """The element holding `block`'s text (None for a rule), with its id."""
        if block.kind != "list_item":
            self.lists.clear()
        if block.kind != "quote":
            self.quotes.clear()
        element = self._element(index, block)
        if element is not None and offset is not None:
            element.set("id", block_id(self.article_id, offset))
        return element

    def _element(self, index: int, block: Block) -> etree._Element | None:
        kind = block.kind
        if kind == "rule":
            child(self.body, "hr")
            return None
        if kind == "list_item":
            return self._list_item(block)
        if kind == "quote":
            return child(self._quote(max(1, block.level)), "p")
        if kind == "heading":
            return child(self.body, f"h{min(6, max(1, block.level) + 1)}")
        if kind == "code":
            return child(self.body, "pre")
        if kind == "figure":
            return self._figure(index, block)
        if kind == "table":
            return child(self.body, "table")
        return child(self.body, "p")

    def _list_item(self, block: Block) -> etree._Element:
        depth = max(0, block.level)
        # Close deeper lists, and one of the other kind at this depth.
        while self.lists and (
            self.lists[-1][0] > depth
            or (self.lists[-1][0] == depth and self.lists[-1][1] != block.ordered)
        ):
            self.lists.pop()
        if not self.lists or self.lists[-1][0] < depth:
            # A deeper list goes inside the open list's last item (HTML's nesting).
            parent = self.lists[-1][2][-1] if self.lists else self.body
            element = child(parent, "ol" if block.ordered else "ul")
            if block.ordered and block.number is not None and block.number != 1:
                element.set("start", str(block.number))
            self.lists.append((depth, block.ordered, element))
        return child(self.lists[-1][2], "li")

    def _quote(self, depth: int) -> etree._Element:
        depth = min(depth, 8)
        while len(self.quotes) > depth:
            self.quotes.pop()
        while len(self.quotes) < depth:
            parent = self.quotes[-1] if self.quotes else self.body
            self.quotes.append(child(parent, "blockquote"))
        return self.quotes[-1]

    def _figure(self, index: int, block: Block) -> etree._Element:
        figure = child(self.body, "figure")
        path = self.images.get(index)
        if path is not None:
            child(figure, "img", src=path, alt=block.alt or block.text)
        return figure


def _blocks(
    body: etree._Element,
    article: Article,
    highlights: Sequence[Annotation],
    notes: Mapping[int, Note],
    images: Mapping[int, str],
) -> None:
    document: Document = article.document
    writer = _BlockWriter(body, article.id, images)
    ordered = list(document.spans())
    spans = {span.index: span for span in ordered}
    # Where the next block's text starts: a highlight ending before it (on the blank
    # line between) has its last piece, and its note reference, in this block.
    next_start = {span.index: later.start for span, later in pairwise(ordered)}
    # Highlights by start; those reaching into the current block are `active` (a walk
    # over both in order, not every highlight for every block).
    waiting = [(a.start or 0, a.end or 0, a) for a in highlights]
    active: list[tuple[int, int, Annotation]] = []
    position = 0
    for index, block in enumerate(document.blocks):
        span = spans.get(index)
        ranges: list[Piece] = []
        if span is not None:
            while position < len(waiting) and waiting[position][0] < span.end:
                active.append(waiting[position])
                position += 1
            active = [entry for entry in active if entry[1] > span.start]
            for h_start, h_end, annotation in active:
                start, end = max(h_start, span.start), min(h_end, span.end)
                if start < end:
                    last = h_end <= next_start.get(span.index, h_end)
                    ranges.append(Piece(start - span.start, end - span.start, annotation, last))
        element = writer.add(index, block, span.start if span else None)
        if span is None or element is None:
            continue
        if block.kind == "figure":
            caption = child(element, "figcaption")
            inline(caption, block, ranges, notes)
        elif block.kind == "table":
            _table(element, block, ranges, notes)
        elif block.kind == "code":
            code = child(element, "code")
            inline(code, block, ranges, notes, plain=True)
        else:
            inline(element, block, ranges, notes)


# A table cell: its element, its text, the highlights' pieces in it.
_Cell = tuple[etree._Element, str, list[Piece]]


def _table(
    table: etree._Element, block: Block, ranges: Sequence[Piece], notes: Mapping[int, Note]
) -> None:
    """Rows of cells; the cells' offsets follow the text (tab and newline between)."""
    cells: list[_Cell] = []
    offset = 0
    for line in block.text.split("\n"):
        row = child(table, "tr")
        for cell_text in line.split("\t"):
            end = offset + len(cell_text)
            pieces = [
                Piece(max(r.start, offset) - offset, min(r.end, end) - offset, r.annotation, False)
                for r in ranges
                if max(r.start, offset) < min(r.end, end)
            ]
            cells.append((child(row, "td"), cell_text, pieces))
            offset = end + 1
    _mark_last(cells, ranges)
    for cell, cell_text, pieces in cells:
        inline(cell, Block("paragraph", cell_text), pieces, notes)


def _mark_last(
    cells: list[tuple[etree._Element, str, list[Piece]]], ranges: Sequence[Piece]
) -> None:
    """A highlight's note reference follows its last piece: in the last cell it reaches
    (it may end on the tab or newline after a cell)."""
    ending = {r.annotation.id for r in ranges if r.last}
    for _, _, pieces in reversed(cells):
        for n, piece in enumerate(pieces):
            if piece.annotation.id in ending:
                pieces[n] = Piece(piece.start, piece.end, piece.annotation, True)
                ending.discard(piece.annotation.id)


# --- Notes --------------------------------------------------------------------------


def _notes(
    body: etree._Element,
    article: Article,
    annotations: Sequence[Annotation],
    notes: Sequence[Note],
) -> None:
    """End notes: each highlight's note (a footnote linked both ways), then the
    article's own notes and highlights no longer found in the text, with their quotes."""
    article_notes = [a for a in annotations if a.is_article_note and a.note.strip()]
    unplaced = [a for a in annotations if not a.is_article_note and (a.orphaned or not _placed(a))]
    if not (notes or article_notes or unplaced):
        return
    section = child(body, "section", class_="notes")
    section.set(EPUB_TYPE, "endnotes")
    child(section, "h2", "Notes")
    for note in notes:
        aside = child(section, "aside", class_="footnote")
        aside.set("id", note.note_id)
        aside.set(EPUB_TYPE, "footnote")
        first = True
        for paragraph in _paragraphs(note.annotation.note):
            p = child(aside, "p")
            if first:
                back = child(p, "a", f"{note.number}.", href=f"#{note.ref_id}")
                back.tail = " "
                first = False
            append_text(p, paragraph)
    for annotation in article_notes:
        for paragraph in _paragraphs(annotation.note):
            child(section, "p", paragraph, class_="article-note")
    for annotation in unplaced:
        quote = child(section, "blockquote", class_="unplaced")
        child(quote, "p", annotation.exact)
        for paragraph in _paragraphs(annotation.note):
            child(section, "p", paragraph, class_="unplaced-note")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
