"""A parsed Query as FTS5 MATCH strings, and the weights bm25 ranks them with."""

from __future__ import annotations

from reader.query import Query, Term

# bm25 weights for articles_fts's columns: title, byline, site_name, text, tag_names.
RANK_WEIGHTS = (10.0, 2.0, 2.0, 1.0, 4.0)
# The index of the title, byline, site name and tags alone (schema v9), and bm25's
# weights for its columns (theirs in articles_fts). Its doclists are a few per cent of
# articles_fts's, which holds the text too: a walk for the matches in those columns
# (the older matches a bounded ranking puts first) reads that much less, where
# `{title byline site_name tag_names} : x` over articles_fts reads all of x's doclist.
META_INDEX = "articles_meta_fts"
META_COLUMNS = ("title", "byline", "site_name", "tag_names")
META_WEIGHTS = (10.0, 2.0, 2.0, 4.0)
ARTICLES_INDEX = "articles_fts"
INDEX_COLUMNS = {
    ARTICLES_INDEX: ("title", "byline", "site_name", "text", "tag_names"),
    META_INDEX: META_COLUMNS,
}
INDEX_WEIGHTS = {ARTICLES_INDEX: RANK_WEIGHTS, META_INDEX: META_WEIGHTS}
# The longest prefix articles_fts indexes (schema.py: prefix='2 3'). A longer one is
# expanded by FTS5 over every term that begins with it, in each statement that uses
# it, whatever rowids the statement asks for.
INDEXED_PREFIX = 3


def expands_prefix(query: Query) -> bool:
    """Whether `query`'s free text has a prefix longer than the prefix indexes."""
    return any(map(expands, query.text_terms))


def expands(term: Term) -> bool:
    """A prefix longer than the prefix indexes: FTS5 expands it in each statement."""
    return term.kind == "prefix" and len(term.text) > INDEXED_PREFIX


# --- A parsed Query as FTS5 MATCH strings, built only from quoted tokens ------------
# Nothing a user typed reaches FTS5 as syntax: every token is a quoted string, and the
# operators and column filters come from here alone.


def fts_string(text: str) -> str:
    """`text` as an FTS5 string: always quoted, embedded quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """One search term as FTS5 syntax (a prefix term ends in ` *`)."""
    quoted = fts_string(term.text)
    return quoted + " *" if term.kind == "prefix" else quoted


def _all(terms: tuple[Term, ...]) -> str:
    return " AND ".join(term_expression(term) for term in terms)


def text_expression(query: Query) -> str | None:
    """The free text (terms and OR groups) as an FTS5 expression, for any columns."""
    parts = [term_expression(term) for term in query.terms]
    parts += [
        "(" + " OR ".join(term_expression(term) for term in group) + ")" for group in query.any_of
    ]
    return " AND ".join(parts) or None


def column_expression(query: Query) -> str | None:
    """title: and author: as FTS5 column filters over articles_fts."""
    parts = []
    if query.title:
        parts.append("{title} : (" + _all(query.title) + ")")
    if query.author:
        parts.append("{byline} : (" + _all(query.author) + ")")
    return " AND ".join(parts) or None


def excluded_expression(query: Query) -> str | None:
    """What must not match an article, as one FTS5 OR expression."""
    parts = [term_expression(term) for term in query.excluded]
    parts += ["{title} : " + term_expression(term) for term in query.excluded_title]
    parts += ["{byline} : " + term_expression(term) for term in query.excluded_author]
    return " OR ".join(parts) or None


def positive_expression(query: Query) -> str | None:
    """What an article must match (free text, title:, author:), exclusions aside."""
    positive = [e for e in (text_expression(query), column_expression(query)) if e]
    return " AND ".join(f"({e})" for e in positive) or None


def match_expression(query: Query) -> str | None:
    """The whole articles_fts MATCH string, or None when a NOT alone is left.

    FTS5's NOT needs something on its left, so a query with only exclusions gives
    None here and the search excludes with `excluded_expression` instead.
    """
    positive = positive_expression(query)
    if positive is None:
        return None
    excluded = excluded_expression(query)
    return f"{positive} NOT ({excluded})" if excluded else positive
