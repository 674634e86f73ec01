"""StatsStore: your reading at a glance (`reader stats`, the TUI's stats screen).

Every number is counted by SQL from an index, never from the article rows (each holds
its whole text): articles_added (added_at, read_at) for what was saved and the
backlog, articles_read (read_at, word_count) for what was read and its reading time,
`site_counts` for the top sites, `counts` for the tags and the unread total. Days are
grouped in SQL and summed into weeks here: at most 182 rows cross over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from reader.archive.base import StoreBase, timestamp
from reader.archive.counting import SITE_COUNTS_SQL, has_site_counts

WEEKS = 26
WORDS_PER_MINUTE = 230
TOP = 10

# The backlog's age buckets: (label, upper bound in days); the last has none.
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("< 1 week", 7),
    ("< 1 month", 30),
    ("< 6 months", 182),
    ("< 1 year", 365),
    ("older", None),
)


@dataclass(frozen=True)
class Week:
    """One week's numbers; `start` is its Monday (UTC)."""

    start: date
    saved: int = 0
    read: int = 0
    reading_minutes: float = 0.0
    highlights: int = 0


@dataclass(frozen=True)
class ReadingStats:
    """The numbers of the stats screen and `reader stats`."""

    weeks: list[Week]
    reading_minutes_total: float
    backlog: list[tuple[str, int]]
    oldest_unread: str | None  # its added_at
    top_tags: list[tuple[str, int]]
    top_sites: list[tuple[str, int]]
    today: date = field(default_factory=date.today)

    def as_json(self) -> dict[str, object]:
        """The same numbers as plain JSON values."""
        return {
            "today": self.today.isoformat(),
            "weeks": [
                {
                    "start": w.start.isoformat(),
                    "saved": w.saved,
                    "read": w.read,
                    "reading_minutes": round(w.reading_minutes, 1),
                    "highlights": w.highlights,
                }
                for w in self.weeks
            ],
            "reading_minutes_total": round(self.reading_minutes_total, 1),
            "backlog": [{"age": label, "count": n} for label, n in self.backlog],
            "oldest_unread": self.oldest_unread,
            "top_tags": [{"name": name, "count": n} for name, n in self.top_tags],
            "top_sites": [{"name": name, "count": n} for name, n in self.top_sites],
        }


class StatsStore(StoreBase):
    def reading_stats(self, weeks: int = WEEKS) -> ReadingStats:
        """Saved, read, reading time and highlights per week for the last `weeks` weeks
        (the current one last), the unread backlog by age, the top tags and sites."""
        moment = self.clock().astimezone(UTC)
        today = moment.date()
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
        since = timestamp(datetime(first.year, first.month, first.day, tzinfo=moment.tzinfo))
        conn = self.conn
        saved = conn.execute(
            "SELECT substr(added_at, 1, 10), count(*) FROM articles WHERE added_at >= ? GROUP BY 1",
            (since,),
        ).fetchall()
        read = conn.execute(
            "SELECT substr(read_at, 1, 10), count(*), sum(word_count) FROM articles"
            " WHERE read_at >= ? GROUP BY 1",
            (since,),
        ).fetchall()
        highlights = conn.execute(
            "SELECT substr(created_at, 1, 10), count(*) FROM annotations"
            " WHERE created_at >= ? AND start IS NOT NULL GROUP BY 1",
            (since,),
        ).fetchall()
        per_week: dict[int, dict[str, float]] = {i: {} for i in range(weeks)}

        def add(day: str, name: str, value: float) -> None:
            index = (date.fromisoformat(day) - first).days // 7
            if 0 <= index < weeks:
                per_week[index][name] = per_week[index].get(name, 0) + value

        for day, n in saved:
            add(day, "saved", n)
        for day, n, words in read:
            add(day, "read", n)
            add(day, "reading_minutes", (words or 0) / WORDS_PER_MINUTE)
        for day, n in highlights:
            add(day, "highlights", n)
        series = [
            Week(
                start=first + timedelta(weeks=i),
                saved=int(v.get("saved", 0)),
                read=int(v.get("read", 0)),
                reading_minutes=v.get("reading_minutes", 0.0),
                highlights=int(v.get("highlights", 0)),
            )
            for i, v in per_week.items()
        ]
        (total_words,) = conn.execute(
            "SELECT coalesce(sum(word_count), 0) FROM articles WHERE read_at IS NOT NULL"
        ).fetchone()
        return ReadingStats(
            weeks=series,
            reading_minutes_total=total_words / WORDS_PER_MINUTE,
            backlog=self._backlog(moment),
            oldest_unread=conn.execute(
                "SELECT min(added_at) FROM articles WHERE read_at IS NULL"
            ).fetchone()[0],
            top_tags=self._top_tags(),
            top_sites=self._top_sites(),
            today=today,
        )

    def _backlog(self, moment: datetime) -> list[tuple[str, int]]:
        """Unread articles by how long ago they were saved (AGE_BUCKETS).

        The dated buckets walk articles_added from a year ago on; the oldest is what
        is left of the unread count (kept in `counts`), not a walk of every article.
        """
        bounds = [timestamp(moment - timedelta(days=d)) for _, d in AGE_BUCKETS if d]
        cases = " ".join(f"WHEN added_at >= ? THEN {i}" for i in range(len(bounds)))
        counts = dict(
            self.conn.execute(
                f"SELECT CASE {cases} END, count(*) FROM articles"
                " WHERE added_at >= ? AND read_at IS NULL GROUP BY 1",
                (*bounds, bounds[-1]),
            ).fetchall()
        )
        if self.has_counts:
            row = self.conn.execute("SELECT n FROM counts WHERE name = 'unread'").fetchone()
        else:
            row = self.conn.execute(
                "SELECT count(*) FROM articles WHERE read_at IS NULL"
            ).fetchone()
        counts[len(bounds)] = (row[0] if row else 0) - sum(counts.values())
        return [(label, counts.get(i, 0)) for i, (label, _) in enumerate(AGE_BUCKETS)]

    def _top_sites(self) -> list[tuple[str, int]]:
        """The sites with the most articles, from `site_counts` (v7: a few rows of the
        index site_counts_top); an older archive opened read-only counts instead."""
        if has_site_counts(self.conn):
            sql = "SELECT site, n FROM site_counts ORDER BY n DESC, site LIMIT ?"
        else:
            sql = f"{SITE_COUNTS_SQL} ORDER BY n DESC, site LIMIT ?"
        return [(name, n) for name, n in self.conn.execute(sql, (TOP,))]

    def _top_tags(self) -> list[tuple[str, int]]:
        if self.has_counts:
            rows = self.conn.execute(
                "SELECT t.name, c.n FROM tags t JOIN counts c ON c.name = 'tag:' || t.id"
                " WHERE c.n > 0 ORDER BY c.n DESC, t.name COLLATE NOCASE LIMIT ?",
                (TOP,),
            )
        else:
            rows = self.conn.execute(
                "SELECT t.name, count(*) AS n FROM tags t JOIN article_tags x ON x.tag_id = t.id"
                " GROUP BY t.id ORDER BY n DESC, t.name COLLATE NOCASE LIMIT ?",
                (TOP,),
            )
        return [(name, n) for name, n in rows]
