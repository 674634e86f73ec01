"""An e-reader for the tests: KOReader's XPointers into a book reader made, worked out
from the chapter's XHTML as crengine would name the place (element steps `name[n]`
with `[1]` left out for an only child of that name, `text()[k]`, a character offset)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

X = "{http://www.w3.org/1999/xhtml}"


def _local(element: etree._Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _step(element: etree._Element) -> str:
    parent = element.getparent()
    assert parent is not None
    same = [child for child in parent if _local(child) == _local(element)]
    index = same.index(element) + 1
    return _local(element) if len(same) == 1 else f"{_local(element)}[{index}]"


def _is_own_block(element: etree._Element, block: etree._Element) -> bool:
    name = element.get("id") or ""
    skipped = element is not block and name.startswith("r") and "-" in name
    return skipped or "noteref" in (element.get("class") or "")


def _text_nodes(block: etree._Element) -> list[tuple[etree._Element, bool, str]]:
    """The block's text nodes in order, as (element, is tail, text): the contract's."""
    found: list[tuple[etree._Element, bool, str]] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            found.append((node, False, node.text))
        for child in node:
            if not _is_own_block(child, block):
                walk(child)
            if child.tail:
                found.append((child, True, child.tail))

    walk(block)
    return found


def xpointer(
    xhtml: bytes, fragment: int, article_id: int, offset: int, *, end: bool = False
) -> str:
    """The pointer to character `offset` of the article's text in its chapter."""
    root = etree.fromstring(xhtml)
    blocks = []
    for element in root.iter():
        name = element.get("id") or ""
        if name.startswith(f"r{article_id}-"):
            blocks.append((int(name.rsplit("-", 1)[1]), element))
    for start, block in sorted(blocks, key=lambda pair: pair[0], reverse=True):
        if start > offset:
            continue
        inside = offset - start
        for owner, is_tail, text in _text_nodes(block):
            if inside < len(text) or (end and inside == len(text)):
                parent = owner.getparent() if is_tail else owner
                assert parent is not None
                nodes = ([(parent, False)] if parent.text else []) + [
                    (child, True) for child in parent if child.tail
                ]
                k = nodes.index((owner, is_tail)) + 1
                steps = []
                node: etree._Element | None = parent
                while node is not None and _local(node) != "body":
                    steps.append(_step(node))
                    node = node.getparent()
                path = "/".join(reversed(steps))
                text_step = "text()" if len(nodes) == 1 else f"text()[{k}]"
                return f"/body/DocFragment[{fragment}]/body/{path}/{text_step}.{inside}"
            inside -= len(text)
    raise AssertionError(f"offset {offset} is in no block of article {article_id}")


def chapters(epub: bytes) -> list[tuple[int, bytes]]:
    """The book's spine documents in order, with the article id each holds."""
    book = zipfile.ZipFile(io.BytesIO(epub))
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", ns)}
    found = []
    for ref in opf.iterfind(".//opf:itemref", ns):
        href = hrefs[ref.get("idref")]
        article_id = int(href.removeprefix("article-").removesuffix(".xhtml"))
        found.append((article_id, book.read(f"EPUB/{href}")))
    return found
