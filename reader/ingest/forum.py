"""Forum threads: each post with its author and date, in the order of the thread.

readability keeps the longest post and drops the rest, and the page less its chrome
(`chrome.main_region`) keeps the posts but buries them in vote counts, badges and
reply buttons. A thread is found by its repeated posts: elements marked as comments
or posts (schema.org microdata, a `data-author`, a class or an id such as `post_123`)
that share one shape and each name an author. Each post becomes a line "Author · date"
followed by the post's own text, so a reader sees who said what.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement

from reader.document import Block, Document, Mark
from reader.ingest.candidates import text_triples
from reader.ingest.cleanup import clean_article, is_hidden
from reader.ingest.xpath import ElementQuery
from reader.textrules import clean_line

# What marks an element as one post of a thread.
_POST_TYPES = re.compile(r"(?:Comment|DiscussionForumPosting|Answer|Question|SocialMediaPosting)$")
_POST_NAME = re.compile(
    r"(?:^|[\s_-])(?:post|posts?-?container|message|comment|reply|answer|question|postbit|"
    r"tpost|cpost|crawler-post|topic-post|forum-post|post-?item|comment-?item|commentary)"
    r"(?:$|[\s_-])",
    re.I,
)
_POST_ID = re.compile(
    r"^(?:p|post|posts|message|msg|comment|reply|answer|elComment|js-post)[_-]?\d+$"
)
_CANDIDATES = ElementQuery(
    "descendant::*[@itemprop='comment' or @itemprop='suggestedAnswer' or @itemprop='acceptedAnswer'"
    " or @itemtype or @data-author or @id or @class]"
)

# Who wrote it: the most telling markup first.
_AUTHOR_NAME = re.compile(
    r"(?:^|[\s_-])(?:author|username|user-?name|bigusername|poster|post-?author|postauthor|"
    r"creator|message-?name|cauthorpane|comment-?author|user-?link|hnuser|author-?name)"
    r"(?:$|[\s_-])",
    re.I,
)
_PROFILE_LINK = re.compile(
    r"(?:/(?:u|user|users|member|members|profile|profiles|people|author)/[^/?#]+|"
    r"member\.php\?u=|memberlist\.php\?mode=viewprof|/@[\w.-]+$|user\?id=)",
    re.I,
)
# When it was written: a <time>, else a short element named for dates.
_DATE_NAME = re.compile(r"(?:^|[\s_-])(?:date|time|timestamp|posted|post-?date|postdate)", re.I)
# The post's own text, when the post marks it.
_BODY_NAME = re.compile(
    r"(?:^|[\s_-])(?:post-?body|postbody|post-?content|post-?text|post-?message|message-?body|"
    r"message-?content|message-?text|comment-?body|comment-?content|comment-?text|commtext|"
    r"cooked|bbwrapper|s-prose|postcontent|post_message|content|md|entry-?content|text)"
    r"(?:$|[\s_-])",
    re.I,
)
# Parts of a post that are not what it says: signatures, votes, buttons, badges.
_FURNITURE_NAME = re.compile(
    r"(?:^|[\s_-])(?:signature|sig|vote|votes|voting|actions?|controls|toolbar|footer|"
    r"reactions?|likes?|share|report|reply-?button|badges?|user-?info|userinfo|"
    r"user-?details|user-?stats|postprofile|author-?info|avatar|menu)(?:$|[\s_-])",
    re.I,
)

_MIN_POST_CHARS = 20


@dataclass
class Post:
    """One post of a thread: who, when, and its own text (elements of the page)."""

    element: HtmlElement
    author: str
    date: str
    body: HtmlElement  # the element holding what the post says (maybe the post itself)


def thread_posts(region: HtmlElement) -> list[Post]:
    """The posts of the thread under `region`, in page order; [] when it holds none.

    A thread is two or more elements of one shape (tag and microdata type, id prefix
    or main class) that each look like a post, name an author and say something. Of
    the shapes that qualify, the one whose posts say the most is the thread.
    """
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for el in _CANDIDATES(region):
        if not isinstance(el.tag, str) or is_hidden(el):
            continue
        for shape in _post_shapes(el):
            groups.setdefault(shape, []).append(el)
    best: list[Post] = []
    best_length = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        posts = [p for p in (_post(el) for el in members) if p is not None]
        if len(posts) < 2:
            continue
        length = sum(_text_length(p.body) for p in posts)
        if length > best_length:
            best, best_length = posts, length
    return best


# How far above the first reply the thread's opening post is looked for.
_LEAD_LEVELS = 6


def lead_post(posts: list[Post]) -> Post | None:
    """The post the replies answer, when its markup is not theirs (a link aggregator's
    submission above its comments): the nearest element before the first reply, within
    a few levels of it, that is or holds an `<article>`, names an author and says
    something. (An article above its comments is found so too: the caller asks only
    where readability read none of the page's own text.)"""
    first = posts[0].element
    child = first
    for ancestor in list(first.iterancestors())[:_LEAD_LEVELS]:
        for sibling in child.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and next(sibling.iter("article"), None) is not None:
                return _post(sibling)
        child = ancestor
    return None


def _post_shapes(el: HtmlElement) -> list[tuple[str, str]]:
    """What may group this element with the other posts of its thread (each a shape of
    its own: a thread's first post often lacks the markup of the replies)."""
    shapes = []
    itemtype = (el.get("itemtype") or "").rstrip("/")
    if _POST_TYPES.search(itemtype):
        shapes.append((el.tag, "itemtype:" + itemtype.rsplit("/", 1)[-1]))
    if (el.get("itemprop") or "") in ("comment", "suggestedAnswer", "acceptedAnswer"):
        shapes.append((el.tag, "itemprop:comment"))
    if el.get("data-author") is not None:
        shapes.append((el.tag, "data-author"))
    element_id = el.get("id") or ""
    if _POST_ID.match(element_id):
        shapes.append((el.tag, "id:" + re.sub(r"[_-]?\d+$", "", element_id)))
    classes = (el.get("class") or "").split()
    if classes and _POST_NAME.search(" ".join(classes)):
        shapes.append((el.tag, "class:" + re.sub(r"\d+", "", classes[0])))
    return shapes


def _post(el: HtmlElement) -> Post | None:
    """The element as a post: it names an author and says something beside it."""
    author = _author(el)
    if not author:
        return None
    body = _body_element(el)
    if _text_length(body) - len(author) < _MIN_POST_CHARS:
        return None
    return Post(el, author, _date(el), body)


def _text_length(el: HtmlElement) -> int:
    return len(clean_line(el.text_content()))


def _author(post: HtmlElement) -> str:
    """The post's author as the page names them, "" when it names no one."""
    named = post.get("data-author")
    if named and clean_line(named):
        return clean_line(named)
    for test in (_is_author_property, _is_author_name, _is_profile_link):
        for el in post.iterdescendants():
            if isinstance(el.tag, str) and test(el):
                name = _name_text(el)
                if name:
                    return name
    return ""


def _is_author_property(el: HtmlElement) -> bool:
    return (
        "author" in (el.get("itemprop") or "").split() or "author" in (el.get("rel") or "").split()
    )


def _is_author_name(el: HtmlElement) -> bool:
    return bool(_AUTHOR_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def _is_profile_link(el: HtmlElement) -> bool:
    return el.tag == "a" and bool(_PROFILE_LINK.search(el.get("href") or ""))


def _name_text(el: HtmlElement) -> str:
    """A name from an author element: its itemprop=name, else its text, if short."""
    name_el = next((e for e in el.iter() if (e.get("itemprop") or "") == "name"), None)
    source = name_el if name_el is not None else el
    text = clean_line(source.get("content") or source.text_content())
    return text if 0 < len(text) <= 60 and len(text.split()) <= 6 else ""


def _date(post: HtmlElement) -> str:
    """When the post was written, as the page shows it ("" when it does not)."""
    for el in post.iter("time"):
        text = clean_line(el.text_content()) or clean_line(el.get("title") or el.get("datetime"))
        if text:
            return text
    for el in post.iterdescendants():
        if not isinstance(el.tag, str) or (el.tag in ("a", "p", "div") and len(el) > 3):
            continue
        if _DATE_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            text = clean_line(el.text_content())
            if 0 < len(text) <= 40 and any(ch.isdigit() for ch in text):
                return text
    return ""


def _body_element(post: HtmlElement) -> HtmlElement:
    """The element the post marks as what it says (the one with the most text, so a
    wrapper named "content" wins over an author pane named so too), else the post."""
    best, best_length = post, 0
    for el in post.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        marked = (el.get("itemprop") or "") in ("text", "articleBody", "commentText")
        if marked or _BODY_NAME.search(el.get("class") or ""):
            length = _text_length(el)
            if length > best_length:
                best, best_length = el, length
    return best


def _own_text(post: Post, nested: set[HtmlElement]) -> HtmlElement:
    """A copy of the post's text without its author line, date, signature, buttons and
    the replies nested in it (each of those is a post of its own)."""
    body = post.body
    length = _text_length(body)
    doomed = [el for el in body.iterdescendants() if el in nested]
    doomed += [
        el
        for el in body.iterdescendants()
        if isinstance(el.tag, str)
        and (
            _FURNITURE_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}")
            or _is_author_property(el)
            or _is_author_name(el)
            or el.tag in ("header", "footer", "time")
        )
        and _text_length(el) < 0.5 * length
    ]
    return _without(body, doomed)


def _without(el: HtmlElement, doomed: list[HtmlElement]) -> HtmlElement:
    """A copy of `el` without the `doomed` elements inside it."""
    from copy import deepcopy

    # The doomed are found again in the copy by their place among `el`'s descendants.
    doomed_set = set(doomed)
    places = {d: i for i, d in enumerate(el.iterdescendants()) if d in doomed_set}
    copy = deepcopy(el)
    copy.tail = None
    if places:
        wanted = set(places.values())
        found = [d for i, d in enumerate(copy.iterdescendants()) if i in wanted]
        for d in found:
            if d.getparent() is not None:
                d.drop_tree()
    return copy


def thread_document(posts: list[Post], to_document: Callable[[HtmlElement], Document]) -> Document:
    """The thread as blocks: for each post, "Author · date" (the name in bold), then
    its text as `to_document` converts it (cleaned of boilerplate first), less its
    quotes of the posts above it (`drop_quotes_of`)."""
    elements = {p.element for p in posts}
    nested = {el for p in posts for el in p.element.iterdescendants() if el in elements}
    blocks: list[Block] = []
    said: set[tuple[str, ...]] = set()  # the word triples of the posts so far
    for post in posts:
        line = post.author + (f" · {post.date}" if post.date else "")
        blocks.append(Block("paragraph", line, (Mark("strong", 0, len(post.author)),)))
        own = _own_text(post, nested)
        drop_quotes_of(own, said)
        document = to_document(clean_article(own))
        said |= text_triples(document.text)
        blocks.extend(document.blocks)
    return Document(tuple(blocks))


# A quote in a reply is the earlier post it answers when this share of its word
# triples were said above it (a quote may be cut short, or its words run on).
QUOTED = 0.6
# A quote's box on forum software: its "Name said:" title and "Click to expand..."
# link around the blockquote (XenForo, vBulletin, Discourse's aside.quote).
_QUOTE_BOX = re.compile(
    r"(?:^|[\s_-])(?:quote|bbcodeblock|bbcode_quote|quotecontainer)(?:$|[\s_-])", re.I
)


def drop_quotes_of(body: HtmlElement, said: set[tuple[str, ...]]) -> None:
    """Remove from a post's text (`body`, a copy) each quote whose words were said in
    the thread above it: the thread shows that post already, whole and under its
    author. A quote of a post the page does not hold stays."""
    if not said:
        return
    doomed = []
    for quote in body.iter("blockquote"):
        triples = text_triples(quote.text_content())
        if not triples or len(triples & said) < QUOTED * len(triples):
            continue
        box = quote
        for ancestor in quote.iterancestors():
            if ancestor is body or not _QUOTE_BOX.search(ancestor.get("class") or ""):
                break
            box = ancestor
        doomed.append(box)
    for el in doomed:
        # A quote inside another doomed one goes with it.
        if el is not body and not any(a in doomed for a in el.iterancestors()):
            el.drop_tree()


def drop_posts(posts: list[Post]) -> None:
    """Remove the posts from their page (an article's comments, not what it says)."""
    for post in posts:
        if post.element.getparent() is not None:
            post.element.drop_tree()
