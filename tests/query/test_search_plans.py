"""The query plans that keep a 100,000-article library fast (bench/search.py measures
the speed; these fail when a change makes SQLite read whole article rows or sort)."""

from __future__ import annotations

import re

import pytest

from reader.archive import Archive
from reader.archive.query_sql import SMALL_SITE
from reader.query import parse_query

from .conftest import add_article

READS_ARTICLES = re.compile(r"\b(SCAN|SEARCH) a\b")


def plan(archive: Archive, query: str, *, ordered: bool = True, small_site: bool = False) -> str:
    """The query plan of `query`; a site: is as big as SMALL_SITE unless `small_site`."""
    if not small_site:
        archive._site_size = lambda sites: SMALL_SITE + 1  # type: ignore[method-assign]
    sql, params = archive._id_sql(parse_query(query), ordered=ordered, top=50)
    archive.__dict__.pop("_site_size", None)
    rows = archive.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return "\n".join(row[-1] for row in rows)


@pytest.fixture
def some(archive: Archive) -> Archive:
    for i in range(20):
        add_article(archive, f"Title {i}", f"body word{i}", tags=["t"] if i % 2 else [])
    return archive


@pytest.mark.parametrize(
    "query", ["", "is:unread", "is:archived", "before:2020 lang:en", "site:example.com"]
)
def test_listings_walk_the_covering_date_index_without_sorting(some: Archive, query: str) -> None:
    text = plan(some, query)
    assert "COVERING INDEX articles_added" in text
    assert "TEMP B-TREE" not in text


def test_a_small_site_is_listed_from_its_articles_and_counts_read_the_narrow_index(
    some: Archive,
) -> None:
    # v8: a site with few articles starts from them (found by host, then by id in the
    # narrow index, and sorted), where a walk of the date index would pass most of the
    # archive; a count reads the narrow index, never the rows.
    text = plan(some, "site:example.com sort:published", small_site=True)
    assert "SEARCH a USING COVERING INDEX articles_filters (id=?)" in text, text
    assert "article_hosts USING PRIMARY KEY" in text, text
    for query in ("site:example.com", "is:starred lang:en", "before:2020 -site:example.com"):
        counted = plan(some, query, ordered=False)
        assert "COVERING INDEX articles_filters" in counted, counted
        assert not re.search(r"(SCAN|SEARCH) a USING INTEGER|SCAN a$", counted, re.M), counted


def test_published_sort_walks_its_own_covering_index_without_sorting(some: Archive) -> None:
    # (published, added_at, id, ...) read backwards is the order itself (undated last:
    # NULL sorts first), so the first page stops after its rows; no row is read.
    for query in ("sort:published", "sort:published is:unread", "sort:published tag:t"):
        text = plan(some, query)
        assert "COVERING INDEX articles_published_added" in text, text
        assert "TEMP B-TREE" not in text, text
        assert not re.search(r"SCAN a USING INDEX|SCAN a$", text, re.M), text


def test_tag_listing_probes_ids_along_the_date_index(some: Archive) -> None:
    text = plan(some, "tag:t")
    assert "COVERING INDEX articles_added" in text and "TEMP B-TREE" not in text


def test_starred_uses_the_state_index(some: Archive) -> None:
    assert "COVERING INDEX articles_state" in plan(some, "is:starred")


def test_sidebar_counts_read_indexes_only(some: Archive) -> None:
    rows = some.conn.execute(
        "EXPLAIN QUERY PLAN SELECT count(*), count(read_at), coalesce(sum(starred), 0),"
        " count(archived_at) FROM articles"
    ).fetchall()
    assert "COVERING INDEX" in rows[0][-1]


def test_text_search_is_driven_by_the_index_and_reads_rows_only_when_a_filter_does(
    some: Archive,
) -> None:
    text = plan(some, "word1")
    assert "SCAN articles_fts VIRTUAL TABLE INDEX" in text
    assert not READS_ARTICLES.search(text)
    tagged = plan(some, "word1 tag:t")
    assert not READS_ARTICLES.search(tagged)  # the tag is an id probe
    # A filter on the row's columns tests v8's narrow index keyed by id, never the row
    # (which holds the text); site: tests a set of ids made from its own indexes.
    for query in ("word1 is:unread", "word1 lang:en before:2024", "word1 -is:starred"):
        filtered = plan(some, query)
        assert "SEARCH a USING COVERING INDEX articles_filters (id=?)" in filtered, filtered
        assert filtered.index("SCAN articles_fts") < filtered.index("SEARCH a")  # FTS drives
    sited = plan(some, "word1 site:example.com")
    assert not READS_ARTICLES.search(sited), sited
    assert "article_hosts USING PRIMARY KEY" in sited and "articles_site_name" in sited, sited


def test_a_common_querys_notes_since_its_oldest_ranked_match_test_the_narrow_index(
    some: Archive,
) -> None:
    # The bounded plan's notes on the articles from its oldest ranked match on
    # (`the lang:en` on a big archive) test the filters where the search does.
    noted = some._noted_since(parse_query("body lang:en before:2024"), 1)
    assert noted is not None
    sql, params = noted
    text = "\n".join(r[-1] for r in some.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "SEARCH a USING COVERING INDEX articles_filters (id=?)" in text, text
