"""Pages for the archive tests, shaped as the ingest pipeline hands them over."""

from __future__ import annotations

import pytest

from reader.document import Block, Document
from reader.ingest.page import ExtractedPage, RawPage


def make_page(
    title: str = "A title",
    paragraphs: tuple[str, ...] = ("First paragraph.", "Second paragraph."),
    *,
    url: str | None = "https://example.com/a",
    data: bytes | None = None,
) -> tuple[ExtractedPage, RawPage]:
    document = Document(tuple(Block("paragraph", p) for p in paragraphs))
    html = data if data is not None else ("<p>" + "</p><p>".join(paragraphs) + "</p>").encode()
    raw = RawPage(data=html, html=html, filename="page.html", kind="html", url=url)
    page = ExtractedPage(document=document, title=title, url=url, site_name="Example")
    return page, raw


@pytest.fixture
def page():
    return make_page
