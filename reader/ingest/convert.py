"""Clean article HTML -> Document blocks with inline marks.

The walk is event-driven (`lxml.etree.iterwalk`), not recursive, so a page nested ten
thousand elements deep costs no Python stack. Inline text accumulates in a buffer with
whitespace collapsed as it arrives, so mark offsets are right by construction; a block
element flushes the buffer as one block whose kind comes from the innermost structural
context (heading, list item, quote, else paragraph).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from reader.document import Block, Document, Mark
from reader.textrules import clean_inline, clean_line, strip_controls

# Whose subtree holds nothing a reader wants as text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "svg",
        "button",
        "input",
        "select",
        "option",
        "textarea",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
        "map",
        "area",
        "source",
        "rp",
        "track",
        "dialog",
    }
)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements that end a run of inline text (a new block starts after them).
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "address",
        "details",
        "summary",
        "center",
        "form",
        "fieldset",
        "legend",
        "dl",
        "dt",
        "dd",
        "hgroup",
        "body",
        "html",
        "figcaption",
        "caption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "menu",
        "noframes",
        "frameset",
        "frame",
    }
)
MARK_TAGS = {
    "em": "em",
    "i": "em",
    "cite": "em",
    "dfn": "em",
    "var": "em",
    "strong": "strong",
    "b": "strong",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
}
WEB_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_URL_BREAKS = re.compile(r"[\t\n\r]")
_SCHEME_LIKE = re.compile(r"^\s*[a-z][a-z0-9+.-]*\s*:", re.I)
_LANG_CLASS = re.compile(
    r"(?:^|\s)(?:language|lang|brush|highlight-source)[-:]\s*([\w+#.-]+)", re.I
)


def absolute_url(
    href: str | None, base: str | None, *, schemes: frozenset[str] = WEB_SCHEMES
) -> str | None:
    """`href` made absolute against `base`; None unless it leads to the web (or mail).

    An allow-list, not a deny-list: javascript:, data:, file:, but also `ms-msdt:`,
    `intent:` or a mangled `dat:` go. Tabs and newlines inside are removed first, as
    browsers do (so "java\nscript:" is caught). A link's text is always kept; only
    its target goes.
    """
    if not href:
        return None
    href = strip_controls(_URL_BREAKS.sub("", href)).strip(" \u00a0")
    if not href:
        return None
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in schemes else None
    # Relative and nothing to resolve against: kept, unless it only looks relative.
    return None if _SCHEME_LIKE.match(href) else url


@dataclass
class _Context:
    kind: str  # "heading" | "list" | "li" | "quote" | "skip" | "pre"
    level: int = 0
    ordered: bool = False
    number: int | None = None
    counter: int = 1
    flushed: bool = False


@dataclass
class _OpenMark:
    kind: str
    start: int
    href: str | None = None


@dataclass
class _Buffer:
    """Inline text of the block being built, whitespace collapsed as it arrives."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    last: str = "\n"  # the last character; "\n" at the start so leading spaces drop
    marks: list[Mark] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)
    breaks: int = 0  # <br>s since the last text

    def add(self, text: str) -> None:
        text = clean_inline(text)
        if not text:
            return
        if text[0] == " " and self.last in " \n":
            text = text[1:]
            if not text:
                return
        self.parts.append(text)
        self.length += len(text)
        self.last = text[-1]
        if text.strip():
            self.breaks = 0

    def line_break(self) -> None:
        if self.last == " " and self.parts:
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        if self.length == 0 or self.last == "\n":
            return
        self.parts.append("\n")
        self.length += 1
        self.last = "\n"

    def text(self) -> str:
        return "".join(self.parts)


class _Converter:
    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.buf = _Buffer()
        self.open_marks: list[_OpenMark] = []
        self.contexts: list[_Context] = []

    # --- flushing -----------------------------------------------------------------

    def flush(self) -> None:
        """End the block being built: emit it (or its lone images as figures)."""
        buf = self.buf
        raw = buf.text()
        self.buf = _Buffer()
        # Marks still open continue into the next block.
        open_now = [(m, m.start) for m in self.open_marks]
        for m in self.open_marks:
            m.start = 0
        text = raw.strip(" \n")
        if not text:
            for src, alt in buf.images:
                self.blocks.append(
                    Block("figure", text=clean_line(alt), alt=clean_line(alt), src=src)
                )
            return
        lead = len(raw) - len(raw.lstrip(" \n"))
        marks = list(buf.marks)
        marks += [Mark(m.kind, start, len(raw), m.href) for m, start in open_now]
        self.blocks.append(self._make_block(text, _fix_marks(marks, lead, text)))

    def _make_block(self, text: str, marks: tuple[Mark, ...]) -> Block:
        for ctx in reversed(self.contexts):
            if ctx.kind == "heading":
                return Block("heading", text.replace("\n", " "), marks, level=ctx.level)
            if ctx.kind == "li":
                if ctx.flushed:
                    return Block("paragraph", text, marks)
                ctx.flushed = True
                depth = sum(1 for c in self.contexts if c.kind == "list") - 1
                return Block(
                    "list_item",
                    text,
                    marks,
                    level=max(0, depth),
                    ordered=ctx.ordered,
                    number=ctx.number,
                )
            if ctx.kind == "quote":
                return Block("quote", text, marks, level=ctx.level)
        return Block("paragraph", text, marks)

    def block_boundary(self) -> None:
        """A block element starts or ends: inside a list item, just a new line."""
        for ctx in reversed(self.contexts):
            if ctx.kind in ("li", "heading") and not ctx.flushed:
                if self.buf.length:
                    self.buf.line_break()
                return
            if ctx.kind in ("li", "quote", "heading", "list"):
                break
        self.flush()

    def add_block(self, block: Block) -> None:
        self.flush()
        for ctx in self.contexts:
            if ctx.kind == "li":
                ctx.flushed = True
        self.blocks.append(block)

    # --- the walk -----------------------------------------------------------------

    def run(self, root: HtmlElement) -> Document:
        """Walk `root` with start/end events; each element's tail belongs to its parent."""
        walker = etree.iterwalk(root, events=("start", "end"))
        stack: list[str] = []  # what each open element pushed: "ctx", "mark", ""
        for event, el in walker:
            tag = el.tag if isinstance(el.tag, str) else None
            if event == "start":
                if tag is None:  # comment or processing instruction: only its tail counts
                    stack.append("")
                    continue
                stack.append(self.start(el, tag.lower(), walker))
            else:
                pushed = stack.pop()
                if tag is not None:
                    self.end(el, tag.lower(), pushed)
                if el is not root and el.tail:
                    self.buf.add(el.tail)
        self.flush()
        return Document(tuple(self.blocks))

    def start(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> str:
        """Open an element; returns what it pushed ("ctx", "mark" or "") for `end`."""
        if tag in SKIP_TAGS:
            walker.skip_subtree()
            return ""
        if tag == "pre":
            self.add_block(self.code_block(el))
            walker.skip_subtree()
            return ""
        if tag == "table" and is_data_table(el):
            rows = table_rows(el)
            if rows:
                text = "\n".join("\t".join(row) for row in rows)
                self.add_block(Block("table", text, rows=rows))
            walker.skip_subtree()
            return ""
        if tag == "figure":
            block = self.figure_block(el)
            if block is not None:
                self.add_block(block)
                walker.skip_subtree()
                return ""
            self.block_boundary()
            return ""
        if tag == "img" and _is_emoji(el):
            self.buf.add(el.get("alt") or "")  # an emoji drawn as an image is text
            return ""
        if tag == "img" or tag == "picture":
            image = image_of(el, self.base_url)
            if image is not None:
                self.buf.images.append(image)
            if tag == "picture":
                walker.skip_subtree()
            return ""
        if tag == "br":
            self.buf.breaks += 1
            if self.buf.breaks >= 2 and not any(c.kind == "heading" for c in self.contexts):
                self.block_boundary()
            else:
                self.buf.line_break()
            return ""
        if tag == "hr":
            self.add_block(Block("rule"))
            return ""
        if tag in HEADINGS:
            self.flush()
            self.contexts.append(_Context("heading", level=HEADINGS[tag]))
            self.add_text(el)
            return "ctx"
        if tag in ("ul", "ol", "menu", "dir"):
            self.flush()
            start = _int(el.get("start"), 1) if tag == "ol" else 1
            if tag == "ol" and el.get("reversed") is not None and el.get("start") is None:
                start = sum(1 for c in el if isinstance(c.tag, str) and c.tag == "li")
            self.contexts.append(
                _Context(
                    "list",
                    ordered=tag == "ol",
                    counter=start,
                    level=-1 if el.get("reversed") is not None else 1,
                )
            )
            return "ctx"
        if tag == "li":
            self.flush()
            lst = next((c for c in reversed(self.contexts) if c.kind == "list"), None)
            if lst is None:  # a stray <li>: an unordered list of one
                lst = _Context("list")
                self.contexts.append(lst)
                pushed = "ctx2"
            else:
                pushed = "ctx"
            number = None
            if lst.ordered:
                lst.counter = _int(el.get("value"), lst.counter)
                number = lst.counter
                lst.counter += lst.level
            self.contexts.append(_Context("li", ordered=lst.ordered, number=number))
            self.add_text(el)
            return pushed
        if tag == "blockquote":
            self.flush()
            depth = sum(1 for c in self.contexts if c.kind == "quote") + 1
            self.contexts.append(_Context("quote", level=depth))
            self.add_text(el)
            return "ctx"
        if tag in BLOCK_TAGS:
            self.block_boundary()
            self.add_text(el)
            return ""
        kind = MARK_TAGS.get(tag)
        if tag == "a":
            href = absolute_url(el.get("href"), self.base_url)
            if href is not None:
                self.open_marks.append(_OpenMark("link", self.buf.length, href))
                self.add_text(el)
                return "mark"
        elif kind is not None:
            self.open_marks.append(_OpenMark(kind, self.buf.length))
            self.add_text(el)
            return "mark"
        self.add_text(el)
        return ""

    def add_text(self, el: HtmlElement) -> None:
        if el.text:
            self.buf.add(el.text)

    def end(self, el: HtmlElement, tag: str, pushed: str) -> None:
        """Close an element: finish its mark, or flush and pop its context."""
        if pushed == "mark":
            m = self.open_marks.pop()
            if self.buf.length > m.start:
                self.buf.marks.append(Mark(m.kind, m.start, self.buf.length, m.href))
            return
        if pushed in ("ctx", "ctx2"):
            self.flush()
            self.contexts.pop()
            if pushed == "ctx2":
                self.contexts.pop()
            return
        if tag in BLOCK_TAGS or tag == "figure":
            self.block_boundary()

    # --- special blocks -------------------------------------------------------------

    def code_block(self, pre: HtmlElement) -> Block:
        """A <pre> as code, its text exactly (a <br> is a newline), controls stripped."""
        parts: list[str] = []
        for event, el in etree.iterwalk(pre, events=("start", "end")):
            if event == "start":
                if isinstance(el.tag, str) and el.tag.lower() == "br":
                    parts.append("\n")
                elif isinstance(el.tag, str) and el.text:
                    parts.append(el.text)
            elif el is not pre and el.tail:
                parts.append(el.tail)
        text = strip_controls("".join(parts)).rstrip("\n")
        text = text.lstrip("\n") if not text.strip("\n") else text.strip("\n")
        lang = ""
        for node in (pre, *pre.iterdescendants("code")):
            match = _LANG_CLASS.search(node.get("class") or "")
            if match:
                lang = match.group(1).lower()
                break
        if not lang and pre.get("data-lang"):
            lang = clean_line(pre.get("data-lang")).lower()
        return Block("code", text, lang=lang)

    def figure_block(self, figure: HtmlElement) -> Block | None:
        """A figure holding an image; None when it holds text (a quote, code, a table)."""
        img = next((e for e in figure.iter("img", "picture") if image_of(e, self.base_url)), None)
        if img is None:
            return None
        if any(True for _ in figure.iter("pre", "blockquote", "table", "p")):
            caption_el = figure.find(".//figcaption")
            others = _text_outside(figure, caption_el)
            if len(others) > 80:
                return None
        src, alt = image_of(img, self.base_url) or ("", "")
        # The caption: its <figcaption>, else whatever text the figure holds (a <p>
        # credit line), else the alt text.
        caption_el = next(figure.iter("figcaption"), None)
        source = _detached_copy(caption_el if caption_el is not None else figure)
        source.tag = "div"  # never a figure again, or this would recurse
        text, marks = _join_blocks(_Converter(self.base_url).run(source).blocks)
        alt = clean_line(alt)
        return Block("figure", text or alt, marks if text else (), alt=alt, src=src)


def _join_blocks(blocks: tuple[Block, ...]) -> tuple[str, tuple[Mark, ...]]:
    """Blocks' texts as one line (spaces between), their marks shifted to match."""
    parts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    for block in blocks:
        if not block.text or block.kind == "figure":
            continue
        if parts:
            parts.append(" ")
            offset += 1
        parts.append(block.text.replace("\n", " "))
        marks += [Mark(m.kind, m.start + offset, m.end + offset, m.href) for m in block.marks]
        offset += len(block.text)
    return "".join(parts), tuple(marks)


def _is_emoji(img: HtmlElement) -> bool:
    """An emoji or symbol drawn as an image (WordPress, Twitter, Discourse do this)."""
    alt = (img.get("alt") or "").strip()
    if not alt or len(alt) > 8:
        return False
    if re.search(r"emoji|smiley|wp-smiley", img.get("class") or "", re.I):
        return True
    return all(unicodedata.category(ch) in _SYMBOL_CATEGORIES for ch in alt if ch != " ")


_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Sm", "Mn", "Cf"})


def _detached_copy(el: HtmlElement) -> HtmlElement:
    from copy import deepcopy

    copy = deepcopy(el)
    copy.tail = None
    return copy


def _text_outside(figure: HtmlElement, caption: HtmlElement | None) -> str:
    total = clean_line(figure.text_content())
    if caption is None:
        return total
    return total.replace(clean_line(caption.text_content()), "", 1).strip()


def _fix_marks(marks: list[Mark], lead: int, text: str) -> tuple[Mark, ...]:
    """Shift marks by the trimmed leading whitespace, clip, trim spaces off their edges."""
    size = len(text)
    fixed: list[Mark] = []
    for m in marks:
        start = max(0, m.start - lead)
        end = min(size, m.end - lead)
        while start < end and text[start] in " \n":
            start += 1
        while end > start and text[end - 1] in " \n":
            end -= 1
        if start < end:
            fixed.append(Mark(m.kind, start, end, m.href))
    fixed.sort(key=lambda m: (m.start, -m.end))
    return tuple(fixed)


def _int(value: str | None, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


_FILE_NAME = re.compile(r"^[\w.~-]+\.(?:jpe?g|png|gif|webp|svg|avif|bmp|tiff?)$", re.I)
_GENERIC_ALT = re.compile(
    r"^\s*(?:an?\s+)?(?:image|img|photo|photograph|picture|pic|screenshot|screen shot|"
    r"illustration|logo|icon|banner|thumbnail|placeholder|spacer|graphic|figure|untitled|"
    r"alt|null|none|undefined|avatar)s?\s*\d*\s*$",
    re.I,
)
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src")


def image_of(el: HtmlElement, base_url: str | None) -> tuple[str, str] | None:
    """(absolute src, alt) of an <img> or <picture>; lazy-loading attributes count.

    A data: URL is not kept (it is the page's bytes, not a link), but the image's alt
    text still is, so the figure keeps its words.
    """
    if el.tag == "picture":
        img = next(el.iter("img"), None)
        if img is None:
            return None
        return image_of(img, base_url)
    alt = el.get("alt") or ""
    if _FILE_NAME.match(alt.strip()) or _GENERIC_ALT.match(alt):
        alt = ""  # "IMG_0042.jpg" or "image" says there is an image, not what it shows
    candidates = [el.get(name) for name in _LAZY_SRC] + [el.get("src")]
    srcset = el.get("srcset") or el.get("data-srcset")
    if srcset:
        candidates.append(srcset.strip().split(",")[0].strip().split(" ")[0])
    for value in candidates:
        url = absolute_url(value, base_url, schemes=IMAGE_SCHEMES) if value else None
        if url:
            return url, alt
    if alt.strip():
        return "", alt
    return None


# --- tables -----------------------------------------------------------------------


def _own_rows(table: HtmlElement) -> list[HtmlElement]:
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag.lower() == "tr")
    return rows


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]


_LAYOUT_SIGNS = ("p", "div", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3")


def is_data_table(table: HtmlElement) -> bool:
    """Whether a table holds data (rows and columns) rather than page layout.

    The same signals Mozilla's Readability uses: role=presentation and nested tables
    mean layout; a caption, header cells or column groups mean data; else the shape
    decides (one row or one column is layout, ten rows or more than four columns data).
    """
    if (table.get("role") or "").lower() == "presentation":
        return False
    if (table.get("datatable") or "") == "0":
        return False
    if table.get("summary"):
        return True
    if table.find(".//table") is not None:
        return False
    for tag in ("caption", "thead", "tfoot", "colgroup", "col", "th"):
        if table.find(".//" + tag) is not None:
            return True
    if next(table.iter(*_LAYOUT_SIGNS), None) is not None:
        return False  # cells holding paragraphs or lists: the table lays out a page
    rows = _own_rows(table)
    columns = max((len(_cells(r)) for r in rows), default=0)
    if len(rows) <= 1 or columns <= 1:
        return False
    if len(rows) >= 10 or columns > 4:
        return True
    return len(rows) * columns > 10


def table_rows(table: HtmlElement) -> tuple[tuple[str, ...], ...]:
    """The table's own rows (not a nested table's) as cleaned cell texts; empty rows go."""
    rows = []
    for row in _own_rows(table):
        cells = tuple(clean_line(_cell_text(c)) for c in _cells(row))
        if any(cells):
            rows.append(cells)
    return tuple(rows)


def _cell_text(cell: HtmlElement) -> str:
    parts: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        if event == "start":
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag in SKIP_TAGS:
                continue
            if tag in ("br", "p", "div", "li"):
                parts.append(" ")
            if el.text and tag not in SKIP_TAGS:
                parts.append(el.text)
        elif el is not cell and el.tail:
            parts.append(el.tail)
    return "".join(parts)


def html_to_document(root: HtmlElement, base_url: str | None = None) -> Document:
    """The article under `root` as a Document; links and images absolute against `base_url`."""
    return _Converter(base_url).run(root)
