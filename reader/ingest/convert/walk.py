"""The walk from clean article HTML to Document blocks.

The walk is event-driven (`lxml.etree.iterwalk`), not recursive, so a page nested ten
thousand elements deep costs no Python stack. Inline text accumulates in a buffer with
whitespace collapsed as it arrives, so mark offsets are right by construction; a block
element flushes the buffer as one block whose kind comes from the innermost structural
context (heading, list item, quote, else paragraph). Each kind of element has its start
handler (the `_START` table), which returns what the element's end must do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, auto

from lxml import etree
from lxml.html import HtmlElement

from reader.document import Block, Document, Mark
from reader.ingest.convert.elements import BLOCK_TAGS, HEADINGS, LIST_TAGS, MARK_TAGS, SKIP_TAGS
from reader.ingest.convert.links import absolute_url, image_of, is_emoji
from reader.ingest.convert.tables import is_data_table, table_rows
from reader.textrules import clean_inline, clean_line, strip_controls

_LANG_CLASS = re.compile(
    r"(?:^|\s)(?:language|lang|brush|highlight-source)[-:]\s*([\w+#.-]+)", re.I
)


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


class _Close(Enum):
    """What the end of an element does, as its start decided."""

    NOTHING = auto()  # inline or void: its tail simply follows
    BOUNDARY = auto()  # a block element: what follows starts a new block
    CONTEXT = auto()  # heading, list, item, quote: flush its block, pop its context
    STRAY_ITEM = auto()  # a <li> outside a list: pop it and the list made for it
    MARK = auto()  # em, strong, code, a link: its mark ends here


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
        closes: list[_Close] = []  # what the end of each open element does
        for event, el in walker:
            if event == "start":
                if isinstance(el.tag, str):
                    tag = el.tag.lower()
                    closes.append(_START.get(tag, _Converter.start_inline)(self, el, tag, walker))
                else:  # a comment or processing instruction: only its tail counts
                    closes.append(_Close.NOTHING)
            else:
                self.end(closes.pop())
                if el is not root and el.tail:
                    self.buf.add(el.tail)
        self.flush()
        return Document(tuple(self.blocks))

    def end(self, close: _Close) -> None:
        """Close an element as its start said: end its mark, its context or its block."""
        if close is _Close.MARK:
            m = self.open_marks.pop()
            if self.buf.length > m.start:
                self.buf.marks.append(Mark(m.kind, m.start, self.buf.length, m.href))
        elif close is _Close.CONTEXT or close is _Close.STRAY_ITEM:
            self.flush()
            self.contexts.pop()
            if close is _Close.STRAY_ITEM:
                self.contexts.pop()
        elif close is _Close.BOUNDARY:
            self.block_boundary()

    def add_text(self, el: HtmlElement) -> None:
        if el.text:
            self.buf.add(el.text)

    # --- one handler an element kind: each opens its element, says how it closes ----

    def skip(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        walker.skip_subtree()
        return _Close.NOTHING

    def start_pre(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.add_block(self.code_block(el))
        walker.skip_subtree()
        return _Close.NOTHING

    def start_table(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        if not is_data_table(el):  # layout: its cells are blocks like any other
            return self.start_block(el, tag, walker)
        rows = table_rows(el)
        if rows:
            text = "\n".join("\t".join(row) for row in rows)
            self.add_block(Block("table", text, rows=rows))
        walker.skip_subtree()
        return _Close.BOUNDARY

    def start_figure(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        block = self.figure_block(el)
        if block is not None:
            self.add_block(block)
            walker.skip_subtree()
        else:  # a figure of text (a quote, code, a table): its children are blocks
            self.block_boundary()
        return _Close.BOUNDARY

    def start_img(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        if is_emoji(el):
            self.buf.add(el.get("alt") or "")  # an emoji drawn as an image is text
            return _Close.NOTHING
        return self.start_picture(el, tag, walker)

    def start_picture(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        image = image_of(el, self.base_url)
        if image is not None:
            self.buf.images.append(image)
        if tag == "picture":
            walker.skip_subtree()
        return _Close.NOTHING

    def start_br(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.buf.breaks += 1
        if self.buf.breaks >= 2 and not any(c.kind == "heading" for c in self.contexts):
            self.block_boundary()
        else:
            self.buf.line_break()
        return _Close.NOTHING

    def start_hr(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.add_block(Block("rule"))
        return _Close.NOTHING

    def start_heading(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.flush()
        self.contexts.append(_Context("heading", level=HEADINGS[tag]))
        self.add_text(el)
        return _Close.CONTEXT

    def start_list(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
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
        return _Close.CONTEXT

    def start_item(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.flush()
        close = _Close.CONTEXT
        lst = next((c for c in reversed(self.contexts) if c.kind == "list"), None)
        if lst is None:  # a stray <li>: an unordered list of one
            lst = _Context("list")
            self.contexts.append(lst)
            close = _Close.STRAY_ITEM
        number = None
        if lst.ordered:
            lst.counter = _int(el.get("value"), lst.counter)
            number = lst.counter
            lst.counter += lst.level
        self.contexts.append(_Context("li", ordered=lst.ordered, number=number))
        self.add_text(el)
        return close

    def start_quote(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.flush()
        depth = sum(1 for c in self.contexts if c.kind == "quote") + 1
        self.contexts.append(_Context("quote", level=depth))
        self.add_text(el)
        return _Close.CONTEXT

    def start_block(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.block_boundary()
        self.add_text(el)
        return _Close.BOUNDARY

    def start_link(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        href = absolute_url(el.get("href"), self.base_url)
        if href is None:  # a link to nowhere on the web: its text is plain text
            return self.start_inline(el, tag, walker)
        self.open_marks.append(_OpenMark("link", self.buf.length, href))
        self.add_text(el)
        return _Close.MARK

    def start_mark(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.open_marks.append(_OpenMark(MARK_TAGS[tag], self.buf.length))
        self.add_text(el)
        return _Close.MARK

    def start_inline(self, el: HtmlElement, tag: str, walker: etree.iterwalk) -> _Close:
        self.add_text(el)
        return _Close.NOTHING

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


_Handler = Callable[[_Converter, HtmlElement, str, etree.iterwalk], _Close]
# Each element's start handler (any other element is inline: start_inline). Block
# elements first, so that the entries after them take over a <table> (which may hold
# data) and a <menu> (a list).
_START: dict[str, _Handler] = {
    **dict.fromkeys(BLOCK_TAGS, _Converter.start_block),
    **dict.fromkeys(SKIP_TAGS, _Converter.skip),
    **dict.fromkeys(HEADINGS, _Converter.start_heading),
    **dict.fromkeys(LIST_TAGS, _Converter.start_list),
    **dict.fromkeys(MARK_TAGS, _Converter.start_mark),
    "a": _Converter.start_link,
    "li": _Converter.start_item,
    "blockquote": _Converter.start_quote,
    "pre": _Converter.start_pre,
    "table": _Converter.start_table,
    "figure": _Converter.start_figure,
    "img": _Converter.start_img,
    "picture": _Converter.start_picture,
    "br": _Converter.start_br,
    "hr": _Converter.start_hr,
}


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


def html_to_document(root: HtmlElement, base_url: str | None = None) -> Document:
    """The article under `root` as a Document; links and images absolute against `base_url`."""
    return _Converter(base_url).run(root)
