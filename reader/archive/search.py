"""SearchStore: a parsed `Query` -> SQL over articles, their FTS index and annotations.

Plan of a search (see QuerySql._id_sql, and PlannedSql for a big archive):
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

from reader.archive.base import placeholders, read_by_id
from reader.archive.fts import (
    RANK_WEIGHTS,
    column_expression,
    excluded_expression,
    expands_prefix,
    fts_string,
    match_expression,
    text_expression,
)
from reader.archive.plans import Count, PlannedSql
from reader.archive.query_sql import SORT_KEY
from reader.archive.rows import ANNOTATION, read_summaries
from reader.archive.snippets import opening, plain_words, snippet, unmatched
from reader.models import MATCH_END, MATCH_START, Annotation, SearchHit
from reader.query import Query

__all__ = [
    "RANK_WEIGHTS",
    "SNIPPET_TOKENS",
    "SearchStore",
    "column_expression",
    "excluded_expression",
    "fts_string",
    "match_expression",
    "text_expression",
]

SNIPPET_TOKENS = 24
_TEXT_COLUMN = 3
_ELLIPSIS = "…"
_NOTES_ASKED = 5000  # a page's annotations listed in one statement (32,766 variables)


class SearchStore(PlannedSql):
    """Search, list and count articles with the search language of reader.query."""

    # -- public API -----------------------------------------------------------------

    def search(
        self, query: Query | str = "", *, offset: int = 0, limit: int = 50
    ) -> list[SearchHit]:
        """One page of results: ranked hits with snippets, or articles newest first.

        Raises reader.query.QueryError for a string that does not parse.
        """
        q = self._as_query(query)
        offset, limit = max(0, offset), max(0, limit)
        snippets: dict[int, str] = {}
        annotations: dict[int, Annotation] = {}
        quoted: dict[int, str] = {}
        # One read snapshot: an import or delete in another process between the id
        # query and the details must not leave a hit without its article.
        with self._reading("the search results"), self._snapshot():
            if q.effective_sort == "relevance":
                rows = self._ranked_rows(q, offset, limit)
            else:
                rows = self._listed_rows(q, offset, limit)
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
                # A highlight's or note's snippet is shown where the article's own text
                # has no match: only those are made (FTS5 tokenizes each).
                bare = [i for i in annotations if MATCH_START not in snippets.get(i, "")]
                quoted = read_by_id(
                    bare,
                    lambda some: self._annotation_snippets(q, {annotations[i].id: i for i in some}),
                    damaged,
                )
        hits = []
        for article_id, rank in rows:
            if article_id not in summaries:
                continue  # on a damaged page
            if article_id == ids[-1] and q.effective_sort in SORT_KEY:
                self._page_ends.note(q, offset + len(rows), summaries[article_id])
            annotation = annotations.get(article_id)
            annotation_snippet = quoted.get(article_id, "")
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
        """How many articles `query` finds, exactly (the sidebar's and tags' counts are
        kept by triggers; others are counted, in time that grows with the archive)."""
        q = self._as_query(query)
        with self._reading("the search results"):
            return self._exact_count(q)

    def count_estimate(self, query: Query | str = "") -> Count:
        """How many articles `query` finds, in time that does not grow with the archive:
        exact where that is cheap, else an estimate (`Count.exact` False) from the
        newest articles, for the caller to show as "about N" and then ask `count`
        off the critical path (the TUI does it in the background)."""
        q = self._as_query(query)
        with self._reading("the search results"):
            return self._estimate(q)

    def article_ids(self, query: Query | str = "") -> list[int]:
        """The ids of every article `query` finds, in result order."""
        q = self._as_query(query)
        sql, params = self._id_sql(q)
        with self._reading("the search results"):
            return [row[0] for row in self.conn.execute(sql, params)]

    def sidebar_counts(self) -> dict[str, int]:
        """Counts for the library's sidebar: all, unread, starred, archived, annotated,
        missing (pages known from an export, not imported yet).

        Kept by triggers (schema v2; missing from v3): six rows read, at any size of
        archive."""
        if self.has_counts:
            rows = self.conn.execute(
                "SELECT name, n FROM counts WHERE name IN"
                " ('all', 'unread', 'starred', 'archived', 'annotated', 'missing')"
            )
            return {"missing": 0, **dict(rows.fetchall())}
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
            "missing": 0,  # an archive from before v3 has no missing pages
        }

    # -- one page's details -------------------------------------------------------------

    def _snippets(self, q: Query, ids: list[int]) -> dict[int, str]:
        """Snippets of the article text around the matched words, for `ids` only."""
        text = text_expression(q)
        if text is None:
            return {}
        made: dict[int, str] = {}
        marked = self._marked_in_python(q)
        if marked is not None:
            words, prefixes = marked
            rows = self.conn.execute(
                f"SELECT id, text FROM articles WHERE id IN ({placeholders(ids)})", ids
            )
            for article_id, article_text in rows:
                found = snippet(article_text, words, SNIPPET_TOKENS, _ELLIPSIS, prefixes)
                if found is None and unmatched(article_text, words, prefixes):
                    # The article matched by its title, byline, site or tags: FTS5
                    # would show the text's opening.
                    found = opening(article_text, SNIPPET_TOKENS, _ELLIPSIS)
                if found is not None:
                    made[article_id] = " ".join(found.split())
            ids = [i for i in ids if i not in made]
            if not ids:
                return made
        # `rowid IN (...)` runs the MATCH once an id; a prefix longer than the prefix
        # indexes (schema v1: 2 and 3 letters) is then expanded once an id, over the
        # whole index (90 ms for 50 ids at 100,000 articles): such a query reads the
        # ids' range once instead (4 ms).
        if expands_prefix(q):
            where = f"rowid BETWEEN ? AND ? AND +rowid IN ({placeholders(ids)})"
            params: list[object] = [min(ids), max(ids), *ids]
        else:
            where, params = f"rowid IN ({placeholders(ids)})", list(ids)
        rows = self.conn.execute(
            f"SELECT rowid, snippet(articles_fts, {_TEXT_COLUMN}, ?, ?, ?, {SNIPPET_TOKENS})"
            f" FROM articles_fts WHERE articles_fts MATCH ? AND {where}",
            [MATCH_START, MATCH_END, _ELLIPSIS, text, *params],
        )
        # One line: a snippet may run across a paragraph break.
        return made | {rowid: " ".join(found.split()) for rowid, found in rows}

    def _marked_in_python(self, q: Query) -> tuple[frozenset[str], frozenset[str]] | None:
        """(words, prefixes) whose snippets reader.archive.snippets makes: a query of
        very common plain words only (bm25 gives them no weight, see
        plans.COMMON_SHARE), or of plain words and prefixes with one longer than the
        prefix indexes; None for any other query (phrases, title:, author:, words the
        tokenizer folds or splits), whose snippets FTS5 makes."""
        terms = [*q.terms, *(t for group in q.any_of for t in group)]
        if q.title or q.author or any(t.kind == "phrase" for t in terms):
            return None
        if plain_words([t.text for t in terms]) is None:
            return None
        words = frozenset(t.text.lower() for t in terms if t.kind == "word")
        prefixes = frozenset(t.text.lower() for t in terms if t.kind == "prefix")
        if expands_prefix(q):
            return words, prefixes
        if prefixes:
            return None
        sample = self._sample()
        if sample is None or self._ranking_query(q, sample) is not None:
            return None
        return words, frozenset()

    def _annotation_hits(self, q: Query, ids: list[int]) -> dict[int, Annotation]:
        """The best matching highlight or note of each article in `ids` (by bm25, or,
        where the text is in most of them and bm25 gives it no weight, the first)."""
        text = text_expression(q)
        if text is None:
            return {}
        noted = [
            row[0]
            for row in self.conn.execute(
                f"SELECT id FROM annotations WHERE article_id IN ({placeholders(ids)})", ids
            )
        ]
        if not noted:
            return {}
        select = (
            f"SELECT {ANNOTATION.sql}"
            " FROM annotations_fts JOIN annotations n ON n.id = annotations_fts.rowid"
            " WHERE annotations_fts MATCH ?"
        )
        order = "bm25(annotations_fts)" if self._notes_ranked(q) else "n.id"
        if len(noted) <= _NOTES_ASKED:
            # The range of the page's own annotations, each tested in it: `n.article_id
            # IN` walks every match (`st*`, in 35,000 notes at 1,000,000 articles: 38
            # ms, 11 this way), and `rowid IN` as a constraint runs the MATCH once an
            # id, expanding a prefix each time (51 ms).
            rows = self.conn.execute(
                f"{select} AND annotations_fts.rowid BETWEEN ? AND ?"
                f" AND +annotations_fts.rowid IN ({placeholders(noted)}) ORDER BY {order}",
                [text, min(noted), max(noted), *noted],
            )
        else:
            rows = self.conn.execute(
                f"{select} AND n.article_id IN ({placeholders(ids)}) ORDER BY {order}",
                [text, *ids],
            )
        best: dict[int, Annotation] = {}
        for row in rows:
            annotation = ANNOTATION.read(row)
            best.setdefault(annotation.article_id, annotation)
        return best

    def _annotation_snippets(self, q: Query, articles: dict[int, int]) -> dict[int, str]:
        """Snippets of annotations (id -> its article's id), by article id."""
        text = text_expression(q)
        if text is None or not articles:
            return {}
        rows = self.conn.execute(
            f"SELECT rowid, snippet(annotations_fts, -1, ?, ?, ?, {SNIPPET_TOKENS})"
            f" FROM annotations_fts WHERE annotations_fts MATCH ?"
            f" AND rowid IN ({placeholders(list(articles))})",
            [MATCH_START, MATCH_END, _ELLIPSIS, text, *articles],
        )
        return {articles[rowid]: " ".join(snippet.split()) for rowid, snippet in rows}
