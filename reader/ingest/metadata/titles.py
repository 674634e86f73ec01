"""Titles: the article's title among those the page declares and shows.

Titles keep their own characters (en dash, quotes); the site's name is trimmed off
`<title>` as sites.py decides.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from lxml.html import HtmlElement

from reader.ingest.metadata.jsonld import JsonObject, scalar
from reader.ingest.metadata.sites import (
    SEPARATOR_MARKS,
    SEPARATOR_RE,
    holds_site,
    is_site,
    site_like,
    trim_site_name,
)
from reader.ingest.metadata.text import clean_text
from reader.textrules import clean_line, fold_key

_WORD = re.compile(r"\w+")


def _similarity(a: str, b: str) -> float:
    """Share of b's words not in a, inverted (Mozilla Readability's _textSimilarity)."""
    ta = set(w for w in re.split(r"\W+", a.lower()) if w)
    tb = [w for w in re.split(r"\W+", b.lower()) if w]
    if not ta or not tb:
        return 0.0
    uniq = [w for w in tb if w not in ta]
    return 1 - len(" ".join(uniq)) / max(1, len(" ".join(tb)))


def html_title(doc: HtmlElement) -> str:
    """The page's <title> text as written (entities decoded, controls stripped).

    An inline SVG's <title> (an icon's tooltip) is not the page's title.
    """
    for title in doc.iter("title"):
        if not any(a.tag in ("svg", "math", "symbol") for a in title.iterancestors()):
            return clean_text(title.text_content())
    return ""


def first_heading(doc: HtmlElement) -> str:
    """The text of the page's first non-empty <h1> or <h2>: the last resort for a title."""
    return next((h for h in map(_heading_text, doc.iter("h1", "h2")) if h), "")


def jsonld_title(
    article: JsonObject, site: str, host: str | None, page_title: str, shown: str = ""
) -> str:
    """The title in the JSON-LD article: its name or its headline, whichever is the
    article's when they differ (the one the page shows as its headline `shown`, if
    one is); "" when it has neither."""
    name, headline = scalar(article.get("name")), scalar(article.get("headline"))
    if not (name and headline and name != headline):
        return name or headline or ""
    shown_key, name_key = fold_key(shown), fold_key(name)
    if shown_key and (shown_key == name_key) != (shown_key == fold_key(headline)):
        return name if shown_key == name_key else headline
    sites = [site] if site else []
    if site_like(name, sites, host) and not site_like(headline, sites, host):
        return headline  # the publisher's name in "name", the article's in "headline"
    name_ok = _similarity(name, page_title) > 0.75
    headline_ok = _similarity(headline, page_title) > 0.75
    return headline if headline_ok and not name_ok else name


def whole_title(headline: str, title: str, site_names: list[str], host: str | None) -> str:
    """A JSON-LD headline, or the page's declared title when the headline is that title
    (less its site's name) cut short: schema.org's headline was once held to 110
    characters, and some sites still cut it there ("... Solutions (Including" where
    og:title goes on)."""
    cut, whole = fold_key(headline), fold_key(trim_site_name(title, site_names, host))
    return title if len(cut) >= 20 and len(whole) > len(cut) and whole.startswith(cut) else headline


def author_keys(byline: str | None) -> tuple[str, ...]:
    """The byline and each name in it, as titles are compared."""
    authors = [byline, *byline.replace(" and ", ", ").split(", ")] if byline else []
    return tuple(fold_key(a) for a in authors)


def trim_page_title(
    page_title: str, site_names: list[str], host: str | None, byline: str | None
) -> str:
    """`<title>` without the site's name, or the author's: personal sites put the author
    where others put the site ("Post | Jane Doe"); without a forum's board and page
    label before a thread's title ("Board • View topic - Thread", as phpBB writes it)."""
    page_title = _FORUM_LABEL.sub("", page_title, count=1) or page_title
    return trim_site_name(page_title, site_names, host, author_keys(byline))


# phpBB's "{SITENAME} • View topic - {TOPIC}" (and "View forum"), the board's name
# before the label whatever it is.
_FORUM_LABEL = re.compile(r"^[^|•·]{1,80}?\s[•·|]\s(?:View (?:topic|forum|thread))\s[-–:]\s", re.I)


def _heading_text(h: HtmlElement) -> str:
    """A heading's text, a line break in it a space ("Data Analytics<br>Agency"), less
    a permalink's pilcrow ("Models¶")."""
    if h.find(".//br") is None:
        text = h.text_content()
    else:  # its text nodes and <br>s in order: a space at each <br>, the tree untouched
        nodes = h.xpath(".//text() | .//br")
        text = "".join(node if isinstance(node, str) else " " for node in nodes)
    return clean_line(text).rstrip("¶ ").strip()


def _marks(text: str) -> set[str]:
    """The symbols (emoji, ™) and Markdown emphasis marks in `text`."""
    return {c for c in text if c in "*_" or unicodedata.category(c).startswith("S")}


def _heading_keys(doc: HtmlElement) -> frozenset[str]:
    """The folded texts of the page's headings, `<h1>` to `<h3>`."""
    return frozenset(fold_key(_heading_text(h)) for h in doc.iter("h1", "h2", "h3"))


def _lead_text(doc: HtmlElement) -> str:
    """The text that begins the page's first `<h1>` before an element inside it, when
    one follows: the name in "<h1>Name<span>Its tagline</span></h1>" (Bootstrap's
    `<small>` the same). "" when the heading is text alone."""
    h1 = next((h for h in doc.iter("h1") if fold_key(_heading_text(h))), None)
    if h1 is None or len(h1) == 0:
        return ""
    return clean_line(h1.text or "")


def first_h1(doc: HtmlElement) -> str:
    """The page's first <h1> with words in it."""
    return _first_text(doc, "h1")


def _first_text(doc: HtmlElement, tag: str) -> str:
    """The text of the page's first `tag` element with words in it."""
    return next((t for t in map(_heading_text, doc.iter(tag)) if fold_key(t)), "")


def _shown_part(title: str, doc: HtmlElement, authors: tuple[str, ...] = ()) -> str:
    """The part of `title` on one side of a separator that the page shows as its
    headline, when the other side is three words or fewer and not the author's: a
    site or a section ("Garnix Blog: Hardware Nix Builds" over <h1>Hardware Nix
    Builds</h1>, not "Outside the web · V8" over the logo <h1>V8</h1>). A title's first part
    may be shown as the first <h2> on a page without an <h1>, or whose <h1> is the
    rest: a site's logo ("Post | Playful Tones" over <h1>Playful Tones</h1><h2>Post
    </h2>); after a colon the rest is more often its subtitle ("Rust: the book").
    "" when no part is shown."""
    h1, h2 = fold_key(_first_text(doc, "h1")), fold_key(_first_text(doc, "h2"))
    for match in SEPARATOR_RE.finditer(title):
        head, tail = title[: match.start()].strip(), title[match.end() :].strip()
        for part, rest in ((head, tail), (tail, head)):
            said, other = fold_key(part), fold_key(rest)
            if part is head:
                shown = said in (h1, h2 if h1 in ("", other) else h1)
                shown = shown and not match.group().startswith(":")
            else:  # and says more than the rest: not a logo after a title
                shown = said == h1 and len(_WORD.findall(part)) > len(_WORD.findall(rest))
            if (
                shown
                and said
                and 0 < len(_WORD.findall(rest)) <= 3
                and not any(a and (a in other or other in a) for a in authors)
            ):
                return part
    return ""


def heading_in_title(title: str, doc: HtmlElement) -> str:
    """The part of `title` before a separator when it is the page's headline, its first
    `<h1>` ("Flexbox - Learn web development" over `<h1>Flexbox</h1>`): the rest is the
    site or the section, whatever the page calls it. `title` itself otherwise."""
    matches = list(SEPARATOR_RE.finditer(title))
    wanted = fold_key(first_h1(doc))
    for match in matches if wanted else []:
        head, tail = title[: match.start()].strip(), title[match.end() :].strip()
        # Headline first; after a colon the rest is more often its subtitle, a
        # headline last may be the site's logo in an <h1>, and a long rest may be
        # more of the title than a site's name.
        if (
            fold_key(head) == wanted
            and 0 < len(tail.split()) <= 5
            and not match.group().startswith(":")
        ):
            return head
    return _shown_part(title, doc) or title


def headline_of_declared(
    title: str,
    doc: HtmlElement,
    page_title: str,
    authors: tuple[str, ...] = (),
    declared: str | None = None,
) -> str:
    """The page's headline (its first `<h1>`) where a declared title agrees with it
    but says more: the headline, then a section, a site or a tagline ("Effective Go -
    The Go Programming Language", "Camping Tents: Large Tents for Family Camping",
    "Tent 2 - Light | Waterproof | Two doors", its selling points however many), or
    a title cut short for search engines that the headline says whole ("Machine
    Learning Recruiters" over "Machine Learning Recruiters and Executive Search").

    The headline may be the name that begins the `<h1>`, before its tagline in an
    element of its own ("<h1>Tent 2<span>Light and dry</span></h1>").

    Not when the rest is the author (personal sites), nor when the page's <title>
    goes on past the declared title and the page shows the rest as a heading of its
    own: a page titled "Chapter 2 - The Novel | Site" that declares "Chapter 2 - The
    Novel" and shows "The Novel" above the chapter names the work after the chapter on
    purpose (a <title> that goes on with the site's name alone is the usual case).
    """
    headline = first_h1(doc)
    wanted = fold_key(headline)
    if wanted == fold_key(title):
        # The same words: the headline's spelling when the declared one is dressed in
        # marks the page does not show ("🎤 Mic", "*Book* (1792)").
        return headline if wanted and _marks(title) - _marks(headline) else title
    stem = fold_key(title.rstrip(".… "))
    if wanted and len(stem) >= 20 and wanted.startswith(stem):
        return headline
    full, said = fold_key(page_title), fold_key(declared or title)
    goes_on = full.startswith(said) and len(full) > len(said) + 2
    lead = fold_key(_lead_text(doc)) or None
    headings: frozenset[str] | None = None
    for match in SEPARATOR_RE.finditer(title):
        head, tail = title[: match.start()].strip(), title[match.end() :].strip()
        rest = fold_key(tail)
        # A rest of several parts is a list of selling points, however long it is.
        points = len(SEPARATOR_RE.findall(tail)) >= 2
        shown = fold_key(head) in (wanted, lead) and bool(fold_key(head))
        if not shown or not (0 < len(tail.split()) <= 8 or points):
            continue
        if any(a and (a in rest or rest in a) for a in authors):
            return title
        if goes_on:
            headings = _heading_keys(doc) if headings is None else headings
            if rest in headings:
                return title
        return head  # as declared: a headline's ® or ™ is the shop's dressing
    return title if goes_on else _shown_part(title, doc, authors) or title


_ENTITY = re.compile(r"&#?\w+;")

# Words too common to say two titles are about the same thing.
_COMMON = frozenset(
    _WORD.findall("a an and are at be by for from in is of on or our the to with your")
)


def _stems(text: str) -> set[str]:
    """A title's words, case folded, a plural's "s" left off ("Laptops" is "laptop")."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(text.casefold())}


def _shared(a: str, b: str) -> float:
    """Share of the shorter title's words (less the commonest) that the other has."""
    wa = _stems(a) - _COMMON
    wb = _stems(b) - _COMMON
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _same_subject(a: str, b: str) -> bool:
    """Whether two titles say much the same: half the shorter's words (less the
    commonest) in the other, two of them at least."""
    common = _stems(a) & _stems(b)
    return _shared(a, b) >= 0.5 and len(common - _COMMON) >= 2


def visible_headline(
    title: str, doc: HtmlElement, declared: list[str], site_names: list[str], host: str | None
) -> str:
    """The page's headline as it shows it, over a declared title worded for search
    engines ("Top 10 IT Security Best Practices for 2025" declared, "IT &
    Cybersecurity Best Practices" shown), on an article as on a product or a service:
    when the page has one <h1>, inside its <article> or <main>, that says much the
    same in other words (two words at least in common, not the commonest) and is none
    of the titles the page declares. A headline the page also declares is one its
    sources disagree on, and their order of trust decides; one the declared title
    holds, or that holds it, is a site, a section or a label the other rules see to;
    one that shows a character reference ("SQL &#x26; AI") was escaped twice, and the
    declared spelling is the page's; one that only leaves out some of the declared
    title's words ("Hire the Top 3% of Designers" shown, "Hire the top 3% of the
    world's designers" declared) says it shorter, not otherwise.
    """
    texts: dict[str, tuple[str, HtmlElement]] = {}
    for h in doc.iter("h1"):
        text = _heading_text(h)
        if fold_key(text):
            texts.setdefault(fold_key(text), (text, h))
    if len(texts) != 1:
        return title
    (key, (text, h1)), said = next(iter(texts.items())), fold_key(title)
    if (
        not any(a.tag in ("article", "main") for a in h1.iterancestors())
        or key in said
        or said in key
        or any(key == fold_key(d) for d in declared)
        or holds_site(text, site_names, host)
        or _ENTITY.search(text)
    ):
        return title
    fewer = _stems(text) < _stems(title)
    return text if _same_subject(text, title) and not fewer else title


def _main_headline(doc: HtmlElement) -> str:
    """The text of the page's one `<h1>` inside its `<article>` or `<main>`; "" when it
    has none there, or more than one of other words."""
    texts: dict[str, str] = {}
    for h in doc.iter("h1"):
        text = _heading_text(h)
        if fold_key(text) and any(a.tag in ("article", "main") for a in h.iterancestors()):
            texts.setdefault(fold_key(text), text)
    return next(iter(texts.values())) if len(texts) == 1 else ""


def headline_over_site_title(title: str, doc: HtmlElement, page_title: str) -> str:
    """The page's headline (its one `<h1>` in `<article>` or `<main>`) where the
    `<title>`, which nothing else the page declares backs, is a name and a motto
    that have no word in common with it: the site's own title, the same on every
    page ("Forum - The heart of the web" over a thread's `<h1>`), as a page drawn by
    scripts leaves it; `title` otherwise."""
    shown = _main_headline(doc)
    words = set(_WORD.findall(page_title.casefold())) - _COMMON
    if (
        shown
        and words
        and SEPARATOR_RE.search(page_title)
        and not words & set(_WORD.findall(shown.casefold()))
    ):
        return shown
    return title


# A part of a title that is words alone: not a bracketed label ("[LWN.net]", "(CNET
# Japan)") nor a "_"-joined trail of sections, which are the page's own naming. Each
# run of marks is followed by a word or ends the part: with a word optional inside the
# repeat, a part of many marks and no match ("a" and 30 dots and "_") was tried in
# every split of its marks, a second and more. A brand's ® and ™ are words' dressing.
_PLAIN_PART = re.compile(r"[^\W_]+(?:[\s&,'’+.!?%®™-]+[^\W_]+)*[\s&,'’+.!?%®™-]*")


_MAX_HEADINGS = 20  # <h1>s compared with the URL: a page has one or a few

# Longer than any title a page means (a hostile one is not searched word by word).
_MAX_TITLE = 1000

# The label a shop's or a blog's template puts before an archive's name.
_ARCHIVE_LABEL = re.compile(
    r"^(?:collection|category|categories|tag|tagged|archives?|brand|topic)\s?:\s+", re.I
)


def undressed_headline(
    title: str, doc: HtmlElement, site_names: list[str], host: str | None
) -> str:
    """The page's headline (its first `<h1>`) where `title` is that headline dressed in
    words for search engines and shops: a brand or a verb before it, a market after it
    ("iFixit Essential Electronics Toolkit", "Shop Wired Headphones", "Headlamps for
    Camping, Hiking & Running", "Necklace by Maker"), within one of the title's parts
    or across a separator it cuts into ("NBA Standings - 2025-26 season" over "NBA
    Standings 2025-26"). Not when the headline is the site's name or whole parts of the
    title (the rest is then a site, a section or an author the other rules weigh), nor
    when the rest is a bracketed label or a trail of sections; `title` otherwise. An
    archive's heading is its name less the label a template puts before it
    ("Collection: Sennheiser")."""
    text = _ARCHIVE_LABEL.sub("", first_h1(doc))
    words = _WORD.findall(text.casefold())
    if not words or len(title) > _MAX_TITLE or site_like(text, site_names, host):
        return title
    parts = SEPARATOR_RE.split(title)
    plain = [bool(_PLAIN_PART.fullmatch(part.strip())) for part in parts]
    # The title's words, each with the part it is in.
    every = [(w, i) for i, part in enumerate(parts) for w in _WORD.findall(part.casefold())]
    n = len(words)
    for start in range(len(every) - n + 1):
        run = every[start : start + n]
        if [w for w, _ in run] != words:
            continue
        first, last = run[0][1], run[-1][1]
        before = every[start - 1][1] if start else None
        after = every[start + n][1] if start + n < len(every) else None
        if first == last:
            if plain[first] and first in (before, after):
                return text
        elif all(plain) and (before == first or after == last):
            return text
    return title


def outvoted_headline(
    headline: str, others: list[str], site_names: list[str], host: str | None
) -> str:
    """The JSON-LD headline, unless it is another title altogether than the one the
    page's other sources (og:title, `<title>`, its `<h1>`) agree on, two of them at
    least: a headline left from an older version of the page or written for search
    engines; or their title with the site's name before it, no separator between
    ("Acme University Online Courses" where they say "Online Courses | Acme
    University"). A headline that is otherwise a longer or shorter form of theirs (a
    forum's prefix less, the author more) is the same title and stays."""
    if not headline:
        return headline
    mine = fold_key(trim_site_name(headline, site_names, host))
    trimmed = [trim_site_name(o, site_names, host) if o else "" for o in others]
    keys = [fold_key(o) for o in trimmed]
    if mine in keys:
        # The same words: spelt as two other sources spell them, if they agree on it.
        spelt = [o for o in trimmed if fold_key(o) == mine and o != headline]
        return next((o for o in spelt if spelt.count(o) >= 2), headline)
    sites = [fold_key(n) for n in site_names if fold_key(n)]
    for other, key in zip(others, keys, strict=True):
        if not key or keys.count(key) < 2:
            continue
        if (key not in mine and mine not in key) or any(mine == s + key for s in sites):
            return other
    return headline


# A breadcrumb trail: an element whose class, id or aria-label says so ("breadcrumb",
# "Breadcrumbs", "crumbs"); XPath finds the few candidates without a walk in Python.
_CRUMBS = re.compile(r"bread-?crumbs?|\bcrumbs\b", re.I)
_CRUMB_XPATH = "|".join(
    f"//*[contains(@{attr}, '{stem}')]"
    for attr in ("class", "id", "aria-label")
    for stem in ("rumb", "RUMB")
)


_MAX_TRAILS = 20  # elements read as trails: a page has one or two, nested


def _breadcrumb_names(doc: HtmlElement) -> set[str]:
    """The folded names of the links in the page's breadcrumb trails: its sections."""
    names: set[str] = set()
    for el in doc.xpath(_CRUMB_XPATH)[:_MAX_TRAILS]:
        label = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("aria-label"))))
        if _CRUMBS.search(label):
            names.update(fold_key(a.text_content()) for a in el.iter("a"))
    names.discard("")
    return names


def trim_sections(title: str, doc: HtmlElement) -> str:
    """`title` less a last part that names a section in the page's breadcrumb trail
    ("Post / GNU/Linux Discussion", "Story | District"): the site's name goes by
    `trim_site_name`, its sections by the trail that names them."""
    crumbs: set[str] | None = None
    for _ in range(3):  # a trail's last few sections, as trim_site_name cuts the site
        matches = list(SEPARATOR_RE.finditer(title))
        if not matches:
            break
        last = matches[-1]
        if not title[: last.start()].strip():
            break
        crumbs = _breadcrumb_names(doc) if crumbs is None else crumbs
        if fold_key(title[last.end() :]) not in crumbs:
            break
        title = title[: last.start()].rstrip(SEPARATOR_MARKS)
    return title


# A chapter's number before its heading: "3.1 ", "15 - ", "Chapter 4: ".
_SECTION_NUMBER = re.compile(
    r"^(?:\d+(?:\.\d+)+\.?\s+|\d+\.?\s[-–—:]\s|chapter\s+\d+\s?[:.\-–—]\s+)", re.I
)


def numbered_headline(title: str, doc: HtmlElement) -> str:
    """A manual's chapter heading less its number ("3.1 Git Branching - Branches in a
    Nutshell") over a `<title>` that says it shorter ("Git - Branches in a Nutshell"):
    when the heading says much the same (two words at least in common, not the
    commonest, half the shorter's) and more; `title` otherwise."""
    heading = first_h1(doc)
    number = _SECTION_NUMBER.match(heading)
    if not number:
        return title
    rest = heading[number.end() :].strip()
    return rest if len(rest) > len(title) and _same_subject(rest, title) else title


# A shop's note on an item's state after its name, not part of the name.
_STOCK_NOTE = re.compile(
    r"\s*[(\[](?:discontinued(?: item| product)?|out of stock|sold out|no longer available)[)\]]$",
    re.I,
)


# A bookshop's "Title: Author: ISBN" (Amazon's, once its "Amazon.com: Books" is cut as
# a site's name): an ISBN-10 or ISBN-13 as the last part, its author inverted before it.
_BOOK_NUMBER = re.compile(
    r": [^\W\d_][\w'’.-]*,(?: [^\W\d_][\w'’.-]*){1,3}: (?:97[89]-?)?(?:\d-?){9}[\dX]$"
)


def without_shop_notes(title: str) -> str:
    """`title` less what a shop adds to an item's name: a note on its state at the end
    ("Almond Thins, 5.25 oz (Discontinued Item)": the same name when it is back in
    stock), a book's author and ISBN ("Atomic Habits: Clear, James: 9780735211292"; a
    number alone may be an order's or a phone's, and stays)."""
    title = _STOCK_NOTE.sub("", title) or title
    return _BOOK_NUMBER.sub("", title) or title


def headline_in_url(
    title: str, doc: HtmlElement, url_parts: list[str], site_names: list[str], host: str | None
) -> str:
    """The page's `<h1>` whose words, two at least, are those of a segment of its own
    URL's path ("Backpacking Packs" at /c/backpacking-packs), over a title worded
    otherwise ("Backpacking Backpacks for Overnight & Multiday"): the URL was made
    from the page's name for itself, and the headline says it too. The path's last
    segment names the page; an earlier one may name its section
    ("/news-and-events/2024/post"), whose heading is the title only as the page's
    first `<h1>` ("/Laptop-Notebook/Category/ID-223"). Not when `title` already says
    the headline's words in a row (it is the headline and more: the other rules weigh
    the rest), nor for a headline that is the site's name; `title` otherwise."""
    slugs = [_WORD.findall(part.casefold()) for part in url_parts]
    said = " ".join(_WORD.findall(title.casefold()))
    if not slugs or len(title) > _MAX_TITLE:
        return title
    shown = (_heading_text(h) for h in itertools.islice(doc.iter("h1"), _MAX_HEADINGS))
    for i, text in enumerate(t for t in shown if fold_key(t)):
        words = _WORD.findall(text.casefold())
        if (
            len(words) >= 2
            and (words == slugs[-1] or (i == 0 and words in slugs))
            and f" {' '.join(words)} " not in f" {said} "
        ):
            return title if is_site(text, site_names, host) else text
    return title
