"""Search speed on an archive: `python bench/search.py PATH [--queries N] [--seed S]`.

Measures what the library does when someone searches (issue 4 / issue 8 budgets):
- one- and two-word searches, first 50 results with snippets and summaries
  (`Archive.search(q, limit=50)`), p50/p95/max over many queries; the words come from
  random article titles, as typed searches are content words, and their document
  frequencies are reported so "typical" is visible, not asserted;
- the result count shown beside the search bar (`Archive.count`);
- prefix searches, a very common word (worst case, outside the budget), filter-only
  listings (first page, a deep page, a tag, unread), tag counts and sidebar counts.

Timings are in-process wall clock (time.perf_counter; "cpu p50" is the CPU time the
same calls took, which a busy machine does not inflate) on a warm page cache (the first
query of each kind runs once before timing), except the --cold row: the archive's pages
are dropped from the OS cache (posix_fadvise) and a new connection searches once.
Prints a table; --json prints the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table

from reader.archive import Archive

BUDGET_MS = {"p50": 50.0, "p95": 150.0, "tags": 50.0}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# CPU milliseconds of the timings since the last row() (which takes them): on a busy
# machine wall time includes waiting for a core, and this shows how much did not.
_cpu: list[float] = []


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - began) * 1000)
        _cpu.append((time.process_time() - cpu) * 1000)
    return times


def sample_words(archive: Archive, rng: random.Random, n: int) -> list[list[str]]:
    """Words of `n` random article titles (ids are dense in a generated archive)."""
    (high,) = archive.conn.execute("SELECT max(id) FROM articles").fetchone()
    titles: list[list[str]] = []
    while len(titles) < n:
        row = archive.conn.execute(
            "SELECT title FROM articles WHERE id >= ? ORDER BY id LIMIT 1",
            (rng.randint(1, high or 1),),
        ).fetchone()
        words = [w for w in (row[0] if row else "").lower().split() if w.isalpha()]
        if len(words) >= 2:
            titles.append(words)
    return titles


def doc_frequencies(archive: Archive, words: set[str]) -> dict[str, int]:
    archive.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab"
        " USING fts5vocab(main, articles_fts, row)"
    )
    found: dict[str, int] = {}
    for word in words:
        row = archive.conn.execute(
            "SELECT doc FROM temp.bench_vocab WHERE term = ?", (word,)
        ).fetchone()
        found[word] = row[0] if row else 0
    return found


def evict(path: Path) -> bool:
    """Drop the archive's pages from the OS page cache (no root needed), if possible."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for suffix in ("", "-wal", "-shm"):
        name = Path(f"{path}{suffix}")
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def cold_searches(path: Path, words: list[str]) -> list[float]:
    """First search of a freshly opened archive with nothing of it in the page cache."""
    times = []
    for word in words:
        if not evict(path):
            return []
        with Archive(path) as archive:
            times += timed(lambda w=word: archive.search(w, limit=50))
    return times


def row(name: str, times: list[float], note: str = "", budget: str = "") -> dict:
    cpu = _cpu[-len(times) :] if times else []
    _cpu.clear()
    return {
        "cpu_p50": statistics.median(cpu) if cpu else None,
        "cpu_p95": percentile(cpu, 0.95) if cpu else None,
        "what": name,
        "n": len(times),
        "min": min(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "budget": budget,
        "note": note,
    }


def run(path: Path, queries: int, seed: int, *, cold: bool = False) -> list[dict]:
    rng = random.Random(seed)
    archive = Archive(path)
    total = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    titles = sample_words(archive, rng, queries)
    one = [rng.choice(words) for words in titles]
    two = [" ".join(rng.sample(words, 2)) for words in titles]
    prefixes = [w[: max(3, len(w) // 2)] + "*" for w in one[: max(10, queries // 4)]]
    df = doc_frequencies(archive, set(one))
    median_df = statistics.median(df[w] for w in one)

    def search_all(items: list[str], limit: int = 50) -> list[float]:
        archive.search(items[0], limit=limit)  # warm-up
        return [timed(lambda q=q: archive.search(q, limit=limit))[0] for q in items]

    rows = [
        row(
            "search 1 word, 50 hits + snippets",
            search_all(one),
            f"median word in {median_df:,.0f} of {total:,} articles",
            "p50<50 p95<150",
        ),
        row("search 2 words, 50 hits + snippets", search_all(two), "", "p50<50 p95<150"),
        row(
            "search 1 word + tag: (sidebar filter)",
            search_all([f"{w} tag:{rng.choice(('python', 'rust', 'review'))}" for w in one]),
        ),
        row("search 1 word + is:unread", search_all([f"{w} is:unread" for w in one])),
        row("search prefix word*, 50 hits", search_all(prefixes)),
        row(
            "count(1 word) for the result count",
            [timed(lambda q=q: archive.count(q))[0] for q in one[: max(10, queries // 4)]],
        ),
    ]
    common = ["the", "of", "and", "the of"]
    rows.append(
        row(
            "search a very common word (worst case)",
            search_all(common),
            f"'the' in {doc_frequencies(archive, {'the'})['the']:,} articles",
        )
    )
    rows.append(row("list all, first page", timed(lambda: archive.search("", limit=50), 20)))
    rows.append(
        row(
            "list all, last page (offset n-50)",
            timed(lambda: archive.search("", offset=max(0, total - 50), limit=50), 10),
        )
    )
    tag = archive.conn.execute(
        "SELECT t.name FROM tags t JOIN article_tags x ON x.tag_id = t.id"
        " GROUP BY t.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    if tag:
        rows.append(
            row(
                f"list tag:{tag[0]} (largest tag), first page",
                timed(lambda: archive.search(f'tag:"{tag[0]}"', limit=50), 10),
            )
        )
    rows.append(
        row("list sort:published, first page", timed(lambda: archive.search("sort:published"), 10))
    )
    rows.append(
        row(
            "list sort:published, last page",
            timed(
                lambda: archive.search("sort:published", offset=max(0, total - 50), limit=50), 10
            ),
        )
    )
    rows.append(
        row(
            "list sort:published is:unread, first page",
            timed(lambda: archive.search("sort:published is:unread"), 10),
        )
    )
    rows.append(row("list is:unread, first page", timed(lambda: archive.search("is:unread"), 10)))
    rows.append(row("list is:starred, first page", timed(lambda: archive.search("is:starred"), 10)))
    for query in ("before:2020", "lang:fr", "has:notes", "site:example.com"):
        rows.append(row(f"list {query}, first page", timed(lambda q=query: archive.search(q), 10)))
    rows.append(row("count is:starred", timed(lambda: archive.count("is:starred"), 10)))
    if hasattr(archive, "tag_counts"):
        rows.append(
            row("tag counts (TagStore.tag_counts)", timed(archive.tag_counts, 10), "", "<50")
        )
    else:
        # Until TagStore lands: the query a tag count needs (one pass over the
        # article_tags_tag index), so the budget is still checked.
        def tag_counts() -> list:
            return archive.conn.execute(
                "SELECT t.name, count(x.article_id) FROM tags t"
                " LEFT JOIN article_tags x ON x.tag_id = t.id GROUP BY t.id"
            ).fetchall()

        rows.append(
            row("tag counts (SQL; TagStore.tag_counts absent)", timed(tag_counts, 10), "", "<50")
        )
    rows.append(row("sidebar counts", timed(archive.sidebar_counts, 10)))
    archive.close()
    # Last, and only when asked: the eviction also chills the next run's warm rows.
    cold_times = cold_searches(path, one[:20]) if cold else []
    if cold_times:
        rows.append(
            row(
                "search 1 word, cold page cache, new connection",
                cold_times,
                "posix_fadvise DONTNEED",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--cold", action="store_true", help="also time first searches with the file uncached"
    )
    args = parser.parse_args(argv)
    if not args.path.is_file():
        parser.error(f"{args.path}: no such archive")
    rows = run(args.path, args.queries, args.seed, cold=args.cold)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    table = Table(title=f"search on {args.path} (in-process, warm cache, ms)")
    numeric = ("n", "p50", "p95", "max", "cpu p50")
    for column in ("what", *numeric, "budget", "note"):
        table.add_column(column, justify="right" if column in numeric else "left")
    for r in rows:
        if not r["n"]:
            table.add_row(r["what"], "", "", "", "", "", "", r.get("note", ""))
            continue
        table.add_row(
            r["what"],
            str(r["n"]),
            f"{r['p50']:.1f}",
            f"{r['p95']:.1f}",
            f"{r['max']:.1f}",
            f"{r['cpu_p50']:.1f}",
            r["budget"],
            r["note"],
        )
    Console(width=max(140, Console().width)).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
