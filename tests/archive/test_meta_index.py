"""Schema v9's index of the metadata alone (`articles_meta_fts`): always what the
articles' title, byline, site name and tags say, through every change and the bulk
path; the migration from v8; searches read it and find what they found without it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive, bounds
from reader.archive.schema import migrate

from .conftest import make_page

WORDS = ("alpha", "beta", "gamma", "delta")
META = "{title byline site_name tag_names}"


def in_meta_index(conn: sqlite3.Connection, word: str) -> set[int]:
    rows = conn.execute(
        "SELECT rowid FROM articles_meta_fts WHERE articles_meta_fts MATCH ?", (word,)
    )
    return {row[0] for row in rows}


def in_whole_index(conn: sqlite3.Connection, word: str) -> set[int]:
    """The articles whose metadata holds `word`, as the whole index has them."""
    rows = conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (f"{META} : {word}",)
    )
    return {row[0] for row in rows}


def assert_in_step(archive: Archive) -> None:
    for word in (*WORDS, "body", "al*"):
        assert in_meta_index(archive.conn, word) == in_whole_index(archive.conn, word), word
    assert archive.check() == []


CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["add", "retitle", "byline", "site", "text", "tag", "untag", "delete"]),
        st.integers(0, 5),
        st.sampled_from(WORDS),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGES)
def test_the_metadata_index_follows_every_change(tmp_path: Path, changes) -> None:
    path = tmp_path / "archive.db"
    path.unlink(missing_ok=True)
    with Archive(path) as archive:
        ids = [
            archive.add_article(*make_page(f"First {w}", ("Body text.",), url=None)) for w in WORDS
        ]
        for change, n, word in changes:
            article_id = ids[n % len(ids)] if ids else None
            if change == "add" or article_id is None:
                ids.append(archive.add_article(*make_page(f"Added {word}", ("Body.",), url=None)))
            elif change in ("retitle", "byline", "site", "text"):
                column = {"retitle": "title", "byline": "byline", "site": "site_name"}
                with archive.write() as conn:
                    conn.execute(
                        f"UPDATE articles SET {column.get(change, 'text')} = ? WHERE id = ?",
                        (f"{word} body", article_id),
                    )
            elif change == "tag":
                archive.add_tags([article_id], [word])
            elif change == "untag":
                archive.remove_tags([article_id], [word])
            else:
                archive.delete_article(article_id)
                ids.remove(article_id)
        assert_in_step(archive)


def test_a_new_archive_indexes_its_articles_metadata_alone(tmp_path: Path) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        first = archive.add_article(*make_page("Alpha title", ("Beta in the text.",)))
        archive.add_tags([first], ["gamma"])
        assert in_meta_index(archive.conn, "alpha") == {first}
        assert in_meta_index(archive.conn, "gamma") == {first}
        assert in_meta_index(archive.conn, "example") == {first}  # the site name
        assert in_meta_index(archive.conn, "beta") == set()
        assert_in_step(archive)


def make_v8_archive(path: Path) -> None:
    """An archive of schema v8 (no metadata index): `kari` in every third article's
    text and in the titles of two older ones, a tag."""
    conn = sqlite3.connect(path)
    migrate(conn, None, target=8)
    rows = [
        (
            f"Title {i}" + (" kari" if i in (2, 7) else ""),
            f"body {i}" + (" kari" if i % 3 == 0 else ""),
            "gamma" * (i == 3),
            f"2024-01-01T00:{i:02d}:00+00:00",
        )
        for i in range(1, 31)
    ]
    conn.executemany(
        "INSERT INTO articles(title, text, tag_names, added_at, updated_at, blocks)"
        " VALUES (?, ?, ?, ?, '2024-01-01', '[]')",
        rows,
    )
    conn.commit()
    conn.close()


def test_migration_from_v8_indexes_the_metadata_and_searches_find_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bounded plans on 30 articles (see tests/query/test_search_bounded.py): `kari`
    # in 12 of them is common, its older matches in the metadata are looked for.
    monkeypatch.setattr(bounds, "SAMPLE", 10)
    monkeypatch.setattr(bounds, "RANK_ALL", 5)
    monkeypatch.setattr(bounds, "RANK_NEWEST", 6)
    path = tmp_path / "v8.db"
    make_v8_archive(path)
    queries = ("kari", "kari*", "kari is:unread", "title:kari", "gamma", "body -kari")

    def searched(archive: Archive) -> tuple[dict[str, list[int]], list[str]]:
        asked: list[str] = []
        archive.conn.set_trace_callback(asked.append)
        found = {q: [hit.article.id for hit in archive.search(q, limit=50)] for q in queries}
        archive.conn.set_trace_callback(None)
        return found, asked

    with Archive(path, readonly=True) as old:  # not migrated: articles_fts alone
        assert not old._meta_index
        before, asked = searched(old)
        assert any("{title byline site_name tag_names}" in sql for sql in asked)
    with Archive(path) as archive:
        assert archive._meta_index
        assert in_meta_index(archive.conn, "kari") == {2, 7}
        assert in_meta_index(archive.conn, "gamma") == {3}
        assert_in_step(archive)
        after, asked = searched(archive)
        assert any("FROM articles_meta_fts" in sql for sql in asked)
        assert after == before
        assert before["kari"][:2] == [7, 2]  # the titled older matches lead


def test_check_finds_the_metadata_index_out_of_step_and_repair_rebuilds_it(
    tmp_path: Path,
) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        first = archive.add_article(*make_page("Alpha title", ("Body.",)))
        with archive.write() as conn:  # its entries gone from the metadata index alone
            conn.execute(
                "INSERT INTO articles_meta_fts(articles_meta_fts, rowid, title, byline,"
                " site_name, tag_names) SELECT 'delete', id, title, byline, site_name,"
                " tag_names FROM articles WHERE id = ?",
                (first,),
            )
        assert in_meta_index(archive.conn, "alpha") == set()
        assert any("articles_meta_fts" in problem for problem in archive.check())
        assert "articles_meta_fts" in archive.rebuild_search_index()
        assert in_meta_index(archive.conn, "alpha") == {first}
        assert_in_step(archive)
