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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

from reader.document import Block, Document
from reader.models import COLORS, Annotation, Article

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STYLE_FILE = "style.css"

# What XML 1.0 cannot hold; replaced one for one so offsets inside a block do not move.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_LINK_SCHEMES = ("http://", "https://", "mailto:")
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


def xml_text(text: str) -> str:
    """`text` as XML can hold it: each character XML refuses becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


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
    for child in element:
        nested = str(child.get("id") or "").startswith("r")
        if not nested and child.get(EPUB_TYPE) != "noteref":
            out.append(block_text(child))
        out.append(child.tail or "")
    return "".join(out)


def chapter_file(article_id: int) -> str:
    return f"article-{article_id}.xhtml"


def language_of(article: Article) -> str:
    """The article's language tag when it is one, else `und` (undetermined)."""
    lang = (article.lang or "").strip()
    return lang if _LANG.fullmatch(lang) else "und"


def safe_href(href: str | None) -> str | None:
    """A link the book may carry: absolute web or mail URLs only (never javascript:,
    data:, or a relative path that would point inside the book)."""
    if not href:
        return None
    href = xml_text(href.strip())
    if not href.lower().startswith(_LINK_SCHEMES) or len(href) > 8192:
        return None
    return href.replace(" ", "%20")


@dataclass(frozen=True)
class _Note:
    annotation: Annotation
    number: int

    @property
    def note_id(self) -> str:
        return f"note-{self.annotation.id}"

    @property
    def ref_id(self) -> str:
        return f"noteref-{self.annotation.id}"


@dataclass(frozen=True)
class _Range:
    """A highlight over `block.text[start:end]`."""

    start: int
    end: int
    annotation: Annotation
    last: bool  # the highlight ends in this block: its note reference follows it


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
    head = _sub(html, "head")
    _sub(head, "title", article.title or "Untitled")
    _sub(head, "link", rel="stylesheet", type="text/css", href=STYLE_FILE)
    body = _sub(html, "body")
    _header(body, article)

    highlights = sorted(
        (a for a in annotations if not a.is_article_note and not a.orphaned and _placed(a)),
        key=lambda a: (a.start, a.end, a.id),
    )
    noted = [a for a in highlights if a.note.strip()]
    notes = {a.id: _Note(a, n) for n, a in enumerate(noted, 1)}
    _blocks(body, article, highlights, notes, images)
    _notes(body, article, annotations, list(notes.values()))
    return html


def _placed(annotation: Annotation) -> bool:
    return (
        annotation.start is not None
        and annotation.end is not None
        and annotation.end > annotation.start
    )


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for name, value in attrs.items():
        element.set(name.rstrip("_"), xml_text(value))
    if text is not None:
        element.text = xml_text(text)
    return element


def _header(body: etree._Element, article: Article) -> None:
    header = _sub(body, "header", class_="article-meta")
    _sub(header, "h1", article.title or "Untitled")
    for label, value in (
        ("byline", article.byline),
        ("site", article.site_name),
        ("date", _day(article.published)),
    ):
        if value and value.strip():
            _sub(header, "p", value.strip(), class_=label)
    if article.url:
        line = _sub(header, "p", class_="url")
        href = safe_href(article.url)
        if href is not None:
            _sub(line, "a", article.url, href=href)
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
            _sub(self.body, "hr")
            return None
        if kind == "list_item":
            return self._list_item(block)
        if kind == "quote":
            return _sub(self._quote(max(1, block.level)), "p")
        if kind == "heading":
            return _sub(self.body, f"h{min(6, max(1, block.level) + 1)}")
        if kind == "code":
            return _sub(self.body, "pre")
        if kind == "figure":
            return self._figure(index, block)
        if kind == "table":
            return _sub(self.body, "table")
        return _sub(self.body, "p")

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
            element = _sub(parent, "ol" if block.ordered else "ul")
            if block.ordered and block.number is not None and block.number != 1:
                element.set("start", str(block.number))
            self.lists.append((depth, block.ordered, element))
        return _sub(self.lists[-1][2], "li")

    def _quote(self, depth: int) -> etree._Element:
        depth = min(depth, 8)
        while len(self.quotes) > depth:
            self.quotes.pop()
        while len(self.quotes) < depth:
            parent = self.quotes[-1] if self.quotes else self.body
            self.quotes.append(_sub(parent, "blockquote"))
        return self.quotes[-1]

    def _figure(self, index: int, block: Block) -> etree._Element:
        figure = _sub(self.body, "figure")
        path = self.images.get(index)
        if path is not None:
            _sub(figure, "img", src=path, alt=block.alt or block.text)
        return figure


def _blocks(
    body: etree._Element,
    article: Article,
    highlights: Sequence[Annotation],
    notes: Mapping[int, _Note],
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
        ranges: list[_Range] = []
        if span is not None:
            while position < len(waiting) and waiting[position][0] < span.end:
                active.append(waiting[position])
                position += 1
            active = [entry for entry in active if entry[1] > span.start]
            for h_start, h_end, annotation in active:
                start, end = max(h_start, span.start), min(h_end, span.end)
                if start < end:
                    last = h_end <= next_start.get(span.index, h_end)
                    ranges.append(_Range(start - span.start, end - span.start, annotation, last))
        element = writer.add(index, block, span.start if span else None)
        if span is None or element is None:
            continue
        if block.kind == "figure":
            caption = _sub(element, "figcaption")
            _inline(caption, block, ranges, notes)
        elif block.kind == "table":
            _table(element, block, ranges, notes)
        elif block.kind == "code":
            code = _sub(element, "code")
            _inline(code, block, ranges, notes, plain=True)
        else:
            _inline(element, block, ranges, notes)


# A table cell: its element, its text, the highlights' pieces in it.
_Cell = tuple[etree._Element, str, list[_Range]]


def _table(
    table: etree._Element, block: Block, ranges: Sequence[_Range], notes: Mapping[int, _Note]
) -> None:
    """Rows of cells; the cells' offsets follow the text (tab and newline between)."""
    cells: list[_Cell] = []
    offset = 0
    for line in block.text.split("\n"):
        row = _sub(table, "tr")
        for cell_text in line.split("\t"):
            end = offset + len(cell_text)
            pieces = [
                _Range(max(r.start, offset) - offset, min(r.end, end) - offset, r.annotation, False)
                for r in ranges
                if max(r.start, offset) < min(r.end, end)
            ]
            cells.append((_sub(row, "td"), cell_text, pieces))
            offset = end + 1
    _mark_last(cells, ranges)
    for cell, cell_text, pieces in cells:
        _inline(cell, Block("paragraph", cell_text), pieces, notes)


def _mark_last(
    cells: list[tuple[etree._Element, str, list[_Range]]], ranges: Sequence[_Range]
) -> None:
    """A highlight's note reference follows its last piece: in the last cell it reaches
    (it may end on the tab or newline after a cell)."""
    ending = {r.annotation.id for r in ranges if r.last}
    for _, _, pieces in reversed(cells):
        for n, piece in enumerate(pieces):
            if piece.annotation.id in ending:
                pieces[n] = _Range(piece.start, piece.end, piece.annotation, True)
                ending.discard(piece.annotation.id)


# --- Inline text --------------------------------------------------------------------

# Layers from the outside in: a highlight is outermost so that its note reference
# (a link) can follow it without ever sitting inside another link.
_LAYERS = ("highlight", "link", "strong", "em", "code")
_TAGS = {"link": "a", "strong": "strong", "em": "em", "code": "code"}


def _inline(
    parent: etree._Element,
    block: Block,
    ranges: Sequence[_Range],
    notes: Mapping[int, _Note],
    *,
    plain: bool = False,
) -> None:
    """`block.text` into `parent` with its marks and highlights: the text is cut where
    any of them starts or ends, each piece wrapped in the layers that cover it, and
    neighbouring pieces share a wrapper when they have the same one."""
    text = block.text
    covers: list[tuple[str, int, int, object]] = []
    if not plain:
        for mark in block.marks:
            start, end = max(0, mark.start), min(len(text), mark.end)
            if start >= end or mark.kind not in _TAGS:
                continue
            if mark.kind == "link":
                href = safe_href(mark.href)
                if href is None:
                    continue
                covers.append(("link", start, end, href))
            else:
                covers.append((mark.kind, start, end, True))
    for r in ranges:
        covers.append(("highlight", r.start, r.end, r))
    cuts = sorted({0, len(text), *(c[1] for c in covers), *(c[2] for c in covers)})
    pieces: list[tuple[str, dict[str, object]]] = []
    for start, end in pairwise(cuts):
        if start >= end:
            continue
        layers: dict[str, object] = {}
        for layer, c_start, c_end, value in covers:
            if c_start <= start and end <= c_end and layer not in layers:
                layers[layer] = value
        pieces.append((text[start:end], layers))
    _write_layers(parent, pieces, 0, notes)


def _write_layers(
    parent: etree._Element,
    pieces: Sequence[tuple[str, dict[str, object]]],
    depth: int,
    notes: Mapping[int, _Note],
) -> None:
    if depth == len(_LAYERS):
        _append_text(parent, "".join(text for text, _ in pieces))
        return
    layer = _LAYERS[depth]
    for value, group in _groups(pieces, layer):
        if value is None:
            _write_layers(parent, group, depth + 1, notes)
            continue
        if layer == "highlight":
            assert isinstance(value, _Range)
            color = value.annotation.color if value.annotation.color in COLORS else "yellow"
            element = _sub(parent, "mark", class_=f"highlight-{color}")
            _write_layers(element, group, depth + 1, notes)
            note = notes.get(value.annotation.id)
            if note is not None and value.last:
                ref = _sub(parent, "a", str(note.number), href=f"#{note.note_id}")
                ref.set("id", note.ref_id)
                ref.set("class", "noteref")
                ref.set(EPUB_TYPE, "noteref")
            continue
        if layer == "link":
            element = _sub(parent, "a", href=str(value))
        else:
            element = _sub(parent, _TAGS[layer])
        _write_layers(element, group, depth + 1, notes)


def _groups(
    pieces: Sequence[tuple[str, dict[str, object]]], layer: str
) -> Iterable[tuple[object, list[tuple[str, dict[str, object]]]]]:
    """Runs of neighbouring pieces with the same value for `layer`."""
    run: list[tuple[str, dict[str, object]]] = []
    current: object = None
    for piece in pieces:
        value = piece[1].get(layer)
        if run and value is not current and value != current:
            yield current, run
            run = []
        current = value
        run.append(piece)
    if run:
        yield current, run


def _append_text(parent: etree._Element, text: str) -> None:
    """Text after `parent`'s last child (or inside it when it has none)."""
    text = xml_text(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# --- Notes --------------------------------------------------------------------------


def _notes(
    body: etree._Element,
    article: Article,
    annotations: Sequence[Annotation],
    notes: Sequence[_Note],
) -> None:
    """End notes: each highlight's note (a footnote linked both ways), then the
    article's own notes and highlights no longer found in the text, with their quotes."""
    article_notes = [a for a in annotations if a.is_article_note and a.note.strip()]
    unplaced = [a for a in annotations if not a.is_article_note and (a.orphaned or not _placed(a))]
    if not (notes or article_notes or unplaced):
        return
    section = _sub(body, "section", class_="notes")
    section.set(EPUB_TYPE, "endnotes")
    _sub(section, "h2", "Notes")
    for note in notes:
        aside = _sub(section, "aside", class_="footnote")
        aside.set("id", note.note_id)
        aside.set(EPUB_TYPE, "footnote")
        first = True
        for paragraph in _paragraphs(note.annotation.note):
            p = _sub(aside, "p")
            if first:
                back = _sub(p, "a", f"{note.number}.", href=f"#{note.ref_id}")
                back.tail = " "
                first = False
            _append_text(p, paragraph)
    for annotation in article_notes:
        for paragraph in _paragraphs(annotation.note):
            _sub(section, "p", paragraph, class_="article-note")
    for annotation in unplaced:
        quote = _sub(section, "blockquote", class_="unplaced")
        _sub(quote, "p", annotation.exact)
        for paragraph in _paragraphs(annotation.note):
            _sub(section, "p", paragraph, class_="unplaced-note")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
