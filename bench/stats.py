"""Reading stats: `python -m bench.stats PATH` times `Archive.reading_stats()` (the stats
screen's and `reader stats`' numbers) on an archive you have, and beside it a baseline
in the same run: one pass over the article rows (the reading time of what was read,
summed with the indexes set aside), the least an unindexed count would cost.

Opens the archive read-only (a migrated copy: never a shared original, which opening
read-write would migrate). Prints the best and the median of `--runs` runs, warm
(the second run on reads from the page cache, as the TUI's screen does).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive
from reader.archive.base import utc_now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--today",
        type=datetime.fromisoformat,
        help="the clock (ISO 8601, e.g. 2024-04-15T12:00+00:00): a generated archive's"
        " dates end when it was made, and the weekly numbers want weeks that have some",
    )
    args = parser.parse_args(argv)
    clock = (lambda: args.today) if args.today else utc_now
    with Archive(args.archive, readonly=True, clock=clock) as archive:
        (articles,) = archive.conn.execute("SELECT count(*) FROM articles").fetchone()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            stats = archive.reading_stats()
            times.append((time.perf_counter() - start) * 1000)
        scans = []
        for _ in range(args.runs):
            start = time.perf_counter()
            archive.conn.execute(
                "SELECT sum(word_count) FROM articles NOT INDEXED WHERE read_at IS NOT NULL"
            ).fetchone()
            scans.append((time.perf_counter() - start) * 1000)
    print(f"{args.archive}: {articles:,} articles, {args.runs} runs")
    print(f"reading_stats: best {min(times):.0f} ms, median {statistics.median(times):.0f} ms")
    print(f"  first run (cold-ish): {times[0]:.0f} ms")
    print(
        f"baseline, one pass over the article rows: best {min(scans):.0f} ms,"
        f" median {statistics.median(scans):.0f} ms"
    )
    print(
        f"  {sum(w.saved for w in stats.weeks)} saved, {sum(w.read for w in stats.weeks)} read"
        f" in {len(stats.weeks)} weeks to {stats.today}; backlog {sum(n for _, n in stats.backlog)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
