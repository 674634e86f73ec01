"""QuerySql: a parsed `Query` as the SQL that finds its articles, and the plan chosen
for it (see SearchStore for what a search does with it).

- Everything that is not ranked text (tags, site, lang, is:, has:, dates) is a plain
  WHERE on articles, served by the indexes in schema.py (`_filters`).
- Free text drives from the FTS index (`_hits_sql`); bm25 ranks it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from functools import cached_property

from reader.archive.base import StoreBase
from reader.archive.fts import (
    RANK_WEIGHTS,
    column_expression,
    excluded_expression,
    match_expression,
    term_expression,
    text_expression,
)
from reader.models import ArticleSummary
from reader.query import Query, parse_query

# Open bounds on article ids (above, below); None: unbounded.
IdRange = tuple[int | None, int | None]

_ORDER = {
    "added": "a.added_at DESC, a.id DESC",
    # Undated articles last (not among the newest by the day they were added), newest
    # added first among them. No index has this order yet: SQLite reads it from the
    # covering articles_added index and sorts (bench/search.py: ~4 ms a page at 20,000
    # articles); an index on (published, added_at) would serve it as it stands.
    "published": "a.published DESC NULLS LAST, a.added_at DESC, a.id DESC",
    "title": "a.title COLLATE NOCASE, a.id",
}
# What a listing's sort key is (its ORDER BY's columns), and the rows after a key
# (row values, which SQLite reads as a range of the order's index).
SORT_KEY = {
    "added": "a.added_at, a.id",
    "published": "a.published, a.added_at, a.id",
    "title": "a.title, a.id",
}
_AFTER = {
    "added": "(a.added_at, a.id) < (?, ?)",
    # A range on the title (which the NOCASE index serves), then the id among equals.
    "title": "a.title >= ? COLLATE NOCASE AND (a.title > ? COLLATE NOCASE OR a.id > ?)",
    # sort:published lists dated rows newest first, then the undated ones (NULL): after
    # an undated row come older undated ones; after a dated row, older dated ones and
    # then every undated one (a second walk of the index, see `_id_sql`).
    "undated": "a.published IS NULL AND (a.added_at, a.id) < (?, ?)",
    "dated": "(a.published, a.added_at, a.id) < (?, ?, ?)",
}


# The host of a.url, lowercased, without its port: what follows "://" up to the next
# "/" or ":" (site:example.com matches example.com and its subdomains, never a path that
# happens to contain it). NULL for a URL without a scheme.
_REST = "substr(a.url, instr(a.url, '://') + 3)"
_HOST_PORT = f"substr({_REST}, 1, instr({_REST} || '/', '/') - 1)"
_HOST = (
    f"CASE WHEN instr(a.url, '://') > 0"
    f" THEN lower(substr({_HOST_PORT}, 1, instr({_HOST_PORT} || ':', ':') - 1)) END"
)
# A page may say en_US; the query language says en-us.
_LANG = "replace(lower(a.lang), '_', '-')"
_FLAG_SQL = {
    "unread": "a.read_at IS NULL",
    "read": "a.read_at IS NOT NULL",
    "archived": "a.archived_at IS NOT NULL",
    "starred": "a.starred = 1",
    "annotated": "+{id} IN (SELECT article_id FROM annotations)",
}
_HAS_SQL = {
    "highlights": "+{id} IN (SELECT article_id FROM annotations WHERE start IS NOT NULL)",
    "notes": "+{id} IN (SELECT article_id FROM annotations WHERE note != '')",
}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _after_params(sort: str, key: tuple[object, ...]) -> list[object]:
    """The parameters of `_AFTER`'s condition for the rows after `key`."""
    if sort == "published":
        return list(key[1:])  # an undated key: (added_at, id)
    if sort == "title":
        return [key[0], key[0], key[1]]
    return list(key)


class QuerySql(StoreBase):
    """The SQL of a search: its filters, its full-text hits and its order."""

    # -- building the query -----------------------------------------------------------

    @staticmethod
    def _as_query(query: Query | str) -> Query:
        return query if isinstance(query, Query) else parse_query(query)

    def _filters(
        self, q: Query, id_expr: str = "a.id", ids: IdRange = (None, None)
    ) -> tuple[list[str], list[object], bool]:
        """WHERE terms for everything that is not ranked text, and whether they read
        the row of `articles a` (else they only test the article's id, `id_expr`, and
        a full-text branch can skip reading 20,000 rows for them). `ids`: only articles
        with an id above the first and below the second (None: no bound)."""
        where: list[str] = []
        params: list[object] = []
        above, below = ids
        if above is not None:
            where.append(f"{id_expr} > ?")
            params.append(above)
        if below is not None:
            where.append(f"{id_expr} < ?")
            params.append(below)
        needs_row = bool(
            q.sites
            or q.excluded_sites
            or q.langs
            or q.excluded_langs
            or q.before
            or q.after
            or set(q.flags + q.excluded_flags) - {"annotated"}
        )
        # `+id`: the planner must not drive the query from the tag's articles (then
        # sort 20,000 of them by date, reading each row); it walks the date index and
        # probes the tag's id list, stopping at the page's last row.
        tag_sql = (
            "+{id} {op} (SELECT x.article_id FROM article_tags x"
            " WHERE x.tag_id = (SELECT id FROM tags WHERE name = ?))"
        )
        for tag in q.tags:
            where.append(tag_sql.format(id=id_expr, op="IN"))
            params.append(tag)
        for tag in q.excluded_tags:
            where.append(tag_sql.format(id=id_expr, op="NOT IN"))
            params.append(tag)
        for sites, negate in ((q.sites, False), (q.excluded_sites, True)):
            if sites:
                clauses = []
                for site in sites:
                    # The LIKE is a cheap first cut: the host is only worked out for
                    # URLs that contain the site at all.
                    clauses.append(
                        "(a.site_name = ? COLLATE NOCASE OR (a.url LIKE ? ESCAPE '\\'"
                        f" AND ({_HOST} = ? OR {_HOST} LIKE ? ESCAPE '\\')))"
                    )
                    escaped = _like_escape(site)
                    params += [site, f"%{escaped}%", site, f"%.{escaped}"]
                clause = "(" + " OR ".join(clauses) + ")"
                where.append(f"NOT coalesce({clause}, 0)" if negate else clause)
        for langs, negate in ((q.langs, False), (q.excluded_langs, True)):
            if langs:
                clause = (
                    "("
                    + " OR ".join(f"({_LANG} = ? OR {_LANG} LIKE ? ESCAPE '\\')" for _ in langs)
                    + ")"
                )
                for lang in langs:
                    params += [lang, _like_escape(lang) + "-%"]
                where.append(f"NOT coalesce({clause}, 0)" if negate else clause)
        where += [_FLAG_SQL[flag].format(id=id_expr) for flag in q.flags]
        where += [f"NOT ({_FLAG_SQL[flag].format(id=id_expr)})" for flag in q.excluded_flags]
        where += [_HAS_SQL[kind].format(id=id_expr) for kind in q.has]
        where += [f"NOT ({_HAS_SQL[kind].format(id=id_expr)})" for kind in q.excluded_has]
        if q.before:
            where.append("coalesce(a.published, a.added_at) < ?")
            params.append(q.before)
        if q.after:
            where.append("coalesce(a.published, a.added_at) >= ?")
            params.append(q.after)
        excluded = excluded_expression(q)
        if excluded and match_expression(q) is None:
            where.append(
                f"{id_expr} NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            )
            params.append(excluded)
        return where, params, needs_row

    @staticmethod
    def _listing(where: list[str], sort: str | None) -> str:
        sql = "SELECT a.id, 0.0 AS rank FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql + (f" ORDER BY {_ORDER[sort]}" if sort else "")

    def _hits_sql(
        self,
        q: Query,
        match: str,
        top: int | None = None,
        *,
        ranked: bool = True,
        ids: IdRange = (None, None),
    ) -> tuple[str, list[object]]:
        """(id, rank) per matching article: articles_fts united with annotations_fts.

        The filters apply inside each branch, so bm25 is only computed for rows that
        pass them: the FTS index drives (CROSS JOIN keeps that order), and `articles`
        is joined only when a filter reads its row (a tag filter probes an id list).
        With `top` (ranked order), only the `top` best article matches can make the
        first `top` results, so the rest are never grouped with the annotation hits.
        Not `ranked` (counting): no bm25 at all, a sixth of the cost for a common word.
        """
        article_sql, params = self._article_branch(q, match, ranked=ranked, ids=ids)
        if top is not None:
            article_sql = f"SELECT * FROM ({article_sql} ORDER BY rank, id DESC LIMIT ?)"
            params.append(top)
        annotations = self._annotation_branch(q, ranked=ranked, ids=ids)
        if annotations is None:
            return article_sql, params
        annotation_sql, annotation_params = annotations
        return (
            f"SELECT id, min(rank) AS rank FROM ({article_sql} UNION ALL {annotation_sql})"
            " GROUP BY id",
            params + annotation_params,
        )

    def _article_branch(
        self, q: Query, match: str, *, ranked: bool, ids: IdRange = (None, None)
    ) -> tuple[str, list[object]]:
        """(id, rank) of the articles whose own text matches (the FTS index drives)."""
        weights = ", ".join(str(w) for w in RANK_WEIGHTS)
        article_rank = f"bm25(articles_fts, {weights})" if ranked else "0.0"
        where, filter_params, needs_row = self._filters(q, "articles_fts.rowid", ids)
        article_sql = (
            f"SELECT articles_fts.rowid AS id, {article_rank} AS rank FROM articles_fts"
            + (" CROSS JOIN articles a ON a.id = articles_fts.rowid" if needs_row else "")
            + " WHERE articles_fts MATCH ?"
            + "".join(f" AND {term}" for term in where)
        )
        return article_sql, [match, *filter_params]

    def _annotation_branch(
        self, q: Query, *, ranked: bool, ids: IdRange = (None, None)
    ) -> tuple[str, list[object]] | None:
        """(id, rank) of the articles whose highlights or notes match the free text."""
        text = text_expression(q)
        if text is None:
            return None
        annotation_rank = "bm25(annotations_fts)" if ranked else "0.0"
        where, filter_params, needs_row = self._filters(q, "n.article_id", ids)
        annotation_sql = (
            f"SELECT n.article_id AS id, {annotation_rank} AS rank"
            " FROM annotations_fts CROSS JOIN annotations n ON n.id = annotations_fts.rowid"
            + (" CROSS JOIN articles a ON a.id = n.article_id" if needs_row else "")
            + " WHERE annotations_fts MATCH ?"
            + "".join(f" AND {term}" for term in where)
        )
        params: list[object] = [text, *filter_params]
        columns = column_expression(q)
        if columns:
            annotation_sql += (
                " AND n.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            )
            params.append(columns)
        excluded = excluded_expression(q)
        if excluded:
            annotation_sql += (
                " AND n.article_id NOT IN"
                " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            )
            params.append(excluded)
        return annotation_sql, params

    def _id_sql(
        self,
        q: Query,
        *,
        ordered: bool = True,
        top: int | None = None,
        ids: IdRange = (None, None),
        after: tuple[object, ...] | None = None,
    ) -> tuple[str, list[object]]:
        """SQL giving (id, rank) rows for `q` in result order, without LIMIT.

        `top`: the caller wants no more than the first `top` rows. `ids`: only ids in
        that open range. `after`: a listing (no text to rank) goes on after the row
        whose sort key (`sort_key`) this is: keyset paging, which costs the same on
        page 1,000 as on page 1 where OFFSET walks every row before the page.
        """
        sort = q.effective_sort
        match = match_expression(q)
        if match is None:
            where, filter_params, _ = self._filters(q, ids=ids)
            if after is not None and sort == "published" and after[0] is not None:
                # Two walks of the index, one after the other (UNION ALL keeps them in
                # order): older dated rows, then the undated.
                first = self._listing([*where, _AFTER["dated"]], sort)
                rest = self._listing([*where, "a.published IS NULL"], sort)
                sql = f"SELECT * FROM ({first}) UNION ALL SELECT * FROM ({rest})"
                return sql, [*filter_params, *after, *filter_params]
            if after is not None:
                where.append(_AFTER["undated" if sort == "published" else sort])
                filter_params += _after_params(sort, after)
            return self._listing(where, sort if ordered else None), filter_params
        by_rank = ordered and sort == "relevance"
        hits_sql, params = self._hits_sql(
            q, match, top if by_rank else None, ranked=ordered, ids=ids
        )
        if not ordered:
            return f"SELECT h.id, h.rank FROM ({hits_sql}) h", params
        if sort == "relevance":
            return f"SELECT h.id, h.rank FROM ({hits_sql}) h ORDER BY h.rank, h.id DESC", params
        return (
            f"SELECT h.id, h.rank FROM ({hits_sql}) h JOIN articles a ON a.id = h.id"
            f" ORDER BY {_ORDER[sort]}",
            params,
        )


# -- plans that stay bounded at a million articles ------------------------------------
# Measured on generated archives (bench/search.py, README "Performance"): ranking every
# match with bm25 costs ~1-3 us a match, plus one pass over each phrase's whole doclist
# (bm25 counts the documents that hold it), so a common word took 0.4 s at 100,000
# articles and grew with the archive. These bound it:
# - SAMPLE: the newest articles an estimate counts matches in (FTS5 seeks by rowid).
# - RANK_ALL: a query estimated to match no more than this many articles ranks every
#   match with bm25 (the plan as it was).
# - RANK_NEWEST: past that, the newest RANK_NEWEST matches are ranked, the best first,
#   and older matches follow newest first: for a term that common, recency says as
#   much as bm25 (ranking quality measured in bench/search.py: overlap@10).
# - COMMON_SHARE: a term found in more than this share of the sample is left out of
#   ranking: bm25 gives a term in half the archive or more no weight (its idf is
#   clamped to 1e-6), and its doclist is the longest to count.
SAMPLE = 2000
RANK_ALL = 5000
RANK_NEWEST = 5000
COMMON_SHARE = 0.5


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
}


class PlannedSql(QuerySql):
    """Estimates, and the plans they choose (bounded ranking, keyset pages)."""

    @cached_property
    def _page_ends(self) -> PageEnds:
        return PageEnds(self.conn)

    def _listed_rows(self, q: Query, offset: int, limit: int) -> list[tuple[int, float]]:
        """A page of a listing in its sort order (keyset paging where it can)."""
        match = match_expression(q)
        if match is not None and self._is_common(q, match):
            return self._probed_rows(q, match, offset, limit)
        start = self._page_ends.nearest(q, offset) if match is None else None
        after = None
        if start is not None:
            at, after = start
            offset -= at
        sql, params = self._id_sql(q, after=after)
        return self.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()

    def _is_common(self, q: Query, match: str) -> bool:
        """Whether `q`'s text matches more than RANK_ALL articles (estimated)."""
        sample = self._sample()
        if sample is None:
            return False
        floor, above = sample
        sql, params = self._hits_sql(q, match, ranked=False, ids=(floor, None))
        (found,) = self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
        return int(found) * self._total() / above > RANK_ALL

    def _probed_rows(
        self, q: Query, match: str, offset: int, limit: int
    ) -> list[tuple[int, float]]:
        """A common query in a listing's order: walk the order's index and ask the FTS
        index of each article whether it matches (a seek by rowid), stopping at the
        page's end, instead of sorting every match."""
        where, params, _ = self._filters(q)
        probe, probe_params = _MATCHES.format(""), [match]
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
        if high is None or total <= 2 * SAMPLE:
            return None
        floor = max(0, int(high) - SAMPLE)
        (above,) = self.conn.execute(
            "SELECT count(*) FROM articles WHERE id > ?", (floor,)
        ).fetchone()
        return (floor, int(above)) if above else None

    def _counter(self, q: Query) -> int | None:
        """The count a trigger keeps for `q` (all, unread, ..., one tag), or None."""
        if not self.has_counts:
            return None
        plain = replace(q, sort=None)
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
        sql, params = self._id_sql(q, ordered=False)
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def _estimate(self, q: Query) -> Count:
        """The count, exact where that is cheap: a kept counter, a small archive, or a
        full-text query estimated to match few articles (counting those costs little);
        else estimated from the newest SAMPLE articles."""
        counter = self._counter(q)
        if counter is not None:
            return Count(counter)
        sample = self._sample()
        if sample is None:
            return Count(self._exact_count(q))
        floor, above = sample
        sql, params = self._id_sql(q, ordered=False, ids=(floor, None))
        (found,) = self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
        estimate = round(int(found) * self._total() / above)
        if match_expression(q) is not None and estimate <= RANK_ALL:
            return Count(self._exact_count(q))
        return Count(estimate, exact=False)

    def _share(self, expression: str, sample: tuple[int, int]) -> float:
        """The share of the newest articles that `expression` matches."""
        floor, above = sample
        (found,) = self.conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?",
            (expression, floor),
        ).fetchone()
        return int(found) / above

    def _ranking_expression(self, q: Query, sample: tuple[int, int]) -> str | None:
        """What bm25 ranks a common query by: its positive terms less the common ones
        (which weigh nothing), title: and author: kept; None when nothing is left."""
        terms = tuple(t for t in q.terms if self._share(term_expression(t), sample) <= COMMON_SHARE)
        groups = tuple(
            g
            for g in q.any_of
            if self._share(" OR ".join(map(term_expression, g)), sample) <= COMMON_SHARE
        )
        ranked = Query(terms=terms, any_of=groups, title=q.title, author=q.author)
        return match_expression(ranked)

    def _ranked_rows(self, q: Query, offset: int, limit: int) -> list[tuple[int, float]]:
        """A page of a query ranked by relevance: (id, rank) rows, best first."""
        match = match_expression(q)
        assert match is not None
        sample = self._sample()
        common = False
        if sample is not None:
            floor, above = sample
            sql, params = self._hits_sql(q, match, ranked=False, ids=(floor, None))
            (found,) = self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
            common = int(found) * self._total() / above > RANK_ALL
        if not common or sample is None:
            sql, params = self._id_sql(q, top=offset + limit)
            return self.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return self._newest_ranked(q, match, sample, offset, limit)

    def _newest_ranked(
        self, q: Query, match: str, sample: tuple[int, int], offset: int, limit: int
    ) -> list[tuple[int, float]]:
        """The bounded plan: the newest RANK_NEWEST matches ranked (by the query's
        informative terms), then the older matches, newest first."""
        # The article branch walks its doclist newest first and stops at RANK_NEWEST
        # (a GROUP BY with the annotations would read every match first); highlights
        # and notes that match are few, read whole, and join the newest.
        sql, params = self._article_branch(q, match, ranked=False)
        newest = [
            row[0]
            for row in self.conn.execute(
                f"{sql} ORDER BY articles_fts.rowid DESC LIMIT ?", [*params, RANK_NEWEST]
            )
        ]
        if not newest:
            return []
        oldest = newest[-1] if len(newest) == RANK_NEWEST else 0
        noted: dict[int, float] = {}
        annotations = self._annotation_branch(q, ranked=True, ids=(oldest - 1, None))
        if annotations is not None:
            sql, params = annotations
            for article_id, rank in self.conn.execute(sql, params):
                noted[article_id] = min(rank, noted.get(article_id, rank))
        newest = sorted({*newest, *noted}, reverse=True)
        ranks: dict[int, float] = {}
        ranking = self._ranking_expression(q, sample)
        if ranking is not None:
            weights = ", ".join(str(w) for w in RANK_WEIGHTS)
            ranks = dict(
                self.conn.execute(
                    f"SELECT rowid, bm25(articles_fts, {weights}) FROM articles_fts"
                    " WHERE articles_fts MATCH ? AND rowid >= ?",
                    (ranking, oldest),
                ).fetchall()
            )
        head = sorted(
            ((i, min(ranks.get(i, 0.0), noted.get(i, 0.0))) for i in newest),
            key=lambda r: (r[1], -r[0]),
        )
        rows = head[offset : offset + limit]
        if len(rows) < limit and oldest:
            skip = max(0, offset - len(head))
            sql, params = self._hits_sql(q, match, ranked=False, ids=(None, oldest))
            rows += self.conn.execute(
                f"SELECT id, 0.0 FROM ({sql}) ORDER BY id DESC LIMIT ? OFFSET ?",
                [*params, limit - len(rows), skip],
            ).fetchall()
        return rows


# Whether article `a` matches an FTS expression: a seek by rowid in its doclists.
_MATCHES = "{}EXISTS (SELECT 1 FROM articles_fts f WHERE f.articles_fts MATCH ? AND f.rowid = a.id)"


class PageEnds:
    """Where the pages of a listing read so far ended: for each (query, offset) the sort
    key of the row before it. A page that starts at a noted offset (the next page, as
    the CLI and the TUI's scrolling read them) starts from that key instead of walking
    the rows before it; one that does not, from the nearest noted key before it.
    Forgotten whenever the archive changes (this connection's writes, another's)."""

    LIMIT = 10_000  # noted ends kept, for all queries together

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ends: dict[tuple[str, str], dict[int, tuple[object, ...]]] = {}
        self.version: tuple[int, int] = (-1, -1)

    def _current(self) -> None:
        (data_version,) = self.conn.execute("PRAGMA data_version").fetchone()
        version = (int(data_version), self.conn.total_changes)
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
