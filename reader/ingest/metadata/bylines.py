"""Bylines: who wrote the article, as names only.

`clean_byline` turns what pages write ("By Jane Doe | Staff Writer", "Jane Doe, AP",
"Alex Perry 1 day ago") into names; `dom_byline` finds the byline a page shows when its
metadata names no one.
"""

from __future__ import annotations

import re

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
    r"comments?|sign (?:in|up)|log ?in|subscribe|about|contact|ago|hours?|days?|news)\b",
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
                    if name and _looks_like_name(name) and name not in names:
                        names.append(name)
    people = [n for n in names if not _AGENCY.match(n)]
    names = people or names  # "Jane Doe, AP" is Jane Doe's; "AP" alone is AP's
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


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
    if not text or len(text) > 60 or _CREDENTIAL.match(text):
        return False
    if _ROLE.search(text) or _DATEISH.search(text) or URL_OR_EMAIL.search(text) or ":" in text:
        return False
    if not any(ch.isalpha() for ch in text) or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if len(words) == 1 and _MONTH_OR_DAY.match(text):
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


def dom_byline(doc: HtmlElement) -> str | None:
    """The byline the page shows, from the most telling markup first.

    rel=author / itemprop=author rank above a .byline, which ranks above other
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
        elif re.search(r"byline", hint, re.I):
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
        if _AGENCY.match(name):
            rank = 6
        if best is None or rank < best[0]:
            best = (rank, 0, name)
            if rank == 0:
                break
    return best[2] if best else None


_BYLINE_CANDIDATES = ElementQuery("descendant::*[@rel or @itemprop or @class or @id or self::h1]")
_NOT_BYLINE_TAGS = frozenset(
    {"script", "style", "meta", "link", "body", "html", "img", "svg", "button", "form"}
)
