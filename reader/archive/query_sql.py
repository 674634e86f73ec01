"""QuerySql: a parsed `Query` as the SQL that finds its articles (plans.py chooses
between the plans built from it; SearchStore says what a search does with them).

- Everything that is not ranked text (tags, site, lang, is:, has:, dates) is a plain
  WHERE on articles, served by the indexes in schema.py (`_filters`).
- Free text drives from the FTS index (`_hits_sql`); bm25 ranks it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from reader.archive.base import StoreBase, in_schema, placeholders
from reader.archive.counting import url_host
from reader.archive.fts import (
    ARTICLES_INDEX,
    INDEX_WEIGHTS,
    column_expression,
    excluded_expression,
    expands_prefix,
    match_expression,
    positive_expression,
    text_expression,
)
from reader.query import Query, parse_query

# Open bounds on article ids (above, below); None: unbounded.
IdRange = tuple[int | None, int | None]
# An exclusion (MATCH) listed apart above a rowid: FTS5 applies a rowid bound only once
# its NOT has found a first match (see QuerySql._article_branch).
EXCLUDED_ABOVE = (
    "{id} NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?)"
)

# A site with no more articles than this is listed from its articles (sorted: a few ms),
# one with more by walking the date index until a page of them is found (v8). Where
# both cost the same at 250,000 articles: 50 rows a page, 0.15 us an index entry
# walked, ~1 us an article found by id and sorted.
SMALL_SITE = 2000
# Starred articles are tested as a set of ids when no more than this share of the
# archive is starred (the set costs ~0.3 us an article to build).
FEW_STARRED = 0.2
# A full-text query's highlights and notes test an article's other words (title:,
# -word) by asking the FTS index about that article (~25 us a question) when they are
# this few; else they read the set of articles with those words once (`the -word`'s
# 36,000 highlights and notes), which costs a pass over the words' doclists (50 ms
# for `-the` at 250,000 articles).
FEW_ANNOTATION_HITS = 200
# A full-text query tests its tags by asking article_tags about each row that matches
# (its primary key, ~1.5 us a row) while the rows are no more than the tags' articles
# divided by this; else each tag's articles are listed (~0.25 us an article), a list
# SQLite builds whole before the first row is tested (`loocka tag:python` at 1,000,000
# articles: 4,454 articles and 12 notes hold `loocka`; listing python's 244,000
# articles took 60 ms in each branch).
TAG_PROBE_RATIO = 6

_ORDER = {
    "added": "a.added_at DESC, a.id DESC",
    # Undated articles last (not among the newest by the day they were added), newest
    # added first among them: the covering index (published, added_at, id, ...) read
    # backwards (schema v2; an older archive opened read-only reads articles_added and
    # sorts).
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


# The host of a.url, lowercased, without its port (site:example.com matches example.com
# and its subdomains, never a path that happens to contain it). NULL for a URL without
# a scheme. The same expression as v8's index articles_host.
_HOST = url_host("a.url")
# A page may say en_US; the query language says en-us (letters, digits and hyphens).
# Each code is a GLOB of the stored tag in any case, with `-` or `_` (`[eE][nN]`, then
# `[eE][nN][-_]*` for its regions): normalising every row's tag instead,
# replace(lower(lang)) twice, cost 0.4-0.7 us a row (`word before:2023 lang:en`
# tests 28,000 of a word's matches at 300,000 articles: 26-39 ms, 17 so).
_LANG = "(a.lang GLOB ? OR a.lang GLOB ?)"


def _lang_globs(lang: str) -> list[str]:
    """The GLOBs of `_LANG` for a query's language code: it, and it with a region."""
    exact = "".join(f"[{c}{c.upper()}]" if c.isalpha() else "[-_]" if c == "-" else c for c in lang)
    return [exact, f"{exact}[-_]*"]


_FLAG_SQL = {
    "unread": "a.read_at IS NULL",
    "read": "a.read_at IS NOT NULL",
    "archived": "a.archived_at IS NOT NULL",
    "starred": "a.starred = 1",
    "annotated": "+{id} IN (SELECT article_id FROM annotations)",
    "missing": "+{id} IN (SELECT article_id FROM missing_pages)",
}
_HAS_SQL = {
    "highlights": "+{id} IN (SELECT article_id FROM annotations WHERE start IS NOT NULL)",
    "notes": "+{id} IN (SELECT article_id FROM annotations WHERE note != '')",
}

_COLOR_SQL = (
    "+{id} IN (SELECT article_id FROM annotations WHERE color IN ({marks}) AND start IS NOT NULL)"
)
_HTAG_SQL = (
    "+{id} {op} (SELECT n.article_id FROM highlight_tags h"
    " JOIN annotations n ON n.id = h.annotation_id WHERE h.name = ?)"
)


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

    @cached_property
    def _filter_indexes(self) -> bool:
        """Whether the archive has v8's indexes for row filters (an older one opened
        read-only has not: its filters read the article's row)."""
        return in_schema(self.conn, "articles_filters")

    def _joined_articles(self, id_expr: str) -> str:
        """`articles a` joined to a full-text branch's ids, for the filters that read
        its columns: in v8's index keyed by id that covers them (the planner would read
        the row, which holds the whole text, since it cannot see that it is wider)."""
        indexed = " INDEXED BY articles_filters" if self._filter_indexes else ""
        return f" CROSS JOIN articles a{indexed} ON a.id = {id_expr}"

    def _site_clause(
        self, sites: tuple[str, ...], id_expr: str, *, by: str = "set"
    ) -> tuple[str, list[object]]:
        """Whether the article is from one of `sites`: its site name (any case), or its
        URL's host is the site or ends in "." and the site. `by` (v8): "set", the id is
        tested in the set of the site's articles; "drive", the query may start from
        them; "row", the site name and URL are read where the query walks (an index
        that covers them), as before v8."""
        params: list[object] = []
        if self._filter_indexes and by != "row":
            # The ids of the site's articles, made once a query from v8's tables and
            # index (the hosts it matches in host_counts, a few thousand short rows, then
            # their articles); `+`: a set the id is tested in, not one to drive from.
            parts = []
            for site in sites:
                parts += [
                    "SELECT id FROM articles WHERE site_name = ? COLLATE NOCASE",
                    "SELECT article_id FROM article_hosts WHERE host IN (SELECT host FROM"
                    " host_counts WHERE host = ? OR host LIKE ? ESCAPE '\\')",
                ]
                params += [site, site, f"%.{_like_escape(site)}"]
            plus = "" if by == "drive" else "+"
            return f"{plus}{id_expr} IN ({' UNION ALL '.join(parts)})", params
        clauses = []
        for site in sites:
            # The LIKE is a cheap first cut: the host is only worked out for URLs that
            # contain the site at all.
            clauses.append(
                "(a.site_name = ? COLLATE NOCASE OR (a.url LIKE ? ESCAPE '\\'"
                f" AND ({_HOST} = ? OR {_HOST} LIKE ? ESCAPE '\\')))"
            )
            escaped = _like_escape(site)
            params += [site, f"%{escaped}%", site, f"%.{escaped}"]
        return "coalesce(" + " OR ".join(clauses) + ", 0)", params

    def _flag_sql(self, flag: str, id_expr: str) -> str:
        """is:`flag`. A full-text branch tests a starred article's id in the set of the
        starred (from articles_state: 12,600 of 250,000 built in 3 ms, then 0.15 us a
        match where the narrow index costs 0.35), when few are: `the is:starred`
        counted in 55 ms instead of 105."""
        if (
            flag == "starred"
            and id_expr != "a.id"
            and self._filter_indexes
            and self._starred_share <= FEW_STARRED
        ):
            return f"+{id_expr} IN (SELECT id FROM articles WHERE starred = 1)"
        return _FLAG_SQL[flag].format(id=id_expr)

    @property
    def _starred_share(self) -> float:
        """The share of the archive that is starred (kept counts, v2 on)."""
        if not self.has_counts:
            return 1.0
        kept = dict(
            self.conn.execute("SELECT name, n FROM counts WHERE name IN ('all', 'starred')")
        )
        return int(kept.get("starred", 0)) / max(1, int(kept.get("all", 0)))

    def _site_size(self, sites: tuple[str, ...]) -> int:
        """How many articles `sites` hold (v8), counted no further than SMALL_SITE."""
        found = 0
        for site in sites:
            (hosts,) = self.conn.execute(
                "SELECT coalesce(sum(n), 0) FROM host_counts WHERE host = ?"
                " OR host LIKE ? ESCAPE '\\'",
                (site, f"%.{_like_escape(site)}"),
            ).fetchone()
            (named,) = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM articles WHERE site_name = ?"
                " COLLATE NOCASE LIMIT ?)",
                (site, SMALL_SITE + 1),
            ).fetchone()
            found += int(hosts) + int(named)
        return found

    def _filters(
        self,
        q: Query,
        id_expr: str = "a.id",
        ids: IdRange = (None, None),
        *,
        sites_by: str = "set",
    ) -> tuple[list[str], list[object], bool]:
        """WHERE terms for everything that is not ranked text, and whether they read
        the row of `articles a` (else they only test the article's id, `id_expr`, and
        a full-text branch can skip reading 20,000 rows for them). `ids`: only articles
        with an id above the first and below the second (None: no bound). `sites_by`:
        how site: is tested (`_site_clause`)."""
        where: list[str] = []
        params: list[object] = []
        above, below = ids
        if above is not None:
            where.append(f"{id_expr} > ?")
            params.append(above)
        if below is not None:
            where.append(f"{id_expr} < ?")
            params.append(below)
        # Flags tested by id (`+id IN (...)`) do not read the row.
        flag_terms = [self._flag_sql(flag, id_expr) for flag in q.flags]
        needs_row = bool(
            ((not self._filter_indexes or sites_by == "row") and (q.sites or q.excluded_sites))
            or q.langs
            or q.excluded_langs
            or q.before
            or q.after
            or any(not term.startswith("+") for term in flag_terms)
            or set(q.excluded_flags) - {"annotated", "missing"}
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
                by = "set" if negate and sites_by == "drive" else sites_by
                clause, site_params = self._site_clause(sites, id_expr, by=by)
                where.append(f"NOT ({clause})" if negate else clause)
                params += site_params
        for langs, negate in ((q.langs, False), (q.excluded_langs, True)):
            if langs:
                clause = "(" + " OR ".join(_LANG for _ in langs) + ")"
                for lang in langs:
                    params += _lang_globs(lang)
                where.append(f"NOT coalesce({clause}, 0)" if negate else clause)
        where += flag_terms
        where += [f"NOT ({_FLAG_SQL[flag].format(id=id_expr)})" for flag in q.excluded_flags]
        # Probes of the highlights' index by colour (partial: highlights only) and of
        # the highlight tags' index by name, as is:annotated probes annotations.
        if q.colors:
            where.append(_COLOR_SQL.format(id=id_expr, marks=placeholders(q.colors)))
            params += q.colors
        if q.excluded_colors:
            marks = placeholders(q.excluded_colors)
            where.append(f"NOT ({_COLOR_SQL.format(id=id_expr, marks=marks)})")
            params += q.excluded_colors
        where += [_HTAG_SQL.format(id=id_expr, op="IN") for _ in q.htags]
        where += [_HTAG_SQL.format(id=id_expr, op="NOT IN") for _ in q.excluded_htags]
        params += [*q.htags, *q.excluded_htags]
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
    def _listing(where: list[str], sort: str | None, *, by_id: bool = False) -> str:
        """`by_id`: the rows found by id (a count, a small site's articles) are read in
        v8's narrow index keyed by id, which covers the filters and the date orders."""
        indexed = " INDEXED BY articles_filters" if by_id else ""
        sql = f"SELECT a.id, 0.0 AS rank FROM articles a{indexed}"
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
        self,
        q: Query,
        match: str,
        *,
        ranked: bool,
        ids: IdRange = (None, None),
        index: str = ARTICLES_INDEX,
    ) -> tuple[str, list[object]]:
        """(id, rank) of the articles whose own text matches (the FTS index drives):
        `match` asked of `index`, articles_fts or v9's index of the metadata alone."""
        weights = ", ".join(str(w) for w in INDEX_WEIGHTS[index])
        article_rank = f"bm25({index}, {weights})" if ranked else "0.0"
        probe_tags = self._tags_probed_in(q, match, ids, index)
        where, filter_params, needs_row = self._filters(
            untagged(q) if probe_tags else q, f"{index}.rowid", ids
        )
        above = ids[0]
        excluded = excluded_expression(q)
        positive = positive_expression(q)
        if (
            above is not None
            and excluded is not None
            and positive is not None
            and match == match_expression(q)
        ):
            # Above a rowid (the newest articles an estimate counts in) the exclusion
            # is listed apart: FTS5 applies a rowid bound only once its NOT has found
            # a first match, walking every older match before it (`stopra* -the` at
            # 1,000,000 articles: 130 ms for the newest 2,000, against 35 listed apart).
            match = positive
            where.append(EXCLUDED_ABOVE.format(id=f"{index}.rowid"))
            filter_params += [excluded, above]
        article_sql = (
            f"SELECT {index}.rowid AS id, {article_rank} AS rank FROM {index}"
            + (self._joined_articles(f"{index}.rowid") if needs_row else "")
            + f" WHERE {index} MATCH ?"
            + "".join(f" AND {term}" for term in where)
        )
        if probe_tags:
            return tagged(article_sql, [match, *filter_params], q, f"{index}.rowid")
        return article_sql, [match, *filter_params]

    def _tag_probe_most(self, q: Query) -> int | None:
        """The most matching rows for which asking about `q`'s tags row by row costs
        less than listing the tags' articles (TAG_PROBE_RATIO); None where `q` has no
        tags, or the archive keeps no counts (then they are listed)."""
        names = [*q.tags, *q.excluded_tags]
        if not names or not self.has_counts:
            return None
        (tagged_articles,) = self.conn.execute(
            "SELECT coalesce(sum(c.n), 0) FROM tags t JOIN counts c ON c.name = 'tag:' || t.id"
            f" WHERE t.name IN ({placeholders(names)})",
            names,
        ).fetchone()
        return int(tagged_articles) // (TAG_PROBE_RATIO * len(names))

    def _tags_probed_in(self, q: Query, match: str, ids: IdRange, index: str) -> bool:
        """Whether the article branch asks about `q`'s tags row by row: few enough rows
        of `index` match. Not counted (listed) where the MATCH holds an exclusion, which
        FTS5 may walk a common word's doclist to prove (`-the`), or a prefix it expands
        over the whole index at each statement."""
        most = self._tag_probe_most(q)
        if most is None or excluded_expression(q) is not None or expands_prefix(q):
            return False
        bounded = [(op, b) for op, b in zip((">", "<"), ids, strict=True) if b is not None]
        (rows,) = self.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {index} WHERE {index} MATCH ?"
            + "".join(f" AND rowid {op} ?" for op, _ in bounded)
            + " LIMIT ?)",
            [match, *(bound for _, bound in bounded), most + 1],
        ).fetchone()
        return int(rows) <= most

    def _annotation_branch(
        self, q: Query, *, ranked: bool, ids: IdRange = (None, None)
    ) -> tuple[str, list[object]] | None:
        """(id, rank) of the articles whose highlights or notes match the free text."""
        text = text_expression(q)
        if text is None:
            return None
        annotation_rank = "bm25(annotations_fts)" if ranked else "0.0"
        columns = column_expression(q)
        excluded = excluded_expression(q)
        tag_most = self._tag_probe_most(q)
        hits = 0
        if columns or excluded or tag_most is not None:
            (hits,) = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM annotations_fts"
                " WHERE annotations_fts MATCH ? LIMIT ?)",
                (text, max(FEW_ANNOTATION_HITS, tag_most or 0) + 1),
            ).fetchone()
        probe_tags = tag_most is not None and int(hits) <= tag_most
        where, filter_params, needs_row = self._filters(
            untagged(q) if probe_tags else q, "n.article_id", ids
        )
        noted = (
            " FROM annotations_fts CROSS JOIN annotations n ON n.id = annotations_fts.rowid"
            + (self._joined_articles("n.article_id") if needs_row else "")
            + " WHERE annotations_fts MATCH ?"
            + "".join(f" AND {term}" for term in where)
        )
        params: list[object] = [text, *filter_params]
        if probe_tags:
            noted, params = tagged(noted, params, q, "n.article_id")
        annotation_sql = f"SELECT n.article_id AS id, {annotation_rank} AS rank{noted}"
        if not columns and not excluded:
            return annotation_sql, params
        probe = int(hits) <= FEW_ANNOTATION_HITS
        if not probe and (where or probe_tags):
            # The row filters may leave few of them, each then asked of the index
            # (`everything` at 1,000,000 articles: 1,126 notes hold `stopra*`, 163 of
            # them pass `tag:` and `is:unread`; asking each whether its article holds
            # `the` took 41 ms, listing the articles that do 250).
            (passing,) = self.conn.execute(
                f"SELECT count(*) FROM (SELECT 1{noted} LIMIT ?)",
                [*params, FEW_ANNOTATION_HITS + 1],
            ).fetchone()
            probe = int(passing) <= FEW_ANNOTATION_HITS
        for expression, negate in ((columns, ""), (excluded, "NOT ")):
            if not expression:
                continue
            if probe:
                annotation_sql += (
                    f" AND {negate}EXISTS (SELECT 1 FROM articles_fts f"
                    " WHERE f.articles_fts MATCH ? AND f.rowid = n.article_id)"
                )
            else:
                annotation_sql += (
                    f" AND n.article_id {negate}IN"
                    " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                )
            params.append(expression)
        return annotation_sql, params

    def _id_sql(
        self,
        q: Query,
        *,
        ordered: bool = True,
        top: int | None = None,
        ids: IdRange = (None, None),
        after: tuple[object, ...] | None = None,
        counted: bool = False,
    ) -> tuple[str, list[object]]:
        """SQL giving (id, rank) rows for `q` in result order, without LIMIT.

        `top`: the caller wants no more than the first `top` rows. `ids`: only ids in
        that open range. `after`: a listing (no text to rank) goes on after the row
        whose sort key (`sort_key`) this is: keyset paging, which costs the same on
        page 1,000 as on page 1 where OFFSET walks every row before the page.
        `counted`: a text query listed in another order than relevance gives each row
        a third column, how many rows there are (every match is sorted for the page).
        """
        sort = q.effective_sort
        match = match_expression(q)
        if match is None:
            # A count reads v8's narrow index keyed by id (2 ms for 250,000 articles),
            # starting from site:'s articles where it has one; so does a listing of a
            # site with few articles (else a walk of the date index would pass over
            # most of the archive to find a page of them). A walk of the date index
            # reads the site name and URL there (it covers them): a big site's page is
            # found at once, where its set of ids (100,000 of them) would take 30 ms.
            by_id = self._filter_indexes and (
                not ordered
                or (bool(q.sites) and sort != "title" and self._site_size(q.sites) <= SMALL_SITE)
            )
            sites_by = "drive" if by_id else "row" if sort in ("added", "published") else "set"
            where, filter_params, _ = self._filters(q, ids=ids, sites_by=sites_by)
            if after is not None and sort == "published" and after[0] is not None:
                # Two walks of the index, one after the other (UNION ALL keeps them in
                # order): older dated rows, then the undated.
                first = self._listing([*where, _AFTER["dated"]], sort, by_id=by_id)
                rest = self._listing([*where, "a.published IS NULL"], sort, by_id=by_id)
                sql = f"SELECT * FROM ({first}) UNION ALL SELECT * FROM ({rest})"
                return sql, [*filter_params, *after, *filter_params]
            if after is not None:
                where.append(_AFTER["undated" if sort == "published" else sort])
                filter_params += _after_params(sort, after)
            return self._listing(where, sort if ordered else None, by_id=by_id), filter_params
        # bm25 only where it orders: in another order it cost its document counts and
        # ~1 us a match (`sort:added` lists by date).
        by_rank = ordered and sort == "relevance"
        hits_sql, params = self._hits_sql(
            q, match, top if by_rank else None, ranked=by_rank, ids=ids
        )
        if not ordered:
            return f"SELECT h.id, h.rank FROM ({hits_sql}) h", params
        if sort == "relevance":
            return f"SELECT h.id, h.rank FROM ({hits_sql}) h ORDER BY h.rank, h.id DESC", params
        total = ", count(*) OVER ()" if counted else ""
        return (
            f"SELECT h.id, h.rank{total} FROM ({hits_sql}) h JOIN articles a ON a.id = h.id"
            f" ORDER BY {_ORDER[sort]}",
            params,
        )


def untagged(q: Query) -> Query:
    return replace(q, tags=(), excluded_tags=())


def tagged(sql: str, params: list[object], q: Query, id_expr: str) -> tuple[str, list[object]]:
    """`sql` (ending in its WHERE) with `q`'s tags and excluded tags asked of article_tags
    for each row (its primary key: article, tag)."""
    for tags, negate in ((q.tags, ""), (q.excluded_tags, "NOT ")):
        for tag in tags:
            sql += f" AND {negate}{_HAS_TAG.format(id=id_expr)}"
            params = [*params, tag]
    return sql, params


_HAS_TAG = (
    "EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = {id}"
    " AND x.tag_id = (SELECT id FROM tags WHERE name = ?))"
)
