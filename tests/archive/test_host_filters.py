"""Schema v8's row filters (#20): `article_hosts` and `host_counts`, kept by triggers and
always what the articles' URLs say; site: through them finds exactly what it found by
working out each URL's host; lang:, dates and is: test v8's covering index; the
migration from v7, `reader check` and the repair."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.archive.counting import ARTICLE_HOSTS_SQL, HOST_COUNTS_SQL
from reader.archive.schema import backup_path, migrate

SITE_NAMES = st.sampled_from([None, "", "Example", "example.com", "Blog", "EXAMPLE.org"])
URLS = st.sampled_from(
    [
        None,
        "",
        "https://Example.com/a",
        "https://www.example.com/b",
        "http://blog.example.org:8080/x",
        "https://news.example.net",
        "https://notexample.com/example.com",
        "no scheme/here",
        "https://",
        "https:///path",
        "https://a_b.example.com/%",
    ]
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), SITE_NAMES, URLS),
        st.tuples(st.just("url"), st.integers(0, 20), URLS),
        st.tuples(st.just("site_name"), st.integers(0, 20), SITE_NAMES),
        st.tuples(st.just("delete"), st.integers(0, 20)),
    ),
    max_size=30,
)
SITES = ["example.com", "com", "example", "blog.example.org", "example.org", "a_b.example.com"]


def hosts(conn: sqlite3.Connection) -> tuple[set[tuple[str, int]], dict[str, int]]:
    return (
        set(conn.execute("SELECT host, article_id FROM article_hosts").fetchall()),
        dict(conn.execute("SELECT host, n FROM host_counts").fetchall()),
    )


def apply(conn: sqlite3.Connection, operation: tuple[object, ...]) -> None:
    ids = [i for (i,) in conn.execute("SELECT id FROM articles ORDER BY id")]
    kind, *args = operation
    if kind == "insert":
        conn.execute(
            "INSERT INTO articles(title, added_at, updated_at, site_name, url)"
            " VALUES ('t', '2026-01-01', '2026-01-01', ?, ?)",
            tuple(args),
        )
        return
    if not ids:
        return
    article_id = ids[int(args[0]) % len(ids)]  # type: ignore[call-overload]
    if kind == "url":
        conn.execute("UPDATE articles SET url = ? WHERE id = ?", (args[1], article_id))
    elif kind == "site_name":
        conn.execute("UPDATE articles SET site_name = ? WHERE id = ?", (args[1], article_id))
    else:
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))


def found(archive: Archive, query: str) -> set[int]:
    return set(archive.article_ids(query))


def listed(archive: Archive, query: str) -> tuple[list[int], int]:
    """The ids in result order, and the count."""
    return archive.article_ids(query), archive.count(query)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_kept_hosts_follow_any_changes_and_site_finds_what_it_did(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[object, ...]]
) -> None:
    path = tmp_path_factory.mktemp("hosts") / "archive.db"
    with Archive(path) as archive:
        with archive.write() as conn:
            for operation in operations:
                apply(conn, operation)
        expected = (
            set(archive.conn.execute(ARTICLE_HOSTS_SQL).fetchall()),
            dict(archive.conn.execute(HOST_COUNTS_SQL).fetchall()),
        )
        assert hosts(archive.conn) == expected
        assert 0 not in expected[1].values()
        assert archive.check() == []
        queries = [f"site:{s}" for s in SITES] + [f"-site:{s}" for s in SITES[:2]]
        queries += ["site:com site:example.org", "site:example.com sort:published"]
        with_indexes = {q: listed(archive, q) for q in queries}
        archive._filter_indexes = False  # as an older archive's filters read the rows
        assert {q: listed(archive, q) for q in queries} == with_indexes


def make_v7_archive(path: Path) -> None:
    """An archive of schema v7 (no hosts kept, no filters' index) with a few articles."""
    conn = sqlite3.connect(path)
    migrate(conn, None, target=7)
    rows = [
        ("Example", "https://www.Example.com/1", "en", None, "2024-01-01"),
        (None, "https://blog.example.org:8080/2", "fr", "2020-05-01", None),
        ("Notes", None, "en-GB", None, None),
        ("", "https://example.com/4", None, "2023-01-01", "2024-02-01"),
    ]
    conn.executemany(
        "INSERT INTO articles(title, added_at, updated_at, site_name, url, lang, published,"
        " read_at) VALUES ('Old words', '2024-01-01', '2024-01-01', ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()


def test_migration_from_v7_fills_the_hosts_and_indexes(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    make_v7_archive(path)
    with Archive(path, readonly=True) as old:
        before = {
            q: found(old, q)
            for q in ("site:example.com", "words site:example.org", "words lang:en is:unread")
        }
    with Archive(path) as archive:
        assert hosts(archive.conn) == (
            {("www.example.com", 1), ("blog.example.org", 2), ("example.com", 4)},
            {"www.example.com": 1, "blog.example.org": 1, "example.com": 1},
        )
        assert (
            {q: found(archive, q) for q in before}
            == before
            == {
                "site:example.com": {1, 4},
                "words site:example.org": {2},
                "words lang:en is:unread": {3},
            }
        )
        assert archive.check() == []
        archive.conn.execute("UPDATE articles SET url = 'https://example.com/x' WHERE id = 2")
        assert found(archive, "site:example.com") == {1, 2, 4}
        assert hosts(archive.conn)[1] == {"www.example.com": 1, "example.com": 2}
    assert backup_path(path, 7).exists()


def test_check_finds_hosts_out_of_step_and_repair_sets_them(tmp_path: Path, page) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        archive.add_article(*page())
        with archive.write() as conn:
            conn.execute("UPDATE host_counts SET n = 7")
            conn.execute("INSERT INTO article_hosts(host, article_id) VALUES ('\x1b[31mx', 1)")
        (problem,) = archive.check()
        assert "hosts" in problem and "\x1b" not in problem
        archive.rebuild_search_index()
        assert archive.check() == []
        assert hosts(archive.conn) == ({("example.com", 1)}, {"example.com": 1})
