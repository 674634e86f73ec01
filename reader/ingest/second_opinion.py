"""trafilatura's reading of a page: a second opinion where our own readings disagree.

trafilatura is a well-kept extractor of this field, built on other rules than
readability's (it walks the page's text blocks and prunes by tag and link density).
`candidates.choose` asks it only where our own readings look weak: readability's pick
holds a small part of the page's text, or a fallback (the page less its chrome, its
own `<article>`) outvoted readability. Its fast mode (no fallback to its own copy of
readability and jusText) costs about a third of readability's time on a page, and it
is run on a quarter of pages or so.
"""

from __future__ import annotations

import logging

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.document import Document
from reader.ingest.convert import html_to_document

# trafilatura logs each page it finds too little on; we weigh its answer ourselves.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())


def trafilatura_reading(tree: HtmlElement, base: str | None, fast: bool = True) -> Document:
    """trafilatura's main text of the page `tree` (which it edits: give it a copy of
    its own), as a Document; an empty one when it finds nothing or fails. `fast`
    leaves out its fallbacks (three times the time)."""
    import trafilatura  # imported here: half a second at startup, wanted on few pages

    try:
        html = trafilatura.extract(
            tree,
            fast=fast,
            include_comments=False,
            include_links=True,
            include_formatting=True,
            include_tables=True,
            output_format="html",
        )
    except Exception:  # trafilatura on untrusted markup: any failure is "no opinion"
        return Document()
    if not html:
        return Document()
    try:
        body = lxml.html.document_fromstring(html).find("body")
    except (etree.ParserError, ValueError):
        return Document()
    return Document() if body is None else html_to_document(body, base)
