"""SearchStore: a parsed `Query` -> SQL over articles, their FTS index and annotations.

Plan of a search (see `_id_sql`):
- free text: one FTS5 MATCH over articles_fts (bm25, title weighted above the body)
  united with one over annotations_fts (highlight quotes and notes), best rank per
  article (the two bm25 scales are not calibrated against each other; a reader's own
  highlight or note is short, so a match there tends to rank high, which is wanted);
  title:/author: are column filters inside the articles MATCH; -word is a NOT
  inside it (or a NOT IN when nothing positive is left for NOT to hang on);
- everything else (tags, site, lang, is:, has:, dates) is a plain WHERE on articles,
  served by the indexes in schema.py;
- only the ids of one page come out of that query; summaries, snippets and annotation
  hits are then fetched for those few ids alone, so paging through 100,000 rows or
  ranking 50,000 matches never builds 50,000 snippets.
"""

from __future__ import annotations

from reader.archive.base import StoreBase, placeholders, read_by_id
from reader.archive.rows import ANNOTATION, read_summaries
from reader.models import MATCH_END, MATCH_START, Annotation, SearchHit
from reader.query import Query, Term, parse_query

__all__ = [
    "RANK_WEIGHTS",
    "SNIPPET_TOKENS",
    "SearchStore",
    "excluded_expression",
    "fts_string",
    "match_expression",
    "text_expression",
]

# bm25 weights for articles_fts's columns: title, byline, site_name, text, tag_names.
RANK_WEIGHTS = (10.0, 2.0, 2.0, 1.0, 4.0)
SNIPPET_TOKENS = 24
_TEXT_COLUMN = 3
_ELLIPSIS = "…"

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


def match_expression(query: Query) -> str | None:
    """The whole articles_fts MATCH string, or None when a NOT alone is left.

    FTS5's NOT needs something on its left, so a query with only exclusions gives
    None here and the search excludes with `excluded_expression` instead.
    """
    positive = [e for e in (text_expression(query), column_expression(query)) if e]
    if not positive:
        return None
    expression = " AND ".join(f"({e})" for e in positive)
    excluded = excluded_expression(query)
    return f"{expression} NOT ({excluded})" if excluded else expression


_ORDER = {
    "added": "a.added_at DESC, a.id DESC",
    # Undated articles last (not among the newest by the day they were added), newest
    # added first among them. No index has this order yet: SQLite reads it from the
    # covering articles_added index and sorts (bench/search.py: ~4 ms a page at 20,000
    # articles); an index on (published, added_at) would serve it as it stands.
    "published": "a.published DESC NULLS LAST, a.added_at DESC, a.id DESC",
    "title": "a.title COLLATE NOCASE, a.id",
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


class SearchStore(StoreBase):
    """Search, list and count articles with the search language of reader.query."""

    # -- public API -----------------------------------------------------------------

    def search(
        self, query: Query | str = "", *, offset: int = 0, limit: int = 50
    ) -> list[SearchHit]:
        """One page of results: ranked hits with snippets, or articles newest first.

        Raises reader.query.QueryError for a string that does not parse.
        """
        q = self._as_query(query)
        sql, params = self._id_sql(q, top=max(0, offset) + max(0, limit))
        snippets: dict[int, str] = {}
        annotations: dict[int, tuple[Annotation, str]] = {}
        # One read snapshot: an import or delete in another process between the id
        # query and the details must not leave a hit without its article.
        with self._reading("the search results"), self._snapshot():
            rows = self.conn.execute(
                f"{sql} LIMIT ? OFFSET ?", [*params, max(0, limit), max(0, offset)]
            ).fetchall()
            ids = [row[0] for row in rows]
            if not ids:
                return []
            # An article on a damaged page is left out (or shown without its snippet)
            # and noted in damaged_articles: the rest of the page is still worth having.
            damaged = self.damaged_articles
            summaries = read_summaries(self.conn, ids, damaged)
            if q.has_text:
                snippets = read_by_id(ids, lambda some: self._snippets(q, some), damaged)
                annotations = read_by_id(ids, lambda some: self._annotation_hits(q, some), damaged)
        hits = []
        for article_id, rank in rows:
            if article_id not in summaries:
                continue  # on a damaged page
            annotation, annotation_snippet = annotations.get(article_id, (None, ""))
            snippet = snippets.get(article_id, "")
            if MATCH_START not in snippet and annotation_snippet:
                snippet = annotation_snippet
            hits.append(
                SearchHit(
                    article=summaries[article_id],
                    snippet=snippet,
                    rank=float(rank or 0.0),
                    annotation=annotation,
                )
            )
        return hits

    def count(self, query: Query | str = "") -> int:
        """How many articles `query` finds."""
        q = self._as_query(query)
        sql, params = self._id_sql(q, ordered=False)
        with self._reading("the search results"):
            return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def article_ids(self, query: Query | str = "") -> list[int]:
        """The ids of every article `query` finds, in result order."""
        q = self._as_query(query)
        sql, params = self._id_sql(q)
        with self._reading("the search results"):
            return [row[0] for row in self.conn.execute(sql, params)]

    def sidebar_counts(self) -> dict[str, int]:
        """Counts for the library's sidebar: all, unread, starred, archived, annotated.

        Kept by triggers (schema v2): five rows read, at any size of archive."""
        if self.has_counts:
            rows = self.conn.execute(
                "SELECT name, n FROM counts WHERE name IN"
                " ('all', 'unread', 'starred', 'archived', 'annotated')"
            )
            return dict(rows.fetchall())
        total, read, starred, archived = self.conn.execute(
            "SELECT count(*), count(read_at), coalesce(sum(starred), 0), count(archived_at)"
            " FROM articles"
        ).fetchone()
        (annotated,) = self.conn.execute(
            "SELECT count(DISTINCT article_id) FROM annotations"
        ).fetchone()
        return {
            "all": total,
            "unread": total - read,
            "starred": starred,
            "archived": archived,
            "annotated": annotated,
        }

    # -- building the query -----------------------------------------------------------

    @staticmethod
    def _as_query(query: Query | str) -> Query:
        return query if isinstance(query, Query) else parse_query(query)

    def _filters(self, q: Query, id_expr: str = "a.id") -> tuple[list[str], list[object], bool]:
        """WHERE terms for everything that is not ranked text, and whether they read
        the row of `articles a` (else they only test the article's id, `id_expr`, and
        a full-text branch can skip reading 20,000 rows for them)."""
        where: list[str] = []
        params: list[object] = []
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

    def _hits_sql(
        self, q: Query, match: str, top: int | None = None, *, ranked: bool = True
    ) -> tuple[str, list[object]]:
        """(id, rank) per matching article: articles_fts united with annotations_fts.

        The filters apply inside each branch, so bm25 is only computed for rows that
        pass them: the FTS index drives (CROSS JOIN keeps that order), and `articles`
        is joined only when a filter reads its row (a tag filter probes an id list).
        With `top` (ranked order), only the `top` best article matches can make the
        first `top` results, so the rest are never grouped with the annotation hits.
        Not `ranked` (counting): no bm25 at all, a sixth of the cost for a common word.
        """
        weights = ", ".join(str(w) for w in RANK_WEIGHTS)
        article_rank = f"bm25(articles_fts, {weights})" if ranked else "0.0"
        annotation_rank = "bm25(annotations_fts)" if ranked else "0.0"
        where, filter_params, needs_row = self._filters(q, "articles_fts.rowid")
        article_sql = (
            f"SELECT articles_fts.rowid AS id, {article_rank} AS rank FROM articles_fts"
            + (" CROSS JOIN articles a ON a.id = articles_fts.rowid" if needs_row else "")
            + " WHERE articles_fts MATCH ?"
            + "".join(f" AND {term}" for term in where)
        )
        params: list[object] = [match, *filter_params]
        if top is not None:
            article_sql = f"SELECT * FROM ({article_sql} ORDER BY rank, id DESC LIMIT ?)"
            params.append(top)
        text = text_expression(q)
        if text is None:
            return article_sql, params
        where, filter_params, needs_row = self._filters(q, "n.article_id")
        annotation_sql = (
            f"SELECT n.article_id AS id, {annotation_rank} AS rank"
            " FROM annotations_fts CROSS JOIN annotations n ON n.id = annotations_fts.rowid"
            + (" CROSS JOIN articles a ON a.id = n.article_id" if needs_row else "")
            + " WHERE annotations_fts MATCH ?"
            + "".join(f" AND {term}" for term in where)
        )
        params += [text, *filter_params]
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
        return (
            f"SELECT id, min(rank) AS rank FROM ({article_sql} UNION ALL {annotation_sql})"
            " GROUP BY id",
            params,
        )

    def _id_sql(
        self, q: Query, *, ordered: bool = True, top: int | None = None
    ) -> tuple[str, list[object]]:
        """SQL giving (id, rank) rows for `q` in result order, without LIMIT.

        `top`: the caller wants no more than the first `top` rows.
        """
        sort = q.effective_sort
        match = match_expression(q)
        if match is None:
            where, filter_params, _ = self._filters(q)
            sql = "SELECT a.id, 0.0 AS rank FROM articles a"
            if where:
                sql += " WHERE " + " AND ".join(where)
            if ordered:
                sql += f" ORDER BY {_ORDER[sort]}"
            return sql, filter_params
        by_rank = ordered and sort == "relevance"
        hits_sql, params = self._hits_sql(q, match, top if by_rank else None, ranked=ordered)
        if not ordered:
            return f"SELECT h.id, h.rank FROM ({hits_sql}) h", params
        if sort == "relevance":
            return f"SELECT h.id, h.rank FROM ({hits_sql}) h ORDER BY h.rank, h.id DESC", params
        return (
            f"SELECT h.id, h.rank FROM ({hits_sql}) h JOIN articles a ON a.id = h.id"
            f" ORDER BY {_ORDER[sort]}",
            params,
        )

    # -- one page's details -------------------------------------------------------------

    def _snippets(self, q: Query, ids: list[int]) -> dict[int, str]:
        """Snippets of the article text around the matched words, for `ids` only."""
        text = text_expression(q)
        if text is None:
            return {}
        rows = self.conn.execute(
            f"SELECT rowid, snippet(articles_fts, {_TEXT_COLUMN}, ?, ?, ?, {SNIPPET_TOKENS})"
            f" FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({placeholders(ids)})",
            [MATCH_START, MATCH_END, _ELLIPSIS, text, *ids],
        )
        # One line: a snippet may run across a paragraph break.
        return {rowid: " ".join(snippet.split()) for rowid, snippet in rows}

    def _annotation_hits(self, q: Query, ids: list[int]) -> dict[int, tuple[Annotation, str]]:
        """The best matching highlight or note of each article in `ids`, with a snippet."""
        text = text_expression(q)
        if text is None:
            return {}
        rows = self.conn.execute(
            f"SELECT {ANNOTATION.sql},"
            f" snippet(annotations_fts, -1, ?, ?, ?, {SNIPPET_TOKENS})"
            " FROM annotations_fts JOIN annotations n ON n.id = annotations_fts.rowid"
            f" WHERE annotations_fts MATCH ? AND n.article_id IN ({placeholders(ids)})"
            " ORDER BY bm25(annotations_fts)",
            [MATCH_START, MATCH_END, _ELLIPSIS, text, *ids],
        )
        best: dict[int, tuple[Annotation, str]] = {}
        for row in rows:
            (snippet,) = ANNOTATION.rest(row)
            annotation = ANNOTATION.read(row)
            best.setdefault(annotation.article_id, (annotation, " ".join(snippet.split())))
        return best
