"""Archive.reading_stats on a real file with a fixed set of articles and a fixed clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reader.archive import Archive

from ..conftest import STATS_WORDS, stats_clock


def stats_of(path: Path):
    with Archive(path, clock=stats_clock()) as archive:
        return archive.reading_stats()


def test_twenty_six_weeks_from_monday_to_this_week(stats_archive_path: Path) -> None:
    weeks = stats_of(stats_archive_path).weeks
    assert len(weeks) == 26
    assert weeks[0].start == date(2025, 9, 22) and weeks[-1].start == date(2026, 3, 16)
    assert all(w.start.weekday() == 0 for w in weeks)


def test_saved_read_and_highlights_fall_in_their_weeks(stats_archive_path: Path) -> None:
    stats = stats_of(stats_archive_path)
    by_start = {w.start: w for w in stats.weeks}
    this, last = by_start[date(2026, 3, 16)], by_start[date(2026, 3, 9)]
    assert (this.saved, this.read, this.highlights) == (1, 1, 2)  # the note is no highlight
    assert (last.saved, last.read, last.highlights) == (1, 0, 1)
    assert by_start[date(2026, 2, 16)].saved == 1
    assert by_start[date(2025, 12, 1)].saved == 1
    assert (by_start[date(2025, 9, 22)].read, by_start[date(2025, 9, 22)].saved) == (1, 0)
    # Saved before the window: 2025-06-01, 2024-01-01, 2025-09-01.
    assert sum(w.saved for w in stats.weeks) == 4
    assert sum(w.read for w in stats.weeks) == 2
    assert sum(w.highlights for w in stats.weeks) == 3


def test_reading_time_is_words_over_230_per_week_and_in_all(stats_archive_path: Path) -> None:
    stats = stats_of(stats_archive_path)
    minutes = STATS_WORDS / 230
    assert stats.weeks[-1].reading_minutes == minutes
    assert stats.weeks[0].reading_minutes == minutes
    assert stats.reading_minutes_total == 2 * minutes


def test_backlog_by_age_and_the_oldest(stats_archive_path: Path) -> None:
    stats = stats_of(stats_archive_path)
    assert stats.backlog == [
        ("< 1 week", 1),
        ("< 1 month", 1),
        ("< 6 months", 1),
        ("< 1 year", 1),
        ("older", 1),
    ]
    assert stats.oldest_unread == "2024-01-01T09:00:00+00:00"


def test_top_tags_and_sites(stats_archive_path: Path) -> None:
    stats = stats_of(stats_archive_path)
    assert stats.top_tags == [("go", 2), ("rust", 2)]
    # site_name, else the URL's host, lowercased; an empty site_name counts as none.
    assert stats.top_sites == [("Example", 4), ("blog.example.org", 2), ("news.example.net", 1)]


def test_an_empty_archive_has_zeros(archive_path: Path) -> None:
    stats = stats_of(archive_path)
    assert len(stats.weeks) == 26 and not any(w.saved or w.read for w in stats.weeks)
    assert stats.reading_minutes_total == 0
    assert [n for _, n in stats.backlog] == [0] * 5
    assert stats.oldest_unread is None and stats.top_tags == [] and stats.top_sites == []


def test_json_has_the_same_numbers(stats_archive_path: Path) -> None:
    data = stats_of(stats_archive_path).as_json()
    assert data["today"] == "2026-03-18"
    weeks = data["weeks"]
    assert isinstance(weeks, list)
    assert weeks[-1] == {
        "start": "2026-03-16",
        "saved": 1,
        "read": 1,
        "reading_minutes": 2.0,
        "highlights": 2,
    }
    assert data["reading_minutes_total"] == 4.0


def test_top_tags_counted_without_the_counts_table(stats_archive_path: Path) -> None:
    with Archive(stats_archive_path, clock=stats_clock()) as archive:
        archive.has_counts = False  # an older archive opened read-only counts instead
        assert archive.reading_stats().top_tags == [("go", 2), ("rust", 2)]
        assert [n for _, n in archive.reading_stats().backlog] == [1] * 5


def test_the_weekly_counts_read_indexes_not_rows(stats_archive_path: Path) -> None:
    """Each weekly count is a range of an index (an article row holds its whole text,
    and an archive can hold a million): the plans name the v6 indexes; the top sites
    read the first rows of v7's, in order (no sort of every site)."""
    queries = {
        "site_counts_top": "SELECT site, n FROM site_counts ORDER BY n DESC, site LIMIT ?",
        "articles_read": "SELECT substr(read_at, 1, 10), count(*), sum(word_count)"
        " FROM articles WHERE read_at >= ? GROUP BY 1",
        "annotations_created": "SELECT substr(created_at, 1, 10), count(*) FROM annotations"
        " WHERE created_at >= ? AND start IS NOT NULL GROUP BY 1",
    }
    with Archive(stats_archive_path, clock=stats_clock()) as archive:
        for index, query in queries.items():
            plan = " ".join(
                row[3] for row in archive.conn.execute("EXPLAIN QUERY PLAN " + query, ("2026",))
            )
            assert f"USING INDEX {index}" in plan or f"COVERING INDEX {index}" in plan, plan
            assert index != "site_counts_top" or "TEMP B-TREE" not in plan, plan
