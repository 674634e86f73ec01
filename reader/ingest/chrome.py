"""The page without its chrome: what a reader came for on a page that is not one article.

A product page, a list of events, a service's pitch or a forum's front page has no
single container that readability can find: its content is the page less the site's
furniture around it. `main_region` cuts that furniture away (navigation, banners,
footers, sidebars, cookie notices, dialogs, hidden and interactive elements), from the
page's own `<main>` when it marks one. What is left is a candidate for the body,
weighed against readability's pick by `candidates`.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.ingest.cleanup import Lengths, is_disclosure, is_hidden, nonspace_lengths
from reader.ingest.xpath import ElementQuery

# Never content, whatever holds them.
_NOT_TEXT = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas"}
)
_CONTROLS = frozenset({"button", "select", "input", "textarea", "dialog", "option", "label"})
_ROLES = frozenset(
    {
        "navigation",
        "menu",
        "menubar",
        "banner",
        "contentinfo",
        "search",
        "dialog",
        "alertdialog",
        "complementary",
        "tablist",
        "toolbar",
    }
)


def _tokens(pattern: str) -> re.Pattern[str]:
    """A class/id pattern matched as a whole word of the name (`nav` in `site-nav`)."""
    return re.compile(rf"(?:^|[\s_-])(?:{pattern})(?:$|[\s_-])", re.I)


# Class and id names of the site's furniture.
CHROME_NAME = _tokens(
    r"header|site-?header|page-?header|masthead|top-?bar|topbar|footer|site-?footer|"
    r"page-?footer|nav|navbar|navigation|menu|mega-?menu|main-?menu|breadcrumbs?|"
    r"sidebar|side-?bar|cookies?|cookie-?\w+|consent|gdpr|modal|popup|pop-?up|overlay|"
    r"drawer|off-?canvas|skip-?link|skip-?to-?content|announcement-?bar|promo-?bar|"
    r"banner|toolbar|search-?form|searchbar|search-?bar|login|signin|sign-?in|account-?menu|"
    r"newsletter|subscribe|subscription|social|share|sharing|copyright|legal|sitemap"
)
# An article's comments: its readers', not what it says (a forum's posts are read by
# `forum` before the page comes here).
COMMENTS_NAME = _tokens(
    r"comments|comment-?list|commentlist|comments-?area|comments-?section|comment-?section|"
    r"disqus|disqus_thread|respond|comment-?respond|comment-?form"
)
# A consent manager's notice, whatever share of the page it holds: its purposes and
# vendors can outweigh a list page's entries.
CONSENT_NAME = _tokens(
    r"consent|gdpr|onetrust-\w+|cookie-?(?:banner|notice|consent|bar|popup|modal|dialog|"
    r"settings|preferences|law)"
)
# Names that mean the element is the content (a wrapper class like "page-header-wrap"
# never outweighs these).
CONTENT_NAME = _tokens(
    r"content|main|main-?content|article|article-?body|post|post-?body|entry|entry-?content|"
    r"product|products|listing|results|thread|topic|posts"
)

_NAMED = ElementQuery("descendant::*[@class or @id or @role or @hidden or @aria-hidden or @style]")
_TAGGED = ElementQuery(
    "descendant::*[self::nav or self::aside or self::header or self::footer or self::form"
    " or self::menu]"
)
_MAIN = ElementQuery("descendant::main | descendant::*[@role='main']")


def main_region(root: HtmlElement) -> HtmlElement:
    """The page's content without its chrome, cut in place out of `root` (the page's
    tree, which the caller gives up): the page's `<main>` when it marks one that holds
    much of the page, else its `<body>`, less the furniture.

    Hidden elements go too, unless what is left shows less than half as much text as
    they hide: a page saved before its scripts ran may hide all it has.
    """
    body = root.find("body")
    if body is None:
        body = root
    _drop_all(
        body,
        [
            el
            for el in body.iter(*_NOT_TEXT, *_CONTROLS)
            if el.tag != "button" or not is_disclosure(el)  # an FAQ's question stays
        ],
    )
    lengths = nonspace_lengths(body)
    total = lengths.get(body, 0)
    region = body
    mains = _MAIN(body)
    if len(mains) == 1 and lengths.get(mains[0], 0) >= 0.25 * total:
        region = mains[0]
        total = lengths.get(region, 0)
    chrome = [el for el in _TAGGED(region) if _tag_is_chrome(el, region, lengths, total)]
    chrome += [el for el in _NAMED(region) if _named_chrome(el, lengths, total)]
    hidden = [el for el in _NAMED(region) if is_hidden(el)]
    chrome_length = _outer_length(chrome, lengths)
    hidden_length = _outer_length(chrome + hidden, lengths) - chrome_length
    shown = total - chrome_length - hidden_length
    if shown >= 0.5 * hidden_length or hidden_length < _HIDDEN_MIN:
        chrome += hidden
    _drop_all(region, chrome)
    return region


# Hidden text below this many characters is dropped whatever the page shows.
_HIDDEN_MIN = 500


def _outer_length(elements: list[HtmlElement], lengths: Lengths) -> int:
    """The text length of the elements, each counted once (not again inside another)."""
    chosen = set(elements)
    return sum(
        lengths.get(el, 0) for el in chosen if not any(a in chosen for a in el.iterancestors())
    )


def _tag_is_chrome(el: HtmlElement, region: HtmlElement, lengths: Lengths, total: int) -> bool:
    """nav, aside, menu; a header or footer of the page (not an article's own); a form
    unless it wraps the page (ASP.NET pages put everything in one)."""
    tag = el.tag
    if tag == "form":
        return not _holds(el, lengths, total, 0.3)
    if tag in ("header", "footer"):  # the page's own, not an article's or a post's
        for ancestor in el.iterancestors():
            if ancestor is region:
                break
            if ancestor.tag in ("article", "main", "section"):
                return False
    return not _holds(el, lengths, total, 0.5)


def _named_chrome(el: HtmlElement, lengths: Lengths, total: int) -> bool:
    if el.tag in ("body", "html", "main", "article"):
        return False
    role = (el.get("role") or "").strip().lower()
    if role in _ROLES:
        return not _holds(el, lengths, total, 0.5)
    name = f"{el.get('class') or ''} {el.get('id') or ''}"
    if CONSENT_NAME.search(name) and not CONTENT_NAME.search(name):
        return True
    if COMMENTS_NAME.search(name):
        return not _holds(el, lengths, total, 0.9)
    if not CHROME_NAME.search(name) or CONTENT_NAME.search(name):
        return False
    return not _holds(el, lengths, total, 0.3)


# Text an element needs before its share of the page can save it from a rule.
_SUBSTANTIAL = 500


def _holds(el: HtmlElement, lengths: Lengths, total: int, share: float) -> bool:
    """Whether `el` holds so much of the page (`share` of it, and some text) that a
    furniture rule must be wrong about it: a layout's wrapper, not its furniture."""
    length = lengths.get(el, 0)
    return length >= _SUBSTANTIAL and length >= share * total


def _drop_all(root: HtmlElement, doomed: list[HtmlElement]) -> None:
    """Remove elements (their tails stay); those inside another doomed one go with it."""
    gone: set[HtmlElement] = set()
    for el in doomed:
        if el in gone or el is root:
            continue
        gone.update(el.iter())
        parent = el.getparent()
        if parent is None:
            continue
        el.drop_tree()
