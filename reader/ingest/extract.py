"""A saved page -> metadata and the article body as a Document.

readability-lxml picks the main-content container; our cleanup removes the boilerplate
it keeps; convert turns the result into Document blocks. When readability picks the
wrong container or finds almost nothing, the page's own `<article>`/`<main>` or its
JSON-LD articleBody stands in, and `ExtractedPage.extractor` says which path won.
"""

from __future__ import annotations

import copy
import re

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from readability import Document as Readability

from reader.ingest.cleanup import clean_article
from reader.ingest.convert import html_to_document
from reader.ingest.decode import decode_html
from reader.ingest.document import Block, Document
from reader.ingest.metadata import Metadata, base_url, extract_metadata
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.text import clean_line

_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)


_WRAPPER_TAGS = re.compile(
    r"<(/?)(?:div|section|center|article|main|aside|header|footer|blockquote|table|tbody|"
    r"thead|tr|td|th|ul|ol|dl|dd|dt|li|form|fieldset|nav|figure)\b[^>]*>",
    re.I,
)
_INLINE_TAGS = re.compile(
    r"</?(?:span|font|b|i|em|strong|a|u|small|big|sub|sup|s|strike|abbr|label|nobr)\b[^>]*>",
    re.I,
)


def parse_html(text: str) -> HtmlElement:
    """The page as an lxml tree; IngestError when there is no markup at all.

    libxml2 stops at 256 levels of nesting and drops everything below, so a page
    nested deeper (unclosed wrappers, hostile markup) is parsed again with its
    wrapper elements flattened into paragraphs: the text survives, the nesting not.
    """
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise IngestError("no article text found")
    tree = _parse(text)
    if _too_deep():
        tree = _parse(_INLINE_TAGS.sub("", _WRAPPER_TAGS.sub("\n<p>", text)))
        if _too_deep():
            raise IngestError("page nested too deeply to read (more than 255 levels)")
    return tree


def _parse(text: str) -> HtmlElement:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise IngestError(f"not parseable as HTML ({clean_line(str(error))[:80]})") from None


def _too_deep() -> bool:
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log)


class _Readability(Readability):
    """readability-lxml over a copy of our parsed tree, without its link rewriting.

    Parsing once and deep-copying is cheaper than letting readability parse the text
    again, and its `<base href>` handling would resolve links against a base we may
    not trust (we make links absolute ourselves, in convert).
    """

    def __init__(self, tree: HtmlElement) -> None:
        super().__init__("")
        self._pristine = tree
        self.article: HtmlElement | None = None

    def _html(self, force: bool = False) -> HtmlElement:
        if force or self.html is None:
            self.html = self._parse(copy.deepcopy(self._pristine))
        return self.html

    def sanitize(self, node, candidates, keep_all_images=False):  # type: ignore[no-untyped-def]
        result = super().sanitize(node, candidates, keep_all_images)
        self.article = node
        return result


def _readability_article(tree: HtmlElement) -> HtmlElement | None:
    pristine = copy.deepcopy(tree)
    for base in list(pristine.iter("base")):
        base.drop_tree()
    reader = _Readability(pristine)
    reader.summary(html_partial=True)
    return reader.article


def extract_page(raw: RawPage) -> ExtractedPage:
    """Metadata and the cleaned article body of a saved page.

    Raises IngestError("no article text found") when the page has no article, and
    IngestError with a one-line reason for markup that cannot be read at all.
    """
    tree = parse_html(decode_html(raw))
    meta = extract_metadata(tree, raw.url)
    base = base_url(tree, meta.url)

    document, extractor = Document(), "readability"
    try:
        article = _readability_article(tree)
    except RecursionError:
        article = None
    except Exception:  # readability wraps every failure as Unparseable
        article = None
    if article is not None:
        clean_article(article, meta.title)
        document = html_to_document(article, base)

    if document.word_count < 20:
        fallback = _semantic_container(tree)
        if fallback is not None:
            candidate = html_to_document(clean_article(fallback, meta.title), base)
            if candidate.word_count > document.word_count:
                document, extractor = candidate, "article"
    if document.word_count < 20 and meta.article_body:
        candidate = _text_document(meta.article_body)
        if candidate.word_count > document.word_count:
            document, extractor = candidate, "jsonld"
    if not _has_article_text(document):
        raise IngestError("no article text found")
    return _page(document, meta, extractor)


def _has_article_text(document: Document) -> bool:
    """Some words outside links and image captions: a page of menus is no article."""
    for block in document.blocks:
        if block.kind in ("figure", "rule") or not block.text:
            continue
        covered = bytearray(len(block.text))
        for mark in block.marks:
            if mark.kind == "link":
                covered[mark.start : mark.end] = b"\x01" * (mark.end - mark.start)
        if any(ch.isalnum() and not covered[i] for i, ch in enumerate(block.text)):
            return True
    return False


def _semantic_container(tree: HtmlElement) -> HtmlElement | None:
    """The page's own <article> (largest), else <main>, as a cleaned copy."""
    for tag in ("article", "main"):
        found = list(tree.iter(tag))
        if found:
            best = max(found, key=lambda el: len(el.text_content()))
            return copy.deepcopy(best)
    return None


def _text_document(text: str) -> Document:
    """Plain text (JSON-LD articleBody) as paragraphs, split at blank lines or newlines."""
    paragraphs = [clean_line(p) for p in re.split(r"\n\s*\n|\n", text)]
    return Document(tuple(Block("paragraph", p) for p in paragraphs if p))


def _page(document: Document, meta: Metadata, extractor: str) -> ExtractedPage:
    title = meta.title
    if not title:
        first_heading = next((b.text for b in document.blocks if b.kind == "heading"), "")
        title = first_heading or next((b.text for b in document.blocks if b.text), "")[:120]
    excerpt = meta.excerpt
    if not excerpt:
        first = next((b.text for b in document.blocks if b.kind == "paragraph"), "")
        excerpt = first[:300] or None
    return ExtractedPage(
        document=document,
        title=title,
        byline=meta.byline,
        site_name=meta.site_name,
        url=meta.url,
        published=meta.published,
        lang=meta.lang,
        excerpt=excerpt,
        extractor=extractor,
    )
