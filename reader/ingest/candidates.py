"""Which reading of a page becomes its body: readability's pick or another candidate.

Extraction reads a page several ways (`extract`): readability's article element, the
element the page marks as its article (`<article>`, `[itemprop=articleBody]`,
`<main>`), the JSON-LD articleBody, the page less its chrome (`chrome`), and its posts
when it is a forum thread (`forum`). `choose` weighs them on the page itself, with no
knowledge of the site: readability stands unless another candidate shows it missed
most of what the page has to say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.document import Block, Document
from reader.ingest.cleanup import clean_article
from reader.ingest.convert import html_to_document
from reader.textrules import clean_line, strip_controls


@dataclass(frozen=True)
class Candidates:
    """The readings of one page; an empty Document where a reading found nothing."""

    readability: Document
    article: Document | None = None  # the page's own article element, when it has one
    jsonld: Document | None = None
    page: Document | None = None  # the page less its chrome
    forum: Document | None = None  # the thread's posts, each with its author

    def named(self) -> Iterator[tuple[str, Document]]:
        """Every candidate that found something, by name, readability first."""
        for name in ("readability", "article", "forum", "jsonld", "page"):
            document = getattr(self, name)
            if document is not None and document.blocks:
                yield name, document


# readability's pick stands while it holds at least this share of the words of the
# page less its chrome. Below it, the page is the better reading when readability
# found almost nothing (under `FEW_WORDS`, or no running prose at all, beside
# `MORE_WORDS` more on the page: one product's blurb or its purchase box, one event of
# a list, a teaser) or when the page adds running prose of its own (`ADDED_PROSE` of
# its words) that readability left out: the sections of a service's pitch, the posts
# of a thread readability read one of. What the page adds in lists (link lists,
# comments) or teasers (`_teasers`) does not count.
PAGE_SHARE = 0.5
FEW_WORDS = 100
MORE_WORDS = 300
ADDED_PROSE = 0.2


# Where our readings look weak, a second opinion (`second_opinion`) settles it. A
# fallback that outvoted a readability pick of some length (`FEW_WORDS`) gives way
# when the opinion agrees with readability (`AGREES` of their word triples shared)
# more than with the fallback; a readability pick holding under `WEAK_SHARE` of the
# page's words gives way to the opinion when that reads `GROWS` times as many words.
# It does too when the opinion reads as much (`FEW_WORDS` or more) but hardly
# agrees with readability (under `DISAGREES`). (Asked on about one page in seven.)
AGREES = 0.7
DISAGREES = 0.3
WEAK_SHARE = 0.5
GROWS = 1.5


def choose(
    candidates: Candidates,
    opinion: Callable[[], Document] | None = None,
    fuller: Callable[[], Document] | None = None,
) -> tuple[str, Document]:
    """The candidate that becomes the body, and its name (ExtractedPage.extractor).

    `opinion` gives another extractor's reading of the page, asked for only where
    ours look weak (it costs a third of readability's time); `fuller` the same
    extractor's slower, fuller reading, asked for where the quick one found under
    half of a weak readability pick (it missed too).
    """
    name, document = _own_choice(candidates)
    if opinion is None:
        return name, document
    readability = candidates.readability
    page = candidates.page
    if name == "forum" and _thread_adds_some(readability, document):
        # readability read most of the "thread" and the thread adds a part: an
        # article with its teasers or comments marked up as posts, or a thread
        # readability read whole. The opinion settles which.
        other = opinion()
        agrees = agreement(readability, other)
        if agrees >= AGREES and agrees > agreement(document, other):
            return "readability", readability
    elif (
        name in ("page", "article")
        and readability.word_count >= FEW_WORDS
        and not _prose_only_in(document, readability)
    ):
        other = opinion()
        agrees = agreement(readability, other)
        if (
            agrees >= AGREES
            and agrees > agreement(document, other)
            # An opinion that read under half of readability's words (readability
            # read a page's mobile and desktop copies of one text) missed too much
            # to outvote the fallback.
            and other.word_count >= 0.5 * readability.word_count
        ):
            # The opinion reads what readability read, and more of it: it found the
            # rest of the same text (a product's description past its first part).
            # Counted in distinct word triples: a page may repeat its text.
            if len(_triples(other)) > GROWS * len(_triples(readability)):
                return "trafilatura", other
            return "readability", readability
    elif (
        name == "readability"
        and page is not None
        and document.word_count < (WEAK_SHARE * page.word_count)
    ):
        other = opinion()
        if fuller is not None and other.word_count < 0.5 * document.word_count:
            other = fuller()
        if not has_article_text(other):
            return name, document
        if other.word_count > GROWS * document.word_count:
            if _adds_lists(document, other):
                return name, document
            return "trafilatura", other
        # As long, but another part of the page: readability read the purchase box
        # or the footer beside the product's description.
        if other.word_count >= FEW_WORDS and agreement(document, other) < DISAGREES:
            return "trafilatura", other
    if all(_hollow(found) for _, found in candidates.named()):
        # Every reading of ours found almost nothing (a greeting and a sign-in link, a
        # price): the opinion, its fuller reading if need be, may find the page's text.
        other = opinion()
        if fuller is not None and other.word_count < FEW_WORDS:
            other = fuller()
        if has_article_text(other) and other.word_count >= max(
            FEW_WORDS, GROWS * document.word_count
        ):
            return "trafilatura", other
    return name, document


def _prose_only_in(fallback: Document, readability: Document) -> bool:
    """Whether the fallback holds running prose (`FEW_WORDS` of it) and readability's
    pick not a sentence: a list of entries, their summaries left out. An opinion that
    agrees with that pick read the same entries, not the page's text."""
    return paragraph_words(readability) == 0 and paragraph_words(fallback) >= FEW_WORDS


def _hollow(document: Document) -> bool:
    """Few words (`FEW_WORDS`) and not a sentence of running prose among them."""
    return document.word_count < FEW_WORDS and paragraph_words(document) == 0


# The opinion's growth does not count where readability's pick is running prose
# (`PROSE_SHARE` of its words in paragraphs) that the opinion reads whole (`HOLDS` of
# its word triples) and what the opinion adds is mostly (`LISTED` of its words) list
# items and teasers: a gallery's slides, a list of links, the cards of other articles.
PROSE_SHARE = 0.8
HOLDS = 0.8
LISTED = 0.7


def _adds_lists(found: Document, other: Document) -> bool:
    """Whether `other` is `found`, a pick of running prose, plus lists and teasers."""
    prose = paragraph_words(found)
    if prose < FEW_WORDS or prose < PROSE_SHARE * found.word_count:
        return False
    if not shares_text(found, other, HOLDS):
        return False
    have = _triples(found)
    added = listed = 0
    for block, teaser in zip(other.blocks, _teasers(other), strict=True):
        triples = text_triples(block.text)
        if not triples or len(triples & have) >= 0.5 * len(triples):
            continue  # found has it, or it has no words to say
        words = len(block.text.split())
        added += words
        if teaser or block.kind == "list_item":
            listed += words
    return added > 0 and listed >= LISTED * added


# A thread holding readability's pick replaces it unless it reads under `THREAD_LOSES`
# of readability's words (it lost what readability read: posts nested in posts, an
# article split into "posts"). When it reads between `THREAD_ADDS` and `THREAD_GROWS`
# times readability's words, the second opinion is asked (`choose`).
THREAD_LOSES = 0.9
THREAD_ADDS = 1.2
THREAD_GROWS = 2.0


def _own_choice(candidates: Candidates) -> tuple[str, Document]:
    forum = candidates.forum
    page = candidates.page
    if forum is not None and not (
        # A hollow "thread" (two short comments under an article readability missed
        # too) beside a page of running prose: the page's text is read as if no
        # thread were there.
        _hollow(forum) and page is not None and paragraph_words(page) >= MORE_WORDS
    ):
        readability = candidates.readability
        if (
            readability.word_count >= FEW_WORDS
            and forum.word_count < THREAD_LOSES * readability.word_count
        ):
            return "readability", readability
        return "forum", forum
    name, document = "readability", candidates.readability
    if candidates.article is not None and _better_container(document, candidates.article):
        name, document = "article", candidates.article
    jsonld = candidates.jsonld
    if jsonld is not None and document.word_count < max(20, 0.3 * jsonld.word_count):
        name, document = "jsonld", jsonld
    if page is not None and name != "jsonld" and _page_is_better(document, page, name):
        return "page", page
    if not has_article_text(document):
        for other, found in candidates.named():
            if has_article_text(found):
                return other, found
    return name, document


def _thread_adds_some(found: Document, thread: Document) -> bool:
    """Whether a thread adds a part to readability's pick (of some length) but not
    several times its words (then readability read one post of many)."""
    words = found.word_count
    return words >= FEW_WORDS and THREAD_ADDS * words <= thread.word_count <= THREAD_GROWS * words


def _page_is_better(found: Document, page: Document, name: str = "readability") -> bool:
    words, page_words = found.word_count, page.word_count
    if words >= PAGE_SHARE * page_words:
        return False
    # Almost nothing: few words, or a readability pick without a sentence of prose.
    hollow = words < FEW_WORDS or (name == "readability" and paragraph_words(found) == 0)
    if hollow and page_words - words >= MORE_WORDS:
        return True
    return paragraph_words(page) - paragraph_words(found) >= ADDED_PROSE * page_words


def paragraph_words(document: Document) -> int:
    """Words in running prose outside lists: paragraphs, quotes and code of 80 or more
    characters with few links, and not a teaser's blurb (`_teasers`)."""
    count = 0
    for block, teaser in zip(document.blocks, _teasers(document), strict=True):
        if teaser:
            continue
        if block.kind in ("paragraph", "quote", "code") and len(block.text) >= 80:
            linked = sum(m.end - m.start for m in block.marks if m.kind == "link")
            if linked < 0.2 * len(block.text):
                count += len(block.text.split())
    return count


def _teasers(document: Document) -> list[bool]:
    """Per block, whether it is part of a teaser of another page: a heading that is a
    link to that page (a card's headline) or the paragraph right under one (its blurb).
    A heading linking to an anchor (`#section`: documentation's self-links) is none."""
    flags = []
    under_link = False
    for block in document.blocks:
        if block.kind == "heading":
            under_link = _links_away(block)
            flags.append(under_link)
        elif block.kind == "figure" or not block.text:
            flags.append(False)  # a card's picture sits between headline and blurb
        else:
            flags.append(under_link and block.kind == "paragraph")
            under_link = False
    return flags


def _links_away(block: Block) -> bool:
    """Whether a block is (almost) all a link to another page."""
    linked = sum(
        m.end - m.start for m in block.marks if m.kind == "link" and "#" not in (m.href or "")
    )
    return bool(block.text) and linked >= 0.8 * len(block.text)


def shares_text(part: Document, whole: Document, share: float = 0.5) -> bool:
    """Whether at least `share` of `part`'s word triples are in `whole` (and `part` has
    some): `part` was read from inside `whole`."""
    ours = _triples(part)
    return bool(ours) and len(ours & _triples(whole)) >= share * len(ours)


def agreement(one: Document, other: Document) -> float:
    """How far two readings say the same: the share of word triples they have in
    common, 2|A & B| / (|A| + |B|) (0 when either is empty)."""
    ours, theirs = _triples(one), _triples(other)
    if not ours or not theirs:
        return 0.0
    return 2 * len(ours & theirs) / (len(ours) + len(theirs))


def _triples(document: Document) -> set[tuple[str, ...]]:
    return text_triples(document.text)


def text_triples(text: str) -> set[tuple[str, ...]]:
    """The text's word triples (casefolded): what `agreement` and `shares_text` count."""
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def has_article_text(document: Document) -> bool:
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


# --- the page's own article element ----------------------------------------------


def semantic_container(tree: HtmlElement) -> HtmlElement | None:
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


# --- JSON-LD articleBody -------------------------------------------------------------

_MARKUP = re.compile(r"<(?:p|br|div|a|h[1-6]|ul|ol|li|blockquote|strong|em)\b[^>]*>", re.I)


def text_document(text: str, base: str | None = None) -> Document:
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
