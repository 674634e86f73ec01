"""Bylines: who wrote the article, as names only.

`clean_byline` turns what pages write ("By Jane Doe | Staff Writer", "Jane Doe, AP",
"Alex Perry 1 day ago") into names; `dom_byline` finds the byline a page shows when its
metadata names no one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from reader.ingest.metadata.text import clean_text
from reader.ingest.xpath import ElementQuery
from reader.textrules import clean_line

URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
_BY = re.compile(
    r"^(?:(?:written|posted|published|reported|words|text|story|photos?|edited)\s+)?"
    r"(?:by|par|von|por|di|door|av|af|autor(?:a|in)?|author|auteur|escrito por)\b[\s:]*",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|contributor|columnist|senior|"
    r"updated?|published|posted|last|minutes?|read|follow|share|email|twitter|facebook|"
    r"bureau|chief|news desk|photographer|illustrat\w*|"
    r"comments?|sign (?:in|up)|log ?in|subscribe|about|contact|ago|hours?|days?|news|producer|"
    r"editorial|consultant|offline|online|wrote)\b",
    re.I,
)
_DATEISH = re.compile(
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\b\d{1,2}:\d{2}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
    r"\b(?:19|20)\d{2}\b",
    re.I,
)
_PARENS = re.compile(r"\(\s*([^()]*?)\s*\)")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|、|，)\s*")
_AGENCY = re.compile(r"^(?:the )?(?:associated press|ap|reuters|afp|dpa|ansa|efe|upi|pa)$", re.I)
_CHUNK_SPLIT = re.compile(r"\s*[|•·/]\s*|\s+[-–—]\s+")
_DIGIT_WORD = re.compile(r"\s\S*\d")
_CREDENTIAL = re.compile(r"^(?:MA|MS|MD|PhD|Ph\.D\.|RN|MPH|DO|Jr\.?|Sr\.?|BSc|MSc|MBA|DDS)$", re.I)


def clean_byline(value: str | list[str] | None) -> str | None:
    """Names only: "By Jane Doe | Staff Writer" -> "Jane Doe"; several: "A, B and C".

    URLs, roles ("Staff Writer"), dates, times ("1 day ago") and credentials are
    dropped; a byline that is nothing but those is None. Lines of a multi-line byline
    are separate pieces.
    """
    if not value:
        return None
    raw_parts = value if isinstance(value, list) else [value]
    names: list[str] = []
    for raw in raw_parts:
        for line in re.split(r"[\r\n]+", raw):
            text = _PARENS.sub(
                lambda m: m.group(0) if _looks_like_name(m.group(1)) else " ", clean_text(line)
            )
            text = URL_OR_EMAIL.sub(" ", text)
            for chunk in _CHUNK_SPLIT.split(text):
                chunk = _BY.sub("", chunk.strip()).strip(" ,;:-–—")
                if not chunk:
                    continue
                for name in _NAME_SPLIT.split(chunk):
                    name = _BY.sub("", name.strip())
                    name = _DIGIT_WORD.split(name, 1)[0].strip(" ,;:.-–—'\"")
                    name = _GLUED_DATE.sub("", name).strip()
                    if name.startswith("(") and name.endswith(")"):
                        name = name[1:-1].strip()
                    if name and _looks_like_name(name) and name not in names:
                        names.append(name)
    # An avatar's initials ("CM" beside "Craig McCarthy") are no one else.
    names = [n for n in names if not any(_initials_of(n, other) for other in names)]
    people = [n for n in names if not _AGENCY.match(n)]
    names = people or names  # "Jane Doe, AP" is Jane Doe's; "AP" alone is AP's
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


# A month glued to the name before it, its day cut off already: "Luke KimDecember".
_GLUED_DATE = re.compile(
    r"(?<=[a-z])(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?$"
)


def _initials_of(short: str, name: str) -> bool:
    """Whether `short` is `name`'s initials, as an avatar shows them ("CM", "J")."""
    words = name.split()
    return (
        short != name
        and len(words) >= len(short) >= 1
        and short.isupper()
        and " " not in short
        and short == "".join(w[0] for w in words if w[:1].isupper())[: len(short)]
    )


# What a theme writes where it has no name to show.
_PLACEHOLDER = re.compile(r"^(?:the )?(?:author|admin|administrator|guest)s?$", re.I)
_MONTH_OR_DAY = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\.?$",
    re.I,
)
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "der",
        "den",
        "van",
        "von",
        "vom",
        "zu",
        "la",
        "le",
        "el",
        "al",
        "bin",
        "ibn",
        "y",
        "e",
        "dos",
        "das",
        "do",
        "ten",
    ]
)


def _looks_like_name(text: str) -> bool:
    """A person's or an organisation's name, not a sentence, a role or a button."""
    text = text.strip()
    if len(text) < 2 or len(text) > 60 or _CREDENTIAL.match(text) or _PLACEHOLDER.match(text):
        return False
    if _ROLE.search(text) or _DATEISH.search(text) or URL_OR_EMAIL.search(text) or ":" in text:
        return False
    if not any(ch.isalpha() for ch in text) or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if all(_MONTH_OR_DAY.match(w) for w in words):  # "Sun Dec": a date's words
        return False
    if len(words) > 5:
        return False
    if text != text.lower():  # a cased script, not all lower-case: names are capitalised
        for word in words:
            if len(word) > 3 and word[0].islower() and word.lower() not in _PARTICLES:
                return False
    return not any(w.lower().endswith(("’s", "'s")) for w in words)


# --- the byline a page shows ----------------------------------------------------

_BYLINE_HINT = re.compile(r"byline|author|dateline|writtenby|p-author", re.I)
_UNLIKELY = re.compile(r"comment|footer|sidebar|related|share|social|promo|newsletter", re.I)


def _hint(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|contributors?|writers?|profiles?|people|staff)/(?:[^/?#]*/)*?"
    r"([^/?#]*[^\W\d_][^/?#]*)/?(?:[?#]|$)",
    re.I,
)


_MENU = re.compile(r"nav|menu", re.I)


def _links_to_own_page(el: HtmlElement, name: str, host: str | None) -> bool:
    """Whether `el` is a link to the author page of `name` on this site: /author/jane-doe/
    for "Jane Doe" (a word of the name in the page's slug: a link that only says
    "Authors" or names someone else is not a byline; nor is a menu's, or a citation's
    of another site)."""
    href = el.get("href") or ""
    match = _AUTHOR_PAGE.search(href)
    if el.tag != "a" or match is None:
        return False
    try:
        target = urlsplit(href).hostname
    except ValueError:
        return False
    if target and (not host or target.removeprefix("www.") != host.removeprefix("www.")):
        return False
    if _MENU.search(_hint(el)) or any(
        a.tag in ("nav", "menu") or _MENU.search(_hint(a)) for a in el.iterancestors()
    ):
        return False
    slug = {w for w in re.split(r"[\W_\d]+", match.group(1).casefold()) if len(w) >= 3}
    return any(w.casefold() in slug for w in re.split(r"\W+", name) if len(w) >= 3)


def dom_byline(doc: HtmlElement, host: str | None = None) -> str | None:
    """The byline the page shows, from the most telling markup first.

    rel=author / itemprop=author rank above a link to the author's own page
    (/author/jane-doe/ saying "Jane Doe") and a .byline, which rank above other
    author-ish classes; an agency alone ("AFP") ranks last. Among equals, one after the
    page's first <h1> wins (a byline follows its headline; lists of other articles'
    authors often come before it). Comments, sidebars, related boxes do not count.
    """
    body = doc.find(".//body")
    if body is None:
        return None
    h1 = next(body.iter("h1"), None)
    seen_h1 = h1 is None
    best: tuple[int, int, str] | None = None
    for el in _BYLINE_CANDIDATES(body):
        if el is h1:
            seen_h1 = True
        if el.tag in _NOT_BYLINE_TAGS:
            continue
        rel = (el.get("rel") or "").lower().split()
        itemprop = (el.get("itemprop") or "").lower()
        hint = _hint(el)
        if "author" in rel or "author" in itemprop:
            rank = 0
        elif re.search(r"byline", hint, re.I) or (
            el.tag == "a" and _AUTHOR_PAGE.search(el.get("href") or "")
        ):
            rank = 2
        elif _BYLINE_HINT.search(hint):
            rank = 4
        else:
            continue
        rank += 0 if seen_h1 else 1
        if best is not None and rank >= best[0]:
            continue
        if any(
            _UNLIKELY.search(_hint(a)) for a in el.iterancestors() if a.tag not in ("body", "html")
        ):
            continue
        text = el.text_content()
        if not (0 < len(text.strip()) < 200 and len(clean_line(text)) < 100):
            continue
        name = clean_byline(text)
        if not name:
            continue
        # An author-page link vouches only for the name its address spells.
        author_link = rank in (2, 3) and el.tag == "a" and not re.search(r"byline", hint, re.I)
        if author_link and not _links_to_own_page(el, name, host):
            if not _BYLINE_HINT.search(hint):
                continue
            rank += 2
        if _AGENCY.match(name):
            rank = 6
        if best is None or rank < best[0]:
            best = (rank, 0, name)
            if rank == 0:
                break
    return best[2] if best else None


_BYLINE_CANDIDATES = ElementQuery(
    "descendant::*[@rel or @itemprop or @class or @id or self::h1 or self::a[@href]]"
)
_NOT_BYLINE_TAGS = frozenset(
    {"script", "style", "meta", "link", "body", "html", "img", "svg", "button", "form"}
)
