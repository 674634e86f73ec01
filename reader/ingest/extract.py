"""A saved page -> metadata and the article body as a Document.

readability-lxml (`readable`) picks the main-content container; our cleanup removes
the boilerplate it keeps; convert turns the result into Document blocks. The page is
read other ways too (`candidates`): its own `<article>`/`<main>`, its JSON-LD
articleBody, the page less its chrome (`chrome`), its posts when it is a thread
(`forum`); `candidates.choose` takes one, and `ExtractedPage.extractor` says which.
The article's lead figure, when it sits above the body on the page, is put at the
body's top (`lead_figure`).
"""

from __future__ import annotations

import copy
import dataclasses
import functools

from lxml.html import HtmlElement

from reader.document import Block, Document
from reader.ingest.candidates import (
    FEW_WORDS,
    Candidates,
    choose,
    has_article_text,
    semantic_container,
    shares_text,
    text_document,
)
from reader.ingest.chrome import main_region
from reader.ingest.cleanup import clean_article
from reader.ingest.convert import html_to_document
from reader.ingest.forum import drop_posts, lead_post, thread_document, thread_posts
from reader.ingest.lead_figure import lead_figures, with_lead_figure
from reader.ingest.metadata import Metadata, base_url, extract_metadata
from reader.ingest.metadata.bylines import clean_byline
from reader.ingest.metadata.language import guess_language
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.parse import parse_page_html
from reader.ingest.readable import readability_article, text_length
from reader.ingest.scripted import reveal_noscript
from reader.ingest.second_opinion import trafilatura_reading
from reader.ingest.xpath import TextQuery
from reader.textrules import clean_line


def extract_page(raw: RawPage) -> ExtractedPage:
    """Metadata and the cleaned article body of a saved page.

    Raises IngestError("no article text found") when the page has no text to read,
    and IngestError with a one-line reason for markup that cannot be read at all.

    Memory is the page's tree and little more: the decoded text is never held whole
    (`parse_page_html`), each tree is let go once read, and the page is copied before
    readability edits its tree only when it is small (on a big one, a copy would
    double the tree: the page is parsed again for the other readings); htmldate, which
    copies the tree it searches for a date, searches small pages only.
    """
    tree = parse_page_html(raw)
    meta = extract_metadata(tree, raw.url, search_dates=_small(raw))
    base = base_url(tree, meta.url)
    reveal_noscript(tree)
    # Copied before readability, which reads (and edits) `tree` itself.
    page = copy.deepcopy(tree) if _small(raw) else None

    readable = Document()
    try:
        article = readability_article(tree, lambda: _fresh(raw))
    except RecursionError:
        article = None
    except Exception:  # readability wraps every failure as Unparseable
        article = None
    del tree  # what readability left of the page; the article is a tree of its own
    if article is not None:
        clean_article(article, meta.title)
        readable = html_to_document(article, base)
        del article

    if page is None:
        page = _fresh(raw)
    # Read before the other readings use the page up; put in once the body is chosen.
    leads = lead_figures(page, base)
    candidates = _candidates(page, readable, meta, base)
    del page
    opinion = _Opinion(raw, base)
    extractor, document = choose(candidates, opinion, _Opinion(raw, base, fast=False))
    short = extractor in ("readability", "article", "trafilatura") and document.word_count < _SHORT
    # Whether the page has text outside its furniture: a parse of its own, made once.
    content = functools.cache(lambda: _has_content_text(_fresh(raw)))
    if short and not content():
        document = Document()
    # Our readings found nothing but furniture on a page with some text outside it:
    # the second opinion may still find the product's blurb or the list's entries.
    if not has_article_text(document) and content():
        extractor, document = "trafilatura", opinion()
    if not has_article_text(document) and meta.excerpt:
        # No reading holds text, but the page describes itself (one drawn by scripts,
        # a shop's front page): it is kept as a bookmark is, its description for text
        # and its original stored, rather than not at all.
        extractor, document = "description", Document((Block("paragraph", meta.excerpt),))
    if not has_article_text(document):
        raise IngestError("no article text found")
    if extractor != "forum":  # a thread's pictures are its posts'
        document = with_lead_figure(document, leads)
    return _page(_without_alt_text(document), meta, extractor)


class _Opinion:
    """trafilatura's reading of the page, made once when first asked for. It gets the
    page as parsed, without our noscript reveal (which misleads its pruning); a page
    over `_OPINION_LIMIT` gets none (a third tree of a huge page, for a second opinion)."""

    def __init__(self, raw: RawPage, base: str | None, fast: bool = True) -> None:
        self._raw, self._base, self._fast = raw, base, fast
        self._document: Document | None = None

    def __call__(self) -> Document:
        if self._document is None:
            self._document = (
                trafilatura_reading(parse_page_html(self._raw), self._base, self._fast)
                if len(self._raw.html) <= _OPINION_LIMIT
                else Document()
            )
        return self._document


def _fresh(raw: RawPage) -> HtmlElement:
    """The page parsed again, its noscript text revealed as the first parse had it."""
    tree = parse_page_html(raw)
    reveal_noscript(tree)
    return tree


def _candidates(
    page: HtmlElement, readable: Document, meta: Metadata, base: str | None
) -> Candidates:
    """Every reading of the page beside readability's (`page` is used up)."""

    def convert(element: HtmlElement) -> Document:
        return html_to_document(clean_article(element, meta.title), base)

    # The page's own article element, when it could add to readability's text: its
    # raw text (scripts and all) bounds what it could add, so it is converted only
    # when that is a fifth more than readability's text.
    article = None
    found = semantic_container(page)
    if found is not None and (
        readable.word_count < 20 or text_length(found) > 1.2 * len(readable.text)
    ):
        article = convert(copy.deepcopy(found))
    del found
    # A thread is the page when readability's pick is one of its posts (or nothing);
    # beside an article of its own, the thread is the article's comments, and goes.
    forum = None
    posts = thread_posts(page)
    if posts:
        lead = lead_post(posts) if readable.word_count < FEW_WORDS else None
        if lead is not None:  # readability read a reply: the thread opens with its post
            posts = [lead, *posts]
        thread = thread_document(posts, lambda el: html_to_document(el, base))
        if readable.word_count < FEW_WORDS or shares_text(readable, thread):
            forum = thread
            # A thread is its first post's: who started it, when (if the page's
            # metadata does not say).
            meta.byline = meta.byline or clean_byline(posts[0].author)
        else:
            drop_posts(posts)
    del posts
    region = convert(main_region(page))
    jsonld = text_document(meta.article_body, base) if meta.article_body else None
    return Candidates(readable, article, jsonld, region, forum)


# A page's article element is copied when the page is at most this big; a bigger page
# is parsed again when its element is wanted, which costs time but no second tree.
_COPY_LIMIT = 4 * 2**20


# The second opinion is asked for on pages up to this big.
_OPINION_LIMIT = 4 * 2**20


def _small(raw: RawPage) -> bool:
    return len(raw.html) <= _COPY_LIMIT


def _without_alt_text(document: Document) -> Document:
    """Figures whose only text is their alt lose that text (it stays the figure's alt).

    An alt is what a page shows in a picture's stead, not beside it: the headline
    again ("Illustration for article titled <headline>"), a credit ("(Credit: NASA)"),
    a file name or a description. Read as a caption it breaks the reading flow, and
    it is no text the page shows (`python -m bench.extraction`, modern pages: body F1
    0.792 -> 0.803; 2 of the 12 pages that lost to bare readability-lxml lost by an
    alt). The readings are chosen with it (a picture's alt says a reading holds that
    picture: without it, two shops' purchase boxes outweighed their product pages)."""
    blocks = list(document.blocks)
    changed = False
    for i, block in enumerate(blocks):
        if block.kind == "figure" and block.text and block.text == block.alt:
            blocks[i] = dataclasses.replace(block, text="", marks=())
            changed = True
    return Document(tuple(blocks)) if changed else document


# Below this many words, an article must show some text outside the page's furniture.
_SHORT = 50
# Text no reader comes for: links (not a javascript: one, which convert reads as
# text), menus, the site's banner and footer (not an article's own), form controls.
_WEB_LINK = (
    "@href and not(starts-with(translate(normalize-space(@href), 'JAVSCRIPT', 'javscript'),"
    " 'javascript:'))"
)
_CONTENT_TEXT = TextQuery(
    f"//body//text()[not(ancestor::a[{_WEB_LINK}] or ancestor::nav or ancestor::menu"
    " or ancestor::aside or ancestor::button or ancestor::select or ancestor::label"
    " or ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::*[@role='navigation' or @role='menu' or @role='menubar'"
    " or @role='banner' or @role='contentinfo']"
    " or ancestor::header[not(ancestor::article or ancestor::main)]"
    " or ancestor::footer[not(ancestor::article or ancestor::main)])]"
)


def _has_content_text(tree: HtmlElement) -> bool:
    """Whether the page has words outside its navigation and boilerplate.

    A page of nothing but a menu, a banner and a footer ("Home", "Copyright 2020")
    gives readability a few short lines it calls an article; this asks the page.
    """
    return any(any(ch.isalnum() for ch in text) for text in _CONTENT_TEXT(tree))


def _page(document: Document, meta: Metadata, extractor: str) -> ExtractedPage:
    title = meta.title
    if not title:
        first_heading = next((b.text for b in document.blocks if b.kind == "heading"), "")
        first_text = clean_line(next((b.text for b in document.blocks if b.text), ""))
        if len(first_text) > 120:  # a title from a paragraph: one line, cut at a word
            first_text = first_text[:120].rsplit(" ", 1)[0] + "…"
        title = first_heading or first_text
    excerpt = meta.excerpt
    if not excerpt:
        first = " ".join(
            next((b.text for b in document.blocks if b.kind == "paragraph"), "").split()
        )
        if len(first) > 300:  # cut at a word, and say so
            first = first[:300].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        excerpt = first or None
    return ExtractedPage(
        document=document,
        title=title,
        byline=meta.byline,
        site_name=meta.site_name,
        url=meta.url,
        published=meta.published,
        lang=meta.lang or guess_language(document.text),
        excerpt=excerpt,
        extractor=extractor,
    )
