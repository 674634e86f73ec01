"""Any query string either fails to parse (QueryError) or runs on a real archive:
the SQL and every MATCH string built from it are accepted, and the results agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from reader.archive import Archive
from reader.query import QueryError, parse_query

from .conftest import add_annotation, add_article
from .test_query_parser import QUERY_TEXT


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "archive.db"
    with Archive(path) as archive:
        for i, (title, text) in enumerate(
            [
                ("Rust café", "naïve rust text OR NEAR( and AND words"),
                ("Notes", 'quoted "text" with read notes 2024'),
                ("日本語", "日本語 テキスト 🙂 emoji"),
            ]
        ):
            article_id = add_article(
                archive,
                title,
                text,
                tags=["rust", "a b"] if i == 0 else ["read"],
                lang="en",
                published=f"202{i}-01-01",
                url=f"https://example{i}.com/x",
                site_name="Example",
                byline="Ada",
            )
            add_annotation(archive, article_id, text.split()[0], note="notes read rust")
        yield archive


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(QUERY_TEXT)
def test_any_query_runs_or_is_a_query_error(filled: Archive, text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        with pytest.raises(QueryError):
            filled.search(text)
        return
    hits = filled.search(query, limit=10)
    ids = filled.article_ids(query)
    assert [hit.article.id for hit in hits] == ids[:10]
    assert filled.count(query) == len(ids) == len(set(ids))
    assert filled.search(text, limit=10) == hits
