"""A saved page -> metadata and the article body as a Document.

readability-lxml picks the main-content container; our cleanup removes the boilerplate
it keeps; convert turns the result into Document blocks. When readability picks the
wrong container or finds almost nothing, the page's own `<article>`/`<main>` or its
JSON-LD articleBody stands in, and `ExtractedPage.extractor` says which path won.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import re
from collections.abc import Callable
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from readability import Document as Readability
from readability import cleaners as readability_cleaners
from readability import debug as readability_debug
from readability.readability import REGEXES as READABILITY_REGEXES

from reader.document import Block, Document
from reader.ingest.cleanup import clean_article
from reader.ingest.convert import html_to_document
from reader.ingest.metadata import Metadata, base_url, extract_metadata
from reader.ingest.metadata.language import guess_language
from reader.ingest.page import ExtractedPage, IngestError, RawPage
from reader.ingest.parse import parse_page_html
from reader.ingest.xpath import TextQuery
from reader.textrules import clean_line, strip_controls

# readability-lxml logs a traceback for every page it gives up on; we fall back and say
# why ourselves. A NullHandler keeps Python's last-resort handler from printing them to
# stderr, while an application that configures logging still receives them.
logging.getLogger("readability.readability").addHandler(logging.NullHandler())

# readability's own cleaner minus its javascript pass: that pass rewrites every link
# of the page (a third of readability's time), and only ever blanks link targets,
# which convert's allow-list of web schemes drops anyway; the text is the same.
_CLEANER = copy.copy(readability_cleaners.html_cleaner)
_CLEANER.javascript = False
_DISPLAY_NONE = READABILITY_REGEXES["displayNoneRe"]


# What readability's text_length measures: len(clean(text)), where clean turns a run of
# 255+ whitespace characters into one space (via 255 spaces), a run holding a newline
# into "\n", a tab or spaces-and-tabs into a space, and strips the ends. Its three
# regex passes over the whole text (the first quadratic in indentation) were a third
# of readability's time; a single-character run keeps its length, so only the longer
# runs need a look, and the count is the same.
_RUN = re.compile(r"\s{2,}")
_TAB_SPACE = re.compile(r"\t|[ \t]{2,}")


def readability_length(text: str) -> int:
    """`len(readability.readability.clean(text))`, computed faster."""
    text = text.strip()
    length = len(text)
    for run in _RUN.findall(text):
        if len(run) >= 255 or "\n" in run:
            length -= len(run) - 1
        else:
            length -= len(run) - len(_TAB_SPACE.sub(" ", run))
    return length


def readability_text_length(elem: HtmlElement) -> int:
    """`readability.readability.text_length(elem)`, computed faster."""
    return readability_length(elem.text_content() or "")


# readability's score of each candidate element: {'content_score': float, 'elem': element}.
Scores = dict[HtmlElement, dict[str, Any]]


class _Readability(Readability):  # type: ignore[misc]  # readability has no types
    """readability-lxml over our parsed tree, without its link rewriting or copies.

    readability mutates the tree it reads, so it is handed the caller's own tree and
    reads it once; the rare second pass (its "ruthless" pass found too little) reads
    a fresh one from `fresh`. Its `<base href>` handling would resolve links against
    a base we may not trust (we make links absolute ourselves, in convert), so it
    goes, and readability's pre-cleaning runs in place on that tree.
    """

    html: HtmlElement | None  # readability's attribute: the tree it reads
    retry_length: int  # readability's: a sanitized article shorter than this is retried

    def __init__(self, tree: HtmlElement, fresh: Callable[[], HtmlElement]) -> None:
        super().__init__("")
        self._tree: HtmlElement | None = tree
        self._fresh = fresh
        self._lengths: dict[HtmlElement, int] | None = None
        self.article: HtmlElement | None = None

    def _html(self, force: bool = False) -> HtmlElement:
        if force or self.html is None:
            tree, self._tree = self._tree, None
            self.html = self._prepare(tree if tree is not None else self._fresh())
        return self.html

    def _prepare(self, tree: HtmlElement) -> HtmlElement:
        """What readability's `_parse` does to a tree, in place and without links."""
        self.encoding = "utf-8"
        for base in list(tree.iter("base")):
            base.drop_tree()
        for elem in tree.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in tree.xpath("//*[@style]"):
            if _DISPLAY_NONE.search(elem.get("style")):
                elem.drop_tree()
        _CLEANER(tree)
        return tree

    def score_paragraphs(self) -> Scores:
        # Scoring reads the tree without changing it, and asks for the link density
        # of nested candidates again and again (every link once per ancestor): each
        # element's text length is measured once here.
        self._lengths = {}
        try:
            scores: Scores = super().score_paragraphs()
            return scores
        finally:
            self._lengths = None

    def get_link_density(self, elem: HtmlElement) -> float:
        """readability's link density, its text lengths measured faster (and once
        each while scoring)."""
        length = self._text_length
        link_length = sum(length(a) for a in elem.iterdescendants("a"))
        return float(link_length) / max(length(elem), 1)

    def _text_length(self, elem: HtmlElement) -> int:
        lengths = self._lengths
        if lengths is None:
            return readability_text_length(elem)
        length = lengths.get(elem)
        if length is None:
            length = lengths[elem] = readability_text_length(elem)
        return length

    def sanitize(self, node: HtmlElement, candidates: Scores, keep_all_images: bool = False) -> str:
        result: str = super().sanitize(node, candidates, keep_all_images)
        self.article = node
        return result

    def get_clean_html(self) -> str:
        """What `summary` measures the sanitized article by, against `retry_length`: a
        second pass starts when it is shorter. readability serialises the article and
        cleans its attributes with a regex for this (100 MB of HTML on a big page, and
        a copy); serialised HTML is at least as long as its text, so an article with
        that much text gets a stand-in of that length, and only a shorter one is
        serialised. (`summary` returns it; `_readability_article` reads the node.)"""
        if self.html is not None and _text_reaches(self.html, self.retry_length):
            return " " * self.retry_length
        result: str = super().get_clean_html()
        return result


def _readability_article(tree: HtmlElement, fresh: Callable[[], HtmlElement]) -> HtmlElement | None:
    """readability-lxml's article element (cleaned by its sanitize).

    `tree` is read and changed in place (readability edits what it reads); `fresh`
    gives another copy of the page should readability want a second pass.
    """
    reader = _Readability(tree, fresh)
    try:
        reader.summary(html_partial=True)
    finally:
        _forget_described_nodes()
    return reader.article


def _forget_described_nodes() -> None:
    """Let go of the tree readability's debug helper keeps.

    readability formats its debug messages whether or not they are logged, and
    `readability.debug.describe` caches the last tree it described in module globals
    ("can leak memory", it says): the page's whole tree stayed alive after extraction,
    through the archive's write (400 MB for a 100 MB page).
    """
    readability_debug.uids = {}
    readability_debug.uids_document = None


def extract_page(raw: RawPage) -> ExtractedPage:
    """Metadata and the cleaned article body of a saved page.

    Raises IngestError("no article text found") when the page has no article, and
    IngestError with a one-line reason for markup that cannot be read at all.

    Memory is the page's tree and little more: the decoded text is never held whole
    (`parse_page_html`), each tree is let go once read, and the page's own article
    element is copied before readability edits the tree only on small pages (on a
    big one, a copy would double the tree: the page is parsed again if it is needed).
    """
    tree = parse_page_html(raw)
    meta = extract_metadata(tree, raw.url)
    base = base_url(tree, meta.url)
    found = _semantic_container(tree)
    container_length = _text_length(found) if found is not None else 0
    # Copied before readability, which reads (and edits) `tree` itself.
    container = copy.deepcopy(found) if found is not None and _small(raw) else None
    del found

    document, extractor = Document(), "readability"
    try:
        article = _readability_article(tree, lambda: parse_page_html(raw))
    except RecursionError:
        article = None
    except Exception:  # readability wraps every failure as Unparseable
        article = None
    del tree  # what readability left of the page; the article is a tree of its own
    if article is not None:
        clean_article(article, meta.title)
        document = html_to_document(article, base)
        del article

    # The element's raw text (scripts and all) bounds what it could add: skip the
    # conversion when even that is not a quarter more than readability's text.
    if container_length and (
        document.word_count < 20 or container_length > 1.2 * len(document.text)
    ):
        if container is None:
            container = _semantic_container(parse_page_html(raw))
        if container is not None:
            candidate = html_to_document(clean_article(container, meta.title), base)
            container = None
            if _better_container(document, candidate):
                document, extractor = candidate, "article"
            del candidate
    container = None
    if meta.article_body:
        candidate = _text_document(meta.article_body, base)
        if document.word_count < max(20, 0.3 * candidate.word_count):
            document, extractor = candidate, "jsonld"
    if not _has_article_text(document) or (
        extractor != "jsonld"
        and document.word_count < _SHORT
        and not _has_content_text(parse_page_html(raw))
    ):
        raise IngestError("no article text found")
    return _page(_without_title_alts(document, meta.title), meta, extractor)


# A page's article element is copied when the page is at most this big; a bigger page
# is parsed again when its element is wanted, which costs time but no second tree.
_COPY_LIMIT = 4 * 2**20


def _small(raw: RawPage) -> bool:
    return len(raw.html) <= _COPY_LIMIT


def _text_reaches(elem: HtmlElement, length: int) -> bool:
    """Whether `elem`'s text is at least `length` characters, reading no more of it."""
    seen = 0
    for text in elem.itertext():
        seen += len(text)
        if seen >= length:
            return True
    return False


def _text_length(elem: HtmlElement) -> int:
    """`len(elem.text_content())`, without making that string (100 MB on a big page)."""
    return sum(map(len, elem.itertext()))


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _without_title_alts(document: Document, title: str) -> Document:
    """Figures whose only text is an alt repeating the article's title lose that text.

    CMSs fill every image's alt with the headline ("Illustration for article titled
    <headline>", or the headline without the <title>'s site suffix); as a caption it
    says nothing and breaks the reading flow.
    """
    wanted = _squash(title)
    if len(wanted) < 10:
        return document
    blocks = list(document.blocks)
    changed = False
    for i, block in enumerate(blocks):
        alt = _squash(block.alt)
        repeats_title = block.text == block.alt and (
            wanted in alt or (len(alt) >= 0.6 * len(wanted) and wanted.startswith(alt))
        )
        if block.kind == "figure" and block.text and repeats_title:
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
    """The element the page itself marks as the article, if it marks one.

    The only <article>, else the only itemprop=articleBody, else the only <main>: a
    page with several <article>s is a listing, and none of them is "the" article.
    """
    for path in ("//article", "//*[@itemprop='articleBody']", "//main"):
        found = tree.xpath(path)
        if len(found) == 1:
            element: HtmlElement = found[0]
            return element
    return None


def _words(document: Document) -> set[str]:
    return set(_WORD.findall(document.text.casefold()))


_WORD = re.compile(r"\w+")


def _link_share(document: Document) -> float:
    linked = sum(m.end - m.start for b in document.blocks for m in b.marks if m.kind == "link")
    return linked / max(1, len(document.text))


def _prose_words(document: Document) -> int:
    """Words in running prose: paragraphs, items, quotes of 80+ characters, few links."""
    count = 0
    for block in document.blocks:
        if block.kind in ("paragraph", "list_item", "quote", "code") and len(block.text) >= 80:
            linked = sum(m.end - m.start for m in block.marks if m.kind == "link")
            if linked < 0.2 * len(block.text):
                count += len(block.text.split())
    return count


def _better_container(found: Document, container: Document) -> bool:
    """Whether the page's own article element beats readability's pick.

    It does when readability found almost nothing, or when the element holds what
    readability found plus more running prose (readability stopped at one section of
    a long article) and little else: an element that adds mostly short lines and
    links is adding comments, teasers and menus, so readability's pick stands.
    """
    if container.word_count <= found.word_count:
        return False
    if found.word_count < 20:
        return True
    if container.word_count > 3 * found.word_count or _link_share(container) > 0.3:
        return False
    prose = _prose_words(container)
    if prose < 1.15 * _prose_words(found) or prose < 0.75 * container.word_count:
        return False
    ours = _words(found)
    return len(ours & _words(container)) >= 0.9 * len(ours)


_MARKUP = re.compile(r"<(?:p|br|div|a|h[1-6]|ul|ol|li|blockquote|strong|em)\b[^>]*>", re.I)


def _text_document(text: str, base: str | None = None) -> Document:
    """JSON-LD articleBody as paragraphs: split at newlines when it is plain text, as
    markup when some publisher put HTML in it (their <p>s, links and all)."""
    if _MARKUP.search(text):
        try:
            fragment = lxml.html.fragment_fromstring(strip_controls(text), create_parent="div")
        except (etree.ParserError, ValueError):
            fragment = None
        if fragment is not None:
            return html_to_document(clean_article(fragment), base)
    paragraphs = [clean_line(p) for p in re.split(r"\n\s*\n|\n", text)]
    return Document(tuple(Block("paragraph", p) for p in paragraphs if p))


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
