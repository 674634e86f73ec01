"""A prefix FTS5 expands, written out as the words of the index that begin with it.

FTS5 expands a prefix longer than the prefix indexes (fts.INDEXED_PREFIX) by merging
the whole doclist of every word that begins with it, ahead of the first row: at
1,000,000 generated articles 40-100 ms to walk the newest 2,000 matches of a 4-letter
prefix. Its words, listed from the index's vocabulary (fts5vocab: 15-50 ms, reading
their doclists once, unmerged), make an OR that FTS5 walks newest first, each word only
as far as the walk goes (3-18 ms for 50-256 words): the same matches. For unranked
walks alone: bm25 would weigh each word by its own rarity, not the prefix's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace

from reader.archive.fts import expands, match_expression
from reader.query import Query, Term

# The most words a prefix is written out as. Listing more reads their doclists for
# nothing (at most what reading all of them costs: 0.3-0.45 of the expansion).
SPELLED_OUT = 256
# Above every word that begins with a prefix (the highest code point).
_LAST_CHARACTER = chr(0x10FFFF)


def listed_words(
    conn: sqlite3.Connection, prefix: str, indexes: list[str]
) -> tuple[Term, ...] | None:
    """The words that begin with `prefix` in the last of `indexes` (FTS5 tables), or
    None where one of them has more than SPELLED_OUT. A smaller index whose columns the
    last one holds too (the metadata index) goes first: its vocabulary is a part of the
    last one's, 20-40 times cheaper to read, and tells of most prefixes that have too
    many. Each vocabulary is a temp table of the connection (a read-only one may make
    it)."""
    rows: list[tuple[str]] = []
    for index in indexes:
        vocabulary = f"{index}_words"
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocabulary}"
            f" USING fts5vocab(main, '{index}', 'row')"
        )
        rows = conn.execute(
            f"SELECT term FROM temp.{vocabulary} WHERE term >= ? AND term < ? LIMIT ?",
            (prefix, prefix + _LAST_CHARACTER, SPELLED_OUT + 1),
        ).fetchall()
        if len(rows) > SPELLED_OUT:
            return None
    return tuple(Term(row[0]) for row in rows)


def spelled_out(
    q: Query, match: str, words_of: Callable[[str], tuple[Term, ...] | None]
) -> tuple[Query, str]:
    """(q, match: q's MATCH) with each prefix FTS5 expands that is ASCII letters and
    digits (their case is all the tokenizer folds) written as `words_of(prefix)`, in
    an OR group of its own (or its group's); as it is where any such prefix has too
    many words, or none (nothing to gain)."""
    if match != match_expression(q):
        return q, match
    words: dict[Term, tuple[Term, ...]] = {}
    for term in q.text_terms:
        if expands(term) and term.text.isascii() and term.text.isalnum():
            listed = words_of(term.text.lower())
            if not listed:
                return q, match
            words[term] = listed
    if not words:
        return q, match
    spelled = replace(
        q,
        terms=tuple(t for t in q.terms if t not in words),
        any_of=(
            *(words[t] for t in q.terms if t in words),
            *(tuple(w for t in g for w in words.get(t, (t,))) for g in q.any_of),
        ),
    )
    spelled_match = match_expression(spelled)
    return (spelled, spelled_match) if spelled_match is not None else (q, match)
