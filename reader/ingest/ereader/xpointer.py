"""KOReader's positions in a book reader made, back to offsets in an article's text.

KOReader (crengine) names a place in an EPUB by an XPointer such as
`/body/DocFragment[3]/body/div/p[3]/text().15`: the spine's third document, then a path
of elements (`name[n]` is the n-th child of that name, 1-based, `[1]` left out when it
is the only one), a text node (`text()[k]` likewise) and a character offset in it.

reader's chapters (reader.export.epub_xhtml) give every block element an id
`r<article id>-<offset>`, the offset being where the block's text starts in the
article's `Document.text`, and a block's text read in document order is the block's
text (leaving out nested blocks with their own id and note references). So a pointer is
resolved against the chapter's XHTML as the book had it: walk the path, find the block
it falls in, count the characters before it inside the block. Pure code: the caller
gives the XHTML and checks the quote at the place found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

__all__ = ["BlockPosition", "XPointer", "parse_xpointer", "resolve_xpointer"]

# The longest pointer read (real ones are well under 200 characters).
MAX_XPOINTER = 2_000
_STEP = re.compile(r"/(text\(\)|[A-Za-z_][\w.-]*)(?:\[(\d{1,6})\])?")
_OFFSET = re.compile(r"\.(\d{1,9})$")
_BLOCK_ID = re.compile(r"r(\d{1,18})-(\d{1,18})")


@dataclass(frozen=True)
class XPointer:
    """A parsed pointer: the spine document (1-based; None when it names none), the
    element steps inside that document's `body` as (name, 1-based index), the text
    node's 1-based index among its element's text nodes (None: the element itself), and
    the character offset."""

    fragment: int | None
    steps: tuple[tuple[str, int], ...]
    text_node: int | None
    offset: int


@dataclass(frozen=True)
class BlockPosition:
    """Where a pointer falls: the block's article id and start offset in the article's
    text, and the offset from there (None when the path inside the block cannot be
    followed in this markup: the block alone is known)."""

    article_id: int
    block_start: int
    inside: int | None

    @property
    def offset(self) -> int | None:
        return None if self.inside is None else self.block_start + self.inside


def parse_xpointer(text: str) -> XPointer | None:
    """The pointer, or None when `text` is not one KOReader writes for an EPUB."""
    if not text or len(text) > MAX_XPOINTER:
        return None
    offset = 0
    found = _OFFSET.search(text)
    if found:
        offset = int(found.group(1))
        text = text[: found.start()]
    steps: list[tuple[str, int]] = []
    at = 0
    while at < len(text):
        step = _STEP.match(text, at)
        if step is None:
            return None
        steps.append((step.group(1), int(step.group(2) or 1)))
        at = step.end()
    fragment = None
    if len(steps) >= 2 and steps[0][0] == "body" and steps[1][0] == "DocFragment":
        fragment = steps[1][1]
        steps = steps[2:]
    if steps and steps[0][0] == "body":
        steps = steps[1:]  # the document's own body: where the walk starts
    elif fragment is not None:
        return None
    text_node = None
    if steps and steps[-1][0] == "text()":
        text_node = steps.pop()[1]
    if any(name == "text()" for name, _ in steps):
        return None
    return XPointer(fragment, tuple(steps), text_node, offset)


def resolve_xpointer(xhtml: str, pointer: XPointer) -> BlockPosition | None:
    """Where `pointer` falls in the chapter `xhtml`, or None when it leads to no block."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xhtml.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        return None
    path = [body]
    node = body
    for name, index in pointer.steps:
        same = [child for child in node if _local(child) == name]
        if not 1 <= index <= len(same):
            break  # the markup differs from here: the deepest block so far still holds
        node = same[index - 1]
        path.append(node)
    else:
        return _position(path, pointer)
    return _position(path, None)


def _position(path: list[etree._Element], pointer: XPointer | None) -> BlockPosition | None:
    """The block of the deepest element of `path` with a block id, and the characters
    before the pointer inside it (when `pointer` is given and leads to a counted node)."""
    for depth in range(len(path) - 1, -1, -1):
        found = _BLOCK_ID.fullmatch(path[depth].get("id") or "")
        if found is None:
            continue
        article_id, block_start = int(found.group(1)), int(found.group(2))
        inside = None
        if pointer is not None:
            inside = _inside(path[depth], path[-1], pointer)
        return BlockPosition(article_id, block_start, inside)
    return None


def _inside(block: etree._Element, target: etree._Element, pointer: XPointer) -> int | None:
    """Characters of `block`'s text before the pointer's place in `target`."""
    segments = _segments(block)
    if pointer.text_node is None:
        # An element with an offset: its start (crengine counts children there).
        return _before(segments, target, "text")
    # The target's text nodes in order: its text, then the tail of each child.
    nodes = []
    if target.text:
        nodes.append((target, "text"))
    nodes += [(child, "tail") for child in target if child.tail]
    if not 1 <= pointer.text_node <= len(nodes):
        return None
    owner, kind = nodes[pointer.text_node - 1]
    before = _before(segments, owner, kind)
    if before is None:
        return None  # inside a note reference or a nested block: not the block's text
    length = len((owner.tail if kind == "tail" else owner.text) or "")
    return before + min(pointer.offset, length)


# A piece of a block's text: an element's text, its tail, or a separator the markup
# does not write (a tab before a table cell, a line break before a row), with a length.
_Segment = tuple[etree._Element, str, int]


def _before(segments: list[_Segment], owner: etree._Element, kind: str) -> int | None:
    count = 0
    for element, what, length in segments:
        if element is owner and what == kind:
            return count
        count += length
    return None


def _segments(node: etree._Element) -> list[_Segment]:
    """The pieces of the block's text in order (see `_Segment`): nested blocks (their
    own id) and note references are left out, their tails kept."""
    found: list[_Segment] = []
    if node.text:
        found.append((node, "text", len(node.text)))
    rows = cells = 0
    for child in node:
        if isinstance(child, etree._Comment | etree._ProcessingInstruction):
            pass  # no text of the block
        elif not _skipped(child):
            name = _local(child)
            if (name == "tr" and rows) or (name in ("td", "th") and cells):
                found.append((child, "sep", 1))  # a newline between rows, a tab between cells
            rows += name == "tr"
            cells += name in ("td", "th")
            found += _segments(child)
        if child.tail:
            found.append((child, "tail", len(child.tail)))
    return found


def _skipped(element: etree._Element) -> bool:
    if _BLOCK_ID.fullmatch(element.get("id") or ""):
        return True
    return _local(element) == "a" and "noteref" in (element.get("class") or "").split()


def _local(element: etree._Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]
