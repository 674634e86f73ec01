"""Schema v7's `site_counts`: each site's count of articles, kept by triggers, always what
the GROUP BY it replaces counts (missing pages, empty site names, URL hosts included);
its migration, `reader check` and the repair."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.archive.counting import SITE_COUNTS_SQL, counted_sites
from reader.archive.schema import backup_path, migrate
from reader.archive.stats import TOP

# Few values, so that sites are shared, emptied and moved between.
SITE_NAMES = st.sampled_from([None, "", "Example", "example", "Blog", " "])
URLS = st.sampled_from(
    [
        None,
        "",
        "https://Example.com/a",
        "https://example.com/b",
        "http://blog.example.org:8080/x",
        "https://news.example.net",
        "no scheme/here",
        "https://",
    ]
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), SITE_NAMES, URLS, st.booleans()),
        st.tuples(st.just("site_name"), st.integers(0, 20), SITE_NAMES),
        st.tuples(st.just("url"), st.integers(0, 20), URLS),
        st.tuples(st.just("both"), st.integers(0, 20), SITE_NAMES, URLS),
        st.tuples(st.just("read"), st.integers(0, 20)),
        st.tuples(st.just("delete"), st.integers(0, 20)),
    ),
    max_size=40,
)


def kept(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT site, n FROM site_counts").fetchall())


def apply(conn: sqlite3.Connection, operation: tuple[object, ...]) -> None:
    ids = [i for (i,) in conn.execute("SELECT id FROM articles ORDER BY id")]
    kind, *args = operation
    if kind == "insert":
        site_name, url, missing = args
        cursor = conn.execute(
            "INSERT INTO articles(title, added_at, updated_at, site_name, url)"
            " VALUES ('t', '2026-01-01', '2026-01-01', ?, ?)",
            (site_name, url),
        )
        if missing:  # an article known from an export, its page not here yet
            conn.execute("INSERT INTO missing_pages(article_id) VALUES (?)", (cursor.lastrowid,))
        return
    if not ids:
        return
    article_id = ids[int(args[0]) % len(ids)]  # type: ignore[call-overload]
    if kind == "site_name":
        conn.execute("UPDATE articles SET site_name = ? WHERE id = ?", (args[1], article_id))
    elif kind == "url":
        conn.execute("UPDATE articles SET url = ? WHERE id = ?", (args[1], article_id))
    elif kind == "both":
        conn.execute(
            "UPDATE articles SET site_name = ?, url = ? WHERE id = ?",
            (args[1], args[2], article_id),
        )
    elif kind == "read":
        conn.execute("UPDATE articles SET read_at = '2026-01-02' WHERE id = ?", (article_id,))
    else:
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_kept_counts_are_the_group_by_after_any_changes(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[object, ...]]
) -> None:
    path = tmp_path_factory.mktemp("sites") / "archive.db"
    with Archive(path) as archive:
        with archive.write() as conn:
            for operation in operations:
                apply(conn, operation)
        assert kept(archive.conn) == counted_sites(archive.conn)
        assert 0 not in kept(archive.conn).values()
        group_by = archive.conn.execute(
            f"{SITE_COUNTS_SQL} ORDER BY n DESC, site LIMIT ?", (TOP,)
        ).fetchall()
        assert archive.reading_stats().top_sites == group_by
        assert archive.check() == []


def test_articles_added_reindexed_and_deleted_through_the_archive(tmp_path: Path, page) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        first = archive.add_article(*page("One", url="https://a.example/1"))
        second = archive.add_article(*page("Two", url="https://b.example/2"))
        assert kept(archive.conn) == {"Example": 2}  # the page's site_name first
        extracted, raw = page("Two", url="https://b.example/2")
        archive.update_article(second, replace(extracted, site_name=None), raw)  # a reindex
        assert kept(archive.conn) == {"Example": 1, "b.example": 1}
        archive.delete_article(first)
        assert kept(archive.conn) == {"b.example": 1}
        assert archive.reading_stats().top_sites == [("b.example", 1)]


def make_v6_archive(path: Path) -> None:
    """An archive of schema v6 (no site_counts) with articles of three sites and none."""
    conn = sqlite3.connect(path)
    migrate(conn, None, target=6)
    rows = [
        ("Example", "https://x.example/1"),
        (None, "https://Blog.example.org/2"),
        ("", "https://blog.example.org/3"),
        (None, None),
        ("Example", None),
    ]
    conn.executemany(
        "INSERT INTO articles(title, added_at, updated_at, site_name, url)"
        " VALUES ('Old', '2024-01-01', '2024-01-01', ?, ?)",
        rows,
    )
    conn.execute("INSERT INTO missing_pages(article_id) VALUES (5)")
    conn.commit()
    conn.close()


def test_migration_from_v6_fills_the_site_counts(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    make_v6_archive(path)
    with Archive(path) as archive:
        assert kept(archive.conn) == {"Example": 2, "blog.example.org": 2}
        assert archive.reading_stats().top_sites == [("Example", 2), ("blog.example.org", 2)]
        archive.conn.execute("DELETE FROM articles WHERE id = 2")
        assert kept(archive.conn) == {"Example": 2, "blog.example.org": 1}
        assert archive.check() == []
    assert backup_path(path, 6).exists()


def test_a_read_only_v6_archive_counts_its_sites(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    make_v6_archive(path)
    with Archive(path, readonly=True) as archive:
        assert archive.reading_stats().top_sites == [("Example", 2), ("blog.example.org", 2)]


def test_check_finds_site_counts_out_of_step_and_repair_sets_them(tmp_path: Path, page) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        archive.add_article(*page())
        with archive.write() as conn:
            conn.execute("UPDATE site_counts SET n = 7")
            conn.execute("INSERT INTO site_counts(site, n) VALUES ('\x1b[31mstray', 1)")
        (problem,) = archive.check()
        assert "sites" in problem and "\x1b" not in problem
        assert "counts" in archive.rebuild_search_index()
        assert archive.check() == [] and kept(archive.conn) == {"Example": 1}
