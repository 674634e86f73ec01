"""EstimatedSql: what a search on a big archive asks before it chooses a plan (is the
query common, how many articles it finds, the share of the newest it matches), kept
while the archive is unchanged; plans.py chooses by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Generic, TypeVar

import reader.archive.bounds as bounds
from reader.archive.base import in_schema
from reader.archive.fts import (
    ARTICLES_INDEX,
    INDEXED_PREFIX,
    META_INDEX,
    excluded_expression,
    expands,
    match_expression,
    positive_expression,
    text_expression,
)
from reader.archive.query_sql import EXCLUDED_ABOVE, IdRange, QuerySql, tagged, untagged
from reader.archive.vocabulary import listed_words, spelled_out
from reader.query import Query, Term

__all__ = ["Count", "EstimatedSql", "unsorted"]

_KEPT_MOST = 64  # values a _Kept holds at once (shares, counts, a prefix's words)
_Value = TypeVar("_Value")
_ALL_NOTES = ""  # _note_counts' key for how many notes there are (no FTS expression is empty)


@dataclass(frozen=True)
class Count:
    """How many articles a query finds: `n`, exact, or estimated (`exact` False) from
    the newest SAMPLE articles, to be counted exactly off the critical path."""

    n: int
    exact: bool = True


_COUNTERS = {
    Query(): "all",
    Query(flags=("unread",)): "unread",
    Query(flags=("starred",)): "starred",
    Query(flags=("archived",)): "archived",
    Query(flags=("annotated",)): "annotated",
    Query(flags=("missing",)): "missing",
}


class EstimatedSql(QuerySql):
    """Estimates of a query's matches, and the walks they share with the plans."""

    def _walked_articles(
        self,
        q: Query,
        match: str,
        *,
        ranked: bool,
        ids: IdRange = (None, None),
        index: str = ARTICLES_INDEX,
    ) -> tuple[str, list[object]]:
        """The article branch for a walk that stops early (the sample, the newest,
        the titled): its tags asked of article_tags article by article (~1 us each),
        where the branch's own `IN (the tag's articles)` lists all of them first (a tag
        on 61,000 of 250,000 articles: 10 ms, in each of those statements)."""
        sql, params = self._article_branch(untagged(q), match, ranked=ranked, ids=ids, index=index)
        return tagged(sql, params, q, f"{index}.rowid")

    def _is_common(self, q: Query, match: str) -> bool:
        """Whether `q`'s text matches more than RANK_ALL articles (estimated), judged on
        the text alone: with its row filters the newest articles may all fail them
        (`before:2023`), and the query looked small, so every match was ranked (at
        250,000 articles `the site:x` 116 ms, against 50 ms bounded). Bounded, a query
        whose filters leave fewer than RANK_NEWEST matches still ranks them all."""
        sample = self._sample()
        return sample is not None and self._text_matches(q, sample) > bounds.RANK_ALL

    def _text_matches(self, q: Query, sample: tuple[int, int]) -> float:
        """How many articles `q`'s text matches (row filters aside), estimated from the
        newest SAMPLE. A query of one term counts it as _ranking_query does, so that it
        is counted once (`("pefe" *)` and `"pefe" *` are the same matches). A prefix
        longer than the prefix indexes is counted as its indexed head (`stop*` as
        `sto*`): no fewer matches, and counting it whole expands it over the whole
        index (30-60 ms for 5 letters at 1,000,000 articles). Too many only sends a
        query to the bounded plan, which ranks every match when it finds fewer than
        RANK_NEWEST."""
        q = _headed(q)
        positive = positive_expression(q)
        assert positive is not None
        text = text_expression(q)
        expression = text if text is not None and positive == f"({text})" else positive
        return self._share(expression, sample, excluded_expression(q)) * self._total()

    def _estimated_matches(self, q: Query, match: str) -> float | None:
        """How many articles `match` (and `q`'s filters) finds, estimated from the
        newest SAMPLE (counted there, or as a search's walk found them: see
        _note_sample_count); None on an archive too small to sample."""
        sample = self._sample()
        if sample is None:
            return None
        floor, above = sample
        kept = self._kept_sample(floor)
        key = (unsorted(q), match)
        found = kept.get(key)
        if found is None:
            # The articles alone: highlights and notes are few, and a common word's
            # matches there (36,000 of them for `the` at 250,000 articles) took longer
            # to walk than the newest articles' own.
            sql, params = self._walked_articles(
                *self._spelled_out(q, match), ranked=False, ids=(floor, None)
            )
            (found,) = self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
            kept[key] = found = int(found)
        return found * self._total() / above

    def _note_sample_count(
        self, q: Query, match: str, sample: tuple[int, int], newest: list[int], window: int
    ) -> None:
        """Keep what a walk of `q`'s newest matches (`newest`, newest first, at most
        `window`) says of the sample: where it reached below it, its ids above the
        sample's floor are the sample's matches, which the count shown (asked after the
        first page) then need not count again (a prefix FTS5 expands, over the whole
        index in each statement: 40-100 ms for 4 letters at 1,000,000 articles)."""
        floor, _ = sample
        every_match = len(newest) < window
        if not every_match and not (newest and newest[-1] <= floor):
            return
        self._kept_sample(floor)[(unsorted(q), match)] = sum(1 for i in newest if i > floor)

    def _total(self) -> int:
        if self.has_counts:
            row = self.conn.execute("SELECT n FROM counts WHERE name = 'all'").fetchone()
            if row is not None:
                return int(row[0])
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def _sample(self) -> tuple[int, int] | None:
        """(id, how many articles have a greater one): the newest SAMPLE articles,
        which estimates count in; None when the archive is not much bigger than that
        (then everything is counted exactly, which costs as little)."""
        (high,) = self.conn.execute("SELECT max(id) FROM articles").fetchone()
        total = self._total()
        if high is None or total <= 2 * bounds.SAMPLE:
            return None
        floor = max(0, int(high) - bounds.SAMPLE)
        # Counting the rows above `floor` walks their table pages (one an article: 8 MB
        # at 2,000), so the count is kept for as long as the newest id and the total
        # stay the same.
        known = self._samples.get((int(high), total, floor))
        if known is None:
            (known,) = self.conn.execute(
                "SELECT count(*) FROM articles WHERE id > ?", (floor,)
            ).fetchone()
            self._samples.clear()
            self._samples[(int(high), total, floor)] = int(known)
        return (floor, known) if known else None

    @cached_property
    def _samples(self) -> dict[tuple[int, int, int], int]:
        return {}

    def _counter(self, q: Query) -> int | None:
        """The count a trigger keeps for `q` (all, unread, ..., one tag), or None."""
        if not self.has_counts:
            return None
        plain = unsorted(q)
        name = _COUNTERS.get(plain)
        if name is None and plain == Query(tags=plain.tags) and len(plain.tags) == 1:
            row = self.conn.execute("SELECT id FROM tags WHERE name = ?", plain.tags).fetchone()
            if row is None:
                return 0
            name = f"tag:{row[0]}"
        if name is None:
            return None
        found = self.conn.execute("SELECT n FROM counts WHERE name = ?", (name,)).fetchone()
        return int(found[0]) if found else 0

    def _exact_count(self, q: Query) -> int:
        counter = self._counter(q)
        if counter is not None:
            return counter
        found = self._kept_found().get(unsorted(q))
        if found is not None:
            return found
        sql, params = self._id_sql(q, ordered=False)
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def _estimate(self, q: Query) -> Count:
        """The count, exact where that is cheap: a kept counter, a small archive, or a
        full-text query estimated to match few articles (counting those costs little);
        else estimated from the newest SAMPLE articles, and for `before:`/`after:` times
        the share of articles those dates pass (_dated_share)."""
        counter = self._counter(q)
        if counter is not None:
            return Count(counter)
        sample = self._sample()
        if sample is None:
            return Count(self._exact_count(q))
        floor, above = sample
        dated = q.before is not None or q.after is not None
        undated = replace(q, before=None, after=None) if dated else q
        match = match_expression(q)
        if match is not None:
            # The articles' own matches, their tags asked row by row (the tag's whole
            # list of articles, 61,000 of 250,000, took 10-30 ms to make).
            estimate = self._estimated_matches(undated, match) or 0.0
            if estimate <= bounds.RANK_ALL:
                return Count(self._exact_count(q))
        else:
            sql, params = self._id_sql(undated, ordered=False, ids=(floor, None))
            (found,) = self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
            estimate = int(found) * self._total() / above
        if dated:
            estimate *= self._dated_share(Query(before=q.before, after=q.after))
        return Count(round(estimate), exact=False)

    def _dated_share(self, dates: Query) -> float:
        """The share of articles `dates` (before:/after:) passes, in STRATA runs of ids
        spread over the archive. Not from the newest alone: dates follow ids, so
        `before:2023` passes none of them, and the query was taken for a small one and
        counted exactly (62 ms for `before:2023 lang:en` and a word at 250,000
        articles, growing with it)."""
        # Apart: SQLite reads min() or max() alone from the end of the key, and both
        # in one SELECT from a scan of every row (90 ms at 1,000,000 articles).
        low, high = self.conn.execute(
            "SELECT (SELECT min(id) FROM articles), (SELECT max(id) FROM articles)"
        ).fetchone()
        width = max(1, bounds.SAMPLE // bounds.STRATA)
        step = max(width, (int(high) - int(low) + 1) // bounds.STRATA)
        runs = [(start - 1, start + width) for start in range(int(low), int(high) + 1, step)]
        seen = passed = 0
        for ids in runs:
            sql, params = self._id_sql(dates, ordered=False, ids=ids)
            (n,) = self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
            (m,) = self.conn.execute(
                "SELECT count(*) FROM articles WHERE id > ? AND id < ?", ids
            ).fetchone()
            passed, seen = passed + int(n), seen + int(m)
        return passed / seen if seen else 0.0

    def _share(
        self, expression: str, sample: tuple[int, int], excluded: str | None = None
    ) -> float:
        """The share of the newest articles that `expression` matches, less those that
        `excluded` matches. Kept while the archive is unchanged: a search asks it of
        the same expression more than once (is the query common, is each of its
        terms), and each asking of a prefix longer than the prefix indexes expands it
        over the whole index (8-46 ms for 4 letters at 250,000 articles, whatever the
        rowid range)."""
        floor, above = sample
        kept = self._shares.current((*self.version(), floor))
        key = expression if excluded is None else f"{expression} NOT ({excluded})"
        found = kept.get(key)
        if found is None:
            sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?"
            params: list[object] = [expression, floor]
            if excluded is not None:
                # Apart, as QuerySql._article_branch lists it above a rowid: FTS5's NOT
                # would walk every older match first.
                sql += " AND " + EXCLUDED_ABOVE.format(id="rowid")
                params += [excluded, floor]
            (found,) = self.conn.execute(sql, params).fetchone()
            kept[key] = found = int(found)
        return found / above

    @cached_property
    def _shares(self) -> _KeptCounts:
        return _KeptCounts()

    @cached_property
    def _note_counts(self) -> _KeptCounts:
        return _KeptCounts()

    @cached_property
    def _found_counts(self) -> _KeptCounts:
        return _KeptCounts()

    @cached_property
    def _sample_counts(self) -> _KeptCounts:
        return _KeptCounts()

    @cached_property
    def _prefix_words(self) -> _Kept[tuple[Term, ...] | None]:
        return _Kept()

    def _kept_found(self) -> dict[object, int]:
        """How many articles a query (less its sort) finds, where a page found them all
        (the bounded plan's walk, a listing that sorted every match); kept while the
        archive is unchanged."""
        return self._found_counts.current(self.version())

    def _kept_sample(self, floor: int) -> dict[object, int]:
        """How many of the sample's articles (ids above `floor`) a query (less its
        sort) and its MATCH find (see _note_sample_count); kept as `_kept_found` is."""
        return self._sample_counts.current((*self.version(), floor))

    def _note_matches(self, q: Query) -> tuple[int, int]:
        """(how many highlights and notes `q`'s free text matches, up to more than
        RANK_ALL and more than COMMON_SHARE of them; how many there are). Counted with a
        LIMIT (`the`, in 36,000 notes at 250,000 articles: 1 ms); both kept while the
        archive is unchanged, as `_share` keeps its counts: a search asks them for its
        ranking and again for its page's notes (counting 165,000 notes: 1.5 ms)."""
        kept = self._note_counts.current(self.version())
        total = kept.get(_ALL_NOTES)
        if total is None:
            (total,) = self.conn.execute("SELECT count(*) FROM annotations").fetchone()
            kept[_ALL_NOTES] = total = int(total)
        text = text_expression(q)
        if text is None:
            return 0, total
        found = kept.get(text)
        if found is None:
            most = max(int(total * bounds.COMMON_SHARE), bounds.RANK_ALL)
            (found,) = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM annotations_fts"
                " WHERE annotations_fts MATCH ? LIMIT ?)",
                (text, most + 1),
            ).fetchone()
            kept[text] = found = int(found)
        return found, total

    def _spelled_out(self, q: Query, match: str) -> tuple[Query, str]:
        """(q, match) with each prefix FTS5 expands written out as its words
        (reader.archive.vocabulary), for the unranked walks."""
        return spelled_out(q, match, self._words_beginning)

    def _words_beginning(self, prefix: str) -> tuple[Term, ...] | None:
        """The words of articles_fts that begin with `prefix` (None: too many), kept
        while the archive is unchanged (the next page asks again)."""
        kept = self._prefix_words.current(self.version())
        if prefix not in kept:
            indexes = [META_INDEX, ARTICLES_INDEX] if self._meta_index else [ARTICLES_INDEX]
            kept[prefix] = listed_words(self.conn, prefix, indexes)
        return kept[prefix]

    @cached_property
    def _meta_index(self) -> bool:
        """Whether the archive has v9's index of the metadata alone (an older one opened
        read-only, and so not migrated, has not: its walks ask `{meta} : x` instead)."""
        return in_schema(self.conn, META_INDEX)


@dataclass
class _Kept(Generic[_Value]):
    """What was counted or listed, by what (an FTS expression, a query), and what it
    was counted at (archive version, ...)."""

    at: tuple[object, ...] = ()
    counts: dict[object, _Value] = field(default_factory=dict)

    def current(self, at: tuple[object, ...]) -> dict[object, _Value]:
        """The values kept at `at`: none if they were counted at another."""
        if self.at != at or len(self.counts) > _KEPT_MOST:
            self.at, self.counts = at, {}
        return self.counts


_KeptCounts = _Kept[int]


def unsorted(q: Query) -> Query:
    """`q` as a count sees it: its sort changes no count."""
    return replace(q, sort=None)


def _headed(q: Query) -> Query:
    """`q` with each prefix FTS5 expands cut to its indexed head (`stop*` to `sto*`),
    where that head is letters or digits: a query that matches no fewer articles."""
    terms = tuple(
        Term(t.text[:INDEXED_PREFIX], "prefix")
        if expands(t) and t.text[:INDEXED_PREFIX].isalnum()
        else t
        for t in q.terms
    )
    return replace(q, terms=terms) if terms != q.terms else q
