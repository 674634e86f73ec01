"""The search language: a typed string -> a parsed `Query` (pure: no database, no screen).

    words all match     rust async          prefix       async*
    exact phrase        "borrow checker"    either       rust OR go
    exclude             -java -"big data"   AND          ignored (words all match anyway)
    fields              tag:x -tag:x site:example.com author:name title:word lang:en
                        is:unread|read|archived|starred|annotated|missing  has:highlights|notes
                        color:yellow|green|blue|pink  htag:idea (a highlight's own tag)
                        before:2024 after:2024-03 before:2024-03-05
                        sort:relevance|added|published|title

tag, site, author, title, lang, is, has, color and htag take a leading `-` to negate
them; a value
may be quoted (`tag:"machine learning"`); field names ignore case. A word made only of
punctuation (`*`, `'`, `-`) searches for nothing and is dropped; more than MAX_TERMS
search words is an error. Words are not stemmed: `checker` does not find `checkers`,
`checker*` does. `before:P` keeps articles dated before the period P starts,
`after:P` those dated after P ends (so `after:2023` means 2024 on); the date is the
article's published date, else the date it was added. Repeated `site:`/`lang:`/`color:`
mean any of them; repeated `tag:`/`htag:` mean all of them. `color:C` keeps articles
with a highlight of colour C, `htag:T` those with a highlight tagged T (reader.hashtags:
a highlight's own tags, apart from the article's `tag:`; a leading `#` is allowed,
`htag:#idea`).

`parse_query` is total: any string gives a `Query` or raises `QueryError(message,
position)`. Nothing here knows FTS5: the archive turns a Query into MATCH strings
(`reader.archive.search.match_expression` and friends), quoting every token itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, TypeVar

from reader.hashtags import HighlightTagError, clean_highlight_tag
from reader.highlight_filter import HighlightFilter
from reader.models import COLORS

__all__ = [
    "COLORS",
    "FIELDS",
    "FLAGS",
    "HAS",
    "MAX_TERMS",
    "SORTS",
    "HighlightFilter",
    "Query",
    "QueryError",
    "Term",
    "parse_highlight_filter",
    "parse_query",
]

FLAGS = ("unread", "read", "archived", "starred", "annotated", "missing")
HAS = ("highlights", "notes")
SORTS = ("relevance", "added", "published", "title")
FIELDS = (
    "tag",
    "site",
    "author",
    "title",
    "lang",
    "is",
    "has",
    "color",
    "htag",
    "before",
    "after",
    "sort",
)
# A bound on search words (free text, title:, author:) so that a pasted 10 kB blob gets
# a clear message instead of a MATCH expression with thousands of phrases.
MAX_TERMS = 64

TermKind = Literal["word", "prefix", "phrase"]
_T = TypeVar("_T")


class QueryError(ValueError):
    """A query that cannot be parsed. `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (at character {self.position + 1})"


def _is_separator(char: str) -> bool:
    # Control, format, surrogate and unassigned characters separate words like spaces:
    # they never reach SQLite (a lone surrogate cannot even be encoded).
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Cn")


def _has_token(text: str) -> bool:
    """Whether FTS5's unicode61 tokenizer finds a token in `text` (letters, numbers, Co)."""
    return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" for c in text)


@dataclass(frozen=True)
class Term:
    """A search word (`word`), a prefix (`word*`, text without the star) or a phrase."""

    text: str
    kind: TermKind = "word"

    def __str__(self) -> str:
        if self.kind == "phrase" or _needs_quotes(self.text):
            return f'"{self.text}"' + ("*" if self.kind == "prefix" else "")
        return self.text + ("*" if self.kind == "prefix" else "")


def _needs_quotes(text: str) -> bool:
    return (
        not text
        or any(_is_separator(c) for c in text)
        or text in ("OR", "AND")
        or text.startswith("-")
        or text.endswith("*")
        or _FIELD_RE.match(text) is not None
    )


@dataclass(frozen=True)
class Query:
    """A parsed search. Empty tuples / None mean "no constraint"."""

    terms: tuple[Term, ...] = ()  # all must match (article text, title, tags... or a note)
    any_of: tuple[tuple[Term, ...], ...] = ()  # OR groups: one of each must match
    excluded: tuple[Term, ...] = ()  # -word: none may match the article
    title: tuple[Term, ...] = ()  # title:word, all must match in the title
    author: tuple[Term, ...] = ()  # author:name, all must match in the byline
    excluded_title: tuple[Term, ...] = ()
    excluded_author: tuple[Term, ...] = ()
    tags: tuple[str, ...] = ()  # all of them (names compare case-insensitively)
    excluded_tags: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()  # any of them: host (or a parent domain) or site name
    excluded_sites: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()  # any of them: `en` also matches `en-GB`
    excluded_langs: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # is:... (FLAGS)
    excluded_flags: tuple[str, ...] = ()
    has: tuple[str, ...] = ()  # has:... (HAS)
    excluded_has: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()  # color:... (COLORS), any of them
    excluded_colors: tuple[str, ...] = ()
    htags: tuple[str, ...] = ()  # htag:..., a highlight tag each, all of them
    excluded_htags: tuple[str, ...] = ()
    before: str | None = None  # YYYY-MM-DD: dated strictly before this day
    after: str | None = None  # YYYY-MM-DD: dated on or after this day
    sort: str | None = None  # one of SORTS; None: relevance with text, else added
    phrases: tuple[Term, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "phrases", tuple(t for t in self.terms if t.kind == "phrase"))

    # -- what kind of query this is -------------------------------------------------

    @property
    def has_text(self) -> bool:
        """Free text to rank and snippet (words, phrases, OR groups)."""
        return bool(self.terms or self.any_of)

    @property
    def text_terms(self) -> tuple[Term, ...]:
        """Every free-text term: the words, phrases and prefixes, and the OR groups'."""
        return self.terms + tuple(t for group in self.any_of for t in group)

    @property
    def has_fts(self) -> bool:
        """Anything at all that needs the full-text index."""
        return bool(
            self.has_text
            or self.excluded
            or self.title
            or self.author
            or self.excluded_title
            or self.excluded_author
        )

    def text_part(self) -> Query:
        """What the full-text index matches (the fields `has_fts` reads), without the
        row filters and the sort."""
        return Query(
            terms=self.terms,
            any_of=self.any_of,
            excluded=self.excluded,
            title=self.title,
            author=self.author,
            excluded_title=self.excluded_title,
            excluded_author=self.excluded_author,
        )

    @property
    def highlights(self) -> HighlightFilter:
        """The highlights its color: and htag: words name (a listing of highlights
        shows those only)."""
        return HighlightFilter(self.colors, self.excluded_colors, self.htags, self.excluded_htags)

    def listing_highlights(self) -> Query:
        """The query that picks the articles of a listing of highlights (`reader
        annotations`, `reader export`): there `-color:`/`-htag:` drop highlights (see
        `highlights`), not the articles that also have others."""
        return replace(self, excluded_colors=(), excluded_htags=())

    @property
    def is_empty(self) -> bool:
        """No constraint at all (a sort alone is not a constraint)."""
        return replace(self, sort=None) == Query()

    @property
    def effective_sort(self) -> str:
        if self.sort == "relevance" and not self.has_text:
            return "added"
        return self.sort or ("relevance" if self.has_text else "added")

    # -- composing ------------------------------------------------------------------

    def combine(self, other: Query) -> Query:
        """Both queries at once (a sidebar filter and typed text); `other`'s sort wins."""

        def merged(name: str) -> tuple[Any, ...]:  # Terms or strings, by field
            seen = list(getattr(self, name))
            seen += [x for x in getattr(other, name) if x not in seen]
            return tuple(seen)

        names = [
            f for f in self.__dataclass_fields__ if f not in ("before", "after", "sort", "phrases")
        ]
        values = {name: merged(name) for name in names}
        befores = [d for d in (self.before, other.before) if d]
        afters = [d for d in (self.after, other.after) if d]
        return Query(
            **values,
            before=min(befores) if befores else None,
            after=max(afters) if afters else None,
            sort=other.sort or self.sort,
        )

    def __str__(self) -> str:
        """The query written in the search language (parses back to an equal Query)."""
        out: list[str] = [str(t) for t in self.terms]
        out += [" OR ".join(str(t) for t in group) for group in self.any_of]
        out += ["-" + str(t) for t in self.excluded]

        def value(v: str) -> str:
            return f'"{v}"' if _needs_quotes(v) else v

        for name, terms, sign in (
            ("title", self.title, ""),
            ("author", self.author, ""),
            ("title", self.excluded_title, "-"),
            ("author", self.excluded_author, "-"),
        ):
            out += [f"{sign}{name}:{t}" for t in terms]
        for name, values, sign in (
            ("tag", self.tags, ""),
            ("tag", self.excluded_tags, "-"),
            ("site", self.sites, ""),
            ("site", self.excluded_sites, "-"),
            ("lang", self.langs, ""),
            ("lang", self.excluded_langs, "-"),
            ("is", self.flags, ""),
            ("is", self.excluded_flags, "-"),
            ("has", self.has, ""),
            ("has", self.excluded_has, "-"),
            ("color", self.colors, ""),
            ("color", self.excluded_colors, "-"),
            ("htag", self.htags, ""),
            ("htag", self.excluded_htags, "-"),
        ):
            out += [f"{sign}{name}:{value(v)}" for v in values]
        if self.before:
            out.append(f"before:{self.before}")
        if self.after:
            out.append(f"after:{_day_before(self.after)}")
        if self.sort:
            out.append(f"sort:{self.sort}")
        return " ".join(out)


# ---------------------------------------------------------------------------------
# Lexing

_FIELD_RE = re.compile(r"([A-Za-z]+):")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass
class _Text:
    term: Term
    negated: bool
    position: int


@dataclass
class _Field:
    name: str
    value: str
    quoted: bool
    negated: bool
    position: int  # of the field name (or its `-`)
    value_position: int


@dataclass
class _Or:
    position: int


def _closing_quote(text: str, opening: int) -> int:
    end = text.find('"', opening + 1)
    if end < 0:
        raise QueryError('unclosed quote: add a closing "', opening)
    return end


def _lex(text: str) -> list[_Text | _Field | _Or]:
    items: list[_Text | _Field | _Or] = []
    i, n = 0, len(text)
    while i < n:
        if _is_separator(text[i]):
            i += 1
            continue
        start = i
        negated = False
        if text[i] == "-" and i + 1 < n and not _is_separator(text[i + 1]):
            negated = True
            i += 1
        field_match = _FIELD_RE.match(text, i)
        if field_match and not text.startswith("//", field_match.end()):
            value_start = field_match.end()
            if value_start < n and text[value_start] == '"':
                end = _closing_quote(text, value_start)
                value, quoted, i = text[value_start + 1 : end], True, end + 1
                if i < n and text[i] == "*":
                    value += "*"
                    i += 1
            else:
                i = value_start
                while i < n and not _is_separator(text[i]) and text[i] != '"':
                    i += 1
                value, quoted = text[value_start:i], False
            items.append(
                _Field(field_match.group(1).lower(), value, quoted, negated, start, value_start)
            )
            continue
        if text[i] == '"':
            end = _closing_quote(text, i)
            phrase, i = text[i + 1 : end], end + 1
            kind: TermKind = "phrase"
            if i < n and text[i] == "*":
                kind = "prefix"
                while i < n and text[i] == "*":
                    i += 1
            if _has_token(phrase):
                items.append(_Text(Term(_clean(phrase), kind), negated, start))
            continue
        while i < n and not _is_separator(text[i]) and text[i] != '"':
            i += 1
        word = text[start + negated : i]
        if not negated and word == "OR":
            items.append(_Or(start))
        elif not negated and word == "AND":
            pass  # words all match anyway
        else:
            term = _word_term(word)
            if term is not None:
                items.append(_Text(term, negated, start))
    return items


def _clean(text: str) -> str:
    """Runs of separators inside a phrase become one space (control chars never pass)."""
    return " ".join("".join(" " if _is_separator(c) else c for c in text).split())


def _word_term(word: str) -> Term | None:
    """A bare word: `word*` is a prefix; a word with nothing to search for is dropped."""
    stripped = word.rstrip("*")
    if not _has_token(stripped):
        return None
    return Term(stripped, "prefix" if stripped != word else "word")


# ---------------------------------------------------------------------------------
# Parsing


def _date_bounds(value: str, position: int, name: str) -> tuple[str, str]:
    """The first day of the period `value` names and the first day after it."""
    match = _DATE_RE.match(value)
    problem = f"{name}: expects a date like 2024, 2024-03 or 2024-03-05, not '{value}'"
    if not match:
        raise QueryError(problem, position)
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        first = date(year, month or 1, day or 1)
        if day is not None:
            after = date.fromordinal(first.toordinal() + 1)
        elif month is not None:
            after = date(year + (month == 12), month % 12 + 1, 1)
        else:
            after = date(year + 1, 1, 1)
    except (ValueError, OverflowError):
        raise QueryError(f"{name}: no such date '{value}'", position) from None
    return first.isoformat(), after.isoformat()


def _day_before(iso: str) -> str:
    return date.fromordinal(date.fromisoformat(iso).toordinal() - 1).isoformat()


def _field_terms(item: _Field) -> Term:
    value = _clean(item.value)
    kind: TermKind = "phrase" if item.quoted else "word"
    if value.endswith("*"):
        value, kind = value.rstrip("*").rstrip(), "prefix"
    if not _has_token(value):
        raise QueryError(f"{item.name}: needs a word to search for", item.value_position)
    return Term(value, kind)


def _choice(item: _Field, choices: tuple[str, ...]) -> str:
    value = item.value.strip().lower()
    if value not in choices:
        shown = f"'{item.value}'" if item.value else "nothing"
        raise QueryError(
            f"{item.name}: expects one of {', '.join(choices)}, not {shown}", item.value_position
        )
    return value


def _color(item: _Field) -> str:
    return _choice(item, COLORS)


def _htag(item: _Field) -> str:
    try:
        return clean_highlight_tag(item.value)
    except HighlightTagError as error:
        raise QueryError(f"htag: {error}", item.value_position) from None


def _site(value: str) -> str:
    value = value.strip().lower()
    value = re.sub(r"^[a-z]+://", "", value)
    value = value.split("/", 1)[0]
    return value.removeprefix("www.")


def parse_query(text: str) -> Query:
    """Parse the search language (see the module docstring). Raises QueryError."""
    # Each field's values as parsed: Terms or strings, by field.
    parts: dict[str, list[Any]] = {name: [] for name in Query.__dataclass_fields__}
    before: str | None = None
    after: str | None = None
    sort: str | None = None
    items = _lex(text)
    term_count = 0
    # Positive words in the order typed; words joined by OR share one chain.
    chains: list[list[Term]] = []
    pending_or: _Or | None = None
    previous_positive_text = False
    for item in items:
        if isinstance(item, _Or):
            if not previous_positive_text or pending_or is not None:
                raise QueryError("OR needs a word or phrase on each side", item.position)
            pending_or = item
            continue
        is_positive_text = isinstance(item, _Text) and not item.negated
        if pending_or is not None and not is_positive_text:
            raise QueryError("OR needs a word or phrase on each side", pending_or.position)
        if isinstance(item, _Text) or item.name in ("title", "author"):
            term_count += 1
            if term_count > MAX_TERMS:
                raise QueryError(f"too many search words (at most {MAX_TERMS})", item.position)
        if isinstance(item, _Text):
            if item.negated:
                parts["excluded"].append(item.term)
            elif pending_or is not None:
                chains[-1].append(item.term)
                pending_or = None
            else:
                chains.append([item.term])
            previous_positive_text = not item.negated
            continue
        previous_positive_text = False
        sign = "excluded_" if item.negated else ""
        name = item.name
        if name in ("title", "author"):
            parts[sign + name].append(_field_terms(item))
        elif name == "tag":
            tag = _clean(item.value)
            if not tag:
                raise QueryError("tag: needs a tag name", item.value_position)
            parts[sign + "tags"].append(tag)
        elif name == "site":
            site = _clean(_site(item.value))
            if not site:
                raise QueryError(
                    "site: needs a site like example.com or a site name", item.value_position
                )
            parts[sign + "sites"].append(site)
        elif name == "lang":
            lang = item.value.strip().lower().replace("_", "-")
            if not _LANG_RE.match(lang):
                raise QueryError(
                    f"lang: expects a language code like en or pt-br, not '{item.value}'",
                    item.value_position,
                )
            parts[sign + "langs"].append(lang)
        elif name == "is":
            parts[sign + "flags"].append(_choice(item, FLAGS))
        elif name == "has":
            parts[sign + "has"].append(_choice(item, HAS))
        elif name == "color":
            parts[sign + "colors"].append(_color(item))
        elif name == "htag":
            parts[sign + "htags"].append(_htag(item))
        elif name in ("before", "after"):
            if item.negated:
                other = "after" if name == "before" else "before"
                raise QueryError(f"-{name}: cannot be negated; use {other}:", item.position)
            first, following = _date_bounds(item.value.strip(), item.value_position, name)
            if name == "before":
                before = first if before is None else min(before, first)
            else:
                after = following if after is None else max(after, following)
        elif name == "sort":
            if item.negated:
                raise QueryError("-sort: cannot be negated", item.position)
            sort = _choice(item, SORTS)
        else:
            raise QueryError(
                f"unknown field '{item.name}:' (fields: {', '.join(FIELDS)}; "
                'quote it to search for it: "word:")',
                item.position,
            )
    if pending_or is not None:
        raise QueryError("OR needs a word or phrase on each side", pending_or.position)
    groups = [_dedupe(chain) for chain in chains]
    parts["terms"] = [group[0] for group in groups if len(group) == 1]
    values = {
        name: tuple(_dedupe(parts[name]))
        for name in Query.__dataclass_fields__
        if name not in ("before", "after", "sort", "phrases", "any_of")
    }
    return Query(
        **values,
        any_of=tuple(_dedupe([tuple(g) for g in groups if len(g) > 1])),
        before=before,
        after=after,
        sort=sort,
    )


def _dedupe(values: list[_T]) -> list[_T]:
    seen: list[_T] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def parse_highlight_filter(text: str) -> tuple[str, HighlightFilter]:
    """A filter box over highlights (the all-highlights view): its `color:` and `htag:`
    words, read by `parse_query` itself (`-` negating), as a HighlightFilter, and the
    rest, the words to find in quotes and notes. Raises QueryError (its position in
    `text`) for a colour or tag that cannot be."""
    words: list[str] = []
    fields: list[Query] = []
    position = 0
    for word in text.split():
        position = text.index(word, position)
        name, colon, _ = word.removeprefix("-").partition(":")
        if colon and name.lower() in ("color", "htag"):
            try:
                parsed = parse_query(word)
            except QueryError as error:
                raise QueryError(error.message, position + error.position) from None
            if not parsed.highlights.is_empty:
                fields.append(parsed)
                position += len(word)
                continue
        words.append(word)  # `htag://x` is a URL to the search language too: a word
        position += len(word)
    return " ".join(words), _united(fields)


def _united(queries: list[Query]) -> HighlightFilter:
    united = Query()
    for query in queries:
        united = united.combine(query)
    return united.highlights


_TYPING_WORD = re.compile(r"(?:^|\s)(\w{3,})$")


def parse_as_typed(text: str) -> Query:
    """`parse_query` for a search box that filters as the user types.

    The word being typed (the last one, when nothing follows it yet) matches as a
    prefix, so `chec` already finds `checker`. Only a bare word of three characters or
    more is extended: a shorter prefix matches most of a big archive, and ranking all
    of that takes a visible moment (`th*`: about half a second at 100,000 articles);
    fields, phrases and `-word` are parsed as written. Raises QueryError
    exactly when `parse_query(text)` does.
    """
    query = parse_query(text)
    if _TYPING_WORD.search(text) is None:
        return query
    try:
        return parse_query(text + "*")
    except QueryError:
        return query
