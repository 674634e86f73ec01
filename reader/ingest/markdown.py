"""A Markdown article -> Document, metadata, tags and highlights.

Parsed with markdown-it-py (CommonMark, plus tables, strikethrough, footnotes and YAML
front matter from mdit-py-plugins, and `==marks==` from `markdown_marks`), then walked
token by token into the document model, as `reader.ingest.convert.walk` walks HTML:
headings, paragraphs, list items (depth, ordered, number), quotes (depth), code (its
language), tables, rules, and images as figures (alt text and title as the caption;
the path or URL kept as text, never fetched, never opened). Links keep only web
targets, made absolute against the article's URL when it has one.

Inline HTML is never interpreted: formatting tags become marks, other tags go
(`InlineText.add_tag`); an HTML block keeps its text. Nesting deeper than
`MAX_NESTING` (lists in quotes in lists ...) is not parsed further: markdown-it stops
there, which bounds its recursion on hostile input.

Metadata comes from the front matter (`reader.ingest.frontmatter`); without it, the
title is the first `#` heading, else the first line, and is not repeated in the body.
Obsidian's `==marked==` spans are highlights: their ranges in `Document.text` travel
with the page (`ExtractedPage.highlights`) and the `==` never reach the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from reader.document import Block, Document, Mark
from reader.ingest.convert.links import IMAGE_SCHEMES, absolute_url
from reader.ingest.decode import decode_html
from reader.ingest.frontmatter import FrontMatter, read_byline, read_front_matter
from reader.ingest.inline import InlineText
from reader.ingest.markdown_marks import mark_plugin
from reader.ingest.metadata.language import guess_language
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.plaintext import MAX_TITLE_LINE, excerpt_of, normalize_text, title_from
from reader.ingest.textlines import mend_url, site_from_url, source_label
from reader.textrules import clean_line, strip_controls

__all__ = ["MAX_NESTING", "parse_markdown", "read_markdown_article"]

#: How deep blocks and inline markup may nest before markdown-it parses no further
#: (CommonMark's preset says 20 too; set here so it is ours to keep).
MAX_NESTING = 20
_MAX_LANG = 40
_MAX_NUMBER = 10**9


@cache
def _parser() -> MarkdownIt:
    """markdown-it for articles. Its core does not parse inline content: the walk parses
    each block's when it comes to it and drops the tokens after, so a big article never
    holds the inline tokens of all its blocks at once (for 10 MB of Markdown, 240 MB).
    Footnotes stay where they are defined, since moving them to the end needs every
    block's inline content first."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.core.ruler.disable("inline")
    # Inline footnotes (`^[...]`) have no label, only a number the text does not hold.
    md.use(front_matter_plugin).use(footnote_plugin, inline=False, move_to_end=False)
    return md.use(mark_plugin)


def read_markdown_article(raw: RawPage) -> ExtractedPage:
    """The article in a Markdown file. Raises IngestError when it holds no text."""
    return parse_markdown(normalize_text(decode_html(raw)))


def parse_markdown(text: str) -> ExtractedPage:
    """`text` (controls already stripped) as an article."""
    md = _parser()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    meta = FrontMatter()
    if tokens and tokens[0].type == "front_matter":
        meta = read_front_matter(tokens[0].content)
    walk = _Walk(meta.url, md, env)
    walk.run(tokens)
    blocks, title = _title_and_body(walk.blocks, meta.title, walk.one_line)
    if not blocks and not title:
        raise IngestError("no article text in the file")
    document = Document(tuple(block for block, _ in blocks))
    if not title:
        title = title_from(document)
    url, byline = meta.url, meta.byline
    if url is None or byline is None:
        head_url, head_byline = _facts_in_head(blocks)
        url, byline = url or head_url, byline or head_byline
    return ExtractedPage(
        document=document,
        title=title,
        byline=byline,
        site_name=meta.site_name or site_from_url(url),
        url=url,
        published=meta.published,
        lang=meta.lang or guess_language(document.text),
        excerpt=meta.excerpt or excerpt_of(document),
        extractor="markdown",
        tags=meta.tags,
        highlights=_highlights(document, [ranges for _, ranges in blocks]),
        saved_at=meta.saved_at,
    )


_Built = tuple[Block, tuple[tuple[int, int], ...]]  # a block and its highlighted ranges


def _title_and_body(
    blocks: list[_Built], given: str | None, one_line: set[int]
) -> tuple[list[_Built], str]:
    """The title (the front matter's, else the first `#` heading, else the first line)
    and the blocks without it: a heading or a one-line paragraph that is the title is
    not repeated in the body. `one_line`: the blocks written on one line."""
    first = blocks[0][0] if blocks else None
    if given:
        if first is not None and first.kind == "heading" and _same(first.text, given):
            return blocks[1:], given
        return blocks, given
    heading = next(
        (i for i, (b, _) in enumerate(blocks) if b.kind == "heading" and b.level == 1), None
    )
    if heading is not None and all(b.kind == "figure" for b, _ in blocks[:heading]):
        return blocks[:heading] + blocks[heading + 1 :], clean_line(blocks[heading][0].text)
    if (
        first is not None
        and first.kind in ("paragraph", "heading")
        and 0 in one_line
        and len(first.text) <= MAX_TITLE_LINE
        and len(blocks) > 1
    ):
        return blocks[1:], clean_line(first.text)
    return blocks, ""


#: How many blocks at the top may name the article's URL and author in the body.
_HEAD_BLOCKS = 12
# The link an export gives the article by (Omnivore's "[Read Original](...)").
_ORIGINAL_LINK = re.compile(
    r"(?:(?:read|view|open)\s+)?(?:the\s+)?original(?:\s+(?:article|page|post|url|link))?",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(r"^\s*(?:authors?|by)\s*:\s*", re.IGNORECASE)


def _facts_in_head(blocks: list[_Built]) -> tuple[str | None, str | None]:
    """The URL and author an export writes at the top of its body instead of in front
    matter: Readwise's metadata list (`- Author: [[Name]]`, `- URL: https://...`, read
    as a text article's header lines are), Omnivore's `[Read Original](https://...)`.
    The blocks stay in the body: they are what the file says."""
    url: str | None = None
    byline: str | None = None
    for block, _ in blocks[:_HEAD_BLOCKS]:
        if block.kind not in ("paragraph", "list_item"):
            continue
        for line in block.text.split("\n"):
            label = source_label(line)
            author = _AUTHOR_LABEL.match(line)
            if label and url is None:
                url = mend_url(label)
            elif author and byline is None:
                byline = read_byline(line[author.end() :].strip())
        for mark in block.marks:
            if (
                url is None
                and mark.kind == "link"
                and mark.href
                and mark.href.lower().startswith(("http://", "https://"))
                and _ORIGINAL_LINK.fullmatch(block.text[mark.start : mark.end].strip())
            ):
                url = mark.href
    return url, byline


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _highlights(
    document: Document, ranges: list[tuple[tuple[int, int], ...]]
) -> tuple[tuple[int, int], ...]:
    """Each block's highlighted ranges as offsets into `document.text`."""
    found: list[tuple[int, int]] = []
    for span in document.spans():
        found += [(span.start + start, span.start + end) for start, end in ranges[span.index]]
    return tuple(found)


# --- the walk ------------------------------------------------------------------------


@dataclass
class _Context:
    kind: str  # "list" | "item" | "quote"
    ordered: bool = False
    number: int | None = None
    flushed: bool = False  # an item's first paragraph was its list_item block


@dataclass
class _Walk:
    base_url: str | None
    md: MarkdownIt
    env: dict[str, object]
    blocks: list[_Built] = field(default_factory=list)
    contexts: list[_Context] = field(default_factory=list)
    table: list[list[str]] | None = None
    footnote: str = ""  # "[label] ", put before the next paragraph (a footnote's text)
    one_line: set[int] = field(default_factory=set)  # blocks written on one line

    def run(self, tokens: list[Token]) -> None:
        heading = 0
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading = _heading_level(token.tag)
            elif kind == "heading_close":
                heading = 0
            elif kind == "inline":
                self.inline(token, heading)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.contexts.append(_Context("list", ordered=kind == "ordered_list_open"))
            elif kind == "list_item_open":
                self.contexts.append(_Context("item", number=_number(token)))
            elif kind == "blockquote_open":
                self.contexts.append(_Context("quote"))
            elif kind in ("bullet_list_close", "ordered_list_close", "list_item_close"):
                self._pop("item" if kind == "list_item_close" else "list")
            elif kind == "blockquote_close":
                self._pop("quote")
            elif kind in ("fence", "code_block"):
                self.code(token)
            elif kind == "hr":
                self.add(Block("rule"))
            elif kind == "html_block":
                self.html_block(token.content)
            elif kind == "table_open":
                self.table = []
            elif kind == "tr_open" and self.table is not None:
                self.table.append([])
            elif kind == "table_close":
                self.finish_table()
            elif kind == "footnote_reference_open":
                label = token.meta.get("label") if token.meta else None
                self.footnote = f"[{clean_line(str(label))[:40]}] " if label else ""

    def _pop(self, kind: str) -> None:
        if self.contexts and self.contexts[-1].kind == kind:
            self.contexts.pop()

    def add(self, block: Block, highlights: tuple[tuple[int, int], ...] = ()) -> None:
        self.blocks.append((block, highlights))

    # --- blocks ---

    def inline(self, token: Token, heading: int) -> None:
        """A heading's, a paragraph's or a table cell's inline content."""
        children: list[Token] = []
        self.md.inline.parse(token.content, self.md, self.env, children)
        if self.table is not None:
            text = InlineText(self.base_url)
            _add_children(text, children, [])
            if self.table:
                self.table[-1].append(clean_line(text.finish()[0]))
            return
        text = InlineText(self.base_url)
        if self.footnote:
            text.add(self.footnote)
            self.footnote = ""
        images: list[Block] = []
        _add_children(text, children, images)
        body, marks, highlights = text.finish()
        if body:
            block = (
                Block("heading", body.replace("\n", " "), marks, level=heading)
                if heading
                else self._block(body, marks)
            )
            if heading or (token.map is not None and token.map[1] - token.map[0] == 1):
                self.one_line.add(len(self.blocks))
            self.add(block, highlights)
        for image in images:
            self.add(image)

    def _block(self, text: str, marks: tuple[Mark, ...]) -> Block:
        """A paragraph's block, as the innermost list item or quote around it makes it."""
        for index in range(len(self.contexts) - 1, -1, -1):
            context = self.contexts[index]
            if context.kind == "item":
                if context.flushed:
                    return Block("paragraph", text, marks)
                context.flushed = True
                depth = sum(1 for c in self.contexts[:index] if c.kind == "list") - 1
                parent = self.contexts[index - 1] if index else None
                ordered = parent is not None and parent.ordered
                return Block(
                    "list_item",
                    text,
                    marks,
                    level=max(0, depth),
                    ordered=ordered,
                    number=context.number if ordered else None,
                )
            if context.kind == "quote":
                level = sum(1 for c in self.contexts if c.kind == "quote")
                return Block("quote", text, marks, level=level)
        return Block("paragraph", text, marks)

    def code(self, token: Token) -> None:
        text = strip_controls(token.content).rstrip("\n")
        if not text.strip():
            return
        lang = clean_line(token.info.split(maxsplit=1)[0] if token.info.strip() else "")
        self.add(Block("code", text, lang=lang[:_MAX_LANG]))

    def html_block(self, source: str) -> None:
        """An HTML block's text, as paragraphs: its tags go, formatting as marks."""
        for part in source.split("\n\n"):
            text = InlineText(self.base_url)
            text.add_html(part)
            body, marks, _ = text.finish()
            if body:
                self.add(self._block(body, marks))

    def finish_table(self) -> None:
        rows = tuple(tuple(cell.replace("\t", " ") for cell in row) for row in self.table or [])
        self.table = None
        rows = tuple(row for row in rows if any(row))
        if rows:
            text = "\n".join("\t".join(row) for row in rows)
            self.add(Block("table", text, rows=rows))


def _add_children(text: InlineText, children: list[Token], images: list[Block]) -> None:
    """An inline token's children into `text`; images that stand alone to `images`."""
    base = text.base_url
    for child in children:
        kind = child.type
        if kind in ("text", "text_special"):  # text_special: an escape, a reference
            text.add(child.content)
        elif kind == "softbreak":
            text.add(" ")
        elif kind == "hardbreak":
            text.line_break()
        elif kind == "code_inline":
            text.open("code")
            text.add(child.content)
            text.close("code")
        elif kind in ("em_open", "strong_open"):
            text.open(kind[:-5])
        elif kind in ("em_close", "strong_close"):
            text.close(kind[:-6])
        elif kind == "link_open":
            href = child.attrGet("href")
            text.open("link", absolute_url(str(href), base) if href else None)
        elif kind == "link_close":
            text.close("link")
        elif kind == "mark_open":
            text.start_highlight()
        elif kind == "mark_close":
            text.end_highlight()
        elif kind == "html_inline":
            text.add_tag(child.content)
        elif kind == "footnote_ref":
            label = child.meta.get("label") if child.meta else None
            if label:
                text.add(f"[{clean_line(str(label))[:40]}]")
        elif kind == "image":
            images.append(_figure(child, base))
        # s_open / s_close (strikethrough): the text stays, unmarked


def _figure(token: Token, base: str | None) -> Block:
    """An image as a figure: its title (else its alt text) as the caption; the src as
    text only, kept when it is a web URL or a relative path (never data: or file:)."""
    alt = clean_line(token.content)
    title = clean_line(str(token.attrGet("title") or ""))
    src = token.attrGet("src")
    url = absolute_url(str(src), base, schemes=IMAGE_SCHEMES) if src else None
    return Block("figure", title or alt, alt=alt, src=url or "")


def _heading_level(tag: str) -> int:
    return int(tag[1]) if len(tag) == 2 and tag[1].isdigit() else 1


def _number(token: Token) -> int | None:
    info = token.info.strip()
    if not info.isdigit():
        return None
    return min(int(info[:10]), _MAX_NUMBER)
