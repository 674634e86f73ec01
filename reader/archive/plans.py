"""PlannedSql: the plans that keep search bounded at a million articles (bounded
ranking of a common query, listings walked in their order, keyset pages), chosen by
EstimatedSql's estimates over QuerySql's SQL. Their bounds are in bounds.py.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property

import reader.archive.bounds as bounds
from reader.archive.estimates import Count, EstimatedSql, unsorted
from reader.archive.fts import (
    ARTICLES_INDEX,
    META_COLUMNS,
    META_INDEX,
    RANK_WEIGHTS,
    column_expression,
    excluded_expression,
    expands,
    expands_prefix,
    match_expression,
    term_expression,
    text_expression,
)
from reader.archive.query_sql import tagged, untagged
from reader.models import ArticleSummary
from reader.query import Query, Term

__all__ = ["Count", "PageEnds", "PlannedSql"]


class PlannedSql(EstimatedSql):
    """The plans a search chooses by its estimates (bounded ranking, keyset pages)."""

    @cached_property
    def _page_ends(self) -> PageEnds:
        return PageEnds(self.version)

    def _listed_rows(self, q: Query, offset: int, limit: int) -> list[tuple[int, float]]:
        """A page of a listing in its sort order (keyset paging where it can)."""
        match = match_expression(q)
        found = self._estimated_matches(q, match) if match is not None else None
        if match is not None and found is not None and found > bounds.RANK_ALL:
            # Asking the FTS index once an article costs ~70 us; listing the matches
            # once, ~0.15 us a match: whichever reads less for this page. A prefix
            # FTS5 expands is expanded over the whole index at each asking (`quiqu*
            # sort:added` at 1,000,000 articles: 6.2 s): its matches are listed once.
            walked = self._total() / found * (offset + limit)
            as_set = expands_prefix(q) or found * bounds.SET_COST < walked * bounds.PROBE_COST
            batched = self._batched_rows(q, match, offset, limit, found / self._total())
            if batched is not None:
                return batched
            return self._probed_rows(q, match, offset, limit, as_set=as_set)
        if match is not None:
            # Every match is sorted for this page: how many there are comes with it,
            # and is the count shown after it (`everything` at 1,000,000 articles: 390
            # ms counted again, FTS5 proving `-the` against the prefix's matches).
            sql, params = self._id_sql(q, counted=True)
            rows = self.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
            if rows or not offset:  # (a first page with no rows: none at all)
                self._kept_found()[unsorted(q)] = int(rows[0][2]) if rows else 0
            return [(row[0], row[1]) for row in rows]
        start = self._page_ends.nearest(q, offset)
        after = None
        if start is not None:
            at, after = start
            offset -= at
        sql, params = self._id_sql(q, after=after)
        return self.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()

    def _batched_rows(
        self, q: Query, match: str, offset: int, limit: int, share: float
    ) -> list[tuple[int, float]] | None:
        """A page of a common listing of a prefix FTS5 expands, or None where this plan
        does not fit. Its matches listed as a set are the whole expansion (`stop*
        sort:added` at 1,000,000 articles: 365,000-673,000 ids, 100-240 ms), and asked
        article by article it is expanded at each asking; so the order's index is
        walked in batches (about twice the articles the page needs at the query's
        `share` of the archive), and each batch's matches found in one walk of the
        prefix's words over the batch's range of ids, and of its notes. None: deep in
        the listing, with title:/author: or an exclusion (tested article by article
        with the notes), a prefix with too many words, or an order that does not follow
        ids (sort:title; articles saved with older dates), where a batch's range of
        ids holds many more than the batch."""
        if not expands_prefix(q) or offset + limit > bounds.BATCHED_MOST:
            return None
        if column_expression(q) or excluded_expression(q):
            return None
        spelled_q, spelled = self._spelled_out(q, match)
        if expands_prefix(spelled_q):
            return None
        where, params, _ = self._filters(q)
        listing = self._listing(where, q.effective_sort)
        wanted = offset + limit
        batch = int(min(bounds.BATCH_MOST, max(bounds.BATCH_LEAST, 2 * wanted / share)))
        found: list[int] = []
        walked = batches = 0
        while len(found) < wanted:
            if batches == bounds.BATCHES_MOST:
                return None  # fewer matches than estimated, and each batch walks from the top
            batches += 1
            ids = [
                row[0]
                for row in self.conn.execute(
                    f"{listing} LIMIT ? OFFSET ?", [*params, batch, walked]
                )
            ]
            if not ids:
                break
            low, high = min(ids), max(ids)
            if high - low >= bounds.SPAN_MOST * len(ids):
                return None
            matched = {
                row[0]
                for row in self.conn.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
                    " AND rowid >= ? AND rowid <= ?",
                    (spelled, low, high),
                )
            }
            # The batch's notes (its row filters and tags are the listing's already).
            noted = self._annotation_branch(untagged(q), ranked=False, ids=(low - 1, high + 1))
            if noted is not None:
                matched.update(row[0] for row in self.conn.execute(*noted))
            found += [i for i in ids if i in matched]
            walked += len(ids)
        return [(i, 0.0) for i in found[offset:wanted]]

    def _walked_annotations(self, q: Query, *, ranked: bool) -> tuple[str, list[object]] | None:
        """The annotation branch, its tags asked as `_walked_articles` asks them."""
        branch = self._annotation_branch(untagged(q), ranked=ranked)
        return None if branch is None else tagged(*branch, q, "n.article_id")

    def _probed_rows(
        self, q: Query, match: str, offset: int, limit: int, *, as_set: bool = False
    ) -> list[tuple[int, float]]:
        """A common query in a listing's order: walk the order's index, stopping at the
        page's end, instead of sorting every match; each article is asked of the FTS
        index (a seek by rowid), or, `as_set`, looked up in the matches listed once
        (at 250,000 articles a word in 15,000 of them: 2 ms instead of 50)."""
        where, params, _ = self._filters(q)
        probe = _IN_MATCHES if as_set else _MATCHES.format("")
        probe_params: list[object] = [match]
        text = text_expression(q)
        if text is not None:
            noted = [
                "EXISTS (SELECT 1 FROM annotations n JOIN annotations_fts"
                " ON annotations_fts.rowid = n.id WHERE n.article_id = a.id"
                " AND annotations_fts MATCH ?)"
            ]
            probe_params.append(text)
            for expression, negate in (
                (column_expression(q), ""),
                (excluded_expression(q), "NOT "),
            ):
                if expression:
                    noted.append(_MATCHES.format(negate))
                    probe_params.append(expression)
            probe = f"({probe} OR ({' AND '.join(noted)}))"
        sql = self._listing([*where, probe], q.effective_sort)
        params += probe_params
        return self.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()

    def _ranking_query(self, q: Query, sample: tuple[int, int]) -> Query | None:
        """What bm25 ranks a common query by: its positive terms less the common ones
        (which weigh nothing) and the prefixes FTS5 expands (see _ranking), a phrase by
        its words, title: and author: kept; None when nothing is left. bm25's document
        count of a phrase compares its words' positions in every article that holds
        them all (`"which and"` at 1,000,000 articles: 400 ms, once in each statement
        that ranks it)."""
        words = (w for t in q.terms for w in (_words(t) if t.kind == "phrase" else (t,)))
        terms = tuple(
            t
            for t in dict.fromkeys(words)
            if not expands(t) and self._share(term_expression(t), sample) <= bounds.COMMON_SHARE
        )
        groups = tuple(
            g
            for g in q.any_of
            if not any(map(expands, g))
            and self._share(" OR ".join(map(term_expression, g)), sample) <= bounds.COMMON_SHARE
        )
        ranked = Query(terms=terms, any_of=groups, title=q.title, author=q.author)
        return ranked if match_expression(ranked) is not None else None

    def _ranked_rows(self, q: Query, offset: int, limit: int) -> list[tuple[int, float]]:
        """A page of a query ranked by relevance: (id, rank) rows, best first."""
        match = match_expression(q)
        assert match is not None
        sample = self._sample()
        window = self._bounded_window(q, match, sample)
        if sample is not None and window is not None:
            return self._bounded_rows(q, match, sample, offset, limit, window)
        sql, params = self._id_sql(q, top=offset + limit)
        return self.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()

    def _bounded_window(self, q: Query, match: str, sample: tuple[int, int] | None) -> int | None:
        """How many of `q`'s newest matches the bounded plan ranks, or None where the
        full plan ranks every match (a small archive, a query with few matches)."""
        if sample is None:
            return None
        if self._is_common(q, match):
            return bounds.RANK_NEWEST
        if self._has_common_phrase(q, sample):
            # Few matches, but a phrase with a common word: all of them ranked by its
            # words. Ranked as a phrase, bm25's document count compares the common
            # word's positions in every article that holds both, once more after the
            # match did (`"quiqua the"` at 250,000 articles: 55 ms of its 70).
            return bounds.RANK_ALL
        return None

    def _bounded(self, q: Query) -> bool:
        """Whether a search of `q` by relevance takes the bounded plan (the benchmark
        measures those queries' ranking against a full one)."""
        match = match_expression(q)
        return match is not None and self._bounded_window(q, match, self._sample()) is not None

    def _has_common_phrase(self, q: Query, sample: tuple[int, int]) -> bool:
        """Whether one of `q`'s phrases holds a word in more than COMMON_SHARE of the
        newest articles (the word's share is kept: _ranking_query asks it again)."""
        return any(
            self._share(term_expression(word), sample) > bounds.COMMON_SHARE
            for phrase in q.phrases
            for word in _words(phrase)
        )

    def _bounded_rows(
        self,
        q: Query,
        match: str,
        sample: tuple[int, int],
        offset: int,
        limit: int,
        window: int,
    ) -> list[tuple[int, float]]:
        """The bounded plan. Ranked by bm25 (over the query's informative terms, a
        phrase by its words, a prefix FTS5 expands in the metadata alone: see
        _ranking_query and _ranking): the newest RANK_NEWEST matches, the matches in
        highlights and notes (the newest RANK_NEWEST of them where there are more than
        RANK_ALL), and the older matches whose title, byline, site or tags hold one of
        those terms (bm25 weighs those columns 2 to 10 times the text, so these are
        what leads a full ranking: the best matches of all ages come first). Then the
        other matches, newest first. A query with no informative term (`the`) is
        newest first throughout, so only the page's rows are looked at. `window` is
        how many of the newest are ranked (_bounded_window)."""
        ranked = self._ranking_query(q, sample)
        prefixed = _prefixed(q)
        ranking = _ranking(ranked, prefixed)
        if ranking is None:
            window = offset + limit
        # The article branch walks its doclist newest first and stops at `window` (a
        # GROUP BY with the annotations would read every match first). Where bm25 ranks
        # the match itself (no common term left out), it is computed in that walk, for
        # the rows that pass the filters alone: a phrase under NOT adds nothing to bm25,
        # only its document count, which is cheap unless it is common (`-the`). Not
        # for a prefix FTS5 expands or a phrase (see _ranks), and only under row
        # filters: without them the newest are walked unranked and ranked with the
        # titled older matches in one statement (_ranks), so that bm25's document
        # count of each term (a pass over its whole doclist, ~20-30 ms for a word in
        # 5% of 1,000,000 articles) is paid once, not in both (two words at 1,000,000:
        # 87 -> 81 ms p95). Under filters that statement would also rank the newer
        # matches they drop (`x before:2023 lang:en`: 106 -> 150).
        excluded = excluded_expression(q)
        filtered = unsorted(q) != q.text_part()
        together = (
            filtered
            and ranking is not None
            and not expands_prefix(q)
            and not q.phrases
            and (
                ranking == match
                or (
                    excluded is not None
                    and match == f"{ranking} NOT ({excluded})"
                    and self._share(excluded, sample) <= bounds.COMMON_SHARE
                )
            )
        )
        sql, params = self._walked_articles(*self._spelled_out(q, match), ranked=together)
        found = self.conn.execute(
            f"{sql} ORDER BY articles_fts.rowid DESC LIMIT ?", [*params, window]
        ).fetchall()
        newest = [row[0] for row in found]
        self._note_sample_count(q, match, sample, newest, window)
        if not newest:
            return []
        oldest = newest[-1] if len(newest) == window else 0
        ranks: dict[int, float] = dict(found) if together else {}
        # Highlights and notes are the reader's own, so their matches are ranked, of
        # any age, as a full ranking does: a short note that holds the word ranks high,
        # and finding it again is what a search is often for. Past RANK_ALL of them
        # (`st*` in 35,000 of 165,000 notes at 1,000,000 articles: 92 ms to rank them
        # all), the newest RANK_NEWEST, as for articles (`notes_cut`); the others are
        # listed with the unranked matches. Unless the query is common there too (in
        # more than half of them: `the` is in 36,000 of 42,000 notes at 250,000
        # articles, and bm25 gives it no weight): then, with no informative term in the
        # articles either, nothing is ranked and the newest articles' notes join them.
        noted: dict[int, float] = {}
        notes_cut = False
        if ranking is not None or self._notes_ranked(q):
            annotations = self._walked_annotations(q, ranked=True)
            notes_cut = annotations is not None and self._note_matches(q)[0] > bounds.RANK_ALL
            if annotations is not None and notes_cut:
                sql, params = annotations
                annotations = (
                    f"{sql} ORDER BY annotations_fts.rowid DESC LIMIT ?",
                    [*params, bounds.RANK_NEWEST],
                )
        elif oldest:
            annotations = self._noted_since(q, oldest)
        else:
            annotations = self._walked_annotations(q, ranked=False)
        if annotations is not None:
            sql, params = annotations
            for article_id, rank in self.conn.execute(sql, params):
                noted[article_id] = min(rank, noted.get(article_id, rank))
        if not oldest and not notes_cut:
            # Every match was found (a phrase with a common word and few matches): the
            # count shown after this page is theirs, not a second match of the phrase
            # over the whole index (10-35 ms at 1,000,000 articles).
            self._kept_found()[unsorted(q)] = len(noted.keys() | set(newest))
        titled: list[int] = []
        either = " OR ".join(map(term_expression, prefixed.text_terms))
        if ranking is not None and oldest and ranked is None and match == f"({either})":
            # Prefixes FTS5 expands, alone, ranked in the metadata alone (`ranking` is
            # their matches there): those matches, newest first, ranked in one walk,
            # give the newest matches' ranks and the titled older ones (at 1,000,000
            # articles 25-40 ms, against 40-90 for a walk of the titled and a ranking
            # apart).
            found = self._walked_meta(q, either)
            ranks = dict(found)
            titled = [row[0] for row in found if row[0] < oldest]
        elif ranking is not None and oldest and q.phrases:
            # The older matches with a phrase are not looked for in their metadata: a
            # walk that evaluates a phrase over the older articles compares positions
            # in all of them (`{meta}: "ixdragri the"`: 200 ms at 1,000,000 articles).
            ranks = self._ranks(ranking, oldest, [])
        elif ranking is not None and oldest:
            terms = [*_ranked_terms(ranked), *prefixed.text_terms]
            titled = self._titled(q, match, terms, oldest)
            if together:  # the newest were ranked in their walk
                ranks.update(self._ranks(match, None, titled))
            else:
                ranks = self._ranks(ranking, oldest, titled)
        elif ranking is not None and not together:
            # Every match was found: ranked as a full ranking ranks them.
            whole = match_expression(_joined(ranked, prefixed))
            assert whole is not None
            ranks = self._ranks(whole, None, newest)
        # The best `offset + limit` of a few thousand (a full sort with a key of two
        # lookups an id was ~3 ms of Python a page).
        score = dict.fromkeys(newest, 0.0) | dict.fromkeys(titled, 0.0)
        for i in ranks.keys() & score.keys():
            score[i] = ranks[i]
        if oldest and prefixed.has_text and ranks and noted:
            # bm25 in the metadata alone weighs a prefix by its rarity there, far above
            # its weight in the whole articles, and above the notes a full ranking puts
            # first (a note is short): they keep that lead (bench/search.py's overlap
            # with a full ranking, 4-letter prefixes at 1,000,000 articles: 0.00
            # without it).
            lead = min(0.0, *(score[i] for i in ranks.keys() & score.keys()))
            noted = {i: rank + lead for i, rank in noted.items()}
        for i, rank in noted.items():
            score[i] = min(rank, score.get(i, 0.0))
        best = heapq.nsmallest(offset + limit, score.items(), key=lambda r: (r[1], -r[0]))
        rows = best[offset:]
        if len(rows) < limit and (oldest or notes_cut):
            skip = max(0, offset - len(score))
            # The matches not ranked above: older than the newest, or, with notes_cut,
            # of any age (an article whose only match is an older note).
            before = None if notes_cut else oldest
            above = (
                sorted(score) if notes_cut else sorted({*titled, *(i for i in noted if i < oldest)})
            )
            sql, params = self._hits_sql(q, match, ranked=False, ids=(None, before))
            rows += self.conn.execute(
                f"SELECT id, 0.0 FROM ({sql}) WHERE id NOT IN ({_marks(above)})"
                " ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, *above, limit - len(rows), skip],
            ).fetchall()
        return rows

    def _ranks(self, ranking: str, since: int | None, listed: list[int]) -> dict[int, float]:
        """bm25 by `ranking` of the matches from id `since` on and of those `listed`, in
        one read of their range: `+rowid IN` is a filter (as a constraint it would run
        the MATCH, and bm25's document count over the whole doclist, once an id). Apart
        from the walks that found them, each of which would pay that count again: for a
        prefix FTS5 expands, each statement expands it over the whole index; for a
        phrase, the count compares its words' positions in every article that holds
        them all (`"ixdragri the"` at 1,000,000 articles: 0.96 s ranked in its walks,
        0.54 s here)."""
        sql = f"SELECT rowid, {_BM25} FROM articles_fts WHERE articles_fts MATCH ?"
        if not listed:
            if since is None:
                return {}
            return dict(self.conn.execute(f"{sql} AND rowid >= ?", (ranking, since)))
        low = min(listed) if since is None else min(since, *listed)
        newer = "rowid >= ? OR " if since is not None else ""
        return dict(
            self.conn.execute(
                f"{sql} AND rowid >= ? AND ({newer}+rowid IN ({_marks(listed)}))",
                [ranking, low, *([since] if since is not None else []), *listed],
            )
        )

    def _notes_ranked(self, q: Query) -> bool:
        """Whether bm25 gives `q`'s free text weight among highlights and notes: it is
        in no more than COMMON_SHARE of them (as for articles: past half, its idf is
        clamped to nothing)."""
        found, total = self._note_matches(q)
        return found <= int(total * bounds.COMMON_SHARE)

    def _noted_since(self, q: Query, oldest: int) -> tuple[str, list[object]] | None:
        """(id, 0.0) of the articles from `oldest` on whose highlights or notes match
        the free text, where the annotations' own MATCH would walk every match of a
        common word: their notes (an index by article), each asked of the FTS index
        by rowid, a seek in a word's doclist. A prefix is merged whole at each
        asking (`an*` at 300,000 articles: 105 ms for its newest articles' notes), so
        it is matched once over the notes made since the first note on those
        articles (a note is made after its article is saved, and ids grow): 2 ms.
        That walk costs a common word more than its seeks (`the`: 14 -> 20 ms)."""
        text = text_expression(q)
        if text is None:
            return None
        where, params, needs_row = self._filters(untagged(q), "n.article_id", (oldest - 1, None))
        joined = self._joined_articles("n.article_id") if needs_row else ""
        if any(t.kind == "prefix" for t in q.text_terms):
            (low,) = self.conn.execute(
                "SELECT min(id) FROM annotations WHERE article_id >= ?", (oldest,)
            ).fetchone()
            if low is None:
                return None
            sql = (
                "SELECT n.article_id AS id, 0.0 AS rank FROM annotations_fts f"
                f" CROSS JOIN annotations n ON n.id = f.rowid{joined}"
                " WHERE f.annotations_fts MATCH ? AND f.rowid >= ?"
            )
            params = [text, low, *params]
        else:
            sql = (
                f"SELECT n.article_id AS id, 0.0 AS rank FROM annotations n{joined}"
                " WHERE EXISTS (SELECT 1 FROM annotations_fts f"
                " WHERE f.annotations_fts MATCH ? AND f.rowid = n.id)"
            )
            params = [text, *params]
        sql += "".join(f" AND {term}" for term in where)
        for expression, negate in ((column_expression(q), ""), (excluded_expression(q), "NOT ")):
            if expression:
                sql += (
                    f" AND {negate}EXISTS (SELECT 1 FROM articles_fts g"
                    " WHERE g.articles_fts MATCH ? AND g.rowid = n.article_id)"
                )
                params.append(expression)
        return tagged(sql, params, q, "n.article_id")

    def _in_metadata(self, expression: str) -> tuple[str, str]:
        """(index, MATCH) for `expression` in the title, byline, site and tags alone:
        v9's index of them, or articles_fts with a column filter on an older archive."""
        if self._meta_index:
            return META_INDEX, f"({expression})"
        return ARTICLES_INDEX, _in_meta(expression)

    def _walked_meta(self, q: Query, either: str) -> list[tuple[int, float]]:
        """(id, bm25) of `q`'s newest matches of `either` in the metadata alone
        (2 * RANK_NEWEST: those among the newest RANK_NEWEST matches of `q`, and older
        ones). In v9's index of the metadata, bm25 weighs a match by its frequency in
        those columns, over their length, where `{meta} : x` over articles_fts divides
        it by the whole article's length (with the text's)."""
        index, meta = self._in_metadata(either)
        sql, params = self._walked_articles(q, meta, ranked=True, index=index)
        return self.conn.execute(
            f"{sql} ORDER BY {index}.rowid DESC LIMIT ?", [*params, 2 * bounds.RANK_NEWEST]
        ).fetchall()

    def _titled(self, q: Query, match: str, terms: list[Term], oldest: int) -> list[int]:
        """The matches older than `oldest` whose title, byline, site or tags hold one of
        the ranked `terms` (the newest RANK_NEWEST of them), in one MATCH that FTS5
        evaluates itself: `match AND {meta} : terms`, or, where `match` is those terms,
        the terms in v9's index of the metadata alone (`{meta} : term` over articles_fts
        where the archive has none). Unranked: bm25 in this walk would rank the `{meta}`
        phrases too, and `match NOT (terms NOT {meta} : terms)`, whose bm25 is the
        match's, evaluated each term twice over the older articles (two words at
        1,000,000 articles: 60-105 ms, against 20-30 for this walk and 25-45 to rank
        what it finds)."""
        where = " OR ".join(term_expression(t) for t in terms)
        if match == f"({where})":
            index, titled = self._in_metadata(where)
        else:
            index, titled = ARTICLES_INDEX, f"({match}) AND {_in_meta(where)}"
        sql, params = self._walked_articles(
            q, titled, ranked=False, ids=(None, oldest), index=index
        )
        return [
            row[0]
            for row in self.conn.execute(
                f"{sql} ORDER BY {index}.rowid DESC LIMIT ?", [*params, bounds.RANK_NEWEST]
            )
        ]


def _words(phrase: Term) -> tuple[Term, ...]:
    """A phrase's words as terms (FTS5 splits each as it splits the phrase)."""
    return tuple(Term(word) for word in phrase.text.split())


def _prefixed(q: Query) -> Query:
    """`q`'s terms and OR groups with a prefix FTS5 expands (left out of _ranking_query)."""
    return Query(
        terms=tuple(t for t in q.terms if expands(t)),
        any_of=tuple(g for g in q.any_of if any(map(expands, g))),
    )


def _ranked_terms(ranked: Query | None) -> list[Term]:
    if ranked is None:
        return []
    return [*ranked.text_terms, *ranked.title, *ranked.author]


def _joined(ranked: Query | None, prefixed: Query) -> Query:
    base = ranked if ranked is not None else Query()
    return replace(base, terms=base.terms + prefixed.terms, any_of=base.any_of + prefixed.any_of)


def _ranking(ranked: Query | None, prefixed: Query) -> str | None:
    """What bm25 ranks a common query's walks by: `ranked` (see _ranking_query), and
    the `prefixed` terms (prefixes FTS5 expands, and OR groups with one) in the title,
    byline, site and tags alone. In full, bm25's document count of such a prefix
    expands it twice more over the whole index (`ithto*` at 1,000,000 articles: 155
    ms to rank the newest and titled matches, 43 in those columns); there, a full
    ranking's leaders are the matches whose title holds it (weighed 10 times the
    text), and the others rank 0.0, newest first."""
    base = match_expression(ranked) if ranked is not None else None
    if not prefixed.has_text:
        return base
    meta = _in_meta(" OR ".join(term_expression(t) for t in prefixed.text_terms))
    return meta if base is None else f"({base}) OR {meta}"


def _in_meta(expression: str) -> str:
    return f"{{{' '.join(META_COLUMNS)}}} : ({expression})"


def _marks(values: list[int]) -> str:
    return ",".join("?" * len(values))


_BM25 = f"bm25(articles_fts, {', '.join(str(w) for w in RANK_WEIGHTS)})"


# Whether article `a` matches an FTS expression: a seek by rowid in its doclists; or
# a look-up in the matches, listed once (`+`: the walk stays on the order's index).
_MATCHES = "{}EXISTS (SELECT 1 FROM articles_fts f WHERE f.articles_fts MATCH ? AND f.rowid = a.id)"
_IN_MATCHES = "+a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"


class PageEnds:
    """Where the pages of a listing read so far ended: for each (query, offset) the sort
    key of the row before it. A page that starts at a noted offset (the next page, as
    the CLI and the TUI's scrolling read them) starts from that key instead of walking
    the rows before it; one that does not, from the nearest noted key before it.
    Forgotten whenever the archive changes (`archive_version`: StoreBase.version)."""

    LIMIT = 10_000  # noted ends kept, for all queries together

    def __init__(self, archive_version: Callable[[], tuple[int, int, int]]) -> None:
        self.archive_version = archive_version
        self.ends: dict[tuple[str, str], dict[int, tuple[object, ...]]] = {}
        self.version: tuple[int, int, int] = (-1, -1, -1)

    def _current(self) -> None:
        version = self.archive_version()
        if version != self.version or sum(map(len, self.ends.values())) > self.LIMIT:
            self.ends.clear()
            self.version = version

    def note(self, q: Query, offset: int, last: ArticleSummary) -> None:
        sort = q.effective_sort
        key: tuple[object, ...] = {
            "added": (last.added_at, last.id),
            "published": (last.published, last.added_at, last.id),
            "title": (last.title, last.id),
        }[sort]
        self._current()
        self.ends.setdefault((str(q), sort), {})[offset] = key

    def nearest(self, q: Query, offset: int) -> tuple[int, tuple[object, ...]] | None:
        """(offset, key) of the nearest noted end at or before `offset`, or None."""
        self._current()
        ends = self.ends.get((str(q), q.effective_sort), {})
        before = [at for at in ends if at <= offset]
        if not before:
            return None
        at = max(before)
        return at, ends[at]
