"""Bylines: who wrote the article, as names only.

`clean_byline` turns what pages write ("By Jane Doe | Staff Writer", "Jane Doe, AP",
"Alex Perry 1 day ago") into names; `dom_byline` finds the byline a page shows when its
metadata names no one.
"""

from __future__ import annotations

import re
from typing import cast
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from reader.ingest.metadata.text import clean_text
from reader.ingest.xpath import ElementQuery
from reader.textrules import clean_line

URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
_BY = re.compile(
    r"^(?:(?:written|posted|published|reported|words|text|story|photos?|edited)\s+)?"
    r"(?:by|via|par|von|por|di|door|av|af|autor(?:a|in)?|author|auteur|escrito por)\b[\s:]*",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|editor|correspondent|contributor|columnist|senior|"
    r"updated?|published|posted|last|minutes?|read|follow|share|email|twitter|facebook|"
    r"bureau|chief|news desk|photographer|illustrat\w*|"
    r"comments?|sign (?:in|up)|log ?in|subscribe|about|contact|ago|hours?|days?|news|producer|"
    r"editorial|consultant|offline|online|wrote|analyst|manager|director|specialist|"
    r"strategist|operations)\b",
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
_DIGIT_THEN_NAME = re.compile(r"(?<=\d)(?=[A-Z][a-z])")
_LEADING_NUMBER = re.compile(r"^(?:\S*\d\S*\s+)+")
_CREDENTIAL = re.compile(r"^(?:MA|MS|MD|PhD|Ph\.D\.|RN|MPH|DO|Jr\.?|Sr\.?|BSc|MSc|MBA|DDS)$", re.I)
# One word of a post-nominal ("MS", "FAND", "M.D.", "E-RYT"): capitals, a few small letters.
_CREDENTIAL_WORD = re.compile(
    r"^(?=(?:[^A-Z]*[A-Z]){2})(?!(?:[^a-z]*[a-z]){3})[A-Z][A-Za-z.-]{1,7}$"
)
# A forum's user name: one word of letters, then digits ("Pippin06", "user3080392"); not
# an id ("mdq6vkpg2ma0ci").
_USER_NAME = re.compile(r"^[^\W\d_](?:[^\W\d]|[.-]){1,30}\d{1,9}$")


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
    houses: list[str] = []
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
                if is_house_byline(chunk):
                    houses.append(chunk)
                # Credentials stay with the name they follow, as the page writes them:
                # "Jane Doe, MD, FACP" is one person (not in an all-capitals byline,
                # where "JANE DOE, JOHN ROE" names two).
                credentials = chunk != chunk.upper()
                named = False
                for name in _NAME_SPLIT.split(chunk):
                    name = _BY.sub("", name.strip())
                    if named and credentials and _is_credential(name):
                        names[-1] = f"{names[-1]}, {name.strip(' ,;:')}"
                        continue
                    # A date before the name: "Dec 17, 2025Julian K. Arni".
                    if _DIGIT_THEN_NAME.search(name):
                        name = _LEADING_NUMBER.sub("", _DIGIT_THEN_NAME.sub(" ", name))
                    name = _DIGIT_WORD.split(name, 1)[0].strip(" ,;:.-–—'\"")
                    name = _GLUED_DATE.sub("", name).strip()
                    if name.startswith("(") and name.endswith(")"):
                        name = name[1:-1].strip()
                    if name and _looks_like_name(name) and name not in names:
                        names.append(name)
                        named = True
    # An avatar's initials ("CM" beside "Craig McCarthy") are no one else.
    names = [n for n in names if not any(_initials_of(n, other) for other in names)]
    people = [n for n in names if not _AGENCY.match(n)]
    names = people or names  # "Jane Doe, AP" is Jane Doe's; "AP" alone is AP's
    if not names:
        # A house byline, when it is all the page says: the publication's staff wrote it.
        return houses[0] if houses else None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


# A publication's own byline: "Podium Staff", "SFist Contributor", "The Verge Team".
_HOUSE = re.compile(
    r"^(?P<house>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s+"
    r"(?:staff|contributors?|editors|team|newsroom)$",
    re.I,
)


def is_house_byline(byline: str) -> bool:
    """Whether `byline` is a publication's own ("Podium Staff"), not a person's nor a
    role's ("Staff Writer", "Senior Staff")."""
    match = _HOUSE.match(byline)
    return match is not None and not _ROLE.search(match.group("house"))


# A month glued to the name before it, its day cut off already: "Luke KimDecember".
_GLUED_DATE = re.compile(
    r"(?<=[a-z])(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?$"
)


def _is_credential(text: str) -> bool:
    """Whether `text` is a post-nominal or two ("MD", "M.D. FACLM", "E-RYT 200", "Jr."),
    not an agency's initials ("AP")."""
    words = text.split()
    return (
        0 < len(words) <= 3
        and not _AGENCY.match(text)
        and all(
            _CREDENTIAL.match(w) or _CREDENTIAL_WORD.match(w) or (i and w.isdigit())
            for i, w in enumerate(words)
        )
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
# A month's or a day's name or its abbreviation: not a name beginning so ("Maria").
_MONTH_OR_DAY = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|"
    r"tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?)\.?$",
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
    if not any(ch.isalpha() for ch in text):
        return False
    if any(ch.isdigit() for ch in text) and not _USER_NAME.match(text):
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


def says_more(declared: str, shown: str) -> bool:
    """Whether the byline a page shows says more than the one it declares: it names the
    declared people and others ("Rui Ma" declared, "Rui Ma, Heba Ledwon and Suparn Patra"
    shown: a plugin that declares the first author only), or a full name where the page
    declares a user name ("andrew.keaveney", "CC7567": the account that posted it) or
    the publication's own ("Podium Staff")."""
    ours, theirs = _names_of(declared), _names_of(shown)
    if is_house_byline(declared):
        return not is_house_byline(shown)
    if _ACCOUNT.match(declared):
        return ours[0] not in theirs and all(" " in name for name in theirs)
    # The others are full names: one word beside a name is more often a company
    # ("Jane Doe, Acme") or the rest of a role than a person.
    return (
        len(theirs) > len(ours)
        and all(any(_same_person(name, other) for other in theirs) for name in ours)
        and all(" " in other for other in theirs if not any(_same_person(n, other) for n in ours))
    )


# An account's name, not a person's: one word with a dot, an underscore, a digit or a
# capital after small letters ("andrew.keaveney", "CC7567", "KatieS"; not "khixxx").
_ACCOUNT = re.compile(r"^(?=\S*(?:[._\d]|[a-z][A-Z]))\S+$")


def _names_of(byline: str) -> list[str]:
    return [n.casefold() for n in re.split(r", | and ", byline) if n]


def _same_person(name: str, other: str) -> bool:
    """The same name, or one with a title before it ("Dr Jane Doe")."""
    return name == other or other.endswith(" " + name) or name.endswith(" " + other)


# --- the byline a page shows ----------------------------------------------------

_BYLINE_HINT = re.compile(r"byline|author|dateline|writtenby|p-author", re.I)
# (Not Drupal's "node--promoted": an article promoted to the front page is the page's.)
_UNLIKELY = re.compile(r"comment|footer|sidebar|related|share|social|promo(?!ted)|newsletter", re.I)


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
    if any(w.casefold() in slug for w in re.split(r"\W+", name) if len(w) >= 3):
        return True
    # A slug of the whole name run together: /author/ruima/ for "Rui Ma".
    return re.sub(r"\W+", "", name.casefold()) in "".join(slug)


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
        # Most elements are none of these: each is tested once, the cheapest first.
        get = el.get
        hint = f"{get('class') or ''} {get('id') or ''}"
        property_ = f"{get('rel') or ''} {get('itemprop') or ''}".lower()
        by_property = "author" in property_ and (
            "author" in property_.split() or "author" in (get("itemprop") or "").lower()
        )
        href = get("href") if el.tag == "a" else None
        author_page = href is not None and _AUTHOR_PAGE.search(href)
        if not (by_property or author_page or _BYLINE_HINT.search(hint)):
            continue
        if el.tag in _NOT_BYLINE_TAGS:
            continue
        if by_property:
            rank = 0
        elif author_page or re.search(r"byline", hint, re.I):
            rank = 2
        else:
            rank = 4
        rank += 0 if seen_h1 else 1
        if (best is not None and rank >= best[0]) or _AVATAR.search(hint):
            continue  # an avatar shows a picture or initials ("NB"), not a name
        if any(
            _UNLIKELY.search(_hint(a)) for a in el.iterancestors() if a.tag not in ("body", "html")
        ):
            continue
        # An author-page link vouches only for the name its address spells.
        author_link = rank in (2, 3) and el.tag == "a" and not re.search(r"byline", hint, re.I)
        name = _named(el, rank > 1, host if author_link else None)
        if not name:
            continue
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


_AVATAR = re.compile(r"avatar", re.I)
# What joins the links of a byline that names several people: "A, B & C", "by A and B".
_JOINERS = re.compile(r"(?:[\s,;&·|]|\band\b|\bby\b)*", re.I)
# Where an author box (a picture, a name, a biography) puts the name.
_BOX_NAME = ElementQuery(
    "descendant::*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or contains(translate(@class, 'NAME', 'name'), 'name')]"
)


def _named(el: HtmlElement, by_class: bool, host: str | None) -> str | None:
    """The names an author element shows. A link to an author's page among links to
    others' names them all ("A, B & C"); a byline that marks its author ("via <a
    class=u-author>A</a> | tag | 12 comments") names that author only; an author box,
    a name with a biography, names the person its heading or its name element does; a
    microdata Person, its itemprop=name."""
    if host is not None:
        group = _author_links(el, host)
        if group:
            return group
    # Microdata: a Person's itemprop=name is the name, whatever badges sit beside it.
    for prop in _ITEM_NAME(el):
        name = clean_byline(prop.get("content") or prop.text_content())
        if name:
            return name
    raw = el.text_content()
    text = clean_line(raw)
    whole = clean_byline(raw) if 0 < len(raw.strip()) < 200 and len(text) < 100 else None
    inner = _marked_names(el) if by_class else None
    if inner and (whole is None or set(_names_of(inner)) <= set(_names_of(whole))):
        return inner
    if whole or not by_class or el.tag == "a" or len(text) > _MAX_BOX:
        return whole
    for part in _BOX_NAME(el):
        heading = clean_line(part.text_content())
        if 0 < len(heading) < 60:
            return clean_byline(heading)
    return None


_ITEM_NAME = ElementQuery("descendant::*[@itemprop='name']")
# An author box's text at most: a name, a role and a biography, not a section.
_MAX_BOX = 1000


def _marked_names(el: HtmlElement) -> str | None:
    """The names in the innermost, short author elements under `el`: a name, not the
    box that holds it and a biography."""
    marked = [
        d
        for d in el.iterdescendants()
        if _marks_author(d)
        and len(clean_line(d.text_content())) < 60
        and not any(_marks_author(inner) for inner in d.iterdescendants())
    ]
    return clean_byline("\n".join(d.text_content() for d in marked)) if marked else None


def _marks_author(el: HtmlElement) -> bool:
    if not isinstance(el.tag, str) or _AVATAR.search(_hint(el)):
        return False
    rel = (el.get("rel") or "").lower().split()
    return (
        "author" in rel
        or "author" in (el.get("itemprop") or "").lower()
        or bool(re.search(r"author", _hint(el), re.I))
    )


def _author_links(el: HtmlElement, host: str) -> str | None:
    """The people of a byline of author-page links joined by commas and "and", when
    `el` is one of several such links (each to its own name's page); else None."""
    parent = el.getparent()
    if parent is None:
        return None
    links = [a for a in parent.iterchildren("a") if _AUTHOR_PAGE.search(a.get("href") or "")]
    if len(links) < 2:
        return None
    rest = parent.text_content()
    names = []
    for link in links:
        text = link.text_content()
        name = clean_byline(text)
        if not name or not _links_to_own_page(link, name, host):
            return None
        names.append(name)
        rest = rest.replace(text, "", 1)
    # Words join a byline's names; a row of author cards is whitespace between links.
    return clean_byline("\n".join(names)) if _JOINERS.fullmatch(rest) and rest.strip() else None


_BYLINE_CANDIDATES = ElementQuery(
    "descendant::*[@rel or @itemprop or @class or @id or self::h1 or self::a[@href]]"
)
_NOT_BYLINE_TAGS = frozenset(
    {"script", "style", "meta", "link", "body", "html", "img", "svg", "button", "form"}
)


# --- a byline in words ----------------------------------------------------------

# A label the name follows in the next element: "By", "Article by", "Written by:".
_LABEL = re.compile(
    r"^(?:(?:article|post|story|words|text)\s+)?(?:(?:written|posted|published)\s+)?by\s*:?$",
    re.I,
)
# A byline in one line: "by Jon Foster - 2025-09-13", "12/19 — 2025 by ibby".
_BY_LINE = re.compile(r"^(?P<date>[^A-Za-z]*?(?:\b[A-Za-z]{3,9}\.?\b[^A-Za-z]*?)?)\bby\s+", re.I)
_NO_TEXT = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "button",
        "select",
        "textarea",
        "code",
        "pre",
        "svg",
    }
)
_MAX_LINE = 80


def labelled_byline(doc: HtmlElement) -> str | None:
    """The byline a page writes in words, with no markup to say so: an element that
    begins "By Jane Doe" ("by Jon Foster - 2025-09-13", a date before it), or a label
    ("By", "Article written by:") whose next text is the name. Only a label that begins
    its element counts ("a novel <em>X</em> by <a>Y</a>" names no byline), and not in
    menus, forms, comments, sidebars or related boxes; a page that writes several
    ("By A" ... "By B": a list of articles) has none."""
    body = doc.find(".//body")
    if body is None:
        return None
    found: set[str] = set()
    for text in cast(list[etree._ElementUnicodeResult], _BY_TEXTS(body)):
        line = " ".join(text.split())
        owner = cast(HtmlElement | None, text.getparent())
        if text.is_tail or owner is None or len(line) > _MAX_LINE:
            continue
        if _LABEL.match(line):
            rest = ""
        else:
            match = _BY_LINE.match(line + " ")
            if match is None or not _only_date(match.group("date")):
                continue
            rest = line[match.end() :]
        if any(
            a.tag in _NOT_PROSE or _UNLIKELY.search(_hint(a)) or _MENU.search(_hint(a))
            for a in [owner, *owner.iterancestors()]
        ):
            continue
        # "12/19 — 2025 by <a>ibby</a>": the name is the next text, and all of its element.
        name_text, name_el = rest, owner
        if not rest:
            following = cast(list[etree._ElementUnicodeResult], _NEXT_TEXT(owner))
            if not following:
                continue
            name_text = " ".join(following[0].split())
            name_el = cast(HtmlElement, following[0].getparent())
        name = clean_byline(name_text)
        whole = clean_line(name_el.text_content()) in (name_text, line)
        if name and _begins_with_names(name_text, name, whole):
            found.add(name)
            if len(found) > 1:
                return None
    return found.pop() if found else None


_OUT_OF_TEXT = (
    "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::button or ancestor::select or ancestor::textarea or ancestor::code"
    " or ancestor::pre or ancestor::*[local-name()='svg']"
)
# The texts that say "by" (found by XPath: a page's every text, walked in Python, costs).
_BY_TEXTS = etree.XPath(
    "descendant::text()[contains(., 'by') or contains(., 'By') or contains(., 'BY')]"
    f"[not({_OUT_OF_TEXT})]"
)
# The text after a label: inside its element ("By <strong>Name</strong>") or after it.
_NEXT_TEXT = etree.XPath(
    f"(descendant::*/text() | following::text())[normalize-space()][not({_OUT_OF_TEXT})][1]"
)


# Where "By ..." is a menu's ("Shop by Collection") or a form's ("Sort by").
_NOT_PROSE = frozenset({"nav", "menu", "label", "form", "option", "a"})


def _begins_with_names(text: str, byline: str, whole: bool) -> bool:
    """Whether `text` begins with the names of `byline` as a byline in running text
    writes them: capitalised words ("Jon Foster - 2025-09-13"), or a user name that is
    the whole of its element (`whole`: "by ibby"; not "By integrating <a>...</a>")."""
    names = re.split(r", | and ", byline)
    if not text.startswith(names[0]):
        return False
    if len(names) == 1 and " " not in names[0] and not names[0][:1].isupper():
        return whole and text == names[0]
    return all(
        w[:1].isupper() or w.lower() in _PARTICLES or not w[:1].isalpha()
        for n in names
        for w in n.split()
    )


def _only_date(text: str) -> bool:
    """Whether what comes before "by" is a date or nothing ("12/19 — 2025", "Dec 3,")."""
    return not re.sub(r"[\W\d_]+", " ", _DATEISH.sub(" ", text)).strip() or all(
        _MONTH_OR_DAY.match(w) for w in re.sub(r"[\W\d_]+", " ", text).split()
    )
