"""The plans v8's row filters choose between (#20) find the same articles: a site's
articles driving a listing or tested by id, starred articles as a set of ids or tested
in the narrow index, a highlight's other words and its article's tags asked by article
or read as a set."""

from __future__ import annotations

import pytest

from reader.archive import Archive, query_sql

from .conftest import add_annotation, add_article

QUERIES = [
    "alpha -beta",
    "alpha -beta is:starred",
    "title:gamma alpha",
    "gamma -title:delta",
    "alpha is:starred",
    "alpha -is:starred",
    "is:starred sort:published",
    "alpha site:example.com",
    "site:example.com -alpha",
    "site:example.com sort:published",
    "site:example.com sort:title",
    "-site:example.com is:starred",
    "alpha tag:red",
    "alpha -tag:red",
    "alpha -beta tag:red sort:added",
    "gamma tag:red -tag:blue is:starred",
]


@pytest.fixture
def several(archive: Archive) -> Archive:
    for i in range(24):
        words = ["alpha" if i % 2 else "gamma", "beta" if i % 3 else "delta"]
        article_id = add_article(
            archive,
            f"{words[i % 2]} title {i}",
            " ".join(words) + " body",
            url=f"https://{'www.example.com' if i % 4 else 'other.org'}/{i}",
            site_name="Example" if i % 5 == 0 else None,
            starred=int(i % 3 == 0),
            published=f"20{10 + i % 7}-01-01" if i % 6 else None,
            added_at=f"2024-01-{1 + i:02d}T00:00:00+00:00",
            tags=["red"] * (i % 4 == 0) + ["blue"] * (i % 8 == 0),
        )
        if i % 2 == 0:
            add_annotation(archive, article_id, note=f"alpha gamma note {i}")
    return archive


def results(archive: Archive) -> dict[str, tuple[list[int], int]]:
    return {
        q: ([hit.article.id for hit in archive.search(q, limit=100)], archive.count(q))
        for q in QUERIES
    }


def test_every_plan_finds_the_same_articles(
    several: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_sql, "FEW_STARRED", 1.0)  # a set of ids (a third is starred)
    monkeypatch.setattr(query_sql, "TAG_PROBE_RATIO", 0.01)  # tags asked row by row
    chosen = results(several)
    assert [q for q, (ids, _) in chosen.items() if not ids] == []
    monkeypatch.setattr(query_sql, "FEW_ANNOTATION_HITS", 0)  # read as sets
    monkeypatch.setattr(query_sql, "TAG_PROBE_RATIO", 10**9)  # tags listed
    monkeypatch.setattr(query_sql, "FEW_STARRED", 0.0)  # tested in the narrow index
    monkeypatch.setattr(query_sql, "SMALL_SITE", 0)  # the date index walked
    assert results(several) == chosen
    several._filter_indexes = False  # as an archive before v8: the rows read
    assert results(several) == chosen


def test_notes_the_row_filters_leave_few_of_are_asked_of_the_index_one_by_one(
    several: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 12 notes hold `alpha`, more than FEW_ANNOTATION_HITS here: without row filters
    # the articles with `beta` are listed once; `is:starred` leaves 4 of those notes,
    # and each asks the index whether its article holds `beta`. The same articles.
    expected = results(several)
    monkeypatch.setattr(query_sql, "FEW_ANNOTATION_HITS", 5)
    for query, probed in (("alpha -beta", False), ("alpha -beta is:starred", True)):
        asked: list[str] = []
        several.conn.set_trace_callback(asked.append)
        found = [hit.article.id for hit in several.search(query, limit=100)]
        several.conn.set_trace_callback(None)
        assert (found, several.count(query)) == expected[query]
        probes = [sql for sql in asked if "NOT EXISTS (SELECT 1 FROM articles_fts f" in sql]
        listed = [sql for sql in asked if "n.article_id NOT IN (SELECT rowid" in sql]
        assert (bool(probes), bool(listed)) == (probed, not probed)


def test_tags_are_asked_row_by_row_where_few_rows_match(
    several: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 12 articles and 12 notes hold `alpha`; `red` tags 6 articles. Each branch asks
    # article_tags about its rows' articles while they are no more than the tags'
    # articles over TAG_PROBE_RATIO, else it lists the tag's articles once. The same
    # articles either way.
    expected = results(several)
    for ratio, probed in ((0.5, True), (1000, False)):
        monkeypatch.setattr(query_sql, "TAG_PROBE_RATIO", ratio)
        for query in ("alpha tag:red", "alpha -tag:red"):
            asked: list[str] = []
            several.conn.set_trace_callback(asked.append)
            found = [hit.article.id for hit in several.search(query, limit=100)]
            several.conn.set_trace_callback(None)
            assert (found, several.count(query)) == expected[query]
            for branch, row in (
                ("annotations_fts CROSS JOIN", "n.article_id"),
                ("articles_fts.rowid AS id", "articles_fts.rowid"),
            ):
                sqls = [sql for sql in asked if branch in sql]
                probes = [sql for sql in sqls if f"x.article_id = {row}" in sql]
                listed = [sql for sql in sqls if f"+{row} " in sql and "article_tags" in sql]
                assert (bool(probes), bool(listed)) == (probed, not probed), (query, branch)
