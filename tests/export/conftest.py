"""Helpers for the export tests: read an exported file back the way a notes app would.

`parse_export` splits the YAML front matter from the body, parses the body with a
CommonMark parser (markdown-it-py) and walks its tokens into highlights (block quote,
colour line, note) and article notes, failing on anything that is not inert: raw HTML,
images, or links to anything but http(s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

MD = MarkdownIt("commonmark")
# A folder export ends each highlight and article note with its block id on its own line.
BLOCK_ID = re.compile(r"\^((?:hl|note)-\d+)")


def normalize(text: str) -> str:
    """What Markdown keeps of plain text: lines stripped, blank lines as paragraph breaks."""
    paragraphs: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


@dataclass
class Block:
    kind: str  # heading, paragraph, quote, hr, list
    text: str = ""
    level: int = 0
    emphasis: bool = False  # a paragraph that is one emphasised span
    strong_prefix: str = ""  # the text of a leading **strong** span


@dataclass
class Parsed:
    meta: dict[str, Any]
    blocks: list[Block]
    highlights: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)


def _inline_text(token: Any, links: list[str]) -> tuple[str, bool, str]:
    out: list[str] = []
    # markdown-it leaves empty text tokens around delimiters; they carry nothing.
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content)]
    for child in children:
        if child.type == "text" or child.type == "code_inline":
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type in ("html_inline", "image"):
            raise AssertionError(f"not inert: {child.type} {child.content!r}")
        elif child.type == "link_open":
            href = child.attrs.get("href", "")
            assert str(href).startswith(("http://", "https://")), href
            links.append(str(href))
    emphasis = (
        len(children) >= 3 and children[0].type == "em_open" and children[-1].type == "em_close"
    )
    strong = ""
    if len(children) >= 3 and children[0].type == "strong_open":
        strong = children[1].content
    return "".join(out), emphasis, strong


def blocks_of(body: str, links: list[str]) -> list[Block]:
    tokens = MD.parse(body)
    blocks: list[Block] = []
    depth = 0
    quote_paras: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("html_block", "code_block", "fence"):
            raise AssertionError(f"unexpected {tok.type}: {tok.content!r}")
        if tok.type == "blockquote_open":
            depth += 1
            assert depth == 1, "nested block quote"
            quote_paras = []
        elif tok.type == "blockquote_close":
            depth -= 1
            blocks.append(Block("quote", "\n\n".join(quote_paras)))
        elif tok.type == "heading_open":
            text, _, _ = _inline_text(tokens[i + 1], links)
            blocks.append(Block("heading", text, level=int(tok.tag[1])))
            i += 2
        elif tok.type == "paragraph_open":
            text, emphasis, strong = _inline_text(tokens[i + 1], links)
            if depth:
                quote_paras.append(text)
            else:
                blocks.append(Block("paragraph", text, emphasis=emphasis, strong_prefix=strong))
            i += 2
        elif tok.type == "hr":
            blocks.append(Block("hr"))
        elif tok.type == "inline" and not depth:
            # list items' text
            text, _, _ = _inline_text(tok, links)
            blocks.append(Block("list", text))
        i += 1
    return blocks


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    assert text.startswith("---\n"), text[:40]
    end = text.index("\n---\n", 3)
    meta = yaml.safe_load(text[4 : end + 1])
    assert isinstance(meta, dict)
    return meta, text[end + 5 :]


def parse_sections(
    blocks: list[Block], block_ids: list[str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Highlights and notes of one article's blocks (after its heading); a block id
    paragraph ends a highlight or a note (its id goes to `block_ids`)."""
    highlights: list[dict[str, Any]] = []
    notes: list[str] = []
    section = None
    current_note: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            section = block.text
            continue
        if block.kind == "paragraph" and BLOCK_ID.fullmatch(block.text):
            if block_ids is not None:
                block_ids.append(block.text[1:])
            if section == "Notes":
                notes.append("\n\n".join(current_note))
                current_note = []
            continue
        if section == "Highlights":
            if block.kind == "quote":
                highlights.append({"quote": block.text, "meta": None, "note": []})
            elif block.kind == "paragraph" and highlights[-1]["meta"] is None:
                assert block.emphasis, block
                highlights[-1]["meta"] = block.text
            elif block.kind == "paragraph":
                if not highlights[-1]["note"]:
                    assert block.strong_prefix == "Note:", block
                    highlights[-1]["note"].append(block.text.removeprefix("Note: "))
                else:
                    highlights[-1]["note"].append(block.text)
            else:
                raise AssertionError(f"unexpected {block}")
        elif section == "Notes":
            if block.kind == "hr":
                notes.append("\n\n".join(current_note))
                current_note = []
            else:
                assert block.kind == "paragraph", block
                text = block.text
                if not current_note and block.strong_prefix == "Note:":
                    text = text.removeprefix("Note: ")
                current_note.append(text)
    if current_note:
        notes.append("\n\n".join(current_note))
    for h in highlights:
        h["note"] = "\n\n".join(h["note"])
    return highlights, notes


def parse_export(text: str) -> Parsed:
    """One article's exported file."""
    meta, body = split_front_matter(text)
    links: list[str] = []
    blocks = blocks_of(body, links)
    assert blocks and blocks[0].kind == "heading" and blocks[0].level == 1, blocks[:1]
    block_ids: list[str] = []
    highlights, notes = parse_sections(blocks[1:], block_ids)
    return Parsed(meta, blocks, highlights, notes, links, block_ids)


def parse_collection(text: str) -> tuple[dict[str, Any], list[Parsed]]:
    """A one-file export: a front matter, then a section per article (`# Title`)."""
    meta, body = split_front_matter(text)
    links: list[str] = []
    blocks = blocks_of(body, links)
    articles: list[list[Block]] = []
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            articles.append([block])
        else:
            articles[-1].append(block)
    parsed = []
    for article in articles:
        highlights, notes = parse_sections(article[1:])
        parsed.append(Parsed({"title": article[0].text}, article, highlights, notes, links))
    return meta, parsed


@pytest.fixture(scope="session")
def md_parse():
    return parse_export


@pytest.fixture(scope="session")
def md_parse_collection():
    return parse_collection


@pytest.fixture(scope="session")
def md_normalize():
    return normalize


# --- Archive-backed helpers -------------------------------------------------------


def make_page(
    title: str,
    paragraphs: list[str],
    *,
    url: str | None = None,
    byline: str | None = None,
    salt: str = "",
):
    """An (ExtractedPage, RawPage) pair as the ingest pipeline would hand to the archive."""
    from reader.document import Block, Document
    from reader.ingest.page import ExtractedPage, RawPage

    document = Document(tuple(Block("paragraph", text) for text in paragraphs))
    html = ("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + salt).encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind="html", url=url)
    page = ExtractedPage(
        document=document, title=title, byline=byline, url=url, site_name="Example"
    )
    return page, raw


@pytest.fixture(scope="session")
def page_factory():
    return make_page
