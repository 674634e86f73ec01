"""Sites: whether a part of a title is the name of the site it is on, and the title
with that name cut off. A part goes only when it is the site's name (og:site_name, the
publisher, the domain, or the author on a personal site), never merely because the
title holds a separator.
"""

from __future__ import annotations

import itertools
import re

from reader.textrules import fold_key

# A separator between spaces; or a dash or bar with only the space after it, where a
# site's template lost the other ("Post title- Site").
SEPARATOR_RE = re.compile(r"\s[|\-–—\\/>»·•]\s|:\s|(?<=\w)[|–—-]\s(?=\S)")
SEPARATOR_MARKS = " \t|-–—\\/>»·•:"  # what a cut may leave at the end ("Post :: Site")


_NAME_WORDS = 4  # words of a site's name at most ("Example News Media Group")
_BRACKETED = re.compile(r"\s+\[([^\[\]]{1,60})\]$")
_SITE_WORD = re.compile(r"\b(?:web ?site|blog|weblog|homepage|home page|forums?)\b", re.I)


def site_like(part: str, site_names: list[str], host: str | None) -> bool:
    """Whether a piece of <title> is the site's name (og:site_name, publisher, domain).

    A piece holding the domain's word is a name ("Protiviti US") only while it is a few
    words: a longer one is a sentence that mentions the site ("The year of desktop
    FreeBSD?" on forums.freebsd.org)."""
    p = fold_key(part)
    named = len(part.split()) <= _NAME_WORDS
    if not p:
        return False
    for name in site_names:
        n = fold_key(name)
        if n and (p == n or (len(p) >= 3 and (p in n or n in p))):
            return True
    if host:
        labels = [label for label in host.lower().split(".") if label not in ("www", "m")]
        for label in labels[:-1] or labels:
            if len(label) >= 3 and (p == label or (named and (label in p or p in label))):
                return True
    return False


def trim_site_name(
    title: str, site_names: list[str], host: str | None, authors: tuple[str, ...] = ()
) -> str:
    """Remove a leading or trailing site name from a <title>: "Article – Site" -> "Article".

    Only a part that is the site's name goes: a title that merely contains a separator
    ("Rust: the book", "Draft | Code") stays whole. A declared name that holds the whole
    title is the page's own title given as its site's, no name to cut by.
    """
    whole = fold_key(title)
    site_names = [n for n in site_names if whole not in fold_key(n)]
    # The site's name in brackets after the title ("Welcome to LWN.net [LWN.net]").
    bracketed = _BRACKETED.search(title)
    if bracketed and site_like(bracketed[1], site_names, host) and title[: bracketed.start()]:
        title = title[: bracketed.start()]
    for _ in range(3):
        matches = list(SEPARATOR_RE.finditer(title))
        if not matches:
            break
        last, first = matches[-1], matches[0]
        tail = title[last.end() :]
        head = title[: first.start()]
        # A last part that calls itself a site ("– My website", "| Jane's blog", "- X Forum").
        names_site = len(tail.split()) <= _NAME_WORDS and bool(_SITE_WORD.search(tail))
        if (site_like(tail, site_names, host) or fold_key(tail) in authors or names_site) and title[
            : last.start()
        ].strip():
            title = title[: last.start()].rstrip(SEPARATOR_MARKS)
        # At the front, only the site's name itself: a product's name holds its maker's
        # ("Cloudflare CDN | ...", "Gymshark Arrival T-Shirt - Black").
        elif is_site(head, site_names, host) and title[first.end() :].strip():
            title = title[first.end() :].strip()
        elif (cut := _site_then_motto(title, matches, site_names, host)) is not None:
            title = title[:cut].rstrip(SEPARATOR_MARKS)
        else:
            break
    return title


def _site_then_motto(
    title: str, matches: list[re.Match[str]], site_names: list[str], host: str | None
) -> int | None:
    """Where "Post – Site – Its motto" ends its post: the site's name between two
    separators with a few words after it (the site's tagline); None when it has none."""
    for before, after in itertools.pairwise(matches):
        part, motto = title[before.end() : after.start()], title[after.end() :]
        if (
            title[: before.start()].strip()
            and len(motto.split()) <= 6
            and site_like(part, site_names, host)
        ):
            return before.start()
    return None


def site_from_title(title: str, host: str | None) -> str:
    """The site's name as the <title> spells it, when an end part matches the domain.

    "Story here - Example News" on examplenews.com gives "Example News"; without a
    URL to compare against there is no telling a site from a subtitle, so "".
    """
    if not host:
        return ""
    matches = list(SEPARATOR_RE.finditer(title))
    if not matches:
        return ""
    for part in (title[matches[-1].end() :], title[: matches[0].start()]):
        part = part.strip()
        if part and len(part) <= 60 and site_like(part, [], host):
            return part
    return ""


def site_motto(said: str, page_title: str, site_names: list[str], host: str | None) -> str:
    """`page_title` where a declared title is the site's name and its motto ("Zero to
    QED: An informal introduction to Lean", the same on every page) and `<title>` names
    the site too, after a title of its own ("Introduction - Zero to QED"); `said`
    otherwise."""
    matches = list(SEPARATOR_RE.finditer(said))
    if not matches or not page_title:
        return said
    head, rest = said[: matches[0].start()], said[matches[0].end() :]
    if not (is_site(head, site_names, host) and rest.strip()):
        return said
    own = trim_site_name(page_title, [head, *site_names], host)
    if (
        fold_key(own)
        and fold_key(own) != fold_key(page_title)
        and not site_like(own, site_names, host)
    ):
        return page_title
    return said


def holds_site(text: str, site_names: list[str], host: str | None) -> bool:
    """Whether `text` is the site's name, or holds the name the page gives its site
    ("Acme University Online Tuition" on Acme University's page): a logo or a banner,
    not a headline. A domain's word inside it is no sign ("Hifiman Sundara Headphones"
    on headphones.com)."""
    key = fold_key(text)
    return is_site(text, site_names, host) or any(
        len(name) >= 3 and name in key for name in map(fold_key, site_names)
    )


def is_site(text: str, site_names: list[str], host: str | None) -> bool:
    """Whether `text` is the site's name as the page or its domain spells it, no more
    ("Example", "Example.com" on www.example.com)."""
    key = fold_key(text)
    labels = [label for label in (host or "").lower().split(".") if label not in ("www", "m")]
    domains = {fold_key(".".join(labels[i:])) for i in range(len(labels) - 1)}
    return bool(key) and (
        key in {fold_key(n) for n in site_names} or key in labels[:-1] or key in domains
    )
