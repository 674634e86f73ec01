"""Boilerplate removal inside the main content, by structure and wording.

readability-lxml finds the right container but keeps what sits inside it: share bars,
"Related" boxes, newsletter sign-ups, ad slots and their "Advertisement" labels, comment
counts, the byline repeated as a paragraph. These rules are general (class names, ARIA
labels, the wording of a short box), never written for one site, and they spare what
readers want: a box holding a captioned figure, code, a table or much of the article's
text is never removed by a class name alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.xpath import ElementQuery
from reader.textrules import clean_line, fold_key, strip_controls

_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def _tokens(pattern: str) -> re.Pattern[str]:
    """A class/id pattern matched as a whole word of the name (`share` in `post-share`)."""
    return re.compile(rf"(?:^|[\s_-])(?:{pattern})(?:$|[\s_-])", re.I)


SHARE = _tokens(
    r"share|shares|sharing|sharebar|share-?tools|social|social-?links|sociable|addthis|"
    r"sharethis|sharedaddy|shariff|tweet|retweet|facebook-like|fb-like|whatsapp|print-?email"
)
# Names that say "other articles" outright, and names that only suggest it.
RELATED_STRONG = _tokens(
    r"related|related-?\w+|read-?more|more-?from|more-?stories|recommend\w*|also-?like|"
    r"you-?might|outbrain|taboola|read-?next"
)
RELATED = _tokens(
    r"related|related-?\w+|read-?more|more-?from|more-?stories|recommend\w*|also-?like|"
    r"you-?might|outbrain|taboola|popular|trending|most-?read|next-?up|"
    r"read-?next|further-?reading|mostpopular"
)
NEWSLETTER = _tokens(
    r"newsletter\w*|subscribe\w*|subscription|signup|sign-?up|donate|donation|paywall|"
    r"membership|cta|call-?to-?action|promo|promotion|inline-?promo|optin|opt-?in"
)
ADS = _tokens(
    r"ad|ads|adv|advert\w*|ad-?slot|ad-?unit|ad-?container|ad-?wrapper|adsense|dfp|gpt-?ad|"
    r"sponsor\w*|banner-?ad|native-?ad|commercial|dfp-?ad"
)
# Cookie and consent notices: the site asking, not the page saying.
CONSENT = _tokens(r"cookies?|cookie-?\w+|consent|consent-?\w+|gdpr|onetrust|privacy-?banner")
# "cmp" (consent management platform) is also the prefix of every Adobe Experience
# Manager component ("cmp-text", "cmp-container"): a box so named is a consent notice
# only when it speaks of cookies or consent.
CONSENT_PLATFORM = _tokens(r"cmp")
CONSENT_WORDING = re.compile(r"\b(?:cookies?|consent)\b", re.I)
COMMENT_COUNT = _tokens(r"comment-?count|comments-?count|comment-?link|comments-?link|disqus")
BYLINE = re.compile(r"byline|dateline|writtenby|p-author|(?:^|[\s_-])author", re.I)

# Whole-text wording of boilerplate boxes and labels.
AD_LABEL = re.compile(
    r"^(?:advertisement|advertising|ad|ads|sponsored(?: content)?|anzeige|werbung|"
    r"publicit[ée]|publicidad|pubblicit[àa]|reklama|реклама|广告|広告|"
    r"(?:story|article) continues below(?: this)? (?:advertisement|ad)|"
    r"continue reading below|scroll to continue(?: with content)?)$",
    re.I,
)
# The page's interface left as text: carousel buttons, screen-reader media labels.
UI_LABEL = re.compile(
    r"^(?:next|previous|prev|back to top|skip to (?:main )?content|continue reading(?: the "
    r"main story)?|load more|show more|photo|image|video|audio|graphic|enlarge this image|"
    r"toggle caption|hide caption|close|menu|loading\W*|\[\s*edit(?: source)?\s*\])$",
    re.I,
)
RELATED_LEAD = re.compile(
    r"^(?:related(?: (?:articles?|stories|posts?|content|coverage|reading|links?))?|"
    r"read (?:more|next|also)|more from\b|more (?:stories|on this)|you might (?:also )?like|"
    r"you may (?:also )?like|recommended(?: for you)?|also read|see more|further reading|"
    r"most (?:read|popular)|trending|popular (?:now|stories)|like this:?)\b",
    re.I,
)
NEWSLETTER_WORDING = re.compile(
    r"\b(?:sign up|subscribe|newsletter|donate|support (?:our|independent) journalism|"
    r"become a (?:member|subscriber)|get (?:our|the) (?:latest|best)|in your inbox)\b",
    re.I,
)
SHARE_WORDING = re.compile(
    r"^(?:share(?: this(?: article| story| post)?)?|share on \w+|tweet|pin it|email|print|"
    r"facebook|twitter|linkedin|reddit|whatsapp|copy link)(?:\s*[:|,]?\s*(?:share|facebook|"
    r"twitter|linkedin|reddit|whatsapp|email|print|pinterest|tweet|copy link|x))*:?$",
    re.I,
)
_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATE_ONLY = re.compile(
    r"^(?:(?:published|updated|posted|last updated|modified|on|at|am|pm|a\.m\.|p\.m\.|utc|gmt|"
    r"[ecmp][sd]t|bst|cet|cest|\d{1,4}(?:st|nd|rd|th)?|"
    rf"(?:{_MONTHS})[a-z]*|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)[\s,.:/|·•-]*)+$",
    re.I,
)
DATE_SIGN = re.compile(rf"\b(?:{_MONTHS})|\d:\d\d|\d[/.-]\d", re.I)
CALL_TO_ACTION = re.compile(
    r"^(?:sign up|subscribe|join (?:our|the)|get (?:our|the)|donate|support us|"
    r"become a (?:member|subscriber))\b.{0,60}$",
    re.I,
)
COMMENT_COUNT_WORDING = re.compile(
    r"^(?:\d[\d,.]*\s*)?(?:comments?|responses?|replies)(?:\s*\(\d+(?: \w+)?\))?"
    r"(?:\s*\d[\d,.]*)?$",
    re.I,
)


def is_hidden(el: HtmlElement) -> bool:
    """Hidden from every reader: the hidden attribute, aria-hidden, display:none.

    Not the folded part of a `<details>` (an FAQ's answers): a reader opens it, and
    pages mark it aria-hidden or display:none while it is closed.
    """
    if el.get("hidden") is not None:
        return True
    parent = el.getparent()
    if parent is not None and parent.tag == "details":
        return False
    if (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


# A button that opens a section (an FAQ's question) reads as that section's heading.
_DISCLOSURE = ElementQuery(
    "descendant-or-self::button[@aria-expanded"
    " or descendant::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]]"
)


def is_disclosure(button: HtmlElement) -> bool:
    """Whether a `<button>` names the section it opens (an accordion's question, "What
    does it cost?"), not an action ("Show more", "Add to cart", a tab, a carousel's
    arrow, a lightbox): it holds a heading, or it folds a section (aria-expanded, no
    popup) and says a phrase of three words or more."""
    if button.get("aria-haspopup") not in (None, "false"):
        return False
    if next(button.iter("h1", "h2", "h3", "h4", "h5", "h6"), None) is not None:
        return True
    if button.get("aria-expanded") is None:
        return False
    return len(text_of(button).split()) >= 3


def reveal_disclosures(root: HtmlElement) -> int:
    """Buttons that name the section they open become text (a `<div>`): the conversion
    drops buttons, and with them an FAQ's questions. How many were revealed."""
    revealed = 0
    for button in _DISCLOSURE(root):
        if is_disclosure(button):
            button.tag = "div"
            revealed += 1
    return revealed


def _hint(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def text_of(el: HtmlElement) -> str:
    """An element's text as one clean line (what the length thresholds measure)."""
    return clean_line(el.text_content())


def link_density(
    el: HtmlElement, text_length: int | None = None, text_of: Callable[[HtmlElement], str] = text_of
) -> float:
    """Share of an element's text that sits inside links."""
    total = text_length if text_length is not None else len(text_of(el))
    if not total:
        return 0.0
    linked = sum(len(text_of(a)) for a in el.iter("a"))
    return min(1.0, linked / total)


def _keeps_content(el: HtmlElement) -> bool:
    """Holds something readers want even inside a box: code, a table, a captioned figure."""
    return any(True for _ in el.iter("pre", "table", "figcaption"))


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:
        if previous is not None:
            previous.tail = _xml_safe((previous.tail or "") + tail)
        else:
            parent.text = _xml_safe((parent.text or "") + tail)


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Text lxml accepts back: its parser keeps control characters its setters refuse."""
    return _NOT_XML.sub("", strip_controls(text))


Lengths = dict[HtmlElement, int]
Rule = Callable[[HtmlElement, str], bool]
TextOf = Callable[[HtmlElement], str]


def remembered_text() -> TextOf:
    """`text_of` that works out each element's text once: for rules that all read the
    same unchanged tree (one `_remove` walk; its drops come after)."""
    texts: dict[HtmlElement, str] = {}

    def text(el: HtmlElement) -> str:
        found = texts.get(el)
        if found is None:
            found = texts[el] = text_of(el)
        return found

    return text


def nonspace_lengths(root: HtmlElement) -> Lengths:
    """Each element's count of non-whitespace text characters, in one linear pass.

    A lower bound of its cleaned text's length, so rules about short boxes skip long
    elements without building their text (on a deep page that would cost the page's
    whole text once per level).
    """
    lengths: Lengths = {}
    for _event, el in etree.iterwalk(root, events=("end",)):
        n = _nonspace(el.text) if isinstance(el.tag, str) else 0
        for child in el:
            n += lengths.get(child, 0) + _nonspace(child.tail)
        lengths[el] = n
    return lengths


def _nonspace(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


# Tags whose wording alone can doom them (the rules that read text, not class names).
_WORDING_TAGS = frozenset(
    {"p", "div", "span", "aside", "section", "small", "figure", "h2", "h3", "h5", "h6"}
    | {"ul", "ol", "dl", "nav", "form", "a", "li", "header", "address", "time"}
)


_ATTRIBUTE_TEST = "@class or @id or @aria-label or @title or @rel"
_CANDIDATES = ElementQuery(
    f"descendant::*[{_ATTRIBUTE_TEST} or "
    + " or ".join(f"self::{tag}" for tag in sorted(_WORDING_TAGS))
    + "]"
)
_HIDDEN_CANDIDATES = ElementQuery("descendant::*[@hidden or @aria-hidden or @style]")


def _remove(
    root: HtmlElement,
    rules: list[Rule],
    lengths: Lengths | None = None,
    candidates: ElementQuery = _CANDIDATES,
) -> int:
    """Drop the outermost elements under `root` that some rule dooms; how many went.

    Only elements a rule could doom are visited (found by XPath, in document order):
    those with a class, id, label or rel, and those of a tag some wording rule reads;
    with `lengths`, unnamed ones with no text or too much for a wording rule are
    passed over too. So a 100,000-cell table stays cheap. Inside an element already
    doomed nothing is asked; the drops happen after the walk, so no rule sees a
    half-edited tree.
    """
    doomed: list[HtmlElement] = []
    limit = max(250, 0.3 * lengths.get(root, 0)) if lengths is not None else 0
    inside: set[HtmlElement] = set()  # everything under a doomed element
    for el in candidates(root):
        if el in inside:
            continue
        hint = _hint(el)
        if (
            lengths is not None
            and not hint.strip()
            and not el.get("aria-label")
            and not el.get("title")
            and not el.get("rel")
            and (el.tag not in _WORDING_TAGS or not 0 < lengths.get(el, 0) < limit)
        ):
            continue
        if any(rule(el, hint) for rule in rules):
            doomed.append(el)
            inside.update(el.iterdescendants())
    for el in doomed:
        _drop(el)
    return len(doomed)


# --- the rules: each a factory of a predicate over one element ----------------------


def _hidden_rule() -> Rule:
    return lambda el, _hint: is_hidden(el)


_LABEL_TAGS = frozenset({"p", "div", "span", "aside", "section", "small", "figure", "h6", "h5"})


def _ads_rule(lengths: Lengths, text_of: TextOf = text_of) -> Rule:
    def doomed(el: HtmlElement, hint: str) -> bool:
        if el.tag in ("body", "article", "main"):
            return False
        if ADS.search(hint) and not _keeps_content(el):
            return len(text_of(el)) < 300 or link_density(el, None, text_of) > 0.5
        if el.tag not in _LABEL_TAGS or not 0 < lengths.get(el, 0) < 60:
            return False
        text = text_of(el)
        if not (AD_LABEL.match(text) or UI_LABEL.match(text)):
            return False
        return next(el.iter("img", "picture", "video"), None) is None  # a label, not media

    return doomed


def _share_rule(lengths: Lengths, text_of: TextOf = text_of) -> Rule:
    def doomed(el: HtmlElement, hint: str) -> bool:
        label = el.get("aria-label") or el.get("title") or ""
        by_name = SHARE.search(hint) or re.search(r"\bshare\b", label, re.I)
        if by_name and not _keeps_content(el):
            text = text_of(el)
            return len(text) < 200 or link_density(el, len(text), text_of) > 0.5
        if el.tag in ("div", "ul", "p", "section", "aside", "nav", "span"):
            return 0 < lengths.get(el, 0) < 120 and bool(SHARE_WORDING.match(text_of(el)))
        return False

    return doomed


def _lead_text(el: HtmlElement, text_of: Callable[[HtmlElement], str] = text_of) -> str:
    """The first words of a box: its heading or its opening text."""
    heading = next(el.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "header"), None)
    if heading is not None:
        head = text_of(heading)
        if head:
            return head
    return text_of(el)[:60]


_RELATED_TAGS = frozenset({"div", "aside", "section", "ul", "ol", "p", "nav", "dl", "h2", "h3"})


def _related_rule(lengths: Lengths, total: int, text_of: TextOf = text_of) -> Rule:
    def doomed(el: HtmlElement, hint: str) -> bool:
        if el.tag in ("body", "article", "main", "a") or not lengths.get(el):
            return False
        if RELATED.search(hint) and not _keeps_content(el):
            text = text_of(el)
            if len(text) >= 0.4 * total:
                return False  # a "related" name on most of the article: a wrapper
            if RELATED_STRONG.search(hint):
                return True  # teasers with excerpts have few links, and still go
            return link_density(el, len(text), text_of) > 0.3 or len(text) < 250
        if el.tag not in _RELATED_TAGS or lengths[el] >= 0.3 * total:
            return False
        if not RELATED_LEAD.match(_lead_text(el, text_of)):
            return False
        text = text_of(el)
        return link_density(el, len(text), text_of) > 0.4 or len(text) < 80

    return doomed


def _newsletter_rule(lengths: Lengths, total: int, text_of: TextOf = text_of) -> Rule:
    def doomed(el: HtmlElement, hint: str) -> bool:
        if el.tag in ("body", "article", "main", "a", "span", "em", "strong", "b", "i"):
            return False
        if NEWSLETTER.search(hint) and not _keeps_content(el):
            return len(text_of(el)) < min(600, 0.3 * total)
        if el.tag in ("div", "aside", "section", "form", "p") and 0 < lengths.get(el, 0) < 250:
            text = text_of(el)
            if not NEWSLETTER_WORDING.search(text):
                return False
            if CALL_TO_ACTION.match(text):
                return True  # a lone "Sign up for our newsletter" line
            has_control = any(True for _ in el.iter("form", "input", "button"))
            return has_control or link_density(el, len(text), text_of) > 0.3
        return False

    return doomed


def _consent_rule(lengths: Lengths, total: int, text_of: TextOf = text_of) -> Rule:
    """A cookie or consent notice: named so, or a short box about cookies with a button."""

    def doomed(el: HtmlElement, hint: str) -> bool:
        if el.tag in ("body", "article", "main", "a", "span", "em", "strong", "b", "i"):
            return False
        if CONSENT.search(hint) and not _keeps_content(el):
            return len(text_of(el)) < min(800, 0.5 * total)
        if CONSENT_PLATFORM.search(hint) and not _keeps_content(el):
            text = text_of(el)
            return len(text) < min(800, 0.5 * total) and bool(CONSENT_WORDING.search(text))
        if el.tag in ("div", "aside", "section", "form") and 0 < lengths.get(el, 0) < 400:
            return bool(CONSENT_WORDING.search(text_of(el))) and any(
                True for _ in el.iter("button")
            )
        return False

    return doomed


def _comment_count_rule(lengths: Lengths, text_of: TextOf = text_of) -> Rule:
    def doomed(el: HtmlElement, hint: str) -> bool:
        if COMMENT_COUNT.search(hint):
            return len(text_of(el)) < 40
        return (
            el.tag in ("a", "span", "div", "p")
            and 0 < lengths.get(el, 0) < 30
            and bool(COMMENT_COUNT_WORDING.match(text_of(el)))
        )

    return doomed


_BYLINE_TAGS = frozenset({"div", "p", "span", "section", "address", "header", "ul", "li", "time"})


def _is_date_line(el: HtmlElement, lengths: Lengths, text_of: TextOf) -> bool:
    """A line that is nothing but a date, naming a month, a time or a d/m/y date (a
    lone "2014" may be a timeline's entry)."""
    if el.tag not in _BYLINE_TAGS or el.tag == "span" or not 0 < lengths.get(el, 0) < 80:
        return False
    text = text_of(el)
    return bool(DATE_ONLY.match(text) and DATE_SIGN.search(text))


# An article shows its date once or twice (published, updated); more date lines that
# give the time of day stamp the posts of a thread (or its comments), and stay.
_DATE_LINES = 3
_TIME_OF_DAY = re.compile(r"\d:\d\d")


def _dated_entries(root: HtmlElement, lengths: Lengths, text_of: TextOf) -> bool:
    """Whether `root` holds `_DATE_LINES` or more lines that are only a date and a
    time of day (the outermost of nested ones counted)."""
    found = 0
    inside: set[HtmlElement] = set()
    for el in root.iterdescendants(*_BYLINE_TAGS):
        if el in inside or not _is_date_line(el, lengths, text_of):
            continue
        if not _TIME_OF_DAY.search(text_of(el)):
            continue
        inside.update(el.iterdescendants())
        found += 1
        if found >= _DATE_LINES:
            return True
    return False


def _byline_rule(lengths: Lengths, text_of: TextOf = text_of, dates: bool = True) -> Rule:
    """`dates`: whether lines that are only a date go too."""

    def doomed(el: HtmlElement, hint: str) -> bool:
        if el.tag not in _BYLINE_TAGS:
            return False
        if dates and _is_date_line(el, lengths, text_of):
            return True
        parent = el.getparent()
        if parent is not None and parent.tag in ("p", "li", "blockquote"):
            return False
        is_byline = BYLINE.search(hint) or (el.get("rel") or "").lower() == "author"
        if not is_byline or _keeps_content(el) or not 0 < lengths.get(el, 0) < 100:
            return False
        return len(text_of(el)) < 100 and not any(
            True for _ in el.iterdescendants("p", "blockquote")
        )

    return doomed


# A ticker ("Book Now * Book Now * ...") scrolls one short phrase (`_TICKER_PHRASE`
# words or fewer) round and round: its copies, `_TICKER_TIMES` or more, are one
# animation's frames, not text. Asked of boxes up to `_TICKER_CHARS` characters.
_TICKER_PHRASE = 6
_TICKER_TIMES = 5
_TICKER_CHARS = 2000
_WORDS = re.compile(r"\w+")


def is_ticker(text: str) -> bool:
    """Whether `text` is one phrase of a few words said again and again."""
    words = _WORDS.findall(text.casefold())
    for period in range(1, _TICKER_PHRASE + 1):
        if len(words) < period * _TICKER_TIMES:
            break
        if all(words[i] == words[i - period] for i in range(period, len(words))):
            return True
    return False


def _ticker_rule(lengths: Lengths, text_of: TextOf = text_of) -> Rule:
    def doomed(el: HtmlElement, hint: str) -> bool:
        if el.tag in ("body", "article", "main") or len(el) < _TICKER_TIMES:
            return False  # its frames are elements of their own, of one length
        if not 0 < lengths.get(el, 0) <= _TICKER_CHARS:
            return False
        if len({lengths.get(frame, 0) for frame in el[:_TICKER_TIMES]}) > 1:
            return False
        return is_ticker(text_of(el))

    return doomed


def remove_hidden(root: HtmlElement) -> int:
    """Hidden elements: the `hidden` attribute, aria-hidden="true", display:none."""
    return _remove(root, [_hidden_rule()], candidates=_HIDDEN_CANDIDATES)


def remove_ads(root: HtmlElement) -> int:
    """Ad slots (by class/id), the "Advertisement" labels left where ads were, and the
    interface's own labels ("Next", "Continue reading the main story", "Photo")."""
    return _remove(root, [_ads_rule(nonspace_lengths(root))])


def remove_share_bars(root: HtmlElement) -> int:
    """Share/social/tweet bars by class, id or ARIA label, and boxes of share wording."""
    return _remove(root, [_share_rule(nonspace_lengths(root))])


def remove_related(root: HtmlElement) -> int:
    """ "Related" / "Read more" / "More from" / "You might also like" boxes.

    By class or id when the box is small or mostly links; by wording when a short,
    link-heavy box opens with one of those phrases ("Read more: <a>Other story</a>").
    A box holding much of the article (40% by class, 30% by wording) always stays.
    """
    lengths = nonspace_lengths(root)
    return _remove(root, [_related_rule(lengths, lengths.get(root, 0))])


def remove_newsletter(root: HtmlElement) -> int:
    """Newsletter, subscribe, donate and sign-up boxes, by class/id or by wording."""
    lengths = nonspace_lengths(root)
    return _remove(root, [_newsletter_rule(lengths, lengths.get(root, 0))])


def remove_comment_counts(root: HtmlElement) -> int:
    """ "12 Comments" links and counters."""
    return _remove(root, [_comment_count_rule(nonspace_lengths(root))])


def remove_bylines(root: HtmlElement) -> int:
    """The byline/dateline box repeated in the body (the metadata shows it), and lines
    that are nothing but a date ("22 Dec, 2016", "Updated 3:04 PM EDT") unless there
    are several: then they date the entries of a list or the posts of a thread."""
    lengths = nonspace_lengths(root)
    dates = not _dated_entries(root, lengths, text_of)
    return _remove(root, [_byline_rule(lengths, text_of, dates)])


def remove_title_heading(root: HtmlElement, title: str) -> int:
    """The article's title repeated as its first heading (the reading view shows it)."""
    if not title:
        return 0
    wanted = fold_key(title)
    for el in root.iter("h1", "h2"):
        heading = fold_key(text_of(el))
        # The <title> may carry the site's name after the headline: "Headline - Site".
        if heading and (
            heading == wanted or (wanted.startswith(heading) and len(heading) > 0.6 * len(wanted))
        ):
            _drop(el)
            return 1
        break  # only the first heading can be the title
    return 0


def clean_article(root: HtmlElement, title: str = "") -> HtmlElement:
    """Apply every cleanup rule to the article element, in place; returns it.

    Hidden elements go first (so they count for nothing), buttons that name a
    section become text, then one walk applies the other rules, then the title heading.
    """
    remove_hidden(root)
    reveal_disclosures(root)
    lengths = nonspace_lengths(root)
    total = lengths.get(root, 0)
    text = remembered_text()  # the rules ask for the same elements' text again and again
    _remove(
        root,
        [
            _ads_rule(lengths, text),
            _share_rule(lengths, text),
            _related_rule(lengths, total, text),
            _newsletter_rule(lengths, total, text),
            _consent_rule(lengths, total, text),
            _comment_count_rule(lengths, text),
            _byline_rule(lengths, text, not _dated_entries(root, lengths, text)),
            _ticker_rule(lengths, text),
        ],
        lengths,
    )
    remove_title_heading(root, title)
    return root
